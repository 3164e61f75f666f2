// Lin et al. 2024, "Selecting Large Language Model to Fine-tune via Rectified Scaling Law", ICML 2024,
// arXiv:2402.02314.
//
//   vanilla:    L(D) = (B / D^beta + E)^alpha
//   rectified:  L(D) = (B / (D_l + D^beta) + E)^alpha
//
// D = fine-tuning dataset size (examples); D_l = "pre-learned data size", the fine-tuning data the pre-trained
// model already embodies (it produces the "pre-power phase" at small D); B, E, alpha, beta are fitted per
// (model, task). Form from the project page (rectified-scaling-law.github.io) [V1], including the outer
// exponent alpha (alpha = 1 gives L = B/(D_l + D^beta) + E). There are NO universal constants: the paper fits
// the law per candidate model on small subsets and extrapolates ("Accept then Stop" model selection).
#pragma once

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// Fitted per (model, task); pre_learned_data = 0 gives the vanilla law.
struct RectifiedLaw {
  double B = 0;
  double E = 0;
  double alpha = 1;
  double beta = 0;
  double pre_learned_data = 0;  // D_l, in the units of data_size (examples)
};

// L(D) = (B / (D_l + D^beta) + E)^alpha (Lin et al. 2024, arXiv:2402.02314, rectified scaling law), D =
// data_size fine-tuning examples. Throws InvalidArgument when D_l + D^beta <= 0 or the base is not > 0.
inline double Loss(const RectifiedLaw& law, double data_size) {
  RequirePositive(data_size, "D (fine-tuning data size)");
  const double denominator = law.pre_learned_data + std::pow(data_size, law.beta);
  if (!(denominator > 0)) {
    throw InvalidArgument("rectified law: D_l + D^beta must be > 0 (got " + FormatNumber(denominator) + ")");
  }
  const double base = law.B / denominator + law.E;
  if (!(base > 0 && std::isfinite(base))) {
    throw InvalidArgument("rectified law: B/(D_l + D^beta) + E must be > 0 (got " + FormatNumber(base) + ")");
  }
  const double loss = std::pow(base, law.alpha);
  if (!std::isfinite(loss))
    throw InvalidArgument("rectified law: the loss overflows (alpha " + FormatNumber(law.alpha) + ")");
  return loss;
}

// The registry record (Quantity::kLoss): a form without published constants; a caller (or a fit) gives them.
inline const std::vector<LawInfo>& RectifiedLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const double none = std::numeric_limits<double>::quiet_NaN();
    LawInfo info{"rectified-finetune",
                 "rectified",
                 Quantity::kLoss,
                 "L(D) = (B / (D_l + D^beta) + E)^alpha (vanilla: D_l = 0)",
                 {"Lin et al.", 2024, "Selecting Large Language Model to Fine-tune via Rectified Scaling Law",
                  "2402.02314", "ICML 2024; form from the project page rectified-scaling-law.github.io"},
                 "not a parameter-count law: D is the fine-tuning data size; D_l the pre-learned data size of the model",
                 "D fine-tuning examples; L fine-tuning loss of the task",
                 ValidityRange{},
                 "[V1] form (with outer exponent alpha); NO published universal constants: B, E, alpha, beta, D_l are "
                 "fitted per (model, task)",
                 {{"B", none}, {"E", none}, {"alpha", none}, {"beta", none}, {"D_l", 0}}};
    info.inputs = {Input::kFinetuneExamples};
    info.outputs = {"loss"};
    info.bind = [](const Constants& c) -> Evaluator {
      const RectifiedLaw law{ConstantValue(c, "B", "rectified-finetune"), ConstantValue(c, "E", "rectified-finetune"),
                             ConstantValue(c, "alpha", "rectified-finetune"),
                             ConstantValue(c, "beta", "rectified-finetune"),
                             ConstantValue(c, "D_l", "rectified-finetune")};
      return [law](const PredictionInputs& in, Evaluation& e) {
        e.Set("loss", Loss(law, in.Need(Input::kFinetuneExamples)));
      };
    };
    // Lin et al. 2024 (arXiv:2402.02314): B 10, E 0.5, alpha 1, beta 0.5, D_l 100 at D = 10,000 examples.
    info.example = {{{Input::kFinetuneExamples, 10000}},
                    {{"B", 10}, {"E", 0.5}, {"alpha", 1}, {"beta", 0.5}, {"D_l", 100}},
                    {{"loss", "0.55"}},
                    "illustrative constants: 10/(100 + 100) + 0.5"};
    return std::vector<LawInfo>{std::move(info)};
  }();
  return infos;
}
}  // namespace scalelaw
