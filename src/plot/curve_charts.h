// The charts of a loss-curve fit (scalelaw/curves/curve_fit.h): observed against predicted loss curves per
// schedule (and, for a fit across sizes, per model size), with the bootstrap's 95% band, and the LR schedules. What
// `scalelaw curve fit|predict --plot` writes as SVG (svg_plot.h) and what Python's scalelaw.plot(curve_fit, data) draws
// with matplotlib (python/module.cpp), from one computation.
#pragma once

#include <string>
#include <vector>

#include "plot/svg_plot.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_size_fit.h"

namespace scalelaw::plot {

struct CurveChartCurve {
  std::string name;
  bool fitted = false;                // the fit saw this curve (else it is predicted from its schedule)
  std::vector<double> observed_step;  // the logged points (empty for a schedule only predicted)
  std::vector<double> observed_loss;
  std::vector<double> step, lr, loss;  // the law along the schedule, from the first logged step (else 2% of T)
  std::vector<double> lower, upper;    // the 95% band of the fit's resamples (empty without a bootstrap)
  std::vector<double> schedule_step, schedule_lr;  // the whole schedule, for the LR chart
  int color = 0;  // the index of its colour (CategoricalColor): its position, or its size's across sizes
};

struct CurveChartData {
  std::string title;  // "multi-power law: 3 fitted curves, 6 predicted"
  std::vector<CurveChartCurve> curves;
};

// The chart data of fit on curves (those named in fitted are marked as fitted), each predicted at about `points`
// steps (ForecastCurve) from its first logged step to its schedule's end. Throws InvalidArgument when the fit has
// no parameters, no curve is given, or a curve cannot be evaluated.
CurveChartData MakeCurveChart(const CurveFitSummary& fit, const std::vector<TrainingCurve>& curves,
                              const std::vector<std::string>& fitted, int points = 300);

// The chart data of a fit across sizes (CurveSizeFitSummary) on curves, each predicted at its own N
// (TrainingCurve::params; ForecastCurveAtSize, with the resamples' band when bootstrapped) and named with its N,
// one colour per distinct N. Throws InvalidArgument also for a curve without a positive N.
CurveChartData MakeCurveChart(const CurveSizeFitSummary& fit, const std::vector<TrainingCurve>& curves,
                              const std::vector<std::string>& fitted, int points = 300);

// Loss against step: each curve's observed points, the law's prediction (solid for fitted curves, dashed for
// predicted ones) and its band, one colour per curve.
Chart LossCurvesChart(const CurveChartData& data);
// The LR schedules, one line per curve in the same colours.
Chart LrSchedulesChart(const CurveChartData& data);

}  // namespace scalelaw::plot
