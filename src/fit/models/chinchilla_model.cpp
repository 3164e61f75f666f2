// The Chinchilla loss in the log-sum-exp parametrisation of Hoffmann et al. 2022 (App. D.2, Eq. 11):
//
//   log L_hat = LSE(a - alpha log N, b - beta log D, e),   A = e^a, B = e^b, E = e^e.
//
// With softmax weights w_k = exp(u_k - LSE(u)) of the three terms u = (a - alpha log N, b - beta log D, e),
// the gradient is d log L_hat / d(a, b, e, alpha, beta) = (w_1, w_2, w_3, -w_1 log N, -w_2 log D).
// Working in logs keeps every start of the 4500-point grid finite (no N^alpha overflows).
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <tuple>

#include "fit/models/registered_forms.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw::detail {
namespace {

// min over c >= 0 of W - 2 c.b + c.G c (the weighted residual sum of squares of a linear model with Gram matrix
// G, moment vector b and total weight W), by solving the unconstrained problem on each of the 7 supports and
// keeping the best feasible one. Columns are scaled to unit diagonal first: x = N^-alpha spans many decades.
struct ProjectedSolution {
  double rss = std::numeric_limits<double>::infinity();
  double coefficient[3] = {0, 0, 0};
};

ProjectedSolution NonNegativeLeastSquares(const Eigen::Matrix3d& g, const Eigen::Vector3d& b, double total_weight) {
  ProjectedSolution best;
  Eigen::Vector3d scale;
  for (int j = 0; j < 3; ++j) {
    if (!(g(j, j) > 0) || !std::isfinite(g(j, j))) return best;
    scale(j) = 1 / std::sqrt(g(j, j));
  }
  const Eigen::Matrix3d gs = scale.asDiagonal() * g * scale.asDiagonal();
  const Eigen::Vector3d bs = scale.cwiseProduct(b);
  for (int support = 1; support < 8; ++support) {
    int index[3], m = 0;
    for (int j = 0; j < 3; ++j) {
      if (support & (1 << j)) index[m++] = j;
    }
    Eigen::MatrixXd sub(m, m);
    Eigen::VectorXd rhs(m);
    for (int r = 0; r < m; ++r) {
      rhs(r) = bs(index[r]);
      for (int c = 0; c < m; ++c) sub(r, c) = gs(index[r], index[c]);
    }
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(sub);
    if (ldlt.info() != Eigen::Success) continue;
    const Eigen::VectorXd solution = ldlt.solve(rhs);
    if (!solution.allFinite() || (solution.array() <= 0).any()) continue;
    // At the least-squares solution on the support, c.G c = c.b, so rss = W - c.b.
    const double rss = total_weight - solution.dot(rhs);
    if (rss < best.rss) {
      best.rss = rss;
      best.coefficient[0] = best.coefficient[1] = best.coefficient[2] = 0;
      for (int r = 0; r < m; ++r) best.coefficient[index[r]] = solution(r) * scale(index[r]);
    }
  }
  return best;
}

class ChinchillaModelForm final : public ModelForm {
 public:
  std::string_view name() const override { return "chinchilla"; }
  std::string_view formula() const override { return "L = E + A/N^alpha + B/D^beta"; }
  std::string_view description() const override {
    return "Hoffmann et al. 2022 (arXiv 2203.15556, Eq. 2), fitted in log-sum-exp form with an analytic gradient "
           "from the Epoch grid of 4500 starts (Besiroglu et al. 2024)";
  }
  std::vector<Parameter> parameters() const override {
    return {{"a", "A", true}, {"b", "B", true}, {"e", "E", true}, {"alpha", "alpha", false}, {"beta", "beta", false}};
  }
  std::vector<std::string> natural_names() const override { return {"E", "A", "B", "alpha", "beta"}; }

