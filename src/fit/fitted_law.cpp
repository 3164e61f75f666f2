#include "scalelaw/fit/fitted_law.h"

#include <fmt/format.h>

#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "fit/model_form.h"
#include "scalelaw/error.h"
#include "scalelaw/laws/inference_aware.h"
#include "scalelaw/laws/registry.h"

namespace scalelaw {
namespace {

// The Input a form's data name reads ("N", "D", "U", "x"), or none when the input table has no such quantity
// (a formula over a column of the user's own name).
std::optional<Input> InputOfDataName(const std::string& name) {
  if (name == "N") return Input::kParams;
  if (name == "D") return Input::kTokens;
  if (name == "U") return Input::kUniqueTokens;
  if (name == "x") return Input::kX;
  return std::nullopt;
}

std::map<std::string, double> AsMap(const Constants& constants) {
  return std::map<std::string, double>(constants.begin(), constants.end());
}

// The fitted form's loss at one point: a one-run design whose inputs are overwritten at each call, so an
// evaluation allocates nothing.
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
    for (const std::string& column : form.data_columns()) design_.columns[column] = {1.0};
  }

  // L at N = params, D = tokens (U from in when the form reads it), other data from in.
  double AtParamsTokens(double params, double tokens, const PredictionInputs& in) {
    RequirePositive(params, "N (parameters)");
    RequirePositive(tokens, "D (tokens)");
    design_.log_params[0] = std::log(params);
    design_.log_tokens[0] = std::log(tokens);
    if (!design_.unique_tokens.empty()) design_.unique_tokens[0] = in.Need(Input::kUniqueTokens);
    return Evaluate(in);
  }

  double At(const PredictionInputs& in) {
    if (!design_.log_params.empty()) return AtParamsTokens(in.Need(Input::kParams), in.Need(Input::kTokens), in);
    return Evaluate(in);
  }

 private:
  double Evaluate(const PredictionInputs& in) {
    for (auto& [column, values] : design_.columns) {
      const std::optional<Input> input = InputOfDataName(column);
      if (!input) throw InvalidArgument("the fit reads a column '" + column + "' that no prediction input names");
      values[0] = in.Need(*input);
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
  const auto [u, value] = boost::math::tools::brent_find_minima(f, hi * (best - 1) / kScan, hi * (best + 1) / kScan,
                                                                40, iterations);
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
  record.units = "as in the fitted runs";
  record.range = fit.data_range;
  record.confidence = fit.IsUsable() ? "a usable fit" : "NOT USABLE: " + fit.message;
  record.constants.assign(fit.params.begin(), fit.params.end());
  record.example = {};
  return record;
}

}  // namespace

Law FittedLaw(const FitSummary& fit, const std::string& name) {
  if (fit.params.empty()) throw InvalidArgument("the fit has no parameters (it did not run to an optimum)");
  Law law;
  law.name = name;
  for (const auto& draw : fit.bootstrap_draws) law.resamples.emplace_back(draw.begin(), draw.end());

  if (fit.model == "chinchilla") {
    // The published Chinchilla laws' records with the fitted constants: the same loss, and the same
    // compute-optimal, target-loss, inference-aware and dollar allocations.
    law.records.push_back(FittedRecord(FindLaw("chinchilla"), fit, name, Quantity::kLoss));
    law.records.push_back(FittedRecord(FindLaw("chinchilla-allocation"), fit, name, Quantity::kAllocation));
    return law;
  }

  // A formula's data are the identifiers that are not its parameters; the prediction inputs can name N, D and x.
  std::shared_ptr<const Model> model;
  try {
    model = std::make_shared<const Model>(fit.model == "formula" ? Model::FromFormula(fit.formula, {"N", "D", "x"})
                                                                 : Model::FromName(fit.model));
  } catch (const InvalidArgument&) {
    return law;  // loglinear over the user's columns: only Predict(fit, inputs) can evaluate it
  }
  for (const std::string& parameter : model->parameter_names()) {
    if (fit.params.count(parameter) == 0) return law;  // it reads columns of the user's own names
  }
  const detail::ModelForm& form = model->form();
  std::vector<Input> inputs;
  if (form.needs_params_and_tokens()) {
    inputs = {Input::kParams, Input::kTokens};
    if (form.needs_unique_tokens()) inputs.push_back(Input::kUniqueTokens);
  }
  for (const std::string& column : form.data_columns()) {
    const std::optional<Input> input = InputOfDataName(column);
    if (!input) return law;  // a column of the user's own name: only Predict(fit, inputs) can evaluate it
    inputs.push_back(*input);
  }

  LawInfo loss = FittedRecord(LawInfo{}, fit, name, Quantity::kLoss);
  loss.inputs = inputs;
  loss.outputs = {"loss"};
  loss.bind = [model](const Constants& c) -> Evaluator {
    auto evaluate = std::make_shared<FormLoss>(model, c);
    return [evaluate](const PredictionInputs& in, Evaluation& e) {
      e.Set("loss", evaluate->At(in));
      if (in.Has(Input::kParams) && in.Has(Input::kTokens)) e.CheckRange(in.Get(Input::kParams), in.Get(Input::kTokens));
    };
  };
  law.records.push_back(loss);
  if (!form.needs_params_and_tokens()) return law;

  LawInfo allocation = FittedRecord(LawInfo{}, fit, name, Quantity::kAllocation);
  allocation.inputs = {Input::kFlops};
  if (form.needs_unique_tokens()) allocation.inputs.push_back(Input::kUniqueTokens);
  allocation.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
  allocation.outputs = {"params", "tokens", "flops", "tokens_per_param", "loss", "epochs"};
  const bool reads_unique = form.needs_unique_tokens();
  allocation.bind = [model, reads_unique](const Constants& c) -> Evaluator {
    auto evaluate = std::make_shared<FormLoss>(model, c);
    return [evaluate, reads_unique](const PredictionInputs& in, Evaluation& e) {
      if (in.Has(Input::kTargetLoss)) {
        throw NotApplicable("allocates a budget ({0}), not a target loss ({1}), for this form",
                            {Input::kFlops, Input::kTargetLoss});
      }
      if (in.Has(Input::kInferenceTokens)) {
        throw NotApplicable("has no inference-aware allocation ({0}) for this form", {Input::kInferenceTokens});
      }
      double best_loss = 0;
      const Allocation a = MinimiseAlongBudget(*evaluate, in.Need(Input::kFlops), in, &best_loss);
      e.Set("params", a.params);
      e.Set("tokens", a.tokens);
      e.Set("flops", a.flops);
      e.Set("tokens_per_param", a.tokens / a.params);
      e.Set("loss", best_loss);
      e.Set("epochs", reads_unique ? a.tokens / in.Need(Input::kUniqueTokens) : 1.0);
      e.Note("N and D minimise the fitted loss along C = 6ND (no closed form for this model)");
      e.CheckRange(a.params, a.tokens);
    };
  };
  law.records.push_back(allocation);
  return law;
}

}  // namespace scalelaw
