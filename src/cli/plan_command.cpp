// scalelaw plan --flops C: prints scalelaw::PlanTraining as a table or one JSON object.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/io/prediction_json.h"
#include "scalelaw/plan.h"

namespace scalelaw::cli {

int RunPlan(const PlanCommand& command) {
  const PredictionInputs in = command.inputs.Inputs();
  const TrainingPlan plan = command.law.fit.empty() && command.law.constants.empty()
                                ? PlanTraining(in, command.law.family)
                                : PlanTraining(in, ChosenLaw(command.law, Quantity::kAllocation));
  if (command.json) {
    fmt::print("{}\n", PlanToJson(plan));
  } else {
    fmt::print("Training plan for C = {} FLOPs", Short(plan.flops));
    if (in.Has(Input::kInferenceTokens)) fmt::print(", {} inference tokens", Short(in.Get(Input::kInferenceTokens)));
    if (in.Has(Input::kUniqueTokens)) fmt::print(", {} unique tokens", Short(in.Get(Input::kUniqueTokens)));
    fmt::print("\n\n  {:<28} {:>10}   {:<26} {}\n", "quantity", "value", "law", "other laws");
    for (const PlanItem& item : plan.items) {
      std::string others;
      for (const auto& [name, value] : item.alternatives) {
        if (name != item.law) others += fmt::format("{}{} {}", others.empty() ? "" : ", ", name, Short(value));
      }
      fmt::print("  {:<28} {:>10}   {:<26} {}\n", item.label, Short(item.value), item.law, others);
    }
    fmt::print("\n");
    for (const std::string& note : plan.notes) fmt::print("  note: {}\n", note);
  }
  PrintWarnings(plan.warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
