// scalelaw shape: the K transformer shapes nearest a target parameter count (of a stated definition) or a target
// FLOPs per token under a named convention, under the constraints of scalelaw/model/shape_search.h, each printed
// with its counts under every convention (as scalelaw count prints one shape).
#pragma once

#include <string>

#include "cli/commands.h"
#include "scalelaw/model/shape_search.h"

namespace scalelaw::cli {

struct ShapeCommand {
  ShapeSearchOptions options;  // the options' defaults are ShapeSearchOptions's
  std::string definition = std::string(Name(ShapeSearchOptions{}.definition));
  std::string ffn_kind = std::string(Name(ShapeSearchOptions{}.ffn_kind));
  std::string norm = std::string(Name(ShapeSearchOptions{}.norm));
  bool json = false;
};

// command.options with the kinds spelled in command's strings parsed (an InvalidArgument naming the option
// otherwise); not validated. scalelaw sweep reads its shape constraints through this too.
ShapeSearchOptions ResolvedShapeOptions(const ShapeCommand& command);
// A ShapeSearchOptions problem ("max_layers: ...") as the CLI words it ("--max-layers: ...").
std::string WithShapeOption(const std::string& problem);

// 0 shapes found; 1 no shape satisfies the constraints (the reason printed); 2 bad options (thrown as
// scalelaw::InvalidArgument naming the option).
int RunShape(const ShapeCommand& command);

}  // namespace scalelaw::cli
