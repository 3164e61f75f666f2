// The scalelaw command-line tool. This is the only translation unit that includes CLI11: it declares the
// subcommands and their options, then hands a filled option struct to the subcommand's Run function.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/error.h"
#include "scalelaw/version.h"

namespace {

using namespace scalelaw::cli;

// CLI11's PositiveNumber prints DBL_MAX as a 300-digit number and accepts nan and inf; this says what is wrong
// in a few words.
const CLI::Validator kPositiveNumber(
    [](std::string& text) -> std::string {
      double value = 0;
      const char* begin = text.data();
      const char* end = text.data() + text.size();
      const auto [stop, status] = std::from_chars(begin, end, value);
      if (status != std::errc() || stop != end) return "'" + text + "' is not a number";
      if (!(std::isfinite(value) && value > 0)) return "'" + text + "' must be a positive finite number";
      return {};
    },
    "POSITIVE", "positive number");

void AddFitCommand(CLI::App& app, FitCommand& command, int& exit_code) {
  CLI::App* fit = app.add_subcommand("fit", "Fit a scaling law to training runs in a CSV file");
  fit->add_option("file", command.file, "CSV file with a header line ('-' reads standard input)")->required();
  fit->add_option("--model", command.model, "Model form to fit")->capture_default_str();
  fit->add_option("--params-col", command.params_col, "Column with the parameter count N")->capture_default_str();
  auto* tokens =
      fit->add_option("--tokens-col", command.tokens_col, "Column with the training tokens D")->capture_default_str();
  fit->add_option("--flops-col", command.flops_col, "Column with training FLOPs C; then D = C/(6N)")->excludes(tokens);
  fit->add_option("--loss-col", command.loss_col, "Column with the final loss")->capture_default_str();
  fit->add_option("--weight-col", command.weight_col, "Column with per-run weights (optional)");
  fit->add_option("--drop-highest", command.drop_highest, "Drop the K runs with the highest loss first")
      ->check(CLI::NonNegativeNumber);
  fit->add_option("--estimator", command.estimator, "objective (summed Huber) or mle (Huber likelihood)")
      ->capture_default_str()
      ->check(CLI::IsMember({"objective", "mle"}));
  fit->add_option("--huber-delta", command.huber_delta, "Huber threshold on log residuals")
      ->capture_default_str()
      ->check(kPositiveNumber);
  fit->add_option("--threads", command.threads, "Worker threads (0: all hardware threads)")
      ->check(CLI::NonNegativeNumber);
  fit->add_flag("--json", command.json, "Print one JSON object instead of a table");
  fit->add_option("--output", command.output, "Also write the fit as JSON to this file");
  fit->callback([&] { exit_code = RunFit(command); });
}

void AddAllocateCommand(CLI::App& app, AllocateCommand& command, int& exit_code) {
  CLI::App* allocate =
      app.add_subcommand("allocate", "Compute-optimal parameters and tokens for a FLOPs budget (C = 6ND)");
  allocate->add_option("--flops", command.flops, "Training budget C in FLOPs")->required()->check(kPositiveNumber);
  auto* fit = allocate->add_option("--fit", command.fit, "A fit written by 'scalelaw fit --output'");
  auto* law = allocate->add_option("--law", command.law, "A published law: chinchilla, chinchilla-unrounded, epoch");
  fit->excludes(law);
  allocate->add_flag("--json", command.json, "Print one JSON object instead of a table");
  allocate->callback([&] {
    if (command.fit.empty() && command.law.empty())
      throw CLI::ValidationError("allocate needs --fit FILE or --law NAME");
    exit_code = RunAllocate(command);
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("scalelaw: scaling laws for language-model training", "scalelaw");
  app.set_version_flag("--version", scalelaw::kVersion);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::simple);

  int exit_code = kExitOk;
  FitCommand fit;
  AllocateCommand allocate;
  AddFitCommand(app, fit, exit_code);
  AddAllocateCommand(app, allocate, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    PrintError(std::string(e.what()) + " (see scalelaw --help)");
    return kExitUsage;
  } catch (const scalelaw::Error& e) {
    PrintError(e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    PrintError(std::string("internal error: ") + e.what());
    return kExitUsage;
  }
  return exit_code;
}
