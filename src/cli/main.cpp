// The scalelaw command-line tool. This file and the command groups' own setup (cli/curve_command.cpp), with
// the options they share (cli/cli11_options.h), are the translation units that include CLI11: they declare the
// subcommands and their options, then hand a filled option struct to the subcommand's Run function.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <iterator>
#include <limits>
#include <set>
#include <string>

#include "cli/cli11_options.h"
#include "cli/commands.h"
#include "cli/compare_command.h"
#include "cli/count_command.h"
#include "cli/curve_command.h"
#include "cli/design_command.h"
#include "cli/fit_hparams_command.h"
#include "cli/isoflop_command.h"
#include "cli/ladder_command.h"
#include "cli/output.h"
#include "cli/plan_command.h"
#include "cli/shape_command.h"
#include "cli/sweep_command.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/model.h"
#include "scalelaw/model/hf_config.h"
#include "scalelaw/predict.h"
#include "scalelaw/version.h"

namespace {

using namespace scalelaw::cli;
using scalelaw::Input;
using scalelaw::PredictionInputs;
using scalelaw::Quantity;

// A factor greater than 1, or inf.
const CLI::Validator kFactorAboveOne(
    [](std::string& text) -> std::string {
      double value = 0;
      if (text == "inf" || text == "infinity") return {};
      const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (status != std::errc() || stop != text.data() + text.size()) return "'" + text + "' is not a number";
      if (!(value > 1)) return "'" + text + "' must be a factor greater than 1 (or inf)";
      return {};
    },
    "FACTOR", "factor above 1");

// The options of a fit: its runs, form, objective, starts and bootstrap. for_fit: also those only `fit` has
// (--group-by, --holdout-top, --at-flops); `validate` chooses its held-out runs itself.
void AddFitOptions(CLI::App* fit, FitCommand& command, bool for_fit) {
  fit->add_option("file", command.file, "CSV file with a header line ('-' reads standard input)")->required();
  auto* model = fit->add_option("--model", command.model,
                                "Model form: " + fmt::format("{}", fmt::join(scalelaw::Model::Names(), ", ")))
                    ->capture_default_str();
  fit->add_option("--col", command.col,
                  "Which CSV column a formula model's data identifier reads, e.g. --col x=compute (repeatable)");
  fit->add_option("--formula", command.formula,
                  "Fit a formula instead, e.g. \"E + A/N^alpha + B/D^beta\": identifiers naming CSV columns are data, "
                  "the others parameters")
      ->excludes(model)
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return text.find_first_not_of(" \t\r\n") == std::string::npos ? "the formula is empty" : "";
          },
          "", "formula"));
  fit->add_option("--param", command.params,
                  "Declare a formula identifier a parameter although its name is close to a column's (repeatable)");
  AddTableOptions(fit, command.table);
  if (for_fit) {
    fit->add_option("--group-by", command.group_by,
                    "One fit per value of this column, reported side by side (--json and --output: a JSON array)");
  }
  fit->add_option("--grid", command.grid,
                  "Starting values of a parameter: NAME=START:STOP:STEP or NAME=V1,V2,... (repeatable); every "
                  "combination is a start; parameters not named keep the model's grid (a formula's: 0.1,1,10)");
  fit->add_option("--params-col", command.params_col, "Column with the parameter count N")->capture_default_str();
  auto* tokens =
      fit->add_option("--tokens-col", command.tokens_col, "Column with the training tokens D")->capture_default_str();
  fit->add_option("--flops-col", command.flops_col, "Column with training FLOPs C; then D = C/(6N)")->excludes(tokens);
  fit->add_option("--loss-col", command.loss_col, "Column with the final loss")->capture_default_str();
  fit->add_option("--weight-col", command.weight_col, "Column with per-run weights (optional)");
  fit->add_option("--drop-highest", command.drop_highest, "Drop the K runs with the highest loss first")
      ->check(WholeNumber(0, kMaxInt));
  fit->add_option("--estimator", command.estimator,
                  ChoiceHelp(scalelaw::EstimatorTable(),
                             [](const auto& e) { return fmt::format("{} minimises {}", e.name, e.minimises); }))
      ->capture_default_str()
      ->check(CLI::IsMember(ChoiceNames(scalelaw::EstimatorTable())));
  fit->add_option("--objective", command.objective,
                  "What each run adds to the objective: " +
                      ChoiceHelp(scalelaw::ObjectiveTable(),
                                 [](const auto& o) { return fmt::format("{}: {}", o.name, o.summand); }))
      ->capture_default_str()
      ->check(CLI::IsMember(ChoiceNames(scalelaw::ObjectiveTable())));
  fit->add_option("--residual", command.residual,
                  "The residual r the objective acts on: " +
                      ChoiceHelp(scalelaw::ResidualTable(),
                                 [](const auto& r) { return fmt::format("{}: {}", r.name, r.residual); }) +
                      " (default: loss for --objective squared, log for the others)")
      ->check(CLI::IsMember(ChoiceNames(scalelaw::ResidualTable())));
  fit->add_option("--asymmetry", command.asymmetry,
                  "Weight of over-predictions with --objective asymmetric or asymmetric-absolute")
      ->capture_default_str()
      ->check(kPositiveNumber);
  fit->add_option("--huber-delta", command.huber_delta,
                  "Huber threshold on the residuals (asymmetric-absolute: the first smoothing of |r|)")
      ->capture_default_str()
      ->check(kPositiveNumber);
  fit->add_option("--threads", command.threads, "Worker threads (0: all hardware threads)")
      ->check(WholeNumber(0, kMaxThreads));
  fit->add_option("--fix", command.fix, "Hold a parameter at a value, e.g. --fix E=1.87 (repeatable)");
  fit->add_option("--tie", command.tie, "Fit two parameters as one, e.g. --tie alpha=beta (repeatable)");
  fit->add_option("--bound", command.bound, "Keep a parameter in [LOWER, UPPER], e.g. --bound R_D=0:20 (repeatable)");
  fit->add_option("--unique-tokens-col", command.unique_tokens_col,
                  "Column with the unique tokens U of each run (data-constrained model)");
  fit->add_option("--bootstrap", command.bootstrap, "Bootstrap resamples for standard errors and 95% intervals")
      ->check(WholeNumber(0, kMaxResamples));
  fit->add_option("--seed", command.seed, "Seed of the bootstrap and of random starts (same seed, same result)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxSeed));
  fit->add_option("--starts", command.starts,
                  "Starting points: " +
                      ChoiceHelp(scalelaw::StartStrategyTable(),
                                 [](const auto& s) { return fmt::format("{}: {}", s.spec, s.summary); }) +
                      fmt::format(" (the grid given by --grid, the seed by --seed; K = {})",
                                  scalelaw::FitOptions{}.projected_starts))
      ->capture_default_str();
  if (for_fit) {
    fit->add_option("--holdout-top", command.holdout_top,
                    "Fit without the K runs of largest compute 6ND and report the error predicting them")
        ->check(WholeNumber(0, kMaxInt));
  }
  fit->add_option("--max-span", command.max_span,
                  "Widest 95% interval (as a factor, Laplace and bootstrap) a positive parameter such as A or E may "
                  "have for the fit to count as identified; wider, the fit is not usable and says which parameter " +
                      fmt::format("(inf: never judged) [{}]", scalelaw::FitOptions{}.max_parameter_span))
      ->check(kFactorAboveOne);
  if (for_fit) {
    fit->add_option("--at-flops", command.at_flops, "Also report N_opt and D_opt at this budget (with uncertainty)")
        ->check(kPositiveNumber);
  }
}

