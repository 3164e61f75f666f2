// One entry point per quantity over every published law that predicts it: what the CLI's predict-*,
// allocate and plan commands and Python's predict_* functions call, so both faces give the same numbers,
// warnings and citations.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// What the user told us; NaN means "not given". Units: N parameters (each law says which kind), D tokens,
// C FLOPs, batch in tokens, LR as peak LR.
struct PredictionInputs {
  static constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();
  double params = kUnset;
  double tokens = kUnset;
  double flops = kUnset;
  double loss = kUnset;
  double seq_len = 2048;  // tokens per sequence, to report batches in sequences too
  double batch_tokens = kUnset;
  double lr = kUnset;
  double unique_tokens = kUnset;
  double inference_tokens = kUnset;
  double target_loss = kUnset;
  int vocab_approach = 3;
  // DeepSeek's model scale M (non-embedding FLOPs per token) from the shape, when given: C = M·D.
  double layers = kUnset;
  double d_model = kUnset;
  // Dollar cost of the inference-aware allocation (Sardana et al. 2024): peak FLOP/s of one accelerator, its
  // model-FLOPs utilisation in training (0.5 when not given) and in inference, and its price per hour.
  double gpu_flops = kUnset;
  double train_mfu = kUnset;
  double inference_mfu = kUnset;
  double gpu_hour_price = kUnset;
  // A loss law of the user's own (a fit), used by family "fit" of PredictLoss and PredictAllocation.
  std::optional<ChinchillaLaw> fitted_law;
  std::vector<ChinchillaLaw> fitted_draws;  // the fit's bootstrap resamples: a 95% interval on its loss
  std::string fitted_name = "fit";
  ValidityRange fitted_range;
};

// One law's answer. values keeps the CLI's JSON keys in a stable order ("lr", "batch_tokens", ...).
struct Prediction {
  LawInfo law;
  std::vector<std::pair<std::string, double>> values;
  std::vector<std::string> warnings;  // outside the fitted range, conventions substituted, ...
  std::vector<std::string> notes;     // what was assumed (e.g. "C = 6ND = 8.4e22 FLOPs")
  std::string skipped;                // with family "all": why this law could not answer (values empty)

  double Value(std::string_view key) const;  // throws InvalidArgument when absent
};

// family: a law family name ("step", "deepseek", ...) or "all" for every applicable one (laws that lack an
// input they need are left out of "all" and are an InvalidArgument when named).
std::vector<Prediction> PredictLearningRate(std::string_view family, const PredictionInputs& in);
std::vector<Prediction> PredictBatchSize(std::string_view family, const PredictionInputs& in);
std::vector<Prediction> PredictWeightDecay(std::string_view family, const PredictionInputs& in);
std::vector<Prediction> PredictVocabularySize(std::string_view family, const PredictionInputs& in);
std::vector<Prediction> PredictLoss(std::string_view family, const PredictionInputs& in);
// Compute-optimal (flops), for a target loss (target_loss), inference-aware (inference_tokens) or
// data-constrained (unique_tokens) allocation of N and D.
std::vector<Prediction> PredictAllocation(std::string_view family, const PredictionInputs& in);

// The families that predict quantity, in registry order.
std::vector<std::string> FamiliesFor(Quantity quantity);

}  // namespace scalelaw
