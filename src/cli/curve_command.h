// scalelaw curve ...: the command group of training curves (logs of loss against step).
//
// `curve table` reads logs into the rows a fit takes (scalelaw/io/curves.h). To add a subcommand to the group
// (curve fit, predict, schedule): declare its option struct and Run function here, add the struct as a member of
// CurveCommands, and in curve_command.cpp add an Add<Name>Subcommand(CLI::App* curve, ...) that declares its
// options on the `curve` app and is called from AddCurveCommands. main.cpp needs no change.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace scalelaw::cli {

// scalelaw curve table LOG...: the checkpoint rows of the runs in the logs, as CSV or JSON.
struct CurveTableCommand {
  std::vector<std::string> logs;
  std::string format = "auto";
  std::string metric = "loss";
  std::string step_col, lr_col, tokens_col, run_col;  // empty: the usual names
  double params = 0;                                  // 0: not given
  std::string params_col;
  double batch_seqs = 0, batch_tokens = 0, seq_len = 0;
  std::string batch_seqs_col, batch_tokens_col;
  std::string schedule;
  std::string facts;
  std::vector<std::string> where;
  std::string checkpoints = "final";
  std::string smooth = "none";
  double skip_warmup = 0;
  double cooldown_fraction = 0.5;
  bool json = false;
  std::string output;  // .json: JSON, else CSV
};
int RunCurveTable(const CurveTableCommand& command);

// --format, the log format, for every curve subcommand that reads logs: the choices are LogFormatNames().
void AddLogFormatOption(CLI::App* sub, std::string& format);

// How `curve fit` and `curve predict --log` read logs into curves with learning rates (scalelaw/curves/log_curves.h).
struct CurveLogOptions {
  std::string format = "auto";
  std::string metric = "loss";
  std::string step_col, lr_col, run_col;  // empty: the usual names
  std::string facts;                      // side table with a run column and a schedule column (and facts)
  std::vector<std::string> where;
  std::string schedule;  // a schedule spec for every run
  long max_lr_gap = 0;
  double params = 0;       // N of every run (0: not given); curve predict: the N a fit across sizes predicts at
  std::string params_col;  // a column (key) with each run's N
};

// scalelaw curve fit LOG...: a loss-curve law fitted to the runs' curves (FitCurveLaw), with a bootstrap.
struct CurveFitCommand {
  std::vector<std::string> logs;
  CurveLogOptions log;
  std::string law = "multi-power";
  std::vector<std::string> train;  // the runs to fit (empty: all); the others are predicted and scored
  double lambda = 0.999;
  bool fit_lambda = false;
  int bootstrap = 0;
  long long seed = 0;
  int block_length = 0;
  int threads = 0;
  bool json = false;
  std::string output;  // the fit as JSON
  std::string plot;    // out.svg: observed against predicted curves, and the LR schedules (out-lr.svg)
  std::string report;  // an HTML page of the fit, its held-out errors and both charts
  // A joint fit across model sizes (scalelaw/curves/curve_size_fit.h): each run's N from the log's facts.
  bool across_sizes = false;
  std::vector<std::string> scaled;  // the parameters that are power laws in N (empty: the form's default)
  double reference_params = 0;      // N_ref of the power laws in N (0: the geometric mean of the fitted sizes)
};
int RunCurveFit(const CurveFitCommand& command);

// scalelaw curve predict --fit fit.json (--schedule SPEC | --log LOG...): the predicted curve of a schedule with
// its bootstrap interval, or the fit's errors on observed curves.
struct CurvePredictCommand {
  std::string fit;
  std::vector<std::string> logs;
  CurveLogOptions log;
  long every = 0;  // 0: about 200 points
  bool json = false;
  std::string output;  // the curve as CSV
  std::string plot;
};
int RunCurvePredict(const CurvePredictCommand& command);

// Declared in curve_fit_command.cpp: `curve fit` and `curve predict`.
void AddCurveFitSubcommand(CLI::App* curve, CurveFitCommand& command, int& exit_code);
void AddCurvePredictSubcommand(CLI::App* curve, CurvePredictCommand& command, int& exit_code);

// scalelaw curve schedule: the LR schedule that minimises a Multi-Power Law's predicted final loss
// (scalelaw/curves/schedule_design.h), against cosine and WSD; the schedule as step,lr CSV for a trainer.
struct CurveScheduleCommand {
  std::string fit;         // a curve fit's JSON (CurveFitToJson)
  std::string preset;      // a published law (scalelaw/curves/published_curve_laws.h)
  std::string law_params;  // L0=..,A=..,alpha=..,B=..,C=..,beta=..,gamma=..
  long steps = 0;
  double peak = 0;
  long warmup = 0;
  std::string warmup_shape = "linear";
  double warmup_lr = 0;
  double min_lr = 0;  // 0: peak / 10
  int knots = 100;
  bool json = false;
  std::string output;  // step,lr CSV
  std::string plot;    // SVG
};
int RunCurveSchedule(const CurveScheduleCommand& command);
// Declared in curve_schedule_command.cpp.
void AddCurveScheduleSubcommand(CLI::App* curve, CurveScheduleCommand& command, int& exit_code);

// The option structs of the group's subcommands, alive while the command line is parsed and run.
struct CurveCommands {
  CurveTableCommand table;
  CurveFitCommand fit;
  CurvePredictCommand predict;

  CurveScheduleCommand schedule;
};

// Adds `curve` and its subcommands to app; the chosen subcommand's exit code goes to exit_code.
void AddCurveCommands(CLI::App& app, CurveCommands& commands, int& exit_code);

}  // namespace scalelaw::cli
