// scalelaw fit-hparams FILE: keep the runs within a relative tolerance of each (N, D) cell's best loss and fit
// lr = c·N^a·D^b and batch_tokens = c·D^b to them by OLS in logs, with an optional bootstrap (Li et al. 2025).
#include "cli/fit_hparams_command.h"

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "plot/fit_plots.h"
#include "plot/svg_plot.h"
#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/io/csv.h"

namespace scalelaw::cli {
namespace {

std::string Percent(double tolerance) { return fmt::format("{:g}%", tolerance * 100); }

// out.svg -> out-batch.svg: the batch-size chart beside the learning-rate one.
std::string BatchPlotPath(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "-batch";
  return path.substr(0, dot) + "-batch" + path.substr(dot);
}

void PrintHuman(const FitHparamsCommand& command, const HparamSweepResult& r) {
  const std::string source = command.file == "-" ? "<stdin>" : command.file;
  fmt::print("Hyperparameter laws from {} runs of {} in {} (N, D) cells\n", r.n_runs, source, r.n_cells);
  fmt::print("  N from column '{}', D from column '{}', lr from column '{}', loss from column '{}'\n",
             command.params_col, command.tokens_col, command.lr_col, command.loss_col);
  if (r.seq_len == 1) {
    fmt::print("  batch in tokens: column '{}' as is (seq_len 1)\n", command.batch_col);
  } else {
    fmt::print("  batch in tokens: column '{}' (sequences) x seq_len {}\n", command.batch_col, Short(r.seq_len));
  }
  fmt::print("  kept {} runs within {} of their cell's best loss (loss/best - 1 < {})\n\n", r.n_kept,
             Percent(r.tolerance), r.tolerance);
  if (!r.usable) return;

  fmt::print("  {:<46} {:>8}\n", "law (OLS in logs over the kept runs)", "R^2");
  fmt::print("  {:<46} {:>8.4f}\n",
             fmt::format("lr           = {:.5g} * N^{:.5f} * D^{:.5f}", r.lr.coef, r.lr.exp_params, r.lr.exp_tokens),
             r.r2_lr);
  fmt::print("  {:<46} {:>8.4f}\n",
             fmt::format("batch_tokens = {:.5g} * D^{:.5f}", r.batch_tokens.coef, r.batch_tokens.exp_tokens),
             r.r2_batch_tokens);
  if (r.bootstrapped) {
    const HparamBootstrap& b = r.bootstrap;
    const double values[] = {r.lr.coef, r.lr.exp_params, r.lr.exp_tokens, r.batch_tokens.coef,
                             r.batch_tokens.exp_tokens};
    fmt::print("\n  bootstrap: {} resamples of the kept {} (seed {}), {} failed\n", b.resamples,
               b.resample == HparamResample::kCells ? "cells" : "runs", b.seed, b.failed);
    fmt::print("  {:<24} {:>11} {:>11} {:>11}   {}\n", "quantity", "estimate", "boot mean", "SE", "95% CI");
    const std::vector<std::string>& names = HparamQuantityNames();
    for (std::size_t j = 0; j < names.size(); ++j) {
      const std::string& name = names[j];
      fmt::print("  {:<24} {:>11.5g} {:>11.5g} {:>11.5g}   [{:.5g}, {:.5g}]\n", name, values[j], b.mean.at(name),
                 b.se.at(name), b.ci95_low.at(name), b.ci95_high.at(name));
    }
  }
  fmt::print("\n  {:>10} {:>10} {:>5} {:>5} {:>10} {:>10} {:>12}\n", "N", "D", "runs", "kept", "best loss", "best lr",
             "best batch");
  for (const HparamCell& c : r.cells) {
    fmt::print("  {:>10} {:>10} {:>5} {:>5} {:>10.5g} {:>10} {:>12}\n", Short(c.params), Short(c.tokens), c.n_runs,
               c.n_kept, c.best_loss, Short(c.best_lr), Short(c.best_batch_tokens));
  }
  fmt::print("  (best batch in tokens)\n");
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

  const NumericTable table = ReadNumericCsv(
      command.file, {command.params_col, command.tokens_col, command.lr_col, command.batch_col, command.loss_col});
  HparamRuns runs{table.Column(command.params_col), table.Column(command.tokens_col), table.Column(command.lr_col),
                  table.Column(command.batch_col), table.Column(command.loss_col)};
  const HparamSweepResult result = FitHparamSweep(runs, options);

  if (!command.plot.empty() && result.usable) {
    // The best lr per (N, D) cell against N, one line of the fitted law per D; and the best batch against D.
    plot::HparamChartData lr;
    lr.title = fmt::format("Optimal peak LR = {:.4g} N^{:.4f} D^{:.4f}", result.lr.coef, result.lr.exp_params,
                           result.lr.exp_tokens);
    plot::HparamChartData batch;
    batch.title =
        fmt::format("Optimal batch = {:.4g} D^{:.4f} tokens", result.batch_tokens.coef, result.batch_tokens.exp_tokens);
    batch.x_label = "training tokens D";
    batch.y_label = "optimal batch size (tokens)";
    for (const HparamCell& cell : result.cells) {
      lr.x.push_back(cell.params);
      lr.y.push_back(cell.best_lr);
      lr.group.push_back(cell.tokens);
      batch.x.push_back(cell.tokens);
      batch.y.push_back(cell.best_batch_tokens);
    }
    lr.law = [law = result.lr](double n, double d) { return law(n, d); };
    batch.law = [law = result.batch_tokens](double d, double) { return law(d); };
    plot::WriteSvgFile(plot::HparamChart(lr), command.plot);
    plot::WriteSvgFile(plot::HparamChart(batch), BatchPlotPath(command.plot));
  }
  if (command.json) {
    fmt::print("{}\n", HparamSweepToJson(result));
  } else {
    PrintHuman(command, result);
  }
  PrintWarnings(result.warnings);
  if (!result.usable) {
    PrintError("the hyperparameter laws are not usable: " + result.message);
    return kExitUnusable;
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
