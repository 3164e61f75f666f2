// predict-lr, predict-batch, predict-wd, predict-vocab, predict-loss and allocate: published laws (or the
// user's fit) evaluated through scalelaw::Predict*, printed with their law, citation, units and warnings.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/io/prediction_json.h"

namespace scalelaw::cli {
namespace {

std::vector<Prediction> Predict(Quantity quantity, const std::string& law, const PredictionInputs& in) {
  switch (quantity) {
    case Quantity::kLearningRate:
      return PredictLearningRate(law, in);
    case Quantity::kBatchSize:
      return PredictBatchSize(law, in);
    case Quantity::kWeightDecay:
      return PredictWeightDecay(law, in);
    case Quantity::kVocabularySize:
      return PredictVocabularySize(law, in);
    case Quantity::kLoss:
      return PredictLoss(law, in);
    case Quantity::kAllocation:
      return PredictAllocation(law, in);
    case Quantity::kDownstream:
      break;
  }
  throw InvalidArgument("no prediction for this quantity");
}

std::string_view Title(Quantity quantity) {
  switch (quantity) {
    case Quantity::kLearningRate:
      return "Optimal peak learning rate";
    case Quantity::kBatchSize:
      return "Optimal batch size";
    case Quantity::kWeightDecay:
      return "Optimal AdamW weight decay";
    case Quantity::kVocabularySize:
      return "Optimal vocabulary size";
    case Quantity::kLoss:
      return "Predicted loss (nats/token)";
    case Quantity::kAllocation:
      return "Allocation of parameters N and tokens D";
    case Quantity::kDownstream:
      break;
  }
  return "Prediction";
}

std::string DescribeInputs(const PredictionInputs& in) {
  std::vector<std::string> parts;
  auto add = [&](const char* name, double value) {
    if (!std::isnan(value)) parts.push_back(fmt::format("{} = {}", name, Short(value)));
  };
  add("N", in.params);
  add("D", in.tokens);
  add("C", in.flops);
  add("L", in.loss);
  add("target L", in.target_loss);
  add("batch", in.batch_tokens);
  add("lr", in.lr);
  add("unique tokens", in.unique_tokens);
  add("inference tokens", in.inference_tokens);
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

// "params 1.2e9 [95% 9.8e8, 1.5e9]  tokens ...": a value's 95% interval (key_lo95, key_hi95) beside it.
std::string FormatValues(const Prediction& p) {
  auto find = [&p](const std::string& key) -> const double* {
    for (const auto& [name, value] : p.values) {
      if (name == key) return &value;
    }
    return nullptr;
  };
  auto ends_with = [](const std::string& text, const char* suffix) {
    const std::size_t n = std::char_traits<char>::length(suffix);
    return text.size() > n && text.compare(text.size() - n, n, suffix) == 0;
  };
  std::string text;
  for (const auto& [key, value] : p.values) {
    if (ends_with(key, "_lo95") || ends_with(key, "_hi95")) continue;
    text += fmt::format("  {} {}", key, Short(value));
    const double* lo = find(key + "_lo95");
    const double* hi = find(key + "_hi95");
    if (lo != nullptr && hi != nullptr) text += fmt::format(" [95% {}, {}]", Short(*lo), Short(*hi));
  }
  return text;
}

void PrintHuman(const PredictCommand& command, const std::vector<Prediction>& predictions) {
  fmt::print("{} for {}\n", Title(command.quantity), DescribeInputs(command.inputs));
  for (const Prediction& p : predictions) {
    fmt::print("\n  {:<22}", p.law.family == "fit" ? p.law.name : p.law.family);
    if (!p.skipped.empty()) {
      fmt::print(" not applicable: {}\n", p.skipped);
      continue;
    }
    fmt::print("{}\n", FormatValues(p));
    if (!p.law.params_definition.empty()) fmt::print("  {:<22}  N: {}\n", "", p.law.params_definition);
    if (!p.law.units.empty()) fmt::print("  {:<22}  {}\n", "", p.law.units);
    for (const std::string& note : p.notes) fmt::print("  {:<22}  {}\n", "", note);
    if (!p.law.citation.authors.empty()) fmt::print("  {:<22}  {}\n", "", p.law.citation.ToString());
  }
}

}  // namespace

int RunPredict(const PredictCommand& command) {
  PredictionInputs in = command.inputs;
  std::string law = command.law;
  if (!command.fit.empty()) {
    UseFitFile(command.fit, &in);
    law = "fit";
  }
  const std::vector<Prediction> predictions = Predict(command.quantity, law, in);

  std::vector<std::string> warnings;
  for (const Prediction& p : predictions) {
    for (const std::string& w : p.warnings) warnings.push_back(w);
  }
  if (command.json) {
    fmt::print("{}\n", law == "all" ? PredictionsToJson(predictions) : PredictionToJson(predictions.front()));
  } else {
    PrintHuman(command, predictions);
  }
  PrintWarnings(warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
