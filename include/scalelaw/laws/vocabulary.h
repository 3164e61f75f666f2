// Tao et al. 2024, "Scaling Laws with Vocabulary: Larger Models Deserve Larger Vocabularies", NeurIPS 2024,
// arXiv:2407.13623, with the constants of the authors' repository (sail-sg/scaling-with-vocab:
// optimal_Nv_predict.py, utils.py).
//
//   d(N_nv)    = the repo's Nnv_to_d lookup (embedding dimension of the paper's model family)
//   D          = H · (0.00639222 (ln V)^2 − 0.15811069 ln V + 1.20470122),  V capped at 200,000   utils.py
//   F          = 6 (N_nv + V d) D                                                               utils.py
//   Approach 1 (IsoFLOPs):  N_nv,opt = e^−2.48465 F^0.5,  N_v,opt = e^−1.58903 F^0.41636     optimal_Nv_predict.py
//   Approach 2 (derivative): N_v,opt = 3,145,728 (N_nv / 33e6)^0.83540                      optimal_Nv_predict.py
//   Approach 3 (parametric): L_u = −E + A1/N_nv^a1 + A2/(V d)^a2 + B/D^beta,  D = F/(6(N_nv + V d)),
//                            in normalised units (N_nv/1e6, V/1e3, d/1e3, D/1e9, F/1e15); a1 = beta
//                            approach3_isoloss.py
//   V_opt = N_v,opt / d
//
// Units: N_nv is NON-VOCABULARY parameters (input and output embeddings excluded; the repo subtracts 2 V d,
// untied); N_v = V d vocabulary parameters; H training characters; D tokens of a BPE tokenizer trained on
// SlimPajama with vocabulary V; F training FLOPs; L_u the unigram-normalised loss (vocabulary-insensitive).
// Fitted on N_nv from 33M to 3B, V from 4K to 96K, up to ~500B characters. [V2] repo constants, and the
// 216K (Llama2-70B) and 43K (3B at 2.3e21 FLOPs) claims of the abstract reproduced (golden tests).
#pragma once

#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The constants of the paper's three approaches, from the authors' repo.
struct VocabularyLaw {
  // Approach 1, IsoFLOPs power laws (optimal_Nv_predict.py): X_opt = exp(log_coefficient) F^exponent, F in FLOPs.
  double nnv_log_coefficient = -2.4846510161625193;  // N_nv,opt = exp(−2.48465) F^0.5
  double nnv_exponent = 0.5;                         // fixed to 0.5 following Chinchilla
  double nv_log_coefficient = -1.589031299255507;    // N_v,opt = exp(−1.58903) F^0.41636
  double nv_exponent = 0.4163622634135234;

  // Approach 2, derivative-based: N_v,opt = reference_vocab_params (N_nv / reference_non_vocab_params)^gamma.
  double reference_vocab_params = 3145728;  // 6144 × 512, the optimum found for the smallest (33M) model
  double reference_non_vocab_params = 33e6;
  double gamma = 0.8353974035228025;

  // Approach 3, parametric unigram-normalised loss (approach3_isoloss.py), normalised units, alpha1 = beta.
  double A1 = 1.8313851559554126;
  double A2 = 0.19584238398665638;
  double B = 2.1241123120064955;
  double E = 5.5327846803337435;  // enters as −E: L_u is typically negative
  double alpha1 = 0.44660634152009615;
  double alpha2 = 0.6707374679896795;
  double beta = 0.44660634152009615;
};

// The embedding dimension d the repo assigns to a model with non_vocab_params non-vocabulary parameters
// (utils.py Nnv_to_d; each bound inclusive): <=50M 512, <=200M 768, <=500M 1024, <=1B 1536, <=2B 2048,
// <=5B 3200, <=10B 4096, <=20B 5120, <=50B 6048, <=100B 8192, <=200B 12288, <=500B 16384, <=1T 20480,
// else 24576.
inline double EmbeddingDimension(double non_vocab_params) {
  RequirePositive(non_vocab_params, "N_nv (non-vocabulary parameters)");
  static constexpr std::pair<double, double> kTable[] = {
      {50e6, 512},  {200e6, 768}, {500e6, 1024}, {1e9, 1536},    {2e9, 2048},    {5e9, 3200},  {10e9, 4096},
      {20e9, 5120}, {50e9, 6048}, {100e9, 8192}, {200e9, 12288}, {500e9, 16384}, {1e12, 20480}};
  for (const auto& [bound, d] : kTable) {
    if (non_vocab_params <= bound) return d;
  }
  return 24576;
}

