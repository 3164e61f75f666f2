// What every published law carries besides its constants: where it comes from, which N it expects, the range it
// was fitted on, the inputs it reads and what evaluates it. Predictions outside that range still answer, with a
// warning.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/inputs.h"

namespace scalelaw {

struct Citation {
  std::string authors;  // "Hoffmann et al."
  int year = 0;
  std::string title;
  std::string arxiv;     // "2203.15556"
  std::string location;  // where in the paper the constants are printed, e.g. "Eq. 10"

  std::string ToString() const {
    if (arxiv.empty()) return authors + (location.empty() ? "" : ", " + location);
    std::string s = authors + " (" + std::to_string(year) + "), \"" + title + "\", arXiv:" + arxiv;
    if (!location.empty()) s += ", " + location;
    return s;
  }
};

// The box of (N, D) a law was fitted on; a bound of 0 means "not stated".
struct ValidityRange {
  double params_min = 0;
  double params_max = 0;
  double tokens_min = 0;
  double tokens_max = 0;
};

// A number as a person writes it ("7e+09", "0.3478", "nan"), never a 300-digit expansion.
inline std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// The warmup a schedule of `steps` steps gets when its law states `stated` steps: at most a tenth of the run
// (a schedule's warmup must be shorter than the run; a law tuned on long runs does not say what a short one
// needs), and none when that leaves fewer than the 2 steps a linear warmup has.
inline long WarmupSteps(long stated, long steps) {
  const long warmup = std::min(stated, steps / 10);
  return warmup >= 2 ? warmup : 0;
}

// What a law predicts; the CLI's predict-* commands pick laws by it.
enum class Quantity { kLoss, kAllocation, kLearningRate, kBatchSize, kWeightDecay, kVocabularySize, kDownstream };

inline std::string_view QuantityName(Quantity quantity) {
  switch (quantity) {
    case Quantity::kLoss:
      return "loss";
    case Quantity::kAllocation:
      return "allocation";
    case Quantity::kLearningRate:
      return "learning rate";
    case Quantity::kBatchSize:
      return "batch size";
    case Quantity::kWeightDecay:
      return "weight decay";
    case Quantity::kVocabularySize:
      return "vocabulary size";
    case Quantity::kDownstream:
      return "downstream";
  }
  return "other";
}

// A law's constants by name, in the order a person reads them; NaN marks a constant without a published value
// (a form whose constants are fitted per task: the caller supplies them, or a fit does).
using Constants = std::vector<std::pair<std::string, double>>;

// The value of constant name; throws InvalidArgument when it is absent, NotApplicable when it has no value.
inline double ConstantValue(const Constants& constants, std::string_view name, std::string_view law_name) {
  for (const auto& [key, value] : constants) {
    if (key != name) continue;
    if (std::isnan(value)) {
      // Not an error of the caller's inputs: the law cannot answer until it is given its constants, so with law
      // family "all" it is listed as skipped.
      throw NotApplicable("publishes no value of its constant '" + std::string(name) + "': give one", {});
    }
    return value;
  }
  throw InvalidArgument("law '" + std::string(law_name) + "' has no constant '" + std::string(name) + "'");
}

// The value of constant name when constants has it (InvalidArgument when it has it without a value), else
// fallback: a value type's binder reads the constants a record lists and keeps its own defaults for the rest.
inline double ConstantOr(const Constants& constants, std::string_view name, double fallback,
                         std::string_view law_name) {
  for (const auto& entry : constants) {
    if (entry.first == name) return ConstantValue(constants, name, law_name);
  }
  return fallback;
}

struct LawInfo;

// One evaluation of a law: its outputs (by the keys of LawInfo::outputs; NaN until set), and for a person the
// notes on what was assumed and the warnings. A bulk evaluation reuses one Evaluation for every point and asks
// for notes only at the first (detailed == false afterwards), so an evaluator must not build note strings
// unless detailed.
struct Evaluation {
  explicit Evaluation(const LawInfo& record);

  const LawInfo* law;
  std::vector<double> values;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
  bool detailed = true;
  // A bulk evaluation that has the warnings it will show stops collecting them: they are only counted.
  bool collect_warnings = true;
  std::size_t uncollected_warnings = 0;