void AddFitCommand(CLI::App& app, FitCommand& command, int& exit_code) {
  CLI::App* fit = app.add_subcommand("fit", "Fit a scaling law to training runs in a CSV file");
  AddFitOptions(fit, command, /*for_fit=*/true);
  fit->add_flag("--json", command.json, "Print one JSON object instead of a table");
  fit->add_option("--output", command.output, "Also write the fit as JSON to this file");
  fit->add_option("--plot", command.plot,
                  "Also draw the fit as SVG files: out.svg is loss vs compute with the fitted law (per model size, "
                  "the compute-optimal frontier and its bootstrap band) for a fit of N and D, y against the input "
                  "with the fitted curve and its bootstrap band for a form of one input, observed vs predicted "
                  "otherwise; out-observed.svg is observed vs predicted and out-residuals.svg the residuals "
                  "(observed - predicted, on the fit's residual scale) against the prediction, for every fit");
  AddReportOption(fit, command.report);
  fit->callback([&] { exit_code = RunFit(command); });
}

void AddValidateCommand(CLI::App& app, ValidateCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "validate", "Leave-future-out validation: fit on the runs below each threshold of C, N or D, predict the rest");
  command.fit.bootstrap = 100;  // the predictive intervals need a bootstrap
  AddFitOptions(sub, command.fit, /*for_fit=*/false);
  sub->add_option("--split-by", command.split_by,
                  "The size the runs are split on: C (6ND, or a column C), N, D, or any column")
      ->capture_default_str();
  auto* thresholds =
      sub->add_option("--thresholds", command.thresholds,
                      "Thresholds of --split-by: fit on the runs below each, predict those at or above it")
          ->delimiter(',')
          ->check(kPositiveNumber);
  sub->add_option("--quantiles", command.quantiles,
                  "Without --thresholds: the thresholds are the runs' distinct --split-by values at these quantiles")
      ->delimiter(',')
      ->capture_default_str()
      ->excludes(thresholds)
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--min-runs", command.min_train_runs,
                  "Fewest runs below a threshold for it to be used (0: the fit's free parameters + 1)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxInt));
  sub->add_option("--predictive", command.predictive,
                  "Level of the predictive intervals (parameter uncertainty from the bootstrap, default 100 "
                  "resamples, plus the fit's residuals) whose coverage of the held-out runs is reported")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.99));
  AddJsonFlag(sub, command.json);
  sub->add_option("--plot", command.plot,
                  "Also draw the held-out runs' relative errors against their extrapolation distance as an SVG file");
  AddReportOption(sub, command.report);
  sub->callback([&] { exit_code = RunValidate(command); });
}

// The option of one input of the input table (scalelaw/laws/inputs.h): its name, help and domain are the table's.
CLI::Option* AddInput(CLI::App* app, Input input, InputValues& values) {
  const scalelaw::InputInfo& info = scalelaw::Describe(input);
  if (info.domain == scalelaw::InputDomain::kText) {
    return app->add_option(std::string(info.option), values.texts[input], std::string(info.help));
  }
  std::string help(info.help);
  if (!std::isnan(info.default_value)) help += fmt::format(" (default {:g})", info.default_value);
  const CLI::Validator domain(
      [&info](std::string& text) -> std::string {
        double value = 0;
        const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (status == std::errc::result_out_of_range) return "'" + text + "' is out of the range of a double";
        if (status != std::errc() || stop != text.data() + text.size()) return "'" + text + "' is not a number";
        const std::string problem = scalelaw::DomainProblem(info, value);
        return problem.empty() ? "" : "'" + text + "' " + problem;
      },
      "NUMBER", "number");
  return app->add_option(std::string(info.option), values[input], help)->check(domain);
}

// --config FILE: the model as a Hugging Face config.json, whose counts each law reads in its own N definition.
CLI::Option* AddModelConfig(CLI::App* sub, InputValues& values) {
  return sub->add_option("--config", values.model_config,
                         "The model as a Hugging Face config.json (model_type " +
                             fmt::format("{}", fmt::join(scalelaw::HuggingFaceDenseModelTypes(), ", ")) +
                             "): its exact total, non-embedding and non-vocabulary counts, each law reading the N it "
                             "defines, and its layers, d_model, FFN width and context")
      ->check(CLI::ExistingFile);
}

// --input NAME=VALUE, for a --fit whose formula reads columns the input table does not name.
void AddNamedInputs(CLI::App* sub, InputValues& values) {
  sub->add_option("--input", values.named,
                  "With --fit: an input the fitted formula reads from a column of your own, NAME=VALUE (repeatable)");
}

void AddLawChoice(CLI::App* sub, Quantity quantity, LawChoice& law, bool with_all) {
  auto* family = sub->add_option("--law", law.family,
                                 "Law family: " + fmt::format("{}", fmt::join(scalelaw::FamiliesFor(quantity), ", ")) +
                                     (with_all ? ", or all" : ""));
  if (!law.family.empty()) family->capture_default_str();
  sub->add_option("--fit", law.fit, "A fit written by 'scalelaw fit --output' instead of a published law")
      ->excludes(family);
  sub->add_option("--constant", law.constants,
                  "Replace one of the law's constants, NAME=VALUE (repeatable; 'scalelaw laws show NAME' lists them; "
                  "laws that publish none need them)");
}

