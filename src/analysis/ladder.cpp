// The two-step ladder prediction of Bhagia et al. 2024 (arXiv:2412.04403, Sec. 3): see scalelaw/analysis/ladder.h.
#include "scalelaw/analysis/ladder.h"

#include <ceres/ceres.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "fit/box_least_squares.h"
#include "fit/quiet_ceres.h"
#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/curves.h"
#include "util/resampling.h"

namespace scalelaw {
namespace detail {
namespace {

// One ladder point of step 1: r = ln(e^a N^-alpha + e^b D^-beta + E) - ln L (log residual, Eq. 2 of the paper).
struct TaskLossResidual {
  double log_n, log_d, log_loss;
  template <typename T>
  bool operator()(const T* p, T* residual) const {
    const T predicted = exp(p[0] - p[2] * log_n) + exp(p[1] - p[3] * log_d) + p[4];
    residual[0] = log(predicted) - log_loss;
    return true;
  }
};

// Every checkpoint of step 2 in one residual block, r_i = Acc(L_i) - y_i with Acc(L) = a s + b,
// s = 1 / (1 + exp(-k (L - L0))) (Eq. 3), and its analytic Jacobian
//   dr/da = s,   dr/dL0 = -a k s (1 - s),   dr/dk = a (L - L0) s (1 - s),   dr/db = 1.
// One block of n residuals, not n blocks of one: Ceres then evaluates the model in one loop over the points, which
// is what makes the bootstrap's thousands of refits over ~1700 checkpoints cheap.
class AccuracyResiduals final : public ceres::CostFunction {
 public:
  AccuracyResiduals(const std::vector<double>& loss, const std::vector<double>& accuracy)
      : loss_(loss), accuracy_(accuracy) {
    set_num_residuals(static_cast<int>(loss.size()));
    mutable_parameter_block_sizes()->push_back(4);
  }

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
    const double a = parameters[0][0], l0 = parameters[0][1], k = parameters[0][2], b = parameters[0][3];
    double* jacobian = jacobians != nullptr ? jacobians[0] : nullptr;
    for (std::size_t i = 0; i < loss_.size(); ++i) {
      const double s = 1 / (1 + std::exp(-k * (loss_[i] - l0)));
      residuals[i] = a * s + b - accuracy_[i];
      if (jacobian != nullptr) {
        const double slope = s * (1 - s);
        double* row = jacobian + 4 * i;
        row[0] = s;
        row[1] = -a * k * slope;
        row[2] = a * (loss_[i] - l0) * slope;
        row[3] = 1;
      }
    }
    return true;
  }

 private:
  const std::vector<double>& loss_;
  const std::vector<double>& accuracy_;
};

// The dense solver's models (fit/box_least_squares.h): the same objectives as the Ceres residuals above, their
// normal equations formed as sums over the points, each point i counted w_i times (a bootstrap resample
// draws a point w_i times; the data fits count each once).

// Step 2 (Eq. 3): F = 1/2 sum_i w_i r_i^2, r_i = a s_i + b - y_i, s_i = 1 / (1 + exp(-k (x_i - x0))). With
// u_i = s_i (1 - s_i) and d_i = x_i - x0 the Jacobian row is (s, -a k u, a d u, 1), so J^T J and J^T r are
// fifteen weighted sums of s, u, d and r (the factors a and k come out of the sums).
class SigmoidNormalEquations {
 public:
  // w empty: every point once.
  SigmoidNormalEquations(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w)
      : x_(x.data(), static_cast<Eigen::Index>(x.size())),
        y_(y.data(), static_cast<Eigen::Index>(y.size())),
        w_(w.empty() ? Eigen::ArrayXd(Eigen::ArrayXd::Ones(x_.size()))
                     : Eigen::ArrayXd(Eigen::Map<const Eigen::ArrayXd>(w.data(), x_.size()))),
        w_sum_(w_.sum()) {}

  bool operator()(const Eigen::Vector4d& p, NormalEquations<4>* eq) const {
    const double a = p[0], x0 = p[1], k = p[2], b = p[3];
    // Whole-array expressions: Eigen evaluates exp and the sums two points at a time (SIMD); the scratch
    // arrays are sized once per fit.
    d_ = x_ - x0;
    s_ = (1 + (-k * d_).exp()).inverse();
    u_ = s_ * (1 - s_);
    r_ = a * s_ + b - y_;
    ws_ = w_ * s_;
    wu_ = w_ * u_;
    const double ss = (ws_ * s_).sum(), su = (ws_ * u_).sum(), sud = (ws_ * u_ * d_).sum(), s1 = ws_.sum();
    const double uu = (wu_ * u_).sum(), uud = (wu_ * u_ * d_).sum(), u1 = wu_.sum();
    const double uudd = (wu_ * u_ * d_ * d_).sum(), ud = (wu_ * d_).sum();
    const double sr = (ws_ * r_).sum(), ur = (wu_ * r_).sum(), udr = (wu_ * d_ * r_).sum();
    const double r1 = (w_ * r_).sum(), rr = (w_ * r_ * r_).sum();
    eq->cost = 0.5 * rr;
    Eigen::Matrix4d& h = eq->jtj;
    h(0, 0) = ss;
    h(0, 1) = -a * k * su;
    h(0, 2) = a * sud;
    h(0, 3) = s1;
    h(1, 1) = a * a * k * k * uu;
    h(1, 2) = -a * a * k * uud;
    h(1, 3) = -a * k * u1;
    h(2, 2) = a * a * uudd;
    h(2, 3) = a * ud;
    h(3, 3) = w_sum_;
    h.triangularView<Eigen::StrictlyLower>() = h.transpose();
    eq->jtr = Eigen::Vector4d(sr, -a * k * ur, a * udr, r1);
    return true;
  }

