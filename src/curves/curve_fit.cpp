#include "scalelaw/curves/curve_fit.h"

#include <ceres/ceres.h>
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include "curves/curve_fit_detail.h"
#include "curves/curve_terms.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

// The laws the fit moves through: the three public forms and the paper's simplified law of its start
// (Luo et al. 2025, repository src/fitting.py): L0 + A·S1^-alpha - B·(eta_max(t) - eta_t).
enum class Stage { kPowerOnly, kSimplified, kAnnealing, kAnnealingLambda, kMultiPower };

int StageParameterCount(Stage stage) {
  switch (stage) {
    case Stage::kPowerOnly:
      return 3;
    case Stage::kSimplified:
    case Stage::kAnnealing:
      return 4;
    case Stage::kAnnealingLambda:  // L0, A, alpha, C, lambda
      return 5;
    case Stage::kMultiPower:
      return 7;
  }
  return 0;
}

// Which parameters move in logarithms (positive by construction): A, alpha, and the Multi-Power Law's B, C, beta,
// gamma. L0 and the linear coefficients of the simplified and Tissue laws move as they are.
bool MovesInLog(Stage stage, int j) {
  if (j == 1 || j == 2) return true;
  return stage == Stage::kMultiPower && j >= 3;
}
// The Tissue law's fitted lambda moves in its logit, so that it stays in (0, 1).
bool MovesInLogit(Stage stage, int j) { return stage == Stage::kAnnealingLambda && j == 4; }
double Logistic(double z) { return 1 / (1 + std::exp(-z)); }

struct FitData {
  std::vector<detail::CurveDesign> designs;
  std::vector<Eigen::ArrayXd> anneal_gap;       // eta_max(t) - eta_t at each logged point, per curve
  std::vector<int> offsets;                     // first point of each curve
  std::vector<std::vector<double>> step_drop;   // per curve: d_k = eta_{k-1} - eta_k, k = 0..last logged step
  std::vector<std::vector<long>> logged_steps;  // per curve
  Eigen::ArrayXd log_observed;
  int points = 0;
};

