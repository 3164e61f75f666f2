// Llama 3 (Llama Team, Meta 2024, "The Llama 3 Herd of Models", arXiv:2407.21783).
//
//   D*(C) = A C^alpha          compute-optimal number of TRAINING TOKENS at C training FLOPs      Sec. 3.2.1
//
// The paper prints (alpha, A) = (0.53, 0.29); notes of the same fit give (0.537, 0.299) [V2]. The printed
// rounding is lossy: at Meta's 3.8e25 FLOPs the rounded pair gives 1.046e13 tokens, the unrounded pair
// 1.629e13 (Meta trained the flagship on 16.55T tokens), so the unrounded pair is the default; expect ±2%.
// Fitted on IsoFLOP runs of 6e18 to 1e22 FLOPs with 40M to 16B parameters. Meta's parameter count at a budget
// (402B at 3.8e25) uses their own FLOP formula [U]; OptimalParams here uses C = 6 N D (388.7B at 3.8e25).
#pragma once

#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

struct Llama3TokensLaw {
  double coefficient = 0.299;  // A
  double exponent = 0.537;     // alpha
};

// The pair as the paper prints it, (A, alpha) = (0.29, 0.53): lossy (−36% tokens at 3.8e25 FLOPs).
inline constexpr Llama3TokensLaw kLlama3TokensLawRounded{0.29, 0.53};

// D*(C) = A C^alpha: the compute-optimal number of training tokens at `flops` training FLOPs (Llama 3,
// arXiv:2407.21783, Sec. 3.2.1). E.g. 3.8e25 → 1.6294e13 tokens (unrounded pair).
inline double OptimalTokens(const Llama3TokensLaw& law, double flops) {
  RequirePositive(flops, "C (FLOPs)");
  return law.coefficient * std::pow(flops, law.exponent);
}

// N = C / (6 D*(C)): the parameters that spend `flops` on D*(C) tokens with C = 6 N D (not Meta's own FLOP
// count, which gives 402B at 3.8e25 where this gives 3.887e11).
inline double OptimalParams(const Llama3TokensLaw& law, double flops) {
  return flops / (6 * OptimalTokens(law, flops));
}

// The tokens law with constants by name (the registry's, a user's or a fit's: D* = A C^alpha).
inline Llama3TokensLaw Llama3TokensLawFromConstants(const Constants& c, std::string_view law_name) {
  Llama3TokensLaw law;
  law.coefficient = ConstantOr(c, "A", law.coefficient, law_name);
  law.exponent = ConstantOr(c, "alpha", law.exponent, law_name);
  return law;
}

// The registry record (Quantity::kAllocation).
inline const std::vector<LawInfo>& Llama3LawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const Llama3TokensLaw law;
    LawInfo tokens{"llama3-tokens",
                   "llama3",
                   Quantity::kAllocation,
                   "D*(C) = 0.299 C^0.537 (printed: 0.29 C^0.53); N = C/(6 D*)",
                   {"Llama Team, Meta", 2024, "The Llama 3 Herd of Models", "2407.21783", "Sec. 3.2.1"},
                   "total parameters, N = C/(6 D) (Meta's own FLOP count gives 402B at 3.8e25)",
                   "D training tokens (Llama 3 tokenizer, 128K vocabulary); C training FLOPs",
                   ValidityRange{4e7, 1.6e10, 0, 0},
                   "[V2] (0.53, 0.29) printed and (0.537, 0.299) in notes; ships the unrounded pair (expect +-2%: "
                   "16.29T vs the 16.55T trained at 3.8e25); fitted on IsoFLOPs of 6e18-1e22 FLOPs; Meta's FLOP "
                   "formula [U]",
                   {{"A", law.coefficient}, {"alpha", law.exponent}}};
    tokens.inputs = {Input::kFlops};
    tokens.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
    tokens.params_kind = ParamsDefinition::kTotal;
    tokens.flop_convention = "6n";  // N = C / (6 D)
    tokens.outputs = {"params", "tokens", "flops", "tokens_per_param"};
    tokens.bind = [](const Constants& c) -> Evaluator {
      const Llama3TokensLaw bound = Llama3TokensLawFromConstants(c, "llama3-tokens");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        // The law allocates a compute budget: it has no loss to aim at and ignores inference.
        RequireBudgetOnly(in);
        const double flops = in.Need(Input::kFlops);
        const double d = OptimalTokens(bound, flops);
        const double n = flops / (6 * d);
        e.SetSplit(n, d, flops);
        if (e.detailed) e.Note("the law gives D; N = C/(6D)");
      };
    };
    tokens.example = {
        {{Input::kFlops, 3.8e25}},
        {},
        {{"params", "3.887e11"}, {"tokens", "1.6294e13"}, {"flops", "3.8e25"}, {"tokens_per_param", "41.92"}},
        "Llama Team 2024 (arXiv:2407.21783), Sec. 3.2.1: D* = A C^alpha with the unrounded (0.299, "
        "0.537) at the flagship's 3.8e25 FLOPs (the paper trained it on 16.55T tokens)"};
    std::vector<LawInfo> out;
    out.push_back(std::move(tokens));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