  void LogPredictBlock(const double* x, const LogDesign& design, std::size_t begin, std::size_t count,
                       double* log_prediction, double* jacobian) const override {
    const double a = x[0], b = x[1], e = x[2], alpha = x[3], beta = x[4];
    const double floor = std::exp(e);
    const double* log_params = design.log_params.data() + begin;
    const double* log_tokens = design.log_tokens.data() + begin;
    for (std::size_t i = 0; i < count; ++i) {
      const double u1 = a - alpha * log_params[i];
      const double u2 = b - beta * log_tokens[i];
      // The terms themselves (two exponentials and one logarithm per run) while they are representable;
      // shifted by their maximum (three exponentials) where one would overflow or underflow to zero.
      double w1 = std::exp(u1), w2 = std::exp(u2), w3 = floor;
      double total = w1 + w2 + w3;
      double shift = 0;
      if (!(total < std::numeric_limits<double>::infinity() && total > std::numeric_limits<double>::min())) {
        shift = std::max(std::max(u1, u2), e);
        w1 = std::exp(u1 - shift);
        w2 = std::exp(u2 - shift);
        w3 = std::exp(e - shift);
        total = w1 + w2 + w3;
      }
      log_prediction[i] = shift + std::log(total);
      if (jacobian != nullptr) {
        double* row = jacobian + 5 * i;
        row[0] = w1 / total;
        row[1] = w2 / total;
        row[2] = w3 / total;
        row[3] = -row[0] * log_params[i];
        row[4] = -row[1] * log_tokens[i];
      }
    }
  }

  // a = beta/(alpha+beta), and the compute-optimal N and D at a budget (Hoffmann et al. 2022, Eq. 4).
  std::map<std::string, double> Derived(const std::map<std::string, double>& p, double at_flops) const override {
    std::map<std::string, double> out;
    const double alpha = p.at("alpha"), beta = p.at("beta");
    if (alpha + beta > 0) out["a"] = beta / (alpha + beta);
    if (!std::isnan(at_flops) && alpha > 0 && beta > 0) {
      const Allocation allocation = ComputeOptimal({p.at("E"), p.at("A"), p.at("B"), alpha, beta}, at_flops);
      out["N_opt"] = allocation.params;
      out["D_opt"] = allocation.tokens;
    }
    return out;
  }

  // The Epoch grid (Besiroglu et al. 2024, after Hoffmann et al. 2022 App. D.2): alpha, beta in
  // {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}; 4500 starts, ordered as
  // product(alpha, beta, e, a, b).
  std::vector<std::vector<double>> DefaultStarts() const override {
    std::vector<std::vector<double>> starts;
    starts.reserve(4500);
    for (int ia = 0; ia < 5; ++ia)
      for (int ib = 0; ib < 5; ++ib)
        for (int ie = 0; ie < 5; ++ie)
          for (int ja = 0; ja < 6; ++ja)
            for (int jb = 0; jb < 6; ++jb) starts.push_back({5.0 * ja, 5.0 * jb, -1.0 + 0.5 * ie, 0.5 * ia, 0.5 * ib});
    return starts;
  }

