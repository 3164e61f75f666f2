#include "fit/objectives.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace scalelaw::detail {

namespace {
std::size_t BlockRows(const LogDesign& design) { return std::min(design.size(), kEvaluationBlock); }

// What Evaluate returns: whether the value and, when asked for, the gradient's `size` entries are all finite.
bool AllFinite(double value, const double* gradient, int size) {
  if (!std::isfinite(value)) return false;
  if (gradient != nullptr) {
    for (int j = 0; j < size; ++j) {
      if (!std::isfinite(gradient[j])) return false;
    }
  }
  return true;
}
}  // namespace

HuberObjective::HuberObjective(const ModelForm& form, const LogDesign& design, RunLoss loss)
    : form_(form),
      design_(design),
      loss_(loss),
      num_parameters_(static_cast<int>(form.num_internal())),
      log_prediction_(BlockRows(design)),
      jacobian_(BlockRows(design) * form.num_internal()) {}


bool HuberObjective::Evaluate(const double* x, double* value, double* gradient) {
  switch (loss_.kind) {
    case RunLoss::Kind::kHuber:
      return EvaluateAs<RunLoss::Kind::kHuber>(x, value, gradient);
    case RunLoss::Kind::kSquared:
      return EvaluateAs<RunLoss::Kind::kSquared>(x, value, gradient);
    case RunLoss::Kind::kAsymmetricHuber:
      return EvaluateAs<RunLoss::Kind::kAsymmetricHuber>(x, value, gradient);
    case RunLoss::Kind::kAsymmetricAbsolute:
      return EvaluateAs<RunLoss::Kind::kAsymmetricAbsolute>(x, value, gradient);
  }
  return false;
}

template <RunLoss::Kind kKind>
bool HuberObjective::EvaluateAs(const double* x, double* value, double* gradient) {
  const std::size_t n = design_.size();
  const int p = num_parameters_;
  double total = 0;
  if (gradient != nullptr) std::fill(gradient, gradient + p, 0.0);
  double* jacobian = gradient != nullptr ? jacobian_.data() : nullptr;
  // Block by block: the chain rule d rho_i / d x_j = rho'(r_i) d r_i / d x_j is summed over a block's Jacobian
  // rows while they are in cache; nothing of size n is stored. On the loss itself r_i = L_hat_i - L_i, and
  // d L_hat_i = L_hat_i d log L_hat_i for forms whose L_hat is positive.
  const bool direct = !loss_.log_residual && form_.may_predict_nonpositive();
  ForEachBlock(n, [&](std::size_t begin, std::size_t count) {
    if (direct) {
      form_.PredictBlock(x, design_, begin, count, log_prediction_.data(), jacobian);
    } else {
      form_.LogPredictBlock(x, design_, begin, count, log_prediction_.data(), jacobian);
    }
    // residual(k, i) gives r_i and d r_i / d (what the Jacobian row differentiates); one loop per residual
    // scale, so the loop over runs carries no branch on it.
    const auto accumulate = [&](const auto& residual) {
      for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = begin + k;
        const auto [r, chain] = residual(k, i);
        double rho = 0, slope = 0;
        RunLossOf<kKind>(loss_, r, &rho, &slope);
        const double w = design_.weight(i);
        total += w * rho;
        if (gradient != nullptr) {
          const double factor = w * slope * chain;
          const double* row = jacobian_.data() + k * p;
          for (int j = 0; j < p; ++j) gradient[j] += factor * row[j];
        }
      }
    };
    if (loss_.log_residual) {
      accumulate([&](std::size_t k, std::size_t i) { return std::pair(log_prediction_[k] - design_.log_loss[i], 1.0); });
    } else if (direct) {
      accumulate([&](std::size_t k, std::size_t i) { return std::pair(log_prediction_[k] - design_.value(i), 1.0); });
    } else {
      accumulate([&](std::size_t k, std::size_t i) {
        const double prediction = std::exp(log_prediction_[k]);
        return std::pair(prediction - design_.value(i), prediction);
      });
    }
  });
  *value = total;
  return AllFinite(total, gradient, p);
}

std::unique_ptr<SmoothObjective> HuberObjective::Clone() const {
  return std::make_unique<HuberObjective>(form_, design_, loss_);
}

