// Two recipes' compute scaling fitted jointly (scalelaw/analysis/recipes.h): the effective-compute multiplier and
// the crossover, with a stratified bootstrap.
#include "scalelaw/analysis/recipes.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>

#include "scalelaw/error.h"
#include "scalelaw/fit/model.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The joint law in x = C / C_ref and the recipe indicator r (0 for A, 1 for B).
constexpr char kJointFormula[] = "E + dE*r + A*exp(k*r)*x^(-(alpha + d*r))";

struct JointParameters {
  double e = 0, de = 0, a = 0, k = 0, alpha = 0, d = 0;

  static JointParameters Of(const std::map<std::string, double>& params) {
    auto get = [&](const char* name) {
      const auto it = params.find(name);
      return it == params.end() ? 0.0 : it->second;
    };
    return {get("E"), get("dE"), get("A"), get("k"), get("alpha"), get("d")};
  }
  double LossA(double x) const { return e + a * std::pow(x, -alpha); }
  double LossB(double x) const { return e + de + a * std::exp(k) * std::pow(x, -(alpha + d)); }

  // m with L_A(m x0) = L_B(x0); NaN when B's loss at x0 is at or below A's offset E (no compute gives A that loss).
  double Multiplier(double x0) const {
    const double above = (LossB(x0) - e) / a;
    if (!(above > 0)) return kNaN;
    return std::pow(above, -1 / alpha) / x0;
  }

  // The x in [lo, hi] where L_A = L_B (the first sign change of the difference on a grid in ln x, then bisection),
  // or NaN.
  double Crossover(double lo, double hi) const {
    auto difference = [&](double u) { return LossA(std::exp(u)) - LossB(std::exp(u)); };
    constexpr int kScan = 400;
    const double u0 = std::log(lo), u1 = std::log(hi);
    double previous = difference(u0);
    for (int i = 1; i <= kScan; ++i) {
      const double u = u0 + (u1 - u0) * i / kScan;
      const double current = difference(u);
      if (std::isfinite(previous) && std::isfinite(current) && (previous < 0) != (current < 0)) {
        double left = u0 + (u1 - u0) * (i - 1) / kScan, right = u;
        for (int step = 0; step < 100; ++step) {
          const double middle = 0.5 * (left + right);
          if ((difference(middle) < 0) == (previous < 0)) {
            left = middle;
          } else {
            right = middle;
          }
        }
        return std::exp(0.5 * (left + right));
      }
      previous = current;
    }
    return kNaN;
  }
};

Dataset JointData(const std::vector<double>& x, const std::vector<double>& loss, const std::vector<int>& recipe,
                  const std::vector<std::size_t>& rows) {
  Dataset data;
  std::vector<double>& xs = data.columns["x"];
  std::vector<double>& rs = data.columns["r"];
  for (std::size_t i : rows) {
    xs.push_back(x[i]);
    rs.push_back(recipe[i]);
    data.loss.push_back(loss[i]);
  }
  return data;
}

FitOptions JointOptions(const RecipeComparisonOptions& options) {
  FitOptions fit = options.fit;
  fit.bootstrap_resamples = 0;
  fit.start_strategy = StartStrategy::kGrid;
  fit.bounds["A"] = {0.0, std::numeric_limits<double>::infinity()};
  fit.bounds["alpha"] = {0.0, std::numeric_limits<double>::infinity()};
  if (options.share_offset) fit.fixed["dE"] = 0;
  if (options.share_exponent) fit.fixed["d"] = 0;
  return fit;
}

// A start grid of one point per parameter from p (and the values in extra).
std::map<std::string, std::vector<double>> PointGrid(const JointParameters& p) {
  return {{"E", {p.e}}, {"dE", {p.de}}, {"A", {p.a}}, {"k", {p.k}}, {"alpha", {p.alpha}}, {"d", {p.d}}};
}

EstimateWithInterval Interval(double value, std::vector<double> samples) {
  EstimateWithInterval out{value, kNaN, kNaN};
  samples.erase(std::remove_if(samples.begin(), samples.end(), [](double v) { return !std::isfinite(v); }),
                samples.end());
  if (samples.size() < 2) return out;
  std::sort(samples.begin(), samples.end());
  out.lo95 = detail::Percentile(samples, 0.025);
  out.hi95 = detail::Percentile(samples, 0.975);
  return out;
}

