// The charts of the ladder, sweep design, validation and recipe comparison: see analysis_charts.h.
#include "plot/analysis_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "scalelaw/error.h"

namespace scalelaw::plot {
namespace {

constexpr int kCurvePoints = 120;
// The ladder's charts are wider than the default: their titles name the law and the paper.
constexpr int kLadderWidth = 860;

// n values from lo to hi, evenly on a log scale (log) or a linear one.
std::vector<double> Spaced(double lo, double hi, int n, bool log) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / (n - 1);
    out.push_back(log ? lo * std::pow(hi / lo, t) : lo + (hi - lo) * t);
  }
  return out;
}

Series Points(std::string label, Color color, std::vector<double> x, std::vector<double> y, double radius = 3.5) {
  Series s;
  s.kind = SeriesKind::kScatter;
  s.label = std::move(label);
  s.color = color;
  s.x = std::move(x);
  s.y = std::move(y);
  s.width = radius;
  return s;
}

Series Curve(std::string label, Color color, std::vector<double> x, std::vector<double> y, double width = 1.6) {
  Series s;
  s.label = std::move(label);
  s.color = color;
  s.x = std::move(x);
  s.y = std::move(y);
  s.width = width;
  return s;
}

// A marked point: a large outlined marker.
Series Marked(std::string label, Color color, Marker marker, double x, double y) {
  Series s = Points(std::move(label), color, {x}, {y}, 6);
  s.marker = marker;
  s.outlined = true;
  return s;
}

constexpr Color kRed{0xd6, 0x27, 0x28};
constexpr Color kBlue{0x1f, 0x77, 0xb4};

std::string ModelSize(double n) { return "N = " + ShortNumber(n); }

}  // namespace

