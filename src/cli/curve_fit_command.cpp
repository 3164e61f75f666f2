// scalelaw curve fit | predict: loss-curve laws fitted to training logs (scalelaw/curves/curve_fit.h) and their
// predictions for schedules, with the bootstrap's intervals.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/cli11_options.h"
#include "cli/curve_command.h"
#include "cli/output.h"
#include "io/read_file.h"
#include "plot/curve_charts.h"
#include "plot/html_report.h"
#include "plot/svg_plot.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/curves/log_curves.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "scalelaw/io/curves.h"

namespace scalelaw::cli {
namespace {

std::vector<std::string> LawNames() {
  std::vector<std::string> names;
  for (CurveLawForm form : {CurveLawForm::kMultiPower, CurveLawForm::kAnnealing, CurveLawForm::kPowerOnly}) {
    names.emplace_back(CurveLawFormName(form));
  }
  return names;
}

void AddLogOptions(CLI::App* sub, CurveLogOptions& log) {
  AddLogFormatOption(sub, log.format);
  sub->add_option("--metric", log.metric, "The curve's column, key or TensorBoard tag, e.g. train/loss")
      ->capture_default_str();
  sub->add_option("--step-col", log.step_col, "The step's column or key (default as in curve table)");
  sub->add_option("--lr-col", log.lr_col, "The learning rate's column or key (default lr, learning_rate, .../lr)");
  sub->add_option("--run-col", log.run_col, "A column (key) naming the run of each row: one run per value");
  sub->add_option("--facts", log.facts,
                  "A CSV with a 'run' column and a 'schedule' column: each run's LR schedule spec (a file's run is "
                  "its name without directory and extension)");
  sub->add_option("--where", log.where,
                  "Keep only the rows of a CSV log where COLUMN=VALUE, !=, <, <=, > or >= "
                  "holds (repeatable)");
  sub->add_option("--schedule", log.schedule,
                  "The LR schedule spec of every run, e.g. cosine:peak=3e-4,end=3e-5,steps=24000,warmup=2160 "
                  "(default: each run's schedule in --facts, else its logged LR interpolated between logged steps)");
  sub->add_option("--max-lr-gap", log.max_lr_gap,
                  "Refuse a logged LR column with two logged steps further apart than this (0: any gap)")
      ->check(WholeNumber(0, kMaxInt));
  auto* params = AddNumber(sub, "--params", log.params,
                           "N of every run (a --facts row of the run comes first); curve predict --schedule with a "
                           "fit across sizes (curve fit --across-sizes): the N to predict at");
  sub->add_option("--params-col", log.params_col, "A column (key) with each run's N (constant within a run)")
      ->excludes(params);
}

CurveReadOptions ReadOptions(const CurveLogOptions& log) {
  CurveReadOptions options;
  options.format = LogFormatFromName(log.format);
  options.metric = log.metric;
  options.step = log.step_col;
  options.lr = log.lr_col;
  options.tokens = "-";
  options.run_key = log.run_col;
  options.facts_table = log.facts;
  options.params_col = log.params_col;
  if (log.params > 0) options.facts.params = log.params;
  for (const std::string& spec : log.where) {
    try {
      options.where.push_back(RowFilter::Parse(spec));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("--where: ") + e.what());
    }
  }
  return options;
}

std::vector<TrainingCurve> ReadTrainingCurves(const std::vector<std::string>& logs, const CurveLogOptions& log) {
  const CurveTable table = ReadCurves(logs, ReadOptions(log));
  LogCurvesOptions options;
  options.schedule = log.schedule;
  options.max_lr_gap = log.max_lr_gap;
  std::vector<std::string> warnings;
  std::vector<TrainingCurve> curves;
  try {
    curves = TrainingCurvesFromTable(table, options, &warnings);
  } catch (const InvalidArgument& e) {
    // a schedule spec that does not parse came from --schedule or the facts table
    throw InvalidArgument(fmt::format("{}{}", log.schedule.empty() ? "" : "--schedule: ", e.what()));
  }
  PrintWarnings(warnings);
  return curves;
}

// Each curve's errors under fit, as a table with the mean row (the paper's tables average each metric).
std::string ErrorsTable(const std::string& title, const std::vector<std::string>& names,
                        const std::vector<CurveErrors>& errors) {
  std::string out = fmt::format("\n{}\ncurve                  points  PredE     WorstE    R^2\n", title);
  for (std::size_t c = 0; c < errors.size(); ++c) {
    out += fmt::format("{:<22} {:>6}  {:<8.6f}  {:<8.6f}  {:.6f}\n", names[c], errors[c].points, errors[c].pred_e,
                       errors[c].worst_e, errors[c].r2);
  }
  if (errors.size() > 1) {
    const CurveErrors mean = MeanCurveErrors(errors);
    out += fmt::format("{:<22} {:>6}  {:<8.6f}  {:<8.6f}  {:.6f}\n", "mean", "", mean.pred_e, mean.worst_e, mean.r2);
  }
  return out;
}

std::vector<CurveErrors> ErrorsOf(const CurveFitSummary& fit, const std::vector<TrainingCurve>& curves) {
  std::vector<CurveErrors> errors;
  const CurveLaw law = fit.Law();
  for (const TrainingCurve& curve : curves) {
    errors.push_back(CurvePredictionErrors(curve.loss, CurveLoss(law, curve.lr, curve.steps)));
  }
  return errors;
}

nlohmann::json ErrorsJson(const CurveErrors& e) {
  return {{"pred_e", e.pred_e}, {"worst_e", e.worst_e}, {"r2", e.r2}, {"mae", e.mae}, {"rmse", e.rmse}};
}

// Each curve's errors: "name", "points", "pred_e", "worst_e", "r2", "mae", "rmse" (and "params" across sizes).
nlohmann::json ErrorsJson(const std::vector<TrainingCurve>& curves, const std::vector<CurveErrors>& errors,
                          bool with_params = false) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t c = 0; c < errors.size(); ++c) {
    nlohmann::json row = {{"name", curves[c].name}, {"points", errors[c].points}};
    row.update(ErrorsJson(errors[c]));
    if (with_params) row["params"] = curves[c].params;
    out.push_back(std::move(row));
  }
  return out;
}

