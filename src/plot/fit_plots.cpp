// Chart builders for fits: see fit_plots.h.
#include "plot/fit_plots.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scalelaw/error.h"

namespace scalelaw::plot {
namespace {

bool PositiveFinite(double v) { return std::isfinite(v) && v > 0; }

// The distinct positive finite values, ascending (values within a relative 1e-9 count as one).
std::vector<double> Distinct(const std::vector<double>& values) {
  std::vector<double> v;
  for (double x : values) {
    if (PositiveFinite(x)) v.push_back(x);
  }
  std::sort(v.begin(), v.end());
  std::vector<double> out;
  for (double x : v) {
    if (out.empty() || x > out.back() * (1 + 1e-9)) out.push_back(x);
  }
  return out;
}

// Points grouped by a positive value (a model size, a budget): one group per distinct value, or kMaxGroups
// log-spaced bins when there are more. t is the colour position of the group's centre among all values.
struct Group {
  double center = 0;
  double t = 0.5;
  std::string label;
  std::vector<std::size_t> members;  // indices into the values
};

std::vector<Group> GroupByValue(const std::vector<double>& values, const std::string& name) {
  const std::vector<double> distinct = Distinct(values);
  if (distinct.empty()) return {};
  const double lo = distinct.front(), hi = distinct.back();
  const bool binned = distinct.size() > kMaxGroups;
  const std::size_t n_groups = binned ? kMaxGroups : distinct.size();
  auto group_of = [&](double v) -> std::size_t {
    if (!binned) {
      return static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), v * (1 - 1e-9)) -
                                      distinct.begin());
    }
    const double pos = std::log(v / lo) / std::log(hi / lo) * n_groups;
    return std::min(n_groups - 1, static_cast<std::size_t>(std::max(0.0, pos)));
  };
  std::vector<Group> groups(n_groups);
  std::vector<double> g_lo(n_groups, HUGE_VAL), g_hi(n_groups, 0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!PositiveFinite(values[i])) continue;
    const std::size_t g = group_of(values[i]);
    groups[g].members.push_back(i);
    g_lo[g] = std::min(g_lo[g], values[i]);
    g_hi[g] = std::max(g_hi[g], values[i]);
  }
  std::vector<Group> out;
  for (std::size_t g = 0; g < n_groups; ++g) {
    if (groups[g].members.empty()) continue;
    Group group = std::move(groups[g]);
    group.center = std::sqrt(g_lo[g] * g_hi[g]);
    group.t = LogPosition(group.center, lo, hi);
    group.label = g_hi[g] > g_lo[g] * (1 + 1e-9) ? name + " " + ShortNumber(g_lo[g]) + "–" + ShortNumber(g_hi[g])
                                                 : name + " = " + ShortNumber(g_lo[g]);
    out.push_back(std::move(group));
  }
  return out;
}

Series Scatter(const std::string& label, Color color, std::vector<double> x, std::vector<double> y) {
  Series s;
  s.kind = SeriesKind::kScatter;
  s.label = label;
  s.color = color;
  s.x = std::move(x);
  s.y = std::move(y);
  s.width = 3.6;
  return s;
}

Series Line(const std::string& label, Color color, std::vector<double> x, std::vector<double> y, double width) {
  Series s;
  s.kind = SeriesKind::kLine;
  s.label = label;
  s.color = color;
  s.x = std::move(x);
  s.y = std::move(y);
  s.width = width;
  return s;
}

// A series that only makes a legend entry (no data): used to order the legend independently of drawing.
Series LegendOnly(Series s) {
  s.x.clear();
  s.y.clear();
  s.lower.clear();
  s.upper.clear();
  return s;
}

const char* const kLossLabel = "loss (nats/token)";

}  // namespace

std::vector<double> LogSpace(double lo, double hi, int n) {
  std::vector<double> v;
  if (n < 2) return {lo};
  for (int i = 0; i < n; ++i) v.push_back(lo * std::pow(hi / lo, static_cast<double>(i) / (n - 1)));
  v.back() = hi;
  return v;
}

double MaxFlops(const std::vector<double>& params, const std::vector<double>& tokens) {
  double max = 0;
  for (std::size_t i = 0; i < std::min(params.size(), tokens.size()); ++i) {
    const double c = 6 * params[i] * tokens[i];
    if (PositiveFinite(c)) max = std::max(max, c);
  }
  return max;
}

