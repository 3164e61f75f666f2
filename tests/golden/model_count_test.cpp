// Parameter and FLOP counts against the numbers the papers and model cards print: Llama-2-7B's and Llama-3-8B's
// parameters from their public config.json files, Mixtral 8x7B's total and active parameters, GPT-2's, DeepSeek LLM's M
// for its 7B and 67B models, Kaplan's non-embedding N of GPT-3 175B, and Hoffmann et al.'s Appendix F count on the
// shapes of its own Table A4.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "scalelaw/model/count.h"
#include "scalelaw/model/hf_config.h"
#include "support/printed_number.h"

using scalelaw::ChinchillaForwardFlopsPerSequence;
using scalelaw::CountParameters;
using scalelaw::FfnKind;
using scalelaw::NormKind;
using scalelaw::ShapeFromHuggingFaceConfig;
using scalelaw::TransformerShape;
using scalelaw::testing::RoundsTo;

namespace {

std::string Fixture(const std::string& name) {
  return std::string(SCALELAW_SOURCE_DIR) + "/tests/fixtures/model_configs/" + name;
}

}  // namespace

// The parameter counts Meta publishes (the model cards' "7B", "8B"; the exact totals are what the released
// checkpoints hold: 6,738,415,616 and 8,030,261,248).
TEST_CASE("Llama-2-7B and Llama-3-8B configs give their released parameter counts", "[golden][count]") {
  const auto llama2 = CountParameters(ShapeFromHuggingFaceConfig(Fixture("llama-2-7b.config.json")));
  CHECK(llama2.total == 6738415616);
  // Untied: the input embedding and the output head are 32000 x 4096 each.
  CHECK(llama2.vocabulary == 2 * 32000LL * 4096);
  CHECK(llama2.non_vocabulary == 6738415616 - 2 * 32000LL * 4096);
  const auto llama3 = CountParameters(ShapeFromHuggingFaceConfig(Fixture("llama-3-8b.config.json")));
  CHECK(llama3.total == 8030261248);
  CHECK(llama3.non_embedding == 8030261248 - 128256LL * 4096);
}

// Gemma Team 2024 (arXiv:2403.08295, Table 2) and 2024b (Gemma 2, arXiv:2408.00118, Table 2) print each model's
// embedding and non-embedding parameters for a vocabulary of 256,128 entries; the released config.json files say
// 256,000 (the checkpoints' embedding), so the non-embedding counts are the papers' and the embeddings are vocab x
// d_model, tied to the head.
TEST_CASE("Gemma 7B and Gemma 2 9B and 27B configs give the papers' non-embedding counts", "[golden][count]") {
  const auto gemma = CountParameters(ShapeFromHuggingFaceConfig(Fixture("gemma-7b.config.json")));
  CHECK(gemma.non_embedding == 7751248896);
  CHECK(gemma.embedding == 256000LL * 3072);
  CHECK(gemma.output_head == 0);
  CHECK(gemma.total == 8537680896);  // what transformers reports for google/gemma-7b
  // The paper's embedding count is its vocabulary's.
  TransformerShape paper = ShapeFromHuggingFaceConfig(Fixture("gemma-7b.config.json"));
  paper.vocab = 256128;
  CHECK(CountParameters(paper).embedding == 786825216);
  // Gemma 2: four norms per block (before and after the attention and the MLP).
  const auto gemma2_9b = CountParameters(ShapeFromHuggingFaceConfig(Fixture("gemma-2-9b.config.json")));
  CHECK(gemma2_9b.non_embedding == 8324201984);
  CHECK(gemma2_9b.embedding == 256000LL * 3584);
  const auto gemma2_27b = CountParameters(ShapeFromHuggingFaceConfig(Fixture("gemma-2-27b.config.json")));
  CHECK(gemma2_27b.non_embedding == 26047480320);
  paper = ShapeFromHuggingFaceConfig(Fixture("gemma-2-27b.config.json"));
  paper.vocab = 256128;
  CHECK(CountParameters(paper).embedding == 1180237824);
}

