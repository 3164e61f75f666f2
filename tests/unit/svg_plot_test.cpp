// The SVG chart writer (src/plot/svg_plot.h) and the fit chart builders (src/plot/fit_plots.h).
//
// Well-formedness is checked by a small XML checker below (balanced and properly nested tags, one root,
// quoted attributes, only the five predefined entities or character references after '&'), which is itself
// tested on broken documents so that it cannot pass everything.
#include "plot/svg_plot.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "plot/fit_plots.h"

namespace sp = scalelaw::plot;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
}

// Every '&' in text starts a predefined entity or a character reference.
std::string CheckEntities(const std::string& text) {
  for (std::size_t i = text.find('&'); i != std::string::npos; i = text.find('&', i + 1)) {
    const std::size_t semi = text.find(';', i);
    if (semi == std::string::npos) return "unterminated entity";
    const std::string name = text.substr(i + 1, semi - i - 1);
    const bool named = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
    bool numeric = name.size() > 1 && name[0] == '#';
    for (std::size_t k = 1; numeric && k < name.size(); ++k) {
      numeric = std::isxdigit(static_cast<unsigned char>(name[k])) || (k == 1 && name[k] == 'x');
    }
    if (!named && !numeric) return "bad entity &" + name + ";";
  }
  return "";
}

// "" when doc is a well-formed XML document (for the subset of XML an SVG writer uses), else the first problem.
std::string CheckXml(const std::string& doc) {
  std::vector<std::string> open;
  int roots = 0;
  std::size_t i = 0;
  while (i < doc.size()) {
    if (doc[i] != '<') {
      const std::size_t next = std::min(doc.find('<', i), doc.size());
      const std::string text = doc.substr(i, next - i);
      if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string::npos) return "text outside the root";
      if (text.find('>') != std::string::npos) return "stray '>' in text";
      if (std::string e = CheckEntities(text); !e.empty()) return e;
      i = next;
      continue;
    }
    if (doc.compare(i, 5, "<?xml") == 0) {
      if (i != 0) return "XML declaration not at the start";
      const std::size_t end = doc.find("?>", i);
      if (end == std::string::npos) return "unterminated declaration";
      i = end + 2;
      continue;
    }
    if (doc.compare(i, 4, "<!--") == 0) {
      const std::size_t end = doc.find("-->", i);
      if (end == std::string::npos) return "unterminated comment";
      i = end + 3;
      continue;
    }
    std::size_t j = i + 1;  // the tag's '>', outside quotes
    char quote = 0;
    for (; j < doc.size(); ++j) {
      const char c = doc[j];
      if (quote != 0) {
        if (c == quote) quote = 0;
        if (c == '<') return "'<' in an attribute value";
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      } else if (c == '<') {
        return "'<' inside a tag";
      }
    }
    if (j >= doc.size()) return "unterminated tag";
    std::string tag = doc.substr(i + 1, j - i - 1);
    i = j + 1;
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name)
        return "</" + name + "> does not close <" + (open.empty() ? "" : open.back()) + ">";
      open.pop_back();
      continue;
    }
    const bool self_closing = !tag.empty() && tag.back() == '/';
    if (self_closing) tag.pop_back();
    std::size_t k = 0;
    while (k < tag.size() && IsNameChar(tag[k])) ++k;
    const std::string name = tag.substr(0, k);
    if (name.empty()) return "tag without a name";
    while (true) {  // attributes: name="value" separated by white space
      const std::size_t start = k;
      while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k]))) ++k;
      if (k == tag.size()) break;
      if (k == start) return "attributes of <" + name + "> not separated by white space";
      const std::size_t attr = k;
      while (k < tag.size() && IsNameChar(tag[k])) ++k;
      if (k == attr || k >= tag.size() || tag[k] != '=') return "bad attribute in <" + name + ">";
      ++k;
      if (k >= tag.size() || (tag[k] != '"' && tag[k] != '\'')) return "unquoted attribute in <" + name + ">";
      const std::size_t close = tag.find(tag[k], k + 1);
      if (close == std::string::npos) return "unterminated attribute in <" + name + ">";
      if (std::string e = CheckEntities(tag.substr(k + 1, close - k - 1)); !e.empty()) return e;
      k = close + 1;
    }
    if (open.empty() && ++roots > 1) return "more than one root element";
    if (!self_closing) open.push_back(name);
  }
  if (!open.empty()) return "<" + open.back() + "> is not closed";
  if (roots != 1) return "no root element";
  return "";
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t i = haystack.find(needle); i != std::string::npos; i = haystack.find(needle, i + 1)) ++n;
  return n;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The text of the legend group.
