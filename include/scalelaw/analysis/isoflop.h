// Chinchilla "Approach 2": compute-optimal allocation from IsoFLOP profiles (Hoffmann et al. 2022, "Training
// Compute-Optimal Large Language Models", arXiv:2203.15556, Section 3.2 and Table 2).
//
// The method. Runs are grouped into compute budgets C_k (C = 6ND FLOPs per run). Along one budget the loss
// as a function of x = ln N is approximated by a least-squares parabola
//
//     L ≈ p·x² + q·x + r,     x = ln N,
//
// whose vertex gives the budget's optimum N*_k = exp(−q/(2p)), D*_k = C_k/(6·N*_k), L*_k = r − q²/(4p).
// Ordinary least squares of ln N*_k on ln C_k then gives the power law N_opt = k·C^a, and of ln D*_k on ln C_k
// D_opt = k'·C^b. With Chinchilla's D*_k = C_k/(6·N*_k), b = 1 − a and k' = 1/(6k) (up to rounding).
// Chinchilla found a = 0.49 (10th–90th percentile 0.462–0.534), b = 0.51 (0.483–0.529) from 9 budgets
// between 6e18 and 3e21 FLOPs.
//
// The known bias (Open Athena, "Problems with Chinchilla Approach 2", arXiv:2603.22339). Under
// L = E + A/N^α + B/D^β the IsoFLOP profile is, in u = ln N − ln N_opt(C),
//     L(u) = E + M(C)·(e^{−αu}/α + e^{βu}/β),
// a curve whose shape does not depend on C but is not a parabola, and is skewed when α ≠ β. A least-squares
// parabola on a grid of u values therefore puts its vertex at an offset δ(grid, α, β) from the true optimum,
// even without noise. When every budget is sampled on the same grid in u (e.g. symmetric around its own
// optimum) δ is the same for all budgets: a is unbiased and only k is off, by the factor e^δ. When the grid's
// position relative to the optimum drifts with C (a fixed ladder of model sizes for all budgets, or a grid
// centred on a guessed exponent), δ varies with C and a is biased too. The result reports the per-budget
// curvature p and sampled range so the user can judge; Approach 3 (a parametric fit, scalelaw::Fit) avoids
// the quadratic approximation altogether.
//
// As labs run it. Lab tables label each run with a nominal budget while N and D come from their own columns,
// and the FLOPs the lab counts differ from 6ND (embedding and attention FLOPs): 6ND lies at 0.93 to 1.35 of the
// label in published sets. IsoflopRun::budget groups the runs by that label (C_k is the label). D* is then
// located on its own (IsoflopOptions::d_star): the vertex of the loss in x = ln D along the budget, or the
// runs' own D at N*, so that D_opt = k'·C^b with a + b ≠ 1 in general. The vertex of a budget can come from
// the global parabola (Hoffmann et al. 2022), a parabola through the k sizes around the lowest loss, or the
// minimum of the modified Akima interpolant of the loss in ln N (Porian et al. 2024, "Resolving Discrepancies
// in Compute-Optimal Scaling of Language Models", arXiv:2406.19146, which interpolates each IsoFLOP curve with
// Akima splines and takes its argmin; Akima 1970, J. ACM 17(4), with the modification of Boost.Math's makima).
// The power laws can be weighted by 1/Var(ln N*_k) and 1/Var(ln D*_k) (inverse-variance weighted least
// squares), each variance from a bootstrap of that budget's runs alone.
//
// The bootstrap of a weighted fit. The weighted estimate is a function of the runs through both the vertices and
// the weights: â = Σ_k w_k (x_k − x̄_w)(y_k − ȳ_w) / Σ_k w_k (x_k − x̄_w)², x_k = ln C_k, y_k = ln N*_k,
// w_k = 1/Var̂(ln N*_k). A run-level bootstrap that refits the vertices y*_k but keeps the w_k of the full data
// resamples only part of that function: it leaves out the sampling variation of the weights themselves (with
// 7–10 runs per budget a bootstrap variance varies by tens of percent from one resample to the next) and their
// correlation with y*_k (a resample whose parabola is flatter moves its vertex more and has the larger spread, so
// it also weighs less). Each run-level resample therefore recomputes the weights from its own runs, by the same
// per-budget bootstrap of weight_resamples resamples (a nested bootstrap, bootstrapping the bootstrap: Davison &
// Hinkley 1997, "Bootstrap Methods and their Application", Chapter 3): resample i of the outer bootstrap applies
// the whole estimator, weights included, to its resampled runs. Its cost is (1 + weight_resamples) vertex fits per
// budget and resample, measured in docs/isoflop.md. The analytic alternative, the delta method on each budget's
// parabola (Var(x*) = g' Σ g with x* = −q/(2p), g = (q/(2p²), −1/(2p)) and Σ the covariance of (p, q)), would be
// cheaper but is not defined for the Akima vertex, assumes homoscedastic residuals, and would weigh the resamples by a
// different rule than the point estimate.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/analysis/summary.h"

