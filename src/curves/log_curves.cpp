#include "scalelaw/curves/log_curves.h"

#include <fmt/format.h>

#include <cmath>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"

namespace scalelaw {

std::vector<TrainingCurve> TrainingCurvesFromTable(const CurveTable& table, const LogCurvesOptions& options,
                                                   std::vector<std::string>* warnings) {
  std::vector<TrainingCurve> out;
  for (const Curve& run : table.curves) {
    TrainingCurve curve;
    curve.name = run.run;
    curve.params = run.facts.params;  // N, when the log, the facts table or an option gives it (else NaN)
    if (run.size() == 0) throw InvalidArgument(fmt::format("run '{}' ({}): no logged points", run.run, run.source));
    for (std::size_t i = 0; i < run.size(); ++i) {
      const double step = run.step[i];
      if (!(step >= 0 && step == std::floor(step) && step < 1e15)) {
        throw InputError(run.source, i < run.lines.size() ? run.lines[i] : 0, "step",
                         fmt::format("{} is not a whole number >= 0 (a curve law indexes the LR of each step)", step));
      }
      curve.steps.push_back(static_cast<long>(step));
      curve.loss.push_back(run.metric[i]);
    }
    const long last = curve.steps.back();
    const std::string& spec = !options.schedule.empty() ? options.schedule : run.facts.schedule;
    if (!spec.empty()) {
      try {
        curve.lr = LrPerStep(ParseLrSchedule(spec));
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(fmt::format("run '{}': {}", run.run, e.what()));
      }
      if (static_cast<long>(curve.lr.size()) <= last) {
        throw InputError(run.source, run.lines.empty() ? 0 : run.lines.back(), "step",
                         fmt::format("run '{}' is logged at step {} but its schedule '{}' has {} steps (0..{})",
                                     run.run, last, spec, curve.lr.size(), curve.lr.size() - 1));
      }
    } else if (!run.lr.empty()) {
      try {
        curve.lr = LrFromLoggedColumn(curve.steps, run.lr, last + 1, options.max_lr_gap);
      } catch (const InvalidArgument& e) {
        throw InvalidArgument(fmt::format("run '{}' ({}): LR column: {}", run.run, run.source, e.what()));
      }
      if (curve.steps.front() > 0 && warnings != nullptr) {
        warnings->push_back(fmt::format(
            "run '{}': the LR before its first logged step {} is taken as the first logged LR {:g}: a warmup that "
            "was not logged is not known (give a schedule spec to include it)",
            run.run, curve.steps.front(), run.lr.front()));
      }
    } else {
      throw InvalidArgument(fmt::format(
          "run '{}' ({}): no learning rate: the log has no LR column and no schedule was given (a schedule spec for "
          "every run, or a 'schedule' column in the facts table)",
          run.run, run.source));
    }
    out.push_back(std::move(curve));
  }
  return out;
}

std::vector<TrainingCurve> SelectCurves(const std::vector<TrainingCurve>& curves,
                                        const std::vector<std::string>& names) {
  std::vector<TrainingCurve> out;
  for (const std::string& name : names) {
    bool found = false;
    for (const TrainingCurve& curve : curves) {
      if (curve.name == name) {
        out.push_back(curve);
        found = true;
        break;
      }
    }
    if (!found) {
      std::string there;
      for (const TrainingCurve& curve : curves) there += (there.empty() ? "" : ", ") + curve.name;
      throw InvalidArgument(fmt::format("no run named '{}' (the runs: {})", name, there));
    }
  }
  return out;
}

}  // namespace scalelaw
