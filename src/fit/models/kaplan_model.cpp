// Kaplan et al. 2020 (arXiv 2001.08361), Eq. 1.5: L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D, with N
// non-embedding parameters. In logs, log L = alpha_D · LSE((alpha_N/alpha_D)(log N_c - log N), log D_c - log D).
#include <string>

#include "fit/jet_model_form.h"
#include "fit/models/registered_forms.h"

namespace scalelaw::detail {
namespace {

class KaplanModelForm final : public JetModelForm<KaplanModelForm, 4> {
 public:
  std::string_view name() const override { return "kaplan"; }
  std::string_view formula() const override { return "L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D"; }
  std::string_view description() const override {
    return "Kaplan et al. 2020 (arXiv 2001.08361, Eq. 1.5), N non-embedding parameters";
  }
  std::vector<Parameter> parameters() const override {
    return {{"log_N_c", "N_c", true},
            {"log_D_c", "D_c", true},
            {"alpha_N", "alpha_N", false},
            {"alpha_D", "alpha_D", false}};
  }

  template <typename T>
  T LogLoss(const T* p, const LogDesign& design, std::size_t i) const {
    const T& log_nc = p[0];
    const T& log_dc = p[1];
    const T& alpha_n = p[2];
    const T& alpha_d = p[3];
    return alpha_d *
           LogSumExp(T((alpha_n / alpha_d) * (log_nc - design.log_params[i])), T(log_dc - design.log_tokens[i]));
  }

  // Around Kaplan's Table 2 values (N_c 6.4e13, D_c 1.8e13, alpha_N 0.076, alpha_D 0.103), several decades wide.
  std::vector<std::vector<double>> DefaultStarts() const override {
    std::vector<std::vector<double>> starts;
    for (double log_nc : {20.0, 25.0, 30.0, 35.0})
      for (double log_dc : {20.0, 25.0, 30.0, 35.0})
        for (double alpha_n : {0.05, 0.1, 0.2, 0.4})
          for (double alpha_d : {0.05, 0.1, 0.2, 0.4}) starts.push_back({log_nc, log_dc, alpha_n, alpha_d});
    return starts;
  }

  std::string IdentifiabilityProblem(const LogDesign& design) const override {
    if (!HasDistinct(design.log_params, 2)) return "every run has the same N: alpha_N and N_c cannot be separated";
    if (!HasDistinct(design.log_tokens, 2)) return "every run has the same D: alpha_D and D_c cannot be separated";
    return SingleBudgetProblem(design);
  }
};

}  // namespace

const ModelForm& KaplanForm() {
  static const KaplanModelForm form;
  return form;
}

}  // namespace scalelaw::detail
