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
    out["bootstrap"] = detail::CurveBootstrapToJson(fit.bootstrap_seed, fit.block_length, fit.failed_resamples,
                                                    fit.resample_parameters);
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // names need not be UTF-8
}

CurveFitSummary CurveFitFromJson(std::string_view text, const std::string& source_name) {
  return detail::ReadCurveFitJson<CurveFitSummary>(text, source_name, [&](const json& in, CurveFitSummary* fit) {
    fit->parameter_names = CurveLawParameterNames(fit->form);
    const json& parameters = detail::RequiredJsonKey(in, "parameters", source_name);
    if (!parameters.is_object()) throw InputError(source_name, 0, "parameters", "not an object");
    if (!parameters.empty()) {
      for (const std::string& name : fit->parameter_names) {
        if (!parameters.contains(name) || !parameters.at(name).is_number()) {
          throw InputError(source_name, 0, "parameters." + name, "missing or not a number");
        }
        fit->parameters.push_back(parameters.at(name).get<double>());
      }
    }
    fit->objective = in.value("objective", json(0.0)).is_number() ? in.value("objective", 0.0) : 0.0;
    fit->points = in.value("points", 0);
  });
}

}  // namespace scalelaw