 private:
  Eigen::Map<const Eigen::ArrayXd> x_, y_;
  Eigen::ArrayXd w_;
  double w_sum_;
  mutable Eigen::ArrayXd d_, s_, u_, r_, ws_, wu_;
};

// Step 1 (Eq. 2): F = sum_i w_i Huber_delta(r_i), r_i = ln(e^a N_i^-alpha + e^b D_i^-beta + E) - ln L_i, by
// iteratively reweighted Gauss-Newton, as Ceres treats a robust loss whose second derivative is not positive
// (its Corrector): a point with |r| <= delta enters as in least squares, one beyond it with its residual and
// Jacobian row scaled by sqrt(delta / |r|), so that J^T r = sum_i w_i psi(r_i) grad r_i is the exact gradient
// (psi = Huber') and J^T J = sum_i w_i min(1, delta / |r_i|) grad r_i grad r_i^T the reweighted Gauss-Newton
// Hessian. With t_N = e^(a - alpha ln N), t_D = e^(b - beta ln D) and L_hat = t_N + t_D + E the gradient of r is
// (t_N, t_D, -t_N ln N, -t_D ln D, 1) / L_hat.
struct HuberLogNormalEquations {
  const double* log_n;
  const double* log_d;
  const double* log_loss;
  const double* w;  // nullptr: every point once
  std::size_t size;
  double delta;
  bool operator()(const Eigen::Matrix<double, 5, 1>& p, NormalEquations<5>* eq) const {
    eq->cost = 0;
    eq->jtj.setZero();
    eq->jtr.setZero();
    for (std::size_t i = 0; i < size; ++i) {
      const double weight = w != nullptr ? w[i] : 1.0;
      const double tn = std::exp(p[0] - p[2] * log_n[i]), td = std::exp(p[1] - p[3] * log_d[i]);
      const double predicted = tn + td + p[4];
      const double r = std::log(predicted) - log_loss[i];
      const Eigen::Matrix<double, 5, 1> gradient =
          Eigen::Matrix<double, 5, 1>(tn, td, -tn * log_n[i], -td * log_d[i], 1.0) / predicted;
      const double magnitude = std::abs(r);
      const double reweight = magnitude <= delta ? 1.0 : delta / magnitude;  // rho'(r^2) of Ceres' HuberLoss / 2
      eq->cost += weight * (magnitude <= delta ? 0.5 * r * r : delta * (magnitude - 0.5 * delta));
      eq->jtj.noalias() += (weight * reweight) * gradient * gradient.transpose();
      eq->jtr.noalias() += (weight * reweight * r) * gradient;
    }
    return true;
  }
};

// How far a solve goes. The fits of the data go to the limit of double precision (the paper's numbers are
// reproduced to 1e-6); a bootstrap resample's refit starts at the full data's optimum and feeds a percentile, so
// it stops at relative changes of 1e-10 and at 1000 iterations: a resample that draws few distinct sizes can
// leave step 1 a flat valley that the tight tolerances walk for 10^4-10^5 iterations (one resample in about 15
// on the OLMo ladder) while its chained prediction has long stopped moving.
struct SolveLimits {
  int max_iterations;
  double tolerance;  // Ceres' function and gradient tolerances; the parameter tolerance is 10x it
  // The dense solver's function tolerance. A data fit's is 0: step 1's reweighted Gauss-Newton crawls along a
  // flat valley (MMLU's: its objective moves in the 14th digit while a moves by 1e-6) in steps that each lower the
  // cost by less than 1e-15 of it, and its iterations are cheap enough to walk on until a step no longer changes
  // the parameters (a few hundred, well under a millisecond).
  double dense_function_tolerance;
};
constexpr SolveLimits kDataFit{100000, 1e-15, 0};
constexpr SolveLimits kResampleFit{1000, 1e-10, 1e-10};
constexpr SolveLimits kScreeningFit{50, 1e-15, 1e-15};

BoxLeastSquaresOptions DenseOptions(const SolveLimits& limits) {
  BoxLeastSquaresOptions options;
  options.max_iterations = limits.max_iterations;
  options.function_tolerance = limits.dense_function_tolerance;
  options.gradient_tolerance = limits.tolerance;
  options.parameter_tolerance = 10 * limits.tolerance;
  return options;
}

ceres::Solver::Options TightOptions(const SolveLimits& limits) {
  ceres::Solver::Options options;
  options.linear_solver_type = ceres::DENSE_QR;
  options.max_num_iterations = limits.max_iterations;
  options.function_tolerance = limits.tolerance;
  options.gradient_tolerance = limits.tolerance;
  options.parameter_tolerance = 10 * limits.tolerance;
  options.num_threads = 1;
  options.logging_type = ceres::SILENT;
  return options;
}

// Minimises problem over the box [lower, upper] of its one parameter block p. Ceres' bounded trust region
// projects its steps onto the box, and along an active bound its steps shrink until the parameter tolerance stops
// it short of the optimum (the paper's fits end on a bound: CSQA's E = 0, most tasks' b = 1), after hundreds of
// iterations. So the bounds are handled as an active set: the parameters on a bound where the gradient pushes
// outward are held there (a SubsetManifold) and the others solved, until the set of held parameters no longer
// changes; the answer then satisfies the box's optimality (KKT) conditions. The first round holds every bound
// the start is on (a warm start at the full data's optimum, as the bootstrap's, then takes a few iterations
// instead of hundreds of shrinking steps towards the bound).
bool SolveInBox(ceres::Problem* problem, double* p, int size, const std::vector<double>& lower,
                const std::vector<double>& upper, std::string* message, const SolveLimits& limits = kDataFit) {
  for (int j = 0; j < size; ++j) {
    if (std::isfinite(lower[j])) problem->SetParameterLowerBound(p, j, lower[j]);
    if (std::isfinite(upper[j])) problem->SetParameterUpperBound(p, j, upper[j]);
  }
  // The parameters on a bound (snapped onto it), and of those the ones where the gradient of the full problem
  // pushes outward.
  std::vector<int> on_bound;
  auto pushed_outward = [&] {
    problem->SetManifold(p, nullptr);
    std::vector<int> at_lower, at_upper;
    for (int j = 0; j < size; ++j) {
      const double tolerance = 1e-9 * (1 + std::abs(p[j]));
      if (std::isfinite(lower[j]) && p[j] - lower[j] <= tolerance) {
        p[j] = lower[j];
        at_lower.push_back(j);
      } else if (std::isfinite(upper[j]) && upper[j] - p[j] <= tolerance) {
        p[j] = upper[j];
        at_upper.push_back(j);
      }
    }
    on_bound = at_lower;
    on_bound.insert(on_bound.end(), at_upper.begin(), at_upper.end());
    std::sort(on_bound.begin(), on_bound.end());
    std::vector<double> gradient;
    double cost = 0;
    problem->Evaluate(ceres::Problem::EvaluateOptions(), &cost, nullptr, &gradient, nullptr);
    std::vector<int> held;
    for (int j : at_lower) {
      if (gradient[j] >= 0) held.push_back(j);  // increasing p_j would not lower the cost
    }
    for (int j : at_upper) {
      if (gradient[j] <= 0) held.push_back(j);
    }
    std::sort(held.begin(), held.end());
    return held;
  };
  // The first round holds every parameter the start has on a bound: a warm start's bound is usually the
  // resample's too, even where the start's gradient points inward; the next round releases it if not.
  pushed_outward();
  std::vector<int> held = on_bound;
  for (int round = 0; round < 2 * size + 2; ++round) {
    if (static_cast<int>(held.size()) == size) return true;
    if (!held.empty()) problem->SetManifold(p, new ceres::SubsetManifold(size, held));
    ceres::Solver::Summary summary;
    {
      ScopedQuietCeres quiet;
      ceres::Solve(TightOptions(limits), problem, &summary);
    }
    if (!summary.IsSolutionUsable()) {
      *message = summary.message;
      return false;
    }
    const std::vector<int> next = pushed_outward();
    if (next == held) return true;
    held = next;
  }
  *message = "the active set of bounds did not settle";
  return false;
}

// The mean of the last `count` values (all of them when fewer).
double TailMean(const std::vector<double>& values, int count) {
  const std::size_t n = std::min(values.size(), static_cast<std::size_t>(count));
  double sum = 0;
  for (std::size_t i = values.size() - n; i < values.size(); ++i) sum += values[i];
  return sum / static_cast<double>(n);
}

std::vector<double> MovingAverage(const std::vector<double>& values, int window) {
  CheckpointPolicy policy;
  policy.smoothing = CheckpointPolicy::Smoothing::kMovingAverage;
  policy.window = window;
  return SmoothCurve(values, policy);
}

bool AllFinite(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// Step 1 from (a, b, alpha, beta, E) = start, all bounded below by 0. Huber on log residuals: Ceres' HuberLoss
// is rho(s) = s for s <= delta^2, 2 delta sqrt(s) - delta^2 beyond, twice Huber_delta(r) at s = r^2, so the
// minimiser is the paper's.
bool FitTaskLoss(const std::vector<double>& n, const std::vector<double>& d, const std::vector<double>& loss,
                 const std::vector<double>& counts, const LadderOptions& options, TaskLossLaw* law,
                 std::string* message, const SolveLimits& limits = kDataFit) {
  const double inf = std::numeric_limits<double>::infinity();
  std::string why;
  bool solved = false;
  std::vector<double> p = options.step1_start;
  if (options.solver == LadderOptions::Solver::kDense) {
    std::vector<double> log_n(n.size()), log_d(n.size()), log_loss(n.size());
    for (std::size_t i = 0; i < n.size(); ++i) {
      log_n[i] = std::log(n[i]);
      log_d[i] = std::log(d[i]);
      log_loss[i] = std::log(loss[i]);
    }
    const HuberLogNormalEquations model{log_n.data(),    log_d.data(),
                                        log_loss.data(), counts.empty() ? nullptr : counts.data(),
                                        n.size(),        options.huber_delta};
    Eigen::Matrix<double, 5, 1> q(p[0], p[1], p[2], p[3], p[4]);
    const BoxLeastSquaresSummary summary =
        SolveBoxLeastSquares<5>(model, Eigen::Matrix<double, 5, 1>::Zero(), Eigen::Matrix<double, 5, 1>::Constant(inf),
                                DenseOptions(limits), &q);
    solved = summary.IsSolutionUsable();
    why = summary.message;
    p.assign(q.data(), q.data() + 5);
  } else {
    ceres::Problem problem;
    for (std::size_t i = 0; i < n.size(); ++i) {
      // A point drawn c times is c residual blocks.
      const int copies = counts.empty() ? 1 : static_cast<int>(counts[i]);
      for (int c = 0; c < copies; ++c) {
        problem.AddResidualBlock(new ceres::AutoDiffCostFunction<TaskLossResidual, 1, 5>(
                                     new TaskLossResidual{std::log(n[i]), std::log(d[i]), std::log(loss[i])}),
                                 new ceres::HuberLoss(options.huber_delta), p.data());
      }
    }
    solved = SolveInBox(&problem, p.data(), 5, {0, 0, 0, 0, 0}, {inf, inf, inf, inf, inf}, &why, limits);
  }
  *law = TaskLossLaw{p[0], p[1], p[2], p[3], p[4]};
  if (!solved || !AllFinite(p)) {
    *message = "step 1 did not converge: " + why;
    return false;
  }
  return true;
}

// A sigmoid a / (1 + exp(-k (x - x0))) + b fitted by least squares from start inside the box [lower, upper], each
// point counted counts[i] times (empty: once).
bool FitSigmoidInBox(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& counts,
                     std::vector<double> p, const std::vector<double>& lower, const std::vector<double>& upper,
                     LadderOptions::Solver solver, AccuracySigmoid* sigmoid, std::string* message,
                     const SolveLimits& limits = kDataFit) {
  // A start on a bound stays there (the box's projection); move it inside as scipy's least_squares does.
  for (int j = 0; j < 4; ++j) {
    if (std::isfinite(lower[j])) p[j] = std::max(p[j], lower[j] + 1e-10);
    if (std::isfinite(upper[j])) p[j] = std::min(p[j], upper[j] - 1e-10);
  }
  std::string why;
  bool solved = false;
  if (solver == LadderOptions::Solver::kDense) {
    const SigmoidNormalEquations model(x, y, counts);
    Eigen::Vector4d q(p[0], p[1], p[2], p[3]);
    const BoxLeastSquaresSummary summary =
        SolveBoxLeastSquares<4>(model, Eigen::Vector4d(lower[0], lower[1], lower[2], lower[3]),
                                Eigen::Vector4d(upper[0], upper[1], upper[2], upper[3]), DenseOptions(limits), &q);
    solved = summary.IsSolutionUsable();
    why = summary.message;
    p.assign(q.data(), q.data() + 4);
  } else {
    std::vector<double> repeated_x, repeated_y;  // a point drawn c times, c times
    if (!counts.empty()) {
      for (std::size_t i = 0; i < x.size(); ++i) {
        repeated_x.insert(repeated_x.end(), static_cast<std::size_t>(counts[i]), x[i]);
        repeated_y.insert(repeated_y.end(), static_cast<std::size_t>(counts[i]), y[i]);
      }
    }
    ceres::Problem problem;
    problem.AddResidualBlock(new AccuracyResiduals(counts.empty() ? x : repeated_x, counts.empty() ? y : repeated_y),
                             nullptr, p.data());
    solved = SolveInBox(&problem, p.data(), 4, lower, upper, &why, limits);
  }
  *sigmoid = AccuracySigmoid{p[0], p[1], p[2], p[3]};
  if (!solved || !AllFinite(p)) {
    *message = "did not converge: " + why;
    return false;
  }
  return true;
}

// Step 2 by least squares from (a, L0, k, b) = start inside a in [-1, 0], L0 >= 0, k >= 0, b in [0, 1].
bool FitAccuracy(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& counts,
                 const std::vector<double>& start, LadderOptions::Solver solver, AccuracySigmoid* sigmoid,
                 std::string* message, const SolveLimits& limits = kDataFit) {
  const double inf = std::numeric_limits<double>::infinity();
  if (FitSigmoidInBox(x, y, counts, start, {-1, 0, 0, 0}, {0, inf, inf, 1}, solver, sigmoid, message, limits))
    return true;
  *message = "step 2 " + *message;
  return false;
}

// The paper's step-1 objective, sum_i Huber_delta(ln L_hat_i - ln L_i).
double TaskLossObjective(const TaskLossLaw& law, const std::vector<double>& n, const std::vector<double>& d,
                         const std::vector<double>& loss, double delta) {
  double sum = 0;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const double r = std::abs(std::log(law(n[i], d[i])) - std::log(loss[i]));
    sum += r < delta ? r * r / 2 : delta * (r - delta / 2);
  }
  return sum;
}

double SquaredError(const AccuracySigmoid& sigmoid, const std::vector<double>& x, const std::vector<double>& y) {
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sum += (sigmoid(x[i]) - y[i]) * (sigmoid(x[i]) - y[i]);
  return sum;
}

// The lowest sum of squares over short solves (50 iterations) from every start, in parallel (the result does not
// depend on the threads), then the winner solved to convergence.
bool FitSigmoidMultiStart(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<std::vector<double>>& starts, const std::vector<double>& lower,
                          const std::vector<double>& upper, LadderOptions::Solver solver, int num_threads,
                          AccuracySigmoid* best, std::string* message) {
  std::vector<AccuracySigmoid> fits(starts.size());
  std::vector<double> values(starts.size(), std::numeric_limits<double>::infinity());
  ParallelFor(static_cast<int>(starts.size()), ThreadsToUse(num_threads), [&](int s) {
    std::string ignored;
    FitSigmoidInBox(x, y, {}, starts[s], lower, upper, solver, &fits[s], &ignored, kScreeningFit);
    {
      const double value = SquaredError(fits[s], x, y);
      if (std::isfinite(value)) values[s] = value;
    }
  });
  const std::size_t winner = std::min_element(values.begin(), values.end()) - values.begin();
  if (!std::isfinite(values[winner])) {
    *message = "no start converged";
    return false;
  }
  const AccuracySigmoid screened = fits[winner];
  return FitSigmoidInBox(x, y, {}, {screened.a, screened.l0, screened.k, screened.b}, lower, upper, solver, best,
                         message);
}

}  // namespace
}  // namespace detail

