// The shape of a decoder-only transformer, dense or a mixture of experts, as the counting functions
// (scalelaw/model/count.h) read it: the few integers and kinds that fix every weight matrix. A value type, so that a
// shape search can enumerate shapes and a plan can carry one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"

namespace scalelaw {

// The feed-forward block. kGelu: two matrices d_model x ffn and ffn x d_model with an elementwise activation
// between them (GPT-2, GPT-3, Chinchilla). kSwiGlu: a gated unit of three matrices, W2 (silu(x W1) * (x W3))
// (Shazeer 2020, arXiv:2002.05202; Llama, Mistral, Qwen); any gated unit (GeGLU too) counts as this kind.
enum class FfnKind { kGelu, kSwiGlu };
// LayerNorm has a gain and a bias, 2 d_model parameters; RMSNorm only a gain, d_model.
enum class NormKind { kLayerNorm, kRmsNorm };
// Which linear maps have biases: none (Llama), the query, key and value projections only (Qwen2), or every
// linear map of the blocks (GPT-2). The output head never has one.
enum class BiasKind { kNone, kQkv, kAll };
// Position information with weights: a learned table of max_positions x d_model (GPT-2, GPT-3); kNone for
// rotary or relative schemes without a table (Llama).
enum class PositionKind { kNone, kLearned };

std::string_view Name(FfnKind kind);
std::string_view Name(NormKind kind);
std::string_view Name(BiasKind kind);
std::string_view Name(PositionKind kind);
// Every kind's name, in declaration order: the choices the CLI and Python offer.
std::vector<std::string> FfnKindNames();
std::vector<std::string> NormKindNames();
std::vector<std::string> BiasKindNames();
std::vector<std::string> PositionKindNames();
// The kind a name spells (as Name() writes it); InvalidArgument naming `field` and the choices otherwise.
FfnKind ParseFfnKind(std::string_view name, std::string_view field = "ffn_kind");
NormKind ParseNormKind(std::string_view name, std::string_view field = "norm");
BiasKind ParseBiasKind(std::string_view name, std::string_view field = "biases");
PositionKind ParsePositionKind(std::string_view name, std::string_view field = "positions");

// A shape that cannot be built; field() is the TransformerShape member at fault ("heads"), so that the CLI can
// name its option (--heads) and Python its keyword.
class ShapeError : public InvalidArgument {
 public:
  ShapeError(std::string field, const std::string& problem);
  const std::string& field() const noexcept { return field_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string field_;
  std::string problem_;
};

struct TransformerShape {
  int layers = 0;
  int d_model = 0;
  int heads = 0;         // query heads
  int kv_heads = 0;      // key-value heads (grouped-query attention); 0: heads (multi-head attention)
  int head_dim = 0;      // 0: d_model / heads (heads must then divide d_model)
  std::int64_t ffn = 0;  // feed-forward width; 0: derived, see FfnWidth()
  FfnKind ffn_kind = FfnKind::kSwiGlu;
  int ffn_multiple_of = 256;    // a derived SwiGLU width is rounded up to a multiple of this (Llama's multiple_of)
  double ffn_multiplier = 1.0;  // and first scaled by this (Llama's ffn_dim_multiplier)
  std::int64_t vocab = 0;
  bool tied_embeddings = false;  // the output head shares the input embedding matrix
  NormKind norm = NormKind::kRmsNorm;
  int norms_per_layer = 2;  // pre-norm blocks: one before attention, one before the feed-forward block
  bool final_norm = true;   // one more norm after the last block
  BiasKind biases = BiasKind::kNone;
  PositionKind positions = PositionKind::kNone;
  int max_positions = 0;  // rows of a learned position table; 0: seq_len
  int seq_len = 0;        // the training context, which the attention FLOPs grow with
  // A sparse mixture of experts (Shazeer et al. 2017, arXiv:1701.06538; Mixtral, Jiang et al. 2024,
  // arXiv:2401.04088, Sec. 2): with experts > 0 every layer's feed-forward block is `experts` feed-forward blocks
  // of ffn_kind and width ExpertFfnWidth(), and a router (a d_model x experts matrix without bias, Mixtral's W_g)
  // sends each token to the experts_per_token of them with the largest logits. Mixtral 8x7B: 8 experts, top 2.
  // Sliding-window attention (Beltagy et al. 2020, arXiv:2004.05150; Mistral 7B, Jiang et al. 2023,
  // arXiv:2310.06825, Sec. 2; Gemma 2, arXiv:2408.00118, Sec. 2, alternates windowed and global layers): in a
  // windowed layer each query attends to at most attention_window keys, in the others to the whole context. The
  // weights are those of full attention; only the attention's products with the context shrink (AttentionContext).
  int attention_window = 0;     // keys per query of a windowed layer; 0: no layer is windowed
  int windowed_layers = 0;      // how many layers are windowed; 0 with a window: every layer
  int experts = 0;              // routed experts per feed-forward block; 0: a dense block
  int experts_per_token = 0;    // the top-k experts each token uses (1 to experts; 0 when dense)
  std::int64_t expert_ffn = 0;  // each expert's width; 0: FfnWidth()

  int KvHeads() const { return kv_heads > 0 ? kv_heads : heads; }
  int HeadDim() const { return head_dim > 0 ? head_dim : (heads > 0 ? d_model / heads : 0); }
  // Width of the concatenated query heads (Kaplan's d_attn), and of the keys (or values) of all kv heads.
  std::int64_t AttentionWidth() const { return std::int64_t{heads} * HeadDim(); }
  std::int64_t KeyValueWidth() const { return std::int64_t{KvHeads()} * HeadDim(); }
  // ffn when given; else 4 d_model for kGelu (Vaswani et al. 2017), LlamaFfnWidth for kSwiGlu.
  std::int64_t FfnWidth() const;
  bool IsMixtureOfExperts() const { return experts > 0; }
  int WindowedLayers() const { return attention_window > 0 ? (windowed_layers > 0 ? windowed_layers : layers) : 0; }
  // The keys one query attends to, averaged over the layers: seq_len in a full-attention layer, min(seq_len,
  // attention_window) in a windowed one. The FLOP conventions count each query against the whole context (not half
  // of it, as a causal mask would), so their attention terms grow with this in place of seq_len.
  double AttentionContext() const;
  // Each expert's feed-forward width: expert_ffn when given, else FfnWidth().
  std::int64_t ExpertFfnWidth() const { return expert_ffn > 0 ? expert_ffn : FfnWidth(); }
  int PositionRows() const {
    return positions == PositionKind::kLearned ? (max_positions > 0 ? max_positions : seq_len) : 0;
  }

  // Empty when the shape can be built; else the first problem, one line that starts with the field's name.
  std::string Problem() const;
  bool IsValid() const { return Problem().empty(); }
  // Throws ShapeError naming the field when the shape cannot be built.
  void Validate() const;
};

// The SwiGLU width Llama derives from d_model (Touvron et al. 2023, arXiv:2302.13971, and the released model.py):
// 2/3 of the 4 d_model a two-matrix block would have, so that three matrices cost what two did, then scaled by
// ffn_dim_multiplier and rounded up to a multiple of multiple_of: int(8 d_model / 3), int(multiplier * that),
// multiple_of * ceil(. / multiple_of). d_model 4096, multiple_of 256 gives Llama-2-7B's 11008.
std::int64_t LlamaFfnWidth(int d_model, int multiple_of, double multiplier = 1.0);

}  // namespace scalelaw
