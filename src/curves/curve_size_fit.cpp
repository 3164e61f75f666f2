// Fitting a loss-curve law across model sizes (scalelaw/curves/curve_size_fit.h): the single-size laws' designs
// and analytic Jacobians (src/curves/curve_terms.h) at each curve's own parameters theta(N), chained to the shared
// values at N_ref and the N exponents.
#include "scalelaw/curves/curve_size_fit.h"

#include <ceres/ceres.h>
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "curves/curve_fit_detail.h"
#include "curves/curve_terms.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

// As in FitCurveLaw: A, alpha and the Multi-Power Law's B, C, beta, gamma are positive and move in logarithms;
// L0 and the Tissue law's C move as they are.
bool MovesInLog(CurveLawForm form, int j) {
  if (j == 1 || j == 2) return true;
  return form == CurveLawForm::kMultiPower && j >= 3;
}

// The fit's free vector: z_0..z_{np-1} (each law parameter at N_ref in the coordinates it moves in), then the
// exponent of each scaled parameter (in the order of the law's parameters), then, when the Tissue law's lambda is
// fitted, its logit (one lambda for every size).
struct SizeLayout {
  CurveLawForm form = CurveLawForm::kMultiPower;
  int np = 0;
  std::vector<bool> scaled;
  std::vector<int> exponent_index;  // per law parameter: its exponent's index in the free vector, or -1
  bool fit_lambda = false;
  int free = 0;
};

SizeLayout MakeLayout(CurveLawForm form, const std::vector<bool>& scaled, bool fit_lambda = false) {
  SizeLayout layout;
  layout.form = form;
  layout.np = detail::CurveLawParameterCount(form);
  layout.scaled = scaled;
  layout.free = layout.np;
  for (int j = 0; j < layout.np; ++j) layout.exponent_index.push_back(scaled[j] ? layout.free++ : -1);
  layout.fit_lambda = fit_lambda && form == CurveLawForm::kAnnealing;
  if (layout.fit_lambda) ++layout.free;
  return layout;
}

double Logistic(double z) { return 1 / (1 + std::exp(-z)); }

// theta_j(N) from the free vector at x = ln(N/N_ref).
void ThetaAt(const SizeLayout& layout, const double* free, double x, double* theta) {
  for (int j = 0; j < layout.np; ++j) {
    const double e = layout.scaled[j] ? free[layout.exponent_index[j]] : 0.0;
    theta[j] = MovesInLog(layout.form, j) ? std::exp(free[j] + e * x) : free[j] * std::exp(e * x);
  }
}

struct SizeFitData {
  std::vector<detail::CurveDesign> designs;
  std::vector<double> log_size;  // x = ln(N/N_ref) per curve
  std::vector<int> offsets;
  std::vector<std::vector<double>> step_drop;   // per curve, for a fitted lambda (detail::StepDrops)
  std::vector<std::vector<long>> logged_steps;  // per curve
  Eigen::ArrayXd log_observed;
  int points = 0;
};

// The designs of curves (the Tissue law's S2 at lambda) at x = ln(N/N_ref).
SizeFitData MakeSizeFitData(const std::vector<TrainingCurve>& curves, CurveLawForm form, double lambda,
                            double reference) {
  SizeFitData data;
  std::vector<double> log_observed;
  for (const TrainingCurve& curve : curves) {
    data.designs.push_back(detail::MakeCurveDesign(curve.lr, curve.steps, form == CurveLawForm::kAnnealing, lambda));
    data.log_size.push_back(std::log(curve.params / reference));
    data.offsets.push_back(data.points);
    data.points += static_cast<int>(curve.steps.size());
    if (form == CurveLawForm::kAnnealing) data.step_drop.push_back(detail::StepDrops(curve.lr, curve.steps.back()));
    data.logged_steps.push_back(curve.steps);
    for (double y : curve.loss) log_observed.push_back(std::log(y));
  }
  data.log_observed =
      Eigen::Map<const Eigen::ArrayXd>(log_observed.data(), static_cast<Eigen::Index>(log_observed.size()));
  return data;
}

// The residuals sign(r)·sqrt(2·Huber_delta(r)), r = ln y - ln L(t; theta(N)), and their Jacobian in the free vector.
class SizeCurveCost final : public ceres::CostFunction {
 public:
  // observed: the log losses to fit (data.log_observed when null; a bootstrap resample's otherwise).
  SizeCurveCost(const SizeFitData& data, const SizeLayout& layout, double delta,
                const Eigen::ArrayXd* observed = nullptr)
      : data_(data), layout_(layout), observed_(observed != nullptr ? *observed : data.log_observed), delta_(delta) {
    set_num_residuals(data.points);
    mutable_parameter_block_sizes()->push_back(layout.free);
  }