double AccuracySigmoid::operator()(double task_loss) const { return a / (1.0 + std::exp(-k * (task_loss - l0))) + b; }

double TaskLossLaw::operator()(double params, double tokens) const {
  return std::exp(a) / std::pow(params, alpha) + std::exp(b) / std::pow(tokens, beta) + e;
}

bool LadderOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& why) {
    if (error != nullptr) *error = why;
    return false;
  };
  if (final_rows < 1) return fail("final_rows must be at least 1");
  if (!(huber_delta > 0) || !std::isfinite(huber_delta)) return fail("huber_delta must be positive and finite");
  if (step1_start.size() != 5) return fail("step1_start needs 5 values (a, b, alpha, beta, E)");
  for (double v : step1_start) {
    if (!(v >= 0) || !std::isfinite(v)) return fail("step1_start values must be finite and >= 0 (the bounds)");
  }
  if (!(skip_fraction >= 0 && skip_fraction < 1)) return fail("skip_fraction must be in [0, 1)");
  if (moving_average < 1) return fail("moving_average must be at least 1");
  if (bootstrap_resamples < 0) return fail("bootstrap_resamples must be >= 0");
  if (!(interval_level > 0 && interval_level < 1)) return fail("interval_level must be in (0, 1)");
  if (!(max_compute_extrapolation >= 0) || !std::isfinite(max_compute_extrapolation)) {
    return fail("max_compute_extrapolation must be finite and >= 0 (0: no limit)");
  }
  if (!(min_accuracy_above_chance >= 0) || !std::isfinite(min_accuracy_above_chance)) {
    return fail("min_accuracy_above_chance must be finite and >= 0");
  }
  if (!(step2_start_l0 >= 0) || !(step2_start_k >= 0) || !(step2_start_b >= 0 && step2_start_b <= 1) ||
      !std::isfinite(step2_start_l0) || !std::isfinite(step2_start_k)) {
    return fail("the step-2 start must lie in the bounds L0 >= 0, k >= 0, b in [0, 1]");
  }
  return true;
}