double MinFlops(const std::vector<double>& params, const std::vector<double>& tokens) {
  double min = HUGE_VAL;
  for (std::size_t i = 0; i < std::min(params.size(), tokens.size()); ++i) {
    const double c = 6 * params[i] * tokens[i];
    if (PositiveFinite(c)) min = std::min(min, c);
  }
  return std::isfinite(min) ? min : 0;
}

std::vector<LossCurve> LawCurvesPerSize(const std::vector<double>& params, const std::vector<double>& tokens,
                                        const std::function<double(double, double)>& loss, double c_max,
                                        std::size_t max_curves, int points_per_curve) {
  const std::size_t n = std::min(params.size(), tokens.size());
  std::vector<double> sizes;
  for (std::size_t i = 0; i < n; ++i) {
    if (PositiveFinite(params[i]) && PositiveFinite(tokens[i])) sizes.push_back(params[i]);
  }
  std::vector<double> distinct = Distinct(sizes);
  if (distinct.empty() || !loss || !PositiveFinite(c_max) || max_curves == 0) return {};
  const double lo = distinct.front(), hi = distinct.back();
  if (distinct.size() > max_curves) {  // representatives spread evenly in log N
    std::vector<double> chosen;
    for (std::size_t j = 0; j < max_curves; ++j) {
      const double target = max_curves == 1 ? lo : lo * std::pow(hi / lo, static_cast<double>(j) / (max_curves - 1));
      const double best = *std::min_element(distinct.begin(), distinct.end(), [&](double a, double b) {
        return std::abs(std::log(a / target)) < std::abs(std::log(b / target));
      });
      if (chosen.empty() || best > chosen.back()) chosen.push_back(best);
    }
    distinct = std::move(chosen);
  }
  std::vector<LossCurve> curves;
  for (double size : distinct) {
    double c_min = HUGE_VAL;  // the smallest run at this size
    for (std::size_t i = 0; i < n; ++i) {
      if (PositiveFinite(tokens[i]) && std::abs(params[i] - size) <= 1e-9 * size) {
        c_min = std::min(c_min, 6 * params[i] * tokens[i]);
      }
    }
    c_min /= 4;
    if (!(c_min < c_max)) continue;
    LossCurve curve;
    curve.t_color = LogPosition(size, lo, hi);
    curve.value = size;
    curve.x = LogSpace(c_min, c_max, points_per_curve);
    for (double c : curve.x) curve.y.push_back(loss(size, c / (6 * size)));
    curves.push_back(std::move(curve));
  }
  return curves;
}

LossCurve FrontierCurve(const std::function<double(double)>& loss_opt, double c_min, double c_max,
                        const std::string& label, int points) {
  LossCurve curve;
  curve.label = label;
  if (!loss_opt || !PositiveFinite(c_min) || !PositiveFinite(c_max) || !(c_min < c_max)) return curve;
  curve.x = LogSpace(c_min, c_max, points);
  for (double c : curve.x) curve.y.push_back(loss_opt(c));
  return curve;
}

