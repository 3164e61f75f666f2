// The SVG chart writer: see svg_plot.h.
#include "plot/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "io/read_file.h"
#include "scalelaw/error.h"

namespace scalelaw::plot {
namespace {

// Text sizes (pixels) and the width of an average character relative to its size, for sans-serif fonts. The
// estimate sizes the margins and the legend; it errs on the wide side.
constexpr double kFontSize = 11;
constexpr double kTitleSize = 15;
constexpr double kCharWidth = 0.6;
constexpr double kLegendRow = 17;
constexpr double kLegendSwatch = 24;
constexpr double kMaxLegendWidth = 250;
constexpr double kPixelClamp = 1e6;

double TextWidth(const std::string& text, double size = kFontSize) {
  std::size_t chars = 0;  // UTF-8 code points: count the bytes that do not continue a sequence
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return static_cast<double>(chars) * size * kCharWidth;
}

// A pixel coordinate: one decimal is a tenth of a pixel, plenty. Callers pass finite values only.
std::string Px(double v) { return std::isfinite(v) ? fmt::format("{:.1f}", v) : std::string("0"); }

bool Drawable(const Frame& frame, double x, double y) { return frame.x.Drawable(x) && frame.y.Drawable(y); }

// Runs of consecutive indices [begin, end) for which ok(i) holds.
template <typename Ok>
std::vector<std::pair<std::size_t, std::size_t>> Runs(std::size_t n, Ok ok) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < n;) {
    if (!ok(i)) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && ok(j)) ++j;
    runs.emplace_back(i, j);
    i = j;
  }
  return runs;
}

std::string Opacity(const char* attribute, double opacity) {
  opacity = std::clamp(std::isfinite(opacity) ? opacity : 1.0, 0.0, 1.0);
  return opacity < 1 ? fmt::format(" {}=\"{:.3g}\"", attribute, opacity) : std::string();
}

// One marker centred at (cx, cy) with radius r, in the fill and stroke of the enclosing group.
std::string MarkerElement(Marker marker, double cx, double cy, double r) {
  switch (marker) {
    case Marker::kSquare:
      return fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", Px(cx - r), Px(cy - r), Px(2 * r),
                         Px(2 * r));
    case Marker::kDiamond: {
      const double d = 1.4 * r;
      return fmt::format("<path d=\"M{},{}L{},{}L{},{}L{},{}Z\"/>", Px(cx), Px(cy - d), Px(cx + d), Px(cy), Px(cx),
                         Px(cy + d), Px(cx - d), Px(cy));
    }
    case Marker::kCircle:
    default:
      return fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>", Px(cx), Px(cy), Px(r));
  }
}

std::string MarkerGroupOpen(const Series& s) {
  const std::string stroke = s.outlined ? fmt::format(" stroke=\"{}\" stroke-width=\"1.2\"", kBlack.Hex())
                                        : std::string(" stroke=\"#ffffff\" stroke-width=\"0.6\"");
  return fmt::format("<g fill=\"{}\"{}{}>", s.color.Hex(), stroke, Opacity("fill-opacity", s.opacity));
}

std::string LineAttributes(const Series& s) {
  return fmt::format(" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{}{}", s.color.Hex(),
                     Px(s.width), s.dashed ? " stroke-dasharray=\"7 4\"" : "", Opacity("stroke-opacity", s.opacity));
}

void RenderSeries(const Series& s, const Frame& f, std::string* out) {
  if (s.kind == SeriesKind::kBand) {
    const std::size_t n = std::min({s.x.size(), s.lower.size(), s.upper.size()});
    auto ok = [&](std::size_t i) { return Drawable(f, s.x[i], s.lower[i]) && Drawable(f, s.x[i], s.upper[i]); };
    for (auto [begin, end] : Runs(n, ok)) {
      std::string d;
      for (std::size_t i = begin; i < end; ++i)
        d += fmt::format("{}{},{}", d.empty() ? "M" : "L", Px(f.x(s.x[i])), Px(f.y(s.upper[i])));
      for (std::size_t i = end; i-- > begin;) d += fmt::format("L{},{}", Px(f.x(s.x[i])), Px(f.y(s.lower[i])));
      *out += fmt::format("<path d=\"{}Z\" fill=\"{}\"{} stroke=\"none\"/>\n", d, s.color.Hex(),
                          Opacity("fill-opacity", 0.25 * s.opacity));
    }
    return;
  }
  const std::size_t n = std::min(s.x.size(), s.y.size());
  auto ok = [&](std::size_t i) { return Drawable(f, s.x[i], s.y[i]); };
  if (s.kind == SeriesKind::kLine) {
    for (auto [begin, end] : Runs(n, ok)) {
      if (end - begin < 2) continue;
      std::string points;
      for (std::size_t i = begin; i < end; ++i) {
        points += fmt::format("{}{},{}", i == begin ? "" : " ", Px(f.x(s.x[i])), Px(f.y(s.y[i])));
      }
      *out += fmt::format("<polyline points=\"{}\"{}/>\n", points, LineAttributes(s));
    }
    return;
  }
  std::string markers;
  for (std::size_t i = 0; i < n; ++i) {
    if (ok(i)) markers += MarkerElement(s.marker, f.x(s.x[i]), f.y(s.y[i]), s.width) + "\n";
  }
  if (!markers.empty()) *out += MarkerGroupOpen(s) + "\n" + markers + "</g>\n";
}

