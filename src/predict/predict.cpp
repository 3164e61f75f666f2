// The dispatcher from (quantity, law family) to the closed-form laws of include/scalelaw/laws. Each entry
// states which inputs it needs; with family "all", laws that lack an input are reported as skipped.
#include "scalelaw/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "scalelaw/error.h"
#include "scalelaw/laws/data_constrained.h"
#include "scalelaw/laws/deepseek.h"
#include "scalelaw/laws/inference_aware.h"
#include "scalelaw/laws/kaplan.h"
#include "scalelaw/laws/llama3.h"
#include "scalelaw/laws/minicpm.h"
#include "scalelaw/laws/power_lines.h"
#include "scalelaw/laws/registry.h"
#include "scalelaw/laws/step_law.h"
#include "scalelaw/laws/vocabulary.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

// A law cannot answer with what it was given (an input it needs is missing, or it does not apply there).
class NotApplicable : public InvalidArgument {
 public:
  using InvalidArgument::InvalidArgument;
};

bool Given(double value) { return !std::isnan(value); }

double Need(double value, const char* what) {
  if (!Given(value)) throw NotApplicable(std::string("needs ") + what);
  return value;
}

std::string Sci(double value) { return FormatNumber(value); }

// C for laws defined on compute: the user's --flops, else 6ND with a note saying so.
double ComputeBudget(const PredictionInputs& in, Prediction* out, std::string_view convention) {
  if (Given(in.flops)) return in.flops;
  if (!Given(in.params) || !Given(in.tokens)) throw NotApplicable("needs --flops, or --params and --tokens");
  const double flops = 6 * in.params * in.tokens;
  out->notes.push_back(fmt::format("C = 6ND = {} FLOPs used ({})", Sci(flops), convention));
  return flops;
}

void AddRangeWarnings(Prediction* out, double params, double tokens) {
  const std::vector<std::string> w =
      RangeWarnings(out->law.range, out->law.name, Given(params) ? params : 0, Given(tokens) ? tokens : 0);
  out->warnings.insert(out->warnings.end(), w.begin(), w.end());
}

void AddBatch(Prediction* out, double batch_tokens, const PredictionInputs& in) {
  out->values.emplace_back("batch_tokens", batch_tokens);
  out->values.emplace_back("batch_sequences", batch_tokens / in.seq_len);
}

void WarnDeepSeekCompute(Prediction* out, Quantity quantity, double flops) {
  const std::vector<std::string> w = DeepSeekFlopsWarnings(quantity, flops);
  out->warnings.insert(out->warnings.end(), w.begin(), w.end());
}

// DeepSeek's compute C = M·D (Bi et al. 2024, Sec. 3.1): M from the model shape when it is given, else the
// user's C, else 6ND with a note.
double DeepSeekBudget(const PredictionInputs& in, Prediction* out) {
  if (Given(in.layers) || Given(in.d_model)) {
    const double layers = Need(in.layers, "--layers with --d-model");
    const double width = Need(in.d_model, "--d-model with --layers");
    const double tokens = Need(in.tokens, "--tokens (C = M·D)");
    const double m = NonEmbeddingFlopsPerToken(layers, width, in.seq_len);
    out->notes.push_back(fmt::format("C = M·D with M = 72·n_layer·d² + 12·n_layer·d·l_seq = {} FLOPs/token", Sci(m)));
    return m * tokens;
  }
  return ComputeBudget(in, out,
                       "DeepSeek defines C = M·D with M non-embedding FLOPs/token; give --layers and --d-model");
}

using Predictor = std::function<void(const PredictionInputs&, Prediction*)>;

struct Entry {
  std::string_view law_name;  // registry record
  Predictor predict;
};