Chart LossVsComputeChart(const LossVsComputeData& data) {
  Chart chart;
  chart.title = data.title;
  chart.x = {"compute C = 6ND (FLOPs)", Scale::kLog};
  chart.y = {kLossLabel, data.log_loss ? Scale::kLog : Scale::kLinear};

  const Band& band = data.frontier_band;
  if (!band.x.empty()) {
    Series s;
    s.kind = SeriesKind::kBand;
    s.color = kBlack;
    s.opacity = 0.8;
    s.x = band.x;
    s.lower = band.lower;
    s.upper = band.upper;
    chart.series.push_back(s);
  }
  for (const LossCurve& curve : data.law_curves) {
    Series s = Line(curve.label, SequenceColor(curve.t_color), curve.x, curve.y, 1.2);
    s.opacity = 0.8;
    s.sets_range = false;
    chart.series.push_back(std::move(s));
  }
  const std::size_t n = std::min({data.params.size(), data.tokens.size(), data.loss.size()});
  const std::vector<double> sizes(data.params.begin(), data.params.begin() + n);
  for (const Group& g : GroupByValue(sizes, "N")) {
    std::vector<double> x, y;
    for (std::size_t i : g.members) {
      x.push_back(6 * data.params[i] * data.tokens[i]);
      y.push_back(data.loss[i]);
    }
    chart.series.push_back(Scatter(g.label, SequenceColor(g.t), std::move(x), std::move(y)));
  }
  if (!data.law_curves.empty()) chart.series.push_back(LegendOnly(Line("fitted law at each N", kGrey, {}, {}, 1.2)));
  if (!data.frontier.x.empty()) {
    const std::string label = data.frontier.label.empty() ? "compute-optimal L_opt(C)" : data.frontier.label;
    chart.series.push_back(Line(label, kBlack, data.frontier.x, data.frontier.y, 2.4));
  }
  if (!band.x.empty()) {
    Series s = chart.series.front();
    s.label = band.label.empty() ? "95% bootstrap interval" : band.label;
    chart.series.push_back(LegendOnly(std::move(s)));
  }
  const double observed = data.observed_max_flops == 0 ? MaxFlops(data.params, data.tokens) : data.observed_max_flops;
  if (PositiveFinite(observed)) {
    Shade shade;
    shade.x_min = observed;
    shade.label = data.extrapolation_label.empty() ? "extrapolation (C > " + ShortNumber(observed) + ")"
                                                   : data.extrapolation_label;
    chart.shade = shade;
  }
  return chart;
}

namespace {

// The runs of a diagnostic chart at (x[i], y[i]): the fitted runs as circles, the held-out runs as squares.
void AddRunsBySplit(const FitDiagnosticsData& data, const std::vector<double>& x, const std::vector<double>& y,
                    Chart* chart) {
  std::vector<double> fx, fy, hx, hy;
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
    const bool held = i < data.held_out.size() && data.held_out[i];
    (held ? hx : fx).push_back(x[i]);
    (held ? hy : fy).push_back(y[i]);
  }
  if (!fx.empty()) chart->series.push_back(Scatter(DiagnosticsRunsLabel(data, false), CategoricalColor(0), fx, fy));
  if (!hx.empty()) {
    Series held = Scatter(DiagnosticsRunsLabel(data, true), CategoricalColor(3), std::move(hx), std::move(hy));
    held.marker = Marker::kSquare;
    held.outlined = true;
    chart->series.push_back(std::move(held));
  }
}

std::string ResidualName(const FitDiagnosticsData& data) { return data.log_residual ? "ln y − ln ŷ" : "y − ŷ"; }

// "sigmoid fit, 16 runs (3 held out)".
std::string FitAndRuns(const FitDiagnosticsData& data) {
  std::size_t held = 0;
  for (bool h : data.held_out) held += h;
  std::string text = fmt::format("{}, {} runs", data.form, data.observed.size());
  if (held > 0) text += fmt::format(" ({} held out)", held);
  return text;
}

// The smallest and largest values of a and b that an axis of this scale can show; false when there are none.
bool ShownRange(const std::vector<double>& a, const std::vector<double>& b, bool log, double* lo, double* hi) {
  *lo = HUGE_VAL;
  *hi = -HUGE_VAL;
  for (const std::vector<double>* values : {&a, &b}) {
    for (double v : *values) {
      if (!std::isfinite(v) || (log && !(v > 0))) continue;
      *lo = std::min(*lo, v);
      *hi = std::max(*hi, v);
    }
  }
  return *lo <= *hi;
}

}  // namespace

std::string DiagnosticsRunsLabel(const FitDiagnosticsData& data, bool held_out) {
  std::size_t held = 0;
  for (bool h : data.held_out) held += h;
  const std::size_t count = held_out ? held : data.observed.size() - held;
  if (count == 0) return "";
  const double rms = held_out ? data.rms_held_out : data.rms_fitted;
  std::string label = fmt::format("{} ({})", held_out ? "held out" : held > 0 ? "fitted runs" : "runs", count);
  if (std::isfinite(rms)) label += fmt::format(", RMS {:.3g}", rms);
  return label;
}

