// Evaluating laws: a record's evaluator bound to its constants, at one point or at many, with the 95% band over
// a fit's resampled constants. Which laws exist and what they read is the registry's (scalelaw/laws/registry.h).
#include "scalelaw/predict.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <set>
#include <string_view>
#include <tuple>

#include "scalelaw/error.h"
#include "predict/params_conversion.h"
#include "scalelaw/laws/registry.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

// The outputs an Evaluation produced, in the record's order.
void CollectValues(const Evaluation& e, std::vector<std::pair<std::string, double>>* values) {
  for (std::size_t i = 0; i < e.values.size(); ++i) {
    if (std::isnan(e.values[i])) continue;
    if (!std::isfinite(e.values[i])) {
      throw InvalidArgument(fmt::format("law '{}' gave a non-finite {}", e.law->name, e.law->outputs[i]));
    }
    values->emplace_back(e.law->outputs[i], e.values[i]);
  }
}

// The level of the predictive interval an output carries: a fitted loss's Law::predictive_level, else 0. A law
// without residuals (a published law, a curve-law fit, a fit file written before they were) has no observation
// noise to add, and no predictive interval.
double PredictiveLevel(const Law& law, const LawInfo& record, std::string_view key) {
  const bool fitted_loss = key == "loss" && record.quantity == Quantity::kLoss && !law.noise.residuals.empty();
  return fitted_loss ? law.predictive_level : 0;
}

// "loss_lo90p" and "loss_hi90p" at level 0.9.
std::string PredictiveKey(std::string_view side, double level) {
  return fmt::format("loss_{}{}p", side, static_cast<int>(std::lround(100 * level)));
}

std::string PredictiveNote(const Law& law) {
  return fmt::format(
      "{}% predictive interval: the bootstrap's losses with the fit's {} residuals (observation noise, inflated by "
      "sqrt(n/(n-p)) for the {} free parameters)",
      static_cast<int>(std::lround(100 * law.predictive_level)), law.noise.residuals.size(), law.noise.free_parameters);
}

// One output's intervals from its values under the resamples (sorted, at least 2): the 95% band, their 2.5 and
// 97.5 percentiles, none (NaN) when they agree to 1e-9 of value; and at predictive_level > 0 the predictive
// interval of a new run (PredictiveInterval; NaN when it has none).
struct OutputIntervals {
  double lo95 = std::numeric_limits<double>::quiet_NaN();
  double hi95 = std::numeric_limits<double>::quiet_NaN();
  double predictive_lo = std::numeric_limits<double>::quiet_NaN();
  double predictive_hi = std::numeric_limits<double>::quiet_NaN();
};
OutputIntervals IntervalsOf(const std::vector<double>& sorted, double value, const ObservationNoise& noise,
                            double predictive_level) {
  OutputIntervals out;
  const double lo = detail::Percentile(sorted, 0.025), hi = detail::Percentile(sorted, 0.975);
  if (hi - lo <= 1e-9 * std::abs(value)) return out;
  out.lo95 = lo;
  out.hi95 = hi;
  if (predictive_level > 0) {
    std::tie(out.predictive_lo, out.predictive_hi) = PredictiveInterval(sorted, noise, predictive_level);
  }
  return out;
}

