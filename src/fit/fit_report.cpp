// FitSummary's reports for a person: BriefReport (a few lines) and FullReport (the table `scalelaw fit` prints).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scalelaw/fit/fit.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw {
namespace {

// The objective as ObjectiveTable() words it, with the summary's delta, asymmetry and residual in place.
std::string DescribeObjective(const FitSummary& fit) {
  return fmt::format(fmt::runtime(Describe(fit.objective_kind).report), fmt::arg("delta", fit.huber_delta),
                     fmt::arg("asymmetry", fit.asymmetry), fmt::arg("residual", Describe(fit.residual).report));
}

// "converged" for a usable fit (the word the JSON key "converged" and earlier reports use), else why not.
std::string StatusWord(const FitSummary& fit) { return fit.IsUsable() ? "converged" : "NOT USABLE"; }

}  // namespace

std::string FitSummary::BriefReport() const {
  std::string report =
      fmt::format("scalelaw fit: model {}, estimator {}, {} runs\n", model, EstimatorName(estimator), num_points);
  for (const auto& [name, value] : params) report += fmt::format("  {:<6} = {:.6g}\n", name, value);
  if (std::isfinite(objective)) {
    report += fmt::format("  {} = {:.12g}", Describe(estimator).value, objective);
    if (std::isfinite(log_scale)) report += fmt::format(" (log-scale sigma = {:.6g})", log_scale);
    report += "\n";
  }
  report += fmt::format("  starts: {} {} ({} reached the best basin, {} failed); {} iterations; {:.3f} s\n", num_starts,
                        start_strategy, num_starts_in_best_basin, num_starts_failed, iterations, wall_seconds);
  report += fmt::format("  status: {}{}{}\n", StatusWord(*this), message.empty() ? "" : ": ", message);
  return report;
}

std::string FitSummary::FullReport() const {
  std::string out = fmt::format("Fitted {} to {} runs", formula, num_points);
  if (!data_source.empty()) out += " of " + data_source;
  out += "\n";
  for (const std::string& line : data_columns) out += "  " + line + "\n";
  out += fmt::format("  estimator: {} ({}), {} starts\n\n", Describe(estimator).report, DescribeObjective(*this),
                     num_starts);
  if (!params.empty()) {
    const bool bootstrapped = !uncertainty.empty();
    out += fmt::format("  {:<10} {:>14} {:>12}{}\n", "parameter", "value", bootstrapped ? "SE (boot.)" : "SE (Laplace)",
                       bootstrapped ? fmt::format(" {:>25}", "95% interval (bootstrap)") : "");
    auto row = [&](const std::string& name, double value) {
      std::string se, interval;
      if (const auto it = uncertainty.find(name); it != uncertainty.end()) {
        se = fmt::format("{:.3g}", it->second.se);
        interval =
            fmt::format(" {:>25}", fmt::format("[{:.4g}, {:.4g}]", it->second.ci95.first, it->second.ci95.second));
      } else if (const auto laplace = laplace_se.find(name); !bootstrapped && laplace != laplace_se.end()) {
        se = fmt::format("{:.3g}", laplace->second);
      }
      out += fmt::format("  {:<10} {:>14.6g} {:>12}{}\n", name, value, se, interval);
    };
    std::vector<std::string> names = parameter_names;
    if (names.empty()) {  // a summary read from JSON: the parameters in the order of their names
      for (const auto& [name, value] : params) names.push_back(name);
    }
    for (const std::string& name : names) {
      const auto value = params.find(name);
      if (value == params.end()) continue;
      if (std::find(fixed_parameters.begin(), fixed_parameters.end(), name) != fixed_parameters.end()) {
        out += fmt::format("  {:<10} {:>14.6g} {:>12}\n", name, value->second, "(fixed)");
      } else {
        row(name, value->second);
      }
    }
    for (const auto& [name, value] : derived) row(name, value);
    if (bootstrapped) {
      out += fmt::format("  ({} bootstrap resamples, seed {}, {} failed)\n", bootstrap_resamples, bootstrap_seed,
                         bootstrap_failed);
    }
    out += "\n";
  }
  if (std::isfinite(objective)) {
    out += fmt::format("  {:<16} {:.12g}\n", Describe(estimator).value, objective);
  }
  if (std::isfinite(log_scale)) out += fmt::format("  {:<16} {:.6g}\n", "log-scale sigma", log_scale);
  if (std::isfinite(aic)) {
    out += fmt::format("  {:<16} AIC {:.2f}, BIC {:.2f} (Gaussian on {} residuals)\n", "criteria", aic, bic,
                       residual == Residual::kLog ? "log" : "loss");
  }
  if (!holdout.empty()) {
    out += fmt::format("  {:<16} {} largest-compute runs held out: mean |error| {:.2f}%, max {:.2f}%\n", "holdout",
                       holdout.size(), 100 * holdout_mean_abs_relative_error, 100 * holdout_max_abs_relative_error);
    for (const HeldOutRun& run : holdout) {
      out += fmt::format("  {:<16}   N {:<10.4g} D {:<10.4g} loss {:.4f}, predicted {:.4f}\n", "", run.params,
                         run.tokens, run.loss, run.predicted);
    }
  }
  if (best_start >= 0) {
    out += fmt::format("  {:<16} {} of {} {} starts ({} failed)\n", "best basin", num_starts_in_best_basin, num_starts,
                       start_strategy == "varpro" ? "variable-projection" : "grid", num_starts_failed);
  }
  if (IsUsable() && model == "chinchilla") {
    const AllocationExponents x = ComputeOptimalExponents(AsChinchillaLaw(*this));
    out += fmt::format("  {:<16} N_opt = {:.4g}·(C/6)^{:.4f}, D_opt = {:.4g}·(C/6)^{:.4f} (C = 6ND FLOPs)\n",
                       "compute-optimal", x.G, x.a, 1 / x.G, x.b);
  }
  if (IsUsable()) return out + fmt::format("  {:<16} converged ({:.2f} s)\n", "status", wall_seconds);
  out += fmt::format("  {:<16} NOT USABLE ({}; {:.2f} s)\n", "status", AnalysisStatusName(status), wall_seconds);
  return out + fmt::format("  {:<16} {}\n", "reason", message);
}

}  // namespace scalelaw
