// A small dense bounded Levenberg-Marquardt solver for problems of a few parameters and many cheap residuals (the
// ladder's fits, scalelaw/analysis/ladder.h: 4 and 5 parameters, 16 to ~1700 residuals, refitted thousands of times
// by the bootstrap). Ceres' trust region solves the same problems (and stays the reference, LadderOptions::solver),
// but its per-iteration bookkeeping (block-sparse Jacobian, QR of the n x p Jacobian, a problem object built per
// fit) costs far more than the arithmetic here: a model forms the Gauss-Newton normal equations J^T J and J^T r
// directly as sums over its points (no n x p Jacobian is stored), the p x p system is solved on the stack, and each
// trial point is evaluated once, its cost and normal equations together, so that a step taken costs one pass.
//
// The iteration is Ceres' Levenberg-Marquardt (Nocedal & Wright 2006, Sec. 10.3; More 1978): with the cost
// F(p) = 1/2 sum_i r_i(p)^2 (or a robustified sum, see the models), its gradient g = J^T r and the Gauss-Newton
// Hessian H = J^T J, the step solves
//     (H + D / radius) step = -g,   D = diag(H) clamped to [1e-6, 1e32],
// in the Jacobi-scaled variables (each column of J divided by 1 + its norm), and the trust radius grows after a
// step whose actual decrease matches the model's, shrinks after one that fails.
//
// Bounds lower <= p <= upper are an active set: a parameter on a bound where the gradient points out of the box is
// held there, one whose step would cross a bound is stopped on it, and the others are solved with those steps
// fixed. At the answer the projected gradient p - Project(p - g) vanishes: the box's optimality (KKT) conditions.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace scalelaw::detail {

template <int P>
struct NormalEquations {
  double cost = 0;                  // F(p)
  Eigen::Matrix<double, P, P> jtj;  // J^T J (Gauss-Newton Hessian)
  Eigen::Matrix<double, P, 1> jtr;  // J^T r (the gradient of F)
  bool IsFinite() const { return std::isfinite(cost) && jtj.allFinite() && jtr.allFinite(); }
};

// The stopping rules of Ceres' Solver::Options, with its meanings: a successful step that lowers the cost by less
// than function_tolerance of it, a projected gradient whose largest component is at most gradient_tolerance, a
// step no longer than parameter_tolerance × (|p| + parameter_tolerance), or a trust radius below 1e-32 converge;
// max_iterations (successful and failed steps) ends without convergence, the answer still usable.
struct BoxLeastSquaresOptions {
  int max_iterations = 100;
  double function_tolerance = 1e-6;
  double gradient_tolerance = 1e-10;
  double parameter_tolerance = 1e-8;
  double initial_trust_region_radius = 1e4;
  double max_trust_region_radius = 1e16;
  double min_trust_region_radius = 1e-32;
  double min_relative_decrease = 1e-3;  // a step is taken when its actual decrease is this share of the model's
};

struct BoxLeastSquaresSummary {
  enum class Termination { kConvergence, kNoConvergence, kFailure };
  Termination termination = Termination::kFailure;
  int iterations = 0;
  double initial_cost = std::numeric_limits<double>::quiet_NaN();
  double final_cost = std::numeric_limits<double>::quiet_NaN();
  std::string message;
  bool IsSolutionUsable() const { return termination != Termination::kFailure; }
};