// The residuals sign(r)·sqrt(2·Huber_delta(r)) of r = ln y - ln L(t), whose half squared norm is the Huber
// objective, and their Jacobian in the internal parameters (logarithms where MovesInLog).
class CurveCost final : public ceres::CostFunction {
 public:
  // observed: the log losses to fit (data.log_observed when null; a bootstrap resample's otherwise).
  CurveCost(const FitData& data, Stage stage, double delta, const Eigen::ArrayXd* observed = nullptr)
      : data_(data), observed_(observed != nullptr ? *observed : data.log_observed), stage_(stage), delta_(delta) {
    set_num_residuals(data.points);
    mutable_parameter_block_sizes()->push_back(StageParameterCount(stage));
    loss_.resize(data.points);
    jacobian_.resize(static_cast<std::size_t>(data.points) * StageParameterCount(stage));
  }

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
    const int np = StageParameterCount(stage_);
    double theta[7];
    for (int j = 0; j < np; ++j) {
      const double z = parameters[0][j];
      theta[j] = MovesInLog(stage_, j) ? std::exp(z) : MovesInLogit(stage_, j) ? Logistic(z) : z;
    }
    const bool want_jacobian = jacobians != nullptr && jacobians[0] != nullptr;
    if (!Predict(theta, want_jacobian)) return false;
    for (int i = 0; i < data_.points; ++i) {
      if (!(loss_[i] > 0)) return false;
      const double r = observed_[i] - std::log(loss_[i]);
      const double abs_r = std::abs(r);
      double scale = 1;  // d residual / d r
      if (abs_r <= delta_) {
        residuals[i] = r;
      } else {
        const double root = std::sqrt(2 * delta_ * abs_r - delta_ * delta_);
        residuals[i] = r > 0 ? root : -root;
        scale = delta_ / root;
      }
      if (want_jacobian) {
        // d r / d theta_j = -(1/L) dL/dtheta_j; times theta_j for a logarithmic parameter.
        for (int j = 0; j < np; ++j) {
          double d = -scale * jacobian_[static_cast<std::size_t>(i) * np + j] / loss_[i];
          if (MovesInLog(stage_, j)) d *= theta[j];
          if (MovesInLogit(stage_, j)) d *= theta[j] * (1 - theta[j]);
          jacobians[0][i * np + j] = d;
        }
      }
    }
    return true;
  }

  const std::vector<double>& loss() const { return loss_; }
  const std::vector<double>& jacobian() const { return jacobian_; }

  // The loss at every point (loss_) and dL/dtheta (jacobian_).
  bool Predict(const double* theta, bool want_jacobian) const {
    const int np = StageParameterCount(stage_);
    for (std::size_t c = 0; c < data_.designs.size(); ++c) {
      const int offset = data_.offsets[c];
      double* loss = loss_.data() + offset;
      double* jacobian = want_jacobian ? jacobian_.data() + static_cast<std::size_t>(offset) * np : nullptr;
      const detail::CurveDesign& design = data_.designs[c];
      if (stage_ == Stage::kSimplified) {
        if (!detail::EvaluateCurveDesign(CurveLawForm::kPowerOnly, theta, design, loss, nullptr, &scratch_)) {
          return false;
        }
        const Eigen::ArrayXd& gap = data_.anneal_gap[c];
        for (Eigen::Index i = 0; i < gap.size(); ++i) {
          loss[i] -= theta[3] * gap[i];
          if (jacobian != nullptr) {
            const double power = std::exp(-theta[2] * design.log_s1[i]);
            double* row = jacobian + i * np;
            row[0] = 1;
            row[1] = power;
            row[2] = -theta[1] * power * design.log_s1[i];
            row[3] = -gap[i];
          }
        }
        continue;
      }
      if (stage_ == Stage::kAnnealingLambda) {
        PredictAnnealingLambda(c, theta, loss, jacobian);
        continue;
      }
      const CurveLawForm form = stage_ == Stage::kPowerOnly   ? CurveLawForm::kPowerOnly
                                : stage_ == Stage::kAnnealing ? CurveLawForm::kAnnealing
                                                              : CurveLawForm::kMultiPower;
      if (!detail::EvaluateCurveDesign(form, theta, design, loss, jacobian, &scratch_)) return false;
    }
    return true;
  }

 private:
  void PredictAnnealingLambda(std::size_t c, const double* theta, double* loss, double* jacobian) const {
    detail::EvaluateAnnealingWithLambda(theta, data_.step_drop[c], data_.logged_steps[c], data_.designs[c].log_s1, loss,
                                        jacobian);
  }

  const FitData& data_;
  const Eigen::ArrayXd& observed_;
  Stage stage_;
  double delta_;
  mutable std::vector<double> loss_;
  mutable std::vector<double> jacobian_;
  mutable detail::CurveScratch scratch_;
};

std::vector<double> ToInternal(Stage stage, const std::vector<double>& theta) {
  std::vector<double> z(theta);
  for (std::size_t j = 0; j < z.size(); ++j) {
    if (MovesInLog(stage, static_cast<int>(j))) z[j] = std::log(theta[j]);
    if (MovesInLogit(stage, static_cast<int>(j))) z[j] = std::log(theta[j] / (1 - theta[j]));
  }
  return z;
}

std::vector<double> FromInternal(Stage stage, const std::vector<double>& z) {
  std::vector<double> theta(z);
  for (std::size_t j = 0; j < z.size(); ++j) {
    if (MovesInLog(stage, static_cast<int>(j))) theta[j] = std::exp(z[j]);
    if (MovesInLogit(stage, static_cast<int>(j))) theta[j] = Logistic(z[j]);
  }
  return theta;
}

// The objective at theta (infinite where the law cannot be evaluated).
double Objective(const FitData& data, Stage stage, const std::vector<double>& theta, double delta,
                 const Eigen::ArrayXd* observed = nullptr) {
  const CurveCost cost(data, stage, delta, observed);
  const std::vector<double> z = ToInternal(stage, theta);
  const double* parameters[] = {z.data()};
  std::vector<double> residuals(static_cast<std::size_t>(data.points));
  if (!cost.Evaluate(parameters, residuals.data(), nullptr)) return std::numeric_limits<double>::infinity();
  double total = 0;
  for (double r : residuals) total += 0.5 * r * r;
  return total;
}