// The 95% band of every output across the law's resampled constants: the same evaluation under each resample,
// summarised by its 2.5 and 97.5 percentiles. A resample that cannot answer (a target loss below its E) is left
// out and counted; an output the same under every resample (a given input such as the budget) gets no band.
void AddResampleIntervals(const Law& law, const LawInfo& record, const PredictionInputs& in, Prediction* out) {
  if (law.resamples.size() < 2) return;
  std::vector<std::vector<double>> samples(record.outputs.size());
  std::size_t failed = 0;
  Evaluation scratch(record);
  scratch.detailed = false;
  for (const Constants& constants : law.resamples) {
    scratch.Reset();
    try {
      record.bind(constants)(in, scratch);
    } catch (const Error&) {
      ++failed;
      continue;
    }
    for (std::size_t i = 0; i < scratch.values.size(); ++i) {
      if (std::isfinite(scratch.values[i])) samples[i].push_back(scratch.values[i]);
    }
  }
  const std::size_t answered = law.resamples.size() - failed;
  if (answered < 2) {
    out->warnings.push_back(fmt::format("no interval: only {} of the fit's {} bootstrap resamples could answer",
                                        answered, law.resamples.size()));
    return;
  }
  std::vector<std::pair<std::string, double>> values;
  for (const auto& [key, value] : out->values) {
    values.emplace_back(key, value);
    const auto index =
        static_cast<std::size_t>(std::find(record.outputs.begin(), record.outputs.end(), key) - record.outputs.begin());
    std::vector<double>& s = samples[index];
    if (s.size() < 2) continue;
    std::sort(s.begin(), s.end());
    const double level = PredictiveLevel(law, record, key);
    const OutputIntervals bounds = IntervalsOf(s, value, law.noise, level);
    if (std::isnan(bounds.lo95)) continue;
    values.emplace_back(key + "_lo95", bounds.lo95);
    values.emplace_back(key + "_hi95", bounds.hi95);
    if (level > 0) {
      if (std::isfinite(bounds.predictive_lo) && std::isfinite(bounds.predictive_hi)) {
        values.emplace_back(PredictiveKey("lo", level), bounds.predictive_lo);
        values.emplace_back(PredictiveKey("hi", level), bounds.predictive_hi);
        out->notes.push_back(PredictiveNote(law));
      } else {
        out->warnings.push_back(fmt::format("no predictive interval: the fit has {} residuals for {} free parameters",
                                            law.noise.residuals.size(), law.noise.free_parameters));
      }
    }
  }
  out->values = std::move(values);
  out->notes.push_back(
      fmt::format("95% intervals from {} of the fit's bootstrap resamples (parameter uncertainty)", answered));
  if (failed > 0) {
    out->warnings.push_back(fmt::format("{} of the fit's {} bootstrap resamples could not answer and are left out",
                                        failed, law.resamples.size()));
  }
}

// The first of n values outside the input's domain, or n. The test runs once per element of every column a
// bulk evaluation is given, so the domain's case is chosen once, not per element.
std::size_t FirstOutsideDomain(const InputInfo& info, const double* column, std::size_t n) {
  auto first = [&](auto in_domain) {
    for (std::size_t k = 0; k < n; ++k) {
      if (!in_domain(column[k])) return k;
    }
    return n;
  };
  switch (info.domain) {
    case InputDomain::kPositive:
      return first([](double v) { return std::isfinite(v) && v > 0; });
    case InputDomain::kAtLeastOne:
      return first([](double v) { return std::isfinite(v) && v >= 1; });
    default:
      return first([&](double v) { return InDomain(info, v); });
  }
}

const LawInfo& RequireAnswer(const Law& law, Quantity quantity) {
  const LawInfo* record = law.Answer(quantity);
  if (record == nullptr) {
    throw InvalidArgument(fmt::format("law '{}' does not predict the {}", law.name, QuantityName(quantity)));
  }
  return *record;
}

// The registry's records of quantity, in registry order.
std::vector<const LawInfo*> RecordsOf(Quantity quantity) {
  std::vector<const LawInfo*> records;
  for (const LawInfo& info : LawRegistry()) {
    if (info.quantity == quantity) records.push_back(&info);
  }
  return records;
}

std::string KnownFamilies(Quantity quantity) {
  std::string known;
  for (const std::string& family : FamiliesFor(quantity)) known += (known.empty() ? "" : ", ") + family;
  return known;
}

// A NotApplicable raised while evaluating law, with the law named in front (in every spelling).
[[noreturn]] void RethrowNamed(const NotApplicable& e, const std::string& law_name) {
  throw NotApplicable(fmt::format("law '{}' {}", law_name, e.TemplateText()), e.inputs());
}

