// DeepSeek LLM hyperparameter and allocation laws, in compute C = M·D.
//
//   M       = 72 n_layer d_model^2 + 12 n_layer d_model l_seq     non-embedding FLOPs per token (attention incl.)
//   C       = M · D
//   eta_opt = 0.3118 · C^(−0.1250)
//   B_opt   = 0.2920 · C^(0.3271)                                  (B in TOKENS)
//   M_opt   = 0.1715 · C^0.5243,  D_opt = 5.8316 · C^0.4757        (M_opt · D_opt = 1.0001 C)
//
// Bi et al. (DeepSeek-AI) 2024, "DeepSeek LLM: Scaling Open-Source Language Models with Longtermism",
// arXiv:2401.02954, Sec. 3.1 (Eq. 1, hyperparameters) and Sec. 3.2 (M, IsoFLOP allocation).
//
// Units:
// - There is no N here: model scale is M, NON-EMBEDDING FLOPs per token including the attention term (for
//   comparison 6 N1 = 72 n_layer d^2 with N1 the non-embedding parameters). C is in FLOPs, D in tokens.
// - eta is the PEAK learning rate of DeepSeek's multi-step schedule (warmup, then ×0.316 of peak after 80% of
//   the tokens and ×0.1 after 90%); AdamW (beta1 0.9, beta2 0.95, weight decay 0.1; not re-verified). B is tokens per
//   step.
// - The hyperparameter laws were fitted on near-optimal runs (within 0.25% of the best generalisation error) at
//   budgets ~1e17 to 2e19 FLOPs [V1]; the allocation on IsoFLOP profiles at 8 budgets 1e17 to 3e20. They
//   reproduce the deployed 7B and 67B learning rates within 3%, far outside that range. [V2] constants (one
//   comparison table prints 0.3188: a typo).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The published constants (Bi et al. 2024, arXiv:2401.02954, Eq. 1 and Sec. 3.2). [V2]
struct DeepSeekLaw {
  double lr_coefficient = 0.3118;
  double lr_flops_exponent = -0.1250;
  double batch_coefficient = 0.2920;  // tokens
  double batch_flops_exponent = 0.3271;
  double flops_per_token_coefficient = 0.1715;  // M_opt, non-embedding FLOPs/token
  double flops_per_token_exponent = 0.5243;
  double tokens_coefficient = 5.8316;  // D_opt, tokens
  double tokens_exponent = 0.4757;
};

// Sequence length of the DeepSeek LLM 7B and 67B models (tokens per sequence).
inline constexpr double kDeepSeekSequenceLength = 4096;

// The compute ranges the laws were fitted on (Bi et al. 2024, Sec. 3.1 and 3.2): hyperparameters [V1], allocation.
inline constexpr double kDeepSeekHyperparameterFlopsMin = 1e17;
inline constexpr double kDeepSeekHyperparameterFlopsMax = 2e19;
inline constexpr double kDeepSeekAllocationFlopsMin = 1e17;
inline constexpr double kDeepSeekAllocationFlopsMax = 3e20;

// M = 72 n_layer d_model^2 + 12 n_layer d_model l_seq: non-embedding FLOPs per token, attention included
// (Bi et al. 2024, arXiv:2401.02954, Sec. 3.2). E.g. 30 layers, d 4096, l_seq 4096 → 4.2279e10.
inline double NonEmbeddingFlopsPerToken(double layers, double d_model, double seq_len) {
  RequirePositive(layers, "n_layer");
  RequirePositive(d_model, "d_model");
  RequirePositive(seq_len, "sequence length");
  return CheckedResult(72.0 * layers * d_model * d_model + 12.0 * layers * d_model * seq_len, "M (FLOPs per token)");
}

// eta_opt = 0.3118 C^-0.1250: peak LR of the multi-step schedule (Bi et al. 2024, arXiv:2401.02954, Eq. 1).
// flops: C = M·D with M from NonEmbeddingFlopsPerToken (not 6ND).
inline double OptimalLearningRate(const DeepSeekLaw& law, double flops) {
  RequirePositive(flops, "C (FLOPs)");
  return CheckedResult(law.lr_coefficient * std::pow(flops, law.lr_flops_exponent), "the DeepSeek learning rate");
}

