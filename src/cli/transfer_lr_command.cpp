// scalelaw transfer-lr: move a tuned learning rate to another token horizon (Bjorck et al. 2024).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/laws/horizon_transfer.h"
#include "scalelaw/laws/registry.h"

namespace scalelaw::cli {

int RunTransferLr(const TransferLrCommand& command) {
  const double lr = TransferLearningRate(command.lr, command.from_tokens, command.to_tokens, command.exponent);
  const LawInfo& law = FindLaw("bjorck-transfer");
  std::vector<std::string> warnings;
  if (command.exponent != kBjorckHorizonExponent) {
    warnings.push_back(
        fmt::format("exponent {} overrides the paper's rule-of-thumb {}", command.exponent, kBjorckHorizonExponent));
  }
  if (command.json) {
    nlohmann::ordered_json out{{"lr", lr},
                               {"from_lr", command.lr},
                               {"from_tokens", command.from_tokens},
                               {"to_tokens", command.to_tokens},
                               {"exponent", command.exponent},
                               {"law", std::string(law.name)},
                               {"citation", law.citation.ToString()},
                               {"warnings", warnings}};
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("Learning rate moved from D = {} to D = {} tokens: {} -> {}\n", Short(command.from_tokens),
               Short(command.to_tokens), Short(command.lr), Short(lr));
    fmt::print("  LR*(D2) = LR*(D1) (D2/D1)^-{}; {}\n  {}\n", command.exponent, law.units, law.citation.ToString());
  }
  PrintWarnings(warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
