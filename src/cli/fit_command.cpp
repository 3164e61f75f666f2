// scalelaw fit FILE: fits a model form to the runs in a CSV file.
#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw::cli {
namespace {

std::string DescribeColumns(const FitCommand& command) {
  std::string text = fmt::format("N from column '{}', ", command.params_col);
  text += command.flops_col.empty() ? fmt::format("D from column '{}'", command.tokens_col)
                                    : fmt::format("D = C/(6N) with C from column '{}'", command.flops_col);
  text += fmt::format(", loss from column '{}'", command.loss_col);
  if (!command.weight_col.empty()) text += fmt::format(", weights from column '{}'", command.weight_col);
  return text;
}

void PrintHuman(const FitCommand& command, const Model& model, const FitSummary& fit, int rows_read) {
  const std::string source = command.file == "-" ? "<stdin>" : command.file;
  fmt::print("Fitted {} to {} runs of {}", model.formula(), fit.num_points, source);
  if (command.drop_highest > 0) fmt::print(" ({} read, {} highest losses dropped)", rows_read, command.drop_highest);
  fmt::print("\n  {}\n", DescribeColumns(command));
  fmt::print("  estimator: {} (Huber delta {} on log loss), {} starts\n\n",
             fit.estimator == Estimator::kHuberObjective ? "objective, summed Huber" : "mle, Huber likelihood",
             fit.huber_delta, fit.num_starts);
  if (!fit.params.empty()) {
    fmt::print("  {:<10} {:>14}\n", "parameter", "value");
    for (const std::string& name : model.parameter_names()) {
      fmt::print("  {:<10} {:>14.6g}\n", name, fit.params.at(name));
    }
    fmt::print("\n");
  }
  if (std::isfinite(fit.objective)) {
    fmt::print("  {:<16} {:.12g}\n", fit.estimator == Estimator::kHuberObjective ? "objective" : "neg. log-lik.",
               fit.objective);
  }
  if (std::isfinite(fit.log_scale)) fmt::print("  {:<16} {:.6g}\n", "log-scale sigma", fit.log_scale);
  if (fit.best_start >= 0) {
    fmt::print("  {:<16} {} of {} starts ({} failed)\n", "best basin", fit.num_starts_in_best_basin, fit.num_starts,
               fit.num_starts_failed);
  }
  if (fit.converged && fit.model == "chinchilla") {
    const AllocationExponents x = ComputeOptimalExponents(AsChinchillaLaw(fit));
    fmt::print("  {:<16} N_opt = {:.4g}·(C/6)^{:.4f}, D_opt = {:.4g}·(C/6)^{:.4f} (C = 6ND FLOPs)\n", "compute-optimal",
               x.G, x.a, 1 / x.G, x.b);
  }
  fmt::print("  {:<16} {} ({:.2f} s)\n", "status", fit.converged ? "converged" : "NOT USABLE", fit.wall_seconds);
}

}  // namespace

int RunFit(const FitCommand& command) {
  RunColumns columns;
  columns.params = command.params_col;
  columns.tokens = command.tokens_col;
  columns.flops = command.flops_col;
  columns.loss = command.loss_col;
  columns.weight = command.weight_col;
  const Model model = Model::FromName(command.model);
  FitOptions options;
  options.estimator = EstimatorFromName(command.estimator);
  options.huber_delta = command.huber_delta;
  options.num_threads = command.threads;

  Dataset data = ReadRunsCsv(command.file, columns);
  const int rows_read = static_cast<int>(data.size());
  if (command.drop_highest > 0) data = DropHighestLoss(data, command.drop_highest);

  FitSummary fit;
  Fit(data, model, options, &fit);

  if (!command.output.empty()) {
    std::ofstream out(command.output);
    out << FitToJson(fit, 2) << "\n";
    if (!out) {
      PrintError(fmt::format("cannot write the fit to '{}'", command.output));
      return kExitUsage;
    }
  }
  if (command.json) {
    fmt::print("{}\n", FitToJson(fit));
  } else {
    PrintHuman(command, model, fit, rows_read);
  }
  if (!fit.converged) {
    PrintError("the fit is not usable: " + fit.message);
    return kExitUnusable;
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
