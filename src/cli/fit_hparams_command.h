// scalelaw fit-hparams FILE: learning-rate and batch-size laws from a grid sweep (the Step Law procedure).
#pragma once

#include <cstdint>
#include <string>

#include "cli/commands.h"

namespace scalelaw::cli {

struct FitHparamsCommand {
  std::string file;  // "-" reads standard input
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string lr_col = "lr";
  std::string batch_col = "batch";
  std::string loss_col = "loss";
  std::string group_col;  // cells keyed by (this column's label, N, D): e.g. an MoE expert configuration
  double seq_len = 1;  // batch tokens = batch column · seq_len (1: the column is already in tokens)
  double tolerance = 0.0025;
  int bootstrap = 0;
  std::uint64_t seed = 42;
  std::string resample = "runs";  // or "cells"
  int threads = 0;
  bool json = false;
  std::string output;  // the result as JSON, for --fit of predict-lr, predict-batch and plan
  std::string plot;  // an SVG of the best learning rate per cell and the fitted law
  TableOptions table;  // --where, --skip-missing
};

// 0 ok; 1 the result is not usable (the kept runs cannot identify the laws); 2 usage or input error (thrown as
// scalelaw::Error).
int RunFitHparams(const FitHparamsCommand& command);

}  // namespace scalelaw::cli
