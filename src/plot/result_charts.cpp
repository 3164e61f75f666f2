// Chart data of results: see result_charts.h.
#include "plot/result_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "scalelaw/error.h"
#include "scalelaw/fit/fitted_law.h"
#include "util/resampling.h"

namespace scalelaw::plot {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// One output of a record evaluated with the given constants, as a function of its inputs: NaN where the law
// cannot answer (an input outside its domain, no optimum, constants it cannot take). Binds once, then reuses one
// Evaluation, so a curve of many points allocates nothing per point.
class BoundOutput {
 public:
  BoundOutput(const LawInfo& record, const Constants& constants, std::string_view key) : evaluation_(record) {
    evaluation_.detailed = false;
    evaluation_.collect_warnings = false;
    const auto at = std::find(record.outputs.begin(), record.outputs.end(), key);
    if (at == record.outputs.end()) return;
    try {
      evaluate_ = record.bind(constants);
    } catch (const Error&) {
      return;
    }
    index_ = static_cast<std::size_t>(at - record.outputs.begin());
  }

  bool Answers() const { return static_cast<bool>(evaluate_); }

  double operator()(const PredictionInputs& in) {
    if (!evaluate_) return kNaN;
    evaluation_.Reset();
    try {
      evaluate_(in, evaluation_);
    } catch (const Error&) {
      return kNaN;
    }
    return evaluation_.values[index_];
  }

 private:
  Evaluator evaluate_;
  Evaluation evaluation_;
  std::size_t index_ = 0;
};

PredictionInputs AtParamsTokens(double params, double tokens) {
  PredictionInputs in;
  in.SetUnchecked(Input::kParams, params);
  in.SetUnchecked(Input::kTokens, tokens);
  return in;
}

PredictionInputs AtFlops(double flops) {
  PredictionInputs in;
  in.SetUnchecked(Input::kFlops, flops);
  return in;
}

// The law's loss record when it reads N and D alone (the loss against C = 6ND is then a curve per model size).
const LawInfo* LossOfParamsAndTokens(const Law& law) {
  const LawInfo* record = law.Answer(Quantity::kLoss);
  if (record == nullptr || record->inputs.size() != 2 || !record->named_inputs.empty()) return nullptr;
  const auto reads = [record](Input input) {
    return std::find(record->inputs.begin(), record->inputs.end(), input) != record->inputs.end();
  };
  return reads(Input::kParams) && reads(Input::kTokens) ? record : nullptr;
}

}  // namespace

double FitBudget(const FitSummary& fit) {
  const auto n_opt = fit.derived.find("N_opt"), d_opt = fit.derived.find("D_opt");
  if (n_opt == fit.derived.end() || d_opt == fit.derived.end()) return kNaN;
  const double flops = 6 * n_opt->second * d_opt->second;
  return PositiveFinite(flops) ? flops : kNaN;
}