LadderSummary FitLadder(const LadderTask& task, const LadderOptions& options) {
  std::string error;
  if (!options.IsValid(&error)) throw InvalidArgument("ladder options: " + error);
  if (!(task.chance >= 0 && task.chance < 1))
    throw InvalidArgument("ladder task " + task.name + ": chance must be in [0, 1)");
  for (const LadderRun& run : task.runs) {
    if (run.tokens.empty() || run.tokens.size() != run.task_loss.size() || run.tokens.size() != run.accuracy.size()) {
      throw InvalidArgument("ladder run " + run.name +
                            ": needs equally many tokens, task losses and accuracies (>= 1)");
    }
    const bool positive = std::all_of(run.tokens.begin(), run.tokens.end(), [](double v) { return v > 0; }) &&
                          std::all_of(run.task_loss.begin(), run.task_loss.end(), [](double v) { return v > 0; });
    if (!(run.params > 0) || !std::isfinite(run.params) || !positive || !detail::AllFinite(run.tokens) ||
        !detail::AllFinite(run.task_loss) || !detail::AllFinite(run.accuracy)) {
      throw InvalidArgument("ladder run " + run.name + ": N, D and task losses must be positive and finite");
    }
  }
  LadderSummary summary;
  summary.task = task.name;
  summary.target_params = task.target.params;
  summary.target_tokens =
      task.target.tokens.empty() ? std::numeric_limits<double>::quiet_NaN() : task.target.tokens.back();

  std::set<double> sizes;
  for (const LadderRun& run : task.runs) sizes.insert(run.params);
  if (sizes.size() < 3) {
    summary.message =
        fmt::format("{} ladder size(s): step 1 needs at least 3 model sizes to fit N's exponent", sizes.size());
    return summary;
  }
  if (!(summary.target_params > 0) || !(summary.target_tokens > 0) || !std::isfinite(summary.target_params) ||
      !std::isfinite(summary.target_tokens)) {
    summary.message = "the target has no positive, finite N and D to predict at";
    return summary;
  }
  double largest_compute = 0;
  for (const LadderRun& run : task.runs)
    largest_compute = std::max(largest_compute, 6 * run.params * run.tokens.back());
  const double compute_ratio = 6 * summary.target_params * summary.target_tokens / largest_compute;
  if (options.max_compute_extrapolation > 0 && compute_ratio > options.max_compute_extrapolation) {
    summary.message = fmt::format(
        "the target's compute 6ND = {:.3g} FLOPs is {:.3g}x the ladder's largest run's ({:.3g}), beyond the {:g}x "
        "the chain is trusted to extrapolate",
        6 * summary.target_params * summary.target_tokens, compute_ratio, largest_compute,
        options.max_compute_extrapolation);
    return summary;
  }

  // Step 1: one point per run.
  std::vector<double> n, d, loss;
  for (const LadderRun& run : task.runs) {
    n.push_back(run.params);
    d.push_back(run.tokens.back());
    loss.push_back(detail::TailMean(run.task_loss, options.final_rows));
  }
  summary.step1_points = static_cast<int>(n.size());
  summary.step1_params = n;
  summary.step1_tokens = d;
  summary.step1_task_loss = loss;

  // Step 2: every checkpoint after the skip, smoothed per run, pooled, with the ideal point.
  std::vector<std::vector<double>> run_x, run_y;
  std::vector<double> x, y, log_compute;  // log_compute: ln(6 N D) of each step-2 checkpoint (the one-step fit)
  double highest_accuracy = -std::numeric_limits<double>::infinity();
  for (const LadderRun& run : task.runs) {
    const std::size_t skip = static_cast<std::size_t>(std::ceil(options.skip_fraction * run.tokens.size()));
    std::vector<double> sx, sy;
    if (skip < run.tokens.size()) {
      sx = detail::MovingAverage({run.task_loss.begin() + skip, run.task_loss.end()}, options.moving_average);
      sy = detail::MovingAverage({run.accuracy.begin() + skip, run.accuracy.end()}, options.moving_average);
    }
    x.insert(x.end(), sx.begin(), sx.end());
    y.insert(y.end(), sy.begin(), sy.end());
    for (std::size_t j = skip; j < run.tokens.size(); ++j)
      log_compute.push_back(std::log(6 * run.params * run.tokens[j]));
    for (double v : sy) highest_accuracy = std::max(highest_accuracy, v);
    summary.step2_params.insert(summary.step2_params.end(), sx.size(), run.params);
    summary.step2_task_loss.insert(summary.step2_task_loss.end(), sx.begin(), sx.end());
    summary.step2_accuracy.insert(summary.step2_accuracy.end(), sy.begin(), sy.end());
    run_x.push_back(std::move(sx));
    run_y.push_back(std::move(sy));
  }
  if (!(highest_accuracy > task.chance + options.min_accuracy_above_chance)) {
    summary.message = fmt::format(
        "the ladder's accuracy never leaves chance ({:.4g} at best, chance {:.4g}): step 2 has no sigmoid to fit",
        highest_accuracy, task.chance);
    return summary;
  }
  if (options.ideal_point) {
    x.push_back(0.0);
    y.push_back(1.0);
  }
  summary.step2_points = static_cast<int>(x.size());

  std::string message;
  if (!detail::FitTaskLoss(n, d, loss, {}, options, &summary.step1, &message)) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = message;
    return summary;
  }
  double fit_error = 0;
  for (std::size_t i = 0; i < n.size(); ++i) fit_error += std::abs(summary.step1(n[i], d[i]) - loss[i]) / loss[i];
  summary.step1_fit_error = fit_error / static_cast<double>(n.size());

  const std::vector<double> start = {task.chance - 1.0, options.step2_start_l0, options.step2_start_k,
                                     options.step2_start_b};
  std::vector<double> chained_start = start;
  if (options.chained_start_at_minus_one) chained_start[0] = -1.0;
  if (!detail::FitAccuracy(x, y, {}, start, options.solver, &summary.step2, &message) ||
      !detail::FitAccuracy(x, y, {}, chained_start, options.solver, &summary.step2_chained, &message)) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = message;
    return summary;
  }

  summary.step1_prediction = summary.step1(summary.target_params, summary.target_tokens);
  summary.chained_prediction = summary.step2_chained(summary.step1_prediction);
  const double largest_n = *std::max_element(n.begin(), n.end()), largest_d = *std::max_element(d.begin(), d.end());
  for (const auto& [name, target, largest] :
       {std::tuple{"N", summary.target_params, largest_n}, std::tuple{"D", summary.target_tokens, largest_d}}) {
    if (target > largest) {
      summary.warnings.push_back(
          fmt::format("{}: the target's {} = {:.4g} is {:.3g}x the ladder's largest ({:.4g}): "
                      "the chain extrapolates beyond the runs it was fitted on",
                      task.name, name, target, target / largest, largest));
    }
  }
  const LadderRun& target = task.target;
  if (!target.task_loss.empty() && target.task_loss.size() == target.accuracy.size()) {
    summary.actual_task_loss = detail::TailMean(target.task_loss, options.final_rows);
    summary.actual_smoothed_loss = detail::MovingAverage(target.task_loss, options.moving_average).back();
    summary.actual_accuracy = detail::MovingAverage(target.accuracy, options.moving_average).back();
    summary.step2_prediction = summary.step2(summary.actual_smoothed_loss);
  }
  if (!std::isfinite(summary.step1_prediction) || !std::isfinite(summary.chained_prediction)) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = "the chained prediction is not finite";
    return summary;
  }

  summary.step1_objective = detail::TaskLossObjective(summary.step1, n, d, loss, options.huber_delta);
  summary.step2_objective = detail::SquaredError(summary.step2_chained, x, y);
  const double inf = std::numeric_limits<double>::infinity();

  if (options.multistart) {
    LadderSummary::MultiStart& multi = summary.multistart;
    Dataset data;
    data.params = n;
    data.tokens = d;
    data.loss = loss;
    FitOptions fit_options;
    fit_options.huber_delta = options.huber_delta;
    fit_options.num_threads = options.num_threads;
    fit_options.max_parameter_span = inf;  // the minimiser is wanted, not a judgement of identifiability
    FitSummary fit;
    Fit(data, Model::FromName("chinchilla"), fit_options, &fit);
    std::vector<std::vector<double>> starts;
    for (double a : {-0.8, -0.4}) {
      for (double l0 : {0.5, 1.0, 1.5}) {
        for (double k : {1.0, 4.0, 16.0}) {
          for (double b : {0.7, 0.99}) starts.push_back({a, l0, k, b});
        }
      }
    }
    std::string why;
    if (!fit.IsUsable()) {
      multi.message = "step 1: " + fit.message;
    } else if (!detail::FitSigmoidMultiStart(x, y, starts, {-1, 0, 0, 0}, {0, inf, inf, 1}, options.solver,
                                             options.num_threads, &multi.step2, &why)) {
      multi.message = "step 2: " + why;
    } else {
      multi.step1 = TaskLossLaw{std::log(fit.params.at("A")), std::log(fit.params.at("B")), fit.params.at("alpha"),
                                fit.params.at("beta"), fit.params.at("E")};
      multi.step1_objective = detail::TaskLossObjective(multi.step1, n, d, loss, options.huber_delta);
      multi.step2_objective = detail::SquaredError(multi.step2, x, y);
      multi.step1_prediction = multi.step1(summary.target_params, summary.target_tokens);
      multi.chained_prediction = multi.step2(multi.step1_prediction);
      if (std::isfinite(summary.actual_smoothed_loss))
        multi.step2_prediction = multi.step2(summary.actual_smoothed_loss);
      multi.usable = std::isfinite(multi.chained_prediction);
      if (!multi.usable) multi.message = "the chained prediction is not finite";
    }
  }

  if (options.one_step) {
    // Accuracy rises with compute, so the rate k is bounded above by 0 (a <= 0 is the drop from b to the floor).
    std::vector<double> sorted = log_compute;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::vector<double>> starts;
    for (double quantile : {0.25, 0.5, 0.75, 1.0}) {
      for (double k : {-0.1, -0.3, -1.0, -3.0}) {
        const double c0 = sorted[static_cast<std::size_t>(quantile * static_cast<double>(sorted.size() - 1))];
        starts.push_back({task.chance - 1.0, c0, k, 1.0});
      }
    }
    std::vector<double> y_points(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(log_compute.size()));
    std::string why;
    LadderSummary::OneStep& one = summary.one_step;
    if (detail::FitSigmoidMultiStart(log_compute, y_points, starts, {-1, -inf, -inf, 0}, {0, inf, 0, 1}, options.solver,
                                     options.num_threads, &one.law, &why)) {
      one.prediction = one.law(std::log(6 * summary.target_params * summary.target_tokens));
      one.usable = std::isfinite(one.prediction);
      if (!one.usable) one.message = "the prediction is not finite";
    } else {
      one.message = why;
    }
  }

  if (options.bootstrap_resamples > 0) {
    // Resample r draws from its own generator (seed, r), so the draws do not depend on the threads.
    summary.bootstrap_chained.assign(static_cast<std::size_t>(options.bootstrap_resamples),
                                     std::numeric_limits<double>::quiet_NaN());
    const std::size_t runs = task.runs.size();
    // Every resample refits both steps from the full-data optimum (as Fit's bootstrap does): near it, the
    // resample's minimum is the one the full data's basin leads to, and the solves take a few iterations.
    LadderOptions resample_options = options;
    resample_options.step1_start = {summary.step1.a, summary.step1.b, summary.step1.alpha, summary.step1.beta,
                                    summary.step1.e};
    const std::vector<double> resample_start = {summary.step2_chained.a, summary.step2_chained.l0,
                                                summary.step2_chained.k, summary.step2_chained.b};
    // A resample is the full data with a count per point: how often its run was drawn (step 1) and how often each
    // of its checkpoints was drawn within the drawn runs (step 2); the fits weight each point by its count, the
    // same objectives as over the drawn copies, and skip the points not drawn.
    std::vector<std::size_t> run_offset(runs + 1, 0);
    for (std::size_t i = 0; i < runs; ++i) run_offset[i + 1] = run_offset[i] + run_x[i].size();
    detail::ParallelFor(options.bootstrap_resamples, detail::ThreadsToUse(options.num_threads), [&](int r) {
      std::mt19937_64 rng = detail::ResampleGenerator(options.bootstrap_seed, static_cast<std::uint64_t>(r));
      std::vector<double> run_count(runs, 0.0), checkpoint_count(run_offset[runs], 0.0);
      std::set<double> drawn_sizes;
      for (std::size_t k = 0; k < runs; ++k) {
        const std::size_t i = detail::Draw(rng, runs);
        run_count[i] += 1;
        drawn_sizes.insert(n[i]);
        for (std::size_t j = 0; j < run_x[i].size(); ++j) {
          checkpoint_count[run_offset[i] + detail::Draw(rng, run_x[i].size())] += 1;
        }
      }
      if (drawn_sizes.size() < 3) return;
      std::vector<double> bn, bd, bloss, bcount, bx, by, bw;
      for (std::size_t i = 0; i < runs; ++i) {
        if (run_count[i] == 0) continue;
        bn.push_back(n[i]);
        bd.push_back(d[i]);
        bloss.push_back(loss[i]);
        bcount.push_back(run_count[i]);
      }
      for (std::size_t i = 0; i < runs; ++i) {
        for (std::size_t c = 0; c < run_x[i].size(); ++c) {
          const double count = checkpoint_count[run_offset[i] + c];
          if (count == 0) continue;
          bx.push_back(run_x[i][c]);
          by.push_back(run_y[i][c]);
          bw.push_back(count);
        }
      }
      if (options.ideal_point) {
        bx.push_back(0.0);
        by.push_back(1.0);
        bw.push_back(1.0);
      }
      TaskLossLaw law;
      AccuracySigmoid sigmoid;
      std::string ignored;
      if (!detail::FitTaskLoss(bn, bd, bloss, bcount, resample_options, &law, &ignored, detail::kResampleFit)) return;
      if (!detail::FitAccuracy(bx, by, bw, resample_start, options.solver, &sigmoid, &ignored, detail::kResampleFit))
        return;
      const double prediction = sigmoid(law(summary.target_params, summary.target_tokens));
      if (std::isfinite(prediction)) summary.bootstrap_chained[static_cast<std::size_t>(r)] = prediction;
    });
    std::vector<double> finite;
    for (double v : summary.bootstrap_chained) {
      if (std::isfinite(v)) finite.push_back(v);
    }
    summary.bootstrap_failed = options.bootstrap_resamples - static_cast<int>(finite.size());
    summary.interval_level = options.interval_level;
    if (finite.size() >= 2) {
      std::sort(finite.begin(), finite.end());
      const double tail = (1 - options.interval_level) / 2;
      summary.chained_lower = detail::Percentile(finite, tail);
      summary.chained_upper = detail::Percentile(finite, 1 - tail);
    }
  }
  summary.status = AnalysisStatus::kUsable;
  return summary;
}

