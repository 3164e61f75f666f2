// Inference-aware allocation: Sardana et al. 2024, "Beyond Chinchilla-Optimal: Accounting for Inference in
// Language Model Scaling Laws", arXiv:2401.00448 (ICML 2024).
//
//   minimise over (N, D_tr):  6 N D_tr + 2 N D_inf    subject to  L(N, D_tr) = ℓ          (Sec. 2)
//   L = E + A/N^alpha + B/D^beta (Chinchilla, Hoffmann et al. 2022, arXiv:2203.15556, Eq. 2)
//   D_tr(N) = (B / (ℓ - E - A/N^alpha))^(1/beta)
//
// N: the parameter count the Chinchilla constant set expects (total parameters, embeddings included, for the
// published sets); D_tr training tokens seen once; D_inf lifetime inference tokens (prompt and generated
// tokens alike cost 2 N FLOPs each); ℓ in nats per token; FLOPs are floating point operations (not per second).
// The paper solves the 1-D problem with Newton root finding; here the stationarity condition is solved with
// Boost.Math's TOMS 748 on a variable in which the root is always bracketed (see MinimizeTotalFlopsForLoss).
//
// The paper's own numbers (13B model, 2T inference tokens: train 7B instead, save 1.7e22 FLOPs, 17%) are
// reproduced with the unrounded Chinchilla constants ("chinchilla-unrounded"); the printed constants give only 10.1%
// by the same procedure (worked example), so the constant set must always be explicit.
//
// Real cost (Sardana et al. 2024, Sec. 3): each FLOP term is divided by the hardware throughput actually reached
// (peak FLOP/s × MFU) and multiplied by the price of a second of that hardware. The paper splits inference into
// prefill and decode tokens with different utilisations; its MFU values and GPU price were not retrieved
// [U], so HardwareCost takes every number from the user (one blended inference MFU) and ships no default except
// the training MFU of 50% that a secondary source quotes from the paper [U].
#pragma once

#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// One model of quality `loss` trained on `tokens` and then used for `inference_flops / (2 params)` tokens.
struct InferenceAwareAllocation {
  double params = 0;           // N
  double tokens = 0;           // D_tr, training tokens
  double loss = 0;             // L(N, D_tr), nats/token
  double training_flops = 0;   // 6 N D_tr
  double inference_flops = 0;  // 2 N D_inf
  double total_flops = 0;      // training_flops + inference_flops
};

namespace inference_aware_detail {

inline void RequireNonNegative(double value, const char* what) {
  if (!(std::isfinite(value) && value >= 0)) {
    throw InvalidArgument(std::string(what) + " must be a finite number >= 0 (got " + FormatNumber(value) + ")");
  }
}

// Δ = ℓ - E > 0, or InvalidArgument.
inline double ReducibleLoss(const ChinchillaLaw& law, double target_loss) {
  RequirePositive(target_loss, "target loss");
  ComputeOptimalExponents(law);  // throws unless A, B, alpha, beta > 0
  if (!(target_loss > law.E)) {
    throw InvalidArgument("target loss " + FormatNumber(target_loss) +
                          " is not above the law's irreducible loss E = " + FormatNumber(law.E));
  }
  return target_loss - law.E;
}

// ln(1 + e^x) without overflow.
inline double Softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

inline InferenceAwareAllocation Make(double params, double tokens, double loss, double inference_tokens) {
  InferenceAwareAllocation out;
  out.params = params;
  out.tokens = tokens;
  out.loss = loss;
  out.training_flops = 6.0 * params * tokens;
  out.inference_flops = 2.0 * params * inference_tokens;
  out.total_flops = out.training_flops + out.inference_flops;
  return out;
}

}  // namespace inference_aware_detail

// The (N, D) of the Chinchilla-optimal model with N parameters under the same constants: the budget C whose
// N_opt(C) = G (C/6)^a equals params (Hoffmann et al. 2022, Eq. 4, inverted for N), so
// C/6 = (N/G)^(1/a) and D = (C/6)^b / G.
inline Allocation ChinchillaOptimalForParams(const ChinchillaLaw& law, double params) {
  RequirePositive(params, "N (parameters)");
  const AllocationExponents x = ComputeOptimalExponents(law);
  const double c6 = std::pow(params / x.G, 1.0 / x.a);
  return {6.0 * c6, params, std::pow(c6, x.b) / x.G};
}

