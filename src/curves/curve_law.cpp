#include "scalelaw/curves/curve_law.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

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

namespace {

// Weights w_l of the nodes round(l·(m-1)/(n-1)), l = 0..n-1, of a block of m consecutive steps such that
// sum_l w_l p(node_l) = sum over the block of p(k) for every polynomial p of degree < n (the discrete moments in
// u = 2i/(m-1) - 1 ∈ [-1, 1], solved by QR); cached by m.
class BlockRule {
 public:
  explicit BlockRule(int nodes) : nodes_(nodes) {}
  const std::vector<double>& Weights(int m) {
    auto found = cache_.find(m);
    if (found != cache_.end()) return found->second;
    Eigen::MatrixXd v(nodes_, nodes_);
    Eigen::VectorXd moments = Eigen::VectorXd::Zero(nodes_);
    for (int l = 0; l < nodes_; ++l) {
      const double u = 2.0 * Offset(m, l) / (m - 1) - 1;
      for (int r = 0; r < nodes_; ++r) v(r, l) = std::pow(u, r);
    }
    for (int i = 0; i < m; ++i) {
      const double u = 2.0 * i / (m - 1) - 1;
      double power = 1;
      for (int r = 0; r < nodes_; ++r, power *= u) moments[r] += power;
    }
    const Eigen::VectorXd w = v.colPivHouseholderQr().solve(moments);
    return cache_.emplace(m, std::vector<double>(w.data(), w.data() + nodes_)).first->second;
  }
  int Offset(int m, int l) const {
    return static_cast<int>(std::lround(static_cast<double>(l) * (m - 1) / (nodes_ - 1)));
  }
  int nodes() const { return nodes_; }

 private:
  int nodes_;
  std::map<int, std::vector<double>> cache_;
};

// Cuts the changes into runs of consecutive steps where d_k is smooth (CurveDesign's comment) and builds each
// logged point's nodes.
void CompressDesign(const std::vector<long>& change_step, const std::vector<long>& steps,
                    const CurveDesignOptions& options, CurveDesign* d) {
  const std::size_t k_all = change_step.size();
  std::vector<std::size_t> run_start;  // first change of each run
  for (std::size_t j = 0; j < k_all; ++j) {
    bool starts = j == 0 || change_step[j] != change_step[j - 1] + 1 ||
                  (d->drop[static_cast<Eigen::Index>(j)] > 0) != (d->drop[static_cast<Eigen::Index>(j - 1)] > 0);
    if (!starts && j >= 2 && j - 2 >= run_start.back()) {
      const double second = d->drop[j] - 2 * d->drop[j - 1] + d->drop[j - 2];
      starts = std::abs(second) > 1e-3 * std::abs(d->drop[j - 1]);
    }
    if (starts) run_start.push_back(j);
  }
  run_start.push_back(k_all);
  // The rules' weights are kept per thread across designs; block lengths are rounded down to 2^p or 1.5·2^p, so
  // that a design needs the weights of a few dozen lengths (each costs O(length) to derive).
  static thread_local std::map<int, BlockRule> rules;
  BlockRule& rule = rules.try_emplace(options.block_nodes, options.block_nodes).first->second;
  const double ratio = options.block_ratio;
  std::vector<int> node_change;
  std::vector<double> node_weight;
  d->node_offset.assign(1, 0);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const long t = steps[i];
    for (std::size_t r = 0; r + 1 < run_start.size(); ++r) {
      const std::size_t first = run_start[r];
      const long s_lo = change_step[first];
      if (s_lo > t) break;
      const long hi = std::min(change_step[run_start[r + 1] - 1], t);
      for (long pos = s_lo; pos <= hi;) {
        long m = static_cast<long>(std::floor(std::min(ratio * static_cast<double>(pos - s_lo + 1),
                                                       ratio * static_cast<double>(t - pos + 1) / (1 + ratio))));
        m = std::min(m, hi - pos + 1);
        if (m >= 2) {
          long power = 1;
          while (power * 2 <= m) power *= 2;
          m = power + power / 2 <= m ? power + power / 2 : power;
        }
        const int j0 = static_cast<int>(first + static_cast<std::size_t>(pos - s_lo));
        if (m < 2 * rule.nodes()) {
          node_change.push_back(j0);
          node_weight.push_back(1);
          ++pos;
          continue;
        }
        const std::vector<double>& w = rule.Weights(static_cast<int>(m));
        for (int l = 0; l < rule.nodes(); ++l) {
          node_change.push_back(j0 + rule.Offset(static_cast<int>(m), l));
          node_weight.push_back(w[l]);
        }
        pos += m;
      }
    }
    d->node_offset.push_back(static_cast<int>(node_change.size()));
  }
  const Eigen::Index n = static_cast<Eigen::Index>(node_change.size());
  d->node_change = std::move(node_change);
  d->node_drop.resize(n);
  d->node_drop_neg_log_lr.resize(n);
  d->node_sum_before.resize(n);
  for (Eigen::Index a = 0; a < n; ++a) {
    const int j = d->node_change[static_cast<std::size_t>(a)];
    d->node_drop[a] = node_weight[static_cast<std::size_t>(a)] * d->drop[j];
    d->node_drop_neg_log_lr[a] = d->node_drop[a] * d->neg_log_lr[j];
    d->node_sum_before[a] = d->sum_before[j];
  }
}

}  // namespace

