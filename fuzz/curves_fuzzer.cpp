// libFuzzer target for the training-log readers (CSV/TSV, W&B exports, JSON Lines, Hugging Face
// trainer_state.json: ParseCurves) and the checkpoint policies. Input starting with '{' is read as a
// trainer_state.json when it has a "log_history" key, else as JSON Lines, other input as CSV; a column or key
// "run" names the runs, "n" their N; JSON keys "split" and "epoch" get row filters (split!=eval, epoch<=1). Expected
// failures are scalelaw::Error subclasses; any other exception, a crash, a sanitizer report, or curves that break their
// contract (steps finite, >= 0 and increasing; metric and LR finite; one value per step; file lines increasing) or rows
// that do (tokens > 0, a finite loss between the run's smallest and largest metric) is a finding.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "scalelaw/error.h"
#include "scalelaw/io/curves.h"

namespace {

using scalelaw::fuzz::Check;

void CheckCurves(const scalelaw::CurveTable& table) {
  for (const scalelaw::Curve& curve : table.curves) {
    const std::size_t n = curve.size();
    Check(n > 0, "a curve without points");
    Check(curve.metric.size() == n && curve.lines.size() == n, "one metric and line per step");
    Check(curve.lr.empty() || curve.lr.size() == n, "one LR per step, or none");
    Check(curve.tokens.empty() || curve.tokens.size() == n, "tokens per step, or none");
    for (std::size_t i = 0; i < n; ++i) {
      Check(std::isfinite(curve.step[i]) && curve.step[i] >= 0, "a finite step >= 0");
      Check(i == 0 || curve.step[i] > curve.step[i - 1], "steps increase");
      Check(i == 0 || curve.lines[i] > curve.lines[i - 1], "lines increase");
      Check(std::isfinite(curve.metric[i]), "a finite metric");
      Check(curve.lr.empty() || (std::isfinite(curve.lr[i]) && curve.lr[i] >= 0), "a finite LR >= 0");
    }
  }
}

void Checkpoints(const scalelaw::CurveTable& table, scalelaw::CheckpointPolicy policy) {
  try {
    const scalelaw::CheckpointRows rows = scalelaw::SelectCheckpoints(table, policy);
    Check(rows.size() > 0, "SelectCheckpoints returned no rows without an error");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Check(rows.tokens[i] > 0 && std::isfinite(rows.tokens[i]), "a row's tokens are positive");
      const auto curve = std::find_if(table.curves.begin(), table.curves.end(),
                                      [&](const scalelaw::Curve& c) { return c.run == rows.run[i]; });
      Check(curve != table.curves.end(), "a row of a run read");
      const auto [low, high] = std::minmax_element(curve->metric.begin(), curve->metric.end());
      // Averages of a run's values lie between its extremes (up to rounding).
      const double slack = 1e-9 * std::max(std::abs(*low), std::abs(*high));
      Check(rows.loss[i] >= *low - slack && rows.loss[i] <= *high + slack, "a smoothed loss within the run's range");
    }
    rows.ToCsv();
    rows.ToJson();
  } catch (const scalelaw::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool json = !text.empty() && text.front() == '{';
  // A JSON object with a log_history key: a Hugging Face trainer_state.json.
  const bool trainer_state = json && text.find("\"log_history\"") != std::string_view::npos;
  scalelaw::CurveReadOptions options;
  options.format = trainer_state ? scalelaw::LogFormat::kTrainerState
                                 : (json ? scalelaw::LogFormat::kJsonLines : scalelaw::LogFormat::kCsv);
  // Row filters on JSON keys: a text comparison and a numeric ordering when the keys are there.
  if (json && text.find("\"split\"") != std::string_view::npos) {
    options.where.push_back(scalelaw::RowFilter::Parse("split!=eval"));
  }
  if (json && text.find("\"epoch\"") != std::string_view::npos) {
    options.where.push_back(scalelaw::RowFilter::Parse("epoch<=1"));
  }
  if (!json) {
    const auto header = scalelaw::CsvHeader(text);
    if (std::find(header.begin(), header.end(), "run") != header.end()) options.run_key = "run";
    if (std::find(header.begin(), header.end(), "n") != header.end()) options.params_col = "n";
  } else if (text.find("\"run\"") != std::string_view::npos) {
    options.run_key = "run";
  }
  options.facts.batch_tokens = 1000;
  try {
    const scalelaw::CurveTable table =
        scalelaw::ParseCurves(text, trainer_state ? "trainer_state.json" : (json ? "fuzz.jsonl" : "fuzz.csv"), options);
    CheckCurves(table);
    scalelaw::CheckpointPolicy policy;
    Checkpoints(table, policy);
    policy.keep = scalelaw::CheckpointPolicy::Keep::kAll;
    policy.SetSmoothing("ema:0.9");
    policy.skip_warmup = 0.1;
    Checkpoints(table, policy);
    policy.keep = scalelaw::CheckpointPolicy::Keep::kCooldowns;
    policy.SetSmoothing("ma:3");
    Checkpoints(table, policy);
  } catch (const scalelaw::Error&) {
  }
  return 0;
}
