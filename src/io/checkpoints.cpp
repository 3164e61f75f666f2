// From curves to the (N, D, loss) rows of a scaling-law fit: which points of a training curve stand for a run.
//
// A fit of L(N, D) wants the loss a run reaches at the end of its schedule. The final point of a run is that
// point; every point of a run is not (the loss in mid-schedule sits above what the same D reaches with a
// schedule of length D: Hoffmann et al. 2022, arXiv 2203.15556, Appendix A.1, Fig. A1), except under a
// warmup-stable-decay schedule, where every cooldown ends a schedule of its own: Hägele et al. 2024 (arXiv
// 2405.18392, Sec. 4) branch cooldowns off one stable phase and take one (N, D) point per cooldown.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/curves.h"

namespace scalelaw {
namespace {

std::string CsvNumber(double value) { return std::isnan(value) ? "" : fmt::format("{}", value); }

double ParseSpecNumber(const std::string& text, const std::string& spec) {
  double value = 0;
  const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || status != std::errc() || stop != text.data() + text.size()) {
    throw InvalidArgument("smoothing '" + spec + "': '" + text + "' is not a number");
  }
  return value;
}

}  // namespace

CheckpointPolicy::Keep CheckpointPolicy::KeepFromName(const std::string& name) {
  if (name == "final") return Keep::kFinal;
  if (name == "all") return Keep::kAll;
  if (name == "cooldowns") return Keep::kCooldowns;
  throw InvalidArgument("unknown checkpoint policy '" + name + "' (final, all, cooldowns)");
}

const char* CheckpointPolicy::KeepName(Keep keep) {
  switch (keep) {
    case Keep::kFinal:
      return "final";
    case Keep::kAll:
      return "all";
    case Keep::kCooldowns:
      return "cooldowns";
  }
  return "final";
}

void CheckpointPolicy::SetSmoothing(const std::string& spec) {
  if (spec == "none" || spec.empty()) {
    smoothing = Smoothing::kNone;
    return;
  }
  const std::size_t colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const std::string value = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (kind == "ema") {
    smoothing = Smoothing::kEma;
    if (!value.empty()) ema_decay = ParseSpecNumber(value, spec);
  } else if (kind == "ma") {
    smoothing = Smoothing::kMovingAverage;
    if (!value.empty()) {
      const double w = ParseSpecNumber(value, spec);
      if (!(w >= 1 && w <= 1e9 && w == std::floor(w))) {
        throw InvalidArgument("smoothing '" + spec + "': the window must be a whole number of points >= 1");
      }
      window = static_cast<int>(w);
    }
  } else {
    throw InvalidArgument("unknown smoothing '" + spec + "' (none, ema:DECAY, ma:POINTS)");
  }
  const std::string problem = Validate();
  if (!problem.empty()) throw InvalidArgument("smoothing '" + spec + "': " + problem);
}

std::string CheckpointPolicy::SmoothingName() const {
  switch (smoothing) {
    case Smoothing::kNone:
      return "none";
    case Smoothing::kEma:
      return fmt::format("ema:{}", ema_decay);
    case Smoothing::kMovingAverage:
      return fmt::format("ma:{}", window);
  }
  return "none";
}

std::string CheckpointPolicy::ToString() const {
  std::string text = KeepName(keep);
  if (keep == Keep::kCooldowns) text += fmt::format(" (LR at most {} of its peak)", cooldown_fraction);
  text += ", smoothing " + SmoothingName();
  if (skip_warmup > 0) text += fmt::format(", first {} of steps skipped", skip_warmup);
  return text;
}

std::string CheckpointPolicy::Validate() const {
  if (!(ema_decay >= 0 && ema_decay < 1)) return fmt::format("the EMA decay must be in [0, 1), got {}", ema_decay);
  if (window < 1) return fmt::format("the moving-average window must be at least 1 point, got {}", window);
  if (!(skip_warmup >= 0 && skip_warmup < 1)) {
    return fmt::format("the warmup fraction skipped must be in [0, 1), got {}", skip_warmup);
  }
  if (!(cooldown_fraction > 0 && cooldown_fraction < 1)) {
    return fmt::format("the cooldown fraction must be in (0, 1), got {}", cooldown_fraction);
  }
  return "";
}

std::vector<double> SmoothCurve(const std::vector<double>& values, const CheckpointPolicy& policy) {
  std::vector<double> smoothed(values.size());
  switch (policy.smoothing) {
    case CheckpointPolicy::Smoothing::kNone:
      return values;
    case CheckpointPolicy::Smoothing::kEma: {
      // s_0 = x_0 (no bias correction is needed when the average starts at the first value).
      double s = values.empty() ? 0 : values[0];
      for (std::size_t i = 0; i < values.size(); ++i) {
        s = i == 0 ? values[0] : policy.ema_decay * s + (1 - policy.ema_decay) * values[i];
        smoothed[i] = s;
      }
      return smoothed;
    }
    case CheckpointPolicy::Smoothing::kMovingAverage: {
      // Trailing: the mean of the last `window` points up to i (fewer at the start), so a point never sees the
      // steps after it; a running sum.
      const std::size_t w = static_cast<std::size_t>(policy.window);
      double sum = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        sum += values[i];
        if (i >= w) sum -= values[i - w];
        smoothed[i] = sum / static_cast<double>(std::min(i + 1, w));
      }
      return smoothed;
    }
  }
  return values;
}

