// Sweep design before compute (issue 15): how well would a proposed sweep of training runs pin the compute-optimal
// allocation and loss at a target budget, and which extra run would pin it best per FLOP?
//
// The procedure is a parametric simulation. A Chinchilla-form truth L(N, D) = E + A N^-alpha + B D^-beta
// (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 2: a published constant set or a fitted law) with log-normal
// observation noise, log L_obs = log L(N, D) + sd z, z ~ N(0, 1), generates K data sets on the design's runs; each
// is refitted with the project's fitter (Fit, the Chinchilla form, the caller's FitOptions, warm-started from the
// truth as the bootstrap is warm-started from the full-data optimum). Every refit gives the compute-optimal
// allocation at the target budget C (Eq. 4: N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b) and the refit law's loss there,
// L_refit(N_opt, D_opt). The spread of these over the refits (standard deviation and 95% percentile interval) is
// the interval the design can be expected to give: it is the sampling distribution of the estimator, which a
// bootstrap of a real fit to the design's runs estimates from one data set.
//
// Identifiability follows from the refits: each refit runs the fit's own checks (a singular information matrix, a
// positive parameter whose 95% interval spans more than FitOptions::max_parameter_span, every run at one compute),
// and a design whose refits are not identifiable in more than SweepDesignOptions::max_unidentified_fraction of the
// simulations is kNotIdentifiable, with the fit's reason; so is a design whose refits' own 95% spread of a
// parameter (E, A, B, alpha, beta) spans more than max_parameter_span.
//
// The next run: each candidate (N, D) is added to the design and the simulation repeated with the same noise draws
// for the design's runs (common random numbers, so the comparison is not swamped by Monte Carlo noise); the
// candidate that narrows the target's 95% interval (in log for N_opt and D_opt, in the loss itself for the loss) the
// most per FLOP of its own training, 6ND, is proposed, among those whose shrink exceeds twice its Monte Carlo
// standard error (a paired bootstrap over the simulations). This re-simulation is exact where a linearised Fisher
// information estimate would assume the refits stay in the quadratic basin.
//
// What a team will see: the refits' spread is the interval the design supports (the estimator's sampling
// distribution), but a team runs the sweep once and reports a nonparametric bootstrap of that one fit, which
// resamples the runs and so, on a small grid with high-leverage corner runs, is wider than the sampling spread
// (by about a third on the 30-run grids of the tests). With SweepDesignOptions::bootstrap_resamples > 0 the first
// bootstrap_simulations simulated data sets are also fitted with Fit's own bootstrap, and the summary reports the
// mean width of their 95% intervals (bootstrap_width) and how many of those fits the bootstrap calls not
// identifiable: the interval, and the verdict, a real run of the design can be expected to print.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw {

// One proposed training run: N parameters trained on D tokens.
struct SweepRun {
  double params = 0;
  double tokens = 0;
};

// Every N of sizes trained on every D of tokens (sizes x tokens runs, sizes outer).
std::vector<SweepRun> GridSweep(const std::vector<double>& sizes, const std::vector<double>& tokens);
// IsoFLOP curves: at each budget C of budgets, every N of sizes trained on D = C / (6N) tokens (Hoffmann et al.
// 2022, Approach 2's design). Throws InvalidArgument for a non-positive or non-finite value.
std::vector<SweepRun> IsoflopSweep(const std::vector<double>& budgets, const std::vector<double>& sizes);

// The grid of sizes x tokens, or with budgets (and no tokens) the isoFLOP sweep: the sweep as the CLI's --sizes,
// --tokens, --budgets and Python's design_sweep give it. Throws InvalidArgument unless sizes and exactly one of
// tokens and budgets are given.
std::vector<SweepRun> ProposedSweep(const std::vector<double>& sizes, const std::vector<double>& tokens,
                                    const std::vector<double>& budgets);

// The registry's loss laws of the Chinchilla form L = E + A/N^alpha + B/D^beta (the presets "chinchilla",
// "chinchilla-unrounded", "epoch"), the published truths a design can simulate, and one of them by name (throws
// InvalidArgument naming them for another name).
std::vector<std::string> ChinchillaFormLawNames();
ChinchillaLaw ChinchillaFormLaw(std::string_view name);

// The quantity whose interval the next-run proposal narrows.
enum class SweepTarget { kParams, kTokens, kLoss };
// "N_opt", "D_opt", "loss"; FromName throws InvalidArgument naming the known names.
std::string_view SweepTargetName(SweepTarget target);
SweepTarget SweepTargetFromName(std::string_view name);

