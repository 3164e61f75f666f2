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

std::string VertexLine(const IsoflopResult& r) {
  switch (r.vertex) {
    case IsoflopVertex::kLocal:
      return fmt::format("vertex N*: parabola in ln N through the {} sizes around the lowest loss", r.window);
    case IsoflopVertex::kAkima:
      return "vertex N*: minimum of the Akima interpolant of the loss in ln N (Porian et al. 2024)";
    case IsoflopVertex::kQuadratic:
      break;
  }
  return std::string("vertex N*: parabola in ln N through all the budget's runs") +
         (r.keep_outside ? ", vertices outside the sampled range kept" : "");
}

std::string DStarLine(const IsoflopResult& r) {
  std::string line;
  switch (r.d_star) {
    case IsoflopDStar::kOwn:
      line = "D*: the loss's own minimum in ln D (same method), so a + b need not be 1";
      break;
    case IsoflopDStar::kRuns:
      line = "D*: the runs' own D at N* (line of ln D on ln N per budget), so a + b need not be 1";
      break;
    default:
      line = "D* = C/(6 N*), so b = 1 - a";
      break;
  }
  if (r.weighted) {
    line += fmt::format("; power laws weighted by 1/Var of each vertex ({} resamples of each budget's runs)",
                        r.weight_resamples);
  }
  return line;
}

std::string Status(const IsoflopResult& r) {
  return fmt::format("{} of {} budgets in the power-law fit", r.n_budgets_used, r.budgets.size());
}

}  // namespace

std::string IsoflopResult::BriefReport() const {
  if (!IsUsable()) {
    return fmt::format("isoflop: NOT USABLE ({}): {}\n", AnalysisStatusName(status), message);
  }
  return fmt::format("isoflop: N_opt = {:.4g}·C^{:.4f} (a = {}), D_opt = {:.4g}·C^{:.4f} (b = {}); {}\n", k_params, a,
                     WithInterval(*this, "a", a), k_tokens, b, WithInterval(*this, "b", b), Status(*this));
}

std::string IsoflopResult::FullReport() const {
  std::string out = fmt::format("IsoFLOP {} (Chinchilla Approach 2) on {} runs",
                                vertex == IsoflopVertex::kAkima ? "profiles" : "parabolas", n_runs);
  if (!data_source.empty()) out += " of " + data_source;
  out += "\n";
  for (const std::string& line : data_columns) out += "  " + line + "\n";
  if (by_label) {
    out += fmt::format("  budgets: the runs' nominal budget labels, at least {} distinct N each\n", min_sizes);
  } else {
    out += fmt::format("  budgets: runs whose C chain within {}% of each other, at least {} distinct N each\n",
                       ShortNumber(100 * budget_tolerance), min_sizes);
  }
  out += "  " + VertexLine(*this) + "\n";
  out += "  " + DStarLine(*this) + "\n\n";
  bool ratios = false;
  for (const IsoflopBudget& budget : budgets) ratios = ratios || budget.ratio_max > 0;
  const bool sds = weighted;
  out +=
      fmt::format("  {:>10} {:>5} {:>5} {:>10} {:>10} {:>8} {:>9}", "budget C", "runs", "sizes", "N*", "D*", "L*", "p");
  if (ratios) out += fmt::format(" {:>11}", "6ND/C");
  if (sds) out += fmt::format(" {:>8} {:>8}", "sd lnN*", "sd lnD*");
  out += "  status\n";
  for (const IsoflopBudget& budget : budgets) {
    const std::string n = budget.has_vertex ? ShortNumber(budget.params) : "-";
    const std::string d = budget.has_vertex ? ShortNumber(budget.tokens) : "-";
    const std::string l = budget.has_vertex ? fmt::format("{:.4f}", budget.loss) : "-";
    const std::string p = budget.n_sizes >= min_sizes ? fmt::format("{:.3g}", budget.curvature) : "-";
    out += fmt::format("  {:>10} {:>5} {:>5} {:>10} {:>10} {:>8} {:>9}", ShortNumber(budget.flops), budget.n_runs,
                       budget.n_sizes, n, d, l, p);
    if (ratios) {
      out +=
          fmt::format(" {:>11}", budget.ratio_max > 0 ? fmt::format("{:.2f}-{:.2f}", budget.ratio_min, budget.ratio_max)
                                                      : std::string("-"));
    }
    if (sds) {
      out += budget.used ? fmt::format(" {:>8.3g} {:>8.3g}", budget.log_params_sd, budget.log_tokens_sd)
                         : fmt::format(" {:>8} {:>8}", "-", "-");
    }
    out += "  " + budget.status + "\n";
  }
  out += "\n";
  if (IsUsable()) {
    out += fmt::format("  N_opt = k·C^a     a  = {}\n", WithInterval(*this, "a", a));
    out += fmt::format("                    k  = {}\n", WithInterval(*this, "k_params", k_params));
    out += fmt::format("  D_opt = k'·C^b    b  = {}\n", WithInterval(*this, "b", b));
    out += fmt::format("                    k' = {}\n", WithInterval(*this, "k_tokens", k_tokens));
    if (bootstrap_resamples > 0) {
      out += fmt::format("  bootstrap         {} of {} resamples (runs resampled within each budget{}, seed {})\n",
                         bootstrap_resamples - bootstrap_failed, bootstrap_resamples,
                         weighted ? ", weights recomputed from each resample" : "", seed);
    }
    return out + fmt::format("  status            usable ({})\n", Status(*this));
  }
  out += fmt::format("  status            NOT USABLE ({}; {})\n", AnalysisStatusName(status), Status(*this));
  return out + fmt::format("  reason            {}\n", message);
}

}  // namespace scalelaw
