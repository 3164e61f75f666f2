// Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361.
//
//   L(N)      = (N_c / N)^alpha_N                                Table 5 (Eq. 1.1)
//   L(D)      = (D_c / D)^alpha_D                                Table 5 (Eq. 1.2)
//   L(C)      = (C_c / C)^alpha_C            (naive, fixed batch) Table 5
//   L(C_min)  = (C_c^min / C_min)^alpha_C^min                    Table 5 (Eq. 1.3)
//   L(N, D)   = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D       Eq. 1.5 with the Table 2 fit
//   B_crit(L) = B_* / L^(1/alpha_B)                              Table 5 (Eq. 1.4 rounds B_* to 2e8)
//   LR(N)     = 0.003239 - 0.0001395 ln N                        App. D.6, Eq. D.1
//   N_opt, B_crit, S_min, D_opt ∝ C_min^(0.73, 0.24, 0.03, 0.27)  Table 6
//   C(N)/C(N_eff) = (N/N_eff) [1 + (alpha_S/alpha_N)(1 - (N_eff/N)^alpha_N)]^(-1/alpha_S)   Eq. B.16
//
// Units throughout: N is NON-EMBEDDING parameters (≈ 12 n_layer d_model^2; token and position embeddings
// excluded), D tokens of GPT-2 BPE (vocab 50257) on WebText2, context 1024, L test loss in nats/token,
// batch in TOKENS, compute in PF-days (1 PF-day = 8.64e19 FLOPs, C ≈ 6 N per token of non-embedding FLOPs).
// Fitted on N from 768 to 1.5e9 and D from 22M to 23B tokens; Adam (Adafactor above 1B), 3000-step linear
// warmup then cosine to zero. The constants do not transfer to other tokenizers or data. [V2]
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// FLOPs in one petaflop/s-day: 1e15 FLOP/s × 86400 s, the compute unit of Kaplan et al. 2020.
inline constexpr double kFlopsPerPetaflopDay = 8.64e19;

// The published Kaplan et al. 2020 constants. Field names follow the paper's symbols.
struct KaplanLaw {
  // Table 5, single-variable laws ("summary" constants). [V2]
  double alpha_N = 0.076;      // L(N) exponent
  double N_c = 8.8e13;         // non-embedding parameters
  double alpha_D = 0.095;      // L(D) exponent
  double D_c = 5.4e13;         // tokens
  double alpha_C = 0.057;      // L(C) exponent, naive (fixed batch, not compute-efficient)
  double C_c = 1.6e7;          // PF-days
  double alpha_C_min = 0.050;  // L(C_min) exponent
  double C_c_min = 3.1e8;      // PF-days
  double alpha_B = 0.21;       // critical batch exponent
  double B_star = 2.1e8;       // tokens; Table 5 prints 2.1e8, Eq. 1.4 rounds it to 2e8
  double alpha_S = 0.76;       // L(N, S) step exponent
  double S_c = 2.1e3;          // steps
  // alpha_S is used by Eq. B.16 below. L(N, S) = (N_c/N)^alpha_N + (S_c/S_min)^alpha_S itself is not shipped:
  // its Table 3 fit pairs alpha_S with alpha_N = 0.077, N_c = 6.5e13, and no
  // printed value to test it against was retrieved.

  // Table 2, the joint L(N, D) fit of Eq. 1.5 (10% dropout, early stopping). [V2]
  double joint_alpha_N = 0.076;
  double joint_alpha_D = 0.103;
  double joint_N_c = 6.4e13;  // non-embedding parameters
  double joint_D_c = 1.8e13;  // tokens

  // App. D.6, Eq. D.1: LR(N) = lr_intercept - lr_slope ln N. [V2] constants, natural log [V1] (inferred).
  double lr_intercept = 0.003239;
  double lr_slope = 0.0001395;

  // Table 6, compute-efficient allocation: coefficient × C_min^exponent, C_min in PF-days. [V2]
  double opt_params_coefficient = 1.3e9;  // non-embedding parameters
  double opt_params_exponent = 0.73;
  double opt_batch_coefficient = 2.0e6;  // tokens
  double opt_batch_exponent = 0.24;
  double opt_steps_coefficient = 5.4e3;  // steps
  double opt_steps_exponent = 0.03;
  double opt_tokens_coefficient = 2e10;  // tokens (one epoch)
  double opt_tokens_exponent = 0.27;
};