// B_opt = 0.2920 C^0.3271 in TOKENS per step (Bi et al. 2024, arXiv:2401.02954, Eq. 1). flops: C = M·D.
inline double OptimalBatchTokens(const DeepSeekLaw& law, double flops) {
  RequirePositive(flops, "C (FLOPs)");
  return CheckedResult(law.batch_coefficient * std::pow(flops, law.batch_flops_exponent), "the DeepSeek batch size");
}

// B_opt in sequences of seq_len tokens (4096 for DeepSeek LLM); not rounded to an integer.
inline double OptimalBatchSequences(const DeepSeekLaw& law, double flops, double seq_len = kDeepSeekSequenceLength) {
  RequirePositive(seq_len, "sequence length");
  return OptimalBatchTokens(law, flops) / seq_len;
}

// A split of C between model scale M (non-embedding FLOPs per token) and tokens D.
struct DeepSeekAllocation {
  double flops = 0;
  double flops_per_token = 0;  // M_opt
  double tokens = 0;           // D_opt
};

// M_opt = 0.1715 C^0.5243 and D_opt = 5.8316 C^0.4757, each from its own published power law (Bi et al. 2024,
// arXiv:2401.02954, Sec. 3.2). With the rounded constants M_opt·D_opt = 1.0001 C, not exactly C; the two laws
// are returned as published rather than renormalised.
inline DeepSeekAllocation ComputeOptimal(const DeepSeekLaw& law, double flops) {
  RequirePositive(flops, "C (FLOPs)");
  return {flops,
          CheckedResult(law.flops_per_token_coefficient * std::pow(flops, law.flops_per_token_exponent),
                        "the DeepSeek M_opt"),
          CheckedResult(law.tokens_coefficient * std::pow(flops, law.tokens_exponent), "the DeepSeek D_opt")};
}

// One sentence when flops lies outside the compute range the law of this quantity was fitted on (kLearningRate
// and kBatchSize: 1e17 to 2e19; kAllocation: 1e17 to 3e20); empty otherwise. The ValidityRange of the LawInfo
// records is an (N, D) box and cannot hold this, so callers ask here.
inline std::vector<std::string> DeepSeekFlopsWarnings(Quantity quantity, double flops) {
  const bool allocation = quantity == Quantity::kAllocation;
  const double lo = allocation ? kDeepSeekAllocationFlopsMin : kDeepSeekHyperparameterFlopsMin;
  const double hi = allocation ? kDeepSeekAllocationFlopsMax : kDeepSeekHyperparameterFlopsMax;
  const char* name = allocation                         ? "deepseek-allocation"
                     : quantity == Quantity::kBatchSize ? "deepseek-batch"
                                                        : "deepseek-lr";
  std::vector<std::string> warnings;
  if (flops > 0 && (flops < lo || flops > hi)) {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, "C = %.3g FLOPs is outside the %.3g to %.3g that law '%s' was fitted on",
                  flops, lo, hi, name);
    warnings.emplace_back(buffer);
  }
  return warnings;
}

// The DeepSeek law with constants by name (a record lists the ones its quantity uses).
inline DeepSeekLaw DeepSeekLawFromConstants(const Constants& c, std::string_view law_name) {
  DeepSeekLaw law;
  auto get = [&](std::string_view key, double fallback) { return ConstantOr(c, key, fallback, law_name); };
  law.lr_coefficient = get("lr_coefficient", law.lr_coefficient);
  law.lr_flops_exponent = get("lr_flops_exponent", law.lr_flops_exponent);
  law.batch_coefficient = get("batch_coefficient", law.batch_coefficient);
  law.batch_flops_exponent = get("batch_flops_exponent", law.batch_flops_exponent);
  law.flops_per_token_coefficient = get("flops_per_token_coefficient", law.flops_per_token_coefficient);
  law.flops_per_token_exponent = get("flops_per_token_exponent", law.flops_per_token_exponent);
  law.tokens_coefficient = get("tokens_coefficient", law.tokens_coefficient);
  law.tokens_exponent = get("tokens_exponent", law.tokens_exponent);
  return law;
}