std::string Legend(const std::string& svg) {
  const std::size_t begin = svg.find("<g class=\"legend\">");
  if (begin == std::string::npos) return "";
  return svg.substr(begin, svg.find("</g>\n</svg>", begin) - begin);
}

std::vector<double> MajorValues(const std::vector<sp::Tick>& ticks) {
  std::vector<double> v;
  for (const sp::Tick& t : ticks) {
    if (t.major) v.push_back(t.value);
  }
  return v;
}

sp::Series ScatterSeries(std::vector<double> x, std::vector<double> y, std::string label = "") {
  sp::Series s;
  s.kind = sp::SeriesKind::kScatter;
  s.x = std::move(x);
  s.y = std::move(y);
  s.label = std::move(label);
  return s;
}

sp::Series LineSeries(std::vector<double> x, std::vector<double> y, std::string label = "") {
  sp::Series s = ScatterSeries(std::move(x), std::move(y), std::move(label));
  s.kind = sp::SeriesKind::kLine;
  return s;
}

// A chart with every feature: log axes, a band, lines with gaps, markers of every shape, a shade.
sp::Chart FullChart() {
  sp::Chart chart;
  chart.title = "Loss vs compute";
  chart.x = {"compute C (FLOPs)", sp::Scale::kLog};
  chart.y = {"loss", sp::Scale::kLog};
  sp::Series band;
  band.kind = sp::SeriesKind::kBand;
  band.label = "band";
  band.x = {1e19, 1e20, 1e21, 1e22};
  band.lower = {3.0, 2.6, 2.3, 2.1};
  band.upper = {3.2, 2.8, 2.5, kNaN};
  chart.series.push_back(band);
  chart.series.push_back(LineSeries({1e19, 1e20, kNaN, 1e21, 1e22}, {3.1, 2.7, 2.5, 2.4, 2.2}, "law"));
  for (sp::Marker m : {sp::Marker::kCircle, sp::Marker::kSquare, sp::Marker::kDiamond}) {
    sp::Series s = ScatterSeries({3e18, 2e20, 2e22}, {3.4, 2.6, 2.15}, "runs");
    s.marker = m;
    s.outlined = m == sp::Marker::kDiamond;
    chart.series.push_back(s);
  }
  chart.shade = sp::Shade{5e21, kInf, "extrapolation"};
  return chart;
}

}  // namespace

TEST_CASE("the XML checker rejects broken documents", "[svg]") {
  CHECK(CheckXml("<?xml version=\"1.0\"?>\n<svg a=\"1\"><g><rect/></g><text>a &amp; b</text></svg>\n").empty());
  CHECK_FALSE(CheckXml("<svg><g></svg></g>").empty());
  CHECK_FALSE(CheckXml("<svg><g></svg>").empty());
  CHECK_FALSE(CheckXml("<svg></svg><svg></svg>").empty());
  CHECK_FALSE(CheckXml("<svg><text>a < b</text></svg>").empty());
  CHECK_FALSE(CheckXml("<svg><text>a & b</text></svg>").empty());
  CHECK_FALSE(CheckXml("<svg a=1></svg>").empty());
  CHECK_FALSE(CheckXml("<svg a=\"1\"b=\"2\"></svg>").empty());
  CHECK_FALSE(CheckXml("<svg a=\"x<y\"></svg>").empty());
  CHECK_FALSE(CheckXml("<svg/>trailing").empty());
}

