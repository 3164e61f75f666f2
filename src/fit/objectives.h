// Smooth objectives over a model's internal parameters. Each instance owns scratch space, so a thread uses
// its own Clone(); Evaluate never allocates.
#pragma once

#include <memory>
#include <vector>

#include "fit/model_form.h"

namespace scalelaw::detail {

class SmoothObjective {
 public:
  virtual ~SmoothObjective() = default;
  virtual int num_parameters() const = 0;
  // The value at x and, when gradient is not null, its gradient. False when either is not finite.
  virtual bool Evaluate(const double* x, double* value, double* gradient) = 0;
  virtual std::unique_ptr<SmoothObjective> Clone() const = 0;
};

// Huber_delta(r) = r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond; its derivative clamps r to ±delta.
inline double Huber(double r, double delta) {
  const double abs_r = r < 0 ? -r : r;
  return abs_r <= delta ? 0.5 * r * r : delta * (abs_r - 0.5 * delta);
}
inline double HuberDerivative(double r, double delta) { return r > delta ? delta : (r < -delta ? -delta : r); }

// What each run contributes: rho of its residual, summed with the run weights.
struct RunLoss {
  enum class Kind { kHuber, kSquared, kAsymmetricHuber, kAsymmetricAbsolute } kind = Kind::kHuber;
  double delta = 1e-3;     // Huber threshold on r
  double asymmetry = 1.0;  // weight of over-predictions (r > 0) in kAsymmetricHuber and kAsymmetricAbsolute
  // r = log L_hat - log L when true, L_hat - L (the loss itself) when false.
  bool log_residual = true;
  // kAsymmetricAbsolute: |r| is replaced by its Huber smoothing Huber_s(r)/s + s/2 (equal to |r| beyond s, at most
  // s/2 above it within) when s = smoothing > 0, so that L-BFGS can descend; 0 is |r| itself.
  double smoothing = 0;
};

// sum_i w_i rho(r_i). The default, rho = Huber_delta of the log residual r_i = log L_hat_i - log L_i, is
// Hoffmann et al. 2022 (arXiv:2203.15556, App. D.2, Eq. 11), summed as in Besiroglu et al. 2024
// (arXiv:2404.10102; Chinchilla's averaged objective stopped L-BFGS early). The others: the squared residual;
// Huber with over-predictions weighted by `asymmetry`, for a loss floor fitted through under-tuned runs, which
// only ever sit above the law; and the absolute residual so weighted (quantile regression, Koenker and Bassett
// 1978, at level 1/(1 + asymmetry)). Each on log residuals or on the loss itself, r_i = L_hat_i - L_i.
class HuberObjective final : public SmoothObjective {
 public:
  HuberObjective(const ModelForm& form, const LogDesign& design, RunLoss loss);
  int num_parameters() const override { return num_parameters_; }
  bool Evaluate(const double* x, double* value, double* gradient) override;
  std::unique_ptr<SmoothObjective> Clone() const override;

 private:
  template <RunLoss::Kind kKind>
  bool EvaluateAs(const double* x, double* value, double* gradient);

  const ModelForm& form_;
  const LogDesign& design_;
  RunLoss loss_;
  int num_parameters_;
  std::vector<double> log_prediction_;  // one block of runs (kEvaluationBlock): log L_hat, or L_hat
  std::vector<double> jacobian_;        // one block of rows, num_internal a row
};

// rho(r) and d rho / d r for one run of weight 1, the kind fixed at compile time: the loop over runs of an
// evaluation carries no dispatch (HuberObjective::Evaluate chooses the kind once per evaluation).
template <RunLoss::Kind kKind>
inline void RunLossOf(const RunLoss& loss, double r, double* value, double* slope) {
  constexpr bool kAsymmetric = kKind == RunLoss::Kind::kAsymmetricHuber || kKind == RunLoss::Kind::kAsymmetricAbsolute;
  const double w = kAsymmetric && r > 0 ? loss.asymmetry : 1.0;
  if constexpr (kKind == RunLoss::Kind::kHuber || kKind == RunLoss::Kind::kAsymmetricHuber) {
    *value = w * Huber(r, loss.delta);
    *slope = w * HuberDerivative(r, loss.delta);
  } else if constexpr (kKind == RunLoss::Kind::kSquared) {
    *value = 0.5 * r * r;
    *slope = r;
  } else if (loss.smoothing > 0) {
    const double s = loss.smoothing;
    *value = w * (Huber(r, s) / s + 0.5 * s);
    *slope = w * HuberDerivative(r, s) / s;
  } else {
    *value = w * std::abs(r);
    *slope = r > 0 ? w : (r < 0 ? -w : 0.0);
  }
}

// The same for a kind known at run time.
inline void RunLossValue(const RunLoss& loss, double r, double* value, double* slope) {
  switch (loss.kind) {
    case RunLoss::Kind::kHuber:
      return RunLossOf<RunLoss::Kind::kHuber>(loss, r, value, slope);
    case RunLoss::Kind::kSquared:
      return RunLossOf<RunLoss::Kind::kSquared>(loss, r, value, slope);
    case RunLoss::Kind::kAsymmetricHuber:
      return RunLossOf<RunLoss::Kind::kAsymmetricHuber>(loss, r, value, slope);
    case RunLoss::Kind::kAsymmetricAbsolute:
      return RunLossOf<RunLoss::Kind::kAsymmetricAbsolute>(loss, r, value, slope);
  }
}


// Negative log-likelihood of log L_i under a Huber-shaped density centred on log L_hat_i with scale
// s = e^sigma (Besiroglu et al. 2024):
//   NLL(theta, sigma) = sum_i w_i Huber_delta(r_i / s) + W (log Z(delta) + sigma),  W = sum_i w_i,
//   Z(delta) = sqrt(2 pi) (1 - 2 (1 - Phi(delta))) + 2 exp(-delta^2 / 2) / delta.
// Parameters are the model's internal ones followed by sigma.
class HuberLikelihoodObjective final : public SmoothObjective {
 public:
  HuberLikelihoodObjective(const ModelForm& form, const LogDesign& design, double delta);
  int num_parameters() const override { return num_parameters_; }
  bool Evaluate(const double* x, double* value, double* gradient) override;
  std::unique_ptr<SmoothObjective> Clone() const override;

