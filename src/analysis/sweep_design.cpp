// Sweep design by simulation: see include/scalelaw/analysis/sweep_design.h for the procedure.
#include "scalelaw/analysis/sweep_design.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "scalelaw/error.h"
#include "scalelaw/fit/model.h"
#include "scalelaw/laws/law_info.h"
#include "scalelaw/laws/registry.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

bool PositiveFinite(double x) { return std::isfinite(x) && x > 0; }

// A standard normal draw by the Box-Muller transform from two uniforms on (0, 1] built from the generator's top 53
// bits: the same numbers on every standard library (std::normal_distribution is implementation-defined).
double StandardNormal(std::mt19937_64& rng) {
  auto uniform = [&rng] { return (static_cast<double>(rng() >> 11) + 1.0) * 0x1.0p-53; };
  const double u = uniform(), v = uniform();
  return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
}

// What one refit of one simulated data set gave.
struct Refit {
  AnalysisStatus status = AnalysisStatus::kNoConvergence;
  std::string message;
  std::map<std::string, double> values;  // N_opt, D_opt, loss and the parameters
};

// The width of a 95% interval: in log for N_opt and D_opt (their spread is multiplicative), otherwise hi - lo.
double Width(const ResampleSummary& s, const std::string& name) {
  if (name == "N_opt" || name == "D_opt") return std::log(s.ci95.second / s.ci95.first);
  return s.ci95.second - s.ci95.first;
}

// What the bootstrap of one simulated data set gave: the 95% widths of N_opt, D_opt and the loss.
struct BootstrapRefit {
  AnalysisStatus status = AnalysisStatus::kNoConvergence;
  std::string message;
  std::map<std::string, double> widths;
};

// The runs of one simulation, sorted by their simulation index; the noise of run i of simulation k is the i-th
// normal draw of generator (seed, k), so a design extended by a candidate at its end keeps its runs' noise.
struct Simulator {
  const ChinchillaLaw& truth;
  const SweepDesignOptions& options;
  FitOptions fit;
  Model model = Model::FromName("chinchilla");

  Simulator(const ChinchillaLaw& truth_law, const SweepDesignOptions& design_options)
      : truth(truth_law), options(design_options), fit(design_options.fit) {
    // One start at the truth (the internal parameters log A, log B, log E, alpha, beta), as the bootstrap starts
    // every refit at the full-data optimum; one thread per refit, the simulations being the parallel loop.
    fit.starts = {{std::log(truth.A), std::log(truth.B), std::log(truth.E), truth.alpha, truth.beta}};
    fit.start_strategy = StartStrategy::kGrid;
    fit.grid.clear();
    fit.num_threads = 1;
    fit.bootstrap_resamples = 0;
    fit.holdout_top = 0;
    fit.progress = nullptr;
    fit.at_flops = std::numeric_limits<double>::quiet_NaN();
    // Refits converge to 1e-10 in the objective, as Fit's bootstrap refits do, without the polish to double
    // precision, which on about one data set in ten crawls along a flat valley for 2e5 iterations (FitOptions).
    fit.polish = false;
  }

  // Simulation k's data set on design: the truth's loss at each run times log-normal noise.
  Dataset Simulate(const std::vector<SweepRun>& design, int k) const {
    std::mt19937_64 rng = detail::ResampleGenerator(options.seed, static_cast<std::uint64_t>(k));
    Dataset data;
    for (const SweepRun& run : design) {
      data.params.push_back(run.params);
      data.tokens.push_back(run.tokens);
      data.loss.push_back(Loss(truth, run.params, run.tokens) * std::exp(options.noise_sd * StandardNormal(rng)));
    }
    return data;
  }

  Refit Run(const std::vector<SweepRun>& design, int k) const {
    const Dataset data = Simulate(design, k);
    Refit refit;
    FitSummary summary;
    Fit(data, model, fit, &summary);
    refit.status = summary.status;
    refit.message = summary.message;
    if (!summary.IsUsable()) return refit;
    const ChinchillaLaw law = AsChinchillaLaw(summary);
    const Allocation optimum = ComputeOptimal(law, options.target_flops);
    refit.values = {{"N_opt", optimum.params},
                    {"D_opt", optimum.tokens},
                    {"loss", Loss(law, optimum.params, optimum.tokens)},
                    {"E", law.E},
                    {"A", law.A},
                    {"B", law.B},
                    {"alpha", law.alpha},
                    {"beta", law.beta}};
    for (const auto& [name, value] : refit.values) {
      if (!std::isfinite(value)) refit.status = AnalysisStatus::kNoConvergence;
    }
    return refit;
  }

