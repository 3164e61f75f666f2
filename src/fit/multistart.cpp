#include "fit/multistart.h"

#include <LBFGS.h>
#include <ceres/ceres.h>

#include <Eigen/Core>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "fit/quiet_ceres.h"

namespace scalelaw::detail {
namespace {

class CeresFunction final : public ceres::FirstOrderFunction {
 public:
  explicit CeresFunction(SmoothObjective* objective) : objective_(objective) {}
  // Ceres CHECK-fails (aborting the process) when a line search sees a valid value with a NaN gradient, so
  // every evaluation that is not finite throughout is reported as failed.
  bool Evaluate(const double* x, double* cost, double* gradient) const override {
    if (!objective_->Evaluate(x, cost, gradient) || !std::isfinite(*cost)) return false;
    if (gradient != nullptr) {
      for (int j = 0; j < objective_->num_parameters(); ++j) {
        if (!std::isfinite(gradient[j])) return false;
      }
    }
    return true;
  }
  int NumParameters() const override { return objective_->num_parameters(); }

 private:
  SmoothObjective* objective_;
};

// The objective as LBFGSpp calls it, divided by its value at the start, so that LBFGSpp's test on the change
// of the objective, |f_k-1 - f_k| <= delta max(|f_k-1|, |f_k|, 1), is relative to the start's value (Ceres'
// is relative to the previous iterate's; near an optimum the two differ little). A point where the objective
// is not finite reads as NaN. Remembers the lowest finite point evaluated, which is what the solve returns:
// a line search that fails (LBFGSpp throws) leaves x at its last trial.
class ScaledFunction {
 public:
  ScaledFunction(SmoothObjective& objective, double scale, int n)
      : objective_(objective), inverse_scale_(1 / scale), best_x_(n) {}

  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
    double value = 0;
    if (!objective_.Evaluate(x.data(), &value, gradient.data()) || !std::isfinite(value) || !gradient.allFinite()) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    value *= inverse_scale_;
    gradient *= inverse_scale_;
    if (value < best_value_) {
      best_value_ = value;
      best_x_ = x;
    }
    return value;
  }
  const Eigen::VectorXd& best_x() const { return best_x_; }
  bool found() const { return best_value_ < std::numeric_limits<double>::infinity(); }

 private:
  SmoothObjective& objective_;
  double inverse_scale_;
  double best_value_ = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_x_;
};

void MinimizeWithLbfgspp(SmoothObjective& objective, double start_value, const LocalSolveOptions& options,
                         LocalSolution* solution) {
  const int n = static_cast<int>(solution->x.size());
  const double scale = start_value != 0 ? std::abs(start_value) : 1.0;
  LBFGSpp::LBFGSParam<double> param;
  param.m = 20;  // Ceres' default rank
  param.epsilon = options.gradient_tolerance / scale;
  param.epsilon_rel = 0;
  param.past = 1;
  param.delta = options.function_tolerance;
  param.max_iterations = options.max_iterations;
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
  LBFGSpp::LBFGSSolver<double, LBFGSpp::LineSearchNocedalWright> solver(param);
  ScaledFunction function(objective, scale, n);
  Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(solution->x.data(), n);
  double value = 0;
  try {
    solution->iterations = solver.minimize(function, x, value);
    solution->converged = solution->iterations < options.max_iterations;
    solution->message = solution->converged ? "converged" : "iteration limit reached";
  } catch (const std::exception& e) {  // LBFGSpp reports a line search that cannot go on by throwing
    solution->message = std::string("line search stopped: ") + e.what();
  }
  if (function.found()) Eigen::Map<Eigen::VectorXd>(solution->x.data(), n) = function.best_x();
}

}  // namespace

LocalSolution MinimizeLbfgs(SmoothObjective& objective, std::vector<double> start, const LocalSolveOptions& options) {
  LocalSolution solution;
  solution.x = std::move(start);
  double value = 0;
  if (!objective.Evaluate(solution.x.data(), &value, nullptr)) {
    solution.message = "objective not finite at the start";
    return solution;
  }
  if (options.engine == LocalSolveOptions::Engine::kLbfgspp) {
    MinimizeWithLbfgspp(objective, value, options, &solution);
    solution.evaluable = objective.Evaluate(solution.x.data(), &solution.value, nullptr) &&
                         std::all_of(solution.x.begin(), solution.x.end(), [](double v) { return std::isfinite(v); });
    return solution;
  }

  ceres::GradientProblemSolver::Options solver_options;
  solver_options.line_search_direction_type = ceres::LBFGS;
  solver_options.max_num_iterations = options.max_iterations;
  solver_options.function_tolerance = options.function_tolerance;
  solver_options.gradient_tolerance = options.gradient_tolerance;
  solver_options.parameter_tolerance = options.parameter_tolerance;
  solver_options.logging_type = ceres::SILENT;
  ceres::GradientProblem problem(new CeresFunction(&objective));
  ceres::GradientProblemSolver::Summary summary;
  {
    ScopedQuietCeres quiet;
    ceres::Solve(solver_options, problem, solution.x.data(), &summary);
  }

  solution.iterations = static_cast<int>(summary.iterations.size());
  solution.converged = summary.termination_type == ceres::CONVERGENCE;
  solution.message = summary.message;
  solution.evaluable = objective.Evaluate(solution.x.data(), &solution.value, nullptr) &&
                       std::all_of(solution.x.begin(), solution.x.end(), [](double v) { return std::isfinite(v); });
  return solution;
}

std::vector<LocalSolution> MinimizeFromEachStart(const SmoothObjective& prototype,
                                                 const std::vector<std::vector<double>>& starts, int num_threads,
                                                 const LocalSolveOptions& options,
                                                 const std::function<bool()>& after_each) {
  std::vector<LocalSolution> solutions(starts.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  auto worker = [&] {
    std::unique_ptr<SmoothObjective> objective = prototype.Clone();
    for (std::size_t k = next++; k < starts.size() && !stop; k = next++) {
      solutions[k] = MinimizeLbfgs(*objective, starts[k], options);
      if (after_each && !after_each()) stop = true;
    }
  };
  const int threads = std::max(1, std::min<int>(num_threads, static_cast<int>(starts.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
  return solutions;
}

}  // namespace scalelaw::detail
