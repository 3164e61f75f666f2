// Chart data of results: see result_charts.h.
#include "plot/result_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "scalelaw/error.h"
#include "scalelaw/laws/chinchilla.h"
#include "util/resampling.h"

namespace scalelaw::plot {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// The fitted loss as a function of (N, D), NaN where the law cannot be evaluated; empty when the form does not
// read N and D alone. The named forms evaluate through Predict(fit, N, D), a formula over N and D through its
// inputs by name.
std::function<double(double, double)> LossOfParamsAndTokens(const FitSummary& fit) {
  if (fit.params.empty()) return {};
  const std::function<double(double, double)> candidates[] = {
      [&fit](double n, double d) { return Predict(fit, n, d); },
      [&fit](double n, double d) {
        return Predict(fit, std::map<std::string, double>{{"N", n}, {"D", d}});
      },
  };
  for (const auto& law : candidates) {
    try {
      if (!std::isfinite(law(1e9, 1e10))) continue;
    } catch (const Error&) {
      continue;
    }
    return [law](double n, double d) {
      try {
        return law(n, d);
      } catch (const Error&) {
        return kNaN;
      }
    };
  }
  return {};
}

// L_opt(C) = L(N_opt(C), D_opt(C)) of a Chinchilla law (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 4).
double FrontierLoss(const ChinchillaLaw& law, double flops) {
  const Allocation a = ComputeOptimal(law, flops);
  return Loss(law, a.params, a.tokens);
}

}  // namespace

FitChart MakeFitChart(const FitSummary& fit, const std::vector<double>& params, const std::vector<double>& tokens,
                      const std::vector<double>& loss, const FitChartOptions& options) {
  if (params.size() != tokens.size() || params.size() != loss.size()) {
    throw InvalidArgument("the runs' N, D and loss must have the same length");
  }
  FitChart chart;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const double c = 6 * params[i] * tokens[i];
    if (!PositiveFinite(params[i]) || !PositiveFinite(c) || !PositiveFinite(loss[i])) continue;
    chart.runs.params.push_back(params[i]);
    chart.runs.flops.push_back(c);
    chart.runs.loss.push_back(loss[i]);
  }
  const bool has_runs = !params.empty();
  if (has_runs && chart.runs.params.empty()) throw InvalidArgument("no run has a positive finite N, D and loss");
  const std::function<double(double, double)> law = LossOfParamsAndTokens(fit);

  // The model sizes the law is drawn for, and the compute the runs (or the fitted range) span.
  std::vector<double> sizes = params, size_tokens = tokens;
  double observed = 0;
  LossVsComputeData& data = chart.data;
  if (has_runs) {
    chart.flops_min = *std::min_element(chart.runs.flops.begin(), chart.runs.flops.end());
    observed = *std::max_element(chart.runs.flops.begin(), chart.runs.flops.end());
    data.params = params;
    data.tokens = tokens;
    data.loss = loss;
    data.title = fmt::format("{}: {}, {} runs", fit.model, fit.formula, chart.runs.params.size());
  } else {
    if (!law) throw InvalidArgument("a '" + fit.model + "' fit reads inputs other than N and D: give the runs to draw");
    const ValidityRange& range = fit.data_range;
    if (!PositiveFinite(range.params_min) || !PositiveFinite(range.params_max) || !PositiveFinite(range.tokens_min) ||
        !PositiveFinite(range.tokens_max)) {
      throw InvalidArgument("the fit records no range of N and D to draw over: give the runs");
    }
    sizes = LogSpace(range.params_min, range.params_max, 5);
    size_tokens.assign(sizes.size(), range.tokens_min);
    chart.flops_min = 6 * range.params_min * range.tokens_min;
    observed = 6 * range.params_max * range.tokens_max;
    data.title = fmt::format("{}: {}", fit.model, fit.formula);
    data.extrapolation_label = "beyond the fitted range (C > 6·N_max·D_max = " + ShortNumber(observed) + ")";
  }
  if (data.extrapolation_label.empty()) data.extrapolation_label = "extrapolation (C > " + ShortNumber(observed) + ")";
  data.observed_max_flops = observed;

  chart.at_flops = options.at_flops;
  if (!std::isfinite(chart.at_flops)) {
    const auto n_opt = fit.derived.find("N_opt"), d_opt = fit.derived.find("D_opt");
    if (n_opt != fit.derived.end() && d_opt != fit.derived.end()) chart.at_flops = 6 * n_opt->second * d_opt->second;
  }
  if (!PositiveFinite(chart.at_flops)) chart.at_flops = kNaN;
  chart.flops_max = PositiveFinite(options.flops_max) ? options.flops_max : 100 * observed;
  if (std::isfinite(chart.at_flops)) chart.flops_max = std::max(chart.flops_max, chart.at_flops);

  if (law) data.law_curves = LawCurvesPerSize(sizes, size_tokens, law, chart.flops_max);

  if (fit.model != "chinchilla" || !fit.IsUsable()) return chart;
  ChinchillaLaw point;
  try {
    point = AsChinchillaLaw(fit);
    chart.frontier_exponent = ComputeOptimalExponents(point).a;
  } catch (const Error&) {
    return chart;
  }
  data.frontier = FrontierCurve([&point](double c) { return FrontierLoss(point, c); }, chart.flops_min, chart.flops_max,
                                fmt::format("compute-optimal L_opt(C), N_opt ∝ C^{:.3f}", chart.frontier_exponent));
  const std::vector<ChinchillaLaw> draws = BootstrapChinchillaLaws(fit);
  if (draws.size() < 2 || data.frontier.x.empty()) return chart;
  chart.band_resamples = draws.size();
  data.frontier_band.label = fmt::format("95% band, {} resamples", draws.size());
  for (double c : data.frontier.x) {
    std::vector<double> losses;
    for (const ChinchillaLaw& draw : draws) {
      double l = kNaN;
      try {
        l = FrontierLoss(draw, c);
      } catch (const Error&) {  // a resample without a compute-optimal allocation (alpha or beta not positive)
      }
      if (std::isfinite(l)) losses.push_back(l);
    }
    std::sort(losses.begin(), losses.end());
    data.frontier_band.x.push_back(c);
    data.frontier_band.lower.push_back(losses.empty() ? kNaN : detail::Percentile(losses, 0.025));
    data.frontier_band.upper.push_back(losses.empty() ? kNaN : detail::Percentile(losses, 0.975));
  }
  return chart;
}

