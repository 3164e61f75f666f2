// Shapes, their validation, config.json reading and the relations between the FLOP conventions
// (scalelaw/model/count.h): each convention recomputed from its formula, and what separates one from another.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "scalelaw/model/count.h"
#include "scalelaw/model/hf_config.h"
#include "scalelaw/model/model_inputs.h"
#include "scalelaw/model/shape_search.h"
#include "support/scratch_file.h"

using scalelaw::BiasKind;
using scalelaw::CountParameters;
using scalelaw::FfnKind;
using scalelaw::NormKind;
using scalelaw::ShapeError;
using scalelaw::ShapeFromHuggingFaceConfigText;
using scalelaw::TransformerShape;

namespace {

// A Llama-style shape of about 1B parameters.
TransformerShape Llama1B() {
  TransformerShape shape;
  shape.layers = 16;
  shape.d_model = 2048;
  shape.heads = 32;
  shape.kv_heads = 8;
  shape.ffn = 8192;
  shape.vocab = 128256;
  shape.tied_embeddings = true;
  shape.seq_len = 8192;
  return shape;
}

std::string FieldAtFault(const TransformerShape& shape) {
  try {
    shape.Validate();
  } catch (const ShapeError& error) {
    return error.field();
  }
  return "";
}

std::string ConfigError(const std::string& text) {
  try {
    ShapeFromHuggingFaceConfigText(text, "config.json");
  } catch (const scalelaw::InvalidArgument& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Llama's SwiGLU width rule: 2/3 of 4 d_model, times the multiplier, rounded up", "[count]") {
  // The released configs: Llama-2-7B 4096 -> 11008 (multiple_of 256), Llama-3-8B 4096 -> 14336 (1.3, 1024),
  // Llama-2-70B 8192 -> 28672 (1.3, 4096).
  CHECK(scalelaw::LlamaFfnWidth(4096, 256) == 11008);
  CHECK(scalelaw::LlamaFfnWidth(4096, 1024, 1.3) == 14336);
  CHECK(scalelaw::LlamaFfnWidth(8192, 4096, 1.3) == 28672);
  TransformerShape shape = Llama1B();
  shape.ffn = 0;
  CHECK(shape.FfnWidth() == scalelaw::LlamaFfnWidth(2048, 256));
  shape.ffn_kind = FfnKind::kGelu;
  CHECK(shape.FfnWidth() == 4 * 2048);
}

TEST_CASE("A shape that cannot be built names its field", "[count][bad-input]") {
  CHECK(FieldAtFault(Llama1B()).empty());
  TransformerShape shape = Llama1B();
  shape.heads = 30;  // 2048 / 30 is not whole
  CHECK(FieldAtFault(shape) == "heads");
  shape.head_dim = 64;  // heads of a width of their own are fine
  shape.kv_heads = 6;
  CHECK(FieldAtFault(shape) == "");
  shape.kv_heads = 7;  // 30 query heads do not fall into groups of 7
  CHECK(FieldAtFault(shape) == "kv_heads");
  shape = Llama1B();
  shape.kv_heads = 64;
  CHECK(FieldAtFault(shape) == "kv_heads");
  shape = Llama1B();
  shape.layers = 0;
  CHECK(FieldAtFault(shape) == "layers");
  shape = Llama1B();
  shape.vocab = -5;
  CHECK(FieldAtFault(shape) == "vocab");
  shape = Llama1B();
  shape.seq_len = 0;
  CHECK(FieldAtFault(shape) == "seq_len");
  shape = Llama1B();
  shape.positions = scalelaw::PositionKind::kLearned;
  shape.max_positions = 4096;  // a context longer than the learned table
  CHECK(FieldAtFault(shape) == "seq_len");
  shape = Llama1B();
  shape.ffn = 0;
  shape.ffn_multiple_of = 0;
  CHECK(FieldAtFault(shape) == "ffn_multiple_of");
  // The message starts with the field and says what is wrong.
  shape = Llama1B();
  shape.heads = 30;
  CHECK_THROWS_WITH(CountParameters(shape), Catch::Contains("heads: 30 heads do not divide d_model 2048"));
  CHECK_THROWS_AS(scalelaw::ParseFfnKind("relu"), ShapeError);
  CHECK_THROWS_WITH(scalelaw::ParseFfnKind("relu"), Catch::Contains("ffn_kind: 'relu' is not one of gelu, swiglu"));
}

TEST_CASE("Parameter counts: each part recomputed, and the definitions related", "[count]") {
  const TransformerShape shape = Llama1B();
  const auto counts = CountParameters(shape);
  const std::int64_t d = 2048, v = 128256, kv = 8 * 64, f = 8192;
  const std::int64_t layer = d * d + 2 * d * kv + d * d + 3 * d * f + 2 * d;
  CHECK(counts.blocks == 16 * layer);
  CHECK(counts.total == v * d + 16 * layer + d);  // tied: the embedding once, the final RMSNorm
  CHECK(counts.output_head == 0);
  CHECK(counts.non_embedding == counts.total - v * d);
  CHECK(counts.non_vocabulary == counts.non_embedding);  // tied, no position table: the two coincide

  TransformerShape untied = shape;
  untied.tied_embeddings = false;
  const auto u = CountParameters(untied);
  CHECK(u.total - counts.total == v * d);
  CHECK(u.non_embedding - counts.non_embedding == v * d);  // Kaplan's N keeps the untied head
  CHECK(u.non_vocabulary == counts.non_vocabulary);        // Tao et al.'s N_nv leaves it out

  TransformerShape layernorm = shape;
  layernorm.norm = NormKind::kLayerNorm;  // 2 d per norm instead of d: 2 per layer and the final one
  CHECK(CountParameters(layernorm).total - counts.total == (16 * 2 + 1) * d);
  TransformerShape qkv_bias = shape;
  qkv_bias.biases = BiasKind::kQkv;
  CHECK(CountParameters(qkv_bias).total - counts.total == 16 * (d + 2 * kv));
  TransformerShape all_bias = shape;
  all_bias.biases = BiasKind::kAll;  // + the output projection's d, the gate and up f each, the down d
  CHECK(CountParameters(all_bias).total - counts.total == 16 * (d + 2 * kv + d + 2 * f + d));
  TransformerShape learned = shape;
  learned.positions = scalelaw::PositionKind::kLearned;
  CHECK(CountParameters(learned).embedding - counts.embedding == 8192 * d);
  CHECK(CountParameters(learned).non_embedding == counts.non_embedding);
}

TEST_CASE("FLOP conventions: each recomputed from its formula", "[count]") {
  const TransformerShape shape = Llama1B();
  const auto params = CountParameters(shape);
  const double n = static_cast<double>(params.total), l = 16, d = 2048, t = 8192, h = 32, q = 64;
  CHECK(scalelaw::SixNFlopsPerToken(shape) == 6 * n);
  CHECK(scalelaw::SixNNonEmbeddingFlopsPerToken(shape) == 6 * static_cast<double>(params.non_embedding));
  // Kaplan's N: the blocks' matrices, query and output d x d, key and value d x 512, three d x 8192.
  const double kaplan_n = l * (2 * d * d + 2 * d * 512 + 3 * d * 8192);
  CHECK(scalelaw::KaplanNonEmbeddingParams(shape) == kaplan_n);
  CHECK(scalelaw::KaplanFlopsPerToken(shape) == Approx(6 * kaplan_n + 6 * l * t * (h * q)).epsilon(1e-14));
  CHECK(scalelaw::PalmFlopsPerToken(shape) == Approx(6 * n + 12 * l * h * q * t).epsilon(1e-14));
  CHECK(scalelaw::DeepSeekFlopsPerToken(shape) == Approx(72 * l * d * d + 12 * l * d * t).epsilon(1e-14));
  // Chinchilla: the matmuls of every weight (2 per multiply-accumulate, the embedding too) plus the attention's two
  // products with the context and the softmax, 3 x for training.
  const double v = 128256, matmuls = 2 * v * d + 2 * kaplan_n + 2 * d * v;
  const double context = l * (2 * t * h * q + 3 * h * t + 2 * t * h * q);
  CHECK(scalelaw::ChinchillaFlopsPerToken(shape) == Approx(3 * (matmuls + context)).epsilon(1e-14));
}

TEST_CASE("FLOP conventions: how they differ", "[count]") {
  TransformerShape shape = Llama1B();
  // The attention terms grow with the context; 6N does not see it.
  TransformerShape longer = shape;
  longer.seq_len = 2 * shape.seq_len;
  CHECK(scalelaw::SixNFlopsPerToken(longer) == scalelaw::SixNFlopsPerToken(shape));
  CHECK(scalelaw::PalmFlopsPerToken(longer) - scalelaw::PalmFlopsPerToken(shape) == 12.0 * 16 * 32 * 64 * 8192);
  // Kaplan counts one of the two context products, PaLM both, forward and backward.
  CHECK(scalelaw::KaplanFlopsPerToken(longer) - scalelaw::KaplanFlopsPerToken(shape) == 6.0 * 16 * 8192 * 2048);
  // Grouped-query attention: fewer key and value weights and FLOPs, same context products.
  TransformerShape mha = shape;
  mha.kv_heads = 0;
  const auto gqa_flops = scalelaw::ChinchillaForwardFlopsPerSequence(shape);
  const auto mha_flops = scalelaw::ChinchillaForwardFlopsPerSequence(mha);
  CHECK(mha_flops.qkv == 2.0 * 3 * 8192 * 2048 * 2048);  // the paper's 2 x 3 x seq_len x d_model x d_attn
  CHECK(mha_flops.qkv - gqa_flops.qkv == 2.0 * 8192 * 2048 * 2 * (2048 - 512));
  CHECK(mha_flops.logits == gqa_flops.logits);
  // Tying the head changes N (and so 6N and PaLM) but not the matmuls Chinchilla counts.
  TransformerShape untied = shape;
  untied.tied_embeddings = false;
  CHECK(scalelaw::ChinchillaFlopsPerToken(untied) == scalelaw::ChinchillaFlopsPerToken(shape));
  CHECK(scalelaw::SixNFlopsPerToken(untied) > scalelaw::SixNFlopsPerToken(shape));
}

TEST_CASE("A 190M model at a 2k-4k context: 6N undercounts the full count", "[count]") {
  // Chinchilla's 196M shape (Table A9: d_model 896, ffw 3584, 14 heads of 64, 16 layers) with its 32,000
  // vocabulary, untied: 211.5M parameters. The attention over the context adds 3 x 16 x (4 x 896 T + 42 T) FLOPs
  // per token, which 6N does not see. The issue's "over 1.5x" holds at 4096 (1.56x 6N with every parameter,
  // 1.81x 6N without the embeddings) but not at 2048 (1.28x, 1.48x): measured, and bracketed here.
  TransformerShape shape;
  shape.layers = 16;
  shape.d_model = 896;
  shape.heads = 14;
  shape.ffn = 3584;
  shape.ffn_kind = FfnKind::kGelu;
  shape.vocab = 32000;
  struct Expected {
    int seq_len;
    double lo, hi;                  // full / 6N (every parameter)
    double lo_non_emb, hi_non_emb;  // full / 6N (non-embedding)
  };
  for (const Expected& e : {Expected{2048, 1.27, 1.29, 1.47, 1.49}, Expected{4096, 1.55, 1.57, 1.80, 1.82}}) {
    CAPTURE(e.seq_len);
    shape.seq_len = e.seq_len;
    const auto count = scalelaw::Count(shape);
    CHECK(count.params.total == 211514240);
    const double full = scalelaw::ChinchillaFlopsPerToken(shape);
    const double ratio = full / scalelaw::SixNFlopsPerToken(shape);
    const double ratio_non_emb = full / scalelaw::SixNNonEmbeddingFlopsPerToken(shape);
    CHECK(ratio > e.lo);
    CHECK(ratio < e.hi);
    CHECK(ratio_non_emb > e.lo_non_emb);
    CHECK(ratio_non_emb < e.hi_non_emb);
    // The registry's ratio column is to 6N with every parameter.
    for (const auto& c : count.flops) {
      if (c.convention->name == "chinchilla") CHECK(c.ratio_to_6n == Approx(ratio));
    }
  }
}

TEST_CASE("The convention registry: one row each, 6N first, every row cited", "[count]") {
  const auto& conventions = scalelaw::FlopConventions();
  REQUIRE(conventions.size() == 6);
  CHECK(conventions.front().name == "6n");
  std::set<std::string> names;
  for (const auto& c : conventions) {
    CAPTURE(c.name);
    CHECK(names.insert(c.name).second);
    CHECK(!c.citation.arxiv.empty());
    CHECK(!c.citation.location.empty());
    CHECK(c.flops_per_token != nullptr);
    CHECK(&scalelaw::FindFlopConvention(c.name) == &c);
  }
  CHECK_THROWS_WITH(scalelaw::FindFlopConvention("mfu"), Catch::Contains("unknown FLOP convention 'mfu'"));
  const auto count = scalelaw::Count(Llama1B());
  REQUIRE(count.flops.size() == conventions.size());
  CHECK(count.flops.front().ratio_to_6n == 1.0);
  CHECK(count.FullReport().find("Chinchilla") != std::string::npos);
}

TEST_CASE("config.json: unknown architectures, missing and malformed fields name the file and field",
          "[count][bad-input]") {
  const std::string llama =
      R"({"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4,
          "intermediate_size": 172, "vocab_size": 100, "max_position_embeddings": 128)";
  CHECK(ConfigError(llama + "}").empty());
  const auto shape = ShapeFromHuggingFaceConfigText(llama + "}", "config.json");
  CHECK(shape.KvHeads() == 4);
  CHECK(shape.HeadDim() == 16);
  CHECK_FALSE(shape.tied_embeddings);
  CHECK(shape.seq_len == 128);
  CHECK(ConfigError(R"({"model_type": "mamba", "hidden_size": 64})") ==
        "config.json: field 'model_type': 'mamba' is not an architecture scalelaw counts (it reads llama, mistral, "
        "qwen2, gemma, gemma2, mixtral, gpt2)");
  // Mixtures of experts other than Mixtral's (shared experts, dense first layers) stay refused.
  CHECK(ConfigError(R"({"model_type": "deepseek_v2", "hidden_size": 64})").find("field 'model_type': 'deepseek_v2'") !=
        std::string::npos);
  CHECK(ConfigError(R"({"architectures": ["MambaForCausalLM"]})").find("field 'architectures': 'MambaForCausalLM'") !=
        std::string::npos);
  CHECK(ConfigError(R"({"hidden_size": 64})").find("field 'model_type': missing") != std::string::npos);
  CHECK(ConfigError(R"({"model_type": "llama", "num_hidden_layers": 2})") ==
        "config.json: field 'hidden_size': missing (needed to count the model)");
  CHECK(ConfigError(llama + R"(, "num_key_value_heads": "four"})") ==
        "config.json: field 'num_key_value_heads': expected a positive whole number, got \"four\"");
  CHECK(ConfigError(llama + R"(, "tie_word_embeddings": 1})").find("field 'tie_word_embeddings'") != std::string::npos);
  CHECK(ConfigError(llama + R"(, "attention_bias": true})").find("field 'attention_bias'") != std::string::npos);
  // A GQA group that does not divide the heads: the shape's own check, with the file named.
  CHECK(ConfigError(llama + R"(, "num_key_value_heads": 3})") ==
        "config.json: kv_heads: 3 key-value heads do not divide the 4 query heads into equal groups");
  // Qwen2: biases on the query, key and value projections (q 64 + k 32 + v 32 with 2 kv heads of 16).
  const std::string qwen = R"({"model_type": "qwen2", "num_key_value_heads": 2,)" + llama.substr(llama.find(',') + 1);
  const auto qwen_counts = CountParameters(ShapeFromHuggingFaceConfigText(qwen + "}", "config.json"));
  const auto gqa_counts = CountParameters(ShapeFromHuggingFaceConfigText(
      R"({"model_type": "llama", "num_key_value_heads": 2,)" + llama.substr(llama.find(',') + 1) + "}", "config.json"));
  CHECK(qwen_counts.total - gqa_counts.total == 2 * (64 + 2 * 32));
  // Without model_type, the class name in "architectures" says the kind.
  const std::string by_class = R"({"architectures": ["MistralForCausalLM"],)" + llama.substr(llama.find(',') + 1);
  CHECK(CountParameters(ShapeFromHuggingFaceConfigText(by_class + "}", "config.json")).total ==
        CountParameters(shape).total);
  CHECK(ConfigError("{not json").find("config.json: not JSON") == 0);
  CHECK(ConfigError("[1, 2]") == "config.json: expected a JSON object (a config.json)");
  // The file itself: a missing one is an InputError naming it.
  CHECK_THROWS_AS(scalelaw::ShapeFromHuggingFaceConfig("/nonexistent/config.json"), scalelaw::InputError);
  scalelaw::testing::ScratchFile file("config.json", llama + R"(, "tie_word_embeddings": true})");
  CHECK(scalelaw::ShapeFromHuggingFaceConfig(file.path()).tied_embeddings);
}

namespace {

// A small Mixtral-style mixture of experts: 4 SwiGLU experts of width 96 in each of 2 layers, 2 per token.
TransformerShape SmallMixture() {
  TransformerShape shape;
  shape.layers = 2;
  shape.d_model = 64;
  shape.heads = 4;
  shape.kv_heads = 2;
  shape.ffn = 96;
  shape.vocab = 100;
  shape.seq_len = 128;
  shape.experts = 4;
  shape.experts_per_token = 2;
  return shape;
}

}  // namespace

TEST_CASE("A mixture of experts that cannot be built names its field", "[count][bad-input]") {
  TransformerShape shape = SmallMixture();
  CHECK(FieldAtFault(shape).empty());
  shape.experts_per_token = 5;  // more than the 4 experts
  CHECK(FieldAtFault(shape) == "experts_per_token");
  CHECK_THROWS_WITH(shape.Validate(), "experts_per_token: must be a whole number from 1 to experts (4), not 5");
  shape.experts_per_token = 0;  // a mixture routes every token somewhere
  CHECK(FieldAtFault(shape) == "experts_per_token");
  shape = SmallMixture();
  shape.experts = -1;
  CHECK(FieldAtFault(shape) == "experts");
  shape = Llama1B();
  shape.experts_per_token = 2;  // experts per token of a dense block
  CHECK(FieldAtFault(shape) == "experts_per_token");
  shape = SmallMixture();
  shape.expert_ffn = -3;
  CHECK(FieldAtFault(shape) == "expert_ffn");
  shape = Llama1B();
  shape.expert_ffn = 512;  // an expert width without experts
  CHECK(FieldAtFault(shape) == "expert_ffn");
}

TEST_CASE("Mixture of experts: every expert in the total, a token's experts and the router in the active count",
          "[count]") {
  const TransformerShape mixture = SmallMixture();
  const auto counts = CountParameters(mixture);
  // By hand: attention q, o 64 x 64 and k, v 64 x 32; one SwiGLU expert 3 x 64 x 96; the router 64 x 4; two
  // RMSNorm gains of 64; untied embedding and head 100 x 64; a final norm of 64.
  const std::int64_t attention = 2 * 64 * 64 + 2 * 64 * 32, expert = 3 * 64 * 96, router = 64 * 4, norms = 2 * 64;
  const std::int64_t vocabulary = 2 * 100 * 64;
  CHECK(counts.total == 2 * (attention + 4 * expert + router + norms) + vocabulary + 64);
  CHECK(counts.active == 2 * (attention + 2 * expert + router + norms) + vocabulary + 64);
  CHECK(counts.routed_experts == 2 * 4 * expert);
  CHECK(counts.blocks == 2 * (attention + 4 * expert + router + norms));
  CHECK(counts.non_embedding == counts.total - 100 * 64);
  // A dense shape: active is the total, no routed experts.
  const auto dense = CountParameters(Llama1B());
  CHECK(dense.active == dense.total);
  CHECK(dense.routed_experts == 0);
  // expert_ffn replaces ffn's width for the experts only.
  TransformerShape wider = mixture;
  wider.expert_ffn = 128;
  CHECK(CountParameters(wider).routed_experts == 2 * 4 * 3 * 64 * 128);
  // One expert per token, all of them used: the active count is the total.
  TransformerShape every = mixture;
  every.experts_per_token = 4;
  CHECK(CountParameters(every).active == CountParameters(every).total);
}

TEST_CASE("Mixture of experts FLOPs: each convention counts what one token uses", "[count]") {
  const TransformerShape mixture = SmallMixture();
  const auto counts = CountParameters(mixture);
  // The dense shape with one block as wide as the two experts a token passes: the same matrices but the router's.
  TransformerShape dense = mixture;
  dense.experts = 0;
  dense.experts_per_token = 0;
  dense.ffn = 2 * 96;
  const double router = 64.0 * 4, layers = 2, t = 128;
  CHECK(double(counts.active) == double(CountParameters(dense).total) + layers * router);
  CHECK(scalelaw::SixNFlopsPerToken(mixture) == Approx(6.0 * double(counts.active)).epsilon(1e-12));
  CHECK(scalelaw::SixNNonEmbeddingFlopsPerToken(mixture) ==
        Approx(6.0 * double(counts.active - counts.embedding)).epsilon(1e-12));
  CHECK(scalelaw::KaplanNonEmbeddingParams(mixture) ==
        Approx(scalelaw::KaplanNonEmbeddingParams(dense) + layers * router).epsilon(1e-12));
  CHECK(scalelaw::KaplanFlopsPerToken(mixture) ==
        Approx(scalelaw::KaplanFlopsPerToken(dense) + 6 * layers * router).epsilon(1e-12));
  // Chinchilla's dense term: 2 seq_len (2 experts x 3 x 64 x 96 + the router's 64 x 4) per layer, forward.
  const auto forward = scalelaw::ChinchillaForwardFlopsPerSequence(mixture);
  CHECK(forward.dense == Approx(2 * t * (2 * 3 * 64 * 96 + router)).epsilon(1e-12));
  CHECK(scalelaw::ChinchillaFlopsPerToken(mixture) ==
        Approx(scalelaw::ChinchillaFlopsPerToken(dense) + 3 * layers * 2 * router).epsilon(1e-12));
  CHECK(scalelaw::PalmFlopsPerToken(mixture) ==
        Approx(6.0 * double(counts.active) + 12 * layers * 4 * 16 * t).epsilon(1e-12));
  // DeepSeek's M reads n_layer, d_model and l_seq only: the experts do not enter it.
  CHECK(scalelaw::DeepSeekFlopsPerToken(mixture) == scalelaw::DeepSeekFlopsPerToken(dense));
  // The ratios are to 6 x active, and the report has an active row.
  const auto count = scalelaw::Count(mixture);
  CHECK(count.flops.front().ratio_to_6n == 1.0);
  CHECK(count.FullReport().find("  active ") != std::string::npos);
  CHECK(scalelaw::Count(Llama1B()).FullReport().find("  active ") == std::string::npos);
}

TEST_CASE("A mixture of experts is not a law's N nor a search's shape", "[count][bad-input]") {
  CHECK_THROWS_WITH(scalelaw::WithModel(SmallMixture()),
                    "experts: the published laws were fitted on dense models; a mixture of experts has no N of "
                    "theirs");
  scalelaw::ShapeSearchOptions options;
  CHECK_THROWS_WITH(scalelaw::SetArchitecture(SmallMixture(), &options), Catch::StartsWith("experts: "));
  CHECK_NOTHROW(scalelaw::WithModel(Llama1B()));
}

TEST_CASE("config.json of Mixtral: num_local_experts and num_experts_per_tok, each named when wrong",
          "[count][bad-input]") {
  const std::string mixtral =
      R"({"model_type": "mixtral", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4,
          "num_key_value_heads": 2, "intermediate_size": 96, "vocab_size": 100, "max_position_embeddings": 128)";
  const TransformerShape shape =
      ShapeFromHuggingFaceConfigText(mixtral + R"(, "num_local_experts": 4, "num_experts_per_tok": 2})", "c.json");
  CHECK(shape.experts == 4);
  CHECK(shape.experts_per_token == 2);
  CHECK(shape.ExpertFfnWidth() == 96);
  CHECK_FALSE(shape.tied_embeddings);
  CHECK(CountParameters(shape).total == CountParameters(SmallMixture()).total);
  CHECK(ConfigError(mixtral + R"(, "num_local_experts": 4})") ==
        "config.json: field 'num_experts_per_tok': missing (needed to count the model)");
  CHECK(ConfigError(mixtral + R"(, "num_experts_per_tok": 2})") ==
        "config.json: field 'num_local_experts': missing (needed to count the model)");
  CHECK(ConfigError(mixtral + R"(, "num_local_experts": 4, "num_experts_per_tok": 6})") ==
        "config.json: field 'num_experts_per_tok': 6 experts per token are more than the 4 experts "
        "(num_local_experts)");
  CHECK(ConfigError(mixtral + R"(, "num_local_experts": 0, "num_experts_per_tok": 2})")
            .find("field 'num_local_experts': expected a positive whole number") != std::string::npos);
}

