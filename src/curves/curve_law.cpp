#include "scalelaw/curves/curve_law.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "curves/curve_terms.h"
#include "scalelaw/error.h"

namespace scalelaw {

std::string_view CurveLawFormName(CurveLawForm form) {
  switch (form) {
    case CurveLawForm::kMultiPower:
      return "multi-power";
    case CurveLawForm::kAnnealing:
      return "annealing";
    case CurveLawForm::kPowerOnly:
      return "power";
  }
  return "?";
}

CurveLawForm CurveLawFormFromName(std::string_view name) {
  for (CurveLawForm form : {CurveLawForm::kMultiPower, CurveLawForm::kAnnealing, CurveLawForm::kPowerOnly}) {
    if (name == CurveLawFormName(form)) return form;
  }
  throw InvalidArgument(fmt::format("unknown curve law '{}' (choose multi-power, annealing or power)", name));
}

std::vector<std::string> CurveLawParameterNames(CurveLawForm form) {
  switch (form) {
    case CurveLawForm::kMultiPower:
      return {"L0", "A", "alpha", "B", "C", "beta", "gamma"};
    case CurveLawForm::kAnnealing:
      return {"L0", "A", "alpha", "C"};
    case CurveLawForm::kPowerOnly:
      return {"L0", "A", "alpha"};
  }
  return {};
}

CurveLaw AsCurveLaw(const MultiPowerLaw& law) {
  return {CurveLawForm::kMultiPower, {law.l0, law.a, law.alpha, law.b, law.c, law.beta, law.gamma}, 0.999};
}
CurveLaw AsCurveLaw(const AnnealingLaw& law) {
  return {CurveLawForm::kAnnealing, {law.l0, law.a, law.alpha, law.c}, law.lambda};
}
CurveLaw AsCurveLaw(const PowerCurveLaw& law) { return {CurveLawForm::kPowerOnly, {law.l0, law.a, law.alpha}, 0.999}; }

namespace detail {

int CurveLawParameterCount(CurveLawForm form) { return static_cast<int>(CurveLawParameterNames(form).size()); }

CurveDesign MakeCurveDesign(const std::vector<double>& lr, const std::vector<long>& steps, bool with_s2,
                            double lambda) {
  const long total = static_cast<long>(lr.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i] < 0 || steps[i] >= total) {
      throw InvalidArgument(
          fmt::format("curve: logged step {} (index {}) lies outside the schedule's {} steps", steps[i], i, total));
    }
    if (i > 0 && steps[i] < steps[i - 1]) {
      throw InvalidArgument(
          fmt::format("curve: logged step {} (index {}) comes after step {}: steps must not "
                      "decrease",
                      steps[i], i, steps[i - 1]));
    }
  }
  for (long k = 0; k < total; ++k) {
    if (!(std::isfinite(lr[k]) && lr[k] >= 0)) {
      throw InvalidArgument(fmt::format("curve: LR {} at step {} is not a non-negative number", lr[k], k));
    }
  }
  const long last = steps.empty() ? -1 : steps.back();
  CurveDesign d;
  const Eigen::Index n = static_cast<Eigen::Index>(steps.size());
  d.s1.resize(n);
  d.changes_upto.resize(steps.size());
  d.drop_to_zero.resize(n);
  std::vector<double> drop, neg_log_lr, sum_before;
  double prefix = 0;              // P(k)
  double zero_drops = 0;          // sum of d_k to eta_k = 0 so far
  double momentum = 0, area = 0;  // m_k and S2(k) of the annealing law
  if (with_s2) d.s2.resize(n);
  std::size_t next = 0;
  for (long k = 0; k <= last; ++k) {
    const double before = prefix;  // P(k-1)
    prefix += lr[k];
    if (k >= 1) {
      const double change = lr[k - 1] - lr[k];
      if (change != 0) {
        if (lr[k] > 0) {
          drop.push_back(change);
          neg_log_lr.push_back(-std::log(lr[k]));
          sum_before.push_back(before);
        } else {
          zero_drops += change;
        }
      }
      momentum = lambda * momentum + change;
      area += momentum;
    }
    for (; next < steps.size() && steps[next] == k; ++next) {
      if (!(prefix > 0)) {
        throw InvalidArgument(fmt::format("curve: the LR sum up to logged step {} is 0 (no training yet)", k));
      }
      d.s1[static_cast<Eigen::Index>(next)] = prefix;
      d.changes_upto[next] = static_cast<int>(drop.size());
      d.drop_to_zero[static_cast<Eigen::Index>(next)] = zero_drops;
      if (with_s2) d.s2[static_cast<Eigen::Index>(next)] = area;
    }
  }
  d.log_s1 = d.s1.log();
  d.drop = Eigen::Map<const Eigen::ArrayXd>(drop.data(), static_cast<Eigen::Index>(drop.size()));
  d.neg_log_lr = Eigen::Map<const Eigen::ArrayXd>(neg_log_lr.data(), static_cast<Eigen::Index>(neg_log_lr.size()));
  d.sum_before = Eigen::Map<const Eigen::ArrayXd>(sum_before.data(), static_cast<Eigen::Index>(sum_before.size()));
  d.drop_neg_log_lr = d.drop * d.neg_log_lr;
  return d;
}