std::string Number(double value) { return std::isfinite(value) ? fmt::format("{:.4g}", value) : "none"; }

std::string WithInterval(const EstimateWithInterval& e) {
  if (!std::isfinite(e.lo95)) return Number(e.value);
  return fmt::format("{} [95% {}, {}]", Number(e.value), Number(e.lo95), Number(e.hi95));
}

}  // namespace

bool RecipeComparisonOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& why) {
    if (error != nullptr) *error = why;
    return false;
  };
  if (!(reference_flops >= 0 && std::isfinite(reference_flops))) return fail("reference_flops must be >= 0");
  if (!(crossover_span >= 1 && std::isfinite(crossover_span))) return fail("crossover_span must be >= 1");
  if (bootstrap_resamples < 0 || bootstrap_resamples == 1) return fail("bootstrap_resamples must be 0 or >= 2");
  return true;
}

double RecipeComparison::Loss(int recipe, double flops) const {
  const JointParameters p = JointParameters::Of(fit.params);
  const double x = flops / scale_flops;
  return recipe == 0 ? p.LossA(x) : p.LossB(x);
}

RecipeComparison CompareRecipes(const std::vector<RecipeRun>& runs, const std::string& label_a,
                                const std::string& label_b, const RecipeComparisonOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(&error)) throw InvalidArgument("recipe comparison options: " + error);
  RecipeComparison out;
  out.recipe_a = label_a;
  out.recipe_b = label_b;
  std::vector<double> flops(runs.size()), loss(runs.size());
  std::vector<int> recipe(runs.size());
  std::vector<std::size_t> rows_a, rows_b;
  double log_sum = 0, c_min = std::numeric_limits<double>::infinity(), c_max = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RecipeRun& run = runs[i];
    flops[i] = run.Compute();
    loss[i] = run.loss;
    recipe[i] = run.recipe;
    if (!(std::isfinite(flops[i]) && flops[i] > 0 && std::isfinite(loss[i]) && loss[i] > 0)) {
      throw InvalidArgument(fmt::format("recipe comparison: run {} has C = {} and loss {} (both must be positive)",
                                        i + 1, flops[i], loss[i]));
    }
    if (recipe[i] != 0 && recipe[i] != 1) {
      throw InvalidArgument(fmt::format("recipe comparison: run {} has recipe {} (0 or 1)", i + 1, recipe[i]));
    }
    (recipe[i] == 0 ? rows_a : rows_b).push_back(i);
    log_sum += std::log(flops[i]);
    c_min = std::min(c_min, flops[i]);
    c_max = std::max(c_max, flops[i]);
  }
  out.runs_a = static_cast<int>(rows_a.size());
  out.runs_b = static_cast<int>(rows_b.size());
  auto finish = [&] {
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    return out;
  };
  if (rows_a.size() < 4 || rows_b.size() < 4) {
    out.message = fmt::format("each recipe needs at least 4 runs for its offset power law ({} has {}, {} has {})",
                              label_a, rows_a.size(), label_b, rows_b.size());
    return finish();
  }
  const double c_ref = std::exp(log_sum / static_cast<double>(flops.size()));
  out.scale_flops = c_ref;
  out.reference_flops = options.reference_flops > 0 ? options.reference_flops : c_ref;
  std::vector<double> x(flops.size());
  for (std::size_t i = 0; i < flops.size(); ++i) x[i] = flops[i] / c_ref;

  // Each recipe alone (E + A x^-alpha), whose parameters start the joint fit.
  const Model alone = Model::FromName("power-offset");
  FitOptions alone_options = options.fit;
  alone_options.bootstrap_resamples = 0;
  for (auto [rows, summary] : {std::pair{&rows_a, &out.fit_a}, std::pair{&rows_b, &out.fit_b}}) {
    Dataset data;
    for (std::size_t i : *rows) {
      data.columns["x"].push_back(x[i]);
      data.loss.push_back(loss[i]);
    }
    Fit(data, alone, alone_options, summary);
  }
  const Model joint = Model::FromFormula(kJointFormula, {"x", "r"});
  FitOptions joint_options = JointOptions(options);
  auto alone_value = [](const FitSummary& fit, const char* name, double fallback) {
    const auto it = fit.params.find(name);
    return fit.IsUsable() && it != fit.params.end() && std::isfinite(it->second) ? it->second : fallback;
  };
  const double ea = alone_value(out.fit_a, "E", 0), eb = alone_value(out.fit_b, "E", 0);
  const double aa = alone_value(out.fit_a, "A", 1), ab = alone_value(out.fit_b, "A", 1);
  const double alpha_a = alone_value(out.fit_a, "alpha", 0.3), alpha_b = alone_value(out.fit_b, "alpha", 0.3);
  const double lowest = *std::min_element(loss.begin(), loss.end());
  joint_options.grid = {{"E", {std::min(ea, eb), 0.5 * (ea + eb), 0.5 * lowest}},
                        {"dE", {options.share_offset ? 0.0 : eb - ea}},
                        {"A", {aa}},
                        {"k", {std::log(ab / aa)}},
                        {"alpha", {alpha_a, 0.5 * (alpha_a + alpha_b)}},
                        {"d", {options.share_exponent ? 0.0 : alpha_b - alpha_a}}};
  std::vector<std::size_t> all(flops.size());
  std::iota(all.begin(), all.end(), 0);
  Fit(JointData(x, loss, recipe, all), joint, joint_options, &out.fit);
  out.status = out.fit.status;
  out.message = out.fit.message;
  if (out.fit.params.empty()) return finish();

  const JointParameters best = JointParameters::Of(out.fit.params);
  const double x0 = out.reference_flops / c_ref;
  const double lo = c_min / options.crossover_span / c_ref, hi = c_max * options.crossover_span / c_ref;
  out.multiplier_depends_on_flops = !(options.share_offset && options.share_exponent);
  if (out.multiplier_depends_on_flops && (out.reference_flops < c_min || out.reference_flops > c_max)) {
    out.warnings.push_back(fmt::format(
        "the multiplier at C = {:.3g} FLOPs extrapolates the joint law beyond the runs' compute ({:.3g} to {:.3g})",
        out.reference_flops, c_min, c_max));
  }
  const double multiplier = best.Multiplier(x0);
  const double crossover = out.multiplier_depends_on_flops ? best.Crossover(lo, hi) * c_ref : kNaN;

  // The stratified bootstrap: each recipe's runs resampled with replacement, the joint law refitted from the fit.
  const int resamples = out.IsUsable() ? options.bootstrap_resamples : 0;
  std::vector<double> multipliers(resamples, kNaN), crossovers(resamples, kNaN);
  std::vector<char> refitted(resamples, 0);
  FitOptions refit_options = joint_options;
  refit_options.grid = PointGrid(best);
  detail::ParallelFor(resamples, detail::ThreadsToUse(options.num_threads), [&](int r) {
    std::mt19937_64 rng = detail::ResampleGenerator(options.bootstrap_seed, static_cast<std::uint64_t>(r));
    std::vector<std::size_t> rows;
    for (const std::vector<std::size_t>* group : {&rows_a, &rows_b}) {
      for (std::size_t j = 0; j < group->size(); ++j) rows.push_back((*group)[detail::Draw(rng, group->size())]);
    }
    FitSummary summary;
    Fit(JointData(x, loss, recipe, rows), joint, refit_options, &summary);
    if (!summary.IsUsable()) return;
    const JointParameters p = JointParameters::Of(summary.params);
    refitted[r] = 1;
    multipliers[r] = p.Multiplier(x0);
    if (out.multiplier_depends_on_flops) crossovers[r] = p.Crossover(lo, hi) * c_ref;
  });
  out.resamples = static_cast<int>(std::count(refitted.begin(), refitted.end(), 1));
  out.failed_resamples = resamples - out.resamples;
  out.resamples_with_crossover =
      static_cast<int>(std::count_if(crossovers.begin(), crossovers.end(), [](double c) { return std::isfinite(c); }));
  out.multiplier = Interval(multiplier, multipliers);
  out.crossover_search_lo = lo * c_ref;
  out.crossover_search_hi = hi * c_ref;
  out.crossover_flops = {crossover, kNaN, kNaN};
  if (std::isfinite(crossover) && out.resamples_with_crossover >= 0.95 * out.resamples) {
    out.crossover_flops = Interval(crossover, crossovers);
  }
  return finish();
}

