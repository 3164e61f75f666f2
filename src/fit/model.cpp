#include "scalelaw/fit/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "fit/model_form.h"
#include "fit/models/registered_forms.h"
#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {
namespace detail {

LogDesign LogDesign::From(const Dataset& data) {
  LogDesign design;
  const std::size_t n = data.size();
  design.log_params.resize(data.params.size());
  design.log_tokens.resize(data.tokens.size());
  design.log_loss.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!data.params.empty()) design.log_params[i] = std::log(data.params[i]);
    if (!data.tokens.empty()) design.log_tokens[i] = std::log(data.tokens[i]);
    design.log_loss[i] = data.loss[i] > 0 ? std::log(data.loss[i]) : std::numeric_limits<double>::quiet_NaN();
  }
  if (std::any_of(data.loss.begin(), data.loss.end(), [](double y) { return !(y > 0); })) design.loss = data.loss;
  design.weights = data.weights;
  design.unique_tokens = data.unique_tokens;
  design.columns = data.columns;
  for (const auto& [name, column] : data.columns) {
    std::vector<double>& logs = design.log_columns[name];
    logs.resize(column.size());
    for (std::size_t i = 0; i < column.size(); ++i) logs[i] = std::log(column[i]);
  }
  return design;
}

LogDesign LogDesign::Subset(const std::vector<int>& counts) const {
  LogDesign subset;
  const std::size_t n = size();
  const std::size_t drawn =
      static_cast<std::size_t>(std::count_if(counts.begin(), counts.end(), [](int c) { return c > 0; }));
  if (!log_params.empty()) subset.log_params.reserve(drawn);
  if (!log_tokens.empty()) subset.log_tokens.reserve(drawn);
  subset.log_loss.reserve(drawn);
  if (!loss.empty()) subset.loss.reserve(drawn);
  subset.weights.reserve(drawn);
  for (std::size_t i = 0; i < n; ++i) {
    if (counts[i] <= 0) continue;
    if (!log_params.empty()) subset.log_params.push_back(log_params[i]);
    if (!log_tokens.empty()) subset.log_tokens.push_back(log_tokens[i]);
    subset.log_loss.push_back(log_loss[i]);
    if (!loss.empty()) subset.loss.push_back(loss[i]);
    subset.weights.push_back(weight(i) * counts[i]);
    if (!unique_tokens.empty()) subset.unique_tokens.push_back(unique_tokens[i]);
    for (const auto& [name, column] : columns) subset.columns[name].push_back(column[i]);
    for (const auto& [name, logs] : log_columns) subset.log_columns[name].push_back(logs[i]);
  }
  return subset;
}

void ModelForm::PredictBlock(const double* internal, const LogDesign& design, std::size_t begin, std::size_t count,
                             double* prediction, double* jacobian) const {
  LogPredictBlock(internal, design, begin, count, prediction, jacobian);
  const std::size_t p = num_internal();
  for (std::size_t k = 0; k < count; ++k) {
    prediction[k] = std::exp(prediction[k]);
    if (jacobian == nullptr) continue;
    for (std::size_t j = 0; j < p; ++j) jacobian[k * p + j] *= prediction[k];
  }
}

std::size_t CountDistinctInputs(const ModelForm& form, const LogDesign& design, std::size_t enough) {
  std::vector<const std::vector<double>*> inputs;
  if (form.needs_params_and_tokens()) inputs.insert(inputs.end(), {&design.log_params, &design.log_tokens});
  if (form.needs_unique_tokens()) inputs.push_back(&design.unique_tokens);
  for (const std::string& name : form.data_columns()) {
    if (const auto it = design.columns.find(name); it != design.columns.end()) inputs.push_back(&it->second);
  }
  // Rows already seen to differ from each other; at most `enough` of them, so the scan costs O(n·enough).
  std::vector<std::size_t> distinct;
  auto same = [&](std::size_t a, std::size_t b) {
    for (const std::vector<double>* column : inputs) {
      if ((*column)[a] != (*column)[b]) return false;
    }
    return true;
  };
  for (std::size_t i = 0; i < design.size() && distinct.size() < enough; ++i) {
    if (std::none_of(distinct.begin(), distinct.end(), [&](std::size_t k) { return same(i, k); })) {
      distinct.push_back(i);
    }
  }
  return distinct.size();
}

