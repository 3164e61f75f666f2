// scalelaw plan --flops C: prints scalelaw::PlanTraining as a table or one JSON object.
#include <fmt/format.h>

#include <cmath>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/io/prediction_json.h"
#include "scalelaw/plan.h"

namespace scalelaw::cli {

int RunPlan(const PlanCommand& command) {
  PredictionInputs in = command.inputs;
  std::string law = command.law;
  if (!command.fit.empty()) {
    UseFitFile(command.fit, &in);
    law = "fit";
  }
  const TrainingPlan plan = PlanTraining(in, law);
  if (command.json) {
    fmt::print("{}\n", PlanToJson(plan));
  } else {
    fmt::print("Training plan for C = {} FLOPs", Short(plan.flops));
    if (!std::isnan(in.inference_tokens)) fmt::print(", {} inference tokens", Short(in.inference_tokens));
    if (!std::isnan(in.unique_tokens)) fmt::print(", {} unique tokens", Short(in.unique_tokens));
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
