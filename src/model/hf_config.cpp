#include "scalelaw/model/hf_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "io/read_file.h"

namespace scalelaw {
namespace {

using nlohmann::json;

enum class Family { kLlama, kGpt2 };

// Which layers a config's sliding_window applies to when it has no layer_types list (transformers' own rules):
// every layer (MistralConfig, MixtralConfig), every other one from the first (Gemma2: layer_idx % 2 == 0, Gemma
// Team 2024b, arXiv:2408.00118, Sec. 2: "alternate between a local sliding window attention and global attention
// in every other layer"), or, with use_sliding_window, the layers from max_window_layers on (Qwen2Config).
enum class WindowRule { kNone, kEveryLayer, kEveryOtherLayer, kFromMaxWindowLayers };

struct Architecture {
  std::string model_type;
  std::string class_name;  // its entry in "architectures"
  Family family;
  BiasKind biases;                        // the biases the family always has
  bool tied_by_default;                   // tie_word_embeddings when the config omits it (the config class's default)
  int norms_per_layer = 2;                // RMSNorm weights per block
  bool mixture_of_experts = false;        // num_local_experts experts of intermediate_size, num_experts_per_tok a token
  WindowRule window = WindowRule::kNone;  // the layers sliding_window applies to
};

const std::vector<Architecture>& Architectures() {
  static const std::vector<Architecture> architectures = {
      {"llama", "LlamaForCausalLM", Family::kLlama, BiasKind::kNone, false},
      // Mistral 7B (Jiang et al. 2023, arXiv:2310.06825, Sec. 2): sliding-window attention in every layer.
      {"mistral", "MistralForCausalLM", Family::kLlama, BiasKind::kNone, false, 2, false, WindowRule::kEveryLayer},
      // Qwen2's attention has biases on the query, key and value projections, none on the output projection.
      {"qwen2", "Qwen2ForCausalLM", Family::kLlama, BiasKind::kQkv, false, 2, false, WindowRule::kFromMaxWindowLayers},
      // Gemma (Gemma Team 2024, arXiv:2403.08295, Sec. 2): a Llama block with GeGLU (three matrices), head_dim
      // apart from d_model / heads, and the embedding tied to the head. Gemma 2 (arXiv:2408.00118, Sec. 2) adds a
      // norm after the attention and after the MLP: four per block, and a sliding window in every other layer
      // (the local layers have the weights of the global ones; their attention terms count the window).
      {"gemma", "GemmaForCausalLM", Family::kLlama, BiasKind::kNone, true},
      {"gemma2", "Gemma2ForCausalLM", Family::kLlama, BiasKind::kNone, true, 4, false, WindowRule::kEveryOtherLayer},
      // Mixtral (Jiang et al. 2024, arXiv:2401.04088, Sec. 2): Mistral's block with every feed-forward block
      // replaced by num_local_experts SwiGLU experts of width intermediate_size and a router (the bias-free gate,
      // hidden_size x num_local_experts) picking num_experts_per_tok of them per token; untied like Mistral.
      {"mixtral", "MixtralForCausalLM", Family::kLlama, BiasKind::kNone, false, 2, true, WindowRule::kEveryLayer},
      {"gpt2", "GPT2LMHeadModel", Family::kGpt2, BiasKind::kAll, true},
  };
  return architectures;
}

// Reads one config.json and names the file and the field in every error.
class ConfigReader {
 public:
  ConfigReader(const json& config, std::string source) : config_(config), source_(std::move(source)) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& problem) const {
    throw InvalidArgument(fmt::format("{}: field '{}': {}", source_, field, problem));
  }

  bool Has(const std::string& field) const { return config_.contains(field) && !config_.at(field).is_null(); }

