// The OLMo model-ladder runs (Bhagia et al. 2024, arXiv:2412.04403, github.com/allenai/OLMo-ladder) as training
// curves, read from ../shared/data/olmo-ladder: 4 sizes (190M, 370M, 760M, 1.3B; N from final.json) x 4 lengths
// (1xC, 2xC, 5xC, 10xC: about 20·k·N tokens), one W&B history export per run with a validation loss at each
// evaluated checkpoint. The files are read by scalelaw's own log reader (ReadCurves, W&B flavour).
//
// The per-step learning rate is not logged densely enough to integrate (every 200 to 1000 steps, so a 5xC or 10xC
// run logs no point inside its warmup); it is rebuilt from the ladder's scheduler (OLMo's cosine_with_warmup,
// alpha_f = 0.1, warmup from 0), whose constants are read off the logs:
//     W  = round(N / B)                 warmup steps (B = batch_size_in_tokens; the tokens of warmup are N),
//     Tc = ceil(20·k·N / B)             the step at which the cosine reaches its end (k = 1, 2, 5, 10),
//     eta(s) = peak·s/W                                              s < W,
//     eta(s) = end + (peak - end)/2·(1 + cos(pi·(s - W)/(Tc - W)))   W <= s <= Tc,  end = 0.1·peak,
//     eta(s) = end                                                   s > Tc (every run trains 10 steps past Tc).
// eta(s) is the LR of optimiser step s (1-based) and the loss logged at _step s follows steps 1..s; as a 0-based
// array with eta_0 = eta(0) = 0 the curve laws' S1(s) = sum_{tau<=s} eta_tau is that LR sum. The test checks this
// against every logged LR (optim/learning_rate_group0).
#pragma once

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "scalelaw/curves/curve_law.h"
#include "scalelaw/io/curves.h"
#include "support/shared_data.h"

namespace scalelaw::testing {

inline constexpr const char* kOlmoLadderSource = "data/olmo-ladder/SOURCE.txt";
inline constexpr const char* kOlmoLadderLoss = "eval/c4_en-validation/CrossEntropyLoss";

// File prefixes of the ladder's sizes (the "1B" files are the size final.json labels "1.3B") and run lengths.
inline const std::vector<std::string>& OlmoLadderSizes() {
  static const std::vector<std::string> sizes = {"190M", "370M", "760M", "1B"};
  return sizes;
}
inline const std::vector<int>& OlmoLadderLengths() {
  static const std::vector<int> lengths = {1, 2, 5, 10};
  return lengths;
}

// N of each size prefix, from final.json's "n".
inline std::map<std::string, double> OlmoLadderParams() {
  std::ifstream in(SharedPath("data/olmo-ladder/final.json"));
  if (!in) throw std::runtime_error("cannot open final.json of the OLMo ladder");
  const nlohmann::json final_json = nlohmann::json::parse(in);
  std::map<std::string, double> params;
  for (const auto& [label, entry] : final_json.items()) {
    if (entry.at("mode") != "train") continue;
    const std::string path = entry.at("paths").at(0).get<std::string>();
    const std::string file = path.substr(path.rfind('/') + 1);
    params[file.substr(0, file.find('-'))] = entry.at("n").get<double>();
  }
  return params;
}

struct OlmoLadderRun {
  TrainingCurve curve;  // lr: the rebuilt schedule; steps and loss: every logged checkpoint
  std::vector<double> logged_lr;
  long warmup = 0;
  long cosine_end = 0;
  double peak = 0;
};

// The OLMo scheduler's LR at every step 0..last_step (the header's formulas).
inline std::vector<double> OlmoLadderLr(double peak, long warmup, long cosine_end, long last_step) {
  const double end = 0.1 * peak;
  const double pi = std::acos(-1.0);
  std::vector<double> lr(static_cast<std::size_t>(last_step) + 1);
  for (long s = 0; s <= last_step; ++s) {
    if (s < warmup) {
      lr[s] = peak * static_cast<double>(s) / static_cast<double>(warmup);
    } else if (s <= cosine_end) {
      lr[s] = end + (peak - end) / 2 *
                        (1 + std::cos(pi * static_cast<double>(s - warmup) / static_cast<double>(cosine_end - warmup)));
    } else {
      lr[s] = end;
    }
  }
  return lr;
}

// One run ("190M", 5): its checkpoints' loss (metric) with steps at or after min_step_warmups × W.
inline OlmoLadderRun ReadOlmoLadderRun(const std::string& size, int length, const std::string& metric = kOlmoLadderLoss,
                                       double min_step_warmups = 0) {
  const std::string name = size + "-" + std::to_string(length) + "xC";
  const std::string path = SharedPath("data/olmo-ladder/ladder-runs/" + name + ".csv");
  CurveReadOptions options;
  options.metric = metric;
  options.batch_col = "batch_size_in_tokens";
  options.batch_is_tokens = true;
  const Curve loss = ReadCurves(path, options).curves.at(0);
  options.metric = "learning_rate_peak";
  const Curve peak = ReadCurves(path, options).curves.at(0);
  const double n = OlmoLadderParams().at(size);
  const double batch = loss.facts.TokensPerStep();
  OlmoLadderRun run;
  run.peak = peak.metric.at(0);
  run.warmup = std::lround(n / batch);
  run.cosine_end = static_cast<long>(std::ceil(20.0 * length * n / batch));
  const long last = static_cast<long>(loss.step.back());
  run.curve.name = name;
  run.curve.params = n;
  run.curve.lr = OlmoLadderLr(run.peak, run.warmup, run.cosine_end, last);
  for (std::size_t i = 0; i < loss.size(); ++i) {
    const long step = static_cast<long>(loss.step[i]);
    if (static_cast<double>(step) < min_step_warmups * static_cast<double>(run.warmup)) continue;
    run.curve.steps.push_back(step);
    run.curve.loss.push_back(loss.metric[i]);
    run.logged_lr.push_back(loss.lr.at(i));
  }
  return run;
}

inline std::vector<TrainingCurve> OlmoLadderCurves(const std::vector<std::string>& sizes,
                                                   const std::string& metric = kOlmoLadderLoss,
                                                   double min_step_warmups = 0) {
  std::vector<TrainingCurve> curves;
  for (const std::string& size : sizes) {
    for (int length : OlmoLadderLengths()) {
      curves.push_back(ReadOlmoLadderRun(size, length, metric, min_step_warmups).curve);
    }
  }
  return curves;
}

}  // namespace scalelaw::testing
