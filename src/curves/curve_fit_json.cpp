// CurveFitSummary to and from JSON (the schema is in scalelaw/curves/curve_fit.h).
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "curves/curve_fit_detail.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

using nlohmann::json;
constexpr auto Number = detail::JsonNumber;
constexpr auto Numbers = detail::JsonNumbers;

}  // namespace

std::string CurveFitToJson(const CurveFitSummary& fit) {
  json out;
  out["form"] = std::string(CurveLawFormName(fit.form));
  out["lambda"] = fit.lambda;
  out["huber_delta"] = fit.huber_delta;
  out["status"] = std::string(AnalysisStatusName(fit.status));
  out["usable"] = fit.IsUsable();
  if (!fit.IsUsable()) out["message"] = fit.message;
  json parameters = json::object();
  for (std::size_t j = 0; j < fit.parameters.size() && j < fit.parameter_names.size(); ++j) {
    parameters[fit.parameter_names[j]] = Number(fit.parameters[j]);
  }
  out["parameters"] = parameters;
  out["objective"] = Number(fit.objective);
  out["points"] = fit.points;
  detail::AddDataRange(fit.range, &out);
  json curves = json::array();
  for (std::size_t c = 0; c < fit.curve_names.size(); ++c) {
    json curve;
    curve["name"] = fit.curve_names[c];
    if (c < fit.curve_errors.size()) detail::AddCurveErrors(fit.curve_errors[c], &curve);
    curves.push_back(curve);
  }
  out["curves"] = curves;
  out["starts"] = detail::CurveFitStartsToJson(fit.starts);
  out["best_start"] = fit.best_start;
  out["seconds"] = fit.seconds;
  if (!fit.resample_parameters.empty() || fit.failed_resamples > 0) {
    json resamples = json::array();
    for (const std::vector<double>& p : fit.resample_parameters) resamples.push_back(Numbers(p));
    out["bootstrap"] = {{"seed", fit.bootstrap_seed},
                        {"block_length", fit.block_length},
                        {"failed", fit.failed_resamples},
                        {"resamples", resamples}};
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // names need not be UTF-8
}

CurveFitSummary CurveFitFromJson(std::string_view text, const std::string& source_name) {
  const json in = json::parse(text, nullptr, false);
  if (in.is_discarded() || !in.is_object()) throw InputError(source_name, 0, "", "not a JSON object");
  auto need = [&](const char* key) -> const json& {
    if (!in.contains(key)) throw InputError(source_name, 0, key, "missing");
    return in.at(key);
  };
  CurveFitSummary fit;
  try {
    fit.form = CurveLawFormFromName(need("form").get<std::string>());
    fit.lambda = need("lambda").get<double>();
    fit.huber_delta = in.value("huber_delta", 1e-3);
    fit.status = AnalysisStatusFromName(need("status").get<std::string>());
    fit.message = in.value("message", std::string());
    fit.parameter_names = CurveLawParameterNames(fit.form);
    const json& parameters = need("parameters");
    if (!parameters.is_object()) throw InputError(source_name, 0, "parameters", "not an object");
    if (!parameters.empty()) {
      for (const std::string& name : fit.parameter_names) {
        if (!parameters.contains(name) || !parameters.at(name).is_number()) {
          throw InputError(source_name, 0, "parameters." + name, "missing or not a number");
        }
        fit.parameters.push_back(parameters.at(name).get<double>());
      }
    }
    fit.objective = in.value("objective", json(0.0)).is_number() ? in.value("objective", 0.0) : 0.0;
    fit.points = in.value("points", 0);
    fit.range = detail::DataRangeFromJson(in);
    for (const json& curve : in.value("curves", json::array())) {
      fit.curve_names.push_back(curve.value("name", std::string()));
      if (curve.contains("pred_e")) fit.curve_errors.push_back(detail::CurveErrorsFromJson(curve));
    }
    fit.best_start = in.value("best_start", -1);
    fit.seconds = in.value("seconds", 0.0);
    if (in.contains("bootstrap")) {
      const json& bootstrap = in.at("bootstrap");
      if (!bootstrap.is_object()) throw InputError(source_name, 0, "bootstrap", "not an object");
      fit.bootstrap_seed = bootstrap.value("seed", std::uint64_t{0});
      fit.block_length = bootstrap.value("block_length", 0);
      fit.failed_resamples = bootstrap.value("failed", 0);
      for (const json& p : bootstrap.value("resamples", json::array())) {
        std::vector<double> values;
        for (const json& v : p) {
          if (!v.is_number()) throw InputError(source_name, 0, "bootstrap.resamples", "a value is not a number");
          values.push_back(v.get<double>());
        }
        if (values.size() != fit.parameters.size()) {
          throw InputError(source_name, 0, "bootstrap.resamples", "a resample does not have one value per parameter");
        }
        fit.resample_parameters.push_back(std::move(values));
      }
      fit.parameter_resamples = SummarizeCurveResamples(fit);
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {  // a value of the wrong type, an unknown form or status
    throw InputError(source_name, 0, "", e.what());
  }
  return fit;
}

}  // namespace scalelaw
