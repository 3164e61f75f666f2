// Exact parameter counts of a transformer shape under the definitions the laws use, and its training FLOPs per
// token under the conventions the papers counted compute with. The laws disagree on what N is (Chinchilla counts
// embeddings, Kaplan does not, the vocabulary law splits N in two, DeepSeek replaces N by FLOPs per token M), so a
// number without its definition is not comparable across laws: every count here is named, and every convention
// is one row of FlopConventions() with its citation, which `scalelaw count`, Python's scalelaw.count and
// docs/flop-conventions.md all read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/laws/law_info.h"
#include "scalelaw/model/shape.h"

namespace scalelaw {

// The parameters of a shape, every weight counted once (a tied head shares the input embedding matrix).
struct ParameterCounts {
  std::int64_t total = 0;
  std::int64_t token_embedding = 0;     // vocab x d_model
  std::int64_t position_embedding = 0;  // a learned position table, else 0
  std::int64_t output_head = 0;         // d_model x vocab when untied, else 0 (shared)
  std::int64_t blocks = 0;  // the layers: attention, feed-forward (every expert and the router), norms, biases
  std::int64_t final_norm = 0;
  // Kaplan et al. 2020 (arXiv:2001.08361, Section 2.1): N excludes the token and position embeddings (an untied
  // output head stays in).
  std::int64_t non_embedding = 0;
  // Tao et al. 2024 (arXiv:2407.13623): the vocabulary parameters N_v = V d are the input embedding
  // and the output head (both, when untied); non_vocabulary = N_nv = total minus those.
  std::int64_t non_vocabulary = 0;
  std::int64_t vocabulary = 0;  // token_embedding + output_head
  std::int64_t embedding = 0;   // token_embedding + position_embedding
  // A mixture of experts (TransformerShape::experts > 0): routed_experts is every expert's weights in every
  // layer (in blocks; 0 for a dense shape), and active the parameters one token uses, total minus the
  // experts - experts_per_token experts each layer leaves unused (the router counts: every token multiplies by
  // it). Mixtral 8x7B: 46.7B total, 12.9B active (Jiang et al. 2024, arXiv:2401.04088, Sec. 1: "47B parameters",
  // "13B active parameters"). For a dense shape active = total.
  std::int64_t routed_experts = 0;
  std::int64_t active = 0;
};

ParameterCounts CountParameters(const TransformerShape& shape);

// Kaplan et al. 2020, Table 1: N = 2 d_model n_layer (2 d_attn + d_ff), the weight matrices of the blocks only
// (sub-leading terms, biases and norms, omitted), written per matrix so that grouped-query attention (keys and
// values of width KeyValueWidth) and a three-matrix SwiGLU block count what they have. For the standard shape
// (d_attn = d_model, d_ff = 4 d_model) it is 12 n_layer d_model^2. For a mixture of experts the matrices a
// token multiplies by: experts_per_token experts and the router (ActiveFfnMatrixWeights).
double KaplanNonEmbeddingParams(const TransformerShape& shape);

// The feed-forward weight matrices of one layer that one token multiplies by (biases left out): the dense block,
// or for a mixture of experts experts_per_token experts of width ExpertFfnWidth() plus the d_model x experts
// router. The FLOP conventions that count matrices (Kaplan, Chinchilla) read the feed-forward block from it.
double ActiveFfnMatrixWeights(const TransformerShape& shape);

// Hoffmann et al. 2022 (arXiv:2203.15556), Appendix F: the forward FLOPs of one sequence of seq_len tokens, term
// by term in the paper's order, with a multiply-accumulate counted as 2 FLOPs. Written for multi-head attention
// and a two-matrix dense block; here the key and value projections have the width of the kv heads and a SwiGLU
// block has three matrices, so the count reduces to the paper's for the paper's shapes.
struct ChinchillaForwardFlops {
  double embeddings = 0;  // 2 seq_len vocab d_model
  double qkv = 0;         // per layer: 2 seq_len d_model (query + key + value widths); 2x3 seq_len d_model d_attn
  // The products with the context: seq_len^2 is seq_len x AttentionContext() (the layers' mean keys per query)
  // with a sliding window.
  double logits = 0;        // per layer: 2 seq_len^2 d_attn (key @ query)
  double softmax = 0;       // per layer: 3 heads seq_len^2
  double values = 0;        // per layer: 2 seq_len^2 d_attn (softmax @ values, "query reductions")
  double output = 0;        // per layer: 2 seq_len d_attn d_model (final linear)
  double dense = 0;         // per layer: 2 seq_len (d_model ffn + ffn d_model), 3 matrices for SwiGLU; for a
                            // mixture of experts the experts_per_token experts and the router a token uses
  double final_logits = 0;  // 2 seq_len d_model vocab
  double total = 0;         // embeddings + layers (qkv + logits + softmax + values + output + dense) + final_logits
};
ChinchillaForwardFlops ChinchillaForwardFlopsPerSequence(const TransformerShape& shape);

// Training FLOPs per token under each convention (forward and backward; the conventions' own citations are in
// FlopConventions()). For a mixture of experts each counts what one token uses: N is the active parameters,
// the feed-forward matrices experts_per_token experts and the router (DeepSeek's M, a formula of n_layer,
// d_model and l_seq only, is the exception: it counts DeepSeek's dense block whatever the shape).
double SixNFlopsPerToken(const TransformerShape& shape);              // 6 N, N = active (total when dense)
double SixNNonEmbeddingFlopsPerToken(const TransformerShape& shape);  // 6 N, N = active - embedding
double KaplanFlopsPerToken(const TransformerShape& shape);            // 6 N + 6 n_layer n_ctx d_attn
double ChinchillaFlopsPerToken(const TransformerShape& shape);        // 3 x Appendix F forward / seq_len
double DeepSeekFlopsPerToken(const TransformerShape& shape);          // 72 n_layer d^2 + 12 n_layer d l_seq
double PalmFlopsPerToken(const TransformerShape& shape);              // 6 N + 12 L H Q T, N = active

// One way of counting training compute per token: the registry row that the CLI, Python and the docs read.
struct FlopConvention {
  std::string name;     // the key: "6n", "kaplan", ...
  std::string title;    // as a table header says it: "6N", "Kaplan"
  std::string formula;  // as a person reads it
  Citation citation;
  std::string counts;  // which parameters and which operations it counts, and what it leaves out
  double (*flops_per_token)(const TransformerShape&) = nullptr;
};

// Every convention, 6N (total) first: the ratios are to it.
const std::vector<FlopConvention>& FlopConventions();
// InvalidArgument naming the known conventions when there is no such name.
const FlopConvention& FindFlopConvention(std::string_view name);

// The counts of one shape, as `scalelaw count` prints them.
struct ConventionCount {
  const FlopConvention* convention = nullptr;
  double flops_per_token = 0;
  double ratio_to_6n = 0;  // flops_per_token / the 6N convention's (6 x params.active; the total when dense)
};
struct ShapeCount {
  TransformerShape shape;
  ParameterCounts params;
  double kaplan_non_embedding = 0;    // KaplanNonEmbeddingParams
  std::int64_t ffn_width = 0;         // the resolved FfnWidth()
  std::int64_t expert_ffn_width = 0;  // the resolved ExpertFfnWidth() of a mixture of experts; 0 when dense
  std::vector<ConventionCount> flops;
  std::string source;  // the config file it was read from, if any

  std::string BriefReport() const;
  std::string FullReport() const;
};
// Validates the shape (ShapeError naming the field) and counts it under every convention.
ShapeCount Count(const TransformerShape& shape);

}  // namespace scalelaw