// Every input record needs that in lacks (and has no default), named at once: "needs {0} and {1}", and the
// named inputs it reads ("needs the input 'C'"). A named input that record does not read is a mistake (a
// misspelt column), not something to ignore.
void RequireInputs(const LawInfo& record, const PredictionInputs& in) {
  for (const auto& [name, value] : in.named()) {
    if (std::find(record.named_inputs.begin(), record.named_inputs.end(), name) != record.named_inputs.end()) continue;
    std::vector<std::string> reads;
    for (Input input : record.inputs) reads.emplace_back(Describe(input).key);
    for (Input input : record.optional_inputs) reads.emplace_back(Describe(input).key);
    reads.insert(reads.end(), record.named_inputs.begin(), record.named_inputs.end());
    throw InvalidArgument(fmt::format("unknown input '{}' (law '{}' reads {})", name, record.name,
                                      reads.empty() ? "none" : fmt::format("{}", fmt::join(reads, ", "))));
  }
  std::vector<Input> missing;
  for (Input input : record.inputs) {
    if (std::isnan(in.Get(input))) missing.push_back(input);
  }
  std::vector<std::string> missing_named;
  for (const std::string& name : record.named_inputs) {
    if (in.Named(name) == nullptr) missing_named.push_back("the input '" + name + "'");
  }
  if (missing.empty() && missing_named.empty()) return;
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < missing.size(); ++i) parts.push_back(fmt::format("{{{}}}", i));
  parts.insert(parts.end(), missing_named.begin(), missing_named.end());
  std::string text = "needs ";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  }
  throw NotApplicable(text, missing);
}

// evaluate(law) for the published law of family that answers quantity; with family "all", for every one, a law
// that cannot answer (NotApplicable) listed as skipped with its reason. Result is Prediction or BulkPrediction.
template <typename Result, typename Evaluate>
std::vector<Result> ForFamily(Quantity quantity, std::string_view family, const Evaluate& evaluate) {
  std::vector<Result> out;
  for (const LawInfo* info : RecordsOf(quantity)) {
    if (family != "all" && info->family != family) continue;
    Law law;
    law.name = info->family;
    law.records = {*info};
    if (family != "all") {
      out.push_back(evaluate(law));  // not `return {evaluate(law)}`: a braced list copies a bulk result's columns
      return out;
    }
    try {
      out.push_back(evaluate(law));
    } catch (const NotApplicable& e) {
      Result skipped;
      skipped.law = *info;
      skipped.skipped = e.what();
      skipped.skipped_problem = e;
      out.push_back(std::move(skipped));
    }
  }
  if (family != "all") {
    throw InvalidArgument(
        fmt::format("no {} law '{}' (known: {}, all)", QuantityName(quantity), family, KnownFamilies(quantity)));
  }
  return out;
}

// A bulk evaluation caps the warnings it words (PredictBulk): at most this many distinct ones, from at most this
// many points.
constexpr std::size_t kMaxDistinctWarnings = 8;
constexpr std::size_t kMaxWordedPoints = 64;

// What one range of points of a bulk evaluation produced besides its values.
struct BulkChunk {
  std::vector<std::string> notes;                // its first point's, when it starts at point 0
  std::vector<std::vector<std::string>> worded;  // the warnings of its first warned points, point by point
  std::size_t points_warned = 0;                 // every point that warned
  std::vector<char> complete;                    // per output: every point of the range produced it
  std::exception_ptr error;                      // the first failure, which ended the range
};

