// Schedule design against a Multi-Power Law (scalelaw/curves/schedule_design.h has the problem, the
// parameterisation and the adjoint gradient).
#include "scalelaw/curves/schedule_design.h"

#include <LBFGSB.h>
#include <fmt/format.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "scalelaw/error.h"

namespace scalelaw {

bool ScheduleDesignOptions::IsValid(std::string* error) const {
  auto fail = [error](std::string why) {
    if (error != nullptr) *error = std::move(why);
    return false;
  };
  if (!(std::isfinite(peak) && peak > 0)) return fail(fmt::format("peak must be a positive number, not {}", peak));
  if (warmup < 0) return fail(fmt::format("warmup must be >= 0, not {}", warmup));
  if (warmup == 1 && warmup_shape == WarmupShape::kLinear) {
    return fail("warmup must be 0 or at least 2 steps for a linear warmup, not 1");
  }
  if (steps < warmup + 2) {
    return fail(fmt::format("steps must exceed the warmup by at least 2 (warmup {}), not {}", warmup, steps));
  }
  if (!(std::isfinite(warmup_lr) && warmup_lr >= 0 && warmup_lr <= peak)) {
    return fail(fmt::format("warmup_lr must lie in [0, peak = {}], not {}", peak, warmup_lr));
  }
  if (!(std::isfinite(min_lr) && min_lr >= 0 && min_lr < peak)) {
    return fail(fmt::format("min_lr must lie in (0, peak = {}) (0: peak / 10), not {}", peak, min_lr));
  }
  if (knots < 2) return fail(fmt::format("knots must be >= 2, not {}", knots));
  if (max_iterations < 1) return fail(fmt::format("max_iterations must be >= 1, not {}", max_iterations));
  if (!(gradient_tolerance >= 0 && std::isfinite(gradient_tolerance))) {
    return fail(fmt::format("gradient_tolerance must be >= 0, not {}", gradient_tolerance));
  }
  if (!(function_tolerance >= 0 && std::isfinite(function_tolerance))) {
    return fail(fmt::format("function_tolerance must be >= 0, not {}", function_tolerance));
  }
  if (wsd_grid < 4) return fail(fmt::format("wsd_grid must be >= 4, not {}", wsd_grid));
  return true;
}

double MultiPowerFinalLoss(const MultiPowerLaw& law, const std::vector<double>& lr, std::vector<double>* gradient) {
  const long total = static_cast<long>(lr.size());
  if (total == 0) throw InvalidArgument("multi-power final loss: the schedule is empty");
  double prefix = 0;
  for (long k = 0; k < total; ++k) {
    if (!(std::isfinite(lr[k]) && lr[k] >= 0)) {
      throw InvalidArgument(
          fmt::format("multi-power final loss: LR {} at step {} is not a non-negative number", lr[k], k));
    }
    prefix += lr[k];
  }
  if (!(prefix > 0)) throw InvalidArgument("multi-power final loss: the LR sum of the schedule is 0");
  const long t = total - 1;
  const double b = law.b, c = law.c, beta = law.beta, gamma = law.gamma;
  // Suffix sums Q_k, then per change k the pieces of the value and of the adjoint.
  std::vector<double> q(static_cast<std::size_t>(total) + 1, 0.0);
  for (long k = t; k >= 0; --k) q[k] = q[k + 1] + lr[k];
  const double p = q[0];
  std::vector<double> g(static_cast<std::size_t>(total) + 1, 0.0);  // g_k, 0 at k = 0 and k = t + 1
  std::vector<double> gpa;                                          // g'_k·a_k
  std::vector<double> own;                                          // gamma·d_k·g'_k·z_k/eta_k
  if (gradient != nullptr) {
    gpa.assign(static_cast<std::size_t>(total), 0.0);
    own.assign(static_cast<std::size_t>(total), 0.0);
  }
  double ld = 0;
  for (long k = 1; k <= t; ++k) {
    const double d = lr[k - 1] - lr[k];
    if (d == 0 && gradient == nullptr) continue;  // no term; the gradient still needs g_k (d_k moves with eta_k)
    if (!(lr[k] > 0)) {
      g[k] = 1;  // z -> inf
      ld += d;
      continue;
    }
    const double a = c * std::exp(-gamma * std::log(lr[k]));
    const double z = std::min(a * q[k], 1e300);
    const double log1pz = std::log1p(z);
    const double e = std::exp(-beta * log1pz);  // (1 + z)^-beta
    g[k] = 1 - e;
    ld += d * g[k];
    if (gradient != nullptr) {
      const double gp = beta * e / (1 + z);  // g'(z)
      gpa[k] = gp * a;
      own[k] = gamma * d * gp * z / lr[k];
    }
  }
  const double power = std::exp(-law.alpha * std::log(p));
  const double loss = law.l0 + law.a * power - b * ld;
  if (gradient != nullptr) {
    gradient->assign(static_cast<std::size_t>(total), 0.0);
    const double d_power = -law.alpha * law.a * power / p;  // d(A·P^-alpha)/dP
    double running = 0;                                     // R_j
    for (long j = 0; j <= t; ++j) {
      if (j >= 1) running += (lr[j - 1] - lr[j]) * gpa[j];
      (*gradient)[j] = d_power - b * (g[j + 1] - g[j]) - b * running + (j >= 1 ? b * own[j] : 0.0);
    }
  }
  return loss;
}

namespace {

using Clock = std::chrono::steady_clock;

void CheckLaw(const MultiPowerLaw& law) {
  const double values[] = {law.l0, law.a, law.alpha, law.b, law.c, law.beta, law.gamma};
  for (double v : values) {
    if (!std::isfinite(v)) throw InvalidArgument("schedule design: the law's parameters must be finite numbers");
  }
  if (!(law.a > 0 && law.alpha > 0 && law.c > 0 && law.beta > 0 && law.b >= 0 && law.gamma >= 0)) {
    throw InvalidArgument(
        fmt::format("schedule design: the multi-power law needs A, alpha, C, beta > 0 and B, gamma >= 0 (A={} "
                    "alpha={} B={} C={} beta={} gamma={})",
                    law.a, law.alpha, law.b, law.c, law.beta, law.gamma));
  }
}

// The knots of the piecewise-linear part and the per-step LR of r (schedule_design.h).
class KnotSchedule {
 public:
  KnotSchedule(const ScheduleDesignOptions& options, const std::vector<double>& warmup_lr)
      : steps_(options.steps), warmup_(options.warmup), peak_(options.peak), floor_(options.Floor()), lr_(warmup_lr) {
    lr_.resize(static_cast<std::size_t>(steps_));
    const long span = steps_ - 1 - warmup_;  // s_{K-1} - s_0
    const int k = static_cast<int>(std::min<long>(options.knots, span + 1));
    for (int j = 0; j < k; ++j) {
      knot_steps_.push_back(warmup_ + static_cast<long>(std::llround(static_cast<double>(j) * span / (k - 1))));
    }
  }
  int size() const { return static_cast<int>(knot_steps_.size()); }
  const std::vector<long>& knot_steps() const { return knot_steps_; }

