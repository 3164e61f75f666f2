#include "scalelaw/fit/fit.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "fit/model_form.h"
#include "fit/multistart.h"
#include "fit/objectives.h"
#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/laws/law_info.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

using detail::LocalSolution;
using detail::LocalSolveOptions;

// Three stages. Screening: every start runs L-BFGS to a loose tolerance, enough to tell its basin (most of
// the grid's 4500 starts stop early, far from any optimum, or in a basin already found). Converging: the
// kConvergedEndpoints best distinct screened endpoints run on to a tight tolerance. Polishing: the best of
// those is polished to the limit of double precision, so that the reported objective is the basin's minimum.
constexpr int kConvergedEndpoints = 8;
// The polish restarts L-BFGS at most this many times (Refine).
constexpr int kPolishingRestarts = 20;

LocalSolveOptions ScreeningOptions(const FitOptions& options) {
  LocalSolveOptions local;
  local.max_iterations = options.max_iterations_per_start;
  local.function_tolerance = options.screening_tolerance;
  local.gradient_tolerance = 1e-3 * options.screening_tolerance;
  local.parameter_tolerance = 1e-3 * options.screening_tolerance;
  return local;
}

LocalSolveOptions ConvergingOptions(const FitOptions& options) {
  LocalSolveOptions local;
  local.max_iterations = options.max_iterations_per_start;
  local.function_tolerance = 1e-10;
  local.gradient_tolerance = 1e-12;
  local.parameter_tolerance = 1e-12;
  return local;
}

// The indices of up to count evaluable solutions, lowest objective first, no two within distance of each other
// (max-norm over the free parameters): one representative per basin.
std::vector<std::size_t> DistinctBest(const std::vector<LocalSolution>& solutions, int count, double distance) {
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < solutions.size(); ++k) {
    if (solutions[k].evaluable) order.push_back(k);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t p, std::size_t q) { return solutions[p].value < solutions[q].value; });
  std::vector<std::size_t> chosen;
  for (std::size_t k : order) {
    if (static_cast<int>(chosen.size()) >= count) break;
    const bool seen = std::any_of(chosen.begin(), chosen.end(), [&](std::size_t c) {
      for (std::size_t j = 0; j < solutions[k].x.size(); ++j) {
        if (std::abs(solutions[k].x[j] - solutions[c].x[j]) > distance) return false;
      }
      return true;
    });
    if (!seen) chosen.push_back(k);
  }
  return chosen;
}

LocalSolveOptions PolishingOptions(const FitOptions& options) {
  LocalSolveOptions local;
  local.max_iterations = std::max(options.max_iterations_per_start, 10000);
  local.function_tolerance = 1e-15;
  local.gradient_tolerance = 1e-16;
  local.parameter_tolerance = 1e-15;
  return local;
}

int ThreadCount(const FitOptions& options) { return detail::ThreadsToUse(options.num_threads); }

bool AllFinite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

detail::RunLoss RunLossOf(const FitOptions& options) {
  detail::RunLoss loss;
  loss.delta = options.huber_delta;
  loss.asymmetry = options.asymmetry;
  loss.log_residual = ResidualOf(options) == Residual::kLog;
  switch (options.objective) {
    case Objective::kHuber:
      loss.kind = detail::RunLoss::Kind::kHuber;
      break;
    case Objective::kSquaredLog:
    case Objective::kSquared:
      loss.kind = detail::RunLoss::Kind::kSquared;
      break;
    case Objective::kAsymmetric:
      loss.kind = detail::RunLoss::Kind::kAsymmetricHuber;
      break;
    case Objective::kAsymmetricAbsolute:
      // The search runs on the smoothing of threshold delta; Refine shrinks it (SmoothingStages).
      loss.kind = detail::RunLoss::Kind::kAsymmetricAbsolute;
      loss.smoothing = options.huber_delta;
      break;
  }
  return loss;
}

// kAsymmetricAbsolute's continuation: the smoothing thresholds Refine descends through after the search's
// (delta/10, delta/100, ..., 1e-9 delta), then |r| itself. Each stage starts where the last stopped, near its
// optimum, so that L-BFGS never faces the kinks of |r| from far away (smoothing methods for L1 problems, e.g.
// Madsen and Nielsen 1993). Empty for the smooth objectives.
std::vector<double> SmoothingStages(const detail::RunLoss& loss) {
  std::vector<double> stages;
  if (loss.kind != detail::RunLoss::Kind::kAsymmetricAbsolute || !(loss.smoothing > 0)) return stages;
  for (double s = loss.smoothing / 10; s >= loss.smoothing * 0.99e-9; s /= 10) stages.push_back(s);
  return stages;
}

// n points of a Latin hypercube (McKay, Beckman and Conover 1979) in the box the grid spans: each coordinate's
// range is cut into n strata and every stratum is used once, in an order shuffled per coordinate.
std::vector<std::vector<double>> LatinHypercube(const std::vector<std::vector<double>>& grid, int n,
                                                std::uint64_t seed) {
  const std::size_t p = grid.front().size();
  std::mt19937_64 rng = detail::ResampleGenerator(seed, 0);
  std::vector<std::vector<double>> points(n, std::vector<double>(p));
  for (std::size_t j = 0; j < p; ++j) {
    double lo = grid.front()[j], hi = lo;
    for (const std::vector<double>& start : grid) {
      lo = std::min(lo, start[j]);
      hi = std::max(hi, start[j]);
    }
    if (hi == lo) {
      lo -= 1;
      hi += 1;
    }
    // A positive coordinate whose grid spans decades (a coefficient A from 1e-2 to 1e6) is drawn uniformly in its
    // logarithm, as its grid is spaced: drawn linearly, nearly every start would sit in the top decade.
    const bool logarithmic = lo > 0 && hi > 100 * lo;
    if (logarithmic) {
      lo = std::log(lo);
      hi = std::log(hi);
    }
    std::vector<int> strata(n);
    for (int i = 0; i < n; ++i) strata[i] = i;
    for (int i = n - 1; i > 0; --i) std::swap(strata[i], strata[detail::Draw(rng, static_cast<std::size_t>(i) + 1)]);
    for (int i = 0; i < n; ++i) {
      const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // uniform in [0, 1)
      points[i][j] = lo + (hi - lo) * (strata[i] + u) / n;
      if (logarithmic) points[i][j] = std::exp(points[i][j]);
    }
  }
  return points;
}

// FitOptions::grid over the model's own grid: every combination of each parameter's values, in the order of
// parameters(); a parameter not named keeps the distinct values its coordinate takes in the form's grid.
std::vector<std::vector<double>> GridStarts(const detail::ModelForm& form,
                                            const std::map<std::string, std::vector<double>>& grid,
                                            const detail::LogDesign& design) {
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  for (const auto& [name, values] : grid) {
    form.IndexOfNatural(name);  // throws naming the known parameters
    if (values.empty()) throw InvalidArgument("the starting grid of '" + name + "' has no values");
  }
  const std::vector<std::vector<double>> own = form.StartsFor(design);
  std::vector<std::vector<double>> axes;
  for (std::size_t j = 0; j < spec.size(); ++j) {
    std::vector<double> values;
    if (const auto it = grid.find(spec[j].natural); it != grid.end()) {
      for (double v : it->second) {
        if (!std::isfinite(v) || (spec[j].log_scaled && !(v > 0))) {
          throw InvalidArgument("the starting grid of '" + spec[j].natural + "' has the invalid value " +
                                FormatNumber(v) + (spec[j].log_scaled ? " (it must be positive)" : ""));
        }
        values.push_back(spec[j].log_scaled ? std::log(v) : v);
      }
    } else {
      for (const std::vector<double>& start : own) values.push_back(start[j]);
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
    }
    axes.push_back(std::move(values));
  }
  return detail::CartesianProduct(axes);
}