  std::vector<Refit> RunAll(const std::vector<SweepRun>& design) const {
    std::vector<Refit> refits(options.simulations);
    detail::ParallelFor(options.simulations, detail::ThreadsToUse(options.num_threads),
                        [&](int k) { refits[k] = Run(design, k); });
    return refits;
  }

  // Simulation k fitted as a team would fit its one real sweep: with Fit's nonparametric bootstrap (seeded by the
  // design's seed and k), each resample law's N_opt, D_opt and loss at the target giving the 95% widths.
  BootstrapRefit Bootstrap(const std::vector<SweepRun>& design, int k) const {
    FitOptions with_bootstrap = fit;
    with_bootstrap.bootstrap_resamples = options.bootstrap_resamples;
    with_bootstrap.num_threads = options.num_threads;  // the bootstrap's result does not depend on it
    with_bootstrap.bootstrap_seed = options.seed + 7919 * static_cast<std::uint64_t>(k + 1);
    FitSummary summary;
    Fit(Simulate(design, k), model, with_bootstrap, &summary);
    BootstrapRefit out;
    out.status = summary.status;
    out.message = summary.message;
    if (!summary.IsUsable()) return out;
    std::map<std::string, std::vector<double>> columns;
    for (const ChinchillaLaw& law : BootstrapChinchillaLaws(summary)) {
      const Allocation optimum = ComputeOptimal(law, options.target_flops);
      columns["N_opt"].push_back(optimum.params);
      columns["D_opt"].push_back(optimum.tokens);
      columns["loss"].push_back(Loss(law, optimum.params, optimum.tokens));
    }
    for (auto& [name, values] : columns) {
      const bool finite = std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
      if (!finite || values.size() < 2) {
        out.status = AnalysisStatus::kNoConvergence;
        out.message = "a bootstrap resample's " + name + " is not finite";
        return out;
      }
      out.widths[name] = Width(SummarizeResamples(std::move(values)), name);
    }
    return out;
  }
};

double TargetWidth(const ResampleSummary& s, SweepTarget target) {
  return Width(s, std::string(SweepTargetName(target)));
}

struct Tally {
  int usable = 0, not_identifiable = 0, failed = 0;
  std::string reason;
  std::map<std::string, ResampleSummary> spread;
  std::map<std::string, std::vector<double>> values;  // what spread summarises, per usable refit
};

Tally Summarise(const std::vector<Refit>& refits) {
  Tally tally;
  std::map<std::string, std::vector<double>> columns;
  for (const Refit& refit : refits) {
    if (refit.status == AnalysisStatus::kUsable) {
      ++tally.usable;
      for (const auto& [name, value] : refit.values) columns[name].push_back(value);
    } else if (refit.status == AnalysisStatus::kNotIdentifiable) {
      ++tally.not_identifiable;
      if (tally.reason.empty()) tally.reason = refit.message;
    } else {
      ++tally.failed;
      if (tally.reason.empty()) tally.reason = refit.message;
    }
  }
  const int unusable = tally.not_identifiable + tally.failed;
  if (tally.usable >= 2) {
    for (const auto& [name, values] : columns) tally.spread[name] = SummarizeResamples(values, unusable);
  }
  tally.values = std::move(columns);
  return tally;
}

// The parameter whose spread over the refits spans more than max_span (the fit's identifiability criterion,
// FitOptions::max_parameter_span, applied to the sampling distribution itself), with its interval; empty if none.
std::string UnpinnedParameter(const Tally& tally, double max_span) {
  for (const char* name : {"E", "A", "B", "alpha", "beta"}) {
    auto it = tally.spread.find(name);
    if (it == tally.spread.end()) continue;
    const auto [lo, hi] = it->second.ci95;
    if (!(lo > 0) || !(hi / lo <= max_span)) {
      return fmt::format(
          "the refits do not pin {}: their 95% spread is [{:.4g}, {:.4g}], more than the factor {:g} "
          "allowed (max_parameter_span)",
          name, lo, hi, max_span);
    }
  }
  return "";
}