  // The sigma that minimises the NLL for fixed model parameters (the derivative in sigma is increasing, so
  // bisection finds its root).
  double ProfileLogScale(const double* model_parameters);

  static double LogNormaliser(double delta);

 private:
  const ModelForm& form_;
  const LogDesign& design_;
  double delta_;
  double log_normaliser_;
  double total_weight_;
  int num_parameters_;
  std::vector<double> log_prediction_;  // one block of runs (kEvaluationBlock)
  std::vector<double> jacobian_;        // one block of rows, num_internal a row
};

}  // namespace scalelaw::detail

namespace scalelaw::detail {

// Which parameters the optimiser moves when some are fixed, tied or bounded: full index j reads free index
// source[j], or the fixed value value[j] when source[j] < 0. A bounded free parameter is moved through a smooth
// map of an unbounded z (lower + (upper - lower)·sigmoid(z) for a box, lower + e^z or upper - e^z for one
// side), so that L-BFGS stays unconstrained.
struct ParameterLayout {
  std::vector<int> source;
  std::vector<double> value;
  int num_free = 0;
  // Per free index: bounds on the internal value (-inf/+inf when open).
  std::vector<double> lower;
  std::vector<double> upper;

  double ToInternal(int k, double z) const;
  double Derivative(int k, double z) const;  // d internal / d z
  double ToFree(int k, double internal) const;

  static ParameterLayout AllFree(int size);
  bool all_free() const { return num_free == static_cast<int>(source.size()); }
  void Expand(const double* free, double* full) const;
  std::vector<double> Reduce(const std::vector<double>& full) const;
};

// An objective over the free parameters of a layout: fixed ones hold their values, tied ones move together
// (the gradient of a tied group is the sum of its members' partial derivatives).
class ReducedObjective final : public SmoothObjective {
 public:
  ReducedObjective(const SmoothObjective& full, ParameterLayout layout);
  int num_parameters() const override { return layout_.num_free; }
  bool Evaluate(const double* x, double* value, double* gradient) override;
  std::unique_ptr<SmoothObjective> Clone() const override;

 private:
  std::unique_ptr<SmoothObjective> full_;
  ParameterLayout layout_;
  std::vector<double> x_full_;
  std::vector<double> gradient_full_;
};

// An objective in coordinates z with x = origin + M z for a fixed p x p matrix M (row-major): f(origin + M z),
// gradient M^T grad f. With M = L^-T for a Cholesky factor H = L L^T of the objective's curvature near origin,
// the objective in z has curvature near the identity, and L-BFGS, whose initial Hessian is a multiple of the
// identity, needs far fewer iterations on an ill-conditioned problem (Nocedal and Wright 2006, Sec. 7.2 on the
// choice of H_0; linear preconditioning of quasi-Newton methods).
class PreconditionedObjective final : public SmoothObjective {
 public:
  PreconditionedObjective(const SmoothObjective& x_objective, std::vector<double> origin,
                          std::vector<double> transform);
  int num_parameters() const override { return x_objective_->num_parameters(); }
  bool Evaluate(const double* z, double* value, double* gradient) override;
  std::unique_ptr<SmoothObjective> Clone() const override;
  // origin + M z.
  std::vector<double> ToX(const std::vector<double>& z) const;

 private:
  void Map(const double* z, double* x) const;
  std::unique_ptr<SmoothObjective> x_objective_;
  std::vector<double> origin_;
  std::vector<double> transform_;
  std::vector<double> x_;
  std::vector<double> gradient_x_;
};

}  // namespace scalelaw::detail