Chart ObservedVsPredictedChart(const FitDiagnosticsData& data) {
  Chart chart;
  chart.title = "Observed vs predicted: " + FitAndRuns(data);
  const Scale scale = data.log_axes ? Scale::kLog : Scale::kLinear;
  chart.x = {"predicted " + data.y_label + " (ŷ)", scale};
  chart.y = {"observed " + data.y_label + " (y)", scale};
  double lo = 0, hi = 0;
  if (ShownRange(data.observed, data.predicted, data.log_axes, &lo, &hi)) {
    Series identity = Line("y = ŷ", kGrey, {lo, hi}, {lo, hi}, 1.2);
    identity.dashed = true;
    chart.series.push_back(std::move(identity));
    // One range on both axes, so that y = ŷ is the diagonal and a distance from it reads the same either way.
    const Range range = AxisRange(chart.x, {lo, hi});
    chart.x.min = chart.y.min = range.lo;
    chart.x.max = chart.y.max = range.hi;
  }
  AddRunsBySplit(data, data.predicted, data.observed, &chart);
  return chart;
}

Chart ResidualsChart(const FitDiagnosticsData& data) {
  Chart chart;
  chart.title = "Residuals: " + FitAndRuns(data);
  chart.x = {"predicted " + data.y_label + " (ŷ)", data.log_axes ? Scale::kLog : Scale::kLinear};
  chart.y = {(data.log_residual ? "log residual " : "residual ") + ResidualName(data) + " (observed − predicted)",
             Scale::kLinear};
  double lo = 0, hi = 0;
  if (ShownRange(data.predicted, {}, data.log_axes, &lo, &hi)) {
    Series zero = Line("", kGrey, {lo, hi}, {0.0, 0.0}, 1.2);
    zero.dashed = true;
    chart.series.push_back(std::move(zero));
  }
  AddRunsBySplit(data, data.predicted, data.residual, &chart);
  return chart;
}

Chart FitCurveChart(const FitDiagnosticsData& data) {
  if (data.input_label.empty()) {
    throw InvalidArgument("the fit reads more than one input: there is no single input to draw it against");
  }
  Chart chart;
  chart.title = data.title;
  chart.x = {data.input_label, data.log_input ? Scale::kLog : Scale::kLinear};
  chart.y = {data.y_label, data.log_axes ? Scale::kLog : Scale::kLinear};
  const Band& band = data.band;
  if (!band.x.empty()) {
    Series s;
    s.kind = SeriesKind::kBand;
    s.label = band.label.empty() ? "95% bootstrap interval" : band.label;
    s.color = kBlack;
    s.opacity = 0.8;
    s.x = band.x;
    s.lower = band.lower;
    s.upper = band.upper;
    s.sets_range = false;
    chart.series.push_back(std::move(s));
  }
  if (!data.curve.x.empty()) {
    Series law =
        Line(data.curve.label.empty() ? "fitted law" : data.curve.label, kBlack, data.curve.x, data.curve.y, 2.4);
    chart.series.push_back(std::move(law));
  }
  AddRunsBySplit(data, data.input, data.observed, &chart);
  return chart;
}

LossCurve IsoflopParabola(const IsoflopBudgetData& b, int points) {
  LossCurve parabola;
  parabola.value = b.flops;
  if (!b.has_vertex || !PositiveFinite(b.opt_params) || !std::isfinite(b.opt_loss) || !std::isfinite(b.curvature)) {
    return parabola;
  }
  double n_lo = b.opt_params, n_hi = b.opt_params;
  if (PositiveFinite(b.params_min) && PositiveFinite(b.params_max)) {
    n_lo = std::min(n_lo, b.params_min), n_hi = std::max(n_hi, b.params_max);
  } else {
    for (double n : b.params) {
      if (PositiveFinite(n)) n_lo = std::min(n_lo, n), n_hi = std::max(n_hi, n);
    }
  }
  parabola.x = LogSpace(n_lo / 1.25, n_hi * 1.25, points);
  for (double n : parabola.x) {
    const double u = std::log(n / b.opt_params);
    parabola.y.push_back(b.opt_loss + b.curvature * u * u);
  }
  return parabola;
}

