// Wu & Tang 2024, "Performance Law of Large Language Models", arXiv:2408.09895: MMLU
// (%, 5-shot) of a dense decoder predicted from its architecture and training tokens.
//
//   u     = exp(−[(10/d + 20/h) (gamma N)]^2)            "instability discount"; gamma >= 1 (precision loss)
//   T'    = min(T, S)                                   T tokens in TRILLIONS, S parameters in BILLIONS
//   MMLU  = w1 ln(u N) + w2 ln(u h) + w3 ln(u d) + w4 ln(u T') + b
//   post-processing: MMLU < 25 → 25 (chance);  MMLU > 90 → 90 + 10 tanh(0.1 MMLU − 9)
//
// N = number of layers, h = hidden size, d = FFN intermediate size. The data term saturates at 1000 tokens per
// parameter. Constants, ln base and discount form from the authors' planner (wuch15/performance-law-planner,
// plan.py) [V1]: the paper's equation text was not retrieved. Calibrated on 2024-era data quality: it misses
// Llama-2-7B by 13 points (58.0 vs ~45.3) [U] outside that regime. MoE models (activated parameters, expansion
// factor, modified depth term) are not shipped: their constants were not retrieved [U].
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

struct PerformanceLaw {
  double w_layers = 13.95018192;    // w1, on ln(u N)
  double w_hidden = 0.23072027;     // w2, on ln(u h)
  double w_ffn = -0.48523402;       // w3, on ln(u d)
  double w_tokens = 5.39801689;     // w4, on ln(u T')
  double bias = 9.195410648934768;  // b
  double chance = 25;               // MMLU floor (4-way multiple choice)
  double soft_cap = 90;             // above it: 90 + 10 tanh(0.1 MMLU − 9)
};

// u = exp(−[(10/d + 20/h)(gamma N)]^2): the planner's instability discount (Wu & Tang 2024, plan.py).
inline double InstabilityDiscount(double layers, double hidden, double ffn, double gamma = 1.0) {
  RequirePositive(layers, "number of layers");
  RequirePositive(hidden, "hidden size");
  RequirePositive(ffn, "FFN intermediate size");
  RequirePositive(gamma, "gamma (precision-loss factor)");
  const double x = (10 / ffn + 20 / hidden) * (gamma * layers);
  return std::exp(-x * x);
}

// The law's value before post-processing (can be below 25 or above 90).
inline double PredictMmluRaw(const PerformanceLaw& law, double layers, double hidden, double ffn,
                             double tokens_trillions, double params_billions, double gamma = 1.0) {
  RequirePositive(tokens_trillions, "T (training tokens, trillions)");
  RequirePositive(params_billions, "S (parameters, billions)");
  if (gamma < 1) {
    throw InvalidArgument("gamma (precision-loss factor) must be >= 1 (1 for bf16-class training), got " +
                          FormatNumber(gamma));
  }
  const double u = InstabilityDiscount(layers, hidden, ffn, gamma);
  const double saturated_tokens = std::min(tokens_trillions, params_billions);
  return law.w_layers * std::log(u * layers) + law.w_hidden * std::log(u * hidden) + law.w_ffn * std::log(u * ffn) +
         law.w_tokens * std::log(u * saturated_tokens) + law.bias;
}

// MMLU (%, 5-shot) predicted by the Performance Law (Wu & Tang 2024, arXiv:2408.09895; constants and
// post-processing from the authors' planner plan.py) for a dense decoder with `layers` layers, hidden size
// `hidden`, FFN size `ffn`, trained on tokens_trillions × 1e12 tokens, with params_billions × 1e9 parameters
// (used only to saturate the data term, T' = min(T, S)). gamma >= 1 is the precision-loss factor (1 for
// bf16-class training). Post-processed to [25, 100): below 25 → 25, above 90 → 90 + 10 tanh(0.1 MMLU − 9).
inline double PredictMmlu(const PerformanceLaw& law, double layers, double hidden, double ffn, double tokens_trillions,
                          double params_billions, double gamma = 1.0) {
  const double raw = PredictMmluRaw(law, layers, hidden, ffn, tokens_trillions, params_billions, gamma);
  if (raw < law.chance) return law.chance;
  if (raw > law.soft_cap) return law.soft_cap + 10 * std::tanh(0.1 * raw - 9);
  return raw;
}