  // u_j from r.
  std::vector<double> KnotLr(const Eigen::VectorXd& r) const {
    std::vector<double> u(knot_steps_.size());
    double product = 1;
    for (std::size_t j = 0; j < u.size(); ++j) {
      product *= r[static_cast<Eigen::Index>(j)];
      u[j] = std::clamp(floor_ + (peak_ - floor_) * product, floor_, peak_);
    }
    return u;
  }
  // r of knot values u (non-increasing in [floor, peak]); a ratio 0/0 after the floor is reached reads 1.
  Eigen::VectorXd RatiosOf(const std::vector<double>& u) const {
    Eigen::VectorXd r(size());
    double above_before = peak_ - floor_;
    for (int j = 0; j < size(); ++j) {
      const double above = std::clamp(u[static_cast<std::size_t>(j)] - floor_, 0.0, above_before);
      r[j] = above_before > 0 ? above / above_before : 1.0;
      above_before = above;
    }
    return r;
  }
  // The per-step LR: the warmup, then linear interpolation between knots.
  const std::vector<double>& PerStep(const std::vector<double>& u) {
    for (int j = 0; j + 1 < size(); ++j) {
      const long s0 = knot_steps_[j], s1 = knot_steps_[j + 1];
      for (long s = s0; s < s1; ++s) {
        const double w = static_cast<double>(s - s0) / static_cast<double>(s1 - s0);
        lr_[s] = u[j] + w * (u[j + 1] - u[j]);  // exactly u_j on a flat stretch
      }
    }
    lr_[steps_ - 1] = u.back();
    return lr_;
  }
  // dL/dr from dL/d eta (per step) at r: dL/du_j by the hat functions, then through u_j = floor + (peak -
  // floor)·p_j, p_j = r_0···r_j: dL/dr_i = (peak - floor)·p_{i-1}·h_i with h_i = dL/du_i + r_{i+1}·h_{i+1}.
  void RatioGradient(const Eigen::VectorXd& r, const std::vector<double>& step_gradient, Eigen::VectorXd* out) const {
    const int k = size();
    std::vector<double> du(static_cast<std::size_t>(k), 0.0);
    for (int j = 0; j + 1 < k; ++j) {
      const long s0 = knot_steps_[j], s1 = knot_steps_[j + 1];
      for (long s = s0; s < s1; ++s) {
        const double w = static_cast<double>(s - s0) / static_cast<double>(s1 - s0);
        du[j] += (1 - w) * step_gradient[s];
        du[j + 1] += w * step_gradient[s];
      }
    }
    du[k - 1] += step_gradient[steps_ - 1];
    out->resize(k);
    double h = 0;
    for (int i = k - 1; i >= 0; --i) {
      h = du[i] + (i + 1 < k ? r[i + 1] * h : 0.0);
      (*out)[i] = h;
    }
    double before = 1;  // p_{i-1}
    for (int i = 0; i < k; ++i) {
      (*out)[i] *= (peak_ - floor_) * before;
      before *= r[i];
    }
  }