  bool Evaluate(double const* const* parameters, double* residuals, double** jacobians) const override {
    const int np = layout_.np;
    const int columns = np + (layout_.fit_lambda ? 1 : 0);  // of the single-size law's Jacobian
    const bool want_jacobian = jacobians != nullptr && jacobians[0] != nullptr;
    std::vector<double> theta(static_cast<std::size_t>(columns));
    if (layout_.fit_lambda) theta.back() = Logistic(parameters[0][layout_.free - 1]);
    std::vector<double> loss, law_jacobian;
    for (std::size_t c = 0; c < data_.designs.size(); ++c) {
      const detail::CurveDesign& design = data_.designs[c];
      const int n = static_cast<int>(design.s1.size());
      const double x = data_.log_size[c];
      ThetaAt(layout_, parameters[0], x, theta.data());
      loss.resize(static_cast<std::size_t>(n));
      law_jacobian.resize(static_cast<std::size_t>(n) * columns);
      if (layout_.fit_lambda) {
        detail::EvaluateAnnealingWithLambda(theta.data(), data_.step_drop[c], data_.logged_steps[c], design.log_s1,
                                            loss.data(), want_jacobian ? law_jacobian.data() : nullptr);
      } else if (!detail::EvaluateCurveDesign(layout_.form, theta.data(), design, loss.data(),
                                              want_jacobian ? law_jacobian.data() : nullptr, &scratch_)) {
        return false;
      }
      for (int i = 0; i < n; ++i) {
        const int row = data_.offsets[c] + i;
        if (!(loss[i] > 0)) return false;
        if (!std::isfinite(loss[i])) return false;
        const double r = observed_[row] - std::log(loss[i]);
        const double abs_r = std::abs(r);
        double scale = 1;
        if (abs_r <= delta_) {
          residuals[row] = r;
        } else {
          const double root = std::sqrt(2 * delta_ * abs_r - delta_ * delta_);
          residuals[row] = r > 0 ? root : -root;
          scale = delta_ / root;
        }
        if (!want_jacobian) continue;
        double* out = jacobians[0] + static_cast<std::size_t>(row) * layout_.free;
        std::fill(out, out + layout_.free, 0.0);
        for (int j = 0; j < np; ++j) {
          // d residual/d theta_j(N), then the chain rule to z_j and e_j.
          const double d = -scale * law_jacobian[static_cast<std::size_t>(i) * columns + j] / loss[i];
          const double e = layout_.scaled[j] ? parameters[0][layout_.exponent_index[j]] : 0.0;
          out[j] = MovesInLog(layout_.form, j) ? d * theta[j] : d * std::exp(e * x);
          if (layout_.scaled[j]) out[layout_.exponent_index[j]] = d * theta[j] * x;
        }
        if (layout_.fit_lambda) {  // d lambda / d logit = lambda (1 - lambda)
          const double lambda = theta.back();
          out[layout_.free - 1] =
              -scale * law_jacobian[static_cast<std::size_t>(i) * columns + np] / loss[i] * lambda * (1 - lambda);
        }
      }
    }
    return true;
  }

 private:
  const SizeFitData& data_;
  const SizeLayout& layout_;
  const Eigen::ArrayXd& observed_;
  double delta_;
  mutable detail::CurveScratch scratch_;
};

double Objective(const SizeFitData& data, const SizeLayout& layout, const std::vector<double>& free, double delta,
                 const Eigen::ArrayXd* observed = nullptr) {
  const SizeCurveCost cost(data, layout, delta, observed);
  const double* parameters[] = {free.data()};
  std::vector<double> residuals(static_cast<std::size_t>(data.points));
  if (!cost.Evaluate(parameters, residuals.data(), nullptr)) return std::numeric_limits<double>::infinity();
  double total = 0;
  for (double r : residuals) total += 0.5 * r * r;
  return total;
}

// The free vector in the law's own values: theta_j at N_ref, then the exponents (then a fitted lambda), and back.
std::vector<double> FreeToValues(const SizeLayout& layout, const std::vector<double>& free) {
  std::vector<double> values(free);
  for (int j = 0; j < layout.np; ++j) {
    if (MovesInLog(layout.form, j)) values[j] = std::exp(free[j]);
  }
  if (layout.fit_lambda) values.back() = Logistic(free.back());
  return values;
}
std::vector<double> ValuesToFree(const SizeLayout& layout, const std::vector<double>& values) {
  std::vector<double> free(values);
  for (int j = 0; j < layout.np; ++j) {
    if (MovesInLog(layout.form, j)) free[j] = std::log(values[j]);
  }
  if (layout.fit_lambda) free.back() = std::log(values.back() / (1 - values.back()));
  return free;
}

