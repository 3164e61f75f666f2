#include "scalelaw/io/fit_json.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "io/read_file.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

using nlohmann::json;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

}  // namespace

std::string FitToJson(const FitSummary& fit, int indent) {
  json out;
  out["model"] = fit.model;
  out["formula"] = fit.formula;
  out["estimator"] = std::string(EstimatorName(fit.estimator));
  out["objective_kind"] = std::string(ObjectiveName(fit.objective_kind));
  out["huber_delta"] = fit.huber_delta;
  out["params"] = json::object();
  for (const auto& [name, value] : fit.params) out["params"][name] = Number(value);
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
    out["se"] = json::object();
    out["ci95"] = json::object();
    for (const auto& [name, summary] : fit.uncertainty) {
      out["se"][name] = Number(summary.se);
      out["ci95"][name] = {Number(summary.ci95.first), Number(summary.ci95.second)};
    }
  }
  out["aic"] = Number(fit.aic);
  out["bic"] = Number(fit.bic);
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
  return out.dump(indent);
}

FitSummary FitFromJson(std::string_view text, const std::string& source_name) {
  json in = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) throw InputError(source_name, 0, "", "not valid JSON");
  if (!in.is_object()) throw InputError(source_name, 0, "", "expected a JSON object (a fit written by scalelaw)");
  auto fail = [&](const std::string& key, const std::string& problem) -> InputError {
    return InputError(source_name, 0, "", "key \"" + key + "\": " + problem);
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
  if (in.contains("estimator") && in["estimator"].is_string()) {
    try {
      fit.estimator = EstimatorFromName(in["estimator"].get<std::string>());
    } catch (const InvalidArgument& error) {
      throw fail("estimator", error.what());
    }
  }
  // A count as written by FitToJson: absent (0), or a whole number from 0 to INT_MAX (a cast of anything
  // else to int would be undefined).
  auto count = [&](const json& object, const char* key, const std::string& shown) {
    if (!object.contains(key) || !object[key].is_number()) return 0;
    const double value = object[key].get<double>();
    if (!(value >= 0 && value <= std::numeric_limits<int>::max() && value == std::floor(value))) {
      throw fail(shown, "expected a whole number from 0 to " + std::to_string(std::numeric_limits<int>::max()));
    }
    return static_cast<int>(value);
  };
  auto number = [&](const char* key, double fallback) {
    return in.contains(key) && in[key].is_number() ? in[key].get<double>() : fallback;
  };
  fit.huber_delta = number("huber_delta", 0);
  fit.objective = number("objective", std::nan(""));
  fit.log_scale = number("log_scale", std::nan(""));
  fit.num_points = count(in, "n_points", "n_points");
  if (in.contains("data_range") && in["data_range"].is_object()) {
    auto bounds = [&](const char* key, double* lo, double* hi) {
      const json& pair = in["data_range"][key];
      if (pair.is_array() && pair.size() == 2 && pair[0].is_number() && pair[1].is_number()) {
        *lo = pair[0].get<double>();
        *hi = pair[1].get<double>();
      }
    };
    bounds("params", &fit.data_range.params_min, &fit.data_range.params_max);
    bounds("tokens", &fit.data_range.tokens_min, &fit.data_range.tokens_max);
  }
  auto read_map = [&](const char* key, std::map<std::string, double>* target) {
    if (!in.contains(key) || !in[key].is_object()) return;
    for (const auto& [name, value] : in[key].items()) {
      if (value.is_number()) (*target)[name] = value.get<double>();
    }
  };
  read_map("derived", &fit.derived);
  read_map("laplace_se", &fit.laplace_se);
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
  // The summary of each quantity as the JSON keeps it: its standard error and interval (the mean is not kept).
  std::map<std::string, double> se;
  read_map("se", &se);
  for (const auto& [name, value] : se) {
    ResampleSummary& summary = fit.uncertainty[name];
    summary.resamples = fit.bootstrap_resamples - fit.bootstrap_failed;
    summary.failed = fit.bootstrap_failed;
    summary.se = value;
  }
  if (in.contains("ci95") && in["ci95"].is_object()) {
    for (const auto& [name, bounds] : in["ci95"].items()) {
      if (bounds.is_array() && bounds.size() == 2 && bounds[0].is_number() && bounds[1].is_number() &&
          fit.uncertainty.count(name)) {
        fit.uncertainty[name].ci95 = {bounds[0].get<double>(), bounds[1].get<double>()};
      }
    }
  }
  fit.message = in.contains("message") && in["message"].is_string() ? in["message"].get<std::string>() : "";
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
  if (in.contains("formula") && in["formula"].is_string()) fit.formula = in["formula"].get<std::string>();
  if (fit.model == "formula") return fit;  // a user's formula: its parameters are whatever it names
  try {
    const Model model = Model::FromName(fit.model);
    for (const std::string& name : model.parameter_names()) {
      if (fit.params.count(name) == 0) throw fail("params." + name, "missing");
    }
  } catch (const InvalidArgument& error) {
    throw fail("model", error.what());
  }
  return fit;
}

FitSummary ReadFitJson(const std::string& path) {
  return FitFromJson(detail::ReadWholeFile(path), detail::DisplayName(path));
}

}  // namespace scalelaw