nlohmann::json::string_t Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // run names need not be UTF-8
}

// curve predict --log: each observed curve's errors under the fit (as JSON or a table). names: the curves' names
// as the table shows them.
int PrintScoredCurves(const CurvePredictCommand& command, CurveLawForm form, const std::string& brief,
                      const std::vector<TrainingCurve>& curves, const std::vector<std::string>& names,
                      const std::vector<CurveErrors>& errors, bool across_sizes) {
  if (command.json) {
    fmt::print("{}\n", Dump({{"form", std::string(CurveLawFormName(form))},
                             {"curves", ErrorsJson(curves, errors, across_sizes)},
                             {"mean", ErrorsJson(MeanCurveErrors(errors))}}));
  } else {
    fmt::print("{}\n", brief);
    fmt::print("{}", ErrorsTable(fmt::format("observed curves against the law's prediction from their {}schedules:",
                                             across_sizes ? "N and " : ""),
                                 names, errors));
  }
  return kExitOk;
}

// curve predict --schedule: the forecast as JSON (extra keys first) or text, and as CSV to --output or stdout.
void PrintForecast(const CurvePredictCommand& command, CurveLawForm form, const std::string& heading,
                   const CurveForecast& forecast, nlohmann::json extra) {
  std::string csv = forecast.HasInterval() ? "step,lr,loss,lower,upper\n" : "step,lr,loss\n";
  for (std::size_t i = 0; i < forecast.steps.size(); ++i) {
    csv += fmt::format("{},{:.17g},{:.17g}", forecast.steps[i], forecast.lr[i], forecast.loss[i]);
    if (forecast.HasInterval()) csv += fmt::format(",{:.17g},{:.17g}", forecast.lower[i], forecast.upper[i]);
    csv += "\n";
  }
  const long last = forecast.steps.back();
  if (command.json) {
    nlohmann::json json = {{"form", std::string(CurveLawFormName(form))}};
    json.update(extra);
    json["schedule"] = command.log.schedule;
    json["final_step"] = last;
    json["final_loss"] = forecast.final_loss;
    if (forecast.HasInterval()) {
      const ResampleSummary& r = forecast.final_loss_resamples;
      json["final_loss_ci95"] = {r.ci95.first, r.ci95.second};
      json["final_loss_se"] = r.se;
      json["resamples"] = r.resamples;
    }
    nlohmann::json points = nlohmann::json::array();
    for (std::size_t i = 0; i < forecast.steps.size(); ++i) {
      nlohmann::json point = {{"step", forecast.steps[i]}, {"lr", forecast.lr[i]}, {"loss", forecast.loss[i]}};
      if (forecast.HasInterval()) {
        point["lower"] = forecast.lower[i];
        point["upper"] = forecast.upper[i];
      }
      points.push_back(std::move(point));
    }
    json["curve"] = std::move(points);
    fmt::print("{}\n", Dump(json));
  } else {
    fmt::print("{}\nschedule {}\n", heading, command.log.schedule);
    fmt::print("final loss (step {}): {:.6f}", last, forecast.final_loss);
    if (forecast.HasInterval()) {
      const ResampleSummary& r = forecast.final_loss_resamples;
      fmt::print("  [95% {:.6f}, {:.6f}] ({} bootstrap resamples)", r.ci95.first, r.ci95.second, r.resamples);
    }
    fmt::print("\n");
    if (command.output.empty()) fmt::print("\n{}", csv);
  }
  if (!command.output.empty()) {
    detail::WriteWholeFile(command.output, csv, "the predicted curve");
    if (!command.json) fmt::print("{} points written to {}\n", forecast.steps.size(), command.output);
  }
}

