// Step Law: optimal peak learning rate and batch size.
//
//   eta_opt(N, D) = 1.79 · N^(−0.713) · D^(0.307)
//   B_opt(D)      = 0.58 · D^(0.571)                  (B in TOKENS per optimizer step)
//
// Li, Zheng, Hu, Wang, Zhang, Wang, Xu, Zhou, Zhang, Jiang (StepFun) 2025, "Predictable Scale: Part I --
// Optimal Hyperparameter Scaling Law in Large Language Model Pretraining", arXiv:2503.04715.
//
// Units:
// - N is NON-VOCABULARY parameters (embeddings and the output head excluded): in the released runs
//   N = n_layer·(4 h^2 + 3 h ffn) (full MHA attention + SwiGLU FFN, no norms or biases). [V1, verified from data]
// - D is training tokens. B is tokens per optimizer step; the experiments used sequences of 2048 tokens, so
//   B_opt / 2048 is the batch in sequences (as the authors' `fit_tool.py pred-opt-lr-bs` prints it).
// - eta is the PEAK learning rate of AdamW under warmup then cosine decay to a FIXED final LR of 1e-5 (not
//   max_lr/10). The rise of eta with D at fixed N is plausibly tied to that schedule: do not use it for WSD or
//   other schedules without re-fitting.
// - Fitted on dense models of ~60M to ~1B non-vocabulary parameters (plus MoE runs) and D up to 100B tokens;
//   pre-RMSNorm, SwiGLU, ALiBi. The published law is the mean of 1000 bootstrap OLS fits in log space. [V2]
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The paper's constants (Li et al. 2025, arXiv:2503.04715, the Step Law formulas for eta_opt and B_opt). [V2]
struct StepLaw {
  double lr_coefficient = 1.79;
  double lr_params_exponent = -0.713;
  double lr_tokens_exponent = 0.307;
  double batch_coefficient = 0.58;  // tokens
  double batch_tokens_exponent = 0.571;
};

// Sequence length of the Step Law experiments (tokens per sequence).
inline constexpr double kStepLawSequenceLength = 2048;

// The mean of the 1000 bootstrap fits in the authors' repository (step-law/steplaw,
// data/1004_fitted_lr_bs_scaling_model_parameters.csv), which `fit_tool.py pred-opt-lr-bs` uses.
// The specification this project was built from prints the means to 5 decimals (lr_intercept 0.58631, coefN
// −0.71292, coefD 0.30749, bs_intercept −0.54354, bs coefD 0.57094) next to predictions made with the full means
// (eta 1.0430e-3, B 6.1256e6 at N = 7e9, D = 2e12; fit_tool.py prints lr 9.347e-04 at N = 7e9, D = 1.4e12).
// The 5-decimal values do NOT reproduce those predictions (they give eta 1.0431e-3 and B 6.1248e6 at 7e9, 2e12),
// because the D exponents multiply ln D ≈ 28. The two D exponents below carry one or two more digits, chosen
// inside the printed rounding (0.307489 → 0.30749, 0.5709443 → 0.57094), so that every repo-mean row of the
// table reproduces to its printed digits; the CSV itself is not available here. [V1]
inline StepLaw StepLawRepoMean() {
  StepLaw law;
  law.lr_coefficient = std::exp(0.58631);  // 1.7973
  law.lr_params_exponent = -0.71292;
  law.lr_tokens_exponent = 0.307489;
  law.batch_coefficient = std::exp(-0.54354);  // 0.58069
  law.batch_tokens_exponent = 0.5709443;
  return law;
}

// N = n_layer · (4 h^2 + 3 h ffn): the non-vocabulary parameter count of the Step Law runs (full MHA attention
// 4 h^2 plus SwiGLU FFN 3 h ffn, norms and biases ignored); the `N` column of the released
// data/dense_lr_bs_loss.csv (Li et al. 2025, arXiv:2503.04715). E.g. 7 layers, h 960, ffn 9368 → 214,663,680.
inline double StepLawNonVocabularyParams(double layers, double hidden, double ffn_hidden) {
  RequirePositive(layers, "n_layer");
  RequirePositive(hidden, "hidden size h");
  RequirePositive(ffn_hidden, "FFN size");
  return CheckedResult(layers * (4.0 * hidden * hidden + 3.0 * hidden * ffn_hidden),
                       "the non-vocabulary parameter count");
}

// eta_opt = c · N^a · D^b: the peak AdamW learning rate (cosine to min_lr 1e-5) that minimises the final loss
// (Li et al. 2025, arXiv:2503.04715). params: NON-VOCABULARY parameters; tokens: training tokens.
inline double OptimalLearningRate(const StepLaw& law, double params, double tokens) {
  RequirePositive(params, "N (non-vocabulary parameters)");
  RequirePositive(tokens, "D (tokens)");
  return CheckedResult(
      law.lr_coefficient * std::pow(params, law.lr_params_exponent) * std::pow(tokens, law.lr_tokens_exponent),
      "the Step Law learning rate");
}

// B_opt = c · D^b in TOKENS per optimizer step, independent of N (Li et al. 2025, arXiv:2503.04715).
inline double OptimalBatchTokens(const StepLaw& law, double tokens) {
  RequirePositive(tokens, "D (tokens)");
  return CheckedResult(law.batch_coefficient * std::pow(tokens, law.batch_tokens_exponent), "the Step Law batch size");
}

