// scalelaw design: how well a proposed sweep would pin N_opt, D_opt and the loss at a target budget, by simulated
// refits (scalelaw::SimulateSweepDesign), and which candidate run would narrow that most per FLOP.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "scalelaw/analysis/sweep_design.h"

namespace scalelaw::cli {

struct DesignCommand {
  std::vector<double> sizes;    // N of the grid (with tokens) or of each isoFLOP curve (with budgets)
  std::vector<double> tokens;   // D of the grid
  std::vector<double> budgets;  // C of the isoFLOP curves, D = C / (6N)
  std::string runs;             // a CSV of the runs instead: its N and D columns
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string law = "epoch";  // a Chinchilla-form loss law of the registry as the truth, unless fit is given
  std::string fit;            // a `scalelaw fit --output` file of the Chinchilla form as the truth
  double noise = std::numeric_limits<double>::quiet_NaN();  // NaN: the fit's residual scale
  double target_flops = std::numeric_limits<double>::quiet_NaN();
  int simulations = SweepDesignOptions{}.simulations;
  std::vector<std::string> candidates;   // N:D items, or one CSV file with the N and D columns
  std::vector<double> candidate_sizes;   // a grid of candidates: these N ...
  std::vector<double> candidate_tokens;  // ... times these D
  int bootstrap = 0;                     // resamples of each bootstrapped simulated sweep (0: no bootstrap)
  int bootstrap_sweeps = SweepDesignOptions{}.bootstrap_simulations;
  std::string target = std::string(SweepTargetName(SweepDesignOptions{}.target));
  std::uint64_t seed = SweepDesignOptions{}.seed;
  int threads = 0;
  bool json = false;
  std::string report;  // an HTML page of the design
  std::string plot;    // an SVG of the refits at the target and of the design with its candidates
};

// 0 ok; 1 the design does not identify the law (or its refits do not converge); 2 usage or input error.
int RunDesign(const DesignCommand& command);

}  // namespace scalelaw::cli
