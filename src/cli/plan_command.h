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
  bool law_given = false;          // --law was on the command line
  // Results of the user's own (fit, fit-hparams, isoflop, curve fit --output): the one that answers the
  // allocation sets N and D; a multi-power curve fit designs the schedule; the others answer what they answer (a
  // sweep's LR and batch) ahead of the published laws.
  std::vector<std::string> fits;
  std::string schedule_output;  // the designed schedule as step,lr CSV
  // The shape search of the trainable configuration (its constraints), the vocabulary rule and the schedule law;
  // the architecture options `shape` has.
  PlanOptions options;
  TransformerShape architecture = SearchArchitecture(PlanShapeOptions());
  ArchitectureKinds kinds = SearchKinds(PlanShapeOptions());
  bool json = false;
};
int RunPlan(const PlanCommand& command);

}  // namespace scalelaw::cli