LadderCharts MakeLadderCharts(const LadderSummary& s) {
  if (!s.IsUsable()) throw InvalidArgument("the ladder of " + s.task + " is not usable: " + s.message);
  const std::set<double> sizes(s.step1_params.begin(), s.step1_params.end());
  const double n_lo = *sizes.begin(), n_hi = *sizes.rbegin();
  const auto color_of = [&](double n) { return SequenceColor(LogPosition(n, n_lo, n_hi)); };
  const double target_flops = 6 * s.target_params * s.target_tokens;
  LadderCharts charts;

  // Step 1: task loss against C = 6ND.
  Chart& one = charts.step1;
  one.title = fmt::format("{} step 1: L = A/N^α + B/D^β + E (Bhagia et al. 2024, arXiv:2412.04403)", s.task);
  one.width = kLadderWidth;
  one.x = {"training compute C = 6ND (FLOPs)", Scale::kLog};
  one.y = {"task loss (bits per byte)", Scale::kLog};
  std::vector<double> flops;
  for (std::size_t i = 0; i < s.step1_params.size(); ++i) flops.push_back(6 * s.step1_params[i] * s.step1_tokens[i]);
  const double c_lo = *std::min_element(flops.begin(), flops.end()) / 2;
  const double c_hi = *std::max_element(flops.begin(), flops.end());
  for (double n : sizes) {
    std::vector<double> x = Spaced(c_lo, 2 * c_hi, kCurvePoints, true), y;
    for (double c : x) y.push_back(s.step1(n, c / (6 * n)));
    one.series.push_back(Curve("", color_of(n), std::move(x), std::move(y), 1.2));
  }
  {
    std::vector<double> x = Spaced(c_lo, std::max(2 * c_hi, target_flops * 1.5), kCurvePoints, true), y;
    for (double c : x) y.push_back(s.step1(s.target_params, c / (6 * s.target_params)));
    Series target_law = Curve(fmt::format("law at target N = {}", ShortNumber(s.target_params)), kBlack, std::move(x),
                              std::move(y), 1.6);
    target_law.dashed = true;
    one.series.push_back(std::move(target_law));
  }
  for (double n : sizes) {
    std::vector<double> x, y;
    for (std::size_t i = 0; i < s.step1_params.size(); ++i) {
      if (s.step1_params[i] != n) continue;
      x.push_back(flops[i]);
      y.push_back(s.step1_task_loss[i]);
    }
    one.series.push_back(Points(ModelSize(n), color_of(n), std::move(x), std::move(y), 4));
  }
  one.series.push_back(Marked(fmt::format("target predicted: {:.4f}", s.step1_prediction), kRed, Marker::kDiamond,
                              target_flops, s.step1_prediction));
  if (std::isfinite(s.actual_task_loss)) {
    one.series.push_back(Marked(fmt::format("target actual: {:.4f}", s.actual_task_loss), kBlue, Marker::kSquare,
                                target_flops, s.actual_task_loss));
  }
  one.shade = Shade{c_hi, std::numeric_limits<double>::infinity(), "beyond the ladder"};

  // Step 2: accuracy against task loss.
  Chart& two = charts.step2;
  two.title = fmt::format("{} step 2: Acc = a/(1 + e^(−k(L − L0))) + b (Bhagia et al. 2024, arXiv:2412.04403)", s.task);
  two.width = kLadderWidth;
  two.x = {"task loss L (bits per byte)", Scale::kLinear};
  two.y = {"accuracy", Scale::kLinear};
  double lo = s.step1_prediction, hi = s.step1_prediction;
  for (double v : s.step2_task_loss) lo = std::min(lo, v), hi = std::max(hi, v);
  if (std::isfinite(s.actual_smoothed_loss)) lo = std::min(lo, s.actual_smoothed_loss);
  const double pad = 0.05 * (hi - lo);
  {
    std::vector<double> x = Spaced(std::max(0.0, lo - pad), hi + pad, kCurvePoints, false), y;
    for (double v : x) y.push_back(s.step2_chained(v));
    two.series.push_back(Curve("fitted sigmoid", kBlack, std::move(x), std::move(y), 2.0));
    // The floor the sigmoid approaches as L grows: a + b (chance, when the fit finds it).
    Series floor = Curve(fmt::format("sigmoid floor a + b = {:.3f}", s.step2_chained.a + s.step2_chained.b), kGrey,
                         {std::max(0.0, lo - pad), hi + pad},
                         {s.step2_chained.a + s.step2_chained.b, s.step2_chained.a + s.step2_chained.b}, 1.0);
    floor.dashed = true;
    floor.sets_range = false;
    two.series.push_back(std::move(floor));
  }
  for (double n : sizes) {
    std::vector<double> x, y;
    for (std::size_t i = 0; i < s.step2_params.size(); ++i) {
      if (s.step2_params[i] != n) continue;
      x.push_back(s.step2_task_loss[i]);
      y.push_back(s.step2_accuracy[i]);
    }
    Series points = Points(ModelSize(n), color_of(n), std::move(x), std::move(y), 2.5);
    points.opacity = 0.7;
    two.series.push_back(std::move(points));
  }
  if (std::isfinite(s.chained_lower) && std::isfinite(s.chained_upper)) {
    two.series.push_back(Curve(
        fmt::format("{:.0f}% interval [{:.3f}, {:.3f}]", 100 * s.interval_level, s.chained_lower, s.chained_upper),
        kRed, {s.step1_prediction, s.step1_prediction}, {s.chained_lower, s.chained_upper}, 2.4));
  }
  two.series.push_back(Marked(fmt::format("target chained: {:.4f}", s.chained_prediction), kRed, Marker::kDiamond,
                              s.step1_prediction, s.chained_prediction));
  if (std::isfinite(s.actual_smoothed_loss) && std::isfinite(s.actual_accuracy)) {
    two.series.push_back(Marked(fmt::format("target actual: {:.4f}", s.actual_accuracy), kBlue, Marker::kSquare,
                                s.actual_smoothed_loss, s.actual_accuracy));
  }
  return charts;
}

