// The subcommands of the scalelaw tool. main.cpp (the only file that sees CLI11) fills these option structs;
// each Run* function does the work and returns the process exit code:
//   0 ok; 1 a fit ran but is not usable (did not converge, not identifiable); 2 usage or input error.
#pragma once

#include <optional>
#include <string>

namespace scalelaw::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUnusable = 1;
inline constexpr int kExitUsage = 2;

struct FitCommand {
  std::string file;  // "-" reads standard input
  std::string model = "chinchilla";
  std::string params_col = "params";
  std::string tokens_col = "tokens";
  std::string flops_col;
  std::string loss_col = "loss";
  std::string weight_col;
  int drop_highest = 0;
  std::string estimator = "objective";
  double huber_delta = 1e-3;
  int threads = 0;
  bool json = false;
  std::string output;
};
int RunFit(const FitCommand& command);

struct AllocateCommand {
  double flops = 0;
  std::string fit;  // a fit file written by `scalelaw fit --output`
  std::string law;  // a published preset
  bool json = false;
};
int RunAllocate(const AllocateCommand& command);

}  // namespace scalelaw::cli