std::string LadderSummary::BriefReport() const {
  if (!IsUsable()) return fmt::format("{}: {} ({})", task, AnalysisStatusName(status), message);
  return fmt::format("{}: task loss {:.4f} -> accuracy {:.4f} (chained){}", task, step1_prediction, chained_prediction,
                     std::isfinite(actual_accuracy) ? fmt::format(", actual {:.4f}", actual_accuracy) : "");
}

std::string LadderSummary::FullReport() const {
  std::string out = fmt::format("Ladder prediction of {} (Bhagia et al. 2024, arXiv:2412.04403)\n", task);
  out += fmt::format("  status: {}{}\n", AnalysisStatusName(status), message.empty() ? "" : " (" + message + ")");
  if (!IsUsable()) return out;
  out +=
      fmt::format("  step 1: L(N, D) = e^{:.5g}/N^{:.5g} + e^{:.5g}/D^{:.5g} + {:.5g}  ({} points, fit error {:.3g})\n",
                  step1.a, step1.alpha, step1.b, step1.beta, step1.e, step1_points, step1_fit_error);
  out += fmt::format("  step 2: Acc(L) = {:.5g}/(1 + exp(-{:.5g} (L - {:.5g}))) + {:.5g}  ({} points)\n", step2.a,
                     step2.k, step2.l0, step2.b, step2_points);
  out += fmt::format("  target: N = {:.6g}, D = {:.6g}\n", target_params, target_tokens);
  out += fmt::format("  step 1 task loss: predicted {:.6f}, actual {:.6f}\n", step1_prediction, actual_task_loss);
  out += fmt::format("  step 2 accuracy:  predicted {:.6f}, actual {:.6f}\n", step2_prediction, actual_accuracy);
  out += fmt::format("  chained accuracy: predicted {:.6f}, actual {:.6f}\n", chained_prediction, actual_accuracy);
  if (multistart.usable) {
    out += fmt::format(
        "  multi-start: task loss {:.6f}, step 2 {:.6f}, chained {:.6f} (objectives {:.6g}, {:.6g}; single start "
        "{:.6g}, {:.6g})\n",
        multistart.step1_prediction, multistart.step2_prediction, multistart.chained_prediction,
        multistart.step1_objective, multistart.step2_objective, step1_objective, step2_objective);
  } else if (!multistart.message.empty()) {
    out += "  multi-start: not usable (" + multistart.message + ")\n";
  }
  if (one_step.usable) {
    out += fmt::format("  one step: Acc(C) = {:.5g}/(1 + exp({:.5g} (ln C - {:.5g}))) + {:.5g}, predicted {:.6f}\n",
                       one_step.law.a, -one_step.law.k, one_step.law.l0, one_step.law.b, one_step.prediction);
  } else if (!one_step.message.empty()) {
    out += "  one step: not usable (" + one_step.message + ")\n";
  }
  if (!bootstrap_chained.empty()) {
    out += fmt::format("  chained {:.0f}% interval: [{:.6f}, {:.6f}] ({} resamples, {} failed)\n", 100 * interval_level,
                       chained_lower, chained_upper, bootstrap_chained.size(), bootstrap_failed);
  }
  return out;
}

