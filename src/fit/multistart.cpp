#include "fit/multistart.h"

#include <ceres/ceres.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

namespace scalelaw::detail {
namespace {

// Ceres logs line-search warnings through glog; a library must not write to a user's stderr.
void SilenceCeresLogging() {
  static std::once_flag once;
  std::call_once(once, [] { FLAGS_minloglevel = 2; });
}

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

}  // namespace

LocalSolution MinimizeLbfgs(SmoothObjective& objective, std::vector<double> start, const LocalSolveOptions& options) {
  SilenceCeresLogging();
  LocalSolution solution;
  solution.x = std::move(start);
  double value = 0;
  if (!objective.Evaluate(solution.x.data(), &value, nullptr)) {
    solution.message = "objective not finite at the start";
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
  ceres::Solve(solver_options, problem, solution.x.data(), &summary);

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
