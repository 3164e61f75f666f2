// The cost of one evaluation of a formula model against the hand-derived form it spells out (issue 12): the
// log predictions and their Jacobian over every run, as the fit's objective asks for them at each iteration.
//
// Reads the Epoch Chinchilla CSV as benchmarks/run.py does (D = C/(6N), the 5 highest losses dropped: 240 runs),
// and times ModelForm::LogPredict of `--formula "E + A/N^alpha + B/D^beta"` over the columns N and D against the
// chinchilla form (src/fit/models/chinchilla_model.cpp, log-sum-exp with an analytic gradient), both at the
// Epoch refit's parameters (Besiroglu et al. 2024), with the Jacobian and without. Each round times --evaluations
// evaluations of each form in turn, by the thread's CPU time (the machine is shared); one JSON line reports the
// medians over --rounds rounds and the median of the per-round ratios formula / hand-derived.
//
//   formula_evaluation --data svg_extracted_data.csv [--rounds 15] [--evaluations 2000]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "fit/model_form.h"
#include "fit/models/registered_forms.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/io/csv.h"

namespace {

double ThreadSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

[[noreturn]] void Usage(const char* problem) {
  std::fprintf(stderr, "formula_evaluation: %s\nusage: formula_evaluation --data CSV [--rounds K] [--evaluations E]\n",
               problem);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int rounds = 15;
  int evaluations = 2000;
  for (int k = 1; k < argc; ++k) {
    const std::string flag = argv[k];
    if (k + 1 >= argc) Usage(("missing value after " + flag).c_str());
    const char* value = argv[++k];
    if (flag == "--data") {
      path = value;
    } else if (flag == "--rounds") {
      rounds = std::atoi(value);
    } else if (flag == "--evaluations") {
      evaluations = std::atoi(value);
    } else {
      Usage(("unknown option " + flag).c_str());
    }
  }
  if (path.empty()) Usage("--data is required");
  if (rounds < 1 || evaluations < 1) Usage("--rounds and --evaluations must be at least 1");

  scalelaw::Dataset data;
  try {
    scalelaw::RunColumns columns;
    columns.params = "Model Size";
    columns.flops = "Training FLOP";
    data = scalelaw::DropHighestLoss(scalelaw::ReadRunsCsv(path, columns), 5);
  } catch (const scalelaw::Error& error) {
    std::fprintf(stderr, "formula_evaluation: %s\n", error.what());
    return 2;
  }
  data.columns["N"] = data.params;
  data.columns["D"] = data.tokens;
  const scalelaw::detail::LogDesign design = scalelaw::detail::LogDesign::From(data);
  const std::size_t n = design.size();

  const scalelaw::detail::ModelForm& hand = scalelaw::detail::ChinchillaForm();
  const auto formula = scalelaw::detail::MakeFormulaForm("E + A/N^alpha + B/D^beta", {"N", "D"});
  const double E = 1.82, A = 482.01, B = 2085.43, alpha = 0.3478, beta = 0.3658;
  const double hand_x[] = {std::log(A), std::log(B), std::log(E), alpha, beta};  // a, b, e, alpha, beta
  const double formula_x[] = {E, A, alpha, B, beta};                             // in order of appearance
  std::vector<double> log_prediction(n), jacobian(n * 5);

  // Seconds per evaluation of one form, over `evaluations` evaluations.
  double sink = 0;
  auto time = [&](const scalelaw::detail::ModelForm& form, const double* x, bool with_jacobian) {
    const double start = ThreadSeconds();
    for (int e = 0; e < evaluations; ++e) {
      form.LogPredict(x, design, log_prediction.data(), with_jacobian ? jacobian.data() : nullptr);
      sink += log_prediction[static_cast<std::size_t>(e) % n];
    }
    return (ThreadSeconds() - start) / evaluations;
  };
  std::vector<double> hand_s, formula_s, ratio, hand_values_s, formula_values_s, values_ratio;
  for (int r = 0; r < rounds; ++r) {
    hand_s.push_back(time(hand, hand_x, true));
    formula_s.push_back(time(*formula, formula_x, true));
    ratio.push_back(formula_s.back() / hand_s.back());
    hand_values_s.push_back(time(hand, hand_x, false));
    formula_values_s.push_back(time(*formula, formula_x, false));
    values_ratio.push_back(formula_values_s.back() / hand_values_s.back());
  }
  // Both forms predict the same losses (a check that the two evaluate the same law).
  std::vector<double> hand_prediction(n), formula_prediction(n);
  hand.LogPredict(hand_x, design, hand_prediction.data(), nullptr);
  formula->LogPredict(formula_x, design, formula_prediction.data(), nullptr);
  double max_difference = 0;
  for (std::size_t i = 0; i < n; ++i) {
    max_difference = std::max(max_difference, std::abs(hand_prediction[i] - formula_prediction[i]));
  }
  std::printf(
      "{\"runs\": %zu, \"rounds\": %d, \"evaluations\": %d, \"hand_derived_seconds\": %.6g, "
      "\"formula_seconds\": %.6g, \"ratio\": %.4g, \"ratio_min\": %.4g, \"ratio_max\": %.4g, "
      "\"hand_derived_values_seconds\": %.6g, \"formula_values_seconds\": %.6g, \"values_ratio\": %.4g, "
      "\"max_log_prediction_difference\": %.3g, \"sink\": %.17g}\n",
      n, rounds, evaluations, Median(hand_s), Median(formula_s), Median(ratio),
      *std::min_element(ratio.begin(), ratio.end()), *std::max_element(ratio.begin(), ratio.end()),
      Median(hand_values_s), Median(formula_values_s), Median(values_ratio), max_difference, sink);
  return max_difference < 1e-12 ? 0 : 1;
}
