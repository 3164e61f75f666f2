// Chinchilla Approach 2 (IsoFLOP parabolas): see include/scalelaw/analysis/isoflop.h for the mathematics.
#include "scalelaw/analysis/isoflop.h"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

// The largest ln N whose exp is comfortably finite.
constexpr double kMaxLog = 700.0;

double RunFlops(const IsoflopRun& run) { return run.flops > 0 ? run.flops : 6.0 * run.params * run.tokens; }

bool PositiveFinite(double x) { return std::isfinite(x) && x > 0; }

void ValidateRuns(const std::vector<IsoflopRun>& runs) {
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const IsoflopRun& run = runs[i];
    const std::string which = "run " + std::to_string(i + 1);
    if (!PositiveFinite(run.params)) {
      throw InvalidArgument(which + ": params must be a positive finite number (got " + FormatNumber(run.params) + ")");
    }
    if (!PositiveFinite(run.loss)) {
      throw InvalidArgument(which + ": loss must be a positive finite number (got " + FormatNumber(run.loss) + ")");
    }
    if (run.flops != 0 || !(run.tokens > 0)) {
      if (!PositiveFinite(run.flops)) {
        throw InvalidArgument(which + ": flops must be a positive finite number, or tokens given (got flops " +
                              FormatNumber(run.flops) + ", tokens " + FormatNumber(run.tokens) + ")");
      }
    } else if (!PositiveFinite(run.tokens) || !PositiveFinite(RunFlops(run))) {
      throw InvalidArgument(which + ": tokens must be a positive finite number (got " + FormatNumber(run.tokens) + ")");
    }
  }
}

// The least-squares parabola of loss on x = ln N for the runs idx, in standardised z = (x − mean)/scale so the
// 3×3 problem is well conditioned whatever the units of N.
struct Parabola {
  bool ok = false;  // at least 3 distinct x
  int n_sizes = 0;
  double p = 0;  // curvature in x = ln N
  double x_min = 0, x_max = 0;
  bool has_vertex = false;
  double x_star = 0;  // vertex, ln N*
  double l_star = 0;  // loss at the vertex
  bool in_range = false;
};

Parabola FitParabola(const std::vector<double>& x, const std::vector<double>& y) {
  Parabola out;
  const std::size_t n = x.size();
  std::set<double> distinct(x.begin(), x.end());
  out.n_sizes = static_cast<int>(distinct.size());
  if (out.n_sizes < 3) return out;
  out.x_min = *distinct.begin();
  out.x_max = *distinct.rbegin();
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  const double scale = std::sqrt(var / static_cast<double>(n));
  Eigen::MatrixXd design(n, 3);
  Eigen::VectorXd rhs(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double z = (x[i] - mean) / scale;
    design(i, 0) = z * z;
    design(i, 1) = z;
    design(i, 2) = 1.0;
    rhs(i) = y[i];
  }
  const Eigen::Vector3d c = design.colPivHouseholderQr().solve(rhs);
  if (!c.allFinite()) return out;
  out.ok = true;
  out.p = c(0) / (scale * scale);
  if (c(0) > 0) {
    const double z_star = -c(1) / (2 * c(0));
    const double x_star = mean + scale * z_star;
    const double l_star = c(2) - c(1) * c(1) / (4 * c(0));
    if (std::isfinite(x_star) && std::fabs(x_star) < kMaxLog && std::isfinite(l_star)) {
      out.has_vertex = true;
      out.x_star = x_star;
      out.l_star = l_star;
      out.in_range = x_star >= out.x_min && x_star <= out.x_max;
    }
  }
  return out;
}

// Ordinary least squares y = intercept + slope·x (x not all equal).
void LineFit(const std::vector<double>& x, const std::vector<double>& y, double* slope, double* intercept) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  *slope = sxy / sxx;
  *intercept = my - *slope * mx;
}

struct PowerLaws {
  double a = 0, ln_k = 0, b = 0, ln_k_tokens = 0;
};

// ln N*_k and ln D*_k on ln C_k.
PowerLaws FitPowerLaws(const std::vector<double>& ln_c, const std::vector<double>& ln_n) {
  std::vector<double> ln_d(ln_c.size());
  for (std::size_t i = 0; i < ln_c.size(); ++i) ln_d[i] = ln_c[i] - std::log(6.0) - ln_n[i];
  PowerLaws out;
  LineFit(ln_c, ln_n, &out.a, &out.ln_k);
  LineFit(ln_c, ln_d, &out.b, &out.ln_k_tokens);
  return out;
}

