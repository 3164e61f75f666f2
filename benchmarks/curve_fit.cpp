// One Multi-Power Law fit (scalelaw::FitCurveLaw, default options) of the 3 training curves of Luo et al. 2025
// (arXiv:2503.12811) as ../shared/data/multipower holds them, timed; benchmarks/curve_fit.py runs it beside the
// numpy/scipy baseline benchmarks/curve_fit_baseline.py.
//   curve_fit SHARED_DIR SIZE THREADS REPEATS
// prints one JSON object: the median wall seconds over REPEATS fits, the objective, the parameters, every start
// (so that the baseline starts from the same points) and the 6 test curves' mean PredE and WorstE.
#include "scalelaw/curves/curve_fit.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scalelaw/curves/schedule.h"
#include "support/multipower_schedules.h"

namespace {

scalelaw::TrainingCurve Read(const std::string& shared, int size, const std::string& name) {
  std::ifstream in(shared + "/data/multipower/csv_" + std::to_string(size) + "/" + name + ".csv");
  if (!in) {
    std::fprintf(stderr, "cannot read %s/data/multipower/csv_%d/%s.csv\n", shared.c_str(), size, name.c_str());
    std::exit(2);
  }
  scalelaw::TrainingCurve curve;
  curve.name = name;
  curve.lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(scalelaw::testing::MultipowerSchedule(name)));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string step, lr, loss;
    std::getline(row, step, ',');
    std::getline(row, lr, ',');
    std::getline(row, loss, ',');
    curve.steps.push_back(std::stol(step));
    curve.loss.push_back(std::stod(loss));
  }
  return curve;
}

std::string Array(const std::vector<double>& values) {
  std::string out = "[";
  char buffer[64];
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::snprintf(buffer, sizeof buffer, "%s%.17g", i ? ", " : "", values[i]);
    out += buffer;
  }
  return out + "]";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: curve_fit SHARED_DIR SIZE THREADS REPEATS\n");
    return 2;
  }
  const std::string shared = argv[1];
  const int size = std::atoi(argv[2]);
  scalelaw::CurveFitOptions options;
  options.num_threads = std::atoi(argv[3]);
  const int repeats = std::max(1, std::atoi(argv[4]));
  std::vector<scalelaw::TrainingCurve> train, test;
  for (const std::string& name : scalelaw::testing::MultipowerTrainNames()) train.push_back(Read(shared, size, name));
  for (const std::string& name : scalelaw::testing::MultipowerTestNames()) test.push_back(Read(shared, size, name));
  std::vector<double> seconds;
  scalelaw::CurveFitSummary fit;
  for (int r = 0; r < repeats; ++r) {
    const auto begin = std::chrono::steady_clock::now();
    fit = scalelaw::FitCurveLaw(scalelaw::CurveLawForm::kMultiPower, train, options);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::vector<scalelaw::CurveErrors> errors;
  for (const scalelaw::TrainingCurve& curve : test) {
    errors.push_back(
        scalelaw::CurvePredictionErrors(curve.loss, scalelaw::CurveLoss(fit.Law(), curve.lr, curve.steps)));
  }
  const scalelaw::CurveErrors mean = scalelaw::MeanCurveErrors(errors);
  // a 72k-step curve predicted: cosine_72000 at its 546 logged steps
  const auto begin = std::chrono::steady_clock::now();
  const std::vector<double> predicted = scalelaw::CurveLoss(fit.Law(), test[1].lr, test[1].steps);
  const double predict_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::string starts = "[";
  for (std::size_t k = 0; k < fit.starts.size(); ++k) starts += (k ? ", " : "") + Array(fit.starts[k].start);
  starts += "]";
  std::printf(
      "{\"size\": %d, \"status\": \"%s\", \"seconds\": %.6f, \"objective\": %.10e, \"parameters\": %s, \"starts\": %s, "
      "\"test_pred_e\": %.6f, \"test_worst_e\": %.6f, \"predict_72k_seconds\": %.6f, \"predict_points\": %zu}\n",
      size, fit.IsUsable() ? "usable" : "not usable", seconds[seconds.size() / 2], fit.objective,
      Array(fit.parameters).c_str(), starts.c_str(), mean.pred_e, mean.worst_e, predict_seconds, predicted.size());
  return 0;
}