namespace scalelaw {

// One training run: N parameters, D tokens (so C = 6·N·D) and its final loss.
// Set flops to a positive value to give C directly (then D = C/(6N) is not needed); leave it 0 to use 6·N·D.
// Set budget to the run's nominal budget label (the same positive number for every run of one IsoFLOP curve) to
// group the runs by it: then C_k is the label, and flops and tokens are optional (tokens give D* its own fit).
// Either every run has a budget label or none does.
struct IsoflopRun {
  double params = 0;
  double tokens = 0;
  double flops = 0;
  double loss = 0;
  double budget = 0;
};

// How a budget's vertex is located (IsoflopOptions::vertex).
enum class IsoflopVertex {
  kQuadratic,  // "quadratic": least-squares parabola in ln N through all the budget's runs (Hoffmann et al. 2022)
  kLocal,      // "local": the same parabola through the runs of the `window` distinct sizes nearest (in rank) to
               // the size with the lowest mean loss
  kAkima,      // "akima": argmin of the modified Akima interpolant of the mean loss per size (Porian et al. 2024,
               // arXiv:2406.19146); needs 4 distinct sizes; it cannot extrapolate, so a minimum at the edge of the
               // sampled range is excluded even with keep_outside
};
// How D*_k is found (IsoflopOptions::d_star).
enum class IsoflopDStar {
  kAuto,   // "auto": kOwn when every run has tokens, kFlops otherwise
  kOwn,    // "own": the vertex of the loss in ln D along the budget, by the same vertex method (needs tokens)
  kRuns,   // "runs": the runs' own D at N*: the least-squares line of ln D on ln N through the budget's runs,
           // evaluated at ln N* (needs tokens)
  kFlops,  // "flops": C_k/(6·N*_k), so b = 1 − a (Hoffmann et al. 2022)
};
// "quadratic", "local", "akima" / "auto", "own", "runs", "flops"; the FromName functions throw InvalidArgument
// naming the choices for any other name.
std::string_view IsoflopVertexName(IsoflopVertex vertex);
IsoflopVertex IsoflopVertexFromName(std::string_view name);
std::string_view IsoflopDStarName(IsoflopDStar d_star);
IsoflopDStar IsoflopDStarFromName(std::string_view name);

struct IsoflopOptions {
  // Runs whose C values chain together with relative gaps of at most this much form one budget: sorted by C,
  // a run joins the previous run's budget when C_i <= C_{i-1}·(1 + budget_tolerance) (single linkage).
  // The default absorbs the last-digit differences of C = 6ND computed from rounded token counts.
  double budget_tolerance = 0.01;
  // Budgets with fewer distinct N than this are skipped with a warning (at least 3: a parabola has 3
  // coefficients).
  int min_sizes = 3;
  // The vertex method, and for kLocal the number of distinct sizes in the window (at least 3).
  IsoflopVertex vertex = IsoflopVertex::kQuadratic;
  int window = 5;
  // How D* is found; kAuto is kOwn when every run has tokens.
  IsoflopDStar d_star = IsoflopDStar::kAuto;
  // Keep budgets whose vertex lies outside the sampled N (or D) range in the power-law fit (marked
  // "used (extrapolated)" and named in a warning) instead of excluding them.
  bool keep_outside = false;
  // Weighted least squares for the power laws: budget k weighs 1/Var(ln N*_k) for a (1/Var(ln D*_k) for b),
  // the variances from weight_resamples bootstrap resamples of that budget's runs (seeded from seed; at least
  // 10). The run-level bootstrap below recomputes the weights from each of its resamples the same way (a nested
  // bootstrap, see the header comment): 1 + weight_resamples vertex fits per budget and resample instead of 1.
  bool weighted = false;
  int weight_resamples = 200;
  // With tokens and a budget label (or a FLOPs column): when 6ND differs from the run's label (or FLOPs) by more
  // than this fraction, |6ND/C − 1| > disagreement, for any run, a warning counts those runs and, when the runs
  // are grouped by a FLOPs column, suggests grouping by it as a label (--budget-col). Positive.
  double disagreement = 0.05;
  // Bootstrap: resamples (0 = none), seed, worker threads (0 = all hardware threads). Results do not depend on
  // the number of threads.
  int bootstrap = 0;
  std::uint64_t seed = 42;
  int num_threads = 0;
  // Called from worker threads (so it must be thread-safe and quick) after every bootstrap resample with the
  // stage "bootstrap", the resamples done and the total. Return false to stop: the result then has status
  // kInterrupted, the point estimates and no bootstrap statistics. Empty: no reports.
  std::function<bool(std::string_view stage, int done, int total)> progress;
};

// One compute budget.
struct IsoflopBudget {
  double flops = 0;      // C_k: geometric mean of the C of its runs
  double flops_min = 0;  // smallest and largest C among its runs
  double flops_max = 0;
  int n_runs = 0;
  int n_sizes = 0;        // distinct N among its runs
  double params_min = 0;  // sampled range of N
  double params_max = 0;
  double tokens_min = 0;  // sampled range of D (0 when the runs have no tokens)
  double tokens_max = 0;
  // 6ND/C_k over the budget's runs, smallest and largest (0 when the runs have no tokens).
  double ratio_min = 0;
  double ratio_max = 0;
  // p, the coefficient of (ln N)² of the parabola that gave the vertex (for kAkima the interpolant's second
  // derivative at its minimum); finite whenever the budget was fitted.
  double curvature = 0;
  // The vertex: N*_k, D*_k (IsoflopOptions::d_star), L*_k. Meaningful only when has_vertex (a minimum at a
  // finite point); 0 otherwise.
  bool has_vertex = false;
  double params = 0;
  double tokens = 0;
  double loss = 0;
  // With IsoflopOptions::weighted: the bootstrap standard deviations of ln N*_k and ln D*_k behind the weights
  // (0 otherwise).
  double log_params_sd = 0;
  double log_tokens_sd = 0;
  bool used = false;          // entered the power-law fit
  bool extrapolated = false;  // used although its vertex lies outside the sampled range (keep_outside)
  std::string status;         // "used", or why not: too few sizes, opens downward, vertex outside the sampled range
};

struct IsoflopResult {
  // kUsable when at least 2 budgets entered the power-law fit; kNotIdentifiable when fewer did (one budget, or
  // budgets with too few sizes or no minimum inside their sampled N); kNoConvergence when the power law is not
  // finite; kInterrupted when IsoflopOptions::progress stopped the bootstrap. message says why when not usable.
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message = "FitIsoflop was not called";
  double a = 0;  // N_opt = k_params·C^a
  double k_params = 0;
  double b = 0;  // D_opt = k_tokens·C^b
  double k_tokens = 0;
  int n_budgets_used = 0;
  std::vector<IsoflopBudget> budgets;  // every budget found, in increasing C (used or not)
  // The bootstrap (IsoflopOptions::bootstrap, 0 for none): resamples requested, those left out (fewer than 2
  // usable budgets), and the summary of "a", "b", "k_params" and "k_tokens" over the others; empty without a
  // bootstrap or with fewer than 2 successful resamples.
  int bootstrap_resamples = 0;
  int bootstrap_failed = 0;
  std::map<std::string, ResampleSummary> uncertainty;
  // Each successful resample's a, b, k_params and k_tokens, so that allocations made from the result carry
  // intervals (FittedLaw in scalelaw/fit/fitted_law.h).
  std::vector<std::map<std::string, double>> bootstrap_draws;
  std::vector<std::string> warnings;  // skipped and excluded budgets, failed resamples
  int n_runs = 0;
  double budget_tolerance = 0;
  int min_sizes = 0;
  std::uint64_t seed = 0;
  // How it was done: grouped by the runs' budget labels (else by C within budget_tolerance), the vertex method
  // and window, how D* was found (never kAuto here), keep_outside and weighted as in IsoflopOptions.
  bool by_label = false;
  IsoflopVertex vertex = IsoflopVertex::kQuadratic;
  int window = 0;
  IsoflopDStar d_star = IsoflopDStar::kFlops;
  bool keep_outside = false;
  bool weighted = false;
  // The per-budget resamples behind the weights (IsoflopOptions::weight_resamples; 0 when unweighted) and the
  // 6ND disagreement threshold of the warning (IsoflopOptions::disagreement).
  int weight_resamples = 0;
  double disagreement = 0;

