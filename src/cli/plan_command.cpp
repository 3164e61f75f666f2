// scalelaw plan --flops C: prints scalelaw::PlanTraining as a table or one JSON object.
#include "cli/plan_command.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "cli/output.h"
#include "io/read_file.h"
#include "scalelaw/curves/schedule.h"
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
  if (run.designed_schedule) {
    // The designed schedule is the plan's; the best WSD of the same law is its simplest spec, the LR law's own the
    // one its peak LR was found under.
    const ScheduleDesignSummary& design = *run.designed_schedule;
    fmt::print(
        "  {:<20} designed against {}: the peak until step {}, then down to {} (per-step LR: "
        "--schedule-output); predicted final loss {:.5g} (cosine {:.5g}, best WSD {:.5g})\n",
        "schedule", run.schedule_law, design.decay_start, Short(design.min_lr), design.final_loss,
        design.cosine.final_loss, design.wsd.final_loss);
    fmt::print("  {:<20} {}\n", "best WSD", LrScheduleSpec(design.wsd.schedule));
    if (!run.schedule.empty()) fmt::print("  {:<20} {}\n", "LR law's schedule", run.schedule);
  } else if (!run.schedule.empty()) {
    fmt::print("  {:<20} {}\n", "schedule", run.schedule);
  }
}

}  // namespace

int RunPlan(const PlanCommand& command) {
  const PredictionInputs in = command.inputs.Inputs();
  PlanOptions options = command.options;
  ApplyArchitecture(command.architecture, command.kinds, &options.shape);
  PlanFits fits;
  for (const std::string& path : command.fits) {
    if (std::optional<PlanScheduleLaw> curves =
            ScheduleLawFromJson(detail::ReadWholeFile(path), detail::DisplayName(path), "fit:" + path)) {
      fits.Add(std::move(*curves));
    } else {
      fits.Add(ChosenLaw({"", path, {}}, Quantity::kAllocation));
    }
  }
  if (fits.allocation && command.law_given) {
    throw InvalidArgument("--fit: '" + fits.allocation->name + "' sets N and D: give it or --law, not both");
  }
  if (!command.schedule_output.empty() && !fits.schedule_law) {
    throw InvalidArgument("--schedule-output: give a multi-power curve fit ('scalelaw curve fit --output') with --fit");
  }
  options.schedule_law = std::move(fits.schedule_law);
  if (!fits.allocation && in.Has(Input::kUniqueTokens) && command.law.constants.empty()) {
    fits.allocation = PublishedLaw("datablations");
  }
  const TrainingPlan plan =
      PlanTraining(in,
                   fits.allocation ? *fits.allocation
                                   : ChosenLaw({command.law.family, "", command.law.constants}, Quantity::kAllocation),
                   fits.fitted, options);
  const ScheduleDesignSummary* designed =
      plan.configuration && plan.configuration->designed_schedule ? &*plan.configuration->designed_schedule : nullptr;
  if (designed != nullptr && !command.schedule_output.empty()) {
    detail::WriteWholeFile(command.schedule_output, DesignedScheduleCsv(*designed), "the schedule");
  }
  if (command.json) {
    fmt::print("{}\n", PlanToJson(plan));
  } else {
    if (in.Has(Input::kLifetimeFlops)) {
      // The requested budget and how it is spent.
      fmt::print(
          "Training plan for a lifetime budget of {} FLOPs: training C = {} FLOPs, inference {} FLOPs for {} "
          "tokens",
          Short(in.Get(Input::kLifetimeFlops)), Short(plan.flops), Short(plan.allocation.Value("inference_flops")),
          Short(in.Get(Input::kInferenceTokens)));
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
    if (designed != nullptr && !command.schedule_output.empty()) {
      fmt::print("\n{} rows (step,lr) of the designed schedule written to {}\n", designed->lr.size(),
                 command.schedule_output);
    }
  }
  PrintWarnings(plan.warnings);
  if (!command.schedule_output.empty() && designed == nullptr) {
    PrintError("--schedule-output " + command.schedule_output +
               ": no schedule was designed (the warnings say why); nothing written");
    return kExitUnusable;
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