// The loss of the Chinchilla-optimal model with N parameters: the "N-quality" target of Sardana et al. 2024
// (e.g. the "13B-quality" target of their Figure 1). Nats/token.
inline double ChinchillaOptimalLossForParams(const ChinchillaLaw& law, double params) {
  const Allocation allocation = ChinchillaOptimalForParams(law, params);
  return Loss(law, allocation.params, allocation.tokens);
}

// The training tokens a model of N parameters needs to reach target_loss:
//   D_tr(N) = (B / (ℓ - E - A/N^alpha))^(1/beta)       (Sardana et al. 2024, Sec. 2).
// Throws InvalidArgument when N is too small to reach ℓ with any data (A/N^alpha >= ℓ - E).
inline double TrainingTokensForLoss(const ChinchillaLaw& law, double target_loss, double params) {
  const double reducible = inference_aware_detail::ReducibleLoss(law, target_loss);
  RequirePositive(params, "N (parameters)");
  const double left_for_data = reducible - law.A / std::pow(params, law.alpha);
  if (!(left_for_data > 0)) {
    const double smallest = std::pow(law.A / reducible, 1.0 / law.alpha);
    throw InvalidArgument("N = " + FormatNumber(params) + " cannot reach loss " + FormatNumber(target_loss) +
                          " with any amount of data (needs N > " + FormatNumber(smallest) + ")");
  }
  const double tokens = std::pow(law.B / left_for_data, 1.0 / law.beta);
  if (!std::isfinite(tokens)) {
    throw InvalidArgument("N = " + FormatNumber(params) + " needs more training tokens than a double holds to reach " +
                          FormatNumber(target_loss));
  }
  return tokens;
}

// The allocation that forces N = params and trains it to target_loss (the 7B model of Sardana et al. 2024,
// Figure 1, trained to the 13B-quality loss).
inline InferenceAwareAllocation AllocationForParams(const ChinchillaLaw& law, double target_loss,
                                                    double inference_tokens, double params) {
  inference_aware_detail::RequireNonNegative(inference_tokens, "D_inf (inference tokens)");
  const double tokens = TrainingTokensForLoss(law, target_loss, params);
  return inference_aware_detail::Make(params, tokens, Loss(law, params, tokens), inference_tokens);
}