const std::vector<LadderTaskColumns>& OlmoLadderTasks() {
  static const std::vector<LadderTaskColumns> tasks = [] {
    auto single = [](const std::string& name, const std::string& column, double chance) {
      return LadderTaskColumns{name + "_5shot",
                               chance,
                               {{1.0, "eval/downstream_bpb/" + column + "_rc_5shot_bpb",
                                 "eval/downstream/" + column + "_rc_5shot_len_norm"}}};
    };
    // MMLU: the four categories' test sets weighted by their question counts (task_utils.py).
    LadderTaskColumns mmlu{"mmlu_avg_test_5shot", 0.25, {}};
    for (const auto& [category, weight] : std::vector<std::pair<std::string, double>>{
             {"stem", 0.215}, {"humanities", 0.335}, {"social_sciences", 0.219}, {"other", 0.231}}) {
      mmlu.parts.push_back({weight, "eval/downstream_bpb/mmlu_" + category + "_test_rc_5shot_bpb",
                            "eval/downstream/mmlu_" + category + "_test_rc_5shot_len_norm"});
    }
    return std::vector<LadderTaskColumns>{mmlu,
                                          single("hellaswag_val", "hellaswag_val", 0.25),
                                          single("arc_challenge_test", "arc_challenge_test", 0.25),
                                          single("arc_easy_test", "arc_easy_test", 0.25),
                                          single("piqa_val", "piqa_val", 0.5),
                                          single("csqa_val", "csqa_val", 0.2),
                                          single("socialiqa_val", "socialiqa_val", 1.0 / 3.0),
                                          single("openbookqa_test", "openbookqa_test", 0.25)};
  }();
  return tasks;
}

