// Shape search: the transformer shapes nearest a target size, under the constraints a practitioner builds with.
// A plan says "N = 2.65e9" (of some definition) or "M = 4.2e10 FLOPs per token"; a trainer needs layers, d_model,
// heads and key-value heads. SearchShapes enumerates the constrained grid exhaustively (it is small: d_model a
// multiple of 64-256, layers bounded by the aspect-ratio range, a few head widths and group sizes), counts every
// shape with the counting functions of scalelaw/model/count.h (no second counting code), and returns the K
// nearest by relative distance to the target, each with its counts under every convention of FlopConventions().
//
// The depth-to-width rule. Kaplan et al. 2020 (arXiv:2001.08361, Section 3.1, Figure 5): at fixed non-embedding
// N, the loss depends only mildly on the shape; it varies by a few percent over a wide range of aspect ratios
// d_model / n_layer (the figure's x axis), and the aspect ratio "can vary by a factor of 40 while only slightly
// impacting performance". The default range 20..200 lies within that flat region; inside it no shape is
// preferred by the loss, so the distance to the target ranks, and only ties (shapes with the same count, which
// a fine grid produces) are broken by closeness, in log space, to a preferred aspect ratio of 128: the value of
// GPT-3 175B (Brown et al. 2020, arXiv:2005.14165, Table 2.1: 96 layers, d_model 12288) and Llama-2-7B (Touvron
// et al. 2023, arXiv:2307.09288: 32 layers, d_model 4096), both trained inside Kaplan's flat region.
//
// A named recipe's depth formula replaces the range (ShapeSearchOptions::depth_rule, DepthRules()): the formula
// gives each d_model its depth L*(d_model), and the layers searched for that width are the integers within
// depth_tolerance x L* of it (at least the nearest integer); ties are broken by closeness to L* in log space.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/model/count.h"
#include "scalelaw/model/params_definition.h"
#include "scalelaw/model/shape.h"

namespace scalelaw {

// The count of that definition.
std::int64_t ParamsOf(const ParameterCounts& counts, ParamsDefinition definition);

// A depth-to-width rule: the registry row that the CLI's --depth-rule choices, Python's depth_rules() and the
// docs read. "aspect-range" (the default) bounds d_model / layers by the options' aspect-ratio range; every other
// row is a published formula for the depth of a width.
struct DepthRule {
  std::string name;     // the key: "aspect-range", "levine2020"
  std::string formula;  // as a person reads it
  Citation citation;
  // The formula's depth for a width, L*(d_model), a real number; nullptr for the aspect-ratio range.
  double (*layers_for_width)(double d_model) = nullptr;
};

// The aspect-ratio range first (the default), then the formulas.
const std::vector<DepthRule>& DepthRules();
std::vector<std::string> DepthRuleNames();
// InvalidArgument naming the rules when there is no such name.
const DepthRule& FindDepthRule(std::string_view name);

// Levine et al. 2020 (arXiv:2006.12467): the optimal width of a self-attention network of L layers grows
// exponentially with L, D = exp(5.039) exp(0.0555 L), as Wu et al. 2023 quote and apply it to size BloombergGPT
// (arXiv:2303.17564, Section 3.2, "Shape": L = 70 gives D = 7510 for their 50B target; they settled on 40 heads of
// 192, D = 7680, Table 4). Its inverse, the depth for a width: L*(d) = (ln d - 5.039) / 0.0555 (d_model 4096:
// 59.1 layers; 7680: 70.4; 12288: 78.9).
double LevineOptimalLayers(double d_model);
inline constexpr double kLevineLogWidthIntercept = 5.039;
inline constexpr double kLevineLogWidthSlope = 5.55e-2;

struct ShapeSearchOptions {
  // The target: a parameter count of `definition` (params > 0), or training FLOPs per token under the
  // convention named `convention` of FlopConventions() (flops_per_token > 0); exactly one of the two.
  double params = 0;
  ParamsDefinition definition = ParamsDefinition::kTotal;
  double flops_per_token = 0;
  std::string convention = "6n";

