// scalelaw shape: the shapes nearest a target, each with its counts under every convention.
#include "cli/shape_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/count_command.h"
#include "cli/output.h"

namespace scalelaw::cli {
// The options' problems start with the ShapeSearchOptions field; the CLI option is its name with dashes.
std::string WithShapeOption(const std::string& problem) {
  std::string out = "--" + problem;
  for (char& c : out) {
    if (c == ':') break;
    if (c == '_') c = '-';
  }
  return out;
}

TransformerShape SearchArchitecture(const ShapeSearchOptions& options) {
  TransformerShape shape = ArchitectureOf(options);
  shape.seq_len = 0;  // the --seq-len option is the search's own
  return shape;
}

ArchitectureKinds SearchKinds(const ShapeSearchOptions& options) {
  ArchitectureKinds kinds;
  kinds.ffn_kind = Name(options.ffn_kind);
  kinds.norm = Name(options.norm);
  kinds.biases = Name(options.biases);
  kinds.positions = Name(options.positions);
  kinds.no_final_norm = !options.final_norm;
  return kinds;
}

void ApplyArchitecture(TransformerShape architecture, const ArchitectureKinds& kinds, ShapeSearchOptions* options) {
  kinds.ApplyTo(&architecture);
  SetArchitecture(architecture, options);
}

ShapeSearchOptions ResolvedShapeOptions(const ShapeCommand& command) {
  ShapeSearchOptions options = command.options;
  options.definition = ParseParamsDefinition(command.definition, "--definition");
  ApplyArchitecture(command.architecture, command.kinds, &options);
  return options;
}

int RunShape(const ShapeCommand& command) {
  if (command.depth_rules) {
    if (command.json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const DepthRule& rule : DepthRules()) {
        out.push_back({{"name", rule.name}, {"formula", rule.formula}, {"citation", rule.citation.ToString()}});
      }
      fmt::print("{}\n", out.dump());
    } else {
      for (const DepthRule& rule : DepthRules()) {
        fmt::print("{:<14} {}\n{:<14} {}\n\n", rule.name, rule.formula, "", rule.citation.ToString());
      }
    }
    return kExitOk;
  }
  const ShapeSearchOptions options = ResolvedShapeOptions(command);
  const std::string problem = options.Problem();
  if (!problem.empty()) throw InvalidArgument(WithShapeOption(problem));
  ShapeSearchSummary summary;
  SearchShapes(options, &summary);
  if (command.json) {
    nlohmann::ordered_json shapes = nlohmann::ordered_json::array();
    for (const ShapeCandidate& c : summary.shapes) {
      nlohmann::ordered_json row{
          {"value", c.value}, {"relative_distance", c.relative_distance}, {"aspect_ratio", c.aspect_ratio}};
      if (c.rule_layers > 0) row["rule_layers"] = c.rule_layers;
      row.update(ShapeCountJson(c.count));
      shapes.push_back(std::move(row));
    }
    nlohmann::ordered_json out{{"status", Name(summary.status)},
                               {"message", summary.message},
                               {"target_quantity", summary.target_quantity},
                               {"target", summary.target},
                               {"depth_rule", summary.depth_rule},
                               {"depth_rule_description", summary.depth_rule_description},
                               {"shapes_considered", summary.shapes_considered},
                               {"shapes", shapes}};
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("{}", summary.FullReport());
    if (summary.IsUsable()) {
      fmt::print("\nCitations\n  {:<16} {}\n", "depth rule", FindDepthRule(summary.depth_rule).citation.ToString());
      for (const FlopConvention& c : FlopConventions()) {
        fmt::print("  {:<16} {}\n", c.title, c.citation.ToString());
      }
    }
  }
  if (!summary.IsUsable()) {
    PrintError("the shape search is not usable: " + summary.message);
    return kExitUnusable;
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