  void Set(std::string_view key, double value);
  void Note(std::string note) {
    if (detailed) notes.push_back(std::move(note));
  }
  void Warn(std::string warning) {
    if (collect_warnings) {
      warnings.push_back(std::move(warning));
    } else {
      ++uncollected_warnings;
    }
  }
  // A warning for each of N, D outside the record's fitted range (NaN or <= 0: not checked).
  void CheckRange(double params, double tokens);
  // The outputs every allocation has: params, tokens, flops and tokens_per_param.
  void SetSplit(double params, double tokens, double flops) {
    Set("params", params);
    Set("tokens", tokens);
    Set("flops", flops);
    Set("tokens_per_param", tokens / params);
  }
  void Reset();
};

// A law evaluated with its constants bound: writes its outputs into the Evaluation; throws NotApplicable
// (scalelaw/laws/inputs.h) when an input it needs is missing, InvalidArgument when an input is out of its domain.
using Evaluator = std::function<void(const PredictionInputs&, Evaluation&)>;

// A published test vector: inputs (and constants, for a form without published ones), and outputs as the paper
// prints them ("1.0226e-3": the value rounds to it). Every record carries one; a test evaluates each from C++,
// the CLI and Python.
struct LawExample {
  std::vector<std::pair<Input, double>> inputs;
  Constants constants;  // overrides of the record's constants
  std::vector<std::pair<std::string, std::string>> outputs;
  std::string source;  // where the numbers are printed
};

// The short name of a quantity in Python's predict(quantity, ...): "lr", "batch", "wd", "vocab", "loss",
// "allocation", "downstream".
inline std::string_view QuantityKey(Quantity quantity) {
  switch (quantity) {
    case Quantity::kLoss:
      return "loss";
    case Quantity::kAllocation:
      return "allocation";
    case Quantity::kLearningRate:
      return "lr";
    case Quantity::kBatchSize:
      return "batch";
    case Quantity::kWeightDecay:
      return "wd";
    case Quantity::kVocabularySize:
      return "vocab";
    case Quantity::kDownstream:
      return "downstream";
  }
  return "other";
}

// Everything a person needs to use a published law correctly, and what evaluates it, in one place: `scalelaw
// laws`, the predict-* commands, Python's predict_* functions, the docs and the warnings are generated from these
// records.
struct LawInfo {
  std::string name;    // unique registry key, e.g. "step-lr"
  std::string family;  // the value of --law in the CLI, e.g. "step"
  Quantity quantity = Quantity::kLoss;
  std::string formula;  // with the constants, as a person reads it
  Citation citation;
  std::string params_definition;  // which N: total, non-embedding, non-vocabulary
  std::string units;              // units of inputs and outputs, schedule, tokenizer
  ValidityRange range;            // the (N, D) box it was fitted on
  // How sure the constants are, and what is not shipped. The tags: [V2] the constant was found in two
  // independent sources (e.g. the paper's text and the authors' code or data, or two separate write-ups);
  // [V1] in one source only; [U] uncertain: not retrieved, or the sources disagree.
  std::string confidence;
  Constants constants;            // the published constants (NaN: not published)

  // What evaluates it: the inputs it needs, those it reads when given, the outputs it writes (the first is the
  // quantity itself), and bind, which makes an Evaluator from a set of constants (the published ones, a user's,
  // or a fit's).
  std::vector<Input> inputs = {};
  std::vector<Input> optional_inputs = {};
  // Inputs the input table does not name, needed by name (PredictionInputs::SetNamed): the columns of the user's
  // own table that a fitted formula reads ("C"). Published laws have none.
  std::vector<std::string> named_inputs = {};
  std::vector<std::string> outputs = {};
  std::function<Evaluator(const Constants&)> bind = {};
  LawExample example = {};
  // Which count N is, for converting a user's model to it (Predict): the definition the record reads, or nullopt
  // when it reads no parameter count or its paper does not state which (params_definition says so in words).
  std::optional<ParamsDefinition> params_kind = std::nullopt;
  // An allocation law's compute convention: the name in FlopConventions() (scalelaw/model/count.h) of the FLOPs
  // per token F with which the law's budget is C = F D ("6n": C = 6ND, N total), so that a plan recomputes D for
  // a real shape the way the law counted. Empty for other quantities.
  std::string flop_convention = {};
  // A learning-rate law's schedule: the one its peak LR was found under, as a spec of scalelaw/curves/schedule.h
  // ("cosine:peak=...,end=1e-5,steps=...,warmup=2000") for a run of `steps` optimizer steps at peak LR `peak`, so
  // that a plan hands the trainer the LR with the schedule it belongs to. Empty for other laws.
  std::function<std::string(double peak, long steps)> schedule = {};

