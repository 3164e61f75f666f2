// The chart of a schedule design (scalelaw/curves/schedule_design.h): the optimised LR schedule against the cosine
// and best-WSD schedules it was compared with, each labelled with the law's predicted final loss. What `scalelaw
// curve schedule --plot` writes as SVG and what Python's scalelaw.plot.schedule_design draws with matplotlib, from
// the same data.
#pragma once

#include <string>
#include <vector>

#include "plot/svg_plot.h"
#include "scalelaw/curves/schedule_design.h"

namespace scalelaw::plot {

struct ScheduleLine {
  std::string name;   // "optimised", "cosine", "wsd-cosine", ...
  std::string label;  // the legend entry, with the final loss
  std::vector<double> steps, lr;
  double final_loss = 0;
};

struct ScheduleDesignChartData {
  std::string title;
  std::vector<ScheduleLine> lines;  // the optimised schedule first, then cosine, then the best WSD
  double peak = 0, min_lr = 0;
};

// The three schedules of summary (which must have its optimised schedule: InvalidArgument otherwise) at every
// step, so that the decay's knots and WSD's decay start are drawn where they are.
ScheduleDesignChartData MakeScheduleDesignChart(const ScheduleDesignSummary& summary);

// x = step, y = LR (linear); the optimised schedule as a thick dark line, cosine and WSD as thinner coloured ones.
Chart ScheduleDesignChart(const ScheduleDesignChartData& data);

}  // namespace scalelaw::plot