CurveDesign MakeCurveDesign(const std::vector<double>& lr, const std::vector<long>& steps, bool with_s2, double lambda,
                            const CurveDesignOptions& options) {
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
  std::vector<long> change_step;
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
          change_step.push_back(k);
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
  if (options.compress) CompressDesign(change_step, steps, options, &d);
  return d;
}

void EvaluateAnnealingWithLambda(const double* theta, const std::vector<double>& step_drop,
                                 const std::vector<long>& steps, const Eigen::ArrayXd& log_s1, double* loss,
                                 double* jacobian) {
  const double lambda = theta[4];
  double m = 0, dm = 0, area = 0, darea = 0;
  std::size_t next = 0;
  for (long k = 0; next < steps.size(); ++k) {
    if (k >= 1) {
      dm = m + lambda * dm;
      m = lambda * m + step_drop[static_cast<std::size_t>(k)];
      area += m;
      darea += dm;
    }
    for (; next < steps.size() && steps[next] == k; ++next) {
      const Eigen::Index i = static_cast<Eigen::Index>(next);
      const double power = std::exp(-theta[2] * log_s1[i]);
      loss[i] = theta[0] + theta[1] * power - theta[3] * area;
      if (jacobian != nullptr) {
        double* row = jacobian + i * 5;
        row[0] = 1;
        row[1] = power;
        row[2] = -theta[1] * power * log_s1[i];
        row[3] = -area;
        row[4] = -theta[3] * darea;
      }
    }
  }
}