// One predict-* command per quantity: its inputs are those its laws read, from the registry.
struct PredictCommandSpec {
  const char* name;
  Quantity quantity;
  const char* help;
  const char* default_family;
};

constexpr PredictCommandSpec kPredictCommands[] = {
    {"predict-lr", Quantity::kLearningRate, "Optimal peak learning rate from published laws", "step"},
    {"predict-batch", Quantity::kBatchSize, "Optimal batch size (tokens and sequences) from published laws", "step"},
    {"predict-wd", Quantity::kWeightDecay, "Optimal AdamW weight decay (Power Lines)", "power-lines"},
    {"predict-vocab", Quantity::kVocabularySize, "Optimal vocabulary size (Tao et al.)", "tao"},
    {"predict-loss", Quantity::kLoss, "Loss of a model of N parameters trained on D tokens (or a law's metric)",
     "epoch"},
    {"predict-downstream", Quantity::kDownstream,
     "Downstream score and model-density laws (Performance Law MMLU, densing)", "performance-law"},
};

void AddPredictCommand(CLI::App& app, const PredictCommandSpec& spec, PredictCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(spec.name, spec.help);
  command.quantity = spec.quantity;
  command.law.family = spec.default_family;
  const std::vector<Input> inputs = scalelaw::InputsFor(spec.quantity);
  for (Input input : inputs) AddInput(sub, input, command.inputs);
  if (std::find(inputs.begin(), inputs.end(), Input::kParams) != inputs.end()) AddModelConfig(sub, command.inputs);
  AddLawChoice(sub, spec.quantity, command.law, /*with_all=*/true);
  if (spec.quantity == Quantity::kLoss) {
    // Inputs that only fits read: a formula's own columns, and the schedule a curve-law fit predicts the loss of.
    AddNamedInputs(sub, command.inputs);
    const std::vector<Input> published = scalelaw::InputsFor(spec.quantity);
    for (Input input : {Input::kSchedule, Input::kBatchTokens}) {
      if (std::find(published.begin(), published.end(), input) == published.end()) {
        AddInput(sub, input, command.inputs);
      }
    }
    sub->add_option("--predictive", command.predictive,
                    "With --fit of a bootstrapped fit: the level of the predictive interval of a new run's loss "
                    "(loss_loXXp, loss_hiXXp: the bootstrap's parameter uncertainty plus the fit's residuals), 0 for "
                    "none")
        ->check(CLI::Range(0.0, 0.99))
        ->capture_default_str();
  }
  AddJsonFlag(sub, command.json);
  sub->callback([&] { exit_code = RunPredict(command); });
}

void AddAllocateCommand(CLI::App& app, PredictCommand& command, int& exit_code) {
  CLI::App* sub =
      app.add_subcommand("allocate", "Split a FLOPs budget (or reach a target loss) between parameters N and tokens D");
  command.quantity = Quantity::kAllocation;
  InputValues& in = command.inputs;
  auto* flops = AddInput(sub, Input::kFlops, in);
  for (Input input : scalelaw::InputsFor(Quantity::kAllocation)) {
    if (input == Input::kFlops) continue;
    CLI::Option* option = AddInput(sub, input, in);
    if (input == Input::kTargetLoss) option->excludes(flops);
  }
  AddLawChoice(sub, Quantity::kAllocation, command.law, /*with_all=*/true);
  AddNamedInputs(sub, in);
  AddJsonFlag(sub, command.json);
  sub->callback([&] {
    if (std::isnan(in[Input::kFlops]) && std::isnan(in[Input::kTargetLoss]) && std::isnan(in[Input::kLifetimeFlops])) {
      throw CLI::ValidationError("allocate needs --flops C, --target-loss L or --lifetime-flops C_life");
    }
    if (command.law.family.empty()) {
      command.law.family = std::isnan(in[Input::kUniqueTokens]) ? "epoch" : "datablations";
    }
    exit_code = RunPredict(command);
  });
}

void AddTransferLrCommand(CLI::App& app, TransferLrCommand& command, int& exit_code) {
  CLI::App* sub =
      app.add_subcommand("transfer-lr", "Move a tuned learning rate to another token horizon (Bjorck et al.)");
  AddNumber(sub, "--lr", command.lr, "Learning rate tuned at --from-tokens")->required();
  AddNumber(sub, "--from-tokens", command.from_tokens, "Token horizon the LR was tuned at")->required();
  AddNumber(sub, "--to-tokens", command.to_tokens, "Token horizon to move it to")->required();
  AddNumber(sub, "--exponent", command.exponent, "Horizon exponent (paper's rule of thumb: 0.32)")
      ->capture_default_str();
  AddJsonFlag(sub, command.json);
  sub->callback([&] { exit_code = RunTransferLr(command); });
}

void AddPlanCommand(CLI::App& app, PlanCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand("plan", "One training recipe for a budget: N, D, LR, batch, weight decay, vocab");
  CLI::Option* flops = AddInput(sub, Input::kFlops, command.inputs);
  CLI::Option* lifetime = AddInput(sub, Input::kLifetimeFlops, command.inputs);
  flops->excludes(lifetime);
  for (Input input : {Input::kInferenceTokens, Input::kUniqueTokens, Input::kSeqLen})
    AddInput(sub, input, command.inputs);
  auto* family = sub->add_option("--law", command.law.family,
                                 "Law family that sets N and D: " +
                                     fmt::format("{}", fmt::join(scalelaw::FamiliesFor(Quantity::kAllocation), ", ")))
                     ->capture_default_str();
  sub->add_option("--constant", command.law.constants, "Replace one of that law's constants, NAME=VALUE (repeatable)");
  sub->add_option("--fit", command.fits,
                  "A result of 'scalelaw fit', 'fit-hparams', 'isoflop' or 'curve fit' --output (repeatable): a fit "
                  "or isoflop result sets N and D (instead of --law), a fit-hparams result the LR and batch, ahead "
                  "of the published laws; a multi-power curve fit designs the run's LR schedule");
  sub->add_option("--schedule-output", command.schedule_output,
                  "Write the LR schedule designed against the curve fit as step,lr CSV (one row per step)");
  // The trainable configuration's shape: the architecture and the head and group constraints `shape` has.
  AddArchitectureOptions(sub, command.architecture, command.kinds);
  sub->add_flag("--vocab-from-law", command.options.vocab_from_law,
                "Give the shape the vocabulary law's vocabulary (Tao et al. 2024) at its non-vocabulary N, rounded "
                "up to a multiple of --vocab-multiple, instead of --vocab");
  sub->add_option("--vocab-multiple", command.options.vocab_multiple,
                  "The multiple --vocab-from-law rounds the vocabulary up to")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 20));
  sub->add_option("--head-dims", command.options.shape.head_dims, "Head widths the planned shape may have")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 16))
      ->delimiter(',');
  sub->add_option("--group-sizes", command.options.shape.group_sizes,
                  "Query heads per key-value head the planned shape may have (1: multi-head attention)")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 16))
      ->delimiter(',');
  AddJsonFlag(sub, command.json);
  sub->callback([&command, &exit_code, flops, lifetime, family] {
    if (flops->count() == 0 && lifetime->count() == 0) {
      throw CLI::ValidationError("plan needs --flops C (training compute) or --lifetime-flops with --inference-tokens");
    }
    command.law_given = family->count() > 0;
    exit_code = RunPlan(command);
  });
}