HuberLikelihoodObjective::HuberLikelihoodObjective(const ModelForm& form, const LogDesign& design, double delta)
    : form_(form),
      design_(design),
      delta_(delta),
      log_normaliser_(LogNormaliser(delta)),
      total_weight_(design.total_weight()),
      num_parameters_(static_cast<int>(form.num_internal()) + 1),
      log_prediction_(BlockRows(design)),
      jacobian_(BlockRows(design) * form.num_internal()) {}

double HuberLikelihoodObjective::LogNormaliser(double delta) {
  const double pi = 3.14159265358979323846;
  const double upper_tail = 0.5 * std::erfc(delta / std::sqrt(2.0));  // 1 - Phi(delta)
  return std::log(std::sqrt(2 * pi) * (1 - 2 * upper_tail) + 2 * std::exp(-0.5 * delta * delta) / delta);
}

bool HuberLikelihoodObjective::Evaluate(const double* x, double* value, double* gradient) {
  const std::size_t n = design_.size();
  const int p = num_parameters_ - 1;
  const double sigma = x[p];
  const double scale = std::exp(sigma);
  double total = total_weight_ * (log_normaliser_ + sigma);
  if (gradient != nullptr) {
    std::fill(gradient, gradient + p, 0.0);
    gradient[p] = total_weight_;
  }
  ForEachBlock(n, [&](std::size_t begin, std::size_t count) {
    form_.LogPredictBlock(x, design_, begin, count, log_prediction_.data(),
                          gradient != nullptr ? jacobian_.data() : nullptr);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t i = begin + k;
      const double z = (log_prediction_[k] - design_.log_loss[i]) / scale;
      const double w = design_.weight(i);
      total += w * Huber(z, delta_);
      if (gradient != nullptr) {
        const double psi = w * HuberDerivative(z, delta_);
        const double* row = jacobian_.data() + k * p;
        for (int j = 0; j < p; ++j) gradient[j] += psi / scale * row[j];
        gradient[p] -= psi * z;
      }
    }
  });
  *value = total;
  return AllFinite(total, gradient, p + 1);
}

