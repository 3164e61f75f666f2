// Data-constrained scaling: Muennighoff et al. 2023, "Scaling Data-Constrained Language Models",
// arXiv:2305.16264 (NeurIPS 2023), Sec. 3 (the data-constrained scaling law), with the C4 fit
// and the allocation grid search of the authors' repository (huggingface/datablations, README "Parametric Fit").
//
//   U_D = unique tokens seen,  R_D = D/U_D - 1                      (repetitions beyond the first epoch)
//   D'  = U_D + U_D R_D* (1 - exp(-R_D/R_D*))                       effective data
//   U_N = min(N, N_opt(U_D)),  R_N = N/U_N - 1                      (excess parameters)
//   N'  = U_N + U_N R_N* (1 - exp(-R_N/R_N*))                       effective parameters
//   L(N, D, U_D) = E + A/N'^alpha + B/D'^beta
//   N_opt(U) = G (G U)^(beta/alpha),  G = (alpha A / (beta B))^(1/(alpha+beta))   (repo D_to_N)
//
// N: parameters as the paper counts them (whether embeddings are included was not established [U]); D: total
// training tokens (all epochs); U: unique tokens; GPT-2 tokenizer on C4; L in nats per token on C4 validation.
// The constants are fitted on C4 (up to 9B parameters, 900B total tokens, 400 runs) and do not transfer to other data
// or tokenizers. The repo itself warns the absolute loss is "unlikely to be useful"; use it to compare allocations.
// [V2]
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The C4 fit of the datablations README, stored in log space there (a, b, e); A, B, E are their exponentials,
// exactly as the repo computes them, so the README's printed losses are reproduced to the last digit. [V2]
struct DataConstrainedLaw {
  double E = std::exp(0.6254804);  // 1.86914, irreducible loss, nats/token
  double A = std::exp(6.255414);   // 520.82
  double B = std::exp(7.3049974);  // 1487.72
  double alpha = 0.3526596;        // parameter exponent
  double beta = 0.3526596;         // data exponent (the fit ties alpha = beta)
  double rd_star = 15.387756;      // R_D*: decay constant of repeated data, in epochs (paper: ≈ 15.4)
  double rn_star = 5.309743;       // R_N*: decay constant of excess parameters (paper: ≈ 5.3)
};

// The same E, A, B, alpha, beta as a plain Chinchilla law: the loss and allocation when unique data is not the
// constraint (every token seen once).
inline ChinchillaLaw AsChinchillaLaw(const DataConstrainedLaw& law) {
  return {law.E, law.A, law.B, law.alpha, law.beta};
}

namespace data_constrained_detail {

inline void RequireLaw(const DataConstrainedLaw& law) {
  if (!(law.A > 0 && law.B > 0 && law.alpha > 0 && law.beta > 0 && law.rd_star > 0 && law.rn_star > 0)) {
    throw InvalidArgument("a data-constrained law needs A, B, alpha, beta, R_D* and R_N* > 0");
  }
}

}  // namespace data_constrained_detail

// U_N's cap: the compute-optimal parameter count for a Chinchilla-optimal run on unique_tokens tokens,
// N_opt(U) = G (G U)^(beta/alpha) (repo D_to_N; Muennighoff et al. 2023, Sec. 3).
inline double UniqueParams(const DataConstrainedLaw& law, double unique_tokens) {
  data_constrained_detail::RequireLaw(law);
  RequirePositive(unique_tokens, "U (unique tokens)");
  const double G = ComputeOptimalExponents(AsChinchillaLaw(law)).G;
  return std::pow(unique_tokens * G, law.beta / law.alpha) * G;
}

