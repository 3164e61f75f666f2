#include "cli/output.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/fit_json.h"
#include "util/short_number.h"

namespace scalelaw::cli {
namespace {

std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

void PrintError(const std::string& message) { fmt::print(stderr, "scalelaw: error: {}\n", OneLine(message)); }

void PrintWarnings(const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings) fmt::print(stderr, "scalelaw: warning: {}\n", OneLine(warning));
}

int ExitCodeFor(AnalysisStatus status, const std::string& message, const std::string& what) {
  if (status == AnalysisStatus::kUsable) return kExitOk;
  PrintError(what + " is not usable: " + message);
  return kExitUnusable;
}

void UseFitFile(const std::string& path, PredictionInputs* in) {
  const FitSummary fit = ReadFitJson(path);
  in->fitted_law = AsChinchillaLaw(fit);
  in->fitted_draws = BootstrapChinchillaLaws(fit);
  in->fitted_name = "fit:" + path;
  in->fitted_range = fit.data_range;
  if (!fit.IsUsable()) PrintWarnings({"the fit in '" + path + "' did not converge: " + fit.message});
}

std::string Short(double value) { return detail::ShortNumber(value); }

}  // namespace scalelaw::cli