TEST_CASE("Sliding-window attention: the attention terms count the window in the windowed layers", "[count]") {
  // Llama1B with a 2048-key window in 4 of its 16 layers: each query of those attends to 2048 keys, of the others
  // to all 8192, so the attention terms count (12 x 8192 + 4 x 2048) / 16 = 6656 keys per query per layer.
  TransformerShape shape = Llama1B();
  shape.attention_window = 2048;
  shape.windowed_layers = 4;
  CHECK(shape.AttentionContext() == 6656);
  const TransformerShape full = Llama1B();
  const double l = 16, d = 2048, h = 32, q = 64, t = 8192, keys = 6656;
  // The weights are those of full attention.
  CHECK(CountParameters(shape).total == CountParameters(full).total);
  CHECK(scalelaw::SixNFlopsPerToken(shape) == scalelaw::SixNFlopsPerToken(full));
  // Each convention's attention term with keys in place of seq_len, the rest unchanged.
  CHECK(scalelaw::KaplanFlopsPerToken(full) - scalelaw::KaplanFlopsPerToken(shape) ==
        Approx(6 * l * (t - keys) * h * q).epsilon(1e-12));
  CHECK(scalelaw::PalmFlopsPerToken(full) - scalelaw::PalmFlopsPerToken(shape) ==
        Approx(12 * l * h * q * (t - keys)).epsilon(1e-12));
  CHECK(scalelaw::DeepSeekFlopsPerToken(full) - scalelaw::DeepSeekFlopsPerToken(shape) ==
        Approx(12 * l * d * (t - keys)).epsilon(1e-12));
  // Chinchilla: logits, softmax and values, per token 3 x (2 t q h + 3 h t + 2 t q h) / t per layer at t keys.
  CHECK(scalelaw::ChinchillaFlopsPerToken(full) - scalelaw::ChinchillaFlopsPerToken(shape) ==
        Approx(3 * l * (4 * h * q + 3 * h) * (t - keys)).epsilon(1e-12));
  // Every layer windowed (windowed_layers 0), and a window no shorter than the context, which changes nothing.
  shape.windowed_layers = 0;
  CHECK(shape.AttentionContext() == 2048);
  shape.attention_window = 8192;
  CHECK(scalelaw::ChinchillaFlopsPerToken(shape) == scalelaw::ChinchillaFlopsPerToken(full));

  TransformerShape bad = Llama1B();
  bad.attention_window = -1;
  CHECK(FieldAtFault(bad) == "attention_window");
  bad.attention_window = 0;
  bad.windowed_layers = 3;
  CHECK(FieldAtFault(bad) == "windowed_layers");
  bad.attention_window = 1024;
  bad.windowed_layers = 17;
  CHECK(FieldAtFault(bad) == "windowed_layers");
  // The shape search is of full-attention shapes: a window would be dropped from every shape it finds.
  scalelaw::ShapeSearchOptions options;
  bad.windowed_layers = 2;
  CHECK_THROWS_WITH(scalelaw::SetArchitecture(bad, &options), Catch::Matchers::StartsWith("attention_window: "));
}

