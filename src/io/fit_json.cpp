#include "scalelaw/io/fit_json.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "fit/model_form.h"
#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/formula.h"

namespace scalelaw {
namespace {

using nlohmann::json;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

// A bound as written: an open side (+-infinity) is null, its sign given by its place in the pair.
json Bound(double value) { return std::isinf(value) ? json(nullptr) : json(value); }

json OptionsToJson(const FitOptions& options) {
  json out;
  out["estimator"] = std::string(EstimatorName(options.estimator));
  out["objective"] = std::string(ObjectiveName(options.objective));
  // null: the objective's own residual (ObjectiveInfo::residual).
  out["residual"] = options.residual ? json(std::string(ResidualName(*options.residual))) : json(nullptr);
  out["asymmetry"] = options.asymmetry;
  out["huber_delta"] = options.huber_delta;
  out["max_iterations_per_start"] = options.max_iterations_per_start;
  out["screening_tolerance"] = options.screening_tolerance;
  out["basin_relative_tolerance"] = options.basin_relative_tolerance;
  out["polish"] = options.polish;
  // null: infinity (never judged), which JSON cannot spell.
  out["max_parameter_span"] =
      std::isfinite(options.max_parameter_span) ? json(options.max_parameter_span) : json(nullptr);
  out["start_strategy"] = std::string(StartStrategyName(options.start_strategy));
  out["latin_hypercube_starts"] = options.latin_hypercube_starts;
  out["projected_starts"] = options.projected_starts;
  out["start_seed"] = options.start_seed;
  out["starts"] = options.starts;
  out["grid"] = options.grid;
  out["fixed"] = options.fixed;
  out["tied"] = json::array();
  for (const auto& [leader, follower] : options.tied) out["tied"].push_back({leader, follower});
  out["bounds"] = json::object();
  for (const auto& [name, range] : options.bounds) out["bounds"][name] = {Bound(range.first), Bound(range.second)};
  out["bootstrap_resamples"] = options.bootstrap_resamples;
  out["bootstrap_seed"] = options.bootstrap_seed;
  out["holdout_top"] = options.holdout_top;
  out["at_flops"] = Number(options.at_flops);
  return out;
}

// Reads the JSON of FitToJson, each key checked for the type it was written with. Throws InputError naming the
// source and the key.
class FitReader {
 public:
  explicit FitReader(const std::string& source_name) : source_(source_name) {}

  InputError Fail(const std::string& key, const std::string& problem) const {
    return InputError(source_, 0, "", "key \"" + key + "\": " + problem);
  }

  // A count as written by FitToJson: absent (0), or a whole number from 0 to INT_MAX (a cast of anything
  // else to int would be undefined). With lowest = -1, also -1 (an index that is none).
  int Count(const json& object, const char* key, const std::string& shown, int lowest = 0) const {
    if (!object.contains(key) || !object[key].is_number()) return 0 > lowest ? lowest : 0;
    const double value = object[key].get<double>();
    if (!(value >= lowest && value <= std::numeric_limits<int>::max() && value == std::floor(value))) {
      throw Fail(shown, "expected a whole number from " + std::to_string(lowest) + " to " +
                            std::to_string(std::numeric_limits<int>::max()));
    }
    return static_cast<int>(value);
  }

  // A number, or null for one that was not finite (NaN).
  double NumberOrNull(const json& value, const std::string& shown) const {
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!value.is_number()) throw Fail(shown, "not a number");
    return value.get<double>();
  }