// D' = U_D + U_D R_D* (1 - exp(-R_D/R_D*)), R_D = max(D/U_D - 1, 0) (Muennighoff et al. 2023, Sec. 3).
// unique_tokens is the pool of unique tokens available; a run of D tokens sees U_D = min(U, D) of them (the
// repo's optimal_allocation clamps U the same way before calling scaling_law, which asserts U <= D). D' <= D,
// D' = D while D <= U, and D' < (1 + R_D*) U_D for any number of epochs.
inline double EffectiveData(const DataConstrainedLaw& law, double tokens, double unique_tokens) {
  data_constrained_detail::RequireLaw(law);
  RequirePositive(tokens, "D (tokens)");
  RequirePositive(unique_tokens, "U (unique tokens)");
  const double seen = std::min(unique_tokens, tokens);
  const double repetitions = std::max(tokens / seen - 1.0, 0.0);
  return seen + seen * law.rd_star * (1.0 - std::exp(-repetitions / law.rd_star));
}

// N' = U_N + U_N R_N* (1 - exp(-R_N/R_N*)), U_N = min(N, N_opt(U)), R_N = max(N/U_N - 1, 0)
// (Muennighoff et al. 2023, Sec. 3). unique_tokens is the U_D of the run (Loss passes min(U, D)).
// N' = N while N <= N_opt(U), and N' < (1 + R_N*) U_N beyond.
inline double EffectiveParams(const DataConstrainedLaw& law, double params, double unique_tokens) {
  RequirePositive(params, "N (parameters)");
  const double unique_params = std::min(params, UniqueParams(law, unique_tokens));
  const double excess = std::max(params / unique_params - 1.0, 0.0);
  return unique_params + unique_params * law.rn_star * (1.0 - std::exp(-excess / law.rn_star));
}

// L(N, D, U) = E + A/N'^alpha + B/D'^beta in nats/token on C4 (Muennighoff et al. 2023, Sec. 3; the README's
// scaling_law). tokens: total training tokens D (all epochs); unique_tokens: the unique tokens available (the
// run sees U_D = min(U, D) of them). With the paper's U_N = min(N, N_opt(U_D)), parameters beyond N_opt(D)
// ≈ 0.051 D count as excess even in a single epoch, so the law equals Chinchilla only for D <= U and N <= N_opt(D).
inline double Loss(const DataConstrainedLaw& law, double params, double tokens, double unique_tokens) {
  RequirePositive(params, "N (parameters)");
  RequirePositive(tokens, "D (tokens)");
  RequirePositive(unique_tokens, "U (unique tokens)");
  const double seen = std::min(unique_tokens, tokens);
  return law.E + law.A / std::pow(EffectiveParams(law, params, seen), law.alpha) +
         law.B / std::pow(EffectiveData(law, tokens, seen), law.beta);
}

// An allocation of a training budget C = 6 N D under a unique-data limit.
struct DataConstrainedAllocation {
  double flops = 0;           // C = 6 N D of the starting (Chinchilla-optimal) point; every grid point has the same N D
  double params = 0;          // N
  double tokens = 0;          // D, total training tokens
  double epochs = 0;          // D / U (U as given, not clamped)
  double loss = 0;            // L(N, D, U), nats/token
  bool at_grid_edge = false;  // the best point is a grid end (scale 3 or 1/3): the true optimum may lie beyond
};

// The README's grid search around a starting point (datablations README, optimal_allocation): for each
// i in numpy.linspace(1.0001, 3, 500), try (N/i, D·i) then (N·i, D/i), each with U clamped to D, and keep the
// first point with the strictly lowest loss. N·D, and so C = 6 N D, stays that of the starting point. The grid
// never tries the starting point itself (the smallest scale is 1.0001).
inline DataConstrainedAllocation OptimalAllocationAround(const DataConstrainedLaw& law, double base_params,
                                                         double base_tokens, double unique_tokens) {
  RequirePositive(base_params, "N (parameters)");
  RequirePositive(base_tokens, "D (tokens)");
  RequirePositive(unique_tokens, "U (unique tokens)");
  constexpr int kPoints = 500;
  constexpr double kStart = 1.0001, kStop = 3.0;
  const double step = (kStop - kStart) / (kPoints - 1);  // numpy.linspace: start + k step, last point = stop
  DataConstrainedAllocation best;
  best.flops = 6.0 * base_params * base_tokens;
  best.loss = std::numeric_limits<double>::infinity();
  for (int k = 0; k < kPoints; ++k) {
    const double i = k == kPoints - 1 ? kStop : kStart + k * step;
    const double candidates[2][2] = {{base_params / i, base_tokens * i}, {base_params * i, base_tokens / i}};
    for (const auto& candidate : candidates) {
      const double loss = Loss(law, candidate[0], candidate[1], std::min(unique_tokens, candidate[1]));
      if (loss < best.loss) {
        best.loss = loss;
        best.params = candidate[0];
        best.tokens = candidate[1];
        best.at_grid_edge = k == kPoints - 1;
      }
    }
  }
  best.epochs = best.tokens / unique_tokens;
  return best;
}