TEST_CASE("the document is well-formed SVG 1.1 with no NaN or infinity", "[svg]") {
  const std::string svg = sp::RenderSvg(FullChart());
  INFO(svg);
  CHECK(CheckXml(svg) == "");
  CHECK(svg.rfind("<?xml version=\"1.0\"", 0) == 0);
  CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"720\" height=\"480\"") !=
        std::string::npos);
  CHECK(Lower(svg).find("nan") == std::string::npos);
  CHECK(Lower(svg).find("inf") == std::string::npos);
  CHECK(Count(svg, "<path d=\"M") >= 2);  // the band and the diamonds
  CHECK(Count(svg, "<polyline") == 2);    // the line, broken at its NaN
  CHECK(Count(svg, "<circle") == 3 + 1);
  CHECK(Count(svg, "<rect x=") >= 3);  // squares, the shade, the frame

  // An empty chart and a chart of nothing but non-finite values are still documents.
  CHECK(CheckXml(sp::RenderSvg(sp::Chart{})) == "");
  sp::Chart bad;
  bad.x.scale = sp::Scale::kLog;
  bad.series.push_back(ScatterSeries({kNaN, -1, 0, kInf}, {1, 2, 3, 4}, "bad"));
  bad.shade = sp::Shade{kNaN, kNaN, "nothing"};
  const std::string bad_svg = sp::RenderSvg(bad);
  CHECK(CheckXml(bad_svg) == "");
  CHECK(Lower(bad_svg).find("nan") == std::string::npos);
  CHECK(Count(bad_svg, "<circle") == 1);  // the legend's marker only
}

TEST_CASE("log ticks fall on the powers of ten inside the range", "[svg]") {
  sp::Axis axis{"", sp::Scale::kLog};
  const sp::Range r = sp::AxisRange(axis, {3e18, 1e20, 2e22});
  CHECK(r.lo < 3e18);
  CHECK(r.lo > 1e18);
  CHECK(r.hi > 2e22);
  CHECK(r.hi < 1e23);
  const std::vector<sp::Tick> ticks = sp::Ticks(sp::Scale::kLog, r);
  const std::vector<double> majors = MajorValues(ticks);
  REQUIRE(majors.size() == 4);
  const double expected[] = {1e19, 1e20, 1e21, 1e22};
  const char* exponents[] = {"19", "20", "21", "22"};
  for (int i = 0; i < 4; ++i) {
    CHECK(majors[i] == Approx(expected[i]).epsilon(1e-12));
  }
  int k = 0;
  for (const sp::Tick& t : ticks) {
    if (!t.major) continue;
    CHECK(t.text == "10");
    CHECK(t.superscript == exponents[k++]);
  }
  // Minor ticks at 2..9 × 10^k: 8 in each full decade, all inside the range, in increasing order.
  int minors_in_1e19_decade = 0;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    CHECK(ticks[i].value >= r.lo);
    CHECK(ticks[i].value <= r.hi);
    if (i > 0) CHECK(ticks[i].value > ticks[i - 1].value);
    if (!ticks[i].major && ticks[i].value > 1e19 && ticks[i].value < 1e20) ++minors_in_1e19_decade;
  }
  CHECK(minors_in_1e19_decade == 8);

  // The labels are drawn with superscript exponents.
  sp::Chart chart;
  chart.x = axis;
  chart.series.push_back(ScatterSeries({3e18, 2e22}, {1, 2}));
  const std::string svg = sp::RenderSvg(chart);
  for (const char* e : exponents) {
    CHECK(svg.find(std::string(">10<tspan dy=\"-6\" font-size=\"8.8\">") + e + "</tspan></text>") != std::string::npos);
  }
  CHECK(svg.find(">18</tspan>") == std::string::npos);
  CHECK(svg.find(">23</tspan>") == std::string::npos);

  // Negative exponents, 1 and 10 without superscripts.
  const std::vector<sp::Tick> small = sp::Ticks(sp::Scale::kLog, {1e-3, 20});
  REQUIRE(MajorValues(small).size() == 5);
  CHECK(small.front().superscript == "−3");
  std::vector<std::string> texts;
  for (const sp::Tick& t : small) {
    if (t.major) texts.push_back(t.text + "^" + t.superscript);
  }
  CHECK(texts == std::vector<std::string>{"10^−3", "10^−2", "10^−1", "1^", "10^"});
}

