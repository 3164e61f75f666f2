// The charts of scalelaw's results, filled from the results themselves: what `scalelaw fit|isoflop|fit-hparams
// --plot` writes as SVG (fit_plots.h, svg_plot.h) and what Python's scalelaw.plot draws with matplotlib (through
// python/module.cpp), so both faces show the same curves from one computation.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "plot/fit_plots.h"
#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/predict.h"

namespace scalelaw::plot {

struct FitChartOptions {
  // The right end of the curves; NaN: 100 times the largest compute shown (the runs', else 6·N_max·D_max of the
  // law's range), extended to at_flops.
  double flops_max = std::numeric_limits<double>::quiet_NaN();
  // A budget to reach and mark; NaN: none (for a FitSummary, the fit's own: FitBudget).
  double at_flops = std::numeric_limits<double>::quiet_NaN();
};

// The runs a chart can show: those with a positive finite N, C = 6ND and loss.
struct ChartRuns {
  std::vector<double> params, flops, loss;
};

struct FitChart {
  LossVsComputeData data;  // the runs, the law per model size (each curve's value its N), frontier, band, shade
  ChartRuns runs;          // the runs of data that can be shown
  double flops_min = 0;    // the compute range of the frontier: the smallest run's C to flops_max
  double flops_max = 0;
  double at_flops = std::numeric_limits<double>::quiet_NaN();  // the budget marked; NaN: none
  // a of N_opt ∝ C^a when there is a frontier: the slope of ln N_opt between flops_min and flops_max (exact for a
  // power-law allocation, beta/(alpha+beta) for the Chinchilla form, Hoffmann et al. 2022, arXiv:2203.15556, Eq. 4).
  double frontier_exponent = std::numeric_limits<double>::quiet_NaN();
  std::size_t band_resamples = 0;  // the resamples behind the band (0: no band)
};

// Loss against compute C = 6ND for a law, fitted or published (scalelaw/predict.h): the runs given (params,
// tokens, loss of one length; empty: none, and the law's range stands in for them: five model sizes log-spaced
// over its N with its smallest D, the shade beyond 6·N_max·D_max); when the law's loss reads N and D alone, the
// law L(N, C/(6N)) at up to kMaxGroups model sizes (LawCurvesPerSize: from a quarter of each size's smallest C);
// and for a usable law that allocates a budget, the compute-optimal frontier L_opt(C) = L(N_opt(C), D_opt(C))
// over [flops_min, flops_max] from its allocation (closed form for the Chinchilla form, Hoffmann et al. 2022,
// arXiv:2203.15556, Eq. 4; a minimisation along C = 6ND for other forms of N and D), with the band between the
// 2.5 and 97.5 percentiles of the law's resamples' frontiers at each C (resamples whose frontier is not finite
// there left out). Throws InvalidArgument when there is nothing to draw (no runs and no loss in N and D, or no
// range).
FitChart MakeFitChart(const Law& law, const std::vector<double>& params, const std::vector<double>& tokens,
                      const std::vector<double>& loss, const FitChartOptions& options = {});

// The same for a fit (its FittedLaw, scalelaw/fit/fitted_law.h), marking the fit's own budget when options does
// not name one.
FitChart MakeFitChart(const FitSummary& fit, const std::vector<double>& params, const std::vector<double>& tokens,
                      const std::vector<double>& loss, const FitChartOptions& options = {});

// The budget a fit was asked about: C = 6·N_opt·D_opt of its derived values (FitOptions::at_flops); NaN without.
double FitBudget(const FitSummary& fit);

// What MakeFitDiagnostics labels its axes with.
struct FitDiagnosticsOptions {
  std::string y_label;  // the fitted quantity (the loss column's name); empty: "y"
  // An input's axis label by its data name (the column it was read from, say); absent: the name itself.
  std::map<std::string, std::string> input_labels;
  int curve_points = 200;  // points of the one-input curve
};

// Every fit's diagnostics (fit_plots.h, FitDiagnosticsData): at each run the fitted form's prediction ŷ, evaluated
// as the fit evaluated it (its form rebuilt by ModelOf, its parameters), and the residual y − ŷ or ln y − ln ŷ on
// the residual scale of the fit's objective (FitSummary::residual); the runs the fit held out (FitSummary::holdout,
// matched by N, D and y) marked. For a form of exactly one input (FitSummary::inputs), the law along that input at
// curve_points points over the runs' range widened by 5% of it on each side (a factor 1.25 on a log axis), and
// with two or more bootstrap draws the 2.5 and 97.5 percentiles of the draws' curves at each point (draws that do
// not evaluate at a point left out there). inputs maps every data name of fit.inputs to one value per run, as
// long as y. A run is shown when its y and its prediction are finite (an input outside the form's domain gives none)
// and, on log residuals, both positive.
// Throws InvalidArgument when an input is missing or of another length, when the fit has no parameters, or when no
// run can be shown.
FitDiagnosticsData MakeFitDiagnostics(const FitSummary& fit, const std::map<std::string, std::vector<double>>& inputs,
                                      const std::vector<double>& y, const FitDiagnosticsOptions& options = {});
// The same for the runs of a Dataset: an input N, D or U from its params, tokens or unique_tokens when given,
// else (and every other input) from its columns.
FitDiagnosticsData MakeFitDiagnostics(const FitSummary& fit, const Dataset& runs,
                                      const FitDiagnosticsOptions& options = {});

// The IsoFLOP profiles of an analysis, one IsoflopBudgetData per budget of result (in its order) with the runs of
// runs whose C lies in the budget's [flops_min, flops_max] (within a relative 1e-6; runs may be empty, and need not
// be the runs analysed), its vertex, curvature, sampled range, whether it was used and its status; for a usable
// result the optimum curve: N_opt = k·C^a at each used budget's C, with the loss of that budget's parabola there.
IsoflopChartData MakeIsoflopChart(const IsoflopResult& result, const std::vector<IsoflopRun>& runs);

// The two charts of a sweep: the best learning rate of each (N, D) cell against N, grouped by D, with the law
// lr = c·N^a·D^b; and the best batch (tokens) against D with batch = c·D^b (Li et al. 2025, arXiv:2503.04715).
struct HparamCharts {
  HparamChartData lr, batch;
};
HparamCharts MakeHparamCharts(const HparamSweepResult& sweep);

}  // namespace scalelaw::plot
