// The HTML report page (plot/html_report.h): escaping, the embedded JSON, the provenance and the inline charts.
#include "plot/html_report.h"

#include <catch2/catch.hpp>
#include <string>

namespace {

scalelaw::report::Report Example() {
  scalelaw::report::Report page;
  page.title = "scalelaw test <&>";
  page.command_line = "scalelaw fit 'a b.csv'";
  page.status = "usable";
  page.data.push_back({"-", "", "N from column 'params'"});
  scalelaw::report::Section section{"Fit", "E = 1.69 < 2", {}, {}};
  section.tables.push_back({"Parameters", {"name", "value"}, {{"E", "1.69"}, {"A<", "406.4"}}});
  scalelaw::plot::Chart chart;
  chart.title = "a chart";
  scalelaw::plot::Series line;
  line.x = {1, 2, 3};
  line.y = {3, 2, 1};
  chart.series.push_back(line);
  section.figures.push_back({"the caption", chart});
  page.sections.push_back(section);
  page.warnings.push_back("beyond the fitted range");
  page.json = R"({"note":"</script><script>alert(1)</script>"})";
  return page;
}

}  // namespace

TEST_CASE("HTML report: text is escaped and the embedded JSON cannot close its script element", "[report]") {
  const std::string page = scalelaw::report::RenderHtml(Example());
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("scalelaw test &lt;&amp;&gt;") != std::string::npos);
  CHECK(page.find("E = 1.69 &lt; 2") != std::string::npos);
  CHECK(page.find("<td>A&lt;</td>") != std::string::npos);
  // The only "</script" sequences are the two script elements' own ends.
  std::size_t closes = 0;
  for (std::size_t at = page.find("</script"); at != std::string::npos; at = page.find("</script", at + 1)) ++closes;
  CHECK(closes == 2);
  CHECK(page.find(R"({"note":"<\/script><script>alert(1)<\/script>"})") != std::string::npos);
}

TEST_CASE("HTML report: charts are inline SVG without an XML declaration, with the provenance", "[report]") {
  const std::string page = scalelaw::report::RenderHtml(Example());
  CHECK(page.find("<?xml") == std::string::npos);
  CHECK(page.find("<figure class=\"chart\">\n<svg") != std::string::npos);
  CHECK(page.find("<figcaption>the caption</figcaption>") != std::string::npos);
  CHECK(page.find("standard input") != std::string::npos);
  CHECK(page.find("scalelaw fit &apos;a b.csv&apos;") != std::string::npos);
  CHECK(page.find("<li>beyond the fitted range</li>") != std::string::npos);
}