  // A positive whole number that fits an int (as HF writes them: JSON integers).
  // least 0 takes a count of none too.
  std::optional<int> OptionalCount(const std::string& field, int least = 1) const {
    if (!Has(field)) return std::nullopt;
    const json& value = config_.at(field);
    if (!value.is_number_integer() || value.get<long long>() < least ||
        value.get<long long>() > std::numeric_limits<int>::max()) {
      Fail(field,
           fmt::format("expected a {} whole number, got {}", least > 0 ? "positive" : "non-negative", value.dump()));
    }
    return static_cast<int>(value.get<long long>());
  }
  // How many entries of layer_types (transformers' per-layer attention kinds, in recent configs) are
  // "sliding_attention"; nullopt when the config has no such list. A list of another length than layers, or of
  // other entries than "sliding_attention" and "full_attention", is an error naming the field.
  std::optional<int> SlidingLayers(int layers) const {
    if (!Has("layer_types")) return std::nullopt;
    const json& list = config_.at("layer_types");
    if (!list.is_array() || static_cast<int>(list.size()) != layers) {
      Fail("layer_types", fmt::format("expected a list of {} attention kinds (num_hidden_layers)", layers));
    }
    int sliding = 0;
    for (const json& kind : list) {
      if (kind == "sliding_attention") {
        ++sliding;
      } else if (kind != "full_attention") {
        Fail("layer_types", fmt::format("{} is not an attention kind scalelaw counts (sliding_attention, "
                                        "full_attention)",
                                        kind.dump()));
      }
    }
    return sliding;
  }
  int Count(const std::string& field) const {
    if (auto value = OptionalCount(field)) return *value;
    Fail(field, "missing (needed to count the model)");
  }
  bool Flag(const std::string& field, bool fallback) const {
    if (!Has(field)) return fallback;
    const json& value = config_.at(field);
    if (!value.is_boolean()) Fail(field, fmt::format("expected true or false, got {}", value.dump()));
    return value.get<bool>();
  }
  std::optional<double> OptionalNumber(const std::string& field) const {
    if (!Has(field)) return std::nullopt;
    const json& value = config_.at(field);
    if (!value.is_number() || !std::isfinite(value.get<double>())) {
      Fail(field, fmt::format("expected a number, got {}", value.dump()));
    }
    return value.get<double>();
  }
  std::optional<std::string> OptionalText(const std::string& field) const {
    if (!Has(field)) return std::nullopt;
    const json& value = config_.at(field);
    if (!value.is_string()) Fail(field, fmt::format("expected a string, got {}", value.dump()));
    return value.get<std::string>();
  }

  const Architecture& Kind() const {
    std::string known;
    for (const Architecture& a : Architectures()) known += (known.empty() ? "" : ", ") + a.model_type;
    if (auto type = OptionalText("model_type")) {
      for (const Architecture& a : Architectures()) {
        if (a.model_type == *type) return a;
      }
      Fail("model_type", fmt::format("'{}' is not an architecture scalelaw counts (it reads {})", *type, known));
    }
    if (Has("architectures")) {
      const json& list = config_.at("architectures");
      if (!list.is_array() || list.empty() || !list.front().is_string()) {
        Fail("architectures", fmt::format("expected a list of class names, got {}", list.dump()));
      }
      const std::string name = list.front().get<std::string>();
      for (const Architecture& a : Architectures()) {
        if (a.class_name == name) return a;
      }
      Fail("architectures", fmt::format("'{}' is not an architecture scalelaw counts (it reads {})", name, known));
    }
    Fail("model_type", fmt::format("missing, and no 'architectures' either (scalelaw reads {})", known));
  }