// Tokens per character of the paper's tokenizers as a function of V (Tao et al. 2024, repo utils.py H_to_D):
// f(V) = 0.00639222 (ln V)^2 − 0.15811069 ln V + 1.20470122, with V capped at 200,000 (the fit's cap). The
// quadratic has no real root, so f > 0 for every V.
inline constexpr double kVocabularyTokenizerCap = 200000;
inline double TokensPerCharacter(double vocab_size) {
  RequirePositive(vocab_size, "V (vocabulary size)");
  const double lnv = std::log(std::fmin(vocab_size, kVocabularyTokenizerCap));
  return 0.00639222 * lnv * lnv - 0.15811069 * lnv + 1.20470122;
}

// D = H f(V): training tokens from training characters H with vocabulary size V (Tao et al. 2024, repo
// utils.py H_to_D). Fitted on the paper's SlimPajama BPE tokenizers; other tokenizers differ.
inline double TokensFromCharacters(double characters, double vocab_size) {
  RequirePositive(characters, "H (training characters)");
  return characters * TokensPerCharacter(vocab_size);
}

// F = 6 (N_nv + V d) D: training FLOPs, counting the vocabulary parameters (Tao et al. 2024, repo utils.py
// func_flops, with D in tokens).
inline double VocabularyTrainingFlops(double non_vocab_params, double vocab_size, double embedding_dim, double tokens) {
  RequirePositive(non_vocab_params, "N_nv (non-vocabulary parameters)");
  RequirePositive(vocab_size, "V (vocabulary size)");
  RequirePositive(embedding_dim, "d (embedding dimension)");
  RequirePositive(tokens, "D (tokens)");
  return 6 * (non_vocab_params + vocab_size * embedding_dim) * tokens;
}

// Approach 1 (Tao et al. 2024; repo optimal_Nv_predict.py Nnvopt_to_flops): the training FLOPs F at
// which non_vocab_params is compute-optimal, the inverse of N_nv,opt = exp(−2.48465) F^0.5:
// F = (N_nv / exp(−2.48465))^2. E.g. 7e9 → 7.052e21.
inline double VocabularyComputeOptimalFlops(const VocabularyLaw& law, double non_vocab_params) {
  RequirePositive(non_vocab_params, "N_nv (non-vocabulary parameters)");
  return std::pow(non_vocab_params / std::exp(law.nnv_log_coefficient), 1.0 / law.nnv_exponent);
}

// Approach 1 IsoFLOPs laws of Tao et al. 2024 (repo optimal_Nv_predict.py): the compute-optimal non-vocabulary
// parameters N_nv,opt = exp(−2.48465) F^0.5 and vocabulary parameters N_v,opt = exp(−1.58903) F^0.41636 at F FLOPs.
inline double VocabularyOptimalNonVocabParams(const VocabularyLaw& law, double flops) {
  RequirePositive(flops, "F (FLOPs)");
  return std::exp(law.nnv_log_coefficient) * std::pow(flops, law.nnv_exponent);
}
inline double VocabularyOptimalVocabParams(const VocabularyLaw& law, double flops) {
  RequirePositive(flops, "F (FLOPs)");
  return std::exp(law.nv_log_coefficient) * std::pow(flops, law.nv_exponent);
}