LadderRun ReadLadderRun(const std::string& path, const std::string& name, double params,
                        const LadderTaskColumns& task) {
  const std::vector<std::string> header = CsvHeader(detail::ReadWholeFile(path));
  const bool has_tokens = std::find(header.begin(), header.end(), "throughput/total_tokens") != header.end();
  TableQuery query;
  if (has_tokens) {
    query.columns.push_back({"throughput/total_tokens"});
  } else {
    query.columns.push_back({"_step"});
    query.columns.push_back({"batch_size_in_tokens"});
  }
  for (const auto& part : task.parts) {
    query.columns.push_back({part.loss_column});
    query.columns.push_back({part.accuracy_column, CellDomain::kFinite});
  }
  const NumericTable table = ReadNumericCsv(path, query);
  LadderRun run;
  run.name = name;
  run.params = params;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    run.tokens.push_back(has_tokens ? table.columns[0][row] : table.columns[0][row] * table.columns[1][row]);
    double loss = 0, accuracy = 0, weights = 0;
    const std::size_t first = has_tokens ? 1 : 2;
    for (std::size_t p = 0; p < task.parts.size(); ++p) {
      loss += task.parts[p].weight * table.columns[first + 2 * p][row];
      accuracy += task.parts[p].weight * table.columns[first + 2 * p + 1][row];
      weights += task.parts[p].weight;
    }
    run.task_loss.push_back(loss / weights);
    run.accuracy.push_back(accuracy / weights);
  }
  return run;
}