 private:
  long steps_, warmup_;
  double peak_, floor_;
  std::vector<double> lr_;
  std::vector<long> knot_steps_;
};

// The final loss as a function of r for LBFGSpp; remembers the lowest point evaluated (a line search that throws
// leaves x at its last trial).
class RatioObjective {
 public:
  RatioObjective(const MultiPowerLaw& law, KnotSchedule& schedule, int* evaluations)
      : law_(law), schedule_(schedule), evaluations_(evaluations) {}
  double operator()(const Eigen::VectorXd& r, Eigen::VectorXd& gradient) {
    ++*evaluations_;
    const std::vector<double>& lr = schedule_.PerStep(schedule_.KnotLr(r));
    const double loss = MultiPowerFinalLoss(law_, lr, &step_gradient_);
    schedule_.RatioGradient(r, step_gradient_, &gradient);
    if (!std::isfinite(loss) || !gradient.allFinite()) return std::numeric_limits<double>::quiet_NaN();
    if (loss < best_loss_) {
      best_loss_ = loss;
      best_r_ = r;
    }
    return loss;
  }
  double best_loss() const { return best_loss_; }
  const Eigen::VectorXd& best_r() const { return best_r_; }

 private:
  const MultiPowerLaw& law_;
  KnotSchedule& schedule_;
  int* evaluations_;
  std::vector<double> step_gradient_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_r_;
};

LrSchedule BaseSchedule(const ScheduleDesignOptions& options, LrScheduleKind kind) {
  LrSchedule s;
  s.kind = kind;
  s.peak = options.peak;
  s.end = options.Floor();
  s.steps = options.steps;
  s.warmup = options.warmup;
  s.warmup_shape = options.warmup_shape;
  s.warmup_lr = options.warmup_lr;
  return s;
}

// The decay start D in [W, T - 1] minimising the final loss of WSD with shape: the best of a grid, then a
// golden-section search on integers between the grid's neighbours of it (the loss is unimodal in D in every case
// measured; the grid guards against a second minimum).
ScheduleBaseline BestWsd(const MultiPowerLaw& law, const ScheduleDesignOptions& options, DecayShape shape,
                         int* evaluations) {
  LrSchedule s = BaseSchedule(options, LrScheduleKind::kWsd);
  s.decay_shape = shape;
  auto loss_at = [&](long d) {
    s.decay_start = d;
    ++*evaluations;
    return MultiPowerFinalLoss(law, LrPerStep(s));
  };
  const long lo = options.warmup, hi = options.steps - 1;
  const int n = static_cast<int>(std::min<long>(options.wsd_grid, hi - lo + 1));
  std::vector<long> grid;
  for (int i = 0; i < n; ++i)
    grid.push_back(lo + static_cast<long>(std::llround(static_cast<double>(i) * (hi - lo) / (n - 1))));
  std::vector<double> values;
  for (long d : grid) values.push_back(loss_at(d));
  const int best = static_cast<int>(std::min_element(values.begin(), values.end()) - values.begin());
  long a = grid[best > 0 ? best - 1 : 0], b = grid[best + 1 < n ? best + 1 : n - 1];
  long best_d = grid[best];
  double best_value = values[best];
  // Golden section on [a, b] in integers.
  const double inv_phi = (std::sqrt(5.0) - 1) / 2;
  while (b - a > 3) {
    const long c = b - static_cast<long>(std::llround(inv_phi * (b - a)));
    const long d = a + static_cast<long>(std::llround(inv_phi * (b - a)));
    if (c >= d) break;
    const double fc = loss_at(c), fd = loss_at(d);
    if (fc < best_value) best_value = fc, best_d = c;
    if (fd < best_value) best_value = fd, best_d = d;
    if (fc <= fd) {
      b = d;
    } else {
      a = c;
    }
  }
  for (long d = a; d <= b; ++d) {
    const double f = loss_at(d);
    if (f < best_value) best_value = f, best_d = d;
  }
  s.decay_start = best_d;
  ScheduleBaseline out;
  out.name = std::string("wsd-") + std::string(DecayShapeName(shape));
  out.schedule = s;
  out.final_loss = best_value;
  out.decay_fraction = static_cast<double>(options.steps - best_d) / static_cast<double>(options.steps);
  return out;
}

}  // namespace

ScheduleDesignSummary DesignSchedule(const MultiPowerLaw& law, const ScheduleDesignOptions& options) {
  std::string why;
  if (!options.IsValid(&why)) throw InvalidArgument("schedule design: " + why);
  CheckLaw(law);
  const auto start_time = Clock::now();
  ScheduleDesignSummary out;
  out.law = law;
  out.steps = options.steps;
  out.warmup = options.warmup;
  out.peak = options.peak;
  out.min_lr = options.Floor();

  // Baselines.
  out.cosine.name = "cosine";
  out.cosine.schedule = BaseSchedule(options, LrScheduleKind::kCosine);
  const std::vector<double> cosine_lr = LrPerStep(out.cosine.schedule);
  out.cosine.final_loss = MultiPowerFinalLoss(law, cosine_lr);
  ++out.evaluations;
  for (DecayShape shape : {DecayShape::kLinear, DecayShape::kCosine, DecayShape::kExponential}) {
    out.wsd_by_shape.push_back(BestWsd(law, options, shape, &out.evaluations));
  }
  out.wsd = *std::min_element(
      out.wsd_by_shape.begin(), out.wsd_by_shape.end(),
      [](const ScheduleBaseline& x, const ScheduleBaseline& y) { return x.final_loss < y.final_loss; });
  if (!std::isfinite(out.cosine.final_loss) || !std::isfinite(out.wsd.final_loss)) {
    out.status = AnalysisStatus::kNoConvergence;
    out.message = "the law's final loss is not finite for the baseline schedules";
    return out;
  }

  // The warmup, as every baseline has it.
  const std::vector<double> wsd_lr = LrPerStep(out.wsd.schedule);
  KnotSchedule knots(options, std::vector<double>(cosine_lr.begin(), cosine_lr.begin() + options.warmup));
  auto at_knots = [&](const std::vector<double>& lr) {
    std::vector<double> u;
    for (long s : knots.knot_steps()) u.push_back(lr[s]);
    return knots.RatiosOf(u);
  };

  LBFGSpp::LBFGSBParam<double> param;
  param.m = 20;
  param.epsilon = options.gradient_tolerance;
  param.epsilon_rel = 0;
  param.past = 10;
  param.delta = options.function_tolerance;
  param.max_iterations = options.max_iterations;
  const Eigen::VectorXd lower = Eigen::VectorXd::Zero(knots.size());
  const Eigen::VectorXd upper = Eigen::VectorXd::Ones(knots.size());

  double best_loss = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_r;
  std::string stop_message;
  for (const auto& [name, start_lr] : {std::pair<const char*, const std::vector<double>*>{"wsd", &wsd_lr},
                                       std::pair<const char*, const std::vector<double>*>{"cosine", &cosine_lr}}) {
    RatioObjective objective(law, knots, &out.evaluations);
    Eigen::VectorXd r = at_knots(*start_lr);
    double value = 0;
    std::string message;
    try {
      LBFGSpp::LBFGSBSolver<double> solver(param);
      const int iterations = solver.minimize(objective, r, value, lower, upper);
      out.iterations += iterations;
      message = iterations < options.max_iterations ? "converged" : "iteration limit reached";
    } catch (const std::exception& e) {  // LBFGSpp reports a line search that cannot improve by throwing
      message = std::string("line search stopped: ") + e.what();
    }
    if (objective.best_loss() < best_loss) {
      best_loss = objective.best_loss();
      best_r = objective.best_r();
      out.best_start = name;
      stop_message = message;
    }
  }

  out.knot_steps = knots.knot_steps();
  out.knot_lr = knots.KnotLr(best_r);
  out.lr = knots.PerStep(out.knot_lr);
  out.final_loss = MultiPowerFinalLoss(law, out.lr);
  out.decay_start = options.steps;
  for (long s = options.warmup; s < options.steps; ++s) {
    if (out.lr[s] < 0.99 * options.peak) {
      out.decay_start = s;
      break;
    }
  }
  out.decay_fraction = static_cast<double>(options.steps - out.decay_start) / static_cast<double>(options.steps);
  out.seconds = std::chrono::duration<double>(Clock::now() - start_time).count();

  const double best_baseline = std::min(out.cosine.final_loss, out.wsd.final_loss);
  if (!std::isfinite(out.final_loss)) {
    out.status = AnalysisStatus::kNoConvergence;
    out.message = "the optimised schedule's final loss is not finite";
  } else if (stop_message == "iteration limit reached") {
    out.status = AnalysisStatus::kNoConvergence;
    out.message = fmt::format("L-BFGS-B reached its {} iterations", options.max_iterations);
  } else if (out.final_loss > best_baseline) {
    out.status = AnalysisStatus::kNoConvergence;
    out.message = fmt::format("the optimised schedule's final loss {:.9g} is above the best baseline's {:.9g}",
                              out.final_loss, best_baseline);
  } else {
    out.status = AnalysisStatus::kUsable;
    out.message = "";
  }
  if (!out.IsUsable()) {
    // Keep what was found for the report, but say that it is not an optimum.
  }
  return out;
}

ScheduleDesignSummary DesignSchedule(const CurveLaw& law, const ScheduleDesignOptions& options) {
  if (law.form != CurveLawForm::kMultiPower) {
    throw InvalidArgument(
        fmt::format("schedule design needs a multi-power law, not a {} law", CurveLawFormName(law.form)));
  }
  if (law.parameters.size() != 7) {
    throw InvalidArgument(fmt::format("multi-power law: {} parameters given, 7 expected", law.parameters.size()));
  }
  const std::vector<double>& p = law.parameters;
  return DesignSchedule(MultiPowerLaw{p[0], p[1], p[2], p[3], p[4], p[5], p[6]}, options);
}

std::string DesignedScheduleCsv(const ScheduleDesignSummary& summary) {
  std::string out = "step,lr\n";
  for (std::size_t s = 0; s < summary.lr.size(); ++s) out += fmt::format("{},{}\n", s, summary.lr[s]);
  return out;
}

std::string ScheduleDesignToJson(const ScheduleDesignSummary& summary) {
  using nlohmann::json;
  auto number = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
  json out;
  out["status"] = std::string(AnalysisStatusName(summary.status));
  out["usable"] = summary.IsUsable();
  if (!summary.IsUsable()) out["message"] = summary.message;
  const MultiPowerLaw& law = summary.law;
  const double values[] = {law.l0, law.a, law.alpha, law.b, law.c, law.beta, law.gamma};
  json parameters = json::object();
  const std::vector<std::string> names = CurveLawParameterNames(CurveLawForm::kMultiPower);
  for (std::size_t j = 0; j < names.size(); ++j) parameters[names[j]] = number(values[j]);
  out["law"] = parameters;
  out["steps"] = summary.steps;
  out["warmup"] = summary.warmup;
  out["peak"] = summary.peak;
  out["min_lr"] = summary.min_lr;
  out["final_loss"] = number(summary.final_loss);
  out["decay_start"] = summary.decay_start;
  out["decay_fraction"] = number(summary.decay_fraction);
  json knots = json::array();
  for (std::size_t j = 0; j < summary.knot_steps.size(); ++j) {
    knots.push_back(json::array({summary.knot_steps[j], number(summary.knot_lr[j])}));
  }
  out["knots"] = knots;
  json baselines = json::array();
  std::vector<const ScheduleBaseline*> all = {&summary.cosine};
  for (const ScheduleBaseline& b : summary.wsd_by_shape) all.push_back(&b);
  for (const ScheduleBaseline* b : all) {
    baselines.push_back({{"name", b->name},
                         {"schedule", LrScheduleSpec(b->schedule)},
                         {"final_loss", number(b->final_loss)},
                         {"decay_fraction", number(b->decay_fraction)}});
  }
  out["baselines"] = baselines;
  out["best_wsd"] = summary.wsd.name;
  out["best_start"] = summary.best_start;
  out["iterations"] = summary.iterations;
  out["evaluations"] = summary.evaluations;
  out["seconds"] = summary.seconds;
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);  // names need not be UTF-8
}