std::string TickLabelText(const Tick& tick, double x, double y, const char* anchor) {
  std::string text =
      fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}", Px(x), Px(y), anchor, XmlEscape(tick.text));
  if (!tick.superscript.empty()) {
    text += fmt::format("<tspan dy=\"-6\" font-size=\"{}\">{}</tspan>", kFontSize * 0.8, XmlEscape(tick.superscript));
  }
  return text + "</text>\n";
}

// Estimated width of a tick label in pixels.
double TickWidth(const Tick& tick) { return TextWidth(tick.text) + 0.8 * TextWidth(tick.superscript); }

// The legend's entries: every labelled series, then the shade.
struct LegendEntry {
  const Series* series = nullptr;  // null for the shade
  std::string label;
};

std::vector<LegendEntry> LegendEntries(const Chart& chart) {
  std::vector<LegendEntry> entries;
  for (const Series& s : chart.series) {
    if (!s.label.empty()) entries.push_back({&s, s.label});
  }
  if (chart.shade && !chart.shade->label.empty()) entries.push_back({nullptr, chart.shade->label});
  return entries;
}

double LegendWidth(const std::vector<LegendEntry>& entries) {
  double widest = 0;
  for (const LegendEntry& e : entries) widest = std::max(widest, TextWidth(e.label));
  return std::min(kMaxLegendWidth, 8 + kLegendSwatch + 6 + widest + 8);
}

// A label cut to fit max_width pixels, with an ellipsis when cut (at a UTF-8 character boundary).
std::string FitText(const std::string& text, double max_width, double size = kFontSize) {
  if (TextWidth(text, size) <= max_width + 1e-6) return text;
  std::string cut = text;
  while (!cut.empty() && TextWidth(cut + "…", size) > max_width) {
    cut.pop_back();
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
    if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0) cut.pop_back();
  }
  return cut + "…";
}

void RenderLegend(const Chart& chart, const Frame& f, std::string* out) {
  const std::vector<LegendEntry> entries = LegendEntries(chart);
  if (entries.empty()) return;
  const double width = LegendWidth(entries);
  const double x0 = f.right + 14, y0 = f.top;
  *out += fmt::format(
      "<g class=\"legend\">\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" "
      "stroke=\"#cccccc\"/>\n",
      Px(x0), Px(y0), Px(width), Px(entries.size() * kLegendRow + 8));
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const double cy = y0 + 4 + kLegendRow * (i + 0.5);
    const double sx = x0 + 8, sw = kLegendSwatch;
    const Series* s = entries[i].series;
    if (s == nullptr) {
      const Shade& shade = *chart.shade;
      *out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"{}\"{}/>\n", Px(sx), Px(cy - 5),
                          Px(sw), shade.color.Hex(), Opacity("fill-opacity", std::max(shade.opacity, 0.3)));
    } else if (s->kind == SeriesKind::kBand) {
      *out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"{}\"{}/>\n", Px(sx), Px(cy - 5),
                          Px(sw), s->color.Hex(), Opacity("fill-opacity", 0.35 * s->opacity));
    } else if (s->kind == SeriesKind::kLine) {
      *out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>\n", Px(sx), Px(cy), Px(sx + sw), Px(cy),
                          LineAttributes(*s));
    } else {
      *out += MarkerGroupOpen(*s) + MarkerElement(s->marker, sx + sw / 2, cy, std::min(s->width, 5.0)) + "</g>\n";
    }
    const std::string label = FitText(entries[i].label, width - (sw + 22));
    *out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", Px(sx + sw + 6), Px(cy + 4), XmlEscape(label));
  }
  *out += "</g>\n";
}

