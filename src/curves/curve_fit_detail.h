// What the one-size and the across-sizes curve fits share: the Levenberg-Marquardt solve of a Huber objective
// written as squared residuals, the moving-block residual bootstrap, and the JSON of a fit's per-curve errors,
// starts and bootstrap resamples.
#pragma once

#include <ceres/ceres.h>
#include <fmt/format.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "fit/quiet_ceres.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/error.h"
#include "util/resampling.h"

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

// The moving-block residual bootstrap of a curve fit (Kunsch 1989; docs/curve-laws.md, "Uncertainty"). The fitted
// law gives ln yhat_i at every point (log_fitted) and the log residuals r_i = ln y_i - ln yhat_i, which are
// autocorrelated along a curve (a law that misses a bump misses it for many consecutive points). Resample k
// rebuilds each curve of n points (curve c is points offsets[c] .. offsets[c+1]-1, the last ending at
// log_observed.size()) from blocks of b consecutive residuals of that curve, starting at positions drawn uniformly
// from 0..n-b, cut to n, and sets ln y*_i = ln yhat_i + r*_i; refit(ln y*) refits the law from the point estimate.
// Blocks keep the dependence within b points; the curves' schedules and step positions stay as logged. Resample
// k draws from a generator seeded with (options.bootstrap_seed, k) alone, and the resamples run on
// options.num_threads threads, each writing its own slot: the result does not depend on the thread count.
struct CurveBootstrapDraws {
  std::vector<std::vector<double>> parameters;  // each resample that refitted, in resample order
  int failed = 0;                               // resamples whose refit did not converge to finite parameters
};
inline CurveBootstrapDraws CurveBlockBootstrap(const Eigen::ArrayXd& log_observed, const Eigen::ArrayXd& log_fitted,
                                               const std::vector<int>& offsets, const CurveFitOptions& options,
                                               const std::function<CurveFitStart(const Eigen::ArrayXd&)>& refit) {
  const Eigen::ArrayXd residual = log_observed - log_fitted;
  const int points = static_cast<int>(log_observed.size());
  const int resamples = options.bootstrap_resamples;
  std::vector<std::vector<double>> parameters(static_cast<std::size_t>(resamples));
  std::vector<char> ok(static_cast<std::size_t>(resamples), 0);
  ParallelFor(resamples, ThreadsToUse(options.num_threads), [&](int k) {
    std::seed_seq seq{static_cast<std::uint32_t>(options.bootstrap_seed),
                      static_cast<std::uint32_t>(options.bootstrap_seed >> 32), static_cast<std::uint32_t>(k)};
    std::mt19937_64 generator(seq);
    Eigen::ArrayXd observed(points);
    for (std::size_t c = 0; c < offsets.size(); ++c) {
      const int offset = offsets[c];
      const int n = (c + 1 < offsets.size() ? offsets[c + 1] : points) - offset;
      int b = options.block_length > 0 ? options.block_length
                                       : static_cast<int>(std::lround(std::cbrt(static_cast<double>(n))));
      b = std::max(1, std::min(b, n));
      std::uniform_int_distribution<int> start(0, n - b);
      for (int i = 0; i < n;) {
        const int from = start(generator);
        for (int j = 0; j < b && i < n; ++j, ++i) {
          observed[offset + i] = log_fitted[offset + i] + residual[offset + from + j];
        }
      }
    }
    const CurveFitStart end = refit(observed);
    if (end.converged && std::isfinite(end.objective)) {
      bool finite = true;
      for (double v : end.parameters) finite = finite && std::isfinite(v);
      if (finite) {
        parameters[static_cast<std::size_t>(k)] = end.parameters;
        ok[static_cast<std::size_t>(k)] = 1;
      }
    }
  });
  CurveBootstrapDraws draws;
  for (int k = 0; k < resamples; ++k) {
    if (ok[static_cast<std::size_t>(k)]) {
      draws.parameters.push_back(std::move(parameters[static_cast<std::size_t>(k)]));
    } else {
      ++draws.failed;
    }
  }
  return draws;
}

// The prediction of law for the schedule lr (ForecastCurve) with the 95% percentile band of the resample laws'
// predictions (none without resample laws); failed resamples, and resample laws whose prediction is not a positive
// number, count as failed in the summaries.
CurveForecast ForecastFromLaws(const CurveLaw& law, const std::vector<CurveLaw>& resample_laws, int failed,
                               const std::vector<double>& lr, long every);

// Each of the first `width` columns of rows (one row per resample) summarised (SummarizeResamples with failed);
// empty when there are neither rows nor failures (no bootstrap).
inline std::vector<ResampleSummary> SummarizeResampleColumns(const std::vector<std::vector<double>>& rows,
                                                             std::size_t width, int failed) {
  std::vector<ResampleSummary> out;
  if (rows.empty() && failed == 0) return out;
  for (std::size_t j = 0; j < width; ++j) {
    std::vector<double> values;
    for (const std::vector<double>& row : rows) values.push_back(row[j]);
    out.push_back(SummarizeResamples(values, failed));
  }
  return out;
}