// B_opt in sequences of seq_len tokens (2048 in the paper's runs); not rounded to an integer.
inline double OptimalBatchSequences(const StepLaw& law, double tokens, double seq_len = kStepLawSequenceLength) {
  RequirePositive(seq_len, "sequence length");
  return OptimalBatchTokens(law, tokens) / seq_len;
}

// The dense Step Law runs: ~60M to ~1B non-vocabulary parameters (approximate bounds of the paper's runs), D up
// to 100B tokens (lower bound not stated; the released runs start at 4e9).
inline constexpr ValidityRange kStepLawRange{6e7, 1.1e9, 0, 1e11};

// The Step Law with constants by name (the registry's, a user's or a fit's: lr = c N^a D^b, B = c' D^b').
inline StepLaw StepLawFromConstants(const Constants& c, std::string_view law_name) {
  StepLaw law;
  auto get = [&](std::string_view key, double fallback) { return ConstantOr(c, key, fallback, law_name); };
  law.lr_coefficient = get("lr_coefficient", law.lr_coefficient);
  law.lr_params_exponent = get("lr_params_exponent", law.lr_params_exponent);
  law.lr_tokens_exponent = get("lr_tokens_exponent", law.lr_tokens_exponent);
  law.batch_coefficient = get("batch_coefficient", law.batch_coefficient);
  law.batch_tokens_exponent = get("batch_tokens_exponent", law.batch_tokens_exponent);
  return law;
}

inline const std::vector<LawInfo>& StepLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const StepLaw law;
    const Citation citation{"Li et al.", 2025,
                            "Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law in Large Language Model "
                            "Pretraining",
                            "2503.04715", "the Step Law formulas for eta_opt and B_opt"};
    const std::string params_definition =
        "non-vocabulary parameters: n_layer (4 h^2 + 3 h ffn), embeddings and output head excluded";
    const std::string confidence =
        "[V2] paper + repo bootstrap CSV; the repo's bootstrap mean (StepLawRepoMean) differs by ~2% in LR. "
        "Bootstrap 95% ranges: N exponent [-0.774, -0.655], D exponent [0.271, 0.345]; schedule-specific (cosine "
        "to a fixed min LR 1e-5)";
    std::vector<LawInfo> out;
    LawInfo lr{"step-lr",
               "step",
               Quantity::kLearningRate,
               "eta_opt = 1.79 N^-0.713 D^0.307",
               citation,
               params_definition,
               "eta: peak AdamW LR, warmup then cosine decay to a fixed min LR 1e-5; D: training tokens",
               kStepLawRange,
               confidence,
               {{"lr_coefficient", law.lr_coefficient},
                {"lr_params_exponent", law.lr_params_exponent},
                {"lr_tokens_exponent", law.lr_tokens_exponent}}};
    lr.inputs = {Input::kParams, Input::kTokens};
    lr.params_kind = ParamsDefinition::kNonVocabulary;
    lr.outputs = {"lr"};
    lr.bind = [](const Constants& c) -> Evaluator {
      const StepLaw bound = StepLawFromConstants(c, "step-lr");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double n = in.Need(Input::kParams), d = in.Need(Input::kTokens);
        e.Set("lr", OptimalLearningRate(bound, n, d));
        e.CheckRange(n, d);
      };
    };
    // Li et al. 2025 (arXiv:2503.04715): the Step Law at N = 7e9, D = 2e12.
    lr.example = {{{Input::kParams, 7e9}, {Input::kTokens, 2e12}}, {}, {{"lr", "1.0226e-3"}}, "eta_opt at 7e9, 2e12"};
    // Li et al. 2025: warmup, then cosine decay to a fixed final LR of 1e-5 (not a fraction of the peak); the
    // 2000 warmup steps are from one secondary summary [V1].
    lr.schedule = [](double peak, long steps) {
      return "cosine:peak=" + FormatNumber(peak) + ",end=1e-5,steps=" + std::to_string(steps) +
             ",warmup=" + std::to_string(WarmupSteps(2000, steps));
    };
    out.push_back(std::move(lr));

    LawInfo batch{"step-batch",
                  "step",
                  Quantity::kBatchSize,
                  "B_opt = 0.58 D^0.571 tokens (independent of N)",
                  citation,
                  params_definition,
                  "B: tokens per optimizer step (divide by 2048, the paper's sequence length, for sequences); D: "
                  "training tokens",
                  kStepLawRange,
                  "[V2] paper + repo bootstrap CSV; bootstrap 95% range of the D exponent [0.534, 0.606]",
                  {{"batch_coefficient", law.batch_coefficient}, {"batch_tokens_exponent", law.batch_tokens_exponent}}};
    batch.inputs = {Input::kTokens};
    batch.optional_inputs = {Input::kParams, Input::kSeqLen};
    batch.params_kind = ParamsDefinition::kNonVocabulary;
    batch.outputs = {"batch_tokens", "batch_sequences"};
    batch.bind = [](const Constants& c) -> Evaluator {
      const StepLaw bound = StepLawFromConstants(c, "step-batch");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double d = in.Need(Input::kTokens);
        const double b = OptimalBatchTokens(bound, d);
        e.Set("batch_tokens", b);
        e.Set("batch_sequences", b / in.Get(Input::kSeqLen));
        e.CheckRange(in.Get(Input::kParams), d);
      };
    };
    batch.example = {{{Input::kParams, 7e9}, {Input::kTokens, 2e12}},
                     {},
                     {{"batch_tokens", "6.1280e6"}, {"batch_sequences", "2992.2"}},
                     "B_opt at D = 2e12, sequences of 2048"};
    out.push_back(std::move(batch));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
