// What the one-size and the across-sizes curve fits share: the Levenberg-Marquardt solve of a Huber objective
// written as squared residuals, and the JSON of a fit's per-curve errors and starts.
#pragma once

#include <ceres/ceres.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "fit/quiet_ceres.h"
#include "scalelaw/curves/curve_fit.h"

namespace scalelaw::detail {

// Minimises 1/2 the sum of squares of cost's residuals over z in place (Levenberg-Marquardt, dense QR: a curve
// law has at most a dozen parameters and a few thousand residuals), with options' iteration limit and
// tolerances, quietly. Takes ownership of cost.
inline ceres::Solver::Summary SolveCurveLeastSquares(ceres::CostFunction* cost, std::vector<double>* z,
                                                     const CurveFitOptions& options) {
  ceres::Problem::Options problem_options;
  problem_options.cost_function_ownership = ceres::TAKE_OWNERSHIP;
  ceres::Problem problem(problem_options);
  problem.AddResidualBlock(cost, nullptr, z->data());
  ceres::Solver::Options solver_options;
  solver_options.trust_region_strategy_type = ceres::LEVENBERG_MARQUARDT;
  solver_options.linear_solver_type = ceres::DENSE_QR;
  solver_options.max_num_iterations = options.max_iterations;
  solver_options.function_tolerance = options.function_tolerance;
  solver_options.gradient_tolerance = options.gradient_tolerance;
  solver_options.parameter_tolerance = options.parameter_tolerance;
  solver_options.logging_type = ceres::SILENT;
  solver_options.num_threads = 1;
  ceres::Solver::Summary summary;
  ScopedQuietCeres quiet;
  ceres::Solve(solver_options, &problem, &summary);
  return summary;
}

// A number, or null for one that is not finite (JSON has no NaN or infinity), and back (null reads as NaN).
inline nlohmann::json JsonNumber(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}
inline nlohmann::json JsonNumbers(const std::vector<double>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (double v : values) out.push_back(JsonNumber(v));
  return out;
}
inline double NumberOrNaN(const nlohmann::json& value) {
  return value.is_number() ? value.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

// A curve's errors under a fit ("points", "pred_e", "worst_e", "r2", "mae", "rmse"), added to object, and read back.
inline void AddCurveErrors(const CurveErrors& e, nlohmann::json* object) {
  (*object)["points"] = e.points;
  (*object)["pred_e"] = JsonNumber(e.pred_e);
  (*object)["worst_e"] = JsonNumber(e.worst_e);
  (*object)["r2"] = JsonNumber(e.r2);
  (*object)["mae"] = JsonNumber(e.mae);
  (*object)["rmse"] = JsonNumber(e.rmse);
}
inline CurveErrors CurveErrorsFromJson(const nlohmann::json& object) {
  CurveErrors e;
  e.points = object.value("points", 0);
  e.pred_e = NumberOrNaN(object.value("pred_e", nlohmann::json(nullptr)));
  e.worst_e = NumberOrNaN(object.value("worst_e", nlohmann::json(nullptr)));
  e.r2 = NumberOrNaN(object.value("r2", nlohmann::json(nullptr)));
  e.mae = NumberOrNaN(object.value("mae", nlohmann::json(nullptr)));
  e.rmse = NumberOrNaN(object.value("rmse", nlohmann::json(nullptr)));
  return e;
}

// What the fitted curves cover, as "range": {"steps", "peak_lr": [min, max]} in object, and read back (a file
// without it gives the zero range: not known).
inline void AddDataRange(const CurveDataRange& range, nlohmann::json* object) {
  (*object)["range"] = {{"steps", range.steps},
                        {"peak_lr", {JsonNumber(range.peak_lr_min), JsonNumber(range.peak_lr_max)}}};
}
inline CurveDataRange DataRangeFromJson(const nlohmann::json& object) {
  CurveDataRange range;
  if (!object.contains("range") || !object.at("range").is_object()) return range;
  const nlohmann::json& in = object.at("range");
  range.steps = in.value("steps", 0L);
  const nlohmann::json peak = in.value("peak_lr", nlohmann::json::array());
  if (peak.is_array() && peak.size() == 2 && peak[0].is_number() && peak[1].is_number()) {
    range.peak_lr_min = peak[0].get<double>();
    range.peak_lr_max = peak[1].get<double>();
  }
  return range;
}

// Every start of a fit: "start", "parameters", "objective", "iterations", "converged".
inline nlohmann::json CurveFitStartsToJson(const std::vector<CurveFitStart>& starts) {
  nlohmann::json out = nlohmann::json::array();
  for (const CurveFitStart& s : starts) {
    out.push_back({{"start", JsonNumbers(s.start)},
                   {"parameters", JsonNumbers(s.parameters)},
                   {"objective", JsonNumber(s.objective)},
                   {"iterations", s.iterations},
                   {"converged", s.converged}});
  }
  return out;
}

}  // namespace scalelaw::detail