// The (N, D_tr) of loss target_loss that minimises lifetime FLOPs 6 N D_tr + 2 N D_inf (Sardana et al. 2024,
// Sec. 2). inference_tokens = 0 gives the Chinchilla-optimal model of that loss.
//
// Method. Write the reducible loss Δ = ℓ - E as A/N^alpha = (1 - w) Δ and B/D^beta = w Δ, w ∈ (0, 1). Along the
// constraint, d/dN of the objective is 6 D (1 - (alpha/beta)(1 - w)/w) + 2 D_inf, so the optimum solves
//   3 D(w) ((alpha/beta)(1 - w)/w - 1) = D_inf,   D(w) = (B / (w Δ))^(1/beta).
// Let w_c = alpha/(alpha + beta), the Chinchilla point. On (0, w_c] the left side falls strictly from +∞
// (w → 0: D → ∞ while A/N^alpha → Δ) to 0, so there is exactly one root in (0, w_c). This matches the shape of
// the objective: it is convex in ln N (6 N D_tr is exp of a convex function of ln N, 2 N D_inf = 2 D_inf e^ln N),
// hence unimodal, and the root is its only stationary point. With w = w_c σ(y) (σ the logistic function) the root is
// bracketed for y in all of ℝ and every term stays finite: ln of the left side is
//   ln 3 + (ln B - ln Δ - ln w)/beta + ln(alpha σ(-y)/(beta w)),   ln w = ln w_c - softplus(-y),
// strictly decreasing in y. TOMS 748 (Boost.Math) solves it after the bracket is grown geometrically.
// Throws InvalidArgument when target_loss <= E.
inline InferenceAwareAllocation MinimizeTotalFlopsForLoss(const ChinchillaLaw& law, double target_loss,
                                                          double inference_tokens) {
  using inference_aware_detail::Softplus;
  const double reducible = inference_aware_detail::ReducibleLoss(law, target_loss);
  inference_aware_detail::RequireNonNegative(inference_tokens, "D_inf (inference tokens)");
  const double w_c = law.alpha / (law.alpha + law.beta);
  const double log_data_scale = std::log(law.B) - std::log(reducible);  // ln(B/Δ)

  double log_w = std::log(w_c);  // inference_tokens == 0: the Chinchilla point
  if (inference_tokens > 0) {
    const double target = std::log(inference_tokens);
    auto excess = [&](double y) {
      const double lw = std::log(w_c) - Softplus(-y);
      return std::log(3.0) + (log_data_scale - lw) / law.beta + std::log(law.alpha / law.beta) - Softplus(y) - lw -
             target;
    };
    double lo = -1, hi = 1;
    double f_lo = excess(lo), f_hi = excess(hi);
    for (int i = 0; i < 64 && f_lo < 0; ++i) f_lo = excess(lo *= 2);
    for (int i = 0; i < 64 && f_hi > 0; ++i) f_hi = excess(hi *= 2);
    if (!(f_lo >= 0 && f_hi <= 0)) {
      throw InvalidArgument("no inference-aware optimum found for loss " + FormatNumber(target_loss) +
                            " and D_inf = " + FormatNumber(inference_tokens));
    }
    double y = f_lo == 0 ? lo : hi;
    if (f_lo != 0 && f_hi != 0) {
      std::uintmax_t iterations = 200;
      const std::pair<double, double> root = boost::math::tools::toms748_solve(
          excess, lo, hi, f_lo, f_hi, boost::math::tools::eps_tolerance<double>(), iterations);
      y = 0.5 * (root.first + root.second);
    }
    log_w = std::log(w_c) - Softplus(-y);
  }
  const double w = std::exp(log_w);
  const double params = std::pow(law.A / ((1.0 - w) * reducible), 1.0 / law.alpha);
  const double tokens = std::exp((log_data_scale - log_w) / law.beta);
  if (!(std::isfinite(params) && std::isfinite(tokens) && params > 0 && tokens > 0)) {
    throw InvalidArgument("the inference-aware optimum for loss " + FormatNumber(target_loss) +
                          " and D_inf = " + FormatNumber(inference_tokens) + " is outside the range of a double");
  }
  return inference_aware_detail::Make(params, tokens, Loss(law, params, tokens), inference_tokens);
}

// The lowest loss reachable when training plus inference may cost total_flops = 6 N D_tr + 2 N D_inf
// (Sardana et al. 2024, Sec. 2, the same problem read the other way). The least lifetime cost of loss ℓ,
// MinimizeTotalFlopsForLoss(ℓ).total_flops, falls strictly and continuously from +∞ (ℓ → E) to 0 (ℓ → ∞), so
// the answer is the ℓ whose least cost equals total_flops; it is found by TOMS 748 on ln(ℓ - E), starting from
// the Chinchilla-optimal loss of the same budget (which is a lower bound, reached when D_inf = 0).
// total_flops must leave room for the inference: every positive budget does, with a small enough model.
inline InferenceAwareAllocation MinimizeLossForBudget(const ChinchillaLaw& law, double total_flops,
                                                      double inference_tokens) {
  RequirePositive(total_flops, "total FLOPs (training + inference)");
  inference_aware_detail::RequireNonNegative(inference_tokens, "D_inf (inference tokens)");
  const Allocation chinchilla = ComputeOptimal(law, total_flops);
  const double chinchilla_loss = Loss(law, chinchilla.params, chinchilla.tokens);
  if (inference_tokens == 0) return MinimizeTotalFlopsForLoss(law, chinchilla_loss, 0.0);

  const double log_total = std::log(total_flops);
  auto excess = [&](double log_reducible) {
    return std::log(MinimizeTotalFlopsForLoss(law, law.E + std::exp(log_reducible), inference_tokens).total_flops) -
           log_total;
  };
  double lo = std::log(chinchilla_loss - law.E);
  double f_lo = excess(lo);  // >= 0: inference only adds cost
  double step = 0.5;
  double hi = lo + step;
  double f_hi = excess(hi);
  for (int i = 0; i < 200 && f_hi > 0; ++i) {
    lo = hi;
    f_lo = f_hi;
    step *= 2;
    hi = lo + step;
    f_hi = excess(hi);
  }
  if (!(f_lo >= 0 && f_hi <= 0)) {
    throw InvalidArgument("no loss found for a budget of " + FormatNumber(total_flops) +
                          " FLOPs with D_inf = " + FormatNumber(inference_tokens));
  }
  double log_reducible = f_lo == 0 ? lo : hi;
  if (f_lo != 0 && f_hi != 0) {
    std::uintmax_t iterations = 200;
    // The inner solve is accurate to a few ulps, so ask the outer one for 48 bits only.
    const std::pair<double, double> root = boost::math::tools::toms748_solve(
        excess, lo, hi, f_lo, f_hi, boost::math::tools::eps_tolerance<double>(48), iterations);
    log_reducible = 0.5 * (root.first + root.second);
  }
  return MinimizeTotalFlopsForLoss(law, law.E + std::exp(log_reducible), inference_tokens);
}

