// Hugging Face Trainer states (trainer_state.json) and row filters on JSON logs. The file is written here the way
// TrainerState.save_to_json writes it (json.dumps(asdict(state), indent=2, sort_keys=True)): top-level state
// fields, and log_history with training entries (loss, grad_norm, learning_rate, epoch, num_input_tokens_seen,
// step), evaluation entries (eval_loss, eval_runtime, ... at some of the same steps, without a learning rate)
// and the summary entry a finished train() appends (train_loss, train_runtime, total_flos: no loss). The expected
// curves are the arrays the file is written from.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/io/curves.h"
#include "support/scratch_file.h"

using Catch::Contains;
using scalelaw::CurveReadOptions;
using scalelaw::CurveTable;

namespace {

struct Logged {
  std::vector<long> train_steps = {10, 20, 30, 40, 50, 60};
  std::vector<double> loss = {3.9012, 3.4, 3.1875, 2.95, 2.8125, 2.75};
  std::vector<double> lr = {5e-05,   4.166666666666667e-05,  3.3333333333333335e-05,
                            2.5e-05, 1.6666666666666667e-05, 8.333333333333334e-06};
  std::vector<long> eval_steps = {20, 40, 60};
  std::vector<double> eval_loss = {3.5, 3.0625, 2.875};
  long tokens_per_step = 2048;
  std::string grad_norm_at_30 = "1.25";  // Python's json writes an overflowed norm as NaN
};

std::string Number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

// One log_history entry, its keys sorted as sort_keys=True sorts them, indented as indent=2 indents them.
std::string Entry(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string text = "    {\n";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    text += "      \"" + fields[i].first + "\": " + fields[i].second + (i + 1 < fields.size() ? ",\n" : "\n");
  }
  return text + "    }";
}

std::string TrainerState(const Logged& logged, bool finished = true) {
  std::vector<std::string> entries;
  std::vector<long> steps = logged.train_steps;
  steps.insert(steps.end(), logged.eval_steps.begin(), logged.eval_steps.end());
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
  for (const long step : steps) {
    const std::string tokens = std::to_string(step * logged.tokens_per_step);
    const auto train = std::find(logged.train_steps.begin(), logged.train_steps.end(), step);
    if (train != logged.train_steps.end()) {
      const auto i = static_cast<std::size_t>(train - logged.train_steps.begin());
      entries.push_back(Entry({{"epoch", Number(step / 60.0)},
                               {"grad_norm", step == 30 ? logged.grad_norm_at_30 : "0.875"},
                               {"learning_rate", Number(logged.lr[i])},
                               {"loss", Number(logged.loss[i])},
                               {"num_input_tokens_seen", tokens},
                               {"step", std::to_string(step)}}));
    }
    const auto eval = std::find(logged.eval_steps.begin(), logged.eval_steps.end(), step);
    if (eval != logged.eval_steps.end()) {
      entries.push_back(
          Entry({{"epoch", Number(step / 60.0)},
                 {"eval_loss", Number(logged.eval_loss[static_cast<std::size_t>(eval - logged.eval_steps.begin())])},
                 {"eval_runtime", "1.2345"},
                 {"eval_samples_per_second", "81.003"},
                 {"eval_steps_per_second", "10.125"},
                 {"num_input_tokens_seen", tokens},
                 {"step", std::to_string(step)}}));
    }
  }
  if (finished) {
    entries.push_back(Entry({{"epoch", "1.0"},
                             {"num_input_tokens_seen", std::to_string(60 * logged.tokens_per_step)},
                             {"step", "60"},
                             {"total_flos", "1.2845e+16"},
                             {"train_loss", "3.1"},
                             {"train_runtime", "60.5"},
                             {"train_samples_per_second", "15.87"},
                             {"train_steps_per_second", "0.992"}}));
  }
  std::string history;
  for (std::size_t i = 0; i < entries.size(); ++i) history += entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
  return "{\n  \"best_metric\": null,\n  \"best_model_checkpoint\": null,\n  \"epoch\": 1.0,\n  \"eval_steps\": 20,\n"
         "  \"global_step\": 60,\n  \"is_hyper_param_search\": false,\n  \"is_local_process_zero\": true,\n"
         "  \"is_world_process_zero\": true,\n  \"log_history\": [\n" +
         history +
         "  ],\n  \"logging_steps\": 10,\n  \"max_steps\": 60,\n  \"num_input_tokens_seen\": 122880,\n"
         "  \"num_train_epochs\": 1,\n  \"save_steps\": 60,\n  \"stateful_callbacks\": {\n    \"TrainerControl\": {\n"
         "      \"args\": {\n        \"should_save\": true\n      },\n      \"attributes\": {}\n    }\n  },\n"
         "  \"total_flos\": 1.2845e+16,\n  \"train_batch_size\": 8,\n  \"trial_name\": null,\n  \"trial_params\": "
         "null\n}\n";
}

