// scalelaw isoflop FILE: Chinchilla Approach 2 (IsoFLOP parabolas) on the runs of a CSV file.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace scalelaw::cli {

struct IsoflopCommand {
  std::string file;  // "-" reads standard input
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string flops_col;  // when set, C is read from it (and tokens are not needed)
  std::string loss_col = "loss";
  double budget_tolerance = 0.01;
  int min_sizes = 3;
  int bootstrap = 0;
  std::uint64_t seed = 42;
  int threads = 0;
  bool json = false;
  std::string plot;    // an SVG of the budgets' profiles and parabolas
  std::string output;  // the result as JSON, for --fit of allocate and plan
  double at_flops = std::numeric_limits<double>::quiet_NaN();  // also N_opt and D_opt at this budget
};

// 0 ok; 1 the result is not usable (fewer than 2 usable budgets); 2 usage or input error (thrown as scalelaw::Error).
int RunIsoflop(const IsoflopCommand& command);

}  // namespace scalelaw::cli