// Jiang et al. 2024 (Mixtral of Experts, arXiv:2401.04088): Sec. 2, Table 1: 32 layers of d_model 4096, 32 query
// heads and 8 key-value heads of 128, 8 SwiGLU experts of hidden width 14336 per layer, top 2, vocabulary 32000;
// Sec. 1: "47B parameters", "13B active parameters" per token. The exact total is the 46,702,792,704 that
// transformers reports for mistralai/Mixtral-8x7B-v0.1.
TEST_CASE("Mixtral 8x7B's config gives its 46.7B parameters, 12.9B of them active", "[golden][count]") {
  const TransformerShape mixtral = ShapeFromHuggingFaceConfig(Fixture("mixtral-8x7b.config.json"));
  const auto counts = CountParameters(mixtral);
  CHECK(counts.total == 46702792704);
  // By hand, per layer: attention q and o 4096 x 4096, k and v 4096 x (8 x 128); 8 experts of 3 matrices 4096 x
  // 14336; the router 4096 x 8; two RMSNorm gains. Then the untied embedding and head, 32000 x 4096 each, and the
  // final norm.
  const std::int64_t attention = 2LL * 4096 * 4096 + 2LL * 4096 * 1024;  // 41,943,040
  const std::int64_t expert = 3LL * 4096 * 14336;                        // 176,160,768
  const std::int64_t router = 4096LL * 8, norms = 2 * 4096;
  const std::int64_t rest = 2LL * 32000 * 4096 + 4096;  // 262,148,096
  CHECK(counts.total == 32 * (attention + 8 * expert + router + norms) + rest);
  // Active: two experts a token. 32 x (41,943,040 + 352,321,536 + 32,768 + 8,192) = 12,617,777,152, plus
  // 262,148,096: 12,879,925,248, the paper's "13B".
  CHECK(counts.active == 12879925248);
  CHECK(counts.active == 32 * (attention + 2 * expert + router + norms) + rest);
  CHECK(counts.routed_experts == 32 * 8 * expert);
  // 6N of a mixture is 6 x the active parameters: 7.728e10 FLOPs per token, not 6 x 46.7B.
  CHECK(scalelaw::SixNFlopsPerToken(mixtral) == 6.0 * 12879925248);
  // The FLOP conventions that count matrices see the two experts a token passes as one dense block of twice the
  // width, plus the router: Chinchilla's forward count per token exceeds that dense shape's by the router's
  // 2 d_model experts per layer (3 x that for training); Kaplan's N by d_model experts per layer.
  TransformerShape dense = mixtral;
  dense.experts = 0;
  dense.experts_per_token = 0;
  dense.ffn = 2 * 14336;
  CHECK(CountParameters(dense).total == counts.active - 32 * router);
  CHECK(scalelaw::ChinchillaFlopsPerToken(mixtral) ==
        Approx(scalelaw::ChinchillaFlopsPerToken(dense) + 3.0 * 32 * 2 * 4096 * 8).epsilon(1e-12));
  CHECK(scalelaw::KaplanNonEmbeddingParams(mixtral) == scalelaw::KaplanNonEmbeddingParams(dense) + 32.0 * router);
}

// Mistral 7B (Jiang et al. 2023, arXiv:2310.06825, Table 1: dim 4096, 32 layers, head_dim 128, 32 heads, 8 kv
// heads, hidden_dim 14336, window_size 4096, context_len 8192, vocab_size 32000): 7,241,732,096 parameters, what
// transformers reports for mistralai/Mistral-7B-v0.1, and every layer's attention over the 4096-key window.
TEST_CASE("Mistral 7B's config: its parameters and the window every layer attends over", "[golden][count]") {
  TransformerShape mistral = ShapeFromHuggingFaceConfig(Fixture("mistral-7b-v0.1.config.json"));
  CHECK(CountParameters(mistral).total == 7241732096);
  CHECK(mistral.attention_window == 4096);
  CHECK(mistral.WindowedLayers() == 32);
  // At the paper's 8192-token context each query attends to 4096 keys: PaLM's 12 L H Q T counts T = 4096.
  mistral.seq_len = 8192;
  CHECK(mistral.AttentionContext() == 4096);
  CHECK(scalelaw::PalmFlopsPerToken(mistral) == 6.0 * 7241732096 + 12.0 * 32 * 32 * 128 * 4096);
}

