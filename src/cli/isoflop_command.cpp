// scalelaw isoflop FILE: per-budget parabolas in ln N, then N_opt = k·C^a and D_opt = k'·C^b
// (scalelaw::FitIsoflop, Hoffmann et al. 2022 Approach 2).
#include "cli/isoflop_command.h"

#include <fmt/format.h>

#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "plot/fit_plots.h"
#include "plot/svg_plot.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/io/csv.h"

namespace scalelaw::cli {
namespace {

std::string DescribeColumns(const IsoflopCommand& command) {
  std::string text = fmt::format("N from column '{}', ", command.params_col);
  text += command.flops_col.empty() ? fmt::format("C = 6ND with D from column '{}'", command.tokens_col)
                                    : fmt::format("C from column '{}'", command.flops_col);
  return text + fmt::format(", loss from column '{}'", command.loss_col);
}

std::string WithInterval(double value, double se, const double ci[2], bool bootstrapped) {
  if (!bootstrapped) return fmt::format("{:.4g}", value);
  return fmt::format("{:.4g}  (SE {:.2g}, 95% CI {:.4g} to {:.4g})", value, se, ci[0], ci[1]);
}

void PrintHuman(const IsoflopCommand& command, const IsoflopResult& r) {
  const std::string source = command.file == "-" ? "<stdin>" : command.file;
  fmt::print("IsoFLOP parabolas (Chinchilla Approach 2) on {} runs of {}\n", r.n_runs, source);
  fmt::print("  {}\n", DescribeColumns(command));
  fmt::print("  budgets: runs whose C chain within {}% of each other, at least {} distinct N each\n\n",
             Short(100 * command.budget_tolerance), command.min_sizes);
  fmt::print("  {:>10} {:>5} {:>5} {:>10} {:>10} {:>8} {:>9}  {}\n", "budget C", "runs", "sizes", "N*", "D*", "L*", "p",
             "status");
  for (const IsoflopBudget& b : r.budgets) {
    const std::string n = b.has_vertex ? Short(b.params) : "-";
    const std::string d = b.has_vertex ? Short(b.tokens) : "-";
    const std::string l = b.has_vertex ? fmt::format("{:.4f}", b.loss) : "-";
    const std::string p = b.n_sizes >= command.min_sizes ? fmt::format("{:.3g}", b.curvature) : "-";
    fmt::print("  {:>10} {:>5} {:>5} {:>10} {:>10} {:>8} {:>9}  {}\n", Short(b.flops), b.n_runs, b.n_sizes, n, d, l, p,
               b.status);
  }
  fmt::print("\n");
  if (r.usable) {
    const IsoflopBootstrap& boot = r.bootstrap;
    const bool stats = boot.valid();
    fmt::print("  N_opt = k·C^a     a  = {}\n", WithInterval(r.a, boot.se_a, boot.ci_a, stats));
    fmt::print("                    k  = {}\n", WithInterval(r.k_params, boot.se_k_params, boot.ci_k_params, stats));
    fmt::print("  D_opt = k'·C^b    b  = {}\n", WithInterval(r.b, boot.se_b, boot.ci_b, stats));
    fmt::print("                    k' = {}\n", WithInterval(r.k_tokens, boot.se_k_tokens, boot.ci_k_tokens, stats));
    if (boot.requested > 0) {
      fmt::print("  bootstrap         {} of {} resamples (runs resampled within each budget, seed {})\n",
                 boot.succeeded, boot.requested, r.seed);
    }
  }
  fmt::print("  status            {} ({} of {} budgets in the power-law fit)\n", r.usable ? "usable" : "NOT USABLE",
             r.n_budgets_used, r.budgets.size());
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
  const IsoflopResult result = FitIsoflop(runs, options);

  if (!command.plot.empty()) {
    // Each budget's runs, its parabola p (ln N - ln N*)^2 + L* and its vertex.
    const std::vector<std::vector<std::size_t>> groups = GroupIsoflopBudgets(runs, options.budget_tolerance);
    plot::IsoflopChartData chart;
    chart.title = fmt::format("IsoFLOP profiles: N_opt = {:.4g} C^{:.4f}", result.k_params, result.a);
    for (std::size_t k = 0; k < result.budgets.size() && k < groups.size(); ++k) {
      const IsoflopBudget& budget = result.budgets[k];
      plot::IsoflopBudgetData data;
      data.flops = budget.flops;
      for (std::size_t i : groups[k]) {
        data.params.push_back(runs[i].params);
        data.loss.push_back(runs[i].loss);
      }
      data.has_vertex = budget.has_vertex;
      data.curvature = budget.curvature;
      data.opt_params = budget.params;
      data.opt_loss = budget.loss;
      chart.budgets.push_back(std::move(data));
    }
    plot::WriteSvgFile(plot::IsoflopChart(chart), command.plot);
  }
  if (command.json) {
    fmt::print("{}\n", IsoflopToJson(result));
  } else {
    PrintHuman(command, result);
  }
  PrintWarnings(result.warnings);
  if (!result.usable) {
    PrintError("the IsoFLOP fit is not usable: " + result.message);
    return kExitUnusable;
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