// Every drawable value of one axis (x: which == 0, y: which == 1) among the series that set the ranges (all
// series when none does).
std::vector<double> AxisValues(const Chart& chart, int which) {
  auto drawable = [&](double x, double y) {
    auto ok = [](const Axis& a, double v) { return std::isfinite(v) && (a.scale == Scale::kLinear || v > 0); };
    return ok(chart.x, x) && ok(chart.y, y);
  };
  bool any_sets_range = false;
  for (const Series& s : chart.series) any_sets_range |= s.sets_range;
  std::vector<double> values;
  for (const Series& s : chart.series) {
    if (any_sets_range && !s.sets_range) continue;
    if (s.kind == SeriesKind::kBand) {
      const std::size_t n = std::min({s.x.size(), s.lower.size(), s.upper.size()});
      for (std::size_t i = 0; i < n; ++i) {
        if (!drawable(s.x[i], s.lower[i]) || !drawable(s.x[i], s.upper[i])) continue;
        if (which == 0) {
          values.push_back(s.x[i]);
        } else {
          values.push_back(s.lower[i]);
          values.push_back(s.upper[i]);
        }
      }
    } else {
      const std::size_t n = std::min(s.x.size(), s.y.size());
      for (std::size_t i = 0; i < n; ++i) {
        if (drawable(s.x[i], s.y[i])) values.push_back(which == 0 ? s.x[i] : s.y[i]);
      }
    }
  }
  return values;
}

// The step of about `target` intervals over span: 1, 2 or 5 × 10^k.
double NiceStep(double span, double target) {
  const double raw = span / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  return magnitude * (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10);
}

// The label of a linear tick at v on a grid of the given step: as many decimals as the step needs.
std::string LinearTickText(double v, double step) {
  if (std::abs(v) < step * 1e-6) v = 0;  // no "-0.0" or 1e-17 from k · step
  const int step_exp = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  const double a = std::abs(v);
  if (v != 0 && (a >= 1e5 || a < 1e-3)) {
    int e = static_cast<int>(std::floor(std::log10(a) + 1e-12));
    const int decimals = std::max(0, e - step_exp);
    std::string mantissa = fmt::format("{:.{}f}", v / std::pow(10.0, e), decimals);
    if (mantissa == "10" || mantissa == "-10") {  // 9.99.. rounded up
      ++e;
      mantissa = v < 0 ? "-1" : "1";
    }
    return fmt::format("{}e{}", mantissa, e);
  }
  return fmt::format("{:.{}f}", v, std::max(0, -step_exp));
}

std::vector<Tick> LinearTicks(Range r, double target) {
  const double step = NiceStep(r.hi - r.lo, target);
  std::vector<Tick> ticks;
  const double k_lo = std::ceil(r.lo / step - 1e-9), k_hi = std::floor(r.hi / step + 1e-9);
  for (double k = k_lo; k <= k_hi; ++k) {
    const double v = k * step;
    ticks.push_back({v, true, LinearTickText(v, step), ""});
  }
  return ticks;
}

std::string Exponent(int k) { return k < 0 ? "−" + std::to_string(-k) : std::to_string(k); }

}  // namespace

std::string Color::Hex() const { return fmt::format("#{:02x}{:02x}{:02x}", r, g, b); }

Color Viridis(double t) {
  // viridis at t = 0, 0.1, ..., 1 (matplotlib's table, rounded to 8 bits).
  static constexpr std::array<Color, 11> kSamples = {{{0x44, 0x01, 0x54},
                                                      {0x48, 0x24, 0x75},
                                                      {0x41, 0x44, 0x87},
                                                      {0x35, 0x5f, 0x8d},
                                                      {0x2a, 0x78, 0x8e},
                                                      {0x21, 0x91, 0x8c},
                                                      {0x22, 0xa8, 0x84},
                                                      {0x44, 0xbf, 0x70},
                                                      {0x7a, 0xd1, 0x51},
                                                      {0xbd, 0xdf, 0x26},
                                                      {0xfd, 0xe7, 0x25}}};
  t = std::isnan(t) ? 0 : std::clamp(t, 0.0, 1.0);
  const double pos = t * (kSamples.size() - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(pos), kSamples.size() - 2);
  const double w = pos - static_cast<double>(i);
  auto mix = [w](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround((1 - w) * a + w * b));
  };
  const Color &a = kSamples[i], &b = kSamples[i + 1];
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

