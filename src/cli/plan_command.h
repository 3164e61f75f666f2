// scalelaw plan: one training recipe for a budget, ending in a configuration a trainer launches.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/count_command.h"
#include "cli/shape_command.h"
#include "scalelaw/plan.h"

namespace scalelaw::cli {

struct PlanCommand {
  InputValues inputs;
  LawChoice law{"epoch", "", {}};  // the published law that sets N and D (with --constant)
  // Results of the user's own (fit, fit-hparams, isoflop --output): the one that answers the allocation sets N
  // and D; the others answer what they answer (a sweep's LR and batch) ahead of the published laws.
  std::vector<std::string> fits;
  // The shape search of the trainable configuration: its constraints, and the architecture options `shape` has.
  ShapeSearchOptions shape = PlanShapeOptions();
  TransformerShape architecture = SearchArchitecture(PlanShapeOptions());
  ArchitectureKinds kinds = SearchKinds(PlanShapeOptions());
  bool json = false;
};
int RunPlan(const PlanCommand& command);

}  // namespace scalelaw::cli
