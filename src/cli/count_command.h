// scalelaw count: the exact parameter counts of a transformer (from a Hugging Face config.json or its shape) and
// its training FLOPs per token under every convention of the registry (scalelaw/model/count.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "io/model_json.h"
#include "scalelaw/model/count.h"
#include "scalelaw/model/shape.h"

namespace scalelaw::cli {

// The architecture options that `count` and `shape` share (AddArchitectureOptions in cli/cli11_options.h
// registers them): the numbers land in a TransformerShape, the kinds here as names until ApplyTo parses them.
struct ArchitectureKinds {
  std::string ffn_kind = std::string(Name(TransformerShape{}.ffn_kind));
  std::string norm = std::string(Name(TransformerShape{}.norm));
  std::string biases = std::string(Name(TransformerShape{}.biases));
  std::string positions = std::string(Name(TransformerShape{}.positions));
  bool no_final_norm = false;
  // Sets shape's kinds and final_norm; InvalidArgument naming the option when a name is not a kind.
  void ApplyTo(TransformerShape* shape) const;
};

struct CountCommand {
  std::string config;      // a config.json; else the shape options
  TransformerShape shape;  // the shape options (their defaults TransformerShape's)
  ArchitectureKinds kinds;
  int seq_len = 0;           // with --config: the training context instead of max_position_embeddings
  bool conventions = false;  // list the registry of conventions instead
  bool json = false;
};


// 0 ok; 2 a shape that cannot be built or a config.json that cannot be read (thrown as scalelaw::Error, with the
// option or the file and field named).
int RunCount(const CountCommand& command);

}  // namespace scalelaw::cli
