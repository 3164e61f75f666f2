#include "scalelaw/model/shape.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace scalelaw {
namespace {

template <typename Kind, std::size_t Size>
Kind ParseKind(std::string_view name, std::string_view field, const std::array<Kind, Size>& kinds) {
  std::string choices;
  for (Kind kind : kinds) {
    if (Name(kind) == name) return kind;
    choices += (choices.empty() ? "" : ", ") + std::string(Name(kind));
  }
  throw ShapeError(std::string(field), fmt::format("'{}' is not one of {}", name, choices));
}

constexpr std::array kFfnKinds{FfnKind::kGelu, FfnKind::kSwiGlu};
constexpr std::array kNormKinds{NormKind::kLayerNorm, NormKind::kRmsNorm};
constexpr std::array kBiasKinds{BiasKind::kNone, BiasKind::kQkv, BiasKind::kAll};
constexpr std::array kPositionKinds{PositionKind::kNone, PositionKind::kLearned};

template <typename Kind, std::size_t Size>
std::vector<std::string> KindNames(const std::array<Kind, Size>& kinds) {
  std::vector<std::string> names;
  for (Kind kind : kinds) names.emplace_back(Name(kind));
  return names;
}

// Every count must fit an int64 and every width an int: a shape beyond these is a typo, not a model.
constexpr std::int64_t kMaxWidth = std::int64_t{1} << 24;  // 16.7M: a d_model, ffn or vocabulary
constexpr int kMaxExperts = 1 << 16;                       // routed experts per layer (DeepSeek-V3 has 256)

}  // namespace

std::string_view Name(FfnKind kind) { return kind == FfnKind::kGelu ? "gelu" : "swiglu"; }
std::string_view Name(NormKind kind) { return kind == NormKind::kLayerNorm ? "layernorm" : "rmsnorm"; }
std::string_view Name(BiasKind kind) {
  switch (kind) {
    case BiasKind::kNone:
      return "none";
    case BiasKind::kQkv:
      return "qkv";
    case BiasKind::kAll:
      return "all";
  }
  return "none";
}
std::string_view Name(PositionKind kind) { return kind == PositionKind::kLearned ? "learned" : "none"; }

std::vector<std::string> FfnKindNames() { return KindNames(kFfnKinds); }
std::vector<std::string> NormKindNames() { return KindNames(kNormKinds); }
std::vector<std::string> BiasKindNames() { return KindNames(kBiasKinds); }
std::vector<std::string> PositionKindNames() { return KindNames(kPositionKinds); }

FfnKind ParseFfnKind(std::string_view name, std::string_view field) { return ParseKind(name, field, kFfnKinds); }
NormKind ParseNormKind(std::string_view name, std::string_view field) { return ParseKind(name, field, kNormKinds); }
BiasKind ParseBiasKind(std::string_view name, std::string_view field) { return ParseKind(name, field, kBiasKinds); }
PositionKind ParsePositionKind(std::string_view name, std::string_view field) {
  return ParseKind(name, field, kPositionKinds);
}

ShapeError::ShapeError(std::string field, const std::string& problem)
    : InvalidArgument(field + ": " + problem), field_(std::move(field)), problem_(problem) {}

std::int64_t LlamaFfnWidth(int d_model, int multiple_of, double multiplier) {
  if (d_model <= 0) throw ShapeError("d_model", fmt::format("must be a positive whole number, not {}", d_model));
  if (multiple_of <= 0) {
    throw ShapeError("ffn_multiple_of", fmt::format("must be a positive whole number, not {}", multiple_of));
  }
  if (!(multiplier > 0) || !std::isfinite(multiplier)) {
    throw ShapeError("ffn_multiplier", fmt::format("must be a positive number, not {}", multiplier));
  }
  // Llama's model.py, FeedForward.__init__: hidden = 4 dim; hidden = int(2 hidden / 3); hidden =
  // int(ffn_dim_multiplier hidden); hidden = multiple_of ((hidden + multiple_of - 1) // multiple_of).
  std::int64_t hidden = 2 * (std::int64_t{4} * d_model) / 3;
  if (multiplier != 1.0) hidden = static_cast<std::int64_t>(multiplier * static_cast<double>(hidden));
  return multiple_of * ((hidden + multiple_of - 1) / multiple_of);
}

std::int64_t TransformerShape::FfnWidth() const {
  if (ffn > 0) return ffn;
  if (ffn_kind == FfnKind::kGelu) return std::int64_t{4} * d_model;
  return LlamaFfnWidth(d_model, ffn_multiple_of, ffn_multiplier);
}

