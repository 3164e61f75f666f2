// Chart data of results: see result_charts.h.
#include "plot/result_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "fit/model_form.h"
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
      FrontierCurve([&frontier_loss](double c) { return frontier_loss(AtFlops(c)); }, chart.flops_min, chart.flops_max,
                    fmt::format("compute-optimal L_opt(C), N_opt ∝ C^{:.3f}", chart.frontier_exponent));
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

namespace {

// The fitted form at a set of points (its inputs by data name, n values each), evaluated as Fit evaluates it: the
// form rebuilt from the fit (ModelOf), its parameters converted to the optimiser's (ModelForm::FromNatural), and
// ModelForm::Predict over a design of the points built once, so that many parameter sets (the bootstrap draws)
// cost one evaluation each.
class FormAtPoints {
 public:
  FormAtPoints(const Model& model, const std::map<std::string, std::vector<double>>& inputs, std::size_t n)
      : model_(model), size_(n) {
    const detail::ModelForm& form = model_.form();
    Dataset points;
    points.loss.assign(n, 1.0);
    auto column = [&inputs](const std::string& name) -> const std::vector<double>& { return inputs.at(name); };
    if (form.needs_params_and_tokens()) {
      points.params = column("N");
      points.tokens = column("D");
      if (form.needs_unique_tokens()) points.unique_tokens = column("U");
    }
    for (const std::string& name : form.data_columns()) points.columns[name] = column(name);
    design_ = detail::LogDesign::From(points);
  }

  // L_hat at every point with these natural parameters (NaN where the form has no value); throws InvalidArgument
  // when they do not suit the form (a missing name, a log-scaled parameter that is not positive).
  std::vector<double> Values(const std::map<std::string, double>& natural) const {
    const std::vector<double> internal = model_.form().FromNatural(natural);
    std::vector<double> values(size_);
    if (size_ > 0) model_.form().Predict(internal.data(), design_, values.data(), nullptr);
    return values;
  }

 private:
  const Model& model_;
  std::size_t size_;
  detail::LogDesign design_;
};

double RootMeanSquare(const std::vector<double>& values) {
  if (values.empty()) return kNaN;
  double sum = 0;
  for (double v : values) sum += v * v;
  return std::sqrt(sum / static_cast<double>(values.size()));
}

bool Close(double a, double b) { return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b)); }

// The title of a fit's charts: its form ("sigmoid: d + c / ..."; a formula as written) and the runs shown.
std::string DiagnosticsTitle(const FitSummary& fit, std::size_t shown, std::size_t held_out) {
  const std::string form = fit.model.empty() || fit.model == "formula" || fit.model == fit.formula
                               ? fit.formula
                               : fit.model + ": " + fit.formula;
  std::string title = fmt::format("{}{}{} runs", form, form.empty() ? "" : ", ", shown);
  if (held_out > 0) title += fmt::format(" ({} held out)", held_out);
  return title;
}

}  // namespace

