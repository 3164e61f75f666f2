// scalelaw ladder: FitLadder (scalelaw/analysis/ladder.h) for each of the OLMo ladder's tasks, as a table.
#include "cli/ladder_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/output.h"
#include "plot/analysis_charts.h"
#include "plot/html_report.h"
#include "scalelaw/error.h"
#include "scalelaw/io/prediction_json.h"

namespace scalelaw::cli {
namespace {

// FILE=N of --run and --target.
LadderRunFile ParseRunFile(const std::string& item, const char* option, bool target) {
  const std::size_t eq = item.rfind('=');
  const std::optional<double> n = eq == std::string::npos ? std::nullopt : FiniteNumber(item.substr(eq + 1));
  if (!n || !(*n > 0)) throw InvalidArgument(fmt::format("{} '{}': expected FILE=N with N > 0", option, item));
  return {item.substr(0, eq), *n, target};
}

nlohmann::json Number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string Cell(double v, const char* format = "{:.4f}") { return std::isfinite(v) ? fmt::format(format, v) : "-"; }

nlohmann::json LadderJson(const LadderCommand& command, const std::vector<LadderSummary>& summaries,
                          const std::vector<Prediction>& published) {
  nlohmann::json out = nlohmann::json::array();
  for (const LadderSummary& s : summaries) {
    nlohmann::json row = {
        {"task", s.task},
        {"status", std::string(AnalysisStatusName(s.status))},
        {"message", s.message},
        {"target_params", Number(s.target_params)},
        {"target_tokens", Number(s.target_tokens)},
        {"step1_prediction", Number(s.step1_prediction)},
        {"actual_task_loss", Number(s.actual_task_loss)},
        {"step2_prediction", Number(s.step2_prediction)},
        {"chained_prediction", Number(s.chained_prediction)},
        {"chained_lower", Number(s.chained_lower)},
        {"chained_upper", Number(s.chained_upper)},
        {"interval_level", Number(s.interval_level)},
        {"one_step_prediction", Number(s.one_step.prediction)},
        {"actual_accuracy", Number(s.actual_accuracy)},
        {"step1_points", s.step1_points},
        {"step2_points", s.step2_points},
        {"step1",
         {{"a", s.step1.a}, {"b", s.step1.b}, {"alpha", s.step1.alpha}, {"beta", s.step1.beta}, {"E", s.step1.e}}},
        {"step2",
         {{"a", s.step2_chained.a}, {"L0", s.step2_chained.l0}, {"k", s.step2_chained.k}, {"b", s.step2_chained.b}}}};
    if (command.multistart) row["multistart_chained_prediction"] = Number(s.multistart.chained_prediction);
    if (!published.empty()) {
      row["published"] = nlohmann::json::array();
      for (const Prediction& p : published) row["published"].push_back(nlohmann::json::parse(PredictionToJson(p)));
    }
    row["warnings"] = s.warnings;
    for (auto& item : row["step1"].items()) item.value() = Number(item.value().get<double>());
    for (auto& item : row["step2"].items()) item.value() = Number(item.value().get<double>());
    out.push_back(row);
  }
  return out;
}

// The tasks side by side, as the command prints them.
std::string LadderTable(const LadderCommand& command, const std::vector<LadderSummary>& summaries) {
  std::string text;
  text += fmt::format("Ladder to benchmark (Bhagia et al. 2024, arXiv:2412.04403): target N = {}, D = {}\n",
                      summaries.empty() ? "-" : Short(summaries[0].target_params),
                      summaries.empty() ? "-" : Short(summaries[0].target_tokens));
  const bool interval = command.bootstrap > 0;
  text += fmt::format("{:<26} {:>8} {:>8} {:>8} {:>8} {:>19} {:>8} {:>8}{}\n", "task", "loss", "actual", "step 2",
                      "chained", interval ? "90% interval" : "", "1-step", "actual",
                      command.multistart ? fmt::format(" {:>8}", "multi") : "");
  for (const LadderSummary& s : summaries) {
    if (!s.IsUsable()) {
      text += fmt::format("{:<26} not usable: {}\n", s.task, s.message);
      continue;
    }
    text += fmt::format("{:<26} {:>8} {:>8} {:>8} {:>8} {:>19} {:>8} {:>8}{}\n", s.task, Cell(s.step1_prediction),
                        Cell(s.actual_task_loss), Cell(s.step2_prediction), Cell(s.chained_prediction),
                        interval ? fmt::format("[{}, {}]", Cell(s.chained_lower), Cell(s.chained_upper)) : "",
                        Cell(s.one_step.prediction), Cell(s.actual_accuracy),
                        command.multistart ? fmt::format(" {:>8}", Cell(s.multistart.chained_prediction)) : "");
  }
  text += fmt::format(
      "loss: step 1's task loss (bits per byte) at the target; step 2: accuracy at the actual task loss; "
      "chained: at step 1's; 1-step: a sigmoid in ln C{}\n",
      command.multistart ? "; multi: chained from scalelaw's multi-start fits" : "");
  return text;
}

// The published downstream laws at the target, one line each with what they assumed.
std::string PublishedTable(const std::vector<Prediction>& published) {
  std::string text;
  if (!published.empty()) text += "Published downstream laws at the target:\n";
  for (const Prediction& p : published) {
    text += fmt::format("  {:<24} {}\n    {}\n", p.law.name, FormatValues(p), p.law.citation.ToString());
    for (const std::string& note : p.notes) text += "    " + note + "\n";
  }
  return text;
}

// Each --published law at the target of the first usable task (every task shares the target's N and D).
std::vector<Prediction> PublishedAtTarget(const LadderCommand& command, const std::vector<LadderSummary>& summaries) {
  std::vector<Prediction> published;
  if (command.published.empty()) return published;
  const auto usable = std::find_if(summaries.begin(), summaries.end(),
                                   [](const LadderSummary& s) { return s.target_params > 0 && s.target_tokens > 0; });
  if (usable == summaries.end()) return published;
  for (const std::string& family : command.published) {
    published.push_back(PredictLadderTarget(family, *usable, command.target_inputs.Inputs()));
  }
  return published;
}

}  // namespace

int RunLadder(const LadderCommand& command) {
  std::vector<LadderRunFile> files;
  if (!command.config.empty()) files = ReadOlmoLadderConfig(command.config);
  for (const std::string& item : command.runs) files.push_back(ParseRunFile(item, "--run", false));
  if (!command.target.empty()) files.push_back(ParseRunFile(command.target, "--target", true));
  if ((command.target_params > 0) != (command.target_tokens > 0)) {
    throw InvalidArgument("--target-params and --target-tokens go together");
  }
  LadderOptions options;
  options.bootstrap_resamples = command.bootstrap;
  options.bootstrap_seed = command.seed;
  options.num_threads = command.threads;
  options.multistart = command.multistart;
  options.max_compute_extrapolation = command.max_extrapolation;
  const std::vector<LadderSummary> summaries =
      FitLadderFiles(files, command.tasks, options, command.target_params, command.target_tokens);
  const std::vector<Prediction> published = PublishedAtTarget(command, summaries);

  const nlohmann::json json = LadderJson(command, summaries, published);
  const std::string table = LadderTable(command, summaries) + PublishedTable(published);
  // Each usable task's two charts, step 1 then step 2.
  std::vector<plot::Chart> charts;
  if (!command.plot.empty() || !command.report.empty()) {
    for (const LadderSummary& s : summaries) {
      if (!s.IsUsable()) continue;
      plot::LadderCharts steps = plot::MakeLadderCharts(s);
      charts.push_back(std::move(steps.step1));
      charts.push_back(std::move(steps.step2));
    }
  }
  if (!command.plot.empty() && !charts.empty()) plot::WriteSvgGridFile(charts, 2, command.plot);
  if (!command.report.empty()) {
    report::Report page;
    page.title = "scalelaw ladder: ladder to benchmark";
    page.command_line = CommandLine();
    std::vector<std::string> unusable;
    for (const LadderSummary& s : summaries) {
      if (!s.IsUsable()) unusable.push_back(s.task + ": " + s.message);
    }
    page.status = unusable.empty() ? "usable" : fmt::format("not usable: {}", fmt::join(unusable, "; "));
    for (const LadderRunFile& file : files) page.data.push_back({file.path, "", file.target ? "target" : "ladder run"});
    page.sections.push_back({"Tasks", table, {}, {}});
    std::size_t chart = 0;
    for (const LadderSummary& s : summaries) {
      report::Section section{s.task, s.FullReport(), {}, {}};
      if (s.IsUsable()) {
        section.figures.push_back(
            {"Step 1: the ladder's task loss per run with the law per model size and the "
             "target's predicted task loss",
             charts[chart++]});
        section.figures.push_back(
            {"Step 2: accuracy against task loss over the ladder's smoothed checkpoints, with "
             "the target's chained prediction",
             charts[chart++]});
      }
      page.sections.push_back(std::move(section));
    }
    for (const LadderSummary& s : summaries)
      page.warnings.insert(page.warnings.end(), s.warnings.begin(), s.warnings.end());
    page.json = json.dump();
    report::WriteHtmlFile(page, command.report);
  }
  fmt::print("{}", command.json ? json.dump() + "\n" : table);
  for (const LadderSummary& s : summaries) PrintWarnings(s.warnings);
  for (const Prediction& p : published) PrintWarnings(p.warnings);
  int code = kExitOk;
  for (const LadderSummary& s : summaries) {
    if (!s.IsUsable()) code = ExitCodeFor(s.status, s.message, "the ladder prediction of " + s.task);
  }
  return code;
}

}  // namespace scalelaw::cli