  // The record's Evaluator with its published constants.
  Evaluator Bind() const { return bind(constants); }
};

inline Evaluation::Evaluation(const LawInfo& record)
    : law(&record), values(record.outputs.size(), std::numeric_limits<double>::quiet_NaN()) {}

// The rare paths of Evaluation's checks, out of line so that the checks themselves inline at every point of a
// bulk evaluation.
namespace law_info_detail {
[[noreturn, gnu::cold, gnu::noinline]] inline void ThrowUndeclaredOutput(const LawInfo& law, std::string_view key) {
  throw std::logic_error("law '" + law.name + "' sets an output it does not declare: " + std::string(key));
}
}  // namespace law_info_detail

inline void Evaluation::Set(std::string_view key, double value) {
  // Keys are a few characters: compared in line, not through memcmp, since a bulk evaluation sets every output
  // at every point.
  const std::vector<std::string>& outputs = law->outputs;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].size() == key.size() && std::equal(key.begin(), key.end(), outputs[i].begin())) {
      values[i] = value;
      return;
    }
  }
  law_info_detail::ThrowUndeclaredOutput(*law, key);
}

inline void Evaluation::Reset() {
  std::fill(values.begin(), values.end(), std::numeric_limits<double>::quiet_NaN());
  notes.clear();
  warnings.clear();
}

// One human sentence per coordinate that falls outside the range.
inline std::vector<std::string> RangeWarnings(const ValidityRange& range, std::string_view law_name, double params,
                                              double tokens) {
  std::vector<std::string> warnings;
  auto check = [&](double value, double lo, double hi, const char* what) {
    if (!(value > 0) || (lo <= 0 && hi <= 0)) return;
    if ((lo > 0 && value < lo) || (hi > 0 && value > hi)) {
      const std::string bounds = lo <= 0   ? "up to " + FormatNumber(hi)
                                 : hi <= 0 ? "from " + FormatNumber(lo)
                                           : FormatNumber(lo) + " to " + FormatNumber(hi);
      warnings.push_back(std::string(what) + " = " + FormatNumber(value) + " is outside the " + bounds + " that law '" +
                         std::string(law_name) + "' was fitted on");
    }
  };
  check(params, range.params_min, range.params_max, "N");
  check(tokens, range.tokens_min, range.tokens_max, "D");
  return warnings;
}

namespace law_info_detail {
[[gnu::cold, gnu::noinline]] inline void WarnOutOfRange(Evaluation& e, double params, double tokens) {
  for (std::string& w : RangeWarnings(e.law->range, e.law->name, params, tokens)) e.Warn(std::move(w));
}
}  // namespace law_info_detail

inline void Evaluation::CheckRange(double params, double tokens) {
  const ValidityRange& r = law->range;
  const bool params_out = params > 0 && ((r.params_min > 0 && params < r.params_min) ||
                                         (r.params_max > 0 && params > r.params_max));
  const bool tokens_out = tokens > 0 && ((r.tokens_min > 0 && tokens < r.tokens_min) ||
                                         (r.tokens_max > 0 && tokens > r.tokens_max));
  if (!params_out && !tokens_out) return;  // the common case allocates nothing
  if (!collect_warnings) {
    ++uncollected_warnings;
    return;
  }
  law_info_detail::WarnOutOfRange(*this, params, tokens);
}

// For an allocation law that splits a FLOPs budget and knows no loss to aim at and no inference: NotApplicable
// when a target loss or inference tokens are given.
inline void RequireBudgetOnly(const PredictionInputs& in) {
  if (in.Has(Input::kTargetLoss)) throw NotApplicable("has no loss law to allocate for {0}", {Input::kTargetLoss});
  if (in.Has(Input::kInferenceTokens) || in.Has(Input::kLifetimeFlops)) {
    throw NotApplicable("is not inference-aware ({0}, {1})", {Input::kInferenceTokens, Input::kLifetimeFlops});
  }
}

namespace law_info_detail {
[[noreturn, gnu::cold, gnu::noinline]] inline void ThrowNotPositive(double value, std::string_view what) {
  throw InvalidArgument(std::string(what) + " must be a positive finite number (got " + FormatNumber(value) + ")");
}
}  // namespace law_info_detail

// Throws InvalidArgument unless value is finite and > 0; what names the quantity in the message. The message is
// built out of line: a bulk evaluation checks every point, and the check alone is two compares.
inline void RequirePositive(double value, std::string_view what) {
  if (!(std::isfinite(value) && value > 0)) law_info_detail::ThrowNotPositive(value, what);
}

namespace law_info_detail {
[[noreturn, gnu::cold, gnu::noinline]] inline void ThrowBadResult(double value, std::string_view what) {
  throw InvalidArgument(std::string(what) + " came out as " + FormatNumber(value) +
                        ": check the law's constants and the inputs' magnitudes");
}
}  // namespace law_info_detail

// value, a law's result computed from valid inputs, when it is finite and > 0; otherwise the constants or the
// magnitudes of the inputs took it out of range (an overflow, a negative coefficient), and InvalidArgument says
// so, naming what.
inline double CheckedResult(double value, std::string_view what) {
  if (!(std::isfinite(value) && value > 0)) law_info_detail::ThrowBadResult(value, what);
  return value;
}

}  // namespace scalelaw
