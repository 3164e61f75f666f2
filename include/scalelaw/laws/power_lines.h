// Power Lines: the AdamW timescale law for weight decay, and the batch-size exponents.
//
//   tau_iter  = 1 / (eta · lambda)                        AdamW's EMA timescale, in optimizer steps
//   tau_epoch = tau_iter / S = B / (eta · lambda · D)     as a fraction of training, S = D / B steps
//   tau_opt(TPP) = 1.084 · TPP^(−0.527),  TPP = D / N
//   lambda_opt   = B / (eta · D · tau_opt(D / N))
//   B_opt ∝ D^0.383,  B_crit ∝ D^0.462                    (independent of N; ratio rules only)
//
// Bergsma et al. (Cerebras) 2025, "Power Lines: Scaling Laws for Weight Decay
// and Batch Size in LLM Pre-training", arXiv:2505.13738, NeurIPS 2025.
//
// Units: lambda is AdamW's DECOUPLED weight decay in the PyTorch convention (update −eta·lambda·theta), eta the
// peak learning rate, B and D in TOKENS (any unit works if both use the same one), N parameters (the paper's
// models: GPT-2-like, ALiBi, SwiGLU, µP, SlimPajama, context 2048, vocab 50257, 111M to 3.3B).
// Confidence: tau = B/(eta lambda D), the tau_opt exponent −0.527 and B_opt ∝ D^0.383 [V2]; c_tau = 1.084 [V1,
// one survey]; B_crit exponent 0.462 [V1/V2; another survey says ≈0.47]. The multiplicative constants of B_opt(D)
// and B_crit(D) were not retrieved [U]: only the exponents ship, as ratio rules (calibrate B at one D from your
// own sweep and scale it, as nanochat does with B = B_ref·(D/D_ref)^0.383).
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The published constants (Bergsma et al. 2025, arXiv:2505.13738).
struct PowerLinesLaw {
  double tau_coefficient = 1.084;             // c_tau [V1]
  double tau_exponent = -0.527;               // m_tau [V2]
  double batch_opt_tokens_exponent = 0.383;   // B_opt ∝ D^0.383 [V2], 95% CI ≈ (0.367, 0.391)
  double batch_crit_tokens_exponent = 0.462;  // B_crit ∝ D^0.462 [V1/V2]
};

// tau_opt = c_tau · TPP^m_tau: the optimal AdamW timescale as a fraction of the training run (tau_epoch), for
// TPP = D/N tokens per parameter (Bergsma et al. 2025, arXiv:2505.13738, Finding 2). TPP 20 → 0.2236.
inline double OptimalTimescale(const PowerLinesLaw& law, double tokens_per_param) {
  RequirePositive(tokens_per_param, "TPP (tokens per parameter)");
  return CheckedResult(law.tau_coefficient * std::pow(tokens_per_param, law.tau_exponent), "the Power Lines timescale");
}

// lambda_opt = B / (eta · D · tau_opt(D/N)): the decoupled AdamW weight decay (PyTorch convention) whose
// timescale is tau_opt (Bergsma et al. 2025, arXiv:2505.13738). params: N; tokens: D; batch_tokens: B in the
// same unit as D; lr: peak eta. For fixed N, D it is linear in B (Finding 1).
inline double OptimalWeightDecay(const PowerLinesLaw& law, double params, double tokens, double batch_tokens,
                                 double lr) {
  RequirePositive(params, "N (parameters)");
  RequirePositive(tokens, "D (tokens)");
  RequirePositive(batch_tokens, "B (tokens per step)");
  RequirePositive(lr, "learning rate");
  const double tau = OptimalTimescale(law, tokens / params);
  return CheckedResult(batch_tokens / (lr * tokens * tau), "the Power Lines weight decay");
}

// tau_iter = 1/(eta·lambda): AdamW's EMA timescale in optimizer steps (Bergsma et al. 2025, arXiv:2505.13738).
inline double TimescaleIterations(double lr, double weight_decay) {
  RequirePositive(lr, "learning rate");
  RequirePositive(weight_decay, "weight decay");
  return CheckedResult(1.0 / (lr * weight_decay), "the AdamW timescale");
}

