// The quantities a published law is evaluated at, in one table: the CLI's options, Python's keywords, the
// validation of every value and the wording of every message are read from it. Adding an input is one
// enumerator and one row of InputTable().
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/model/params_definition.h"

namespace scalelaw {

enum class Input : int {
  kParams,
  kNonEmbeddingParams,
  kNonVocabularyParams,
  kTokens,
  kFlops,
  kLoss,
  kTargetLoss,
  kSeqLen,
  kBatchTokens,
  kLearningRate,
  kUniqueTokens,
  kInferenceTokens,
  kLifetimeFlops,
  kVocabApproach,
  kLayers,
  kDModel,
  kFfnWidth,
  kPrecisionGamma,
  kGpuFlops,
  kTrainMfu,
  kInferenceMfu,
  kGpuHourPrice,
  kReferenceFlops,
  kReferenceTokens,
  kReferenceBatch,
  kCriticalBatch,
  kNoiseScale,
  kFinetuneExamples,
  kX,
  kDays,
  kSchedule,
  kCount  // not an input: the number of inputs
};

inline constexpr std::size_t kInputCount = static_cast<std::size_t>(Input::kCount);

// What values an input takes.
enum class InputDomain {
  kPositive,    // finite and > 0
  kFraction,    // in (0, 1]
  kAtLeastOne,  // finite and >= 1
  kFinite,      // any finite number
  kApproach,    // 1, 2 or 3 (Tao et al. 2024's approaches)
  kText,        // not a number: a text such as a learning-rate schedule spec (PredictionInputs::SetText)
};

struct InputInfo {
  Input id;
  std::string_view key;       // Python keyword and JSON key: "params"
  std::string_view option;    // the CLI's option: "--params"
  std::string_view quantity;  // how the library names it in messages, "symbol, meaning": "N, the parameter count"
  std::string_view help;      // one line for --help and the docs (units included)
  InputDomain domain = InputDomain::kPositive;
  double default_value = std::numeric_limits<double>::quiet_NaN();  // NaN: none, the input is optional
};

// Every input, in the order of Input.
inline const std::array<InputInfo, kInputCount>& InputTable() {
  static const std::array<InputInfo, kInputCount> table = {{
      {Input::kParams, "params", "--params", "N, the parameter count",
       "Parameters N, the total count (embeddings included); a law that reads another N warns, so give that count "
       "or the model's config"},
      {Input::kNonEmbeddingParams, "non_embedding_params", "--non-embedding-params",
       "N_ne, the non-embedding parameter count",
       "Parameters without the token and position embeddings (Kaplan et al.'s N)"},
      {Input::kNonVocabularyParams, "non_vocabulary_params", "--non-vocabulary-params",
       "N_nv, the non-vocabulary parameter count",
       "Parameters without the input embedding and output head (Tao et al.'s N_nv, the Step Law's N)"},
      {Input::kTokens, "tokens", "--tokens", "D, the training tokens", "Training tokens D"},
      {Input::kFlops, "flops", "--flops", "C, the training compute in FLOPs", "Training compute C in FLOPs"},
      {Input::kLoss, "loss", "--loss", "L, the loss reached (nats/token)", "Loss reached, nats/token"},
      {Input::kTargetLoss, "target_loss", "--target-loss", "L_target, the target loss (nats/token)",
       "Reach this loss (nats/token) at least cost"},
      {Input::kSeqLen, "seq_len", "--seq-len", "l_seq, the sequence length (tokens)",
       "Tokens per sequence, to report batches in sequences", InputDomain::kPositive, 2048},
      {Input::kBatchTokens, "batch_tokens", "--batch", "B, the batch size (tokens per optimizer step)",
       "Batch size B in tokens per optimizer step"},
      {Input::kLearningRate, "lr", "--lr", "eta, the peak learning rate", "Peak learning rate"},
      {Input::kUniqueTokens, "unique_tokens", "--unique-tokens", "U, the unique tokens available",
       "Unique tokens available U"},
      {Input::kInferenceTokens, "inference_tokens", "--inference-tokens", "D_inf, the lifetime inference tokens",
       "Lifetime inference tokens (inference-aware allocation)"},
      {Input::kLifetimeFlops, "lifetime_flops", "--lifetime-flops",
       "C_life, the lifetime compute (training plus inference) in FLOPs",
       "Lifetime compute: training plus inference FLOPs, which an inference-aware allocation splits"},
      {Input::kVocabApproach, "vocab_approach", "--approach", "approach, the approach of Tao et al. (1, 2 or 3)",
       "Tao et al. approach: 1 (IsoFLOP), 2 (derivative), 3 (loss fit)", InputDomain::kApproach, 3},
      {Input::kLayers, "layers", "--layers", "n_layer, the number of layers", "Layers n_layer of the model shape"},
      {Input::kDModel, "d_model", "--d-model", "d_model, the model width", "Model width d_model (hidden size)"},
      {Input::kFfnWidth, "ffn_width", "--ffn-width", "d_ff, the FFN intermediate size", "FFN intermediate size"},
      {Input::kPrecisionGamma, "precision_gamma", "--precision-gamma", "gamma, the precision-loss factor (>= 1)",
       "Precision-loss factor gamma of the Performance Law (1 for bf16-class training)", InputDomain::kAtLeastOne, 1},
      {Input::kGpuFlops, "gpu_flops", "--gpu-flops", "P, the peak FLOP/s of one accelerator",
       "Peak FLOP/s of one accelerator (dollar cost variant)"},
      {Input::kTrainMfu, "train_mfu", "--train-mfu", "MFU_train, the training model-FLOPs utilisation (0 to 1)",
       "Training model-FLOPs utilisation, 0 to 1 (0.5 when not given)", InputDomain::kFraction},
      {Input::kInferenceMfu, "inference_mfu", "--inference-mfu",
       "MFU_inf, the inference model-FLOPs utilisation (0 to 1)", "Inference model-FLOPs utilisation, 0 to 1",
       InputDomain::kFraction},
      {Input::kGpuHourPrice, "gpu_hour_price", "--gpu-hour-price", "price, the dollars per accelerator-hour",
       "Dollars per accelerator-hour"},
      {Input::kReferenceFlops, "reference_flops", "--reference-flops", "C_ref, the compute of a reference run",
       "Compute C_ref (FLOPs) of a reference run that ratio laws scale from"},
      {Input::kReferenceTokens, "reference_tokens", "--reference-tokens", "D_ref, the tokens of a reference run",
       "Training tokens D_ref of a reference run that ratio laws scale from"},
      {Input::kReferenceBatch, "reference_batch", "--reference-batch",
       "B_ref, the tuned batch of the reference run (tokens)",
       "Batch (tokens) tuned at the reference run, scaled by ratio laws"},
      {Input::kCriticalBatch, "critical_batch", "--critical-batch", "B_crit, the critical batch size",
       "Critical batch size B_crit, in the unit of --batch"},
      {Input::kNoiseScale, "noise_scale", "--noise-scale", "B_noise, the gradient noise scale",
       "Gradient noise scale B_noise, in the unit of --batch"},
      {Input::kFinetuneExamples, "finetune_examples", "--finetune-examples", "D, the fine-tuning data size",
       "Fine-tuning data size D (examples)"},
      {Input::kX, "x", "--x", "x, the variable the law is fitted on",
       "The law's variable x (compute, data, parameters or steps)"},
      {Input::kDays, "days", "--days", "t, the time ahead in days", "Days ahead (densing law)", InputDomain::kFinite},
      {Input::kSchedule, "schedule", "--schedule",
       "the learning-rate schedule (a spec such as cosine:peak=3e-4,end=3e-5,steps=24000,warmup=2160)",
       "Learning-rate schedule spec, kind:field=value,... (constant, cosine, linear, wsd, steps; see docs/curves.md), "
       "which a curve-law fit predicts the final loss of",
       InputDomain::kText},
  }};
  return table;
}

inline const InputInfo& Describe(Input input) { return InputTable()[static_cast<std::size_t>(input)]; }

// The input that gives a parameter count of definition: params (total), non_embedding_params,
// non_vocabulary_params.
inline Input ParamsInput(ParamsDefinition definition) {
  switch (definition) {
    case ParamsDefinition::kNonEmbedding:
      return Input::kNonEmbeddingParams;
    case ParamsDefinition::kNonVocabulary:
      return Input::kNonVocabularyParams;
    case ParamsDefinition::kTotal:
      break;
  }
  return Input::kParams;
}

// The input whose Python/JSON key is key, or nullptr.
inline const InputInfo* FindInputByKey(std::string_view key) {
  for (const InputInfo& info : InputTable()) {
    if (info.key == key) return &info;
  }
  return nullptr;
}

// How a face spells inputs in messages: the library's own words, the CLI's options or Python's keywords.
enum class Spelling { kQuantity, kCli, kPython };

inline std::string Spell(Input input, Spelling spelling) {
  const InputInfo& info = Describe(input);
  switch (spelling) {
    case Spelling::kCli:
      return std::string(info.option);
    case Spelling::kPython:
      return std::string(info.key) + "=";
    case Spelling::kQuantity:
      break;
  }
  return std::string(info.quantity);
}

// An InvalidArgument whose message names inputs: what() words them as quantities ("needs N, the parameter
// count"); Spelled() gives the same message in a face's spelling ("needs --params", "needs params=").
// The message is kept as a template in which "{i}" stands for the i-th of inputs().
class InputProblem : public InvalidArgument {
 public:
  InputProblem(std::string message_template, std::vector<Input> inputs)
      : InvalidArgument(Fill(message_template, inputs, Spelling::kQuantity)),
        template_(std::move(message_template)),
        inputs_(std::move(inputs)) {}

