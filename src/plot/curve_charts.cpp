#include "plot/curve_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scalelaw/error.h"

namespace scalelaw::plot {

CurveChartData MakeCurveChart(const CurveFitSummary& fit, const std::vector<TrainingCurve>& curves,
                              const std::vector<std::string>& fitted, int points) {
  if (curves.empty()) throw InvalidArgument("curve chart: no curves");
  CurveChartData data;
  int fitted_count = 0;
  for (const TrainingCurve& curve : curves) {
    CurveChartCurve out;
    out.name = curve.name;
    out.fitted = std::find(fitted.begin(), fitted.end(), curve.name) != fitted.end();
    fitted_count += out.fitted ? 1 : 0;
    for (std::size_t i = 0; i < curve.steps.size() && i < curve.loss.size(); ++i) {
      out.observed_step.push_back(static_cast<double>(curve.steps[i]));
      out.observed_loss.push_back(curve.loss[i]);
    }
    const long total = static_cast<long>(curve.lr.size());
    const long every = std::max<long>(1, total / std::max(points, 2));
    const CurveForecast forecast = ForecastCurve(fit, curve.lr, every);
    // The law before the first logged step (the warmup, where S1 -> 0 and L -> infinity) is not what a reader
    // compares; the line starts at the first logged step, or 2% into a schedule only predicted.
    const long first = curve.steps.empty() ? total / 50 : curve.steps.front();
    for (std::size_t i = 0; i < forecast.steps.size(); ++i) {
      if (forecast.steps[i] < first) continue;
      out.step.push_back(static_cast<double>(forecast.steps[i]));
      out.lr.push_back(forecast.lr[i]);
      out.loss.push_back(forecast.loss[i]);
      if (forecast.HasInterval()) {
        out.lower.push_back(forecast.lower[i]);
        out.upper.push_back(forecast.upper[i]);
      }
    }
    for (long k = 0; k < total; k += every) {
      out.schedule_step.push_back(static_cast<double>(k));
      out.schedule_lr.push_back(curve.lr[static_cast<std::size_t>(k)]);
    }
    out.schedule_step.push_back(static_cast<double>(total - 1));
    out.schedule_lr.push_back(curve.lr.back());
    data.curves.push_back(std::move(out));
  }
  const int predicted = static_cast<int>(curves.size()) - fitted_count;
  data.title = fmt::format("{} law, {} fitted", CurveLawFormName(fit.form), fitted_count);
  if (predicted > 0) data.title += fmt::format(", {} predicted", predicted);
  return data;
}

Chart LossCurvesChart(const CurveChartData& data) {
  Chart chart;
  chart.title = "Loss curves: " + data.title;
  chart.x = {"step", Scale::kLinear};
  chart.y = {"loss", Scale::kLinear};
  for (std::size_t c = 0; c < data.curves.size(); ++c) {
    const CurveChartCurve& curve = data.curves[c];
    const Color color = CategoricalColor(c);
    if (!curve.lower.empty()) {
      Series band;
      band.kind = SeriesKind::kBand;
      band.color = color;
      band.x = curve.step;
      band.lower = curve.lower;
      band.upper = curve.upper;
      band.label = c == 0 ? "95% bootstrap band" : "";
      chart.series.push_back(std::move(band));
    }
  }
  for (std::size_t c = 0; c < data.curves.size(); ++c) {
    const CurveChartCurve& curve = data.curves[c];
    const Color color = CategoricalColor(c);
    if (!curve.observed_step.empty()) {
      Series observed;
      observed.kind = SeriesKind::kScatter;
      observed.color = color;
      observed.x = curve.observed_step;
      observed.y = curve.observed_loss;
      observed.width = 1.6;
      observed.opacity = 0.6;
      chart.series.push_back(std::move(observed));
    }
    Series law;
    law.kind = SeriesKind::kLine;
    law.color = color;
    law.x = curve.step;
    law.y = curve.loss;
    law.dashed = !curve.fitted;
    law.label = curve.name + (curve.fitted ? " (fitted)" : " (predicted)");
    chart.series.push_back(std::move(law));
  }
  return chart;
}

Chart LrSchedulesChart(const CurveChartData& data) {
  Chart chart;
  chart.title = "LR schedules: " + data.title;
  chart.x = {"step", Scale::kLinear};
  chart.y = {"learning rate", Scale::kLinear};
  for (std::size_t c = 0; c < data.curves.size(); ++c) {
    const CurveChartCurve& curve = data.curves[c];
    Series line;
    line.kind = SeriesKind::kLine;
    line.color = CategoricalColor(c);
    line.x = curve.schedule_step;
    line.y = curve.schedule_lr;
    line.dashed = !curve.fitted;
    line.label = curve.name;
    chart.series.push_back(std::move(line));
  }
  return chart;
}

}  // namespace scalelaw::plot