Chart IsoflopChart(const IsoflopChartData& data) {
  Chart chart;
  chart.title = data.title;
  chart.x = {"parameters N", Scale::kLog};
  chart.y = {kLossLabel, data.log_loss ? Scale::kLog : Scale::kLinear};
  std::vector<double> budget_flops;
  for (const IsoflopBudgetData& b : data.budgets) budget_flops.push_back(b.flops);
  std::vector<Series> parabolas, points, optima;
  for (const Group& g : GroupByValue(budget_flops, "C")) {
    const Color color = SequenceColor(g.t);
    bool labelled = false;
    for (std::size_t k : g.members) {
      const IsoflopBudgetData& b = data.budgets[k];
      points.push_back(Scatter(labelled ? "" : g.label, color, b.params, b.loss));
      labelled = true;
      const LossCurve curve = IsoflopParabola(b);
      if (curve.x.empty()) continue;
      Series parabola = Line("", color, curve.x, curve.y, 1.4);
      parabola.dashed = !b.used;
      parabola.sets_range = false;
      parabolas.push_back(std::move(parabola));
      if (!b.used) continue;
      Series opt = Scatter("", color, {b.opt_params}, {b.opt_loss});
      opt.marker = Marker::kDiamond;
      opt.outlined = true;
      opt.width = 4.5;
      optima.push_back(std::move(opt));
    }
  }
  for (auto* list : {&parabolas, &points, &optima}) {
    for (Series& s : *list) chart.series.push_back(std::move(s));
  }
  if (!optima.empty()) {
    Series legend = Scatter("optimum (parabola vertex)", kGrey, {}, {});
    legend.marker = Marker::kDiamond;
    legend.outlined = true;
    legend.width = 4.5;
    chart.series.push_back(std::move(legend));
  }
  if (!data.optimum.x.empty()) {
    Series optimum = Line(data.optimum.label, kBlack, data.optimum.x, data.optimum.y, 1.3);
    optimum.dashed = true;
    chart.series.push_back(std::move(optimum));
  }
  return chart;
}

namespace {

// The groups of a hyperparameter chart's points: by group value, or one group of every point.
std::vector<Group> HparamGroups(const HparamChartData& data, bool* grouped) {
  const std::size_t n = std::min(data.x.size(), data.y.size());
  *grouped = data.group.size() >= n && n > 0 && !Distinct(data.group).empty();
  if (*grouped) return GroupByValue(std::vector<double>(data.group.begin(), data.group.begin() + n), data.group_name);
  Group all;
  all.label = "best run per cell";
  for (std::size_t i = 0; i < n; ++i) all.members.push_back(i);
  return {all};
}

}  // namespace

std::vector<LossCurve> HparamLawLines(const HparamChartData& data) {
  bool grouped = false;
  const std::vector<Group> groups = HparamGroups(data, &grouped);
  double x_lo = HUGE_VAL, x_hi = 0;
  for (std::size_t i = 0; i < std::min(data.x.size(), data.y.size()); ++i) {
    if (PositiveFinite(data.x[i]) && PositiveFinite(data.y[i]))
      x_lo = std::min(x_lo, data.x[i]), x_hi = std::max(x_hi, data.x[i]);
  }
  std::vector<LossCurve> lines;
  if (!data.law || !(x_lo <= x_hi)) return lines;
  for (const Group& g : groups) {
    LossCurve line;
    line.label = grouped ? "" : data.law_label;
    line.t_color = g.t;
    line.value = g.center;
    line.x = LogSpace(x_lo / 1.25, x_hi * 1.25, 60);
    for (double x : line.x) line.y.push_back(data.law(x, g.center));
    lines.push_back(std::move(line));
  }
  return lines;
}

Chart HparamChart(const HparamChartData& data) {
  Chart chart;
  chart.title = data.title;
  chart.x = {data.x_label, Scale::kLog};
  chart.y = {data.y_label, Scale::kLog};
  bool grouped = false;
  const std::vector<Group> groups = HparamGroups(data, &grouped);
  const std::vector<LossCurve> lines = HparamLawLines(data);
  for (const LossCurve& curve : lines) {
    Series line =
        Line(curve.label, grouped ? SequenceColor(curve.t_color) : CategoricalColor(0), curve.x, curve.y, 1.6);
    line.sets_range = false;
    chart.series.push_back(std::move(line));
  }
  for (const Group& g : groups) {
    std::vector<double> x, y;
    for (std::size_t i : g.members) {
      x.push_back(data.x[i]);
      y.push_back(data.y[i]);
    }
    chart.series.push_back(
        Scatter(g.label, grouped ? SequenceColor(g.t) : CategoricalColor(0), std::move(x), std::move(y)));
  }
  if (!lines.empty() && grouped) chart.series.push_back(LegendOnly(Line(data.law_label, kGrey, {}, {}, 1.6)));
  return chart;
}

}  // namespace scalelaw::plot
