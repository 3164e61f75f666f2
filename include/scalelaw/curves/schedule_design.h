// Schedule design: the learning-rate schedule that minimises a fitted Multi-Power Law's predicted final loss
// (Luo et al. 2025, arXiv:2503.12811, Sec. 5, which optimises the schedule against the law directly and finds
// WSD-like schedules that beat cosine), compared with cosine and with warmup-stable-decay of the same peak, warmup,
// floor and horizon.
//
// The problem. For a horizon of T steps, a warmup of W steps (the warmup of scalelaw/curves/schedule.h, kept as
// given), a peak eta_max and a floor eta_min > 0, choose eta_W, ..., eta_{T-1} with
//     eta_max >= eta_W >= eta_{W+1} >= ... >= eta_{T-1} >= eta_min           (non-increasing, within the bounds)
// minimising the law's L(T - 1) (curve_law.h; the last step's loss, as the paper's final loss).
//
// Parameterisation. The post-warmup LR is piecewise linear in the step between K knots s_0 = W < s_1 < ... <
// s_{K-1} = T - 1 spaced evenly, with knot values
//     u_j = eta_min + (eta_max - eta_min) · r_0 · r_1 ··· r_j,    r_i in [0, 1],
// so that every r in the box [0, 1]^K is a feasible schedule and every feasible piecewise-linear one is some r
// (the product of fractions, the "product of sigmoids" idea with the box handled by the solver instead of a
// squashing function, whose vanishing slope at the bounds would slow the solve where the optimum lies: a stable
// phase at exactly the peak and a final LR at exactly the floor). The box-constrained problem is solved by L-BFGS-B
// (LBFGSpp's LBFGSBSolver, Debian's liblbfgspp-dev) from two starts, the best WSD and the cosine schedule written in
// these knots, and the lower end is kept.
//
// Gradient. L(T - 1) and dL/d eta_j for every step j come from one O(T) adjoint pass (MultiPowerFinalLoss below; the
// derivation is in its comment), then dL/du_j by the hat functions of the interpolation and dL/dr_i by the chain
// rule through the products, O(K). An evaluation at T = 24000 costs about a millisecond.
//
// Baselines, of the same peak, warmup, floor (as their final LR) and horizon: cosine, and WSD (peak until a decay
// start D, then a decay to eta_min by each of the shapes linear, cosine and exponential of schedule.h) at the D
// that minimises the law's final loss for that shape (a grid of D over [W, T - 1], refined by a golden-section
// search on integers), so that the optimised schedule is compared with the best the WSD family offers, not with an
// arbitrary decay fraction.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/curves/curve_law.h"
#include "scalelaw/curves/schedule.h"

namespace scalelaw {

struct ScheduleDesignOptions {
  long steps = 0;   // T, the horizon (> warmup + 1)
  double peak = 0;  // eta_max (> 0)
  long warmup = 0;  // W (0 for none; a linear warmup needs at least 2)
  WarmupShape warmup_shape = WarmupShape::kLinear;
  double warmup_lr = 0;  // the warmup's first LR (linear) or its LR (constant), as LrSchedule's
  // eta_min, the floor of the optimised schedule and the final LR of cosine and WSD, in (0, peak); 0: peak / 10
  // (the ratio of the paper's runs, 3e-5 / 3e-4). It must be positive: the law's LD term has a slope in eta that
  // grows without bound as eta -> 0 (eta^(gamma·beta - 1) for gamma·beta < 1), so a floor of 0 has no optimum to
  // converge to.
  double min_lr = 0;
  int knots = 100;            // K, knots of the piecewise-linear schedule after warmup (>= 2; at most T - W)
  int max_iterations = 3000;  // L-BFGS-B iterations per start (>= 1)
  // Convergence tests of L-BFGS-B (LBFGSpp): the max-norm of the projected gradient in r, and the relative change
  // of the final loss over 10 iterations.
  double gradient_tolerance = 1e-9;
  double function_tolerance = 1e-13;
  int wsd_grid = 64;  // decay starts on the coarse grid of each WSD shape's search (>= 4)

  // True when every option is in its range; otherwise why not in *error (when given), naming the option.
  bool IsValid(std::string* error = nullptr) const;
  // min_lr, or peak / 10 when it is 0.
  double Floor() const { return min_lr > 0 ? min_lr : peak / 10; }
};

// A schedule of a standard family and the law's predicted final loss for it.
struct ScheduleBaseline {
  std::string name;  // "cosine", "wsd-linear", "wsd-cosine", "wsd-exp"
  LrSchedule schedule;
  double final_loss = 0;
  // WSD: the decayed fraction of all steps, (T - D) / T; 0 for cosine.
  double decay_fraction = 0;
};

struct ScheduleDesignSummary {
  // kUsable: the solve stopped on a convergence test or a line search that could not improve, with a finite
  // final loss no higher than the best baseline's. kNoConvergence: otherwise (message says which).
  AnalysisStatus status = AnalysisStatus::kNoConvergence;
  std::string message = "DesignSchedule was not called";
  MultiPowerLaw law;
  long steps = 0, warmup = 0;
  double peak = 0, min_lr = 0;

