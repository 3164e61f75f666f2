// scalelaw compare FILE: the runs of two recipes, labelled by a column, fitted jointly (scalelaw::CompareRecipes).
#include "cli/compare_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cli/output.h"
#include "plot/svg_plot.h"
#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"

namespace scalelaw::cli {
namespace {

// Both recipes' runs as markers and their joint law as lines, loss against compute on log axes.
plot::Chart CompareChart(const RecipeComparison& result, const std::vector<RecipeRun>& runs) {
  plot::Chart chart;
  chart.title =
      fmt::format("{} vs {}: compute multiplier {}", result.recipe_b, result.recipe_a, Short(result.multiplier.value));
  chart.x = {"training compute C (FLOPs)", plot::Scale::kLog};
  chart.y = {"loss", plot::Scale::kLog};
  std::vector<double> flops;
  for (const RecipeRun& run : runs) flops.push_back(run.Compute());
  const auto [lowest, highest] = std::minmax_element(flops.begin(), flops.end());
  for (int r = 0; r < 2; ++r) {
    const plot::Color color = plot::CategoricalColor(static_cast<std::size_t>(r));
    plot::Series points;
    points.kind = plot::SeriesKind::kScatter;
    points.label = r == 0 ? result.recipe_a : result.recipe_b;
    points.color = color;
    points.width = 3.5;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].recipe != r) continue;
      points.x.push_back(flops[i]);
      points.y.push_back(runs[i].loss);
    }
    plot::Series law;
    law.color = color;
    constexpr int kPoints = 120;
    for (int i = 0; i <= kPoints; ++i) {
      const double c = *lowest * std::pow(*highest / *lowest, static_cast<double>(i) / kPoints);
      law.x.push_back(c);
      law.y.push_back(result.Loss(r, c));
    }
    chart.series.push_back(std::move(law));
    chart.series.push_back(std::move(points));
  }
  return chart;
}

}  // namespace

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
  if (!command.plot.empty() && result.IsUsable()) {
    plot::WriteSvgFile(CompareChart(result, runs), command.plot);
  }
  if (command.json) {
    fmt::print("{}\n", RecipeComparisonToJson(result));
  } else {
    fmt::print("Data: {}{}, C {}, loss from column '{}', recipes from column '{}'\n", source,
               table.Selection().empty() ? "" : " (" + table.Selection() + ")",
               six_nd ? fmt::format("= 6ND (N from '{}', D from '{}')", command.params_col, command.tokens_col)
                      : fmt::format("from column '{}'", command.flops_col),
               command.loss_col, command.recipe_col);
    fmt::print("{}", result.FullReport());
  }
  PrintWarnings(result.warnings);
  return ExitCodeFor(result.status, result.message, "the joint fit of the two recipes");
}

}  // namespace scalelaw::cli