TEST_CASE("wide and narrow log ranges", "[svg]") {
  // 30 decades: every 4th power labelled, the others minor, no 2..9 minors.
  const std::vector<sp::Tick> wide = sp::Ticks(sp::Scale::kLog, {1e10, 1e40});
  CHECK(MajorValues(wide).size() == 8);
  CHECK(wide.size() == 31);
  for (const sp::Tick& t : wide) {
    const double k = std::round(std::log10(t.value));
    CHECK(t.value == Approx(std::pow(10.0, k)));
    CHECK(t.major == (static_cast<int>(k) % 4 == 0));
  }
  // A loss axis from 1.8 to 4 has no power of ten: 1/2/5 steps on the log scale.
  const std::vector<sp::Tick> narrow = sp::Ticks(sp::Scale::kLog, {1.8, 4});
  std::vector<std::string> labels;
  for (const sp::Tick& t : narrow) labels.push_back(t.text + t.superscript);
  CHECK(labels == std::vector<std::string>{"2.0", "2.5", "3.0", "3.5", "4.0"});
  // A decade without two powers of ten in it: 1, 2 and 5 × 10^k labelled, the other multiples minor.
  const std::vector<sp::Tick> decade = sp::Ticks(sp::Scale::kLog, {6e-4, 8.5e-3});
  labels.clear();
  for (const sp::Tick& t : decade) {
    if (t.major) labels.push_back(t.text + t.superscript);
  }
  CHECK(labels == std::vector<std::string>{"0.001", "0.002", "0.005"});
  CHECK(decade.size() == 4 + 8);  // 6e-4..9e-4, 1e-3..8e-3
}

TEST_CASE("linear ticks are 1/2/5 × 10^k", "[svg]") {
  auto labels = [](sp::Range r) {
    std::vector<std::string> out;
    for (const sp::Tick& t : sp::Ticks(sp::Scale::kLinear, r)) out.push_back(t.text);
    return out;
  };
  CHECK(labels({0, 1}) == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"});
  CHECK(labels({-0.03, 0.97}) == std::vector<std::string>{"0.0", "0.2", "0.4", "0.6", "0.8"});
  CHECK(labels({1.7, 3.1}) == std::vector<std::string>{"1.8", "2.0", "2.2", "2.4", "2.6", "2.8", "3.0"});
  CHECK(labels({0, 5e9}) == std::vector<std::string>{"0", "1e9", "2e9", "3e9", "4e9", "5e9"});
  CHECK(labels({1.2e9, 2.1e9}) == std::vector<std::string>{"1.2e9", "1.4e9", "1.6e9", "1.8e9", "2.0e9"});
  CHECK(labels({-250, 260}) == std::vector<std::string>{"-200", "-100", "0", "100", "200"});
  CHECK(labels({1e-4, 5e-4}) == std::vector<std::string>{"1e-4", "2e-4", "3e-4", "4e-4", "5e-4"});
}

TEST_CASE("data map to the right pixels", "[svg]") {
  const sp::AxisMap x(sp::Scale::kLog, {1e18, 1e22}, 100, 500);
  CHECK(x(1e18) == Approx(100));
  CHECK(x(1e19) == Approx(200));
  CHECK(x(1e20) == Approx(300));
  CHECK(x(3e20) == Approx(300 + 100 * std::log10(3.0)));
  CHECK(x(1e22) == Approx(500));
  CHECK(x(1e30) == Approx(1300));  // outside the range: extrapolated, clipped by the plot area
  CHECK(x.Drawable(1e20));
  CHECK_FALSE(x.Drawable(0));
  CHECK_FALSE(x.Drawable(-1));
  CHECK_FALSE(x.Drawable(kNaN));
  CHECK_FALSE(x.Drawable(kInf));

  const sp::AxisMap y(sp::Scale::kLinear, {2, 4}, 400, 40);  // y grows downwards
  CHECK(y(2) == Approx(400));
  CHECK(y(3) == Approx(220));
  CHECK(y(4) == Approx(40));
  CHECK(y(-1e300) == Approx(1e6));  // clamped, never infinite
  CHECK(y.Drawable(-1));

  // The chart's frame maps its fixed ranges onto the plot area, and markers land there.
  sp::Chart chart;
  chart.x = {"x", sp::Scale::kLog, 1e18, 1e22};
  chart.y = {"y", sp::Scale::kLinear, 2, 4};
  chart.series.push_back(ScatterSeries({1e20, 1e21}, {3, 2.5}));
  const sp::Frame f = sp::Layout(chart);
  CHECK(f.left > 0);
  CHECK(f.right < 720);
  CHECK(f.top > 0);
  CHECK(f.bottom < 480);
  CHECK(f.x(1e18) == Approx(f.left));
  CHECK(f.x(1e22) == Approx(f.right));
  CHECK(f.y(2) == Approx(f.bottom));
  CHECK(f.y(4) == Approx(f.top));
  CHECK(f.x(1e20) == Approx((f.left + f.right) / 2));
  const std::string svg = sp::RenderSvg(chart);
  auto circle = [](double cx, double cy) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\"", cx, cy);
    return std::string(buf);
  };
  CHECK(svg.find(circle(f.x(1e20), f.y(3))) != std::string::npos);
  CHECK(svg.find(circle(f.x(1e21), f.y(2.5))) != std::string::npos);
  CHECK(Count(svg, "<circle") == 2);
}