TEST_CASE("GPT-2 small's config gives its 124,439,808 parameters", "[golden][count]") {
  // Tied head, learned positions (1024 x 768), LayerNorm and biases everywhere: the 124,439,808 the transformers
  // library reports for openai-community/gpt2 (and nanoGPT's 123.65M once the position table is subtracted).
  const auto gpt2 = CountParameters(ShapeFromHuggingFaceConfig(Fixture("gpt2.config.json")));
  CHECK(gpt2.total == 124439808);
  CHECK(gpt2.total - gpt2.position_embedding == 123653376);
  CHECK(gpt2.output_head == 0);
}

TEST_CASE("DeepSeek LLM 7B and 67B: M = 72 n_layer d^2 + 12 n_layer d l_seq", "[golden][count]") {
  // Bi et al. 2024 (arXiv:2401.02954): the 7B has 30 layers of d_model 4096, the 67B 95 of 8192, both at
  // sequence length 4096. The width and vocabulary do not enter M; they are the released models' (102400).
  TransformerShape shape;
  shape.layers = 30;
  shape.d_model = 4096;
  shape.heads = 32;
  shape.vocab = 102400;
  shape.ffn = 11008;
  shape.seq_len = 4096;
  CHECK(RoundsTo(scalelaw::DeepSeekFlopsPerToken(shape), "4.2279e10"));
  shape.layers = 95;
  shape.d_model = 8192;
  shape.heads = 64;
  shape.kv_heads = 8;
  shape.ffn = 22016;
  CHECK(RoundsTo(scalelaw::DeepSeekFlopsPerToken(shape), "4.9728e11"));
}

TEST_CASE("GPT-3 175B: Kaplan's non-embedding N = 12 n_layer d_model^2", "[golden][count]") {
  // Brown et al. 2020 (arXiv:2005.14165), Table 2.1: 96 layers, d_model 12288, 96 heads of 128, context 2048;
  // the feed-forward block is 4 d_model wide.
  TransformerShape gpt3;
  gpt3.layers = 96;
  gpt3.d_model = 12288;
  gpt3.heads = 96;
  gpt3.ffn_kind = FfnKind::kGelu;
  gpt3.norm = NormKind::kLayerNorm;
  gpt3.biases = scalelaw::BiasKind::kAll;
  gpt3.positions = scalelaw::PositionKind::kLearned;
  gpt3.tied_embeddings = true;
  gpt3.vocab = 50257;
  gpt3.seq_len = 2048;
  CHECK(RoundsTo(scalelaw::KaplanNonEmbeddingParams(gpt3), "1.7395e11"));
  // The exact non-embedding count adds the biases and norms, 13 d_model a layer and the final norm.
  CHECK(CountParameters(gpt3).non_embedding == 12LL * 96 * 12288 * 12288 + 96LL * 13 * 12288 + 2 * 12288);
  // Kaplan's C_forward = 2N + 2 n_layer n_ctx d_attn, 3 x for training.
  CHECK(scalelaw::KaplanFlopsPerToken(gpt3) ==
        Approx(6 * 12.0 * 96 * 12288 * 12288 + 6.0 * 96 * 2048 * 12288).epsilon(1e-10));
}

