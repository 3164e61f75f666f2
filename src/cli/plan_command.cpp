// scalelaw plan --flops C: prints scalelaw::PlanTraining as a table or one JSON object.
#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/io/prediction_json.h"
#include "scalelaw/plan.h"

namespace scalelaw::cli {

int RunPlan(const PlanCommand& command) {
  const PredictionInputs in = command.inputs.Inputs();
  std::optional<Law> allocation;
  std::vector<Law> fitted;
  for (const std::string& path : command.fits) {
    Law law = ChosenLaw({"", path, {}}, Quantity::kAllocation);
    if (law.Answer(Quantity::kAllocation) == nullptr) {
      fitted.push_back(std::move(law));
    } else if (allocation) {
      throw InvalidArgument("--fit " + path + ": a second law for N and D (the first is " + allocation->name + ")");
    } else {
      allocation = std::move(law);
    }
  }
  if (!allocation && in.Has(Input::kUniqueTokens) && command.law.constants.empty()) {
    allocation = PublishedLaw("datablations");
  }
  const TrainingPlan plan =
      PlanTraining(in, allocation ? *allocation : ChosenLaw({command.law.family, "", command.law.constants}, Quantity::kAllocation),
                   fitted);
  if (command.json) {
    fmt::print("{}\n", PlanToJson(plan));
  } else {
    if (in.Has(Input::kLifetimeFlops)) {
      // The requested budget and how it is spent.
      fmt::print("Training plan for a lifetime budget of {} FLOPs: training C = {} FLOPs, inference {} FLOPs for {} "
                 "tokens",
                 Short(in.Get(Input::kLifetimeFlops)), Short(plan.flops),
                 Short(plan.allocation.Value("inference_flops")), Short(in.Get(Input::kInferenceTokens)));
    } else {
      fmt::print("Training plan for C = {} FLOPs", Short(plan.flops));
    }
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