// Hardware and price for the dollar-cost variant (Sardana et al. 2024, Sec. 3). All values come from the user:
// the paper's inference MFUs and GPU price were not retrieved [U]; training_mfu = 0.5 is the value a
// secondary source quotes from the paper [U]. inference_mfu is one blended utilisation for prefill and decode
// tokens (decode runs at a far lower MFU than prefill; weight them by your token mix).
struct HardwareCost {
  double peak_flops_per_second = 0;  // peak FLOP/s of one accelerator (or of whatever unit price_per_second buys)
  double training_mfu = 0.5;         // model FLOPs utilisation in training, in (0, 1]
  double inference_mfu = 0;          // model FLOPs utilisation in inference, in (0, 1]
  double price_per_second = 0;       // dollars per second of that accelerator
};

namespace inference_aware_detail {

inline void RequireHardware(const HardwareCost& hardware) {
  RequirePositive(hardware.peak_flops_per_second, "peak FLOP/s");
  RequirePositive(hardware.training_mfu, "training MFU");
  RequirePositive(hardware.inference_mfu, "inference MFU");
  RequirePositive(hardware.price_per_second, "price per second");
  if (hardware.training_mfu > 1 || hardware.inference_mfu > 1) {
    throw InvalidArgument("MFU is a fraction of peak throughput and must be at most 1 (got training " +
                          FormatNumber(hardware.training_mfu) + ", inference " + FormatNumber(hardware.inference_mfu) +
                          ")");
  }
}

}  // namespace inference_aware_detail

// Dollars to train N parameters on training_tokens and serve inference_tokens (Sardana et al. 2024, Sec. 3):
//   price · [6 N D_tr / (MFU_train · peak) + 2 N D_inf / (MFU_inf · peak)].
inline double TotalCostDollars(const HardwareCost& hardware, double params, double training_tokens,
                               double inference_tokens) {
  inference_aware_detail::RequireHardware(hardware);
  RequirePositive(params, "N (parameters)");
  RequirePositive(training_tokens, "D_tr (training tokens)");
  inference_aware_detail::RequireNonNegative(inference_tokens, "D_inf (inference tokens)");
  const double seconds = 6.0 * params * training_tokens / (hardware.training_mfu * hardware.peak_flops_per_second) +
                         2.0 * params * inference_tokens / (hardware.inference_mfu * hardware.peak_flops_per_second);
  return seconds * hardware.price_per_second;
}

// An inference-aware allocation with its price.
struct InferenceAwareCostAllocation {
  InferenceAwareAllocation allocation;  // FLOPs are real FLOPs (6 N D_tr and 2 N D_inf)
  double training_dollars = 0;
  double inference_dollars = 0;
  double total_dollars = 0;
};