void AddLawsCommand(CLI::App& app, LawsCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand("laws", "List every published law scalelaw ships");
  AddJsonFlag(sub, command.json);
  sub->add_flag("--markdown", command.markdown, "Print the reference page docs/laws.md is generated from");
  CLI::App* show = sub->add_subcommand("show", "Print one law in full");
  show->add_option("name", command.show, "Law name, as listed by 'scalelaw laws'")->required();
  AddJsonFlag(show, command.json);
  sub->callback([&] { exit_code = RunLaws(command); });
}

void AddModelsCommand(CLI::App& app, ModelsCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand("models", "List the model forms 'scalelaw fit --model' accepts");
  AddJsonFlag(sub, command.json);
  sub->add_flag("--markdown", command.markdown, "Print the reference page docs/models.md is generated from");
  sub->callback([&] { exit_code = RunModels(command); });
}

void AddIsoflopCommand(CLI::App& app, IsoflopCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "isoflop", "Chinchilla Approach 2: IsoFLOP parabolas per compute budget, then N_opt = k*C^a, D_opt = k'*C^b");
  sub->add_option("file", command.file, "CSV file with a header line ('-' reads standard input)")->required();
  sub->add_option("--params-col", command.params_col, "Column with the parameter count N")->capture_default_str();
  auto* tokens = sub->add_option("--tokens-col", command.tokens_col, "Column with the training tokens D (C = 6ND)")
                     ->capture_default_str();
  auto* flops = sub->add_option("--flops-col", command.flops_col,
                                "Column with training FLOPs C instead of tokens (with --tokens-col: both)");
  sub->add_option("--budget-col", command.budget_col,
                  "Column with each run's nominal budget label: group by it (N and D from their own columns)")
      ->excludes(flops);
  AddTableOptions(sub, command.table);
  sub->add_option("--loss-col", command.loss_col, "Column with the final loss")->capture_default_str();
  sub->add_option("--vertex", command.vertex,
                  "Vertex per budget: quadratic (parabola in ln N), local (parabola through the --window sizes "
                  "around the lowest loss), akima (argmin of the Akima interpolant, Porian et al. 2024)")
      ->capture_default_str()
      ->check(CLI::IsMember({"quadratic", "local", "akima"}));
  sub->add_option("--window", command.window, "Distinct sizes in the local vertex window")
      ->capture_default_str()
      ->check(WholeNumber(3, 1000000));
  sub->add_option("--d-star", command.d_star,
                  "D* per budget: own (the loss's minimum in ln D), runs (the runs' own D at N*), flops (C/(6N*), "
                  "b = 1 - a), auto (own when tokens are read)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "own", "runs", "flops"}));
  sub->add_flag("--keep-outside", command.keep_outside,
                "Keep budgets whose vertex lies outside the sampled range in the power-law fit");
  sub->add_flag("--weighted", command.weighted,
                "Weight the power laws by 1/Var of each budget's vertex (a bootstrap of that budget's runs)");
  sub->add_option("--weight-resamples", command.weight_resamples,
                  "Resamples of each budget's runs behind the --weighted variances (at least 10; --bootstrap repeats "
                  "them in each of its resamples)")
      ->capture_default_str()
      ->check(WholeNumber(10, kMaxResamples));
  sub->add_option("--disagreement", command.disagreement,
                  "Warn when 6ND differs from a run's budget label or FLOPs by more than this fraction")
      ->capture_default_str()
      ->check(kPositiveNumber);
  sub->add_option("--budget-tolerance", command.budget_tolerance,
                  "Runs whose C chain within this relative gap form one budget (0 to 1)")
      ->capture_default_str()
      ->check(NumberFromTo(0.0, 1.0));
  sub->add_option("--min-sizes", command.min_sizes, "Skip budgets with fewer distinct N than this (at least 3)")
      ->capture_default_str()
      ->check(WholeNumber(3, 1000000));
  AddBootstrapOptions(sub, command.bootstrap, command.seed, command.threads,
                      "Bootstrap resamples of the runs within each budget");
  AddJsonFlag(sub, command.json);
  sub->add_option("--plot", command.plot, "Also draw each budget's runs, parabola and optimum as an SVG file");
  AddReportOption(sub, command.report);
  sub->add_option("--output", command.output, "Also write the result as JSON to this file (for allocate/plan --fit)");
  AddNumber(sub, "--at-flops", command.at_flops,
            "Also report N_opt and D_opt at this budget (with the bootstrap's 95%)");
  sub->callback([&command, &exit_code, tokens] {
    command.tokens_given = tokens->count() > 0;
    exit_code = RunIsoflop(command);
  });
}

