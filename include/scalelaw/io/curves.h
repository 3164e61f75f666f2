// Training curves where trainers log them, and the rows a scaling-law fit takes from them.
//
// A log holds a metric (the training loss, usually) at every logged step of one or more runs: a CSV or TSV
// table with one row per logged step, a JSON Lines file with one metrics object per line (OLMo, Levanter),
// a W&B history export (a CSV with `_step` and slash-separated names such as `train/loss`, with empty cells
// where a metric was not logged at that step), a Hugging Face Trainer's trainer_state.json (its log_history) or
// TensorBoard event files (scalar summaries; a directory of them is one run, restarts merged). ReadCurves turns
// any of them into a CurveTable: runs × (step, tokens, metric, learning rate when logged), with the facts of
// each run (N, batch, sequence length, schedule) from columns, a side table or options.
//
// A CheckpointPolicy then picks the points of each curve that become (N, D, loss) rows for `scalelaw fit`:
// the final point, every point, or the end of every cooldown of a warmup-stable-decay run, after an optional
// smoothing and with a warmup fraction skipped; the policy is written beside the rows.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "scalelaw/io/csv.h"

namespace scalelaw {

// How a log is laid out. kAuto chooses by the file name: trainer_state.json is a Hugging Face Trainer state,
// *.jsonl, *.ndjson and *.json are JSON Lines (a *.json holding a "log_history" key: a Trainer state), names
// holding "tfevents" and directories are TensorBoard event files, *.tsv is TSV, anything else CSV; a CSV whose
// header has `_step` is read as a W&B history export.
enum class LogFormat { kAuto, kCsv, kJsonLines, kWandb, kTensorBoard, kTrainerState };

// "auto", "csv" (CSV or TSV), "jsonl", "wandb", "tensorboard", "trainer_state"; throws InvalidArgument naming
// the choices.
LogFormat LogFormatFromName(const std::string& name);
const char* LogFormatName(LogFormat format);
// The names LogFormatFromName takes (for the CLI's choices), "auto" first.
std::vector<std::string> LogFormatNames();
// The format kAuto reads path in by its name, or for a directory kTensorBoard (for a CSV, kCsv: the W&B
// flavour is decided by the header; for another *.json, kJsonLines: the content decides).
LogFormat DetectLogFormat(const std::string& path);
// Whether this build reads TensorBoard event files (it needs Debian's protobuf at build time).
bool TensorBoardSupported();

// What a run is known to be, beyond its curve. NaN: not known.
struct RunFacts {
  static constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();
  double params = kUnset;           // N
  double batch_tokens = kUnset;     // tokens per optimiser step
  double batch_sequences = kUnset;  // sequences per step (tokens per step = this × seq_len)
  double seq_len = kUnset;          // tokens per sequence
  std::string schedule;             // the LR schedule's spec, carried to the curve laws as given

  // Tokens per optimiser step: batch_tokens, else batch_sequences × seq_len; NaN when neither is known.
  double TokensPerStep() const;
};

struct CurveReadOptions {
  LogFormat format = LogFormat::kAuto;
  std::string metric = "loss";  // the column, JSON key or TensorBoard tag of the curve
  // The step's column or key. Empty: `_step` in a W&B export, else the first of step, _step, global_step,
  // iteration, iter present; a TensorBoard event's own step.
  std::string step;
  // The learning rate's. Empty: the first of lr, learning_rate present, else a name whose last '/'-separated
  // part is one of those (W&B: `train/lr`), else one ending in /learning_rate_group0 or /lr_group0 (OLMo); none
  // present: no LR. Named: it must be there. "-": never read.
  std::string lr;
  // Tokens seen so far. Empty: a `tokens` column (or, in a W&B export, one ending in /tokens or /total_tokens)
  // when present; else tokens = step × the run's tokens per step; "-": never read.
  std::string tokens;
  // A column (key) whose value names the run of each row: each distinct value is one run. Empty: a file is a run.
  std::string run_key;
  // Per-run facts read from the log (each constant within a run), empty: not read.
  std::string params_col;
  std::string batch_col;  // sequences per step (× seq_len), or tokens per step when batch_is_tokens
  bool batch_is_tokens = false;
  // Rows kept (as in every table command): CSV/W&B rows by their cells, JSON Lines objects and trainer_state.json
  // log_history entries by their keys (an object without the key fails an ordering, and is "" for = and !=).
  // TensorBoard logs refuse it: their scalars are separate events, with no row to filter.
  std::vector<RowFilter> where;
  // A side table (CSV) with a `run` column and any of params, batch_tokens, batch_sequences, seq_len, schedule:
  // the facts of each run by its name (a file's run is its file name without directories and extension).
  std::string facts_table;
  RunFacts facts;  // facts of every run, below the log's columns and the side table

  // Empty when the options can be used, else what is wrong (a metric named empty, a negative fact).
  std::string Validate() const;
};

// One run's curve: points in increasing step order.
struct Curve {
  // The run's name: the key's value, else the file's name; a TensorBoard directory's name; for a
  // trainer_state.json the directory holding it (its parent when that is a checkpoint-N directory).
  std::string run;
  std::string source;  // the file (or TensorBoard directory), as messages name it
  RunFacts facts;
  std::vector<double> step;
  std::vector<double> tokens;  // tokens seen at each step; empty when neither logged nor computable
  std::vector<double> metric;
  std::vector<double> lr;  // empty when the log has no LR
  // The line (CSV, JSON Lines), record (TensorBoard: within its own file) or log_history entry
  // (trainer_state.json, 1-based) of each point.
  std::vector<long> lines;

