// Compute-scaling exponents of model size, data, steps and batch size, as ratio rules.
//
//   N_opt ∝ C^0.464,  D_opt ∝ C^0.536                   basic compute frontier (Chinchilla-style L(N, D) fit)
//   S_opt ∝ C^0.434,  B_opt ∝ C^0.102                   fixed compute, FLOPs-efficient regime (D = B·S)
//
// Shuai, Wang, Wu, Jiang, Ren (Huawei) 2024, "Scaling Law for Language Models Training Considering Batch Size",
// arXiv:2412.01505.
//
// Units: N parameters, D tokens, S optimizer steps, B tokens per step (D = B·S), C training FLOPs. Setting:
// GPT-style models of 125M to 2.6B parameters, up to 300B tokens, AdamW with LR and batch swept, Ascend/MindSpore.
// With the batch at its optimum, the paper reports LR_opt ∝ B^gamma with gamma in [0.75, 1] at fixed data.
// Confidence: exponents [V1] (from a structured summary; the full text was not retrieved). The loss-law constants
// (E, A, B, alpha, beta) and the prefactors of these power laws were not retrieved [U]: only the exponents ship,
// as ratios "multiply C by r → multiply X by r^exponent". They are consistent: 0.434 + 0.102 = 0.536 and
// 0.464 + 0.536 = 1.
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The reported exponents (Shuai et al. 2024, arXiv:2412.01505). [V1]
struct ShuaiBatchLaw {
  double params_exponent = 0.464;  // N_opt ∝ C^0.464
  double tokens_exponent = 0.536;  // D_opt ∝ C^0.536
  double steps_exponent = 0.434;   // S_opt ∝ C^0.434
  double batch_exponent = 0.102;   // B_opt ∝ C^0.102
};

namespace shuai_detail {
inline double Ratio(double flops_ratio, double exponent, std::string_view what) {
  RequirePositive(flops_ratio, "compute ratio C_new/C_ref");
  const double ratio = std::pow(flops_ratio, exponent);
  if (!(std::isfinite(ratio) && ratio > 0)) {
    throw InvalidArgument(std::string(what) + " came out as " + FormatNumber(ratio) +
                          ": check the law's exponents and the compute ratio");
  }
  return ratio;
}
}  // namespace shuai_detail

// N_opt(r C) / N_opt(C) = r^0.464 (Shuai et al. 2024, arXiv:2412.01505). Doubling C → ×1.379.
inline double OptimalParamsRatio(const ShuaiBatchLaw& law, double flops_ratio) {
  return shuai_detail::Ratio(flops_ratio, law.params_exponent, "the N_opt ratio");
}

// D_opt(r C) / D_opt(C) = r^0.536 (Shuai et al. 2024, arXiv:2412.01505). Doubling C → ×1.450.
inline double OptimalTokensRatio(const ShuaiBatchLaw& law, double flops_ratio) {
  return shuai_detail::Ratio(flops_ratio, law.tokens_exponent, "the D_opt ratio");
}

// S_opt(r C) / S_opt(C) = r^0.434 optimizer steps (Shuai et al. 2024, arXiv:2412.01505). Doubling C → ×1.351.
inline double OptimalStepsRatio(const ShuaiBatchLaw& law, double flops_ratio) {
  return shuai_detail::Ratio(flops_ratio, law.steps_exponent, "the S_opt ratio");
}

// B_opt(r C) / B_opt(C) = r^0.102, batch in tokens (Shuai et al. 2024, arXiv:2412.01505). Doubling C → ×1.073.
inline double OptimalBatchRatio(const ShuaiBatchLaw& law, double flops_ratio) {
  return shuai_detail::Ratio(flops_ratio, law.batch_exponent, "the B_opt ratio");
}

// GPT-style models of 125M to 2.6B parameters, up to 300B tokens.
inline constexpr ValidityRange kShuaiRange{1.25e8, 2.6e9, 0, 3e11};

inline const std::vector<LawInfo>& ShuaiLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const ShuaiBatchLaw law;
    std::vector<LawInfo> out;
    LawInfo info{"shuai-batch",
                 "shuai",
                 Quantity::kBatchSize,
                 "B_opt ∝ C^0.102, S_opt ∝ C^0.434 (N_opt ∝ C^0.464, D_opt ∝ C^0.536); ratio rules",
                 {"Shuai et al.", 2024, "Scaling Law for Language Models Training Considering Batch Size", "2412.01505",
                  "compute-frontier and fixed-compute batch/step fits"},
                 "parameters (kind not retrieved); the batch law does not depend on N",
                 "B: tokens per step, S: steps, D = B S tokens, C: training FLOPs; LR_opt ∝ B^gamma, gamma 0.75-1",
                 kShuaiRange,
                 "[V1] exponents from a structured summary; loss-law constants and all prefactors not retrieved "
                 "[U]: exponents only, as ratio rules",
                 {{"params_exponent", law.params_exponent},
                  {"tokens_exponent", law.tokens_exponent},
                  {"steps_exponent", law.steps_exponent},
                  {"batch_exponent", law.batch_exponent}}};
    info.inputs = {Input::kFlops, Input::kReferenceFlops};
    info.optional_inputs = {Input::kReferenceBatch, Input::kSeqLen};
    info.outputs = {"batch_ratio", "steps_ratio", "params_ratio", "tokens_ratio", "batch_tokens", "batch_sequences"};
    info.bind = [](const Constants& c) -> Evaluator {
      ShuaiBatchLaw bound;
      bound.params_exponent = ConstantValue(c, "params_exponent", "shuai-batch");
      bound.tokens_exponent = ConstantValue(c, "tokens_exponent", "shuai-batch");
      bound.steps_exponent = ConstantValue(c, "steps_exponent", "shuai-batch");
      bound.batch_exponent = ConstantValue(c, "batch_exponent", "shuai-batch");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double ratio = in.Need(Input::kFlops) / in.Need(Input::kReferenceFlops);
        const double batch_ratio = OptimalBatchRatio(bound, ratio);
        e.Set("batch_ratio", batch_ratio);
        e.Set("steps_ratio", OptimalStepsRatio(bound, ratio));
        e.Set("params_ratio", OptimalParamsRatio(bound, ratio));
        e.Set("tokens_ratio", OptimalTokensRatio(bound, ratio));
        if (in.Has(Input::kReferenceBatch)) {
          const double b = in.Get(Input::kReferenceBatch) * batch_ratio;
          e.Set("batch_tokens", b);
          e.Set("batch_sequences", b / in.Get(Input::kSeqLen));
        } else {
          e.Note("ratios only: give the batch tuned at the reference run for a batch size");
        }
      };
    };
    // Shuai et al. 2024 (arXiv:2412.01505): doubling the compute.
    info.example = {{{Input::kFlops, 2e21}, {Input::kReferenceFlops, 1e21}},
                    {},
                    {{"params_ratio", "1.379"}, {"tokens_ratio", "1.450"}, {"batch_ratio", "1.073"},
                     {"steps_ratio", "1.351"}},
                    "the factors for twice the compute"};
    out.push_back(std::move(info));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