std::string SingleBudgetProblem(const LogDesign& design) {
  constexpr double kRelativeSpread = 0.01;
  constexpr double kOneCurveSpan = 2;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < design.size(); ++i) {
    const double log_compute = design.log_params[i] + design.log_tokens[i];
    lo = std::min(lo, log_compute);
    hi = std::max(hi, log_compute);
  }
  if (hi - lo > std::log(kOneCurveSpan)) return {};
  if (hi - lo > std::log1p(kRelativeSpread)) {
    return fmt::format(
        "the runs' compute C = 6ND spans a factor {:.3g} only ({:.3g} to {:.3g} FLOPs), less than {:g}: the scatter "
        "of one isoFLOP curve around its budget cannot separate E from the terms of N and D; add runs at other "
        "budgets (scalelaw isoflop finds the minimum of each curve)",
        std::exp(hi - lo), 6 * std::exp(lo), 6 * std::exp(hi), kOneCurveSpan);
  }
  return fmt::format(
      "every run has the same compute C = 6ND ({:.3g} FLOPs, within 1%): one isoFLOP curve cannot show how the "
      "loss moves with compute; add runs at other budgets",
      6 * std::exp(0.5 * (lo + hi)));
}

double LogDesign::total_weight() const {
  if (weights.empty()) return static_cast<double>(size());
  double total = 0;
  for (double w : weights) total += w;
  return total;
}

bool HasDistinct(const std::vector<double>& values, std::size_t wanted) {
  std::vector<double> seen;  // at most wanted - 1 values: small
  seen.reserve(wanted);
  for (double v : values) {
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    if (seen.size() >= wanted) return true;
  }
  return seen.size() >= wanted;
}

std::vector<std::vector<double>> CartesianProduct(const std::vector<std::vector<double>>& axes) {
  std::vector<std::vector<double>> points{{}};
  for (const std::vector<double>& values : axes) {
    if (points.size() * values.size() > 1000000) {
      throw InvalidArgument("the starting grid has more than a million points");
    }
    std::vector<std::vector<double>> next;
    next.reserve(points.size() * values.size());
    for (const std::vector<double>& point : points) {
      for (double v : values) {
        next.push_back(point);
        next.back().push_back(v);
      }
    }
    points.swap(next);
  }
  return points;
}

std::vector<std::string> ModelForm::natural_names() const {
  std::vector<std::string> names;
  for (const Parameter& p : parameters()) names.push_back(p.natural);
  return names;
}

std::vector<std::string> ModelForm::internal_names() const {
  std::vector<std::string> names;
  for (const Parameter& p : parameters()) names.push_back(p.internal);
  return names;
}

std::vector<double> ModelForm::ToNatural(const double* internal) const {
  const std::vector<Parameter> spec = parameters();
  std::vector<double> natural(spec.size());
  for (std::size_t j = 0; j < spec.size(); ++j) natural[j] = spec[j].log_scaled ? std::exp(internal[j]) : internal[j];
  return natural;
}

std::vector<double> ModelForm::FromNatural(const std::map<std::string, double>& natural) const {
  const std::vector<Parameter> spec = parameters();
  std::vector<double> internal(spec.size());
  for (std::size_t j = 0; j < spec.size(); ++j) {
    const auto it = natural.find(spec[j].natural);
    if (it == natural.end()) {
      throw InvalidArgument("model '" + std::string(name()) + "' needs parameter '" + spec[j].natural + "'");
    }
    if (spec[j].log_scaled && !(it->second > 0)) {
      throw InvalidArgument("parameter '" + spec[j].natural + "' of model '" + std::string(name()) +
                            "' must be positive (got " + FormatNumber(it->second) + ")");
    }
    internal[j] = spec[j].log_scaled ? std::log(it->second) : it->second;
  }
  return internal;
}

std::size_t ModelForm::IndexOfNatural(const std::string& natural) const {
  const std::vector<Parameter> spec = parameters();
  std::string known;
  for (std::size_t j = 0; j < spec.size(); ++j) {
    if (spec[j].natural == natural) return j;
    known += (known.empty() ? "" : ", ") + spec[j].natural;
  }
  throw InvalidArgument("model '" + std::string(name()) + "' has no parameter '" + natural + "' (it has " + known +
                        ")");
}