// The Approach 3 unigram-normalised loss of Tao et al. 2024 (repo approach3_isoloss.py), evaluated
// as the repo's dL_u/dV assumes: L_u = −E + A1/n^alpha1 + A2/(v dd)^alpha2 + B/u^beta with n = N_nv/1e6,
// v = V/1e3, dd = d/1e3 (d from EmbeddingDimension), u = (F/1e15) / (6 (n + v dd)) (tokens/1e9). The value is
// only meaningful for comparisons at fixed N_nv and F (it is what OptimalVocabularySize minimises over V).
// Note: the repo fitted B and beta with D = H_to_D(H/1e9, V/1e3) (the tokenizer curve at the normalised V);
// like the repo's solver this uses D = F/(6(N_nv + V d)) instead.
inline double VocabularyUnigramLoss(const VocabularyLaw& law, double non_vocab_params, double vocab_size,
                                    double flops) {
  const double dd = EmbeddingDimension(non_vocab_params) / 1e3;
  RequirePositive(vocab_size, "V (vocabulary size)");
  RequirePositive(flops, "F (FLOPs)");
  const double n = non_vocab_params / 1e6, v = vocab_size / 1e3, f = flops / 1e15;
  const double u = f / (6 * (n + v * dd));
  return -law.E + law.A1 / std::pow(n, law.alpha1) + law.A2 / std::pow(v * dd, law.alpha2) +
         law.B / std::pow(u, law.beta);
}

namespace detail {

// Approach 3: the V (in thousands) that solves dL_u/dV = 0 (the repo's dl_dv) in normalised units.
// dL_u/dV = −alpha2 A2 dd^−alpha2 v^−(alpha2+1) + beta B dd (6/f)^beta (n + v dd)^(beta−1), so the root solves
//   h(x) = ln(beta B dd (6/f)^beta) − ln(alpha2 A2 dd^−alpha2) + (beta−1) ln(n + e^x dd) + (1+alpha2) x = 0,
// x = ln v. h is strictly increasing (slope (1+alpha2) − (1−beta) v dd/(n + v dd) > 0), from −∞ to +∞, so the
// root exists and is unique: it is the minimum of L_u over V. The repo uses scipy fsolve from v = 1; this
// brackets the root and uses TOMS 748 to full double precision.
inline double SolveVocabularyThousands(const VocabularyLaw& law, double n, double dd, double f) {
  if (!(law.A2 > 0 && law.B > 0 && law.alpha2 > 0 && law.beta > 0 && law.beta < 1)) {
    throw InvalidArgument("Approach 3 needs A2, B, alpha2 > 0 and 0 < beta < 1");
  }
  const double constant = std::log(law.beta * law.B * dd) + law.beta * std::log(6 / f) - std::log(law.alpha2 * law.A2) +
                          law.alpha2 * std::log(dd);
  auto h = [&](double x) {
    // ln(n + e^x dd) without overflow for large x.
    const double lx = x + std::log(dd);
    const double ln_sum =
        lx > std::log(n) ? lx + std::log1p(n * std::exp(-lx)) : std::log(n) + std::log1p(std::exp(lx) / n);
    return constant + (law.beta - 1) * ln_sum + (1 + law.alpha2) * x;
  };
  double lo = -10, hi = 10;
  for (int i = 0; i < 100 && h(lo) > 0; ++i) lo -= 20;
  for (int i = 0; i < 100 && h(hi) < 0; ++i) hi += 20;
  if (!(h(lo) <= 0 && h(hi) >= 0)) throw InvalidArgument("Approach 3: could not bracket the optimal vocabulary");
  std::uintmax_t max_iter = 200;
  const auto root =
      boost::math::tools::toms748_solve(h, lo, hi, boost::math::tools::eps_tolerance<double>(50), max_iter);
  return std::exp(0.5 * (root.first + root.second));
}

}  // namespace detail