Color SequenceColor(double t) { return Viridis(0.85 * (std::isnan(t) ? 0 : std::clamp(t, 0.0, 1.0))); }

double LogPosition(double value, double lo, double hi) {
  auto ok = [](double v) { return std::isfinite(v) && v > 0; };
  if (!ok(value) || !ok(lo) || !ok(hi) || !(lo < hi)) return 0.5;
  return std::clamp(std::log(value / lo) / std::log(hi / lo), 0.0, 1.0);
}

Color CategoricalColor(std::size_t index) {
  static constexpr std::array<Color, 10> kTableau = {{{0x1f, 0x77, 0xb4},
                                                      {0xff, 0x7f, 0x0e},
                                                      {0x2c, 0xa0, 0x2c},
                                                      {0xd6, 0x27, 0x28},
                                                      {0x94, 0x67, 0xbd},
                                                      {0x8c, 0x56, 0x4b},
                                                      {0xe3, 0x77, 0xc2},
                                                      {0x7f, 0x7f, 0x7f},
                                                      {0xbc, 0xbd, 0x22},
                                                      {0x17, 0xbe, 0xcf}}};
  return kTableau[index % kTableau.size()];
}

std::string XmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ShortNumber(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  auto trim = [](std::string s) {
    if (s.find('.') == std::string::npos) return s;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  };
  const double a = std::abs(v);
  int e = static_cast<int>(std::floor(std::log10(a)));
  if (a >= 1e5 || a < 1e-4) {
    std::string mantissa = fmt::format("{:.2f}", v / std::pow(10.0, e));
    if (mantissa == "10.00" || mantissa == "-10.00") {
      ++e;
      mantissa = v < 0 ? "-1" : "1";
    }
    return fmt::format("{}e{}", trim(mantissa), e);
  }
  return trim(fmt::format("{:.{}f}", v, std::max(0, 2 - e)));
}