// One Levenberg-Marquardt solve from start (free coordinates) to observed (the data's when null).
CurveFitStart Solve(const SizeFitData& data, const SizeLayout& layout, const std::vector<double>& start,
                    const CurveFitOptions& options, const Eigen::ArrayXd* observed = nullptr) {
  CurveFitStart result;
  result.start = FreeToValues(layout, start);
  std::vector<double> z = start;
  const ceres::Solver::Summary summary =
      detail::SolveCurveLeastSquares(new SizeCurveCost(data, layout, options.huber_delta, observed), &z, options);
  result.parameters = FreeToValues(layout, z);
  result.objective = Objective(data, layout, z, options.huber_delta, observed);
  result.iterations = static_cast<int>(summary.iterations.size());
  result.converged = summary.termination_type == ceres::CONVERGENCE && std::isfinite(summary.final_cost);
  result.message = summary.message;
  return result;
}

// Runs every start on up to num_threads threads; the results are indexed like starts.
std::vector<CurveFitStart> SolveEach(const SizeFitData& data, const SizeLayout& layout,
                                     const std::vector<std::vector<double>>& starts, const CurveFitOptions& options) {
  std::vector<CurveFitStart> results(starts.size());
  detail::ParallelFor(static_cast<int>(starts.size()), detail::ThreadsToUse(options.num_threads),
                      [&](int k) { results[k] = Solve(data, layout, starts[k], options); });
  return results;
}

