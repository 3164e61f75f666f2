// scalelaw validate FILE: leave-future-out validation of a fit (scalelaw/analysis/validation.h), with the fit's
// own options.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "cli/commands.h"
#include "cli/fit_command.h"
#include "cli/output.h"
#include "plot/analysis_charts.h"
#include "plot/html_report.h"
#include "plot/svg_plot.h"
#include "scalelaw/analysis/validation.h"
#include "scalelaw/error.h"

namespace scalelaw::cli {
int RunValidate(const ValidateCommand& command) {
  const FitCommand& fit = command.fit;
  // A split column the model does not read (anything but C = 6ND, N and D of a form in N and D) is read beside it.
  std::vector<std::string> extra;
  const bool named_split = command.split_by == "C" || command.split_by == "N" || command.split_by == "D";
  if (!named_split) extra.push_back(command.split_by);
  PreparedFit prepared = PrepareFit(fit, extra);
  Dataset data = prepared.Runs(fit);
  const std::vector<std::string>& names = prepared.table.names;
  if (std::find(names.begin(), names.end(), command.split_by) != names.end()) {
    data.columns[command.split_by] = prepared.table.Column(command.split_by);
  }
  if (fit.drop_highest > 0) data = DropHighestLoss(data, fit.drop_highest);

  LeaveFutureOutOptions options;
  options.fit = prepared.options;
  options.split_by = command.split_by;
  options.thresholds = command.thresholds;
  options.quantiles = command.quantiles;
  options.min_train_runs = command.min_train_runs;
  options.predictive_level = command.predictive;
  std::string error;
  if (!options.IsValid(&error)) throw InvalidArgument(error);
  LeaveFutureOutSummary summary;
  ValidateLeaveFutureOut(data, prepared.model, options, &summary);
  summary.data_source = (fit.file == "-" ? std::string("<stdin>") : fit.file) + ", " + prepared.DescribeColumns(fit);
  if (!prepared.table.Selection().empty()) summary.data_source += " (" + prepared.table.Selection() + ")";
  if (!command.plot.empty() && summary.IsUsable()) plot::WriteSvgFile(plot::MakeValidationChart(summary), command.plot);
  if (!command.report.empty()) {
    report::Report page;
    page.title = "scalelaw validate: leave-future-out validation";
    page.command_line = CommandLine();
    page.status = std::string(AnalysisStatusName(summary.status)) + (summary.IsUsable() ? "" : ": " + summary.message);
    page.data.push_back({fit.file, prepared.table.Selection(), prepared.DescribeColumns(fit)});
    report::Section section{"Validation", summary.FullReport(), {}, {}};
    if (summary.IsUsable()) {
      section.figures.push_back(
          {"Held-out runs' relative errors against their extrapolation distance (open: outside "
           "their predictive interval)",
           plot::MakeValidationChart(summary)});
    }
    page.sections.push_back(std::move(section));
    page.json = LeaveFutureOutToJson(summary);
    report::WriteHtmlFile(page, command.report);
  }
  fmt::print("{}", command.json ? LeaveFutureOutToJson(summary) + "\n" : summary.FullReport());
  return ExitCodeFor(summary.status, summary.message, "the validation");
}

}  // namespace scalelaw::cli
