// scalelaw allocate --flops C: the compute-optimal N and D for a budget, from a fit or a published law.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw::cli {

int RunAllocate(const AllocateCommand& command) {
  ChinchillaLaw law;
  std::string law_name, citation, params_definition;
  ValidityRange range;
  if (!command.fit.empty()) {
    const FitSummary fit = ReadFitJson(command.fit);
    law = AsChinchillaLaw(fit);
    law_name = "fit:" + command.fit;
    citation = "fitted by scalelaw to " + std::to_string(fit.num_points) + " runs";
    params_definition = "as in the fitted data";
    range = fit.data_range;
    if (!fit.converged) PrintWarnings({"the fit in '" + command.fit + "' did not converge: " + fit.message});
  } else {
    const ChinchillaPreset& preset = FindChinchillaPreset(command.law);
    law = preset.law;
    law_name = std::string(preset.name);
    citation = preset.citation.ToString();
    params_definition = std::string(preset.params_definition);
    range = preset.range;
  }
  const Allocation allocation = ComputeOptimal(law, command.flops);
  const AllocationExponents exponents = ComputeOptimalExponents(law);
  const double loss = Loss(law, allocation.params, allocation.tokens);
  const std::vector<std::string> warnings = RangeWarnings(range, law_name, allocation.params, allocation.tokens);

  if (command.json) {
    nlohmann::json out = {{"law", law_name},
                          {"citation", citation},
                          {"flops", allocation.flops},
                          {"params", allocation.params},
                          {"tokens", allocation.tokens},
                          {"tokens_per_param", allocation.TokensPerParameter()},
                          {"loss", loss},
                          {"exponents", {{"G", exponents.G}, {"a", exponents.a}, {"b", exponents.b}}},
                          {"params_definition", params_definition},
                          {"flops_convention", "C = 6 N D"},
                          {"warnings", warnings}};
    fmt::print("{}\n", out.dump());
  } else {
    fmt::print("Compute-optimal allocation of C = {:.4g} FLOPs (C = 6 N D), law '{}'\n", allocation.flops, law_name);
    fmt::print("  {}\n\n", citation);
    fmt::print("  {:<18} {:>12.4g}   ({})\n", "parameters N", allocation.params, params_definition);
    fmt::print("  {:<18} {:>12.4g}\n", "tokens D", allocation.tokens);
    fmt::print("  {:<18} {:>12.3g}\n", "tokens/parameter", allocation.TokensPerParameter());
    fmt::print("  {:<18} {:>12.4f}   (nats/token)\n", "expected loss", loss);
    fmt::print("  {:<18} N_opt ∝ C^{:.4f}, D_opt ∝ C^{:.4f}\n", "scaling", exponents.a, exponents.b);
  }
  PrintWarnings(warnings);
  return kExitOk;
}

}  // namespace scalelaw::cli