// A layout with the options' fixed and tied parameters (natural names) taken out of the optimisation.
detail::ParameterLayout MakeLayout(const detail::ModelForm& form, const FitOptions& options) {
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  const int p = static_cast<int>(spec.size());
  std::vector<int> group(p);  // each parameter's representative
  for (int j = 0; j < p; ++j) group[j] = j;
  auto root = [&](int j) {
    while (group[j] != j) j = group[j];
    return j;
  };
  for (const auto& [leader, follower] : options.tied) {
    const int a = static_cast<int>(form.IndexOfNatural(leader)), b = static_cast<int>(form.IndexOfNatural(follower));
    if (spec[a].log_scaled != spec[b].log_scaled) {
      throw InvalidArgument("cannot tie '" + leader + "' to '" + follower + "': one is a coefficient, one an exponent");
    }
    group[root(b)] = root(a);
  }
  detail::ParameterLayout layout;
  layout.source.assign(p, -2);
  layout.value.assign(p, 0.0);
  for (const auto& [name, value] : options.fixed) {
    const int j = static_cast<int>(form.IndexOfNatural(name));
    if (!std::isfinite(value) || (spec[j].log_scaled && !(value > 0))) {
      throw InvalidArgument("fixed parameter '" + name + "': " + FormatNumber(value) + " is not a valid value" +
                            (spec[j].log_scaled ? " (it must be positive)" : ""));
    }
    const double internal = spec[j].log_scaled ? std::log(value) : value;
    for (int k = 0; k < p; ++k) {
      if (root(k) == root(j)) {
        layout.source[k] = -1;
        layout.value[k] = internal;
      }
    }
  }
  std::vector<int> free_index(p, -1);
  for (int j = 0; j < p; ++j) {
    if (layout.source[j] == -1) continue;
    const int r = root(j);
    if (free_index[r] < 0) free_index[r] = layout.num_free++;
    layout.source[j] = free_index[r];
  }
  if (layout.num_free == 0) throw InvalidArgument("every parameter is fixed: nothing to fit");
  layout.lower.assign(layout.num_free, -std::numeric_limits<double>::infinity());
  layout.upper.assign(layout.num_free, std::numeric_limits<double>::infinity());
  std::map<std::string, std::pair<double, double>> bounds = form.DefaultBounds();
  for (const auto& [name, range] : options.bounds) bounds[name] = range;
  for (const auto& [name, range] : bounds) {
    const int j = static_cast<int>(form.IndexOfNatural(name));
    const auto [lo, hi] = range;
    if (std::isnan(lo) || std::isnan(hi) || !(lo < hi)) {
      throw InvalidArgument("bounds of '" + name + "': expected lower < upper, got " + FormatNumber(lo) + ":" +
                            FormatNumber(hi));
    }
    if (layout.source[j] < 0) {
      if (options.bounds.count(name) == 0) continue;  // a form's default bound on a parameter the user fixed
      throw InvalidArgument("bounds of '" + name + "': the parameter is fixed");
    }
    // Bounds on a log-scaled parameter (A = e^a) become bounds on its logarithm; 0 becomes an open side.
    auto internal = [&](double v) {
      if (!spec[j].log_scaled) return v;
      return v <= 0 ? -std::numeric_limits<double>::infinity() : std::log(v);
    };
    const int k = layout.source[j];
    layout.lower[k] = std::max(layout.lower[k], internal(lo));
    layout.upper[k] = std::min(layout.upper[k], internal(hi));
    if (!(layout.lower[k] < layout.upper[k])) {
      throw InvalidArgument("bounds of '" + name + "': the interval is empty for this parameter");
    }
  }
  return layout;
}

std::vector<double> Expand(const detail::ParameterLayout& layout, const std::vector<double>& free) {
  std::vector<double> full(layout.source.size());
  layout.Expand(free.data(), full.data());
  return full;
}

std::map<std::string, double> NaturalParameters(const detail::ModelForm& form, const std::vector<double>& internal) {
  std::map<std::string, double> params;
  const std::vector<double> natural = form.ToNatural(internal.data());
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  for (std::size_t j = 0; j < spec.size(); ++j) params[spec[j].natural] = natural[j];
  return params;
}

struct Estimate {
  std::vector<double> internal;  // all model parameters, fixed ones included
  double objective = 0;
  double log_scale = std::numeric_limits<double>::quiet_NaN();
  bool evaluable = false;
  bool converged = false;
  int iterations = 0;
  std::string message;
};

// The estimator's optimum from a start near it: the Huber objective polished to the limit of double
// precision, then (kHuberLikelihood) the likelihood from that point with its best scale
// (Besiroglu et al. 2024 maximise the Huber likelihood). With a preconditioner (a q x q row-major matrix M over
// the free parameters), L-BFGS moves z in x = x_start + M z (see PreconditionedObjective).
Estimate Refine(const detail::ModelForm& form, const detail::LogDesign& design, const FitOptions& options,
                const detail::ParameterLayout& layout, const std::vector<double>& start, const LocalSolveOptions& solve,
                int max_restarts, const std::vector<double>* preconditioner = nullptr) {
  Estimate estimate;
  const detail::RunLoss run_loss = RunLossOf(options);
  detail::ReducedObjective objective(detail::HuberObjective(form, design, run_loss), layout);
  LocalSolution polished;
  if (preconditioner == nullptr) {
    polished = detail::MinimizeLbfgs(objective, layout.Reduce(start), solve);
  } else {
    detail::PreconditionedObjective in_metric(objective, layout.Reduce(start), *preconditioner);
    polished = detail::MinimizeLbfgs(in_metric, std::vector<double>(layout.num_free, 0.0), solve);
    polished.x = in_metric.ToX(polished.x);
  }
  // Restart L-BFGS from where it stopped while that still lowers the objective: near the optimum the Huber
  // kinks leave its curvature memory stale, and a fresh start goes on down a flat valley.
  auto restart = [&](detail::SmoothObjective& f, LocalSolution& at) {
    for (int k = 0; k < max_restarts && at.evaluable; ++k) {
      LocalSolution again = detail::MinimizeLbfgs(f, at.x, solve);
      if (!again.evaluable || !(again.value < at.value)) break;
      again.iterations += at.iterations;
      at = std::move(again);
    }
  };
  restart(objective, polished);
  // An absolute objective: descend through ever finer smoothings, then value the point by |r| itself.
  const std::vector<double> stages = SmoothingStages(run_loss);
  detail::RunLoss exact = run_loss;
  exact.smoothing = 0;
  detail::ReducedObjective exact_objective(detail::HuberObjective(form, design, exact), layout);
  for (double smoothing : stages) {
    if (!polished.evaluable) break;
    detail::RunLoss finer = run_loss;
    finer.smoothing = smoothing;
    detail::ReducedObjective stage(detail::HuberObjective(form, design, finer), layout);
    LocalSolution next = detail::MinimizeLbfgs(stage, polished.x, solve);
    if (!next.evaluable) break;
    restart(stage, next);
    next.iterations += polished.iterations;
    polished = std::move(next);
  }
  detail::SmoothObjective& valued = stages.empty() ? static_cast<detail::SmoothObjective&>(objective) : exact_objective;
  if (!stages.empty() && polished.evaluable) valued.Evaluate(polished.x.data(), &polished.value, nullptr);
  estimate.internal = polished.evaluable ? Expand(layout, polished.x) : start;
  double start_value = 0;
  const std::vector<double> reduced_start = layout.Reduce(start);
  valued.Evaluate(reduced_start.data(), &start_value, nullptr);
  if (!polished.evaluable || polished.value > start_value) estimate.internal = start;
  estimate.objective = polished.evaluable ? std::min(polished.value, start_value) : start_value;
  estimate.evaluable = std::isfinite(estimate.objective);
  estimate.converged = polished.converged;
  estimate.iterations = polished.iterations;
  estimate.message = polished.message;
  if (options.estimator == Estimator::kHuberObjective || !estimate.evaluable) return estimate;

  detail::HuberLikelihoodObjective likelihood(form, design, options.huber_delta);
  detail::ParameterLayout with_scale = layout;
  with_scale.source.push_back(layout.num_free);
  with_scale.value.push_back(0.0);
  with_scale.lower.push_back(-std::numeric_limits<double>::infinity());
  with_scale.upper.push_back(std::numeric_limits<double>::infinity());
  ++with_scale.num_free;
  std::vector<double> full = estimate.internal;
  full.push_back(likelihood.ProfileLogScale(estimate.internal.data()));
  detail::ReducedObjective reduced(likelihood, with_scale);
  // The likelihood keeps Ceres: at its optimum the scale is tiny (sigma about -12), the fit is in effect one of
  // least absolute deviations, and its minimum a kink in a flat-bottomed valley where L-BFGS stops wherever its
  // line search does; bootstrap standard errors from the two engines differed by about 6% there (400 resamples).
  LocalSolveOptions likelihood_solve = solve;
  likelihood_solve.engine = LocalSolveOptions::Engine::kCeres;
  const LocalSolution mle = detail::MinimizeLbfgs(reduced, with_scale.Reduce(full), likelihood_solve);
  estimate.evaluable = mle.evaluable;
  if (!mle.evaluable) {
    estimate.message = "the likelihood could not be evaluated: " + mle.message;
    return estimate;
  }
  full = Expand(with_scale, mle.x);
  estimate.log_scale = full.back();
  full.pop_back();
  estimate.internal = full;
  estimate.objective = mle.value;
  estimate.converged = mle.converged;
  estimate.iterations += mle.iterations;
  estimate.message = mle.message;
  return estimate;
}

