// The charts of the ladder, validation and recipe comparison (plot/analysis_charts.h) and the SVG grid that lays
// several charts out in one document (plot/svg_plot.h).
#include "plot/analysis_charts.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "scalelaw/error.h"

namespace {

using scalelaw::plot::Chart;
using scalelaw::plot::Series;
using scalelaw::plot::SeriesKind;

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

const Series* Labelled(const Chart& chart, const std::string& prefix) {
  for (const Series& s : chart.series) {
    if (s.label.rfind(prefix, 0) == 0) return &s;
  }
  return nullptr;
}

// Task losses from a known Chinchilla-form law and accuracies from a known sigmoid of them, on 4 sizes x 2 token
// budgets of 20 checkpoints each.
scalelaw::LadderTask SyntheticLadder() {
  const auto loss = [](double n, double d) { return 0.5 + 40 / std::pow(n, 0.25) + 60 / std::pow(d, 0.25); };
  const auto accuracy = [](double l) { return -0.75 / (1 + std::exp(-3 * (l - 1.2))) + 1; };
  scalelaw::LadderTask task;
  task.name = "synthetic";
  task.chance = 0.25;
  for (double n : {1e8, 2e8, 4e8, 8e8}) {
    for (double multiple : {1.0, 4.0}) {
      scalelaw::LadderRun run;
      run.name = std::to_string(n);
      run.params = n;
      for (int i = 1; i <= 20; ++i) {
        const double d = 20 * n * multiple * i / 20;
        run.tokens.push_back(d);
        run.task_loss.push_back(loss(n, d));
        run.accuracy.push_back(accuracy(loss(n, d)));
      }
      task.runs.push_back(run);
    }
  }
  task.target.params = 7e9;
  task.target.tokens = {1.4e11};
  return task;
}

}  // namespace

TEST_CASE("A grid nests each chart at its cell with a clip path of its own", "[analysis_charts]") {
  Chart a, b, c;
  for (Chart* chart : {&a, &b, &c}) {
    Series s;
    s.x = {1, 2};
    s.y = {2, 1};
    chart->series.push_back(s);
  }
  b.width = 860;
  const std::string svg = scalelaw::plot::RenderSvgGrid({a, b, c}, 2);
  CHECK(Count(svg, "<?xml") == 1);
  CHECK(svg.find("width=\"1720\" height=\"960\"") != std::string::npos);  // 2 cells of the widest, 2 rows
  CHECK(svg.find("<svg x=\"0\" y=\"0\"") != std::string::npos);
  CHECK(svg.find("<svg x=\"860\" y=\"0\"") != std::string::npos);
  CHECK(svg.find("<svg x=\"0\" y=\"480\"") != std::string::npos);
  for (const char* id : {"plot-area-0", "plot-area-1", "plot-area-2"}) {
    CHECK(Count(svg, std::string("id=\"") + id + "\"") == 1);
    CHECK(Count(svg, std::string("url(#") + id + ")") == 2);  // the gridlines' group and the data's
  }
  CHECK(Count(svg, "plot-area\"") == 0);
  CHECK_THROWS_AS(scalelaw::plot::RenderSvgGrid({}, 2), scalelaw::InvalidArgument);
}

