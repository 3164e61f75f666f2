// scalelaw sweep: prints or writes scalelaw::PlanSweep's runs.
#include "cli/sweep_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "cli/count_command.h"
#include "cli/output.h"
#include "io/read_file.h"

namespace scalelaw::cli {
namespace {

// The plan's problems start with a SweepPlanOptions (or ShapeSearchOptions) field; the CLI option is its name with
// dashes, except the few the CLI spells otherwise.
std::string WithSweepOption(const std::string& problem) {
  for (const auto& [field, option] : {std::pair<const char*, const char*>{"allocation_law:", "--law/--fit:"},
                                      {"max_relative_distance:", "--max-distance:"},
                                      {"spread:", "--spread:"}}) {
    if (problem.rfind(field, 0) == 0) return option + problem.substr(std::string(field).size());
  }
  return WithShapeOption(problem);
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string PlanJson(const SweepPlan& plan) {
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const PlannedRun& run : plan.runs) {
    nlohmann::ordered_json row{{"run_id", run.run_id}};
    if (run.budget > 0) row["budget"] = run.budget;
    row["target_params"] = run.target_params;
    row.update(ShapeCountJson(run.count));
    row["flop_convention"] = run.convention;
    row["flops_per_token"] = run.flops_per_token;
    row["tokens"] = run.tokens;
    row["flops"] = run.flops;
    row["batch_tokens"] = run.batch_tokens;
    row["batch_sequences"] = run.batch_sequences;
    row["steps"] = run.steps;
    row["lr"] = run.lr;
    row["lr_law"] = run.lr_law;
    row["batch_law"] = run.batch_law;
    row["schedule"] = run.schedule;
    runs.push_back(std::move(row));
  }
  const nlohmann::ordered_json out{{"status", Name(plan.status)},
                                   {"message", plan.message},
                                   {"grid", plan.isoflop ? "isoflop" : "n x d"},
                                   {"runs", runs},
                                   {"notes", plan.notes},
                                   {"warnings", plan.warnings}};
  return out.dump();
}

// The run a `scalelaw design --json` result proposes: candidates[best_candidate]'s N and D.
std::pair<double, double> ProposedRun(const std::string& path) {
  nlohmann::json design;
  try {
    design = nlohmann::json::parse(detail::ReadWholeFile(path));
  } catch (const nlohmann::json::exception& error) {
    throw InputError(path, 0, "", std::string("not a 'scalelaw design --json' result (") + error.what() + ")");
  }
  const auto best = design.find("best_candidate");
  const auto candidates = design.find("candidates");
  if (best == design.end() || !best->is_number_integer() || candidates == design.end() || !candidates->is_array() ||
      best->get<long>() < 0 || best->get<std::size_t>() >= candidates->size()) {
    throw InputError(path, 0, "best_candidate", "no proposed run: run scalelaw design with --candidates");
  }
  const nlohmann::json& run = (*candidates)[best->get<std::size_t>()];
  if (!run.contains("params") || !run["params"].is_number() || !run.contains("tokens") || !run["tokens"].is_number()) {
    throw InputError(path, 0, "candidates", "the proposed run has no numeric 'params' and 'tokens'");
  }
  return {run["params"].get<double>(), run["tokens"].get<double>()};
}

}  // namespace

int RunSweep(const SweepCommand& command) {
  SweepPlanOptions options;
  options.budgets = command.budgets;
  options.tokens = command.tokens;
  options.sizes = command.sizes;
  if (!command.design.empty()) {
    const auto [params, tokens] = ProposedRun(command.design);
    options.sizes = {params};
    options.tokens = {tokens};
  }
  options.min_params = command.min_params;
  options.max_params = command.max_params;
  options.per_budget = command.per_budget;
  options.spread = command.spread;
  if (!command.law.family.empty() || !command.law.fit.empty()) {
    options.allocation_law = ChosenLaw(command.law, Quantity::kAllocation);
  }
  options.convention = command.convention;
  options.lr_law = command.lr_law;
  options.batch_law = command.batch_law;
  options.batch_tokens = command.batch_tokens;
  options.schedule = command.schedule;
  options.run_prefix = command.run_prefix;
  options.max_relative_distance = command.max_distance;
  options.shapes = ResolvedShapeOptions(command.shape);
  if (const std::string problem = options.Problem(); !problem.empty()) {
    throw InvalidArgument(WithSweepOption(problem));
  }
  SweepPlan plan;
  try {
    PlanSweep(options, &plan);
  } catch (const InvalidArgument& error) {
    // A problem found while planning that names an option's field ("budgets: C = 1 buys less than one token").
    const std::string what = error.what();
    const std::size_t colon = what.find(':');
    const bool field = colon != std::string::npos && colon > 0 &&
                       what.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == colon;
    if (!field || dynamic_cast<const InputProblem*>(&error) != nullptr) throw;
    throw InvalidArgument(WithSweepOption(what));
  }
  if (!plan.IsUsable()) {
    if (command.json) fmt::print("{}\n", PlanJson(plan));
    PrintError("the sweep plan is not usable: " + plan.message);
    return kExitUnusable;
  }
  if (!command.output.empty()) {
    const bool json = EndsWith(command.output, ".json");
    detail::WriteWholeFile(command.output, json ? PlanJson(plan) + "\n" : plan.ToCsv(), "the sweep");
    fmt::print("{} runs written to {}\n", plan.runs.size(), command.output);
    for (const std::string& note : plan.notes) fmt::print("  note: {}\n", note);
  } else if (command.json) {
    fmt::print("{}\n", PlanJson(plan));
  } else {
    fmt::print("{}", plan.FullReport());
  }
  PrintWarnings(plan.warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