bool Identified(const Tally& tally, int simulations, double max_fraction, double max_span) {
  return tally.usable >= 2 &&
         static_cast<double>(tally.not_identifiable + tally.failed) <=
             max_fraction * static_cast<double>(simulations) &&
         UnpinnedParameter(tally, max_span).empty();
}

// A candidate is proposed only when its shrink exceeds this many Monte Carlo standard errors.
constexpr double kShrinkSes = 2;

// The Monte Carlo standard error of a candidate's shrink, the base width minus the extended design's: the
// simulations usable in both are resampled with replacement (paired: the extension keeps each simulation's noise
// draws for the design's runs), 200 times, and the shrink recomputed from the resample's percentiles. Its own
// generator (seed, 2^32 + candidate) keeps it deterministic and apart from the noise's.
double PairedShrinkSe(const std::vector<Refit>& base, const std::vector<Refit>& extended, const std::string& name,
                      std::uint64_t seed, std::uint64_t candidate) {
  std::vector<double> before, after;
  for (std::size_t k = 0; k < base.size(); ++k) {
    if (base[k].status != AnalysisStatus::kUsable || extended[k].status != AnalysisStatus::kUsable) continue;
    before.push_back(base[k].values.at(name));
    after.push_back(extended[k].values.at(name));
  }
  const std::size_t n = before.size();
  if (n < 2) return std::numeric_limits<double>::infinity();
  std::mt19937_64 rng = detail::ResampleGenerator(seed, (std::uint64_t{1} << 32) + candidate);
  std::vector<double> shrinks;
  std::vector<double> b(n), a(n);
  for (int r = 0; r < 200; ++r) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t pick = rng() % n;
      b[i] = before[pick];
      a[i] = after[pick];
    }
    shrinks.push_back(Width(SummarizeResamples(b), name) - Width(SummarizeResamples(a), name));
  }
  return SummarizeResamples(std::move(shrinks)).se;
}

}  // namespace

std::vector<SweepRun> GridSweep(const std::vector<double>& sizes, const std::vector<double>& tokens) {
  std::vector<SweepRun> runs;
  for (double n : sizes) {
    for (double d : tokens) {
      if (!PositiveFinite(n) || !PositiveFinite(d)) {
        throw InvalidArgument("a sweep's sizes and token counts must be positive and finite, got N " + FormatNumber(n) +
                              ", D " + FormatNumber(d));
      }
      runs.push_back({n, d});
    }
  }
  return runs;
}

std::vector<SweepRun> IsoflopSweep(const std::vector<double>& budgets, const std::vector<double>& sizes) {
  std::vector<SweepRun> runs;
  for (double c : budgets) {
    for (double n : sizes) {
      if (!PositiveFinite(c) || !PositiveFinite(n)) {
        throw InvalidArgument("an isoFLOP sweep's budgets and sizes must be positive and finite, got C " +
                              FormatNumber(c) + ", N " + FormatNumber(n));
      }
      runs.push_back({n, c / (6 * n)});
    }
  }
  return runs;
}

std::string_view SweepTargetName(SweepTarget target) {
  switch (target) {
    case SweepTarget::kParams:
      return "N_opt";
    case SweepTarget::kTokens:
      return "D_opt";
    case SweepTarget::kLoss:
      return "loss";
  }
  return "N_opt";
}

SweepTarget SweepTargetFromName(std::string_view name) {
  for (SweepTarget t : {SweepTarget::kParams, SweepTarget::kTokens, SweepTarget::kLoss}) {
    if (SweepTargetName(t) == name) return t;
  }
  throw InvalidArgument("unknown sweep target '" + std::string(name) + "' (known: N_opt, D_opt, loss)");
}

bool SweepDesignOptions::IsValid(std::string* error) const {
  auto fail = [error](const std::string& why) {
    if (error != nullptr) *error = why;
    return false;
  };
  if (!PositiveFinite(target_flops)) return fail("target_flops must be a positive finite number of FLOPs");
  if (!PositiveFinite(noise_sd)) return fail("noise_sd must be positive and finite");
  if (simulations < 2) return fail("simulations must be >= 2");
  if (num_threads < 0) return fail("num_threads must be >= 0");
  if (!(max_unidentified_fraction >= 0 && max_unidentified_fraction < 1)) {
    return fail("max_unidentified_fraction must be in [0, 1)");
  }
  if (bootstrap_resamples < 0 || bootstrap_resamples == 1) return fail("bootstrap_resamples must be 0 (off) or >= 2");
  if (bootstrap_simulations < 1) return fail("bootstrap_simulations must be >= 1");
  for (const SweepRun& run : candidates) {
    if (!PositiveFinite(run.params) || !PositiveFinite(run.tokens)) {
      return fail("every candidate run needs a positive finite N and D");
    }
  }
  return fit.IsValid(error);
}

