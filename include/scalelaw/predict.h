// Laws as values, and one entry point that evaluates them: what the CLI's predict-*, allocate and plan commands
// and Python's predict_* functions call, so every face gives the same numbers, warnings and citations.
//
// A Law is a set of registry records (one per quantity it answers: loss, allocation, learning rate, ...), each
// with the constants it is evaluated with, and optionally resampled constants. A published law is its family's
// records with their published constants (PublishedLaw("epoch")); a fit is the records of its form with the
// fitted constants, its data range and its bootstrap resamples (FittedLaw in scalelaw/fit/fit.h). Both answer
// the same calls. With resamples, every output of a prediction also gets a 95% interval (the 2.5 and 97.5
// percentiles over the resampled constants: parameter uncertainty only, not run-to-run noise).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/laws/inputs.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// The run-to-run noise of a fitted loss: the fit's residuals r_i = L_hat_i - L_i on its residual scale (log, or
// the loss itself) and its number of free parameters p. A new run's loss is L = L_hat e^-r (log) or L_hat - r.
struct ObservationNoise {
  std::vector<double> residuals;
  bool log_scale = true;
  int free_parameters = 0;
};

// The predictive interval of a new run's loss at level (0.9: the 5% and 95% percentiles), from the bootstrap
// predictions of its law (parameter uncertainty) and the fitted residuals (observation noise), as a residual
// bootstrap (Davison and Hinkley 1997, Bootstrap Methods, Sec. 6.3.3, Algorithm 6.4): every resampled prediction is
// combined with every residual, centred and inflated by sqrt(n / (n - p)) because fitted residuals are smaller
// than the errors they estimate (leverage), and the interval is the percentiles of those B x n values (at most
// 10^6: beyond, each prediction meets an evenly spaced subset of the residuals). The empirical residuals, not a
// normal of their scale, so a skewed or heavy-tailed noise keeps its shape. Returns {NaN, NaN} with fewer than
// 2 predictions or residuals, or no degrees of freedom (n <= p).
std::pair<double, double> PredictiveInterval(const std::vector<double>& predictions, const ObservationNoise& noise,
                                             double level);

struct Law {
  std::string name;                  // "epoch", "fit:runs.json"
  std::vector<LawInfo> records;      // one per quantity it answers, each with the constants it is evaluated with
  std::vector<Constants> resamples;  // a fit's bootstrap parameters (by the records' constant names); may be empty
  std::string unusable_reason;       // a fit that is not usable: why (its predictions are still given, with it)
  // A fit's residuals (empty for a published law and a curve-law fit), and the level of the predictive interval
  // its loss predictions carry beside the 95% parameter interval: 0 for none, 0.9 for loss_lo90p and loss_hi90p
  // (PredictiveInterval, with the resamples' losses as the predictions; none without residuals).
  ObservationNoise noise;
  double predictive_level = 0;

  // The record answering quantity, or nullptr.
  const LawInfo* Answer(Quantity quantity) const;
};

// The records of a published family ("epoch", "step", ...) as one Law; throws InvalidArgument naming the known
// families otherwise.
Law PublishedLaw(std::string_view family);
// The records of family that answer quantity; throws InvalidArgument naming the families of quantity otherwise.
Law PublishedLaw(std::string_view family, Quantity quantity);

// law with constants replacing its own by name (every record that lists a constant takes its new value); throws
// InvalidArgument for a name no record lists, naming those it has.
Law WithConstants(Law law, const std::map<std::string, double>& constants);

// One law's answer. values keeps the JSON keys in a stable order ("lr", "batch_tokens", ...), each output with
// key_lo95 and key_hi95 after it when the law has resamples, and a fitted loss with loss_loXXp and loss_hiXXp
// after those when the law asks for a predictive interval at level XX% (Law::predictive_level).
struct Prediction {
  LawInfo law;
  std::vector<std::pair<std::string, double>> values;
  std::vector<std::string> warnings;             // outside the fitted range, conventions substituted, ...
  std::vector<std::string> notes;                // what was assumed (e.g. "C = 6ND = 8.4e22 FLOPs")
  std::string skipped;                           // with family "all": why this law could not answer (values empty)
  std::optional<NotApplicable> skipped_problem;  // the same reason, for a face to spell in its own words