// The (N, D_tr) of loss target_loss with the lowest dollar cost (Sardana et al. 2024, Sec. 3, with one blended
// inference MFU). The cost is proportional to 6 N D_tr + 2 N D_inf · (MFU_train / MFU_inf), so this is
// MinimizeTotalFlopsForLoss with the inference tokens weighted by MFU_train / MFU_inf.
inline InferenceAwareCostAllocation MinimizeTotalCostForLoss(const ChinchillaLaw& law, const HardwareCost& hardware,
                                                             double target_loss, double inference_tokens) {
  inference_aware_detail::RequireHardware(hardware);
  inference_aware_detail::RequireNonNegative(inference_tokens, "D_inf (inference tokens)");
  const InferenceAwareAllocation weighted =
      MinimizeTotalFlopsForLoss(law, target_loss, inference_tokens * (hardware.training_mfu / hardware.inference_mfu));
  InferenceAwareCostAllocation out;
  out.allocation = inference_aware_detail::Make(weighted.params, weighted.tokens, weighted.loss, inference_tokens);
  const double dollars_per_flop = hardware.price_per_second / hardware.peak_flops_per_second;
  out.training_dollars = out.allocation.training_flops / hardware.training_mfu * dollars_per_flop;
  out.inference_dollars = out.allocation.inference_flops / hardware.inference_mfu * dollars_per_flop;
  out.total_dollars = out.training_dollars + out.inference_dollars;
  return out;
}

namespace inference_aware_detail {

// The input's value, or NotApplicable "needs {0} <purpose>".
inline double NeedFor(const PredictionInputs& in, Input input, const char* purpose) {
  if (!in.Has(input)) throw NotApplicable(std::string("needs {0} ") + purpose, {input});
  return in.Get(input);
}

}  // namespace inference_aware_detail

// Every output AllocateChinchillaForm may set, in order; each evaluation sets those of one case.
inline const std::vector<std::string>& ChinchillaAllocationOutputs() {
  static const std::vector<std::string> outputs = {"params",
                                                   "tokens",
                                                   "flops",
                                                   "tokens_per_param",
                                                   "loss",
                                                   "epochs",
                                                   "inference_flops",
                                                   "total_flops",
                                                   "chinchilla_params",
                                                   "chinchilla_total_flops",
                                                   "saving_fraction",
                                                   "training_dollars",
                                                   "inference_dollars",
                                                   "total_dollars"};
  return outputs;
}