// ---------------------------------------------------------------------------------------------- learning rate
const std::vector<Entry>& LearningRateLaws() {
  static const std::vector<Entry> laws{
      {"step-lr",
       [](const PredictionInputs& in, Prediction* out) {
         const double n = Need(in.params, "--params"), d = Need(in.tokens, "--tokens");
         out->values.emplace_back("lr", OptimalLearningRate(StepLaw{}, n, d));
         AddRangeWarnings(out, n, d);
       }},
      {"deepseek-lr",
       [](const PredictionInputs& in, Prediction* out) {
         const double c = DeepSeekBudget(in, out);
         out->values.emplace_back("lr", OptimalLearningRate(DeepSeekLaw{}, c));
         out->values.emplace_back("flops", c);
         WarnDeepSeekCompute(out, Quantity::kLearningRate, c);
       }},
      {"kaplan-lr",
       [](const PredictionInputs& in, Prediction* out) {
         const double n = Need(in.params, "--params");
         try {
           out->values.emplace_back("lr", OptimalLearningRate(KaplanLaw{}, n));
         } catch (const InvalidArgument& e) {
           throw NotApplicable(e.what());
         }
         AddRangeWarnings(out, n, PredictionInputs::kUnset);
       }},
  };
  return laws;
}

// ---------------------------------------------------------------------------------------------- batch size
const std::vector<Entry>& BatchSizeLaws() {
  static const std::vector<Entry> laws{
      {"step-batch",
       [](const PredictionInputs& in, Prediction* out) {
         const double d = Need(in.tokens, "--tokens");
         AddBatch(out, OptimalBatchTokens(StepLaw{}, d), in);
         AddRangeWarnings(out, in.params, d);
       }},
      {"deepseek-batch",
       [](const PredictionInputs& in, Prediction* out) {
         const double c = DeepSeekBudget(in, out);
         AddBatch(out, OptimalBatchTokens(DeepSeekLaw{}, c), in);
         out->values.emplace_back("flops", c);
         WarnDeepSeekCompute(out, Quantity::kBatchSize, c);
       }},
      {"kaplan-batch",
       [](const PredictionInputs& in, Prediction* out) {
         const double loss = Need(in.loss, "--loss (the critical batch depends on the loss reached)");
         AddBatch(out, CriticalBatchTokens(KaplanLaw{}, loss), in);
         out->notes.push_back("critical batch B_crit(L): the batch beyond which more data per step stops paying");
       }},
      {"minicpm-batch",
       [](const PredictionInputs& in, Prediction* out) {
         const double loss = Need(in.loss, "--loss (C4 loss in nats the batch should reach)");
         AddBatch(out, OptimalBatchTokens(MiniCpmBatchLaw{}, loss), in);
       }},
  };
  return laws;
}

// ---------------------------------------------------------------------------------------------- weight decay
const std::vector<Entry>& WeightDecayLaws() {
  static const std::vector<Entry> laws{
      {"power-lines-wd",
       [](const PredictionInputs& in, Prediction* out) {
         const double n = Need(in.params, "--params"), d = Need(in.tokens, "--tokens");
         const double b = Need(in.batch_tokens, "--batch (tokens per step)"), lr = Need(in.lr, "--lr");
         const PowerLinesLaw law;
         const double lambda = OptimalWeightDecay(law, n, d, b, lr);
         out->values.emplace_back("weight_decay", lambda);
         out->values.emplace_back("tau_epoch", OptimalTimescale(law, d / n));
         out->values.emplace_back("tau_iterations", TimescaleIterations(lr, lambda));
         AddRangeWarnings(out, n, d);
       }},
  };
  return laws;
}

// ---------------------------------------------------------------------------------------------- vocabulary
const std::vector<Entry>& VocabularyLaws() {
  static const std::vector<Entry> laws{
      {"tao-vocab",
       [](const PredictionInputs& in, Prediction* out) {
         const double n = Need(in.params, "--params (non-vocabulary parameters)");
         const VocabularyLaw law;
         const double flops = Given(in.flops) ? in.flops : 0.0;
         if (!Given(in.flops)) {
           out->notes.push_back(fmt::format("no --flops: the compute-optimal budget for this N ({} FLOPs) is used",
                                            Sci(VocabularyComputeOptimalFlops(law, n))));
         }
         out->values.emplace_back("vocab_size", OptimalVocabularySize(law, in.vocab_approach, n, flops));
         out->values.emplace_back("embedding_dim", EmbeddingDimension(n));
         out->values.emplace_back("approach", in.vocab_approach);
         AddRangeWarnings(out, n, PredictionInputs::kUnset);
       }},
  };
  return laws;
}

