// scalelaw compare FILE: two recipes' runs fitted jointly, the compute multiplier of one over the other and the
// compute where they cross (scalelaw::CompareRecipes).
#pragma once

#include <cstdint>
#include <string>

#include "cli/commands.h"
#include "scalelaw/analysis/recipes.h"

namespace scalelaw::cli {

struct CompareCommand {
  std::string file;  // "-" reads standard input
  std::string recipe_col = "recipe";
  std::string baseline;  // the label of recipe A; empty: the first label in the file
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string flops_col;  // when set, C is read from it; otherwise C = 6ND
  std::string loss_col = "loss";
  bool own_offset = !RecipeComparisonOptions{}.share_offset;
  bool own_exponent = !RecipeComparisonOptions{}.share_exponent;
  double at_flops = 0;  // where a C-dependent multiplier is reported (0: the runs' geometric mean)
  int bootstrap = RecipeComparisonOptions{}.bootstrap_resamples;
  std::uint64_t seed = RecipeComparisonOptions{}.bootstrap_seed;
  int threads = 0;
  bool json = false;
  std::string plot;  // an SVG of both recipes' runs and fitted laws against compute
  TableOptions table;
};

// 0 ok; 1 the joint fit is not usable; 2 usage or input error (thrown as scalelaw::Error).
int RunCompare(const CompareCommand& command);

}  // namespace scalelaw::cli