CurveFitStart Solve(const FitData& data, Stage stage, const std::vector<double>& start, const CurveFitOptions& options,
                    const Eigen::ArrayXd* observed = nullptr) {
  CurveFitStart result;
  result.start = start;
  std::vector<double> z = ToInternal(stage, start);
  const ceres::Solver::Summary summary =
      detail::SolveCurveLeastSquares(new CurveCost(data, stage, options.huber_delta, observed), &z, options);
  result.parameters = FromInternal(stage, z);
  // 1/2 the sum of squared residuals is the Huber objective; recomputed at the end point, since a solve that
  // failed at its start reports no cost of its own.
  result.objective = Objective(data, stage, result.parameters, options.huber_delta, observed);
  result.iterations = static_cast<int>(summary.iterations.size());
  result.converged = summary.termination_type == ceres::CONVERGENCE && std::isfinite(summary.final_cost);
  result.message = summary.message;
  return result;
}

FitData MakeFitData(const std::vector<TrainingCurve>& curves, bool with_s2, double lambda) {
  FitData data;
  std::vector<double> log_observed;
  for (const TrainingCurve& curve : curves) {
    if (curve.loss.size() != curve.steps.size() || curve.loss.empty()) {
      throw InvalidArgument(fmt::format("curve '{}': {} steps but {} losses (a fit needs a loss at every logged step)",
                                        curve.name, curve.steps.size(), curve.loss.size()));
    }
    for (std::size_t i = 1; i < curve.steps.size(); ++i) {
      if (curve.steps[i] <= curve.steps[i - 1]) {
        throw InvalidArgument(fmt::format("curve '{}': step {} (point {}) does not increase on step {}", curve.name,
                                          curve.steps[i], i, curve.steps[i - 1]));
      }
    }
    for (std::size_t i = 0; i < curve.loss.size(); ++i) {
      if (!(std::isfinite(curve.loss[i]) && curve.loss[i] > 0)) {
        throw InvalidArgument(fmt::format("curve '{}': loss {} at step {} is not a positive number", curve.name,
                                          curve.loss[i], curve.steps[i]));
      }
      log_observed.push_back(std::log(curve.loss[i]));
    }
    try {
      data.designs.push_back(detail::MakeCurveDesign(curve.lr, curve.steps, with_s2, lambda));
    } catch (const InvalidArgument& e) {
      std::string_view problem = e.what();
      if (problem.substr(0, 7) == "curve: ") problem.remove_prefix(7);  // named here with the curve's name
      throw InvalidArgument(fmt::format("curve '{}': {}", curve.name, problem));
    }
    Eigen::ArrayXd gap(static_cast<Eigen::Index>(curve.steps.size()));
    double highest = 0;
    std::size_t next = 0;
    for (long k = 0; next < curve.steps.size(); ++k) {
      highest = std::max(highest, curve.lr[k]);
      for (; next < curve.steps.size() && curve.steps[next] == k; ++next) {
        gap[static_cast<Eigen::Index>(next)] = highest - curve.lr[k];
      }
    }
    data.step_drop.push_back(detail::StepDrops(curve.lr, curve.steps.back()));
    data.logged_steps.push_back(curve.steps);
    data.offsets.push_back(data.points);
    data.points += static_cast<int>(curve.steps.size());
    data.anneal_gap.push_back(std::move(gap));
  }
  data.log_observed =
      Eigen::Map<const Eigen::ArrayXd>(log_observed.data(), static_cast<Eigen::Index>(log_observed.size()));
  return data;
}