void AddCompareCommand(CLI::App& app, CompareCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "compare",
      "Two recipes' runs fitted jointly: the compute multiplier of one over the other, and where they cross");
  sub->add_option("file", command.file, "CSV file with a header line ('-' reads standard input)")->required();
  sub->add_option("--recipe-col", command.recipe_col, "Column whose two labels name the recipes")
      ->capture_default_str();
  sub->add_option("--baseline", command.baseline,
                  "The label of the baseline recipe A (default: the first in the file)");
  sub->add_option("--params-col", command.params_col, "Column with the parameter count N (C = 6ND)")
      ->capture_default_str();
  sub->add_option("--tokens-col", command.tokens_col, "Column with the training tokens D (C = 6ND)")
      ->capture_default_str();
  sub->add_option("--flops-col", command.flops_col, "Column with training FLOPs C instead of 6ND");
  sub->add_option("--loss-col", command.loss_col, "Column with the final loss")->capture_default_str();
  AddTableOptions(sub, command.table);
  sub->add_flag("--own-offset", command.own_offset, "Fit each recipe its own irreducible loss E (default: shared)");
  sub->add_flag("--own-exponent", command.own_exponent, "Fit each recipe its own exponent alpha (default: shared)");
  AddNumber(sub, "--at-flops", command.at_flops,
            "Where to report a multiplier that depends on C (default: the geometric mean of the runs' C)");
  AddBootstrapOptions(sub, command.bootstrap, command.seed, command.threads,
                      "Stratified bootstrap resamples (each recipe's runs) for the 95% intervals");
  AddJsonFlag(sub, command.json);
  sub->add_option(
      "--plot", command.plot,
      "Also draw both recipes' runs and joint laws, the compute multiplier and the crossover as an SVG file");
  AddReportOption(sub, command.report);
  sub->callback([&] { exit_code = RunCompare(command); });
}

void AddFitHparamsCommand(CLI::App& app, FitHparamsCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "fit-hparams", "Learning-rate and batch-size laws from an lr x batch grid sweep (Step Law procedure)");
  sub->add_option("file", command.file, "CSV file with a header line ('-' reads standard input)")->required();
  sub->add_option("--params-col", command.params_col, "Column with the parameter count N")->capture_default_str();
  sub->add_option("--tokens-col", command.tokens_col, "Column with the training tokens D")->capture_default_str();
  sub->add_option("--lr-col", command.lr_col, "Column with the peak learning rate")->capture_default_str();
  sub->add_option("--batch-col", command.batch_col, "Column with the batch size (sequences; x --seq-len = tokens)")
      ->capture_default_str();
  sub->add_option("--seq-len", command.seq_len, "Tokens per sequence of the batch column (1: already in tokens)")
      ->capture_default_str()
      ->check(kPositiveNumber);
  sub->add_option("--loss-col", command.loss_col, "Column with the final (smoothed) loss")->capture_default_str();
  sub->add_option("--group-col", command.group_col,
                  "Column labelling each run's configuration (e.g. MoE experts): cells are (label, N, D), so "
                  "configurations that share (N, D) are not pooled");
  AddTableOptions(sub, command.table);
  sub->add_option("--tolerance", command.tolerance, "Keep runs with loss/best - 1 < this in their (N, D) cell")
      ->capture_default_str();  // checked by the library: a finite number >= 0
  sub->add_option("--bootstrap", command.bootstrap, "Bootstrap resamples for standard errors and 95% intervals")
      ->check(WholeNumber(0, kMaxResamples));
  sub->add_option("--seed", command.seed, "Seed of the bootstrap (same seed, same result)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxSeed));
  sub->add_option("--resample", command.resample, "Bootstrap unit: runs (as the paper) or cells (cluster)")
      ->capture_default_str()
      ->check(CLI::IsMember({"runs", "cells"}));
  sub->add_option("--threads", command.threads, "Worker threads (0: all hardware threads; results do not depend on it)")
      ->check(WholeNumber(0, kMaxThreads));
  sub->add_flag("--json", command.json, "Print one JSON object instead of a table");
  sub->add_option("--output", command.output,
                  "Also write the result as JSON to this file (for predict-lr, predict-batch and plan --fit)");
  sub->add_option("--plot", command.plot,
                  "Also draw the best LR per cell with the fitted law as an SVG file, and the batch law beside it "
                  "(out.svg and out-batch.svg)");
  sub->callback([&] { exit_code = RunFitHparams(command); });
}

void AddDesignCommand(CLI::App& app, DesignCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "design",
      "Sweep design before compute: the expected 95% interval on N_opt, D_opt and the loss at a target budget from "
      "simulated refits of a proposed sweep, whether it identifies the law, and the candidate run narrowing the "
      "interval most per FLOP");
  sub->add_option("--sizes", command.sizes, "Model sizes N of the sweep (comma-separated)")
      ->delimiter(',')
      ->check(kPositiveNumber);
  auto* tokens = sub->add_option("--tokens", command.tokens, "Token counts D: every size x every D (a grid)")
                     ->delimiter(',')
                     ->check(kPositiveNumber);
  auto* budgets = sub->add_option("--budgets", command.budgets, "IsoFLOP budgets C: every size at D = C/(6N)")
                      ->delimiter(',')
                      ->check(kPositiveNumber)
                      ->excludes(tokens);
  sub->add_option("--runs", command.runs, "The sweep as a CSV file of runs (its N and D columns) instead")
      ->excludes(tokens)
      ->excludes(budgets);
  sub->add_option("--params-col", command.params_col, "Column with N in --runs and --candidates files")
      ->capture_default_str();
  sub->add_option("--tokens-col", command.tokens_col, "Column with D in --runs and --candidates files")
      ->capture_default_str();
  auto* fit = sub->add_option("--fit", command.fit,
                              "A 'scalelaw fit --output' file of the Chinchilla form as the truth (its residual "
                              "scale as the noise unless --noise)");
  sub->add_option("--law", command.law,
                  "The published law taken as the truth: " +
                      fmt::format("{}", fmt::join(scalelaw::ChinchillaFormLawNames(), ", ")))
      ->capture_default_str()
      ->check(CLI::IsMember(scalelaw::ChinchillaFormLawNames()))
      ->excludes(fit);
  AddNumber(sub, "--noise", command.noise, "Standard deviation of the log-normal noise on each run's loss")
      ->check(kPositiveNumber);
  AddNumber(sub, "--target-flops", command.target_flops, "The budget C at which N_opt, D_opt and the loss are reported")
      ->required()
      ->check(kPositiveNumber);
  sub->add_option("--simulations", command.simulations, "Simulated data sets, each refitted")
      ->capture_default_str()
      ->check(WholeNumber(2, kMaxResamples));
  sub->add_option("--candidates", command.candidates,
                  "Candidate next runs: N:D items (comma-separated) or a CSV file of runs; the one narrowing the "
                  "target's interval most per FLOP is proposed")
      ->delimiter(',');
  auto* candidate_sizes =
      sub->add_option("--candidate-sizes", command.candidate_sizes, "A grid of candidates: these N (comma-separated)")
          ->delimiter(',')
          ->check(kPositiveNumber);
  sub->add_option("--candidate-tokens", command.candidate_tokens, "... times these D (comma-separated)")
      ->delimiter(',')
      ->check(kPositiveNumber)
      ->needs(candidate_sizes);
  sub->add_option("--target", command.target, "The quantity whose interval the proposal narrows")
      ->capture_default_str()
      ->check(CLI::IsMember({"N_opt", "D_opt", "loss"}));
  sub->add_option("--bootstrap", command.bootstrap,
                  "Also bootstrap some simulated sweeps with this many resamples: the interval a bootstrap of one "
                  "real sweep can be expected to give")
      ->check(WholeNumber(0, kMaxResamples));
  sub->add_option("--bootstrap-sweeps", command.bootstrap_sweeps, "How many simulated sweeps --bootstrap fits")
      ->capture_default_str()
      ->check(WholeNumber(1, kMaxResamples));
  sub->add_option("--seed", command.seed, "Seed of the simulated noise (same seed, same result)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxSeed));
  sub->add_option("--threads", command.threads, "Worker threads (0: all hardware threads; results do not depend on it)")
      ->check(WholeNumber(0, kMaxThreads));
  AddJsonFlag(sub, command.json);
  sub->add_option("--plot", command.plot,
                  "Also draw, when the design is usable, the simulated refits' N_opt and loss at the target budget "
                  "and the design in the (N, D) plane with the refits' optima, the candidates and the proposed next "
                  "run, side by side in one SVG file");
  AddReportOption(sub, command.report);
  sub->callback([&] { exit_code = RunDesign(command); });
}

