// Charts of fits for `scalelaw fit|isoflop|fit-hparams ... --plot out.svg`, built from plain numbers so that
// this file does not depend on the fitting code: result_charts.h fills these structures from a fit, an IsoFLOP
// analysis or a sweep (for the CLI and for Python's scalelaw.plot alike). Render them with RenderSvg or
// WriteSvgFile (svg_plot.h).
//
// Colours: model sizes (and compute budgets, and token counts in hyperparameter charts) are coloured by
// SequenceColor at the value's LogPosition between the smallest and largest value shown, so the runs of a model
// size and the fitted curve for it share a colour. Legends list at most kMaxGroups groups: more distinct values
// than that are binned into kMaxGroups log-spaced bins, each labelled with its range.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "plot/svg_plot.h"

namespace scalelaw::plot {

inline constexpr std::size_t kMaxGroups = 8;

// One curve: points (x[i], y[i]) drawn as a line, coloured SequenceColor(t_color). An empty label keeps it
// out of the legend. value is what the curve is drawn for (its model size N, token count D or budget C; 0 when
// none), by which a face that colours with its own scale colours it.
struct LossCurve {
  std::string label;
  double t_color = 0;
  double value = 0;
  std::vector<double> x, y;
};

// A band between lower[i] and upper[i] at x[i] (e.g. the 95% bootstrap interval of L_opt(C)).
struct Band {
  std::string label;
  std::vector<double> x, lower, upper;
};

// --- Loss vs compute (scalelaw fit) ---

struct LossVsComputeData {
  std::string title = "Loss vs compute";
  // The runs: N, D, final loss (same length). Plotted at C = 6·N·D, coloured by N.
  std::vector<double> params, tokens, loss;
  // The fitted law for model sizes: L(N, C/(6N)) against C, t_color = LogPosition(N, min N, max N) of the runs
  // (LawCurvesPerSize makes them). They are clipped to the chart and do not set its ranges.
  std::vector<LossCurve> law_curves;
  // The compute-optimal frontier L_opt(C) (FrontierCurve makes it) and its bootstrap band; empty x: none.
  LossCurve frontier;
  Band frontier_band;
  // Compute beyond this is shaded as extrapolation; 0: the largest 6ND among the runs; negative: no shade.
  double observed_max_flops = 0;
  std::string extrapolation_label;  // the shade's legend entry; empty: "extrapolation (C > <observed>)"
  bool log_loss = true;             // y axis on a log scale (Chinchilla's figures) or linear
};

// x = compute C = 6ND (FLOPs, log), y = loss; the runs as markers coloured by N (grouped by distinct N, or
// binned when there are more than kMaxGroups), the law curves as thin lines in the same colours (one legend entry
// "fitted law, per N" for all of them), the frontier as a thick dark line, its band, and the extrapolation shade.
Chart LossVsComputeChart(const LossVsComputeData& data);

// The fitted law for up to max_curves model sizes of the runs (all distinct N when there are few, otherwise
// max_curves of them spread evenly in log N, smallest and largest included): for each N, points_per_curve values
// of C log-spaced from a quarter of the smallest 6·N·D run at that N to c_max (no curve when that is empty), and
// loss(N, C/(6N)); each curve's value is its N. Curve labels are empty (the chart gives one legend entry); points
// where loss() is not finite are kept (the chart skips them).
std::vector<LossCurve> LawCurvesPerSize(const std::vector<double>& params, const std::vector<double>& tokens,
                                        const std::function<double(double params, double tokens)>& loss, double c_max,
                                        std::size_t max_curves = kMaxGroups, int points_per_curve = 60);

// points log-spaced values of C over [c_min, c_max] and loss_opt(C): the frontier, labelled label.
LossCurve FrontierCurve(const std::function<double(double flops)>& loss_opt, double c_min, double c_max,
                        const std::string& label = "compute-optimal L_opt(C)", int points = 80);

// The largest 6·N·D over the runs (0 when there are none); with the smallest, a natural x range for the curves.
double MaxFlops(const std::vector<double>& params, const std::vector<double>& tokens);
double MinFlops(const std::vector<double>& params, const std::vector<double>& tokens);

// n values log-spaced over [lo, hi] (both positive, lo <= hi), the ends exact; lo alone when n < 2.
std::vector<double> LogSpace(double lo, double hi, int n);

// --- Any fit: observed against predicted, residuals, and y against its one input (scalelaw fit) ---

// The runs of a fit with the fit's prediction ŷ at each, and for a form of one input the law along it.
struct FitDiagnosticsData {
  std::string title;          // the fit: its form and formula, the runs shown ("sigmoid: d + c / ..., 16 runs")
  std::string form = "fit";   // a short name of the fit for the diagnostic charts' titles ("sigmoid fit, 16 runs")
  std::string y_label = "y";  // what was fitted (the loss column's name)
  // The residual scale of the fit's objective: ln y − ln ŷ when it acted on log residuals (every y and ŷ
  // positive), y − ŷ on the loss itself. Residuals are observed minus predicted: a run above the law is positive.
  bool log_residual = true;
  // One entry per run shown, in the order the runs were given: y, ŷ, the residual on the scale above, and whether
  // the run was held out of the fit (FitOptions::holdout_top; the fit never saw it).
  std::vector<double> observed, predicted, residual;
  std::vector<bool> held_out;
  // The root mean square of the residuals of the fitted runs and of the held-out runs (NaN: none).
  double rms_fitted = std::numeric_limits<double>::quiet_NaN();
  double rms_held_out = std::numeric_limits<double>::quiet_NaN();
  // Observed and predicted on log axes (the fit's residuals are log residuals) or linear ones.
  bool log_axes = true;