// The Gauss-Newton information sum_i w_i j_i j_i^T over the free parameters at the internal point, j_i the
// gradient of the residual r_i, of log L_hat_i or of L_hat_i (the summed columns of a tied group), accumulated block by
// block (Eigen's product of each block's rows) so that no n x p matrix exists. With free_point, the columns also carry
// the bound maps' derivatives d internal / d z (the coordinates L-BFGS moves); without, they are internal coordinates.
// Adds sum_i w_i r_i^2 to *weighted_squares when that is not null.
Eigen::MatrixXd GaussNewtonInformation(const detail::ModelForm& form, const detail::LogDesign& design,
                                       const detail::ParameterLayout& layout, const std::vector<double>& internal,
                                       const double* free_point, double* weighted_squares, Residual residual) {
  const std::size_t n = design.size(), p = form.num_internal();
  const int q = layout.num_free;
  const std::size_t rows = std::min(n, detail::kEvaluationBlock);
  std::vector<double> log_prediction(rows), jacobian(rows * p), chain(p, 1.0);
  for (std::size_t j = 0; j < p; ++j) {
    const int k = layout.source[j];
    if (k >= 0 && free_point != nullptr) chain[j] = layout.Derivative(k, free_point[k]);
  }
  Eigen::MatrixXd j_free(rows, q);
  Eigen::MatrixXd information = Eigen::MatrixXd::Zero(q, q);
  detail::ForEachBlock(n, [&](std::size_t begin, std::size_t count) {
    if (residual == Residual::kLog) {
      form.LogPredictBlock(internal.data(), design, begin, count, log_prediction.data(), jacobian.data());
    } else {
      form.PredictBlock(internal.data(), design, begin, count, log_prediction.data(), jacobian.data());
    }
    j_free.setZero();
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t i = begin + k;
      const double r = log_prediction[k] - (residual == Residual::kLog ? design.log_loss[i] : design.value(i));
      if (weighted_squares != nullptr) *weighted_squares += design.weight(i) * r * r;
      for (std::size_t j = 0; j < p; ++j) {
        if (layout.source[j] >= 0) {
          j_free(k, layout.source[j]) += std::sqrt(design.weight(i)) * chain[j] * jacobian[k * p + j];
        }
      }
    }
    information.noalias() += j_free.topRows(count).transpose() * j_free.topRows(count);
  });
  return information;
}

// Why the optimum is not a minimum of the bounded problem, or empty when it is one. A bounded parameter moves
// through a transform whose slope vanishes at the bound (lower + e^z; a sigmoid between two), so a start that
// the search drives onto a bound stops there with a vanishing gradient in z even where the objective still falls
// inward: a parameter within a relative 1e-6 of a bound at which moving inward by 1e-3 of its scale would lower
// the objective by more than 1e-6 of it violates the Karush-Kuhn-Tucker conditions, and the fit did not converge.
std::string StuckOnBound(const detail::ModelForm& form, const detail::LogDesign& design, const FitOptions& options,
                         const detail::ParameterLayout& layout, const Estimate& estimate) {
  // The likelihood estimator's objective has its own scale; its gradient is not the Huber objective's.
  if (layout.lower.empty() || options.estimator != Estimator::kHuberObjective) return {};
  detail::HuberObjective objective(form, design, RunLossOf(options));
  const std::size_t p = estimate.internal.size();
  double value = 0;
  std::vector<double> gradient(p);
  if (!objective.Evaluate(estimate.internal.data(), &value, gradient.data()) || !std::isfinite(value)) return {};
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  const std::vector<double> natural = form.ToNatural(estimate.internal.data());
  for (std::size_t j = 0; j < p; ++j) {
    const int k = layout.source[j];
    if (k < 0 || !std::isfinite(gradient[j])) continue;
    const double x = estimate.internal[j];
    for (const double bound : {layout.lower[k], layout.upper[k]}) {
      if (!std::isfinite(bound)) continue;
      const double scale = std::max(1.0, std::abs(bound));
      const double inward = bound == layout.lower[k] ? 1.0 : -1.0;
      if (std::abs(x - bound) > 1e-6 * scale) continue;
      if (!(-inward * gradient[j] * 1e-3 * scale > 1e-6 * std::abs(value))) continue;
      return fmt::format(
          "{} ended on its {} bound ({}) where the objective still falls inward (the search was "
          "driven onto the bound and stopped there); other starts (--starts grid, or lhs with "
          "another seed) or a bound away from it may find the minimum",
          spec[j].natural, inward > 0 ? "lower" : "upper", FormatNumber(natural[j]));
    }
  }
  return {};
}

// True when the objective's gradient over the free parameters at estimate is negligible: a change of 1e-3 in
// every free coordinate would move the objective by less than 1e-10 of it (the refit's own tolerance).
bool AtStationaryPoint(const detail::ModelForm& form, const detail::LogDesign& design, const FitOptions& options,
                       const detail::ParameterLayout& layout, const Estimate& estimate) {
  detail::ReducedObjective objective(detail::HuberObjective(form, design, RunLossOf(options)), layout);
  const std::vector<double> at = layout.Reduce(estimate.internal);
  double value = 0;
  std::vector<double> gradient(at.size());
  if (!objective.Evaluate(at.data(), &value, gradient.data())) return false;
  double slope = 0;
  for (double g : gradient) slope += std::abs(g);
  return 1e-3 * slope <= 1e-10 * std::abs(value);
}

// How well the runs pin the free parameters at the optimum, from the Gauss-Newton information H = J^T W J
// (the Laplace approximation): the covariance s^2 H^-1, s^2 = sum w r^2 / (n - q) over the q free parameters.
// H is judged in correlation form, R = S H S with S = diag(H)^-1/2, so that parameters of unlike scales
// (Chinchilla's a = log A next to alpha, whose column carries log N ~ 20) do not pass for a singular matrix:
// R's condition number is at most kMaxCorrelationCondition, else the eigenvector of its smallest eigenvalue is the
// combination of parameters the runs leave free.
constexpr double kMaxCorrelationCondition = 1e12;

struct LaplaceCovariance {
  bool singular = false;              // H has no usable inverse; free_combination names the parameters involved
  std::vector<int> free_combination;  // free indices with a large component in R's weakest direction
  Eigen::MatrixXd covariance;         // s^2 H^-1 over the free parameters; empty when singular or n <= q
};

LaplaceCovariance CovarianceAtOptimum(const Eigen::MatrixXd& information, double weighted_squares, std::size_t n) {
  LaplaceCovariance out;
  const Eigen::Index q = information.rows();
  if (q == 0) return out;
  const Eigen::VectorXd scale = information.diagonal().cwiseSqrt().cwiseInverse();
  if (!scale.allFinite()) {
    out.singular = true;
    return out;
  }
  const Eigen::MatrixXd correlation = scale.asDiagonal() * information * scale.asDiagonal();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(correlation);
  if (eigen.info() != Eigen::Success) {
    out.singular = true;
    return out;
  }
  const double smallest = eigen.eigenvalues()(0), largest = eigen.eigenvalues()(q - 1);
  if (!(smallest > largest / kMaxCorrelationCondition)) {
    out.singular = true;
    const Eigen::VectorXd direction = eigen.eigenvectors().col(0);
    const double peak = direction.cwiseAbs().maxCoeff();
    for (Eigen::Index k = 0; k < q; ++k) {
      if (std::abs(direction(k)) >= 0.2 * peak) out.free_combination.push_back(static_cast<int>(k));
    }
    return out;
  }
  if (n <= static_cast<std::size_t>(q)) return out;
  const double s2 = weighted_squares / (static_cast<double>(n) - static_cast<double>(q));
  const Eigen::MatrixXd inverse_correlation =
      eigen.eigenvectors() * eigen.eigenvalues().cwiseInverse().asDiagonal() * eigen.eigenvectors().transpose();
  out.covariance = s2 * scale.asDiagonal() * inverse_correlation * scale.asDiagonal();
  return out;
}

