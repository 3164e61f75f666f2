#include "scalelaw/fit/fitted_law.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "fit/model_form.h"
#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/laws/inference_aware.h"
#include "scalelaw/laws/registry.h"

namespace scalelaw {

std::optional<Input> InputOfFormName(std::string_view name) {
  if (name == "N") return Input::kParams;
  if (name == "D") return Input::kTokens;
  if (name == "U") return Input::kUniqueTokens;
  if (name == "x") return Input::kX;
  return std::nullopt;
}

namespace {

std::map<std::string, double> AsMap(const Constants& constants) {
  return std::map<std::string, double>(constants.begin(), constants.end());
}

// The fitted form's loss at one point: a one-run design whose inputs are overwritten at each call, so an
// evaluation allocates nothing. A named form reads N, D (and U) from their own fields of the design; a formula
// reads every input as a column (N and D among them when it names them), with its logarithm beside it.
class FormLoss {
 public:
  FormLoss(std::shared_ptr<const Model> model, const Constants& constants)
      : model_(std::move(model)), internal_(model_->form().FromNatural(AsMap(constants))) {
    const detail::ModelForm& form = model_->form();
    design_.log_loss = {0.0};
    if (form.needs_params_and_tokens()) {
      design_.log_params = {0.0};
      design_.log_tokens = {0.0};
      if (form.needs_unique_tokens()) design_.unique_tokens = {1.0};
    }
    for (const std::string& column : form.data_columns()) {
      design_.columns[column] = {1.0};
      design_.log_columns[column] = {0.0};
    }
  }

  // Whether the form reads N and D (as a named form, or as a formula's columns N and D): it can then be
  // evaluated along C = 6ND.
  bool ReadsParamsAndTokens() const {
    return !design_.log_params.empty() || (design_.columns.count("N") > 0 && design_.columns.count("D") > 0);
  }

  // L at N = params, D = tokens, the form's other inputs from in.
  double AtParamsTokens(double params, double tokens, const PredictionInputs& in) {
    RequirePositive(params, "N (parameters)");
    RequirePositive(tokens, "D (tokens)");
    return Evaluate(in, params, tokens);
  }

  double At(const PredictionInputs& in) {
    const bool reads_params = !design_.log_params.empty() || design_.columns.count("N") > 0;
    const bool reads_tokens = !design_.log_params.empty() || design_.columns.count("D") > 0;
    return Evaluate(in, reads_params ? in.Need(Input::kParams) : kNone, reads_tokens ? in.Need(Input::kTokens) : kNone);
  }

 private:
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

  double Evaluate(const PredictionInputs& in, double params, double tokens) {
    if (!design_.log_params.empty()) {
      design_.log_params[0] = std::log(params);
      design_.log_tokens[0] = std::log(tokens);
      if (!design_.unique_tokens.empty()) design_.unique_tokens[0] = in.Need(Input::kUniqueTokens);
    }
    for (auto& [column, values] : design_.columns) {
      const std::optional<Input> input = InputOfFormName(column);
      if (input == Input::kParams) {
        values[0] = params;
      } else if (input == Input::kTokens) {
        values[0] = tokens;
      } else {
        values[0] = input ? in.Need(*input) : in.NeedNamed(column);
      }
      design_.log_columns[column][0] = std::log(values[0]);
    }
    double log_prediction = 0;
    model_->form().LogPredict(internal_.data(), design_, &log_prediction, nullptr);
    return std::exp(log_prediction);
  }