// The condition number of J'J with unit-norm columns at free (infinite when singular or not evaluable).
double ConditionNumber(const SizeFitData& data, const SizeLayout& layout, const std::vector<double>& free,
                       double delta) {
  const SizeCurveCost cost(data, layout, delta);
  const double* parameters[] = {free.data()};
  std::vector<double> residuals(static_cast<std::size_t>(data.points));
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> jacobian(data.points, layout.free);
  double* jacobians[] = {jacobian.data()};
  if (!cost.Evaluate(parameters, residuals.data(), jacobians)) return std::numeric_limits<double>::infinity();
  Eigen::MatrixXd scaled = jacobian;
  for (Eigen::Index j = 0; j < scaled.cols(); ++j) {
    const double norm = scaled.col(j).norm();
    if (!(norm > 0)) return std::numeric_limits<double>::infinity();
    scaled.col(j) /= norm;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(scaled.transpose() * scaled);
  const double lowest = eigen.eigenvalues().minCoeff(), highest = eigen.eigenvalues().maxCoeff();
  return lowest > 0 ? highest / lowest : std::numeric_limits<double>::infinity();
}

bool AnyAnnealing(const std::vector<TrainingCurve>& curves) {
  for (const TrainingCurve& curve : curves) {
    for (long k = 1; k <= curve.steps.back() && k < static_cast<long>(curve.lr.size()); ++k) {
      if (curve.lr[k - 1] > curve.lr[k]) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> DefaultScaledParameters(CurveLawForm form) {
  switch (form) {
    case CurveLawForm::kMultiPower:
      return {"L0", "A", "B"};
    case CurveLawForm::kAnnealing:
      return {"L0", "A", "C"};
    case CurveLawForm::kPowerOnly:
      return {"L0", "A"};
  }
  return {};
}

CurveLaw CurveSizeLaw::At(double params) const {
  if (!(params > 0 && std::isfinite(params))) {
    throw InvalidArgument(fmt::format("curve law across sizes: N must be a positive number, not {}", params));
  }
  if (parameters.empty() || exponents.size() != parameters.size()) {
    throw InvalidArgument(
        fmt::format("curve law across sizes: {} parameters and {} exponents", parameters.size(), exponents.size()));
  }
  CurveLaw law{form, parameters, lambda};
  const double ratio = params / reference_params;
  for (std::size_t j = 0; j < parameters.size(); ++j) law.parameters[j] *= std::pow(ratio, exponents[j]);
  return law;
}

bool CurveSizeFitOptions::IsValid(CurveLawForm form, std::string* error) const {
  auto fail = [&](const std::string& message) {
    if (error != nullptr) *error = message;
    return false;
  };
  if (!fit.IsValid(error)) return false;
  if (!(reference_params >= 0 && std::isfinite(reference_params))) {
    return fail(fmt::format("reference_params must be > 0 (or 0 for the geometric mean), not {}", reference_params));
  }
  const std::vector<std::string> names = CurveLawParameterNames(form);
  for (const std::string& name : scaled) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return fail(fmt::format("'{}' is not a parameter of the {} law (its parameters: {})", name,
                              CurveLawFormName(form), fmt::join(names, " ")));
    }
  }
  return true;
}

CurveSizeLaw CurveSizeFitSummary::Law() const {
  if (law.parameters.empty()) throw InvalidArgument("curve fit across sizes: no parameters (" + message + ")");
  return law;
}

CurveSizeFitSummary FitCurveLawAcrossSizes(CurveLawForm form, const std::vector<TrainingCurve>& curves,
                                           const CurveSizeFitOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(form, &error)) throw InvalidArgument("curve fit across sizes options: " + error);
  if (curves.empty()) throw InvalidArgument("curve fit across sizes: no curves");
  for (const TrainingCurve& curve : curves) {
    if (!(curve.params > 0 && std::isfinite(curve.params))) {
      throw InvalidArgument(
          fmt::format("curve '{}': N (params) is {}, not a positive number (a fit across sizes "
                      "needs each curve's N)",
                      curve.name, curve.params));
    }
  }
  const std::vector<std::string> law_names = CurveLawParameterNames(form);
  const std::vector<std::string> scaled_names = options.scaled.empty() ? DefaultScaledParameters(form) : options.scaled;
  std::vector<bool> scaled(law_names.size(), false);
  for (std::size_t j = 0; j < law_names.size(); ++j) {
    scaled[j] = std::find(scaled_names.begin(), scaled_names.end(), law_names[j]) != scaled_names.end();
  }
  const SizeLayout layout = MakeLayout(form, scaled);

  CurveSizeFitSummary summary;
  summary.form = form;
  summary.lambda = options.fit.lambda;
  summary.huber_delta = options.fit.huber_delta;
  summary.parameter_names = law_names;
  for (std::size_t j = 0; j < law_names.size(); ++j) {
    if (scaled[j]) summary.parameter_names.push_back("e_" + law_names[j]);
  }
  std::map<double, std::vector<TrainingCurve>> by_size;
  for (const TrainingCurve& curve : curves) {
    by_size[curve.params].push_back(curve);
    summary.curve_names.push_back(curve.name);
    summary.curve_params.push_back(curve.params);
  }
  double log_sum = 0;
  for (const auto& [n, group] : by_size) {
    summary.sizes.push_back(n);
    log_sum += std::log(n);
  }
  const double reference =
      options.reference_params > 0 ? options.reference_params : std::exp(log_sum / static_cast<double>(by_size.size()));
  summary.law.form = form;
  summary.law.lambda = options.fit.lambda;
  summary.law.reference_params = reference;
  summary.law.scaled = scaled;
  auto finish = [&] {
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    return summary;
  };

  // The curves' designs, checked as FitCurveLaw checks them (it names the curve and the problem).
  for (const auto& [n, group] : by_size) summary.size_fits.push_back(FitCurveLaw(form, group, options.fit));
  const SizeFitData data = MakeSizeFitData(curves, form, options.fit.lambda, reference);
  summary.points = data.points;
  summary.range = DataRangeOf(curves);

  if (by_size.size() < 2 && std::find(scaled.begin(), scaled.end(), true) != scaled.end()) {
    summary.status = AnalysisStatus::kNotIdentifiable;
    summary.message = fmt::format(
        "the curves are of one size (N = {:.6g}): the N exponents of {} are not determined; fit curves of at least "
        "two sizes (or FitCurveLaw for one size)",
        summary.sizes.front(), fmt::join(scaled_names, ", "));
    return finish();
  }
  const bool fit_lambda = options.fit.fit_lambda && form == CurveLawForm::kAnnealing;
  if (data.points <= layout.free + (fit_lambda ? 1 : 0)) {
    summary.status = AnalysisStatus::kNotIdentifiable;
    summary.message = fmt::format("{} logged points cannot determine {} parameters", data.points, layout.free);
    return finish();
  }
  if (form != CurveLawForm::kPowerOnly && !AnyAnnealing(curves)) {
    summary.status = AnalysisStatus::kNotIdentifiable;
    summary.message =
        "no curve's learning rate decreases within its logged steps (constant-LR curves only): the annealing term "
        "cannot be separated from the power law in S1; add curves with a decay (cosine, WSD, a step down)";
    return finish();
  }

  // Starts from the sizes fitted alone, in the free coordinates: per size x = ln(N/N_ref) and z_j.
  std::vector<double> xs;
  std::vector<std::vector<double>> zs;
  for (std::size_t s = 0; s < summary.sizes.size(); ++s) {
    const CurveFitSummary& alone = summary.size_fits[s];
    if (alone.parameters.empty()) continue;
    std::vector<double> z(alone.parameters.begin(), alone.parameters.begin() + layout.np);
    bool finite = true;
    for (int j = 0; j < layout.np; ++j) {
      if (MovesInLog(form, j)) z[j] = std::log(z[j]);
      finite = finite && std::isfinite(z[j]);
    }
    if (!finite) continue;
    xs.push_back(std::log(summary.sizes[s] / reference));
    zs.push_back(std::move(z));
  }
  if (zs.empty()) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = "no size fitted alone gave parameters to start from";
    return finish();
  }
  const double count = static_cast<double>(zs.size());
  double x_mean = 0;
  for (double x : xs) x_mean += x / count;
  double sxx = 0;
  for (double x : xs) sxx += (x - x_mean) * (x - x_mean);
  std::vector<double> base(static_cast<std::size_t>(layout.free), 0.0);
  for (int j = 0; j < layout.np; ++j) {
    // A scaled parameter: the least-squares line of its per-size coordinate on x (for L0 and the Tissue C, which
    // move as they are, the line of ln theta when every size's value is positive).
    const bool logarithmic = MovesInLog(form, j);
    bool positive = true;
    for (const auto& z : zs) positive = positive && (logarithmic || z[j] > 0);
    double mean = 0, sxy = 0;
    for (std::size_t s = 0; s < zs.size(); ++s) {
      const double v = logarithmic || !positive ? zs[s][j] : std::log(zs[s][j]);
      mean += v / count;
    }
    for (std::size_t s = 0; s < zs.size(); ++s) {
      const double v = logarithmic || !positive ? zs[s][j] : std::log(zs[s][j]);
      sxy += (xs[s] - x_mean) * (v - mean);
    }
    const double slope = scaled[j] && sxx > 0 && (logarithmic || positive) ? sxy / sxx : 0.0;
    const double intercept = mean - slope * x_mean;
    base[j] = logarithmic || !positive ? intercept : std::exp(intercept);
    if (scaled[j]) base[layout.exponent_index[j]] = slope;
  }
  std::vector<std::vector<double>> starts = {base};
  if (zs.size() > 1) {
    for (const auto& z : zs) {  // the shared parameters at each size's own values
      std::vector<double> start = base;
      bool any_shared = false;
      for (int j = 0; j < layout.np; ++j) {
        if (!scaled[j]) {
          start[j] = z[j];
          any_shared = true;
        }
      }
      if (any_shared) starts.push_back(std::move(start));
    }
  }
  summary.starts = SolveEach(data, layout, starts, options.fit);
  const SizeLayout lambda_layout = MakeLayout(form, scaled, true);
  if (fit_lambda) {
    // lambda free (one for every size): from the best fixed-lambda fit, at the given lambda and at
    // 1 - 10·(1 - lambda), as FitCurveLaw; the starts are then these solves, lambda last.
    int best_fixed = -1;
    for (std::size_t k = 0; k < summary.starts.size(); ++k) {
      if (!std::isfinite(summary.starts[k].objective)) continue;
      if (best_fixed < 0 || summary.starts[k].objective < summary.starts[best_fixed].objective) {
        best_fixed = static_cast<int>(k);
      }
    }
    const std::vector<double> from =
        best_fixed >= 0 ? ValuesToFree(layout, summary.starts[best_fixed].parameters) : starts.front();
    std::vector<std::vector<double>> lambda_starts;
    for (double lambda : {options.fit.lambda, std::max(0.5, 1 - 10 * (1 - options.fit.lambda))}) {
      lambda_starts.push_back(from);
      lambda_starts.back().push_back(std::log(lambda / (1 - lambda)));
    }
    summary.starts = SolveEach(data, lambda_layout, lambda_starts, options.fit);
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
  if (fit_lambda) {  // the fitted lambda is not a law parameter
    summary.lambda = summary.parameters.back();
    summary.law.lambda = summary.lambda;
    summary.parameters.pop_back();
  }
  summary.objective = summary.starts[best].objective;
  summary.law.parameters.assign(summary.parameters.begin(), summary.parameters.begin() + layout.np);
  summary.law.exponents.assign(static_cast<std::size_t>(layout.np), 0.0);
  for (int j = 0; j < layout.np; ++j) {
    if (scaled[j]) summary.law.exponents[j] = summary.parameters[layout.exponent_index[j]];
  }
  {
    std::vector<double> free = ValuesToFree(layout, summary.parameters);
    if (fit_lambda) free.push_back(std::log(summary.lambda / (1 - summary.lambda)));
    summary.condition_number =
        ConditionNumber(data, fit_lambda ? lambda_layout : layout, free, options.fit.huber_delta);
  }
  for (const TrainingCurve& curve : curves) {
    summary.curve_errors.push_back(
        CurvePredictionErrors(curve.loss, CurveLoss(summary.law.At(curve.params), curve.lr, curve.steps)));
  }
  if (!summary.starts[best].converged) {
    summary.status = AnalysisStatus::kNoConvergence;
    summary.message = "the best start did not converge: " + summary.starts[best].message;
  } else {
    summary.status = AnalysisStatus::kUsable;
    summary.message = "";
    if (options.fit.bootstrap_resamples > 0) {
      // The moving-block bootstrap of FitCurveLaw around the joint law; the resamples keep a fitted lambda.
      const SizeFitData resample_data =
          fit_lambda ? MakeSizeFitData(curves, form, summary.lambda, reference) : SizeFitData{};
      const SizeFitData& fixed = fit_lambda ? resample_data : data;
      Eigen::ArrayXd log_fitted(fixed.points);
      for (std::size_t c = 0; c < curves.size(); ++c) {
        const std::vector<double> loss = CurveLoss(summary.law.At(curves[c].params), curves[c].lr, curves[c].steps);
        for (std::size_t i = 0; i < loss.size(); ++i)
          log_fitted[fixed.offsets[c] + static_cast<int>(i)] = std::log(loss[i]);
      }
      const std::vector<double> from = ValuesToFree(layout, summary.parameters);
      detail::CurveBootstrapDraws draws = detail::CurveBlockBootstrap(
          fixed.log_observed, log_fitted, fixed.offsets, options.fit,
          [&](const Eigen::ArrayXd& observed) { return Solve(fixed, layout, from, options.fit, &observed); });
      summary.bootstrap_seed = options.fit.bootstrap_seed;
      summary.block_length = options.fit.block_length;
      summary.resample_parameters = std::move(draws.parameters);
      summary.failed_resamples = draws.failed;
      summary.parameter_resamples = SummarizeCurveSizeResamples(summary);
    }
  }
  return finish();
}

std::vector<CurveSizeLaw> CurveSizeFitSummary::ResampleLaws() const {
  std::vector<CurveSizeLaw> laws;
  const std::size_t np = law.parameters.size();
  for (const std::vector<double>& values : resample_parameters) {
    CurveSizeLaw resample = law;
    resample.parameters.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(np));
    std::size_t next = np;
    for (std::size_t j = 0; j < np; ++j) resample.exponents[j] = law.scaled[j] ? values[next++] : 0.0;
    laws.push_back(std::move(resample));
  }
  return laws;
}