// Hoffmann et al. 2022 (arXiv:2203.15556), Appendix F, evaluated on the six shapes of its Table A4 with the
// paper's sequence length 2048 and its tokenizer's vocabulary 32,000 (Table A8). Each term is transcribed here
// from the paper's bullets, independently of the library's code.
TEST_CASE("Chinchilla Appendix F: the count term by term on the shapes of Table A4", "[golden][count]") {
  struct Row {
    double paper_params;
    int layers, d_model, ffw_size, heads, key_size;
    double printed_ratio;  // Table A4, "FLOP Ratio (Ours/6ND)"
  };
  const Row rows[] = {
      {73e6, 10, 640, 2560, 10, 64, 1.03},    {305e6, 20, 1024, 4096, 16, 64, 1.10},
      {552e6, 24, 1280, 5120, 10, 128, 1.08}, {1.1e9, 26, 1792, 7168, 14, 128, 1.04},
      {1.6e9, 28, 2048, 8192, 16, 128, 1.03}, {6.8e9, 40, 3584, 14336, 28, 128, 0.99},
  };
  const double seq_len = 2048, vocab = 32000;
  for (const Row& row : rows) {
    CAPTURE(row.paper_params);
    TransformerShape shape;
    shape.layers = row.layers;
    shape.d_model = row.d_model;
    shape.heads = row.heads;
    shape.head_dim = row.key_size;
    shape.ffn = row.ffw_size;
    shape.ffn_kind = FfnKind::kGelu;
    shape.vocab = 32000;
    shape.seq_len = 2048;
    const double d = row.d_model, kh = double(row.key_size) * row.heads, f = row.ffw_size, h = row.heads;
    const double embeddings = 2 * seq_len * vocab * d;
    const double attention = 2 * 3 * seq_len * d * kh      // key, query and value projections
                             + 2 * seq_len * seq_len * kh  // key @ query logits
                             + 3 * h * seq_len * seq_len   // softmax
                             + 2 * seq_len * seq_len * kh  // softmax @ query reductions
                             + 2 * seq_len * kh * d;       // final linear
    const double dense = 2 * seq_len * (d * f + d * f);
    const double logits = 2 * seq_len * d * vocab;
    const double forward = embeddings + row.layers * (attention + dense) + logits;

    const auto counted = ChinchillaForwardFlopsPerSequence(shape);
    CHECK(counted.total == Approx(forward).epsilon(1e-14));
    CHECK(counted.qkv + counted.logits + counted.softmax + counted.values + counted.output ==
          Approx(attention).epsilon(1e-14));
    CHECK(counted.dense == dense);
    // Backward = 2 x forward; per token.
    CHECK(scalelaw::ChinchillaFlopsPerToken(shape) == Approx(3 * forward / seq_len).epsilon(1e-14));

    // Table A4's ratio column: the paper does not say which N, sequence length or vocabulary it used, and the full
    // count above over 6 N D with the table's own N is 1.03 to 1.60 (measured), not 0.99 to 1.10. What reproduces
    // the column for five of the six rows is the blocks' FLOPs alone (no embedding or logits matmuls) at 2048 tokens
    // over 6 x the table's rounded N: 1.037, 1.103, 1.084, 1.028, 0.994 against 1.03, 1.10, 1.08, 1.03, 0.99. The
    // 1.1B row gives 1.085 against a printed 1.04 (its N would have to be 1.15e9): not reproduced.
    const double blocks_ratio = 3 * row.layers * (attention + dense) / (6 * row.paper_params * seq_len);
    CAPTURE(blocks_ratio);
    if (row.paper_params == 1.1e9) {
      CHECK(std::abs(blocks_ratio - row.printed_ratio) > 0.04);
    } else {
      CHECK(std::abs(blocks_ratio - row.printed_ratio) <= 0.0075);
    }
  }
}

// Chowdhery et al. 2022 (PaLM, arXiv:2204.02311): PaLM 540B has 118 layers of d_model 18432, 48 heads of 256 with
// multi-query attention (one key-value head), a SwiGLU block 4 d_model wide, a 256k vocabulary shared by input and
// output, no biases, one norm per (parallel) layer, sequence length 2048; Table 1 lists 540.35B parameters.
// Section 4 reports 238.3K tokens per second on 6144 TPU v4 chips (275 TFLOP/s peak each) as 46.2% model FLOPs
// utilization, with Appendix B's 6N + 12LHQT FLOPs per token.
TEST_CASE("PaLM 540B: 540.35B parameters and its 46.2% MFU from 6N + 12LHQT", "[golden][count]") {
  TransformerShape palm;
  palm.layers = 118;
  palm.d_model = 18432;
  palm.heads = 48;
  palm.kv_heads = 1;
  palm.head_dim = 256;
  palm.ffn = 4 * 18432;
  palm.vocab = 256000;
  palm.tied_embeddings = true;
  palm.norms_per_layer = 1;
  palm.seq_len = 2048;
  const auto params = CountParameters(palm);
  CHECK(std::floor(static_cast<double>(params.total) / 1e7) / 100 == Approx(540.35));  // 540.356e9, printed 540.35B
  const double mfu = 238.3e3 * scalelaw::PalmFlopsPerToken(palm) / (6144 * 275e12);
  CHECK(RoundsTo(mfu, "0.462"));
}