// The allocation of a Chinchilla-form law, by what the inputs ask for:
// - a dollar cost (any of gpu_flops, inference_mfu, gpu_hour_price given): the least training + inference dollars
//   for a target loss and inference tokens (Sardana et al. 2024, arXiv:2401.00448, Sec. 3);
// - inference tokens: the least training 6ND + inference 2N D_inf FLOPs for a target loss, or the lowest loss for a
//   total FLOPs budget (Sardana et al. 2024, Sec. 2), with the Chinchilla-optimal model of the same loss for the
//   saving (their Figure 1);
// - otherwise the compute-optimal split of a FLOPs budget, or of the budget that reaches a target loss
//   (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 4).
// Writes the keys of ChinchillaAllocationOutputs() that the case defines; throws NotApplicable when an input it
// needs is missing or unique tokens are given (a data-constrained question).
inline void AllocateChinchillaForm(const ChinchillaLaw& law, const PredictionInputs& in, Evaluation& e) {
  using inference_aware_detail::NeedFor;
  if (in.Has(Input::kUniqueTokens)) {
    throw NotApplicable("{0} needs the data-constrained law (law family 'datablations')", {Input::kUniqueTokens});
  }
  if (in.Has(Input::kGpuFlops) || in.Has(Input::kInferenceMfu) || in.Has(Input::kGpuHourPrice)) {
    // The dollar variant: training and inference FLOPs priced through each phase's utilisation.
    HardwareCost hardware;
    hardware.peak_flops_per_second = NeedFor(in, Input::kGpuFlops, "for a dollar cost");
    hardware.training_mfu = in.Has(Input::kTrainMfu) ? in.Get(Input::kTrainMfu) : 0.5;
    hardware.inference_mfu = NeedFor(in, Input::kInferenceMfu, "for a dollar cost");
    hardware.price_per_second = NeedFor(in, Input::kGpuHourPrice, "for a dollar cost") / 3600;
    const double target_loss = NeedFor(in, Input::kTargetLoss, "for a dollar cost");
    const double inference_tokens = NeedFor(in, Input::kInferenceTokens, "for a dollar cost");
    const InferenceAwareCostAllocation c = MinimizeTotalCostForLoss(law, hardware, target_loss, inference_tokens);
    const InferenceAwareAllocation& a = c.allocation;
    e.SetSplit(a.params, a.tokens, a.training_flops);
    e.Set("loss", a.loss);
    e.Set("inference_flops", a.inference_flops);
    e.Set("training_dollars", c.training_dollars);
    e.Set("inference_dollars", c.inference_dollars);
    e.Set("total_dollars", c.total_dollars);
    if (e.detailed) {
      if (!in.Has(Input::kTrainMfu)) e.Note("training MFU 0.5 (the value a secondary source quotes)");
      e.Note("minimises training + inference dollars at the given utilisations and price");
    }
    e.CheckRange(a.params, a.tokens);
    return;
  }
  if (in.Has(Input::kInferenceTokens)) {
    // C is the training compute everywhere; the budget an inference-aware split spends is the lifetime's.
    const double inference_tokens = in.Get(Input::kInferenceTokens);
    InferenceAwareAllocation a;
    if (in.Has(Input::kTargetLoss) && in.Has(Input::kLifetimeFlops)) {
      throw NotApplicable("reaches a target loss {0} or spends a lifetime budget {1}, not both",
                          {Input::kTargetLoss, Input::kLifetimeFlops});
    }
    if (in.Has(Input::kTargetLoss)) {
      a = MinimizeTotalFlopsForLoss(law, in.Get(Input::kTargetLoss), inference_tokens);
    } else if (in.Has(Input::kLifetimeFlops)) {
      a = MinimizeLossForBudget(law, in.Get(Input::kLifetimeFlops), inference_tokens);
    } else if (in.Has(Input::kFlops)) {
      throw NotApplicable(
          "takes {0} as the training compute; with {1} it splits a lifetime budget {2} (training plus inference) "
          "or reaches a target loss {3}",
          {Input::kFlops, Input::kInferenceTokens, Input::kLifetimeFlops, Input::kTargetLoss});
    } else {
      throw NotApplicable("needs {0} or {1}", {Input::kLifetimeFlops, Input::kTargetLoss});
    }
    e.SetSplit(a.params, a.tokens, a.training_flops);
    e.Set("loss", a.loss);
    e.Set("inference_flops", a.inference_flops);
    e.Set("total_flops", a.total_flops);
    // The Chinchilla-optimal model of the same loss, for the saving (Sardana et al. 2024, Fig. 1).
    const double reference_flops = ComputeForLoss(law, a.loss);
    const Allocation reference = ComputeOptimal(law, reference_flops);
    const double reference_total = reference_flops + 2 * reference.params * inference_tokens;
    e.Set("chinchilla_params", reference.params);
    e.Set("chinchilla_total_flops", reference_total);
    e.Set("saving_fraction", 1 - a.total_flops / reference_total);
    if (e.detailed) e.Note("minimises training 6ND + inference 2N·D_inf FLOPs (Sardana et al. 2024)");
    e.CheckRange(a.params, a.tokens);
    return;
  }
  if (in.Has(Input::kLifetimeFlops)) {
    throw NotApplicable("spends a lifetime budget {0} when given the inference tokens {1}",
                        {Input::kLifetimeFlops, Input::kInferenceTokens});
  }
  const double flops =
      in.Has(Input::kTargetLoss) ? ComputeForLoss(law, in.Get(Input::kTargetLoss)) : in.Need(Input::kFlops);
  const Allocation a = ComputeOptimal(law, flops);
  e.SetSplit(a.params, a.tokens, flops);
  e.Set("loss", Loss(law, a.params, a.tokens));
  e.Set("epochs", 1.0);
  e.CheckRange(a.params, a.tokens);
}