  std::vector<double> lr;  // the optimised eta_0..eta_{T-1}, warmup included (empty when not usable)
  // The compact description: the knots (step, LR) the schedule interpolates linearly after warmup.
  std::vector<long> knot_steps;
  std::vector<double> knot_lr;
  double final_loss = 0;  // the law's L(T - 1) for lr
  // The first step after warmup where the LR falls below 99% of the peak (T when it never does), and the decayed
  // fraction (T - decay_start) / T, to read against WSD's.
  long decay_start = 0;
  double decay_fraction = 0;

  ScheduleBaseline cosine;                     // cosine from the peak to min_lr
  ScheduleBaseline wsd;                        // the best of wsd_by_shape
  std::vector<ScheduleBaseline> wsd_by_shape;  // the best decay start of each shape: linear, cosine, exponential

  int iterations = 0;      // L-BFGS-B iterations, over the starts
  int evaluations = 0;     // evaluations of the final loss and its gradient, baselines included
  std::string best_start;  // "wsd" or "cosine": the start the optimum came from
  double seconds = 0;      // wall time

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // One line: the optimised final loss against cosine's and the best WSD's, status.
  std::string BriefReport() const;
  // The law, the setting, every baseline, the optimised schedule's knots (a sample of them) and the status.
  std::string FullReport() const;
};

// The optimised schedule for law (InvalidArgument for invalid options, a law whose parameters are not finite, or
// A, alpha, C, beta not positive or B, gamma negative).
ScheduleDesignSummary DesignSchedule(const MultiPowerLaw& law, const ScheduleDesignOptions& options);
// The same for a CurveLaw, which must be of the multi-power form (InvalidArgument otherwise).
ScheduleDesignSummary DesignSchedule(const CurveLaw& law, const ScheduleDesignOptions& options);

// The Multi-Power Law's loss at the last step T - 1 of lr (T = lr.size()), by the exact O(T) sum, and, when
// gradient is not null, dL(T-1)/d eta_j for j = 0..T-1 (resized to T), by the adjoint pass below.
//
// With t = T - 1, P = sum_{tau<=t} eta_tau, Q_k = sum_{tau=k}^{t} eta_tau, d_k = eta_{k-1} - eta_k,
// a_k = C·eta_k^(-gamma), z_k = a_k·Q_k, g_k = 1 - (1 + z_k)^(-beta), g'_k = beta·(1 + z_k)^(-beta-1):
//     L = L0 + A·P^(-alpha) - B · sum_{k=1}^{t} d_k g_k.
// eta_j enters P (every j), d_j and d_{j+1}, a_j, and Q_k for every k <= j, so
//     dL/d eta_j = -alpha·A·P^(-alpha-1) - B·(g_{j+1} - g_j) - B·R_j + B·gamma·d_j·g'_j·z_j/eta_j,
//     R_j = sum_{k=1}^{j} d_k·g'_k·a_k      (a prefix sum: the whole gradient costs O(T)),
// with g_0 = g_{t+1} = 0 (the sum runs over k = 1..t). A step with eta_k = 0 has g_k = 1 (z -> inf) and adds
// nothing to R or to the last term. Throws InvalidArgument for an empty schedule, a negative or non-finite LR or
// P = 0.
double MultiPowerFinalLoss(const MultiPowerLaw& law, const std::vector<double>& lr,
                           std::vector<double>* gradient = nullptr);

// The summary as one line of JSON: "status", "usable", "message" (when not usable), "law" (an object keyed by
// CurveLawParameterNames), "steps", "warmup", "peak", "min_lr", "final_loss", "decay_start", "decay_fraction",
// "knots" ([step, lr] pairs), "baselines" (cosine, then each WSD shape: "name", "schedule" (its LrScheduleSpec),
// "final_loss", "decay_fraction"), "best_wsd" (a name of baselines), "best_start", "iterations", "evaluations",
// "seconds". The per-step LR is DesignedScheduleCsv's.
std::string ScheduleDesignToJson(const ScheduleDesignSummary& summary);

// "step,lr" and one row per step of summary.lr, for a trainer (shortest round-trip numbers).
std::string DesignedScheduleCsv(const ScheduleDesignSummary& summary);

}  // namespace scalelaw
