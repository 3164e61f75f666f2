// scalelaw ladder: a ladder of small runs' checkpoints to a target model's benchmark accuracy, in two chained
// steps (task loss from N and D, accuracy from task loss; Bhagia et al. 2024, arXiv:2412.04403).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "scalelaw/analysis/ladder.h"

namespace scalelaw::cli {

struct LadderCommand {
  // The OLMo ladder's layout: final.json (entries with mode "train"/"eval", n and paths), the W&B history CSVs
  // found beside it, in its ladder-runs/ folder or at its relative paths.
  std::string config;
  std::vector<std::string> runs;  // FILE=N: a ladder run's history CSV and its N (instead of or beside --config)
  std::string target;             // FILE=N: the target's history CSV (the actual accuracy) and its N
  double target_params = 0;       // or the target's N and D alone (no actual)
  double target_tokens = 0;
  std::vector<std::string> tasks;  // the OLMo task names to predict; empty: all 8
  int bootstrap = LadderOptions{}.bootstrap_resamples;
  std::uint64_t seed = LadderOptions{}.bootstrap_seed;
  int threads = LadderOptions{}.num_threads;
  bool multistart = false;
  double max_extrapolation = LadderOptions{}.max_compute_extrapolation;
  // Published downstream laws evaluated at the target beside the chain (--published performance-law), with the
  // inputs they read beyond the target's N and D (--layers, --d-model, --ffn-width: the target's shape).
  std::vector<std::string> published;
  InputValues target_inputs;
  bool json = false;
  std::string report;  // an HTML page of the tasks' predictions and laws
  std::string plot;    // an SVG of each usable task's two steps (a row per task)
};

// 0 ok; 1 a task's prediction is not usable (the reason on stderr); 2 usage or input error.
int RunLadder(const LadderCommand& command);

}  // namespace scalelaw::cli
