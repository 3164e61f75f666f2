// scalelaw fit FILE: fits a model form to the runs in a CSV file.
#include "cli/fit_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "io/read_file.h"
#include "plot/html_report.h"
#include "plot/result_charts.h"
#include "plot/svg_plot.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"

namespace scalelaw::cli {
namespace {

std::map<std::string, std::string> FormulaColumns(const FitCommand& command,
                                                  const std::vector<std::string>& formula_columns);

std::string DescribeColumns(const FitCommand& command, const Model& model) {
  if (!model.data_columns().empty()) {
    std::string columns;
    for (const auto& [name, column] : FormulaColumns(command, model.data_columns())) {
      columns += (columns.empty() ? "" : ", ") + (name == column ? "'" + name + "'" : name + " from '" + column + "'");
    }
    return fmt::format("data from column{} {}, loss from column '{}'", model.data_columns().size() == 1 ? "" : "s",
                       columns, command.loss_col);
  }
  std::string text = fmt::format("N from column '{}', ", command.params_col);
  text += command.flops_col.empty() ? fmt::format("D from column '{}'", command.tokens_col)
                                    : fmt::format("D = C/(6N) with C from column '{}'", command.flops_col);
  text += fmt::format(", loss from column '{}'", command.loss_col);
  if (!command.weight_col.empty()) text += fmt::format(", weights from column '{}'", command.weight_col);
  return text;
}

// The starting values of --grid NAME=START:STOP:STEP or NAME=V1,V2,...
std::map<std::string, std::vector<double>> ParseGrids(const std::vector<std::string>& items) {
  constexpr const char* kGridForms = "NAME=START:STOP:STEP or NAME=V1,V2,...";
  std::map<std::string, std::vector<double>> grids;
  for (const auto& [name, spec] : ParsePairs(items, "--grid", kGridForms)) {
    const char separator = spec.find(':') != std::string::npos ? ':' : ',';
    std::vector<double> values;
    for (std::size_t start = 0;;) {
      const std::size_t end = spec.find(separator, start);
      const std::string part = spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
      const std::optional<double> number = FiniteNumber(part);
      if (!number) {
        throw InvalidArgument(
            fmt::format("--grid {}={}: '{}' is not a finite number (expected {})", name, spec, part, kGridForms));
      }
      values.push_back(*number);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (separator == ':') {
      if (values.size() != 3 || !(values[2] > 0) || values[1] < values[0]) {
        throw InvalidArgument("--grid " + name + "=" + spec + ": expected START:STOP:STEP with STEP > 0");
      }
      const double start = values[0], stop = values[1], step = values[2];
      if ((stop - start) / step > 1000) throw InvalidArgument("--grid " + name + ": more than 1000 values");
      values.clear();
      for (int k = 0; start + k * step <= stop + 1e-9 * step; ++k) values.push_back(start + k * step);
    }
    grids[name] = values;
  }
  return grids;
}

// The CSV column each data identifier of a formula (or loglinear) model reads: the one --col NAME=COLUMN names,
// else the column called NAME.
std::map<std::string, std::string> FormulaColumns(const FitCommand& command,
                                                  const std::vector<std::string>& formula_columns) {
  std::map<std::string, std::string> mapping;
  for (const std::string& name : formula_columns) mapping[name] = name;
  for (const auto& [name, column] : ParsePairs(command.col, "--col", "NAME=COLUMN")) {
    if (mapping.count(name) == 0) {
      std::string known;
      for (const std::string& c : formula_columns) known += (known.empty() ? "" : ", ") + c;
      throw InvalidArgument("--col " + name + "=" + column + ": the model reads no '" + name + "' (it reads " + known +
                            ")");
    }
    mapping[name] = column;
  }
  return mapping;
}

// What to read from the table: the model's columns, the filters, the group column.
// loss_domain: any finite number for a fit of the loss itself, else positive.
TableQuery QueryOf(const FitCommand& command, const Model& model, const RunColumns& columns, CellDomain loss_domain) {
  TableQuery query;
  if (model.data_columns().empty()) {
    query.columns = RunColumnRequests(columns, loss_domain);
  } else {
    for (const auto& [name, column] : FormulaColumns(command, model.data_columns())) {
      query.columns.push_back({column, CellDomain::kPositive});
    }
    query.columns.push_back({command.loss_col, loss_domain});
    if (!command.weight_col.empty()) query.columns.push_back({command.weight_col, CellDomain::kPositive});
  }
  return command.table.Query(std::move(query.columns), command.group_by);
}

// The runs of (a group of) the table.
Dataset RunsOf(const NumericTable& table, const FitCommand& command, const Model& model, const RunColumns& columns) {
  if (model.data_columns().empty()) return RunsFromTable(table, columns);
  Dataset data;
  data.loss = table.Column(command.loss_col);
  for (const auto& [name, column] : FormulaColumns(command, model.data_columns())) {
    data.columns[name] = table.Column(column);
  }
  if (!command.weight_col.empty()) data.weights = table.Column(command.weight_col);
  return data;
}

// out.svg -> out-marin.svg: the plot of one group, the label kept to letters, digits, '-', '_' and '.'.
std::string PathForGroup(const std::string& path, const std::string& label);

// A chart of a fit: the suffix of its file (--plot out.svg: "" out.svg, "observed" out-observed.svg) and what
// it shows (the report's caption).
struct FitChart {
  std::string suffix;
  std::string caption;
  plot::Chart chart;
};

// The charts of a fit (--plot out.svg writes each as an SVG file, --report inlines them):
//   out.svg            the fit's own chart: for a fit that reads N and D (a named form, or a formula over columns N
//                      and D) the runs at C = 6ND with the fitted law per model size and, for a usable fit that
//                      allocates a budget, the compute-optimal frontier and its bootstrap band (plot::MakeFitChart,
//                      as Python's scalelaw.plot); for a form of one input y against that input with the fitted
//                      curve and its bootstrap band; otherwise observed against predicted;
//   out-observed.svg   observed against predicted, with the line y = ŷ;
//   out-residuals.svg  the residuals, observed minus predicted on the fit's residual scale, against the prediction.
// Held-out runs (--holdout-top) are marked in the last two (and the curve).
std::vector<FitChart> FitCharts(const FitCommand& command, const Model& model, const Dataset& data,
                                const FitSummary& fit) {
  std::vector<FitChart> charts;
  auto named_or_column = [&data](const std::vector<double>& named,
                                 const char* formula_name) -> const std::vector<double>& {
    if (!named.empty()) return named;
    const auto found = data.columns.find(formula_name);
    return found == data.columns.end() ? named : found->second;
  };
  const std::vector<double>& params = named_or_column(data.params, "N");
  const std::vector<double>& tokens = named_or_column(data.tokens, "D");
  const bool reads_params_and_tokens = !params.empty() && !tokens.empty();
  if (reads_params_and_tokens) {
    plot::FitChartOptions options;
    options.at_flops = command.at_flops > 0 ? command.at_flops : plot::FitBudget(fit);
    charts.push_back(
        {"", "The runs at C = 6ND, the fitted law per model size and the compute-optimal frontier",
         plot::LossVsComputeChart(plot::MakeFitChart(FittedLaw(fit, "fit"), params, tokens, data.loss, options).data)});
  }

  plot::FitDiagnosticsOptions labels;
  labels.y_label = command.loss_col;
  for (const auto& [name, column] : FormulaColumns(command, model.data_columns())) {
    labels.input_labels[name] = name == column ? name : name + " (" + column + ")";
  }
  std::optional<plot::FitDiagnosticsData> diagnostics;
  try {
    diagnostics = plot::MakeFitDiagnostics(fit, data, labels);
  } catch (const InvalidArgument& error) {
    if (fit.IsUsable()) throw;
    // A fit that is not usable may have no prediction to draw; its exit code says so, and these charts are left out.
    PrintWarnings({std::string("--plot and --report draw no diagnostics of this fit: ") + error.what()});
    return charts;
  }
  if (!reads_params_and_tokens) {
    if (diagnostics->input_label.empty()) {
      charts.push_back({"", "Observed against predicted", plot::ObservedVsPredictedChart(*diagnostics)});
    } else {
      charts.push_back({"", "The runs and the fitted curve", plot::FitCurveChart(*diagnostics)});
    }
  }
  charts.push_back(
      {"observed", "Observed against predicted, with y = ŷ", plot::ObservedVsPredictedChart(*diagnostics)});
  charts.push_back({"residuals", "Residuals on the fit's residual scale against the prediction",
                    plot::ResidualsChart(*diagnostics)});
  return charts;
}

// out.svg -> out-marin.svg: the plot of one group, the label kept to letters, digits, '-', '_' and '.'.
std::string PathForGroup(const std::string& path, const std::string& label) {
  std::string safe;
  for (char c : label) safe.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_');
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "-" + safe;
  return path.substr(0, dot) + "-" + safe + path.substr(dot);
}

// The fits of the groups as one JSON array (each object the fit file of its group; data_source names the group).
std::string FitsToJsonArray(const std::vector<FitSummary>& fits, int indent) {
  std::string out = indent < 0 ? "[" : "[\n";
  for (std::size_t g = 0; g < fits.size(); ++g) {
    out += (g == 0 ? "" : indent < 0 ? "," : ",\n") + FitToJson(fits[g], indent);
  }
  return out + (indent < 0 ? "]" : "\n]");
}

// Each group's full report, then the groups side by side: every parameter's value (and bootstrap SE), the status.
std::string GroupsReport(const std::string& group_by, const std::vector<std::string>& labels,
                         const std::vector<FitSummary>& fits) {
  std::string out;
  for (std::size_t g = 0; g < fits.size(); ++g) {
    out += fmt::format("=== {} = {} ===\n{}\n", group_by, labels[g], fits[g].FullReport());
  }
  out += fmt::format("Side by side, one fit per value of '{}'\n\n  {:<12}", group_by, "");
  for (const std::string& label : labels) out += fmt::format(" {:>16}", label.substr(0, 16));
  out += "\n";
  for (const std::string& name : fits.front().parameter_names) {
    out += fmt::format("  {:<12}", name);
    for (const FitSummary& fit : fits) {
      const auto value = fit.params.find(name);
      const auto spread = fit.uncertainty.find(name);
      std::string cell = value == fit.params.end() ? "-" : fmt::format("{:.6g}", value->second);
      if (spread != fit.uncertainty.end() && std::isfinite(spread->second.se)) {
        cell += fmt::format(" ({:.2g})", spread->second.se);
      }
      out += fmt::format(" {:>16}", cell);
    }
    out += "\n";
  }
  out += fmt::format("  {:<12}", "runs");
  for (const FitSummary& fit : fits) out += fmt::format(" {:>16}", fit.num_points);
  out += fmt::format("\n  {:<12}", "status");
  for (const FitSummary& fit : fits) out += fmt::format(" {:>16}", AnalysisStatusName(fit.status));
  return out + "\n  (values, bootstrap SE in parentheses when resampled)\n";
}

}  // namespace

PreparedFit PrepareFit(const FitCommand& command, const std::vector<std::string>& extra_columns) {
  FitOptions options;
  options.estimator = EstimatorFromName(command.estimator);
  options.huber_delta = command.huber_delta;
  options.objective = ObjectiveFromName(command.objective);
  if (!command.residual.empty()) options.residual = ResidualFromName(command.residual);
  options.asymmetry = command.asymmetry;
  options.num_threads = command.threads;
  options.fixed = ParseAssignments(command.fix, "--fix");
  for (const auto& [leader, follower] : ParsePairs(command.tie, "--tie", "NAME=NAME"))
    options.tied.emplace_back(leader, follower);
  for (const auto& [name, range] : ParsePairs(command.bound, "--bound", "NAME=LOWER:UPPER")) {
    const std::size_t colon = range.find(':');
    if (colon == std::string::npos) {
      throw InvalidArgument("--bound " + name + "=" + range + ": expected NAME=LOWER:UPPER");
    }
    // An empty side or "inf" leaves that side open: --bound A=0: or --bound A=0:inf.
    auto side = [&](const std::string& text, double open) {
      if (text.empty() || text == "inf" || text == "+inf" || text == "-inf") return open;
      const std::optional<double> number = FiniteNumber(text);
      if (!number) throw InvalidArgument(fmt::format("--bound {}={}: '{}' is not a finite number", name, range, text));
      return *number;
    };
    const double infinity = std::numeric_limits<double>::infinity();
    options.bounds[name] = {side(range.substr(0, colon), -infinity), side(range.substr(colon + 1), infinity)};
  }
  options.bootstrap_resamples = command.bootstrap;
  options.holdout_top = command.holdout_top;
  if (!std::isnan(command.max_span)) options.max_parameter_span = command.max_span;
  try {
    options.SetStarts(command.starts);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("--") + e.what());
  }
  options.start_seed = static_cast<std::uint64_t>(command.seed);
  options.bootstrap_seed = static_cast<std::uint64_t>(command.seed);
  options.at_flops = command.at_flops;
  options.grid = ParseGrids(command.grid);