TEST_CASE("The ladder's charts show the points each step was fitted on and the target", "[analysis_charts]") {
  const scalelaw::LadderTask task = SyntheticLadder();
  const scalelaw::LadderSummary summary = scalelaw::FitLadder(task);
  REQUIRE(summary.IsUsable());
  const scalelaw::plot::LadderCharts charts = scalelaw::plot::MakeLadderCharts(summary);

  // Step 1: one point per run at (6 N D_last, mean of its last 5 task losses), one colour (series) per size.
  std::vector<std::pair<double, double>> drawn;
  for (const Series& s : charts.step1.series) {
    if (s.kind == SeriesKind::kScatter && s.label.rfind("N = ", 0) == 0) {
      for (std::size_t i = 0; i < s.x.size(); ++i) drawn.emplace_back(s.x[i], s.y[i]);
    }
  }
  REQUIRE(drawn.size() == task.runs.size());
  for (std::size_t r = 0; r < task.runs.size(); ++r) {
    const scalelaw::LadderRun& run = task.runs[r];
    double tail = 0;
    for (std::size_t i = run.task_loss.size() - 5; i < run.task_loss.size(); ++i) tail += run.task_loss[i] / 5;
    const double c = 6 * run.params * run.tokens.back();
    bool found = false;
    for (const auto& [x, y] : drawn) found = found || (x == Approx(c).epsilon(1e-12) && y == Approx(tail));
    CHECK(found);
  }
  const Series* predicted = Labelled(charts.step1, "target predicted");
  REQUIRE(predicted != nullptr);
  CHECK(predicted->x[0] == Approx(6 * 7e9 * 1.4e11));
  CHECK(predicted->y[0] == Approx(summary.step1(7e9, 1.4e11)));
  CHECK(charts.step1.shade.has_value());
  CHECK(charts.step1.title.find("arXiv:2412.04403") != std::string::npos);

  // Step 2: every checkpoint after the first 10% of each run (2 of 20), smoothed: 18 per run.
  std::size_t points = 0;
  for (const Series& s : charts.step2.series) {
    if (s.kind == SeriesKind::kScatter && s.label.rfind("N = ", 0) == 0) points += s.x.size();
  }
  CHECK(points == task.runs.size() * 18);
  const Series* chained = Labelled(charts.step2, "target chained");
  REQUIRE(chained != nullptr);
  CHECK(chained->x[0] == Approx(summary.step1_prediction));
  CHECK(chained->y[0] == Approx(summary.chained_prediction));
  CHECK(Labelled(charts.step2, "90% interval") == nullptr);  // not bootstrapped: no interval drawn

  scalelaw::LadderSummary unusable;
  CHECK_THROWS_AS(scalelaw::plot::MakeLadderCharts(unusable), scalelaw::InvalidArgument);
}

TEST_CASE("The comparison's multiplier segment joins B at C to A at m C, at one loss", "[analysis_charts]") {
  std::vector<scalelaw::RecipeRun> runs;
  for (int i = 0; i < 7; ++i) {
    const double c = 1e17 * std::pow(10.0, 0.5 * i);
    runs.push_back({0, 0, c, 1.8 + 1.3 * std::pow(c / 1e19, -0.15), 0});
    runs.push_back({0, 0, c, 1.8 + 1.3 * std::pow(2.5 * c / 1e19, -0.15), 1});  // B has A's loss at 2.5 C
  }
  scalelaw::RecipeComparisonOptions options;
  options.bootstrap_resamples = 0;
  const scalelaw::RecipeComparison result = scalelaw::CompareRecipes(runs, "a", "b", options);
  REQUIRE(result.IsUsable());
  const Chart chart = scalelaw::plot::MakeRecipeComparisonChart(result, runs);
  const Series* segment = Labelled(chart, "m = ");
  REQUIRE(segment != nullptr);
  CHECK(segment->x[1] / segment->x[0] == Approx(2.5).epsilon(1e-4));
  CHECK(segment->y[0] == Approx(result.Loss(1, segment->x[0])));
  CHECK(segment->y[1] == Approx(result.Loss(0, segment->x[1])).epsilon(1e-6));  // A's loss at m C: the same
  const Series* a_runs = Labelled(chart, "a: runs (7)");
  REQUIRE(a_runs != nullptr);
  CHECK(a_runs->x.size() == 7);
}

TEST_CASE("The validation chart has one point per held-out prediction, outlined outside its interval",
          "[analysis_charts]") {
  scalelaw::LeaveFutureOutSummary summary;
  summary.split_by = "C";
  summary.folds.resize(2);
  summary.folds[0].threshold = 1e19;
  summary.folds[1].threshold = 1e20;
  for (int i = 0; i < 5; ++i) {
    scalelaw::LeaveFutureOutSummary::HeldOutRun run;
    run.fold = i % 2;
    run.distance = 1 + i;
    run.relative_error = 0.01 * (i - 2);
    run.lo = 1;
    run.covered = i != 3;
    summary.runs.push_back(run);
  }
  const Chart chart = scalelaw::plot::MakeValidationChart(summary);
  std::size_t points = 0, outlined = 0;
  for (const Series& s : chart.series) {
    if (s.kind != SeriesKind::kScatter) continue;
    points += s.x.size();
    if (s.outlined) outlined += s.x.size();
  }
  CHECK(points == 5);
  CHECK(outlined == 1);
  CHECK(Labelled(chart, "fit on C < 1e19") != nullptr);
  CHECK_THROWS_AS(scalelaw::plot::MakeValidationChart(scalelaw::LeaveFutureOutSummary{}), scalelaw::InvalidArgument);
}
