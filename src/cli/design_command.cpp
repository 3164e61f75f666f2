// scalelaw design: the sweep-design simulation of scalelaw/analysis/sweep_design.h on the command line.
#include "cli/design_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/registry.h"

namespace scalelaw::cli {
namespace {

// "N:D" of --candidates.
SweepRun ParseCandidate(const std::string& text) {
  const std::size_t colon = text.find(':');
  try {
    if (colon != std::string::npos) {
      std::size_t used_n = 0, used_d = 0;
      const double n = std::stod(text.substr(0, colon), &used_n);
      const double d = std::stod(text.substr(colon + 1), &used_d);
      if (used_n == colon && used_d == text.size() - colon - 1 && std::isfinite(n) && std::isfinite(d) && n > 0 &&
          d > 0) {
        return {n, d};
      }
    }
  } catch (const std::exception&) {
  }
  throw InvalidArgument("--candidates: '" + text + "' is not N:D with positive numbers (e.g. 1e9:2e10)");
}

// The N and D columns of a CSV file as runs.
std::vector<SweepRun> RunsFromCsv(const std::string& path, const DesignCommand& command) {
  const NumericTable table = ReadNumericCsv(path, {command.params_col, command.tokens_col});
  std::vector<SweepRun> runs;
  for (std::size_t i = 0; i < table.rows(); ++i) {
    runs.push_back({table.columns[0][i], table.columns[1][i]});
  }
  return runs;
}

// The registry record's constants when they are exactly E, A, B, alpha, beta of a loss law.
bool IsChinchillaForm(const LawInfo& info) {
  if (info.quantity != Quantity::kLoss || info.constants.size() != 5) return false;
  for (const char* name : {"E", "A", "B", "alpha", "beta"}) {
    const bool found = std::any_of(info.constants.begin(), info.constants.end(),
                                   [&](const auto& constant) { return constant.first == name; });
    if (!found) return false;
  }
  return true;
}

nlohmann::json SpreadJson(const ResampleSummary& s) {
  return {{"mean", s.mean}, {"sd", s.se}, {"ci95", {s.ci95.first, s.ci95.second}}, {"refits", s.resamples}};
}

std::string SummaryJson(const SweepDesignSummary& s) {
  nlohmann::json out;
  out["status"] = std::string(AnalysisStatusName(s.status));
  out["message"] = s.message;
  out["truth"] = {
      {"E", s.truth.E}, {"A", s.truth.A}, {"B", s.truth.B}, {"alpha", s.truth.alpha}, {"beta", s.truth.beta}};
  out["noise_sd"] = s.noise_sd;
  out["target_flops"] = s.target_flops;
  out["design"] = nlohmann::json::array();
  for (const SweepRun& run : s.design) out["design"].push_back({{"params", run.params}, {"tokens", run.tokens}});
  out["true"] = {{"N_opt", s.true_optimum.params}, {"D_opt", s.true_optimum.tokens}, {"loss", s.true_loss}};
  out["simulations"] = s.simulations;
  out["refits"] = {
      {"usable", s.refits_usable}, {"not_identifiable", s.refits_not_identifiable}, {"not_converged", s.refits_failed}};
  out["spread"] = nlohmann::json::object();
  for (const auto& [name, spread] : s.spread) out["spread"][name] = SpreadJson(spread);
  out["target"] = std::string(SweepTargetName(s.target));
  if (std::isfinite(s.target_width)) out["target_width"] = s.target_width;
  out["candidates"] = nlohmann::json::array();
  for (const auto& c : s.candidates) {
    nlohmann::json row = {
        {"params", c.run.params}, {"tokens", c.run.tokens}, {"flops", c.flops}, {"identifiable", c.identifiable}};
    if (c.identifiable) {
      row["width"] = c.width;
      row["shrink"] = c.shrink;
      row["shrink_per_flop"] = c.shrink_per_flop;
      row["shrink_se"] = c.shrink_se;
    }
    out["candidates"].push_back(row);
  }
  if (s.best_candidate >= 0) out["best_candidate"] = s.best_candidate;
  if (s.bootstrap_simulations > 0) {
    out["bootstrap"] = {{"simulations", s.bootstrap_simulations},
                        {"usable", s.bootstrap_usable},
                        {"not_identifiable", s.bootstrap_not_identifiable},
                        {"mean_width", s.bootstrap_width}};
    if (!s.bootstrap_reason.empty()) out["bootstrap"]["first_unusable_reason"] = s.bootstrap_reason;
  }
  out["wall_seconds"] = s.wall_seconds;
  return out.dump();
}

}  // namespace

std::vector<std::string> ChinchillaFormLawNames() {
  std::vector<std::string> names;
  for (const LawInfo& info : LawRegistry()) {
    if (IsChinchillaForm(info)) names.push_back(info.name);
  }
  return names;
}

int RunDesign(const DesignCommand& command) {
  std::vector<SweepRun> design;
  const int sources = !command.runs.empty() + !command.tokens.empty() + !command.budgets.empty();
  if (sources != 1) {
    throw InvalidArgument(
        "give the sweep as --sizes with --tokens (a grid) or with --budgets (isoFLOP curves), or as --runs FILE.csv");
  }
  if (!command.runs.empty()) {
    if (!command.sizes.empty()) throw InvalidArgument("--sizes goes with --tokens or --budgets, not with --runs");
    design = RunsFromCsv(command.runs, command);
  } else if (command.sizes.empty()) {
    throw InvalidArgument("--tokens and --budgets need --sizes");
  } else if (!command.budgets.empty()) {
    design = IsoflopSweep(command.budgets, command.sizes);
  } else {
    design = GridSweep(command.sizes, command.tokens);
  }
  if (command.bootstrap == 1) throw InvalidArgument("--bootstrap: one resample gives no interval (0: off; or >= 2)");
  SweepDesignOptions options;
  options.target_flops = command.target_flops;
  options.simulations = command.simulations;
  options.seed = command.seed;
  options.num_threads = command.threads;
  options.bootstrap_resamples = command.bootstrap;
  options.bootstrap_simulations = command.bootstrap_sweeps;
  options.target = SweepTargetFromName(command.target);
  if (command.candidates.size() == 1 && command.candidates[0].find(':') == std::string::npos) {
    options.candidates = RunsFromCsv(command.candidates[0], command);
  } else {
    for (const std::string& text : command.candidates) options.candidates.push_back(ParseCandidate(text));
  }
  if (command.candidate_sizes.empty() != command.candidate_tokens.empty()) {
    throw InvalidArgument("--candidate-sizes and --candidate-tokens go together (a grid of candidate runs)");
  }
  for (const SweepRun& run : GridSweep(command.candidate_sizes, command.candidate_tokens)) {
    options.candidates.push_back(run);
  }
  ChinchillaLaw truth;
  if (!command.fit.empty()) {
    const FitSummary fit = ReadFitJson(command.fit);
    if (fit.model != "chinchilla") {
      throw InvalidArgument(command.fit + ": the fit is of the '" + fit.model +
                            "' form; the sweep design simulates the Chinchilla form");
    }
    truth = AsChinchillaLaw(fit);
    options.noise_sd = std::isnan(command.noise) ? FitResidualScale(fit) : command.noise;
  } else {
    const LawInfo& info = FindLaw(command.law);
    if (!IsChinchillaForm(info)) {
      throw InvalidArgument("--law: '" + command.law +
                            "' is not a loss law of the Chinchilla form E + A/N^alpha + B/D^beta (those are: " +
                            fmt::format("{}", fmt::join(ChinchillaFormLawNames(), ", ")) + ")");
    }
    truth = ChinchillaLawFromConstants(info.constants, info.name);
    if (std::isnan(command.noise)) throw InvalidArgument("give --noise SD (the log-loss scatter) or --fit FIT.json");
    options.noise_sd = command.noise;
  }
  SweepDesignSummary summary;
  SimulateSweepDesign(design, truth, options, &summary);
  if (command.json) {
    fmt::print("{}\n", SummaryJson(summary));
  } else {
    fmt::print("{}", summary.FullReport());
  }
  std::fflush(stdout);
  return ExitCodeFor(summary.status, summary.message, "the sweep design");
}

}  // namespace scalelaw::cli
