// CurveFitSummary's reports for a person: BriefReport (one line) and FullReport (parameters, starts, curves).
#include <fmt/format.h>

#include "curves/curve_fit_detail.h"
#include "scalelaw/curves/curve_fit.h"

namespace scalelaw {

std::string CurveFitSummary::BriefReport() const {
  std::string out = fmt::format("{} curve law", CurveLawFormName(form));
  if (!parameters.empty()) {
    for (std::size_t j = 0; j < parameters.size(); ++j)
      out += fmt::format(" {}={:.6g}", parameter_names[j], parameters[j]);
    out += fmt::format(", Huber objective {:.6e} over {} points of {} curves", objective, points, curve_names.size());
  }
  out += fmt::format(": {}", AnalysisStatusName(status));
  if (!message.empty()) out += " (" + message + ")";
  return out;
}

std::string CurveFitSummary::FullReport() const {
  std::string out = fmt::format("{} curve law fitted to {} curves, {} logged points", CurveLawFormName(form),
                                curve_names.size(), points);
  out += fmt::format("\nobjective: sum of Huber (delta {:g}) of log residuals", huber_delta);
  if (form == CurveLawForm::kAnnealing) out += fmt::format("; annealing momentum lambda = {:g}", lambda);
  out += "\n";
  if (!parameters.empty()) {
    const bool boot = parameter_resamples.size() == parameters.size();
    out += boot ? "\nparameter        value  bootstrap se   95% interval\n" : "\nparameter        value\n";
    for (std::size_t j = 0; j < parameters.size(); ++j) {
      out += fmt::format("{:<10} {:>12.6g}", parameter_names[j], parameters[j]);
      if (boot) {
        const ResampleSummary& r = parameter_resamples[j];
        out += fmt::format("  {:>12.4g}   [{:.6g}, {:.6g}]", r.se, r.ci95.first, r.ci95.second);
      }
      out += "\n";
    }
    out += fmt::format("objective  {:>12.6e}\n", objective);
  }
  if (!starts.empty()) {
    out += "\nstart  objective     iterations  converged\n";
    for (std::size_t k = 0; k < starts.size(); ++k) {
      out += fmt::format("{:<5}  {:<12.6e}  {:>10}  {}{}\n", k, starts[k].objective, starts[k].iterations,
                         starts[k].converged ? "yes" : "no", static_cast<int>(k) == best_start ? "  <- best" : "");
    }
  }
  out += detail::CurveBootstrapLine(resample_parameters.size(), failed_resamples, block_length, bootstrap_seed);
  if (!curve_errors.empty()) {
    out += "\ncurve                  points  PredE     WorstE    R^2\n";
    for (std::size_t c = 0; c < curve_errors.size(); ++c) {
      const CurveErrors& e = curve_errors[c];
      out += fmt::format("{:<22} {:>6}  {:<8.6f}  {:<8.6f}  {:.6f}\n", curve_names[c], e.points, e.pred_e, e.worst_e,
                         e.r2);
    }
  }
  out += fmt::format("\nstatus: {}{}  ({:.3f} s)\n", AnalysisStatusName(status), message.empty() ? "" : " - " + message,
                     seconds);
  return out;
}

}  // namespace scalelaw
