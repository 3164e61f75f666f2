// The loss curves of Luo et al. 2025 (arXiv:2503.12811, github.com/thu-yao-01-luo/MultiPowerLaw) as the tests
// read them from ../shared/data/multipower: each curve's logged steps, LR and loss, and its per-step schedule
// written as a scalelaw schedule spec from SOURCE.txt's formulas (W = 2160 linear warmup from 0, peak 3e-4,
// end 3e-5).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "scalelaw/curves/curve_law.h"
#include "scalelaw/curves/schedule.h"
#include "support/multipower_schedules.h"
#include "support/shared_data.h"

namespace scalelaw::testing {

inline constexpr const char* kMultipowerSource = "data/multipower/SOURCE.txt";

struct MultipowerCurve {
  std::string name;
  std::string schedule;  // scalelaw spec
  std::vector<long> steps;
  std::vector<double> logged_lr;
  std::vector<double> loss;
};

// size: 25 or 100 (the csv_25 and csv_100 folders).
inline MultipowerCurve ReadMultipowerCurve(int size, const std::string& name) {
  const std::string path = SharedPath("data/multipower/csv_" + std::to_string(size) + "/" + name + ".csv");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  MultipowerCurve curve;
  curve.name = name;
  curve.schedule = MultipowerSchedule(name);
  std::string line;
  std::getline(in, line);  // step,lr,loss
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream row(line);
    std::string step, lr, loss;
    std::getline(row, step, ',');
    std::getline(row, lr, ',');
    std::getline(row, loss, ',');
    curve.steps.push_back(std::stol(step));
    curve.logged_lr.push_back(std::stod(lr));
    curve.loss.push_back(std::stod(loss));
  }
  return curve;
}

// The curve with its per-step LRs from its schedule spec.
inline TrainingCurve MultipowerTrainingCurve(int size, const std::string& name) {
  MultipowerCurve read = ReadMultipowerCurve(size, name);
  TrainingCurve curve;
  curve.name = name;
  curve.lr = LrPerStep(ParseLrSchedule(read.schedule));
  curve.steps = std::move(read.steps);
  curve.loss = std::move(read.loss);
  return curve;
}

inline std::vector<TrainingCurve> MultipowerCurves(int size, const std::vector<std::string>& names) {
  std::vector<TrainingCurve> curves;
  for (const std::string& name : names) curves.push_back(MultipowerTrainingCurve(size, name));
  return curves;
}

}  // namespace scalelaw::testing