  double Value(std::string_view key) const;  // throws InvalidArgument when absent
  // skipped in a face's spelling ("needs --params" in the CLI, "needs params=" in Python).
  std::string SkippedReason(Spelling spelling) const {
    return skipped_problem ? skipped_problem->Spelled(spelling) : skipped;
  }
};

// law's answer for quantity at in. Throws NotApplicable (an InputProblem) when an input it needs is missing,
// InvalidArgument when the law does not answer quantity or an input is outside its domain.
Prediction Predict(const Law& law, Quantity quantity, const PredictionInputs& in);

// family: a law family name ("step", "deepseek", ...) or "all" for every published law of quantity (laws that
// lack an input they need are listed as skipped in "all", and are an InputProblem when named).
std::vector<Prediction> Predict(Quantity quantity, std::string_view family, const PredictionInputs& in);

// The quantity-named forms the faces call.
inline std::vector<Prediction> PredictLearningRate(std::string_view family, const PredictionInputs& in) {
  return Predict(Quantity::kLearningRate, family, in);
}
inline std::vector<Prediction> PredictBatchSize(std::string_view family, const PredictionInputs& in) {
  return Predict(Quantity::kBatchSize, family, in);
}
inline std::vector<Prediction> PredictWeightDecay(std::string_view family, const PredictionInputs& in) {
  return Predict(Quantity::kWeightDecay, family, in);
}
inline std::vector<Prediction> PredictVocabularySize(std::string_view family, const PredictionInputs& in) {
  return Predict(Quantity::kVocabularySize, family, in);
}
inline std::vector<Prediction> PredictLoss(std::string_view family, const PredictionInputs& in) {
  return Predict(Quantity::kLoss, family, in);
}
// Compute-optimal (flops), for a target loss (target_loss), inference-aware (inference_tokens) or
// data-constrained (unique_tokens) allocation of N and D.
inline std::vector<Prediction> PredictAllocation(std::string_view family, const PredictionInputs& in) {
  return Predict(Quantity::kAllocation, family, in);
}

// The families that predict quantity, in registry order.
std::vector<std::string> FamiliesFor(Quantity quantity);

// Every input any law of quantity reads (needed or optional), in the order of the input table: the options a
// predict command offers.
std::vector<Input> InputsFor(Quantity quantity);

// A bulk evaluation: the same law at n points, each input a column of n values (already broadcast by the
// caller), without a Prediction per point. outputs holds one column per output the law produced at every
// point (NaN-free; an output that only some points produced is left out), in the record's order; notes are the
// first point's, warnings the distinct warnings of all points (at most 8, then a count).
struct BulkPrediction {
  LawInfo law;
  std::vector<std::pair<std::string, std::vector<double>>> outputs;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
  std::string skipped;  // with family "all": why this law could not answer
  std::optional<NotApplicable> skipped_problem;
};

struct InputColumns {
  std::size_t size = 0;
  std::vector<std::pair<Input, const double*>> columns;  // each of `size` values
  // Columns of inputs the table does not name (LawInfo::named_inputs), each of `size` values.
  std::vector<std::pair<std::string, const double*>> named_columns;
  PredictionInputs fixed;  // inputs that are the same at every point
  // Also, for a law with bootstrap resamples, the intervals Predict gives one point, at every point: key_lo95 and
  // key_hi95 columns after each output (the 2.5 and 97.5 percentiles of its values under the resamples; NaN where
  // they agree to 1e-9), and a fitted loss's loss_loXXp and loss_hiXXp at Law::predictive_level. Costs one
  // evaluation per resample and point (and the predictive interval's sort of B x n values per point).
  bool intervals = false;
};

// Throws InputProblem naming the input and the point when a value is outside its input's domain.
BulkPrediction PredictBulk(const Law& law, Quantity quantity, const InputColumns& in);
std::vector<BulkPrediction> PredictBulk(Quantity quantity, std::string_view family, const InputColumns& in);

}  // namespace scalelaw
