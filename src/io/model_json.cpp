#include "io/model_json.h"

#include "scalelaw/io/prediction_json.h"

namespace scalelaw {

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
                               {"seq_len", s.seq_len},
                               {"attention_window", s.attention_window},
                               {"windowed_layers", s.WindowedLayers()},
                               {"attention_context", s.AttentionContext()},
                               {"experts", s.experts},
                               {"experts_per_token", s.experts_per_token},
                               {"expert_ffn", count.expert_ffn_width}};
  const ParameterCounts& p = count.params;
  nlohmann::ordered_json params{{"total", p.total},
                                {"active", p.active},
                                {"routed_experts", p.routed_experts},
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

std::string ShapeCountToJson(const ShapeCount& count) { return ShapeCountJson(count).dump(); }

}  // namespace scalelaw
