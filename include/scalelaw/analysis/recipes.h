// Comparing two training recipes (architectures, data mixes, optimisers) by their compute scaling: the runs of
// both fitted jointly, in the manner of ceres::Solve: CompareRecipes(runs, options) -> RecipeComparison.
//
// Each recipe's final loss against training compute C follows a power law with an offset (Kaplan et al. 2020,
// arXiv:2001.08361, Eq. 1.3; Hoffmann et al. 2022, arXiv:2203.15556, Eq. 2 along the compute-optimal frontier):
//     recipe A:  L_A(C) = E + A·x^(-alpha),
//     recipe B:  L_B(C) = (E + dE) + A·e^k·x^(-(alpha + d)),      x = C / C_ref,
// C_ref the geometric mean of all runs' compute. Which of E and alpha the recipes share is an option (shared: dE
// or d held at 0); the coefficient always differs (k). The quantities compared:
//   - the effective-compute multiplier m(C) of B over A: B reaches at compute C the loss A needs m·C for,
//     L_A(m·C) = L_B(C). With E and alpha shared it is one number, m = e^(-k/alpha) (m > 1: B saves compute; the
//     "compute multiplier" of architecture and data ablations, e.g. Hoffmann et al. 2022 Sec. 4 and DeepSeek-AI
//     2024, arXiv:2401.02954, Sec. 3); otherwise it depends on C and is reported at the reference compute.
//   - the crossover compute where the two recipes' losses are equal (only when an exponent or the offset
//     differs): the root of L_A(C) = L_B(C) in ln C over the search range, if the difference changes sign there.
// The fit is scalelaw's (Huber on log residuals by default, FitOptions), from starts at each recipe fitted alone
// (the power-offset form). The 95% intervals come from a bootstrap that resamples the runs of each recipe with
// replacement (stratified, so every resample has both recipes) and refits the joint law.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/fit/fit.h"

namespace scalelaw {

struct RecipeComparisonOptions {
  bool share_offset = true;    // E the same for both recipes (dE = 0)
  bool share_exponent = true;  // alpha the same for both recipes (d = 0)
  // The compute where a C-dependent multiplier is reported; 0: C_ref, the geometric mean of the runs' compute.
  double reference_flops = 0;
  // The crossover is searched for in [C_min / crossover_span, C_max · crossover_span] of the runs' compute.
  double crossover_span = 1e3;
  int bootstrap_resamples = 200;  // 0 for none (then no intervals)
  std::uint64_t bootstrap_seed = 42;
  int num_threads = 0;  // bootstrap refits in parallel (0 = the hardware's); results depend on the seed only
  FitOptions fit;       // the objective and residual of every fit (its own bootstrap and starts are set here)

  bool IsValid(std::string* error = nullptr) const;
};

// A quantity with its bootstrap's 95% percentile interval (lo = hi = NaN without a bootstrap).
struct EstimateWithInterval {
  double value = 0;
  double lo95 = 0, hi95 = 0;
};

struct RecipeComparison {
  // kUsable: the joint fit is usable. kNotIdentifiable / kNoConvergence: as the fit's (message says why).
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message = "CompareRecipes was not called";
  std::string recipe_a, recipe_b;  // the labels; A is the baseline
  int runs_a = 0, runs_b = 0;
  double scale_flops = 0;           // C_ref of x = C / C_ref: the geometric mean of the runs' compute
  double reference_flops = 0;       // where a C-dependent multiplier is reported (C_ref unless an option set it)
  FitSummary fit;                   // the joint fit: E, dE, A, k, alpha, d (dE, d fixed at 0 when shared)
  FitSummary fit_a, fit_b;          // each recipe alone (power-offset: E, A, alpha in x), the joint fit's starts
  EstimateWithInterval multiplier;  // m at reference_flops
  bool multiplier_depends_on_flops = false;
  // The crossover compute (NaN: the losses do not cross in the search range [crossover_search_lo,
  // crossover_search_hi]), and how many bootstrap resamples had one. Its interval is given only when the fit
  // crosses and at least 95% of the resamples do too: otherwise whether they cross at all is the uncertainty, and
  // the count says it.
  EstimateWithInterval crossover_flops;
  double crossover_search_lo = 0, crossover_search_hi = 0;
  int resamples = 0, failed_resamples = 0, resamples_with_crossover = 0;
  double seconds = 0;
  // An extrapolation: the multiplier reported at a compute outside the runs' range.
  std::vector<std::string> warnings;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // The loss of recipe 0 (A) or 1 (B) at compute flops under the joint fit.
  double Loss(int recipe, double flops) const;
  std::string BriefReport() const;
  std::string FullReport() const;
};

// One training run of either recipe: its compute C (FLOPs), or N and D with C = 6ND (Kaplan et al. 2020,
// arXiv:2001.08361, Sec. 2.1) when flops is 0, its final loss, and its recipe: 0 for A (the baseline), 1 for B.
struct RecipeRun {
  double params = 0;
  double tokens = 0;
  double flops = 0;
  double loss = 0;
  int recipe = 0;

  double Compute() const { return flops > 0 ? flops : 6.0 * params * tokens; }
};

// Fits both recipes jointly. Throws InvalidArgument for invalid options, a recipe other than 0 or 1, or a run
// whose C (or N and D) or loss is not positive and finite; fewer than 4 runs of a recipe is a summary that is not
// usable.
RecipeComparison CompareRecipes(const std::vector<RecipeRun>& runs, const std::string& label_a,
                                const std::string& label_b, const RecipeComparisonOptions& options = {});

// The comparison as one JSON object (--json): the labels, the joint law's parameters and the quantities with
// their intervals (null where there is none), and the status.
std::string RecipeComparisonToJson(const RecipeComparison& comparison);

}  // namespace scalelaw