// L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D with the Table 2 constants (Kaplan et al. 2020,
// arXiv:2001.08361, Eq. 1.5). params: non-embedding parameters; tokens: training tokens; nats/token.
inline double Loss(const KaplanLaw& law, double params, double tokens) {
  RequirePositive(params, "N (non-embedding parameters)");
  RequirePositive(tokens, "D (tokens)");
  return std::pow(std::pow(law.joint_N_c / params, law.joint_alpha_N / law.joint_alpha_D) + law.joint_D_c / tokens,
                  law.joint_alpha_D);
}

// L(N) = (N_c/N)^alpha_N: converged loss of a model trained on enough data (Kaplan et al. 2020, Eq. 1.1,
// Table 5). params: non-embedding parameters; nats/token.
inline double LossFromParams(const KaplanLaw& law, double params) {
  RequirePositive(params, "N (non-embedding parameters)");
  return std::pow(law.N_c / params, law.alpha_N);
}

// L(D) = (D_c/D)^alpha_D: loss of a large model trained on D tokens with early stopping (Kaplan et al. 2020,
// Eq. 1.2, Table 5). nats/token.
inline double LossFromTokens(const KaplanLaw& law, double tokens) {
  RequirePositive(tokens, "D (tokens)");
  return std::pow(law.D_c / tokens, law.alpha_D);
}

// L(C) = (C_c/C)^alpha_C: the naive compute law at a fixed batch size (Kaplan et al. 2020, Table 5),
// C in PF-days. Prefer LossFromMinimumCompute for compute-efficient training.
inline double LossFromCompute(const KaplanLaw& law, double pf_days) {
  RequirePositive(pf_days, "C (PF-days)");
  return std::pow(law.C_c / pf_days, law.alpha_C);
}

// L(C_min) = (C_c^min/C_min)^alpha_C^min: loss of compute-efficient training (optimal N, batch B << B_crit)
// with C_min PF-days of non-embedding compute (Kaplan et al. 2020, Eq. 1.3, Table 5). nats/token.
inline double LossFromMinimumCompute(const KaplanLaw& law, double pf_days) {
  RequirePositive(pf_days, "C_min (PF-days)");
  return std::pow(law.C_c_min / pf_days, law.alpha_C_min);
}

// B_crit(L) = B_* / L^(1/alpha_B) in TOKENS (Kaplan et al. 2020, Eq. 1.4, Table 5; after McCandlish et al.
// 2018): the batch at which training takes twice the minimum steps and twice the minimum tokens to reach
// loss L (nats/token). It depends on the loss only, not on the model size. B_* = 2.1e8 (Table 5); set
// law.B_star = 2e8 for Eq. 1.4's rounding. B_crit roughly doubles for every 13% drop in loss.
inline double CriticalBatchTokens(const KaplanLaw& law, double loss) {
  RequirePositive(loss, "L (loss, nats/token)");
  return law.B_star / std::pow(loss, 1.0 / law.alpha_B);
}

// The non-embedding size above which Eq. D.1 gives LR <= 0: exp(lr_intercept / lr_slope) = 1.21e10.
inline double LearningRateRuleLimit(const KaplanLaw& law) { return std::exp(law.lr_intercept / law.lr_slope); }

// LR(N) ≈ 0.003239 - 0.0001395 ln N (Kaplan et al. 2020, App. D.6, Eq. D.1): a rule of thumb for the peak LR
// of Adam with linear warmup then cosine decay to zero. N: non-embedding parameters. The log is natural
// ([V1]: inferred, it puts the zero at 1.21e10 where the paper says the rule breaks down, and gives GPT-3-like
// values; log10 would give ~2e-3 everywhere). Throws InvalidArgument where the rule gives LR <= 0.
inline double OptimalLearningRate(const KaplanLaw& law, double non_embedding_params) {
  RequirePositive(non_embedding_params, "N (non-embedding parameters)");
  const double lr = law.lr_intercept - law.lr_slope * std::log(non_embedding_params);
  if (!(lr > 0)) {
    throw InvalidArgument(
        "the Kaplan LR rule gives LR = " + FormatNumber(lr) + " <= 0 at N = " + FormatNumber(non_embedding_params) +
        " non-embedding parameters: the rule breaks down at N >= " + FormatNumber(LearningRateRuleLimit(law)) +
        " (Kaplan et al. 2020, App. D.6)");
  }
  return lr;
}

