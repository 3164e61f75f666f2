// Leave-future-out validation of a fitted law, in the manner of ceres::Solve:
// ValidateLeaveFutureOut(data, model, options, &summary).
//
// A scaling law is fitted to small runs to predict large ones, so the test that matters is a rollout: for each
// threshold t of a size variable s (compute C = 6ND, N or D, or any column), fit the law to the runs with s < t
// and predict the runs with s >= t, as they would have been predicted before they were trained. Each held-out run
// gets its relative error (L_hat - L) / L, its log error log(L_hat / L) and its extrapolation distance s / t (how
// far beyond the fitted runs it lies), and, when the fit is bootstrapped, whether its loss falls inside the fit's
// predictive interval (PredictiveInterval, scalelaw/predict.h: parameter uncertainty plus observation noise). The
// errors are summarised per threshold and per distance band (factors of 2), with the intervals' coverage: a law
// that is not misspecified keeps its errors at the noise level and its coverage near nominal however far it
// extrapolates; a misspecified one drifts with distance (cf. Besiroglu et al. 2024, arXiv:2404.10102, and the
// held-out validation of Hoffmann et al. 2022, arXiv:2203.15556, App. D).
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/model.h"

namespace scalelaw {

struct LeaveFutureOutOptions {
  // The size variable the runs are split on: "C" (a data column C, else 6ND), "N" (params), "D" (tokens), or the
  // name of any column of Dataset::columns.
  std::string split_by = "C";
  // The thresholds t (train on s < t, predict s >= t), in any order; empty: automatic, the distinct values of s
  // at the quantiles below (each threshold one of the runs' own values, so its runs are the first held out).
  std::vector<double> thresholds;
  std::vector<double> quantiles = {0.5, 0.6, 0.7, 0.8, 0.9};
  // A threshold is used only when at least this many runs fall below it; 0: the model's free parameters + 1.
  int min_train_runs = 0;
  // Level of the predictive intervals whose coverage is reported (needs fit.bootstrap_resamples >= 2).
  double predictive_level = 0.9;
  // How each fold is fitted (its bootstrap gives the predictive intervals).
  FitOptions fit;

  bool IsValid(std::string* error) const;
};

struct LeaveFutureOutSummary {
  std::string split_by;
  double predictive_level = 0.9;

  // One fit per threshold used.
  struct Fold {
    double threshold = 0;
    int train_runs = 0;
    int test_runs = 0;
    AnalysisStatus fit_status = AnalysisStatus::kNoConvergence;
    std::string fit_message;
    std::map<std::string, double> params;  // the fold's fitted parameters
    double mean_abs_relative_error = std::numeric_limits<double>::quiet_NaN();
    double max_abs_relative_error = std::numeric_limits<double>::quiet_NaN();
    double max_distance = std::numeric_limits<double>::quiet_NaN();
    int covered = 0;  // held-out runs inside their predictive interval (of those that have one)
    int with_interval = 0;
  };
  std::vector<Fold> folds;

  // Every held-out run of every usable fold: a run held out by several thresholds appears once per fold.
  struct HeldOutRun {
    int fold = 0;  // index into folds
    int run = 0;   // index into the data
    double split_value = 0;
    double distance = 0;  // split_value / threshold, >= 1
    double observed = 0;
    double predicted = 0;
    double relative_error = 0;                                    // (predicted - observed) / observed
    double log_error = std::numeric_limits<double>::quiet_NaN();  // log(predicted / observed); NaN for a loss <= 0
    double lo = std::numeric_limits<double>::quiet_NaN();         // the predictive interval; NaN without one
    double hi = std::numeric_limits<double>::quiet_NaN();
    bool covered = false;
  };
  std::vector<HeldOutRun> runs;

  // The held-out runs by extrapolation distance, in bands [2^k, 2^(k+1)) (empty bands left out).
  struct DistanceBand {
    double from = 1, to = 2;
    int runs = 0;
    double mean_abs_relative_error = std::numeric_limits<double>::quiet_NaN();
    double max_abs_relative_error = std::numeric_limits<double>::quiet_NaN();
    double rms_log_error = std::numeric_limits<double>::quiet_NaN();
    int covered = 0;
    int with_interval = 0;
  };
  std::vector<DistanceBand> by_distance;

  int covered = 0;
  int with_interval = 0;
  double coverage = std::numeric_limits<double>::quiet_NaN();  // covered / with_interval
  double mean_abs_relative_error = std::numeric_limits<double>::quiet_NaN();

  // kUsable when at least one threshold left enough runs to fit and a usable fit predicted the runs above it;
  // kNotIdentifiable otherwise (the message says which thresholds were tried and why each failed).
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message = "ValidateLeaveFutureOut was not called";
  std::string data_source;  // set by a caller that read the runs, for the report

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  std::string BriefReport() const;
  // The folds, the errors by distance band and the coverage, as `scalelaw validate` prints them.
  std::string FullReport() const;
};

// The values of options.split_by for each run of data (see LeaveFutureOutOptions::split_by); throws
// InvalidArgument naming what is missing.
std::vector<double> SplitValues(const Dataset& data, const std::string& split_by);

// Runs the validation. Throws InvalidArgument when options are not valid or the data cannot be split. Returns
// summary->IsUsable().
bool ValidateLeaveFutureOut(const Dataset& data, const Model& model, const LeaveFutureOutOptions& options,
                            LeaveFutureOutSummary* summary);

// One JSON object: split_by, predictive_level, status, message, coverage, covered, with_interval,
// mean_abs_relative_error, folds, by_distance and runs (each with the fields above; NaN as null).
std::string LeaveFutureOutToJson(const LeaveFutureOutSummary& summary);

}  // namespace scalelaw