// Standard errors of the natural parameters from the Laplace covariance, by the delta method (A = e^a has SE
// A·SE(a)). A quick local summary; the bootstrap is the honest one for this loss surface. Empty without a
// covariance.
std::map<std::string, double> LaplaceStandardErrors(const detail::ModelForm& form,
                                                    const detail::ParameterLayout& layout,
                                                    const std::vector<double>& internal,
                                                    const Eigen::MatrixXd& covariance) {
  if (covariance.size() == 0) return {};
  std::map<std::string, double> se;
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  const std::vector<double> natural = form.ToNatural(internal.data());
  for (std::size_t j = 0; j < spec.size(); ++j) {
    const double variance = layout.source[j] >= 0 ? covariance(layout.source[j], layout.source[j]) : 0.0;
    if (!(variance >= 0) || !std::isfinite(variance)) return {};
    se[spec[j].natural] = std::sqrt(variance) * (spec[j].log_scaled ? natural[j] : 1.0);
  }
  return se;
}

// The positive parameters of a fit, whose precision is judged as a factor (FitOptions::max_parameter_span): the
// free ones the form fits on a log scale (A = e^a) and those bounded below by zero with a positive value; for
// each, its natural name, value and free index.
struct PositiveParameter {
  std::string natural;
  double value = 0;
  int free_index = -1;
  bool log_scaled = false;
};

std::vector<PositiveParameter> PositiveParameters(const detail::ModelForm& form, const detail::ParameterLayout& layout,
                                                  const std::vector<double>& internal) {
  std::vector<PositiveParameter> out;
  const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
  const std::vector<double> natural = form.ToNatural(internal.data());
  for (std::size_t j = 0; j < spec.size(); ++j) {
    const int k = layout.source[j];
    if (k < 0 || !(natural[j] > 0)) continue;
    if (spec[j].log_scaled || layout.lower[k] >= 0) out.push_back({spec[j].natural, natural[j], k, spec[j].log_scaled});
  }
  return out;
}

// Why the runs do not pin a positive parameter to within max_span (its Laplace 95% interval on the log scale,
// exp(log theta +- 1.96 SE(log theta)), SE(log theta) = SE(theta)/theta for one not fitted on a log scale), or
// empty when they pin every one.
std::string UnpinnedByLaplace(const std::vector<PositiveParameter>& positive, const Eigen::MatrixXd& covariance,
                              double max_span) {
  if (covariance.size() == 0 || !std::isfinite(max_span)) return {};
  for (const PositiveParameter& p : positive) {
    const double se = std::sqrt(covariance(p.free_index, p.free_index));
    const double log_se = p.log_scaled ? se : se / p.value;
    if (!(2 * 1.96 * log_se > std::log(max_span))) continue;
    const double lo = p.value * std::exp(-1.96 * log_se), hi = p.value * std::exp(1.96 * log_se);
    return fmt::format(
        "the runs do not pin {}: its 95% interval (Laplace, on log {}) is [{}, {}], a factor {} wide "
        "(more than the {} allowed: max_parameter_span)",
        p.natural, p.natural, FormatNumber(lo), FormatNumber(hi), FormatNumber(hi / lo), FormatNumber(max_span));
  }
  return {};
}

// The same judgement on the bootstrap's 95% percentile interval of each positive parameter.
std::string UnpinnedByBootstrap(const std::vector<PositiveParameter>& positive,
                                const std::map<std::string, ResampleSummary>& uncertainty, double max_span) {
  if (!std::isfinite(max_span)) return {};
  for (const PositiveParameter& p : positive) {
    const auto it = uncertainty.find(p.natural);
    if (it == uncertainty.end()) continue;
    const auto [lo, hi] = it->second.ci95;
    if (lo > 0 && hi / lo <= max_span) continue;
    return fmt::format(
        "the runs do not pin {}: its bootstrap 95% interval is [{}, {}]{} (more than the factor {} "
        "allowed: max_parameter_span)",
        p.natural, FormatNumber(lo), FormatNumber(hi), lo > 0 ? ", a factor " + FormatNumber(hi / lo) + " wide" : "",
        FormatNumber(max_span));
  }
  return {};
}

// A hint for a law in N and D whose runs span little compute: the spread of C = 6ND is what separates the terms
// of N from those of D and from the constant (runs from one isoFLOP curve share one C up to their scatter).
std::string ComputeSpanHint(const Dataset& data) {
  if (data.params.empty() || data.tokens.empty()) return {};
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (std::size_t i = 0; i < data.params.size(); ++i) {
    const double c = 6 * data.params[i] * data.tokens[i];
    lo = std::min(lo, c);
    hi = std::max(hi, c);
  }
  if (!(lo > 0) || hi / lo >= 10) return {};
  return fmt::format(
      "; the runs' compute 6ND spans a factor {} only ({} to {} FLOPs): runs at other budgets pin the "
      "law",
      FormatNumber(hi / lo), FormatNumber(lo), FormatNumber(hi));
}

// Nonparametric bootstrap (Besiroglu et al. 2024 used 4000 resamples): resample the runs with replacement,
// refit each from the full-data optimum, and summarise every parameter and derived quantity by
// SummarizeResamples (mean, standard deviation with ddof 1, 2.5/97.5 percentiles). Resample k draws from its own
// generator seeded by (seed, k), so the result does not depend on the number of threads. Returns false when
// FitOptions::progress stopped it.
bool Bootstrap(const detail::ModelForm& form, const detail::LogDesign& full, const FitOptions& options,
               const detail::ParameterLayout& layout, const Estimate& full_fit, FitSummary* summary) {
  const int resamples = options.bootstrap_resamples;
  const std::size_t n = full.size();
  std::vector<std::map<std::string, double>> draws(resamples);
  std::vector<char> ok(resamples, 0);
  // A resample's objective is a sum over its runs, so a run drawn c times is the run once with weight c:
  // each refit sees only the distinct runs drawn (about 63% of them), weighted by their counts, and the
  // logarithms of the full design are reused. Refits start from the full-data optimum and converge to
  // 1e-10 in the objective, far below the spread between resamples.
  LocalSolveOptions solve = ConvergingOptions(options);
  solve.engine = LocalSolveOptions::Engine::kLbfgspp;
  // Chinchilla's parameters are badly scaled and strongly correlated (a moves with alpha log N, log N ~ 20), and
  // L-BFGS from a start whose Hessian guess is a multiple of the identity spends most of its iterations learning
  // that. Every resample is a reweighting of the same runs, so the full data's Gauss-Newton information
  // H = J^T W J at the optimum is the shape of every refit's basin: refits move z in x = x_hat + L^-T z,
  // H = L L^T, in which that basin is round. Without a positive-definite H, they move x itself.
  std::vector<double> preconditioner;
  {
    const std::vector<double> origin = layout.Reduce(full_fit.internal);
    const Eigen::MatrixXd information =
        GaussNewtonInformation(form, full, layout, full_fit.internal, origin.data(), nullptr, ResidualOf(options));
    const Eigen::LLT<Eigen::MatrixXd> cholesky(information);
    if (cholesky.info() == Eigen::Success) {
      const int q = layout.num_free;
      const Eigen::MatrixXd inverse_upper = cholesky.matrixU().solve(Eigen::MatrixXd::Identity(q, q));  // L^-T
      if (inverse_upper.allFinite()) {
        preconditioner.resize(q * q);
        for (int r = 0; r < q; ++r)
          for (int c = 0; c < q; ++c) preconditioner[r * q + c] = inverse_upper(r, c);
      }
    }
  }
  auto resample = [&](int k) {
    std::mt19937_64 rng = detail::ResampleGenerator(options.bootstrap_seed, static_cast<std::uint64_t>(k));
    std::vector<int> counts(n, 0);
    for (std::size_t i = 0; i < n; ++i) ++counts[detail::Draw(rng, n)];
    const detail::LogDesign design = full.Subset(counts);
    Estimate estimate = Refine(form, design, options, layout, full_fit.internal, solve, 0,
                               preconditioner.empty() ? nullptr : &preconditioner);
    // LBFGSpp can stop on its first line search with every trial above the start, returning the full-data optimum
    // itself as the resample's: a draw the optimiser never moved, which would narrow every interval. Such a refit
    // runs again with Ceres' line search; a resample still unmoved although its gradient is not zero failed.
    if (estimate.evaluable && estimate.internal == full_fit.internal) {
      LocalSolveOptions ceres = solve;
      ceres.engine = LocalSolveOptions::Engine::kCeres;
      estimate = Refine(form, design, options, layout, full_fit.internal, ceres, 0);
      if (estimate.internal == full_fit.internal && !AtStationaryPoint(form, design, options, layout, estimate)) {
        return;
      }
    }
    if (!estimate.evaluable || !AllFinite(estimate.internal)) return;
    draws[k] = NaturalParameters(form, estimate.internal);
    for (const auto& [name, value] : form.Derived(draws[k], options.at_flops)) draws[k][name] = value;
    ok[k] = 1;
  };
  std::atomic<bool> stop{false};
  std::atomic<int> done{0};
  detail::ParallelFor(resamples, ThreadCount(options), [&](int k) {
    if (stop) return;
    resample(k);
    if (options.progress && !options.progress("bootstrap", ++done, resamples)) stop = true;
  });
  if (stop) return false;

  summary->bootstrap_resamples = resamples;
  summary->bootstrap_seed = options.bootstrap_seed;
  summary->bootstrap_failed = static_cast<int>(std::count(ok.begin(), ok.end(), 0));
  if (resamples - summary->bootstrap_failed < 2) return true;
  std::map<std::string, std::vector<double>> columns;
  for (int k = 0; k < resamples; ++k) {
    if (!ok[k]) continue;
    for (const auto& [name, value] : draws[k]) columns[name].push_back(value);
    std::map<std::string, double> parameters;
    for (const std::string& name : form.natural_names()) parameters[name] = draws[k].at(name);
    summary->bootstrap_draws.push_back(std::move(parameters));
  }
  // A quantity that is not finite in some resample (a derived N_opt beyond a double) gets no summary.
  for (auto& [name, values] : columns) {
    if (AllFinite(values)) {
      summary->uncertainty[name] = SummarizeResamples(std::move(values), summary->bootstrap_failed);
    }
  }
  return true;
}

}  // namespace

