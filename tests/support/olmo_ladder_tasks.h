// The OLMo ladder's 8 main tasks (Bhagia et al. 2024, arXiv:2412.04403) as LadderTasks, read from
// ../shared/data/olmo-ladder: the 16 "train" runs of final.json (4 sizes x 1, 2, 5, 10 x Chinchilla) and the 13B-5T
// target (peteish13_eval_final.csv), through the library's ReadLadderRun and the task table OlmoLadderTasks().
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "scalelaw/analysis/ladder.h"
#include "support/shared_data.h"

namespace scalelaw::testing {

inline constexpr const char* kOlmoLadderTasksSource = "data/olmo-ladder/SOURCE.txt";

inline std::vector<LadderTask> OlmoLadderTaskSet() {
  std::ifstream in(SharedPath("data/olmo-ladder/final.json"));
  if (!in) throw std::runtime_error("cannot open final.json of the OLMo ladder");
  const nlohmann::json final_json = nlohmann::json::parse(in);
  std::vector<LadderTask> tasks;
  for (const LadderTaskColumns& columns : OlmoLadderTasks()) {
    LadderTask task;
    task.name = columns.name;
    task.chance = columns.chance;
    for (const auto& [label, entry] : final_json.items()) {
      for (const auto& path_json : entry.at("paths")) {
        const std::string path = path_json.get<std::string>();
        const std::string file = path.substr(path.rfind('/') + 1);
        LadderRun run = ReadLadderRun(SharedPath("data/olmo-ladder/ladder-runs/" + file),
                                      file.substr(0, file.size() - 4), entry.at("n").get<double>(), columns);
        if (entry.at("mode") == "train") {
          task.runs.push_back(std::move(run));
        } else {
          task.target = std::move(run);
        }
      }
    }
    tasks.push_back(std::move(task));
  }
  return tasks;
}

}  // namespace scalelaw::testing
