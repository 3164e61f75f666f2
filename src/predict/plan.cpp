#include "scalelaw/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "scalelaw/model/model_inputs.h"
#include "util/short_number.h"

namespace scalelaw {
namespace {

// The value of key from the first law that answered it (the primary: the registry's order is the order of
// preference), with every answer as alternatives. Laws that answered without this key (ratio rules) are passed.
std::optional<PlanItem> Summarise(const std::vector<Prediction>& predictions, const std::string& key,
                                  const std::string& label) {
  std::optional<PlanItem> item;
  for (const Prediction& p : predictions) {
    const auto found = std::find_if(p.values.begin(), p.values.end(), [&](const auto& kv) { return kv.first == key; });
    if (!p.skipped.empty() || found == p.values.end()) continue;
    const double value = found->second;
    if (!item) item = PlanItem{key, label, value, std::string(p.law.name), {}};
    item->alternatives.emplace_back(std::string(p.law.name), value);
  }
  return item;
}

void Collect(const std::vector<Prediction>& predictions, std::vector<std::string>* warnings) {
  for (const Prediction& p : predictions) warnings->insert(warnings->end(), p.warnings.begin(), p.warnings.end());
}

// How far (relative) the planned shape may be from the law's N or M before the plan warns.
constexpr double kPlanShapeTolerance = 0.10;

// The shape nearest the allocation's N (or M), D recomputed under the law's FLOP convention; nullopt with a
// warning when no shape fits the constraints there.
std::optional<TrainingConfiguration> Configure(const LawInfo& law, const Prediction& allocation,
                                               const PredictionInputs& at, ShapeSearchOptions options,
                                               TrainingPlan* plan) {
  const std::string convention = law.flop_convention.empty() ? "6n" : law.flop_convention;
  const FlopConvention& counted = FindFlopConvention(convention);
  options.top = 1;
  options.seq_len = static_cast<int>(std::lround(at.Get(Input::kSeqLen)));
  if (convention == "deepseek") {
    // DeepSeek allocates M, non-embedding FLOPs per token, not a parameter count (Bi et al. 2024, Sec. 3.2).
    options.params = 0;
    options.flops_per_token = allocation.Value("flops_per_token");
    options.convention = convention;
  } else {
    options.params = allocation.Value("params");
    options.definition = law.params_kind.value_or(ParamsDefinition::kTotal);
    options.flops_per_token = 0;
  }
  // The constraints are the caller's: a problem with them is theirs (InvalidArgument naming the field).
  if (const std::string problem = options.Problem(); !problem.empty()) throw InvalidArgument(problem);
  ShapeSearchSummary found;
  if (!SearchShapes(options, &found)) {
    plan->warnings.push_back("no trainable shape near the planned N: " + found.message);
    return std::nullopt;
  }
  TrainingConfiguration run;
  run.model = found.shapes.front().count;
  run.matched_on = found.target_quantity;
  run.target = found.target;
  // A shape far from the law's N is another model than the one the law planned: the constraints (a vocabulary
  // large for that N, a coarse d_model multiple, the aspect-ratio range) cannot build it.
  if (const double off = found.shapes.front().value / run.target - 1; std::abs(off) > kPlanShapeTolerance) {
    plan->warnings.push_back(fmt::format(
        "the nearest shape's {} {} is {:+.0f}% from the law's {}: the shape constraints cannot build that N (the "
        "vocabulary, d_model multiple or aspect-ratio range); the plan's D, batch and LR are for this shape",
        detail::ShortNumber(found.shapes.front().value), run.matched_on, 100 * off, detail::ShortNumber(run.target)));
  }
  run.flop_convention = convention;
  run.flops_per_token = counted.flops_per_token(run.model.shape);
  run.seq_len = options.seq_len;
  // C: the training compute (of all epochs, for a data-constrained plan; without inference, for an
  // inference-aware one).
  run.tokens = plan->flops / run.flops_per_token;
  if (!law.params_kind && convention != "deepseek") {
    plan->notes.push_back("law '" + law.name +
                          "' does not state which N it allocates; the shape is matched on "
                          "total parameters");
  }
  plan->notes.push_back(fmt::format(
      "the shape's {} {} is {:+.2f}% from the law's {}; D = C / F = {} tokens with F = {} FLOPs/token ({}, the "
      "allocation law's convention; the law's own D was {})",
      detail::ShortNumber(found.shapes.front().value), run.matched_on,
      100 * (found.shapes.front().value / run.target - 1), detail::ShortNumber(run.target),
      detail::ShortNumber(run.tokens), detail::ShortNumber(run.flops_per_token), counted.formula,
      detail::ShortNumber(allocation.Value("tokens"))));
  return run;
}

// The run's schedule designed against a fitted Multi-Power Law (Luo et al. 2025, arXiv:2503.12811, Sec. 5): at the
// run's steps and peak LR, with the warmup of the LR law's schedule (none when it states no schedule) and the
// design's default floor, a tenth of the peak (the ratio of the paper's runs). What the law cannot vouch for (one
// fitted size, a longer run or another peak than its curves had) is a warning; a design that is not usable leaves
// the LR law's schedule as the plan's, with the reason.
void DesignRunSchedule(const PlanScheduleLaw& source, TrainingConfiguration* run, TrainingPlan* plan) {
  if (!source.unusable_reason.empty()) {
    plan->warnings.push_back("the curve law '" + source.name + "' is not usable (" + source.unusable_reason +
                             "): no schedule is designed against it");
    return;
  }
  if (!(run->steps > 0 && run->peak_lr > 0)) {
    plan->warnings.push_back("no steps or peak LR planned: no schedule is designed against '" + source.name + "'");
    return;
  }
  ScheduleDesignOptions options;
  options.steps = static_cast<long>(run->steps);
  options.peak = run->peak_lr;
  if (!run->schedule.empty()) {
    const LrSchedule stated = ParseLrSchedule(run->schedule);
    options.warmup = stated.warmup;
    options.warmup_shape = stated.warmup_shape;
    options.warmup_lr = stated.warmup_lr;
  }
  if (std::string why; !options.IsValid(&why)) {
    plan->warnings.push_back("no schedule is designed against '" + source.name + "': " + why);
    return;
  }
  const double params = static_cast<double>(run->model.params.total);
  if (source.sizes.empty()) {
    plan->warnings.push_back(fmt::format(
        "the curve law '{}' was fitted at one model size: the schedule is designed as if its constants held at this "
        "shape's {} parameters (a fit across sizes, 'scalelaw curve fit --across-sizes', scales them with N)",
        source.name, detail::ShortNumber(params)));
  } else if (params < source.sizes.front() || params > source.sizes.back()) {
    plan->warnings.push_back(fmt::format(
        "the shape's {} parameters are outside the sizes {} to {} the curve law '{}' was fitted on: its constants "
        "there are an extrapolation of their power laws in N",
        detail::ShortNumber(params), detail::ShortNumber(source.sizes.front()),
        detail::ShortNumber(source.sizes.back()), source.name));
  }
  if (source.range.steps > 0 && options.steps > source.range.steps) {
    plan->warnings.push_back(fmt::format(
        "the run's {} steps are beyond the {} of the longest curve '{}' was fitted on: the designed decay is an "
        "extrapolation in time",
        options.steps, source.range.steps, source.name));
  }
  if (source.range.peak_lr_max > 0 &&
      (options.peak < source.range.peak_lr_min * (1 - 1e-9) || options.peak > source.range.peak_lr_max * (1 + 1e-9))) {
    plan->warnings.push_back(
        fmt::format("the run's peak LR {:g} is outside the fitted curves' peaks ({:g} to {:g}) of '{}': the law's LR "
                    "dependence is an extrapolation there",
                    options.peak, source.range.peak_lr_min, source.range.peak_lr_max, source.name));
  }
  ScheduleDesignSummary design = DesignSchedule(source.law.At(source.sizes.empty() ? 1.0 : params), options);
  if (!design.IsUsable()) {
    plan->warnings.push_back("the schedule designed against '" + source.name + "' is not usable (" + design.message +
                             "): the plan keeps the LR law's schedule");
    return;
  }
  plan->notes.push_back(fmt::format(
      "schedule designed against '{}' (Luo et al. 2025): predicted final loss {:.5g} against {:.5g} for cosine and "
      "{:.5g} for the best WSD ({}, the last {:.0f}% of the steps decayed) of the same peak, warmup and floor {:g} "
      "(a tenth of the peak); it decays from step {}",
      source.name, design.final_loss, design.cosine.final_loss, design.wsd.final_loss, design.wsd.name,
      100 * design.wsd.decay_fraction, design.min_lr, design.decay_start));
  run->designed_schedule = std::move(design);
  run->schedule_law = source.name;
}

// The run's batch in whole sequences, its steps, and the primary LR law's schedule at those steps.
void Launch(const std::vector<Prediction>& lrs, const std::optional<PlanItem>& lr, const std::optional<PlanItem>& batch,
            TrainingConfiguration* run, TrainingPlan* plan) {
  if (!batch) {
    plan->warnings.push_back("no batch-size law answered: the run's batch and steps are not planned");
    return;
  }
  run->batch_sequences = std::max(1.0, std::round(batch->value / run->seq_len));
  run->batch_tokens = run->batch_sequences * run->seq_len;
  run->steps = std::ceil(run->tokens / run->batch_tokens);
  if (!lr) {
    plan->warnings.push_back("no learning-rate law answered: the run's LR and schedule are not planned");
    return;
  }
  run->peak_lr = lr->value;
  run->lr_law = lr->law;
  for (const Prediction& p : lrs) {
    if (p.law.name != lr->law) continue;
    if (p.law.schedule) {
      run->schedule = p.law.schedule(run->peak_lr, static_cast<long>(run->steps));
    } else {
      plan->notes.push_back("law '" + lr->law + "' states no schedule: use the one its LR was tuned under");
    }
    break;
  }
}

}  // namespace

ShapeSearchOptions PlanShapeOptions() {
  ShapeSearchOptions options;
  options.min_aspect_ratio = 96;
  options.max_aspect_ratio = 160;
  return options;
}

namespace {

PlanScheduleLaw MultiPowerOnly(CurveLawForm form, const std::string& name) {
  if (form != CurveLawForm::kMultiPower) {
    throw InvalidArgument(fmt::format("{}: a {} curve law; a plan designs its schedule against a multi-power fit", name,
                                      CurveLawFormName(form)));
  }
  PlanScheduleLaw out;
  out.name = name;
  return out;
}

}  // namespace

PlanScheduleLaw ScheduleLawOf(const CurveFitSummary& fit, const std::string& name) {
  PlanScheduleLaw out = MultiPowerOnly(fit.form, name);
  out.range = fit.range;
  if (!fit.IsUsable()) {
    out.unusable_reason = fit.message;
    return out;
  }
  out.law.form = fit.form;
  out.law.parameters = fit.parameters;
  out.law.exponents.assign(fit.parameters.size(), 0.0);
  out.law.scaled.assign(fit.parameters.size(), false);
  out.law.reference_params = 1;
  out.law.lambda = fit.lambda;
  return out;
}

PlanScheduleLaw ScheduleLawOf(const CurveSizeFitSummary& fit, const std::string& name) {
  PlanScheduleLaw out = MultiPowerOnly(fit.form, name);
  out.range = fit.range;
  out.sizes = fit.sizes;
  if (!fit.IsUsable()) {
    out.unusable_reason = fit.message;
    return out;
  }
  out.law = fit.law;
  return out;
}

std::optional<PlanScheduleLaw> ScheduleLawFromJson(std::string_view text, const std::string& source_name,
                                                   const std::string& name) {
  const nlohmann::json in = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded()) throw InputError(source_name, 0, "", "not valid JSON");
  // The keys LawFromJson tells a curve fit by (scalelaw/fit/fitted_law.h).
  if (!in.is_object() || !in.contains("form")) return std::nullopt;
  if (in.contains("reference_params")) return ScheduleLawOf(CurveSizeFitFromJson(text, source_name), name);
  if (in.contains("curves")) return ScheduleLawOf(CurveFitFromJson(text, source_name), name);
  return std::nullopt;
}