Range AxisRange(const Axis& axis, const std::vector<double>& values) {
  const bool log = axis.scale == Scale::kLog;
  auto usable = [log](double v) { return std::isfinite(v) && (!log || v > 0); };
  if (usable(axis.min) && usable(axis.max) && axis.min < axis.max) return {axis.min, axis.max};
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (double v : values) {
    if (!usable(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) return log ? Range{1, 10} : Range{0, 1};
  if (log) {
    double llo = std::log10(lo), lhi = std::log10(hi);
    if (lhi - llo < 1e-9) {
      llo -= std::log10(1.5);
      lhi += std::log10(1.5);
    } else {
      const double pad = 0.04 * (lhi - llo);
      llo -= pad;
      lhi += pad;
    }
    return {std::pow(10.0, llo), std::pow(10.0, lhi)};
  }
  if (hi - lo <= 1e-12 * std::max(std::abs(lo), std::abs(hi))) {
    const double pad = lo == 0 ? 1 : 0.1 * std::abs(lo);
    return {lo - pad, hi + pad};
  }
  const double pad = 0.04 * (hi - lo);
  return {lo - pad, hi + pad};
}

AxisMap::AxisMap(Scale scale, Range range, double pixel_lo, double pixel_hi)
    : scale_(scale), range_(range), pixel_lo_(pixel_lo), pixel_hi_(pixel_hi) {
  const bool log = scale == Scale::kLog;
  t_lo_ = log ? std::log10(range.lo) : range.lo;
  t_hi_ = log ? std::log10(range.hi) : range.hi;
}

bool AxisMap::Drawable(double v) const { return std::isfinite(v) && (scale_ == Scale::kLinear || v > 0); }

double AxisMap::operator()(double v) const {
  const double t = scale_ == Scale::kLog ? std::log10(v) : v;
  const double p = pixel_lo_ + (t - t_lo_) / (t_hi_ - t_lo_) * (pixel_hi_ - pixel_lo_);
  return std::clamp(p, -kPixelClamp, kPixelClamp);
}

std::vector<Tick> Ticks(Scale scale, Range r) {
  if (!(r.lo < r.hi) || !std::isfinite(r.lo) || !std::isfinite(r.hi)) return {};
  if (scale == Scale::kLinear) return LinearTicks(r, 5);
  if (!(r.lo > 0)) return {};
  const double decades = std::log10(r.hi / r.lo);
  const int k_lo = static_cast<int>(std::ceil(std::log10(r.lo) - 1e-9));
  const int k_hi = static_cast<int>(std::floor(std::log10(r.hi) + 1e-9));
  if (k_hi - k_lo + 1 < 2) {
    // Too narrow for two powers of ten: 1, 2 and 5 × 10^k labelled when there are three of them (minor ticks at
    // the other multiples), else 1/2/5 steps of a linear axis placed on the log scale (a loss from 1.8 to 4).
    std::vector<Tick> ticks;
    int labelled = 0;
    for (int k = k_lo - 1; k <= k_hi; ++k) {
      for (int m = 1; m <= 9; ++m) {
        const double v = m * std::pow(10.0, k);
        if (v < r.lo * (1 - 1e-12) || v > r.hi * (1 + 1e-12)) continue;
        const bool major = m == 1 || m == 2 || m == 5;
        labelled += major;
        ticks.push_back({v, major, major ? ShortNumber(v) : "", ""});
      }
    }
    return labelled >= 3 ? ticks : LinearTicks(r, 5);
  }
  const int stride = decades > 10 ? static_cast<int>(std::ceil(decades / 8)) : 1;
  std::vector<Tick> ticks;
  for (int k = k_lo - 1; k <= k_hi; ++k) {
    const double power = std::pow(10.0, k);
    if (k >= k_lo) {
      if (k % stride == 0) {
        Tick t{power, true, k == 0 ? "1" : "10", k == 0 || k == 1 ? "" : Exponent(k)};
        ticks.push_back(t);
      } else {
        ticks.push_back({power, false, "", ""});
      }
    }
    if (stride == 1 && decades <= 6) {
      for (int m = 2; m <= 9; ++m) {
        const double v = m * power;
        if (v >= r.lo * (1 - 1e-12) && v <= r.hi * (1 + 1e-12)) ticks.push_back({v, false, "", ""});
      }
    }
  }
  return ticks;
}

Frame Layout(const Chart& chart) {
  const Range xr = AxisRange(chart.x, AxisValues(chart, 0));
  const Range yr = AxisRange(chart.y, AxisValues(chart, 1));
  double widest_y_tick = 0;
  for (const Tick& t : Ticks(chart.y.scale, yr)) {
    if (t.major) widest_y_tick = std::max(widest_y_tick, TickWidth(t));
  }
  const std::vector<LegendEntry> legend = LegendEntries(chart);
  const double left = std::max(56.0, (chart.y.label.empty() ? 14.0 : 32.0) + widest_y_tick + 10);
  const double right = chart.width - (legend.empty() ? 24 : LegendWidth(legend) + 26);
  const double top = chart.title.empty() ? 18 : 42;
  const double bottom = chart.height - (chart.x.label.empty() ? 34 : 52);
  return Frame{
      left, top, right, bottom, AxisMap(chart.x.scale, xr, left, right), AxisMap(chart.y.scale, yr, bottom, top)};
}

std::string RenderSvg(const Chart& chart) {
  const Frame f = Layout(chart);
  const double h = chart.height;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"{2}\" fill=\"#222222\">\n",
      chart.width, chart.height, kFontSize);
  if (!chart.title.empty()) out += fmt::format("<title>{}</title>\n", XmlEscape(chart.title));
  out += fmt::format(
      "<defs><clipPath id=\"plot-area\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n",
      Px(f.left), Px(f.top), Px(f.right - f.left), Px(f.bottom - f.top));
  out += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", chart.width, chart.height);

  // Behind the data: the shaded interval and the gridlines.
  out += "<g clip-path=\"url(#plot-area)\">\n";
  if (chart.shade) {
    const Shade& s = *chart.shade;
    const Range xr = f.x.range();
    const double lo = std::max(s.x_min, xr.lo), hi = std::min(s.x_max, xr.hi);  // NaN bounds shade nothing
    if (lo < hi) {
      const double x0 = f.x(lo), x1 = f.x(hi);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}/>\n", Px(std::min(x0, x1)),
                         Px(f.top), Px(std::abs(x1 - x0)), Px(f.bottom - f.top), s.color.Hex(),
                         Opacity("fill-opacity", s.opacity));
    }
  }
  const std::vector<Tick> xticks = Ticks(chart.x.scale, f.x.range());
  const std::vector<Tick> yticks = Ticks(chart.y.scale, f.y.range());
  for (const Tick& t : xticks) {
    if (t.major) {
      out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e3e3e3\"/>\n", Px(f.x(t.value)),
                         Px(f.top), Px(f.bottom));
    }
  }
  for (const Tick& t : yticks) {
    if (t.major) {
      out += fmt::format("<line x1=\"{1}\" y1=\"{0}\" x2=\"{2}\" y2=\"{0}\" stroke=\"#e3e3e3\"/>\n", Px(f.y(t.value)),
                         Px(f.left), Px(f.right));
    }
  }
  out += "</g>\n";

  // The data, clipped to the plot area.
  out += "<g clip-path=\"url(#plot-area)\">\n";
  for (const Series& s : chart.series) RenderSeries(s, f, &out);
  out += "</g>\n";

  // Frame, ticks and their labels.
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444444\"/>\n",
                     Px(f.left), Px(f.top), Px(f.right - f.left), Px(f.bottom - f.top));
  out += "<g stroke=\"#444444\">\n";
  for (const Tick& t : xticks) {
    out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", Px(f.x(t.value)), Px(f.bottom),
                       Px(f.bottom + (t.major ? 5 : 3)));
  }
  for (const Tick& t : yticks) {
    out += fmt::format("<line x1=\"{1}\" y1=\"{0}\" x2=\"{2}\" y2=\"{0}\"/>\n", Px(f.y(t.value)), Px(f.left),
                       Px(f.left - (t.major ? 5 : 3)));
  }
  out += "</g>\n";
  for (const Tick& t : xticks) {
    if (t.major) out += TickLabelText(t, f.x(t.value), f.bottom + 19, "middle");
  }
  for (const Tick& t : yticks) {
    if (t.major) out += TickLabelText(t, f.left - 8, f.y(t.value) + 4, "end");
  }

  // Axis labels and title.
  if (!chart.x.label.empty()) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n",
                       Px((f.left + f.right) / 2), Px(h - 12), XmlEscape(chart.x.label));
  }
  if (!chart.y.label.empty()) {
    out += fmt::format(
        "<text transform=\"translate(16,{}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">{}</text>\n",
        Px((f.top + f.bottom) / 2), XmlEscape(chart.y.label));
  }
  if (!chart.title.empty()) {
    // Centred over the plot, shifted to stay inside the document, and cut with an ellipsis when it is wider than
    // the document (<title> above keeps it whole).
    const double margin = 8;
    const std::string title = FitText(chart.title, chart.width - 2 * margin, kTitleSize);
    const double half = std::min(TextWidth(title, kTitleSize), chart.width - 2 * margin) / 2;
    const double centre = std::clamp((f.left + f.right) / 2, margin + half, chart.width - margin - half);
    out +=
        fmt::format("<text x=\"{}\" y=\"26\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\">{}</text>\n",
                    Px(centre), kTitleSize, XmlEscape(title));
  }
  RenderLegend(chart, f, &out);
  out += "</svg>\n";
  return out;
}