void AddLadderCommand(CLI::App& app, LadderCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "ladder", "Ladder to benchmark: a ladder's checkpoints to a target's task loss and accuracy (arXiv:2412.04403)");
  sub->add_option("--config", command.config,
                  "The OLMo ladder's final.json (entries with mode, n and paths; the CSVs beside it or in "
                  "ladder-runs/)");
  sub->add_option("--run", command.runs, "A ladder run's W&B history CSV and its N, FILE=N (repeatable)");
  sub->add_option("--target", command.target, "The target's W&B history CSV and its N, FILE=N (gives the actuals)");
  AddNumber(sub, "--target-params", command.target_params, "The target's N (with --target-tokens, instead of a file)");
  AddNumber(sub, "--target-tokens", command.target_tokens, "The target's D (with --target-params)");
  sub->add_option("--task", command.tasks, "An OLMo ladder task to predict (repeatable; default: all 8)");
  sub->add_option("--bootstrap", command.bootstrap,
                  "Joint bootstrap resamples (runs, then checkpoints) for the chained 90% interval (0: none)")
      ->check(WholeNumber(0, kMaxResamples));
  sub->add_option("--seed", command.seed, "Bootstrap seed")->capture_default_str()->check(WholeNumber(0, kMaxSeed));
  sub->add_option("--threads", command.threads, "Worker threads for the bootstrap (0: all hardware threads)")
      ->check(WholeNumber(0, kMaxThreads));
  sub->add_flag("--multistart", command.multistart,
                "Also fit both steps from scalelaw's multi-start grids (the paper's single starts are the default)");
  sub->add_option("--max-extrapolation", command.max_extrapolation,
                  "A target whose compute 6ND is more than this multiple of the largest ladder run's is not "
                  "predicted (0: no limit)")
      ->capture_default_str()
      ->check(NumberFromTo(0, 1e9));
  sub->add_option("--published", command.published,
                  "A published downstream law evaluated at the target beside the chain (repeatable): " +
                      fmt::format("{}", fmt::join(scalelaw::FamiliesFor(Quantity::kDownstream), ", ")) +
                      "; the target's N and D are its params and tokens, the options below its other inputs");
  // The target gives N (in every definition: the laws convert) and D; the shape inputs are the user's.
  for (Input input : scalelaw::InputsFor(Quantity::kDownstream)) {
    bool given_by_target = input == Input::kTokens;
    for (scalelaw::ParamsDefinition definition : scalelaw::kParamsDefinitions) {
      given_by_target = given_by_target || input == scalelaw::ParamsInput(definition);
    }
    if (!given_by_target) AddInput(sub, input, command.target_inputs);
  }
  AddJsonFlag(sub, command.json);
  sub->add_option("--plot", command.plot,
                  "Also draw each usable task's two steps in one SVG file, a row per task: step 1's task loss "
                  "against C = 6ND with the law per ladder size and the target's predicted point, and step 2's "
                  "sigmoid over the ladder's (task loss, accuracy) points with the chained prediction (and its "
                  "interval with --bootstrap)");
  AddReportOption(sub, command.report);
  sub->callback([&] { exit_code = RunLadder(command); });
}

void AddCountCommand(CLI::App& app, CountCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "count", "Exact parameter counts of a transformer and its training FLOPs per token under each convention");
  auto* config = sub->add_option("--config", command.config,
                                 "A Hugging Face config.json (model_type " +
                                     fmt::format("{}", fmt::join(scalelaw::HuggingFaceModelTypes(), ", ")) +
                                     ") instead of the shape options");
  scalelaw::TransformerShape& shape = command.shape;
  std::vector<CLI::Option*> shape_options;
  const auto whole = [&](const std::string& name, auto& value, const std::string& help, long long min) {
    CLI::Option* option = sub->add_option(name, value, help)->check(WholeNumber(min, 1 << 24));
    shape_options.push_back(option);
    return option;
  };
  whole("--layers", shape.layers, "Transformer blocks", 1);
  whole("--d-model", shape.d_model, "Width of the residual stream", 1);
  whole("--heads", shape.heads, "Query heads", 1);
  whole("--kv-heads", shape.kv_heads, "Key-value heads, grouped-query attention (0: --heads)", 0);
  whole("--head-dim", shape.head_dim, "Width of a head (0: d_model / heads)", 0);
  whole("--ffn", shape.ffn,
        "Feed-forward width (0: 4 d_model for gelu; for swiglu Llama's rule, 8 d_model / 3 times --ffn-multiplier "
        "rounded up to --ffn-multiple-of)",
        0);
  // Sliding windows and mixtures of experts are counted, not searched: these are count's alone (shape, sweep and
  // plan search dense full-attention shapes).
  whole("--attention-window", shape.attention_window,
        "Keys per query of a sliding-window layer (0: full attention over the context); the attention FLOPs count "
        "min(seq_len, window) in those layers",
        0);
  whole("--windowed-layers", shape.windowed_layers,
        "How many layers have the sliding window (0 with --attention-window: every layer)", 0);
  whole("--experts", shape.experts,
        "Routed experts in every layer's feed-forward block, a mixture of experts with a d_model x experts router "
        "(0: a dense block)",
        0);
  whole("--experts-per-token", shape.experts_per_token,
        "The top-k experts each token uses, 1 to --experts (the active parameters and the FLOPs count these)", 0);
  whole("--expert-ffn", shape.expert_ffn, "Each expert's feed-forward width (0: --ffn's width)", 0);
  for (CLI::Option* option : AddArchitectureOptions(sub, shape, command.kinds)) shape_options.push_back(option);
  sub->add_option("--seq-len", command.seq_len,
                  "Training context, which the attention FLOPs grow with (with --config: instead of "
                  "max_position_embeddings)")
      ->check(WholeNumber(1, 1 << 24));
  for (CLI::Option* option : shape_options) config->excludes(option);
  auto* conventions = sub->add_flag("--conventions", command.conventions,
                                    "List the FLOP conventions (formula, what each counts, citation) instead");
  conventions->excludes(config);
  for (CLI::Option* option : shape_options) conventions->excludes(option);
  AddJsonFlag(sub, command.json);
  sub->callback([&command, &exit_code, sub] {
    if (command.config.empty() && !command.conventions) {
      for (const char* name : {"--layers", "--d-model", "--heads", "--vocab", "--seq-len"}) {
        if (sub->count(name) == 0) {
          throw CLI::ValidationError(std::string("count needs --config FILE or the shape: ") + name + " is missing");
        }
      }
    }
    exit_code = RunCount(command);
  });
}