std::vector<double> Doubles(const std::vector<long>& values) { return {values.begin(), values.end()}; }

std::string ErrorOf(const std::string& text, const CurveReadOptions& options = {}) {
  const scalelaw::testing::ScratchFile file("run/trainer_state.json", text);
  try {
    scalelaw::ReadCurves(file.path(), options);
  } catch (const scalelaw::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("trainer_state.json: the training loss of log_history, the LR and tokens it logs",
          "[curves][trainer_state]") {
  const Logged logged;
  const scalelaw::testing::ScratchFile file("gpt-small/checkpoint-60/trainer_state.json", TrainerState(logged));
  CHECK(scalelaw::DetectLogFormat(file.path()) == scalelaw::LogFormat::kTrainerState);
  const CurveTable table = scalelaw::ReadCurves(file.path());
  REQUIRE(table.curves.size() == 1);
  const scalelaw::Curve& curve = table.curves[0];
  CHECK(curve.run == "gpt-small");  // the output directory, above checkpoint-60
  CHECK(curve.step == Doubles(logged.train_steps));
  CHECK(curve.metric == logged.loss);
  CHECK(curve.lr == logged.lr);
  std::vector<double> tokens;
  for (long step : logged.train_steps) tokens.push_back(static_cast<double>(step * logged.tokens_per_step));
  CHECK(curve.tokens == tokens);  // num_input_tokens_seen
  // The entries: 1, 2 train at 10 and 20, 3 eval at 20, 4 train at 30, 5 and 6 at 40, 7 at 50, 8 and 9 at 60, 10
  // the summary.
  CHECK(curve.lines == std::vector<long>{1, 2, 4, 5, 7, 8});

  // A trainer_state.json saved in the output directory is named by it.
  const scalelaw::testing::ScratchFile top("gpt-small/trainer_state.json", TrainerState(logged));
  CHECK(scalelaw::ReadCurves(top.path()).curves[0].run == "gpt-small");
}

TEST_CASE("trainer_state.json: the eval loss takes the LR the training entry logged at its step",
          "[curves][trainer_state]") {
  const Logged logged;
  const scalelaw::testing::ScratchFile file("run/trainer_state.json", TrainerState(logged));
  CurveReadOptions options;
  options.metric = "eval_loss";
  const scalelaw::Curve curve = scalelaw::ReadCurves(file.path(), options).curves.at(0);
  CHECK(curve.step == Doubles(logged.eval_steps));
  CHECK(curve.metric == logged.eval_loss);
  CHECK(curve.lr == std::vector<double>{logged.lr[1], logged.lr[3], logged.lr[5]});
  CHECK(curve.lines == std::vector<long>{3, 6, 9});

  // An eval step without a training entry at that step has no LR: a gap, named with its entry.
  Logged off_grid = logged;
  off_grid.train_steps = {10, 20, 30, 50, 60, 70};  // entries: 10, 20, 20 eval, 30, 40 eval, ...
  CHECK_THAT(ErrorOf(TrainerState(off_grid), options), Contains("trainer_state.json, column 'learning_rate'") &&
                                                           Contains("log_history entry 5") && Contains("gap"));
  options.lr = "-";
  CHECK_NOTHROW(scalelaw::ParseCurves(TrainerState(off_grid), "trainer_state.json", options));
}

TEST_CASE("trainer_state.json: found by content, a format of its own, the batch from options",
          "[curves][trainer_state]") {
  const Logged logged;
  CHECK(scalelaw::LogFormatFromName("trainer_state") == scalelaw::LogFormat::kTrainerState);
  CHECK(std::string(scalelaw::LogFormatName(scalelaw::LogFormat::kTrainerState)) == "trainer_state");
  // In memory (a '{' and a log_history key), and a renamed copy on disk.
  const CurveTable parsed = scalelaw::ParseCurves(TrainerState(logged), "state.json");
  CHECK(parsed.curves.at(0).metric == logged.loss);
  const scalelaw::testing::ScratchFile renamed("run-7.json", TrainerState(logged));
  CurveReadOptions options;
  options.tokens = "-";
  options.facts.batch_tokens = 1000;
  const scalelaw::Curve curve = scalelaw::ReadCurves(renamed.path(), options).curves.at(0);
  CHECK(curve.run == "run-7");
  CHECK(curve.tokens == std::vector<double>{10000, 20000, 30000, 40000, 50000, 60000});
  // A run still training (no summary entry) reads the same.
  CHECK(scalelaw::ParseCurves(TrainerState(logged, false), "trainer_state.json").curves.at(0).metric == logged.loss);
}

TEST_CASE("trainer_state.json: bad input names the file, the entry and the field", "[curves][trainer_state]") {
  const Logged logged;
  const std::string good = TrainerState(logged);
  CHECK_THAT(ErrorOf("{\n  \"global_step\": 60,\n  \"max_steps\": 60\n}\n"),
             Contains("trainer_state.json, column 'log_history'") && Contains("no log_history") &&
                 Contains("global_step, max_steps"));
  CHECK_THAT(ErrorOf("{\"log_history\": []}"), Contains("column 'log_history'") && Contains("empty"));
  CHECK_THAT(ErrorOf("{\"log_history\": {\"step\": 1}}"), Contains("expected a list"));
  CHECK_THAT(ErrorOf("{\"log_history\": [{\"step\": 1, \"loss\": 2}, 7]}"),
             Contains("log_history entry 2: expected an object"));
  std::string text_step = good;
  text_step.replace(text_step.find("\"step\": 30"), 10, "\"step\": \"30\"");
  CHECK_THAT(ErrorOf(text_step), Contains("column 'step': log_history entry 4: expected a number, got text '30'"));
  // Python writes an overflowed loss as NaN: the entry and field are named; a NaN grad_norm is not read at all.
  std::string nan_loss = good;
  nan_loss.replace(nan_loss.find("\"loss\": 3.1875"), 14, "\"loss\": NaN");
  CHECK_THAT(ErrorOf(nan_loss), Contains("column 'loss': log_history entry 4: not a finite number: NaN"));
  Logged nan_norm = logged;
  nan_norm.grad_norm_at_30 = "NaN";
  CHECK(scalelaw::ParseCurves(TrainerState(nan_norm), "trainer_state.json").curves.at(0).metric == logged.loss);
  // A step that goes back (entries appended out of order).
  std::string back = good;
  back.replace(back.find("\"step\": 40"), 10, "\"step\": 15");
  CHECK_THAT(ErrorOf(back), Contains("column 'step': log_history entry 5: step 15 does not increase"));
  // No such metric: the closest keys are offered.
  CurveReadOptions options;
  options.metric = "eval_los";
  CHECK_THAT(ErrorOf(good, options), Contains("no key 'eval_los'") && Contains("did you mean 'eval_loss'?"));
  CHECK_THAT(ErrorOf("{\"log_history\": [{\"step\": 1, \"loss\": 2}]"), Contains("not valid JSON"));
}

TEST_CASE("Row filters on JSON logs: the keys of each object or log_history entry", "[curves][trainer_state]") {
  const Logged logged;
  CurveReadOptions options;
  options.where = {scalelaw::RowFilter::Parse("epoch<=0.5")};
  const scalelaw::Curve first_half =
      scalelaw::ParseCurves(TrainerState(logged), "trainer_state.json", options).curves.at(0);
  CHECK(first_half.step == std::vector<double>{10, 20, 30});  // epoch = step / 60
  CHECK(first_half.metric == std::vector<double>(logged.loss.begin(), logged.loss.begin() + 3));

  // JSON Lines: text and numbers, a nested key, and lines without the key (they fail an ordering, and are "" for
  // = and !=, as an empty CSV cell is).
  const std::string lines =
      "{\"step\": 1, \"loss\": 4.0, \"split\": \"train\", \"opt\": {\"stage\": 1}}\n"
      "{\"step\": 2, \"loss\": 3.0, \"split\": \"train\", \"opt\": {\"stage\": 2}}\n"
      "{\"step\": 3, \"loss\": 2.5}\n"
      "{\"step\": 4, \"loss\": 2.0, \"split\": \"eval\", \"opt\": {\"stage\": 2}}\n";
  const auto steps = [&](const std::string& filter) {
    CurveReadOptions o;
    o.where = {scalelaw::RowFilter::Parse(filter)};
    return scalelaw::ParseCurves(lines, "m.jsonl", o).curves.at(0).step;
  };
  CHECK(steps("split=train") == std::vector<double>{1, 2});
  CHECK(steps("split!=train") == std::vector<double>{3, 4});
  CHECK(steps("opt/stage>=2") == std::vector<double>{2, 4});
  CHECK(steps("step<3") == std::vector<double>{1, 2});
  CHECK(steps("opt/stage=2.0") == std::vector<double>{2, 4});  // numbers compare as numbers

  const auto error = [&](const std::string& filter) {
    CurveReadOptions o;
    o.where = {scalelaw::RowFilter::Parse(filter)};
    try {
      scalelaw::ParseCurves(lines, "m.jsonl", o);
    } catch (const scalelaw::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error("splt=train"),
             Contains("m.jsonl, column 'splt': the filter splt=train") && Contains("did you mean 'split'?"));
  CHECK_THAT(error("split>1"), Contains("m.jsonl, line 1, column 'split'") && Contains("orders numbers"));
  CHECK_THAT(error("step>10"), Contains("the filters step>10 leave no line"));
  CHECK_THAT(error("opt>1"), Contains("line 1, column 'opt'") && Contains("got an object or array"));
}

TEST_CASE("trainer_state.json: two checkpoints of one run, and its output directory given as a log",
          "[curves][trainer_state]") {
  const Logged logged;
  const scalelaw::testing::ScratchFile later("out/checkpoint-60/trainer_state.json", TrainerState(logged));
  Logged earlier = logged;
  earlier.train_steps = {10, 20, 30};
  earlier.eval_steps = {20};
  const std::string earlier_path = later.Add("out/checkpoint-30/trainer_state.json", TrainerState(earlier, false));
  try {
    scalelaw::ReadCurves(std::vector<std::string>{earlier_path, later.path()});
    FAIL("two checkpoints of one run were read as two runs");
  } catch (const scalelaw::InputError& e) {
    CHECK_THAT(e.what(), Contains("run 'out' is also in " + earlier_path) &&
                             Contains("two checkpoints of one run: give the latest"));
  }
  // The output directory itself is not a log; the message says which file is.
  const std::string out = std::filesystem::path(later.path()).parent_path().parent_path().string();
  if (scalelaw::TensorBoardSupported()) {
    CHECK_THROWS_WITH(scalelaw::ReadCurves(out), Contains("a Hugging Face Trainer's output directory: give its "
                                                          "trainer_state.json"));
  }
}
