#include "plot/schedule_charts.h"

#include <fmt/format.h>

#include "scalelaw/error.h"

namespace scalelaw::plot {

ScheduleDesignChartData MakeScheduleDesignChart(const ScheduleDesignSummary& summary) {
  if (summary.lr.empty()) throw InvalidArgument("schedule design chart: the design has no optimised schedule");
  ScheduleDesignChartData data;
  data.title = fmt::format("LR schedules for {} steps: predicted final loss", summary.steps);
  data.peak = summary.peak;
  data.min_lr = summary.min_lr;
  auto line = [](std::string name, std::string label, const std::vector<double>& lr, double final_loss) {
    ScheduleLine out;
    out.name = std::move(name);
    out.label = fmt::format("{} ({:.4f})", label, final_loss);
    out.final_loss = final_loss;
    out.lr = lr;
    out.steps.resize(lr.size());
    for (std::size_t s = 0; s < lr.size(); ++s) out.steps[s] = static_cast<double>(s);
    return out;
  };
  data.lines.push_back(line("optimised", "optimised", summary.lr, summary.final_loss));
  data.lines.push_back(line("cosine", "cosine", LrPerStep(summary.cosine.schedule), summary.cosine.final_loss));
  data.lines.push_back(line(
      summary.wsd.name,
      fmt::format("WSD {} {:.1f}%", DecayShapeName(summary.wsd.schedule.decay_shape), 100 * summary.wsd.decay_fraction),
      LrPerStep(summary.wsd.schedule), summary.wsd.final_loss));
  return data;
}

Chart ScheduleDesignChart(const ScheduleDesignChartData& data) {
  Chart chart;
  chart.title = data.title;
  chart.x.label = "step";
  chart.y.label = "learning rate";
  chart.y.min = 0;
  chart.y.max = data.peak * 1.05;
  // The baselines first, so that the optimised schedule is drawn on top.
  for (std::size_t i = data.lines.size(); i-- > 0;) {
    const ScheduleLine& l = data.lines[i];
    Series s;
    s.kind = SeriesKind::kLine;
    s.label = l.label;
    s.x = l.steps;
    s.y = l.lr;
    if (i == 0) {
      s.color = kBlack;
      s.width = 2.6;
    } else {
      s.color = CategoricalColor(i - 1);
      s.width = 1.6;
      s.dashed = i == 2;
    }
    chart.series.push_back(std::move(s));
  }
  return chart;
}

}  // namespace scalelaw::plot
