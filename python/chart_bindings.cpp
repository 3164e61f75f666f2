// The charts of the ladder, sweep design, validation and recipe comparison (src/plot/analysis_charts.h) for
// Python's scalelaw.plot: each plot::Chart the CLI's --plot renders as SVG, handed over as plain data (title, axes,
// series) that python/scalelaw/plot.py draws with matplotlib. Nothing is computed here or there.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "array_values.h"
#include "plot/analysis_charts.h"
#include "scalelaw/error.h"

namespace py = pybind11;

namespace {

using scalelaw::python::DoubleArray;
using scalelaw::python::Values;

// NaN and infinities as None (matplotlib leaves a gap there, as RenderSvg does).
py::list Numbers(const std::vector<double>& values) {
  py::list out;
  for (double v : values) out.append(std::isfinite(v) ? py::object(py::float_(v)) : py::object(py::none()));
  return out;
}

py::dict AxisDict(const scalelaw::plot::Axis& axis) {
  py::dict out;
  out["label"] = axis.label;
  out["log"] = axis.scale == scalelaw::plot::Scale::kLog;
  return out;
}

// A chart as {"title", "x", "y", "series": [...], "shade"}: each series with its kind ("line", "scatter", "band"),
// label, colour ("#rrggbb"), x, y (lower, upper for a band), width (line width or marker radius in pixels), dashed,
// marker ("circle", "square", "diamond"), outlined, opacity and sets_range.
py::dict ChartDict(const scalelaw::plot::Chart& chart) {
  using scalelaw::plot::Marker;
  using scalelaw::plot::SeriesKind;
  py::dict out;
  out["title"] = chart.title;
  out["x"] = AxisDict(chart.x);
  out["y"] = AxisDict(chart.y);
  py::list series;
  for (const scalelaw::plot::Series& s : chart.series) {
    py::dict d;
    d["kind"] = s.kind == SeriesKind::kLine ? "line" : s.kind == SeriesKind::kScatter ? "scatter" : "band";
    d["label"] = s.label;
    d["color"] = s.color.Hex();
    d["x"] = Numbers(s.x);
    d["y"] = Numbers(s.y);
    d["lower"] = Numbers(s.lower);
    d["upper"] = Numbers(s.upper);
    d["width"] = s.width;
    d["dashed"] = s.dashed;
    d["marker"] = s.marker == Marker::kCircle ? "circle" : s.marker == Marker::kSquare ? "square" : "diamond";
    d["outlined"] = s.outlined;
    d["opacity"] = s.opacity;
    d["sets_range"] = s.sets_range;
    series.append(d);
  }
  out["series"] = series;
  if (chart.shade) {
    py::dict shade;
    shade["x_min"] = chart.shade->x_min;
    shade["x_max"] = chart.shade->x_max;
    shade["label"] = chart.shade->label;
    shade["color"] = chart.shade->color.Hex();
    shade["opacity"] = chart.shade->opacity;
    out["shade"] = shade;
  } else {
    out["shade"] = py::none();
  }
  return out;
}

// [{"task", "step1", "step2"}] for the usable tasks, in order.
py::list LadderCharts(const std::vector<scalelaw::LadderSummary>& results) {
  py::list out;
  for (const scalelaw::LadderSummary& s : results) {
    if (!s.IsUsable()) continue;
    const scalelaw::plot::LadderCharts charts = scalelaw::plot::MakeLadderCharts(s);
    py::dict d;
    d["task"] = s.task;
    d["step1"] = ChartDict(charts.step1);
    d["step2"] = ChartDict(charts.step2);
    out.append(d);
  }
  return out;
}

py::list SweepDesignCharts(const scalelaw::SweepDesignSummary& summary) {
  const scalelaw::plot::SweepDesignCharts charts = scalelaw::plot::MakeSweepDesignCharts(summary);
  py::list out;
  out.append(ChartDict(charts.refits));
  out.append(ChartDict(charts.design));
  return out;
}

// The validation's JSON (LeaveFutureOutToJson, Python's ValidationResult.to_dict()) back to what the chart reads:
// the split, each fold's threshold and each held-out run's fold, distance, relative error, interval and coverage.
py::dict ValidationChart(const std::string& json) {
  scalelaw::LeaveFutureOutSummary summary;
  try {
    const nlohmann::json data = nlohmann::json::parse(json);
    summary.split_by = data.at("split_by").get<std::string>();
    for (const auto& fold : data.at("folds")) {
      scalelaw::LeaveFutureOutSummary::Fold f;
      f.threshold = fold.at("threshold").get<double>();
      summary.folds.push_back(f);
    }
    for (const auto& run : data.at("runs")) {
      scalelaw::LeaveFutureOutSummary::HeldOutRun r;
      r.fold = run.at("fold").get<int>();
      r.distance = run.at("distance").get<double>();
      r.relative_error = run.at("relative_error").get<double>();
      r.lo = run.at("lo").is_number() ? run.at("lo").get<double>() : std::nan("");
      r.covered = run.at("covered").get<bool>();
      summary.runs.push_back(r);
    }
  } catch (const nlohmann::json::exception& e) {
    throw scalelaw::InvalidArgument(std::string("not a validation result (ValidationResult.to_dict()): ") + e.what());
  }
  return ChartDict(scalelaw::plot::MakeValidationChart(summary));
}

py::dict RecipeChart(const scalelaw::RecipeComparison& result, std::optional<DoubleArray> params,
                     std::optional<DoubleArray> tokens, std::optional<DoubleArray> flops,
                     std::optional<DoubleArray> loss, const std::vector<int>& recipe) {
  const std::vector<double> n = Values(params), d = Values(tokens), c = Values(flops), y = Values(loss);
  std::vector<scalelaw::RecipeRun> runs(y.size());
  if (recipe.size() != y.size() || (c.empty() && (n.size() != y.size() || d.size() != y.size())) ||
      (!c.empty() && c.size() != y.size())) {
    throw scalelaw::InvalidArgument("the runs' columns and recipes are of different lengths");
  }
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (c.empty()) {
      runs[i].params = n[i];
      runs[i].tokens = d[i];
    } else {
      runs[i].flops = c[i];
    }
    runs[i].loss = y[i];
    runs[i].recipe = recipe[i];
  }
  return ChartDict(scalelaw::plot::MakeRecipeComparisonChart(result, runs));
}

}  // namespace

void BindAnalysisCharts(py::module_& m) {
  m.def("_ladder_charts", &LadderCharts, py::arg("results"),
        "The two charts (step 1, step 2) of each usable task, as the CLI's `ladder --plot` draws them");
  m.def("_sweep_design_charts", &SweepDesignCharts, py::arg("result"),
        "The refits at the target budget and the design's (N, D) plane, as `design --plot` draws them");
  m.def("_validation_chart", &ValidationChart, py::arg("json"),
        "The held-out runs' errors against extrapolation distance, as `validate --plot` draws them");
  m.def("_recipe_chart", &RecipeChart, py::arg("result"), py::arg("params"), py::arg("tokens"), py::arg("flops"),
        py::arg("loss"), py::arg("recipe"), "Both recipes' runs and laws with the multiplier, as `compare --plot`");
}
