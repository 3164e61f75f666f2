#include "scalelaw/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "scalelaw/error.h"

namespace scalelaw {
namespace {

// The value of key from the first law that answered it (the primary: the registry's order is the order of
// preference), with every answer as alternatives. Laws that answered without this key (ratio rules) are passed.
std::optional<PlanItem> Summarise(const std::vector<Prediction>& predictions, const std::string& key,
                                  const std::string& label) {
  std::optional<PlanItem> item;
  for (const Prediction& p : predictions) {
    const auto found = std::find_if(p.values.begin(), p.values.end(), [&](const auto& kv) { return kv.first == key; });
    if (!p.skipped.empty() || found == p.values.end()) continue;
    const double value = found->second;
    if (!item) item = PlanItem{key, label, value, std::string(p.law.name), {}};
    item->alternatives.emplace_back(std::string(p.law.name), value);
  }
  return item;
}

void Collect(const std::vector<Prediction>& predictions, std::vector<std::string>* warnings) {
  for (const Prediction& p : predictions) warnings->insert(warnings->end(), p.warnings.begin(), p.warnings.end());
}

}  // namespace

TrainingPlan PlanTraining(const PredictionInputs& inputs, std::string_view family) {
  return PlanTraining(inputs, PublishedLaw(inputs.Has(Input::kUniqueTokens) ? "datablations" : family));
}

TrainingPlan PlanTraining(const PredictionInputs& inputs, const Law& allocation_law, const std::vector<Law>& fitted_laws) {
  if (inputs.Has(Input::kFlops) == inputs.Has(Input::kLifetimeFlops)) {
    throw InputProblem("a plan needs the training compute {0} or, with inference tokens {1}, the lifetime compute {2}",
                       {Input::kFlops, Input::kInferenceTokens, Input::kLifetimeFlops});
  }

  TrainingPlan plan;
  plan.allocation = Predict(allocation_law, Quantity::kAllocation, inputs);
  const Prediction& allocation = plan.allocation;
  plan.flops = allocation.Value("flops");
  plan.notes = allocation.notes;
  plan.warnings = allocation.warnings;

  const std::string source(allocation.law.name);
  const double n = allocation.Value("params"), d = allocation.Value("tokens");
  const double epochs = inputs.Has(Input::kUniqueTokens) ? allocation.Value("epochs") : 1.0;
  plan.items.push_back({"params", "parameters N", n, source, {}});
  plan.items.push_back({"tokens", "tokens D", d, source, {}});
  plan.items.push_back({"epochs", "epochs", epochs, source, {}});

  PredictionInputs at = inputs;
  at.Set(Input::kParams, n).Set(Input::kTokens, d).Set(Input::kFlops, 6 * n * d);
  at.Set(Input::kLoss, allocation.Value("loss"));
  for (Input given : {Input::kUniqueTokens, Input::kInferenceTokens, Input::kTargetLoss, Input::kLifetimeFlops}) {
    at.Clear(given);
  }
  plan.notes.push_back(
      "hyperparameter laws are evaluated at the planned N and D with C = 6ND and at the expected loss; each "
      "law's own N definition and schedule are listed by 'scalelaw laws show NAME'");

  // The user's own laws of a quantity first (the primary answer), then every published one.
  auto answers = [&](Quantity quantity, const PredictionInputs& point) {
    std::vector<Prediction> out;
    for (const Law& law : fitted_laws) {
      if (law.Answer(quantity) != nullptr) out.push_back(Predict(law, quantity, point));
    }
    for (Prediction& p : Predict(quantity, "all", point)) out.push_back(std::move(p));
    return out;
  };
  const std::vector<Prediction> lrs = answers(Quantity::kLearningRate, at);
  const std::vector<Prediction> batches = answers(Quantity::kBatchSize, at);
  Collect(lrs, &plan.warnings);
  Collect(batches, &plan.warnings);
  const std::optional<PlanItem> lr = Summarise(lrs, "lr", "peak learning rate");
  const std::optional<PlanItem> batch = Summarise(batches, "batch_tokens", "batch (tokens)");
  if (lr) plan.items.push_back(*lr);
  if (batch) plan.items.push_back(*batch);
  if (auto sequences =
          Summarise(batches, "batch_sequences", fmt::format("batch (sequences of {:g})", at.Get(Input::kSeqLen)))) {
    plan.items.push_back(*sequences);
  }
  if (lr && batch) {
    at.Set(Input::kLearningRate, lr->value).Set(Input::kBatchTokens, batch->value);
    const std::vector<Prediction> decay = answers(Quantity::kWeightDecay, at);
    Collect(decay, &plan.warnings);
    if (auto item = Summarise(decay, "weight_decay", "AdamW weight decay")) {
      plan.notes.push_back(fmt::format("weight decay uses {}'s LR and {}'s batch", lr->law, batch->law));
      plan.items.push_back(*item);
    }
  }
  const std::vector<Prediction> vocab = answers(Quantity::kVocabularySize, at);
  Collect(vocab, &plan.warnings);
  if (auto item = Summarise(vocab, "vocab_size", "vocabulary size")) {
    item->value = std::floor(item->value);  // a vocabulary has a whole number of entries (Tao et al. truncate)
    plan.notes.push_back("vocabulary law reads N as non-vocabulary parameters");
    plan.items.push_back(*item);
  }
  plan.items.push_back({"loss", "expected loss (nats/token)", at.Get(Input::kLoss), source, {}});
  return plan;
}

}  // namespace scalelaw