// V_opt, the compute-optimal vocabulary size for a model with non_vocab_params non-vocabulary parameters
// (Tao et al. 2024, arXiv:2407.13623, Approaches 1-3), as an unrounded double:
//   approach 1: N_v,opt(F) / d at the F where N_nv is compute-optimal (IsoFLOPs power laws);
//   approach 2: 3,145,728 (N_nv/33e6)^0.83540 / d (derivative-based fast estimate);
//   approach 3: the root of dL_u/dV = 0 of the parametric loss at F = flops (TOMS 748, see above).
// Approaches 1 and 2 describe compute-optimal training only: they ignore flops (their F is fixed by N_nv).
// Approach 3 uses flops when it is > 0 (use it for under- or over-trained models: more tokens per parameter
// give a larger optimal V) and the Approach-1 compute-optimal F = VocabularyComputeOptimalFlops(law, N_nv)
// when flops <= 0. A NaN or infinite flops throws. The repo truncates V with int(); truncate the result
// yourself (std::floor) to match it. Throws InvalidArgument for an approach other than 1, 2, 3.
inline double OptimalVocabularySize(const VocabularyLaw& law, int approach, double non_vocab_params, double flops) {
  RequirePositive(non_vocab_params, "N_nv (non-vocabulary parameters)");
  if (!(flops <= 0)) RequirePositive(flops, "F (FLOPs)");
  const double d = EmbeddingDimension(non_vocab_params);
  switch (approach) {
    case 1:
      return VocabularyOptimalVocabParams(law, VocabularyComputeOptimalFlops(law, non_vocab_params)) / d;
    case 2:
      return law.reference_vocab_params * std::pow(non_vocab_params / law.reference_non_vocab_params, law.gamma) / d;
    case 3: {
      const double f = flops > 0 ? flops : VocabularyComputeOptimalFlops(law, non_vocab_params);
      return 1e3 * detail::SolveVocabularyThousands(law, non_vocab_params / 1e6, d / 1e3, f / 1e15);
    }
    default:
      throw InvalidArgument("unknown vocabulary approach " + std::to_string(approach) +
                            " (known: 1 IsoFLOPs, 2 derivative, 3 parametric loss; Tao et al. 2024)");
  }
}

// The compute-optimal vocabulary parameters N_v,opt = V_opt d by approach 1, 2 or 3 of Tao et al. 2024
// (arXiv:2407.13623), d = EmbeddingDimension(non_vocab_params); flops as in OptimalVocabularySize.
inline double OptimalVocabularyParams(const VocabularyLaw& law, int approach, double non_vocab_params, double flops) {
  return OptimalVocabularySize(law, approach, non_vocab_params, flops) * EmbeddingDimension(non_vocab_params);
}

// The three approaches' constants by name (the registry's, a user's or a fit's); a name absent from constants
// keeps the repo's value.
inline VocabularyLaw VocabularyLawFromConstants(const Constants& c, std::string_view law_name) {
  VocabularyLaw law;
  auto get = [&](std::string_view key, double& field) { field = ConstantOr(c, key, field, law_name); };
  get("approach1_nnv_log_coefficient", law.nnv_log_coefficient);
  get("approach1_nnv_exponent", law.nnv_exponent);
  get("approach1_nv_log_coefficient", law.nv_log_coefficient);
  get("approach1_nv_exponent", law.nv_exponent);
  get("approach2_reference_vocab_params", law.reference_vocab_params);
  get("approach2_reference_non_vocab_params", law.reference_non_vocab_params);
  get("approach2_gamma", law.gamma);
  get("approach3_A1", law.A1);
  get("approach3_A2", law.A2);
  get("approach3_B", law.B);
  get("approach3_E", law.E);
  get("approach3_alpha1", law.alpha1);
  get("approach3_alpha2", law.alpha2);
  get("approach3_beta", law.beta);
  return law;
}

