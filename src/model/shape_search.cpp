#include "scalelaw/model/shape_search.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <queue>
#include <tuple>
#include <utility>

#include "scalelaw/error.h"
#include "scalelaw/model/model_inputs.h"
#include "util/short_number.h"

namespace scalelaw {
namespace {

// A shape of the grid, as little as ranks it; the full shape is rebuilt for the K kept.
struct GridPoint {
  double distance;
  double rule_gap;  // |log(aspect ratio / preferred)|, or under a depth formula |log(layers / L*)|
  int layers;
  int d_model;
  int head_dim;
  int group;
  double value;

  // The ranking of SearchShapes: a total order, so the K kept do not depend on the enumeration.
  bool operator<(const GridPoint& other) const {
    return std::make_tuple(distance, rule_gap, layers, -head_dim, group, d_model) <
           std::make_tuple(other.distance, other.rule_gap, other.layers, -other.head_dim, other.group, other.d_model);
  }
};

TransformerShape ShapeOf(const ShapeSearchOptions& options, int layers, int d_model, int head_dim, int group) {
  TransformerShape shape = ArchitectureOf(options);
  shape.layers = layers;
  shape.d_model = d_model;
  shape.heads = d_model / head_dim;
  shape.kv_heads = shape.heads / group;
  shape.head_dim = head_dim;
  return shape;
}

std::string JoinInts(const std::vector<int>& values) { return fmt::format("{}", fmt::join(values, ", ")); }

// The layers a depth formula admits for a width: |L - L*| <= max(0.5, tolerance x L*), so the band holds at least
// the integer nearest L* (both, at a half). Empty (lowest > highest) when L* is below a half layer.
std::pair<int, int> FormulaLayers(double rule_layers, double tolerance) {
  if (!(rule_layers >= 0.5)) return {1, 0};
  const double half_width = std::max(0.5, tolerance * rule_layers);
  const double lowest = std::ceil(rule_layers - half_width - 1e-9),
               highest = std::floor(rule_layers + half_width + 1e-9);
  if (highest > 1e6) return {1, 0};
  return {static_cast<int>(std::max(1.0, lowest)), static_cast<int>(highest)};
}

}  // namespace

double LevineOptimalLayers(double d_model) {
  return (std::log(d_model) - kLevineLogWidthIntercept) / kLevineLogWidthSlope;
}

const std::vector<DepthRule>& DepthRules() {
  static const std::vector<DepthRule> rules = {
      {"aspect-range",
       "min_aspect_ratio <= d_model / layers <= max_aspect_ratio, ties to preferred_aspect_ratio",
       {"Kaplan et al.", 2020, "Scaling Laws for Neural Language Models", "2001.08361",
        "Section 3.1 and Figure 5 (loss flat over a wide range of d_model / n_layer)"},
       nullptr},
      {"levine2020",
       "layers = (ln d_model - 5.039) / 0.0555, the inverse of the optimal width D = exp(5.039 + 0.0555 L)",
       {"Levine et al.", 2020, "The Depth-to-Width Interplay in Self-Attention", "2006.12467",
        "the optimal width per depth, as quoted and applied by Wu et al. 2023 (BloombergGPT, arXiv:2303.17564, "
        "Section 3.2, Shape: L = 70, D = 7510)"},
       &LevineOptimalLayers},
  };
  return rules;
}

std::vector<std::string> DepthRuleNames() {
  std::vector<std::string> names;
  for (const DepthRule& rule : DepthRules()) names.push_back(rule.name);
  return names;
}

const DepthRule& FindDepthRule(std::string_view name) {
  for (const DepthRule& rule : DepthRules()) {
    if (rule.name == name) return rule;
  }
  throw InvalidArgument(fmt::format("'{}' is not a depth rule (choices: {})", name, fmt::join(DepthRuleNames(), ", ")));
}

TransformerShape ArchitectureOf(const ShapeSearchOptions& options) {
  TransformerShape shape;
  shape.ffn_kind = options.ffn_kind;
  shape.ffn_multiple_of = options.ffn_multiple_of;
  shape.ffn_multiplier = options.ffn_multiplier;
  shape.vocab = options.vocab;
  shape.tied_embeddings = options.tied_embeddings;
  shape.norm = options.norm;
  shape.norms_per_layer = options.norms_per_layer;
  shape.final_norm = options.final_norm;
  shape.biases = options.biases;
  shape.positions = options.positions;
  shape.max_positions = options.max_positions;
  shape.seq_len = options.seq_len;
  return shape;
}

void SetArchitecture(const TransformerShape& architecture, ShapeSearchOptions* options) {
  // The search enumerates dense shapes for a target of the laws' N; an expert count would be silently dropped.
  if (architecture.IsMixtureOfExperts()) throw ShapeError("experts", kMixtureOfExpertsHasNoN);
  // Likewise it enumerates full-attention shapes: a sliding window would be dropped from every one found.
  if (architecture.WindowedLayers() > 0) {
    throw ShapeError("attention_window", "the shape search is of full-attention shapes (count a windowed one)");
  }
  options->ffn_kind = architecture.ffn_kind;
  options->ffn_multiple_of = architecture.ffn_multiple_of;
  options->ffn_multiplier = architecture.ffn_multiplier;
  options->vocab = architecture.vocab;
  options->tied_embeddings = architecture.tied_embeddings;
  options->norm = architecture.norm;
  options->norms_per_layer = architecture.norms_per_layer;
  options->final_norm = architecture.final_norm;
  options->biases = architecture.biases;
  options->positions = architecture.positions;
  options->max_positions = architecture.max_positions;
}

std::int64_t ParamsOf(const ParameterCounts& counts, ParamsDefinition definition) {
  switch (definition) {
    case ParamsDefinition::kTotal:
      return counts.total;
    case ParamsDefinition::kNonEmbedding:
      return counts.non_embedding;
    case ParamsDefinition::kNonVocabulary:
      return counts.non_vocabulary;
  }
  return counts.total;
}

std::string_view Name(ShapeSearchStatus status) { return status == ShapeSearchStatus::kUsable ? "usable" : "no shape"; }

std::string ShapeSearchOptions::Problem() const {
  const bool by_params = params > 0, by_flops = flops_per_token > 0;
  if (!std::isfinite(params) || params < 0) return "params: must be a positive finite number";
  if (!std::isfinite(flops_per_token) || flops_per_token < 0) {
    return "flops_per_token: must be a positive finite number";
  }
  if (by_params == by_flops) return "params: give a parameter target or a flops_per_token target (exactly one)";
  if (by_flops) {
    try {
      FindFlopConvention(convention);
    } catch (const InvalidArgument& error) {
      return std::string("convention: ") + error.what();
    }
  }
  if (head_dims.empty()) return "head_dims: give at least one head width";
  for (int value : head_dims) {
    if (value < 1) return fmt::format("head_dims: {} is not a positive width", value);
  }
  if (group_sizes.empty()) return "group_sizes: give at least one group size (1: multi-head attention)";
  for (int value : group_sizes) {
    if (value < 1) return fmt::format("group_sizes: {} is not a positive number of query heads per kv head", value);
  }
  if (ffn_multiple_of < 1) return "ffn_multiple_of: must be at least 1";
  if (!(ffn_multiplier > 0) || !std::isfinite(ffn_multiplier)) return "ffn_multiplier: must be positive";
  if (d_model_multiple_of < 1) return "d_model_multiple_of: must be at least 1";
  if (max_d_model < d_model_multiple_of) {
    return fmt::format("max_d_model: {} is below d_model_multiple_of {}", max_d_model, d_model_multiple_of);
  }
  if (max_d_model > (1 << 20)) return "max_d_model: at most 1048576";
  if (min_layers < 1) return "min_layers: must be at least 1";
  if (max_layers < min_layers) return fmt::format("max_layers: {} is below min_layers {}", max_layers, min_layers);
  if (max_layers > 4096) return "max_layers: at most 4096";
  if (!(min_aspect_ratio > 0) || !std::isfinite(min_aspect_ratio)) return "min_aspect_ratio: must be positive";
  if (!(max_aspect_ratio >= min_aspect_ratio) || !std::isfinite(max_aspect_ratio)) {
    return "max_aspect_ratio: must be finite and at least min_aspect_ratio";
  }
  if (!(preferred_aspect_ratio > 0) || !std::isfinite(preferred_aspect_ratio)) {
    return "preferred_aspect_ratio: must be positive";
  }
  try {
    FindDepthRule(depth_rule);
  } catch (const InvalidArgument& error) {
    return std::string("depth_rule: ") + error.what();
  }
  if (!(depth_tolerance >= 0 && depth_tolerance <= 1)) return "depth_tolerance: must be from 0 to 1";
  if (vocab < 1) return "vocab: must be at least 1";
  if (seq_len < 1) return "seq_len: must be at least 1";
  if (norms_per_layer < 0 || norms_per_layer > 16) return "norms_per_layer: must be a whole number from 0 to 16";
  if (max_positions < 0) return "max_positions: must be a positive whole number (or 0 for seq_len)";
  if (positions == PositionKind::kLearned && max_positions > 0 && seq_len > max_positions) {
    return fmt::format("max_positions: the {} rows of the learned position table are fewer than seq_len {}",
                       max_positions, seq_len);
  }
  if (top < 1) return "top: must be at least 1";
  return "";
}

bool SearchShapes(const ShapeSearchOptions& options, ShapeSearchSummary* summary) {
  if (summary == nullptr) throw InvalidArgument("SearchShapes: summary is null");
  const std::string problem = options.Problem();
  if (!problem.empty()) throw InvalidArgument(problem);
  *summary = ShapeSearchSummary{};
  const bool by_params = options.params > 0;
  const FlopConvention* convention = by_params ? nullptr : &FindFlopConvention(options.convention);
  summary->target = by_params ? options.params : options.flops_per_token;
  summary->target_quantity = by_params ? fmt::format("{} parameters", Name(options.definition))
                                       : fmt::format("FLOPs per token ({})", convention->name);
  const DepthRule& rule = FindDepthRule(options.depth_rule);
  const bool by_formula = rule.layers_for_width != nullptr;
  summary->depth_rule = rule.name;
  summary->depth_rule_description = by_formula ? fmt::format("{}: {}, within max(0.5, {:g} x that) layers", rule.name,
                                                             rule.formula, options.depth_tolerance)
                                               : fmt::format("{}: {:g} <= d_model / layers <= {:g}", rule.name,
                                                             options.min_aspect_ratio, options.max_aspect_ratio);

  // The grid: d_model over its multiples, layers inside the aspect-ratio range, heads = d_model / head_dim for
  // each head width dividing d_model, kv heads = heads / group for each group size dividing the heads. The
  // counters say which constraint emptied it.
  std::int64_t depth_widths = 0, with_heads = 0;
  // The K nearest so far, the farthest of them on top: memory stays K points however large the grid.
  std::priority_queue<GridPoint> nearest;
  std::int64_t considered = 0;
  const std::size_t keep = static_cast<std::size_t>(options.top);
  const double log_preferred = std::log(options.preferred_aspect_ratio);
  for (int d_model = options.d_model_multiple_of; d_model <= options.max_d_model;
       d_model += options.d_model_multiple_of) {
    int lowest = 0, highest = 0;
    double rule_layers = 0;
    if (by_formula) {
      rule_layers = rule.layers_for_width(d_model);
      std::tie(lowest, highest) = FormulaLayers(rule_layers, options.depth_tolerance);
      lowest = std::max(lowest, options.min_layers);
      highest = std::min(highest, options.max_layers);
    } else {
      lowest = std::max(options.min_layers, static_cast<int>(std::ceil(d_model / options.max_aspect_ratio)));
      highest = std::min(options.max_layers, static_cast<int>(std::floor(d_model / options.min_aspect_ratio)));
    }
    for (int layers = lowest; layers <= highest; ++layers) {
      const double aspect_ratio = static_cast<double>(d_model) / layers;
      // The floor and ceiling above can admit a ratio a rounding outside the range; the range is inclusive.
      if (!by_formula && (aspect_ratio < options.min_aspect_ratio || aspect_ratio > options.max_aspect_ratio)) {
        continue;
      }
      const double rule_gap =
          by_formula ? std::abs(std::log(layers / rule_layers)) : std::abs(std::log(aspect_ratio) - log_preferred);
      ++depth_widths;
      for (int head_dim : options.head_dims) {
        if (d_model % head_dim != 0) continue;
        ++with_heads;
        const int heads = d_model / head_dim;
        for (int group : options.group_sizes) {
          if (heads % group != 0) continue;
          const TransformerShape shape = ShapeOf(options, layers, d_model, head_dim, group);
          const double value = by_params ? static_cast<double>(ParamsOf(CountParameters(shape), options.definition))
                                         : convention->flops_per_token(shape);
          const double distance = std::abs(value - summary->target) / summary->target;
          ++considered;
          nearest.push({distance, rule_gap, layers, d_model, head_dim, group, value});
          if (nearest.size() > keep) nearest.pop();
        }
      }
    }
  }
  summary->shapes_considered = considered;
  if (considered == 0) {
    if (depth_widths == 0 && by_formula) {
      summary->message = fmt::format(
          "no (layers, d_model) with d_model a multiple of {} up to {}, layers {}..{} and layers within the depth "
          "rule {}",
          options.d_model_multiple_of, options.max_d_model, options.min_layers, options.max_layers,
          summary->depth_rule_description);
    } else if (depth_widths == 0) {
      summary->message = fmt::format(
          "no (layers, d_model) with d_model a multiple of {} up to {}, layers {}..{} and aspect ratio d_model / "
          "layers in [{}, {}]",
          options.d_model_multiple_of, options.max_d_model, options.min_layers, options.max_layers,
          options.min_aspect_ratio, options.max_aspect_ratio);
    } else if (with_heads == 0) {
      summary->message = fmt::format("no head width ({}) divides any allowed d_model (multiples of {})",
                                     JoinInts(options.head_dims), options.d_model_multiple_of);
    } else {
      summary->message = fmt::format("no group size ({}) divides the number of heads of any allowed shape",
                                     JoinInts(options.group_sizes));
    }
    summary->status = ShapeSearchStatus::kNoShape;
    return false;
  }
  std::vector<GridPoint> kept;
  while (!nearest.empty()) {
    kept.push_back(nearest.top());
    nearest.pop();
  }
  std::reverse(kept.begin(), kept.end());
  for (const GridPoint& point : kept) {
    ShapeCandidate candidate;
    candidate.count = Count(ShapeOf(options, point.layers, point.d_model, point.head_dim, point.group));
    candidate.value = point.value;
    candidate.relative_distance = point.distance;
    candidate.aspect_ratio = static_cast<double>(point.d_model) / point.layers;
    if (by_formula) candidate.rule_layers = rule.layers_for_width(point.d_model);
    summary->shapes.push_back(std::move(candidate));
  }
  summary->status = ShapeSearchStatus::kUsable;
  summary->message = fmt::format("{} shapes in the constrained grid; the {} nearest to {} {}", considered, kept.size(),
                                 detail::ShortNumber(summary->target), summary->target_quantity);
  return true;
}

std::string ShapeSearchSummary::BriefReport() const {
  if (!IsUsable()) return fmt::format("Shape search: no shape ({})", message);
  const ShapeCandidate& best = shapes.front();
  const TransformerShape& s = best.count.shape;
  return fmt::format("Shape search: {}; nearest {} layers x d_model {} ({} heads, {} kv) at {} ({:+.3g}%)", message,
                     s.layers, s.d_model, s.heads, s.KvHeads(), detail::ShortNumber(best.value),
                     100.0 * (best.value - target) / target);
}

std::string ShapeSearchSummary::FullReport() const {
  std::string out = fmt::format("Target: {} {}\nDepth rule: {}\nStatus: {}\n{}\n", detail::ShortNumber(target),
                                target_quantity, depth_rule_description, Name(status), message);
  if (!IsUsable()) return out;
  // Under a depth formula, a column with the formula's depth for the row's width.
  const bool by_formula = !depth_rule.empty() && FindDepthRule(depth_rule).layers_for_width != nullptr;
  out += fmt::format("\n  {:>4} {:>7} {:>7} {:>6} {:>3} {:>4} {:>7} {:>6}{} {:>12} {:>10}\n", "rank", "layers",
                     "d_model", "heads", "kv", "hdim", "ffn", "aspect",
                     by_formula ? fmt::format(" {:>6}", "rule L") : "", "value", "vs target");
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const ShapeCandidate& c = shapes[i];
    const TransformerShape& s = c.count.shape;
    out += fmt::format("  {:>4} {:>7} {:>7} {:>6} {:>3} {:>4} {:>7} {:>6.1f}{} {:>12} {:>9.3g}%\n", i + 1, s.layers,
                       s.d_model, s.heads, s.KvHeads(), s.HeadDim(), c.count.ffn_width, c.aspect_ratio,
                       by_formula ? fmt::format(" {:>6.1f}", c.rule_layers) : "", detail::ShortNumber(c.value),
                       100.0 * (c.value - target) / target);
  }
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    out += fmt::format("\n#{}\n{}", i + 1, shapes[i].count.FullReport());
  }
  return out;
}

}  // namespace scalelaw