// The compute-efficient allocation of C_min PF-days (Kaplan et al. 2020, Table 6).
struct KaplanAllocation {
  double pf_days = 0;                // C_min, PF-days of non-embedding compute
  double params = 0;                 // N_opt = 1.3e9 C_min^0.73, non-embedding parameters
  double critical_batch_tokens = 0;  // B_crit = 2.0e6 C_min^0.24, tokens
  double steps = 0;                  // S_min = 5.4e3 C_min^0.03
  double tokens = 0;                 // D_opt = 2e10 C_min^0.27, tokens (one epoch)
};

// Table 6 of Kaplan et al. 2020 (arXiv:2001.08361), each a power law in C_min (PF-days) fitted to the
// compute-efficient frontier. These are separate fits, not one consistent solution: D_opt is close to, not
// equal to, 2 B_crit S_min (training at B = B_crit takes 2 S_min steps and 2 C_min compute, Eq. 6.7), and
// 6 N_opt D_opt ≈ 1.8 C_min at 1 PF-day (not C_min). The theoretical N exponent is alpha_C^min/alpha_N ≈ 0.71,
// with alpha_C^min = 1/(1/alpha_S + 1/alpha_B + 1/alpha_N) = 0.052.
inline KaplanAllocation ComputeEfficientAllocation(const KaplanLaw& law, double min_compute_pf_days) {
  RequirePositive(min_compute_pf_days, "C_min (PF-days)");
  const double c = min_compute_pf_days;
  return {c, law.opt_params_coefficient * std::pow(c, law.opt_params_exponent),
          law.opt_batch_coefficient * std::pow(c, law.opt_batch_exponent),
          law.opt_steps_coefficient * std::pow(c, law.opt_steps_exponent),
          law.opt_tokens_coefficient * std::pow(c, law.opt_tokens_exponent)};
}

// The bracket of Eq. B.16, 1 + (alpha_S/alpha_N)(1 - (N_eff/N)^alpha_N), with size_ratio = N/N_eff.
inline double SuboptimalSizeBracket(const KaplanLaw& law, double size_ratio) {
  RequirePositive(size_ratio, "N/N_eff (model size over the compute-efficient size)");
  const double bracket = 1 + (law.alpha_S / law.alpha_N) * (1 - std::pow(size_ratio, -law.alpha_N));
  if (!(bracket > 0)) {
    throw InvalidArgument("a model " + FormatNumber(size_ratio) +
                          " times the compute-efficient size never reaches its loss (Kaplan et al. 2020, Eq. B.16 "
                          "needs N/N_eff > " +
                          FormatNumber(std::pow(1 + law.alpha_N / law.alpha_S, -1 / law.alpha_N)) + ")");
  }
  return bracket;
}

// C(N)/C(N_eff) = (N/N_eff) [1 + (alpha_S/alpha_N)(1 - (N_eff/N)^alpha_N)]^(-1/alpha_S) (Kaplan et al. 2020,
// arXiv:2001.08361, Eq. B.16): the compute a model of size N needs to reach the loss that the
// compute-efficient size N_eff reaches, relative to N_eff's compute, with size_ratio = N/N_eff (both
// non-embedding). Uses the Table 5 alpha_N = 0.076 and alpha_S = 0.76. E.g. 2.2 → 1.20 (+20% compute).
// Throws below N/N_eff = (1 + alpha_N/alpha_S)^(-1/alpha_N) ≈ 0.285, where N cannot reach that loss.
inline double ExcessComputeFactor(const KaplanLaw& law, double size_ratio) {
  return size_ratio * std::pow(SuboptimalSizeBracket(law, size_ratio), -1 / law.alpha_S);
}

