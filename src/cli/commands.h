// The subcommands of the scalelaw tool. main.cpp (the only file that sees CLI11) fills these option structs;
// each Run* function does the work and returns the process exit code:
//   0 ok; 1 an analysis ran but its status is not usable (not identifiable, no convergence, interrupted), the
//   reason on stderr (ExitCodeFor in cli/output.h); 2 usage or input error.
#pragma once

#include <array>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "scalelaw/io/csv.h"
#include "scalelaw/laws/law_info.h"
#include "scalelaw/predict.h"

namespace scalelaw::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUnusable = 1;
inline constexpr int kExitUsage = 2;

// How a command that reads a table chooses its rows: --where COLUMN=VALUE (repeatable; =, !=, <, <=, >, >=) and
// --skip-missing (rows with an empty cell in a column read are skipped and counted).
struct TableOptions {
  std::vector<std::string> where;
  bool skip_missing = false;
  // The query reading columns with these rows (and group_by's labels); a bad filter is an InvalidArgument
  // naming --where.
  TableQuery Query(std::vector<ColumnRequest> columns, const std::string& group_by = "") const;
};

struct FitCommand {
  std::string file;  // "-" reads standard input
  std::string model = "chinchilla";
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string flops_col;
  std::string loss_col = "loss";
  std::string weight_col;
  int drop_highest = 0;
  std::string estimator = "objective";
  std::string objective = "huber";
  std::string residual;  // "log" or "loss"; empty: the objective's own
  double asymmetry = 1.0;
  double huber_delta = 1e-3;
  int threads = 0;
  std::vector<std::string> fix;     // NAME=VALUE
  std::vector<std::string> tie;     // NAME=NAME
  std::vector<std::string> bound;   // NAME=LOWER:UPPER
  std::string formula;              // instead of --model: a formula over the CSV's columns
  std::vector<std::string> grid;    // NAME=START:STOP:STEP or NAME=V1,V2,... starting values
  std::vector<std::string> col;     // DATA=COLUMN: the CSV column of a formula model's data identifier
  std::vector<std::string> params;  // formula parameters declared as such (names close to a column's)
  TableOptions table;               // --where, --skip-missing
  std::string group_by;             // one fit per value of this column
  std::string unique_tokens_col;
  int bootstrap = 0;
  int holdout_top = 0;
  double max_span = std::numeric_limits<double>::quiet_NaN();  // NaN: FitOptions' own
  std::string starts = "auto";                                 // auto, grid, lhs:N, varpro, varpro:K
  long long seed = 42;
  double at_flops = PredictionInputs::kUnset;
  bool json = false;
  std::string output;
  std::string plot;    // an SVG of loss vs compute with the fitted law
  std::string report;  // an HTML page of the fit(s), with the plot's charts
};
int RunFit(const FitCommand& command);

// scalelaw validate FILE: leave-future-out validation of the fit FitCommand describes (its --group-by,
// --holdout-top, --at-flops, --output and --plot are not used).
struct ValidateCommand {
  FitCommand fit;
  std::string split_by = "C";
  std::vector<double> thresholds;
  std::vector<double> quantiles = {0.5, 0.6, 0.7, 0.8, 0.9};
  int min_train_runs = 0;
  double predictive = 0.9;
  bool json = false;
  std::string plot;    // an SVG of the relative errors against the extrapolation distance
  std::string report;  // an HTML page of the validation and its chart
};
int RunValidate(const ValidateCommand& command);

// The values of the input options (NaN: not given), indexed by Input; the options are generated from the input
// table (scalelaw/laws/inputs.h).
struct InputValues {
  std::array<double, kInputCount> values;
  InputValues() { values.fill(PredictionInputs::kUnset); }
  // --input NAME=VALUE: inputs the table does not name, the columns of the user's own that a fitted formula reads.
  std::vector<std::string> named;
  // Inputs of the text domain (--schedule), by input.
  std::map<Input, std::string> texts;
  // --config: a Hugging Face config.json whose shape gives the parameter counts and shape inputs (WithModel).
  std::string model_config;
  double& operator[](Input input) { return values[static_cast<std::size_t>(input)]; }
  // The inputs given, validated by the input table (an InputProblem names the option).
  PredictionInputs Inputs() const;
};

// Which law answers: a published family (or "all"), a fit file written by `scalelaw fit --output`, and
// constants replacing the published ones (NAME=VALUE).
struct LawChoice {
  std::string family;
  std::string fit;
  std::vector<std::string> constants;
};

// The predict-* commands and allocate: one law family (or "all"), or a fit, answers from the inputs given.
struct PredictCommand {
  Quantity quantity = Quantity::kLearningRate;
  LawChoice law;
  InputValues inputs;
  // predict-loss --fit: the level of the predictive interval of a new run's loss (parameter uncertainty from
  // the fit's bootstrap plus its residuals' observation noise); 0 for none.
  double predictive = 0.9;
  bool json = false;
};
int RunPredict(const PredictCommand& command);

struct TransferLrCommand {
  double lr = 0;
  double from_tokens = 0;
  double to_tokens = 0;
  double exponent = 0.32;
  bool json = false;
};
int RunTransferLr(const TransferLrCommand& command);


struct LawsCommand {
  std::string show;  // empty: list every law
  bool json = false;
  bool markdown = false;  // the reference page docs/laws.md
};
int RunLaws(const LawsCommand& command);

// scalelaw models: the fittable model forms, from the registry the fit command and Python read.
struct ModelsCommand {
  bool json = false;
  bool markdown = false;  // the reference page docs/models.md
};
int RunModels(const ModelsCommand& command);

}  // namespace scalelaw::cli
