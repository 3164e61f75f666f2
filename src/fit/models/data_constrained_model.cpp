// Muennighoff et al. 2023 (arXiv 2305.16264), the data-constrained law as fitted in the authors' repository
// (huggingface/datablations, utils/parametric_fit.ipynb):
//   U_D = min(U, D) unique tokens seen,  R_D = D/U_D - 1 repetitions,  D' = U_D + U_D R_D* (1 - e^(-R_D/R_D*))
//   U_N = min(N, N_opt(U_D)),  R_N = N/U_N - 1 excess parameters,    N' = U_N + U_N R_N* (1 - e^(-R_N/R_N*))
//   L = E + A/N'^alpha + B/D'^beta,  N_opt(U) = G (U G)^(beta/alpha),  G = (alpha A/(beta B))^(1/(alpha+beta))
// fitted in log-sum-exp form like Chinchilla, with R_D* and R_N* on a log scale.
#include <algorithm>
#include <cmath>
#include <string>

#include "fit/jet_model_form.h"
#include "fit/models/registered_forms.h"

namespace scalelaw::detail {
namespace {

class DataConstrainedModelForm final : public JetModelForm<DataConstrainedModelForm, 7> {
 public:
  std::string_view name() const override { return "data-constrained"; }
  std::string_view formula() const override { return "L = E + A/N'^alpha + B/D'^beta (N', D' effective)"; }
  std::string_view description() const override {
    return "Muennighoff et al. 2023 (arXiv 2305.16264), repeated data and excess parameters decay with R_D*, R_N*; "
           "needs the unique tokens U of every run";
  }
  std::vector<Parameter> parameters() const override {
    return {{"a", "A", true},        {"b", "B", true},         {"e", "E", true},        {"alpha", "alpha", false},
            {"beta", "beta", false}, {"log_R_D", "R_D", true}, {"log_R_N", "R_N", true}};
  }
  std::vector<std::string> natural_names() const override { return {"E", "A", "B", "alpha", "beta", "R_D", "R_N"}; }
  bool needs_unique_tokens() const override { return true; }

  template <typename T>
  T LogLoss(const T* p, const LogDesign& design, std::size_t i) const {
    using std::exp;
    using std::log;
    const T& a = p[0];
    const T& b = p[1];
    const T& e = p[2];
    const T& alpha = p[3];
    const T& beta = p[4];
    const T r_d_star = exp(p[5]);
    const T r_n_star = exp(p[6]);
    const double n = std::exp(design.log_params[i]);
    const double d = std::exp(design.log_tokens[i]);
    const double unique_data = std::min(design.unique_tokens[i], d);
    const double repetitions = d / unique_data - 1;
    const T effective_data = unique_data + unique_data * r_d_star * (1.0 - exp(-repetitions / r_d_star));
    // log G = (log alpha + a - log beta - b) / (alpha + beta); log N_opt(U) = log G + (beta/alpha)(log U + log G).
    const T log_g = (log(alpha) + a - log(beta) - b) / (alpha + beta);
    const T log_n_opt = log_g + (beta / alpha) * (std::log(unique_data) + log_g);
    const T log_unique_params = Min(T(design.log_params[i]), log_n_opt);
    const T unique_params = exp(log_unique_params);
    const T excess = Max(T(n / unique_params - 1.0), T(0.0));
    const T effective_params = unique_params + unique_params * r_n_star * (1.0 - exp(-excess / r_n_star));
    return LogSumExp(T(a - alpha * log(effective_params)), T(b - beta * log(effective_data)), e);
  }

  // Exponents and coefficients around the C4 fit (A 520.8, B 1487.7, E 1.869, alpha = beta = 0.353) and the
  // repository's grid for R_D*, R_N* over [0, 20].
  std::vector<std::vector<double>> DefaultStarts() const override {
    std::vector<std::vector<double>> starts;
    for (double alpha : {0.25, 0.35, 0.5})
      for (double beta : {0.25, 0.35, 0.5})
        for (double e : {0.0, 0.6})
          for (double a : {5.0, 7.0})
            for (double b : {6.0, 8.0})
              for (double r_d : {1.0, 5.0, 15.0})
                for (double r_n : {1.0, 5.0, 15.0})
                  starts.push_back({a, b, e, alpha, beta, std::log(r_d), std::log(r_n)});
    return starts;
  }

  std::string IdentifiabilityProblem(const LogDesign& design) const override {
    bool repeats = false;
    for (std::size_t i = 0; i < design.size(); ++i)
      repeats |= std::exp(design.log_tokens[i]) > design.unique_tokens[i] * 1.000001;
    if (!repeats) return "no run sees its data more than once (D > U): R_D* cannot be identified";
    return SingleBudgetProblem(design);
  }
};

}  // namespace

const ModelForm& DataConstrainedForm() {
  static const DataConstrainedModelForm form;
  return form;
}

}  // namespace scalelaw::detail