const std::vector<ObjectiveInfo>& ObjectiveTable() {
  // Huber on log residuals is Hoffmann et al. 2022 (arXiv:2203.15556, App. D.2, Eq. 11); the others are the
  // usual least-squares alternatives, a one-sided Huber for a loss floor, and its absolute form, the `chinchilla`
  // package's asymmetric MAE (quantile regression, Koenker and Bassett 1978; see detail::HuberObjective).
  static const std::vector<ObjectiveInfo> table = {
      {Objective::kHuber, "huber", "Huber_delta(r)", Residual::kLog, "robust to outliers (the replication's choice)",
       "summed Huber, delta {delta} on {residual}"},
      {Objective::kSquaredLog, "squared-log", "r^2/2", Residual::kLog, "least squares in log space",
       "summed squared residuals of {residual}"},
      {Objective::kSquared, "squared", "r^2/2", Residual::kLoss, "least squares on the loss itself",
       "summed squared residuals of {residual}"},
      {Objective::kAsymmetric, "asymmetric", "Huber_delta(r), over-predictions (r > 0) weighted by asymmetry",
       Residual::kLog, "a loss floor fitted through under-tuned runs, which only sit above it",
       "summed Huber (delta {delta}) on {residual}, over-predictions x{asymmetry}"},
      {Objective::kAsymmetricAbsolute, "asymmetric-absolute", "abs(r), over-predictions (r > 0) weighted by asymmetry",
       Residual::kLog,
       "a loss floor with no threshold to choose (the chinchilla package's asymmetric MAE, asymmetry 10)",
       "summed absolute residuals of {residual}, over-predictions x{asymmetry}"},
  };
  return table;
}

const std::vector<ResidualInfo>& ResidualTable() {
  static const std::vector<ResidualInfo> table = {
      {Residual::kLog, "log", "log L_hat - log L",
       "relative errors, for losses far apart (Hoffmann et al. 2022); every loss must be positive", "log loss"},
      {Residual::kLoss, "loss", "L_hat - L",
       "absolute errors; the loss may be zero or negative (Tao et al. 2024's unigram-normalised loss)", "the loss"},
  };
  return table;
}

Residual ResidualOf(const FitOptions& options) {
  return options.residual.value_or(Describe(options.objective).residual);
}

const std::vector<EstimatorInfo>& EstimatorTable() {
  static const std::vector<EstimatorInfo> table = {
      {Estimator::kHuberObjective, "objective",
       "sum_i w_i rho(r_i) over the runs, rho the objective chosen (a sum, not a mean)",
       "Hoffmann et al. 2022, arXiv:2203.15556, Eq. 11; Besiroglu et al. 2024, arXiv:2404.10102", "objective",
       "objective"},
      {Estimator::kHuberLikelihood, "mle",
       "the negative log-likelihood of a Huber-shaped error density on log L with a free log-scale sigma",
       "Besiroglu et al. 2024, arXiv:2404.10102, the replication's point estimate", "mle, Huber likelihood",
       "neg. log-lik."},
  };
  return table;
}

const std::vector<StartStrategyInfo>& StartStrategyTable() {
  static const std::vector<StartStrategyInfo> table = {
      {StartStrategy::kAuto, "auto", "auto",
       "variable projection where the model is linear in some parameters (chinchilla), else the grid"},
      {StartStrategy::kGrid, "grid", "grid",
       "the model's grid (the Epoch grid of 4500 points for chinchilla), or the starting grid given"},
      {StartStrategy::kLatinHypercube, "lhs", "lhs:N",
       "N Latin-hypercube points in the box the grid spans, from the seed"},
      {StartStrategy::kVariableProjection, "varpro", "varpro[:K]",
       "variable projection (Golub and Pereyra 1973): the linear parameters solved over a scan of the others, "
       "L-BFGS from the K best distinct minima of the scan"},
  };
  return table;
}

namespace {

// The row of table whose id is id (every enumerator has one: the tables list them in order).
template <typename Info, typename Id>
const Info& RowOf(const std::vector<Info>& table, Id id) {
  return table[static_cast<std::size_t>(id)];
}

// The row named name, or InvalidArgument("unknown KIND 'name' (known: a, b, c)").
template <typename Info>
const Info& RowNamed(const std::vector<Info>& table, std::string_view name, const char* kind) {
  std::string known;
  for (const Info& row : table) {
    if (row.name == name) return row;
    known += (known.empty() ? "" : ", ") + std::string(row.name);
  }
  throw InvalidArgument(fmt::format("unknown {} '{}' (known: {})", kind, name, known));
}

}  // namespace

const ObjectiveInfo& Describe(Objective objective) { return RowOf(ObjectiveTable(), objective); }
const ResidualInfo& Describe(Residual residual) { return RowOf(ResidualTable(), residual); }
std::string_view ResidualName(Residual residual) { return Describe(residual).name; }
Residual ResidualFromName(std::string_view name) { return RowNamed(ResidualTable(), name, "residual").id; }
const EstimatorInfo& Describe(Estimator estimator) { return RowOf(EstimatorTable(), estimator); }
std::string_view ObjectiveName(Objective objective) { return Describe(objective).name; }
std::string_view EstimatorName(Estimator estimator) { return Describe(estimator).name; }
Objective ObjectiveFromName(std::string_view name) { return RowNamed(ObjectiveTable(), name, "objective").id; }
Estimator EstimatorFromName(std::string_view name) { return RowNamed(EstimatorTable(), name, "estimator").id; }
std::string_view StartStrategyName(StartStrategy strategy) { return RowOf(StartStrategyTable(), strategy).name; }
StartStrategy StartStrategyFromName(std::string_view name) {
  return RowNamed(StartStrategyTable(), name, "start strategy").id;
}

