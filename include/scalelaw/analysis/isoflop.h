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
// D_opt = k'·C^b. Because D*_k = C_k/(6·N*_k) exactly, b = 1 − a and k' = 1/(6k) (up to rounding).
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
struct IsoflopRun {
  double params = 0;
  double tokens = 0;
  double flops = 0;
  double loss = 0;
};

struct IsoflopOptions {
  // Runs whose C values chain together with relative gaps of at most this much form one budget: sorted by C,
  // a run joins the previous run's budget when C_i <= C_{i-1}·(1 + budget_tolerance) (single linkage).
  // The default absorbs the last-digit differences of C = 6ND computed from rounded token counts.
  double budget_tolerance = 0.01;
  // Budgets with fewer distinct N than this are skipped with a warning (at least 3: a parabola has 3
  // coefficients).
  int min_sizes = 3;
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
  double curvature = 0;  // p, the coefficient of (ln N)² (finite whenever the budget was fitted)
  // The vertex: N*_k, D*_k = C_k/(6 N*_k), L*_k. Meaningful only when has_vertex (p > 0 and the vertex is a
  // finite number); 0 otherwise.
  bool has_vertex = false;
  double params = 0;
  double tokens = 0;
  double loss = 0;
  bool used = false;   // entered the power-law fit
  std::string status;  // "used", or why not: too few sizes, opens downward, vertex outside the sampled range
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
// finite number and for options out of range (tolerance not in [0, 1), min_sizes < 3, bootstrap < 0,
// num_threads < 0). Fewer than 2 usable budgets is not an exception but a result with status kNotIdentifiable:
// message says why, a, b, k_params, k_tokens are 0 and the budget table says what each budget was. Never NaN.
IsoflopResult FitIsoflop(const std::vector<IsoflopRun>& runs, const IsoflopOptions& options = {});

// The runs' budgets only (same grouping as FitIsoflop): index lists into runs, in increasing C.
std::vector<std::vector<std::size_t>> GroupIsoflopBudgets(const std::vector<IsoflopRun>& runs, double tolerance);

// The result as one line of JSON: "status", "usable", "message" (when not usable), "a", "b", "k_params", "k_tokens",
// "n_budgets_used", "budgets" (each with "flops", "params", "tokens", "loss", "n_runs", "n_sizes", "curvature",
// "params_min", "params_max", "used", "status"; "params"/"tokens"/"loss" are null without a vertex), "warnings", and
// with a bootstrap "bootstrap" (requested, succeeded, seed), "se" and "ci95" (objects keyed a, b, k_params, k_tokens;
// ci95 values are [low, high]).
std::string IsoflopToJson(const IsoflopResult& result);
// Reads what IsoflopToJson wrote (extra keys are ignored; the runs' grouping and data source are not in it).
// Throws InputError naming source_name and the key.
IsoflopResult IsoflopFromJson(std::string_view text, const std::string& source_name);

}  // namespace scalelaw
