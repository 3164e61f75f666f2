// A small SVG chart writer: the CLI's `--plot out.svg`, with no Python and no plotting library.
//
// A Chart is a plain value: a title, two axes (linear or logarithmic), a list of series (lines, scatter
// markers, or a filled band between a lower and an upper curve) and an optional shaded x-interval (e.g. the
// extrapolation region beyond the observed compute). RenderSvg turns it into one standalone SVG 1.1 document
// of a fixed size: a framed plot area with light grey gridlines, ticks and tick labels (powers of ten with
// superscript exponents on log axes, minor ticks at 2..9 times them; 1/2/5 × 10^k on linear axes), axis
// labels, and a legend to the right of the plot that lists every labelled series.
//
// What is drawn is what can be drawn: a point whose x or y is not finite, or not positive on a log axis, is
// skipped (a line or band is broken there rather than joined across the gap), and no NaN or infinity is ever
// written to the document. All text is XML-escaped. Axis ranges come from the data, padded by 4% of the span
// (of log10 of the values on a log axis), unless the axis sets them.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace scalelaw::plot {

// An sRGB colour.
struct Color {
  std::uint8_t r = 0, g = 0, b = 0;
  std::string Hex() const;  // "#rrggbb"
  bool operator==(const Color& other) const { return r == other.r && g == other.g && b == other.b; }
};

// The viridis colour map (dark purple → blue → green → yellow) at t in [0, 1], interpolated linearly between
// samples of matplotlib's table; t outside [0, 1] (or NaN) is clamped to the nearest end (NaN: 0).
Color Viridis(double t);
// A colour for the t-th member of an ordered sequence (model sizes, compute budgets): viridis over [0, 0.85],
// leaving out its palest yellows, which are hard to see on white. t = 0 is dark purple, t = 1 yellow-green.
Color SequenceColor(double t);
// The position in [0, 1] of value between lo and hi on a log scale (log10), for SequenceColor: 0 when
// value <= lo, 1 when value >= hi, 0.5 when lo == hi or any of them is not positive and finite.
double LogPosition(double value, double lo, double hi);
// Ten distinct colours for unrelated series (the Tableau 10 palette), index taken modulo 10.
Color CategoricalColor(std::size_t index);
// Neutral colours used by the chart builders.
inline constexpr Color kBlack{0x22, 0x22, 0x22};
inline constexpr Color kGrey{0x88, 0x88, 0x88};

enum class Scale { kLinear, kLog };

struct Axis {
  std::string label;
  Scale scale = Scale::kLinear;
  // Both finite (and positive on a log axis, with min < max) to fix the range; otherwise it is automatic.
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};

enum class SeriesKind {
  kLine,     // a polyline through (x[i], y[i]) in the order given
  kScatter,  // one marker per (x[i], y[i])
  kBand,     // the area between (x[i], lower[i]) and (x[i], upper[i]), filled
};

enum class Marker { kCircle, kSquare, kDiamond };

struct Series {
  SeriesKind kind = SeriesKind::kLine;
  std::string label;  // shown in the legend; empty: not in the legend
  Color color;
  std::vector<double> x, y;          // kLine and kScatter (same length; extra values of the longer are ignored)
  std::vector<double> lower, upper;  // kBand, with x (same length)
  double width = 1.8;                // line width, or marker radius (half the side of a square) in pixels
  bool dashed = false;               // kLine: dashed stroke
  Marker marker = Marker::kCircle;   // kScatter
  bool outlined = false;             // kScatter: a dark outline around each marker (to mark special points)
  double opacity = 1.0;              // of the line or marker; a band's fill uses opacity × 0.25
  bool sets_range = true;            // false: left out of the automatic axis ranges (drawn, clipped to the plot)
};

// A shaded interval of x drawn behind the data over the full height of the plot. Bounds may be infinite
// (e.g. x_max = +inf shades to the right edge); the interval is clipped to the x range shown.
struct Shade {
  double x_min = 0;
  double x_max = std::numeric_limits<double>::infinity();
  std::string label;  // legend entry; empty: none
  Color color{0xf2, 0xa0, 0x3d};
  double opacity = 0.15;
};

struct Chart {
  std::string title;
  Axis x, y;
  std::vector<Series> series;  // drawn in order: later series on top (bands are best first)
  std::optional<Shade> shade;
  int width = 720, height = 480;  // of the document, in pixels
};

