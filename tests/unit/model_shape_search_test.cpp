// Shape search (scalelaw/model/shape_search.h): published shapes recovered from their own counts, every returned
// shape checked against every constraint independently, the ranking against a brute-force minimum, and the
// grids that hold no shape.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>

#include "scalelaw/error.h"
#include "scalelaw/model/shape_search.h"

using scalelaw::FfnKind;
using scalelaw::ParamsDefinition;
using scalelaw::SearchShapes;
using scalelaw::ShapeCandidate;
using scalelaw::ShapeSearchOptions;
using scalelaw::ShapeSearchSummary;

namespace {

bool Contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Llama's SwiGLU width written out again: int(8 d / 3) rounded up to a multiple of m.
std::int64_t SwiGluWidth(std::int64_t d_model, std::int64_t multiple_of) {
  const std::int64_t raw = 8 * d_model / 3;
  return (raw + multiple_of - 1) / multiple_of * multiple_of;
}

// Every constraint of the options, checked on a returned shape without the library's enumeration.
void RequireSatisfies(const ShapeCandidate& candidate, const ShapeSearchOptions& options) {
  const auto& s = candidate.count.shape;
  INFO("layers " << s.layers << " d_model " << s.d_model << " heads " << s.heads << " kv " << s.KvHeads());
  CHECK(s.d_model % options.d_model_multiple_of == 0);
  CHECK(s.d_model <= options.max_d_model);
  CHECK(s.layers >= options.min_layers);
  CHECK(s.layers <= options.max_layers);
  CHECK(Contains(options.head_dims, s.HeadDim()));
  CHECK(std::int64_t{s.heads} * s.HeadDim() == s.d_model);  // the heads divide d_model
  CHECK(s.heads % s.KvHeads() == 0);
  CHECK(Contains(options.group_sizes, s.heads / s.KvHeads()));
  const double aspect = static_cast<double>(s.d_model) / s.layers;
  if (options.depth_rule == "aspect-range") {
    CHECK(aspect >= options.min_aspect_ratio);
    CHECK(aspect <= options.max_aspect_ratio);
  }
  CHECK(candidate.aspect_ratio == Approx(aspect));
  if (options.ffn_kind == FfnKind::kSwiGlu)
    CHECK(candidate.count.ffn_width == SwiGluWidth(s.d_model, options.ffn_multiple_of));
  CHECK(s.vocab == options.vocab);
  CHECK(s.tied_embeddings == options.tied_embeddings);
  CHECK(s.seq_len == options.seq_len);
  CHECK(s.norm == options.norm);
  CHECK(s.norms_per_layer == options.norms_per_layer);
  CHECK(s.final_norm == options.final_norm);
  CHECK(s.biases == options.biases);
  CHECK(s.positions == options.positions);
  CHECK(s.max_positions == options.max_positions);
}

// Levine et al. 2020's optimal depth for a width, written out again: ln d = 5.039 + 0.0555 L solved for L.
double LevineLayers(double d_model) { return (std::log(d_model) - 5.039) / 0.0555; }

// GPT-2's architecture (Radford et al. 2019; the released gpt2 config.json): GELU 4x, LayerNorm, biases on every
// linear map, a learned table of 1024 positions, a tied 50257-token vocabulary.
ShapeSearchOptions Gpt2Constraints() {
  ShapeSearchOptions options;
  options.head_dims = {64};
  options.d_model_multiple_of = 64;
  options.ffn_kind = FfnKind::kGelu;
  options.norm = scalelaw::NormKind::kLayerNorm;
  options.biases = scalelaw::BiasKind::kAll;
  options.positions = scalelaw::PositionKind::kLearned;
  options.vocab = 50257;
  options.tied_embeddings = true;
  options.seq_len = 1024;
  return options;
}

ShapeSearchOptions Llama2Constraints() {
  ShapeSearchOptions options;
  options.head_dims = {128};
  options.ffn_kind = FfnKind::kSwiGlu;
  options.ffn_multiple_of = 256;
  options.vocab = 32000;
  options.tied_embeddings = false;
  options.seq_len = 4096;
  return options;
}

}  // namespace

