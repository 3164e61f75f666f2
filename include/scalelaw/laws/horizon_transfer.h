// Transferring a tuned learning rate across token horizons.
//
//   LR*(D_l) = LR*(D_s) · (D_l / D_s)^(−beta),   beta = 0.32 (rule-of-thumb exponent across model sizes)
//
// Bjorck, Benhaim, Chaudhary, Wei, Song 2025 (ICLR 2025), "Scaling Optimal LR Across Token Horizons",
// arXiv:2409.19913. The paper fits LR*(D) = B·D^(−beta) per model size (beta varies with size, Table 5) and
// proposes the single exponent 0.32 as a rule of thumb. [V2: two ICLR reviewers quote 0.32 / "≈ 1/3"]
//
// Units: LR is the peak AdamW learning rate of whatever schedule the short run was tuned with (the rule only
// scales it); D is training tokens, in any unit as long as both horizons use the same one. Model size and
// everything else must stay fixed: the rule transfers across tokens, not across width (µP transfers across
// width, and the horizon dependence persists under µP). Setting: GPT-3-style Megatron models of ~50M to 2.7B
// parameters, horizons up to ~800B tokens [V1]; LR* is the vertex of a quadratic fit of loss vs ln(LR).
//
// NOT shipped [U]: the joint law LR*(N, D) = C · N^(−alpha) · D^(−beta) with C = 1.3192e-5, alpha = 0.23, as
// listed in the Step Law paper's comparison table ("Microsoft law"). With N and D in raw units it gives absurd
// learning rates (N = 7e9, D = 1e12 → 1.04e-11), and a plausible 3e-4 at N = 6.7e9, D = 1e12 would need
// C ≈ 378: the units or normalisation of the published C are unknown, so only the exponent and this ratio rule
// are usable. (Its sign is also opposite to the Step Law's D exponent, whose schedule differs.)
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// Rule-of-thumb horizon exponent beta (Bjorck et al. 2025, arXiv:2409.19913). [V2]
inline constexpr double kBjorckHorizonExponent = 0.32;

// LR*(D_l) / LR*(D_s) = (D_l/D_s)^(−exponent) for a horizon ratio D_l/D_s (Bjorck et al. 2025,
// arXiv:2409.19913): ×2 tokens → ×0.8011, ×10 → ×0.4786.
inline double HorizonLearningRateRatio(double tokens_ratio, double exponent = kBjorckHorizonExponent) {
  RequirePositive(tokens_ratio, "horizon ratio D_to/D_from");
  if (!std::isfinite(exponent)) {
    throw InvalidArgument("the horizon exponent must be a finite number (got " + FormatNumber(exponent) + ")");
  }
  const double ratio = std::pow(tokens_ratio, -exponent);
  if (!(std::isfinite(ratio) && ratio > 0)) {
    throw InvalidArgument("the learning-rate ratio (" + FormatNumber(tokens_ratio) + ")^-" + FormatNumber(exponent) +
                          " is out of double range");
  }
  return ratio;
}

// LR*(D_to) = lr · (D_to/D_from)^(−exponent): the LR tuned at a horizon of from_tokens, moved to to_tokens for
// the same model (Bjorck et al. 2025, arXiv:2409.19913). lr: peak LR; tokens: training tokens.
inline double TransferLearningRate(double lr, double from_tokens, double to_tokens,
                                   double exponent = kBjorckHorizonExponent) {
  RequirePositive(lr, "learning rate");
  RequirePositive(from_tokens, "D_from (tokens the LR was tuned at)");
  RequirePositive(to_tokens, "D_to (tokens)");
  const double result = lr * HorizonLearningRateRatio(to_tokens / from_tokens, exponent);
  if (!(std::isfinite(result) && result > 0)) {
    throw InvalidArgument("the transferred learning rate came out as " + FormatNumber(result));
  }
  return result;
}

// GPT-3-style models of ~50M to 2.7B parameters, horizons up to ~800B tokens [V1].
inline constexpr ValidityRange kBjorckRange{5e7, 2.7e9, 0, 8e11};

// The ratio rule as a registry record: the LR tuned at reference_tokens (the short horizon D_s) moved to tokens
// (the horizon D_l), with beta read by name from the constants (the registry's, a user's or a fit's).
inline const std::vector<LawInfo>& HorizonTransferLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    LawInfo transfer{
        "bjorck-transfer",
        "bjorck",
        Quantity::kLearningRate,
        "LR*(D_l) = LR*(D_s) (D_l/D_s)^-0.32 (ratio rule, same model)",
        {"Bjorck et al.", 2025, "Scaling Optimal LR Across Token Horizons", "2409.19913",
         "rule-of-thumb exponent beta = 0.32 (per-size fits in Table 5)"},
        "N fixed (the rule transfers across tokens only; model size plays no part)",
        "inputs: lr, the peak AdamW LR tuned at reference_tokens (the horizon D_s), and tokens, the new horizon D_l "
        "(training tokens, same unit at both horizons); output: lr at D_l, for the schedule the LR was tuned with",
        kBjorckRange,
        "[V2] exponent 0.32 (per-size exponents vary). Ratio rule only: the joint law's prefactor C = 1.3192e-5 "
        "[U] gives 1.04e-11 at N 7e9, D 1e12 in raw units (a plausible LR needs C ~ 378), so it is not shipped",
        {{"beta", kBjorckHorizonExponent}}};
    transfer.inputs = {Input::kLearningRate, Input::kReferenceTokens, Input::kTokens};
    transfer.optional_inputs = {Input::kParams};
    transfer.outputs = {"lr"};
    transfer.bind = [](const Constants& c) -> Evaluator {
      const double beta = ConstantValue(c, "beta", "bjorck-transfer");
      return [beta](const PredictionInputs& in, Evaluation& e) {
        const double lr = in.Need(Input::kLearningRate);
        const double from = in.Need(Input::kReferenceTokens), to = in.Need(Input::kTokens);
        e.Set("lr", TransferLearningRate(lr, from, to, beta));
        // N only places the model in the fitted range; both horizons are checked against it.
        e.CheckRange(in.Get(Input::kParams), to);
        e.CheckRange(PredictionInputs::kUnset, from);
      };
    };
    transfer.example = {{{Input::kLearningRate, 1e-3}, {Input::kReferenceTokens, 1e10}, {Input::kTokens, 1e11}},
                        {},
                        {{"lr", "4.786e-4"}},
                        "Bjorck et al. 2025 (arXiv:2409.19913), the ratio rule with beta = 0.32: LR* 1e-3 tuned at "
                        "1e10 tokens moved to 1e11 (x10 horizon, ratio 0.4786)"};
    std::vector<LawInfo> out;
    out.push_back(std::move(transfer));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
