// What every analysis result shares (FitSummary, IsoflopResult, HparamSweepResult), in the manner of Ceres
// Solver's Solver::Summary: a status telling why a result can or cannot be used, with a message, and one summary
// of the bootstrap distribution of each estimated quantity.
//
// A computation that runs but cannot answer is data in the result, not an exception: the status says which
// kind of failure it was and the message says what happened. Inputs outside an analysis's domain are thrown
// as InvalidArgument before anything is computed (see scalelaw/error.h), so no status stands for them.
#pragma once

#include <limits>
#include <string_view>
#include <utility>
#include <vector>

namespace scalelaw {

enum class AnalysisStatus {
  kUsable,           // the result answers the question
  kNotIdentifiable,  // the data cannot pin the parameters (too few distinct points, one compute budget, a
                     // single N in a sweep, ...); nothing was estimated, or the estimate is arbitrary
  kNoConvergence,    // the optimiser did not meet its convergence test, or the estimate is not finite
  kInterrupted,      // the progress callback returned false; the result holds what was done before
};

// "usable", "not identifiable", "no convergence", "interrupted": the names the JSON "status" key, Python's
// .status and the reports use.
std::string_view AnalysisStatusName(AnalysisStatus status);
// The status of a name AnalysisStatusName gives; throws InvalidArgument for any other.
AnalysisStatus AnalysisStatusFromName(std::string_view name);

// The bootstrap distribution of one estimated quantity, over the resamples that produced it.
struct ResampleSummary {
  int resamples = 0;  // values summarised (the resamples that succeeded)
  int failed = 0;     // resamples left out (they could not be refitted, or gave no finite value)
  double mean = std::numeric_limits<double>::quiet_NaN();
  // The standard error: the sample standard deviation of the m resample estimates, sqrt(sum (x_k - mean)^2 /
  // (m - 1)) (Efron and Tibshirani 1993, "An Introduction to the Bootstrap", eq. 6.6); NaN for fewer than 2.
  double se = std::numeric_limits<double>::quiet_NaN();
  // The 95% percentile interval, the 2.5th and 97.5th percentiles of the estimates (Efron and Tibshirani 1993,
  // ch. 13), by linear interpolation between order statistics as numpy.percentile's default: the p-th
  // percentile of m sorted values x_(0..m-1) is x_(j) + f (x_(j+1) - x_(j)) with j + f = p (m - 1).
  std::pair<double, double> ci95 = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
};

// The summary of the values of one quantity over its successful resamples (in any order), with the number of
// resamples that failed. Every value must be finite (throws InvalidArgument otherwise): a caller leaves a
// failed resample out and counts it in failed.
ResampleSummary SummarizeResamples(std::vector<double> values, int failed = 0);

}  // namespace scalelaw