struct SweepDesignOptions {
  // The budget C (FLOPs) at which N_opt, D_opt and the loss are reported; required.
  double target_flops = std::numeric_limits<double>::quiet_NaN();
  // The standard deviation of the log-normal noise on each run's loss (0.01 is a 1% scatter); required (> 0).
  double noise_sd = std::numeric_limits<double>::quiet_NaN();
  // Simulated data sets, each refitted once.
  int simulations = 200;
  // Simulation k draws its noise from a generator seeded by (seed, k): the result is the same for any num_threads.
  std::uint64_t seed = 42;
  // Worker threads over simulations; 0 uses every hardware thread.
  int num_threads = 0;
  // A design is not identifiable when more than this fraction of its refits are not (or fail).
  double max_unidentified_fraction = 0.1;
  // How each simulated data set is fitted (the objective, Huber delta, identifiability span). Its starts,
  // num_threads, bootstrap, holdout and at_flops are set by the simulation: one start at the truth, one thread per
  // refit, no bootstrap.
  FitOptions fit;
  // Candidate runs for the next-run proposal; empty: no proposal.
  std::vector<SweepRun> candidates;
  SweepTarget target = SweepTarget::kParams;
  // The expected bootstrap interval (see the file comment): resamples of each bootstrapped simulated data set (0:
  // off) and how many of the simulations are bootstrapped.
  int bootstrap_resamples = 0;
  int bootstrap_simulations = 20;

  bool IsValid(std::string* error) const;
};

struct SweepDesignSummary {
  std::vector<SweepRun> design;
  ChinchillaLaw truth;
  double noise_sd = 0;
  double target_flops = 0;
  // The truth's answers at the target: its compute-optimal allocation and its loss there.
  Allocation true_optimum;
  double true_loss = 0;

  int simulations = 0;
  int refits_usable = 0;
  int refits_not_identifiable = 0;        // refits the fit's checks called not identifiable
  int refits_failed = 0;                  // refits that did not converge
  std::string first_unidentified_reason;  // the fit's message for the first such refit

  // The spread over the usable refits of "N_opt", "D_opt", "loss" (the refit law at its own optimum) and of the
  // law's parameters "E", "A", "B", "alpha", "beta".
  std::map<std::string, ResampleSummary> spread;
  // The values behind spread: for each of its quantities, one value per usable refit, in simulation order (the
  // i-th value of every quantity is the same refit's), for charts of the refits.
  std::map<std::string, std::vector<double>> refit_values;
  // The mean width of the 95% bootstrap interval of "N_opt", "D_opt" (log(hi/lo)) and "loss" (hi - lo) over the
  // bootstrapped simulations whose fit was usable (empty without SweepDesignOptions::bootstrap_resamples), how
  // many were bootstrapped, and how many of them the fit's bootstrap check called not identifiable.
  std::map<std::string, double> bootstrap_width;
  int bootstrap_simulations = 0;
  int bootstrap_usable = 0;
  int bootstrap_not_identifiable = 0;
  std::string bootstrap_reason;  // the fit's message for the first bootstrapped fit that was not usable

  // The width of the target's 95% interval as the proposal measures it: log(hi/lo) for N_opt and D_opt, hi - lo
  // for the loss.
  double target_width = std::numeric_limits<double>::quiet_NaN();
  SweepTarget target = SweepTarget::kParams;

  struct Candidate {
    SweepRun run;
    double flops = 0;                                          // 6ND
    double width = std::numeric_limits<double>::quiet_NaN();   // the target's width with the run added
    double shrink = std::numeric_limits<double>::quiet_NaN();  // target_width - width
    double shrink_per_flop = std::numeric_limits<double>::quiet_NaN();
    // The Monte Carlo standard error of shrink (a paired bootstrap over the simulations); a candidate is proposed
    // only when its shrink exceeds two of them, so that noise in a cheap run's tiny shrink is not divided by its
    // tiny cost.
    double shrink_se = std::numeric_limits<double>::quiet_NaN();
    bool identifiable = false;  // the design with this run added identifies the law
  };
  std::vector<Candidate> candidates;
  // The index of the proposed run: the largest shrink_per_flop among the identifiable candidates whose shrink
  // exceeds 2 shrink_se; -1 when none does.
  int best_candidate = -1;

  AnalysisStatus status = AnalysisStatus::kNoConvergence;
  std::string message = "SimulateSweepDesign was not called";
  double wall_seconds = 0;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  std::string BriefReport() const;
  std::string FullReport() const;

 private:
  std::string BootstrapLines() const;  // the expected-bootstrap lines of both reports (empty without bootstrap)
};

// Simulates options.simulations refits of design under truth (see the file comment). Throws InvalidArgument for
// invalid options, an empty design or a non-positive run. Returns summary->IsUsable().
bool SimulateSweepDesign(const std::vector<SweepRun>& design, const ChinchillaLaw& truth,
                         const SweepDesignOptions& options, SweepDesignSummary* summary);

// The summary as one JSON object (the CLI's --json, Python's to_json()): status, message, truth, noise_sd,
// target_flops, design, true, simulations, refits, spread (mean, sd, ci95, refits of each quantity), target,
// target_width, candidates, best_candidate, bootstrap, wall_seconds.
std::string SweepDesignToJson(const SweepDesignSummary& summary);

// The residual scale of a fit on log residuals, the noise sd its data suggest: for the likelihood estimator the
// fitted scale e^sigma; otherwise sqrt(RSS / (n - k)) of its log residuals (RSS recovered from its AIC,
// n log(RSS/n) + 2k, k its free parameters). Throws InvalidArgument when the fit is not on log residuals or
// carries neither.
double FitResidualScale(const FitSummary& fit);

}  // namespace scalelaw