// The SVG 1.1 document: "<?xml ...?>\n<svg ...>...</svg>\n".
std::string RenderSvg(const Chart& chart);
// Writes RenderSvg(chart) to path; throws scalelaw::Error ("cannot write the plot to 'path'") when it cannot.
void WriteSvgFile(const Chart& chart, const std::string& path);

// Small multiples: the charts in one SVG 1.1 document, row by row, `columns` to a row (each chart a nested <svg> of
// its own size at its cell's corner, the cells as wide as the widest chart and as tall as the tallest). Each
// chart's clip path gets an id of its own ("plot-area-<i>"). Throws InvalidArgument for no chart or columns < 1.
std::string RenderSvgGrid(const std::vector<Chart>& charts, int columns);
void WriteSvgGridFile(const std::vector<Chart>& charts, int columns, const std::string& path);

// RenderSvg(chart) without its XML declaration and with its clip path's id made unique by suffix ("plot-area-3"),
// to be placed inside another document (an HTML page, a grid) beside other charts.
std::string EmbeddedSvg(const Chart& chart, const std::string& suffix);

// --- The pieces RenderSvg is made of, public so that they can be tested. ---

// A data interval [lo, hi] with lo < hi.
struct Range {
  double lo = 0, hi = 1;
};

// The axis range: axis.min/max when they are usable, otherwise from the values (padded by 4% of the span,
// in log10 on a log axis; a single value gets ±10% (linear, ±1 when it is 0) or ×/÷ 1.5 (log); no value:
// [0, 1] or [1, 10]). Values that cannot be shown on the scale are ignored.
Range AxisRange(const Axis& axis, const std::vector<double>& values);

// Maps data values of one axis to pixels: lo → pixel_lo, hi → pixel_hi, linearly in the value or in its
// log10. A y axis has pixel_lo below pixel_hi (SVG's y grows downwards).
class AxisMap {
 public:
  AxisMap(Scale scale, Range range, double pixel_lo, double pixel_hi);
  // True when v can be placed on this axis (finite, and positive on a log axis).
  bool Drawable(double v) const;
  // The pixel of v (Drawable(v) must hold); values far outside the range are clamped to ±1e6 pixels.
  double operator()(double v) const;
  Scale scale() const { return scale_; }
  Range range() const { return range_; }

 private:
  Scale scale_;
  Range range_;
  double pixel_lo_, pixel_hi_;
  double t_lo_, t_hi_;  // range in the transformed space (value or log10 value)
};

// The plot area (the framed rectangle) in pixels and the two axis maps into it.
struct Frame {
  double left = 0, top = 0, right = 0, bottom = 0;
  AxisMap x, y;
};
// Where RenderSvg draws: the margins leave room for the title, tick labels, axis labels and the legend.
Frame Layout(const Chart& chart);

// One tick of an axis. A major tick has a gridline and a label: text, followed on log axes by a superscript
// exponent ("10" + "21" for 10^21; text alone for 1 and 10, or when the ticks are 1/2/5 steps on a narrow log
// range). Minor ticks are unlabelled.
struct Tick {
  double value = 0;
  bool major = true;
  std::string text;
  std::string superscript;
};
// The ticks inside range, in increasing value. Linear: 1/2/5 × 10^k steps, about five of them. Log: every
// power of ten (every 2nd, 3rd, ... when the range spans more than 10 decades), with minor ticks at 2..9
// times each power when it spans at most 6 decades. When fewer than two powers of ten fall inside the range:
// 1, 2 and 5 × 10^k labelled (the other multiples minor) if at least three of them do (6e-4 to 8.5e-3), else
// the 1/2/5 steps of a linear axis, placed on the log scale (a loss axis from 1.8 to 4).
std::vector<Tick> Ticks(Scale scale, Range range);

// A short label for a number: up to 3 significant digits, "2.5e9" style from 1e5 up and below 1e-4 (no '+', no
// leading zeros in the exponent), "0" for 0. Non-finite numbers give "nan", "inf" or "-inf" (never written
// as coordinates; labels that show them are the caller's choice).
std::string ShortNumber(double v);

// XML text and attribute escaping of &, <, >, " and '.
std::string XmlEscape(const std::string& text);

}  // namespace scalelaw::plot
