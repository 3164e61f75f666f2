// Local L-BFGS solves (Ceres' GradientProblemSolver, or LBFGSpp for many small refits) and the threaded
// multi-start driver around them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fit/objectives.h"

namespace scalelaw::detail {

struct LocalSolveOptions {
  // kCeres: Ceres' GradientProblemSolver (Wolfe line search, a summary per iteration). kLbfgspp: LBFGSpp's
  // header-only L-BFGS with a strong-Wolfe line search (Nocedal and Wright 2006, Alg. 3.5-3.6), which sets up in
  // no time and keeps no per-iteration record: for thousands of refits of a few parameters, where Ceres'
  // per-solve and per-iteration bookkeeping costs as much as the objective. It has no parameter tolerance.
  enum class Engine { kCeres, kLbfgspp } engine = Engine::kCeres;
  int max_iterations = 2000;
  double function_tolerance = 1e-10;   // stop when |Δf| / f falls below this
  double gradient_tolerance = 1e-12;   // stop when max |g_j| falls below this
  double parameter_tolerance = 1e-12;  // stop when |Δx| / (|x| + tol) falls below this
};

struct LocalSolution {
  std::vector<double> x;
  double value = 0;
  int iterations = 0;
  bool evaluable = false;  // the start and the end point gave finite values
  bool converged = false;  // a tolerance was met (not the iteration limit, not a failed line search)
  std::string message;
};

LocalSolution MinimizeLbfgs(SmoothObjective& objective, std::vector<double> start, const LocalSolveOptions& options);

// One local solve from every start, spread over num_threads threads (each with its own Clone of
// prototype). The result is indexed like starts and does not depend on num_threads.
// after_each, when given, is called (from the worker threads) after every start; when it returns false the
// remaining starts are not run and their solutions stay not evaluable.
std::vector<LocalSolution> MinimizeFromEachStart(const SmoothObjective& prototype,
                                                 const std::vector<std::vector<double>>& starts, int num_threads,
                                                 const LocalSolveOptions& options,
                                                 const std::function<bool()>& after_each = {});

}  // namespace scalelaw::detail