  // A named form reads N, D (or C), loss; a formula reads whichever columns it names.
  std::optional<Model> model;
  if (command.model == "loglinear" && command.formula.empty()) {
    std::vector<std::string> inputs;
    for (const auto& [name, column] : ParsePairs(command.col, "--col", "NAME=COLUMN")) inputs.push_back(name);
    if (inputs.empty()) throw InvalidArgument("--model loglinear reads the columns named by --col NAME=COLUMN");
    model = Model::LogLinear(inputs);
  } else if (command.formula.empty()) {
    model = Model::FromName(command.model);
    const std::vector<std::string> reads = model->inputs();
    if (command.unique_tokens_col.empty() && std::find(reads.begin(), reads.end(), "U") != reads.end()) {
      throw InvalidArgument("--model " + command.model +
                            " needs the unique tokens U of every run: name their column with --unique-tokens-col");
    }
  }
  RunColumns columns;
  columns.params = command.params_col;
  columns.tokens = command.tokens_col;
  columns.flops = command.flops_col;
  columns.loss = command.loss_col;
  columns.weight = command.weight_col;
  columns.unique_tokens = command.unique_tokens_col;
  const std::string text = detail::ReadWholeFile(command.file);
  const std::string source = detail::DisplayName(command.file);
  if (!command.formula.empty()) {
    // Every identifier of the formula is a column (the header's, or one --col maps) or a parameter; a parameter
    // that looks like a misspelt column is an error unless declared.
    std::vector<std::string> names = CsvHeader(text);
    for (const auto& [name, column] : ParsePairs(command.col, "--col", "NAME=COLUMN")) names.push_back(name);
    model = Model::FromFormula(command.formula, names);
    CheckFormulaParameters(*model, names, options, command.params);
  } else if (model->data_columns().empty() && !command.col.empty()) {
    throw InvalidArgument("--col names the columns of a formula model");
  }
  // A zero or negative loss has no log residual: the reader names its file, line and column, and here the
  // option that takes it.
  const bool signed_loss = ResidualOf(options) == Residual::kLoss;
  NumericTable table;
  TableQuery query = QueryOf(command, *model, columns, signed_loss ? CellDomain::kFinite : CellDomain::kPositive);
  for (const std::string& extra : extra_columns) {
    const bool read = std::any_of(query.columns.begin(), query.columns.end(),
                                  [&extra](const ColumnRequest& c) { return c.name == extra; });
    if (!read) query.columns.push_back({extra, CellDomain::kPositive});
  }
  try {
    table = ParseNumericCsv(text, source, query);
  } catch (const InputError& error) {
    const std::string what = error.what();
    if (signed_loss || what.find("column '" + command.loss_col + "'") == std::string::npos ||
        what.find("expected a positive number") == std::string::npos || what.find("empty cell") != std::string::npos) {
      throw;
    }
    throw InvalidArgument(
        fmt::format("{} (--objective {} acts on log residuals; fit the loss itself with --residual {})", what,
                    command.objective, ResidualName(Residual::kLoss)));
  }
  return PreparedFit{std::move(options), std::move(*model), std::move(columns), std::move(table)};
}

Dataset PreparedFit::Runs(const FitCommand& command, const std::string& label) const {
  return RunsOf(label.empty() ? table : table.Group(label), command, model, columns);
}

std::string PreparedFit::DescribeColumns(const FitCommand& command) const {
  return cli::DescribeColumns(command, model);
}

int RunFit(const FitCommand& command) {
  PreparedFit prepared = PrepareFit(command);
  const FitOptions& options = prepared.options;
  const std::optional<Model> model = prepared.model;
  const NumericTable& table = prepared.table;
  const RunColumns& columns = prepared.columns;

  // One fit per group (one group: the whole table).
  const std::vector<std::string> labels = command.group_by.empty() ? std::vector<std::string>{""} : table.GroupLabels();
  std::vector<FitSummary> fits;
  report::Report page;
  page.title = "scalelaw fit: " + (command.formula.empty() ? command.model : command.formula);
  for (const std::string& label : labels) {
    Dataset data = RunsOf(label.empty() ? table : table.Group(label), command, *model, columns);
    const int rows_read = static_cast<int>(data.size());
    if (command.drop_highest > 0) data = DropHighestLoss(data, command.drop_highest);
    FitSummary fit;
    Fit(data, *model, options, &fit);
    fit.data_source = command.file == "-" ? "<stdin>" : command.file;
    if (!label.empty()) fit.data_source += fmt::format(" [{} = {}]", command.group_by, label);
    if (!table.Selection().empty()) fit.data_source += " (" + table.Selection() + ")";
    fit.drop_highest = command.drop_highest;
    if (command.drop_highest > 0) {
      fit.data_source += fmt::format(" ({} read, {} highest losses dropped)", rows_read, command.drop_highest);
    }
    fit.data_columns = {DescribeColumns(command, *model)};
    if (!command.plot.empty() || !command.report.empty()) {
      std::vector<FitChart> charts = FitCharts(command, *model, data, fit);
      const std::string plot_path = label.empty() ? command.plot : PathForGroup(command.plot, label);
      for (const FitChart& chart : charts) {
        if (!command.plot.empty()) {
          plot::WriteSvgFile(chart.chart, chart.suffix.empty() ? plot_path : PathForGroup(plot_path, chart.suffix));
        }
      }
      if (!command.report.empty()) {
        report::Section section{
            label.empty() ? "Fit" : fmt::format("{} = {}", command.group_by, label), fit.FullReport(), {}, {}};
        for (FitChart& chart : charts) section.figures.push_back({chart.caption, std::move(chart.chart)});
        page.sections.push_back(std::move(section));
      }
    }
    fits.push_back(std::move(fit));
  }
  if (!command.report.empty()) {
    page.command_line = CommandLine();
    std::vector<std::string> unusable;
    for (std::size_t g = 0; g < fits.size(); ++g) {
      if (!fits[g].IsUsable()) unusable.push_back(labels[g].empty() ? fits[g].message : labels[g]);
    }
    page.status = unusable.empty() ? "usable" : fmt::format("not usable: {}", fmt::join(unusable, "; "));
    page.data.push_back({command.file, table.Selection(), DescribeColumns(command, *model)});
    page.json = command.group_by.empty() ? FitToJson(fits.front()) : FitsToJsonArray(fits, -1);
    report::WriteHtmlFile(page, command.report);
  }

  if (command.group_by.empty()) {
    const FitSummary& fit = fits.front();
    if (!command.output.empty()) detail::WriteWholeFile(command.output, FitToJson(fit, 2) + "\n", "the fit");
    fmt::print("{}", command.json ? FitToJson(fit) + "\n" : fit.FullReport());
    return ExitCodeFor(fit.status, fit.message, "the fit");
  }
  if (!command.output.empty()) detail::WriteWholeFile(command.output, FitsToJsonArray(fits, 2) + "\n", "the fits");
  fmt::print("{}", command.json ? FitsToJsonArray(fits, -1) + "\n" : GroupsReport(command.group_by, labels, fits));
  // One line however many groups fail: which ones, and the reason when there is only one (the report has each).
  std::vector<std::string> unusable;
  for (std::size_t g = 0; g < fits.size(); ++g) {
    if (!fits[g].IsUsable()) unusable.push_back(labels[g]);
  }
  if (unusable.empty()) return kExitOk;
  constexpr std::size_t kGroupsNamed = 5;
  std::string named;
  for (std::size_t k = 0; k < std::min(unusable.size(), kGroupsNamed); ++k) named += (k ? ", " : "") + unusable[k];
  if (unusable.size() > kGroupsNamed) named += fmt::format(" and {} more", unusable.size() - kGroupsNamed);
  const auto first = std::find_if(fits.begin(), fits.end(), [](const FitSummary& fit) { return !fit.IsUsable(); });
  PrintError(fmt::format("{} of {} groups' fits are not usable ({} = {}){}", unusable.size(), fits.size(),
                         command.group_by, named,
                         unusable.size() == 1 ? ": " + first->message : "; each reason is in the report"));
  return kExitUnusable;
}

}  // namespace scalelaw::cli
