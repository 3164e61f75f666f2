// scalelaw plan --flops C: prints scalelaw::PlanTraining as a table or one JSON object.
#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "cli/output.h"
#include "cli/plan_command.h"
#include "scalelaw/io/prediction_json.h"
#include "scalelaw/plan.h"

namespace scalelaw::cli {
namespace {

// The run to launch: the shape, its counts, the tokens under the allocation law's FLOP convention, the batch in
// whole sequences, the steps and the LR schedule.
void PrintConfiguration(const TrainingConfiguration& run) {
  const TransformerShape& s = run.model.shape;
  const ParameterCounts& p = run.model.params;
  fmt::print("\nTrainable configuration (the shape nearest the law's {} {})\n", Short(run.target), run.matched_on);
  fmt::print("  {:<20} {} layers, d_model {}, {} heads of {} ({} key-value), {} FFN {}, vocabulary {}{}\n", "shape",
             s.layers, s.d_model, s.heads, s.HeadDim(), s.KvHeads(), Name(s.ffn_kind), run.model.ffn_width, s.vocab,
             s.tied_embeddings ? ", tied" : ", untied");
  fmt::print("  {:<20} {} total, {} non-embedding, {} non-vocabulary\n", "parameters", p.total, p.non_embedding,
             p.non_vocabulary);
  fmt::print("  {:<20} {} ({}, the allocation law's convention)\n", "FLOPs per token", Short(run.flops_per_token),
             FindFlopConvention(run.flop_convention).formula);
  fmt::print("  {:<20} {} (C / FLOPs per token)\n", "tokens", Short(run.tokens));
  if (run.batch_sequences > 0) {
    fmt::print("  {:<20} {} sequences of {} = {} tokens\n", "batch", run.batch_sequences, run.seq_len,
               Short(run.batch_tokens));
    fmt::print("  {:<20} {}\n", "steps", run.steps);
  }
  if (run.peak_lr > 0) fmt::print("  {:<20} {} ({})\n", "peak LR", Short(run.peak_lr), run.lr_law);
  if (!run.schedule.empty()) fmt::print("  {:<20} {}\n", "schedule", run.schedule);
}

}  // namespace

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
  ShapeSearchOptions shape = command.shape;
  ApplyArchitecture(command.architecture, command.kinds, &shape);
  const TrainingPlan plan = PlanTraining(
      in, allocation ? *allocation : ChosenLaw({command.law.family, "", command.law.constants}, Quantity::kAllocation),
      fitted, shape);
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
    if (plan.configuration) PrintConfiguration(*plan.configuration);
    fmt::print("\n");
    for (const std::string& note : plan.notes) fmt::print("  note: {}\n", note);
  }
  PrintWarnings(plan.warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