TEST_CASE("Llama-2-7B's total count under Llama-2's constraints finds Llama-2-7B's shape at distance 0") {
  ShapeSearchOptions options = Llama2Constraints();
  options.params = 6738415616.0;  // Touvron et al. 2023: the released 7B's parameters
  REQUIRE(options.min_aspect_ratio <= 128.0);
  REQUIRE(options.max_aspect_ratio >= 128.0);
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(options, &summary));
  REQUIRE(summary.IsUsable());
  REQUIRE(summary.shapes.size() == 5);
  const ShapeCandidate& best = summary.shapes.front();
  CHECK(best.count.shape.layers == 32);
  CHECK(best.count.shape.d_model == 4096);
  CHECK(best.count.shape.heads == 32);
  CHECK(best.count.ffn_width == 11008);
  CHECK(best.count.params.total == 6738415616);
  CHECK(best.relative_distance == 0.0);
  for (std::size_t i = 0; i < summary.shapes.size(); ++i) {
    RequireSatisfies(summary.shapes[i], options);
    // The value is the shape's own count, and the distance is recomputed from it.
    const double total = static_cast<double>(summary.shapes[i].count.params.total);
    CHECK(summary.shapes[i].value == total);
    CHECK(summary.shapes[i].relative_distance == Approx(std::abs(total - options.params) / options.params));
    if (i > 0) CHECK(summary.shapes[i - 1].relative_distance <= summary.shapes[i].relative_distance);
    // Every convention of the registry is counted for every shape.
    CHECK(summary.shapes[i].count.flops.size() == scalelaw::FlopConventions().size());
  }
}

TEST_CASE("DeepSeek 7B's M under DeepSeek's convention finds 30 layers of d_model 4096") {
  ShapeSearchOptions options;
  options.flops_per_token = 4.2279e10;  // Bi et al. 2024, Table 2: 7B, M = 72 n_layer d^2 + 12 n_layer d l_seq
  options.convention = "deepseek";
  options.head_dims = {128};
  options.vocab = 102400;
  options.seq_len = 4096;
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(options, &summary));
  bool found = false;
  for (std::size_t i = 0; i < summary.shapes.size(); ++i) {
    const ShapeCandidate& c = summary.shapes[i];
    RequireSatisfies(c, options);
    const double layers = c.count.shape.layers, d = c.count.shape.d_model;
    CHECK(c.value == Approx(72 * layers * d * d + 12 * layers * d * 4096).epsilon(1e-12));
    if (i > 0) CHECK(summary.shapes[i - 1].relative_distance <= c.relative_distance);
    if (c.count.shape.layers == 30 && c.count.shape.d_model == 4096) {
      found = true;
      CHECK(c.relative_distance < 1e-4);  // the target is the paper's M to 5 digits
    }
  }
  CHECK(found);
}