namespace deepseek_detail {
// DeepSeek's compute C = M·D (Bi et al. 2024, arXiv:2401.02954, Sec. 3.1): M from the model shape when it is
// given, else the user's C, else 6ND with a note.
inline double Budget(const PredictionInputs& in, Evaluation& e) {
  if (in.Has(Input::kLayers) || in.Has(Input::kDModel)) {
    if (!in.Has(Input::kLayers)) throw NotApplicable("needs {0} with {1}", {Input::kLayers, Input::kDModel});
    if (!in.Has(Input::kDModel)) throw NotApplicable("needs {0} with {1}", {Input::kDModel, Input::kLayers});
    const double tokens = in.Need(Input::kTokens);
    const double m = NonEmbeddingFlopsPerToken(in.Get(Input::kLayers), in.Get(Input::kDModel), in.Get(Input::kSeqLen));
    if (e.detailed) {
      e.Note("C = M·D with M = 72·n_layer·d² + 12·n_layer·d·l_seq = " + FormatNumber(m) + " FLOPs/token");
    }
    return m * tokens;
  }
  if (in.Has(Input::kFlops)) return in.Get(Input::kFlops);
  if (!in.Has(Input::kParams) || !in.Has(Input::kTokens)) {
    throw NotApplicable("needs {0}, or {1} and {2}", {Input::kFlops, Input::kParams, Input::kTokens});
  }
  const double flops = 6 * in.Get(Input::kParams) * in.Get(Input::kTokens);
  if (e.detailed) {
    e.Note("C = 6ND = " + FormatNumber(flops) +
           " FLOPs used (DeepSeek defines C = M·D with M non-embedding FLOPs/token; give n_layer and d_model)");
  }
  return flops;
}

inline void WarnCompute(Evaluation& e, Quantity quantity, double flops) {
  for (std::string& w : DeepSeekFlopsWarnings(quantity, flops)) e.Warn(std::move(w));
}
}  // namespace deepseek_detail

