// scalelaw sweep: the runs of an isoFLOP or N x D grid as a table a trainer reads (scalelaw/analysis/sweep_plan.h):
// each a real shape with its tokens, steps, batch and peak learning rate, and an empty loss column that
// scalelaw fit and scalelaw isoflop read back once the runs are logged.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/shape_command.h"
#include "scalelaw/analysis/sweep_plan.h"

namespace scalelaw::cli {

struct SweepCommand {
  std::vector<double> budgets;
  std::vector<double> tokens;
  std::vector<double> sizes;
  std::string design;  // a `scalelaw design --json` result whose proposed run is the sweep
  double min_params = 0;
  double max_params = 0;
  int per_budget = SweepPlanOptions{}.per_budget;
  double spread = SweepPlanOptions{}.spread;
  LawChoice law;  // --law FAMILY or --fit FILE: centre the sizes on its N_opt(C)
  std::string convention = SweepPlanOptions{}.convention;
  std::string lr_law = SweepPlanOptions{}.lr_law;
  std::string batch_law = SweepPlanOptions{}.batch_law;
  double batch_tokens = 0;
  std::string schedule = SweepPlanOptions{}.schedule;
  std::string run_prefix = SweepPlanOptions{}.run_prefix;
  double max_distance = SweepPlanOptions{}.max_relative_distance;
  ShapeCommand shape;  // the shape constraints and --definition, as scalelaw shape takes them
  std::string output;  // the CSV (or .json) file; empty: print the table
  bool json = false;
};

// 0 planned; 1 the constraints admit no shape near a size (the reason printed); 2 bad options (thrown as
// scalelaw::InvalidArgument naming the option).
int RunSweep(const SweepCommand& command);

}  // namespace scalelaw::cli
