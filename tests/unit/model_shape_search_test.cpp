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
  CHECK(aspect >= options.min_aspect_ratio);
  CHECK(aspect <= options.max_aspect_ratio);
  CHECK(candidate.aspect_ratio == Approx(aspect));
  if (options.ffn_kind == FfnKind::kSwiGlu)
    CHECK(candidate.count.ffn_width == SwiGluWidth(s.d_model, options.ffn_multiple_of));
  CHECK(s.vocab == options.vocab);
  CHECK(s.tied_embeddings == options.tied_embeddings);
  CHECK(s.seq_len == options.seq_len);
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