TEST_CASE("The nearest shape is the brute-force minimum over the grid, for every definition") {
  for (ParamsDefinition definition :
       {ParamsDefinition::kTotal, ParamsDefinition::kNonEmbedding, ParamsDefinition::kNonVocabulary}) {
    ShapeSearchOptions options;
    options.params = 3.1e8;
    options.definition = definition;
    options.max_d_model = 2048;
    options.group_sizes = {1, 2, 4};
    options.vocab = 50257;
    options.tied_embeddings = true;
    options.top = 7;
    ShapeSearchSummary summary;
    REQUIRE(SearchShapes(options, &summary));
    // The grid enumerated again here, each shape counted by CountParameters.
    double best = INFINITY;
    std::int64_t considered = 0;
    for (int d = 128; d <= 2048; d += 128) {
      for (int layers = 1; layers <= 256; ++layers) {
        const double aspect = static_cast<double>(d) / layers;
        if (aspect < 20 || aspect > 200) continue;
        for (int head_dim : {64, 128}) {
          if (d % head_dim != 0) continue;
          for (int group : {1, 2, 4}) {
            if ((d / head_dim) % group != 0) continue;
            ++considered;
            scalelaw::TransformerShape shape;
            shape.layers = layers;
            shape.d_model = d;
            shape.heads = d / head_dim;
            shape.kv_heads = shape.heads / group;
            shape.vocab = 50257;
            shape.tied_embeddings = true;
            shape.seq_len = options.seq_len;
            const double value = static_cast<double>(scalelaw::ParamsOf(scalelaw::CountParameters(shape), definition));
            best = std::min(best, std::abs(value - options.params) / options.params);
          }
        }
      }
    }
    INFO("definition " << Name(definition));
    CHECK(summary.shapes_considered == considered);
    REQUIRE(summary.shapes.size() == 7);
    CHECK(summary.shapes.front().relative_distance == Approx(best).margin(1e-15));
    for (std::size_t i = 0; i < summary.shapes.size(); ++i) {
      RequireSatisfies(summary.shapes[i], options);
      CHECK(summary.shapes[i].value ==
            static_cast<double>(scalelaw::ParamsOf(summary.shapes[i].count.params, definition)));
      if (i > 0) CHECK(summary.shapes[i - 1].relative_distance <= summary.shapes[i].relative_distance);
    }
  }
}

TEST_CASE("Ties in the count are broken by the aspect ratio nearest the preferred one") {
  // With multi-head attention, head_dim 64 and 128 give the same counts: the same (layers, d_model) ties and
  // the larger head width comes first; across (layers, d_model) the nearer aspect ratio to 128 wins.
  ShapeSearchOptions options = Llama2Constraints();
  options.head_dims = {64, 128};
  options.params = 6738415616.0;
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(options, &summary));
  REQUIRE(summary.shapes.size() >= 2);
  CHECK(summary.shapes[0].count.shape.head_dim == 128);
  CHECK(summary.shapes[1].count.shape.head_dim == 64);
  CHECK(summary.shapes[1].count.shape.d_model == 4096);
  CHECK(summary.shapes[1].relative_distance == 0.0);
}

TEST_CASE("Grouped-query attention: kv heads divide the heads by an allowed group size") {
  ShapeSearchOptions options = Llama2Constraints();
  options.params = 8.0e9;
  options.group_sizes = {4};
  options.vocab = 128256;
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(options, &summary));
  for (const ShapeCandidate& c : summary.shapes) {
    RequireSatisfies(c, options);
    CHECK(c.count.shape.KvHeads() * 4 == c.count.shape.heads);
  }
}

TEST_CASE("Constraints that leave no shape give a summary that is not usable, with the reason") {
  ShapeSearchSummary summary;
  ShapeSearchOptions widths;
  widths.params = 1e9;
  widths.head_dims = {100};  // lcm(100, 256) = 6400 > max_d_model
  widths.d_model_multiple_of = 256;
  widths.max_d_model = 4096;
  CHECK_FALSE(SearchShapes(widths, &summary));
  CHECK_FALSE(summary.IsUsable());
  CHECK(summary.shapes.empty());
  CHECK(summary.message.find("head width") != std::string::npos);
  CHECK(summary.BriefReport().find("no shape") != std::string::npos);

  ShapeSearchOptions groups;
  groups.params = 1e8;
  groups.head_dims = {64};
  groups.group_sizes = {5};  // heads 4, 8, 12, 16: none divisible by 5
  groups.d_model_multiple_of = 256;
  groups.max_d_model = 1024;
  CHECK_FALSE(SearchShapes(groups, &summary));
  CHECK(summary.message.find("group size") != std::string::npos);

  ShapeSearchOptions aspect;
  aspect.params = 1e8;
  aspect.max_d_model = 256;
  aspect.min_aspect_ratio = 150;
  aspect.max_aspect_ratio = 160;  // 128 / 1 and 256 / 2 = 128, 256 / 1 = 256: outside
  CHECK_FALSE(SearchShapes(aspect, &summary));
  CHECK(summary.message.find("aspect ratio") != std::string::npos);
}