// Evaluates points [begin, end) of in with evaluate into (*columns)[output][point]. Throws what the law throws,
// with the element named.
void EvaluateRange(const LawInfo& record, const Evaluator& evaluate, const InputColumns& in, std::size_t begin,
                   std::size_t end, std::vector<std::vector<double>>* columns, BulkChunk* out) {
  const std::size_t n_outputs = record.outputs.size();
  out->complete.assign(n_outputs, 1);
  Evaluation e(record);
  e.detailed = begin == 0;  // notes are the first point's
  PredictionInputs point = in.fixed;
  std::set<std::string> distinct;
  // The columns in local storage: the evaluator is an opaque call, after which `in` would be read again.
  const std::vector<std::pair<Input, const double*>> varying = in.columns;
  for (std::size_t k = begin; k < end; ++k) {
    for (const auto& [input, column] : varying) point.SetUnchecked(input, column[k]);
    for (const auto& [name, column] : in.named_columns) point.SetNamed(name, column[k]);
    try {
      evaluate(point, e);
    } catch (const NotApplicable& problem) {
      RethrowNamed(problem, record.family == "fit" ? record.name : record.family);
    } catch (const InvalidArgument& problem) {
      throw InvalidArgument(fmt::format("element {}: {}", k, problem.what()));
    }
    for (std::size_t i = 0; i < n_outputs; ++i) {
      const double value = e.values[i];
      e.values[i] = std::numeric_limits<double>::quiet_NaN();  // ready for the next point
      if (std::isnan(value)) {
        out->complete[i] = 0;
      } else if (!std::isfinite(value)) {
        throw InvalidArgument(
            fmt::format("law '{}' gave a non-finite {} at element {}", record.name, record.outputs[i], k));
      }
      (*columns)[i][k] = value;
    }
    if (k == begin && begin == 0) {
      out->notes = std::move(e.notes);
      e.detailed = false;
    }
    if (!e.warnings.empty() || e.uncollected_warnings > 0) {
      ++out->points_warned;
      if (e.collect_warnings) {
        for (const std::string& w : e.warnings) distinct.insert(w);
        out->worded.push_back(std::move(e.warnings));
      }
      e.warnings.clear();
      e.uncollected_warnings = 0;
      // A range words no more than the whole evaluation could keep of it.
      if (distinct.size() >= kMaxDistinctWarnings || out->worded.size() >= kMaxWordedPoints) {
        e.collect_warnings = false;
      }
    }
  }
}

// in with N as record counts it (ChooseParams): the count of the law's definition when it was given, else the
// count given, with a warning that says how far the two definitions are apart for a typical model.
PredictionInputs InLawTerms(const LawInfo& record, const PredictionInputs& in, Evaluation* e) {
  const auto choice = detail::ChooseParams(
      record, [&](ParamsDefinition definition) { return in.Has(ParamsInput(definition)); },
      [&](Input input) { return in.Get(input); });
  if (!choice) return in;
  PredictionInputs out = in;
  out.SetUnchecked(Input::kParams, in.Get(choice->source));
  if (!choice->note.empty()) e->Note(choice->note);
  if (!choice->warning.empty()) e->Warn(choice->warning);
  return out;
}

// The bulk form of InLawTerms: N's column (or fixed value) is the chosen count's; the note and warning go to out.
InputColumns ColumnsInLawTerms(const LawInfo& record, const InputColumns& in, BulkPrediction* out) {
  const auto column_of = [&](Input input) -> const double* {
    for (const auto& [given, column] : in.columns) {
      if (given == input) return column;
    }
    return nullptr;
  };
  const auto choice = detail::ChooseParams(
      record,
      [&](ParamsDefinition definition) {
        const Input input = ParamsInput(definition);
        return column_of(input) != nullptr || in.fixed.Has(input);
      },
      [&](Input input) {
        const double* column = column_of(input);
        return column != nullptr ? (in.size > 0 ? column[0] : 1.0) : in.fixed.Get(input);
      });
  if (!choice) return in;
  InputColumns converted = in;
  auto& columns = converted.columns;
  columns.erase(std::remove_if(columns.begin(), columns.end(), [](const auto& c) { return c.first == Input::kParams; }),
                columns.end());
  if (const double* column = column_of(choice->source)) {
    columns.emplace_back(Input::kParams, column);
  } else {
    converted.fixed.SetUnchecked(Input::kParams, in.fixed.Get(choice->source));
  }
  if (!choice->note.empty()) out->notes.push_back(choice->note);
  if (!choice->warning.empty()) out->warnings.push_back(choice->warning);
  return converted;
}

}  // namespace