// The Multi-Power Law is linear in L0, A and B at fixed (alpha, C, beta, gamma): L = L0 + A·S1^-alpha - B·LD1 with
// LD1 = LD/B. A start's L0, A, B are replaced by their least-squares values (relative residuals (y - L)/y, the
// first-order version of the log residual), so that each shape starts from the best law of its shape instead of
// from the simplified law's L0 (which assumes G = 1). Unchanged when the solution is not positive.
void FitLinearTerms(const FitData& data, std::vector<double>* theta) {
  const CurveCost cost(data, Stage::kMultiPower, 1);
  if (!cost.Predict(theta->data(), true)) return;
  Eigen::MatrixXd design(data.points, 3);
  Eigen::VectorXd target(data.points);
  for (int i = 0; i < data.points; ++i) {
    const double y = std::exp(data.log_observed[i]);
    const double* row = cost.jacobian().data() + static_cast<std::size_t>(i) * 7;
    design(i, 0) = row[0] / y;
    design(i, 1) = row[1] / y;
    design(i, 2) = row[3] / y;  // -LD1
    target[i] = 1;
  }
  const Eigen::VectorXd solution = design.colPivHouseholderQr().solve(target);
  if (!solution.allFinite() || solution[1] <= 0 || solution[2] <= 0) return;
  (*theta)[0] = solution[0];
  (*theta)[1] = solution[1];
  (*theta)[3] = solution[2];
}

// Runs every start on up to num_threads threads; the results are indexed like starts.
std::vector<CurveFitStart> SolveEach(const FitData& data, Stage stage, const std::vector<std::vector<double>>& starts,
                                     const CurveFitOptions& options) {
  std::vector<CurveFitStart> results(starts.size());
  detail::ParallelFor(static_cast<int>(starts.size()), detail::ThreadsToUse(options.num_threads),
                      [&](int k) { results[k] = Solve(data, stage, starts[k], options); });
  return results;
}

// Whether some curve's LR decreases (eta_{k-1} > eta_k) at a step up to its last logged one.
bool AnyAnnealing(const std::vector<TrainingCurve>& curves) {
  for (const TrainingCurve& curve : curves) {
    for (long k = 1; k <= curve.steps.back(); ++k) {
      if (curve.lr[k - 1] > curve.lr[k]) return true;
    }
  }
  return false;
}

// The moving-block residual bootstrap (detail::CurveBlockBootstrap) around the fit in summary: each resample is
// refitted from the point estimate.
void Bootstrap(const FitData& data, Stage stage, const CurveFitOptions& options, CurveFitSummary* summary) {
  const std::vector<double> theta = summary->parameters;
  if (stage == Stage::kAnnealingLambda) stage = Stage::kAnnealing;
  const CurveCost fitted_cost(data, stage, options.huber_delta);
  if (!fitted_cost.Predict(theta.data(), false)) return;
  Eigen::ArrayXd log_fitted(data.points);
  for (int i = 0; i < data.points; ++i) log_fitted[i] = std::log(fitted_cost.loss()[i]);
  detail::CurveBootstrapDraws draws = detail::CurveBlockBootstrap(
      data.log_observed, log_fitted, data.offsets, options,
      [&](const Eigen::ArrayXd& observed) { return Solve(data, stage, theta, options, &observed); });
  summary->bootstrap_seed = options.bootstrap_seed;
  summary->block_length = options.block_length;
  summary->resample_parameters = std::move(draws.parameters);
  summary->failed_resamples = draws.failed;
}

}  // namespace

bool CurveFitOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& message) {
    if (error != nullptr) *error = message;
    return false;
  };
  if (!(huber_delta > 0 && std::isfinite(huber_delta)))
    return fail(fmt::format("huber_delta must be > 0, not {}", huber_delta));
  if (!(lambda >= 0 && lambda < 1)) return fail(fmt::format("lambda must lie in [0, 1), not {}", lambda));
  if (max_iterations < 1) return fail(fmt::format("max_iterations must be >= 1, not {}", max_iterations));
  if (!(function_tolerance >= 0 && gradient_tolerance >= 0 && parameter_tolerance >= 0)) {
    return fail("the tolerances must be >= 0");
  }
  if (num_threads < 0) return fail(fmt::format("num_threads must be >= 0, not {}", num_threads));
  if (bootstrap_resamples < 0) {
    return fail(fmt::format("bootstrap_resamples must be >= 0, not {}", bootstrap_resamples));
  }
  if (block_length < 0) return fail(fmt::format("block_length must be >= 0, not {}", block_length));
  return true;
}

CurveLaw CurveFitSummary::Law() const {
  if (parameters.empty()) throw InvalidArgument("curve fit: no parameters (" + message + ")");
  return CurveLaw{form, parameters, lambda};
}