  std::shared_ptr<const Model> model_;
  std::vector<double> internal_;
  detail::LogDesign design_;
};

// min over ln N of L(N, C/(6N)), 1 <= N <= C/6: a scan of 241 points, then Brent's method (Brent 1973) between the
// best point's neighbours. Throws InvalidArgument when the best point is on the edge (the law keeps falling
// toward N = 1 or D = 1: no compute-optimal split).
Allocation MinimiseAlongBudget(FormLoss& loss, double flops, const PredictionInputs& in, double* best_loss) {
  const double hi = std::log(flops / 6);
  if (!(hi > 0)) throw InvalidArgument("C = " + FormatNumber(flops) + " FLOPs is too small to split");
  auto f = [&](double u) {
    try {
      const double value = loss.AtParamsTokens(std::exp(u), flops / (6 * std::exp(u)), in);
      return std::isfinite(value) ? value : std::numeric_limits<double>::infinity();
    } catch (const InvalidArgument&) {
      return std::numeric_limits<double>::infinity();
    }
  };
  constexpr int kScan = 240;
  int best = 0;
  double best_value = std::numeric_limits<double>::infinity();
  for (int k = 0; k <= kScan; ++k) {
    const double value = f(hi * k / kScan);
    if (value < best_value) best_value = value, best = k;
  }
  if (!std::isfinite(best_value) || best == 0 || best == kScan) {
    throw InvalidArgument("the fitted law has no compute-optimal split of C = " + FormatNumber(flops) +
                          " FLOPs: its loss keeps falling toward " + (best == 0 ? "N = 1" : "D = 1"));
  }
  std::uintmax_t iterations = 200;
  const auto [u, value] =
      boost::math::tools::brent_find_minima(f, hi * (best - 1) / kScan, hi * (best + 1) / kScan, 40, iterations);
  Allocation a;
  a.flops = flops;
  a.params = std::exp(u);
  a.tokens = flops / (6 * a.params);
  *best_loss = value;
  return a;
}

LawInfo FittedRecord(const LawInfo& shape, const FitSummary& fit, const std::string& name, Quantity quantity) {
  LawInfo record = shape;
  record.name = name;
  record.family = "fit";
  record.quantity = quantity;
  record.formula = (fit.formula.empty() ? fit.model : fit.formula) + " (fitted, model '" + fit.model + "')";
  record.citation = Citation{"fitted by scalelaw", 0, "", "", ""};
  record.params_definition = "as in the fitted runs";
  record.params_kind = std::nullopt;  // the runs' N, whatever its definition: a given N is read as it is
  record.schedule = {};               // the runs' own schedule, which the fit does not know
  record.units = "as in the fitted runs";
  record.range = fit.data_range;
  record.confidence = fit.IsUsable() ? "a usable fit" : "NOT USABLE: " + fit.message;
  record.constants.assign(fit.params.begin(), fit.params.end());
  record.example = {};
  return record;
}

// The vocabulary size under a fitted Tao et al. 2024 Approach 3 loss (arXiv:2407.13623): the tao-vocab record,
// whose solver works in the repository's normalised units n = N/1e6, v dd = Nv/1e6, u = D/1e9, so a fitted
// A2 Nv^-alpha2 is A2 1e6^-alpha2 (Nv/1e6)^-alpha2 there, B D^-beta is B 1e9^-beta (D/1e9)^-beta and A1 N^-beta
// is A1 1e6^-beta (N/1e6)^-beta; E only shifts the loss. The record reads the fit's own parameter names (its
// resamples have them too) and converts them when it binds. Approaches 1 and 2 are other fits: not answered.
LawInfo VocabularyRecord(const FitSummary& fit, const std::string& name) {
  LawInfo record = FittedRecord(FindLaw("tao-vocab"), fit, name, Quantity::kVocabularySize);
  const auto published = FindLaw("tao-vocab").bind;
  record.bind = [published](const Constants& c) -> Evaluator {
    const double beta = ConstantValue(c, "beta", "vocab fit"), alpha2 = ConstantValue(c, "alpha2", "vocab fit");
    const Evaluator evaluate =
        published({{"approach3_A1", ConstantValue(c, "A1", "vocab fit") * std::pow(1e6, -beta)},
                   {"approach3_A2", ConstantValue(c, "A2", "vocab fit") * std::pow(1e6, -alpha2)},
                   {"approach3_B", ConstantValue(c, "B", "vocab fit") * std::pow(1e9, -beta)},
                   {"approach3_E", -ConstantValue(c, "E", "vocab fit")},
                   {"approach3_alpha1", beta},
                   {"approach3_alpha2", alpha2},
                   {"approach3_beta", beta}});
    return [evaluate](const PredictionInputs& in, Evaluation& e) {
      if (in.Get(Input::kVocabApproach) != 3) {
        throw NotApplicable("answers {0} 3 only (a fit of the Approach 3 loss)", {Input::kVocabApproach});
      }
      evaluate(in, e);
    };
  };
  return record;
}

}  // namespace

Law FittedLaw(const FitSummary& fit, const std::string& name) {
  if (fit.params.empty()) throw InvalidArgument("the fit has no parameters (it did not run to an optimum)");
  Law law;
  law.name = name;
  if (!fit.IsUsable()) law.unusable_reason = fit.message;
  for (const auto& draw : fit.bootstrap_draws) law.resamples.emplace_back(draw.begin(), draw.end());
  law.noise.residuals = fit.residuals;
  law.noise.log_scale = fit.residual == Residual::kLog;
  law.noise.free_parameters = fit.free_parameters;

  if (fit.model == "chinchilla") {
    // The published Chinchilla laws' records with the fitted constants: the same loss, and the same
    // compute-optimal, target-loss, inference-aware and dollar allocations.
    law.records.push_back(FittedRecord(FindLaw("chinchilla"), fit, name, Quantity::kLoss));
    law.records.push_back(FittedRecord(FindLaw("chinchilla-allocation"), fit, name, Quantity::kAllocation));
    return law;
  }

  // The form as it was fitted (its data columns included); the prediction inputs can name N, D, U and x.
  std::shared_ptr<const Model> model;
  try {
    model = std::make_shared<const Model>(ModelOf(fit));
  } catch (const InvalidArgument&) {
    return law;  // a summary that names no form (built by hand): nothing to evaluate
  }
  for (const std::string& parameter : model->parameter_names()) {
    if (fit.params.count(parameter) == 0) return law;
  }
  const detail::ModelForm& form = model->form();
  if (fit.model == "vocab") law.records.push_back(VocabularyRecord(fit, name));
  std::vector<Input> inputs;
  if (form.needs_params_and_tokens()) {
    inputs = {Input::kParams, Input::kTokens};
    if (form.needs_unique_tokens()) inputs.push_back(Input::kUniqueTokens);
  }
  std::vector<std::string> named_inputs;  // columns of the user's own names ("C", "Nv")
  for (const std::string& column : form.data_columns()) {
    const std::optional<Input> input = InputOfFormName(column);
    if (input) {
      inputs.push_back(*input);
    } else {
      named_inputs.push_back(column);
    }
  }

  LawInfo loss = FittedRecord(LawInfo{}, fit, name, Quantity::kLoss);
  loss.inputs = inputs;
  loss.named_inputs = named_inputs;
  loss.outputs = {"loss"};
  loss.bind = [model](const Constants& c) -> Evaluator {
    auto evaluate = std::make_shared<FormLoss>(model, c);
    return [evaluate](const PredictionInputs& in, Evaluation& e) {
      e.Set("loss", evaluate->At(in));
      if (in.Has(Input::kParams) && in.Has(Input::kTokens))
        e.CheckRange(in.Get(Input::kParams), in.Get(Input::kTokens));
    };
  };
  law.records.push_back(loss);
  if (!FormLoss(model, loss.constants).ReadsParamsAndTokens()) return law;

  // The split of C between N and D; the form's other inputs (U, a formula's own columns) are inputs of the
  // allocation too.
  LawInfo allocation = FittedRecord(LawInfo{}, fit, name, Quantity::kAllocation);
  allocation.inputs = {Input::kFlops};
  for (Input input : inputs) {
    if (input != Input::kParams && input != Input::kTokens) allocation.inputs.push_back(input);
  }
  allocation.named_inputs = named_inputs;
  allocation.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
  allocation.outputs = {"params", "tokens", "flops", "tokens_per_param", "loss", "epochs"};
  const bool reads_unique = std::find(inputs.begin(), inputs.end(), Input::kUniqueTokens) != inputs.end();
  allocation.bind = [model, reads_unique](const Constants& c) -> Evaluator {
    auto evaluate = std::make_shared<FormLoss>(model, c);
    return [evaluate, reads_unique](const PredictionInputs& in, Evaluation& e) {
      if (in.Has(Input::kTargetLoss)) {
        throw NotApplicable("allocates a budget ({0}), not a target loss ({1}), for this form",
                            {Input::kFlops, Input::kTargetLoss});
      }
      if (in.Has(Input::kInferenceTokens) || in.Has(Input::kLifetimeFlops)) {
        throw NotApplicable("has no inference-aware allocation ({0}, {1}) for this form",
                            {Input::kInferenceTokens, Input::kLifetimeFlops});
      }
      double best_loss = 0;
      const Allocation a = MinimiseAlongBudget(*evaluate, in.Need(Input::kFlops), in, &best_loss);
      e.SetSplit(a.params, a.tokens, a.flops);
      e.Set("loss", best_loss);
      e.Set("epochs", reads_unique ? a.tokens / in.Need(Input::kUniqueTokens) : 1.0);
      e.Note("N and D minimise the fitted loss along C = 6ND (no closed form for this model)");
      e.CheckRange(a.params, a.tokens);
    };
  };
  law.records.push_back(allocation);
  return law;
}

namespace {

// The (N, D) box of a sweep's or an isoFLOP analysis's cells.
ValidityRange BoxOf(const std::vector<std::pair<double, double>>& points) {
  ValidityRange range;
  for (const auto& [n, d] : points) {
    if (!(n > 0 && d > 0)) continue;
    range.params_min = range.params_min > 0 ? std::min(range.params_min, n) : n;
    range.params_max = std::max(range.params_max, n);
    range.tokens_min = range.tokens_min > 0 ? std::min(range.tokens_min, d) : d;
    range.tokens_max = std::max(range.tokens_max, d);
  }
  return range;
}

LawInfo AnalysisRecord(LawInfo record, const std::string& name, const std::string& what, const ValidityRange& range,
                       bool usable, const std::string& message) {
  record.name = name;
  record.family = "fit";
  record.citation = Citation{"fitted by scalelaw", 0, "", "", ""};
  record.params_definition = "as in the fitted runs";
  record.params_kind = std::nullopt;
  record.schedule = {};
  record.range = range;
  record.confidence = usable ? "a usable " + what : "NOT USABLE: " + message;
  record.example = {};
  return record;
}

}  // namespace

Law FittedLaw(const HparamSweepResult& sweep, const std::string& name) {
  // The Step Law's records (Li et al. 2025, arXiv:2503.04715) with the sweep's own constants by their names.
  auto constants = [](const std::map<std::string, double>& q) {
    return Constants{{"lr_coefficient", q.at("lr.coef")},
                     {"lr_params_exponent", q.at("lr.exp_params")},
                     {"lr_tokens_exponent", q.at("lr.exp_tokens")},
                     {"batch_coefficient", q.at("batch_tokens.coef")},
                     {"batch_tokens_exponent", q.at("batch_tokens.exp_tokens")}};
  };
  const std::map<std::string, double> fitted = {{"lr.coef", sweep.lr.coef},
                                                {"lr.exp_params", sweep.lr.exp_params},
                                                {"lr.exp_tokens", sweep.lr.exp_tokens},
                                                {"batch_tokens.coef", sweep.batch_tokens.coef},
                                                {"batch_tokens.exp_tokens", sweep.batch_tokens.exp_tokens}};
  std::vector<std::pair<double, double>> cells;
  for (const HparamCell& cell : sweep.cells) cells.emplace_back(cell.params, cell.tokens);
  const ValidityRange range = BoxOf(cells);
  Law law;
  law.name = name;
  if (!sweep.IsUsable()) law.unusable_reason = sweep.message;
  for (const char* shape : {"step-lr", "step-batch"}) {
    LawInfo record =
        AnalysisRecord(FindLaw(shape), name, "learning-rate and batch sweep", range, sweep.IsUsable(), sweep.message);
    record.formula = std::string(shape) == "step-lr"
                         ? "eta_opt = " + FormatNumber(sweep.lr.coef) + " N^" + FormatNumber(sweep.lr.exp_params) +
                               " D^" + FormatNumber(sweep.lr.exp_tokens) + " (fitted)"
                         : "B_opt = " + FormatNumber(sweep.batch_tokens.coef) + " D^" +
                               FormatNumber(sweep.batch_tokens.exp_tokens) + " tokens (fitted)";
    record.units = "as in the sweep: peak LR under its schedule; B in tokens per step";
    record.constants = constants(fitted);
    law.records.push_back(std::move(record));
  }
  for (const auto& draw : sweep.bootstrap_draws) law.resamples.push_back(constants(draw));
  return law;
}

Law FittedLaw(const IsoflopResult& isoflop, const std::string& name) {
  std::vector<std::pair<double, double>> vertices;
  for (const IsoflopBudget& budget : isoflop.budgets) {
    if (budget.used) vertices.emplace_back(budget.params, budget.tokens);
  }
  LawInfo record =
      AnalysisRecord(LawInfo{}, name, "isoFLOP analysis", BoxOf(vertices), isoflop.IsUsable(), isoflop.message);
  record.quantity = Quantity::kAllocation;
  record.formula = "N_opt = " + FormatNumber(isoflop.k_params) + " C^" + FormatNumber(isoflop.a) +
                   ", D_opt = " + FormatNumber(isoflop.k_tokens) + " C^" + FormatNumber(isoflop.b) +
                   " (fitted, Approach 2)";
  record.units = "C in FLOPs as the runs counted it; N and D as in the runs";
  record.constants = {
      {"a", isoflop.a}, {"k_params", isoflop.k_params}, {"b", isoflop.b}, {"k_tokens", isoflop.k_tokens}};
  record.inputs = {Input::kFlops};
  record.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
  record.outputs = {"params", "tokens", "flops", "tokens_per_param"};
  record.bind = [](const Constants& c) -> Evaluator {
    const double a = ConstantValue(c, "a", "isoflop"), k = ConstantValue(c, "k_params", "isoflop");
    const double b = ConstantValue(c, "b", "isoflop"), k_tokens = ConstantValue(c, "k_tokens", "isoflop");
    return [a, k, b, k_tokens](const PredictionInputs& in, Evaluation& e) {
      RequireBudgetOnly(in);
      const double flops = in.Need(Input::kFlops);
      const double n = k * std::pow(flops, a), d = k_tokens * std::pow(flops, b);
      e.SetSplit(n, d, flops);
      e.Note("N_opt and D_opt are fitted separately to the budgets' vertices, so 6 N_opt D_opt need not equal C");
      e.CheckRange(n, d);
    };
  };
  Law law;
  law.name = name;
  if (!isoflop.IsUsable()) law.unusable_reason = isoflop.message;
  law.records.push_back(std::move(record));
  for (const auto& draw : isoflop.bootstrap_draws) {
    law.resamples.push_back({{"a", draw.at("a")},
                             {"k_params", draw.at("k_params")},
                             {"b", draw.at("b")},
                             {"k_tokens", draw.at("k_tokens")}});
  }
  return law;
}

Law LawFromJson(std::string_view text, const std::string& source_name, const std::string& name) {
  using nlohmann::json;
  const json in = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) throw InputError(source_name, 0, "", "not valid JSON");
  if (!in.is_object()) {
    throw InputError(source_name, 0, "",
                     "not a JSON object written by scalelaw fit, fit-hparams, isoflop or curve fit");
  }
  if (in.contains("model")) return FittedLaw(FitFromJson(text, source_name), name);
  if (in.value("method", "") == "isoflop") return FittedLaw(IsoflopFromJson(text, source_name), name);
  if (in.contains("lr") && in.contains("batch_tokens")) return FittedLaw(HparamSweepFromJson(text, source_name), name);
  if (in.contains("form") && in.contains("reference_params")) {
    return FittedLaw(CurveSizeFitFromJson(text, source_name), name);
  }
  if (in.contains("form") && in.contains("curves")) return FittedLaw(CurveFitFromJson(text, source_name), name);
  throw InputError(source_name, 0, "",
                   "not a fit, fit-hparams, isoflop or curve fit result written by scalelaw (no \"model\", \"lr\", "
                   "\"method\" or \"form\" key)");
}

Law ReadLawJson(const std::string& path, const std::string& name) {
  return LawFromJson(detail::ReadWholeFile(path), detail::DisplayName(path), name);
}

}  // namespace scalelaw