TEST_CASE("points that cannot be drawn are skipped", "[svg]") {
  sp::Chart chart;
  chart.series.push_back(ScatterSeries({1, kNaN, 3, kInf, 5, 6}, {1, 2, kNaN, 4, 5, -kInf}));
  std::string svg = sp::RenderSvg(chart);
  CHECK(Count(svg, "<circle") == 2);
  CHECK(Lower(svg).find("nan") == std::string::npos);
  CHECK(Lower(svg).find("inf") == std::string::npos);
  // The automatic range comes from the drawable points only.
  const sp::Frame f = sp::Layout(chart);
  CHECK(f.x.range().lo == Approx(1 - 0.04 * 4));
  CHECK(f.x.range().hi == Approx(5 + 0.04 * 4));

  // On a log axis, zero and negative values are skipped as well; a line is broken at each gap.
  chart.x.scale = sp::Scale::kLog;
  chart.series = {ScatterSeries({1, -1, 0, 10}, {1, 1, 1, 1}),
                  LineSeries({1, 2, 0, 4, 5, kNaN, 7, 8, 9}, {1, 2, 3, 4, 5, 6, 7, kNaN, 9})};
  svg = sp::RenderSvg(chart);
  CHECK(Count(svg, "<circle") == 2);
  CHECK(Count(svg, "<polyline") == 2);  // {1, 2} and {4, 5}; {7} and {9} alone draw nothing
  CHECK(CheckXml(svg) == "");

  // Ragged vectors: the extra values of the longer one are ignored.
  chart.series = {ScatterSeries({1, 2, 3}, {1, 2})};
  CHECK(Count(sp::RenderSvg(chart), "<circle") == 2);
}

TEST_CASE("text is escaped", "[svg]") {
  sp::Chart chart;
  chart.title = "a<b & c";
  chart.x.label = "x \"quoted\" 'single'";
  chart.y.label = "y > 0";
  chart.series.push_back(ScatterSeries({1, 2}, {1, 2}, "a<b & c"));
  const std::string svg = sp::RenderSvg(chart);
  CHECK(CheckXml(svg) == "");
  CHECK(Count(svg, "a&lt;b &amp; c") == 3);  // <title>, the visible title, the legend
  CHECK(svg.find("a<b") == std::string::npos);
  CHECK(svg.find("x &quot;quoted&quot; &apos;single&apos;") != std::string::npos);
  CHECK(svg.find("y &gt; 0") != std::string::npos);
  CHECK(sp::XmlEscape("<&>\"'") == "&lt;&amp;&gt;&quot;&apos;");
}

TEST_CASE("the legend lists every labelled series and the shade", "[svg]") {
  sp::Chart chart;
  chart.series.push_back(ScatterSeries({1, 2}, {1, 2}, "points one"));
  chart.series.push_back(ScatterSeries({1, 2}, {2, 3}));  // unlabelled
  chart.series.push_back(LineSeries({1, 2}, {1, 3}, "the line"));
  sp::Series band;
  band.kind = sp::SeriesKind::kBand;
  band.label = "the band";
  chart.series.push_back(band);  // no data: still listed
  chart.shade = sp::Shade{1.5, kInf, "shaded"};
  const std::string legend = Legend(sp::RenderSvg(chart));
  REQUIRE_FALSE(legend.empty());
  CHECK(Count(legend, "<text") == 4);
  const char* labels[] = {"points one", "the line", "the band", "shaded"};
  std::size_t last = 0;
  for (const char* label : labels) {  // in order
    const std::size_t at = legend.find(std::string(">") + label + "</text>");
    CHECK(at != std::string::npos);
    CHECK(at >= last);
    last = at;
  }
  // A long label is cut with an ellipsis and the legend keeps its maximum width.
  sp::Chart long_label;
  long_label.series.push_back(ScatterSeries({1, 2}, {1, 2}, std::string(100, 'x')));
  const std::string long_legend = Legend(sp::RenderSvg(long_label));
  CHECK(long_legend.find("x…</text>") != std::string::npos);
  CHECK(sp::Layout(long_label).right > 720 - 250 - 30);

  // No labelled series, no shade label: no legend, and the plot takes the width.
  sp::Chart bare;
  bare.series.push_back(ScatterSeries({1, 2}, {1, 2}));
  CHECK(Legend(sp::RenderSvg(bare)).empty());
  CHECK(sp::Layout(bare).right > sp::Layout(chart).right);
}