std::string ScheduleDesignSummary::BriefReport() const {
  std::string out =
      fmt::format("schedule design over {} steps (warmup {}, peak {:g}, floor {:g}): ", steps, warmup, peak, min_lr);
  if (!lr.empty()) {
    out += fmt::format("optimised final loss {:.6f}, cosine {:.6f}, best WSD {:.6f} ({}, decay fraction {:.3f})",
                       final_loss, cosine.final_loss, wsd.final_loss, wsd.name, wsd.decay_fraction);
  }
  out += fmt::format(": {}", AnalysisStatusName(status));
  if (!message.empty()) out += " (" + message + ")";
  return out;
}

std::string ScheduleDesignSummary::FullReport() const {
  std::string out = fmt::format(
      "schedule design for the multi-power law L0={:.6g} A={:.6g} alpha={:.6g} B={:.6g} C={:.6g} beta={:.6g} "
      "gamma={:.6g}\n",
      law.l0, law.a, law.alpha, law.b, law.c, law.beta, law.gamma);
  out += fmt::format("horizon {} steps, warmup {}, peak LR {:g}, floor {:g}\n", steps, warmup, peak, min_lr);
  out += "\nschedule            final loss    vs optimised  decay fraction\n";
  auto row = [&](const std::string& name, double loss, double fraction) {
    out += fmt::format("{:<18}  {:<12.7f}  {:<+12.3e}  {:.4f}\n", name, loss, loss - final_loss, fraction);
  };
  if (!lr.empty()) row("optimised", final_loss, decay_fraction);
  row(cosine.name, cosine.final_loss, 0);
  for (const ScheduleBaseline& b : wsd_by_shape) row(b.name, b.final_loss, b.decay_fraction);
  if (!lr.empty()) {
    out += fmt::format(
        "\noptimised schedule: at the peak until step {}, then down to {:.4g} at step {} ({} knots; "
        "best start: {})\n",
        decay_start, lr.back(), steps - 1, knot_steps.size(), best_start);
    // The knots: the first, the last one at the peak (within 0.1%) and every one after it.
    out += "step      lr\n";
    std::size_t last_peak = 0;
    while (last_peak + 1 < knot_steps.size() && knot_lr[last_peak + 1] >= peak * (1 - 1e-3)) ++last_peak;
    for (std::size_t j = 0; j < knot_steps.size(); ++j) {
      if (j == 0 || j >= last_peak) out += fmt::format("{:<8}  {:.6g}\n", knot_steps[j], knot_lr[j]);
      if (j == 0 && last_peak > 1) out += "...\n";
    }
  }
  out += fmt::format("\nstatus: {}{}  ({} iterations, {} evaluations, {:.3f} s)\n", AnalysisStatusName(status),
                     message.empty() ? "" : " - " + message, iterations, evaluations, seconds);
  return out;
}

}  // namespace scalelaw