std::vector<double> StepDrops(const std::vector<double>& lr, long last_step) {
  std::vector<double> drop(static_cast<std::size_t>(last_step) + 1, 0.0);
  for (std::size_t k = 1; k < drop.size(); ++k) drop[k] = lr[k - 1] - lr[k];
  return drop;
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
    const bool compressed = !d.node_offset.empty();
    if (compressed) {
      const Eigen::Index nodes = d.node_drop.size();
      if (s.node_q.size() < nodes) s.node_q.resize(nodes);
      if (s.x.size() < nodes) {
        s.x.resize(nodes);
        s.log1px.resize(nodes);
        s.e.resize(nodes);
        s.w.resize(nodes);
      }
      for (Eigen::Index a = 0; a < nodes; ++a) s.node_q[a] = s.q[d.node_change[static_cast<std::size_t>(a)]];
    }
    for (Eigen::Index i = 0; i < n; ++i) {
      // The terms of point i: its nodes (compressed) or the changes 0..changes_upto-1 (exact).
      const Eigen::Index first = compressed ? d.node_offset[static_cast<std::size_t>(i)] : 0;
      const Eigen::Index m = compressed ? d.node_offset[static_cast<std::size_t>(i) + 1] - first
                                        : d.changes_upto[static_cast<std::size_t>(i)];
      const Eigen::ArrayXd& q = compressed ? s.node_q : s.q;
      const Eigen::ArrayXd& sum_before = compressed ? d.node_sum_before : d.sum_before;
      const Eigen::ArrayXd& weighted_drop = compressed ? d.node_drop : d.drop;
      const Eigen::ArrayXd& weighted_drop_log = compressed ? d.node_drop_neg_log_lr : d.drop_neg_log_lr;
      double ld = d.drop_to_zero[i];  // changes to eta_k = 0 contribute d_k·G = d_k
      double d_c = 0, d_beta = 0, d_gamma = 0;
      if (m > 0) {
        auto x = s.x.head(m);
        auto log1px = s.log1px.head(m);
        auto e = s.e.head(m);
        // x is capped at 1e300 (G = 1 there to double precision) so that a saturated term, x = inf from a huge
        // C or gamma, gives the limits e = 0, e·x/(1 + x) = 0 and e·ln(1 + x) = 0 instead of NaN.
        x = (q.segment(first, m) * (d.s1[i] - sum_before.segment(first, m))).min(1e300);
        log1px = (1 + x).log();
        e = (-beta * log1px).exp();
        const auto drop = weighted_drop.segment(first, m);
        ld += (drop * (1 - e)).sum();
        if (jacobian != nullptr) {
          auto w = s.w.head(m);
          w = e * (1 - 1 / (1 + x));
          d_c = beta / c * (drop * w).sum();
          d_beta = (drop * e * log1px).sum();
          d_gamma = beta * (weighted_drop_log.segment(first, m) * w).sum();
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
      detail::MakeCurveDesign(lr, steps, law.form == CurveLawForm::kAnnealing, law.lambda, {});
  std::vector<double> loss(steps.size());
  detail::CurveScratch scratch;
  if (!detail::EvaluateCurveDesign(law.form, law.parameters.data(), design, loss.data(), nullptr, &scratch)) {
    throw InvalidArgument(
        fmt::format("{} law: the loss is not finite at these parameters and schedule", CurveLawFormName(law.form)));
  }
  return loss;
}

CurvePrediction PredictCurve(const CurveLaw& law, const std::vector<double>& lr, long every) {
  if (every < 1) throw InvalidArgument(fmt::format("curve prediction: every must be >= 1, not {}", every));
  const long total = static_cast<long>(lr.size());
  if (total == 0 || !(*std::max_element(lr.begin(), lr.end()) > 0)) {
    throw InvalidArgument("curve prediction: the schedule has no step with a positive LR");
  }
  const long first = static_cast<long>(std::max_element(lr.begin(), lr.end()) - lr.begin());
  CurvePrediction out;
  for (long t = first; t < total; t += every) out.steps.push_back(t);
  if (out.steps.back() != total - 1) out.steps.push_back(total - 1);
  out.loss = CurveLoss(law, lr, out.steps);
  out.final_loss = out.loss.back();
  return out;
}

CurveDataRange DataRangeOf(const std::vector<TrainingCurve>& curves) {
  CurveDataRange range;
  range.peak_lr_min = std::numeric_limits<double>::infinity();
  for (const TrainingCurve& curve : curves) {
    const double peak = curve.lr.empty() ? 0 : *std::max_element(curve.lr.begin(), curve.lr.end());
    if (curve.steps.empty() || !(peak > 0)) {
      throw InvalidArgument("curve '" + curve.name + "' has no logged step or no positive LR");
    }
    range.steps = std::max(range.steps, static_cast<long>(curve.lr.size()));
    range.peak_lr_min = std::min(range.peak_lr_min, peak);
    range.peak_lr_max = std::max(range.peak_lr_max, peak);
  }
  if (curves.empty()) range.peak_lr_min = 0;
  return range;
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
