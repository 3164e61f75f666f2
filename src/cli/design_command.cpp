// scalelaw design: the sweep-design simulation of scalelaw/analysis/sweep_design.h on the command line.
#include "cli/design_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/output.h"
#include "plot/analysis_charts.h"
#include "plot/html_report.h"
#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/laws/chinchilla.h"

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

}  // namespace

int RunDesign(const DesignCommand& command) {
  std::vector<SweepRun> design;
  if (!command.runs.empty()) {
    if (!command.sizes.empty()) throw InvalidArgument("--sizes goes with --tokens or --budgets, not with --runs");
    design = RunsFromCsv(command.runs, command);
  } else if (command.sizes.empty() || command.tokens.empty() == command.budgets.empty()) {
    throw InvalidArgument(
        "give the sweep as --sizes with --tokens (a grid) or with --budgets (isoFLOP curves), or as --runs FILE.csv");
  } else {
    design = ProposedSweep(command.sizes, command.tokens, command.budgets);
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
    truth = ChinchillaFormLaw(command.law);
    if (std::isnan(command.noise)) throw InvalidArgument("give --noise SD (the log-loss scatter) or --fit FIT.json");
    options.noise_sd = command.noise;
  }
  SweepDesignSummary summary;
  SimulateSweepDesign(design, truth, options, &summary);
  std::vector<plot::Chart> charts;
  if (summary.IsUsable()) {
    plot::SweepDesignCharts made = plot::MakeSweepDesignCharts(summary);
    charts = {std::move(made.refits), std::move(made.design)};
  }
  if (!command.plot.empty() && !charts.empty()) plot::WriteSvgGridFile(charts, 2, command.plot);
  if (!command.report.empty()) {
    report::Report page;
    page.title = "scalelaw design: sweep design before compute";
    page.command_line = CommandLine();
    page.status = std::string(AnalysisStatusName(summary.status)) + (summary.IsUsable() ? "" : ": " + summary.message);
    if (!command.runs.empty()) page.data.push_back({command.runs, "", "the proposed sweep's runs"});
    if (!command.fit.empty()) page.data.push_back({command.fit, "", "the fitted law taken as the truth"});
    report::Section section{"Simulated refits of the proposed sweep", summary.FullReport(), {}, {}};
    if (!charts.empty()) {
      section.figures.push_back({"The simulated refits' N_opt and loss at the target budget", charts[0]});
      section.figures.push_back(
          {"The sweep in the (N, D) plane: the refits' optima on the target budget's line, the candidates and the "
           "proposed next run",
           charts[1]});
    }
    page.sections.push_back(std::move(section));
    page.json = SweepDesignToJson(summary);
    report::WriteHtmlFile(page, command.report);
  }
  if (command.json) {
    fmt::print("{}\n", SweepDesignToJson(summary));
  } else {
    fmt::print("{}", summary.FullReport());
  }
  std::fflush(stdout);
  return ExitCodeFor(summary.status, summary.message, "the sweep design");
}

}  // namespace scalelaw::cli