TEST_CASE("Options that cannot be searched name the option") {
  ShapeSearchSummary summary;
  ShapeSearchOptions both;
  both.params = 1e9;
  both.flops_per_token = 1e10;
  CHECK(both.Problem().rfind("params:", 0) == 0);
  CHECK_THROWS_AS(SearchShapes(both, &summary), scalelaw::InvalidArgument);
  ShapeSearchOptions none;
  CHECK_FALSE(none.IsValid());
  ShapeSearchOptions convention;
  convention.flops_per_token = 1e10;
  convention.convention = "7n";
  CHECK(convention.Problem().rfind("convention:", 0) == 0);
  ShapeSearchOptions aspect;
  aspect.params = 1e9;
  aspect.max_aspect_ratio = 10;
  CHECK(aspect.Problem().rfind("max_aspect_ratio:", 0) == 0);
  CHECK(scalelaw::ParseParamsDefinition("non-vocabulary") == ParamsDefinition::kNonVocabulary);
  CHECK_THROWS_AS(scalelaw::ParseParamsDefinition("embedding"), scalelaw::InvalidArgument);
}

TEST_CASE("A GPT-2-style search finds GPT-2 small's shape from its 124,439,808 parameters") {
  // GPT-2 small's total written out: token and position tables V d + P d, per block 12 d^2 (attention 4 d^2, MLP
  // 8 d^2) + 13 d (biases 3d + d + 4d + d, two LayerNorms 4d), a final LayerNorm 2d; the head is tied.
  const std::int64_t d = 768, layers = 12;
  const std::int64_t gpt2_small = 50257 * d + 1024 * d + layers * (12 * d * d + 13 * d) + 2 * d;
  REQUIRE(gpt2_small == 124439808);
  ShapeSearchOptions options = Gpt2Constraints();
  options.params = static_cast<double>(gpt2_small);
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(options, &summary));
  const ShapeCandidate& best = summary.shapes.front();
  CHECK(best.count.shape.layers == 12);
  CHECK(best.count.shape.d_model == 768);
  CHECK(best.count.shape.heads == 12);
  CHECK(best.count.ffn_width == 4 * 768);
  CHECK(best.relative_distance == 0.0);
  for (const ShapeCandidate& c : summary.shapes) {
    RequireSatisfies(c, options);
    // The counts are CountParameters' of the same shape built field by field here.
    scalelaw::TransformerShape shape;
    shape.layers = c.count.shape.layers;
    shape.d_model = c.count.shape.d_model;
    shape.heads = c.count.shape.heads;
    shape.ffn_kind = FfnKind::kGelu;
    shape.norm = scalelaw::NormKind::kLayerNorm;
    shape.biases = scalelaw::BiasKind::kAll;
    shape.positions = scalelaw::PositionKind::kLearned;
    shape.vocab = 50257;
    shape.tied_embeddings = true;
    shape.seq_len = 1024;
    const scalelaw::ParameterCounts counted = scalelaw::CountParameters(shape);
    CHECK(c.count.params.total == counted.total);
    CHECK(c.count.params.non_embedding == counted.non_embedding);
    CHECK(c.count.params.position_embedding == 1024 * c.count.shape.d_model);
    CHECK(c.count.params.output_head == 0);
  }
}