// The LR per step of --schedule (required without --log).
std::vector<double> ScheduleLr(const CurvePredictCommand& command) {
  if (command.log.schedule.empty()) throw InvalidArgument("--schedule SPEC (or --log LOG...) is required");
  try {
    return LrPerStep(ParseLrSchedule(command.log.schedule));
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("--schedule: ") + e.what());
  }
}

long EveryOf(const CurvePredictCommand& command, const std::vector<double>& lr) {
  return command.every > 0 ? command.every : std::max<long>(1, static_cast<long>(lr.size()) / 200);
}

// out.svg -> out-lr.svg.
std::string LrChartPath(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.find_last_of("/\\");
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path + "-lr";
  return path.substr(0, dot) + "-lr" + path.substr(dot);
}

// The loss curves at path and the LR schedules beside it (fit: a CurveFitSummary or a CurveSizeFitSummary).
template <typename Fit>
void WriteCurvePlots(const std::string& path, const Fit& fit, const std::vector<TrainingCurve>& curves,
                     const std::vector<std::string>& fitted) {
  const plot::CurveChartData data = plot::MakeCurveChart(fit, curves, fitted);
  plot::WriteSvgFile(plot::LossCurvesChart(data), path);
  plot::WriteSvgFile(plot::LrSchedulesChart(data), LrChartPath(path));
}

}  // namespace