std::pair<double, double> PredictiveInterval(const std::vector<double>& predictions, const ObservationNoise& noise,
                                             double level) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = noise.residuals.size();
  const auto p = static_cast<std::size_t>(std::max(noise.free_parameters, 0));
  if (predictions.size() < 2 || n < 2 || n <= p || !(level > 0 && level < 1)) return {kNaN, kNaN};
  double mean = 0;
  for (double r : noise.residuals) mean += r / static_cast<double>(n);
  const double inflation = std::sqrt(static_cast<double>(n) / static_cast<double>(n - p));
  std::vector<double> errors;
  errors.reserve(n);
  for (double r : noise.residuals) errors.push_back(inflation * (r - mean));
  // Every prediction with every residual, or with an evenly spaced subset of them when B x n would pass 10^6
  // (shifted by the prediction's index, so every residual is used about equally).
  constexpr std::size_t kMaxDraws = 1000000;
  const std::size_t per_prediction = std::max<std::size_t>(1, std::min(n, kMaxDraws / predictions.size()));
  std::vector<double> draws;
  draws.reserve(predictions.size() * per_prediction);
  for (std::size_t b = 0; b < predictions.size(); ++b) {
    for (std::size_t t = 0; t < per_prediction; ++t) {
      const double r = errors[(b + t * n / per_prediction) % n];
      // r = L_hat - L on the fit's scale, so a new run's loss is L_hat e^-r (log residuals) or L_hat - r.
      draws.push_back(noise.log_scale ? predictions[b] * std::exp(-r) : predictions[b] - r);
    }
  }
  std::sort(draws.begin(), draws.end());
  return {detail::Percentile(draws, (1 - level) / 2), detail::Percentile(draws, (1 + level) / 2)};
}

const LawInfo* Law::Answer(Quantity quantity) const {
  for (const LawInfo& record : records) {
    if (record.quantity == quantity) return &record;
  }
  return nullptr;
}

Law PublishedLaw(std::string_view family) {
  Law law;
  law.name = std::string(family);
  for (const LawInfo& info : LawRegistry()) {
    if (info.family == family) law.records.push_back(info);
  }
  if (law.records.empty()) {
    std::set<std::string> families;
    for (const LawInfo& info : LawRegistry()) families.insert(info.family);
    std::string known;
    for (const std::string& f : families) known += (known.empty() ? "" : ", ") + f;
    throw InvalidArgument(fmt::format("unknown law family '{}' (known: {})", family, known));
  }
  return law;
}

Law PublishedLaw(std::string_view family, Quantity quantity) {
  const std::vector<std::string> families = FamiliesFor(quantity);
  if (std::find(families.begin(), families.end(), family) == families.end()) {
    throw InvalidArgument(
        fmt::format("no {} law '{}' (known: {}, all)", QuantityName(quantity), family, KnownFamilies(quantity)));
  }
  return PublishedLaw(family);
}

Law WithConstants(Law law, const std::map<std::string, double>& constants) {
  for (const auto& [name, value] : constants) {
    bool known = false;
    std::set<std::string> names;
    for (LawInfo& record : law.records) {
      for (auto& [key, constant] : record.constants) {
        names.insert(key);
        if (key == name) constant = value, known = true;
      }
    }
    if (!known) {
      std::string listed;
      for (const std::string& key : names) listed += (listed.empty() ? "" : ", ") + key;
      throw InvalidArgument(
          fmt::format("law '{}' has no constant '{}' (it has {})", law.name, name, listed.empty() ? "none" : listed));
    }
  }
  return law;
}

double Prediction::Value(std::string_view key) const {
  for (const auto& [name, value] : values) {
    if (name == key) return value;
  }
  throw InvalidArgument(fmt::format("law '{}' gave no '{}'", law.name, key));
}