// tau_epoch = B/(eta·lambda·D) = tau_iter / S with S = D/B steps: the timescale as a fraction of training
// (Bergsma et al. 2025, arXiv:2505.13738). batch_tokens and tokens in the same unit.
inline double TimescaleEpochs(double lr, double weight_decay, double batch_tokens, double tokens) {
  RequirePositive(batch_tokens, "B (tokens per step)");
  RequirePositive(tokens, "D (tokens)");
  return CheckedResult(TimescaleIterations(lr, weight_decay) * batch_tokens / tokens, "the AdamW timescale");
}

// B_opt(D·r) / B_opt(D) = r^0.383 for a token ratio r (Bergsma et al. 2025, arXiv:2505.13738, Finding 3);
// independent of N. The prefactor of B_opt(D) is [U] and not shipped. ×10 tokens → ×2.415.
inline double OptimalBatchRatio(const PowerLinesLaw& law, double tokens_ratio) {
  RequirePositive(tokens_ratio, "token ratio D_new/D_ref");
  return CheckedResult(std::pow(tokens_ratio, law.batch_opt_tokens_exponent), "the Power Lines batch ratio");
}

// B_crit(D·r) / B_crit(D) = r^0.462 (Bergsma et al. 2025, arXiv:2505.13738, Finding 3); B_crit is the batch at
// which reaching the target loss needs 2·D_min tokens (McCandlish). Prefactor [U], not shipped. ×10 → ×2.897.
inline double CriticalBatchRatio(const PowerLinesLaw& law, double tokens_ratio) {
  RequirePositive(tokens_ratio, "token ratio D_new/D_ref");
  return CheckedResult(std::pow(tokens_ratio, law.batch_crit_tokens_exponent), "the Power Lines critical batch ratio");
}

// B_opt at tokens, from a batch calibrated (by your own sweep) at reference_tokens:
// B = reference_batch · (D/D_ref)^0.383 (Bergsma et al. 2025, arXiv:2505.13738; the nanochat recipe).
inline double ScaleOptimalBatch(const PowerLinesLaw& law, double reference_batch, double reference_tokens,
                                double tokens) {
  RequirePositive(reference_batch, "reference batch");
  RequirePositive(reference_tokens, "D_ref (tokens)");
  RequirePositive(tokens, "D (tokens)");
  return CheckedResult(reference_batch * OptimalBatchRatio(law, tokens / reference_tokens), "the scaled batch size");
}

// The paper's models: 111M to 3.3B parameters; the token range was not retrieved.
inline constexpr ValidityRange kPowerLinesRange{1.11e8, 3.3e9, 0, 0};

// The Power Lines law with constants by name.
inline PowerLinesLaw PowerLinesLawFromConstants(const Constants& c, std::string_view law_name) {
  PowerLinesLaw law;
  auto get = [&](std::string_view key, double fallback) { return ConstantOr(c, key, fallback, law_name); };
  law.tau_coefficient = get("tau_coefficient", law.tau_coefficient);
  law.tau_exponent = get("tau_exponent", law.tau_exponent);
  law.batch_opt_tokens_exponent = get("batch_opt_tokens_exponent", law.batch_opt_tokens_exponent);
  law.batch_crit_tokens_exponent = get("batch_crit_tokens_exponent", law.batch_crit_tokens_exponent);
  return law;
}