// The registry record (Quantity::kAllocation). It runs on a Chinchilla constant set, by default the unrounded
// one the paper used ("chinchilla-unrounded"); E, A, B, alpha, beta are read by name, so another set (a user's or
// a fit's) can replace it.
inline const std::vector<LawInfo>& InferenceAwareLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const ChinchillaLaw unrounded = FindChinchillaPreset("chinchilla-unrounded").law;
    LawInfo sardana{
        "sardana",
        "sardana",
        Quantity::kAllocation,
        "minimise 6 N D_tr + 2 N D_inf subject to E + A/N^alpha + B/D_tr^beta = target loss; "
        "D_tr(N) = (B / (target - E - A/N^alpha))^(1/beta)",
        {"Sardana et al.", 2024, "Beyond Chinchilla-Optimal: Accounting for Inference in Language Model Scaling Laws",
         "2401.00448", "Sec. 2 (FLOPs objective), Sec. 3 (dollar cost), Figure 1"},
        "the N of the Chinchilla constant set used (total parameters, embeddings included, for the published sets)",
        "target loss in nats/token; D_tr training tokens, D_inf lifetime inference tokens (input and output); FLOPs "
        "(6 per parameter per training token, 2 per parameter per inference token); dollar variant: peak FLOP/s, "
        "MFU fractions and price per second supplied by the user",
        ValidityRange{},
        "FLOPs objective from the paper; its Figure 1 example (17%) is reproduced only with the unrounded "
        "Chinchilla constants (16.3%; printed constants give 10.1%); inherits the validity range of the Chinchilla "
        "constant set; the paper's inference MFUs and GPU price are not retrieved [U] and not shipped, training MFU "
        "0.5 is a secondary-source default [U]; Chinchilla coefficients fitted on typical tokens/parameter "
        "overestimate the value of extra tokens at extreme tokens/parameter (paper ablation)",
        ChinchillaConstants(unrounded)};
    // What the FLOPs and the dollar cost count: fixed in AllocateChinchillaForm, listed for the reader, not read.
    sardana.constants.insert(sardana.constants.end(), {{"flops_per_param_per_training_token", 6.0},
                                                       {"flops_per_param_per_inference_token", 2.0},
                                                       {"default_training_mfu", 0.5}});
    sardana.inputs = {Input::kInferenceTokens};
    sardana.optional_inputs = {Input::kTargetLoss,   Input::kFlops,        Input::kLifetimeFlops,        Input::kGpuFlops,    Input::kTrainMfu,
                               Input::kInferenceMfu, Input::kGpuHourPrice, Input::kUniqueTokens};
    sardana.outputs = ChinchillaAllocationOutputs();
    sardana.params_kind = ParamsDefinition::kTotal;
    sardana.flop_convention = "6n";  // 6 N D_tr training FLOPs (Sec. 2)
    sardana.bind = [](const Constants& c) -> Evaluator {
      const ChinchillaLaw law = ChinchillaLawFromConstants(c, "sardana");
      const ChinchillaLaw unrounded = FindChinchillaPreset("chinchilla-unrounded").law;
      const bool published = law.E == unrounded.E && law.A == unrounded.A && law.B == unrounded.B &&
                             law.alpha == unrounded.alpha && law.beta == unrounded.beta;
      return [law, published](const PredictionInputs& in, Evaluation& e) {
        in.Need(Input::kInferenceTokens);
        if (published && e.detailed) e.Note("Chinchilla unrounded constants, as Sardana et al. used");
        AllocateChinchillaForm(law, in, e);
      };
    };
    // The "13B-quality" target: the loss of the Chinchilla-optimal 13B model under the same constants.
    sardana.example = {
        {{Input::kInferenceTokens, 2e12}, {Input::kTargetLoss, ChinchillaOptimalLossForParams(unrounded, 13e9)}},
        {},
        {{"params", "7.12e9"},
         {"tokens", "1.295e12"},
         {"loss", "2.0238"},
         {"total_flops", "8.381e22"},
         {"chinchilla_params", "1.3e10"},
         {"chinchilla_total_flops", "1.0016e23"},
         {"saving_fraction", "0.163"}},
        "Sardana et al. 2024 (arXiv:2401.00448), Figure 1: a 13B-quality model served 2T inference "
        "tokens is best trained at 7B (the paper: 1.7e22 FLOPs, 17% saved; 16.3% with the unrounded "
        "Chinchilla constants)"};
    std::vector<LawInfo> out;
    out.push_back(std::move(sardana));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