TEST_CASE("colours and numbers", "[svg]") {
  CHECK(sp::Viridis(0).Hex() == "#440154");
  CHECK(sp::Viridis(1).Hex() == "#fde725");
  CHECK(sp::Viridis(0.5).Hex() == "#21918c");
  CHECK(sp::Viridis(-3) == sp::Viridis(0));
  CHECK(sp::Viridis(kNaN) == sp::Viridis(0));
  CHECK(sp::Viridis(0.25).Hex() == "#3b528a");  // halfway between the 0.2 and 0.3 samples
  CHECK(sp::SequenceColor(0) == sp::Viridis(0));
  CHECK(sp::SequenceColor(1) == sp::Viridis(0.85));
  CHECK(sp::CategoricalColor(0).Hex() == "#1f77b4");
  CHECK(sp::CategoricalColor(10) == sp::CategoricalColor(0));
  CHECK(sp::LogPosition(1e9, 1e8, 1e10) == Approx(0.5));
  CHECK(sp::LogPosition(1e7, 1e8, 1e10) == 0);
  CHECK(sp::LogPosition(1e12, 1e8, 1e10) == 1);
  CHECK(sp::LogPosition(5, 5, 5) == 0.5);

  CHECK(sp::ShortNumber(0) == "0");
  CHECK(sp::ShortNumber(2.5) == "2.5");
  CHECK(sp::ShortNumber(12) == "12");
  CHECK(sp::ShortNumber(0.0123) == "0.0123");
  CHECK(sp::ShortNumber(3.1e21) == "3.1e21");
  CHECK(sp::ShortNumber(123456) == "1.23e5");
  CHECK(sp::ShortNumber(9.999e9) == "1e10");
  CHECK(sp::ShortNumber(-1.2e-4) == "-0.00012");
  CHECK(sp::ShortNumber(-1.2e-5) == "-1.2e-5");
  CHECK(sp::ShortNumber(kNaN) == "nan");
}

TEST_CASE("automatic ranges", "[svg]") {
  sp::Axis lin;
  CHECK(sp::AxisRange(lin, {}).lo == 0);
  CHECK(sp::AxisRange(lin, {}).hi == 1);
  CHECK(sp::AxisRange(lin, {2, 2}).lo == Approx(1.8));
  CHECK(sp::AxisRange(lin, {0, 0}).hi == Approx(1));
  sp::Axis log{"", sp::Scale::kLog};
  CHECK(sp::AxisRange(log, {-1, 0, kNaN}).lo == 1);
  CHECK(sp::AxisRange(log, {100}).lo == Approx(100 / 1.5));
  CHECK(sp::AxisRange(log, {1, 1e4}).lo == Approx(std::pow(10.0, -0.16)));
  log.min = 1e3;
  log.max = 1e6;
  CHECK(sp::AxisRange(log, {1, 1e9}).lo == 1e3);
  log.min = -1;  // not usable on a log axis: automatic
  CHECK(sp::AxisRange(log, {10, 1000}).lo < 10);
}

