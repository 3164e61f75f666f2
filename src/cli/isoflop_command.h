// scalelaw isoflop FILE: Chinchilla Approach 2 (IsoFLOP parabolas) on the runs of a CSV file.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "cli/commands.h"

namespace scalelaw::cli {

struct IsoflopCommand {
  std::string file;  // "-" reads standard input
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string flops_col;  // when set, C is read from it (and tokens only when tokens_given)
  bool tokens_given = false;  // --tokens-col was on the command line
  std::string budget_col;  // when set, runs are grouped by its nominal labels (and tokens read unless d_star flops)
  std::string loss_col = "loss";
  std::string vertex = "quadratic";  // IsoflopVertexFromName
  int window = 5;
  std::string d_star = "auto";  // IsoflopDStarFromName
  bool keep_outside = false;
  bool weighted = false;
  double budget_tolerance = 0.01;
  int min_sizes = 3;
  int bootstrap = 0;
  std::uint64_t seed = 42;
  int threads = 0;
  bool json = false;
  std::string plot;    // an SVG of the budgets' profiles and parabolas
  std::string output;  // the result as JSON, for --fit of allocate and plan
  double at_flops = std::numeric_limits<double>::quiet_NaN();  // also N_opt and D_opt at this budget
  TableOptions table;  // --where, --skip-missing
};

// 0 ok; 1 the result is not usable (fewer than 2 usable budgets); 2 usage or input error (thrown as scalelaw::Error).
int RunIsoflop(const IsoflopCommand& command);

}  // namespace scalelaw::cli
