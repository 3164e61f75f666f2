// scalelaw ladder: FitLadder (scalelaw/analysis/ladder.h) for each of the OLMo ladder's tasks, as a table.
#include "cli/ladder_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/output.h"
#include "scalelaw/error.h"

namespace scalelaw::cli {
namespace {

struct RunFile {
  std::string path;
  double params = 0;
  bool target = false;
};

// FILE=N of --run and --target.
RunFile ParseRunFile(const std::string& item, const char* option, bool target) {
  const std::size_t eq = item.rfind('=');
  const std::optional<double> n = eq == std::string::npos ? std::nullopt : FiniteNumber(item.substr(eq + 1));
  if (!n || !(*n > 0)) throw InvalidArgument(fmt::format("{} '{}': expected FILE=N with N > 0", option, item));
  return {item.substr(0, eq), *n, target};
}

// The entries of the OLMo ladder's final.json, each path resolved beside the file.
std::vector<RunFile> ReadConfig(const std::string& config) {
  namespace fs = std::filesystem;
  std::ifstream in(config);
  if (!in) throw InvalidArgument("--config " + config + ": cannot open the file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgument(fmt::format("{}: not JSON ({})", config, e.what()));
  }
  const fs::path folder = fs::path(config).parent_path();
  std::vector<RunFile> files;
  for (const auto& [label, entry] : json.items()) {
    if (!entry.is_object() || !entry.contains("paths") || !entry.contains("n") || !entry.contains("mode") ||
        !entry["n"].is_number() || !entry["paths"].is_array()) {
      throw InvalidArgument(fmt::format("{}: entry '{}' needs \"paths\" (a list), \"n\" and \"mode\"", config, label));
    }
    for (const auto& path_json : entry["paths"]) {
      const fs::path path = path_json.get<std::string>();
      fs::path found = folder / path;
      for (const fs::path& candidate :
           {folder / path, folder / "ladder-runs" / path.filename(), folder / path.filename()}) {
        if (fs::exists(candidate)) {
          found = candidate;
          break;
        }
      }
      files.push_back({found.string(), entry["n"].get<double>(), entry["mode"] != "train"});
    }
  }
  return files;
}

std::string RunName(const std::string& path) { return std::filesystem::path(path).stem().string(); }

nlohmann::json Number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string Cell(double v, const char* format = "{:.4f}") { return std::isfinite(v) ? fmt::format(format, v) : "-"; }

}  // namespace

int RunLadder(const LadderCommand& command) {
  std::vector<RunFile> files;
  if (!command.config.empty()) files = ReadConfig(command.config);
  for (const std::string& item : command.runs) files.push_back(ParseRunFile(item, "--run", false));
  if (!command.target.empty()) files.push_back(ParseRunFile(command.target, "--target", true));
  int targets = 0;
  for (const RunFile& file : files) targets += file.target ? 1 : 0;
  const bool target_numbers = command.target_params > 0 || command.target_tokens > 0;
  if (target_numbers && !(command.target_params > 0 && command.target_tokens > 0)) {
    throw InvalidArgument("--target-params and --target-tokens go together");
  }
  if (target_numbers) {
    // Numbers given replace a target file's.
    files.erase(std::remove_if(files.begin(), files.end(), [](const RunFile& f) { return f.target; }), files.end());
    targets = 0;
  }
  if (!target_numbers && targets != 1) {
    throw InvalidArgument(
        fmt::format("the ladder needs one target (--target FILE=N, --target-params and "
                    "--target-tokens, or one non-train entry of --config); {} given",
                    targets));
  }

  std::vector<LadderTaskColumns> columns;
  for (const LadderTaskColumns& task : OlmoLadderTasks()) {
    if (command.tasks.empty() ||
        std::find(command.tasks.begin(), command.tasks.end(), task.name) != command.tasks.end()) {
      columns.push_back(task);
    }
  }
  for (const std::string& name : command.tasks) {
    if (std::none_of(columns.begin(), columns.end(), [&](const LadderTaskColumns& c) { return c.name == name; })) {
      std::string known;
      for (const LadderTaskColumns& task : OlmoLadderTasks()) known += (known.empty() ? "" : ", ") + task.name;
      throw InvalidArgument(fmt::format("--task {}: not a task of the OLMo ladder ({})", name, known));
    }
  }

  LadderOptions options;
  options.bootstrap_resamples = command.bootstrap;
  options.bootstrap_seed = command.seed;
  options.num_threads = command.threads;
  options.multistart = command.multistart;
  std::vector<LadderSummary> summaries;
  for (const LadderTaskColumns& task_columns : columns) {
    LadderTask task;
    task.name = task_columns.name;
    task.chance = task_columns.chance;
    for (const RunFile& file : files) {
      LadderRun run = ReadLadderRun(file.path, RunName(file.path), file.params, task_columns);
      if (file.target) {
        task.target = std::move(run);
      } else {
        task.runs.push_back(std::move(run));
      }
    }
    if (target_numbers) {
      task.target = LadderRun{};
      task.target.name = "target";
      task.target.params = command.target_params;
      task.target.tokens = {command.target_tokens};
    }
    summaries.push_back(FitLadder(task, options));
  }

  if (command.json) {
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
          {"step1",
           {{"a", s.step1.a}, {"b", s.step1.b}, {"alpha", s.step1.alpha}, {"beta", s.step1.beta}, {"E", s.step1.e}}},
          {"step2",
           {{"a", s.step2_chained.a}, {"L0", s.step2_chained.l0}, {"k", s.step2_chained.k}, {"b", s.step2_chained.b}}}};
      if (command.multistart) row["multistart_chained_prediction"] = Number(s.multistart.chained_prediction);
      for (auto& item : row["step1"].items()) item.value() = Number(item.value().get<double>());
      for (auto& item : row["step2"].items()) item.value() = Number(item.value().get<double>());
      out.push_back(row);
    }
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("Ladder to benchmark (Bhagia et al. 2024, arXiv:2412.04403): target N = {}, D = {}\n",
               summaries.empty() ? "-" : Short(summaries[0].target_params),
               summaries.empty() ? "-" : Short(summaries[0].target_tokens));
    const bool interval = command.bootstrap > 0;
    fmt::print("{:<26} {:>8} {:>8} {:>8} {:>8} {:>19} {:>8} {:>8}{}\n", "task", "loss", "actual", "step 2", "chained",
               interval ? "90% interval" : "", "1-step", "actual",
               command.multistart ? fmt::format(" {:>8}", "multi") : "");
    for (const LadderSummary& s : summaries) {
      if (!s.IsUsable()) {
        fmt::print("{:<26} not usable: {}\n", s.task, s.message);
        continue;
      }
      fmt::print("{:<26} {:>8} {:>8} {:>8} {:>8} {:>19} {:>8} {:>8}{}\n", s.task, Cell(s.step1_prediction),
                 Cell(s.actual_task_loss), Cell(s.step2_prediction), Cell(s.chained_prediction),
                 interval ? fmt::format("[{}, {}]", Cell(s.chained_lower), Cell(s.chained_upper)) : "",
                 Cell(s.one_step.prediction), Cell(s.actual_accuracy),
                 command.multistart ? fmt::format(" {:>8}", Cell(s.multistart.chained_prediction)) : "");
    }
    fmt::print(
        "loss: step 1's task loss (bits per byte) at the target; step 2: accuracy at the actual task loss; "
        "chained: at step 1's; 1-step: a sigmoid in ln C{}\n",
        command.multistart ? "; multi: chained from scalelaw's multi-start fits" : "");
  }
  int code = kExitOk;
  for (const LadderSummary& s : summaries) {
    if (!s.IsUsable()) code = ExitCodeFor(s.status, s.message, "the ladder prediction of " + s.task);
  }
  return code;
}

}  // namespace scalelaw::cli