std::vector<ResampleSummary> SummarizeCurveSizeResamples(const CurveSizeFitSummary& fit) {
  return detail::SummarizeResampleColumns(fit.resample_parameters, fit.parameters.size(), fit.failed_resamples);
}

CurveForecast ForecastCurveAtSize(const CurveSizeFitSummary& fit, double params, const std::vector<double>& lr,
                                  long every) {
  const CurveLaw law = fit.Law().At(params);
  std::vector<CurveLaw> resample_laws;
  for (const CurveSizeLaw& resample : fit.ResampleLaws()) resample_laws.push_back(resample.At(params));
  return detail::ForecastFromLaws(law, resample_laws, fit.failed_resamples, lr, every);
}

std::string CurveSizeFitSummary::BriefReport() const {
  std::string out = fmt::format("{} curve law across {} sizes", CurveLawFormName(form), sizes.size());
  if (!law.parameters.empty()) {
    out += fmt::format(" (N_ref {:.6g}):", law.reference_params);
    const std::vector<std::string> names = CurveLawParameterNames(form);
    for (std::size_t j = 0; j < law.parameters.size(); ++j) {
      out += fmt::format(" {}={:.6g}", names[j], law.parameters[j]);
      if (law.scaled[j]) out += fmt::format("·(N/N_ref)^{:.4g}", law.exponents[j]);
    }
    out += fmt::format(", Huber objective {:.6e} over {} points of {} curves", objective, points, curve_names.size());
  }
  out += fmt::format(": {}", AnalysisStatusName(status));
  if (!message.empty()) out += " (" + message + ")";
  return out;
}

