// scalelaw curve ...: the CLI11 setup of the command group and `curve table` (training logs to checkpoint rows).
#include "cli/curve_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <cmath>

#include "cli/cli11_options.h"
#include "cli/output.h"
#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/io/curves.h"

namespace scalelaw::cli {

void AddLogFormatOption(CLI::App* sub, std::string& format) {
  sub->add_option("--format", format,
                  fmt::format("Log format: {}. auto decides by name: trainer_state.json a Hugging Face Trainer "
                              "state, .jsonl/.ndjson/.json JSON Lines (a .json with log_history: a Trainer state), "
                              "*tfevents* or a directory TensorBoard, else CSV or TSV, a W&B export when the header "
                              "has _step",
                              fmt::join(LogFormatNames(), ", ")))
      ->capture_default_str()
      ->check(CLI::IsMember(LogFormatNames()));
}

namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void AddCurveTableSubcommand(CLI::App* curve, CurveTableCommand& command, int& exit_code) {
  CLI::App* sub = curve->add_subcommand(
      "table",
      "Read training logs (CSV/TSV, JSON Lines, W&B history CSV, Hugging Face trainer_state.json, TensorBoard "
      "event files or directories) into the rows `scalelaw fit` takes, chosen by a checkpoint policy");
  sub->add_option("logs", command.logs,
                  "Log files (a TensorBoard directory: its event files as one run); each is a run unless --run-col "
                  "names a column of run names")
      ->required();
  AddLogFormatOption(sub, command.format);
  sub->add_option("--metric", command.metric, "The curve's column, key or TensorBoard tag, e.g. train/loss")
      ->capture_default_str();
  sub->add_option("--step-col", command.step_col,
                  "The step's column or key (default: _step in a W&B export, else step, _step, global_step, iteration "
                  "or iter)");
  sub->add_option("--lr-col", command.lr_col,
                  "The learning rate's (default: lr or learning_rate, or a name ending in /lr; '-': read no LR)");
  sub->add_option("--tokens-col", command.tokens_col,
                  "Tokens seen so far (default: a 'tokens' column; else step x tokens per step; '-': not read)");
  sub->add_option("--run-col", command.run_col, "A column (key) naming the run of each row: one run per value");
  auto* params = AddNumber(sub, "--params", command.params, "N of every run (a --facts row of the run comes first)");
  sub->add_option("--params-col", command.params_col, "A column with each run's N (constant within a run)")
      ->excludes(params);
  auto* seqs = AddNumber(sub, "--batch-seqs", command.batch_seqs,
                         "Sequences per step of every run (x --seq-len; a --facts row of the run comes first)");
  auto* tokens = AddNumber(sub, "--batch-tokens", command.batch_tokens,
                           "Tokens per step of every run (a --facts row of the run comes first)")
                     ->excludes(seqs);
  AddNumber(sub, "--seq-len", command.seq_len, "Tokens per sequence of every run");
  auto* seqs_col = sub->add_option("--batch-seqs-col", command.batch_seqs_col,
                                   "A column with each run's sequences per step (x --seq-len)");
  sub->add_option("--batch-tokens-col", command.batch_tokens_col, "A column with each run's tokens per step")
      ->excludes(seqs_col)
      ->excludes(tokens)
      ->excludes(seqs);
  seqs_col->excludes(tokens)->excludes(seqs);
  sub->add_option("--schedule", command.schedule, "The LR schedule spec of every run, carried to the output");
  sub->add_option("--facts", command.facts,
                  "A CSV of per-run facts: a 'run' column and any of params, batch_tokens, batch_sequences, seq_len, "
                  "schedule (a file's run is its name without directory and extension)");
  sub->add_option("--where", command.where,
                  "Keep only the rows of a CSV log (the objects of a JSON Lines log, the log_history entries of a "
                  "trainer_state.json) where COLUMN=VALUE, !=, <, <=, > or >= holds (repeatable; not for TensorBoard)");
  sub->add_option("--checkpoints", command.checkpoints,
                  "Which points become rows: final (the last of each run), all (every logged point), cooldowns (the "
                  "end of each LR cooldown: one row per cooldown of a WSD run)")
      ->capture_default_str()
      ->check(CLI::IsMember({"final", "all", "cooldowns"}));
  sub->add_option("--smooth", command.smooth,
                  "Smoothing of the metric before the points are taken: none, ema:DECAY (e.g. ema:0.9), ma:POINTS "
                  "(trailing moving average, e.g. ma:5)")
      ->capture_default_str();
  sub->add_option("--skip-warmup", command.skip_warmup,
                  "Drop the points before this fraction of each run's last step (before smoothing)")
      ->capture_default_str()
      ->check(NumberFromTo(0.0, 0.99));
  sub->add_option("--cooldown-fraction", command.cooldown_fraction,
                  "With cooldowns: a cooldown ends where the LR stops falling at most this fraction of its peak")
      ->capture_default_str()
      ->check(NumberFromTo(0.001, 0.999));
  AddJsonFlag(sub, command.json);
  sub->add_option("--output", command.output, "Write the table to this file instead (.json: JSON, else CSV)");
  sub->callback([&command, &exit_code] { exit_code = RunCurveTable(command); });
}

}  // namespace