  // Forms of exactly one input (a one-column formula, the power, power-offset and sigmoid presets): the input's
  // axis label (empty: the form reads more than one input, and there is no curve chart), each shown run's value
  // of it, the fitted law along it over the runs' range and a little beyond, and the 2.5 and 97.5 percentiles of
  // the bootstrap resamples' curves at each point of it (empty x: no band).
  std::string input_label;
  std::vector<double> input;
  bool log_input = false;  // the input spans more than a decade of positive values: a log axis
  LossCurve curve;
  Band band;
};

// The legend entry of the fitted runs ("runs (16), RMS 0.0209"; "fitted runs (43), ..." beside held-out runs) or,
// with held_out, of the held-out runs ("held out (5), RMS 0.0312"); empty when there are none.
std::string DiagnosticsRunsLabel(const FitDiagnosticsData& data, bool held_out);

// x = predicted ŷ, y = observed y (both log with log_axes), the line y = x over the values shown, the fitted runs
// as circles and the held-out runs as outlined squares of another colour, each labelled with its count and the RMS
// of its residuals.
Chart ObservedVsPredictedChart(const FitDiagnosticsData& data);
// x = predicted ŷ (log with log_axes), y = the residual (linear) with a dashed line at zero; runs as above.
Chart ResidualsChart(const FitDiagnosticsData& data);
// x = the one input (log with log_input), y = y (log with log_axes): the runs as above, the fitted law as a thick
// dark line and its band. Throws InvalidArgument when data has no input (a form of several inputs).
Chart FitCurveChart(const FitDiagnosticsData& data);

// --- IsoFLOP profiles (scalelaw isoflop) ---

struct IsoflopBudgetData {
  double flops = 0;                  // C_k
  std::vector<double> params, loss;  // the budget's runs (may be empty)
  bool has_vertex = false;           // the parabola opens upwards and has a finite vertex
  bool used = true;                  // the vertex entered the power law N_opt = k·C^a
  std::string status = "used";       // or why not (too few sizes, opens downward, vertex outside the range)
  double curvature = 0;              // p in L = p·(ln N − ln N*)² + L*
  double opt_params = 0;             // N*_k
  double opt_loss = 0;               // L*_k
  // The sampled range of N; 0: the range of params.
  double params_min = 0, params_max = 0;
};

struct IsoflopChartData {
  std::string title = "IsoFLOP profiles";
  std::vector<IsoflopBudgetData> budgets;  // any order
  // The fitted N_opt = k·C^a at each used budget, on that budget's parabola (IsoflopOptimumCurve); empty: none.
  LossCurve optimum;
  bool log_loss = false;
};

// A budget's parabola L = p·(ln N − ln N*)² + L* at points values of N log-spaced over its sampled range and N*
// widened by a factor 1.25 on each side; empty without a vertex.
LossCurve IsoflopParabola(const IsoflopBudgetData& budget, int points = 60);

// x = N (log), y = loss; per budget (coloured by C) its runs and, with a vertex, its parabola (dashed when the
// budget was left out of the power law); the vertices of the used budgets as outlined diamonds and the optimum
// curve; one legend entry per budget (binned beyond kMaxGroups budgets), one for the vertices and one for the
// optimum.
Chart IsoflopChart(const IsoflopChartData& data);

// --- Hyperparameter laws (scalelaw fit-hparams) ---

struct HparamChartData {
  std::string title = "Optimal learning rate";
  std::string x_label = "parameters N";
  std::string y_label = "optimal peak learning rate";
  // One point per cell: x (e.g. N), y (the cell's best value) and optionally the group (e.g. D; empty: one
  // group) by which points are coloured and a law line is drawn.
  std::vector<double> x, y, group;
  std::string group_name = "D";  // legend entries read "D = 2e10"
  // The fitted law y = law(x, group) (group is 0 without groups); empty: no line.
  std::function<double(double x, double group)> law;
  std::string law_label = "fitted power law";
};

// The law lines of a hyperparameter chart: for each group (at most kMaxGroups; a binned group uses the bin's
// geometric-mean group value, the curve's value), or once without groups, the law at 60 values of x log-spaced
// over the x range of all points widened by a factor 1.25 each side. Empty without a law or points.
std::vector<LossCurve> HparamLawLines(const HparamChartData& data);

// Both axes log; points coloured by group, and the law lines of HparamLawLines in the groups' colours.
Chart HparamChart(const HparamChartData& data);

}  // namespace scalelaw::plot