// The allocation of C FLOPs (C = 6 N D) with unique_tokens unique tokens available: the README's grid search
// (OptimalAllocationAround) started from the Chinchilla-optimal (N, D) of C under the same constants
// (AsChinchillaLaw; Hoffmann et al. 2022, Eq. 4). Worked example (the README's algorithm from that start):
// C = 1e22, U = 25e9 give D = 2.37337e11, 9.4935 epochs, N = 7.02236e9, L = 2.222129. The README itself starts
// its example from a hand-picked point (8.67e9, 178e9); the Chinchilla-optimal start makes the answer a function
// of (C, U) alone, which is what is done here.
// A grid search, not a closed form (the authors ask for one): scales beyond 3x are never tried, see at_grid_edge.
inline DataConstrainedAllocation ComputeOptimal(const DataConstrainedLaw& law, double flops, double unique_tokens) {
  data_constrained_detail::RequireLaw(law);
  RequirePositive(flops, "C (FLOPs)");
  RequirePositive(unique_tokens, "U (unique tokens)");
  const Allocation base = ComputeOptimal(AsChinchillaLaw(law), flops);
  DataConstrainedAllocation out = OptimalAllocationAround(law, base.params, base.tokens, unique_tokens);
  out.flops = flops;
  return out;
}

// The C4 fit with constants by name (the registry's, a user's or a fit's); a name absent from constants keeps
// the README's value.
inline DataConstrainedLaw DataConstrainedLawFromConstants(const Constants& c, std::string_view law_name) {
  DataConstrainedLaw law;
  auto get = [&](std::string_view key, double& field) { field = ConstantOr(c, key, field, law_name); };
  get("E", law.E);
  get("A", law.A);
  get("B", law.B);
  get("alpha", law.alpha);
  get("beta", law.beta);
  get("R_D*", law.rd_star);
  get("R_N*", law.rn_star);
  return law;
}