double FitResidualScale(const FitSummary& fit) {
  if (fit.residual != Residual::kLog) {
    throw InvalidArgument("the fit's residuals are not log residuals: its residual scale is no log-normal noise sd");
  }
  if (fit.estimator == Estimator::kHuberLikelihood && std::isfinite(fit.log_scale)) return std::exp(fit.log_scale);
  const double n = fit.num_points;
  const double k = static_cast<double>(fit.parameter_names.size() - fit.fixed_parameters.size());
  if (!std::isfinite(fit.aic) || !(n > k)) {
    throw InvalidArgument("the fit records no residual scale (no AIC, or no more runs than parameters): give --noise");
  }
  const double rss = n * std::exp((fit.aic - 2 * k) / n);
  return std::sqrt(rss / (n - k));
}

bool SimulateSweepDesign(const std::vector<SweepRun>& design, const ChinchillaLaw& truth,
                         const SweepDesignOptions& options, SweepDesignSummary* summary) {
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  if (!options.IsValid(&error)) throw InvalidArgument("sweep design: " + error);
  if (design.empty()) throw InvalidArgument("sweep design: the design has no runs");
  for (const SweepRun& run : design) {
    if (!PositiveFinite(run.params) || !PositiveFinite(run.tokens)) {
      throw InvalidArgument("sweep design: every run needs a positive finite N and D");
    }
  }
  if (!PositiveFinite(truth.E) || !PositiveFinite(truth.A) || !PositiveFinite(truth.B) ||
      !PositiveFinite(truth.alpha) || !PositiveFinite(truth.beta)) {
    throw InvalidArgument("sweep design: the true law needs positive finite E, A, B, alpha, beta");
  }
  SweepDesignSummary& s = *summary;
  s = SweepDesignSummary{};
  s.design = design;
  s.truth = truth;
  s.noise_sd = options.noise_sd;
  s.target_flops = options.target_flops;
  s.target = options.target;
  s.simulations = options.simulations;
  s.true_optimum = ComputeOptimal(truth, options.target_flops);
  s.true_loss = Loss(truth, s.true_optimum.params, s.true_optimum.tokens);
  auto finish = [&](AnalysisStatus status, std::string message) {
    s.status = status;
    s.message = std::move(message);
    s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return s.IsUsable();
  };

  const Simulator simulator(truth, options);
  const std::vector<Refit> refits = simulator.RunAll(design);
  const Tally tally = Summarise(refits);
  s.refits_usable = tally.usable;
  s.refits_not_identifiable = tally.not_identifiable;
  s.refits_failed = tally.failed;
  s.first_unidentified_reason = tally.reason;
  s.spread = tally.spread;
  s.refit_values = tally.values;
  const std::string target_name(SweepTargetName(options.target));
  const double max_span = options.fit.max_parameter_span;
  if (!Identified(tally, options.simulations, options.max_unidentified_fraction, max_span)) {
    const std::string unpinned = tally.usable >= 2 ? UnpinnedParameter(tally, max_span) : "";
    const bool too_many = static_cast<double>(tally.not_identifiable + tally.failed) >
                          options.max_unidentified_fraction * static_cast<double>(options.simulations);
    if (!too_many && !unpinned.empty()) {
      return finish(AnalysisStatus::kNotIdentifiable, "the design does not identify the law: " + unpinned);
    }
    const AnalysisStatus status =
        tally.not_identifiable >= tally.failed ? AnalysisStatus::kNotIdentifiable : AnalysisStatus::kNoConvergence;
    return finish(status, fmt::format("the design does not identify the law: {} of {} refits not identifiable and {} "
                                      "not converged (at most {:g}% allowed); the fit says: {}",
                                      tally.not_identifiable, options.simulations, tally.failed,
                                      100 * options.max_unidentified_fraction, tally.reason));
  }
  s.target_width = TargetWidth(s.spread.at(target_name), options.target);

  if (options.bootstrap_resamples > 0) {
    const int count = std::min(options.bootstrap_simulations, options.simulations);
    std::vector<BootstrapRefit> boots(count);
    // The bootstraps run one after another, each with the fit's own threads over its resamples.
    for (int k = 0; k < count; ++k) boots[k] = simulator.Bootstrap(design, k);
    s.bootstrap_simulations = count;
    for (const BootstrapRefit& b : boots) {
      if (b.status == AnalysisStatus::kUsable) {
        ++s.bootstrap_usable;
        for (const auto& [name, width] : b.widths) s.bootstrap_width[name] += width;
      } else {
        if (b.status == AnalysisStatus::kNotIdentifiable) ++s.bootstrap_not_identifiable;
        if (s.bootstrap_reason.empty()) s.bootstrap_reason = b.message;
      }
    }
    for (auto& [name, width] : s.bootstrap_width) width /= s.bootstrap_usable;
  }

  for (const SweepRun& run : options.candidates) {
    std::vector<SweepRun> extended = design;
    extended.push_back(run);
    const std::vector<Refit> extended_refits = simulator.RunAll(extended);
    const Tally with = Summarise(extended_refits);
    SweepDesignSummary::Candidate candidate;
    candidate.run = run;
    candidate.flops = 6 * run.params * run.tokens;
    candidate.identifiable = Identified(with, options.simulations, options.max_unidentified_fraction, max_span);
    if (candidate.identifiable) {
      candidate.width = TargetWidth(with.spread.at(target_name), options.target);
      candidate.shrink = s.target_width - candidate.width;
      candidate.shrink_per_flop = candidate.shrink / candidate.flops;
      candidate.shrink_se = PairedShrinkSe(refits, extended_refits, target_name, options.seed,
                                           static_cast<std::uint64_t>(s.candidates.size()));
    }
    s.candidates.push_back(candidate);
  }
  for (std::size_t i = 0; i < s.candidates.size(); ++i) {
    const auto& c = s.candidates[i];
    if (!c.identifiable || !(c.shrink > kShrinkSes * c.shrink_se)) continue;
    if (s.best_candidate < 0 || c.shrink_per_flop > s.candidates[s.best_candidate].shrink_per_flop) {
      s.best_candidate = static_cast<int>(i);
    }
  }
  return finish(AnalysisStatus::kUsable, fmt::format("{} of {} refits usable", tally.usable, options.simulations));
}