void AddShapeConstraintOptions(CLI::App* sub, ShapeCommand& command);

void AddShapeCommand(CLI::App& app, ShapeCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "shape",
      "The K transformer shapes nearest a target parameter count or FLOPs per token, each with its counts under "
      "every convention");
  scalelaw::ShapeSearchOptions& options = command.options;
  auto* params =
      sub->add_option("--params", options.params, "Target parameter count N (of --definition)")->check(kPositiveNumber);
  sub->add_option("--definition", command.definition,
                  "Which N --params is: total (Chinchilla), non-embedding (Kaplan), non-vocabulary (Tao et al.)")
      ->capture_default_str()
      ->check(CLI::IsMember(scalelaw::ParamsDefinitionNames()))
      ->needs(params);
  auto* flops = sub->add_option("--flops-per-token", options.flops_per_token,
                                "Target training FLOPs per token under --convention")
                    ->check(kPositiveNumber);
  sub->add_option("--convention", options.convention,
                  "The FLOP convention of --flops-per-token (scalelaw count --conventions)")
      ->capture_default_str()
      ->check(CLI::IsMember(ChoiceNames(scalelaw::FlopConventions())))
      ->needs(flops);
  params->excludes(flops);
  AddShapeConstraintOptions(sub, command);
  sub->add_option("--top", options.top, "K: the shapes printed, nearest first")
      ->capture_default_str()
      ->check(WholeNumber(1, 1000));
  auto* rules = sub->add_flag("--depth-rules", command.depth_rules,
                              "List the depth-to-width rules (name, formula, citation) instead");
  rules->excludes(params)->excludes(flops);
  AddJsonFlag(sub, command.json);
  sub->callback([&command, &exit_code, params, flops] {
    if (!command.depth_rules && params->count() == 0 && flops->count() == 0) {
      throw CLI::ValidationError("shape needs a target: --params N or --flops-per-token X");
    }
    exit_code = RunShape(command);
  });
}

// The constraints of a shape search (scalelaw shape's, and scalelaw sweep's for the shape of every run).
void AddShapeConstraintOptions(CLI::App* sub, ShapeCommand& command) {
  scalelaw::ShapeSearchOptions& options = command.options;
  sub->add_option("--head-dims", options.head_dims, "Head widths allowed; heads = d_model / head_dim")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 16))
      ->delimiter(',');
  sub->add_option("--group-sizes", options.group_sizes,
                  "Query heads per key-value head allowed (1: multi-head attention; GQA otherwise)")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 16))
      ->delimiter(',');
  sub->add_option("--d-model-multiple-of", options.d_model_multiple_of, "d_model is a multiple of this")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 20));
  sub->add_option("--max-d-model", options.max_d_model, "Largest d_model")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 20));
  sub->add_option("--min-layers", options.min_layers, "Fewest layers")
      ->capture_default_str()
      ->check(WholeNumber(1, 4096));
  sub->add_option("--max-layers", options.max_layers, "Most layers")
      ->capture_default_str()
      ->check(WholeNumber(1, 4096));
  sub->add_option("--min-aspect-ratio", options.min_aspect_ratio,
                  "Smallest d_model / layers (Kaplan et al. 2020, Fig. 5: loss within a few percent over a wide "
                  "range)")
      ->capture_default_str()
      ->check(kPositiveNumber);
  sub->add_option("--max-aspect-ratio", options.max_aspect_ratio, "Largest d_model / layers")
      ->capture_default_str()
      ->check(kPositiveNumber);
  sub->add_option("--preferred-aspect-ratio", options.preferred_aspect_ratio,
                  "Breaks ties between shapes equally near the target (GPT-3 175B's and Llama-2-7B's 128)")
      ->capture_default_str()
      ->check(kPositiveNumber);
  sub->add_option("--depth-rule", options.depth_rule,
                  "Depth-to-width rule: aspect-range (the aspect-ratio options) or a published depth formula, "
                  "layers = L*(d_model) (--depth-rules lists them with their citations)")
      ->capture_default_str()
      ->check(CLI::IsMember(scalelaw::DepthRuleNames()));
  sub->add_option("--depth-tolerance", options.depth_tolerance,
                  "Under a depth formula, the layers within max(0.5, this x the formula's depth) of it (0: the "
                  "nearest integer only)")
      ->capture_default_str()
      ->check(NumberFromTo(0, 1));
  AddArchitectureOptions(sub, command.architecture, command.kinds);
  sub->add_option("--seq-len", options.seq_len, "Training context, which the attention FLOPs grow with")
      ->capture_default_str()
      ->check(WholeNumber(1, 1 << 24));
}

