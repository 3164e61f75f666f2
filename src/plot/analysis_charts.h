// The charts of the issue-15 analyses, filled from their results: what `scalelaw ladder|design|validate|compare
// --plot out.svg` writes, what their `--report out.html` pages inline, and what Python's scalelaw.plot draws with
// matplotlib (python/module.cpp hands it these Charts' series), so the three faces show one computation.
#pragma once

#include <vector>

#include "plot/svg_plot.h"
#include "scalelaw/analysis/ladder.h"
#include "scalelaw/analysis/recipes.h"
#include "scalelaw/analysis/sweep_design.h"
#include "scalelaw/analysis/validation.h"

namespace scalelaw::plot {

// The two steps of one ladder task (Bhagia et al. 2024, arXiv:2412.04403, Sec. 3).
struct LadderCharts {
  // Step 1: task loss (bits per byte) against compute C = 6ND, log-log: each ladder run's step-1 point (coloured
  // by its N), the fitted L(N, C/(6N)) for each ladder size over the ladder's compute (widened by a factor 2 each
  // way) and for the target's N up to its C; the target's predicted task loss L(N_target, D_target) and, when
  // known, its actual one; compute beyond the ladder's largest run shaded.
  Chart step1;
  // Step 2: accuracy against task loss: the smoothed checkpoints (coloured by their run's N), the fitted sigmoid
  // (the chained fit's) over the points and the prediction widened by 5% of their span, its floor a + b (the
  // accuracy as the task loss grows: chance, for a fit that finds it); the
  // chained prediction Acc(L(N_target, D_target)) at the predicted task loss with its bootstrap interval (when
  // bootstrapped) and the target's actual smoothed (task loss, accuracy) when known.
  Chart step2;
};
// Throws InvalidArgument for a summary that is not usable (nothing fitted to draw).
LadderCharts MakeLadderCharts(const LadderSummary& summary);

// Sweep design (scalelaw/analysis/sweep_design.h), from the simulated refits of a summary with at least 2 usable.
struct SweepDesignCharts {
  // The refits at the target budget: each refit's N_opt (log) against the refit law's loss there, the truth's
  // answer marked, and the refits' 95% intervals of both as dashed lines.
  Chart refits;
  // The design in the (N, D) plane, log-log: its runs, the target budget's line D = C/(6N), the refits' optima
  // (N_opt, D_opt) on it, the truth's optimum, the candidate runs (filled: they shrink the target's interval by
  // more than two Monte Carlo SEs) and the proposed next run.
  Chart design;
};
// Throws InvalidArgument when fewer than 2 refits were usable.
SweepDesignCharts MakeSweepDesignCharts(const SweepDesignSummary& summary);

// Leave-future-out validation: every held-out run's relative error (%) against its extrapolation distance (its
// split value / the threshold, log), one colour per fold; the runs outside their predictive interval outlined.
// Throws InvalidArgument when the validation has no held-out run.
Chart MakeValidationChart(const LeaveFutureOutSummary& summary);

// Two recipes: each recipe's runs (may be empty: then the laws are drawn over two decades each side of C_ref) and
// its law L(C) of the joint fit over the runs' compute, the effective-compute multiplier at the reference compute
// as a horizontal segment from B's (C, L_B(C)) to A's (m·C, L_A(m·C) = L_B(C)), and the crossover where the laws
// cross, if they do. Throws InvalidArgument for a comparison that is not usable.
Chart MakeRecipeComparisonChart(const RecipeComparison& result, const std::vector<RecipeRun>& runs);

}  // namespace scalelaw::plot