std::string SweepDesignSummary::BootstrapLines() const {
  if (bootstrap_simulations == 0) return "";
  std::string out = fmt::format("  a bootstrap of one sweep: usable in {} of {} simulated sweeps ({} not identifiable)",
                                bootstrap_usable, bootstrap_simulations, bootstrap_not_identifiable);
  if (bootstrap_usable > 0) {
    out +=
        fmt::format("; mean 95% width N_opt x{:.3g}, D_opt x{:.3g}, loss {:.3g}", std::exp(bootstrap_width.at("N_opt")),
                    std::exp(bootstrap_width.at("D_opt")), bootstrap_width.at("loss"));
  }
  out += "\n";
  if (!bootstrap_reason.empty() && bootstrap_usable < bootstrap_simulations) {
    out += "    first unusable: " + bootstrap_reason + "\n";
  }
  return out;
}

std::string SweepDesignSummary::BriefReport() const {
  std::string out = fmt::format("Sweep design: {} runs, {} simulations at noise sd {:g}, target C = {:.3g} FLOPs\n",
                                design.size(), simulations, noise_sd, target_flops);
  auto line = [&](const char* name, double truth_value) {
    auto it = spread.find(name);
    if (it == spread.end()) return;
    out += fmt::format("  {:<6} true {:<10.4g} SD {:<10.3g} 95% [{:.4g}, {:.4g}]\n", name, truth_value, it->second.se,
                       it->second.ci95.first, it->second.ci95.second);
  };
  line("N_opt", true_optimum.params);
  line("D_opt", true_optimum.tokens);
  line("loss", true_loss);
  out += BootstrapLines();
  if (best_candidate >= 0) {
    const Candidate& c = candidates[best_candidate];
    out += fmt::format("  next run: N {:.4g}, D {:.4g} ({:.3g} FLOPs) narrows the {} interval from {:.4g} to {:.4g}\n",
                       c.run.params, c.run.tokens, c.flops, SweepTargetName(target), target_width, c.width);
  } else if (!candidates.empty()) {
    out += "  next run: no candidate narrows the interval by more than 2 Monte Carlo SEs\n";
  }
  out += fmt::format("Status: {} ({})\n", AnalysisStatusName(status), message);
  return out;
}

