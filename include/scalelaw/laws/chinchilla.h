// The Chinchilla parametric loss and its compute-optimal allocation.
//
//   L(N, D) = E + A / N^alpha + B / D^beta                         Hoffmann et al. 2022, Eq. 2
//   C = 6 N D;  G = (alpha A / (beta B))^(1/(alpha+beta)),  a = beta/(alpha+beta),  b = alpha/(alpha+beta)
//   N_opt(C) = G (C/6)^a,  D_opt(C) = G^-1 (C/6)^b                 Hoffmann et al. 2022, Eq. 4
//
// N is the total parameter count (embeddings included), D training tokens seen once, L nats per token.
#pragma once

#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

struct ChinchillaLaw {
  double E = 0;      // irreducible loss, nats/token
  double A = 0;      // parameter term coefficient
  double B = 0;      // data term coefficient
  double alpha = 0;  // parameter exponent
  double beta = 0;   // data exponent
};

// L(N, D) in nats per token.
inline double Loss(const ChinchillaLaw& law, double params, double tokens) {
  RequirePositive(params, "N (parameters)");
  RequirePositive(tokens, "D (tokens)");
  return law.E + law.A / std::pow(params, law.alpha) + law.B / std::pow(tokens, law.beta);
}

// A split of a training budget C = 6 N D between parameters and tokens.
struct Allocation {
  double flops = 0;
  double params = 0;
  double tokens = 0;
  double TokensPerParameter() const { return tokens / params; }
};

// N_opt = G (C/6)^a and D_opt = G^-1 (C/6)^b (Hoffmann et al. 2022, Eq. 4).
struct AllocationExponents {
  double G = 0;
  double a = 0;  // N_opt ∝ C^a
  double b = 0;  // D_opt ∝ C^b, a + b = 1
};

inline AllocationExponents ComputeOptimalExponents(const ChinchillaLaw& law) {
  if (!(law.alpha > 0 && law.beta > 0 && law.A > 0 && law.B > 0)) {
    throw InvalidArgument("the compute-optimal allocation needs A, B, alpha and beta > 0");
  }
  const double sum = law.alpha + law.beta;
  return {std::pow(law.alpha * law.A / (law.beta * law.B), 1.0 / sum), law.beta / sum, law.alpha / sum};
}

// The (N, D) that minimises L(N, D) subject to 6 N D = flops.
inline Allocation ComputeOptimal(const ChinchillaLaw& law, double flops) {
  RequirePositive(flops, "C (FLOPs)");
  const AllocationExponents x = ComputeOptimalExponents(law);
  return {flops, x.G * std::pow(flops / 6.0, x.a), std::pow(flops / 6.0, x.b) / x.G};
}

// The budget C whose compute-optimal allocation reaches loss L (Eq. 2 along the frontier of Eq. 4, solved for C):
//   C(ΔL) = 6 (ΔL / (G^-alpha A + G^beta B))^(-(alpha+beta)/(alpha beta)),  ΔL = L - E > 0.
inline double ComputeForLoss(const ChinchillaLaw& law, double loss) {
  RequirePositive(loss, "target loss");
  if (!(loss > law.E)) {
    throw InvalidArgument("target loss " + FormatNumber(loss) +
                          " is not above the law's irreducible loss E = " + FormatNumber(law.E));
  }
  const AllocationExponents x = ComputeOptimalExponents(law);
  const double scale = std::pow(x.G, -law.alpha) * law.A + std::pow(x.G, law.beta) * law.B;
  return 6.0 * std::pow((loss - law.E) / scale, -(law.alpha + law.beta) / (law.alpha * law.beta));
}

// A published constant set with what it means.
struct ChinchillaPreset {
  std::string_view name;
  std::string_view summary;
  ChinchillaLaw law;
  Citation citation;
  std::string_view params_definition;
  ValidityRange range;
};

// The Chinchilla runs span 70M to 16B parameters and 5B to 500B tokens (Hoffmann et al. 2022, Sec. 3);
// the Epoch refit uses 240 of the same runs.
inline constexpr ValidityRange kChinchillaRunsRange{7e7, 1.6e10, 5e9, 5e11};