  // Where the runs came from, for FullReport's first lines: FitIsoflop leaves them empty; a caller that read the
  // runs sets them (the CLI: "runs.csv", and "N from column 'params', C = 6ND with D from column 'tokens', ...").
  std::string data_source;
  std::vector<std::string> data_columns;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // One line: a, k, b, k' (with standard errors when bootstrapped) and the status.
  std::string BriefReport() const;
  // The table `scalelaw isoflop` prints: every budget's runs, sizes, vertex, curvature and status, then the
  // power laws with their bootstrap standard errors and intervals, and the status.
  std::string FullReport() const;
};

// Chinchilla Approach 2 on runs. Throws InvalidArgument for a run whose N, loss or C (or D) is not a positive
// finite number, for budget labels on some runs only, for d_star kOwn or kRuns without every run's tokens, and
// for options out of range (tolerance not in [0, 1), min_sizes < 3, window < 3, bootstrap < 0, num_threads < 0,
// weight_resamples < 10, disagreement <= 0). Fewer than 2 usable budgets is not an exception but a result with status
// kNotIdentifiable: message says why, a, b, k_params, k_tokens are 0 and the budget table says what each budget was.
// Never NaN.
IsoflopResult FitIsoflop(const std::vector<IsoflopRun>& runs, const IsoflopOptions& options = {});

// The runs' budgets only (same grouping as FitIsoflop: by label when the runs have budget labels, else by C
// within tolerance): index lists into runs, in increasing C.
std::vector<std::vector<std::size_t>> GroupIsoflopBudgets(const std::vector<IsoflopRun>& runs, double tolerance);

// The result as one line of JSON: "status", "usable", "message" (when not usable), "a", "b", "k_params", "k_tokens",
// "n_budgets_used", "grouping" ("label" or "tolerance"), "vertex", "window", "d_star", "keep_outside", "weighted",
// "weight_resamples", "disagreement",
// "budgets" (each with "flops", "params", "tokens", "loss", "n_runs", "n_sizes", "curvature", "params_min",
// "params_max", "tokens_min", "tokens_max", "ratio_6nd" ([min, max] or null), "log_params_sd", "log_tokens_sd",
// "used", "extrapolated", "status"; "params"/"tokens"/"loss" are null without a vertex), "warnings", and
// with a bootstrap "bootstrap" (requested, succeeded, seed), "se" and "ci95" (objects keyed a, b, k_params, k_tokens;
// ci95 values are [low, high]).
std::string IsoflopToJson(const IsoflopResult& result);
// Reads what IsoflopToJson wrote (extra keys are ignored; the runs' grouping and data source are not in it).
// Throws InputError naming source_name and the key.
IsoflopResult IsoflopFromJson(std::string_view text, const std::string& source_name);

}  // namespace scalelaw