bool EvaluateCurveDesign(CurveLawForm form, const double* p, const CurveDesign& d, double* loss, double* jacobian,
                         CurveScratch* scratch) {
  const int np = CurveLawParameterCount(form);
  const Eigen::Index n = d.s1.size();
  const double l0 = p[0], a = p[1], alpha = p[2];
  // The power-law part L0 + A·S1^-alpha, shared by every form.
  for (Eigen::Index i = 0; i < n; ++i) {
    const double power = std::exp(-alpha * d.log_s1[i]);
    loss[i] = l0 + a * power;
    if (jacobian != nullptr) {
      double* row = jacobian + i * np;
      row[0] = 1;
      row[1] = power;
      row[2] = -a * power * d.log_s1[i];
    }
  }
  if (form == CurveLawForm::kAnnealing) {
    const double c = p[3];
    for (Eigen::Index i = 0; i < n; ++i) {
      loss[i] -= c * d.s2[i];
      if (jacobian != nullptr) jacobian[i * np + 3] = -d.s2[i];
    }
  } else if (form == CurveLawForm::kMultiPower) {
    const double b = p[3], c = p[4], beta = p[5], gamma = p[6];
    CurveScratch& s = *scratch;
    const Eigen::Index k_all = d.drop.size();
    if (s.q.size() < k_all) {
      s.q.resize(k_all);
      s.x.resize(k_all);
      s.log1px.resize(k_all);
      s.e.resize(k_all);
      s.w.resize(k_all);
    }
    // q_k = C·eta_k^-gamma, once per evaluation.
    s.q.head(k_all) = c * (gamma * d.neg_log_lr).exp();
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index m = d.changes_upto[static_cast<std::size_t>(i)];
      double ld = d.drop_to_zero[i];  // changes to eta_k = 0 contribute d_k·G = d_k
      double d_c = 0, d_beta = 0, d_gamma = 0;
      if (m > 0) {
        auto x = s.x.head(m);
        auto log1px = s.log1px.head(m);
        auto e = s.e.head(m);
        x = s.q.head(m) * (d.s1[i] - d.sum_before.head(m));
        log1px = (1 + x).log();
        e = (-beta * log1px).exp();
        const auto drop = d.drop.head(m);
        ld += (drop * (1 - e)).sum();
        if (jacobian != nullptr) {
          auto w = s.w.head(m);
          w = e * x / (1 + x);
          d_c = beta / c * (drop * w).sum();
          d_beta = (drop * e * log1px).sum();
          d_gamma = beta * (d.drop_neg_log_lr.head(m) * w).sum();
        }
      }
      loss[i] -= b * ld;
      if (jacobian != nullptr) {
        double* row = jacobian + i * np;
        row[3] = -ld;
        row[4] = -b * d_c;
        row[5] = -b * d_beta;
        row[6] = -b * d_gamma;
      }
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(loss[i])) return false;
  }
  if (jacobian != nullptr) {
    for (Eigen::Index i = 0; i < n * np; ++i) {
      if (!std::isfinite(jacobian[i])) return false;
    }
  }
  return true;
}

}  // namespace detail

std::vector<double> CurveLoss(const CurveLaw& law, const std::vector<double>& lr, const std::vector<long>& steps) {
  const int np = detail::CurveLawParameterCount(law.form);
  if (static_cast<int>(law.parameters.size()) != np) {
    throw InvalidArgument(
        fmt::format("{} law: {} parameters given, {} expected", CurveLawFormName(law.form), law.parameters.size(), np));
  }
  const detail::CurveDesign design =
      detail::MakeCurveDesign(lr, steps, law.form == CurveLawForm::kAnnealing, law.lambda);
  std::vector<double> loss(steps.size());
  detail::CurveScratch scratch;
  if (!detail::EvaluateCurveDesign(law.form, law.parameters.data(), design, loss.data(), nullptr, &scratch)) {
    throw InvalidArgument(
        fmt::format("{} law: the loss is not finite at these parameters and schedule", CurveLawFormName(law.form)));
  }
  return loss;
}

CurveErrors CurvePredictionErrors(const std::vector<double>& observed, const std::vector<double>& predicted) {
  if (observed.size() != predicted.size() || observed.empty()) {
    throw InvalidArgument(fmt::format("curve errors: {} observed and {} predicted values (need the same, at least 1)",
                                      observed.size(), predicted.size()));
  }
  CurveErrors out;
  out.points = static_cast<int>(observed.size());
  double mean = 0;
  for (double y : observed) {
    if (!(y > 0 && std::isfinite(y)))
      throw InvalidArgument(fmt::format("curve errors: observed loss {} is not positive", y));
    mean += y;
  }
  mean /= out.points;
  double rel = 0, abs_sum = 0, sq = 0, tot = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double diff = predicted[i] - observed[i];
    rel += std::abs(diff) / observed[i];
    out.worst_e = std::max(out.worst_e, std::abs(diff) / observed[i]);
    abs_sum += std::abs(diff);
    sq += diff * diff;
    tot += (observed[i] - mean) * (observed[i] - mean);
  }
  out.pred_e = rel / out.points;
  out.mae = abs_sum / out.points;
  out.rmse = std::sqrt(sq / out.points);
  out.r2 = tot > 0 ? 1 - sq / tot : 0;
  return out;
}

CurveErrors MeanCurveErrors(const std::vector<CurveErrors>& per_curve) {
  CurveErrors mean;
  if (per_curve.empty()) return mean;
  for (const CurveErrors& e : per_curve) {
    mean.points += e.points;
    mean.pred_e += e.pred_e;
    mean.worst_e += e.worst_e;
    mean.r2 += e.r2;
    mean.mae += e.mae;
    mean.rmse += e.rmse;
  }
  const double k = static_cast<double>(per_curve.size());
  mean.pred_e /= k;
  mean.worst_e /= k;
  mean.r2 /= k;
  mean.mae /= k;
  mean.rmse /= k;
  return mean;
}

}  // namespace scalelaw
