// A training recipe for a budget composed from the published laws (what `scalelaw plan` prints): N and D from a
// loss law (compute-optimal, inference-aware or data-constrained), then LR, batch, weight decay and vocabulary
// from the hyperparameter laws at that (N, D), and the expected loss. Each value names its law; where several
// laws answer, all their answers are kept so the spread is visible.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/predict.h"

namespace scalelaw {

struct PlanItem {
  std::string key;    // "params", "tokens", "epochs", "lr", "batch_tokens", "batch_sequences", ...
  std::string label;  // for a person: "peak learning rate"
  double value = 0;   // the primary law's answer
  std::string law;    // the primary law's registry name
  std::vector<std::pair<std::string, double>> alternatives;  // every law that answered, the primary included
};

struct TrainingPlan {
  double flops = 0;
  Prediction allocation;
  std::vector<PlanItem> items;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
};

// The flops input is required; inference_tokens, unique_tokens and seq_len are used when given. allocation_law
// sets N and D: any law that answers the allocation (a published family or a fit); the hyperparameter laws are
// the registry's published ones. PlanTraining(inputs, family) uses the published family ("epoch", ...), and the
// data-constrained law ("datablations") when unique tokens are given.
// Laws of the user's own (a fit-hparams sweep) that answer the learning rate, batch size, weight decay or
// vocabulary go first in fitted_laws: each becomes the primary answer of what it answers, with the published
// laws as the alternatives.
TrainingPlan PlanTraining(const PredictionInputs& inputs, const Law& allocation_law,
                          const std::vector<Law>& fitted_laws = {});
TrainingPlan PlanTraining(const PredictionInputs& inputs, std::string_view family);

}  // namespace scalelaw