// ---------------------------------------------------------------------------------------------- loss
Predictor ChinchillaLossPredictor(std::string_view preset) {
  return [preset](const PredictionInputs& in, Prediction* out) {
    const double n = Need(in.params, "--params"), d = Need(in.tokens, "--tokens");
    out->values.emplace_back("loss", Loss(FindChinchillaPreset(preset).law, n, d));
    AddRangeWarnings(out, n, d);
  };
}

const std::vector<Entry>& LossLaws() {
  static const std::vector<Entry> laws{
      {"chinchilla", ChinchillaLossPredictor("chinchilla")},
      {"chinchilla-unrounded", ChinchillaLossPredictor("chinchilla-unrounded")},
      {"epoch", ChinchillaLossPredictor("epoch")},
      {"kaplan-loss",
       [](const PredictionInputs& in, Prediction* out) {
         const double n = Need(in.params, "--params"), d = Need(in.tokens, "--tokens");
         out->values.emplace_back("loss", Loss(KaplanLaw{}, n, d));
         AddRangeWarnings(out, n, d);
       }},
      {"datablations-loss",
       [](const PredictionInputs& in, Prediction* out) {
         const double n = Need(in.params, "--params"), d = Need(in.tokens, "--tokens");
         const double u = Need(in.unique_tokens, "--unique-tokens");
         out->values.emplace_back("loss", Loss(DataConstrainedLaw{}, n, d, u));
         out->values.emplace_back("epochs", d / u);
         AddRangeWarnings(out, n, d);
       }},
  };
  return laws;
}

// ---------------------------------------------------------------------------------------------- allocation
void AddAllocation(Prediction* out, double params, double tokens, double flops) {
  out->values.emplace_back("params", params);
  out->values.emplace_back("tokens", tokens);
  out->values.emplace_back("flops", flops);
  out->values.emplace_back("tokens_per_param", tokens / params);
}

// Chinchilla-form laws: compute-optimal for a budget or a target loss; inference-aware (Sardana et al. 2024)
// when inference tokens are given.
void AllocateChinchillaForm(const ChinchillaLaw& law, const PredictionInputs& in, Prediction* out) {
  if (Given(in.unique_tokens)) {
    throw NotApplicable("--unique-tokens needs the data-constrained law (--law datablations)");
  }
  if (Given(in.gpu_flops) || Given(in.inference_mfu) || Given(in.gpu_hour_price)) {
    // The dollar variant: training and inference FLOPs priced through each phase's utilisation.
    HardwareCost hardware;
    hardware.peak_flops_per_second = Need(in.gpu_flops, "--gpu-flops for a dollar cost");
    hardware.training_mfu = Given(in.train_mfu) ? in.train_mfu : 0.5;
    hardware.inference_mfu = Need(in.inference_mfu, "--inference-mfu for a dollar cost");
    hardware.price_per_second = Need(in.gpu_hour_price, "--gpu-hour-price for a dollar cost") / 3600;
    const InferenceAwareCostAllocation c =
        MinimizeTotalCostForLoss(law, hardware, Need(in.target_loss, "--target-loss for a dollar cost"),
                                 Need(in.inference_tokens, "--inference-tokens for a dollar cost"));
    const InferenceAwareAllocation& a = c.allocation;
    AddAllocation(out, a.params, a.tokens, a.training_flops);
    out->values.emplace_back("loss", a.loss);
    out->values.emplace_back("inference_flops", a.inference_flops);
    out->values.emplace_back("training_dollars", c.training_dollars);
    out->values.emplace_back("inference_dollars", c.inference_dollars);
    out->values.emplace_back("total_dollars", c.total_dollars);
    if (!Given(in.train_mfu)) out->notes.push_back("training MFU 0.5 (the value a secondary source quotes)");
    out->notes.push_back("minimises training + inference dollars at the given utilisations and price");
    AddRangeWarnings(out, a.params, a.tokens);
    return;
  }
  if (Given(in.inference_tokens)) {
    const InferenceAwareAllocation a =
        Given(in.target_loss)
            ? MinimizeTotalFlopsForLoss(law, in.target_loss, in.inference_tokens)
            : MinimizeLossForBudget(law, Need(in.flops, "--flops or --target-loss"), in.inference_tokens);
    AddAllocation(out, a.params, a.tokens, a.training_flops);
    out->values.emplace_back("loss", a.loss);
    out->values.emplace_back("inference_flops", a.inference_flops);
    out->values.emplace_back("total_flops", a.total_flops);
    // The Chinchilla-optimal model of the same loss, for the saving (Sardana et al. 2024, Fig. 1).
    const double reference_flops = ComputeForLoss(law, a.loss);
    const Allocation reference = ComputeOptimal(law, reference_flops);
    const double reference_total = reference_flops + 2 * reference.params * in.inference_tokens;
    out->values.emplace_back("chinchilla_params", reference.params);
    out->values.emplace_back("chinchilla_total_flops", reference_total);
    out->values.emplace_back("saving_fraction", 1 - a.total_flops / reference_total);
    out->notes.push_back("minimises training 6ND + inference 2N·D_inf FLOPs (Sardana et al. 2024)");
    AddRangeWarnings(out, a.params, a.tokens);
    return;
  }
  const double flops = Given(in.target_loss) ? ComputeForLoss(law, in.target_loss) : Need(in.flops, "--flops");
  const Allocation a = ComputeOptimal(law, flops);
  AddAllocation(out, a.params, a.tokens, flops);
  out->values.emplace_back("loss", Loss(law, a.params, a.tokens));
  out->values.emplace_back("epochs", 1.0);
  AddRangeWarnings(out, a.params, a.tokens);
}

