// The compute-optimal allocations of the Chinchilla presets as registry records: for each constant set of
// chinchilla.h, the split of a budget C = 6ND (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 4), of the budget that
// reaches a target loss, and the inference-aware and dollar variants of Sardana et al. 2024 (arXiv:2401.00448),
// all through AllocateChinchillaForm (inference_aware.h). A Chinchilla fit answers allocations through the same
// record with its fitted constants.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/inference_aware.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

inline const std::vector<LawInfo>& ChinchillaAllocationLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    // Hoffmann et al. 2022 (arXiv:2203.15556) Eq. 4 at C = 1e21 with the printed constants; the unrounded ones and
    // Besiroglu et al. 2024 (arXiv:2404.10102) Table 1's at C = 5.76e23, the Chinchilla budget.
    struct Example {
      double flops;
      const char *params, *tokens;
    };
    const Example examples[] = {
        {1e21, "1.824e9", "9.136e10"}, {5.76e23, "4.036e10", "2.379e12"}, {5.76e23, "7.225e10", "1.329e12"}};
    std::vector<LawInfo> out;
    int index = 0;
    for (const LawInfo& loss : ChinchillaLawInfos()) {
      LawInfo info = loss;
      info.name = loss.name + "-allocation";
      info.quantity = Quantity::kAllocation;
      info.inputs = {};
      info.optional_inputs = {Input::kFlops,       Input::kLifetimeFlops, Input::kTargetLoss,
                              Input::kInferenceTokens, Input::kGpuFlops,  Input::kTrainMfu,
                              Input::kInferenceMfu,    Input::kGpuHourPrice, Input::kUniqueTokens};
      info.outputs = ChinchillaAllocationOutputs();
      info.flop_convention = "6n";  // C = 6ND (Hoffmann et al. 2022, Section 3.2)
      const std::string name = info.name;
      info.bind = [name](const Constants& c) -> Evaluator {
        const ChinchillaLaw law = ChinchillaLawFromConstants(c, name);
        return [law](const PredictionInputs& in, Evaluation& e) {
          if (!in.Has(Input::kFlops) && !in.Has(Input::kTargetLoss) && !in.Has(Input::kLifetimeFlops)) {
            throw NotApplicable("needs {0} or {1}", {Input::kFlops, Input::kTargetLoss});
          }
          AllocateChinchillaForm(law, in, e);
        };
      };
      const Example& example = examples[index++];
      info.example = {{{Input::kFlops, example.flops}},
                      {},
                      {{"params", example.params}, {"tokens", example.tokens}},
                      "N_opt and D_opt (Eq. 4) with the preset's constants"};
      out.push_back(std::move(info));
    }
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
