// scalelaw count: parameters and FLOPs per token of one transformer, every convention side by side.
#include "cli/count_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/output.h"
#include "scalelaw/model/count.h"
#include "scalelaw/model/hf_config.h"

namespace scalelaw::cli {
namespace {

// The option that sets a TransformerShape field: d_model -> --d-model.
std::string OptionOf(std::string field) {
  for (char& c : field) {
    if (c == '_') c = '-';
  }
  return "--" + field;
}

TransformerShape ShapeOf(const CountCommand& command) {
  if (!command.config.empty()) {
    TransformerShape shape = ShapeFromHuggingFaceConfig(command.config);
    if (command.seq_len > 0) shape.seq_len = command.seq_len;
    return shape;
  }
  TransformerShape shape = command.shape;
  shape.seq_len = command.seq_len;
  command.kinds.ApplyTo(&shape);
  try {
    shape.Validate();
  } catch (const ShapeError& error) {
    throw InvalidArgument(OptionOf(error.field()) + ": " + error.problem());
  }
  return shape;
}

}  // namespace

void ArchitectureKinds::ApplyTo(TransformerShape* shape) const {
  shape->ffn_kind = ParseFfnKind(ffn_kind, "--ffn-kind");
  shape->norm = ParseNormKind(norm, "--norm");
  shape->biases = ParseBiasKind(biases, "--biases");
  shape->positions = ParsePositionKind(positions, "--positions");
  shape->final_norm = !no_final_norm;
}

namespace {

int RunConventions(bool json) {
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const FlopConvention& c : FlopConventions()) {
      out.push_back({{"name", c.name},
                     {"title", c.title},
                     {"formula", c.formula},
                     {"citation", c.citation.ToString()},
                     {"counts", c.counts}});
    }
    fmt::print("{}\n", out.dump());
    return kExitOk;
  }
  for (const FlopConvention& c : FlopConventions()) {
    fmt::print("{:<18} {}\n{:<18} {}\n{:<18} {}\n\n", c.name, c.formula, "", c.counts, "", c.citation.ToString());
  }
  return kExitOk;
}

}  // namespace

int RunCount(const CountCommand& command) {
  if (command.conventions) return RunConventions(command.json);
  ShapeCount count = Count(ShapeOf(command));
  count.source = command.config;
  if (command.json) {
    fmt::print("{}\n", ShapeCountJson(count).dump());
  } else {
    fmt::print("{}", count.FullReport());
    fmt::print("\nCitations\n");
    for (const ConventionCount& c : count.flops) {
      fmt::print("  {:<16} {}\n", c.convention->title, c.convention->citation.ToString());
    }
  }
  return kExitOk;
}

}  // namespace scalelaw::cli