TEST_CASE("config.json sliding windows: every layer, every other layer, from max_window_layers, or as listed",
          "[count]") {
  const std::string shape_fields =
      R"("num_hidden_layers": 6, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 172,
         "vocab_size": 100, "max_position_embeddings": 128)";
  const std::string body = shape_fields + R"(, "sliding_window": 32)";
  auto read = [&](const std::string& type, const std::string& more) {
    return ShapeFromHuggingFaceConfigText("{\"model_type\": \"" + type + "\", " + body + more + "}", "config.json");
  };
  CHECK(read("mistral", "").WindowedLayers() == 6);  // MistralConfig: every layer
  CHECK(read("mistral", "").attention_window == 32);
  CHECK(read("gemma2", "").WindowedLayers() == 3);  // layers 0, 2, 4
  CHECK(read("llama", "").WindowedLayers() == 0);   // Llama has no sliding window: the field is not read
  // Qwen2: only with use_sliding_window, the layers from max_window_layers on (its default 28: none of 6).
  CHECK(read("qwen2", "").WindowedLayers() == 0);
  CHECK(read("qwen2", R"(, "use_sliding_window": true)").WindowedLayers() == 0);
  CHECK(read("qwen2", R"(, "use_sliding_window": true, "max_window_layers": 4)").WindowedLayers() == 2);
  CHECK(read("qwen2", R"(, "use_sliding_window": true, "max_window_layers": 0)").WindowedLayers() == 6);
  // A null window is none; a layer_types list says which layers are windowed, whatever the rule.
  CHECK(ShapeFromHuggingFaceConfigText(R"({"model_type": "mistral", "sliding_window": null, )" + shape_fields + "}",
                                       "config.json")
            .WindowedLayers() == 0);
  const std::string listed =
      R"(, "layer_types": ["sliding_attention", "full_attention", "full_attention", "full_attention",
                           "full_attention", "sliding_attention"])";
  CHECK(read("gemma2", listed).WindowedLayers() == 2);
  CHECK(ConfigError("{\"model_type\": \"gemma2\", " + body + R"(, "layer_types": ["full_attention"]})") ==
        "config.json: field 'layer_types': expected a list of 6 attention kinds (num_hidden_layers)");
  CHECK(ConfigError(R"({"model_type": "mistral", )" + shape_fields + R"(, "sliding_window": 0})") ==
        "config.json: field 'sliding_window': expected a positive whole number, got 0");
}