std::vector<std::size_t> CooldownEnds(const std::vector<double>& lr, double cooldown_fraction) {
  // A cooldown ends at i when the LR does not fall further (it rises next, or the run ends there) and it has
  // fallen to at most cooldown_fraction of the highest LR since the previous end: warmups (rising) and the
  // steps of a multi-stage schedule that only drop part of the way are not ends.
  std::vector<std::size_t> ends;
  double peak = 0;
  for (std::size_t i = 0; i < lr.size(); ++i) {
    peak = std::max(peak, lr[i]);
    const bool last_of_fall = i + 1 == lr.size() || lr[i + 1] > lr[i];
    if (last_of_fall && peak > 0 && lr[i] < peak && lr[i] <= cooldown_fraction * peak) {
      ends.push_back(i);
      peak = 0;
    }
  }
  return ends;
}

CheckpointRows SelectCheckpoints(const CurveTable& curves, const CheckpointPolicy& policy) {
  const std::string problem = policy.Validate();
  if (!problem.empty()) throw InvalidArgument(problem);
  CheckpointRows rows;
  rows.metric = curves.metric;
  rows.policy = policy.ToString();
  for (const Curve& curve : curves.curves) {
    if (curve.size() == 0) continue;
    if (curve.tokens.empty()) {
      throw InvalidArgument("run '" + curve.run + "' (" + curve.source +
                            "): the tokens are neither logged nor computable: give the batch in tokens, or in "
                            "sequences with the sequence length");
    }
    if (policy.keep == CheckpointPolicy::Keep::kCooldowns && curve.lr.empty()) {
      throw InvalidArgument("run '" + curve.run + "' (" + curve.source +
                            "): checkpoints at cooldown ends need the learning rate, and the log has none (name its "
                            "column)");
    }
    // The warmup skipped, then the rest smoothed.
    const double first_step = policy.skip_warmup * curve.step.back();
    std::size_t first = 0;
    while (first < curve.size() && curve.step[first] < first_step) ++first;
    const std::vector<double> kept(curve.metric.begin() + static_cast<std::ptrdiff_t>(first), curve.metric.end());
    const std::vector<double> smoothed = SmoothCurve(kept, policy);
    std::vector<std::size_t> chosen;  // indices into the curve
    switch (policy.keep) {
      case CheckpointPolicy::Keep::kFinal:
        chosen.push_back(curve.size() - 1);
        break;
      case CheckpointPolicy::Keep::kAll:
        for (std::size_t i = first; i < curve.size(); ++i) chosen.push_back(i);
        break;
      case CheckpointPolicy::Keep::kCooldowns:
        for (std::size_t i : CooldownEnds(curve.lr, policy.cooldown_fraction)) {
          if (i >= first) chosen.push_back(i);
        }
        break;
    }
    std::size_t added = 0;
    for (std::size_t i : chosen) {
      if (!(curve.tokens[i] > 0)) continue;  // step 0: no tokens seen, no point of L(N, D)
      rows.run.push_back(curve.run);
      rows.params.push_back(curve.facts.params);
      rows.tokens.push_back(curve.tokens[i]);
      rows.step.push_back(curve.step[i]);
      rows.loss.push_back(smoothed[i - first]);
      rows.lr.push_back(curve.lr.empty() ? std::numeric_limits<double>::quiet_NaN() : curve.lr[i]);
      rows.schedule.push_back(curve.facts.schedule);
      ++added;
    }
    if (added == 0) {
      const char* why = policy.keep == CheckpointPolicy::Keep::kCooldowns
                            ? "no cooldown ends (the LR never falls to the cooldown fraction of its peak)"
                            : "no point with tokens > 0";
      rows.warnings.push_back("run '" + curve.run + "' (" + curve.source + ") gives no row: " + why);
    }
  }
  if (rows.size() == 0) {
    throw InvalidArgument(rows.warnings.empty() ? "no curve to take checkpoints from"
                                                : "no row is left: " + rows.warnings.front());
  }
  return rows;
}

std::string CheckpointRows::ToCsv() const {
  std::string out = "run,params,tokens,step,loss,lr,schedule,metric,checkpoints\n";
  const std::string tail = "," + CsvCell(metric) + "," + CsvCell(policy) + "\n";
  for (std::size_t i = 0; i < size(); ++i) {
    out += CsvCell(run[i]) + "," + CsvNumber(params[i]) + "," + CsvNumber(tokens[i]) + "," + CsvNumber(step[i]) + "," +
           CsvNumber(loss[i]) + "," + CsvNumber(lr[i]) + "," + CsvCell(schedule[i]) + tail;
  }
  return out;
}

std::string CheckpointRows::ToJson() const {
  using Json = nlohmann::ordered_json;
  auto number = [](double value) { return std::isnan(value) ? Json(nullptr) : Json(value); };
  Json out;
  out["metric"] = metric;
  out["checkpoints"] = policy;
  Json list = Json::array();
  for (std::size_t i = 0; i < size(); ++i) {
    Json row;
    row["run"] = run[i];
    row["params"] = number(params[i]);
    row["tokens"] = number(tokens[i]);
    row["step"] = number(step[i]);
    row["loss"] = number(loss[i]);
    row["lr"] = number(lr[i]);
    row["schedule"] = schedule[i].empty() ? Json(nullptr) : Json(schedule[i]);
    list.push_back(std::move(row));
  }
  out["rows"] = std::move(list);
  // A run's name is the log's bytes, which need not be UTF-8: such bytes are written as U+FFFD, not thrown at.
  return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace scalelaw