std::string Budget(const IsoflopBudget& b) {
  return "budget C ≈ " + FormatNumber(b.flops) + " (" + std::to_string(b.n_runs) + (b.n_runs == 1 ? " run)" : " runs)");
}

}  // namespace

std::vector<std::vector<std::size_t>> GroupIsoflopBudgets(const std::vector<IsoflopRun>& runs, double tolerance) {
  if (!(tolerance >= 0 && tolerance < 1)) {
    throw InvalidArgument("budget tolerance must be in [0, 1) (got " + FormatNumber(tolerance) + ")");
  }
  ValidateRuns(runs);
  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return RunFlops(runs[i]) < RunFlops(runs[j]); });
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    if (k == 0 || RunFlops(runs[i]) > RunFlops(runs[order[k - 1]]) * (1 + tolerance)) groups.emplace_back();
    groups.back().push_back(i);
  }
  return groups;
}

IsoflopResult FitIsoflop(const std::vector<IsoflopRun>& runs, const IsoflopOptions& options) {
  if (options.min_sizes < 3) {
    throw InvalidArgument("min_sizes must be at least 3: a parabola has 3 coefficients (got " +
                          std::to_string(options.min_sizes) + ")");
  }
  if (options.bootstrap < 0) throw InvalidArgument("bootstrap resamples must be 0 or more");
  if (options.num_threads < 0) throw InvalidArgument("threads must be 0 (all) or more");
  if (runs.empty()) throw InvalidArgument("no runs");
  const std::vector<std::vector<std::size_t>> groups = GroupIsoflopBudgets(runs, options.budget_tolerance);

  IsoflopResult result;
  result.n_runs = static_cast<int>(runs.size());
  result.budget_tolerance = options.budget_tolerance;
  result.min_sizes = options.min_sizes;
  result.seed = options.seed;

  std::vector<std::size_t> used_groups;  // indices into groups of the budgets in the power-law fit
  std::vector<IsoflopBudget> skipped;    // too few sizes: one warning for all of them
  std::vector<double> ln_c, ln_n;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::vector<std::size_t>& idx = groups[g];
    IsoflopBudget budget;
    std::vector<double> x, y;
    double sum_ln_c = 0;
    budget.flops_min = budget.flops_max = RunFlops(runs[idx.front()]);
    for (std::size_t i : idx) {
      const double c = RunFlops(runs[i]);
      sum_ln_c += std::log(c);
      budget.flops_min = std::min(budget.flops_min, c);
      budget.flops_max = std::max(budget.flops_max, c);
      x.push_back(std::log(runs[i].params));
      y.push_back(runs[i].loss);
    }
    budget.flops = std::clamp(std::exp(sum_ln_c / static_cast<double>(idx.size())), budget.flops_min, budget.flops_max);
    budget.n_runs = static_cast<int>(idx.size());
    budget.params_min = std::exp(*std::min_element(x.begin(), x.end()));
    budget.params_max = std::exp(*std::max_element(x.begin(), x.end()));
    budget.n_sizes = static_cast<int>(std::set<double>(x.begin(), x.end()).size());

    if (budget.n_sizes < options.min_sizes) {
      budget.status = "skipped: " + std::to_string(budget.n_sizes) + " distinct N (needs " +
                      std::to_string(options.min_sizes) + ")";
      skipped.push_back(budget);
      result.budgets.push_back(budget);
      continue;
    }
    const Parabola fit = FitParabola(x, y);
    budget.curvature = fit.ok ? fit.p : 0;
    if (fit.has_vertex) {
      budget.has_vertex = true;
      budget.params = std::exp(fit.x_star);
      budget.tokens = budget.flops / (6 * budget.params);
      budget.loss = fit.l_star;
    }
    if (!fit.ok) {
      budget.status = "excluded: the parabola could not be fitted";
      result.warnings.push_back(Budget(budget) + ": the parabola could not be fitted; excluded from the power-law fit");
    } else if (!(fit.p > 0)) {
      budget.status = "excluded: parabola opens downward (p = " + FormatNumber(fit.p) + ")";
      result.warnings.push_back(Budget(budget) + ": the parabola in ln N opens downward (p = " + FormatNumber(fit.p) +
                                "), no minimum; excluded from the power-law fit");
    } else if (!fit.has_vertex || !fit.in_range) {
      budget.status = "excluded: vertex outside the sampled N range";
      result.warnings.push_back(
          Budget(budget) + ": the parabola's vertex" +
          (fit.has_vertex ? " N* = " + FormatNumber(budget.params) : std::string(" (not a finite N)")) +
          " lies outside the sampled N range [" + FormatNumber(budget.params_min) + ", " +
          FormatNumber(budget.params_max) + "]; excluded from the power-law fit");
    } else {
      budget.used = true;
      budget.status = "used";
      used_groups.push_back(g);
      ln_c.push_back(std::log(budget.flops));
      ln_n.push_back(fit.x_star);
    }
    result.budgets.push_back(budget);
  }
  result.n_budgets_used = static_cast<int>(used_groups.size());
  if (!skipped.empty()) {
    std::string list;
    const std::size_t shown = std::min<std::size_t>(skipped.size(), 6);
    for (std::size_t i = 0; i < shown; ++i) {
      list += (i ? ", " : "") + FormatNumber(skipped[i].flops) + " (" + std::to_string(skipped[i].n_sizes) + ")";
    }
    if (shown < skipped.size()) list += ", and " + std::to_string(skipped.size() - shown) + " more";
    result.warnings.insert(result.warnings.begin(), std::to_string(skipped.size()) + " of " +
                                                        std::to_string(groups.size()) + " budgets have fewer than " +
                                                        std::to_string(options.min_sizes) +
                                                        " distinct N and were skipped; C (distinct N): " + list);
  }

  if (used_groups.size() < 2) {
    result.status = AnalysisStatus::kNotIdentifiable;
    result.message = std::to_string(used_groups.size()) + " of " + std::to_string(groups.size()) +
                     " budgets usable (at budget tolerance " + FormatNumber(options.budget_tolerance) +
                     "); the power law needs at least 2";
    return result;
  }
  const PowerLaws laws = FitPowerLaws(ln_c, ln_n);
  result.status = AnalysisStatus::kUsable;
  result.message.clear();
  result.a = laws.a;
  result.k_params = std::exp(laws.ln_k);
  result.b = laws.b;
  result.k_tokens = std::exp(laws.ln_k_tokens);
  if (!(std::isfinite(result.a) && std::isfinite(result.b) && result.k_params > 0 && std::isfinite(result.k_params) &&
        result.k_tokens > 0 && std::isfinite(result.k_tokens))) {
    result.status = AnalysisStatus::kNoConvergence;
    result.message = "the power-law fit gave a non-finite coefficient";
    result.a = result.b = result.k_params = result.k_tokens = 0;
    return result;
  }
  if (used_groups.size() == 2) {
    result.warnings.push_back("only 2 budgets entered the power-law fit: the line passes through both exactly");
  }

  // Bootstrap over runs within each used budget; budgets fixed, parabolas and power laws refitted.
  if (options.bootstrap == 0) return result;
  const int resamples = options.bootstrap;
  std::vector<std::array<double, 4>> estimates(resamples);
  std::vector<char> succeeded(resamples, 0);
  auto resample = [&](int index) {
    std::mt19937_64 rng = detail::ResampleGenerator(options.seed, static_cast<std::uint64_t>(index));
    std::vector<double> rc, rn, x, y;
    for (std::size_t g : used_groups) {
      const std::vector<std::size_t>& idx = groups[g];
      x.clear();
      y.clear();
      for (std::size_t j = 0; j < idx.size(); ++j) {
        const IsoflopRun& run = runs[idx[detail::Draw(rng, idx.size())]];
        x.push_back(std::log(run.params));
        y.push_back(run.loss);
      }
      const Parabola fit = FitParabola(x, y);
      if (fit.ok && fit.p > 0 && fit.has_vertex && fit.in_range) {
        rc.push_back(std::log(result.budgets[g].flops));
        rn.push_back(fit.x_star);
      }
    }
    if (rc.size() < 2) return;
    const PowerLaws r = FitPowerLaws(rc, rn);
    const std::array<double, 4> e = {r.a, r.b, r.ln_k, r.ln_k_tokens};
    for (double v : e) {
      if (!std::isfinite(v) || std::fabs(v) >= kMaxLog) return;
    }
    estimates[index] = e;
    succeeded[index] = 1;
  };
  std::atomic<bool> stop{false};
  std::atomic<int> done{0};
  detail::ParallelFor(resamples, detail::ThreadsToUse(options.num_threads), [&](int index) {
    if (stop) return;
    resample(index);
    if (options.progress && !options.progress("bootstrap", ++done, resamples)) stop = true;
  });
  if (stop) {
    result.status = AnalysisStatus::kInterrupted;
    result.message = "interrupted";
    return result;
  }

  result.bootstrap_resamples = resamples;
  std::vector<double> va, vb, vk, vkt;
  for (int i = 0; i < resamples; ++i) {
    if (!succeeded[i]) continue;
    va.push_back(estimates[i][0]);
    vb.push_back(estimates[i][1]);
    vk.push_back(std::exp(estimates[i][2]));
    vkt.push_back(std::exp(estimates[i][3]));
    result.bootstrap_draws.push_back({{"a", va.back()}, {"b", vb.back()}, {"k_params", vk.back()}, {"k_tokens", vkt.back()}});
  }
  const int failed = resamples - static_cast<int>(va.size());
  result.bootstrap_failed = failed;
  if (failed > 0) {
    result.warnings.push_back("bootstrap: " + std::to_string(failed) + " of " + std::to_string(resamples) +
                              " resamples had fewer than 2 usable budgets and were left out of the statistics");
  }
  if (va.size() < 2) {
    result.warnings.push_back("bootstrap: fewer than 2 resamples succeeded; no standard errors or intervals");
    return result;
  }
  result.uncertainty["a"] = SummarizeResamples(std::move(va), failed);
  result.uncertainty["b"] = SummarizeResamples(std::move(vb), failed);
  result.uncertainty["k_params"] = SummarizeResamples(std::move(vk), failed);
  result.uncertainty["k_tokens"] = SummarizeResamples(std::move(vkt), failed);
  return result;
}