std::string SweepDesignSummary::FullReport() const {
  std::string out = fmt::format("Truth: L = {:g} + {:g} N^-{:g} + {:g} D^-{:g}, log-normal noise sd {:g}\n", truth.E,
                                truth.A, truth.alpha, truth.B, truth.beta, noise_sd);
  out += fmt::format("Design: {} runs\n", design.size());
  if (design.size() <= 12) {
    for (const SweepRun& run : design) {
      out += fmt::format("  N {:<10.4g} D {:<10.4g} C {:.3g}\n", run.params, run.tokens, 6 * run.params * run.tokens);
    }
  } else {
    auto range = [&](auto value) {
      double lo = value(design.front()), hi = lo;
      for (const SweepRun& run : design) lo = std::min(lo, value(run)), hi = std::max(hi, value(run));
      return fmt::format("{:.3g} to {:.3g}", lo, hi);
    };
    out += fmt::format("  N {}, D {}, C {}\n", range([](const SweepRun& r) { return r.params; }),
                       range([](const SweepRun& r) { return r.tokens; }),
                       range([](const SweepRun& r) { return 6 * r.params * r.tokens; }));
  }
  out += fmt::format("Refits: {} usable, {} not identifiable, {} not converged of {}\n", refits_usable,
                     refits_not_identifiable, refits_failed, simulations);
  if (!first_unidentified_reason.empty()) out += "  first unusable refit: " + first_unidentified_reason + "\n";
  out += fmt::format("At C = {:.4g} FLOPs:\n", target_flops);
  out += fmt::format("  {:<6} {:>11} {:>11} {:>10} {:>11} {:>11}\n", "", "truth", "mean", "SD", "2.5%", "97.5%");
  const std::pair<const char*, double> rows[] = {{"N_opt", true_optimum.params},
                                                 {"D_opt", true_optimum.tokens},
                                                 {"loss", true_loss},
                                                 {"E", truth.E},
                                                 {"A", truth.A},
                                                 {"B", truth.B},
                                                 {"alpha", truth.alpha},
                                                 {"beta", truth.beta}};
  for (const auto& [name, value] : rows) {
    auto it = spread.find(name);
    if (it == spread.end()) continue;
    const ResampleSummary& r = it->second;
    out += fmt::format("  {:<6} {:>11.4g} {:>11.4g} {:>10.3g} {:>11.4g} {:>11.4g}\n", name, value, r.mean, r.se,
                       r.ci95.first, r.ci95.second);
  }
  out += BootstrapLines();
  if (!candidates.empty()) {
    out += fmt::format("Candidates (95% width of {}{}: {:.4g} now):\n", SweepTargetName(target),
                       target == SweepTarget::kLoss ? "" : " in log", target_width);
    out += fmt::format("    {:<10} {:<10} {:<10} {:>10} {:>8} {:>8} {:>12}\n", "N", "D", "C", "width", "shrink",
                       "MC SE", "shrink/FLOP");
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      if (!c.identifiable) {
        out += fmt::format("    {:<10.4g} {:<10.4g} {:<10.3g} (the design with it does not identify the law)\n",
                           c.run.params, c.run.tokens, c.flops);
        continue;
      }
      out += fmt::format("  {} {:<10.4g} {:<10.4g} {:<10.3g} {:>10.4g} {:>7.1f}% {:>7.1f}% {:>12.3g}\n",
                         static_cast<int>(i) == best_candidate ? "*" : " ", c.run.params, c.run.tokens, c.flops,
                         c.width, 100 * c.shrink / target_width, 100 * c.shrink_se / target_width, c.shrink_per_flop);
    }
    out += best_candidate >= 0 ? "  * proposed next run: the largest shrink of the interval per FLOP of its training "
                                 "(among shrinks above 2 Monte Carlo SEs)\n"
                               : "  no candidate narrows the interval by more than 2 Monte Carlo SEs\n";
  }
  out += fmt::format("Status: {} ({}); {:.2f} s\n", AnalysisStatusName(status), message, wall_seconds);
  return out;
}