void AddCurveCommands(CLI::App& app, CurveCommands& commands, int& exit_code) {
  CLI::App* curve = app.add_subcommand(
      "curve", "Training curves: read logs into tables of runs, fit loss-curve laws and predict schedules");
  curve->require_subcommand(1);
  AddCurveTableSubcommand(curve, commands.table, exit_code);
  AddCurveFitSubcommand(curve, commands.fit, exit_code);
  AddCurvePredictSubcommand(curve, commands.predict, exit_code);
  AddCurveScheduleSubcommand(curve, commands.schedule, exit_code);
}

int RunCurveTable(const CurveTableCommand& command) {
  CurveReadOptions options;
  options.format = LogFormatFromName(command.format);
  options.metric = command.metric;
  options.step = command.step_col;
  options.lr = command.lr_col;
  options.tokens = command.tokens_col;
  options.run_key = command.run_col;
  options.params_col = command.params_col;
  options.batch_col = command.batch_seqs_col.empty() ? command.batch_tokens_col : command.batch_seqs_col;
  options.batch_is_tokens = !command.batch_tokens_col.empty();
  options.facts_table = command.facts;
  for (const std::string& spec : command.where) {
    try {
      options.where.push_back(RowFilter::Parse(spec));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("--where: ") + e.what());
    }
  }
  if (command.params > 0) options.facts.params = command.params;
  if (command.batch_seqs > 0) options.facts.batch_sequences = command.batch_seqs;
  if (command.batch_tokens > 0) options.facts.batch_tokens = command.batch_tokens;
  if (command.seq_len > 0) options.facts.seq_len = command.seq_len;
  options.facts.schedule = command.schedule;

  CheckpointPolicy policy;
  policy.keep = CheckpointPolicy::KeepFromName(command.checkpoints);
  try {
    policy.SetSmoothing(command.smooth);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("--smooth: ") + e.what());
  }
  policy.skip_warmup = command.skip_warmup;
  policy.cooldown_fraction = command.cooldown_fraction;

  const CurveTable curves = ReadCurves(command.logs, options);
  const CheckpointRows rows = SelectCheckpoints(curves, policy);
  const bool json = command.json || (!command.output.empty() && EndsWith(command.output, ".json"));
  const std::string text = json ? rows.ToJson() + "\n" : rows.ToCsv();
  if (command.output.empty()) {
    fmt::print("{}", text);
  } else {
    detail::WriteWholeFile(command.output, text, "the table");
    fmt::print("{} rows from {} runs ({}) written to {}\n", rows.size(), curves.curves.size(), rows.policy,
               command.output);
  }
  PrintWarnings(rows.warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