// The registry record (Quantity::kVocabularySize).
inline const std::vector<LawInfo>& VocabularyLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const VocabularyLaw v;
    LawInfo vocab{
        "tao-vocab",
        "tao",
        Quantity::kVocabularySize,
        "V_opt = N_v,opt / d(N_nv). Approach 1: N_v,opt = exp(-1.58903) F^0.41636 at F = (N_nv/exp(-2.48465))^2; "
        "Approach 2: N_v,opt = 3145728 (N_nv/33e6)^0.83540; Approach 3: dL_u/dV = 0 for L_u = -5.53278 + "
        "1.83139/N_nv^0.44661 + 0.19584/(V d)^0.67074 + 2.12411/D^0.44661, D = F/(6(N_nv + V d)), normalised "
        "units N_nv/1e6, V/1e3, d/1e3, D/1e9, F/1e15",
        {"Tao et al.", 2024, "Scaling Laws with Vocabulary: Larger Models Deserve Larger Vocabularies", "2407.13623",
         "Approaches 1-3; constants from the authors' repo sail-sg/scaling-with-vocab (optimal_Nv_predict.py)"},
        "non-vocabulary parameters N_nv (input and output embeddings excluded); N_v = V d vocabulary parameters, d "
        "from the repo's Nnv_to_d lookup",
        "V tokens of vocabulary (unrounded; the repo truncates with int()); F training FLOPs = 6 (N_nv + V d) D; "
        "D tokens of the paper's SlimPajama BPE tokenizers (D = H (0.00639222 ln^2 V - 0.15811069 ln V + "
        "1.20470122), H characters); L_u unigram-normalised loss",
        ValidityRange{33e6, 3e9, 0, 0},
        "[V2] repo constants; the 216K (Llama2-70B) and 43K (3B, 2.3e21 FLOPs) claims reproduced. Fitted on N_nv "
        "33M-3B, V 4K-96K, up to ~500B characters: larger N_nv are extrapolations. Approaches 1 and 2 assume "
        "compute-optimal data; Approach 3 takes the actual F",
        {{"approach1_nnv_log_coefficient", v.nnv_log_coefficient},
         {"approach1_nnv_exponent", v.nnv_exponent},
         {"approach1_nv_log_coefficient", v.nv_log_coefficient},
         {"approach1_nv_exponent", v.nv_exponent},
         {"approach2_reference_vocab_params", v.reference_vocab_params},
         {"approach2_reference_non_vocab_params", v.reference_non_vocab_params},
         {"approach2_gamma", v.gamma},
         {"approach3_A1", v.A1},
         {"approach3_A2", v.A2},
         {"approach3_B", v.B},
         {"approach3_E", v.E},
         {"approach3_alpha1", v.alpha1},
         {"approach3_alpha2", v.alpha2},
         {"approach3_beta", v.beta}}};
    vocab.inputs = {Input::kParams};
    vocab.params_kind = ParamsDefinition::kNonVocabulary;
    vocab.optional_inputs = {Input::kFlops, Input::kVocabApproach};
    vocab.outputs = {"vocab_size", "embedding_dim", "approach"};
    vocab.bind = [](const Constants& c) -> Evaluator {
      const VocabularyLaw bound = VocabularyLawFromConstants(c, "tao-vocab");
      return [bound](const PredictionInputs& in, Evaluation& e) {
        if (!in.Has(Input::kParams)) throw NotApplicable("needs {0} (non-vocabulary parameters)", {Input::kParams});
        const double n = in.Get(Input::kParams);
        const double approach = in.Get(Input::kVocabApproach);  // 3 unless given
        // Without F, Approach 3 uses the compute-optimal F of this N (Approaches 1 and 2 ignore F).
        const double flops = in.Has(Input::kFlops) ? in.Get(Input::kFlops) : 0.0;
        if (!in.Has(Input::kFlops) && e.detailed) {
          e.Note("no compute budget given: the compute-optimal budget for this N (" +
                 FormatNumber(VocabularyComputeOptimalFlops(bound, n)) + " FLOPs) is used");
        }
        e.Set("vocab_size", OptimalVocabularySize(bound, static_cast<int>(approach), n, flops));
        e.Set("embedding_dim", EmbeddingDimension(n));
        e.Set("approach", approach);
        e.CheckRange(n, PredictionInputs::kUnset);
      };
    };
    vocab.example = {{{Input::kParams, 6.9e10}},
                     {},
                     {{"vocab_size", "215266"}, {"embedding_dim", "8192"}, {"approach", "3"}},
                     "Tao et al. 2024 (arXiv:2407.13623), abstract: Llama2-70B (N_nv = 6.9e10) should have used "
                     "\"at least 216K\"; Approach 3 with the repo constants at the compute-optimal F gives 215,266"};
    std::vector<LawInfo> out;
    out.push_back(std::move(vocab));
    return out;
  }();
  return infos;
}

}  // namespace scalelaw
