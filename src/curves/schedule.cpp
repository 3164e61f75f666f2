#include "scalelaw/curves/schedule.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>

#include "scalelaw/error.h"

namespace scalelaw {
namespace {

constexpr double kPi = 3.14159265358979323846;

bool Fail(std::string* error, const std::string& message) {
  if (error != nullptr) *error = message;
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void SpecError(std::string_view spec, std::string_view field, const std::string& problem) {
  if (field.empty()) throw InvalidArgument(fmt::format("LR schedule '{}': {}", spec, problem));
  throw InvalidArgument(fmt::format("LR schedule '{}': field '{}': {}", spec, field, problem));
}

double ParseNumber(std::string_view spec, std::string_view field, std::string_view text) {
  const std::string s(Trim(text));
  char* end = nullptr;
  errno = 0;
  const double value = s.empty() ? 0 : std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(value)) {
    SpecError(spec, field, fmt::format("'{}' is not a finite number", s));
  }
  return value;
}

long ParseStep(std::string_view spec, std::string_view field, std::string_view text) {
  const double value = ParseNumber(spec, field, text);
  if (value < 0 || value != std::floor(value) || value > 1e15) {
    SpecError(spec, field, fmt::format("'{}' is not a non-negative whole number of steps", Trim(text)));
  }
  return static_cast<long>(value);
}

}  // namespace

std::string_view LrScheduleKindName(LrScheduleKind kind) {
  switch (kind) {
    case LrScheduleKind::kConstant:
      return "constant";
    case LrScheduleKind::kCosine:
      return "cosine";
    case LrScheduleKind::kLinear:
      return "linear";
    case LrScheduleKind::kWsd:
      return "wsd";
    case LrScheduleKind::kSteps:
      return "steps";
  }
  return "?";
}

std::string_view WarmupShapeName(WarmupShape shape) { return shape == WarmupShape::kLinear ? "linear" : "constant"; }

std::string_view DecayShapeName(DecayShape shape) {
  switch (shape) {
    case DecayShape::kLinear:
      return "linear";
    case DecayShape::kCosine:
      return "cosine";
    case DecayShape::kExponential:
      return "exp";
  }
  return "?";
}

long LrSchedule::DecayStart() const {
  if (decay_start >= 0) return decay_start;
  return steps - std::lround(decay_fraction * static_cast<double>(steps));
}

bool LrSchedule::IsValid(std::string* error) const {
  if (!(std::isfinite(peak) && peak > 0))
    return Fail(error, fmt::format("peak must be a positive number, not {}", peak));
  if (warmup < 0) return Fail(error, fmt::format("warmup must be >= 0, not {}", warmup));
  if (steps <= warmup) return Fail(error, fmt::format("steps ({}) must exceed warmup ({})", steps, warmup));
  if (warmup_shape == WarmupShape::kLinear && warmup == 1) {
    return Fail(error, "warmup: a linear warmup needs at least 2 steps (it runs from warmup_lr to peak)");
  }
  if (!(std::isfinite(warmup_lr) && warmup_lr >= 0)) {
    return Fail(error, fmt::format("warmup_lr must be a non-negative number, not {}", warmup_lr));
  }
  const bool has_end =
      kind == LrScheduleKind::kCosine || kind == LrScheduleKind::kLinear || kind == LrScheduleKind::kWsd;
  if (has_end && !(std::isfinite(end) && end >= 0)) {
    return Fail(error, fmt::format("end must be a non-negative number, not {}", end));
  }
  if (kind == LrScheduleKind::kWsd) {
    if (decay_start < 0 && !(decay_fraction > 0 && decay_fraction < 1)) {
      return Fail(error,
                  fmt::format("decay_fraction must lie in (0, 1), not {} (or give decay_start)", decay_fraction));
    }
    const long d = DecayStart();
    if (d < warmup || d >= steps) {
      return Fail(error, fmt::format("decay_start ({}) must lie in [warmup, steps) = [{}, {})", d, warmup, steps));
    }
    if (decay_shape == DecayShape::kExponential && !(end > 0)) {
      return Fail(error, "end: an exponential decay needs end > 0");
    }
  }
  if (kind == LrScheduleKind::kSteps) {
    if (stages.empty()) return Fail(error, "stages: a multi-stage schedule needs at least one stage (step@lr)");
    long previous = warmup - 1;
    for (const auto& [step, lr] : stages) {
      if (step <= previous || step >= steps) {
        return Fail(error, fmt::format("stages: stage step {} must be increasing, at least warmup ({}) and below "
                                       "steps ({})",
                                       step, warmup, steps));
      }
      if (!(std::isfinite(lr) && lr >= 0)) return Fail(error, fmt::format("stages: LR {} is not >= 0", lr));
      previous = step;
    }
  }
  return true;
}

std::vector<double> LrPerStep(const LrSchedule& s) {
  std::string error;
  if (!s.IsValid(&error)) throw InvalidArgument("LR schedule: " + error);
  std::vector<double> lr(static_cast<std::size_t>(s.steps));
  const long w = s.warmup;
  for (long i = 0; i < w; ++i) {
    lr[i] = s.warmup_shape == WarmupShape::kConstant
                ? s.warmup_lr
                : s.warmup_lr + (s.peak - s.warmup_lr) * static_cast<double>(i) / static_cast<double>(w - 1);
  }
  const double span = static_cast<double>(s.steps - w);
  switch (s.kind) {
    case LrScheduleKind::kConstant:
      for (long i = w; i < s.steps; ++i) lr[i] = s.peak;
      break;
    case LrScheduleKind::kCosine:
      for (long i = w; i < s.steps; ++i) {
        lr[i] = s.end + (s.peak - s.end) / 2 * (1 + std::cos(kPi * static_cast<double>(i - w) / span));
      }
      break;
    case LrScheduleKind::kLinear:
      for (long i = w; i < s.steps; ++i) lr[i] = s.peak + (s.end - s.peak) * static_cast<double>(i - w) / span;
      break;
    case LrScheduleKind::kWsd: {
      const long d = s.DecayStart();
      const double decay = static_cast<double>(s.steps - d);
      for (long i = w; i < d; ++i) lr[i] = s.peak;
      for (long i = d; i < s.steps; ++i) {
        const double u = static_cast<double>(i - d) / decay;
        switch (s.decay_shape) {
          case DecayShape::kLinear:
            lr[i] = s.peak * (1 - u) + s.end * u;
            break;
          case DecayShape::kCosine:
            lr[i] = s.end + (s.peak - s.end) / 2 * (1 + std::cos(kPi * u));
            break;
          case DecayShape::kExponential:
            lr[i] = std::pow(s.peak, static_cast<double>(s.steps - i) / decay) * std::pow(s.end, u);
            break;
        }
      }
      break;
    }
    case LrScheduleKind::kSteps: {
      double current = s.peak;
      std::size_t next = 0;
      for (long i = w; i < s.steps; ++i) {
        while (next < s.stages.size() && s.stages[next].first <= i) current = s.stages[next++].second;
        lr[i] = current;
      }
      break;
    }
  }
  return lr;
}

LrSchedule ParseLrSchedule(std::string_view spec) {
  const std::size_t colon = spec.find(':');
  const std::string_view kind_name = Trim(spec.substr(0, colon));
  LrSchedule s;
  if (kind_name == "constant") {
    s.kind = LrScheduleKind::kConstant;
  } else if (kind_name == "cosine") {
    s.kind = LrScheduleKind::kCosine;
  } else if (kind_name == "linear") {
    s.kind = LrScheduleKind::kLinear;
  } else if (kind_name == "wsd") {
    s.kind = LrScheduleKind::kWsd;
  } else if (kind_name == "steps") {
    s.kind = LrScheduleKind::kSteps;
  } else {
    SpecError(spec, "",
              fmt::format("unknown schedule '{}' (choose constant, cosine, linear, wsd or steps, then "
                          "':field=value,...')",
                          kind_name));
  }
  std::set<std::string, std::less<>> seen;
  std::string_view rest = colon == std::string_view::npos ? std::string_view() : spec.substr(colon + 1);
  while (!Trim(rest).empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t eq = item.find('=');
    const std::string_view field = Trim(item.substr(0, eq));
    if (eq == std::string_view::npos) SpecError(spec, field, "expected field=value");
    const std::string_view value = Trim(item.substr(eq + 1));
    if (!seen.emplace(field).second) SpecError(spec, field, "given twice");
    if (field == "peak") {
      s.peak = ParseNumber(spec, field, value);
      if (!(s.peak > 0)) SpecError(spec, field, "must be > 0");
    } else if (field == "end") {
      if (s.kind == LrScheduleKind::kConstant || s.kind == LrScheduleKind::kSteps) {
        SpecError(spec, field, fmt::format("not a field of a {} schedule", kind_name));
      }
      s.end = ParseNumber(spec, field, value);
      if (s.end < 0) SpecError(spec, field, "must be >= 0");
    } else if (field == "steps") {
      s.steps = ParseStep(spec, field, value);
    } else if (field == "warmup") {
      s.warmup = ParseStep(spec, field, value);
    } else if (field == "warmup_shape") {
      if (value == "linear") {
        s.warmup_shape = WarmupShape::kLinear;
      } else if (value == "constant") {
        s.warmup_shape = WarmupShape::kConstant;
      } else {
        SpecError(spec, field, fmt::format("'{}' is not linear or constant", value));
      }
    } else if (field == "warmup_lr") {
      s.warmup_lr = ParseNumber(spec, field, value);
      if (s.warmup_lr < 0) SpecError(spec, field, "must be >= 0");
    } else if (field == "decay_start" || field == "decay_fraction" || field == "shape") {
      if (s.kind != LrScheduleKind::kWsd) SpecError(spec, field, "only a wsd schedule has it");
      if (field == "decay_start") {
        s.decay_start = ParseStep(spec, field, value);
      } else if (field == "decay_fraction") {
        s.decay_fraction = ParseNumber(spec, field, value);
        if (!(s.decay_fraction > 0 && s.decay_fraction < 1)) SpecError(spec, field, "must lie in (0, 1)");
      } else if (value == "linear") {
        s.decay_shape = DecayShape::kLinear;
      } else if (value == "cosine") {
        s.decay_shape = DecayShape::kCosine;
      } else if (value == "exp" || value == "exponential") {
        s.decay_shape = DecayShape::kExponential;
      } else {
        SpecError(spec, field, fmt::format("'{}' is not linear, cosine or exp", value));
      }
    } else if (field == "stages") {
      if (s.kind != LrScheduleKind::kSteps) SpecError(spec, field, "only a steps schedule has it");
      std::string_view list = value;
      while (!list.empty()) {
        const std::size_t slash = list.find('/');
        const std::string_view stage = list.substr(0, slash);
        list = slash == std::string_view::npos ? std::string_view() : list.substr(slash + 1);
        const std::size_t at = stage.find('@');
        if (at == std::string_view::npos) {
          SpecError(spec, field, fmt::format("stage '{}' is not step@lr", Trim(stage)));
        }
        s.stages.emplace_back(ParseStep(spec, field, stage.substr(0, at)),
                              ParseNumber(spec, field, stage.substr(at + 1)));
      }
    } else {
      SpecError(spec, field,
                "unknown field (peak, end, steps, warmup, warmup_shape, warmup_lr, decay_start, decay_fraction, "
                "shape, stages)");
    }
  }
  if (!seen.count("peak")) SpecError(spec, "peak", "missing");
  if (!seen.count("steps")) SpecError(spec, "steps", "missing");
  if ((s.kind == LrScheduleKind::kCosine || s.kind == LrScheduleKind::kLinear || s.kind == LrScheduleKind::kWsd) &&
      !seen.count("end")) {
    SpecError(spec, "end", "missing");
  }
  if (s.kind == LrScheduleKind::kWsd) {
    if (seen.count("decay_start") == seen.count("decay_fraction")) {
      SpecError(spec, "decay_start", "give exactly one of decay_start and decay_fraction");
    }
  }
  if (s.warmup_shape == WarmupShape::kConstant && s.warmup > 0 && !seen.count("warmup_lr")) {
    SpecError(spec, "warmup_lr", "missing (a constant warmup runs at warmup_lr)");
  }
  std::string error;
  if (!s.IsValid(&error)) SpecError(spec, "", error);
  return s;
}

std::string LrScheduleSpec(const LrSchedule& s) {
  std::string out = fmt::format("{}:peak={}", LrScheduleKindName(s.kind), s.peak);
  if (s.kind == LrScheduleKind::kCosine || s.kind == LrScheduleKind::kLinear || s.kind == LrScheduleKind::kWsd) {
    out += fmt::format(",end={}", s.end);
  }
  out += fmt::format(",steps={}", s.steps);
  if (s.warmup > 0) {
    out += fmt::format(",warmup={}", s.warmup);
    if (s.warmup_shape == WarmupShape::kConstant) out += ",warmup_shape=constant";
    if (s.warmup_lr != 0 || s.warmup_shape == WarmupShape::kConstant) out += fmt::format(",warmup_lr={}", s.warmup_lr);
  }
  if (s.kind == LrScheduleKind::kWsd) {
    out += s.decay_start >= 0 ? fmt::format(",decay_start={}", s.decay_start)
                              : fmt::format(",decay_fraction={}", s.decay_fraction);
    out += fmt::format(",shape={}", DecayShapeName(s.decay_shape));
  }
  if (s.kind == LrScheduleKind::kSteps) {
    out += ",stages=";
    for (std::size_t i = 0; i < s.stages.size(); ++i) {
      out += fmt::format("{}{}@{}", i ? "/" : "", s.stages[i].first, s.stages[i].second);
    }
  }
  return out;
}

std::vector<double> LrFromLoggedColumn(const std::vector<long>& logged_steps, const std::vector<double>& logged_lr,
                                       long total_steps, long max_gap) {
  if (logged_steps.size() != logged_lr.size()) {
    throw InvalidArgument(fmt::format("logged LR: {} steps but {} LR values", logged_steps.size(), logged_lr.size()));
  }
  if (logged_steps.empty()) throw InvalidArgument("logged LR: no logged steps");
  if (total_steps <= 0) throw InvalidArgument(fmt::format("logged LR: total_steps must be > 0, not {}", total_steps));
  for (std::size_t j = 0; j < logged_steps.size(); ++j) {
    if (logged_steps[j] < 0 || (j > 0 && logged_steps[j] <= logged_steps[j - 1])) {
      throw InvalidArgument(
          fmt::format("logged LR: step {} at index {} is not above the previous step and >= 0", logged_steps[j], j));
    }
    if (!(std::isfinite(logged_lr[j]) && logged_lr[j] >= 0)) {
      throw InvalidArgument(
          fmt::format("logged LR: LR {} at step {} is not a non-negative number", logged_lr[j], logged_steps[j]));
    }
    if (max_gap > 0 && j > 0 && logged_steps[j] - logged_steps[j - 1] > max_gap) {
      throw InvalidArgument(fmt::format("logged LR: gap from step {} to step {} exceeds {} steps", logged_steps[j - 1],
                                        logged_steps[j], max_gap));
    }
  }
  std::vector<double> lr(static_cast<std::size_t>(total_steps));
  std::size_t j = 0;
  for (long i = 0; i < total_steps; ++i) {
    while (j + 1 < logged_steps.size() && logged_steps[j + 1] <= i) ++j;
    if (i <= logged_steps.front()) {
      lr[i] = logged_lr.front();
    } else if (j + 1 >= logged_steps.size()) {
      lr[i] = logged_lr.back();
    } else {
      const double u =
          static_cast<double>(i - logged_steps[j]) / static_cast<double>(logged_steps[j + 1] - logged_steps[j]);
      lr[i] = logged_lr[j] + (logged_lr[j + 1] - logged_lr[j]) * u;
    }
  }
  return lr;
}

}  // namespace scalelaw
