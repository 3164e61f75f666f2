#include "scalelaw/fit/fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "fit/model_form.h"
#include "fit/multistart.h"
#include "fit/objectives.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

using detail::LocalSolution;
using detail::LocalSolveOptions;

// Every start runs to a moderate tolerance; the winner is then polished to the limit of double precision,
// so that the reported objective is the basin's minimum, not where one start happened to stop.
LocalSolveOptions ScreeningOptions(const FitOptions& options) {
  LocalSolveOptions local;
  local.max_iterations = options.max_iterations_per_start;
  local.function_tolerance = 1e-10;
  local.gradient_tolerance = 1e-12;
  local.parameter_tolerance = 1e-12;
  return local;
}

LocalSolveOptions PolishingOptions(const FitOptions& options) {
  LocalSolveOptions local;
  local.max_iterations = std::max(options.max_iterations_per_start, 10000);
  local.function_tolerance = 1e-15;
  local.gradient_tolerance = 1e-16;
  local.parameter_tolerance = 1e-15;
  return local;
}

int ThreadCount(const FitOptions& options) {
  if (options.num_threads > 0) return options.num_threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

bool AllFinite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace

std::string_view EstimatorName(Estimator estimator) {
  switch (estimator) {
    case Estimator::kHuberObjective:
      return "objective";
    case Estimator::kHuberLikelihood:
      return "mle";
  }
  return "unknown";
}

Estimator EstimatorFromName(std::string_view name) {
  if (name == "objective") return Estimator::kHuberObjective;
  if (name == "mle") return Estimator::kHuberLikelihood;
  throw InvalidArgument("unknown estimator '" + std::string(name) + "' (known: objective, mle)");
}

bool FitOptions::IsValid(std::string* error) const {
  auto fail = [error](std::string message) {
    if (error != nullptr) *error = std::move(message);
    return false;
  };
  if (!(std::isfinite(huber_delta) && huber_delta > 0)) return fail("huber_delta must be a positive finite number");
  if (num_threads < 0) return fail("num_threads must be >= 0 (0 uses every hardware thread)");
  if (max_iterations_per_start < 1) return fail("max_iterations_per_start must be >= 1");
  if (!(basin_relative_tolerance >= 0 && std::isfinite(basin_relative_tolerance))) {
    return fail("basin_relative_tolerance must be a finite number >= 0");
  }
  for (const std::vector<double>& start : starts) {
    if (!AllFinite(start)) return fail("every starting point must be finite");
  }
  return true;
}

bool Fit(const Dataset& data, const Model& model, const FitOptions& options, FitSummary* summary) {
  const auto clock_start = std::chrono::steady_clock::now();
  if (summary == nullptr) throw InvalidArgument("Fit: summary must not be null");
  std::string problem;
  if (!options.IsValid(&problem)) throw InvalidArgument("invalid fit options: " + problem);
  data.Validate();

  const detail::ModelForm& form = model.form();
  const std::size_t num_internal = form.num_internal();
  const std::size_t num_estimated = num_internal + (options.estimator == Estimator::kHuberLikelihood ? 1 : 0);
  if (data.size() < num_estimated) {
    throw InvalidArgument(fmt::format("{} runs cannot determine the {} parameters of model '{}' ({} estimator)",
                                      data.size(), num_estimated, form.name(), EstimatorName(options.estimator)));
  }
  std::vector<std::vector<double>> starts = options.starts.empty() ? form.DefaultStarts() : options.starts;
  for (const std::vector<double>& start : starts) {
    if (start.size() != num_internal) {
      throw InvalidArgument(fmt::format("a starting point has {} values; model '{}' has {} internal parameters",
                                        start.size(), form.name(), num_internal));
    }
  }

  *summary = FitSummary{};
  summary->model = std::string(form.name());
  summary->estimator = options.estimator;
  summary->huber_delta = options.huber_delta;
  summary->internal_names = form.internal_names();
  summary->num_points = static_cast<int>(data.size());
  summary->data_range = {*std::min_element(data.params.begin(), data.params.end()),
                         *std::max_element(data.params.begin(), data.params.end()),
                         *std::min_element(data.tokens.begin(), data.tokens.end()),
                         *std::max_element(data.tokens.begin(), data.tokens.end())};
  summary->num_starts = static_cast<int>(starts.size());
  auto finish = [&](bool converged, std::string message) {
    summary->converged = converged;
    summary->message = std::move(message);
    summary->wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    return converged;
  };

  const detail::LogDesign design = detail::LogDesign::From(data);
  if (std::string reason = form.IdentifiabilityProblem(design); !reason.empty()) {
    return finish(false, "not identifiable: " + reason);
  }

  // Multi-start on the summed Huber objective.
  detail::HuberObjective objective(form, design, options.huber_delta);
  const std::vector<LocalSolution> solutions =
      detail::MinimizeFromEachStart(objective, starts, ThreadCount(options), ScreeningOptions(options));
  int best = -1;
  for (std::size_t k = 0; k < solutions.size(); ++k) {
    if (!solutions[k].evaluable) {
      ++summary->num_starts_failed;
    } else if (best < 0 || solutions[k].value < solutions[best].value) {
      best = static_cast<int>(k);
    }
  }
  if (best < 0) return finish(false, "no starting point gave a finite objective");
  summary->best_start = best;

  LocalSolution polished = detail::MinimizeLbfgs(objective, solutions[best].x, PolishingOptions(options));
  if (!polished.evaluable || polished.value > solutions[best].value) {
    polished.x = solutions[best].x;
    polished.value = solutions[best].value;
  }
  const double basin_edge = std::max(polished.value, solutions[best].value) * (1 + options.basin_relative_tolerance);
  summary->num_starts_in_best_basin =
      static_cast<int>(std::count_if(solutions.begin(), solutions.end(),
                                     [&](const LocalSolution& s) { return s.evaluable && s.value <= basin_edge; }));
  summary->iterations = solutions[best].iterations + polished.iterations;

  std::vector<double> internal = polished.x;
  double value = polished.value;
  bool converged = solutions[best].converged || polished.converged;
  std::string message = polished.message;

  if (options.estimator == Estimator::kHuberLikelihood) {
    // Besiroglu et al. 2024 maximise the Huber likelihood; start it at the objective's optimum with the scale
    // that is best for those parameters.
    detail::HuberLikelihoodObjective likelihood(form, design, options.huber_delta);
    std::vector<double> start = internal;
    start.push_back(likelihood.ProfileLogScale(internal.data()));
    const LocalSolution mle = detail::MinimizeLbfgs(likelihood, start, PolishingOptions(options));
    if (!mle.evaluable) return finish(false, "the likelihood could not be evaluated at its optimum: " + mle.message);
    internal.assign(mle.x.begin(), mle.x.end() - 1);
    summary->log_scale = mle.x.back();
    value = mle.value;
    converged = mle.converged;
    message = mle.message;
    summary->iterations += mle.iterations;
  }

  summary->internal_params = internal;
  summary->objective = value;
  const std::vector<double> natural = form.ToNatural(internal.data());
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  for (std::size_t j = 0; j < spec.size(); ++j) summary->params[spec[j].natural] = natural[j];

  if (!AllFinite(natural) || !std::isfinite(value)) return finish(false, "the optimum is not finite");
  if (!converged) return finish(false, "the optimiser did not converge: " + message);
  return finish(true, message);
}

double Predict(const FitSummary& fit, double params, double tokens) {
  if (fit.params.empty()) throw InvalidArgument("the fit has no parameters (it did not run to an optimum)");
  return Model::FromName(fit.model).Predict(fit.params, params, tokens);
}

ChinchillaLaw AsChinchillaLaw(const FitSummary& fit) {
  if (fit.model != "chinchilla") {
    throw InvalidArgument("a fit of model '" + fit.model + "' is not a Chinchilla law");
  }
  auto get = [&](const char* name) {
    const auto it = fit.params.find(name);
    if (it == fit.params.end()) throw InvalidArgument(std::string("the fit has no parameter '") + name + "'");
    return it->second;
  };
  return {get("E"), get("A"), get("B"), get("alpha"), get("beta")};
}

std::string FitSummary::BriefReport() const {
  std::string report =
      fmt::format("scalelaw fit: model {}, estimator {}, {} runs\n", model, EstimatorName(estimator), num_points);
  for (const auto& [name, value] : params) report += fmt::format("  {:<6} = {:.6g}\n", name, value);
  if (std::isfinite(objective)) {
    report += fmt::format("  {} = {:.12g}",
                          estimator == Estimator::kHuberObjective ? "objective" : "negative log-likelihood", objective);
    if (std::isfinite(log_scale)) report += fmt::format(" (log-scale sigma = {:.6g})", log_scale);
    report += "\n";
  }
  report += fmt::format("  starts: {} ({} reached the best basin, {} failed); {} iterations; {:.3f} s\n", num_starts,
                        num_starts_in_best_basin, num_starts_failed, iterations, wall_seconds);
  report +=
      fmt::format("  status: {}{}{}\n", converged ? "converged" : "NOT USABLE", message.empty() ? "" : ": ", message);
  return report;
}

}  // namespace scalelaw