FitDiagnosticsData MakeFitDiagnostics(const FitSummary& fit, const std::map<std::string, std::vector<double>>& inputs,
                                      const std::vector<double>& y, const FitDiagnosticsOptions& options) {
  if (fit.params.empty()) throw InvalidArgument("the fit has no parameters to draw");
  const Model model = ModelOf(fit);
  const std::vector<std::string> names = fit.inputs.empty() ? model.inputs() : fit.inputs;
  const std::size_t n = y.size();
  for (const std::string& name : names) {
    const auto found = inputs.find(name);
    if (found == inputs.end()) throw InvalidArgument("the fit reads '" + name + "': give the runs' values of it");
    if (found->second.size() != n) {
      throw InvalidArgument(fmt::format("the runs' '{}' has {} values and their y {}: they must have the same length",
                                        name, found->second.size(), n));
    }
  }
  const std::vector<double> predicted = FormAtPoints(model, inputs, n).Values(fit.params);

  // The held-out runs: each of fit.holdout matched once, by N, D and y, to a run given.
  std::vector<bool> held(n, false);
  const auto params = inputs.find("N"), tokens = inputs.find("D");
  if (params != inputs.end() && tokens != inputs.end() && params->second.size() == n && tokens->second.size() == n) {
    for (const FitSummary::HeldOutRun& run : fit.holdout) {
      for (std::size_t i = 0; i < n; ++i) {
        if (!held[i] && Close(params->second[i], run.params) && Close(tokens->second[i], run.tokens) &&
            Close(y[i], run.loss)) {
          held[i] = true;
          break;
        }
      }
    }
  }

  FitDiagnosticsData data;
  data.y_label = options.y_label.empty() ? "y" : options.y_label;
  data.log_residual = fit.residual == Residual::kLog;
  const bool one_input = names.size() == 1;
  std::vector<double> fitted_residuals, held_residuals;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(y[i]) || !std::isfinite(predicted[i])) continue;
    if (data.log_residual && !(y[i] > 0 && predicted[i] > 0)) continue;
    // Observed minus predicted, on the scale the objective acted on (Hoffmann et al. 2022, arXiv:2203.15556,
    // App. D.2 fit log residuals; an objective on the loss itself takes y − ŷ).
    const double r = data.log_residual ? std::log(y[i]) - std::log(predicted[i]) : y[i] - predicted[i];
    data.observed.push_back(y[i]);
    data.predicted.push_back(predicted[i]);
    data.residual.push_back(r);
    data.held_out.push_back(held[i]);
    (held[i] ? held_residuals : fitted_residuals).push_back(r);
    if (one_input) data.input.push_back(inputs.at(names.front())[i]);
  }
  if (data.observed.empty()) {
    throw InvalidArgument(data.log_residual ? "no run has a finite positive y and prediction to draw"
                                            : "no run has a finite y and prediction to draw");
  }
  data.rms_fitted = RootMeanSquare(fitted_residuals);
  data.rms_held_out = RootMeanSquare(held_residuals);
  data.log_axes = data.log_residual;
  data.title = DiagnosticsTitle(fit, data.observed.size(), held_residuals.size());
  data.form = (fit.model.empty() ? std::string("formula") : fit.model) + " fit";
  if (!one_input) return data;

  // y against the one input: the law over the runs' range and a little beyond, on a log axis when the runs span
  // more than a decade of positive values.
  const std::string& name = names.front();
  const auto label = options.input_labels.find(name);
  data.input_label = label == options.input_labels.end() ? name : label->second;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (double x : data.input) {
    if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  }
  if (!(lo <= hi)) return data;
  data.log_input = lo > 0 && hi > 10 * lo;
  std::vector<double> xs;
  if (data.log_input) {
    xs = LogSpace(lo / 1.25, hi * 1.25, std::max(options.curve_points, 2));
  } else {
    const double span = hi > lo ? hi - lo : std::max(std::abs(lo), 1.0);
    double from = lo - 0.05 * span;
    if (lo > 0 && from <= 0) from = lo / 2;  // a positive input stays positive
    const double to = hi + 0.05 * span;
    const int points = std::max(options.curve_points, 2);
    for (int k = 0; k < points; ++k) xs.push_back(from + (to - from) * k / (points - 1));
  }
  const std::map<std::string, std::vector<double>> along{{name, xs}};
  const FormAtPoints curve(model, along, xs.size());
  data.curve.label = "fitted law";
  data.curve.x = xs;
  data.curve.y = curve.Values(fit.params);
  if (fit.bootstrap_draws.size() < 2) return data;

  // The band: at each point the 2.5 and 97.5 percentiles of the resamples' curves.
  std::vector<std::vector<double>> values(xs.size());
  for (const auto& draw : fit.bootstrap_draws) {
    std::vector<double> resampled;
    try {
      resampled = curve.Values(draw);
    } catch (const InvalidArgument&) {
      continue;
    }
    for (std::size_t k = 0; k < xs.size(); ++k) {
      if (std::isfinite(resampled[k])) values[k].push_back(resampled[k]);
    }
  }
  data.band.label = fmt::format("95% band, {} resamples", fit.bootstrap_draws.size());
  for (std::size_t k = 0; k < xs.size(); ++k) {
    std::sort(values[k].begin(), values[k].end());
    data.band.x.push_back(xs[k]);
    data.band.lower.push_back(values[k].empty() ? kNaN : detail::Percentile(values[k], 0.025));
    data.band.upper.push_back(values[k].empty() ? kNaN : detail::Percentile(values[k], 0.975));
  }
  return data;
}

FitDiagnosticsData MakeFitDiagnostics(const FitSummary& fit, const Dataset& runs,
                                      const FitDiagnosticsOptions& options) {
  const std::vector<std::string> names = fit.inputs.empty() ? ModelOf(fit).inputs() : fit.inputs;
  std::map<std::string, std::vector<double>> inputs;
  for (const std::string& name : names) {
    const std::vector<double>* own = name == "N"   ? &runs.params
                                     : name == "D" ? &runs.tokens
                                     : name == "U" ? &runs.unique_tokens
                                                   : nullptr;
    if (own != nullptr && !own->empty()) {
      inputs[name] = *own;
      continue;
    }
    const auto column = runs.columns.find(name);
    if (column == runs.columns.end())
      throw InvalidArgument("the fit reads '" + name + "': the runs have no values of it");
    inputs[name] = column->second;
  }
  // The held-out runs are matched by N and D: give them when the runs have them, even for a form that reads other
  // inputs.
  if (inputs.count("N") == 0 && runs.params.size() == runs.size()) inputs["N"] = runs.params;
  if (inputs.count("D") == 0 && runs.tokens.size() == runs.size()) inputs["D"] = runs.tokens;
  return MakeFitDiagnostics(fit, inputs, runs.loss, options);
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