  std::vector<std::string> Strings(const json& value, const std::string& shown) const {
    if (!value.is_array()) throw Fail(shown, "expected an array of strings");
    std::vector<std::string> out;
    for (const json& item : value) {
      if (!item.is_string()) throw Fail(shown, "expected an array of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::vector<double> Numbers(const json& value, const std::string& shown) const {
    if (!value.is_array()) throw Fail(shown, "expected an array of numbers");
    std::vector<double> out;
    for (const json& item : value) {
      if (!item.is_number()) throw Fail(shown, "expected an array of numbers");
      out.push_back(item.get<double>());
    }
    return out;
  }

  std::uint64_t Seed(const json& value, const std::string& shown) const {
    if (!value.is_number_unsigned()) throw Fail(shown, "expected a whole number from 0 to 2^64 - 1");
    return value.get<std::uint64_t>();
  }

  FitOptions Options(const json& in) const {
    if (!in.is_object()) throw Fail("options", "expected an object");
    FitOptions options;
    auto key = [](const char* name) { return std::string("options.") + name; };
    auto named = [&](const char* name, auto from_name, auto* target) {
      if (!in.contains(name)) return;
      if (!in[name].is_string()) throw Fail(key(name), "not a string");
      try {
        *target = from_name(in[name].get<std::string>());
      } catch (const InvalidArgument& error) {
        throw Fail(key(name), error.what());
      }
    };
    named("estimator", EstimatorFromName, &options.estimator);
    named("objective", ObjectiveFromName, &options.objective);
    if (in.contains("residual") && !in["residual"].is_null()) {
      Residual residual = Residual::kLog;
      named("residual", ResidualFromName, &residual);
      options.residual = residual;
    }
    named("start_strategy", StartStrategyFromName, &options.start_strategy);
    auto number = [&](const char* name, double* target) {
      if (in.contains(name)) *target = NumberOrNull(in[name], key(name));
    };
    number("asymmetry", &options.asymmetry);
    number("huber_delta", &options.huber_delta);
    number("screening_tolerance", &options.screening_tolerance);
    number("basin_relative_tolerance", &options.basin_relative_tolerance);
    number("max_parameter_span", &options.max_parameter_span);
    if (std::isnan(options.max_parameter_span)) options.max_parameter_span = std::numeric_limits<double>::infinity();
    number("at_flops", &options.at_flops);
    auto count = [&](const char* name, int* target) {
      if (in.contains(name)) *target = Count(in, name, key(name));
    };
    count("max_iterations_per_start", &options.max_iterations_per_start);
    count("latin_hypercube_starts", &options.latin_hypercube_starts);
    count("projected_starts", &options.projected_starts);
    count("bootstrap_resamples", &options.bootstrap_resamples);
    count("holdout_top", &options.holdout_top);
    if (in.contains("polish")) {
      if (!in["polish"].is_boolean()) throw Fail(key("polish"), "not true or false");
      options.polish = in["polish"].get<bool>();
    }
    if (in.contains("start_seed")) options.start_seed = Seed(in["start_seed"], key("start_seed"));
    if (in.contains("bootstrap_seed")) options.bootstrap_seed = Seed(in["bootstrap_seed"], key("bootstrap_seed"));
    if (in.contains("starts")) {
      if (!in["starts"].is_array()) throw Fail(key("starts"), "expected an array of starting points");
      for (const json& start : in["starts"]) options.starts.push_back(Numbers(start, key("starts")));
    }
    auto object = [&](const char* name) -> const json* {
      if (!in.contains(name)) return nullptr;
      if (!in[name].is_object()) throw Fail(key(name), "expected an object");
      return &in[name];
    };
    if (const json* grid = object("grid")) {
      for (const auto& [name, values] : grid->items()) options.grid[name] = Numbers(values, key("grid.") + name);
    }
    if (const json* fixed = object("fixed")) {
      for (const auto& [name, value] : fixed->items()) {
        if (!value.is_number()) throw Fail(key("fixed.") + name, "not a number");
        options.fixed[name] = value.get<double>();
      }
    }
    if (const json* bounds = object("bounds")) {
      // null is an open side: -infinity below, +infinity above.
      for (const auto& [name, pair] : bounds->items()) {
        if (!pair.is_array() || pair.size() != 2 || !(pair[0].is_number() || pair[0].is_null()) ||
            !(pair[1].is_number() || pair[1].is_null())) {
          throw Fail(key("bounds.") + name, "expected [lower, upper] (null for an open side)");
        }
        const double infinity = std::numeric_limits<double>::infinity();
        options.bounds[name] = {pair[0].is_null() ? -infinity : pair[0].get<double>(),
                                pair[1].is_null() ? infinity : pair[1].get<double>()};
      }
    }
    if (in.contains("tied")) {
      if (!in["tied"].is_array()) throw Fail(key("tied"), "expected an array of [leader, follower] pairs");
      for (const json& pair : in["tied"]) {
        const std::vector<std::string> names = Strings(pair, key("tied"));
        if (names.size() != 2) throw Fail(key("tied"), "expected an array of [leader, follower] pairs");
        options.tied.emplace_back(names[0], names[1]);
      }
    }
    return options;
  }

 private:
  std::string source_;
};

// The data names of a formula or loglinear fit written before "inputs" was, in the order Model::inputs() gives
// them. A formula's are its identifiers that are not fitted parameters (parsed with the data names N, D, U and x
// first, so that a long formula stays within the parser's parameter limit); loglinear's, C * x^k_x * ..., the
// identifiers v that have an exponent k_v.
std::vector<std::string> FormulaInputs(const FitSummary& fit) {
  const Formula parsed = Formula::Parse(fit.formula, {"N", "D", "U", "x"});
  std::vector<std::string> names = parsed.columns();
  names.insert(names.end(), parsed.parameters().begin(), parsed.parameters().end());
  std::vector<std::string> data;
  for (const std::string& name : names) {
    const bool is_data = fit.model == "loglinear" ? std::find(names.begin(), names.end(), "k_" + name) != names.end()
                                                  : fit.params.count(name) == 0;
    if (is_data) data.push_back(name);
  }
  return Model::FromFormula(fit.formula, data).inputs();
}

}  // namespace

std::string FitToJson(const FitSummary& fit, int indent) {
  json out;
  out["model"] = fit.model;
  out["formula"] = fit.formula;
  out["inputs"] = fit.inputs;
  out["estimator"] = std::string(EstimatorName(fit.estimator));
  out["objective_kind"] = std::string(ObjectiveName(fit.objective_kind));
  out["residual"] = std::string(ResidualName(fit.residual));
  out["huber_delta"] = fit.huber_delta;
  out["asymmetry"] = fit.asymmetry;
  out["params"] = json::object();
  for (const auto& [name, value] : fit.params) out["params"][name] = Number(value);
  out["parameter_names"] = fit.parameter_names;
  out["fixed_parameters"] = fit.fixed_parameters;
  // internal_params is keyed by name (JSON objects have no order); internal_names keeps the optimiser's order.
  out["internal_names"] = fit.internal_names;
  out["internal_params"] = json::object();
  for (std::size_t j = 0; j < fit.internal_names.size() && j < fit.internal_params.size(); ++j) {
    out["internal_params"][fit.internal_names[j]] = Number(fit.internal_params[j]);
  }
  out["derived"] = json::object();
  for (const auto& [name, value] : fit.derived) out["derived"][name] = Number(value);
  out["laplace_se"] = json::object();
  for (const auto& [name, value] : fit.laplace_se) out["laplace_se"][name] = Number(value);
  if (fit.bootstrap_resamples > 0) {
    out["bootstrap"] = {
        {"resamples", fit.bootstrap_resamples}, {"failed", fit.bootstrap_failed}, {"seed", fit.bootstrap_seed}};
    // Every resample's parameters, so that predictions made from the saved fit carry intervals.
    json draws = json::array();
    for (const auto& draw : fit.bootstrap_draws) draws.push_back(draw);
    out["bootstrap"]["draws"] = draws;
    // The summary of each quantity over the resamples that refitted (resamples - failed of them).
    out["mean"] = json::object();
    out["se"] = json::object();
    out["ci95"] = json::object();
    for (const auto& [name, summary] : fit.uncertainty) {
      out["mean"][name] = Number(summary.mean);
      out["se"][name] = Number(summary.se);
      out["ci95"][name] = {Number(summary.ci95.first), Number(summary.ci95.second)};
    }
  }
  out["aic"] = Number(fit.aic);
  out["bic"] = Number(fit.bic);
  // The residuals at the optimum and the free parameters: the observation noise of predictive intervals.
  if (!fit.residuals.empty()) {
    json residuals = json::array();
    for (double r : fit.residuals) residuals.push_back(Number(r));
    out["residuals"] = residuals;
    out["free_parameters"] = fit.free_parameters;
  }
  if (!fit.holdout.empty()) {
    json runs = json::array();
    for (const auto& run : fit.holdout) {
      runs.push_back(
          {{"params", run.params}, {"tokens", run.tokens}, {"loss", run.loss}, {"predicted", Number(run.predicted)}});
    }
    out["holdout"] = {{"runs", runs},
                      {"mean_abs_relative_error", Number(fit.holdout_mean_abs_relative_error)},
                      {"max_abs_relative_error", Number(fit.holdout_max_abs_relative_error)}};
  }
  out["objective"] = Number(fit.objective);
  if (fit.estimator == Estimator::kHuberLikelihood) out["log_scale"] = Number(fit.log_scale);
  out["n_points"] = fit.num_points;
  out["data_range"] = {{"params", {fit.data_range.params_min, fit.data_range.params_max}},
                       {"tokens", {fit.data_range.tokens_min, fit.data_range.tokens_max}}};
  out["data_source"] = fit.data_source;
  out["data_columns"] = fit.data_columns;
  out["drop_highest"] = fit.drop_highest;
  // "converged" is what the schema has always called a usable fit; "status" says why one is not.
  out["converged"] = fit.IsUsable();
  out["status"] = std::string(AnalysisStatusName(fit.status));
  out["message"] = fit.message;
  out["starts"] = {{"strategy", fit.start_strategy},
                   {"total", fit.num_starts},
                   {"failed", fit.num_starts_failed},
                   {"in_best_basin", fit.num_starts_in_best_basin},
                   {"best_index", fit.best_start}};
  out["iterations"] = fit.iterations;
  out["wall_seconds"] = fit.wall_seconds;
  out["options"] = OptionsToJson(fit.options);
  return out.dump(indent);
}

FitSummary FitFromJson(std::string_view text, const std::string& source_name) {
  json in = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) throw InputError(source_name, 0, "", "not valid JSON");
  if (!in.is_object()) throw InputError(source_name, 0, "", "expected a JSON object (a fit written by scalelaw)");
  const FitReader reader(source_name);
  auto fail = [&](const std::string& key, const std::string& problem) { return reader.Fail(key, problem); };
  auto count = [&](const json& object, const char* key, const std::string& shown) {
    return reader.Count(object, key, shown);
  };
  FitSummary fit;
  if (!in.contains("model") || !in["model"].is_string()) throw fail("model", "missing or not a string");
  fit.model = in["model"].get<std::string>();
  if (!in.contains("params") || !in["params"].is_object()) throw fail("params", "missing or not an object");
  for (const auto& [name, value] : in["params"].items()) {
    if (!value.is_number()) throw fail("params." + name, "not a number");
    fit.params[name] = value.get<double>();
  }
  if (fit.params.empty()) throw fail("params", "is empty (the fit did not reach an optimum)");
  auto named = [&](const char* key, auto from_name, auto* target) {
    if (!in.contains(key) || !in[key].is_string()) return;
    try {
      *target = from_name(in[key].get<std::string>());
    } catch (const InvalidArgument& error) {
      throw fail(key, error.what());
    }
  };
  named("estimator", EstimatorFromName, &fit.estimator);
  named("objective_kind", ObjectiveFromName, &fit.objective_kind);
  // Written before "residual" existed: the objective's own (squared on the loss, the others on log residuals).
  fit.residual = Describe(fit.objective_kind).residual;
  named("residual", ResidualFromName, &fit.residual);
  // A number, null for one that was not finite, the fallback when absent (or of another type).
  auto number = [&](const char* key, double fallback) {
    if (!in.contains(key) || !(in[key].is_number() || in[key].is_null())) return fallback;
    return reader.NumberOrNull(in[key], key);
  };
  auto string = [&](const json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
  };
  auto strings = [&](const char* key, std::vector<std::string>* target) {
    if (in.contains(key)) *target = reader.Strings(in[key], key);
  };
  fit.huber_delta = number("huber_delta", 0);
  fit.asymmetry = number("asymmetry", 1);
  fit.objective = number("objective", std::nan(""));
  fit.log_scale = number("log_scale", std::nan(""));
  fit.aic = number("aic", std::nan(""));
  fit.bic = number("bic", std::nan(""));
  fit.wall_seconds = number("wall_seconds", 0);
  fit.num_points = count(in, "n_points", "n_points");
  fit.iterations = count(in, "iterations", "iterations");
  fit.drop_highest = count(in, "drop_highest", "drop_highest");
  if (in.contains("residuals") && in["residuals"].is_array()) {
    for (const json& r : in["residuals"]) {
      if (!r.is_number()) throw fail("residuals", "expected numbers");
      fit.residuals.push_back(r.get<double>());
    }
    fit.free_parameters = count(in, "free_parameters", "free_parameters");
  }
  if (in.contains("data_range") && in["data_range"].is_object()) {
    auto bounds = [&](const char* key, double* lo, double* hi) {
      const json& pair = in["data_range"][key];
      auto end = [](const json& value) { return value.is_number() || value.is_null(); };
      if (pair.is_array() && pair.size() == 2 && end(pair[0]) && end(pair[1])) {
        *lo = reader.NumberOrNull(pair[0], "data_range");
        *hi = reader.NumberOrNull(pair[1], "data_range");
      }
    };
    bounds("params", &fit.data_range.params_min, &fit.data_range.params_max);
    bounds("tokens", &fit.data_range.tokens_min, &fit.data_range.tokens_max);
  }
  fit.data_source = string(in, "data_source");
  strings("data_columns", &fit.data_columns);
  strings("parameter_names", &fit.parameter_names);
  strings("fixed_parameters", &fit.fixed_parameters);
  strings("internal_names", &fit.internal_names);
  // Maps of quantities by name: a null is a value that was not finite.
  auto read_map = [&](const char* key, std::map<std::string, double>* target) {
    if (!in.contains(key) || !in[key].is_object()) return;
    for (const auto& [name, value] : in[key].items()) {
      if (value.is_number() || value.is_null()) (*target)[name] = reader.NumberOrNull(value, key);
    }
  };
  read_map("derived", &fit.derived);
  read_map("laplace_se", &fit.laplace_se);
  std::map<std::string, double> internal;
  read_map("internal_params", &internal);
  if (in.contains("bootstrap") && in["bootstrap"].is_object()) {
    const json& b = in["bootstrap"];
    fit.bootstrap_resamples = count(b, "resamples", "bootstrap.resamples");
    fit.bootstrap_failed = count(b, "failed", "bootstrap.failed");
    if (b.contains("seed") && b["seed"].is_number_unsigned()) fit.bootstrap_seed = b["seed"].get<std::uint64_t>();
    if (b.contains("draws") && b["draws"].is_array()) {
      for (const json& draw : b["draws"]) {
        if (!draw.is_object()) throw fail("bootstrap.draws", "expected objects of parameters");
        std::map<std::string, double> parameters;
        for (const auto& [name, value] : draw.items()) {
          if (!value.is_number()) throw fail("bootstrap.draws." + name, "not a number");
          parameters[name] = value.get<double>();
        }
        for (const auto& [name, value] : fit.params) {
          if (parameters.count(name) == 0) throw fail("bootstrap.draws", "a draw lacks '" + name + "'");
        }
        fit.bootstrap_draws.push_back(std::move(parameters));
      }
    }
  }
  // The summary of each quantity with a standard error, over the resamples - failed resamples that refitted.
  std::map<std::string, double> se, mean;
  read_map("se", &se);
  read_map("mean", &mean);
  for (const auto& [name, value] : se) {
    ResampleSummary& summary = fit.uncertainty[name];
    summary.resamples = fit.bootstrap_resamples - fit.bootstrap_failed;
    summary.failed = fit.bootstrap_failed;
    summary.se = value;
    if (const auto it = mean.find(name); it != mean.end()) summary.mean = it->second;
  }
  if (in.contains("ci95") && in["ci95"].is_object()) {
    for (const auto& [name, bounds] : in["ci95"].items()) {
      auto end = [](const json& value) { return value.is_number() || value.is_null(); };
      if (bounds.is_array() && bounds.size() == 2 && end(bounds[0]) && end(bounds[1]) && fit.uncertainty.count(name)) {
        fit.uncertainty[name].ci95 = {reader.NumberOrNull(bounds[0], "ci95"), reader.NumberOrNull(bounds[1], "ci95")};
      }
    }
  }
  if (in.contains("holdout") && in["holdout"].is_object()) {
    const json& h = in["holdout"];
    if (h.contains("runs")) {
      if (!h["runs"].is_array()) throw fail("holdout.runs", "expected an array of runs");
      for (const json& run : h["runs"]) {
        if (!run.is_object()) throw fail("holdout.runs", "expected an array of runs");
        FitSummary::HeldOutRun held;
        auto value = [&](const char* key) {
          return reader.NumberOrNull(run.contains(key) ? run[key] : json(), std::string("holdout.runs.") + key);
        };
        held.params = value("params");
        held.tokens = value("tokens");
        held.loss = value("loss");
        held.predicted = value("predicted");
        fit.holdout.push_back(held);
      }
    }
    auto error = [&](const char* key) {
      return reader.NumberOrNull(h.contains(key) ? h[key] : json(), std::string("holdout.") + key);
    };
    fit.holdout_mean_abs_relative_error = error("mean_abs_relative_error");
    fit.holdout_max_abs_relative_error = error("max_abs_relative_error");
  }
  if (in.contains("starts") && in["starts"].is_object()) {
    const json& s = in["starts"];
    if (s.contains("strategy") && s["strategy"].is_string()) fit.start_strategy = s["strategy"].get<std::string>();
    fit.num_starts = count(s, "total", "starts.total");
    fit.num_starts_failed = count(s, "failed", "starts.failed");
    fit.num_starts_in_best_basin = count(s, "in_best_basin", "starts.in_best_basin");
    fit.best_start = reader.Count(s, "best_index", "starts.best_index", -1);
  }
  fit.message = string(in, "message");
  const bool converged = in.contains("converged") && in["converged"].is_boolean() && in["converged"].get<bool>();
  if (in.contains("status") && in["status"].is_string()) {
    try {
      fit.status = AnalysisStatusFromName(in["status"].get<std::string>());
    } catch (const InvalidArgument& error) {
      throw fail("status", error.what());
    }
    if (fit.IsUsable() != converged) throw fail("status", "disagrees with \"converged\"");
  } else {
    // Written before "status" existed: the kind of failure is the start of the message.
    fit.status = converged                                       ? AnalysisStatus::kUsable
                 : fit.message.rfind("not identifiable", 0) == 0 ? AnalysisStatus::kNotIdentifiable
                 : fit.message == "interrupted"                  ? AnalysisStatus::kInterrupted
                                                                 : AnalysisStatus::kNoConvergence;
  }
  if (in.contains("options")) {
    fit.options = reader.Options(in["options"]);
  } else {
    // Written before "options" existed: what the summary itself says of them, the defaults otherwise.
    fit.options.estimator = fit.estimator;
    fit.options.objective = fit.objective_kind;
    fit.options.huber_delta = fit.huber_delta;
    fit.options.asymmetry = fit.asymmetry;
    fit.options.bootstrap_resamples = fit.bootstrap_resamples;
    if (fit.bootstrap_resamples > 0) fit.options.bootstrap_seed = fit.bootstrap_seed;
    fit.options.holdout_top = static_cast<int>(fit.holdout.size());
  }