  std::size_t size() const { return step.size(); }
};

struct CurveTable {
  std::string metric;  // the metric's name in the log
  std::vector<Curve> curves;
};

// Reads one log. Throws InputError naming the file, line (record) and field of the first problem: a metric the
// log does not have (with the closest names), a step that does not increase within a run, a step, metric or LR
// that is not a finite number, an LR missing at a step where the metric is logged (a gap), a fact that varies
// within a run, a truncated or corrupt TensorBoard record. Throws InvalidArgument for options that cannot be used.
CurveTable ReadCurves(const std::string& path, const CurveReadOptions& options = {});
// Several logs: their runs in order (run names must differ across files).
CurveTable ReadCurves(const std::vector<std::string>& paths, const CurveReadOptions& options = {});
// A log already in memory (CSV, W&B, JSON Lines or a trainer_state.json; kAuto reads it as CSV, or when it
// starts with '{' as a trainer state if it has a "log_history" key, else JSON Lines); source_name is what
// messages call it (and names the run as a path would).
CurveTable ParseCurves(std::string_view text, const std::string& source_name, const CurveReadOptions& options = {});

// Curves held as long columns, one row per point (a Python DataFrame of read_curves): the rows of a run in step
// order, runs told apart by `run` (empty: one run). NaN throughout a column: not known.
struct CurveColumns {
  std::string source = "<curves>";  // what messages call the table
  std::string metric_name = "loss";
  std::vector<std::string> run;
  std::vector<double> step, metric, tokens, lr, params;
  std::vector<std::string> schedule;
};

// The curves of columns, checked as a log is (steps increasing within a run, no LR gaps, N constant within a
// run); errors name the row (1-based) and column.
CurveTable CurvesFromColumns(const CurveColumns& columns);

// Which points of a curve become rows.
struct CheckpointPolicy {
  enum class Keep {
    kFinal,      // the last point of each run
    kAll,        // every point (after the warmup skip)
    kCooldowns,  // the end of each cooldown: where the LR has fallen to its lowest before rising again or the
                 // run ends, at most cooldown_fraction of the highest LR since the previous cooldown
  };
  enum class Smoothing { kNone, kMovingAverage, kEma };

  Keep keep = Keep::kFinal;
  Smoothing smoothing = Smoothing::kNone;
  int window = 5;            // moving average: the trailing window, in logged points
  double ema_decay = 0.9;    // EMA: s_i = decay · s_{i-1} + (1 - decay) · x_i, s_0 = x_0
  double skip_warmup = 0.0;  // drop points with step < skip_warmup × the run's last step, before smoothing
  double cooldown_fraction = 0.5;

  // "final", "all", "cooldowns"; "ema:0.9", "ma:5", "none"; throw InvalidArgument naming what is wrong.
  static Keep KeepFromName(const std::string& name);
  static const char* KeepName(Keep keep);
  void SetSmoothing(const std::string& spec);
  std::string SmoothingName() const;  // "none", "ema:0.9", "ma:5"
  // "final, smoothing ema:0.9, warmup 0.1 skipped": what the output records.
  std::string ToString() const;
  // Empty when usable, else what is wrong.
  std::string Validate() const;
};

// The rows a fit reads: one per kept point. params is NaN for a run whose N is not known.
struct CheckpointRows {
  std::string metric;
  std::string policy;  // CheckpointPolicy::ToString
  std::vector<std::string> run;
  std::vector<double> params, tokens, step, loss, lr;  // lr NaN where the log has none
  std::vector<std::string> schedule;
  std::vector<std::string> warnings;  // the runs that give no row, and why

  std::size_t size() const { return run.size(); }
  // CSV with columns run, params, tokens, step, loss, lr, schedule, metric, checkpoints (what `scalelaw fit`
  // reads: params, tokens, loss); unknown values are empty cells.
  std::string ToCsv() const;
  // {"metric": ..., "checkpoints": policy, "rows": [{"run": ..., "params": ..., ...}]}; unknown values null.
  std::string ToJson() const;
};

// The policy's points of every curve. The smoothed metric is the loss of a row; points at step 0 (no tokens
// seen) are never rows. A run with no point left (a constant-LR run has no cooldown) is named in the warnings.
// Throws InvalidArgument when a curve's tokens are unknown (name the batch), for cooldowns when a curve has no
// LR, and when no run gives a row.
CheckpointRows SelectCheckpoints(const CurveTable& curves, const CheckpointPolicy& policy);

// The smoothing of values alone (for tests and plots): the trailing moving average or the EMA of the policy.
std::vector<double> SmoothCurve(const std::vector<double>& values, const CheckpointPolicy& policy);
// The indices of the cooldown ends of an LR sequence (CheckpointPolicy::Keep::kCooldowns).
std::vector<std::size_t> CooldownEnds(const std::vector<double>& lr, double cooldown_fraction);

}  // namespace scalelaw