  // Constraints. A shape has heads = d_model / head_dim query heads (so the heads divide d_model) for each
  // head_dim that divides d_model, and heads / group kv heads for each group size (query heads per key-value
  // head) that divides the heads: group 1 is multi-head attention, heads is multi-query.
  std::vector<int> head_dims = {64, 128};
  std::vector<int> group_sizes = {1};
  FfnKind ffn_kind = FfnKind::kSwiGlu;
  int ffn_multiple_of = 256;    // the derived SwiGLU width, Llama's rule (LlamaFfnWidth)
  double ffn_multiplier = 1.0;  // Llama's ffn_dim_multiplier
  int d_model_multiple_of = 128;
  int max_d_model = 32768;
  int min_layers = 1;
  int max_layers = 256;
  // d_model / n_layer, inclusive; Kaplan et al. 2020, Figure 5 (see above).
  double min_aspect_ratio = 20;
  double max_aspect_ratio = 200;
  double preferred_aspect_ratio = 128;  // breaks ties only
  // The depth-to-width rule, a name of DepthRules(): "aspect-range" uses the three options above; a formula
  // admits, for each d_model, the layers L with |L - L*(d_model)| <= max(0.5, depth_tolerance x L*) (min_layers
  // and max_layers still bound them; the aspect-ratio options are not used). The default 0.1: at a fixed
  // width, +-10% in depth is +-10% in aspect ratio, and Kaplan et al.'s Figure 5 shows the loss moving by a few
  // percent at most over a factor of 40 in aspect ratio, so the band costs nothing measurable while giving
  // each width several depths to meet the target with; 0 keeps only the nearest integer.
  std::string depth_rule = "aspect-range";
  double depth_tolerance = 0.1;

  // The rest of the shape, as TransformerShape has it.
  std::int64_t vocab = 32000;
  bool tied_embeddings = false;
  NormKind norm = NormKind::kRmsNorm;
  int norms_per_layer = 2;
  bool final_norm = true;
  BiasKind biases = BiasKind::kNone;
  PositionKind positions = PositionKind::kNone;
  int max_positions = 0;  // rows of a learned position table; 0: seq_len
  int seq_len = 4096;

  int top = 5;  // K: the shapes returned

  // Empty when the options can be searched; else the first problem, one line starting with the option's name
  // (the field name, as the CLI's option and Python's keyword spell it).
  std::string Problem() const;
  bool IsValid() const { return Problem().empty(); }
};

// One shape found: its counts under every convention, the quantity the target is in, and how far it is.
struct ShapeCandidate {
  ShapeCount count;
  double value = 0;              // the shape's params of the definition, or its FLOPs per token under the convention
  double relative_distance = 0;  // |value - target| / target
  double aspect_ratio = 0;       // d_model / layers
  double rule_layers = 0;        // under a depth formula, its L*(d_model); 0 under the aspect-ratio range
};

enum class ShapeSearchStatus {
  kUsable,   // at least one shape satisfies the constraints
  kNoShape,  // none does; message says which constraint emptied the grid
};
std::string_view Name(ShapeSearchStatus status);  // "usable", "no shape"

struct ShapeSearchSummary {
  ShapeSearchStatus status = ShapeSearchStatus::kNoShape;
  std::string message;
  std::string target_quantity;         // "total parameters", "FLOPs per token (deepseek)"
  std::string depth_rule;              // the options' depth_rule
  std::string depth_rule_description;  // the rule as applied: the range, or the formula with its tolerance
  double target = 0;
  std::int64_t shapes_considered = 0;  // shapes in the constrained grid
  std::vector<ShapeCandidate> shapes;  // the K nearest, nearest first

  bool IsUsable() const { return status == ShapeSearchStatus::kUsable; }
  std::string BriefReport() const;
  // The target and the constraints' outcome, then every shape with its parameter counts and its FLOPs per token
  // under every convention (ShapeCount::FullReport).
  std::string FullReport() const;
};

// The shape every candidate of a search shares (options' architecture: FFN kind and rounding, vocabulary, tied
// embeddings, norms, biases, positions, context), its size fields unset; and the other way, a shape's
// architecture into options (its size fields and seq_len ignored; a mixture of experts is a ShapeError naming
// "experts": the search is of dense shapes, the laws' targets are dense N; a sliding window one naming
// "attention_window": it is of full-attention shapes).
TransformerShape ArchitectureOf(const ShapeSearchOptions& options);
void SetArchitecture(const TransformerShape& architecture, ShapeSearchOptions* options);

// Throws InvalidArgument naming the option when the options are not valid; else fills the summary (status
// kNoShape when the grid is empty) and returns IsUsable(). Ranking: relative distance to the target, then
// |log(aspect ratio / preferred)| (under a depth formula |log(layers / L*)|), then fewer layers, larger head_dim,
// smaller group (the order is total, so the result does not depend on the enumeration).
bool SearchShapes(const ShapeSearchOptions& options, ShapeSearchSummary* summary);

}  // namespace scalelaw
