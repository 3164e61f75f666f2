// scalelaw isoflop FILE: per-budget parabolas in ln N, then N_opt = k·C^a and D_opt = k'·C^b
// (scalelaw::FitIsoflop, Hoffmann et al. 2022 Approach 2).
#include "cli/isoflop_command.h"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "io/read_file.h"
#include "plot/html_report.h"
#include "plot/result_charts.h"
#include "plot/svg_plot.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/prediction_json.h"

namespace scalelaw::cli {
namespace {

// Which columns are read: N and loss always; a budget label, FLOPs and tokens as asked.
struct Columns {
  bool budget = false, flops = false, tokens = false;
};

Columns ColumnsOf(const IsoflopCommand& command) {
  Columns c;
  c.budget = !command.budget_col.empty();
  c.flops = !command.flops_col.empty();
  c.tokens = c.budget ? (command.tokens_given || command.d_star != "flops") : (!c.flops || command.tokens_given);
  return c;
}

std::string DescribeColumns(const IsoflopCommand& command) {
  const Columns c = ColumnsOf(command);
  std::string text = fmt::format("N from column '{}', ", command.params_col);
  if (c.budget) {
    text += fmt::format("budgets from the labels of column '{}'", command.budget_col);
    if (c.tokens) text += fmt::format(", D from column '{}'", command.tokens_col);
  } else if (c.flops) {
    text += fmt::format("C from column '{}'", command.flops_col);
    if (c.tokens) text += fmt::format(", D from column '{}'", command.tokens_col);
  } else {
    text += fmt::format("C = 6ND with D from column '{}'", command.tokens_col);
  }
  return text + fmt::format(", loss from column '{}'", command.loss_col);
}

}  // namespace

int RunIsoflop(const IsoflopCommand& command) {
  const Columns c = ColumnsOf(command);
  std::vector<std::string> names = {command.params_col};
  if (c.tokens) names.push_back(command.tokens_col);
  if (c.flops) names.push_back(command.flops_col);
  if (c.budget) names.push_back(command.budget_col);
  names.push_back(command.loss_col);
  std::vector<ColumnRequest> requests;
  for (const std::string& name : names) requests.push_back({name, CellDomain::kPositive});
  const NumericTable table = ReadNumericCsv(command.file, command.table.Query(std::move(requests)));
  std::vector<IsoflopRun> runs(table.rows());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::size_t column = 0;
    runs[i].params = table.columns[column++][i];
    if (c.tokens) runs[i].tokens = table.columns[column++][i];
    if (c.flops) runs[i].flops = table.columns[column++][i];
    if (c.budget) runs[i].budget = table.columns[column++][i];
    runs[i].loss = table.columns[column][i];
  }
  IsoflopOptions options;
  options.budget_tolerance = command.budget_tolerance;
  options.min_sizes = command.min_sizes;
  options.bootstrap = command.bootstrap;
  options.seed = command.seed;
  options.num_threads = command.threads;
  options.vertex = IsoflopVertexFromName(command.vertex);
  options.window = command.window;
  options.d_star = IsoflopDStarFromName(command.d_star);
  options.keep_outside = command.keep_outside;
  options.weighted = command.weighted;
  options.weight_resamples = command.weight_resamples;
  options.disagreement = command.disagreement;
  IsoflopResult result = FitIsoflop(runs, options);
  result.data_source = command.file == "-" ? "<stdin>" : command.file;
  if (!table.Selection().empty()) result.data_source += " (" + table.Selection() + ")";
  result.data_columns = {DescribeColumns(command)};

  if (!command.plot.empty()) {
    // Each budget's runs, its parabola p (ln N - ln N*)^2 + L*, its vertex and N_opt = k C^a (plot::MakeIsoflopChart).
    plot::WriteSvgFile(plot::IsoflopChart(plot::MakeIsoflopChart(result, runs)), command.plot);
  }
  if (!command.report.empty()) {
    report::Report page;
    page.title = "scalelaw isoflop: Chinchilla Approach 2";
    page.command_line = CommandLine();
    page.status = std::string(AnalysisStatusName(result.status)) + (result.IsUsable() ? "" : ": " + result.message);
    page.data.push_back({command.file, table.Selection(), DescribeColumns(command)});
    report::Section section{"IsoFLOP profiles", result.FullReport(), {}, {}};
    section.figures.push_back({"Each budget's runs, parabola in ln N and vertex; the optimum N_opt = k C^a",
                               plot::IsoflopChart(plot::MakeIsoflopChart(result, runs))});
    page.sections.push_back(std::move(section));
    page.warnings = result.warnings;
    page.json = IsoflopToJson(result);
    report::WriteHtmlFile(page, command.report);
  }
  if (!command.output.empty()) detail::WriteWholeFile(command.output, IsoflopToJson(result) + "\n", "the result");
  std::optional<Prediction> at;
  if (!std::isnan(command.at_flops) && result.IsUsable()) {
    // N_opt and D_opt at the budget through the result as a Law: the same numbers `allocate --fit` gives.
    at = Predict(FittedLaw(result, "isoflop"), Quantity::kAllocation,
                 PredictionInputs().Set(Input::kFlops, command.at_flops));
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