// S(N)/S(N_eff) = [1 + (alpha_S/alpha_N)(1 - (N_eff/N)^alpha_N)]^(-1/alpha_S) (Kaplan et al. 2020, Eq. B.16):
// the serial steps relative to the compute-efficient size. E.g. 2.2 → 0.547 (45% fewer steps).
inline double StepsFactor(const KaplanLaw& law, double size_ratio) {
  return std::pow(SuboptimalSizeBracket(law, size_ratio), -1 / law.alpha_S);
}

// The Kaplan et al. 2020 constants by name (the registry's, a user's or a fit's); a name absent from constants
// keeps the published value.
inline KaplanLaw KaplanLawFromConstants(const Constants& c, std::string_view law_name) {
  KaplanLaw law;
  auto get = [&](std::string_view key, double& field) { field = ConstantOr(c, key, field, law_name); };
  get("alpha_N", law.alpha_N);
  get("N_c", law.N_c);
  get("alpha_D", law.alpha_D);
  get("D_c", law.D_c);
  get("alpha_C", law.alpha_C);
  get("C_c", law.C_c);
  get("alpha_C_min", law.alpha_C_min);
  get("C_c_min", law.C_c_min);
  get("alpha_B", law.alpha_B);
  get("B_star", law.B_star);
  get("alpha_S", law.alpha_S);
  get("S_c", law.S_c);
  get("joint_alpha_N", law.joint_alpha_N);
  get("joint_alpha_D", law.joint_alpha_D);
  get("joint_N_c", law.joint_N_c);
  get("joint_D_c", law.joint_D_c);
  get("lr_intercept", law.lr_intercept);
  get("lr_slope", law.lr_slope);
  get("opt_params_coefficient", law.opt_params_coefficient);
  get("opt_params_exponent", law.opt_params_exponent);
  get("opt_batch_coefficient", law.opt_batch_coefficient);
  get("opt_batch_exponent", law.opt_batch_exponent);
  get("opt_steps_coefficient", law.opt_steps_coefficient);
  get("opt_steps_exponent", law.opt_steps_exponent);
  get("opt_tokens_coefficient", law.opt_tokens_coefficient);
  get("opt_tokens_exponent", law.opt_tokens_exponent);
  return law;
}

