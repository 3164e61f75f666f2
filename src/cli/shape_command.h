// scalelaw shape: the K transformer shapes nearest a target parameter count (of a stated definition) or a target
// FLOPs per token under a named convention, under the constraints of scalelaw/model/shape_search.h, each printed
// with its counts under every convention (as scalelaw count prints one shape).
#pragma once

#include <string>

#include "cli/commands.h"
#include "cli/count_command.h"
#include "scalelaw/model/shape_search.h"

namespace scalelaw::cli {

// The architecture options of `count` (AddArchitectureOptions) with ShapeSearchOptions's defaults.
TransformerShape SearchArchitecture(const ShapeSearchOptions& options);
ArchitectureKinds SearchKinds(const ShapeSearchOptions& options);

struct ShapeCommand {
  ShapeSearchOptions options;  // the options' defaults are ShapeSearchOptions's
  std::string definition = std::string(Name(ShapeSearchOptions{}.definition));
  // The architecture options, as `count` registers them; RunShape copies them into options.
  TransformerShape architecture = SearchArchitecture(ShapeSearchOptions{});
  ArchitectureKinds kinds = SearchKinds(ShapeSearchOptions{});
  bool depth_rules = false;  // list the registry of depth rules instead
  bool json = false;
};

// The architecture options (AddArchitectureOptions) into a search's options: `shape`, `plan` and `sweep` share
// them.
void ApplyArchitecture(TransformerShape architecture, const ArchitectureKinds& kinds, ShapeSearchOptions* options);
// command.options with its architecture options applied and the definition parsed (an InvalidArgument naming
// the option otherwise); not validated. scalelaw sweep reads its shape constraints through this too.
ShapeSearchOptions ResolvedShapeOptions(const ShapeCommand& command);
// A ShapeSearchOptions problem ("max_layers: ...") as the CLI words it ("--max-layers: ...").
std::string WithShapeOption(const std::string& problem);

// 0 shapes found (or --depth-rules listed); 1 no shape satisfies the constraints (the reason printed); 2 bad options
// (thrown as scalelaw::InvalidArgument naming the option).
int RunShape(const ShapeCommand& command);

}  // namespace scalelaw::cli
