#include "scalelaw/analysis/summary.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "scalelaw/error.h"
#include "util/resampling.h"

namespace scalelaw {

std::string_view AnalysisStatusName(AnalysisStatus status) {
  switch (status) {
    case AnalysisStatus::kUsable:
      return "usable";
    case AnalysisStatus::kNotIdentifiable:
      return "not identifiable";
    case AnalysisStatus::kNoConvergence:
      return "no convergence";
    case AnalysisStatus::kInterrupted:
      return "interrupted";
  }
  return "unknown";
}

AnalysisStatus AnalysisStatusFromName(std::string_view name) {
  for (AnalysisStatus status : {AnalysisStatus::kUsable, AnalysisStatus::kNotIdentifiable,
                                AnalysisStatus::kNoConvergence, AnalysisStatus::kInterrupted}) {
    if (AnalysisStatusName(status) == name) return status;
  }
  throw InvalidArgument("unknown status '" + std::string(name) +
                        "' (known: usable, not identifiable, no convergence, interrupted)");
}

ResampleSummary SummarizeResamples(std::vector<double> values, int failed) {
  if (failed < 0) throw InvalidArgument("SummarizeResamples: failed must be >= 0");
  ResampleSummary summary;
  summary.resamples = static_cast<int>(values.size());
  summary.failed = failed;
  if (values.empty()) return summary;
  double sum = 0;
  for (double v : values) {
    if (!std::isfinite(v)) throw InvalidArgument("SummarizeResamples: a resample value is not finite");
    sum += v;
  }
  const double n = static_cast<double>(values.size());
  summary.mean = sum / n;
  if (values.size() >= 2) {
    double squares = 0;
    for (double v : values) squares += (v - summary.mean) * (v - summary.mean);
    summary.se = std::sqrt(squares / (n - 1));
  }
  std::sort(values.begin(), values.end());
  summary.ci95 = {detail::Percentile(values, 0.025), detail::Percentile(values, 0.975)};
  return summary;
}

}  // namespace scalelaw