// The registry records of Kaplan et al. 2020: loss, learning rate, critical batch and allocation.
inline const std::vector<LawInfo>& KaplanLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const KaplanLaw k;
    const std::string kTitle = "Scaling Laws for Neural Language Models";
    const std::string kParams =
        "non-embedding parameters (about 12 n_layer d_model^2; token and position embeddings excluded)";
    constexpr ValidityRange kRange{768, 1.5e9, 2.2e7, 2.3e10};
    std::vector<LawInfo> out;

    LawInfo loss{"kaplan-loss",
                 "kaplan",
                 Quantity::kLoss,
                 "L(N, D) = [(6.4e13/N)^(0.076/0.103) + 1.8e13/D]^0.103; L(N) = (8.8e13/N)^0.076; "
                 "L(D) = (5.4e13/D)^0.095; L(C_min) = (3.1e8/C_min)^0.050",
                 {"Kaplan et al.", 2020, kTitle, "2001.08361", "Eq. 1.5 with Table 2; Table 5"},
                 kParams,
                 "L test loss in nats/token (WebText2, GPT-2 BPE vocab 50257, context 1024); D tokens; C_min in "
                 "PF-days (8.64e19 FLOPs) of non-embedding compute, 6N FLOPs per token",
                 kRange,
                 "[V2] paper text + translation; L(N, D) from early-stopped runs with 10% dropout, "
                 "so it is not a single-epoch law; overfitting sets in below D ~ 5e3 N^0.74",
                 {{"joint_alpha_N", k.joint_alpha_N},
                  {"joint_alpha_D", k.joint_alpha_D},
                  {"joint_N_c", k.joint_N_c},
                  {"joint_D_c", k.joint_D_c},
                  {"alpha_N", k.alpha_N},
                  {"N_c", k.N_c},
                  {"alpha_D", k.alpha_D},
                  {"D_c", k.D_c},
                  {"alpha_C_min", k.alpha_C_min},
                  {"C_c_min", k.C_c_min}}};
    loss.inputs = {Input::kParams, Input::kTokens};
    loss.params_kind = ParamsDefinition::kNonEmbedding;
    loss.outputs = {"loss"};
    loss.bind = [](const Constants& c) -> Evaluator {
      const KaplanLaw bound = KaplanLawFromConstants(c, "kaplan-loss");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double n = in.Need(Input::kParams), d = in.Need(Input::kTokens);
        e.Set("loss", Loss(bound, n, d));
        e.CheckRange(n, d);
      };
    };
    loss.example = {{{Input::kParams, 1e9}, {Input::kTokens, 2.2e10}},
                    {},
                    {{"loss", "2.3693"}},
                    "Kaplan et al. 2020 (arXiv:2001.08361), Eq. 1.5 with the Table 2 fit, at N = 1e9, D = 2.2e10"};
    out.push_back(std::move(loss));

    LawInfo lr{"kaplan-lr",
               "kaplan",
               Quantity::kLearningRate,
               "LR(N) = 0.003239 - 0.0001395 ln(N)",
               {"Kaplan et al.", 2020, kTitle, "2001.08361", "App. D.6, Eq. D.1"},
               kParams,
               "peak LR of Adam with 3000-step linear warmup then cosine decay to zero; batch 512 x 1024 tokens",
               kRange,
               "[V2] constants; natural log [V1] (inferred: LR reaches 0 at N = 1.21e10, where the paper says "
               "the rule breaks down); a rule of thumb, not a fit; throws for N >= 1.21e10",
               {{"lr_intercept", k.lr_intercept}, {"lr_slope", k.lr_slope}}};
    lr.inputs = {Input::kParams};
    lr.params_kind = ParamsDefinition::kNonEmbedding;
    lr.outputs = {"lr"};
    lr.bind = [](const Constants& c) -> Evaluator {
      const KaplanLaw bound = KaplanLawFromConstants(c, "kaplan-lr");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double n = in.Need(Input::kParams);
        try {
          e.Set("lr", OptimalLearningRate(bound, n));
        } catch (const InvalidArgument& error) {
          // Beyond N = exp(intercept/slope) the rule gives no learning rate: the law does not apply there.
          throw NotApplicable(error.what(), {});
        }
        e.CheckRange(n, PredictionInputs::kUnset);
      };
    };
    lr.example = {{{Input::kParams, 1e9}},
                  {},
                  {{"lr", "3.481e-4"}},
                  "Kaplan et al. 2020 (arXiv:2001.08361), App. D.6, Eq. D.1 (natural log) at N = 1e9"};
    // Section 2.3: a 3000-step linear warmup, then cosine decay to zero.
    lr.schedule = [](double peak, long steps) {
      return "cosine:peak=" + FormatNumber(peak) + ",end=0,steps=" + std::to_string(steps) +
             ",warmup=" + std::to_string(WarmupSteps(3000, steps));
    };
    out.push_back(std::move(lr));

    LawInfo batch{"kaplan-batch",
                  "kaplan",
                  Quantity::kBatchSize,
                  "B_crit(L) = 2.1e8 / L^(1/0.21) tokens",
                  {"Kaplan et al.", 2020, kTitle, "2001.08361", "Eq. 1.4, Table 5"},
                  "not an input: B_crit depends on the target loss only",
                  "B_crit in tokens; L in nats/token (WebText2, GPT-2 BPE); at B = B_crit training takes 2x the "
                  "minimum steps and 2x the minimum tokens (McCandlish et al. 2018)",
                  kRange,
                  "[V2] alpha_B 0.21; B_* = 2.1e8 in Table 5, rounded to 2e8 in Eq. 1.4 (~5% apart); the "
                  "critical batch, not an optimum of loss at fixed tokens",
                  {{"B_star", k.B_star}, {"alpha_B", k.alpha_B}}};
    batch.inputs = {Input::kLoss};
    batch.optional_inputs = {Input::kSeqLen};
    batch.outputs = {"batch_tokens", "batch_sequences"};
    batch.bind = [](const Constants& c) -> Evaluator {
      const KaplanLaw bound = KaplanLawFromConstants(c, "kaplan-batch");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        if (!in.Has(Input::kLoss)) {
          throw NotApplicable("needs {0} (the critical batch depends on the loss reached)", {Input::kLoss});
        }
        const double b = CriticalBatchTokens(bound, in.Get(Input::kLoss));
        e.Set("batch_tokens", b);
        e.Set("batch_sequences", b / in.Get(Input::kSeqLen));
        if (e.detailed) e.Note("critical batch B_crit(L): the batch beyond which more data per step stops paying");
      };
    };
    batch.example = {{{Input::kLoss, 2.5}},
                     {},
                     {{"batch_tokens", "2.675e6"}, {"batch_sequences", "1306.0"}},
                     "Kaplan et al. 2020 (arXiv:2001.08361), Eq. 1.4 with B_* = 2.1e8 of Table 5, at L = 2.5; "
                     "sequences of 2048 tokens"};
    out.push_back(std::move(batch));

    LawInfo allocation{"kaplan-allocation",
                       "kaplan",
                       Quantity::kAllocation,
                       "N_opt = 1.3e9 C_min^0.73, B_crit = 2.0e6 C_min^0.24 tokens, S_min = 5.4e3 C_min^0.03, "
                       "D_opt = 2e10 C_min^0.27 tokens",
                       {"Kaplan et al.", 2020, kTitle, "2001.08361", "Table 6"},
                       kParams,
                       "C_min in PF-days (1 PF-day = 8.64e19 FLOPs) of non-embedding compute; D_opt tokens for one "
                       "epoch; B_crit tokens",
                       kRange,
                       "[V2] Table 6; separate power-law fits (6 N_opt D_opt is about 2 C_min, not C_min); "
                       "superseded by Chinchilla's allocation, which trains smaller models on far more tokens",
                       {{"opt_params_coefficient", k.opt_params_coefficient},
                        {"opt_params_exponent", k.opt_params_exponent},
                        {"opt_batch_coefficient", k.opt_batch_coefficient},
                        {"opt_batch_exponent", k.opt_batch_exponent},
                        {"opt_steps_coefficient", k.opt_steps_coefficient},
                        {"opt_steps_exponent", k.opt_steps_exponent},
                        {"opt_tokens_coefficient", k.opt_tokens_coefficient},
                        {"opt_tokens_exponent", k.opt_tokens_exponent}}};
    allocation.inputs = {Input::kFlops};
    allocation.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
    allocation.outputs = {"params", "tokens", "flops", "tokens_per_param", "critical_batch_tokens", "steps"};
    allocation.params_kind = ParamsDefinition::kNonEmbedding;
    allocation.flop_convention = "6n-non-embedding";  // C = 6NBS, N non-embedding (Sec. 2.1)
    allocation.bind = [](const Constants& c) -> Evaluator {
      const KaplanLaw bound = KaplanLawFromConstants(c, "kaplan-allocation");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        // Table 6 allocates a compute budget: it has no loss to aim at and ignores inference.
        RequireBudgetOnly(in);
        const double flops = in.Need(Input::kFlops);
        const KaplanAllocation a = ComputeEfficientAllocation(bound, flops / kFlopsPerPetaflopDay);
        e.SetSplit(a.params, a.tokens, flops);
        e.Set("critical_batch_tokens", a.critical_batch_tokens);
        e.Set("steps", a.steps);
        if (e.detailed) e.Note("C read as C_min in PF-days (8.64e19 FLOPs); N non-embedding");
        e.CheckRange(a.params, a.tokens);
      };
    };
    allocation.example = {{{Input::kFlops, 1e3 * kFlopsPerPetaflopDay}},
                          {},
                          {{"params", "2.013e11"},
                           {"tokens", "1.291e11"},
                           {"critical_batch_tokens", "1.05e7"},
                           {"steps", "6643"}},
                          "Kaplan et al. 2020 (arXiv:2001.08361), Table 6 at C_min = 1e3 PF-days"};
    out.push_back(std::move(allocation));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