TEST_CASE("loss vs compute chart", "[svg]") {
  // A Chinchilla-like law and runs at three model sizes.
  auto law = [](double n, double d) { return 1.8 + 400 / std::pow(n, 0.34) + 410 / std::pow(d, 0.28); };
  sp::LossVsComputeData data;
  for (double n : {1e8, 4e8, 1.6e9}) {
    for (double d : {2e9, 8e9, 3.2e10}) {
      data.params.push_back(n);
      data.tokens.push_back(d);
      data.loss.push_back(law(n, d));
    }
  }
  data.params.push_back(kNaN);  // a bad run is skipped, not drawn
  data.tokens.push_back(1e9);
  data.loss.push_back(3);
  const double c_max_observed = 6 * 1.6e9 * 3.2e10;
  CHECK(sp::MaxFlops(data.params, data.tokens) == Approx(c_max_observed));
  CHECK(sp::MinFlops(data.params, data.tokens) == Approx(6 * 1e8 * 2e9));

  data.law_curves = sp::LawCurvesPerSize(data.params, data.tokens, law, 1e22);
  REQUIRE(data.law_curves.size() == 3);
  const sp::LossCurve& small = data.law_curves.front();
  CHECK(small.t_color == 0);
  CHECK(data.law_curves.back().t_color == 1);
  CHECK(small.x.front() == Approx(6 * 1e8 * 2e9 / 4));
  CHECK(small.x.back() == Approx(1e22));
  CHECK(small.y[10] == Approx(law(1e8, small.x[10] / (6 * 1e8))));

  data.frontier = sp::FrontierCurve([](double c) { return 1.8 + 30 / std::pow(c, 0.15); }, 1e18, 1e22);
  CHECK(data.frontier.x.size() == 80);
  data.frontier_band.x = data.frontier.x;
  for (double c : data.frontier.x) {
    data.frontier_band.lower.push_back(1.8 + 28 / std::pow(c, 0.15));
    data.frontier_band.upper.push_back(1.8 + 32 / std::pow(c, 0.15));
  }
  const sp::Chart chart = sp::LossVsComputeChart(data);
  REQUIRE(chart.shade.has_value());
  CHECK(chart.shade->x_min == Approx(c_max_observed));
  CHECK(chart.x.scale == sp::Scale::kLog);
  const std::string svg = sp::RenderSvg(chart);
  CHECK(CheckXml(svg) == "");
  CHECK(Lower(svg).find("nan") == std::string::npos);
  CHECK(Count(svg, "<circle") == 9 + 3);  // the runs and the three legend markers
  const std::string legend = Legend(svg);
  for (const char* label : {"N = 1e8", "N = 4e8", "N = 1.6e9", "fitted law at each N", "compute-optimal L_opt(C)",
                            "95% bootstrap interval", "extrapolation (C &gt; 3.07e20)"}) {
    CHECK(legend.find(std::string(">") + label + "</text>") != std::string::npos);
  }
  // Colours follow N: the smallest size's runs and curve share the first colour of the sequence.
  CHECK(svg.find("<g fill=\"" + sp::SequenceColor(0).Hex() + "\"") != std::string::npos);
  CHECK(svg.find("stroke=\"" + sp::SequenceColor(0).Hex() + "\"") != std::string::npos);
}

TEST_CASE("many model sizes are binned and capped", "[svg]") {
  std::vector<double> params, tokens;
  for (int i = 0; i < 20; ++i) {
    params.push_back(1e7 * std::pow(1.5, i));
    tokens.push_back(1e10);
  }
  auto law = [](double n, double d) { return 1.8 + 400 / std::pow(n, 0.34) + 410 / std::pow(d, 0.28); };
  const std::vector<sp::LossCurve> curves = sp::LawCurvesPerSize(params, tokens, law, 1e23, 5);
  REQUIRE(curves.size() == 5);
  CHECK(curves.front().t_color == 0);
  CHECK(curves.back().t_color == 1);
  sp::LossVsComputeData data;
  data.params = params;
  data.tokens = tokens;
  data.loss = std::vector<double>(params.size(), 3.0);
  const sp::Chart chart = sp::LossVsComputeChart(data);
  int labelled = 0;
  std::size_t points = 0;
  for (const sp::Series& s : chart.series) {
    labelled += !s.label.empty();
    points += s.x.size();
  }
  CHECK(labelled == static_cast<int>(sp::kMaxGroups));
  CHECK(points == 20);
  CHECK(chart.series.front().label == "N 1e7–2.25e7");  // bins carry their range
}

