// The predict-* commands and allocate: a published law (or the user's fit) evaluated through scalelaw::Predict,
// printed with its law, citation, units and warnings.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/io/prediction_json.h"

namespace scalelaw::cli {
namespace {

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
      return "Downstream prediction";
  }
  return "Prediction";
}

// "N = 7e9, D = 2e12": the inputs given, by the symbols of the input table's quantities.
std::string DescribeInputs(const PredictionInputs& in) {
  std::string text;
  for (const InputInfo& info : InputTable()) {
    if (!in.Has(info.id)) continue;
    if (info.domain == InputDomain::kText) {
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", info.key, in.NeedText(info.id));
      continue;
    }
    const std::string_view name = info.quantity.substr(0, info.quantity.find(','));
    text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", name, Short(in.Get(info.id)));
  }
  for (const auto& [name, value] : in.named())
    text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", name, Short(value));
  return text;
}

void PrintHuman(Quantity quantity, const PredictionInputs& in, const std::vector<Prediction>& predictions) {
  fmt::print("{} for {}\n", Title(quantity), DescribeInputs(in));
  for (const Prediction& p : predictions) {
    fmt::print("\n  {:<22}", p.law.family == "fit" ? p.law.name : p.law.family);
    if (!p.skipped.empty()) {
      fmt::print(" not applicable: {}\n", p.SkippedReason(Spelling::kCli));
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
  const PredictionInputs in = command.inputs.Inputs();
  const bool all = command.law.family == "all" && command.law.fit.empty();
  if (all && !command.law.constants.empty()) throw InvalidArgument("--constant needs one law, not --law all");
  std::vector<Prediction> predictions;
  if (all) {
    predictions = Predict(command.quantity, "all", in);
  } else {
    Law law = ChosenLaw(command.law, command.quantity);
    if (command.quantity == Quantity::kLoss) law.predictive_level = command.predictive;
    predictions.push_back(Predict(law, command.quantity, in));
  }

  std::vector<std::string> warnings;
  for (const Prediction& p : predictions) {
    for (const std::string& w : p.warnings) warnings.push_back(w);
  }
  if (command.json) {
    fmt::print("{}\n", all ? PredictionsToJson(predictions, Spelling::kCli) : PredictionToJson(predictions.front()));
  } else {
    PrintHuman(command.quantity, in, predictions);
  }
  PrintWarnings(warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