// The registry record (Quantity::kDownstream).
inline const std::vector<LawInfo>& PerformanceLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const PerformanceLaw p;
    LawInfo info{"performance-law-mmlu",
                 "performance-law",
                 Quantity::kDownstream,
                 "MMLU = 13.95018 ln(u N) + 0.23072 ln(u h) - 0.48523 ln(u d) + 5.39802 ln(u min(T, S)) + 9.19541, "
                 "u = exp(-((10/d + 20/h) gamma N)^2); < 25 -> 25; > 90 -> 90 + 10 tanh(0.1 MMLU - 9)",
                 {"Wu & Tang", 2024, "Performance Law of Large Language Models", "2408.09895",
                  "constants from the authors' planner (wuch15/performance-law-planner, plan.py)"},
                 "dense decoders: N layers, h hidden size, d FFN intermediate size; S total parameters in billions "
                 "(only for the data saturation T' = min(T, S))",
                 "MMLU % (5-shot); T training tokens in trillions; gamma >= 1 precision-loss factor (1 for bf16)",
                 ValidityRange{},
                 "[V1] weights from the authors' planner code only (ln base and discount form from the code); "
                 "calibrated on 2024-era data: misses Llama-2-7B by 13 points [U]; MoE variant not shipped (constants "
                 "not retrieved)",
                 {{"w1_layers", p.w_layers},
                  {"w2_hidden", p.w_hidden},
                  {"w3_ffn", p.w_ffn},
                  {"w4_tokens", p.w_tokens},
                  {"b", p.bias}}};
    info.inputs = {Input::kLayers, Input::kDModel, Input::kFfnWidth, Input::kTokens, Input::kParams};
    info.params_kind = ParamsDefinition::kTotal;
    info.optional_inputs = {Input::kPrecisionGamma};
    info.outputs = {"mmlu", "instability_discount"};
    info.bind = [](const Constants& c) -> Evaluator {
      PerformanceLaw law;
      law.w_layers = ConstantValue(c, "w1_layers", "performance-law-mmlu");
      law.w_hidden = ConstantValue(c, "w2_hidden", "performance-law-mmlu");
      law.w_ffn = ConstantValue(c, "w3_ffn", "performance-law-mmlu");
      law.w_tokens = ConstantValue(c, "w4_tokens", "performance-law-mmlu");
      law.bias = ConstantValue(c, "b", "performance-law-mmlu");
      return [law](const PredictionInputs& in, Evaluation& e) {
        const double layers = in.Need(Input::kLayers), hidden = in.Need(Input::kDModel);
        const double ffn = in.Need(Input::kFfnWidth), gamma = in.Get(Input::kPrecisionGamma);
        // The law reads T in trillions of tokens and S in billions of parameters.
        const double tokens_trillions = in.Need(Input::kTokens) / 1e12;
        const double params_billions = in.Need(Input::kParams) / 1e9;
        e.Set("mmlu", PredictMmlu(law, layers, hidden, ffn, tokens_trillions, params_billions, gamma));
        e.Set("instability_discount", InstabilityDiscount(layers, hidden, ffn, gamma));
        e.Note("T = D/1e12 trillions of tokens, S = N/1e9 billions of parameters, T' = min(T, S)");
      };
    };
    // Wu & Tang 2024 (arXiv:2408.09895), the authors' planner: Llama-3-8B (32 layers, h 4096, FFN 14336, 15T
    // tokens, 8.03B parameters).
    info.example = {{{Input::kLayers, 32}, {Input::kDModel, 4096}, {Input::kFfnWidth, 14336}, {Input::kTokens, 15e12},
                     {Input::kParams, 8.03e9}},
                    {},
                    {{"mmlu", "65.45"}, {"instability_discount", "0.9686"}},
                    "Llama-3-8B's shape and data"};
    return std::vector<LawInfo>{std::move(info)};
  }();
  return infos;
}
}  // namespace scalelaw
