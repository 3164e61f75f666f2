// IsoflopResult's reports for a person: BriefReport (one line) and FullReport (the table `scalelaw isoflop`
// prints).
#include <fmt/format.h>

#include "scalelaw/analysis/isoflop.h"
#include "util/short_number.h"

namespace scalelaw {
namespace {

using detail::ShortNumber;

// value, and with a bootstrap its standard error and 95% interval.
std::string WithInterval(const IsoflopResult& r, const char* name, double value) {
  const auto it = r.uncertainty.find(name);
  if (it == r.uncertainty.end()) return fmt::format("{:.4g}", value);
  const ResampleSummary& s = it->second;
  return fmt::format("{:.4g}  (SE {:.2g}, 95% CI {:.4g} to {:.4g})", value, s.se, s.ci95.first, s.ci95.second);
}

std::string Status(const IsoflopResult& r) {
  return fmt::format("{} of {} budgets in the power-law fit", r.n_budgets_used, r.budgets.size());
}

}  // namespace

std::string IsoflopResult::BriefReport() const {
  if (!IsUsable()) {
    return fmt::format("isoflop: NOT USABLE ({}): {}\n", AnalysisStatusName(status), message);
  }
  return fmt::format("isoflop: N_opt = {:.4g}·C^{:.4f} (a = {}), D_opt = {:.4g}·C^{:.4f}; {}\n", k_params, a,
                     WithInterval(*this, "a", a), k_tokens, b, Status(*this));
}

std::string IsoflopResult::FullReport() const {
  std::string out = fmt::format("IsoFLOP parabolas (Chinchilla Approach 2) on {} runs", n_runs);
  if (!data_source.empty()) out += " of " + data_source;
  out += "\n";
  for (const std::string& line : data_columns) out += "  " + line + "\n";
  out += fmt::format("  budgets: runs whose C chain within {}% of each other, at least {} distinct N each\n\n",
                     ShortNumber(100 * budget_tolerance), min_sizes);
  out += fmt::format("  {:>10} {:>5} {:>5} {:>10} {:>10} {:>8} {:>9}  {}\n", "budget C", "runs", "sizes", "N*", "D*",
                     "L*", "p", "status");
  for (const IsoflopBudget& budget : budgets) {
    const std::string n = budget.has_vertex ? ShortNumber(budget.params) : "-";
    const std::string d = budget.has_vertex ? ShortNumber(budget.tokens) : "-";
    const std::string l = budget.has_vertex ? fmt::format("{:.4f}", budget.loss) : "-";
    const std::string p = budget.n_sizes >= min_sizes ? fmt::format("{:.3g}", budget.curvature) : "-";
    out += fmt::format("  {:>10} {:>5} {:>5} {:>10} {:>10} {:>8} {:>9}  {}\n", ShortNumber(budget.flops), budget.n_runs,
                       budget.n_sizes, n, d, l, p, budget.status);
  }
  out += "\n";
  if (IsUsable()) {
    out += fmt::format("  N_opt = k·C^a     a  = {}\n", WithInterval(*this, "a", a));
    out += fmt::format("                    k  = {}\n", WithInterval(*this, "k_params", k_params));
    out += fmt::format("  D_opt = k'·C^b    b  = {}\n", WithInterval(*this, "b", b));
    out += fmt::format("                    k' = {}\n", WithInterval(*this, "k_tokens", k_tokens));
    if (bootstrap_resamples > 0) {
      out += fmt::format("  bootstrap         {} of {} resamples (runs resampled within each budget, seed {})\n",
                         bootstrap_resamples - bootstrap_failed, bootstrap_resamples, seed);
    }
    return out + fmt::format("  status            usable ({})\n", Status(*this));
  }
  out += fmt::format("  status            NOT USABLE ({}; {})\n", AnalysisStatusName(status), Status(*this));
  return out + fmt::format("  reason            {}\n", message);
}

}  // namespace scalelaw
