// scalelaw isoflop FILE: per-budget parabolas in ln N, then N_opt = k·C^a and D_opt = k'·C^b
// (scalelaw::FitIsoflop, Hoffmann et al. 2022 Approach 2).
#include "cli/isoflop_command.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>

#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "plot/result_charts.h"
#include "plot/svg_plot.h"
#include "scalelaw/analysis/isoflop.h"
#include "io/read_file.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/prediction_json.h"

namespace scalelaw::cli {
namespace {

std::string DescribeColumns(const IsoflopCommand& command) {
  std::string text = fmt::format("N from column '{}', ", command.params_col);
  text += command.flops_col.empty() ? fmt::format("C = 6ND with D from column '{}'", command.tokens_col)
                                    : fmt::format("C from column '{}'", command.flops_col);
  return text + fmt::format(", loss from column '{}'", command.loss_col);
}

}  // namespace

int RunIsoflop(const IsoflopCommand& command) {
  const bool from_flops = !command.flops_col.empty();
  const std::vector<std::string> names = {command.params_col, from_flops ? command.flops_col : command.tokens_col,
                                          command.loss_col};
  const NumericTable table = ReadNumericCsv(command.file, names);
  std::vector<IsoflopRun> runs(table.rows());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].params = table.columns[0][i];
    (from_flops ? runs[i].flops : runs[i].tokens) = table.columns[1][i];
    runs[i].loss = table.columns[2][i];
  }
  IsoflopOptions options;
  options.budget_tolerance = command.budget_tolerance;
  options.min_sizes = command.min_sizes;
  options.bootstrap = command.bootstrap;
  options.seed = command.seed;
  options.num_threads = command.threads;
  IsoflopResult result = FitIsoflop(runs, options);
  result.data_source = command.file == "-" ? "<stdin>" : command.file;
  result.data_columns = {DescribeColumns(command)};

  if (!command.plot.empty()) {
    // Each budget's runs, its parabola p (ln N - ln N*)^2 + L*, its vertex and N_opt = k C^a (plot::MakeIsoflopChart).
    plot::WriteSvgFile(plot::IsoflopChart(plot::MakeIsoflopChart(result, runs)), command.plot);
  }
  if (!command.output.empty()) detail::WriteWholeFile(command.output, IsoflopToJson(result) + "\n", "the result");
  std::optional<Prediction> at;
  if (!std::isnan(command.at_flops) && result.IsUsable()) {
    // N_opt and D_opt at the budget through the result as a Law: the same numbers `allocate --fit` gives.
    at = Predict(FittedLaw(result, "isoflop"), Quantity::kAllocation, PredictionInputs().Set(Input::kFlops, command.at_flops));
  }
  if (command.json) {
    fmt::print("{}\n", at ? "{\"isoflop\":" + IsoflopToJson(result) + ",\"at_flops\":" + PredictionToJson(*at) + "}"
                          : IsoflopToJson(result));
  } else {
    fmt::print("{}", result.FullReport());
    if (at) fmt::print("\n  at C = {}: {}\n", Short(command.at_flops), FormatValues(*at));
  }
  PrintWarnings(result.warnings);
  if (at) PrintWarnings(at->warnings);
  return ExitCodeFor(result.status, result.message, "the IsoFLOP fit");
}

}  // namespace scalelaw::cli
