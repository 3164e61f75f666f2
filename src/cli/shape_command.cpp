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

ShapeSearchOptions ResolvedShapeOptions(const ShapeCommand& command) {
  ShapeSearchOptions options = command.options;
  options.definition = ParseParamsDefinition(command.definition, "--definition");
  options.ffn_kind = ParseFfnKind(command.ffn_kind, "--ffn-kind");
  options.norm = ParseNormKind(command.norm, "--norm");
  return options;
}

int RunShape(const ShapeCommand& command) {
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
      row.update(ShapeCountJson(c.count));
      shapes.push_back(std::move(row));
    }
    nlohmann::ordered_json out{{"status", Name(summary.status)},
                               {"message", summary.message},
                               {"target_quantity", summary.target_quantity},
                               {"target", summary.target},
                               {"shapes_considered", summary.shapes_considered},
                               {"shapes", shapes}};
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("{}", summary.FullReport());
    if (summary.IsUsable()) {
      fmt::print("\nCitations\n  {:<16} {}\n", "aspect ratio",
                 "Kaplan et al. (2020), arXiv:2001.08361, Section 3.1 and Figure 5 (loss flat over a wide range "
                 "of d_model / n_layer)");
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