// The 95% band of every allocated quantity (N, D, ...) across the fit's bootstrap resamples: the same
// allocation under each resampled law, summarised by its 2.5 and 97.5 percentiles. Parameter uncertainty
// only; a resample that cannot answer (a target loss below its E) is left out and counted.
void AddAllocationIntervals(const PredictionInputs& in, Prediction* out) {
  if (in.fitted_draws.size() < 2) return;
  std::map<std::string, std::vector<double>> samples;
  std::size_t failed = 0;
  for (const ChinchillaLaw& draw : in.fitted_draws) {
    Prediction scratch;
    try {
      AllocateChinchillaForm(draw, in, &scratch);
    } catch (const Error&) {
      ++failed;
      continue;
    }
    for (const auto& [key, value] : scratch.values) {
      if (std::isfinite(value)) samples[key].push_back(value);
    }
  }
  const std::size_t answered = in.fitted_draws.size() - failed;
  if (answered < 2) {
    out->warnings.push_back(fmt::format("no interval: only {} of the fit's {} bootstrap resamples could answer",
                                        answered, in.fitted_draws.size()));
    return;
  }
  const std::vector<std::pair<std::string, double>> point = out->values;
  for (const auto& [key, value] : point) {
    auto it = samples.find(key);
    if (it == samples.end() || it->second.size() < 2) continue;
    std::sort(it->second.begin(), it->second.end());
    const double lo = detail::Percentile(it->second, 0.025), hi = detail::Percentile(it->second, 0.975);
    if (hi - lo <= 1e-9 * std::abs(value)) continue;  // a given input (the budget), the same under every law
    out->values.emplace_back(key + "_lo95", lo);
    out->values.emplace_back(key + "_hi95", hi);
  }
  out->notes.push_back(
      fmt::format("95% intervals from {} of the fit's bootstrap resamples (parameter uncertainty)", answered));
  if (failed > 0) {
    out->warnings.push_back(fmt::format("{} of the fit's {} bootstrap resamples could not answer and are left out",
                                        failed, in.fitted_draws.size()));
  }
}

Predictor ChinchillaAllocationPredictor(std::string_view preset) {
  return [preset](const PredictionInputs& in, Prediction* out) {
    AllocateChinchillaForm(FindChinchillaPreset(preset).law, in, out);
  };
}

double NeedBudget(const PredictionInputs& in) {
  if (Given(in.target_loss)) throw NotApplicable("has no loss law to allocate for a target loss");
  if (Given(in.inference_tokens)) throw NotApplicable("is not inference-aware");
  return Need(in.flops, "--flops");
}