bool FitOptions::IsValid(std::string* error) const {
  auto fail = [error](std::string message) {
    if (error != nullptr) *error = std::move(message);
    return false;
  };
  if (!(std::isfinite(huber_delta) && huber_delta > 0)) return fail("huber_delta must be a positive finite number");
  if (num_threads < 0) return fail("num_threads must be >= 0 (0 uses every hardware thread)");
  if (max_iterations_per_start < 1) return fail("max_iterations_per_start must be >= 1");
  if (bootstrap_resamples < 0) return fail("bootstrap_resamples must be >= 0");
  if (latin_hypercube_starts < 1 || latin_hypercube_starts > 1000000) {
    return fail("latin_hypercube_starts must be between 1 and 1000000");
  }
  if (projected_starts < 1 || projected_starts > 10000) return fail("projected_starts must be between 1 and 10000");
  if (start_strategy == StartStrategy::kVariableProjection && (!starts.empty() || !grid.empty())) {
    return fail("variable projection chooses its own starts: give no grid or explicit starts with it");
  }
  if (!(asymmetry > 0 && std::isfinite(asymmetry))) return fail("asymmetry must be a positive finite number");
  if (objective == Objective::kSquaredLog && residual == Residual::kLoss) {
    return fail(fmt::format("objective '{}' is squared on log residuals; on the loss itself use objective '{}'",
                            ObjectiveName(objective), ObjectiveName(Objective::kSquared)));
  }
  if (estimator == Estimator::kHuberLikelihood && objective != Objective::kHuber) {
    return fail(fmt::format("the {} estimator is the likelihood of the {} objective and takes no other (got {})",
                            EstimatorName(estimator), ObjectiveName(Objective::kHuber), ObjectiveName(objective)));
  }
  if (estimator == Estimator::kHuberLikelihood && ResidualOf(*this) != Residual::kLog) {
    return fail(fmt::format("the {} estimator is a likelihood of log residuals and takes no residual '{}'",
                            EstimatorName(estimator), ResidualName(ResidualOf(*this))));
  }
  if (!std::isnan(at_flops) && !(at_flops > 0 && std::isfinite(at_flops))) {
    return fail("at_flops must be a positive finite number");
  }
  if (!(screening_tolerance > 0 && screening_tolerance < 1)) return fail("screening_tolerance must be in (0, 1)");
  if (!(basin_relative_tolerance >= 0 && std::isfinite(basin_relative_tolerance))) {
    return fail("basin_relative_tolerance must be a finite number >= 0");
  }
  if (!(max_parameter_span > 1)) return fail("max_parameter_span must be a number > 1 (infinity: never judged)");
  for (const std::vector<double>& start : starts) {
    if (!AllFinite(start)) return fail("every starting point must be finite");
  }
  return true;
}

void FitOptions::SetStarts(std::string_view spec) {
  // "expected auto, grid, lhs:N or varpro[:K]", and the letters of the counts ("N, K").
  std::string expected = "expected ", counts;
  const std::vector<StartStrategyInfo>& table = StartStrategyTable();
  for (std::size_t k = 0; k < table.size(); ++k) {
    expected += std::string(k == 0 ? "" : k + 1 == table.size() ? " or " : ", ") + std::string(table[k].spec);
    const std::string_view count = table[k].spec.substr(table[k].name.size());
    if (!count.empty()) counts += (counts.empty() ? "" : ", ") + std::string(count.substr(count.find(':') + 1, 1));
  }
  const std::size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  const auto row = std::find_if(table.begin(), table.end(), [name](const auto& info) { return info.name == name; });
  // After the name, the row's spec says whether a count follows: ":N" one must, "[:K]" one may.
  const std::string_view takes = row == table.end() ? "" : row->spec.substr(row->name.size());
  const bool needs_count = takes.rfind(":", 0) == 0, may_count = !takes.empty();
  if (row == table.end() || (colon == std::string_view::npos ? needs_count : !may_count)) {
    throw InvalidArgument("starts " + std::string(spec) + ": " + expected);
  }
  int n = 0;
  if (colon != std::string_view::npos) {
    const std::string_view text = spec.substr(colon + 1);
    const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (status != std::errc() || stop != text.data() + text.size() || n < 1) {
      throw InvalidArgument("starts " + std::string(spec) + ": " + expected + " with " + counts + " >= 1");
    }
  }
  start_strategy = row->id;
  if (n > 0 && start_strategy == StartStrategy::kLatinHypercube) latin_hypercube_starts = n;
  if (n > 0 && start_strategy == StartStrategy::kVariableProjection) projected_starts = n;
}

namespace {

// Splits off the holdout runs of largest 6ND (ties broken by position, so the split is deterministic).
std::pair<Dataset, Dataset> SplitHoldout(const Dataset& data, int count) {
  if (data.params.empty() || data.tokens.empty()) {
    throw InvalidArgument("holding out the runs of largest compute 6ND needs N and D for every run");
  }
  if (count >= static_cast<int>(data.size())) {
    throw InvalidArgument("cannot hold out " + std::to_string(count) + " of " + std::to_string(data.size()) + " runs");
  }
  std::vector<std::size_t> order(data.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return data.params[x] * data.tokens[x] > data.params[y] * data.tokens[y];
  });
  std::vector<char> held(data.size(), 0);
  for (int k = 0; k < count; ++k) held[order[k]] = 1;
  Dataset train, test;
  for (std::size_t i = 0; i < data.size(); ++i) {
    Dataset& target = held[i] ? test : train;
    target.params.push_back(data.params[i]);
    target.tokens.push_back(data.tokens[i]);
    target.loss.push_back(data.loss[i]);
    if (!data.weights.empty()) target.weights.push_back(data.weights[i]);
    if (!data.unique_tokens.empty()) target.unique_tokens.push_back(data.unique_tokens[i]);
    for (const auto& [name, column] : data.columns) target.columns[name].push_back(column[i]);
  }
  return {train, test};
}

bool FitAll(const Dataset& data, const Model& model, const FitOptions& options, FitSummary* summary);

}  // namespace

bool Fit(const Dataset& data, const Model& model, const FitOptions& options, FitSummary* summary) {
  if (options.holdout_top < 0) throw InvalidArgument("holdout_top must be >= 0");
  if (options.holdout_top == 0) return FitAll(data, model, options, summary);
  data.Validate();
  const auto [train, test] = SplitHoldout(data, options.holdout_top);
  const bool usable = FitAll(train, model, options, summary);
  if (summary->internal_params.empty()) return usable;
  const detail::LogDesign design = detail::LogDesign::From(test);
  std::vector<double> prediction(design.size());
  model.form().Predict(summary->internal_params.data(), design, prediction.data(), nullptr);
  double total = 0, worst = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    const double predicted = prediction[i];
    summary->holdout.push_back({test.params[i], test.tokens[i], test.loss[i], predicted});
    const double error = std::abs(predicted / test.loss[i] - 1);
    total += error;
    worst = std::max(worst, error);
  }
  summary->holdout_mean_abs_relative_error = total / test.size();
  summary->holdout_max_abs_relative_error = worst;
  return usable;
}

namespace {

bool FitAll(const Dataset& data, const Model& model, const FitOptions& options, FitSummary* summary) {
  const auto clock_start = std::chrono::steady_clock::now();
  if (summary == nullptr) throw InvalidArgument("Fit: summary must not be null");
  std::string problem;
  if (!options.IsValid(&problem)) throw InvalidArgument("invalid fit options: " + problem);
  data.Validate();

  const detail::ModelForm& form = model.form();
  if (form.needs_params_and_tokens() && (data.params.empty() || data.tokens.empty())) {
    throw InvalidArgument("model '" + std::string(form.name()) + "' needs N and D for every run");
  }
  if (form.needs_unique_tokens() && data.unique_tokens.empty()) {
    throw InvalidArgument("model '" + std::string(form.name()) + "' needs the unique tokens U of every run");
  }
  const std::size_t num_internal = form.num_internal();
  if (!options.starts.empty() && !options.grid.empty()) {
    throw InvalidArgument("give explicit starting points or a starting grid, not both");
  }
  const detail::LogDesign design = detail::LogDesign::From(data);
  std::vector<std::vector<double>> starts = !options.starts.empty() ? options.starts
                                            : !options.grid.empty() ? GridStarts(form, options.grid, design)
                                                                    : form.StartsFor(design);
  if (options.start_strategy == StartStrategy::kLatinHypercube)
    starts = LatinHypercube(starts, options.latin_hypercube_starts, options.start_seed);
  for (const std::vector<double>& start : starts) {
    if (start.size() != num_internal) {
      throw InvalidArgument(fmt::format("a starting point has {} values; model '{}' has {} internal parameters",
                                        start.size(), form.name(), num_internal));
    }
  }

  // Log residuals need every loss positive; the loss itself may have any sign.
  const Residual residual = ResidualOf(options);
  if (residual == Residual::kLog) {
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (data.loss[i] > 0) continue;
      throw InvalidArgument(fmt::format(
          "run {} has loss {}: objective '{}' on log residuals needs every loss positive; fit the loss itself "
          "(residual '{}') instead",
          i + 1, FormatNumber(data.loss[i]), ObjectiveName(options.objective), ResidualName(Residual::kLoss)));
    }
  }

