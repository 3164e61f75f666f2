// scalelaw fit FILE: fits a model form to the runs in a CSV file.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>

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
    const bool bootstrapped = !fit.se.empty();
    fmt::print("  {:<10} {:>14} {:>12} {:>25}\n", "parameter", "value", bootstrapped ? "SE (boot.)" : "SE (Laplace)",
               bootstrapped ? "95% interval (bootstrap)" : "");
    auto row = [&](const std::string& name, double value) {
      const auto se = bootstrapped ? fit.se.find(name) : fit.laplace_se.find(name);
      const bool has_se = se != (bootstrapped ? fit.se.end() : fit.laplace_se.end());
      const auto ci = fit.ci95.find(name);
      fmt::print("  {:<10} {:>14.6g} {:>12} {:>25}\n", name, value, has_se ? fmt::format("{:.3g}", se->second) : "",
                 ci != fit.ci95.end() ? fmt::format("[{:.4g}, {:.4g}]", ci->second.first, ci->second.second) : "");
    };
    for (const std::string& name : model.parameter_names()) {
      const bool fixed = std::any_of(command.fix.begin(), command.fix.end(),
                                     [&](const std::string& f) { return f.rfind(name + "=", 0) == 0; });
      if (fixed) {
        fmt::print("  {:<10} {:>14.6g} {:>12}\n", name, fit.params.at(name), "(fixed)");
      } else {
        row(name, fit.params.at(name));
      }
    }
    for (const auto& [name, value] : fit.derived) row(name, value);
    if (bootstrapped) {
      fmt::print("  ({} bootstrap resamples, seed {}, {} failed)\n", fit.bootstrap_resamples, command.seed,
                 fit.bootstrap_failed);
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

// NAME=VALUE pairs of --fix.
std::map<std::string, double> ParseAssignments(const std::vector<std::string>& items, const char* option) {
  std::map<std::string, double> out;
  for (const std::string& item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw InvalidArgument(fmt::format("{} {}: expected NAME=VALUE", option, item));
    }
    const std::string value = item.substr(eq + 1);
    double number = 0;
    const auto [stop, status] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (status != std::errc() || stop != value.data() + value.size() || !std::isfinite(number)) {
      throw InvalidArgument(fmt::format("{} {}: '{}' is not a finite number", option, item, value));
    }
    out[item.substr(0, eq)] = number;
  }
  return out;
}

// NAME=NAME pairs of --tie.
std::vector<std::pair<std::string, std::string>> ParsePairs(const std::vector<std::string>& items, const char* option) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      throw InvalidArgument(fmt::format("{} {}: expected NAME=NAME", option, item));
    }
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

}  // namespace

int RunFit(const FitCommand& command) {
  RunColumns columns;
  columns.params = command.params_col;
  columns.tokens = command.tokens_col;
  columns.flops = command.flops_col;
  columns.loss = command.loss_col;
  columns.weight = command.weight_col;
  columns.unique_tokens = command.unique_tokens_col;
  const Model model = Model::FromName(command.model);
  FitOptions options;
  options.estimator = EstimatorFromName(command.estimator);
  options.huber_delta = command.huber_delta;
  options.num_threads = command.threads;
  options.fixed = ParseAssignments(command.fix, "--fix");
  for (const auto& [leader, follower] : ParsePairs(command.tie, "--tie")) options.tied.emplace_back(leader, follower);
  for (const auto& [name, range] : ParsePairs(command.bound, "--bound")) {
    const std::size_t colon = range.find(':');
    if (colon == std::string::npos)
      throw InvalidArgument("--bound " + name + "=" + range + ": expected NAME=LOWER:UPPER");
    const auto bounds =
        ParseAssignments({"lower=" + range.substr(0, colon), "upper=" + range.substr(colon + 1)}, "--bound");
    options.bounds[name] = {bounds.at("lower"), bounds.at("upper")};
  }
  options.bootstrap_resamples = command.bootstrap;
  options.bootstrap_seed = static_cast<std::uint64_t>(command.seed);
  options.at_flops = command.at_flops;

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
