// scalelaw fit FILE: fits a model form to the runs in a CSV file.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "io/read_file.h"
#include "plot/result_charts.h"
#include "plot/svg_plot.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"

namespace scalelaw::cli {
namespace {

std::string DescribeColumns(const FitCommand& command, const Model& model) {
  if (!model.data_columns().empty()) {
    std::string columns;
    for (const std::string& name : model.data_columns()) columns += (columns.empty() ? "'" : ", '") + name + "'";
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

// The runs for a formula: the loss and every column the formula reads, data identifier c from the CSV column
// that --col c=COLUMN names (or the column called c).
Dataset ReadFormulaRuns(const std::string& text, const std::string& source, const FitCommand& command,
                        const std::vector<std::string>& formula_columns) {
  std::map<std::string, std::string> mapping;
  for (const auto& [name, column] : ParsePairs(command.col, "--col", "NAME=COLUMN")) {
    if (std::find(formula_columns.begin(), formula_columns.end(), name) == formula_columns.end()) {
      std::string known;
      for (const std::string& c : formula_columns) known += (known.empty() ? "" : ", ") + c;
      throw InvalidArgument("--col " + name + "=" + column + ": the model reads no '" + name + "' (it reads " + known +
                            ")");
    }
    mapping[name] = column;
  }
  auto csv_name = [&](const std::string& name) { return mapping.count(name) ? mapping.at(name) : name; };
  std::vector<std::string> names;
  for (const std::string& name : formula_columns) names.push_back(csv_name(name));
  names.push_back(command.loss_col);
  if (!command.weight_col.empty()) names.push_back(command.weight_col);
  // Any sign: Fit refuses a non-positive loss on log residuals.
  const NumericTable table = ParseNumericCsv(text, source, names, {command.loss_col});
  Dataset data;
  data.loss = table.Column(command.loss_col);
  for (const std::string& name : formula_columns) data.columns[name] = table.Column(csv_name(name));
  if (!command.weight_col.empty()) data.weights = table.Column(command.weight_col);
  return data;
}

// The runs at C = 6ND with the fitted law per model size and, for a usable fit that allocates a budget, the
// compute-optimal frontier and the 95% band of the bootstrap resamples' frontiers: the chart of the fit as a Law
// (plot::MakeFitChart, as Python's scalelaw.plot). N and D are the named form's, or a formula's columns N and D.
void WritePlot(const std::string& path, const Dataset& data, const FitSummary& fit, double at_flops) {
  auto column = [&data](const std::vector<double>& named, const char* formula_name) -> const std::vector<double>& {
    if (!named.empty()) return named;
    const auto found = data.columns.find(formula_name);
    return found == data.columns.end() ? named : found->second;
  };
  const std::vector<double>& params = column(data.params, "N");
  const std::vector<double>& tokens = column(data.tokens, "D");
  if (params.empty() || tokens.empty()) {
    throw InvalidArgument(
        "--plot draws loss against compute 6ND: the fit must read N and D (a named form of N and D, "
        "or a formula over columns N and D)");
  }
  plot::FitChartOptions options;
  options.at_flops = at_flops > 0 ? at_flops : plot::FitBudget(fit);
  plot::WriteSvgFile(
      plot::LossVsComputeChart(plot::MakeFitChart(FittedLaw(fit, "fit"), params, tokens, data.loss, options).data),
      path);
}

}  // namespace

int RunFit(const FitCommand& command) {
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
  Dataset data;
  if (!command.formula.empty() || !model->data_columns().empty()) {
    const std::string text = detail::ReadWholeFile(command.file);
    const std::string source = detail::DisplayName(command.file);
    if (!command.formula.empty()) model = Model::FromFormula(command.formula, CsvHeader(text));
    data = ReadFormulaRuns(text, source, command, model->data_columns());
  } else {
    if (!command.col.empty()) throw InvalidArgument("--col names the columns of a formula model");
    RunColumns columns;
    columns.params = command.params_col;
    columns.tokens = command.tokens_col;
    columns.flops = command.flops_col;
    columns.loss = command.loss_col;
    columns.weight = command.weight_col;
    columns.unique_tokens = command.unique_tokens_col;
    // A zero or negative loss has no log residual: the reader names its file, line and column, and here the
    // option that takes it.
    columns.signed_loss = ResidualOf(options) == Residual::kLoss;
    try {
      data = ReadRunsCsv(command.file, columns);
    } catch (const InputError& error) {
      const std::string what = error.what();
      if (columns.signed_loss || what.find("column '" + command.loss_col + "'") == std::string::npos ||
          what.find("expected a positive number") == std::string::npos) {
        throw;
      }
      throw InvalidArgument(
          fmt::format("{} (--objective {} acts on log residuals; fit the loss itself with "
                      "--residual {})",
                      what, command.objective, ResidualName(Residual::kLoss)));
    }
  }
  const int rows_read = static_cast<int>(data.size());
  if (command.drop_highest > 0) data = DropHighestLoss(data, command.drop_highest);

  FitSummary fit;
  Fit(data, *model, options, &fit);
  fit.data_source = command.file == "-" ? "<stdin>" : command.file;
  fit.drop_highest = command.drop_highest;
  if (command.drop_highest > 0) {
    fit.data_source += fmt::format(" ({} read, {} highest losses dropped)", rows_read, command.drop_highest);
  }
  fit.data_columns = {DescribeColumns(command, *model)};

  if (!command.output.empty()) detail::WriteWholeFile(command.output, FitToJson(fit, 2) + "\n", "the fit");
  if (!command.plot.empty()) WritePlot(command.plot, data, fit, command.at_flops);
  fmt::print("{}", command.json ? FitToJson(fit) + "\n" : fit.FullReport());
  return ExitCodeFor(fit.status, fit.message, "the fit");
}

}  // namespace scalelaw::cli