std::string TransformerShape::Problem() const {
  auto positive = [](std::int64_t value, const char* field, std::int64_t most) -> std::string {
    if (value <= 0) return fmt::format("{}: must be a positive whole number, not {}", field, value);
    if (value > most) return fmt::format("{}: {} is beyond {}", field, value, most);
    return {};
  };
  for (auto [value, field] : {std::pair<std::int64_t, const char*>{layers, "layers"},
                              {d_model, "d_model"},
                              {heads, "heads"},
                              {vocab, "vocab"},
                              {seq_len, "seq_len"}}) {
    if (auto problem = positive(value, field, kMaxWidth); !problem.empty()) return problem;
  }
  if (kv_heads < 0) return fmt::format("kv_heads: must be a positive whole number (or 0 for heads), not {}", kv_heads);
  if (head_dim < 0)
    return fmt::format("head_dim: must be a positive whole number (or 0 for d_model / heads), not {}", head_dim);
  if (ffn < 0) return fmt::format("ffn: must be a positive whole number (or 0 to derive it), not {}", ffn);
  if (ffn > kMaxWidth) return fmt::format("ffn: {} is beyond {}", ffn, kMaxWidth);
  if (attention_window < 0) {
    return fmt::format("attention_window: must be a positive whole number (or 0 for full attention), not {}",
                       attention_window);
  }
  if (windowed_layers < 0 || windowed_layers > layers) {
    return fmt::format("windowed_layers: must be a whole number from 0 to layers ({}), not {}", layers,
                       windowed_layers);
  }
  if (attention_window == 0 && windowed_layers != 0) {
    return fmt::format("windowed_layers: {} windowed layers without an attention window (attention_window)",
                       windowed_layers);
  }
  if (experts < 0) {
    return fmt::format("experts: must be a positive whole number (or 0 for a dense feed-forward block), not {}",
                       experts);
  }
  if (experts > kMaxExperts) return fmt::format("experts: {} is beyond {}", experts, kMaxExperts);
  if (experts > 0 && (experts_per_token < 1 || experts_per_token > experts)) {
    return fmt::format("experts_per_token: must be a whole number from 1 to experts ({}), not {}", experts,
                       experts_per_token);
  }
  if (experts == 0 && experts_per_token != 0) {
    return fmt::format("experts_per_token: {} experts per token without experts (0 for a dense feed-forward block)",
                       experts_per_token);
  }
  if (expert_ffn < 0) {
    return fmt::format("expert_ffn: must be a positive whole number (or 0 for ffn's width), not {}", expert_ffn);
  }
  if (expert_ffn > kMaxWidth) return fmt::format("expert_ffn: {} is beyond {}", expert_ffn, kMaxWidth);
  if (experts == 0 && expert_ffn != 0) {
    return fmt::format("expert_ffn: an expert width ({}) without experts (0 for a dense feed-forward block)",
                       expert_ffn);
  }
  if (head_dim == 0 && d_model % heads != 0) {
    return fmt::format(
        "heads: {} heads do not divide d_model {} (heads of another width need their head dimension given)", heads,
        d_model);
  }
  if (head_dim > kMaxWidth) return fmt::format("head_dim: {} is beyond {}", head_dim, kMaxWidth);
  if (kv_heads > heads)
    return fmt::format("kv_heads: {} key-value heads are more than the {} query heads", kv_heads, heads);
  if (heads % KvHeads() != 0) {
    return fmt::format("kv_heads: {} key-value heads do not divide the {} query heads into equal groups", kv_heads,
                       heads);
  }
  if (norms_per_layer < 0 || norms_per_layer > 16) {
    return fmt::format("norms_per_layer: must be a whole number from 0 to 16, not {}", norms_per_layer);
  }
  if (ffn == 0 && ffn_kind == FfnKind::kSwiGlu) {
    if (ffn_multiple_of <= 0) {
      return fmt::format("ffn_multiple_of: must be a positive whole number, not {}", ffn_multiple_of);
    }
    if (!(ffn_multiplier > 0) || !std::isfinite(ffn_multiplier) || ffn_multiplier > 64) {
      return fmt::format("ffn_multiplier: must be a positive number up to 64, not {}", ffn_multiplier);
    }
  }
  if (max_positions < 0) {
    return fmt::format("max_positions: must be a positive whole number (or 0 for seq_len), not {}", max_positions);
  }
  if (positions == PositionKind::kLearned && max_positions > 0 && seq_len > max_positions) {
    return fmt::format("seq_len: {} is longer than the {} rows of the learned position table (max_positions)", seq_len,
                       max_positions);
  }
  return {};
}

double TransformerShape::AttentionContext() const {
  const int windowed = WindowedLayers();
  const double full = seq_len, window = std::min(seq_len, attention_window > 0 ? attention_window : seq_len);
  return layers > 0 ? ((layers - windowed) * full + windowed * window) / layers : full;
}

void TransformerShape::Validate() const {
  const std::string problem = Problem();
  if (problem.empty()) return;
  const auto colon = problem.find(": ");
  throw ShapeError(problem.substr(0, colon), problem.substr(colon + 2));
}

}  // namespace scalelaw
