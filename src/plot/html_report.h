// One self-contained HTML page a team can review: what `--report out.html` writes for fit, isoflop, curve fit and
// compare. The page carries everything inline (CSS, the charts as inline SVG, the result's JSON), so it opens from
// a mail attachment or an artefact store with no other file and no network: the command that made it, the
// data it read (path, size, modification time, the rows chosen), the result's report text, tables, charts and
// warnings.
//
// A short inline script marks on <body> how many figures the page has (data-figures) and how many of them the
// browser laid out with a non-empty bounding box (data-rendered): tests load the page in headless Chromium and
// read both from the DOM it dumps.
#pragma once

#include <string>
#include <vector>

#include "plot/svg_plot.h"

namespace scalelaw::report {

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Figure {
  std::string caption;
  plot::Chart chart;
};

// One part of the result: a preformatted report (a FullReport), then tables, then figures.
struct Section {
  std::string title;
  std::string text;
  std::vector<Table> tables;
  std::vector<Figure> figures;
};

// A file the command read. Size and modification time are filled by RenderHtml from the file itself (absent for
// standard input).
struct DataSource {
  std::string path;       // as given; "-" for standard input
  std::string selection;  // how rows were chosen ("240 of 245 records (5 left out by the filters)"), or empty
  std::string columns;    // which columns were read for what
};

struct Report {
  std::string title;         // "scalelaw fit"
  std::string command_line;  // as typed, quoted for a POSIX shell
  std::string status;        // "usable", "not identifiable: ...": the exit status in words
  std::vector<DataSource> data;
  std::vector<Section> sections;
  std::vector<std::string> warnings;
  std::string json;  // the result as the command's --json prints it (embedded, not shown); empty for none
};

// The page: UTF-8 HTML5, everything escaped, each chart rendered by plot::RenderSvg and inlined.
std::string RenderHtml(const Report& report);

// Writes RenderHtml(report) to path; throws scalelaw::Error naming the path when it cannot.
void WriteHtmlFile(const Report& report, const std::string& path);

}  // namespace scalelaw::report