inline const std::vector<LawInfo>& PowerLinesLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const PowerLinesLaw law;
    const std::string title = "Power Lines: Scaling Laws for Weight Decay and Batch Size in LLM Pre-training";
    std::vector<LawInfo> out;
    LawInfo wd{"power-lines-wd",
               "power-lines",
               Quantity::kWeightDecay,
               "lambda_opt = B / (eta D tau_opt), tau_opt = 1.084 (D/N)^-0.527",
               {"Bergsma et al.", 2025, title, "2505.13738", "Findings 1-2 (AdamW timescale law)"},
               "parameters N only through TPP = D/N (the paper's models: GPT-2-like, 111M to 3.3B)",
               "lambda: AdamW decoupled weight decay, PyTorch convention (update -eta lambda theta); eta: peak LR; "
               "B and D in tokens; tau as a fraction of training",
               kPowerLinesRange,
               "[V2] tau = B/(eta lambda D) and exponent -0.527; [V1] c_tau = 1.084 (one survey)",
               {{"tau_coefficient", law.tau_coefficient}, {"tau_exponent", law.tau_exponent}}};
    wd.inputs = {Input::kParams, Input::kTokens, Input::kBatchTokens, Input::kLearningRate};
    wd.outputs = {"weight_decay", "tau_epoch", "tau_iterations"};
    wd.bind = [](const Constants& c) -> Evaluator {
      const PowerLinesLaw bound = PowerLinesLawFromConstants(c, "power-lines-wd");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double n = in.Need(Input::kParams), d = in.Need(Input::kTokens);
        const double b = in.Need(Input::kBatchTokens), lr = in.Need(Input::kLearningRate);
        const double lambda = OptimalWeightDecay(bound, n, d, b, lr);
        e.Set("weight_decay", lambda);
        e.Set("tau_epoch", OptimalTimescale(bound, d / n));
        e.Set("tau_iterations", TimescaleIterations(lr, lambda));
        e.CheckRange(n, d);
      };
    };
    // Bergsma et al. 2025 (arXiv:2505.13738): N = 1e9 at 20 tokens per parameter, B = 2^20 tokens, eta = 1e-3.
    wd.example = {{{Input::kParams, 1e9}, {Input::kTokens, 2e10}, {Input::kBatchTokens, 1048576},
                   {Input::kLearningRate, 1e-3}},
                  {},
                  {{"weight_decay", "0.2345"}, {"tau_iterations", "4264"}, {"tau_epoch", "0.2236"}},
                  "lambda_opt for N 1e9, D 2e10, B 2^20, eta 1e-3 (Findings 1-2)"};
    out.push_back(std::move(wd));

    LawInfo batch{"power-lines-batch",
                  "power-lines",
                  Quantity::kBatchSize,
                  "B_opt ∝ D^0.383, B_crit ∝ D^0.462 (ratio rules, independent of N)",
                  {"Bergsma et al.", 2025, title, "2505.13738", "Finding 3 (B_opt and B_crit vs D)"},
                  "independent of N",
                  "B and D in tokens; scale a batch calibrated at one D (B = B_ref (D/D_ref)^0.383)",
                  kPowerLinesRange,
                  "[V2] 0.383 (95% CI 0.367-0.391); [V1/V2] 0.462 (one survey says 0.47). Prefactors of B_opt(D) "
                  "and B_crit(D) not retrieved [U]: exponents only, as ratio rules",
                  {{"batch_opt_tokens_exponent", law.batch_opt_tokens_exponent},
                   {"batch_crit_tokens_exponent", law.batch_crit_tokens_exponent}}};
    batch.inputs = {Input::kTokens, Input::kReferenceTokens};
    batch.optional_inputs = {Input::kReferenceBatch, Input::kSeqLen};
    batch.outputs = {"batch_ratio", "critical_batch_ratio", "batch_tokens", "batch_sequences"};
    batch.bind = [](const Constants& c) -> Evaluator {
      const PowerLinesLaw bound = PowerLinesLawFromConstants(c, "power-lines-batch");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double ratio = in.Need(Input::kTokens) / in.Need(Input::kReferenceTokens);
        e.Set("batch_ratio", OptimalBatchRatio(bound, ratio));
        e.Set("critical_batch_ratio", CriticalBatchRatio(bound, ratio));
        if (in.Has(Input::kReferenceBatch)) {
          const double b = ScaleOptimalBatch(bound, in.Get(Input::kReferenceBatch), in.Get(Input::kReferenceTokens),
                                             in.Get(Input::kTokens));
          e.Set("batch_tokens", b);
          e.Set("batch_sequences", b / in.Get(Input::kSeqLen));
        } else {
          e.Note("ratios only: give the batch tuned at the reference run for a batch size");
        }
      };
    };
    // Bergsma et al. 2025 (arXiv:2505.13738), Finding 3: 10x the tokens.
    batch.example = {{{Input::kTokens, 1e11}, {Input::kReferenceTokens, 1e10}},
                     {},
                     {{"batch_ratio", "2.415"}, {"critical_batch_ratio", "2.897"}},
                     "B_opt and B_crit ratios for 10x the tokens (Finding 3)"};
    out.push_back(std::move(batch));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