const std::vector<Entry>& AllocationLaws() {
  static const std::vector<Entry> laws{
      {"chinchilla", ChinchillaAllocationPredictor("chinchilla")},
      {"chinchilla-unrounded", ChinchillaAllocationPredictor("chinchilla-unrounded")},
      {"epoch", ChinchillaAllocationPredictor("epoch")},
      {"sardana",
       [](const PredictionInputs& in, Prediction* out) {
         Need(in.inference_tokens, "--inference-tokens");
         out->notes.push_back("Chinchilla unrounded constants, as Sardana et al. used");
         AllocateChinchillaForm(FindChinchillaPreset("chinchilla-unrounded").law, in, out);
       }},
      {"datablations-allocation",
       [](const PredictionInputs& in, Prediction* out) {
         const double u = Need(in.unique_tokens, "--unique-tokens");
         if (Given(in.target_loss) || Given(in.inference_tokens)) {
           throw NotApplicable("allocates a FLOPs budget only (no --target-loss or --inference-tokens)");
         }
         const DataConstrainedAllocation a = ComputeOptimal(DataConstrainedLaw{}, Need(in.flops, "--flops"), u);
         AddAllocation(out, a.params, a.tokens, a.flops);
         out->values.emplace_back("loss", a.loss);
         out->values.emplace_back("epochs", a.epochs);
         AddRangeWarnings(out, a.params, a.tokens);
       }},
      {"deepseek-allocation",
       [](const PredictionInputs& in, Prediction* out) {
         const DeepSeekAllocation a = ComputeOptimal(DeepSeekLaw{}, NeedBudget(in));
         WarnDeepSeekCompute(out, Quantity::kAllocation, a.flops);
         AddAllocation(out, a.flops_per_token / 6, a.tokens, a.flops);
         out->values.emplace_back("flops_per_token", a.flops_per_token);
         out->notes.push_back("C = M·D; N ≈ M/6 non-embedding parameters (attention FLOPs ignored)");
       }},
      {"kaplan-allocation",
       [](const PredictionInputs& in, Prediction* out) {
         const double flops = NeedBudget(in);
         const KaplanAllocation a = ComputeEfficientAllocation(KaplanLaw{}, flops / kFlopsPerPetaflopDay);
         AddAllocation(out, a.params, a.tokens, flops);
         out->values.emplace_back("critical_batch_tokens", a.critical_batch_tokens);
         out->values.emplace_back("steps", a.steps);
         out->notes.push_back("C read as C_min in PF-days (8.64e19 FLOPs); N non-embedding");
         AddRangeWarnings(out, a.params, a.tokens);
       }},
      {"llama3-tokens",
       [](const PredictionInputs& in, Prediction* out) {
         const double flops = NeedBudget(in);
         const double tokens = OptimalTokens(Llama3TokensLaw{}, flops);
         AddAllocation(out, flops / (6 * tokens), tokens, flops);
         out->notes.push_back("the law gives D; N = C/(6D)");
       }},
  };
  return laws;
}

