// scalelaw isoflop FILE: Chinchilla Approach 2 (IsoFLOP parabolas) on the runs of a CSV file.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "cli/commands.h"
#include "scalelaw/analysis/isoflop.h"

namespace scalelaw::cli {

struct IsoflopCommand {
  std::string file;  // "-" reads standard input
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string flops_col;      // when set, C is read from it (and tokens only when tokens_given)
  bool tokens_given = false;  // --tokens-col was on the command line
  std::string budget_col;     // when set, runs are grouped by its nominal labels (and tokens read unless d_star flops)
  std::string loss_col = "loss";
  // The analysis's options, defaults from IsoflopOptions (names as in IsoflopVertexFromName, IsoflopDStarFromName).
  std::string vertex = std::string(IsoflopVertexName(IsoflopOptions{}.vertex));
  int window = IsoflopOptions{}.window;
  std::string d_star = std::string(IsoflopDStarName(IsoflopOptions{}.d_star));
  bool keep_outside = IsoflopOptions{}.keep_outside;
  bool weighted = IsoflopOptions{}.weighted;
  int weight_resamples = IsoflopOptions{}.weight_resamples;
  double disagreement = IsoflopOptions{}.disagreement;
  double budget_tolerance = IsoflopOptions{}.budget_tolerance;
  int min_sizes = IsoflopOptions{}.min_sizes;
  int bootstrap = IsoflopOptions{}.bootstrap;
  std::uint64_t seed = IsoflopOptions{}.seed;
  int threads = IsoflopOptions{}.num_threads;
  bool json = false;
  std::string plot;                                            // an SVG of the budgets' profiles and parabolas
  std::string report;                                          // an HTML page of the analysis and its chart
  std::string output;                                          // the result as JSON, for --fit of allocate and plan
  double at_flops = std::numeric_limits<double>::quiet_NaN();  // also N_opt and D_opt at this budget
  TableOptions table;                                          // --where, --skip-missing
};

// 0 ok; 1 the result is not usable (fewer than 2 usable budgets); 2 usage or input error (thrown as scalelaw::Error).
int RunIsoflop(const IsoflopCommand& command);

}  // namespace scalelaw::cli