std::string RecipeComparison::BriefReport() const {
  return fmt::format("{} vs {}: compute multiplier {}{}, {}", recipe_b, recipe_a, WithInterval(multiplier),
                     multiplier_depends_on_flops ? fmt::format(" at C = {:.3g}", reference_flops) : "",
                     AnalysisStatusName(status));
}

std::string RecipeComparison::FullReport() const {
  std::string text = fmt::format("Recipes: {} (A, {} runs) and {} (B, {} runs)\n", recipe_a, runs_a, recipe_b, runs_b);
  text += fmt::format("Joint law: L_A = E + A*x^-alpha, L_B = E + dE + A*e^k*x^-(alpha + d), x = C / {:.4g} FLOPs\n",
                      scale_flops);
  for (const char* name : {"E", "dE", "A", "k", "alpha", "d"}) {
    const auto it = fit.params.find(name);
    if (it == fit.params.end()) continue;
    const bool fixed =
        std::find(fit.fixed_parameters.begin(), fit.fixed_parameters.end(), name) != fit.fixed_parameters.end();
    text += fmt::format("  {:<6} {:.6g}{}\n", name, it->second, fixed ? "  (shared: held at 0)" : "");
  }
  text += fmt::format("Compute multiplier of {} over {}: {}{}\n", recipe_b, recipe_a, WithInterval(multiplier),
                      multiplier_depends_on_flops ? fmt::format(" at C = {:.4g} FLOPs", reference_flops)
                                                  : " (the same at every compute)");
  text += "  (B reaches at C the loss A needs multiplier x C for; > 1: B saves compute)\n";
  if (multiplier_depends_on_flops) {
    text += fmt::format("Crossover compute: {} (searched in C = {:.3g} to {:.3g}; {} of {} resamples cross)\n",
                        std::isfinite(crossover_flops.value) ? WithInterval(crossover_flops) : "none",
                        crossover_search_lo, crossover_search_hi, resamples_with_crossover, resamples);
  }
  if (resamples + failed_resamples > 0) {
    text += fmt::format("Bootstrap: {} stratified resamples refitted, {} failed\n", resamples, failed_resamples);
  }
  text += fmt::format("Status: {}{}\n", AnalysisStatusName(status), IsUsable() ? "" : ": " + message);
  return text;
}

