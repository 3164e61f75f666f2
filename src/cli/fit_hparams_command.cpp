// scalelaw fit-hparams FILE: keep the runs within a relative tolerance of each (N, D) cell's best loss and fit
// lr = c·N^a·D^b and batch_tokens = c·D^b to them by OLS in logs, with an optional bootstrap (Li et al. 2025).
#include "cli/fit_hparams_command.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "plot/result_charts.h"
#include "plot/svg_plot.h"
#include "scalelaw/analysis/hparam_sweep.h"
#include "io/read_file.h"
#include "scalelaw/io/csv.h"

namespace scalelaw::cli {
namespace {

// out.svg -> out-batch.svg: the batch-size chart beside the learning-rate one.
std::string BatchPlotPath(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "-batch";
  return path.substr(0, dot) + "-batch" + path.substr(dot);
}

}  // namespace

int RunFitHparams(const FitHparamsCommand& command) {
  HparamSweepOptions options;
  options.tolerance = command.tolerance;
  options.seq_len = command.seq_len;
  options.bootstrap = command.bootstrap;
  options.seed = command.seed;
  options.resample = HparamResampleFromName(command.resample);
  options.num_threads = command.threads;
  std::string why;
  if (!options.IsValid(&why)) throw InvalidArgument(why);

  std::vector<ColumnRequest> columns;
  for (const std::string* name :
       {&command.params_col, &command.tokens_col, &command.lr_col, &command.batch_col, &command.loss_col}) {
    columns.push_back({*name, CellDomain::kPositive});
  }
  const NumericTable table = ReadNumericCsv(command.file, command.table.Query(std::move(columns), command.group_col));
  HparamRuns runs{table.Column(command.params_col), table.Column(command.tokens_col), table.Column(command.lr_col),
                  table.Column(command.batch_col),  table.Column(command.loss_col),   table.groups};
  HparamSweepResult result = FitHparamSweep(runs, options);
  result.data_source = command.file == "-" ? "<stdin>" : command.file;
  if (!table.Selection().empty()) result.data_source += " (" + table.Selection() + ")";
  result.data_columns = {
      fmt::format("N from column '{}', D from column '{}', lr from column '{}', loss from column '{}'{}",
                  command.params_col, command.tokens_col, command.lr_col, command.loss_col,
                  command.group_col.empty() ? "" : fmt::format(", cells per value of column '{}'", command.group_col)),
      command.seq_len == 1 ? fmt::format("batch in tokens: column '{}' as is (seq_len 1)", command.batch_col)
                           : fmt::format("batch in tokens: column '{}' (sequences) x seq_len {}", command.batch_col,
                                         Short(command.seq_len))};

  if (!command.plot.empty() && result.IsUsable()) {
    // The best lr per (N, D) cell against N, one line of the fitted law per D; and the best batch against D.
    const plot::HparamCharts charts = plot::MakeHparamCharts(result);
    plot::WriteSvgFile(plot::HparamChart(charts.lr), command.plot);
    plot::WriteSvgFile(plot::HparamChart(charts.batch), BatchPlotPath(command.plot));
  }
  if (!command.output.empty()) detail::WriteWholeFile(command.output, HparamSweepToJson(result, 2) + "\n", "the result");
  fmt::print("{}", command.json ? HparamSweepToJson(result) + "\n" : result.FullReport());
  PrintWarnings(result.warnings);
  return ExitCodeFor(result.status, result.message, "the hyperparameter laws");
}

}  // namespace scalelaw::cli