inline const std::vector<LawInfo>& DeepSeekLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const DeepSeekLaw law;
    const std::string title = "DeepSeek LLM: Scaling Open-Source Language Models with Longtermism";
    const std::string params_definition =
        "no N: model scale is M, non-embedding FLOPs/token = 72 n_layer d_model^2 + 12 n_layer d_model l_seq "
        "(attention included); C = M D, not 6 N D";
    const std::vector<Input> budget_inputs = {Input::kFlops, Input::kParams, Input::kTokens, Input::kLayers,
                                              Input::kDModel, Input::kSeqLen};
    // Bi et al. 2024 (arXiv:2401.02954): the 7B shape (30 layers, d_model 4096, sequences of 4096) at 2e12 tokens.
    const LawExample example_7b{{{Input::kLayers, 30}, {Input::kDModel, 4096}, {Input::kSeqLen, 4096},
                                 {Input::kTokens, 2e12}},
                                {},
                                {},
                                "the 7B model's shape and 2T tokens, C = M·D = 8.4557e22 (Sec. 3.1, Eq. 1)"};
    std::vector<LawInfo> out;
    LawInfo lr{"deepseek-lr",
               "deepseek",
               Quantity::kLearningRate,
               "eta_opt = 0.3118 C^-0.1250, C = M D",
               {"Bi et al.", 2024, title, "2401.02954", "Sec. 3.1, Eq. 1"},
               params_definition,
               "eta: peak AdamW LR of the multi-step schedule (x0.316 after 80% of tokens, x0.1 after 90%); C "
               "in FLOPs",
               {},
               "[V2] constants; fitted at C ~1e17 to 2e19 FLOPs [V1] (see DeepSeekFlopsWarnings); reproduces "
               "the deployed 7B/67B LRs within 3%",
               {{"lr_coefficient", law.lr_coefficient}, {"lr_flops_exponent", law.lr_flops_exponent}}};
    lr.optional_inputs = budget_inputs;
    lr.outputs = {"lr", "flops"};
    lr.bind = [](const Constants& c) -> Evaluator {
      const DeepSeekLaw bound = DeepSeekLawFromConstants(c, "deepseek-lr");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double flops = deepseek_detail::Budget(in, e);
        e.Set("lr", OptimalLearningRate(bound, flops));
        e.Set("flops", flops);
        deepseek_detail::WarnCompute(e, Quantity::kLearningRate, flops);
      };
    };
    lr.example = example_7b;
    lr.example.outputs = {{"lr", "4.2460e-4"}, {"flops", "8.4557e22"}};
    // The multi-step schedule (Sec. 2.3; the 80% and 90% points also in DeepSeek-LLM GitHub issue #71): warmup
    // (2000 steps [V1]), then 31.6% of the peak after 80% of the tokens and 10% after 90%.
    lr.schedule = [](double peak, long steps) {
      const long warmup = WarmupSteps(2000, steps);
      const long first = std::max(warmup + 1, static_cast<long>(0.8 * static_cast<double>(steps)));
      const long second = std::max(first + 1, static_cast<long>(0.9 * static_cast<double>(steps)));
      return "steps:peak=" + FormatNumber(peak) + ",steps=" + std::to_string(steps) +
             ",warmup=" + std::to_string(warmup) + ",stages=" + std::to_string(first) + "@" +
             FormatNumber(0.316 * peak) + "/" + std::to_string(second) + "@" + FormatNumber(0.1 * peak);
    };
    out.push_back(std::move(lr));

    LawInfo batch{"deepseek-batch",
                  "deepseek",
                  Quantity::kBatchSize,
                  "B_opt = 0.2920 C^0.3271 tokens, C = M D",
                  {"Bi et al.", 2024, title, "2401.02954", "Sec. 3.1, Eq. 1"},
                  params_definition,
                  "B: tokens per optimizer step (the 7B and 67B models use sequences of 4096); C in FLOPs",
                  {},
                  "[V2] constants; fitted at C ~1e17 to 2e19 FLOPs [V1] (see DeepSeekFlopsWarnings)",
                  {{"batch_coefficient", law.batch_coefficient}, {"batch_flops_exponent", law.batch_flops_exponent}}};
    batch.optional_inputs = budget_inputs;
    batch.outputs = {"batch_tokens", "batch_sequences", "flops"};
    batch.bind = [](const Constants& c) -> Evaluator {
      const DeepSeekLaw bound = DeepSeekLawFromConstants(c, "deepseek-batch");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double flops = deepseek_detail::Budget(in, e);
        const double b = OptimalBatchTokens(bound, flops);
        e.Set("batch_tokens", b);
        e.Set("batch_sequences", b / in.Get(Input::kSeqLen));
        e.Set("flops", flops);
        deepseek_detail::WarnCompute(e, Quantity::kBatchSize, flops);
      };
    };
    batch.example = example_7b;
    batch.example.outputs = {{"batch_tokens", "9.2226e6"}, {"batch_sequences", "2251.6"}};
    out.push_back(std::move(batch));

    LawInfo allocation{"deepseek-allocation",
                       "deepseek",
                       Quantity::kAllocation,
                       "M_opt = 0.1715 C^0.5243 FLOPs/token, D_opt = 5.8316 C^0.4757 tokens (M_opt D_opt = 1.0001 C)",
                       {"Bi et al.", 2024, title, "2401.02954", "Sec. 3.2"},
                       params_definition,
                       "M: non-embedding FLOPs per token; D: tokens; C = M D FLOPs",
                       {},
                       "[V2] constants; IsoFLOP fit at 8 budgets 1e17 to 3e20 FLOPs on DeepSeek's data (the exponents "
                       "depend on data quality)",
                       {{"flops_per_token_coefficient", law.flops_per_token_coefficient},
                        {"flops_per_token_exponent", law.flops_per_token_exponent},
                        {"tokens_coefficient", law.tokens_coefficient},
                        {"tokens_exponent", law.tokens_exponent}}};
    allocation.inputs = {Input::kFlops};
    allocation.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
    allocation.outputs = {"params", "tokens", "flops", "tokens_per_param", "flops_per_token"};
    allocation.flop_convention = "deepseek";  // C = M D (Sec. 3.1, Eq. 1)
    allocation.bind = [](const Constants& c) -> Evaluator {
      const DeepSeekLaw bound = DeepSeekLawFromConstants(c, "deepseek-allocation");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        RequireBudgetOnly(in);
        const DeepSeekAllocation a = ComputeOptimal(bound, in.Need(Input::kFlops));
        deepseek_detail::WarnCompute(e, Quantity::kAllocation, a.flops);
        e.SetSplit(a.flops_per_token / 6, a.tokens, a.flops);
        e.Set("flops_per_token", a.flops_per_token);
        e.Note("C = M·D; N ≈ M/6 non-embedding parameters (attention FLOPs ignored)");
      };
    };
    // Bi et al. 2024 (arXiv:2401.02954), Sec. 3.2: the allocation at C = 1e24.
    allocation.example = {{{Input::kFlops, 1e24}},
                          {},
                          {{"flops_per_token", "6.5685e11"}, {"tokens", "1.5226e12"}},
                          "M_opt and D_opt at C = 1e24 (Sec. 3.2)"};
    out.push_back(std::move(allocation));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