std::string RecipeComparisonToJson(const RecipeComparison& c) {
  using nlohmann::json;
  auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  auto estimate = [&](const EstimateWithInterval& e) {
    return json{{"value", number(e.value)}, {"lo95", number(e.lo95)}, {"hi95", number(e.hi95)}};
  };
  json params = json::object();
  for (const auto& [name, value] : c.fit.params) params[name] = number(value);
  json out{
      {"method", "compare-recipes"},
      {"status", std::string(AnalysisStatusName(c.status))},
      {"usable", c.IsUsable()},
      {"recipe_a", c.recipe_a},
      {"recipe_b", c.recipe_b},
      {"runs_a", c.runs_a},
      {"runs_b", c.runs_b},
      {"law", "L_A = E + A*x^-alpha, L_B = E + dE + A*exp(k)*x^-(alpha + d), x = C / C_ref"},
      {"scale_flops", number(c.scale_flops)},
      {"reference_flops", number(c.reference_flops)},
      {"crossover_search", {c.crossover_search_lo, c.crossover_search_hi}},
      {"params", params},
      {"shared", c.fit.fixed_parameters},
      {"multiplier", estimate(c.multiplier)},
      {"multiplier_depends_on_flops", c.multiplier_depends_on_flops},
      {"crossover_flops", estimate(c.crossover_flops)},
      {"bootstrap",
       {{"succeeded", c.resamples}, {"failed", c.failed_resamples}, {"with_crossover", c.resamples_with_crossover}}}};
  out["warnings"] = c.warnings;
  if (!c.IsUsable()) out["message"] = c.message;
  return out.dump();
}

}  // namespace scalelaw