TEST_CASE("isoflop chart", "[svg]") {
  sp::IsoflopChartData data;
  for (double c : {1e18, 1e19, 1e20}) {
    sp::IsoflopBudgetData b;
    b.flops = c;
    b.opt_params = 1e8 * std::sqrt(c / 1e18);
    b.opt_loss = 3.5 - 0.3 * std::log10(c / 1e18);
    b.curvature = 0.05;
    b.has_vertex = c < 1e20;  // the last budget has no vertex: points only
    for (double f : {0.25, 0.5, 1.0, 2.0, 4.0}) {
      const double u = std::log(f);
      b.params.push_back(b.opt_params * f);
      b.loss.push_back(b.opt_loss + b.curvature * u * u);
    }
    data.budgets.push_back(b);
  }
  const sp::Chart chart = sp::IsoflopChart(data);
  const std::string svg = sp::RenderSvg(chart);
  CHECK(CheckXml(svg) == "");
  int parabolas = 0, diamonds = 0;
  for (const sp::Series& s : chart.series) {
    if (s.kind == sp::SeriesKind::kLine && !s.x.empty()) {
      ++parabolas;
      // The vertex is the parabola's minimum.
      double min_y = HUGE_VAL;
      for (double y : s.y) min_y = std::min(min_y, y);
      CHECK(min_y >= 3.5 - 0.3 - 1e-9);
    }
    if (s.marker == sp::Marker::kDiamond && !s.x.empty()) ++diamonds;
  }
  CHECK(parabolas == 2);
  CHECK(diamonds == 2);
  CHECK(Count(svg, "<polyline") == 2);
  const std::string legend = Legend(svg);
  for (const char* label : {"C = 1e18", "C = 1e19", "C = 1e20", "optimum (parabola vertex)"}) {
    CHECK(legend.find(std::string(">") + label + "</text>") != std::string::npos);
  }
}

TEST_CASE("hyperparameter chart", "[svg]") {
  sp::HparamChartData data;
  for (double d : {2e9, 8e9}) {
    for (double n : {1e8, 3e8, 1e9}) {
      data.x.push_back(n);
      data.group.push_back(d);
      data.y.push_back(1.79 * std::pow(n, -0.713) * std::pow(d, 0.307));
    }
  }
  data.law = [](double n, double d) { return 1.79 * std::pow(n, -0.713) * std::pow(d, 0.307); };
  const sp::Chart chart = sp::HparamChart(data);
  CHECK(chart.x.scale == sp::Scale::kLog);
  CHECK(chart.y.scale == sp::Scale::kLog);
  int lines = 0;
  for (const sp::Series& s : chart.series) {
    if (s.kind != sp::SeriesKind::kLine || s.x.empty()) continue;
    ++lines;
    CHECK(s.x.front() == Approx(1e8 / 1.25));
    CHECK(s.x.back() == Approx(1e9 * 1.25));
  }
  CHECK(lines == 2);
  const std::string svg = sp::RenderSvg(chart);
  CHECK(CheckXml(svg) == "");
  const std::string legend = Legend(svg);
  for (const char* label : {"D = 2e9", "D = 8e9", "fitted power law"}) {
    CHECK(legend.find(std::string(">") + label + "</text>") != std::string::npos);
  }

  // Without groups: one colour, the line labelled itself.
  sp::HparamChartData single;
  single.x = {1e8, 1e9, 1e10};
  single.y = {1e-3, 5e-4, 2.5e-4};
  single.law = [](double n, double) { return 1e-3 * std::pow(n / 1e8, -0.301); };
  const std::string svg1 = sp::RenderSvg(sp::HparamChart(single));
  CHECK(CheckXml(svg1) == "");
  CHECK(Count(Legend(svg1), "<text") == 2);
  CHECK(Count(svg1, "<circle") == 3 + 1);
}

TEST_CASE("WriteSvgFile writes the document and reports failure", "[svg]") {
  const std::string path = "svg_plot_test_output.svg";
  sp::WriteSvgFile(FullChart(), path);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  std::string content;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) content.append(buf, n);
  std::fclose(file);
  std::remove(path.c_str());
  CHECK(content == sp::RenderSvg(FullChart()));
  CHECK_THROWS_WITH(sp::WriteSvgFile(FullChart(), "/nonexistent-dir/x.svg"),
                    "cannot write the plot to '/nonexistent-dir/x.svg': No such file or directory");
}
