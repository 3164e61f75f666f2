// scalelaw compare FILE: the runs of two recipes, labelled by a column, fitted jointly (scalelaw::CompareRecipes).
#include "cli/compare_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cli/output.h"
#include "plot/analysis_charts.h"
#include "plot/html_report.h"
#include "plot/svg_plot.h"
#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"

namespace scalelaw::cli {
int RunCompare(const CompareCommand& command) {
  const bool six_nd = command.flops_col.empty();
  std::vector<ColumnRequest> requests;
  if (six_nd) {
    requests = {{command.params_col}, {command.tokens_col}};
  } else {
    requests = {{command.flops_col}};
  }
  requests.push_back({command.loss_col});
  const NumericTable table = ReadNumericCsv(command.file, command.table.Query(requests, command.recipe_col));
  const std::vector<std::string> labels = table.GroupLabels();
  const std::string source = command.file == "-" ? "<stdin>" : command.file;
  if (labels.size() != 2) {
    throw InputError(source, 0, command.recipe_col,
                     fmt::format("compare takes exactly 2 recipes, the rows have {}: {} (choose two with --where)",
                                 labels.size(), fmt::join(labels, ", ")));
  }
  std::string baseline = command.baseline.empty() ? labels[0] : command.baseline;
  if (std::find(labels.begin(), labels.end(), baseline) == labels.end()) {
    throw InvalidArgument(fmt::format("--baseline '{}' is not a recipe of column '{}' (it has {})", baseline,
                                      command.recipe_col, fmt::join(labels, ", ")));
  }
  const std::string other = baseline == labels[0] ? labels[1] : labels[0];
  std::vector<RecipeRun> runs(table.rows());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (six_nd) {
      runs[i].params = table.Column(command.params_col)[i];
      runs[i].tokens = table.Column(command.tokens_col)[i];
    } else {
      runs[i].flops = table.Column(command.flops_col)[i];
    }
    runs[i].loss = table.Column(command.loss_col)[i];
    runs[i].recipe = table.groups[i] == baseline ? 0 : 1;
  }
  RecipeComparisonOptions options;
  options.share_offset = !command.own_offset;
  options.share_exponent = !command.own_exponent;
  options.reference_flops = command.at_flops;
  options.bootstrap_resamples = command.bootstrap;
  options.bootstrap_seed = command.seed;
  options.num_threads = command.threads;
  const RecipeComparison result = CompareRecipes(runs, baseline, other, options);
  const std::string columns =
      fmt::format("C {}, loss from column '{}', recipes from column '{}'",
                  six_nd ? fmt::format("= 6ND (N from '{}', D from '{}')", command.params_col, command.tokens_col)
                         : fmt::format("from column '{}'", command.flops_col),
                  command.loss_col, command.recipe_col);
  if (!command.plot.empty() && result.IsUsable())
    plot::WriteSvgFile(plot::MakeRecipeComparisonChart(result, runs), command.plot);
  if (!command.report.empty()) {
    report::Report page;
    page.title = fmt::format("scalelaw compare: {} vs {}", other, baseline);
    page.command_line = CommandLine();
    page.status = std::string(AnalysisStatusName(result.status)) + (result.IsUsable() ? "" : ": " + result.message);
    page.data.push_back({command.file, table.Selection(), columns});
    report::Section section{"Joint fit", result.FullReport(), {}, {}};
    if (result.IsUsable())
      section.figures.push_back({"Both recipes' runs and joint laws, with the compute multiplier",
                                 plot::MakeRecipeComparisonChart(result, runs)});
    page.sections.push_back(std::move(section));
    page.warnings = result.warnings;
    page.json = RecipeComparisonToJson(result);
    report::WriteHtmlFile(page, command.report);
  }
  if (command.json) {
    fmt::print("{}\n", RecipeComparisonToJson(result));
  } else {
    fmt::print("Data: {}{}, {}\n", source, table.Selection().empty() ? "" : " (" + table.Selection() + ")", columns);
    fmt::print("{}", result.FullReport());
  }
  PrintWarnings(result.warnings);
  return ExitCodeFor(result.status, result.message, "the joint fit of the two recipes");
}

}  // namespace scalelaw::cli
