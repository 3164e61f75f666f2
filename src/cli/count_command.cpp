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

nlohmann::ordered_json ShapeCountJson(const ShapeCount& count) {
  const TransformerShape& s = count.shape;
  nlohmann::ordered_json shape{{"layers", s.layers},
                               {"d_model", s.d_model},
                               {"heads", s.heads},
                               {"kv_heads", s.KvHeads()},
                               {"head_dim", s.HeadDim()},
                               {"ffn", count.ffn_width},
                               {"ffn_kind", Name(s.ffn_kind)},
                               {"vocab", s.vocab},
                               {"tied_embeddings", s.tied_embeddings},
                               {"norm", Name(s.norm)},
                               {"norms_per_layer", s.norms_per_layer},
                               {"final_norm", s.final_norm},
                               {"biases", Name(s.biases)},
                               {"positions", Name(s.positions)},
                               {"max_positions", s.PositionRows()},
                               {"seq_len", s.seq_len}};
  const ParameterCounts& p = count.params;
  nlohmann::ordered_json params{{"total", p.total},
                                {"non_embedding", p.non_embedding},
                                {"non_vocabulary", p.non_vocabulary},
                                {"embedding", p.embedding},
                                {"vocabulary", p.vocabulary},
                                {"token_embedding", p.token_embedding},
                                {"position_embedding", p.position_embedding},
                                {"output_head", p.output_head},
                                {"blocks", p.blocks},
                                {"final_norm", p.final_norm},
                                {"kaplan_non_embedding", count.kaplan_non_embedding}};
  nlohmann::ordered_json flops = nlohmann::ordered_json::array();
  for (const ConventionCount& c : count.flops) {
    flops.push_back({{"name", c.convention->name},
                     {"title", c.convention->title},
                     {"formula", c.convention->formula},
                     {"citation", c.convention->citation.ToString()},
                     {"flops_per_token", c.flops_per_token},
                     {"ratio_to_6n", c.ratio_to_6n}});
  }
  nlohmann::ordered_json out;
  if (!count.source.empty()) out["source"] = count.source;
  out["shape"] = shape;
  out["params"] = params;
  out["flops_per_token"] = flops;
  return out;
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