inline const std::array<ChinchillaPreset, 3>& ChinchillaPresets() {
  static const std::array<ChinchillaPreset, 3> presets{{
      {"chinchilla",
       "Chinchilla Approach 3 constants as printed (rounded)",
       {1.69, 406.4, 410.7, 0.34, 0.28},
       {"Hoffmann et al.", 2022, "Training Compute-Optimal Large Language Models", "2203.15556", "Eq. 10"},
       "total parameters (embeddings included)",
       kChinchillaRunsRange},
      // The TeX source gives the log-space values e = 0.5267228, a = 6.0073404, b = 6.0179186 (the
      // true_params of the Besiroglu et al. 2024 notebook).
      {"chinchilla-unrounded",
       "Chinchilla Approach 3 constants from the paper's TeX source (unrounded)",
       {std::exp(0.5267228), std::exp(6.0073404), std::exp(6.0179186), 0.33917084, 0.2849083},
       {"Hoffmann et al.", 2022, "Training Compute-Optimal Large Language Models", "2203.15556",
        "TeX source, as quoted by Besiroglu et al. 2024"},
       "total parameters (embeddings included)",
       kChinchillaRunsRange},
      {"epoch",
       "Epoch AI refit of Approach 3 on the digitised Chinchilla runs (Huber likelihood, rounded)",
       {1.8172, 482.01, 2085.43, 0.3478, 0.3658},
       {"Besiroglu et al.", 2024, "Chinchilla Scaling: A replication attempt", "2404.10102", "Table 1"},
       "total parameters (embeddings included)",
       kChinchillaRunsRange},
  }};
  return presets;
}

// A Chinchilla-form law from constants E, A, B, alpha, beta by name (a preset's, a user's or a fit's).
inline ChinchillaLaw ChinchillaLawFromConstants(const Constants& c, std::string_view law_name) {
  return {ConstantValue(c, "E", law_name), ConstantValue(c, "A", law_name), ConstantValue(c, "B", law_name),
          ConstantValue(c, "alpha", law_name), ConstantValue(c, "beta", law_name)};
}

// The constants of a Chinchilla-form law, in the order a person reads them.
inline Constants ChinchillaConstants(const ChinchillaLaw& law) {
  return {{"E", law.E}, {"A", law.A}, {"B", law.B}, {"alpha", law.alpha}, {"beta", law.beta}};
}

// L(N, D) as a registry answer: the loss record of a preset and of a Chinchilla fit.
inline Evaluator BindChinchillaLoss(const Constants& c, std::string_view law_name) {
  const ChinchillaLaw law = ChinchillaLawFromConstants(c, law_name);
  return [law](const PredictionInputs& in, Evaluation& e) {
    const double n = in.Need(Input::kParams), d = in.Need(Input::kTokens);
    e.Set("loss", Loss(law, n, d));
    e.CheckRange(n, d);
  };
}

// The registry's loss records of the three constant sets; their compute-optimal allocations are the
// "-allocation" records of inference_aware.h (the allocation shares its code with Sardana et al. 2024).
inline const std::vector<LawInfo>& ChinchillaLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    // Hoffmann et al. 2022 (arXiv:2203.15556) Eq. 10 and its TeX source's constants, and Besiroglu et al. 2024
    // (arXiv:2404.10102) Table 1, at N = 7e9, D = 2e12.
    const char* example_loss[] = {"2.020301", "2.007984", "2.064713"};
    std::vector<LawInfo> out;
    int index = 0;
    for (const ChinchillaPreset& p : ChinchillaPresets()) {
      LawInfo info{std::string(p.name), std::string(p.name), Quantity::kLoss,
                   "L = E + A/N^alpha + B/D^beta; N_opt = G (C/6)^a, D_opt = (C/6)^b / G", p.citation,
                   std::string(p.params_definition),
                   "L in nats/token (MassiveText, SentencePiece 32K); D tokens seen once; cosine schedule matched "
                   "to D; C = 6ND FLOPs",
                   p.range,
                   p.name == "chinchilla-unrounded" ? "[V1] Epoch notebook true_params"
                   : p.name == "epoch"              ? "[V2] paper/blog + notebook; bootstrap SE A 124.6, B 1293, E 0.03"
                                                    : "[V2] paper text; rounding biases predictions (Besiroglu et al. 2024)",
                   ChinchillaConstants(p.law)};
      info.inputs = {Input::kParams, Input::kTokens};
      info.params_kind = ParamsDefinition::kTotal;
      info.outputs = {"loss"};
      const std::string name = info.name;
      info.bind = [name](const Constants& c) { return BindChinchillaLoss(c, name); };
      info.example = {{{Input::kParams, 7e9}, {Input::kTokens, 2e12}}, {}, {{"loss", example_loss[index++]}},
                      "L(7e9, 2e12) with the preset's constants"};
      out.push_back(std::move(info));
    }
    return out;
  }();
  return infos;
}

// The preset called name; throws InvalidArgument naming the known presets otherwise.
inline const ChinchillaPreset& FindChinchillaPreset(std::string_view name) {
  std::string known;
  for (const ChinchillaPreset& preset : ChinchillaPresets()) {
    if (preset.name == name) return preset;
    known += (known.empty() ? "" : ", ") + std::string(preset.name);
  }
  throw InvalidArgument("unknown law '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace scalelaw