Prediction Predict(const Law& law, Quantity quantity, const PredictionInputs& given) {
  const LawInfo& record = RequireAnswer(law, quantity);
  Evaluation e(record);
  const PredictionInputs in = InLawTerms(record, given, &e);
  try {
    RequireInputs(record, in);
    record.bind(record.constants)(in, e);
  } catch (const NotApplicable& problem) {
    RethrowNamed(problem, record.family == "fit" ? record.name : record.family);
  }
  Prediction p;
  p.law = record;
  CollectValues(e, &p.values);
  p.notes = std::move(e.notes);
  p.warnings = std::move(e.warnings);
  // An allocation in another N than the total (Kaplan's non-embedding N_opt): how far a real model's total is.
  if (record.quantity == Quantity::kAllocation && record.params_kind &&
      *record.params_kind != ParamsDefinition::kTotal) {
    const auto params = std::find_if(p.values.begin(), p.values.end(), [](const auto& kv) { return kv.first == "params"; });
    if (params != p.values.end()) {
      const std::string gap = detail::TypicalDifference(params->second, *record.params_kind, ParamsDefinition::kTotal);
      if (!gap.empty()) p.notes.push_back("N is the " + std::string(Name(*record.params_kind)) + " count: " + gap);
    }
  }
  AddResampleIntervals(law, record, in, &p);
  return p;
}

std::vector<Prediction> Predict(Quantity quantity, std::string_view family, const PredictionInputs& in) {
  return ForFamily<Prediction>(quantity, family, [&](const Law& law) { return Predict(law, quantity, in); });
}

std::vector<std::string> FamiliesFor(Quantity quantity) {
  std::vector<std::string> families;
  for (const LawInfo* info : RecordsOf(quantity)) {
    if (std::find(families.begin(), families.end(), info->family) == families.end()) families.push_back(info->family);
  }
  return families;
}

std::vector<Input> InputsFor(Quantity quantity) {
  std::vector<bool> read(kInputCount, false);
  for (const LawInfo* info : RecordsOf(quantity)) {
    for (Input input : info->inputs) read[static_cast<std::size_t>(input)] = true;
    for (Input input : info->optional_inputs) read[static_cast<std::size_t>(input)] = true;
  }
  // A law that reads N reads it from any of the parameter counts (converted to its definition by Predict).
  if (read[static_cast<std::size_t>(Input::kParams)]) {
    for (ParamsDefinition definition : kParamsDefinitions) read[static_cast<std::size_t>(ParamsInput(definition))] = true;
  }
  std::vector<Input> inputs;
  for (std::size_t i = 0; i < kInputCount; ++i) {
    if (read[i]) inputs.push_back(static_cast<Input>(i));
  }
  return inputs;
}