// Minimises the model's cost over the box from *p (projected into the box first). model(p, &equations) fills
// cost, J^T J and J^T r at p and returns false when they cannot be evaluated there.
template <int P, typename Model>
BoxLeastSquaresSummary SolveBoxLeastSquares(const Model& model, const Eigen::Matrix<double, P, 1>& lower,
                                            const Eigen::Matrix<double, P, 1>& upper,
                                            const BoxLeastSquaresOptions& options, Eigen::Matrix<double, P, 1>* p) {
  using Vector = Eigen::Matrix<double, P, 1>;
  using Matrix = Eigen::Matrix<double, P, P>;
  BoxLeastSquaresSummary summary;
  *p = p->cwiseMax(lower).cwiseMin(upper);
  NormalEquations<P> at;
  if (!model(*p, &at) || !at.IsFinite()) {
    summary.message = "the start cannot be evaluated";
    return summary;
  }
  summary.initial_cost = at.cost;
  double radius = options.initial_trust_region_radius, decrease_factor = 2;
  NormalEquations<P> trial_equations;
  auto done = [&](BoxLeastSquaresSummary::Termination termination, const char* why) {
    summary.termination = termination;
    summary.final_cost = at.cost;
    summary.message = why;
    return summary;
  };
  while (summary.iterations < options.max_iterations) {
    ++summary.iterations;
    const Vector& g = at.jtr;
    // The projected gradient p - Project(p - g): zero in every component at a KKT point of the box.
    const Vector projected = *p - (*p - g).cwiseMax(lower).cwiseMin(upper);
    if (projected.template lpNorm<Eigen::Infinity>() <= options.gradient_tolerance) {
      return done(BoxLeastSquaresSummary::Termination::kConvergence, "gradient tolerance reached");
    }
    // Jacobi scaling: solve for y = step / scale with scale_j = 1 / (1 + |J_j|), so that parameters of very
    // different sizes (a log amplitude beside an exponent) meet the damping alike.
    const Vector scale = (Vector::Ones() + at.jtj.diagonal().cwiseMax(0).cwiseSqrt()).cwiseInverse();
    Matrix scaled = scale.asDiagonal() * at.jtj * scale.asDiagonal();
    const Vector diagonal = scaled.diagonal().cwiseMax(1e-6).cwiseMin(1e32);
    scaled.diagonal() += diagonal / radius;
    const Vector scaled_gradient = scale.cwiseProduct(g);
    // Pinned parameters: those on a bound with the gradient pushing outward stay (step_j = 0); then any free
    // one whose step would leave the box is stopped on the bound it crosses (step_j = bound - p_j) and the others
    // are solved again with those components fixed, A_ff step_f = -g_f - A_fp step_p (at most P rounds). The step
    // is then inside the box, and where no bound binds it is the plain Levenberg-Marquardt step.
    Eigen::Matrix<bool, P, 1> pinned;
    Vector step = Vector::Zero();
    for (int j = 0; j < P; ++j) pinned[j] = ((*p)[j] <= lower[j] && g[j] > 0) || ((*p)[j] >= upper[j] && g[j] < 0);
    for (int round = 0; round <= P; ++round) {
      // In the scaled variables y = step / scale.
      const Vector pinned_y = step.cwiseQuotient(scale);
      Matrix system = scaled;
      Vector rhs = -scaled_gradient;
      for (int j = 0; j < P; ++j) {
        if (!pinned[j]) continue;
        rhs -= scaled.col(j) * pinned_y[j];
      }
      for (int j = 0; j < P; ++j) {
        if (!pinned[j]) continue;
        system.row(j).setZero();
        system.col(j).setZero();
        system(j, j) = 1;
        rhs[j] = pinned_y[j];
      }
      const Vector solved = scale.cwiseProduct(system.ldlt().solve(rhs));
      bool changed = false;
      for (int j = 0; j < P; ++j) {
        if (pinned[j]) continue;
        step[j] = solved[j];
        if ((*p)[j] + step[j] < lower[j]) {
          step[j] = lower[j] - (*p)[j];
          pinned[j] = changed = true;
        } else if ((*p)[j] + step[j] > upper[j]) {
          step[j] = upper[j] - (*p)[j];
          pinned[j] = changed = true;
        }
      }
      if (!changed) break;
    }
    const Vector trial = (*p + step).cwiseMax(lower).cwiseMin(upper);
    step = trial - *p;
    if (!step.allFinite()) return done(BoxLeastSquaresSummary::Termination::kFailure, "the step is not finite");
    if (step.norm() <= options.parameter_tolerance * (p->norm() + options.parameter_tolerance)) {
      return done(BoxLeastSquaresSummary::Termination::kConvergence, "parameter tolerance reached");
    }
    // The Gauss-Newton model's decrease, F(p) - m(step) = -g^T step - 1/2 step^T J^T J step.
    const double model_decrease = -g.dot(step) - 0.5 * step.dot(at.jtj * step);
    const bool evaluated = model(trial, &trial_equations) && trial_equations.IsFinite();
    const double actual_decrease = evaluated ? at.cost - trial_equations.cost : -1;
    const double ratio = model_decrease > 0 ? actual_decrease / model_decrease : -1;
    if (evaluated && ratio > options.min_relative_decrease) {
      const double relative_decrease = actual_decrease / at.cost;
      *p = trial;
      std::swap(at, trial_equations);
      radius =
          std::min(options.max_trust_region_radius, radius / std::max(1.0 / 3.0, 1.0 - std::pow(2.0 * ratio - 1.0, 3)));
      decrease_factor = 2;
      if (relative_decrease <= options.function_tolerance) {
        return done(BoxLeastSquaresSummary::Termination::kConvergence, "function tolerance reached");
      }
    } else {
      radius /= decrease_factor;
      decrease_factor *= 2;
      if (radius < options.min_trust_region_radius) {
        return done(BoxLeastSquaresSummary::Termination::kConvergence, "trust region radius below its minimum");
      }
    }
  }
  return done(BoxLeastSquaresSummary::Termination::kNoConvergence, "maximum number of iterations reached");
}

}  // namespace scalelaw::detail