namespace {

nlohmann::json SpreadJson(const ResampleSummary& s) {
  return {{"mean", s.mean}, {"sd", s.se}, {"ci95", {s.ci95.first, s.ci95.second}}, {"refits", s.resamples}};
}

}  // namespace

std::string SweepDesignToJson(const SweepDesignSummary& s) {
  nlohmann::json out;
  out["status"] = std::string(AnalysisStatusName(s.status));
  out["message"] = s.message;
  out["truth"] = {
      {"E", s.truth.E}, {"A", s.truth.A}, {"B", s.truth.B}, {"alpha", s.truth.alpha}, {"beta", s.truth.beta}};
  out["noise_sd"] = s.noise_sd;
  out["target_flops"] = s.target_flops;
  out["design"] = nlohmann::json::array();
  for (const SweepRun& run : s.design) out["design"].push_back({{"params", run.params}, {"tokens", run.tokens}});
  out["true"] = {{"N_opt", s.true_optimum.params}, {"D_opt", s.true_optimum.tokens}, {"loss", s.true_loss}};
  out["simulations"] = s.simulations;
  out["refits"] = {
      {"usable", s.refits_usable}, {"not_identifiable", s.refits_not_identifiable}, {"not_converged", s.refits_failed}};
  out["spread"] = nlohmann::json::object();
  for (const auto& [name, spread] : s.spread) out["spread"][name] = SpreadJson(spread);
  out["target"] = std::string(SweepTargetName(s.target));
  if (std::isfinite(s.target_width)) out["target_width"] = s.target_width;
  out["candidates"] = nlohmann::json::array();
  for (const auto& c : s.candidates) {
    nlohmann::json row = {
        {"params", c.run.params}, {"tokens", c.run.tokens}, {"flops", c.flops}, {"identifiable", c.identifiable}};
    if (c.identifiable) {
      row["width"] = c.width;
      row["shrink"] = c.shrink;
      row["shrink_per_flop"] = c.shrink_per_flop;
      row["shrink_se"] = c.shrink_se;
    }
    out["candidates"].push_back(row);
  }
  if (s.best_candidate >= 0) out["best_candidate"] = s.best_candidate;
  if (s.bootstrap_simulations > 0) {
    out["bootstrap"] = {{"simulations", s.bootstrap_simulations},
                        {"usable", s.bootstrap_usable},
                        {"not_identifiable", s.bootstrap_not_identifiable},
                        {"mean_width", s.bootstrap_width}};
    if (!s.bootstrap_reason.empty()) out["bootstrap"]["first_unusable_reason"] = s.bootstrap_reason;
  }
  out["wall_seconds"] = s.wall_seconds;
  return out.dump();
}

namespace {

// The registry record's constants are exactly E, A, B, alpha, beta of a loss law.
bool IsChinchillaForm(const LawInfo& info) {
  if (info.quantity != Quantity::kLoss || info.constants.size() != 5) return false;
  for (const char* name : {"E", "A", "B", "alpha", "beta"}) {
    const bool found = std::any_of(info.constants.begin(), info.constants.end(),
                                   [&](const auto& constant) { return constant.first == name; });
    if (!found) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> ChinchillaFormLawNames() {
  std::vector<std::string> names;
  for (const LawInfo& info : LawRegistry()) {
    if (IsChinchillaForm(info)) names.push_back(info.name);
  }
  return names;
}

ChinchillaLaw ChinchillaFormLaw(std::string_view name) {
  const LawInfo& info = FindLaw(name);
  if (!IsChinchillaForm(info)) {
    throw InvalidArgument("law '" + std::string(name) +
                          "' is not a loss law of the Chinchilla form E + A/N^alpha + B/D^beta (those are: " +
                          fmt::format("{}", fmt::join(ChinchillaFormLawNames(), ", ")) + ")");
  }
  return ChinchillaLawFromConstants(info.constants, info.name);
}

std::vector<SweepRun> ProposedSweep(const std::vector<double>& sizes, const std::vector<double>& tokens,
                                    const std::vector<double>& budgets) {
  if (sizes.empty() || tokens.empty() == budgets.empty()) {
    throw InvalidArgument("give the sweep as sizes with tokens (a grid) or with budgets (isoFLOP curves)");
  }
  return budgets.empty() ? GridSweep(sizes, tokens) : IsoflopSweep(budgets, sizes);
}

}  // namespace scalelaw