double HuberLikelihoodObjective::ProfileLogScale(const double* model_parameters) {
  // The bisection reads every residual some 50 times: they are computed once, into space of their own (the
  // evaluation scratch holds one block).
  std::vector<double> log_prediction(design_.size());
  form_.LogPredict(model_parameters, design_, log_prediction.data(), nullptr);
  // d NLL / d sigma = W - sum_i w_i psi(z_i) z_i with z_i = r_i e^-sigma; psi(z) z falls as sigma grows.
  auto slope = [&](double sigma) {
    const double scale = std::exp(sigma);
    double s = total_weight_;
    for (std::size_t i = 0; i < design_.size(); ++i) {
      const double z = (log_prediction[i] - design_.log_loss[i]) / scale;
      s -= design_.weight(i) * HuberDerivative(z, delta_) * z;
    }
    return s;
  };
  double lo = -60, hi = 10;
  if (slope(lo) >= 0) return lo;  // every residual is (numerically) zero
  for (int k = 0; k < 200 && hi - lo > 1e-13; ++k) {
    const double mid = 0.5 * (lo + hi);
    (slope(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::unique_ptr<SmoothObjective> HuberLikelihoodObjective::Clone() const {
  return std::make_unique<HuberLikelihoodObjective>(form_, design_, delta_);
}

}  // namespace scalelaw::detail

namespace scalelaw::detail {

ParameterLayout ParameterLayout::AllFree(int size) {
  ParameterLayout layout;
  layout.source.resize(size);
  layout.value.assign(size, 0.0);
  for (int j = 0; j < size; ++j) layout.source[j] = j;
  layout.num_free = size;
  return layout;
}

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
double Sigmoid(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }
}  // namespace

double ParameterLayout::ToInternal(int k, double z) const {
  const double lo = lower.empty() ? -kInfinity : lower[k], hi = upper.empty() ? kInfinity : upper[k];
  if (std::isfinite(lo) && std::isfinite(hi)) return lo + (hi - lo) * Sigmoid(z);
  if (std::isfinite(lo)) return lo + std::exp(z);
  if (std::isfinite(hi)) return hi - std::exp(z);
  return z;
}

double ParameterLayout::Derivative(int k, double z) const {
  const double lo = lower.empty() ? -kInfinity : lower[k], hi = upper.empty() ? kInfinity : upper[k];
  if (std::isfinite(lo) && std::isfinite(hi)) {
    const double s = Sigmoid(z);
    return (hi - lo) * s * (1 - s);
  }
  if (std::isfinite(lo)) return std::exp(z);
  if (std::isfinite(hi)) return -std::exp(z);
  return 1;
}

double ParameterLayout::ToFree(int k, double internal) const {
  const double lo = lower.empty() ? -kInfinity : lower[k], hi = upper.empty() ? kInfinity : upper[k];
  if (std::isfinite(lo) && std::isfinite(hi)) {
    // A start on or beyond an edge moves 5% of the width inside: at the edge itself the sigmoid is flat and
    // L-BFGS would not move.
    const double margin = 0.05 * (hi - lo);
    const double t = (std::clamp(internal, lo + margin, hi - margin) - lo) / (hi - lo);
    return std::log(t / (1 - t));
  }
  if (std::isfinite(lo)) return std::log(std::max(internal - lo, 1e-12 * (1 + std::abs(lo))));
  if (std::isfinite(hi)) return std::log(std::max(hi - internal, 1e-12 * (1 + std::abs(hi))));
  return internal;
}

void ParameterLayout::Expand(const double* free, double* full) const {
  for (std::size_t j = 0; j < source.size(); ++j)
    full[j] = source[j] >= 0 ? ToInternal(source[j], free[source[j]]) : value[j];
}

std::vector<double> ParameterLayout::Reduce(const std::vector<double>& full) const {
  std::vector<double> free(num_free, 0.0);
  std::vector<bool> seen(num_free, false);
  for (std::size_t j = 0; j < source.size(); ++j) {
    if (source[j] >= 0 && !seen[source[j]]) {
      free[source[j]] = ToFree(source[j], full[j]);
      seen[source[j]] = true;
    }
  }
  return free;
}

ReducedObjective::ReducedObjective(const SmoothObjective& full, ParameterLayout layout)
    : full_(full.Clone()),
      layout_(std::move(layout)),
      x_full_(layout_.source.size()),
      gradient_full_(layout_.source.size()) {}

bool ReducedObjective::Evaluate(const double* x, double* value, double* gradient) {
  layout_.Expand(x, x_full_.data());
  if (!full_->Evaluate(x_full_.data(), value, gradient != nullptr ? gradient_full_.data() : nullptr)) return false;
  if (gradient != nullptr) {
    std::fill(gradient, gradient + layout_.num_free, 0.0);
    for (std::size_t j = 0; j < layout_.source.size(); ++j) {
      const int k = layout_.source[j];
      if (k >= 0) gradient[k] += gradient_full_[j] * layout_.Derivative(k, x[k]);
    }
  }
  return true;
}

std::unique_ptr<SmoothObjective> ReducedObjective::Clone() const {
  return std::make_unique<ReducedObjective>(*full_, layout_);
}

PreconditionedObjective::PreconditionedObjective(const SmoothObjective& x_objective, std::vector<double> origin,
                                                 std::vector<double> transform)
    : x_objective_(x_objective.Clone()),
      origin_(std::move(origin)),
      transform_(std::move(transform)),
      x_(origin_.size()),
      gradient_x_(origin_.size()) {}

void PreconditionedObjective::Map(const double* z, double* x) const {
  const std::size_t p = origin_.size();
  for (std::size_t r = 0; r < p; ++r) {
    double sum = origin_[r];
    for (std::size_t c = 0; c < p; ++c) sum += transform_[r * p + c] * z[c];
    x[r] = sum;
  }
}

bool PreconditionedObjective::Evaluate(const double* z, double* value, double* gradient) {
  const std::size_t p = origin_.size();
  Map(z, x_.data());
  if (!x_objective_->Evaluate(x_.data(), value, gradient != nullptr ? gradient_x_.data() : nullptr)) return false;
  if (gradient != nullptr) {
    for (std::size_t c = 0; c < p; ++c) {
      double sum = 0;
      for (std::size_t r = 0; r < p; ++r) sum += transform_[r * p + c] * gradient_x_[r];
      gradient[c] = sum;
    }
  }
  return true;
}

std::vector<double> PreconditionedObjective::ToX(const std::vector<double>& z) const {
  std::vector<double> x(origin_.size());
  Map(z.data(), x.data());
  return x;
}

std::unique_ptr<SmoothObjective> PreconditionedObjective::Clone() const {
  return std::make_unique<PreconditionedObjective>(*x_objective_, origin_, transform_);
}

}  // namespace scalelaw::detail