// The bulk form of AddResampleIntervals: at every point the 95% band of each output over the law's resamples, and
// a fitted loss's predictive interval. Points are taken in blocks so that the resamples' values take B x block
// doubles, not B x n; blocks run on every hardware thread, each binding its own evaluators (an evaluator may keep
// state). A resample that cannot answer at a point is left out there, as Predict leaves it out of one point.
void AddBulkResampleIntervals(const Law& law, const LawInfo& record, const InputColumns& in, BulkPrediction* out) {
  const std::size_t n = in.size, resamples = law.resamples.size();
  std::vector<std::size_t> index;  // each output column's place in record.outputs
  for (const auto& [key, column] : out->outputs) {
    index.push_back(static_cast<std::size_t>(std::find(record.outputs.begin(), record.outputs.end(), key) -
                                             record.outputs.begin()));
  }
  const std::size_t m = index.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> lo(m, std::vector<double>(n, nan)), hi = lo, predictive_lo = lo, predictive_hi = lo;
  constexpr std::size_t kBlock = 512;
  const int blocks = static_cast<int>((n + kBlock - 1) / kBlock);
  std::vector<int> failed_at_some_point(static_cast<std::size_t>(blocks), 0);
  detail::ParallelFor(blocks, detail::ThreadsToUse(0), [&](int block) {
    const std::size_t begin = static_cast<std::size_t>(block) * kBlock, end = std::min(n, begin + kBlock);
    // values[j][k - begin]: output index[j] at point k under every resample that answered there.
    std::vector<std::vector<std::vector<double>>> values(m, std::vector<std::vector<double>>(end - begin));
    for (const Constants& constants : law.resamples) {
      Evaluator evaluate;
      try {
        evaluate = record.bind(constants);
      } catch (const Error&) {
        failed_at_some_point[static_cast<std::size_t>(block)] = 1;
        continue;
      }
      Evaluation e(record);
      e.detailed = false;
      e.collect_warnings = false;
      PredictionInputs point = in.fixed;
      for (std::size_t k = begin; k < end; ++k) {
        for (const auto& [input, column] : in.columns) point.SetUnchecked(input, column[k]);
        for (const auto& [name, column] : in.named_columns) point.SetNamed(name, column[k]);
        e.Reset();
        try {
          evaluate(point, e);
        } catch (const Error&) {
          failed_at_some_point[static_cast<std::size_t>(block)] = 1;
          continue;
        }
        for (std::size_t j = 0; j < m; ++j) {
          const double v = e.values[index[j]];
          if (std::isfinite(v)) values[j][k - begin].push_back(v);
        }
      }
    }
    for (std::size_t j = 0; j < m; ++j) {
      const double level = PredictiveLevel(law, record, record.outputs[index[j]]);
      for (std::size_t k = begin; k < end; ++k) {
        std::vector<double>& s = values[j][k - begin];
        if (s.size() < 2) continue;
        std::sort(s.begin(), s.end());
        const OutputIntervals bounds = IntervalsOf(s, out->outputs[j].second[k], law.noise, level);
        lo[j][k] = bounds.lo95;
        hi[j][k] = bounds.hi95;
        predictive_lo[j][k] = bounds.predictive_lo;
        predictive_hi[j][k] = bounds.predictive_hi;
      }
    }
  });
  std::vector<std::pair<std::string, std::vector<double>>> outputs;
  for (std::size_t j = 0; j < m; ++j) {
    const std::string key = out->outputs[j].first;
    outputs.push_back(std::move(out->outputs[j]));
    outputs.emplace_back(key + "_lo95", std::move(lo[j]));
    outputs.emplace_back(key + "_hi95", std::move(hi[j]));
    const double level = PredictiveLevel(law, record, key);
    if (level > 0) {
      outputs.emplace_back(PredictiveKey("lo", level), std::move(predictive_lo[j]));
      outputs.emplace_back(PredictiveKey("hi", level), std::move(predictive_hi[j]));
      out->notes.push_back(PredictiveNote(law));
    }
  }
  out->outputs = std::move(outputs);
  out->notes.push_back(
      fmt::format("95% intervals from the fit's {} bootstrap resamples (parameter uncertainty)", resamples));
  if (std::count(failed_at_some_point.begin(), failed_at_some_point.end(), 1) > 0) {
    out->warnings.push_back("some bootstrap resamples could not answer at some points and are left out there");
  }
}

