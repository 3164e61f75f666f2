// The self-contained HTML report: see html_report.h.
#include "plot/html_report.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "io/read_file.h"
#include "scalelaw/version.h"

namespace scalelaw::report {
namespace {

std::string Escape(const std::string& text) { return plot::XmlEscape(text); }

// JSON inside <script type="application/json">: "</" would end the element early.
std::string ScriptSafe(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += json[i];
    }
  }
  return out;
}

std::string DataRow(const DataSource& source) {
  std::string facts;
  if (source.path == "-") {
    facts = "standard input";
  } else {
    std::error_code error;
    const std::filesystem::path path(source.path);
    const auto bytes = std::filesystem::file_size(path, error);
    if (!error) facts = fmt::format("{} bytes", bytes);
    const auto written = std::filesystem::last_write_time(path, error);
    if (!error) {
      const auto system = std::chrono::time_point_cast<std::chrono::seconds>(
          written - std::filesystem::file_time_type::clock::now() + std::chrono::system_clock::now());
      facts +=
          fmt::format(", modified {:%Y-%m-%d %H:%M:%S} UTC", fmt::gmtime(std::chrono::system_clock::to_time_t(system)));
    }
    const std::filesystem::path absolute = std::filesystem::absolute(path, error);
    if (!error && absolute != path) facts += ", " + absolute.string();
  }
  return fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n", Escape(source.path),
                     Escape(facts), Escape(source.selection.empty() ? "every record" : source.selection),
                     Escape(source.columns));
}

std::string TableHtml(const Table& table) {
  std::string out = "<table>\n";
  if (!table.caption.empty()) out += fmt::format("<caption>{}</caption>\n", Escape(table.caption));
  out += "<thead><tr>";
  for (const std::string& cell : table.header) out += fmt::format("<th>{}</th>", Escape(cell));
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += fmt::format("<td>{}</td>", Escape(cell));
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

constexpr char kStyle[] = R"(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
code { font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
figure { margin: 1em 0; } figcaption { font-size: 0.9em; color: #555; }
.status { font-weight: 600; } .warnings li { color: #8a4b00; }
)";

// Marks the figures and how many were laid out (tests read both from the dumped DOM).
constexpr char kScript[] = R"(
(function () {
  var figures = document.querySelectorAll("figure.chart svg");
  var rendered = 0;
  for (var i = 0; i < figures.length; ++i) {
    var box = figures[i].getBBox();
    if (box.width > 0 && box.height > 0) ++rendered;
  }
  document.body.setAttribute("data-figures", String(figures.length));
  document.body.setAttribute("data-rendered", String(rendered));
  JSON.parse(document.getElementById("result").textContent || "null");
})();
)";

}  // namespace

std::string RenderHtml(const Report& report) {
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", Escape(report.title), kStyle);
  out += fmt::format("<h1>{}</h1>\n", Escape(report.title));
  out += fmt::format("<p class=\"status\">Status: {}</p>\n", Escape(report.status));
  out += "<h2>Provenance</h2>\n";
  out += fmt::format("<p>Command:</p>\n<pre>{}</pre>\n", Escape(report.command_line));
  out += fmt::format("<p>Made by scalelaw {} on {:%Y-%m-%d %H:%M:%S} UTC.</p>\n", kVersion, fmt::gmtime(now));
  if (!report.data.empty()) {
    out +=
        "<table>\n<caption>Data read</caption>\n<thead><tr><th>file</th><th>file facts</th><th>rows</th>"
        "<th>columns</th></tr></thead>\n<tbody>\n";
    for (const DataSource& source : report.data) out += DataRow(source);
    out += "</tbody></table>\n";
  }
  int figures = 0;
  for (const Section& section : report.sections) {
    out += fmt::format("<h2>{}</h2>\n", Escape(section.title));
    if (!section.text.empty()) out += fmt::format("<pre>{}</pre>\n", Escape(section.text));
    for (const Table& table : section.tables) out += TableHtml(table);
    for (const Figure& figure : section.figures) {
      // Without its XML declaration, which HTML does not take inline, and with a clip path id of its own (an id
      // is the page's: every chart's "plot-area" would clip to the first one's).
      out += fmt::format("<figure class=\"chart\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
                         plot::EmbeddedSvg(figure.chart, std::to_string(figures++)), Escape(figure.caption));
    }
  }
  if (!report.warnings.empty()) {
    out += "<h2>Warnings</h2>\n<ul class=\"warnings\">\n";
    for (const std::string& warning : report.warnings) out += fmt::format("<li>{}</li>\n", Escape(warning));
    out += "</ul>\n";
  }
  out += fmt::format("<script type=\"application/json\" id=\"result\">{}</script>\n",
                     ScriptSafe(report.json.empty() ? "null" : report.json));
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

void WriteHtmlFile(const Report& report, const std::string& path) {
  detail::WriteWholeFile(path, RenderHtml(report), "the report");
}

}  // namespace scalelaw::report