TEST_CASE("The norms, the final norm and the rows of a learned position table reach every counted shape") {
  ShapeSearchOptions options = Gpt2Constraints();
  options.params = 124439808.0;
  options.norms_per_layer = 1;
  options.final_norm = false;
  options.max_positions = 2048;
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(options, &summary));
  for (const ShapeCandidate& c : summary.shapes) {
    RequireSatisfies(c, options);
    const std::int64_t d = c.count.shape.d_model, layers = c.count.shape.layers;
    CHECK(c.count.params.position_embedding == 2048 * d);
    CHECK(c.count.params.final_norm == 0);
    // One LayerNorm (2d) per block instead of two, a table of 2048 rows instead of 1024, no final norm.
    CHECK(c.count.params.total == 50257 * d + 2048 * d + layers * (12 * d * d + 11 * d));
  }
  ShapeSearchOptions short_table = Gpt2Constraints();
  short_table.params = 1e8;
  short_table.max_positions = 512;  // fewer rows than seq_len 1024
  CHECK(short_table.Problem().rfind("max_positions:", 0) == 0);
  ShapeSearchOptions norms = Gpt2Constraints();
  norms.params = 1e8;
  norms.norms_per_layer = -1;
  CHECK(norms.Problem().rfind("norms_per_layer:", 0) == 0);
}

TEST_CASE("The depth rules: one registry, the aspect-ratio range first, Levine et al.'s formula by name") {
  const auto& rules = scalelaw::DepthRules();
  REQUIRE(rules.size() >= 2);
  CHECK(rules.front().name == "aspect-range");
  CHECK(rules.front().layers_for_width == nullptr);
  CHECK(ShapeSearchOptions{}.depth_rule == "aspect-range");
  const scalelaw::DepthRule& levine = scalelaw::FindDepthRule("levine2020");
  CHECK(levine.citation.arxiv == "2006.12467");
  for (double d : {768.0, 4096.0, 12288.0, 30000.0}) {
    CHECK(levine.layers_for_width(d) == Approx(LevineLayers(d)).epsilon(1e-12));
  }
  CHECK(LevineLayers(4096) == Approx(59.08).margin(0.01));
  CHECK_THROWS_AS(scalelaw::FindDepthRule("kaplan"), scalelaw::InvalidArgument);
  ShapeSearchOptions bad;
  bad.params = 1e9;
  bad.depth_rule = "kaplan";
  CHECK(bad.Problem().rfind("depth_rule:", 0) == 0);
  bad.depth_rule = "levine2020";
  bad.depth_tolerance = 1.5;
  CHECK(bad.Problem().rfind("depth_tolerance:", 0) == 0);
}

TEST_CASE("Under Levine et al.'s rule every shape's depth is the formula's for its width, within the tolerance") {
  for (double tolerance : {0.0, 0.1, 0.25}) {
    ShapeSearchOptions options;
    options.params = 7e9;
    options.depth_rule = "levine2020";
    options.depth_tolerance = tolerance;
    options.top = 20;
    ShapeSearchSummary summary;
    REQUIRE(SearchShapes(options, &summary));
    CHECK(summary.depth_rule == "levine2020");
    // The grid under the rule enumerated again: for each width, the layers within max(0.5, tolerance L*) of L*.
    std::int64_t considered = 0;
    for (int d = 128; d <= options.max_d_model; d += 128) {
      const double target_layers = LevineLayers(d), half = std::max(0.5, tolerance * target_layers);
      for (int layers = 1; layers <= options.max_layers; ++layers) {
        if (std::abs(layers - target_layers) > half + 1e-9) continue;
        for (int head_dim : {64, 128}) considered += d % head_dim == 0 ? 1 : 0;
      }
    }
    INFO("tolerance " << tolerance);
    CHECK(summary.shapes_considered == considered);
    REQUIRE(summary.shapes.size() == 20);
    for (const ShapeCandidate& c : summary.shapes) {
      RequireSatisfies(c, options);
      const double rule = LevineLayers(c.count.shape.d_model);
      CHECK(c.rule_layers == Approx(rule).epsilon(1e-12));
      CHECK(std::abs(c.count.shape.layers - rule) <= std::max(0.5, tolerance * rule) + 1e-9);
    }
    CHECK(summary.shapes.front().relative_distance < 0.01);
  }
}