SweepDesignCharts MakeSweepDesignCharts(const SweepDesignSummary& s) {
  const auto values = [&](const char* name) -> const std::vector<double>& {
    const auto it = s.refit_values.find(name);
    if (it == s.refit_values.end() || it->second.size() < 2) {
      throw InvalidArgument(fmt::format("the sweep design has {} usable refit(s): nothing to chart", s.refits_usable));
    }
    return it->second;
  };
  const std::vector<double>& n_opt = values("N_opt");
  const std::vector<double>& d_opt = values("D_opt");
  const std::vector<double>& loss = values("loss");
  SweepDesignCharts charts;

  Chart& refits = charts.refits;
  refits.title = fmt::format("{} simulated refits at C = {} (Chinchilla form, Hoffmann et al. 2022)", n_opt.size(),
                             ShortNumber(s.target_flops));
  refits.x = {"compute-optimal parameters N_opt at the target budget", Scale::kLog};
  // In the truth's units (nats per token for the registry's laws; a fit's own loss column otherwise).
  refits.y = {"loss L at the target budget", Scale::kLinear};
  Series cloud = Points(fmt::format("refits ({} of {})", n_opt.size(), s.simulations), kBlue, n_opt, loss, 2.5);
  cloud.opacity = 0.6;
  refits.series.push_back(std::move(cloud));
  const auto& n_ci = s.spread.at("N_opt").ci95;
  const auto& l_ci = s.spread.at("loss").ci95;
  const auto [n_min, n_max] = std::minmax_element(n_opt.begin(), n_opt.end());
  const auto [l_min, l_max] = std::minmax_element(loss.begin(), loss.end());
  for (double n : {n_ci.first, n_ci.second}) {
    Series line = Curve(
        n == n_ci.first ? fmt::format("95% of N_opt [{}, {}]", ShortNumber(n_ci.first), ShortNumber(n_ci.second)) : "",
        kGrey, {n, n}, {*l_min, *l_max}, 1.0);
    line.dashed = true;
    refits.series.push_back(std::move(line));
  }
  for (double l : {l_ci.first, l_ci.second}) {
    Series line = Curve(l == l_ci.first ? fmt::format("95% of loss [{:.3f}, {:.3f}]", l_ci.first, l_ci.second) : "",
                        Color{0x99, 0x66, 0x33}, {*n_min, *n_max}, {l, l}, 1.0);
    line.dashed = true;
    refits.series.push_back(std::move(line));
  }
  refits.series.push_back(Marked(fmt::format("truth ({}, {:.4f})", ShortNumber(s.true_optimum.params), s.true_loss),
                                 kRed, Marker::kDiamond, s.true_optimum.params, s.true_loss));

  Chart& plane = charts.design;
  plane.title =
      fmt::format("The sweep's {} runs and the next run (target C = {})", s.design.size(), ShortNumber(s.target_flops));
  plane.x = {"parameters N", Scale::kLog};
  plane.y = {"training tokens D", Scale::kLog};
  std::vector<double> all_n = n_opt;
  for (const SweepRun& run : s.design) all_n.push_back(run.params);
  for (const auto& c : s.candidates) all_n.push_back(c.run.params);
  const auto [lo, hi] = std::minmax_element(all_n.begin(), all_n.end());
  {
    std::vector<double> x = Spaced(*lo / 1.5, *hi * 1.5, 40, true), y;
    for (double n : x) y.push_back(s.target_flops / (6 * n));
    Series budget = Curve(fmt::format("target budget C = 6ND = {}", ShortNumber(s.target_flops)), kGrey, std::move(x),
                          std::move(y), 1.0);
    budget.dashed = true;
    budget.sets_range = false;
    plane.series.push_back(std::move(budget));
  }
  Series optima = Points("refits' (N_opt, D_opt)", kBlue, n_opt, d_opt, 2.2);
  optima.opacity = 0.5;
  plane.series.push_back(std::move(optima));
  {
    std::vector<double> x, y;
    for (const SweepRun& run : s.design) x.push_back(run.params), y.push_back(run.tokens);
    Series runs = Points(fmt::format("the sweep's runs ({})", s.design.size()), kBlack, std::move(x), std::move(y), 4);
    runs.marker = Marker::kSquare;
    plane.series.push_back(std::move(runs));
  }
  if (!s.candidates.empty()) {
    std::vector<double> x_helps, y_helps, x_other, y_other;
    for (const auto& c : s.candidates) {
      const bool helps = c.identifiable && c.shrink > 2 * c.shrink_se;
      (helps ? x_helps : x_other).push_back(c.run.params);
      (helps ? y_helps : y_other).push_back(c.run.tokens);
    }
    if (!x_helps.empty()) {
      plane.series.push_back(Points(fmt::format("candidates narrowing {}", SweepTargetName(s.target)),
                                    Color{0x2c, 0xa0, 0x2c}, std::move(x_helps), std::move(y_helps), 4));
    }
    if (!x_other.empty()) {
      Series other = Points("other candidates", Color{0x2c, 0xa0, 0x2c}, std::move(x_other), std::move(y_other), 4);
      other.opacity = 0.35;
      plane.series.push_back(std::move(other));
    }
    if (s.best_candidate >= 0) {
      const auto& best = s.candidates[static_cast<std::size_t>(s.best_candidate)];
      plane.series.push_back(
          Marked(fmt::format("next run: N {}, D {}", ShortNumber(best.run.params), ShortNumber(best.run.tokens)),
                 Color{0x2c, 0xa0, 0x2c}, Marker::kCircle, best.run.params, best.run.tokens));
    }
  }
  plane.series.push_back(
      Marked("truth's optimum", kRed, Marker::kDiamond, s.true_optimum.params, s.true_optimum.tokens));
  return charts;
}