std::vector<Prediction> Dispatch(const std::vector<Entry>& laws, Quantity quantity, std::string_view family,
                                 const PredictionInputs& in) {
  for (double value : {in.params, in.tokens, in.flops, in.loss, in.seq_len, in.batch_tokens, in.lr, in.unique_tokens,
                       in.inference_tokens, in.target_loss}) {
    if (Given(value)) RequirePositive(value, "every numeric input");
  }
  std::vector<Prediction> out;
  auto run = [&](const LawInfo& info, const Predictor& predict) {
    Prediction p;
    p.law = info;
    predict(in, &p);
    for (const auto& [key, value] : p.values) {
      if (!std::isfinite(value)) throw InvalidArgument(fmt::format("law '{}' gave a non-finite {}", info.name, key));
    }
    return p;
  };
  if (family == "fit") {
    if (!in.fitted_law) throw InvalidArgument("no fit was given");
    LawInfo info;
    info.name = in.fitted_name;
    info.family = "fit";
    info.citation.authors = "fitted by scalelaw";
    info.quantity = quantity;
    info.formula = "L = E + A/N^alpha + B/D^beta (fitted)";
    info.params_definition = "as in the fitted runs";
    info.units = "as in the fitted runs";
    info.range = in.fitted_range;
    Predictor predictor = quantity == Quantity::kLoss ? Predictor([&in](const PredictionInputs&, Prediction* p) {
      const double n = Need(in.params, "--params"), d = Need(in.tokens, "--tokens");
      p->values.emplace_back("loss", Loss(*in.fitted_law, n, d));
      if (in.fitted_draws.size() >= 2) {
        // The spread of the resampled laws' predictions: parameter uncertainty only, not run-to-run noise.
        std::vector<double> losses;
        for (const ChinchillaLaw& draw : in.fitted_draws) losses.push_back(Loss(draw, n, d));
        std::sort(losses.begin(), losses.end());
        p->values.emplace_back("loss_lo95", detail::Percentile(losses, 0.025));
        p->values.emplace_back("loss_hi95", detail::Percentile(losses, 0.975));
        p->notes.push_back(
            fmt::format("95% interval from the fit's {} bootstrap resamples (parameter uncertainty)", losses.size()));
      }
      AddRangeWarnings(p, n, d);
    })
                                                      : Predictor([&in](const PredictionInputs&, Prediction* p) {
                                                          AllocateChinchillaForm(*in.fitted_law, in, p);
                                                          AddAllocationIntervals(in, p);
                                                        });
    try {
      out.push_back(run(info, predictor));
    } catch (const NotApplicable& e) {
      throw InvalidArgument(fmt::format("the fit {}", e.what()));
    }
    return out;
  }
  std::string known;
  for (const Entry& entry : laws) {
    const LawInfo& info = FindLaw(entry.law_name);
    known += (known.empty() ? "" : ", ") + std::string(info.family);
    if (family != "all" && info.family != family) continue;
    try {
      out.push_back(run(info, entry.predict));
    } catch (const NotApplicable& e) {
      if (family != "all") throw InvalidArgument(fmt::format("law '{}' {}", info.family, e.what()));
      Prediction skipped;
      skipped.law = info;
      skipped.skipped = e.what();
      out.push_back(std::move(skipped));
    }
    if (family != "all") return out;
  }
  if (family != "all") {
    throw InvalidArgument(fmt::format("no {} law '{}' (known: {}, all)", QuantityName(quantity), family, known));
  }
  return out;
}

}  // namespace

double Prediction::Value(std::string_view key) const {
  for (const auto& [name, value] : values) {
    if (name == key) return value;
  }
  throw InvalidArgument(fmt::format("law '{}' gave no '{}'", law.name, key));
}

std::vector<Prediction> PredictLearningRate(std::string_view family, const PredictionInputs& in) {
  return Dispatch(LearningRateLaws(), Quantity::kLearningRate, family, in);
}
std::vector<Prediction> PredictBatchSize(std::string_view family, const PredictionInputs& in) {
  return Dispatch(BatchSizeLaws(), Quantity::kBatchSize, family, in);
}
std::vector<Prediction> PredictWeightDecay(std::string_view family, const PredictionInputs& in) {
  return Dispatch(WeightDecayLaws(), Quantity::kWeightDecay, family, in);
}
std::vector<Prediction> PredictVocabularySize(std::string_view family, const PredictionInputs& in) {
  return Dispatch(VocabularyLaws(), Quantity::kVocabularySize, family, in);
}
std::vector<Prediction> PredictLoss(std::string_view family, const PredictionInputs& in) {
  return Dispatch(LossLaws(), Quantity::kLoss, family, in);
}
std::vector<Prediction> PredictAllocation(std::string_view family, const PredictionInputs& in) {
  return Dispatch(AllocationLaws(), Quantity::kAllocation, family, in);
}

std::vector<std::string> FamiliesFor(Quantity quantity) {
  const std::vector<Entry>* laws = nullptr;
  switch (quantity) {
    case Quantity::kLearningRate:
      laws = &LearningRateLaws();
      break;
    case Quantity::kBatchSize:
      laws = &BatchSizeLaws();
      break;
    case Quantity::kWeightDecay:
      laws = &WeightDecayLaws();
      break;
    case Quantity::kVocabularySize:
      laws = &VocabularyLaws();
      break;
    case Quantity::kLoss:
      laws = &LossLaws();
      break;
    case Quantity::kAllocation:
      laws = &AllocationLaws();
      break;
    case Quantity::kDownstream:
      return {};
  }
  std::vector<std::string> families;
  for (const Entry& entry : *laws) families.emplace_back(FindLaw(entry.law_name).family);
  return families;
}

}  // namespace scalelaw