FitChart MakeFitChart(const Law& law, const std::vector<double>& params, const std::vector<double>& tokens,
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
  const LawInfo* loss_record = LossOfParamsAndTokens(law);
  const LawInfo* described = loss_record != nullptr ? loss_record : law.Answer(Quantity::kLoss);
  // A fitted record's formula already says "(fitted, model '...')"; a published one is named by its law.
  const std::string title = described == nullptr         ? law.name
                            : described->family == "fit" ? described->formula
                                                         : law.name + ": " + described->formula;

  // The model sizes the law is drawn for, and the compute the runs (or the law's range) span.
  std::vector<double> sizes = params, size_tokens = tokens;
  double observed = 0;
  LossVsComputeData& data = chart.data;
  if (has_runs) {
    chart.flops_min = *std::min_element(chart.runs.flops.begin(), chart.runs.flops.end());
    observed = *std::max_element(chart.runs.flops.begin(), chart.runs.flops.end());
    data.params = params;
    data.tokens = tokens;
    data.loss = loss;
    data.title = fmt::format("{}, {} runs", title, chart.runs.params.size());
  } else {
    if (loss_record == nullptr) {
      throw InvalidArgument("law '" + law.name + "' has no loss in N and D alone: give the runs to draw");
    }
    const ValidityRange& range = loss_record->range;
    if (!PositiveFinite(range.params_min) || !PositiveFinite(range.params_max) || !PositiveFinite(range.tokens_min) ||
        !PositiveFinite(range.tokens_max)) {
      throw InvalidArgument("law '" + law.name + "' records no range of N and D to draw over: give the runs");
    }
    sizes = LogSpace(range.params_min, range.params_max, 5);
    size_tokens.assign(sizes.size(), range.tokens_min);
    chart.flops_min = 6 * range.params_min * range.tokens_min;
    observed = 6 * range.params_max * range.tokens_max;
    data.title = title;
    data.extrapolation_label = "beyond the fitted range (C > 6·N_max·D_max = " + ShortNumber(observed) + ")";
  }
  if (data.extrapolation_label.empty()) data.extrapolation_label = "extrapolation (C > " + ShortNumber(observed) + ")";
  data.observed_max_flops = observed;

  chart.at_flops = PositiveFinite(options.at_flops) ? options.at_flops : kNaN;
  chart.flops_max = PositiveFinite(options.flops_max) ? options.flops_max : 100 * observed;
  if (std::isfinite(chart.at_flops)) chart.flops_max = std::max(chart.flops_max, chart.at_flops);

  if (loss_record != nullptr) {
    auto loss_at = std::make_shared<BoundOutput>(*loss_record, loss_record->constants, "loss");
    data.law_curves = LawCurvesPerSize(
        sizes, size_tokens, [loss_at](double n, double d) { return (*loss_at)(AtParamsTokens(n, d)); },
        chart.flops_max);
  }

  // The compute-optimal frontier L_opt(C) = L(N_opt(C), C/(6 N_opt(C))), from the law's own allocation: in closed
  // form for the Chinchilla form (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 4), by minimising along C = 6ND for
  // the other forms of N and D (scalelaw/fit/fitted_law.h). Only for a usable law.
  const LawInfo* allocation = law.Answer(Quantity::kAllocation);
  if (allocation == nullptr || !law.unusable_reason.empty()) return chart;
  BoundOutput frontier_loss(*allocation, allocation->constants, "loss");
  BoundOutput frontier_params(*allocation, allocation->constants, "params");
  if (!frontier_loss.Answers() || !frontier_params.Answers()) return chart;
  // N_opt ∝ C^a: the slope of ln N_opt over the drawn compute (exact for a power-law allocation).
  const double n_lo = frontier_params(AtFlops(chart.flops_min)), n_hi = frontier_params(AtFlops(chart.flops_max));
  if (!PositiveFinite(n_lo) || !PositiveFinite(n_hi) || !(chart.flops_max > chart.flops_min)) return chart;
  chart.frontier_exponent = std::log(n_hi / n_lo) / std::log(chart.flops_max / chart.flops_min);
  data.frontier =
      FrontierCurve([&frontier_loss](double c) { return frontier_loss(AtFlops(c)); }, chart.flops_min,
                    chart.flops_max, fmt::format("compute-optimal L_opt(C), N_opt ∝ C^{:.3f}", chart.frontier_exponent));
  if (law.resamples.size() < 2 || data.frontier.x.empty()) return chart;

  // The band: at each C the 2.5 and 97.5 percentiles of the resampled laws' frontiers (resamples without a
  // finite frontier there left out), each resample bound once for the whole curve.
  std::vector<std::vector<double>> losses(data.frontier.x.size());
  for (const Constants& draw : law.resamples) {
    BoundOutput resampled(*allocation, draw, "loss");
    for (std::size_t i = 0; i < data.frontier.x.size(); ++i) {
      const double l = resampled(AtFlops(data.frontier.x[i]));
      if (std::isfinite(l)) losses[i].push_back(l);
    }
  }
  chart.band_resamples = law.resamples.size();
  data.frontier_band.label = fmt::format("95% band, {} resamples", law.resamples.size());
  for (std::size_t i = 0; i < data.frontier.x.size(); ++i) {
    std::sort(losses[i].begin(), losses[i].end());
    data.frontier_band.x.push_back(data.frontier.x[i]);
    data.frontier_band.lower.push_back(losses[i].empty() ? kNaN : detail::Percentile(losses[i], 0.025));
    data.frontier_band.upper.push_back(losses[i].empty() ? kNaN : detail::Percentile(losses[i], 0.975));
  }
  return chart;
}

FitChart MakeFitChart(const FitSummary& fit, const std::vector<double>& params, const std::vector<double>& tokens,
                      const std::vector<double>& loss, const FitChartOptions& options) {
  FitChartOptions with_budget = options;
  if (!PositiveFinite(with_budget.at_flops)) with_budget.at_flops = FitBudget(fit);
  return MakeFitChart(FittedLaw(fit, "fit"), params, tokens, loss, with_budget);
}

IsoflopChartData MakeIsoflopChart(const IsoflopResult& result, const std::vector<IsoflopRun>& runs) {
  IsoflopChartData chart;
  const auto ci = result.uncertainty.find("a");
  const std::string band = ci == result.uncertainty.end()
                               ? ""
                               : fmt::format(" [{:.3f}, {:.3f}]", ci->second.ci95.first, ci->second.ci95.second);
  const std::string used = fmt::format("{} of {} budgets used", result.n_budgets_used, result.budgets.size());
  const std::string method =
      result.vertex == IsoflopVertex::kQuadratic ? "" : fmt::format(" ({} vertices)", IsoflopVertexName(result.vertex));
  chart.title = result.IsUsable() ? fmt::format("IsoFLOP profiles{}: N_opt = {:.4g}·C^{:.4f}{}, {}", method,
                                                result.k_params, result.a, band, used)
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
      const double c = run.budget > 0 ? run.budget : run.flops > 0 ? run.flops : 6 * run.params * run.tokens;
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
