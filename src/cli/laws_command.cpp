// scalelaw laws [show NAME]: the registry of published laws, generated from the records in the headers.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "scalelaw/io/prediction_json.h"
#include "scalelaw/laws/registry.h"

namespace scalelaw::cli {
namespace {

std::string Range(double lo, double hi) {
  if (lo <= 0 && hi <= 0) return "-";
  return fmt::format("{}..{}", lo > 0 ? Short(lo) : "?", hi > 0 ? Short(hi) : "?");
}

}  // namespace

int RunLaws(const LawsCommand& command) {
  if (!command.show.empty()) {
    const LawInfo& law = FindLaw(command.show);
    if (command.json) {
      fmt::print("{}\n", LawToJson(law));
      return kExitOk;
    }
    fmt::print("{} ({}, --law {})\n  {}\n\n", law.name, QuantityName(law.quantity), law.family, law.formula);
    fmt::print("  source      {}\n", law.citation.ToString());
    fmt::print("  N           {}\n", law.params_definition);
    fmt::print("  units       {}\n", law.units);
    fmt::print("  fitted on   N {}, D {}\n", Range(law.range.params_min, law.range.params_max),
               Range(law.range.tokens_min, law.range.tokens_max));
    fmt::print("  confidence  {}\n", law.confidence);
    if (!law.constants.empty()) {
      fmt::print("  constants  ");
      for (const auto& [name, value] : law.constants) fmt::print(" {} = {:.8g};", name, value);
      fmt::print("\n");
    }
    return kExitOk;
  }
  if (command.json) {
    fmt::print("{}\n", LawRegistryToJson());
    return kExitOk;
  }
  fmt::print("{:<26} {:<16} {:<18} {:<28} {}\n", "name", "quantity", "--law", "N fitted on", "source");
  for (const LawInfo& law : LawRegistry()) {
    fmt::print("{:<26} {:<16} {:<18} {:<28} {} {} (arXiv:{})\n", law.name, QuantityName(law.quantity), law.family,
               Range(law.range.params_min, law.range.params_max), law.citation.authors, law.citation.year,
               law.citation.arxiv);
  }
  fmt::print("\n'scalelaw laws show NAME' prints one law in full.\n");
  return kExitOk;
}

}  // namespace scalelaw::cli