std::string CurveSizeFitSummary::FullReport() const {
  const std::vector<std::string> names = CurveLawParameterNames(form);
  std::string out = fmt::format("{} curve law across {} sizes, {} curves, {} logged points", CurveLawFormName(form),
                                sizes.size(), curve_names.size(), points);
  out += fmt::format("\nobjective: sum of Huber (delta {:g}) of log residuals", huber_delta);
  if (form == CurveLawForm::kAnnealing) out += fmt::format("; annealing momentum lambda = {:.6g}", lambda);
  out += fmt::format("\ntheta(N) = theta · (N / N_ref)^e, N_ref = {:.6g}\n", law.reference_params);
  if (!law.parameters.empty()) {
    out += "\nparameter   at N_ref      N exponent  ";
    for (double n : sizes) out += fmt::format("  {:>15}", fmt::format("alone@{:.3g}", n));
    out += "\n";
    for (std::size_t j = 0; j < names.size(); ++j) {
      out += fmt::format("{:<10} {:>12.6g}  {:>11}", names[j], law.parameters[j],
                         law.scaled[j] ? fmt::format("{:.6g}", law.exponents[j]) : "shared");
      for (const CurveFitSummary& alone : size_fits) {
        out +=
            alone.parameters.empty() ? fmt::format("  {:>15}", "-") : fmt::format("  {:>15.6g}", alone.parameters[j]);
      }
      out += "\n";
    }
    out += fmt::format("{:<10} {:>12.6e}  {:>11}", "objective", objective, "");
    for (const CurveFitSummary& alone : size_fits) out += fmt::format("  {:>15.6e}", alone.objective);
    out += fmt::format("\nfree parameters: {} jointly, {} fitted alone\n", parameter_names.size(),
                       names.size() * size_fits.size());
    out += fmt::format("condition number of J'J (unit columns): {:.3g}\n", condition_number);
    out += detail::CurveResampleTable(parameter_names, parameters, parameter_resamples);
  }
  out += detail::CurveBootstrapLine(resample_parameters.size(), failed_resamples, block_length, bootstrap_seed);
  if (!starts.empty()) {
    out += "\nstart  objective     iterations  converged\n";
    for (std::size_t k = 0; k < starts.size(); ++k) {
      out += fmt::format("{:<5}  {:<12.6e}  {:>10}  {}{}\n", k, starts[k].objective, starts[k].iterations,
                         starts[k].converged ? "yes" : "no", static_cast<int>(k) == best_start ? "  <- best" : "");
    }
  }
  if (!curve_errors.empty()) {
    out += "\ncurve                  N           points  PredE     WorstE    R^2\n";
    for (std::size_t c = 0; c < curve_errors.size(); ++c) {
      const CurveErrors& e = curve_errors[c];
      out += fmt::format("{:<22} {:<10.4g}  {:>6}  {:<8.6f}  {:<8.6f}  {:.6f}\n", curve_names[c], curve_params[c],
                         e.points, e.pred_e, e.worst_e, e.r2);
    }
  }
  out += fmt::format("\nstatus: {}{}  ({:.3f} s)\n", AnalysisStatusName(status), message.empty() ? "" : " - " + message,
                     seconds);
  return out;
}