const std::vector<const ModelForm*>& ModelRegistry() {
  static const std::vector<const ModelForm*> registry{&ChinchillaForm(), &KaplanForm(), &DataConstrainedForm()};
  return registry;
}

}  // namespace detail

Model Model::FromName(std::string_view name) {
  for (const detail::ModelForm* form : detail::ModelRegistry()) {
    if (form->name() == name) return Model(std::shared_ptr<const detail::ModelForm>(form, [](const auto*) {}));
  }
  for (const detail::FormulaPreset& preset : detail::FormulaPresets()) {
    if (preset.name == name) return Model(detail::MakeFormulaForm(preset));
  }
  if (name == "loglinear") {
    throw InvalidArgument("the loglinear model is a product of powers over input columns that must be named with it");
  }
  std::string known;
  for (const std::string& n : Names()) known += (known.empty() ? "" : ", ") + n;
  throw InvalidArgument("unknown model '" + std::string(name) + "' (known: " + known + ")");
}

Model Model::FromFormula(std::string_view formula, const std::vector<std::string>& column_names) {
  return Model(detail::MakeFormulaForm(formula, column_names));
}

Model Model::LogLinear(const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw InvalidArgument("the loglinear model needs at least one named input column");
  detail::FormulaPreset preset;
  preset.name = "loglinear";
  preset.citation =
      "a product of powers over the input columns named; least squares in log space with the objective "
      "squared-log (the Step Law's lr and batch laws, Li et al. 2025, are of this form)";
  preset.formula = "C";
  preset.columns = inputs;
  // log y = log C + sum_i k_i log x_i is linear in (log C, k): every log-residual objective is convex in them, so
  // one start (y = 1 everywhere) reaches the optimum, where a grid would start 3^(inputs + 1) fits.
  preset.grid["C"] = {1.0};
  preset.positive = {"C"};
  for (const std::string& input : inputs) {
    preset.formula += " * " + input + "^k_" + input;
    preset.grid["k_" + input] = {0.0};
  }
  return Model(detail::MakeFormulaForm(preset));
}

std::vector<std::string> Model::Names() {
  std::vector<std::string> names;
  for (const detail::ModelForm* form : detail::ModelRegistry()) names.emplace_back(form->name());
  for (const detail::FormulaPreset& preset : detail::FormulaPresets()) names.push_back(preset.name);
  names.push_back("loglinear");
  return names;
}

std::string_view Model::name() const { return form_->name(); }
std::string_view Model::formula() const { return form_->formula(); }
std::string_view Model::description() const { return form_->description(); }
std::vector<std::string> Model::inputs() const {
  if (!form_->needs_params_and_tokens()) return form_->data_columns();
  std::vector<std::string> inputs{"N", "D"};
  if (form_->needs_unique_tokens()) inputs.push_back("U");
  for (const std::string& column : form_->data_columns()) inputs.push_back(column);
  return inputs;
}

std::vector<Model> Model::Catalogue() {
  std::vector<Model> models;
  for (const std::string& name : Names()) {
    models.push_back(name == "loglinear" ? LogLinear({"x"}) : FromName(name));
  }
  return models;
}
std::vector<std::string> Model::parameter_names() const { return form_->natural_names(); }
std::vector<std::string> Model::data_columns() const { return form_->data_columns(); }

double Model::Predict(const std::map<std::string, double>& params, double params_count, double tokens) const {
  RequirePositive(params_count, "N (parameters)");
  RequirePositive(tokens, "D (tokens)");
  if (!form_->needs_params_and_tokens()) {
    std::string inputs;
    for (const std::string& input : form_->data_columns()) inputs += (inputs.empty() ? "" : ", ") + input;
    throw InvalidArgument("model '" + std::string(form_->name()) + "' reads " + inputs + ", not N and D");
  }
  const std::vector<double> internal = form_->FromNatural(params);
  if (form_->needs_unique_tokens()) {
    throw InvalidArgument("model '" + std::string(form_->name()) + "' also needs the unique tokens U");
  }
  Dataset one{{params_count}, {tokens}, {1.0}, {}, {}, {}};
  const detail::LogDesign design = detail::LogDesign::From(one);
  double prediction = 0;
  form_->Predict(internal.data(), design, &prediction, nullptr);
  return prediction;
}

}  // namespace scalelaw
