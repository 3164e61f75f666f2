// Learning-rate schedules as values: the per-step LR eta_0, ..., eta_{T-1} that the schedule-aware loss-curve laws
// (scalelaw/curves/curve_law.h) sum over. Step i is a 0-based index into that array, as in the Multi-Power Law's
// code (Luo et al. 2025, arXiv:2503.12811, github.com/thu-yao-01-luo/MultiPowerLaw, src/lr_schedules.py).
//
// Every schedule starts with an optional warmup of W steps:
//   linear   : eta_i = warmup_lr + (peak - warmup_lr)·i/(W - 1), i = 0..W-1 (numpy linspace(warmup_lr, peak, W):
//              eta_0 = warmup_lr, eta_{W-1} = peak; warmup_lr defaults to 0, as in the paper's runs);
//   constant : eta_i = warmup_lr for i < W.
// and then, for W <= i < T (T = steps):
//   constant : eta_i = peak;
//   cosine   : eta_i = end + (peak - end)/2·(1 + cos(pi·(i - W)/(T - W)));
//   linear   : eta_i = peak + (end - peak)·(i - W)/(T - W);
//   wsd      : warmup-stable-decay (Hu et al. 2024, MiniCPM, arXiv:2404.06395): peak until the decay start D, then a
//              decay from peak towards end over D <= i < T in u = (i - D)/(T - D), by its shape:
//                linear      eta_i = peak·(1 - u) + end·u,
//                cosine      eta_i = end + (peak - end)/2·(1 + cos(pi·u)),
//                exponential eta_i = peak^(1 - u)·end^u  (geometric interpolation; the paper's "wsd");
//              D is given directly (decay_start) or as the decayed fraction f of all steps, D = T - round(f·T);
//   steps    : multi-stage: peak until the first stage, then each stage's LR from its first step on
//              (stages (s_1, v_1), (s_2, v_2), ... with W <= s_1 < s_2 < ... < T).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scalelaw {

enum class LrScheduleKind { kConstant, kCosine, kLinear, kWsd, kSteps };
enum class WarmupShape { kLinear, kConstant };
enum class DecayShape { kLinear, kCosine, kExponential };

// "constant", "cosine", "linear", "wsd", "steps" / "linear", "constant" / "linear", "cosine", "exp".
std::string_view LrScheduleKindName(LrScheduleKind kind);
std::string_view WarmupShapeName(WarmupShape shape);
std::string_view DecayShapeName(DecayShape shape);

struct LrSchedule {
  LrScheduleKind kind = LrScheduleKind::kConstant;
  double peak = 0;  // the LR after warmup (> 0)
  double end = 0;   // the final LR of cosine, linear and wsd (>= 0; > 0 for an exponential decay)
  long steps = 0;   // T, the number of steps (> warmup)
  long warmup = 0;  // W, warmup steps (0 for none; a linear warmup needs at least 2)
  WarmupShape warmup_shape = WarmupShape::kLinear;
  double warmup_lr = 0;  // the linear warmup's first LR, or the constant warmup's LR
  // wsd: the first step of the decay (W <= decay_start < T), or, when decay_start < 0, decay_fraction of all
  // steps decayed (0 < f < 1).
  long decay_start = -1;
  double decay_fraction = 0;
  DecayShape decay_shape = DecayShape::kLinear;
  // steps: (first step, LR) of each stage after the peak stage, in increasing steps.
  std::vector<std::pair<long, double>> stages;

  // True when the fields describe a schedule; otherwise why not in *error (when given), naming the field.
  bool IsValid(std::string* error = nullptr) const;
  // The first step of the wsd decay (decay_start, or T - round(f·T)).
  long DecayStart() const;
};

// eta_0, ..., eta_{T-1}. Throws InvalidArgument (the IsValid reason) for an invalid schedule.
std::vector<double> LrPerStep(const LrSchedule& schedule);

// A schedule from a spec "kind:field=value,field=value,...", e.g.
//   "cosine:peak=3e-4,end=3e-5,steps=24000,warmup=2160"
//   "wsd:peak=3e-4,end=3e-5,steps=24000,warmup=2160,decay_start=20000,shape=exp"
//   "wsd:peak=1e-3,end=0,steps=10000,decay_fraction=0.2,shape=linear"
//   "steps:peak=3e-4,steps=16000,warmup=2160,stages=8000@9e-5/12000@3e-5"
// Fields: peak, end, steps, warmup, warmup_shape (linear|constant), warmup_lr, decay_start, decay_fraction,
// shape (linear|cosine|exp), stages (step@lr separated by '/'). Missing optional fields take the defaults above.
// Throws InvalidArgument with one line naming the spec and the bad field.
LrSchedule ParseLrSchedule(std::string_view spec);
// The spec ParseLrSchedule reads back to the same schedule (numbers with 17 significant digits where needed).
std::string LrScheduleSpec(const LrSchedule& schedule);

// The per-step LR eta_0..eta_{total_steps-1} from an LR logged at some steps: linear interpolation between logged
// steps, the first logged value before the first logged step and the last after the last. logged_steps must be
// strictly increasing and non-negative, the LRs finite and non-negative, total_steps > 0 (InvalidArgument otherwise,
// naming the offending index). max_gap > 0 refuses two consecutive logged steps further apart than max_gap (an LR
// column with gaps), naming the steps.
std::vector<double> LrFromLoggedColumn(const std::vector<long>& logged_steps, const std::vector<double>& logged_lr,
                                       long total_steps, long max_gap = 0);

}  // namespace scalelaw