  std::string Spelled(Spelling spelling) const { return Fill(template_, inputs_, spelling); }
  const std::vector<Input>& inputs() const noexcept { return inputs_; }
  // The message with its "{i}" placeholders, to build a longer message around it.
  const std::string& TemplateText() const noexcept { return template_; }

 private:
  static std::string Fill(const std::string& text, const std::vector<Input>& inputs, Spelling spelling) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' && text[i + 1] >= '0' && text[i + 1] <= '9') {
        const std::size_t index = static_cast<std::size_t>(text[i + 1] - '0');
        if (index < inputs.size()) {
          out += Spell(inputs[index], spelling);
          i += 2;
          continue;
        }
      }
      out += text[i];
    }
    return out;
  }

  std::string template_;
  std::vector<Input> inputs_;
};

// A law cannot answer with the inputs given: one it needs is missing ("needs {0}"), or it does not apply to
// them. With law family "all" such a law is listed as skipped, with this reason, instead of failing the call.
class NotApplicable : public InputProblem {
 public:
  using InputProblem::InputProblem;
};

// Whether value is in the input's domain (what DomainProblem words), without building a message.
inline bool InDomain(const InputInfo& info, double value) {
  switch (info.domain) {
    case InputDomain::kPositive:
      return std::isfinite(value) && value > 0;
    case InputDomain::kFraction:
      return value > 0 && value <= 1;
    case InputDomain::kAtLeastOne:
      return std::isfinite(value) && value >= 1;
    case InputDomain::kFinite:
      return std::isfinite(value);
    case InputDomain::kApproach:
      return value == 1 || value == 2 || value == 3;
    case InputDomain::kText:
      return false;
  }
  return true;
}

