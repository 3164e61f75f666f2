#include "plot/curve_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scalelaw/error.h"

namespace scalelaw::plot {

namespace {

// The chart of curves, each predicted by forecast(curve, every).
template <typename Forecast>
CurveChartData MakeChart(const std::vector<TrainingCurve>& curves, const std::vector<std::string>& fitted, int points,
                         Forecast forecast) {
  if (curves.empty()) throw InvalidArgument("curve chart: no curves");
  CurveChartData data;
  for (const TrainingCurve& curve : curves) {
    CurveChartCurve out;
    out.name = curve.name;
    out.fitted = std::find(fitted.begin(), fitted.end(), curve.name) != fitted.end();
    out.color = static_cast<int>(data.curves.size());
    for (std::size_t i = 0; i < curve.steps.size() && i < curve.loss.size(); ++i) {
      out.observed_step.push_back(static_cast<double>(curve.steps[i]));
      out.observed_loss.push_back(curve.loss[i]);
    }
    const long total = static_cast<long>(curve.lr.size());
    const long every = std::max<long>(1, total / std::max(points, 2));
    const CurveForecast prediction = forecast(curve, every);
    // The law before the first logged step (the warmup, where S1 -> 0 and L -> infinity) is not what a reader
    // compares; the line starts at the first logged step, or 2% into a schedule only predicted.
    const long first = curve.steps.empty() ? total / 50 : curve.steps.front();
    for (std::size_t i = 0; i < prediction.steps.size(); ++i) {
      if (prediction.steps[i] < first) continue;
      out.step.push_back(static_cast<double>(prediction.steps[i]));
      out.lr.push_back(prediction.lr[i]);
      out.loss.push_back(prediction.loss[i]);
      if (prediction.HasInterval()) {
        out.lower.push_back(prediction.lower[i]);
        out.upper.push_back(prediction.upper[i]);
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
  return data;
}

// ", 6 fitted, 2 predicted" of a chart.
std::string CountsTitle(const CurveChartData& data) {
  int fitted = 0;
  for (const CurveChartCurve& curve : data.curves) fitted += curve.fitted ? 1 : 0;
  const int predicted = static_cast<int>(data.curves.size()) - fitted;
  std::string out = fmt::format("{} fitted", fitted);
  if (predicted > 0) out += fmt::format(", {} predicted", predicted);
  return out;
}

}  // namespace

CurveChartData MakeCurveChart(const CurveFitSummary& fit, const std::vector<TrainingCurve>& curves,
                              const std::vector<std::string>& fitted, int points) {
  CurveChartData data = MakeChart(curves, fitted, points, [&](const TrainingCurve& curve, long every) {
    return ForecastCurve(fit, curve.lr, every);
  });
  data.title = fmt::format("{} law, {}", CurveLawFormName(fit.form), CountsTitle(data));
  return data;
}

CurveChartData MakeCurveChart(const CurveSizeFitSummary& fit, const std::vector<TrainingCurve>& curves,
                              const std::vector<std::string>& fitted, int points) {
  std::vector<double> sizes;
  for (const TrainingCurve& curve : curves) {
    if (!(curve.params > 0 && std::isfinite(curve.params))) {
      throw InvalidArgument(fmt::format("curve chart: curve '{}' has no N (params) to predict it at", curve.name));
    }
    sizes.push_back(curve.params);
  }
  CurveChartData data = MakeChart(curves, fitted, points, [&](const TrainingCurve& curve, long every) {
    return ForecastCurveAtSize(fit, curve.params, curve.lr, every);
  });
  std::vector<double> distinct = sizes;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (std::size_t c = 0; c < data.curves.size(); ++c) {
    data.curves[c].color =
        static_cast<int>(std::lower_bound(distinct.begin(), distinct.end(), sizes[c]) - distinct.begin());
    data.curves[c].name += fmt::format(" (N {:.3g})", sizes[c]);
  }
  data.title =
      fmt::format("{} law across {} sizes, {}", CurveLawFormName(fit.form), distinct.size(), CountsTitle(data));
  return data;
}

Chart LossCurvesChart(const CurveChartData& data) {
  Chart chart;
  chart.title = "Loss curves: " + data.title;
  chart.x = {"step", Scale::kLinear};
  chart.y = {"loss", Scale::kLinear};
  for (std::size_t c = 0; c < data.curves.size(); ++c) {
    const CurveChartCurve& curve = data.curves[c];
    const Color color = CategoricalColor(static_cast<std::size_t>(curve.color));
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
    const Color color = CategoricalColor(static_cast<std::size_t>(curve.color));
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
    line.color = CategoricalColor(static_cast<std::size_t>(curve.color));
    line.x = curve.schedule_step;
    line.y = curve.schedule_lr;
    line.dashed = !curve.fitted;
    line.label = curve.name;
    chart.series.push_back(std::move(line));
  }
  return chart;
}

}  // namespace scalelaw::plot