CurveFitSummary FitCurveLaw(CurveLawForm form, const std::vector<TrainingCurve>& curves,
                            const CurveFitOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(&error)) throw InvalidArgument("curve fit options: " + error);
  if (curves.empty()) throw InvalidArgument("curve fit: no curves");
  const FitData data = MakeFitData(curves, form == CurveLawForm::kAnnealing, options.lambda);

  CurveFitSummary summary;
  summary.form = form;
  summary.lambda = options.lambda;
  summary.huber_delta = options.huber_delta;
  summary.parameter_names = CurveLawParameterNames(form);
  summary.points = data.points;
  summary.range = DataRangeOf(curves);
  for (const TrainingCurve& curve : curves) summary.curve_names.push_back(curve.name);
  auto finish = [&] {
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    return summary;
  };

  const int np = static_cast<int>(summary.parameter_names.size());
  if (data.points <= np) {
    summary.status = AnalysisStatus::kNotIdentifiable;
    summary.message = fmt::format("{} logged points cannot determine {} parameters", data.points, np);
    return finish();
  }
  if (form != CurveLawForm::kPowerOnly && !AnyAnnealing(curves)) {
    summary.status = AnalysisStatus::kNotIdentifiable;
    summary.message =
        "no curve's learning rate decreases within its logged steps (constant-LR curves only): the annealing term "
        "cannot be separated from the power law in S1; add curves with a decay (cosine, WSD, a step down)";
    return finish();
  }

  // 1. The annealing-free law from L0 just below the lowest loss, alpha = 0.5 and A by least squares.
  const double lowest = std::exp(data.log_observed.minCoeff());
  const double l0 = 0.9 * lowest;
  double sy = 0, ss = 0;
  for (std::size_t c = 0; c < data.designs.size(); ++c) {
    const detail::CurveDesign& d = data.designs[c];
    for (Eigen::Index i = 0; i < d.s1.size(); ++i) {
      const double s = std::exp(-0.5 * d.log_s1[i]);
      sy += (std::exp(data.log_observed[data.offsets[c] + i]) - l0) * s;
      ss += s * s;
    }
  }
  const double a = sy > 0 ? sy / ss : 1.0;
  const CurveFitStart power = Solve(data, Stage::kPowerOnly, {l0, a, 0.5}, options);
  std::vector<double> base = power.parameters;
  if (!std::isfinite(power.objective)) base = {l0, a, 0.5};

  std::vector<std::vector<double>> starts;
  Stage stage = Stage::kPowerOnly;
  if (form == CurveLawForm::kPowerOnly) {
    summary.starts.push_back(power);
  } else {
    // 2. The simplified law L0 + A·S1^-alpha - B·(eta_max(t) - eta_t), from 1. with B = 0.
    const CurveFitStart simplified = Solve(data, Stage::kSimplified, {base[0], base[1], base[2], 0.0}, options);
    double b = simplified.parameters[3];
    std::vector<double> seed = {base[0], base[1], base[2]};
    if (std::isfinite(simplified.objective) && simplified.parameters[1] > 0 && simplified.parameters[2] > 0) {
      seed = {simplified.parameters[0], simplified.parameters[1], simplified.parameters[2]};
    }
    if (!(b > 0 && std::isfinite(b))) b = 1.0;
    if (form == CurveLawForm::kAnnealing) {
      // 3. The Tissue law: S2 ≈ eta_max - eta_t after a long decay, so C starts at B (and at B/10, B·10).
      // S2 sums the momentum over every step, so it can be many times eta_max - eta_t (an LR that decays from
      // the first logged step on, with no warmup logged); then C = B gives negative losses. The law is linear in
      // L0, A, C at fixed alpha: when their least-squares values (relative residuals, as FitLinearTerms) have
      // A > 0, C starts there instead.
      stage = Stage::kAnnealing;
      {
        Eigen::MatrixXd design(data.points, 3);
        Eigen::VectorXd target = Eigen::VectorXd::Ones(data.points);
        for (std::size_t c = 0; c < data.designs.size(); ++c) {
          const detail::CurveDesign& d = data.designs[c];
          for (Eigen::Index i = 0; i < d.s1.size(); ++i) {
            const int row = data.offsets[c] + static_cast<int>(i);
            const double y = std::exp(data.log_observed[row]);
            design(row, 0) = 1 / y;
            design(row, 1) = std::exp(-seed[2] * d.log_s1[i]) / y;
            design(row, 2) = -d.s2[i] / y;
          }
        }
        const Eigen::VectorXd solution = design.colPivHouseholderQr().solve(target);
        if (solution.allFinite() && solution[1] > 0) {
          const std::vector<double> linear = {solution[0], solution[1], seed[2], solution[2]};
          const double objective = Objective(data, Stage::kAnnealing, linear, options.huber_delta);
          if (std::isfinite(objective) &&
              objective < Objective(data, Stage::kAnnealing, {seed[0], seed[1], seed[2], b}, options.huber_delta)) {
            seed = {solution[0], solution[1], seed[2]};
            if (solution[2] != 0) b = solution[2];
          }
        }
      }
      for (double factor : {1.0, 0.1, 10.0}) starts.push_back({seed[0], seed[1], seed[2], b * factor});
    } else {
      // 3. The Multi-Power Law: G(x) -> 1 for large x, so LD ≈ B·(eta_max - eta_t) far into a decay and B starts
      // at the simplified law's. G's shape (C, beta, gamma) is what the data pin down least, and both of its
      // extremes are stationary plateaus of the objective: a G that saturates a step after each change (the
      // simplified law again) and a G that stays in its linear range. So the shapes start where G rises over a
      // number of steps the curves resolve: x = C·eta^-gamma·S_k(t) reaches 1 after n1 steps at the highest LR
      // eta_max of the curves, C = 1/(n1·eta_max^(1-gamma)), with n1 ∈ {30, 300} and (beta, gamma) ∈
      // {(0.5, 0.5) (the paper's start), (0.2, 1)}.
      stage = Stage::kMultiPower;
      double eta_max = 0;
      for (const TrainingCurve& curve : curves) {
        for (long k = 0; k <= curve.steps.back(); ++k) eta_max = std::max(eta_max, curve.lr[k]);
      }
      for (double n1 : {30.0, 300.0}) {
        for (const auto& [beta, gamma] : {std::pair{0.5, 0.5}, std::pair{0.2, 1.0}}) {
          const double c = 1 / (n1 * std::pow(eta_max, 1 - gamma));
          starts.push_back({seed[0], seed[1], seed[2], b, c, beta, gamma});
          FitLinearTerms(data, &starts.back());
        }
      }
    }
    std::vector<CurveFitStart> ends = SolveEach(data, stage, starts, options);
    summary.starts = std::move(ends);
    if (form == CurveLawForm::kAnnealing && options.fit_lambda) {
      // 4. lambda free: from the best fixed-lambda fit, at the given lambda and at 1 - 10·(1 - lambda).
      int best_fixed = -1;
      for (std::size_t k = 0; k < summary.starts.size(); ++k) {
        if (!std::isfinite(summary.starts[k].objective)) continue;
        if (best_fixed < 0 || summary.starts[k].objective < summary.starts[best_fixed].objective) {
          best_fixed = static_cast<int>(k);
        }
      }
      std::vector<double> from = best_fixed >= 0 ? summary.starts[best_fixed].parameters : starts.front();
      std::vector<std::vector<double>> lambda_starts;
      for (double lambda : {options.lambda, std::max(0.5, 1 - 10 * (1 - options.lambda))}) {
        lambda_starts.push_back(from);
        lambda_starts.back().push_back(lambda);
      }
      summary.starts = SolveEach(data, Stage::kAnnealingLambda, lambda_starts, options);
    }
  }

  int best = -1;
  for (std::size_t k = 0; k < summary.starts.size(); ++k) {
    const CurveFitStart& s = summary.starts[k];
    if (!std::isfinite(s.objective)) continue;
    if (best < 0 || s.objective < summary.starts[best].objective) best = static_cast<int>(k);
  }
  if (best < 0) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = "no start reached a finite objective";
    return finish();
  }
  summary.best_start = best;
  summary.parameters = summary.starts[best].parameters;
  if (form == CurveLawForm::kAnnealing && options.fit_lambda) {  // the fitted lambda is not a law parameter
    summary.lambda = summary.parameters.back();
    summary.parameters.pop_back();
  }
  summary.objective = summary.starts[best].objective;
  const CurveLaw law = summary.Law();
  for (const TrainingCurve& curve : curves) {
    summary.curve_errors.push_back(CurvePredictionErrors(curve.loss, CurveLoss(law, curve.lr, curve.steps)));
  }
  if (!summary.starts[best].converged) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = "the best start did not converge: " + summary.starts[best].message;
  } else {
    summary.status = AnalysisStatus::kUsable;
    summary.message = "";
    if (options.bootstrap_resamples > 0) {
      if (form == CurveLawForm::kAnnealing && options.fit_lambda) {  // resamples keep the fitted lambda
        Bootstrap(MakeFitData(curves, true, summary.lambda), Stage::kAnnealing, options, &summary);
      } else {
        Bootstrap(data, stage, options, &summary);
      }
      summary.parameter_resamples = SummarizeCurveResamples(summary);
    }
  }
  return finish();
}