// Why value is not in the input's domain ("" when it is).
inline std::string DomainProblem(const InputInfo& info, double value) {
  switch (info.domain) {
    case InputDomain::kPositive:
      return std::isfinite(value) && value > 0 ? "" : "must be a positive finite number";
    case InputDomain::kFraction:
      return value > 0 && value <= 1 ? "" : "must be a number in (0, 1]";
    case InputDomain::kAtLeastOne:
      return std::isfinite(value) && value >= 1 ? "" : "must be a finite number >= 1";
    case InputDomain::kFinite:
      return std::isfinite(value) ? "" : "must be a finite number";
    case InputDomain::kApproach:
      return value == 1 || value == 2 || value == 3 ? "" : "must be 1, 2 or 3";
    case InputDomain::kText:
      return "is a text, not a number";
  }
  return "";
}

// The inputs of one evaluation: each is either given or not (then its default, if the table has one, is used).
class PredictionInputs {
 public:
  static constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();

  PredictionInputs() { given_.fill(kUnset); }

  // Sets an input; throws InputProblem when value is outside the input's domain.
  PredictionInputs& Set(Input input, double value) {
    const std::string problem = DomainProblem(Describe(input), value);
    if (!problem.empty()) {
      throw InputProblem("{0} " + problem + " (got " + FormatValue(value) + ")", {input});
    }
    given_[Index(input)] = value;
    return *this;
  }
  void Clear(Input input) { given_[Index(input)] = kUnset; }
  // Sets without checking: for a caller that validated the value already (a bulk evaluation).
  void SetUnchecked(Input input, double value) { given_[Index(input)] = value; }