void AddSweepCommand(CLI::App& app, SweepCommand& command, int& exit_code) {
  CLI::App* sub = app.add_subcommand(
      "sweep",
      "The runs of an isoFLOP or N x D grid, ready to launch: each a real shape with its tokens, steps, batch and "
      "peak LR, as a CSV that scalelaw fit and scalelaw isoflop read back once its loss column is filled in");
  auto* budgets = sub->add_option("--budgets", command.budgets,
                                  "IsoFLOP budgets C (comma-separated): every size at D = C / (FLOPs per token)")
                      ->delimiter(',')
                      ->check(kPositiveNumber);
  auto* tokens = sub->add_option("--tokens", command.tokens, "Token counts D (comma-separated): an N x D grid instead")
                     ->delimiter(',')
                     ->check(kPositiveNumber)
                     ->excludes(budgets);
  auto* sizes = sub->add_option("--sizes", command.sizes, "Target sizes N (comma-separated, of --definition)")
                    ->delimiter(',')
                    ->check(kPositiveNumber);
  sub->add_option("--design", command.design,
                  "A 'scalelaw design --json' result: the run it proposes (its best candidate's N and D), planned as "
                  "a 1 x 1 grid")
      ->check(CLI::ExistingFile)
      ->excludes(budgets)
      ->excludes(tokens)
      ->excludes(sizes);
  sub->add_option("--min-params", command.min_params, "Smallest target N: --per-budget sizes even in log N")
      ->check(kPositiveNumber);
  sub->add_option("--max-params", command.max_params, "Largest target N")->check(kPositiveNumber);
  sub->add_option("--per-budget", command.per_budget, "Sizes per budget (or per D) from a range or a law")
      ->capture_default_str()
      ->check(WholeNumber(1, 1000));
  auto* law =
      sub->add_option("--law", command.law.family,
                      "Centre the sizes on this allocation law's N_opt(C): " +
                          fmt::format("{}", fmt::join(scalelaw::FamiliesFor(scalelaw::Quantity::kAllocation), ", ")))
          ->check(CLI::IsMember(scalelaw::FamiliesFor(scalelaw::Quantity::kAllocation)));
  sub->add_option("--fit", command.law.fit, "Centre the sizes on N_opt(C) of a 'scalelaw fit --output' file")
      ->excludes(law);
  sub->add_option("--spread", command.spread, "With --law or --fit: sizes from N_opt / spread to N_opt x spread")
      ->capture_default_str()
      ->check(NumberFromTo(1.0001, 1e6));
  sub->add_option("--definition", command.shape.definition,
                  "Which N the sizes are: total (Chinchilla), non-embedding (Kaplan), non-vocabulary (Tao et al.)")
      ->capture_default_str()
      ->check(CLI::IsMember(scalelaw::ParamsDefinitionNames()));
  sub->add_option("--convention", command.convention,
                  "FLOPs per token of a shape (scalelaw count --conventions): D = C / M and flops = D M")
      ->capture_default_str()
      ->check(CLI::IsMember(ChoiceNames(scalelaw::FlopConventions())));
  sub->add_option("--lr-law", command.lr_law, "Peak learning-rate law of every run")
      ->capture_default_str()
      ->check(CLI::IsMember(scalelaw::FamiliesFor(scalelaw::Quantity::kLearningRate)));
  auto* batch = sub->add_option("--batch-tokens", command.batch_tokens,
                                "Every run's batch in tokens (rounded to whole sequences) instead of --batch-law's")
                    ->check(kPositiveNumber);
  sub->add_option("--batch-law", command.batch_law, "Batch-size law of every run")
      ->capture_default_str()
      ->check(CLI::IsMember(scalelaw::FamiliesFor(scalelaw::Quantity::kBatchSize)))
      ->excludes(batch);
  sub->add_option("--schedule", command.schedule,
                  "The LR schedule written in every row, as given (default: the LR law's own, as a spec at each run's "
                  "peak and steps)");
  sub->add_option("--run-prefix", command.run_prefix, "Run ids are PREFIX-001, PREFIX-002, ...")->capture_default_str();
  sub->add_option("--max-distance", command.max_distance,
                  "A size whose nearest shape is farther than this (relative) has none: exit 1")
      ->capture_default_str()
      ->check(kPositiveNumber);
  AddShapeConstraintOptions(sub, command.shape);
  sub->add_option("--output", command.output, "Write the runs to this file (.json: JSON, else CSV) instead");
  AddJsonFlag(sub, command.json);
  sub->callback([&command, &exit_code] { exit_code = RunSweep(command); });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("scalelaw: scaling laws for language-model training", "scalelaw");
  app.set_version_flag("--version", scalelaw::kVersion);
  app.require_subcommand(1);
  app.failure_message(CLI::FailureMessage::simple);

  int exit_code = kExitOk;
  FitCommand fit;
  ValidateCommand validate;
  PredictCommand predictions[std::size(kPredictCommands)], allocate;
  TransferLrCommand transfer;
  PlanCommand plan;
  LawsCommand laws;
  ModelsCommand models;
  IsoflopCommand isoflop;
  FitHparamsCommand fit_hparams;
  CompareCommand compare;
  LadderCommand ladder;
  CurveCommands curve;
  DesignCommand design;
  CountCommand count;
  ShapeCommand shape;
  SweepCommand sweep;
  AddFitCommand(app, fit, exit_code);
  AddValidateCommand(app, validate, exit_code);
  AddAllocateCommand(app, allocate, exit_code);
  for (std::size_t i = 0; i < std::size(kPredictCommands); ++i) {
    AddPredictCommand(app, kPredictCommands[i], predictions[i], exit_code);
  }
  AddTransferLrCommand(app, transfer, exit_code);
  AddPlanCommand(app, plan, exit_code);
  AddLawsCommand(app, laws, exit_code);
  AddModelsCommand(app, models, exit_code);
  AddIsoflopCommand(app, isoflop, exit_code);
  AddFitHparamsCommand(app, fit_hparams, exit_code);
  AddCompareCommand(app, compare, exit_code);
  AddLadderCommand(app, ladder, exit_code);
  AddCurveCommands(app, curve, exit_code);
  AddDesignCommand(app, design, exit_code);
  AddCountCommand(app, count, exit_code);
  AddShapeCommand(app, shape, exit_code);
  AddSweepCommand(app, sweep, exit_code);

  SetCommandLine(argc, argv);
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
    PrintError(CliMessage(e));
    return kExitUsage;
  } catch (const std::exception& e) {
    PrintError(std::string("internal error: ") + e.what());
    return kExitUsage;
  }
  return exit_code;
}