  *summary = FitSummary{};
  summary->model = std::string(form.name());
  summary->residual = residual;
  summary->formula = std::string(form.formula());
  summary->estimator = options.estimator;
  summary->objective_kind = options.objective;
  summary->huber_delta = options.huber_delta;
  summary->asymmetry = options.asymmetry;
  summary->inputs = model.inputs();
  summary->options = options;
  summary->options.progress = nullptr;
  summary->options.num_threads = 0;
  summary->parameter_names = form.natural_names();
  for (const auto& [name, value] : options.fixed) summary->fixed_parameters.push_back(name);
  summary->internal_names = form.internal_names();
  summary->num_points = static_cast<int>(data.size());
  if (!data.params.empty() && !data.tokens.empty()) {
    summary->data_range = {*std::min_element(data.params.begin(), data.params.end()),
                           *std::max_element(data.params.begin(), data.params.end()),
                           *std::min_element(data.tokens.begin(), data.tokens.end()),
                           *std::max_element(data.tokens.begin(), data.tokens.end())};
  }
  summary->num_starts = static_cast<int>(starts.size());
  auto finish = [&](AnalysisStatus status, std::string message) {
    summary->status = status;
    summary->message = std::move(message);
    summary->wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    return summary->IsUsable();
  };

  const detail::ParameterLayout layout = MakeLayout(form, options);
  // Every free parameter (and the likelihood's scale) needs a distinct point of the design: repeated runs at
  // one point add precision, not equations.
  const std::size_t num_estimated =
      static_cast<std::size_t>(layout.num_free) + (options.estimator == Estimator::kHuberLikelihood ? 1 : 0);
  if (const std::size_t points = detail::CountDistinctInputs(form, design, num_estimated); points < num_estimated) {
    return finish(AnalysisStatus::kNotIdentifiable,
                  fmt::format("not identifiable: the runs have {} distinct {} for the {} free parameters of "
                              "model '{}' ({} estimator)",
                              points, points == 1 ? "point" : "points", num_estimated, form.name(),
                              EstimatorName(options.estimator)));
  }
  if (std::string reason = form.IdentifiabilityProblem(design); !reason.empty()) {
    return finish(AnalysisStatus::kNotIdentifiable, "not identifiable: " + reason);
  }

  // Multi-start on the summed Huber objective over the free parameters.
  const detail::ReducedObjective objective(detail::HuberObjective(form, design, RunLossOf(options)), layout);
  const bool project =
      options.start_strategy == StartStrategy::kVariableProjection ||
      (options.start_strategy == StartStrategy::kAuto && options.starts.empty() && options.grid.empty());
  if (project) {
    std::vector<std::vector<double>> projected = form.ProjectedStarts(design, options.projected_starts);
    if (projected.empty() && options.start_strategy == StartStrategy::kVariableProjection) {
      throw InvalidArgument("model '" + std::string(form.name()) +
                            "' has no linear parameters to project out; use a grid or Latin-hypercube starts");
    }
    if (!projected.empty()) {
      starts = std::move(projected);
      summary->num_starts = static_cast<int>(starts.size());
      summary->start_strategy = "varpro";
    }
  }
  std::vector<std::vector<double>> free_starts;
  for (const std::vector<double>& start : starts) free_starts.push_back(layout.Reduce(start));
  std::atomic<int> starts_done{0};
  std::atomic<bool> interrupted{false};
  std::function<bool()> after_each;
  if (options.progress) {
    after_each = [&] {
      if (options.progress("starts", ++starts_done, static_cast<int>(free_starts.size()))) return true;
      interrupted = true;
      return false;
    };
  }
  std::vector<LocalSolution> solutions = detail::MinimizeFromEachStart(objective, free_starts, ThreadCount(options),
                                                                       ScreeningOptions(options), after_each);
  if (interrupted) return finish(AnalysisStatus::kInterrupted, "interrupted");
  summary->num_starts_failed =
      static_cast<int>(std::count_if(solutions.begin(), solutions.end(), [](const auto& s) { return !s.evaluable; }));
  const std::vector<std::size_t> leaders = DistinctBest(solutions, kConvergedEndpoints, 1e-3);
  if (leaders.empty()) return finish(AnalysisStatus::kNoConvergence, "no starting point gave a finite objective");
  std::vector<std::vector<double>> leader_points;
  for (std::size_t k : leaders) leader_points.push_back(solutions[k].x);
  const std::vector<LocalSolution> tight =
      detail::MinimizeFromEachStart(objective, leader_points, ThreadCount(options), ConvergingOptions(options));
  int winner = -1;
  for (std::size_t k = 0; k < tight.size(); ++k) {
    if (tight[k].evaluable && (winner < 0 || tight[k].value < tight[winner].value)) {
      winner = static_cast<int>(k);
    }
  }
  if (winner < 0) return finish(AnalysisStatus::kNoConvergence, "no starting point gave a finite objective");
  // Without the polish (FitOptions::polish), Refine runs at the converging tolerance without restarts, as the
  // bootstrap's refits do.
  const LocalSolveOptions final_solve = options.polish ? PolishingOptions(options) : ConvergingOptions(options);
  const int final_restarts = options.polish ? kPolishingRestarts : 0;
  Estimate estimate =
      Refine(form, design, options, layout, Expand(layout, tight[winner].x), final_solve, final_restarts);
  // An absolute objective's minimum is a kink where several residuals vanish, and the smoothing the search ran on
  // can rank the basins otherwise: every converged endpoint descends to |r| itself, and the lowest wins.
  if (!SmoothingStages(RunLossOf(options)).empty()) {
    for (std::size_t k = 0; k < tight.size(); ++k) {
      if (static_cast<int>(k) == winner || !tight[k].evaluable) continue;
      Estimate other = Refine(form, design, options, layout, Expand(layout, tight[k].x), final_solve, final_restarts);
      if (other.evaluable && (!estimate.evaluable || other.objective < estimate.objective)) {
        estimate = std::move(other);
        winner = static_cast<int>(k);
      }
    }
  }
  const int best = static_cast<int>(leaders[winner]);
  summary->best_start = best;

  // A start reached the best basin when its screened endpoint is within the screening's resolution of the
  // optimum's objective (for an absolute objective the screening ran on the smoothing of |r|: its value at the
  // optimum is the mark), or near the optimum's parameters (CountBestBasin, once their precision is known).
  double screened_optimum = estimate.objective;
  if (!SmoothingStages(RunLossOf(options)).empty() && estimate.evaluable) {
    const std::vector<double> at = layout.Reduce(estimate.internal);
    objective.Clone()->Evaluate(at.data(), &screened_optimum, nullptr);
  }
  const double basin_edge = screened_optimum * (1 + options.basin_relative_tolerance);
  // information: H = J^T W J at the optimum over the free parameters, and s2 the residual variance, when known:
  // a start whose screened endpoint lies within one standard error of the optimum, (x - x*)^T H (x - x*) / s2 <= 1
  // (the data cannot tell it from the optimum), or agrees with it to a relative 1e-3 in every free coordinate,
  // reached the best basin whatever its objective.
  auto count_best_basin = [&](const Eigen::MatrixXd& information, double s2) {
    const std::vector<double> optimum = layout.Reduce(estimate.internal);
    const Eigen::Map<const Eigen::VectorXd> at(optimum.data(), static_cast<Eigen::Index>(optimum.size()));
    summary->num_starts_in_best_basin =
        static_cast<int>(std::count_if(solutions.begin(), solutions.end(), [&](const LocalSolution& s) {
          if (!s.evaluable || s.x.size() != optimum.size()) return false;
          if (s.value <= basin_edge) return true;
          // Runs the law fits exactly leave no noise to measure against: agreement to 1e-3 in every coordinate.
          bool agrees = true;
          for (std::size_t k = 0; k < optimum.size(); ++k) {
            agrees = agrees && std::abs(s.x[k] - optimum[k]) <= 1e-3 * (1 + std::abs(optimum[k]));
          }
          if (agrees) return true;
          if (information.size() == 0 || !(s2 > 0)) return false;
          const Eigen::VectorXd step = Eigen::Map<const Eigen::VectorXd>(s.x.data(), at.size()) - at;
          return step.dot(information * step) <= s2;
        }));
  };
  count_best_basin({}, 0);
  summary->iterations = solutions[best].iterations + tight[winner].iterations + estimate.iterations;
  if (!estimate.evaluable) {
    return finish(AnalysisStatus::kNoConvergence,
                  "the objective could not be evaluated at its optimum: " + estimate.message);
  }