 private:
  const json& config_;
  std::string source_;
};

// sliding_window (null: none) and the layers it applies to: layer_types when the config lists them, else the
// architecture's rule.
void ReadSlidingWindow(const ConfigReader& in, const Architecture& kind, TransformerShape* shape) {
  if (kind.window == WindowRule::kNone) return;
  if (kind.window == WindowRule::kFromMaxWindowLayers && !in.Flag("use_sliding_window", false)) return;
  const std::optional<int> window = in.OptionalCount("sliding_window");
  if (!window) return;
  int windowed = shape->layers;
  if (const std::optional<int> listed = in.SlidingLayers(shape->layers)) {
    windowed = *listed;
  } else if (kind.window == WindowRule::kEveryOtherLayer) {
    windowed = (shape->layers + 1) / 2;  // layers 0, 2, 4, ...
  } else if (kind.window == WindowRule::kFromMaxWindowLayers) {
    // Qwen2Config's default max_window_layers is 28.
    windowed = shape->layers - std::min(shape->layers, in.OptionalCount("max_window_layers", 0).value_or(28));
  }
  if (windowed == 0) return;
  shape->attention_window = *window;
  shape->windowed_layers = windowed;
}

TransformerShape LlamaShape(const ConfigReader& in, const Architecture& kind) {
  TransformerShape shape;
  shape.layers = in.Count("num_hidden_layers");
  shape.d_model = in.Count("hidden_size");
  shape.heads = in.Count("num_attention_heads");
  shape.kv_heads = in.OptionalCount("num_key_value_heads").value_or(0);
  shape.head_dim = in.OptionalCount("head_dim").value_or(0);
  shape.ffn = in.Count("intermediate_size");  // a mixture of experts: each expert's width (expert_ffn 0: ffn)
  if (kind.mixture_of_experts) {
    // Both read, not MixtralConfig's defaults (8 and 2): the count should say what the file says.
    shape.experts = in.Count("num_local_experts");
    shape.experts_per_token = in.Count("num_experts_per_tok");
    if (shape.experts_per_token > shape.experts) {
      in.Fail("num_experts_per_tok",
              fmt::format("{} experts per token are more than the {} experts (num_local_experts)",
                          shape.experts_per_token, shape.experts));
    }
  }
  shape.vocab = in.Count("vocab_size");
  shape.seq_len = in.Count("max_position_embeddings");
  // LlamaConfig, MistralConfig, MixtralConfig and Qwen2Config default tie_word_embeddings to false, GemmaConfig
  // to true.
  shape.tied_embeddings = in.Flag("tie_word_embeddings", kind.tied_by_default);
  // The MLP is gated whatever its activation (silu: SwiGLU; gelu: GeGLU): three matrices.
  shape.ffn_kind = FfnKind::kSwiGlu;
  shape.norm = NormKind::kRmsNorm;
  shape.norms_per_layer = kind.norms_per_layer;
  shape.final_norm = true;
  shape.positions = PositionKind::kNone;  // rotary
  shape.biases = kind.biases;
  ReadSlidingWindow(in, kind, &shape);
  if (kind.family == Family::kLlama && kind.biases == BiasKind::kNone) {
    // LlamaConfig's attention_bias puts biases on q, k, v and o, mlp_bias on the three MLP matrices: only both
    // (every linear map) or neither is a bias kind scalelaw counts.
    const bool attention_bias = in.Flag("attention_bias", false), mlp_bias = in.Flag("mlp_bias", false);
    if (attention_bias != mlp_bias) {
      in.Fail(attention_bias ? "attention_bias" : "mlp_bias",
              "biases on the attention without the MLP (or the reverse) are not a bias kind scalelaw counts");
    }
    if (attention_bias) shape.biases = BiasKind::kAll;
  }
  return shape;
}

TransformerShape Gpt2Shape(const ConfigReader& in, const Architecture& kind) {
  TransformerShape shape;
  shape.layers = in.Count("n_layer");
  shape.d_model = in.Count("n_embd");
  shape.heads = in.Count("n_head");
  shape.ffn = in.OptionalCount("n_inner").value_or(0);  // null: 4 n_embd
  shape.ffn_kind = FfnKind::kGelu;
  shape.vocab = in.Count("vocab_size");
  shape.seq_len = in.Count("n_positions");
  shape.max_positions = shape.seq_len;
  shape.positions = PositionKind::kLearned;
  shape.tied_embeddings = in.Flag("tie_word_embeddings", kind.tied_by_default);  // GPT-2's head is the embedding
  shape.norm = NormKind::kLayerNorm;
  shape.norms_per_layer = 2;
  shape.final_norm = true;
  shape.biases = BiasKind::kAll;
  return shape;
}

}  // namespace

const std::vector<std::string>& HuggingFaceModelTypes() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> out;
    for (const Architecture& a : Architectures()) out.push_back(a.model_type);
    return out;
  }();
  return types;
}

const std::vector<std::string>& HuggingFaceDenseModelTypes() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> out;
    for (const Architecture& a : Architectures()) {
      if (!a.mixture_of_experts) out.push_back(a.model_type);
    }
    return out;
  }();
  return types;
}

TransformerShape ShapeFromHuggingFaceConfigText(const std::string& text, const std::string& source) {
  json config;
  try {
    config = json::parse(text);
  } catch (const json::parse_error& error) {
    throw InvalidArgument(fmt::format("{}: not JSON: {}", source, error.what()));
  }
  if (!config.is_object()) throw InvalidArgument(fmt::format("{}: expected a JSON object (a config.json)", source));
  const ConfigReader in(config, source);
  const Architecture& kind = in.Kind();
  TransformerShape shape = kind.family == Family::kGpt2 ? Gpt2Shape(in, kind) : LlamaShape(in, kind);
  try {
    shape.Validate();
  } catch (const ShapeError& error) {
    throw InvalidArgument(fmt::format("{}: {}", source, error.what()));
  }
  return shape;
}

TransformerShape ShapeFromHuggingFaceConfig(const std::string& path) {
  return ShapeFromHuggingFaceConfigText(detail::ReadWholeFile(path), detail::DisplayName(path));
}

}  // namespace scalelaw