void WriteSvgFile(const Chart& chart, const std::string& path) {
  detail::WriteWholeFile(path, RenderSvg(chart), "the plot");
}

std::string EmbeddedSvg(const Chart& chart, const std::string& suffix) {
  std::string svg = RenderSvg(chart);
  svg.erase(0, svg.find("<svg"));
  const std::string id = "plot-area", unique = id + "-" + suffix;
  for (std::size_t at = svg.find(id); at != std::string::npos; at = svg.find(id, at + unique.size())) {
    svg.replace(at, id.size(), unique);
  }
  return svg;
}

std::string RenderSvgGrid(const std::vector<Chart>& charts, int columns) {
  if (charts.empty() || columns < 1) throw InvalidArgument("a grid of charts needs a chart and at least 1 column");
  int cell_width = 0, cell_height = 0;
  for (const Chart& chart : charts) {
    cell_width = std::max(cell_width, chart.width);
    cell_height = std::max(cell_height, chart.height);
  }
  const int count = static_cast<int>(charts.size());
  const int used_columns = std::min(columns, count), rows = (count + columns - 1) / columns;
  const int width = used_columns * cell_width, height = rows * cell_height;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\">\n",
      width, height);
  out += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", width, height);
  for (int i = 0; i < count; ++i) {
    std::string svg = EmbeddedSvg(charts[static_cast<std::size_t>(i)], std::to_string(i));
    // Place the nested document at its cell: <svg x=".." y=".." xmlns=...>.
    svg.replace(0, 4, fmt::format("<svg x=\"{}\" y=\"{}\"", (i % columns) * cell_width, (i / columns) * cell_height));
    out += svg;
  }
  out += "</svg>\n";
  return out;
}

void WriteSvgGridFile(const std::vector<Chart>& charts, int columns, const std::string& path) {
  detail::WriteWholeFile(path, RenderSvgGrid(charts, columns), "the plot");
}

}  // namespace scalelaw::plot
