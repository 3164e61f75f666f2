#include "scalelaw/model/count.h"

#include <fmt/format.h>

#include <string>

#include "scalelaw/laws/deepseek.h"
#include "util/short_number.h"

namespace scalelaw {
namespace {

// Weight matrices of the feed-forward block: two for GELU, three for a gated unit.
int FfnMatrices(FfnKind kind) { return kind == FfnKind::kGelu ? 2 : 3; }

std::int64_t NormParams(const TransformerShape& shape) {
  return shape.norm == NormKind::kLayerNorm ? std::int64_t{2} * shape.d_model : shape.d_model;
}

// One feed-forward block of the shape's kind and width `width`: its matrices d_model x width (and width x d_model),
// and with every linear map biased, a bias of width on each input matrix and one of d_model on the output.
std::int64_t FfnBlockParams(const TransformerShape& shape, std::int64_t width, bool with_biases) {
  const int matrices = FfnMatrices(shape.ffn_kind);
  std::int64_t params = matrices * std::int64_t{shape.d_model} * width;
  if (with_biases && shape.biases == BiasKind::kAll) params += (matrices - 1) * width + shape.d_model;
  return params;
}

// The router of a mixture-of-experts layer: the logits x W_g of one token over the experts, W_g d_model x experts
// without a bias (Jiang et al. 2024, arXiv:2401.04088, Sec. 2, G(x) = Softmax(TopK(x W_g))).
std::int64_t RouterParams(const TransformerShape& shape) { return std::int64_t{shape.d_model} * shape.experts; }

// The feed-forward parameters of one layer a token uses: the dense block, or experts_per_token experts (the top
// k of the router's logits, Mixtral's y = sum_i G(x)_i E_i(x) over the nonzero gates) and the router.
std::int64_t ActiveFfnParams(const TransformerShape& shape, bool with_biases) {
  if (!shape.IsMixtureOfExperts()) return FfnBlockParams(shape, shape.FfnWidth(), with_biases);
  return shape.experts_per_token * FfnBlockParams(shape, shape.ExpertFfnWidth(), with_biases) + RouterParams(shape);
}

}  // namespace

ParameterCounts CountParameters(const TransformerShape& shape) {
  shape.Validate();
  const std::int64_t d = shape.d_model, q = shape.AttentionWidth(), kv = shape.KeyValueWidth(), f = shape.FfnWidth();
  // Attention: the query, key and value projections and the output projection.
  std::int64_t attention = d * q + 2 * d * kv + q * d;
  if (shape.biases != BiasKind::kNone) attention += q + 2 * kv;
  if (shape.biases == BiasKind::kAll) attention += d;
  // Feed-forward: one block, or every expert and the router; the experts a token leaves unused are not active.
  std::int64_t ffn = FfnBlockParams(shape, f, true), routed_experts = 0, unused_experts = 0;
  if (shape.IsMixtureOfExperts()) {
    const std::int64_t expert = FfnBlockParams(shape, shape.ExpertFfnWidth(), true);
    routed_experts = shape.experts * expert;
    unused_experts = (shape.experts - shape.experts_per_token) * expert;
    ffn = routed_experts + RouterParams(shape);
  }
  const std::int64_t layer = attention + ffn + shape.norms_per_layer * NormParams(shape);

  ParameterCounts counts;
  counts.token_embedding = shape.vocab * d;
  counts.position_embedding = std::int64_t{shape.PositionRows()} * d;
  counts.output_head = shape.tied_embeddings ? 0 : shape.vocab * d;
  counts.blocks = shape.layers * layer;
  counts.final_norm = shape.final_norm ? NormParams(shape) : 0;
  counts.total =
      counts.token_embedding + counts.position_embedding + counts.output_head + counts.blocks + counts.final_norm;
  counts.embedding = counts.token_embedding + counts.position_embedding;
  counts.non_embedding = counts.total - counts.embedding;
  counts.vocabulary = counts.token_embedding + counts.output_head;
  counts.non_vocabulary = counts.total - counts.vocabulary;
  counts.routed_experts = shape.layers * routed_experts;
  counts.active = counts.total - shape.layers * unused_experts;
  return counts;
}

double ActiveFfnMatrixWeights(const TransformerShape& shape) {
  shape.Validate();
  return static_cast<double>(ActiveFfnParams(shape, false));
}

double KaplanNonEmbeddingParams(const TransformerShape& shape) {
  shape.Validate();
  const double d = shape.d_model, q = static_cast<double>(shape.AttentionWidth()),
               kv = static_cast<double>(shape.KeyValueWidth());
  // Table 1 rows: Attention QKV n_layer d_model 3 d_attn, Attention project n_layer d_attn d_model, Feedforward
  // n_layer 2 d_model d_ff (a mixture of experts: the experts_per_token experts a token passes and the router).
  return shape.layers * (d * (q + 2 * kv) + q * d + ActiveFfnMatrixWeights(shape));
}

ChinchillaForwardFlops ChinchillaForwardFlopsPerSequence(const TransformerShape& shape) {
  shape.Validate();
  const double t = shape.seq_len, v = static_cast<double>(shape.vocab), d = shape.d_model,
               q = static_cast<double>(shape.AttentionWidth()), kv = static_cast<double>(shape.KeyValueWidth()),
               h = shape.heads;
  ChinchillaForwardFlops flops;
  flops.embeddings = 2 * t * v * d;
  // The paper's 2 x 3 x seq_len x d_model x (key_size x num_heads): three projections of width d_attn; with
  // grouped-query attention the key and value projections are kv wide.
  flops.qkv = 2 * t * d * (q + 2 * kv);
  // The three products with the context: seq_len queries against seq_len keys, or, averaged over the layers,
  // against the AttentionContext() keys of a sliding window.
  const double keys = shape.AttentionContext();
  flops.logits = 2 * t * keys * q;
  flops.softmax = 3 * h * t * keys;
  flops.values = 2 * t * keys * q;
  flops.output = 2 * t * q * d;
  // 2 x seq_len x (d_model x ffw_size + d_model x ffw_size); a gated block has a third matrix. A mixture of
  // experts: each token passes experts_per_token experts, 2 seq_len matrices d_model ffw_size each, and the
  // router's 2 seq_len d_model experts logits (the softmax over the top k and the weighted sum are sub-leading,
  // as the paper leaves the activations out).
  flops.dense = 2 * t * ActiveFfnMatrixWeights(shape);
  flops.final_logits = 2 * t * d * v;
  flops.total = flops.embeddings +
                shape.layers * (flops.qkv + flops.logits + flops.softmax + flops.values + flops.output + flops.dense) +
                flops.final_logits;
  return flops;
}

// Kaplan et al. 2020 (arXiv:2001.08361) Section 2.1: "C ~ 6N", the forward pass 2N and the backward twice it,
// with N the non-embedding parameters. A parameter costs FLOPs only for the tokens that multiply by it, so for a
// mixture of experts N is the active parameters (a token's experts_per_token experts and the router), as
// Jiang et al. 2024 (arXiv:2401.04088, Sec. 2) count Mixtral's compute by its 13B active parameters.
double SixNFlopsPerToken(const TransformerShape& shape) {
  return 6.0 * static_cast<double>(CountParameters(shape).active);
}
double SixNNonEmbeddingFlopsPerToken(const TransformerShape& shape) {
  const ParameterCounts counts = CountParameters(shape);
  return 6.0 * static_cast<double>(counts.active - counts.embedding);
}

// Kaplan et al. 2020, Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn (the attention-mask term is one product of
// the context with the keys), and training is 3 C_forward (Section 2.1: the backward pass is twice the forward).
double KaplanFlopsPerToken(const TransformerShape& shape) {
  // n_ctx: the keys a query attends to (AttentionContext(), seq_len without a sliding window).
  return 6.0 * KaplanNonEmbeddingParams(shape) +
         6.0 * shape.layers * shape.AttentionContext() * static_cast<double>(shape.AttentionWidth());
}

// Hoffmann et al. 2022, Appendix F: "As in Kaplan et al. (2020) we assume that the backward pass has twice the
// FLOPs of the forward pass", so training is 3 times the forward count; per token, divided by seq_len.
double ChinchillaFlopsPerToken(const TransformerShape& shape) {
  return 3.0 * ChinchillaForwardFlopsPerSequence(shape).total / shape.seq_len;
}

// Bi et al. 2024 (DeepSeek LLM, arXiv:2401.02954), Section 3.2: M = 72 n_layer d_model^2 + 12 n_layer
// d_model l_seq, the non-embedding FLOPs per token with attention (the vocabulary's FLOPs left out). Written for
// DeepSeek's own blocks (12 d_model^2 weights per layer), it reads only n_layer, d_model and l_seq: for a mixture
// of experts it counts that dense block, not the experts.
double DeepSeekFlopsPerToken(const TransformerShape& shape) {
  shape.Validate();
  // l_seq in the attention term: the keys a query attends to (AttentionContext(), seq_len without a window).
  return NonEmbeddingFlopsPerToken(shape.layers, shape.d_model, shape.AttentionContext());
}

// Chowdhery et al. 2022 (PaLM, arXiv:2204.02311), Appendix B: the model FLOPs per token are 6N + 12LHQT, N the
// parameters, L layers, H heads, Q the head dimension, T the sequence length (the second term the attention's
// two products with the context, forward and backward). For a mixture of experts N is the active parameters.
double PalmFlopsPerToken(const TransformerShape& shape) {
  // T: the keys a query attends to (AttentionContext(), seq_len without a sliding window).
  return 6.0 * static_cast<double>(CountParameters(shape).active) +
         12.0 * shape.layers * shape.heads * static_cast<double>(shape.HeadDim()) * shape.AttentionContext();
}

const std::vector<FlopConvention>& FlopConventions() {
  static const std::vector<FlopConvention> conventions = {
      {"6n",
       "6N",
       "6 N",
       {"Kaplan et al.", 2020, "Scaling Laws for Neural Language Models", "2001.08361", "Section 2.1"},
       "6 per parameter per token (2 forward, 4 backward), every parameter counted (embeddings too, as Chinchilla's "
       "N does; a mixture of experts: the active ones); no attention over the context",
       &SixNFlopsPerToken},
      {"6n-non-embedding",
       "6N non-emb",
       "6 N_non-embedding",
       {"Kaplan et al.", 2020, "Scaling Laws for Neural Language Models", "2001.08361", "Section 2.1"},
       "6 per non-embedding parameter per token (token and position embeddings left out, an untied output head "
       "kept; a mixture of experts: the active ones); no attention over the context",
       &SixNNonEmbeddingFlopsPerToken},
      {"kaplan",
       "Kaplan",
       "6 N + 6 n_layer n_ctx d_attn",
       {"Kaplan et al.", 2020, "Scaling Laws for Neural Language Models", "2001.08361", "Table 1"},
       "3 x C_forward = 3 (2N + 2 n_layer n_ctx d_attn), N = 2 d_model n_layer (2 d_attn + d_ff) the blocks' weight "
       "matrices (no biases, norms, embeddings or output head; a mixture of experts: a token's experts and the "
       "router); one of the attention's two products with the context",
       &KaplanFlopsPerToken},
      {"chinchilla",
       "Chinchilla",
       "3 x Appendix F forward / seq_len",
       {"Hoffmann et al.", 2022, "Training Compute-Optimal Large Language Models", "2203.15556", "Appendix F"},
       "embeddings (as a matmul), QKV, key @ query logits, softmax, softmax @ values, output projection, dense "
       "blocks (a mixture of experts: a token's experts and the router) and final logits, forward; backward = 2 x "
       "forward; biases and norms left out",
       &ChinchillaFlopsPerToken},
      {"deepseek",
       "DeepSeek M",
       "72 n_layer d_model^2 + 12 n_layer d_model l_seq",
       {"Bi et al.", 2024, "DeepSeek LLM: Scaling Open-Source Language Models with Longtermism", "2401.02954",
        "Section 3.2"},
       "non-embedding FLOPs per token M with attention, for DeepSeek's blocks (12 d_model^2 weights a layer); "
       "reads only n_layer, d_model and l_seq (for a mixture of experts it counts that dense block, not the "
       "experts); the vocabulary's FLOPs left out",
       &DeepSeekFlopsPerToken},
      {"palm",
       "PaLM",
       "6 N + 12 L H Q T",
       {"Chowdhery et al.", 2022, "PaLM: Scaling Language Modeling with Pathways", "2204.02311", "Appendix B"},
       "6 per parameter (N = total; a mixture of experts: the active ones) plus both attention products with the "
       "context (L layers, H heads, Q head dimension, T sequence length), forward and backward",
       &PalmFlopsPerToken},
  };
  return conventions;
}

const FlopConvention& FindFlopConvention(std::string_view name) {
  std::string names;
  for (const FlopConvention& convention : FlopConventions()) {
    if (convention.name == name) return convention;
    names += (names.empty() ? "" : ", ") + convention.name;
  }
  throw InvalidArgument(fmt::format("unknown FLOP convention '{}' (known: {})", name, names));
}

ShapeCount Count(const TransformerShape& shape) {
  shape.Validate();
  ShapeCount count;
  count.shape = shape;
  count.params = CountParameters(shape);
  count.kaplan_non_embedding = KaplanNonEmbeddingParams(shape);
  count.ffn_width = shape.FfnWidth();
  count.expert_ffn_width = shape.IsMixtureOfExperts() ? shape.ExpertFfnWidth() : 0;
  const double six_n = SixNFlopsPerToken(shape);
  for (const FlopConvention& convention : FlopConventions()) {
    const double flops = convention.flops_per_token(shape);
    count.flops.push_back({&convention, flops, flops / six_n});
  }
  return count;
}

std::string ShapeCount::BriefReport() const {
  const std::string active = shape.IsMixtureOfExperts() ? fmt::format(", {} active", params.active) : std::string();
  return fmt::format("{} parameters ({} non-embedding{}), {} training FLOPs per token by 6N", params.total,
                     params.non_embedding, active, detail::ShortNumber(6.0 * static_cast<double>(params.active)));
}

std::string ShapeCount::FullReport() const {
  const TransformerShape& s = shape;
  std::string out;
  if (!source.empty()) out += fmt::format("Model: {}\n", source);
  out += fmt::format(
      "Shape: {} layers, d_model {}, {} heads ({} key-value) of {}, ffn {} ({}), vocabulary {} ({}), {} x{} per "
      "layer{}, biases {}, positions {}, seq_len {}\n",
      s.layers, s.d_model, s.heads, s.KvHeads(), s.HeadDim(), ffn_width, Name(s.ffn_kind), s.vocab,
      s.tied_embeddings ? "tied" : "untied", Name(s.norm), s.norms_per_layer, s.final_norm ? " + final" : "",
      Name(s.biases), Name(s.positions), s.seq_len);
  if (s.WindowedLayers() > 0) {
    out += fmt::format(
        "Sliding-window attention: {} of {} layers attend to at most {} keys (the attention terms count "
        "{:.6g} keys per query, the layers' mean)\n",
        s.WindowedLayers(), s.layers, s.attention_window, s.AttentionContext());
  }
  if (s.IsMixtureOfExperts()) {
    out += fmt::format("Mixture of experts: {} experts of ffn {} in every layer, {} per token, a {} x {} router\n",
                       s.experts, expert_ffn_width, s.experts_per_token, s.d_model, s.experts);
  }
  out += "\nParameters\n";
  const auto row = [&out](const char* what, double value, const char* definition) {
    out += fmt::format("  {:<16} {:>16.0f}  {:>9}  {}\n", what, value, detail::ShortNumber(value), definition);
  };
  row("total", static_cast<double>(params.total), "every weight once (Chinchilla's N)");
  if (s.IsMixtureOfExperts()) {
    row("active", static_cast<double>(params.active),
        "the weights one token uses: its experts_per_token experts, the router, the rest (6N's N)");
    row("routed experts", static_cast<double>(params.routed_experts), "every expert of every layer");
  }
  row("non-embedding", static_cast<double>(params.non_embedding),
      "without token and position embeddings (Kaplan's N, exact)");
  row("non-vocabulary", static_cast<double>(params.non_vocabulary),
      "without input embedding and output head (Tao et al.'s N_nv)");
  row("embedding", static_cast<double>(params.embedding), "token + position embeddings");
  row("vocabulary", static_cast<double>(params.vocabulary), "input embedding + untied output head (N_v)");
  row("Kaplan Table 1", kaplan_non_embedding,
      s.IsMixtureOfExperts() ? "the blocks' weight matrices a token uses, its experts and the router"
                             : "the blocks' weight matrices, 2 d_model n_layer (2 d_attn + d_ff)");
  out += "\nTraining FLOPs per token\n";
  for (const ConventionCount& c : flops) {
    out += fmt::format("  {:<16} {:>10}  {:>6.3f} x 6N  {}\n", c.convention->title,
                       detail::ShortNumber(c.flops_per_token), c.ratio_to_6n, c.convention->formula);
  }
  return out;
}

}  // namespace scalelaw