  // The form, rebuilt as ModelOf does; a file written before "inputs" was gets them from its model (for a formula
  // or loglinear fit: from the formula).
  fit.formula = string(in, "formula");
  const bool formula_form = fit.model == "formula" || fit.model == "loglinear";
  if (formula_form && fit.formula.empty()) throw fail("formula", "missing: a " + fit.model + " fit needs its formula");
  std::optional<Model> model;
  try {
    // An empty list is read as none recorded (a summary built by hand); a form that reads no data has none either.
    if (in.contains("inputs")) fit.inputs = reader.Strings(in["inputs"], "inputs");
    if (fit.inputs.empty()) fit.inputs = formula_form ? FormulaInputs(fit) : Model::FromName(fit.model).inputs();
    model = ModelOf(fit);
  } catch (const InvalidArgument& error) {
    throw fail(formula_form ? "formula" : "model", error.what());
  }
  if (model->inputs() != fit.inputs) {
    std::string reads;
    for (const std::string& name : model->inputs()) reads += (reads.empty() ? "" : ", ") + name;
    throw fail("inputs", "model '" + fit.model + "' reads " + (reads.empty() ? "no data" : reads));
  }
  if (fit.model == "loglinear" && model->formula() != fit.formula) {
    throw fail("formula", "a loglinear fit over these inputs is " + std::string(model->formula()));
  }
  for (const std::string& name : model->parameter_names()) {
    if (fit.params.count(name) == 0) throw fail("params." + name, "missing");
  }
  if (!in.contains("parameter_names")) fit.parameter_names = model->parameter_names();
  if (!in.contains("internal_names")) fit.internal_names = model->form().internal_names();
  if (!in.contains("fixed_parameters")) {
    for (const auto& [name, value] : fit.options.fixed) fit.fixed_parameters.push_back(name);
  }
  // The internal parameters in the optimiser's order, when the file has every one of them.
  for (const std::string& name : fit.internal_names) {
    const auto it = internal.find(name);
    if (it == internal.end()) {
      fit.internal_params.clear();
      break;
    }
    fit.internal_params.push_back(it->second);
  }
  return fit;
}

FitSummary ReadFitJson(const std::string& path) {
  return FitFromJson(detail::ReadWholeFile(path), detail::DisplayName(path));
}

}  // namespace scalelaw