void AddCurveFitSubcommand(CLI::App* curve, CurveFitCommand& command, int& exit_code) {
  CLI::App* sub = curve->add_subcommand(
      "fit",
      "Fit a schedule-aware loss-curve law (Multi-Power Law, Tissue et al. annealing law, or the annealing-free "
      "power law) to the loss curves of training logs, with a moving-block bootstrap");
  sub->add_option("logs", command.logs, "Log files; each is a run unless --run-col names a column of run names")
      ->required();
  AddLogOptions(sub, command.log);
  sub->add_option("--law", command.law,
                  "The law: multi-power (Luo et al. 2025, arXiv:2503.12811), annealing (Tissue et al. 2024, "
                  "arXiv:2408.11029), power (L0 + A*S1^-alpha, no annealing term)")
      ->capture_default_str()
      ->check(CLI::IsMember(LawNames()));
  sub->add_option("--train", command.train,
                  "The runs to fit, comma-separated (default: all); the other runs are predicted and scored")
      ->delimiter(',');
  sub->add_option("--lambda", command.lambda, "The annealing law's momentum of the annealing area")
      ->capture_default_str()
      ->check(NumberFromTo(0.0, 0.999999));
  sub->add_flag("--fit-lambda", command.fit_lambda,
                "Fit the annealing law's lambda too (from --lambda; with --across-sizes one lambda for every size)");
  sub->add_option("--bootstrap", command.bootstrap,
                  "Moving-block residual bootstrap resamples (0: none): intervals on the parameters and predictions")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxResamples));
  sub->add_option("--seed", command.seed, "Seed of the bootstrap (same seed, same result on any thread count)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxSeed));
  sub->add_option("--block-length", command.block_length,
                  "Bootstrap block length in logged points (0: round(n^(1/3)) for a curve of n points)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxInt));
  sub->add_option("--threads", command.threads, "Threads for the starts and the bootstrap (0: all cores)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxThreads));
  AddJsonFlag(sub, command.json);
  sub->add_option("--output", command.output, "Write the fit as JSON to this file (for curve predict --fit)");
  sub->add_option("--plot", command.plot,
                  "Write SVG charts: observed against predicted curves (with the bootstrap band) to this file, the "
                  "LR schedules to its name with -lr");
  AddReportOption(sub, command.report);
  sub->add_flag("--across-sizes", command.across_sizes,
                "Fit one law jointly to runs of several model sizes, some parameters power laws in N (each run's N "
                "from --params-col, a 'params' column of --facts, or --params); curve predict --params N then "
                "predicts an unseen size");
  sub->add_option("--scaled", command.scaled,
                  "With --across-sizes: the law's parameters that are power laws in N, comma-separated (default: "
                  "multi-power L0,A,B; annealing L0,A,C; power L0,A); the others are shared by every size")
      ->delimiter(',');
  AddNumber(sub, "--reference-params", command.reference_params,
            "With --across-sizes: N_ref of the power laws theta(N) = theta_ref * (N / N_ref)^e (default: the "
            "geometric mean of the fitted sizes)");
  sub->callback([&command, &exit_code] { exit_code = RunCurveFit(command); });
}

void AddCurvePredictSubcommand(CLI::App* curve, CurvePredictCommand& command, int& exit_code) {
  CLI::App* sub = curve->add_subcommand(
      "predict",
      "Predict the loss curve of an LR schedule from a curve fit (curve fit --output), with the bootstrap's 95% "
      "interval, or score the fit on observed curves (--log)");
  sub->add_option("--fit", command.fit, "The fit's JSON (curve fit --output)")->required();
  sub->add_option("--log", command.logs, "Logs of observed curves to compare with (PredE, WorstE per curve)");
  AddLogOptions(sub, command.log);
  sub->add_option("--every", command.every, "Predict every K-th step and the last (0: about 200 points)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxInt));
  AddJsonFlag(sub, command.json);
  sub->add_option("--output", command.output,
                  "Write the predicted curve as CSV (step, lr, loss and, with a bootstrap, lower, upper)");
  sub->add_option("--plot", command.plot, "Write an SVG chart of the predicted (and observed) curves");
  sub->callback([&command, &exit_code] { exit_code = RunCurvePredict(command); });
}

namespace {

std::vector<CurveErrors> SizeErrorsOf(const CurveSizeFitSummary& fit, const std::vector<TrainingCurve>& curves) {
  std::vector<CurveErrors> errors;
  const CurveSizeLaw law = fit.Law();
  for (const TrainingCurve& curve : curves) {
    errors.push_back(CurvePredictionErrors(curve.loss, CurveLoss(law.At(curve.params), curve.lr, curve.steps)));
  }
  return errors;
}

// A run without N cannot enter a fit across sizes: exit 2 naming it and where N comes from.
void RequireSizes(const std::vector<TrainingCurve>& curves) {
  for (const TrainingCurve& curve : curves) {
    if (!(curve.params > 0 && std::isfinite(curve.params))) {
      throw InvalidArgument(fmt::format(
          "run '{}' has no N (params): give each run's N with --params-col, a 'params' column in --facts, or "
          "--params",
          curve.name));
    }
  }
}

// The options of curve fit that both fits share (FitCurveLaw's).
CurveFitOptions FitOptions(const CurveFitCommand& command) {
  CurveFitOptions options;
  options.lambda = command.lambda;
  options.fit_lambda = command.fit_lambda;
  options.bootstrap_resamples = command.bootstrap;
  options.bootstrap_seed = static_cast<std::uint64_t>(command.seed);
  options.block_length = command.block_length;
  options.num_threads = command.threads;
  return options;
}

// The fit's full report with the held-out curves' errors after it.
template <typename Fit>
std::string FitText(const Fit& fit, const std::vector<TrainingCurve>& held_out,
                    const std::vector<CurveErrors>& held_out_errors, bool across_sizes) {
  std::string text = fit.FullReport();
  if (held_out_errors.empty()) return text;
  std::vector<std::string> names;
  for (const TrainingCurve& curve : held_out) {
    names.push_back(across_sizes ? fmt::format("{} (N {:.4g})", curve.name, curve.params) : curve.name);
  }
  return text + ErrorsTable(fmt::format("held-out curves (not fitted), predicted from their {}schedules:",
                                        across_sizes ? "N and " : ""),
                            names, held_out_errors);
}

// The fit as --json prints it (with the held-out curves' errors) or its full report with theirs; --output; --plot
// (the fitted and held-out curves against the law, and the LR schedules); --report (all of it on one page).
template <typename Fit>
void PrintFit(const CurveFitCommand& command, const Fit& fit, const std::string& json_text,
              const std::vector<TrainingCurve>& all, const std::vector<TrainingCurve>& train,
              const std::vector<TrainingCurve>& held_out, const std::vector<CurveErrors>& held_out_errors,
              bool across_sizes) {
  if (!command.output.empty()) detail::WriteWholeFile(command.output, json_text + "\n", "the fit");
  nlohmann::json json = nlohmann::json::parse(json_text);
  if (!held_out.empty()) json["held_out"] = ErrorsJson(held_out, held_out_errors, across_sizes);
  const std::string text = FitText(fit, held_out, held_out_errors, across_sizes);
  std::optional<plot::CurveChartData> charts;
  if (fit.IsUsable() && (!command.plot.empty() || !command.report.empty())) {
    std::vector<std::string> fitted;
    for (const TrainingCurve& curve : train) fitted.push_back(curve.name);
    charts = plot::MakeCurveChart(fit, all, fitted);
  }
  if (charts && !command.plot.empty()) {
    plot::WriteSvgFile(plot::LossCurvesChart(*charts), command.plot);
    plot::WriteSvgFile(plot::LrSchedulesChart(*charts), LrChartPath(command.plot));
  }
  if (!command.report.empty()) {
    report::Report page;
    page.title = fmt::format("scalelaw curve fit: {}{}", command.law, across_sizes ? " across sizes" : "");
    page.command_line = CommandLine();
    page.status = std::string(AnalysisStatusName(fit.status)) + (fit.IsUsable() ? "" : ": " + fit.message);
    for (const std::string& log : command.logs) page.data.push_back({log, "", "training log"});
    report::Section section{"Curve fit", text, {}, {}};
    if (charts) {
      section.figures.push_back(
          {"Observed (markers) against predicted loss curves; held-out runs dashed", plot::LossCurvesChart(*charts)});
      section.figures.push_back({"The runs' learning-rate schedules", plot::LrSchedulesChart(*charts)});
    }
    page.sections.push_back(std::move(section));
    page.json = Dump(json);
    report::WriteHtmlFile(page, command.report);
  }
  if (command.json) {
    fmt::print("{}\n", Dump(json));
    return;
  }
  fmt::print("{}", text);
  if (!command.output.empty()) fmt::print("\nfit written to {}\n", command.output);
  if (charts && !command.plot.empty()) {
    fmt::print("charts written to {} and {}\n", command.plot, LrChartPath(command.plot));
  }
}

int RunCurveSizeFit(const CurveFitCommand& command, const std::vector<TrainingCurve>& all,
                    const std::vector<TrainingCurve>& train, const std::vector<TrainingCurve>& held_out) {
  RequireSizes(train);
  RequireSizes(held_out);
  const CurveLawForm form = CurveLawFormFromName(command.law);
  CurveSizeFitOptions options;
  options.fit = FitOptions(command);
  options.scaled = command.scaled;
  options.reference_params = command.reference_params;
  std::string error;
  if (!options.IsValid(form, &error)) throw InvalidArgument("--scaled: " + error);
  const CurveSizeFitSummary fit = FitCurveLawAcrossSizes(form, train, options);
  std::vector<CurveErrors> held_out_errors;
  if (fit.IsUsable() && !held_out.empty()) held_out_errors = SizeErrorsOf(fit, held_out);
  PrintFit(command, fit, CurveSizeFitToJson(fit), all, train, held_out, held_out_errors, true);
  return ExitCodeFor(fit.status, fit.message, "the curve fit across sizes");
}

// curve predict with a fit across sizes: the law at --params N (or at each observed run's N).
int RunCurveSizePredict(const CurvePredictCommand& command, const std::string& text) {
  const CurveSizeFitSummary fit = CurveSizeFitFromJson(text, command.fit);
  if (!fit.IsUsable()) return ExitCodeFor(fit.status, fit.message, fmt::format("the fit in {}", command.fit));
  if (!command.logs.empty()) {
    const std::vector<TrainingCurve> curves = ReadTrainingCurves(command.logs, command.log);
    RequireSizes(curves);
    std::vector<std::string> names;
    for (const TrainingCurve& curve : curves) names.push_back(fmt::format("{} (N {:.4g})", curve.name, curve.params));
    return PrintScoredCurves(command, fit.form, fit.BriefReport(), curves, names, SizeErrorsOf(fit, curves), true);
  }
  const std::vector<double> lr = ScheduleLr(command);
  if (!(command.log.params > 0)) {
    throw InvalidArgument(fmt::format("--params N is required: {} is a fit across sizes", command.fit));
  }
  const CurveForecast forecast = ForecastCurveAtSize(fit, command.log.params, lr, EveryOf(command, lr));
  const CurveLaw law = fit.Law().At(command.log.params);
  nlohmann::json parameters = nlohmann::json::object();
  const std::vector<std::string> names = CurveLawParameterNames(law.form);
  for (std::size_t j = 0; j < names.size() && j < law.parameters.size(); ++j) parameters[names[j]] = law.parameters[j];
  PrintForecast(command, fit.form,
                fmt::format("{} curve law across sizes from {}, at N = {:.6g}", CurveLawFormName(fit.form), command.fit,
                            command.log.params),
                forecast, {{"params", command.log.params}, {"parameters", parameters}});
  if (!command.plot.empty()) {
    TrainingCurve schedule;
    schedule.name = command.log.schedule;
    schedule.lr = lr;
    schedule.params = command.log.params;
    WriteCurvePlots(command.plot, fit, {schedule}, {});
  }
  return kExitOk;
}

}  // namespace

int RunCurveFit(const CurveFitCommand& command) {
  const std::vector<TrainingCurve> all = ReadTrainingCurves(command.logs, command.log);
  std::vector<TrainingCurve> train = all, held_out;
  if (!command.train.empty()) {
    try {
      train = SelectCurves(all, command.train);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("--train: ") + e.what());
    }
    for (const TrainingCurve& curve : all) {
      bool trained = false;
      for (const std::string& name : command.train) trained = trained || name == curve.name;
      if (!trained) held_out.push_back(curve);
    }
  }
  if (command.across_sizes) return RunCurveSizeFit(command, all, train, held_out);
  if (!command.scaled.empty()) throw InvalidArgument("--scaled needs --across-sizes");
  if (command.reference_params > 0) throw InvalidArgument("--reference-params needs --across-sizes");
  const CurveFitSummary fit = FitCurveLaw(CurveLawFormFromName(command.law), train, FitOptions(command));
  std::vector<CurveErrors> held_out_errors;
  if (fit.IsUsable() && !held_out.empty()) held_out_errors = ErrorsOf(fit, held_out);
  PrintFit(command, fit, CurveFitToJson(fit), all, train, held_out, held_out_errors, false);
  return ExitCodeFor(fit.status, fit.message, "the curve fit");
}

int RunCurvePredict(const CurvePredictCommand& command) {
  const std::string text = detail::ReadWholeFile(command.fit);
  {
    // a fit across sizes (CurveSizeFitToJson) has a reference size; a single-size fit has none
    const nlohmann::json probe = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (probe.is_object() && probe.contains("reference_params")) return RunCurveSizePredict(command, text);
  }
  if (command.log.params > 0 && command.logs.empty()) {
    throw InvalidArgument(
        fmt::format("--params: {} is a fit of one size (curve fit --across-sizes fits N)", command.fit));
  }
  const CurveFitSummary fit = CurveFitFromJson(text, command.fit);
  if (!fit.IsUsable()) return ExitCodeFor(fit.status, fit.message, fmt::format("the fit in {}", command.fit));
  if (!command.logs.empty()) {
    const std::vector<TrainingCurve> curves = ReadTrainingCurves(command.logs, command.log);
    std::vector<std::string> names;
    for (const TrainingCurve& curve : curves) names.push_back(curve.name);
    return PrintScoredCurves(command, fit.form, fit.BriefReport(), curves, names, ErrorsOf(fit, curves), false);
  }
  const std::vector<double> lr = ScheduleLr(command);
  PrintForecast(command, fit.form, fmt::format("{} curve law from {}", CurveLawFormName(fit.form), command.fit),
                ForecastCurve(fit, lr, EveryOf(command, lr)), nlohmann::json::object());
  if (!command.plot.empty()) {
    TrainingCurve schedule;
    schedule.name = command.log.schedule;
    schedule.lr = lr;
    WriteCurvePlots(command.plot, fit, {schedule}, {});
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