  // Inputs the table does not name, by name: the columns of the user's own table that a fitted formula reads
  // ("C", "Nv"). A value must be finite; setting a name again replaces its value.
  PredictionInputs& SetNamed(std::string_view name, double value) {
    if (!std::isfinite(value)) {
      throw InvalidArgument("the input '" + std::string(name) + "' must be a finite number (got " + FormatValue(value) +
                            ")");
    }
    for (auto& [key, given] : named_) {
      if (key == name) {
        given = value;
        return *this;
      }
    }
    named_.emplace_back(std::string(name), value);
    return *this;
  }
  // The named input's value, or nullptr.
  const double* Named(std::string_view name) const {
    for (const auto& [key, given] : named_) {
      if (key == name) return &given;
    }
    return nullptr;
  }
  // The named input's value; throws NotApplicable ("needs the input 'C'") when it is not given.
  double NeedNamed(std::string_view name) const;
  const std::vector<std::pair<std::string, double>>& named() const { return named_; }

  // An input of the text domain (a schedule spec): Has() is true once set; Get() of it means nothing. Throws
  // InvalidArgument for an input of another domain or an empty text.
  PredictionInputs& SetText(Input input, std::string text) {
    if (Describe(input).domain != InputDomain::kText) {
      throw InvalidArgument(std::string(Describe(input).quantity) + " is a number, not a text");
    }
    if (text.empty()) throw InputProblem("{0} is empty", {input});
    for (auto& [key, given] : texts_) {
      if (key == input) {
        given = std::move(text);
        return *this;
      }
    }
    texts_.emplace_back(input, std::move(text));
    given_[Index(input)] = 0;  // marks it given
    return *this;
  }
  // The text given for input; throws NotApplicable ("needs {0}") when there is none.
  const std::string& NeedText(Input input) const {
    for (const auto& [key, given] : texts_) {
      if (key == input) return given;
    }
    ThrowNeeds(input);
  }

  bool Has(Input input) const { return !std::isnan(given_[Index(input)]); }
  // The given value, else the table's default (NaN when there is none).
  double Get(Input input) const { return Has(input) ? given_[Index(input)] : Describe(input).default_value; }
  // The value, given or by default; throws NotApplicable ("needs {0}") when there is neither.
  double Need(Input input) const {
    const double value = Get(input);
    if (std::isnan(value)) ThrowNeeds(input);
    return value;
  }

 private:
  static std::size_t Index(Input input) { return static_cast<std::size_t>(input); }
  // Out of line, so that Need, called at every point of a bulk evaluation, inlines to a load and a compare.
  [[noreturn, gnu::cold, gnu::noinline]] static void ThrowNeeds(Input input) {
    throw NotApplicable("needs {0}", {input});
  }
  static std::string FormatValue(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
  }
  std::array<double, kInputCount> given_;
  std::vector<std::pair<std::string, double>> named_;
  std::vector<std::pair<Input, std::string>> texts_;
};

inline double PredictionInputs::NeedNamed(std::string_view name) const {
  const double* value = Named(name);
  if (value == nullptr) throw NotApplicable("needs the input '" + std::string(name) + "'", {});
  return *value;
}

}  // namespace scalelaw
