// scalelaw curve schedule: design the LR schedule that minimises a Multi-Power Law's predicted final loss.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>

#include "cli/cli11_options.h"
#include "cli/curve_command.h"
#include "cli/output.h"
#include "io/read_file.h"
#include "plot/schedule_charts.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/published_curve_laws.h"
#include "scalelaw/curves/schedule_design.h"
#include "scalelaw/error.h"

namespace scalelaw::cli {
namespace {

// "L0=..,A=..,..." with every parameter of the multi-power law once.
CurveLaw LawFromParams(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const std::map<std::string, double> values = ParseAssignments(items, "--law-params");
  CurveLaw law;
  law.form = CurveLawForm::kMultiPower;
  for (const std::string& name : CurveLawParameterNames(CurveLawForm::kMultiPower)) {
    const auto found = values.find(name);
    if (found == values.end()) {
      throw InvalidArgument(fmt::format("--law-params: {} is missing (give L0, A, alpha, B, C, beta and gamma)", name));
    }
    law.parameters.push_back(found->second);
  }
  for (const auto& [name, value] : values) {
    bool known = false;
    for (const std::string& p : CurveLawParameterNames(CurveLawForm::kMultiPower)) known = known || p == name;
    if (!known) {
      throw InvalidArgument(
          fmt::format("--law-params: unknown parameter '{}' (the multi-power law has L0, A, "
                      "alpha, B, C, beta, gamma)",
                      name));
    }
  }
  return law;
}

}  // namespace

void AddCurveScheduleSubcommand(CLI::App* curve, CurveScheduleCommand& command, int& exit_code) {
  CLI::App* sub = curve->add_subcommand(
      "schedule",
      "Design the LR schedule that minimises a Multi-Power Law's predicted final loss (Luo et al. 2025, "
      "arXiv:2503.12811), compared with cosine and the best WSD of the same peak; write it as step,lr CSV");
  auto* fit = sub->add_option("--fit", command.fit, "A multi-power curve fit's JSON (curve fit --output)");
  std::string presets;
  for (const PublishedCurveLaw& entry : PublishedCurveLaws()) {
    presets += fmt::format("{}{} ({})", presets.empty() ? "" : "; ", entry.name, entry.model);
  }
  auto* preset = sub->add_option("--preset", command.preset, "A published law of Luo et al. 2025: " + presets)
                     ->check(CLI::IsMember(ChoiceNames(PublishedCurveLaws())));
  auto* params = sub->add_option("--law-params", command.law_params,
                                 "The law's parameters, L0=..,A=..,alpha=..,B=..,C=..,beta=..,gamma=..");
  fit->excludes(preset)->excludes(params);
  preset->excludes(params);
  sub->add_option("--steps", command.steps, "The horizon T in steps")->required()->check(WholeNumber(3, 1'000'000'000));
  AddNumber(sub, "--peak", command.peak, "The peak LR, after warmup")->required();
  sub->add_option("--warmup", command.warmup, "Warmup steps (0: none)")
      ->capture_default_str()
      ->check(WholeNumber(0, 1'000'000'000));
  sub->add_option("--warmup-shape", command.warmup_shape, "linear (from --warmup-lr to the peak) or constant")
      ->capture_default_str()
      ->check(CLI::IsMember({"linear", "constant"}));
  sub->add_option("--warmup-lr", command.warmup_lr, "The linear warmup's first LR, or the constant warmup's LR")
      ->capture_default_str()
      ->check(NumberFromTo(0, 1e6));
  AddNumber(sub, "--min-lr", command.min_lr,
            "The floor of the designed schedule and the final LR of cosine and WSD (default: peak / 10)");
  sub->add_option("--knots", command.knots, "Knots of the piecewise-linear schedule after warmup")
      ->capture_default_str()
      ->check(WholeNumber(2, 100'000));
  AddJsonFlag(sub, command.json);
  sub->add_option("--output", command.output, "Write the schedule as step,lr CSV (one row per step) to this file");
  sub->add_option("--plot", command.plot, "Write the chart of the designed schedule against cosine and WSD (SVG)");
  sub->callback([&command, &exit_code] { exit_code = RunCurveSchedule(command); });
}

int RunCurveSchedule(const CurveScheduleCommand& command) {
  const int sources = !command.fit.empty() + !command.preset.empty() + !command.law_params.empty();
  if (sources != 1) throw InvalidArgument("curve schedule: give the law by one of --fit, --preset or --law-params");
  CurveLaw law;
  if (!command.fit.empty()) {
    const CurveFitSummary fit = CurveFitFromJson(detail::ReadWholeFile(command.fit), command.fit);
    if (fit.form != CurveLawForm::kMultiPower) {
      throw InvalidArgument(fmt::format("--fit {}: a {} law; schedule design needs a multi-power fit", command.fit,
                                        CurveLawFormName(fit.form)));
    }
    if (!fit.IsUsable()) return ExitCodeFor(fit.status, fit.message, "the fit in '" + command.fit + "'");
    law = fit.Law();
  } else if (!command.preset.empty()) {
    law = PublishedCurveLawByName(command.preset).law;
  } else {
    law = LawFromParams(command.law_params);
  }
  ScheduleDesignOptions options;
  options.steps = command.steps;
  options.peak = command.peak;
  options.warmup = command.warmup;
  options.warmup_shape = command.warmup_shape == "constant" ? WarmupShape::kConstant : WarmupShape::kLinear;
  options.warmup_lr = command.warmup_lr;
  options.min_lr = command.min_lr;
  options.knots = command.knots;
  std::string why;
  if (!options.IsValid(&why)) throw InvalidArgument("curve schedule: " + why);

  const ScheduleDesignSummary summary = DesignSchedule(law, options);
  if (command.json) {
    fmt::print("{}\n", ScheduleDesignToJson(summary));
  } else {
    fmt::print("{}", summary.FullReport());
  }
  if (!summary.IsUsable()) return ExitCodeFor(summary.status, summary.message, "the schedule design");
  if (!command.output.empty()) {
    detail::WriteWholeFile(command.output, DesignedScheduleCsv(summary), "the schedule");
    if (!command.json) fmt::print("{} rows (step,lr) written to {}\n", summary.lr.size(), command.output);
  }
  if (!command.plot.empty()) {
    plot::WriteSvgFile(plot::ScheduleDesignChart(plot::MakeScheduleDesignChart(summary)), command.plot);
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
