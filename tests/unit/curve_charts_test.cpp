// The chart data of a loss-curve fit (src/plot/curve_charts.h): what `curve fit --plot` and scalelaw.plot draw.
#include "plot/curve_charts.h"

#include <catch2/catch.hpp>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"

using namespace scalelaw;

namespace {

TrainingCurve Curve(const std::string& spec, const CurveLaw& law) {
  TrainingCurve curve;
  curve.name = spec.substr(0, spec.find(':'));
  curve.lr = LrPerStep(ParseLrSchedule(spec));
  for (long t = 250; t < static_cast<long>(curve.lr.size()); t += 50) curve.steps.push_back(t);
  curve.loss = CurveLoss(law, curve.lr, curve.steps);
  return curve;
}

}  // namespace

TEST_CASE("Curve charts: observed points, the law along each schedule, its band, and the schedules") {
  const CurveLaw truth = AsCurveLaw(AnnealingLaw{3.0, 0.5, 0.5, 0.4, 0.999});
  const std::vector<TrainingCurve> curves = {Curve("cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200", truth),
                                             Curve("constant:peak=1e-3,steps=4000,warmup=200", truth),
                                             Curve("linear:peak=1e-3,end=1e-4,steps=6000,warmup=200", truth)};
  CurveFitOptions options;
  options.bootstrap_resamples = 5;
  const CurveFitSummary fit =
      FitCurveLaw(CurveLawForm::kAnnealing, {curves[0], curves[1]}, options);  // linear is held out
  REQUIRE(fit.IsUsable());
  const plot::CurveChartData data = plot::MakeCurveChart(fit, curves, fit.curve_names, 100);
  REQUIRE(data.curves.size() == 3);
  CHECK(data.title == "annealing law, 2 fitted, 1 predicted");
  CHECK(data.curves[0].fitted);
  CHECK_FALSE(data.curves[2].fitted);
  for (const plot::CurveChartCurve& c : data.curves) {
    INFO(c.name);
    CHECK(c.observed_step.front() == 250);
    CHECK(c.step.front() >= 250);  // the law is drawn from the first logged step, not through the warmup
    CHECK(c.step.back() == c.schedule_step.back());
    CHECK(c.lower.size() == c.step.size());
  }
  // the held-out curve's line is the law's prediction of its schedule (noise-free data: the truth's)
  const plot::CurveChartCurve& held_out = data.curves[2];
  CHECK(held_out.step.back() == 5999);
  CHECK(held_out.loss.back() == Approx(CurveLoss(truth, curves[2].lr, {5999})[0]).epsilon(1e-6));
  CHECK(held_out.schedule_lr.front() == 0);
  CHECK(held_out.schedule_lr.back() == curves[2].lr.back());

  const plot::Chart loss = plot::LossCurvesChart(data);
  int lines = 0, bands = 0, dashed = 0;
  for (const plot::Series& s : loss.series) {
    lines += s.kind == plot::SeriesKind::kLine;
    bands += s.kind == plot::SeriesKind::kBand;
    dashed += s.dashed;
  }
  CHECK(lines == 3);
  CHECK(bands == 3);
  CHECK(dashed == 1);
  CHECK(plot::LrSchedulesChart(data).series.size() == 3);
  CHECK(plot::RenderSvg(loss).find("linear (predicted)") != std::string::npos);

  CHECK_THROWS_AS(plot::MakeCurveChart(fit, {}, {}), InvalidArgument);
}