BulkPrediction PredictBulk(const Law& law, Quantity quantity, const InputColumns& given) {
  const LawInfo& record = RequireAnswer(law, quantity);
  for (const auto& [input, column] : given.columns) {
    const InputInfo& info = Describe(input);
    const std::size_t k = FirstOutsideDomain(info, column, given.size);
    if (k == given.size) continue;
    throw InputProblem(
        fmt::format("{{0}} {} (got {} at element {})", DomainProblem(info, column[k]), FormatNumber(column[k]), k),
        {input});
  }
  for (const auto& [name, column] : given.named_columns) {
    for (std::size_t k = 0; k < given.size; ++k) {
      if (std::isfinite(column[k])) continue;
      throw InvalidArgument(fmt::format("the input '{}' must be a finite number (got {} at element {})", name,
                                        FormatNumber(column[k]), k));
    }
  }
  BulkPrediction out;
  out.law = record;
  const InputColumns in = ColumnsInLawTerms(record, given, &out);
  PredictionInputs first = in.fixed;
  for (const auto& [input, column] : in.columns) first.SetUnchecked(input, in.size > 0 ? column[0] : 1.0);
  for (const auto& [name, column] : in.named_columns) first.SetNamed(name, in.size > 0 ? column[0] : 1.0);
  Evaluator evaluate;
  try {
    RequireInputs(record, first);
    evaluate = record.bind(record.constants);
  } catch (const NotApplicable& problem) {
    RethrowNamed(problem, record.family == "fit" ? record.name : record.family);
  }
  // One column per output, written in place by index; an output some point did not produce (NaN) is dropped at
  // the end. Large inputs are split into one contiguous range per hardware thread, each with its own evaluator
  // (an evaluator may keep state: a fitted form's one-run design) and Evaluation; the ranges are merged so that
  // the result is the one a single pass gives: the first point's notes, the first points' warnings, the count of
  // points warned, and the error of the first point that fails.
  const std::size_t n_outputs = record.outputs.size();
  std::vector<std::vector<double>> columns(n_outputs, std::vector<double>(in.size));
  constexpr std::size_t kMinPointsPerThread = 1 << 15;
  const int chunks = static_cast<int>(
      std::clamp<std::size_t>(in.size / kMinPointsPerThread, 1, static_cast<std::size_t>(detail::ThreadsToUse(0))));
  std::vector<BulkChunk> results(static_cast<std::size_t>(chunks));
  const auto evaluate_range = [&](int chunk) {
    BulkChunk& result = results[static_cast<std::size_t>(chunk)];
    const std::size_t begin = in.size * static_cast<std::size_t>(chunk) / static_cast<std::size_t>(chunks);
    const std::size_t end = in.size * static_cast<std::size_t>(chunk + 1) / static_cast<std::size_t>(chunks);
    try {
      EvaluateRange(record, chunk == 0 ? evaluate : record.bind(record.constants), in, begin, end, &columns, &result);
    } catch (...) {
      result.error = std::current_exception();
    }
  };
  detail::ParallelFor(chunks, chunks, evaluate_range);

  std::vector<char> complete(n_outputs, 1);
  std::set<std::string> distinct_warnings;
  std::size_t points_warned = 0, points_worded = 0;
  for (BulkChunk& result : results) {
    if (result.error) std::rethrow_exception(result.error);
    for (std::size_t i = 0; i < n_outputs; ++i) complete[i] = complete[i] && result.complete[i];
    points_warned += result.points_warned;
    // The first points' warnings are worded; once 8 distinct ones are kept, or 64 points warned, later points
    // are only counted (a million points outside a law's range would otherwise format two million lines).
    for (const std::vector<std::string>& warnings : result.worded) {
      if (distinct_warnings.size() >= kMaxDistinctWarnings || points_worded >= kMaxWordedPoints) break;
      ++points_worded;
      for (const std::string& w : warnings) {
        if (distinct_warnings.size() < kMaxDistinctWarnings && distinct_warnings.insert(w).second) {
          out.warnings.push_back(w);
        }
      }
    }
  }
  out.notes.insert(out.notes.end(), results.front().notes.begin(), results.front().notes.end());
  if (points_warned > distinct_warnings.size()) {
    out.warnings.push_back(fmt::format("{} of the {} points carry warnings like these", points_warned, in.size));
  }
  for (std::size_t i = 0; i < n_outputs; ++i) {
    if (complete[i] && in.size > 0) out.outputs.emplace_back(record.outputs[i], std::move(columns[i]));
  }
  if (in.intervals && law.resamples.size() >= 2 && in.size > 0) AddBulkResampleIntervals(law, record, in, &out);
  return out;
}

std::vector<BulkPrediction> PredictBulk(Quantity quantity, std::string_view family, const InputColumns& in) {
  return ForFamily<BulkPrediction>(quantity, family, [&](const Law& law) { return PredictBulk(law, quantity, in); });
}

}  // namespace scalelaw