void PlanFits::Add(Law law) {
  if (law.Answer(Quantity::kAllocation) == nullptr) {
    fitted.push_back(std::move(law));
  } else if (allocation) {
    throw InvalidArgument(law.name + ": a second law for N and D (the first is " + allocation->name + ")");
  } else {
    allocation = std::move(law);
  }
}

void PlanFits::Add(PlanScheduleLaw law) {
  if (schedule_law) {
    throw InvalidArgument(law.name + ": a second curve law for the schedule (the first is " + schedule_law->name + ")");
  }
  schedule_law = std::move(law);
}

TrainingPlan PlanTraining(const PredictionInputs& inputs, std::string_view family, const PlanOptions& options) {
  return PlanTraining(inputs, PublishedLaw(inputs.Has(Input::kUniqueTokens) ? "datablations" : family), {}, options);
}

TrainingPlan PlanTraining(const PredictionInputs& inputs, const Law& allocation_law,
                          const std::vector<Law>& fitted_laws, const PlanOptions& options) {
  if (inputs.Has(Input::kFlops) == inputs.Has(Input::kLifetimeFlops)) {
    throw InputProblem("a plan needs the training compute {0} or, with inference tokens {1}, the lifetime compute {2}",
                       {Input::kFlops, Input::kInferenceTokens, Input::kLifetimeFlops});
  }

  TrainingPlan plan;
  plan.allocation = Predict(allocation_law, Quantity::kAllocation, inputs);
  const Prediction& allocation = plan.allocation;
  plan.flops = allocation.Value("flops");
  plan.notes = allocation.notes;
  plan.warnings = allocation.warnings;

  const std::string source(allocation.law.name);
  const double n = allocation.Value("params"), d = allocation.Value("tokens");
  const double epochs = inputs.Has(Input::kUniqueTokens) ? allocation.Value("epochs") : 1.0;
  plan.items.push_back({"params", "parameters N", n, source, {}});
  plan.items.push_back({"tokens", "tokens D", d, source, {}});
  plan.items.push_back({"epochs", "epochs", epochs, source, {}});

  PredictionInputs at = inputs;
  for (Input given : {Input::kUniqueTokens, Input::kInferenceTokens, Input::kTargetLoss, Input::kLifetimeFlops}) {
    at.Clear(given);
  }
  // A law that allocates without a loss law (DeepSeek's, Kaplan's) plans no expected loss.
  const auto loss = std::find_if(allocation.values.begin(), allocation.values.end(),
                                 [](const auto& kv) { return kv.first == "loss"; });
  if (loss != allocation.values.end()) at.Set(Input::kLoss, loss->second);

  // The user's own laws of a quantity first (the primary answer), then every published one.
  auto answers = [&](Quantity quantity, const PredictionInputs& point) {
    std::vector<Prediction> out;
    for (const Law& law : fitted_laws) {
      if (law.Answer(quantity) != nullptr) out.push_back(Predict(law, quantity, point));
    }
    for (Prediction& p : Predict(quantity, "all", point)) out.push_back(std::move(p));
    return out;
  };
  // The hyperparameter laws' point: the shape (each law reading its own N from its counts) at D = C / F.
  auto at_shape = [&](const TrainingConfiguration& run) {
    return WithModel(run.model.shape, at).Set(Input::kTokens, run.tokens).Set(Input::kFlops, plan.flops);
  };

  const LawInfo& allocation_record = *allocation_law.Answer(Quantity::kAllocation);
  ShapeSearchOptions shape = options.shape;
  const std::size_t notes_before = plan.notes.size(), warnings_before = plan.warnings.size();
  plan.configuration = Configure(allocation_record, allocation, at, shape, &plan);
  if (plan.configuration && options.vocab_from_law) {
    // A fixed point of vocabulary -> shape -> non-vocabulary N -> vocabulary (the law reads N_nv, which the shape
    // search changes when the embedding takes more or fewer of the law's total N).
    const int multiple = std::max(1, options.vocab_multiple);
    std::optional<PlanItem> vocab;
    bool settled = false;
    for (int search = 1; search <= 5 && !settled; ++search) {
      vocab = Summarise(answers(Quantity::kVocabularySize, at_shape(*plan.configuration)), "vocab_size", "");
      if (!vocab) break;
      const auto rounded = static_cast<std::int64_t>(std::ceil(std::floor(vocab->value) / multiple) * multiple);
      settled = rounded == plan.configuration->model.shape.vocab;
      if (settled || search == 5) break;
      // The notes and warnings of the shape found last give way to the new search's.
      const std::vector<std::string> kept_notes = plan.notes, kept_warnings = plan.warnings;
      plan.notes.resize(notes_before);
      plan.warnings.resize(warnings_before);
      shape.vocab = rounded;
      std::optional<TrainingConfiguration> again = Configure(allocation_record, allocation, at, shape, &plan);
      if (!again) {  // the last shape found stands, with why the law's vocabulary could not be had
        const std::string why = plan.warnings.back();
        plan.notes = kept_notes;
        plan.warnings = kept_warnings;
        plan.warnings.push_back(fmt::format("with the vocabulary law's {}: {}", rounded, why));
        break;
      }
      plan.configuration = std::move(again);
    }
    if (!vocab) {
      plan.warnings.push_back("no vocabulary law answered: the shape keeps the vocabulary " +
                              std::to_string(plan.configuration->model.shape.vocab));
    } else if (settled) {
      plan.notes.push_back(
          fmt::format("the shape's vocabulary {} is {}'s {} at its non-vocabulary N, rounded up to a multiple of {}",
                      plan.configuration->model.shape.vocab, vocab->law, std::floor(vocab->value), multiple));
    } else {
      plan.warnings.push_back(fmt::format(
          "the shape's vocabulary {} is not {}'s {} at its non-vocabulary N rounded up to a multiple of {}: the "
          "search did not settle",
          plan.configuration->model.shape.vocab, vocab->law, std::floor(vocab->value), multiple));
    }
  }
  if (plan.configuration) {
    const TrainingConfiguration& run = *plan.configuration;
    at = at_shape(run);
    plan.notes.push_back(fmt::format(
        "hyperparameter laws are evaluated at the shape ({} layers, d_model {}), each reading its own N from the "
        "shape's counts, at D = C/F = {} tokens and at the expected loss; their schedules: 'scalelaw laws show NAME'",
        run.model.shape.layers, run.model.shape.d_model, detail::ShortNumber(run.tokens)));
  } else {
    at.Set(Input::kParams, n).Set(Input::kTokens, d).Set(Input::kFlops, 6 * n * d);
    plan.notes.push_back(
        "hyperparameter laws are evaluated at the planned N and D with C = 6ND and at the expected loss; each "
        "law's own N definition and schedule are listed by 'scalelaw laws show NAME'");
  }

  const std::vector<Prediction> lrs = answers(Quantity::kLearningRate, at);
  const std::vector<Prediction> batches = answers(Quantity::kBatchSize, at);
  Collect(lrs, &plan.warnings);
  Collect(batches, &plan.warnings);
  const std::optional<PlanItem> lr = Summarise(lrs, "lr", "peak learning rate");
  const std::optional<PlanItem> batch = Summarise(batches, "batch_tokens", "batch (tokens)");
  if (lr) plan.items.push_back(*lr);
  if (batch) plan.items.push_back(*batch);
  if (auto sequences =
          Summarise(batches, "batch_sequences", fmt::format("batch (sequences of {:g})", at.Get(Input::kSeqLen)))) {
    plan.items.push_back(*sequences);
  }
  if (lr && batch) {
    at.Set(Input::kLearningRate, lr->value).Set(Input::kBatchTokens, batch->value);
    const std::vector<Prediction> decay = answers(Quantity::kWeightDecay, at);
    Collect(decay, &plan.warnings);
    if (auto item = Summarise(decay, "weight_decay", "AdamW weight decay")) {
      plan.notes.push_back(fmt::format("weight decay uses {}'s LR and {}'s batch", lr->law, batch->law));
      plan.items.push_back(*item);
    }
  }
  const std::vector<Prediction> vocab = answers(Quantity::kVocabularySize, at);
  Collect(vocab, &plan.warnings);
  if (auto item = Summarise(vocab, "vocab_size", "vocabulary size")) {
    item->value = std::floor(item->value);  // a vocabulary has a whole number of entries (Tao et al. truncate)
    plan.notes.push_back("vocabulary law reads N as non-vocabulary parameters");
    plan.items.push_back(*item);
  }
  if (at.Has(Input::kLoss))
    plan.items.push_back({"loss", "expected loss (nats/token)", at.Get(Input::kLoss), source, {}});
  if (plan.configuration) {
    Launch(lrs, lr, batch, &*plan.configuration, &plan);
    if (options.schedule_law) DesignRunSchedule(*options.schedule_law, &*plan.configuration, &plan);
  } else if (options.schedule_law) {
    plan.warnings.push_back("no trainable configuration: no schedule is designed against '" +
                            options.schedule_law->name + "'");
  }
  return plan;
}

}  // namespace scalelaw