std::vector<ResampleSummary> SummarizeCurveResamples(const CurveFitSummary& fit) {
  return detail::SummarizeResampleColumns(fit.resample_parameters, fit.parameters.size(), fit.failed_resamples);
}

namespace detail {

CurveForecast ForecastFromLaws(const CurveLaw& law, const std::vector<CurveLaw>& resample_laws, int failed,
                               const std::vector<double>& lr, long every) {
  const CurvePrediction point = PredictCurve(law, lr, every);
  CurveForecast out;
  out.steps = point.steps;
  out.loss = point.loss;
  out.final_loss = point.final_loss;
  for (long step : point.steps) out.lr.push_back(lr[static_cast<std::size_t>(step)]);
  if (resample_laws.empty()) return out;
  std::vector<std::vector<double>> curves;
  for (const CurveLaw& resample : resample_laws) {
    std::vector<double> loss = CurveLoss(resample, lr, point.steps);
    bool finite = true;
    for (double v : loss) finite = finite && std::isfinite(v) && v > 0;
    if (finite) {
      curves.push_back(std::move(loss));
    } else {
      ++failed;
    }
  }
  if (curves.empty()) return out;
  out.lower.resize(point.steps.size());
  out.upper.resize(point.steps.size());
  std::vector<double> values(curves.size());
  for (std::size_t i = 0; i < point.steps.size(); ++i) {
    for (std::size_t k = 0; k < curves.size(); ++k) values[k] = curves[k][i];
    const ResampleSummary s = SummarizeResamples(values, failed);
    out.lower[i] = s.ci95.first;
    out.upper[i] = s.ci95.second;
    if (i + 1 == point.steps.size()) out.final_loss_resamples = s;
  }
  return out;
}

}  // namespace detail

CurveForecast ForecastCurve(const CurveFitSummary& fit, const std::vector<double>& lr, long every) {
  std::vector<CurveLaw> resample_laws;
  for (const std::vector<double>& p : fit.resample_parameters)
    resample_laws.push_back(CurveLaw{fit.form, p, fit.lambda});
  return detail::ForecastFromLaws(fit.Law(), resample_laws, fit.failed_resamples, lr, every);
}

double CurveLawObjective(const CurveLaw& law, const std::vector<TrainingCurve>& curves, double huber_delta) {
  double total = 0;
  for (const TrainingCurve& curve : curves) {
    const std::vector<double> predicted = CurveLoss(law, curve.lr, curve.steps);
    if (curve.loss.size() != predicted.size()) {
      throw InvalidArgument(
          fmt::format("curve '{}': {} steps but {} losses", curve.name, curve.steps.size(), curve.loss.size()));
    }
    for (std::size_t i = 0; i < predicted.size(); ++i) {
      const double r = std::log(curve.loss[i]) - std::log(predicted[i]);
      total += std::abs(r) <= huber_delta ? 0.5 * r * r : huber_delta * (std::abs(r) - 0.5 * huber_delta);
    }
  }
  return total;
}

}  // namespace scalelaw