// The registry records: the loss (kLoss) and the grid-search allocation (kAllocation).
inline const std::vector<LawInfo>& DataConstrainedLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const DataConstrainedLaw k;
    const std::string kTitle = "Scaling Data-Constrained Language Models";
    const std::string kParams =
        "parameters of the GPT-2-style decoder as the paper counts them (embeddings included or not: not stated [U])";
    const std::string kUnits =
        "L in nats/token on C4 validation (GPT-2 tokenizer); D total training tokens over all epochs; U unique "
        "tokens available (a run sees min(U, D)); C = 6ND FLOPs";
    constexpr ValidityRange kRange{0, 9e9, 0, 9e11};  // "up to 9B parameters, 900B total tokens"; minima not stated
    const Constants constants = {{"E", k.E},       {"A", k.A},          {"B", k.B},         {"alpha", k.alpha},
                                 {"beta", k.beta}, {"R_D*", k.rd_star}, {"R_N*", k.rn_star}};
    std::vector<LawInfo> out;

    LawInfo loss{"datablations-loss",
                 "datablations",
                 Quantity::kLoss,
                 "L = E + A/N'^alpha + B/D'^beta; D' = U_D + U_D R_D* (1 - exp(-R_D/R_D*)), R_D = D/U_D - 1; "
                 "N' = U_N + U_N R_N* (1 - exp(-R_N/R_N*)), U_N = min(N, G (G U_D)^(beta/alpha)), R_N = N/U_N - 1",
                 {"Muennighoff et al.", 2023, kTitle, "2305.16264",
                  "Sec. 3; C4 fit from huggingface/datablations README \"Parametric Fit\""},
                 kParams,
                 kUnits,
                 kRange,
                 "[V2] repo README + paper text (R_D* ~ 15.4, R_N* ~ 5.3); README losses reproduced exactly; fitted "
                 "on C4 only, absolute loss values are not meant to transfer (README)",
                 constants};
    loss.inputs = {Input::kParams, Input::kTokens, Input::kUniqueTokens};
    loss.outputs = {"loss", "epochs"};
    loss.bind = [](const Constants& c) -> Evaluator {
      const DataConstrainedLaw bound = DataConstrainedLawFromConstants(c, "datablations-loss");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double n = in.Need(Input::kParams), d = in.Need(Input::kTokens);
        const double u = in.Need(Input::kUniqueTokens);
        e.Set("loss", Loss(bound, n, d, u));
        e.Set("epochs", d / u);
        e.CheckRange(n, d);
      };
    };
    loss.example = {{{Input::kParams, 6.34e9}, {Input::kTokens, 2.42e11}, {Input::kUniqueTokens, 2.5e10}},
                    {},
                    {{"loss", "2.225644088998"}, {"epochs", "9.68"}},
                    "huggingface/datablations README \"Parametric Fit\" (Muennighoff et al. 2023, arXiv:2305.16264, "
                    "Figure 1 right): scaling_law(6.34e9, 242e9, 25e9) = 2.2256440889984477"};
    out.push_back(std::move(loss));

    LawInfo allocation{"datablations-allocation",
                       "datablations",
                       Quantity::kAllocation,
                       "grid search from the Chinchilla-optimal (N, D) of C: (N/i, D i) and (N i, D/i) for i in "
                       "linspace(1.0001, 3, 500), keeping N D = C/6, minimising L(N, D, U)",
                       {"Muennighoff et al.", 2023, kTitle, "2305.16264",
                        "huggingface/datablations README \"Parametric Fit\", optimal_allocation"},
                       kParams,
                       kUnits,
                       kRange,
                       "[V2] README algorithm and constants; a grid search (no closed form), scales beyond 3x the "
                       "Chinchilla-optimal split are not explored",
                       constants};
    allocation.inputs = {Input::kFlops, Input::kUniqueTokens};
    allocation.optional_inputs = {Input::kTargetLoss, Input::kInferenceTokens};
    allocation.outputs = {"params", "tokens", "flops", "tokens_per_param", "loss", "epochs"};
    allocation.flop_convention = "6n";  // C = 6ND (Muennighoff et al. 2023, Sec. 3)
    allocation.bind = [](const Constants& c) -> Evaluator {
      const DataConstrainedLaw bound = DataConstrainedLawFromConstants(c, "datablations-allocation");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        const double u = in.Need(Input::kUniqueTokens);
        // The README's optimal_allocation splits a FLOPs budget; it has no target loss and no inference term.
        if (in.Has(Input::kTargetLoss) || in.Has(Input::kInferenceTokens)) {
          throw NotApplicable("allocates a FLOPs budget only (no {0} or {1})",
                              {Input::kTargetLoss, Input::kInferenceTokens});
        }
        const DataConstrainedAllocation a = ComputeOptimal(bound, in.Need(Input::kFlops), u);
        e.SetSplit(a.params, a.tokens, a.flops);
        e.Set("loss", a.loss);
        e.Set("epochs", a.epochs);
        e.CheckRange(a.params, a.tokens);
      };
    };
    allocation.example = {{{Input::kFlops, 1e22}, {Input::kUniqueTokens, 2.5e10}},
                          {},
                          {{"params", "7.02236e9"},
                           {"tokens", "2.37337e11"},
                           {"epochs", "9.4935"}},
                          "huggingface/datablations README \"Parametric Fit\" (Muennighoff et al. 2023, "
                          "arXiv:2305.16264): optimal_allocation's grid with the C4 fit, started from the "
                          "Chinchilla-optimal split of C = 1e22 FLOPs, U = 25e9 unique tokens"};
    out.push_back(std::move(allocation));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
