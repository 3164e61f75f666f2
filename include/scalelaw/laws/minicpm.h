// MiniCPM: Hu et al. 2024, "MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training
// Strategies", arXiv:2404.06395.
//
//   bs(L) = 1.21e9 / L^6.24 tokens          optimal batch to reach C4 loss L ("Optimal Batch Size", model
//                                           wind-tunnel experiments)
//   D_opt / N_opt ≈ 192                     compute-optimal tokens per parameter ("Measuring the Scaling Law
//                                           with WSD LRS"), versus ~20 for Chinchilla
#pragma once

#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// bs = coefficient / L^exponent (Hu et al. 2024, arXiv:2404.06395, optimal-batch-size experiments). [V2]
struct MiniCpmBatchLaw {
  double coefficient = 1.21e9;  // tokens
  double exponent = 6.24;
};

// The batch in TOKENS that reaches C4 loss L (nats/token, MiniCPM tokenizer) in the fewest tokens
// (Hu et al. 2024, arXiv:2404.06395). Fitted on 0.009B, 0.03B and 0.17B models with 6 batch sizes each,
// global LR 0.01 and a cosine schedule; the law depends on the target loss only, not on N. At L = 2.5 it gives
// 3.98e6 tokens, about MiniCPM-2.4B's 4M-token batch.
inline double OptimalBatchTokens(const MiniCpmBatchLaw& law, double loss) {
  RequirePositive(loss, "L (C4 loss, nats/token)");
  return law.coefficient / std::pow(loss, law.exponent);
}

// Compute-optimal D/N ≈ 192 tokens per parameter, MiniCPM's average over its fits (Hu et al. 2024,
// arXiv:2404.06395, "Measuring the Scaling Law with WSD LRS"; [V2]). N is non-embedding
// parameters as in the paper's model sizes (an assumption: which N the fit used was not retrieved).
//
// The paper's full rule N_opt/D_opt = K^2 (C/6)^eta with K^2 = 0.01, eta = -0.10 is NOT shipped: its compute
// unit is not stated [U]. With C in raw FLOPs K^2 = 0.01 gives D/N ≈ 1.05e4 at 1e21 FLOPs,
// which contradicts the 192 headline; with C in units of 1e18 FLOPs it gives ≈167 at 1e21 and ≈192 at ~4e21
// FLOPs, so the constant was probably fitted in EFLOPs. eta is also printed as -0.10 while the printed
// alpha = 0.29, beta = 0.23 give (beta - alpha)/(alpha + beta) = -0.115. Use the 192 figure unless you re-fit.
inline constexpr double kMiniCpmTokensPerParameter = 192;

// The batch law with constants by name (the registry's, a user's or a fit's: bs = coefficient / L^exponent).
inline MiniCpmBatchLaw MiniCpmBatchLawFromConstants(const Constants& c, std::string_view law_name) {
  MiniCpmBatchLaw law;
  law.coefficient = ConstantOr(c, "coefficient", law.coefficient, law_name);
  law.exponent = ConstantOr(c, "exponent", law.exponent, law_name);
  return law;
}

// The registry record of the batch law.
inline const std::vector<LawInfo>& MiniCpmLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const MiniCpmBatchLaw law;
    LawInfo batch{"minicpm-batch",
                  "minicpm",
                  Quantity::kBatchSize,
                  "bs(L) = 1.21e9 / L^6.24 tokens",
                  {"Hu et al.", 2024,
                   "MiniCPM: Unveiling the Potential of Small Language Models with Scalable Training Strategies",
                   "2404.06395", "optimal batch size (model wind-tunnel experiments)"},
                  "not an input: the batch depends on the target loss only (fitted on 0.009B, 0.03B and 0.17B models)",
                  "bs in tokens; L = C4 loss in nats/token (MiniCPM tokenizer); optimum = fewest tokens to reach L; "
                  "fitted with global LR 0.01 (muP) and a cosine schedule",
                  ValidityRange{9e6, 1.7e8, 0, 0},
                  "[V2] paper text + 3 write-ups; extrapolated beyond 0.17B models (MiniCPM-2.4B used ~4M tokens, "
                  "consistent); D/N = 192 is a separate constant, the K^2 rule is [U] and not shipped",
                  {{"coefficient", law.coefficient}, {"exponent", law.exponent}}};
    batch.inputs = {Input::kLoss};
    batch.optional_inputs = {Input::kSeqLen};
    batch.outputs = {"batch_tokens", "batch_sequences"};
    batch.bind = [](const Constants& c) -> Evaluator {
      const MiniCpmBatchLaw bound = MiniCpmBatchLawFromConstants(c, "minicpm-batch");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        if (!in.Has(Input::kLoss)) {
          throw NotApplicable("needs {0} (C4 loss in nats the batch should reach)", {Input::kLoss});
        }
        const double b = OptimalBatchTokens(bound, in.Get(Input::kLoss));
        e.Set("batch_tokens", b);
        e.Set("batch_sequences", b / in.Get(Input::kSeqLen));
      };
    };
    batch.example = {{{Input::kLoss, 2.5}},
                     {},
                     {{"batch_tokens", "3.9778e6"}, {"batch_sequences", "1942.3"}},
                     "Hu et al. 2024 (arXiv:2404.06395), bs = 1.21e9 / L^6.24 of the optimal-batch-size experiments "
                     "at C4 loss 2.5; sequences of 2048 tokens"};
    std::vector<LawInfo> out;
    out.push_back(std::move(batch));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