std::vector<LadderRunFile> ReadOlmoLadderConfig(const std::string& config) {
  namespace fs = std::filesystem;
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(detail::ReadWholeFile(config));
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgument(fmt::format("{}: not JSON ({})", config, e.what()));
  }
  if (!json.is_object()) throw InvalidArgument(config + ": expected an object of ladder entries");
  const fs::path folder = fs::path(config).parent_path();
  std::vector<LadderRunFile> files;
  for (const auto& [label, entry] : json.items()) {
    if (!entry.is_object() || !entry.contains("paths") || !entry.contains("n") || !entry.contains("mode") ||
        !entry["n"].is_number() || !entry["paths"].is_array() || !entry["mode"].is_string()) {
      throw InvalidArgument(fmt::format("{}: entry '{}' needs \"paths\" (a list), \"n\" and \"mode\"", config, label));
    }
    for (const auto& path_json : entry["paths"]) {
      if (!path_json.is_string())
        throw InvalidArgument(fmt::format("{}: entry '{}': a path is not a string", config, label));
      const fs::path path = path_json.get<std::string>();
      fs::path found = folder / path;
      for (const fs::path& candidate :
           {folder / path, folder / "ladder-runs" / path.filename(), folder / path.filename()}) {
        if (fs::exists(candidate)) {
          found = candidate;
          break;
        }
      }
      files.push_back({found.string(), entry["n"].get<double>(), entry["mode"] != "train"});
    }
  }
  return files;
}

std::vector<LadderSummary> FitLadderFiles(const std::vector<LadderRunFile>& files,
                                          const std::vector<std::string>& task_names, const LadderOptions& options,
                                          double target_params, double target_tokens) {
  const bool target_numbers = target_params > 0 && target_tokens > 0;
  int targets = 0;
  for (const LadderRunFile& file : files) targets += file.target ? 1 : 0;
  if (!target_numbers && targets != 1) {
    throw InvalidArgument(
        fmt::format("the ladder needs one target (a target file, or its N and D); {} target file(s) given", targets));
  }
  std::vector<LadderTaskColumns> columns;
  for (const std::string& name : task_names) {
    const auto& all = OlmoLadderTasks();
    const auto it = std::find_if(all.begin(), all.end(), [&](const LadderTaskColumns& c) { return c.name == name; });
    if (it == all.end()) {
      std::string known;
      for (const LadderTaskColumns& task : all) known += (known.empty() ? "" : ", ") + task.name;
      throw InvalidArgument(fmt::format("task {}: not a task of the OLMo ladder ({})", name, known));
    }
    columns.push_back(*it);
  }
  if (task_names.empty()) columns = OlmoLadderTasks();
  std::vector<LadderSummary> summaries;
  for (const LadderTaskColumns& task_columns : columns) {
    LadderTask task;
    task.name = task_columns.name;
    task.chance = task_columns.chance;
    for (const LadderRunFile& file : files) {
      if (file.target && target_numbers) continue;
      LadderRun run =
          ReadLadderRun(file.path, std::filesystem::path(file.path).stem().string(), file.params, task_columns);
      if (file.target) {
        task.target = std::move(run);
      } else {
        task.runs.push_back(std::move(run));
      }
    }
    if (target_numbers) {
      task.target.name = "target";
      task.target.params = target_params;
      task.target.tokens = {target_tokens};
    }
    summaries.push_back(FitLadder(task, options));
  }
  return summaries;
}

Prediction PredictLadderTarget(std::string_view family, const LadderSummary& summary, PredictionInputs inputs) {
  if (!(summary.target_params > 0) || !(summary.target_tokens > 0)) {
    throw InvalidArgument("ladder task " + summary.task + ": the target has no N and D for a published law");
  }
  inputs.Set(Input::kParams, summary.target_params).Set(Input::kTokens, summary.target_tokens);
  std::vector<Prediction> predictions = Predict(Quantity::kDownstream, family, inputs);
  if (predictions.size() != 1) {
    throw InvalidArgument(fmt::format("--published takes one downstream law family, not '{}'", family));
  }
  Prediction& prediction = predictions.front();
  prediction.notes.push_back(
      fmt::format("{} answers in its own metric ({}), not {}'s accuracy in the ladder's format: compare with care",
                  prediction.law.name, prediction.law.units.substr(0, prediction.law.units.find(';')), summary.task));
  return std::move(prediction);
}

}  // namespace scalelaw
