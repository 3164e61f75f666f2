// The Chinchilla loss in the log-sum-exp parametrisation of Hoffmann et al. 2022 (App. D.2, Eq. 11):
//
//   log L_hat = LSE(a - alpha log N, b - beta log D, e),   A = e^a, B = e^b, E = e^e.
//
// With softmax weights w_k = exp(u_k - LSE(u)) of the three terms u = (a - alpha log N, b - beta log D, e),
// the gradient is d log L_hat / d(a, b, e, alpha, beta) = (w_1, w_2, w_3, -w_1 log N, -w_2 log D).
// Working in logs keeps every start of the 4500-point grid finite (no N^alpha overflows).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "fit/models/registered_forms.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw::detail {
namespace {

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

  void LogPredict(const double* x, const LogDesign& design, double* log_prediction, double* jacobian) const override {
    const double a = x[0], b = x[1], e = x[2], alpha = x[3], beta = x[4];
    const std::size_t n = design.size();
    for (std::size_t i = 0; i < n; ++i) {
      const double u1 = a - alpha * design.log_params[i];
      const double u2 = b - beta * design.log_tokens[i];
      const double m = std::max(std::max(u1, u2), e);
      const double w1 = std::exp(u1 - m), w2 = std::exp(u2 - m), w3 = std::exp(e - m);
      const double total = w1 + w2 + w3;
      log_prediction[i] = m + std::log(total);
      if (jacobian != nullptr) {
        double* row = jacobian + 5 * i;
        row[0] = w1 / total;
        row[1] = w2 / total;
        row[2] = w3 / total;
        row[3] = -row[0] * design.log_params[i];
        row[4] = -row[1] * design.log_tokens[i];
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

  // A power law with an offset, E + A/N^alpha, has three unknowns along N: it takes at least three distinct
  // model sizes to tell them apart, and likewise three distinct token counts for B/D^beta.
  std::string IdentifiabilityProblem(const LogDesign& design) const override {
    const std::set<double> sizes(design.log_params.begin(), design.log_params.end());
    const std::set<double> token_counts(design.log_tokens.begin(), design.log_tokens.end());
    if (sizes.size() < 3) {
      return "the runs have " + std::to_string(sizes.size()) +
             " distinct N; separating A/N^alpha from E needs at least 3";
    }
    if (token_counts.size() < 3) {
      return "the runs have " + std::to_string(token_counts.size()) +
             " distinct D; separating B/D^beta from E needs at least 3";
    }
    return {};
  }
};

}  // namespace

const ModelForm& ChinchillaForm() {
  static const ChinchillaModelForm form;
  return form;
}

}  // namespace scalelaw::detail