Chart MakeValidationChart(const LeaveFutureOutSummary& summary) {
  if (summary.runs.empty()) throw InvalidArgument("the validation has no held-out run to chart");
  Chart chart;
  chart.title = fmt::format("Leave-future-out errors, split by {}", summary.split_by);
  chart.x.label = fmt::format("extrapolation distance ({} / threshold)", summary.split_by);
  chart.x.scale = Scale::kLog;
  chart.y.label = "relative error of the prediction (%)";
  double farthest = 1;
  for (std::size_t f = 0; f < summary.folds.size(); ++f) {
    Series inside, outside;
    inside.kind = outside.kind = SeriesKind::kScatter;
    inside.color = outside.color = CategoricalColor(f);
    inside.width = outside.width = 4;
    inside.label = fmt::format("fit on {} < {}", summary.split_by, ShortNumber(summary.folds[f].threshold));
    outside.outlined = true;
    for (const auto& run : summary.runs) {
      if (run.fold != static_cast<int>(f)) continue;
      Series& series = std::isfinite(run.lo) && !run.covered ? outside : inside;
      series.x.push_back(run.distance);
      series.y.push_back(100 * run.relative_error);
      farthest = std::max(farthest, run.distance);
    }
    if (!inside.x.empty()) chart.series.push_back(std::move(inside));
    if (!outside.x.empty()) chart.series.push_back(std::move(outside));
  }
  Series zero;
  zero.color = kGrey;
  zero.dashed = true;
  zero.x = {1, farthest};
  zero.y = {0, 0};
  zero.sets_range = false;
  chart.series.insert(chart.series.begin(), zero);
  return chart;
}

Chart MakeRecipeComparisonChart(const RecipeComparison& result, const std::vector<RecipeRun>& runs) {
  if (!result.IsUsable()) throw InvalidArgument("the comparison is not usable: " + result.message);
  const EstimateWithInterval& m = result.multiplier;
  Chart chart;
  chart.title = fmt::format("{} vs {}: compute multiplier {} (joint fit L = E + A·(C/C_ref)^−α)", result.recipe_b,
                            result.recipe_a, ShortNumber(m.value));
  chart.width = 820;
  chart.x = {"training compute C (FLOPs)", Scale::kLog};
  chart.y = {"final loss", Scale::kLog};
  std::vector<double> flops;
  for (const RecipeRun& run : runs) flops.push_back(run.Compute());
  const double c_ref = result.reference_flops;
  double lo = flops.empty() ? result.scale_flops / 100 : *std::min_element(flops.begin(), flops.end());
  double hi = flops.empty() ? result.scale_flops * 100 : *std::max_element(flops.begin(), flops.end());
  for (double c : {c_ref, m.value * c_ref, result.crossover_flops.value}) {
    if (std::isfinite(c) && c > 0) lo = std::min(lo, c), hi = std::max(hi, c);
  }
  const std::string names[2] = {result.recipe_a, result.recipe_b};
  for (int r = 0; r < 2; ++r) {
    const Color color = CategoricalColor(static_cast<std::size_t>(r));
    std::vector<double> x = Spaced(lo, hi, kCurvePoints, true), y;
    for (double c : x) y.push_back(result.Loss(r, c));
    chart.series.push_back(Curve(fmt::format("{}: joint law", names[r]), color, std::move(x), std::move(y), 1.8));
    std::vector<double> px, py;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].recipe != r) continue;
      px.push_back(flops[i]);
      py.push_back(runs[i].loss);
    }
    if (!px.empty()) {
      std::string label = fmt::format("{}: runs ({})", names[r], px.size());  // before px is moved from
      chart.series.push_back(Points(std::move(label), color, std::move(px), std::move(py), 3.5));
    }
  }
  // B reaches at C_ref the loss A needs m·C_ref for: a horizontal segment at L_B(C_ref).
  const double at = result.Loss(1, c_ref);
  const bool interval = std::isfinite(m.lo95) && std::isfinite(m.hi95);
  chart.series.push_back(
      Curve(fmt::format("m = {}{}", ShortNumber(m.value),
                        interval ? fmt::format(" (95% {}–{})", ShortNumber(m.lo95), ShortNumber(m.hi95)) : ""),
            kBlack, {c_ref, m.value * c_ref}, {at, at}, 2.4));
  chart.series.push_back(Points("", kBlack, {c_ref, m.value * c_ref}, {at, at}, 3));
  if (std::isfinite(result.crossover_flops.value)) {
    const double c = result.crossover_flops.value;
    chart.series.push_back(
        Marked(fmt::format("crossover C = {}", ShortNumber(c)), kRed, Marker::kDiamond, c, result.Loss(0, c)));
  }
  return chart;
}

}  // namespace scalelaw::plot