std::string CurveSizeFitToJson(const CurveSizeFitSummary& fit) {
  using nlohmann::json;
  const auto number = detail::JsonNumber;
  const std::vector<std::string> names = CurveLawParameterNames(fit.form);
  json out;
  out["form"] = std::string(CurveLawFormName(fit.form));
  out["lambda"] = fit.lambda;
  out["huber_delta"] = fit.huber_delta;
  out["status"] = std::string(AnalysisStatusName(fit.status));
  out["usable"] = fit.IsUsable();
  if (!fit.IsUsable()) out["message"] = fit.message;
  out["reference_params"] = number(fit.law.reference_params);
  json parameters = json::object(), exponents = json::object();
  for (std::size_t j = 0; j < fit.law.parameters.size() && j < names.size(); ++j) {
    parameters[names[j]] = number(fit.law.parameters[j]);
    if (fit.law.scaled[j]) exponents[names[j]] = number(fit.law.exponents[j]);
  }
  out["parameters"] = parameters;
  out["exponents"] = exponents;
  out["objective"] = number(fit.objective);
  out["points"] = fit.points;
  detail::AddDataRange(fit.range, &out);
  out["condition_number"] = number(fit.condition_number);
  json sizes = json::array();
  for (std::size_t s = 0; s < fit.sizes.size() && s < fit.size_fits.size(); ++s) {
    const CurveFitSummary& alone = fit.size_fits[s];
    json size_parameters = json::object();
    for (std::size_t j = 0; j < alone.parameters.size() && j < names.size(); ++j) {
      size_parameters[names[j]] = number(alone.parameters[j]);
    }
    sizes.push_back({{"params", fit.sizes[s]},
                     {"curves", alone.curve_names.size()},
                     {"objective", number(alone.objective)},
                     {"usable", alone.IsUsable()},
                     {"parameters", size_parameters}});
  }
  out["sizes"] = sizes;
  json curves = json::array();
  for (std::size_t c = 0; c < fit.curve_names.size(); ++c) {
    json curve = {{"name", fit.curve_names[c]}, {"params", fit.curve_params[c]}};
    if (c < fit.curve_errors.size()) detail::AddCurveErrors(fit.curve_errors[c], &curve);
    curves.push_back(curve);
  }
  out["curves"] = curves;
  out["starts"] = detail::CurveFitStartsToJson(fit.starts);
  out["best_start"] = fit.best_start;
  out["seconds"] = fit.seconds;
  if (!fit.resample_parameters.empty() || fit.failed_resamples > 0) {
    out["bootstrap"] = detail::CurveBootstrapToJson(fit.bootstrap_seed, fit.block_length, fit.failed_resamples,
                                                    fit.resample_parameters);
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // names need not be UTF-8
}

CurveSizeFitSummary CurveSizeFitFromJson(std::string_view text, const std::string& source_name) {
  using nlohmann::json;
  const auto number = detail::NumberOrNaN;  // null (a value that was not finite) reads as NaN
  return detail::ReadCurveFitJson<CurveSizeFitSummary>(
      text, source_name, [&](const json& in, CurveSizeFitSummary* fit) {
        const std::vector<std::string> names = CurveLawParameterNames(fit->form);
        fit->law.form = fit->form;
        fit->law.lambda = fit->lambda;
        fit->law.reference_params = number(detail::RequiredJsonKey(in, "reference_params", source_name));
        const json& parameters = detail::RequiredJsonKey(in, "parameters", source_name);
        const json& exponents = in.value("exponents", json::object());
        if (!parameters.is_object()) throw InputError(source_name, 0, "parameters", "not an object");
        if (!exponents.is_object()) throw InputError(source_name, 0, "exponents", "not an object");
        fit->parameter_names = names;
        for (const std::string& name : names) {
          fit->law.scaled.push_back(exponents.contains(name));
          if (exponents.contains(name)) fit->parameter_names.push_back("e_" + name);
        }
        if (!parameters.empty()) {
          if (!(fit->law.reference_params > 0)) {
            throw InputError(source_name, 0, "reference_params", "not a positive number");
          }
          for (std::size_t j = 0; j < names.size(); ++j) {
            if (!parameters.contains(names[j]) || !parameters.at(names[j]).is_number()) {
              throw InputError(source_name, 0, "parameters." + names[j], "missing or not a number");
            }
            fit->law.parameters.push_back(parameters.at(names[j]).get<double>());
            double e = 0;
            if (fit->law.scaled[j]) {
              if (!exponents.at(names[j]).is_number()) {
                throw InputError(source_name, 0, "exponents." + names[j], "not a number");
              }
              e = exponents.at(names[j]).get<double>();
            }
            fit->law.exponents.push_back(e);
          }
          fit->parameters = fit->law.parameters;
          for (std::size_t j = 0; j < names.size(); ++j) {
            if (fit->law.scaled[j]) fit->parameters.push_back(fit->law.exponents[j]);
          }
        }
        fit->objective = number(in.value("objective", json(0.0)));
        fit->points = in.value("points", 0);
        fit->condition_number = in.contains("condition_number") ? number(in.at("condition_number"))
                                                                : std::numeric_limits<double>::quiet_NaN();
        if (in.contains("condition_number") && in.at("condition_number").is_null()) {
          fit->condition_number = std::numeric_limits<double>::infinity();
        }
        for (const json& size : in.value("sizes", json::array())) {
          fit->sizes.push_back(size.at("params").get<double>());
          CurveFitSummary alone;
          alone.form = fit->form;
          alone.lambda = fit->lambda;
          alone.huber_delta = fit->huber_delta;
          alone.parameter_names = names;
          alone.objective = number(size.value("objective", json(nullptr)));
          alone.status = size.value("usable", false) ? AnalysisStatus::kUsable : AnalysisStatus::kNotIdentifiable;
          alone.message = alone.IsUsable() ? "" : "not usable (read from JSON)";
          const json& own = size.value("parameters", json::object());
          if (!own.empty()) {
            for (const std::string& name : names) alone.parameters.push_back(number(own.value(name, json(nullptr))));
          }
          fit->size_fits.push_back(std::move(alone));
        }
        for (const json& curve : in.value("curves", json::array())) {
          fit->curve_params.push_back(number(curve.value("params", json(nullptr))));
        }
      });
}

}  // namespace scalelaw