IsoflopChartData MakeIsoflopChart(const IsoflopResult& result, const std::vector<IsoflopRun>& runs) {
  IsoflopChartData chart;
  const auto ci = result.uncertainty.find("a");
  const std::string band = ci == result.uncertainty.end()
                               ? ""
                               : fmt::format(" [{:.3f}, {:.3f}]", ci->second.ci95.first, ci->second.ci95.second);
  const std::string used = fmt::format("{} of {} budgets used", result.n_budgets_used, result.budgets.size());
  chart.title = result.IsUsable() ? fmt::format("IsoFLOP profiles: N_opt = {:.4g}·C^{:.4f}{}, {}", result.k_params,
                                                result.a, band, used)
                                  : fmt::format("IsoFLOP profiles ({}), {}", AnalysisStatusName(result.status), used);
  for (const IsoflopBudget& b : result.budgets) {
    IsoflopBudgetData data;
    data.flops = b.flops;
    data.has_vertex = b.has_vertex;
    data.used = b.used;
    data.status = b.status;
    data.curvature = b.curvature;
    data.opt_params = b.params;
    data.opt_loss = b.loss;
    data.params_min = b.params_min;
    data.params_max = b.params_max;
    for (const IsoflopRun& run : runs) {
      const double c = run.flops > 0 ? run.flops : 6 * run.params * run.tokens;
      if (!PositiveFinite(c) || c < b.flops_min * (1 - 1e-6) || c > b.flops_max * (1 + 1e-6)) continue;
      data.params.push_back(run.params);
      data.loss.push_back(run.loss);
    }
    chart.budgets.push_back(std::move(data));
  }
  if (!result.IsUsable()) return chart;
  // N_opt = k·C^a at each used budget, on its parabola L = p (ln N − ln N*)² + L* (Hoffmann et al. 2022,
  // arXiv:2203.15556, Approach 2).
  chart.optimum.label = fmt::format("N_opt = {:.3g}·C^{:.4f}", result.k_params, result.a);
  for (const IsoflopBudget& b : result.budgets) {
    if (!b.used || !b.has_vertex) continue;
    const double n_opt = result.k_params * std::pow(b.flops, result.a);
    const double u = std::log(n_opt / b.params);
    chart.optimum.x.push_back(n_opt);
    chart.optimum.y.push_back(b.loss + b.curvature * u * u);
  }
  return chart;
}

HparamCharts MakeHparamCharts(const HparamSweepResult& sweep) {
  HparamCharts charts;
  HparamChartData& lr = charts.lr;
  lr.title = fmt::format("Optimal peak LR = {:.4g} N^{:.4f} D^{:.4f}", sweep.lr.coef, sweep.lr.exp_params,
                         sweep.lr.exp_tokens);
  HparamChartData& batch = charts.batch;
  batch.title =
      fmt::format("Optimal batch = {:.4g} D^{:.4f} tokens", sweep.batch_tokens.coef, sweep.batch_tokens.exp_tokens);
  batch.x_label = "training tokens D";
  batch.y_label = "optimal batch size (tokens)";
  for (const HparamCell& cell : sweep.cells) {
    lr.x.push_back(cell.params);
    lr.y.push_back(cell.best_lr);
    lr.group.push_back(cell.tokens);
    batch.x.push_back(cell.tokens);
    batch.y.push_back(cell.best_batch_tokens);
  }
  lr.law = [law = sweep.lr](double n, double d) { return law(n, d); };
  batch.law = [law = sweep.batch_tokens](double d, double) { return law(d); };
  return charts;
}

}  // namespace scalelaw::plot