// The report lines of a fit's bootstrap: each parameter's value, bootstrap se and 95% interval, and what the
// bootstrap was (empty strings without a bootstrap).
inline std::string CurveResampleTable(const std::vector<std::string>& names, const std::vector<double>& values,
                                      const std::vector<ResampleSummary>& resamples) {
  if (resamples.size() != values.size() || values.empty()) return "";
  std::string out = "\nparameter        value  bootstrap se   95% interval\n";
  for (std::size_t j = 0; j < values.size(); ++j) {
    const ResampleSummary& r = resamples[j];
    out += fmt::format("{:<10} {:>12.6g}  {:>12.4g}   [{:.6g}, {:.6g}]\n", names[j], values[j], r.se, r.ci95.first,
                       r.ci95.second);
  }
  return out;
}
inline std::string CurveBootstrapLine(std::size_t refitted, int failed, int block_length, std::uint64_t seed) {
  if (refitted == 0 && failed == 0) return "";
  return fmt::format(
      "\nbootstrap: {} moving-block residual resamples (blocks of {} log residuals within each curve, seed {}), {} "
      "refitted, {} failed\n",
      refitted + static_cast<std::size_t>(failed),
      block_length > 0 ? fmt::format("{}", block_length) : std::string("round(n^(1/3))"), seed, refitted, failed);
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

// A fit's bootstrap as JSON, {"seed", "block_length", "failed", "resamples": [[values], ...]}, and back: the
// resamples read from object (a fit's "bootstrap" key) into *resamples, each checked to have `width` values;
// InputError naming source_name and the key otherwise.
inline nlohmann::json CurveBootstrapToJson(std::uint64_t seed, int block_length, int failed,
                                           const std::vector<std::vector<double>>& resamples) {
  nlohmann::json values = nlohmann::json::array();
  for (const std::vector<double>& p : resamples) values.push_back(JsonNumbers(p));
  return {{"seed", seed}, {"block_length", block_length}, {"failed", failed}, {"resamples", values}};
}
inline void CurveBootstrapFromJson(const nlohmann::json& object, std::size_t width, const std::string& source_name,
                                   std::uint64_t* seed, int* block_length, int* failed,
                                   std::vector<std::vector<double>>* resamples) {
  if (!object.is_object()) throw InputError(source_name, 0, "bootstrap", "not an object");
  *seed = object.value("seed", std::uint64_t{0});
  *block_length = object.value("block_length", 0);
  *failed = object.value("failed", 0);
  for (const nlohmann::json& p : object.value("resamples", nlohmann::json::array())) {
    std::vector<double> values;
    for (const nlohmann::json& v : p) {
      if (!v.is_number()) throw InputError(source_name, 0, "bootstrap.resamples", "a value is not a number");
      values.push_back(v.get<double>());
    }
    if (values.size() != width) {
      throw InputError(source_name, 0, "bootstrap.resamples", "a resample does not have one value per parameter");
    }
    resamples->push_back(std::move(values));
  }
}

// object[key], or InputError naming source_name and the key when it is missing.
inline const nlohmann::json& RequiredJsonKey(const nlohmann::json& object, const char* key,
                                             const std::string& source_name) {
  if (!object.contains(key)) throw InputError(source_name, 0, key, "missing");
  return object.at(key);
}

// Reads a curve fit's JSON (CurveFitToJson, CurveSizeFitToJson): parses text as an object, reads the keys every
// curve fit has ("form", "lambda", "huber_delta", "status", "message") into the fit, then read(object, &fit) the
// rest (the parameters first), then the keys both have after it ("curves"' names and errors, "best_start", "seconds",
// "bootstrap"). A value of the wrong type, an unknown form or status becomes an InputError naming source_name.
template <typename Fit, typename Read>
Fit ReadCurveFitJson(std::string_view text, const std::string& source_name, Read read) {
  const nlohmann::json in = nlohmann::json::parse(text, nullptr, false);
  if (in.is_discarded() || !in.is_object()) throw InputError(source_name, 0, "", "not a JSON object");
  Fit fit;
  try {
    fit.form = CurveLawFormFromName(RequiredJsonKey(in, "form", source_name).get<std::string>());
    fit.lambda = RequiredJsonKey(in, "lambda", source_name).get<double>();
    fit.huber_delta = in.value("huber_delta", 1e-3);
    fit.status = AnalysisStatusFromName(RequiredJsonKey(in, "status", source_name).get<std::string>());
    fit.message = in.value("message", std::string());
    read(in, &fit);
    fit.range = DataRangeFromJson(in);
    for (const nlohmann::json& curve : in.value("curves", nlohmann::json::array())) {
      fit.curve_names.push_back(curve.value("name", std::string()));
      if (curve.contains("pred_e")) fit.curve_errors.push_back(CurveErrorsFromJson(curve));
    }
    fit.best_start = in.value("best_start", -1);
    fit.seconds = in.value("seconds", 0.0);
    if (in.contains("bootstrap")) {
      CurveBootstrapFromJson(in.at("bootstrap"), fit.parameters.size(), source_name, &fit.bootstrap_seed,
                             &fit.block_length, &fit.failed_resamples, &fit.resample_parameters);
      fit.parameter_resamples =
          SummarizeResampleColumns(fit.resample_parameters, fit.parameters.size(), fit.failed_resamples);
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(source_name, 0, "", e.what());
  }
  return fit;
}

}  // namespace scalelaw::detail