  summary->internal_params = estimate.internal;
  summary->objective = estimate.objective;
  summary->log_scale = estimate.log_scale;
  summary->params = NaturalParameters(form, estimate.internal);
  summary->derived = form.Derived(summary->params, options.at_flops);
  if (!AllFinite(estimate.internal) || !std::isfinite(estimate.objective)) {
    return finish(AnalysisStatus::kNoConvergence, "the optimum is not finite");
  }
  for (const auto& [name, value] : summary->params) {
    // A coefficient e^b beyond a double: the runs push the law off any scale it can represent.
    if (!std::isfinite(value)) {
      return finish(AnalysisStatus::kNoConvergence,
                    "the fitted " + name + " is not finite (" + FormatNumber(value) + ")");
    }
  }
  if (!estimate.converged && !(tight[winner].converged && options.estimator == Estimator::kHuberObjective)) {
    return finish(AnalysisStatus::kNoConvergence, "the optimiser did not converge: " + estimate.message);
  }
  if (std::string stuck = StuckOnBound(form, design, options, layout, estimate); !stuck.empty()) {
    return finish(AnalysisStatus::kNoConvergence, "the optimiser did not converge: " + stuck);
  }
  // A free parameter that moves no run's prediction at the optimum (its column of the Jacobian is zero, so its
  // Gauss-Newton information is zero: a sigmoid saturated over every run, a term multiplied by zero) is not
  // estimated by the runs, whatever value the optimiser left it at (usually its start).
  double weighted_squares = 0;
  const Eigen::MatrixXd information =
      GaussNewtonInformation(form, design, layout, estimate.internal, nullptr, &weighted_squares, residual);
  {
    const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
    for (std::size_t j = 0; j < spec.size(); ++j) {
      const int k = layout.source[j];
      if (k < 0 || (information(k, k) > 0 && std::isfinite(information(k, k)))) continue;
      return finish(AnalysisStatus::kNotIdentifiable,
                    "not identifiable: the runs do not inform " + spec[j].natural +
                        ": no run's prediction changes "
                        "with it at the fitted values (a zero derivative everywhere; its value " +
                        FormatNumber(summary->params.at(spec[j].natural)) + " is wherever the optimiser left it)");
    }
  }
  const LaplaceCovariance laplace = CovarianceAtOptimum(information, weighted_squares, design.size());
  if (design.size() > static_cast<std::size_t>(layout.num_free) && !laplace.singular) {
    count_best_basin(information, weighted_squares / static_cast<double>(design.size() - layout.num_free));
  }
  if (laplace.singular) {
    std::string names;
    const std::vector<detail::ModelForm::Parameter> spec = form.parameters();
    for (std::size_t j = 0; j < spec.size(); ++j) {
      const int k = layout.source[j];
      if (std::find(laplace.free_combination.begin(), laplace.free_combination.end(), k) ==
          laplace.free_combination.end()) {
        continue;
      }
      names += (names.empty() ? "" : ", ") + spec[j].natural;
    }
    return finish(AnalysisStatus::kNotIdentifiable,
                  "not identifiable: the runs do not pin " + (names.empty() ? std::string("the parameters") : names) +
                      " separately (the information matrix at the optimum is singular: a combination of them moves "
                      "no prediction)" +
                      ComputeSpanHint(data));
  }
  summary->laplace_se = LaplaceStandardErrors(form, layout, estimate.internal, laplace.covariance);
  const std::vector<PositiveParameter> positive = PositiveParameters(form, layout, estimate.internal);
  if (std::string reason = UnpinnedByLaplace(positive, laplace.covariance, options.max_parameter_span);
      !reason.empty()) {
    return finish(AnalysisStatus::kNotIdentifiable, "not identifiable: " + reason + ComputeSpanHint(data));
  }
  {
    double squares = 0;
    std::vector<double> prediction(std::min(design.size(), detail::kEvaluationBlock));
    detail::ForEachBlock(design.size(), [&](std::size_t begin, std::size_t count) {
      if (residual == Residual::kLog) {
        form.LogPredictBlock(estimate.internal.data(), design, begin, count, prediction.data(), nullptr);
      } else {
        form.PredictBlock(estimate.internal.data(), design, begin, count, prediction.data(), nullptr);
      }
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = begin + k;
        const double r = prediction[k] - (residual == Residual::kLog ? design.log_loss[i] : design.value(i));
        squares += r * r;
        summary->residuals.push_back(r);
      }
    });
    summary->free_parameters = layout.num_free;
    const double n = static_cast<double>(design.size()), k = layout.num_free;
    if (squares > 0) {
      summary->aic = n * std::log(squares / n) + 2 * k;
      summary->bic = n * std::log(squares / n) + k * std::log(n);
    }
  }
  if (options.bootstrap_resamples > 0) {
    if (!Bootstrap(form, design, options, layout, estimate, summary)) {
      return finish(AnalysisStatus::kInterrupted, "interrupted");
    }
    if (std::string reason = UnpinnedByBootstrap(positive, summary->uncertainty, options.max_parameter_span);
        !reason.empty()) {
      return finish(AnalysisStatus::kNotIdentifiable, "not identifiable: " + reason + ComputeSpanHint(data));
    }
  }
  return finish(AnalysisStatus::kUsable, estimate.message);
}

}  // namespace

void CheckFormulaParameters(const Model& model, const std::vector<std::string>& columns, const FitOptions& options,
                            const std::vector<std::string>& declared) {
  if (model.name() != "formula") return;
  std::set<std::string> declared_names(declared.begin(), declared.end());
  for (const auto& [name, value] : options.fixed) declared_names.insert(name);
  for (const auto& [name, range] : options.bounds) declared_names.insert(name);
  for (const auto& [name, values] : options.grid) declared_names.insert(name);
  for (const auto& [leader, follower] : options.tied) declared_names.insert({leader, follower});
  auto same_but_case = [](const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const std::string& parameter : model.parameter_names()) {
    if (declared_names.count(parameter) > 0) continue;
    std::string close;
    for (const std::string& column : columns) {
      if (same_but_case(parameter, column)) close = column;
    }
    if (close.empty() && parameter.size() >= 3) {
      const std::vector<std::string> near = ClosestNames(parameter, columns);
      if (!near.empty()) close = near.front();
    }
    if (close.empty()) continue;
    throw InvalidArgument("formula: '" + parameter +
                          "' is not a column, so it would be fitted as a parameter; did "
                          "you mean the column '" +
                          close + "'? (a parameter of that name must be declared one)");
  }
}

Model ModelOf(const FitSummary& fit) {
  if (fit.model == "formula") return Model::FromFormula(fit.formula, fit.inputs);
  if (fit.model == "loglinear") return Model::LogLinear(fit.inputs);
  return Model::FromName(fit.model);
}

double Predict(const FitSummary& fit, double params, double tokens) {
  if (fit.params.empty()) throw InvalidArgument("the fit has no parameters (it did not run to an optimum)");
  return ModelOf(fit).Predict(fit.params, params, tokens);
}

double Predict(const FitSummary& fit, const std::map<std::string, double>& inputs) {
  if (fit.params.empty()) throw InvalidArgument("the fit has no parameters (it did not run to an optimum)");
  const Model model = ModelOf(fit);
  auto need = [&](const std::string& name) {
    const auto it = inputs.find(name);
    if (it == inputs.end()) {
      std::string wanted;
      for (const std::string& input : model.inputs()) wanted += (wanted.empty() ? "" : ", ") + input;
      throw InvalidArgument("model '" + fit.model + "' needs the input '" + name + "' (it reads " + wanted + ")");
    }
    return it->second;
  };
  Dataset one;
  one.loss = {1.0};
  const detail::ModelForm& form = model.form();
  if (form.needs_params_and_tokens()) {
    one.params = {need("N")};
    one.tokens = {need("D")};
    if (form.needs_unique_tokens()) one.unique_tokens = {need("U")};
  }
  for (const std::string& column : form.data_columns()) one.columns[column] = {need(column)};
  one.Validate();
  const std::vector<double> internal = form.FromNatural(fit.params);
  const detail::LogDesign design = detail::LogDesign::From(one);
  double prediction = 0;
  form.Predict(internal.data(), design, &prediction, nullptr);
  return prediction;
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

std::vector<ChinchillaLaw> BootstrapChinchillaLaws(const FitSummary& fit) {
  std::vector<ChinchillaLaw> laws;
  if (fit.model != "chinchilla") return laws;
  for (const auto& draw : fit.bootstrap_draws) {
    laws.push_back({draw.at("E"), draw.at("A"), draw.at("B"), draw.at("alpha"), draw.at("beta")});
  }
  return laws;
}

}  // namespace scalelaw