  // Chinchilla is linear in (E, A, B) once alpha and beta are fixed (the Open Athena note on Approach 2,
  // arXiv 2603.22339, recommends exactly this). For each (alpha, beta) on a 0.02-spaced grid over (0, 2],
  // minimise the relative squared error sum_i w_i ((E + A x_i + B y_i)/L_i - 1)^2, x = N^-alpha, y = D^-beta,
  // over E, A, B >= 0 (non-negative least squares by enumerating the supports: the optimum is the
  // unconstrained solution on its support, all positive). The relative error approximates the log residual
  // the objective uses, so the scan's minima are starts next to the objective's basins, which L-BFGS then
  // polishes. The moments are sums over runs, accumulated block by block: memory O(block x 100), not O(n x 100).
  std::vector<std::vector<double>> ProjectedStarts(const LogDesign& design, int count) const override {
    constexpr int kSteps = 100;
    constexpr double kStep = 0.02;
    const std::size_t n = design.size();
    // Relative errors need a positive loss: with a zero or negative one (a fit on the loss itself) the grid starts.
    if (!design.all_positive()) return {};
    // Per exponent value k, u_ki = N_i^-alpha_k / L_i and v_ki = D_i^-beta_k / L_i, with the moments
    // sum w u/L, sum w u^2 and sum w u per axis, and the cross moments sum_i w_i u_ki v_li of every pair (k, l):
    // (W U)^T V, one matrix product per block of runs.
    struct Axis {
      Eigen::ArrayXd g0 = Eigen::ArrayXd::Zero(kSteps), g_self = Eigen::ArrayXd::Zero(kSteps),
                     b = Eigen::ArrayXd::Zero(kSteps);
    };
    Axis params_axis, tokens_axis;
    Eigen::MatrixXd cross = Eigen::MatrixXd::Zero(kSteps, kSteps);
    const std::size_t rows = std::min(n, kEvaluationBlock);
    Eigen::MatrixXd weighted_u(rows, kSteps), v(rows, kSteps);
    double g00 = 0, b0 = 0, total_weight = 0;
    ForEachBlock(n, [&](std::size_t begin, std::size_t block) {
      for (std::size_t r = 0; r < block; ++r) {
        const std::size_t i = begin + r;
        const double inverse_loss = std::exp(-design.log_loss[i]), weight = design.weight(i);
        g00 += weight * inverse_loss * inverse_loss;
        b0 += weight * inverse_loss;
        total_weight += weight;
        for (int k = 0; k < kSteps; ++k) {
          const double exponent = kStep * (k + 1);
          const double u = std::exp(-exponent * design.log_params[i]) * inverse_loss;
          const double t = std::exp(-exponent * design.log_tokens[i]) * inverse_loss;
          params_axis.g0(k) += weight * u * inverse_loss;
          params_axis.g_self(k) += weight * u * u;
          params_axis.b(k) += weight * u;
          tokens_axis.g0(k) += weight * t * inverse_loss;
          tokens_axis.g_self(k) += weight * t * t;
          tokens_axis.b(k) += weight * t;
          weighted_u(r, k) = weight * u;
          v(r, k) = t;
        }
      }
      cross.noalias() += weighted_u.topRows(block).transpose() * v.topRows(block);
    });

    std::vector<ProjectedSolution> scan(kSteps * kSteps);  // coefficients E, A, B
    for (int ka = 0; ka < kSteps; ++ka) {
      for (int kb = 0; kb < kSteps; ++kb) {
        const double g12 = cross(ka, kb);
        Eigen::Matrix3d g;
        g << g00, params_axis.g0(ka), tokens_axis.g0(kb), params_axis.g0(ka), params_axis.g_self(ka), g12,
            tokens_axis.g0(kb), g12, tokens_axis.g_self(kb);
        const Eigen::Vector3d b(b0, params_axis.b(ka), tokens_axis.b(kb));
        scan[ka * kSteps + kb] = NonNegativeLeastSquares(g, b, total_weight);
      }
    }

    // Local minima of the scan (no lower neighbour among the eight), best first; then the other points.
    std::vector<int> order(scan.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<int>(k);
    auto is_minimum = [&](int k) {
      const int ka = k / kSteps, kb = k % kSteps;
      for (int da = -1; da <= 1; ++da)
        for (int db = -1; db <= 1; ++db) {
          const int a = ka + da, b = kb + db;
          if ((da == 0 && db == 0) || a < 0 || b < 0 || a >= kSteps || b >= kSteps) continue;
          if (scan[a * kSteps + b].rss < scan[k].rss) return false;
        }
      return std::isfinite(scan[k].rss);
    };
    std::stable_sort(order.begin(), order.end(), [&](int p, int q) {
      const bool mp = is_minimum(p), mq = is_minimum(q);
      if (mp != mq) return mp;
      return scan[p].rss < scan[q].rss;
    });
    // A coefficient the scan set to zero starts at a term worth 0.1% of the loss instead (log(0) is no start).
    const double floor_e = 1e-3 * total_weight / b0;
    std::vector<std::vector<double>> starts;
    for (int k : order) {
      if (static_cast<int>(starts.size()) >= count || !std::isfinite(scan[k].rss)) break;
      const int ka = k / kSteps, kb = k % kSteps;
      const double floor_a = 1e-3 * total_weight / std::max(params_axis.b(ka), 1e-300);
      const double floor_b = 1e-3 * total_weight / std::max(tokens_axis.b(kb), 1e-300);
      const ProjectedSolution& c = scan[k];
      starts.push_back({std::log(std::max(c.coefficient[1], floor_a)), std::log(std::max(c.coefficient[2], floor_b)),
                        std::log(std::max(c.coefficient[0], floor_e)), kStep * (ka + 1), kStep * (kb + 1)});
    }
    return starts;
  }

  // A power law with an offset, E + A/N^alpha, has three unknowns along N: it takes at least three distinct
  // model sizes to tell them apart, and likewise three distinct token counts for B/D^beta.
  std::string IdentifiabilityProblem(const LogDesign& design) const override {
    for (const auto& [column, name, term] :
         {std::tuple(&design.log_params, "N", "A/N^alpha"), std::tuple(&design.log_tokens, "D", "B/D^beta")}) {
      if (HasDistinct(*column, 3)) continue;
      const std::string distinct = HasDistinct(*column, 2) ? "2" : "1";
      return "the runs have " + distinct + " distinct " + name + "; separating " + term + " from E needs at least 3";
    }
    return SingleBudgetProblem(design);
  }
};

}  // namespace

const ModelForm& ChinchillaForm() {
  static const ChinchillaModelForm form;
  return form;
}

}  // namespace scalelaw::detail