std::string IsoflopToJson(const IsoflopResult& result) {
  using nlohmann::json;
  json out;
  out["method"] = "isoflop";
  out["status"] = std::string(AnalysisStatusName(result.status));
  out["usable"] = result.IsUsable();
  if (!result.IsUsable()) out["message"] = result.message;
  out["a"] = result.a;
  out["b"] = result.b;
  out["k_params"] = result.k_params;
  out["k_tokens"] = result.k_tokens;
  out["n_budgets_used"] = result.n_budgets_used;
  out["n_runs"] = result.n_runs;
  out["budget_tolerance"] = result.budget_tolerance;
  json budgets = json::array();
  for (const IsoflopBudget& b : result.budgets) {
    json row;
    row["flops"] = b.flops;
    row["flops_min"] = b.flops_min;
    row["flops_max"] = b.flops_max;
    row["params"] = b.has_vertex ? json(b.params) : json(nullptr);
    row["tokens"] = b.has_vertex ? json(b.tokens) : json(nullptr);
    row["loss"] = b.has_vertex ? json(b.loss) : json(nullptr);
    row["n_runs"] = b.n_runs;
    row["n_sizes"] = b.n_sizes;
    row["curvature"] = b.curvature;
    row["params_min"] = b.params_min;
    row["params_max"] = b.params_max;
    row["used"] = b.used;
    row["status"] = b.status;
    budgets.push_back(row);
  }
  out["budgets"] = budgets;
  if (result.bootstrap_resamples > 0) {
    out["bootstrap"] = {{"requested", result.bootstrap_resamples},
                        {"succeeded", result.bootstrap_resamples - result.bootstrap_failed},
                        {"seed", result.seed}};
    if (!result.uncertainty.empty()) {
      out["se"] = json::object();
      out["ci95"] = json::object();
      for (const auto& [name, summary] : result.uncertainty) {
        out["se"][name] = summary.se;
        out["ci95"][name] = {summary.ci95.first, summary.ci95.second};
      }
    }
    out["bootstrap"]["draws"] = result.bootstrap_draws;
  }
  out["warnings"] = result.warnings;
  return out.dump();
}

}  // namespace scalelaw