TEST_CASE("Levine et al.'s own projections: a 1-trillion network about 30K wide, GPT-3 175B too deep") {
  // The paper's abstract: "an unprecedented width of 30K as optimal for a 1-Trillion parameter network", and
  // GPT-3 (96 layers, d_model 12288) "too deep for its size". Its networks have N = 12 L d^2 (GELU 4x blocks
  // without biases: the non-embedding count up to the norms).
  ShapeSearchOptions trillion;
  trillion.params = 1e12;
  trillion.definition = ParamsDefinition::kNonEmbedding;
  trillion.ffn_kind = FfnKind::kGelu;
  trillion.head_dims = {128};
  trillion.max_d_model = 65536;
  trillion.depth_rule = "levine2020";
  trillion.depth_tolerance = 0;  // the formula's depth itself
  ShapeSearchSummary summary;
  REQUIRE(SearchShapes(trillion, &summary));
  const auto& wide = summary.shapes.front().count.shape;
  CHECK(std::abs(wide.d_model - 30000) < 0.05 * 30000);
  CHECK(summary.shapes.front().relative_distance < 0.01);

  ShapeSearchOptions gpt3 = trillion;
  gpt3.params = 1.75e11;
  gpt3.depth_tolerance = 0.1;
  REQUIRE(SearchShapes(gpt3, &summary));
  for (const ShapeCandidate& c : summary.shapes) {
    CHECK(c.count.shape.layers < 96);
    CHECK(c.count.shape.d_model > 12288);
  }
}

TEST_CASE("A depth formula that gives no layer for any allowed width is no shape, naming the rule") {
  ShapeSearchOptions options;
  options.params = 1e6;
  options.max_d_model = 128;  // L*(128) = (ln 128 - 5.039) / 0.0555 < 0
  options.depth_rule = "levine2020";
  ShapeSearchSummary summary;
  CHECK_FALSE(SearchShapes(options, &summary));
  CHECK(summary.message.find("depth rule levine2020") != std::string::npos);
}

TEST_CASE("Levine et al.'s rule gives BloombergGPT's shape, the worked example of Wu et al. 2023") {
  // Wu et al. 2023 (arXiv:2303.17564), Section 3.2, Shape: D = exp(5.039) exp(0.0555 L); L = 70 gives D = 7510
  // for a 50B model, which they rounded to 40 heads of 192, D = 7680: 50.6B parameters (Table 4). BLOOM's
  // architecture (Section 3.1): GELU, LayerNorm, biases, ALiBi (no position table), tied embeddings, a
  // vocabulary of 131,072.
  CHECK(std::exp(5.039 + 0.0555 * 70) == Approx(7510).epsilon(1e-4));
  CHECK(std::lround(scalelaw::LevineOptimalLayers(7510)) == 70);
  CHECK(std::lround(scalelaw::LevineOptimalLayers(7680)) == 70);
  for (double tolerance : {0.0, 0.1}) {
    ShapeSearchOptions options;
    options.params = 50.6e9;
    options.head_dims = {192};
    options.ffn_kind = FfnKind::kGelu;
    options.norm = scalelaw::NormKind::kLayerNorm;
    options.biases = scalelaw::BiasKind::kAll;
    options.vocab = 131072;
    options.tied_embeddings = true;
    options.seq_len = 2048;
    options.depth_rule = "levine2020";
    options.depth_tolerance = tolerance;
    ShapeSearchSummary summary;
    REQUIRE(SearchShapes(options, &summary));
    const auto& best = summary.shapes.front();
    INFO("tolerance " << tolerance);
    CHECK(best.count.shape.layers == 70);
    CHECK(best.count.shape.d_model == 7680);
    CHECK(best.count.shape.heads == 40);
    // 50.6B as Table 4 rounds it (the count leaves out BLOOM's embedding LayerNorm, 2 x 7680 weights).
    CHECK(std::abs(best.value - 50.6e9) < 0.05e9);
  }
}
