// Reading training logs into curves (CSV/TSV, W&B exports, JSON Lines) and the checkpoint policies, each
// checked against values written into the log or recomputed here by a separate loop.
#include "scalelaw/io/curves.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scalelaw/error.h"
#include "support/scratch_file.h"
#include "support/shared_data.h"

using Catch::Contains;
using scalelaw::CheckpointPolicy;
using scalelaw::CurveReadOptions;
using scalelaw::CurveTable;
using scalelaw::InputError;
using scalelaw::ParseCurves;

namespace {

// Each file is named scalelaw_curves_NAME (a run is named by its file) in a directory of its own.
class TempFile : public scalelaw::testing::ScratchFile {
 public:
  TempFile(const std::string& name, const std::string& contents) : ScratchFile("scalelaw_curves_" + name, contents) {}
};

// The message of the InputError thrown by reading text, or "" when nothing is thrown.
std::string ErrorOf(const std::string& text, const std::string& source, const CurveReadOptions& options = {}) {
  try {
    ParseCurves(text, source, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("A CSV log with one row per step is one run, tokens from step x batch x sequence length", "[curves]") {
  CurveReadOptions options;
  options.facts.batch_sequences = 8;
  options.facts.seq_len = 1024;
  options.facts.params = 1.5e8;
  const CurveTable table =
      ParseCurves("step,lr,loss,grad_norm\n0,0,10.9,3\n100,3e-4,6.5,1\n200,2e-4,5.25,0.5\n", "logs/run-a.csv", options);
  REQUIRE(table.curves.size() == 1);
  const scalelaw::Curve& curve = table.curves[0];
  CHECK(curve.run == "run-a");
  CHECK(curve.step == std::vector<double>{0, 100, 200});
  CHECK(curve.metric == std::vector<double>{10.9, 6.5, 5.25});
  CHECK(curve.lr == std::vector<double>{0, 3e-4, 2e-4});
  CHECK(curve.tokens == std::vector<double>{0, 100 * 8 * 1024, 200 * 8 * 1024});
  CHECK(curve.lines == std::vector<long>{2, 3, 4});
  CHECK(curve.facts.params == 1.5e8);
}

TEST_CASE("A TSV log reads the same, and a logged tokens column is taken as it is", "[curves]") {
  const CurveTable table = ParseCurves("step\ttokens\tloss\n10\t5000\t4.5\n20\t10001\t4.0\n", "run.tsv");
  REQUIRE(table.curves.size() == 1);
  CHECK(table.curves[0].tokens == std::vector<double>{5000, 10001});
  CHECK(table.curves[0].lr.empty());
}

TEST_CASE("A W&B history export: _step, slash names, empty cells where the metric was not logged", "[curves]") {
  // Evaluation rows (eval/loss) between training rows leave train/loss empty: they are not points of the curve.
  const std::string text =
      "_step,_runtime,train/loss,optim/lr,eval/loss\n"
      "10,1.5,4.75,1e-4,\n"
      "20,3.0,4.25,2e-4,\n"
      "20,3.1,,,4.5\n"
      "30,4.5,4.0,2e-4,\n";
  CurveReadOptions options;
  options.metric = "train/loss";
  options.facts.batch_tokens = 1000;
  const CurveTable table = ParseCurves(text, "export.csv", options);
  REQUIRE(table.curves.size() == 1);
  CHECK(table.curves[0].step == std::vector<double>{10, 20, 30});
  CHECK(table.curves[0].metric == std::vector<double>{4.75, 4.25, 4.0});
  CHECK(table.curves[0].lr == std::vector<double>{1e-4, 2e-4, 2e-4});
  CHECK(table.curves[0].lines == std::vector<long>{2, 3, 5});
  CHECK(table.curves[0].tokens == std::vector<double>{10000, 20000, 30000});

  options.metric = "eval/loss";  // the eval curve has one point, and no LR was logged on its row: a gap
  CHECK_THROWS_WITH(ParseCurves(text, "export.csv", options),
                    Contains("export.csv, line 4, column 'optim/lr'") && Contains("gap") && Contains("step 20"));
  options.lr = "-";
  CHECK(ParseCurves(text, "export.csv", options).curves[0].metric == std::vector<double>{4.5});
}

TEST_CASE("The metric named without its W&B prefix suggests the slash name", "[curves]") {
  const std::string message = ErrorOf("_step,train/loss\n1,3\n", "export.csv");
  CHECK_THAT(message, Contains("export.csv, line 1, column 'loss'") && Contains("did you mean 'train/loss'?"));
}

TEST_CASE("A key column splits one file into runs, each with its facts from columns", "[curves]") {
  const std::string text =
      "name,N,step,loss\n"
      "small,1e7,1,5\n"
      "big,1e8,1,4.5\n"
      "small,1e7,2,4.5\n"
      "big,1e8,2,4\n";
  CurveReadOptions options;
  options.run_key = "name";
  options.params_col = "N";
  options.facts.batch_tokens = 10;
  const CurveTable table = ParseCurves(text, "grid.csv", options);
  REQUIRE(table.curves.size() == 2);
  CHECK(table.curves[0].run == "small");
  CHECK(table.curves[0].facts.params == 1e7);
  CHECK(table.curves[0].metric == std::vector<double>{5, 4.5});
  CHECK(table.curves[1].run == "big");
  CHECK(table.curves[1].facts.params == 1e8);
  CHECK(table.curves[1].tokens == std::vector<double>{10, 20});

  // Without the key the rows are one run whose steps go back: the message says so.
  options.run_key.clear();
  options.params_col.clear();
  CHECK_THAT(ErrorOf(text, "grid.csv", options), Contains("grid.csv, line 3, column 'step'") &&
                                                     Contains("step 1 does not increase on the previous step 1") &&
                                                     Contains("run column"));
  // A fact that varies within a run.
  options.run_key = "name";
  options.params_col = "N";
  CHECK_THAT(ErrorOf("name,N,step,loss\na,1e7,1,5\na,2e7,2,4\n", "grid.csv", options),
             Contains("line 3, column 'N'") && Contains("must not vary"));
}

TEST_CASE("JSON Lines: one metrics object per line, nested keys, other lines skipped, runs by key", "[curves]") {
  const std::string text =
      "{\"step\": 1, \"train\": {\"loss\": 5.5, \"lr\": 1e-4}, \"run\": \"a\"}\n"
      "{\"step\": 1, \"eval\": {\"loss\": 6.0}, \"run\": \"a\"}\n"
      "\n"
      "{\"step\": 2, \"train\": {\"loss\": 5.0, \"lr\": 2e-4}, \"run\": \"a\", \"note\": [1, 2]}\n"
      "{\"step\": 1, \"train\": {\"loss\": 4.5, \"lr\": 1e-4}, \"run\": 7}\n";
  CurveReadOptions options;
  options.metric = "train/loss";
  options.lr = "train/lr";
  options.run_key = "run";
  const CurveTable table = ParseCurves(text, "metrics.jsonl", options);
  REQUIRE(table.curves.size() == 2);
  CHECK(table.curves[0].run == "a");
  CHECK(table.curves[0].step == std::vector<double>{1, 2});
  CHECK(table.curves[0].metric == std::vector<double>{5.5, 5.0});
  CHECK(table.curves[0].lr == std::vector<double>{1e-4, 2e-4});
  CHECK(table.curves[0].lines == std::vector<long>{1, 4});
  CHECK(table.curves[1].run == "7");
  CHECK(table.curves[1].metric == std::vector<double>{4.5});
}

TEST_CASE("JSON Lines bad input names the file, line and key", "[curves]") {
  CurveReadOptions options;
  options.lr = "-";
  CHECK_THAT(ErrorOf("{\"step\": 1, \"loss\": 3}\n{\"step\": 1, \"loss\": 2}\n", "m.jsonl", options),
             Contains("m.jsonl, line 2, column 'step'") && Contains("does not increase"));
  CHECK_THAT(ErrorOf("{\"step\": 1, \"train_loss\": 3}\n", "m.jsonl", options),
             Contains("m.jsonl, column 'loss'") && Contains("no key 'loss'"));
  CHECK_THAT(ErrorOf("{\"step\": 1, \"loss\": 3}\n{\"step\": 2, \"loss\": NaN}\n", "m.jsonl", options),
             Contains("m.jsonl, line 2") && Contains("not valid JSON") && Contains("NaN and Infinity are not JSON"));
  CHECK_THAT(ErrorOf("{\"step\": 1, \"loss\": \"high\"}\n", "m.jsonl", options),
             Contains("line 1, column 'loss'") && Contains("expected a number, got text 'high'"));
  CHECK_THAT(ErrorOf("{\"step\": 1, \"loss\": 3}\n[1, 2]\n", "m.jsonl", options),
             Contains("line 2") && Contains("expected a JSON object"));
  CHECK_THAT(ErrorOf("{\"step\": 1, \"loss\": 3, \"lr\": 1}\n{\"step\": 2, \"loss\": 2}\n", "m.jsonl"),
             Contains("line 2, column 'lr'") && Contains("gap"));
  options.where = {scalelaw::RowFilter::Parse("step>1")};  // filters apply to JSON lines too
  CHECK(ParseCurves("{\"step\": 1, \"loss\": 3}\n{\"step\": 2, \"loss\": 2}\n", "m.jsonl", options).curves.at(0).step ==
        std::vector<double>{2});
}

TEST_CASE("CSV bad input: a missing metric, a step that goes back, an LR gap, a text cell", "[curves]") {
  CHECK_THAT(ErrorOf("step,loss\n1,3\n", "r.csv",
                     [] {
                       CurveReadOptions o;
                       o.metric = "val_loss";
                       return o;
                     }()),
             Contains("r.csv, line 1, column 'val_loss'") && Contains("no metric"));
  CHECK_THAT(ErrorOf("step,loss\n1,3\n5,2\n4,1\n", "r.csv"),
             Contains("r.csv, line 4, column 'step'") && Contains("step 4 does not increase on the previous step 5"));
  CHECK_THAT(ErrorOf("step,lr,loss\n1,1e-3,3\n2,,2\n", "r.csv"),
             Contains("r.csv, line 3, column 'lr'") && Contains("gap") && Contains("step 2"));
  CHECK_THAT(ErrorOf("step,loss\n1,3\n2,high\n", "r.csv"), Contains("r.csv, line 3, column 'loss'"));
  CHECK_THAT(ErrorOf("step,loss\n1,\n2,\n", "r.csv"), Contains("never logged"));
}

TEST_CASE("A facts table gives each run's N, batch and schedule by its name", "[curves]") {
  const TempFile facts("facts.csv",
                       "run,params,batch_sequences,seq_len,schedule\n"
                       "a,1e8,4,100,cosine\nb,2e8,,,wsd:0.2\n");
  const TempFile a("a.csv", "step,loss\n10,4\n20,3\n");
  const TempFile b("b.jsonl", "{\"step\": 5, \"loss\": 4}\n");
  CurveReadOptions options;
  options.facts_table = facts.path();
  options.facts.batch_tokens = 7;  // for runs the table gives no batch
  const std::string prefix = std::filesystem::path(a.path()).stem().string();
  // The runs are named by their files: scalelaw_curves_a and scalelaw_curves_b, not a and b.
  const CurveTable unnamed = scalelaw::ReadCurves(std::vector<std::string>{a.path(), b.path()}, options);
  CHECK(std::isnan(unnamed.curves[0].facts.params));

  const TempFile named("facts2.csv", "run,params,batch_sequences,seq_len,schedule\n" + prefix +
                                         ",1e8,4,100,cosine\nscalelaw_curves_b,2e8,,,wsd:0.2\n");
  options.facts_table = named.path();
  const CurveTable table = scalelaw::ReadCurves(std::vector<std::string>{a.path(), b.path()}, options);
  REQUIRE(table.curves.size() == 2);
  CHECK(table.curves[0].facts.params == 1e8);
  CHECK(table.curves[0].facts.schedule == "cosine");
  CHECK(table.curves[0].tokens == std::vector<double>{10 * 4 * 100, 20 * 4 * 100});
  CHECK(table.curves[1].facts.params == 2e8);
  CHECK(table.curves[1].facts.schedule == "wsd:0.2");
  CHECK(table.curves[1].tokens == std::vector<double>{5 * 7});
}

TEST_CASE("The format follows the file name, and can be named", "[curves]") {
  using scalelaw::LogFormat;
  CHECK(scalelaw::DetectLogFormat("run/metrics.jsonl") == LogFormat::kJsonLines);
  CHECK(scalelaw::DetectLogFormat("events.out.tfevents.1700000000.host") == LogFormat::kTensorBoard);
  CHECK(scalelaw::DetectLogFormat("history.csv") == LogFormat::kCsv);
  CHECK(scalelaw::LogFormatFromName("wandb") == LogFormat::kWandb);
  CHECK_THROWS_AS(scalelaw::LogFormatFromName("parquet"), scalelaw::InvalidArgument);
  // A W&B export named as such reads _step even when the header also has a "step" column.
  CurveReadOptions options;
  options.format = LogFormat::kWandb;
  const CurveTable table = ParseCurves("step,_step,loss\n100,1,3\n200,2,2\n", "e.csv", options);
  CHECK(table.curves[0].step == std::vector<double>{1, 2});
}

// --- checkpoint policies ---

TEST_CASE("EMA and trailing moving average, recomputed by hand", "[curves][checkpoints]") {
  const std::vector<double> x = {4.0, 3.0, 3.5, 2.0, 2.5};
  CheckpointPolicy policy;
  policy.SetSmoothing("ema:0.5");
  // s0 = 4; s1 = 0.5*4 + 0.5*3 = 3.5; s2 = 0.5*3.5 + 0.5*3.5 = 3.5; s3 = 0.5*3.5 + 0.5*2 = 2.75;
  // s4 = 0.5*2.75 + 0.5*2.5 = 2.625
  const std::vector<double> ema = scalelaw::SmoothCurve(x, policy);
  const std::vector<double> ema_expected = {4.0, 3.5, 3.5, 2.75, 2.625};
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(ema[i] == Approx(ema_expected[i]).epsilon(1e-15));
  policy.SetSmoothing("ma:3");
  // (4)/1, (4+3)/2, (4+3+3.5)/3, (3+3.5+2)/3, (3.5+2+2.5)/3
  const std::vector<double> ma = scalelaw::SmoothCurve(x, policy);
  const std::vector<double> ma_expected = {4.0, 3.5, 3.5, 8.5 / 3, 8.0 / 3};
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(ma[i] == Approx(ma_expected[i]).epsilon(1e-14));
  CHECK(policy.SmoothingName() == "ma:3");
  CHECK_THROWS_WITH(policy.SetSmoothing("ema:1.5"), Contains("EMA decay"));
  CHECK_THROWS_WITH(policy.SetSmoothing("ma:2.5"), Contains("whole number"));
  CHECK_THROWS_WITH(policy.SetSmoothing("median:3"), Contains("unknown smoothing"));
}

TEST_CASE("Final, all and warmup skipping pick the points a hand count picks", "[curves][checkpoints]") {
  CurveReadOptions options;
  options.facts.batch_tokens = 100;
  options.facts.params = 1e6;
  const CurveTable table = ParseCurves(
      "step,loss\n0,9\n10,6\n20,5\n30,4.5\n40,4.2\n50,4\n60,3.9\n70,3.8\n80,3.75\n90,3.7\n100,3.6\n", "r.csv", options);
  CheckpointPolicy policy;
  scalelaw::CheckpointRows rows = scalelaw::SelectCheckpoints(table, policy);
  REQUIRE(rows.size() == 1);
  CHECK(rows.step[0] == 100);
  CHECK(rows.tokens[0] == 10000);
  CHECK(rows.loss[0] == 3.6);
  CHECK(rows.params[0] == 1e6);

  policy.keep = CheckpointPolicy::Keep::kAll;
  rows = scalelaw::SelectCheckpoints(table, policy);
  CHECK(rows.size() == 10);  // step 0 has seen no tokens: not a point of L(N, D)
  CHECK(rows.step.front() == 10);

  // Skip 25%: steps below 25 go (0, 10, 20); then a moving average over the rest, which starts at step 30.
  policy.skip_warmup = 0.25;
  policy.SetSmoothing("ma:2");
  rows = scalelaw::SelectCheckpoints(table, policy);
  REQUIRE(rows.size() == 8);
  CHECK(rows.step.front() == 30);
  CHECK(rows.loss.front() == 4.5);  // the first point after the skip averages itself alone
  CHECK(rows.loss[1] == Approx((4.5 + 4.2) / 2));
  CHECK(rows.loss.back() == Approx((3.7 + 3.6) / 2));
  CHECK(rows.policy == "all, smoothing ma:2, first 0.25 of steps skipped");
  CHECK_THAT(rows.ToCsv(), Contains("run,params,tokens,step,loss,lr,schedule,metric,checkpoints\n") &&
                               Contains("r,1000000,3000,30,4.5,,,loss,\"all, smoothing ma:2, first 0.25"));
}

TEST_CASE("Cooldown ends: one row per cooldown, warmups and partial drops are not ends", "[curves][checkpoints]") {
  // Warmup 0 -> 1, stable, cooldown to 0.1 at index 5, rewarm, stable, cooldown to 0 at the end (index 10); a
  // step down to 0.6 of the peak (index 7) is not a cooldown.
  const std::vector<double> lr = {0, 0.5, 1, 1, 0.5, 0.1, 1, 0.6, 0.6, 0.3, 0};
  CHECK(scalelaw::CooldownEnds(lr, 0.5) == std::vector<std::size_t>{5, 10});
  CHECK(scalelaw::CooldownEnds(lr, 0.05) == std::vector<std::size_t>{10});
  CHECK(scalelaw::CooldownEnds({1, 1, 1}, 0.5).empty());  // constant LR: no cooldown

  // WSD runs that branch their cooldowns off one stable phase, logged as runs of one file: each branch gives
  // its own (N, D) row at the end of its cooldown; the stable run gives none.
  const std::string text =
      "run,step,lr,loss\n"
      "stable,100,1,4\nstable,200,1,3.8\nstable,300,1,3.7\n"
      "cool200,100,1,4\ncool200,200,1,3.8\ncool200,250,0.5,3.6\ncool200,300,0,3.5\n"
      "cool300,100,1,4\ncool300,200,1,3.8\ncool300,300,1,3.7\ncool300,350,0.5,3.5\ncool300,400,0,3.4\n";
  CurveReadOptions options;
  options.run_key = "run";
  options.facts.batch_tokens = 1000;
  options.facts.params = 5e7;
  const CurveTable table = ParseCurves(text, "branches.csv", options);
  CheckpointPolicy policy;
  policy.keep = CheckpointPolicy::Keep::kCooldowns;
  const scalelaw::CheckpointRows with_stable = scalelaw::SelectCheckpoints(table, policy);
  CHECK(with_stable.size() == 2);
  REQUIRE(with_stable.warnings.size() == 1);
  CHECK_THAT(with_stable.warnings[0], Contains("run 'stable' (branches.csv) gives no row: no cooldown ends"));
  options.where = {scalelaw::RowFilter::Parse("run!=stable")};
  const scalelaw::CheckpointRows rows = scalelaw::SelectCheckpoints(ParseCurves(text, "branches.csv", options), policy);
  REQUIRE(rows.size() == 2);
  CHECK(rows.run == std::vector<std::string>{"cool200", "cool300"});
  CHECK(rows.tokens == std::vector<double>{300000, 400000});
  CHECK(rows.loss == std::vector<double>{3.5, 3.4});
  CHECK(rows.lr == std::vector<double>{0, 0});
}

TEST_CASE("Checkpoints need tokens, and cooldowns need an LR", "[curves][checkpoints]") {
  const CurveTable table = ParseCurves("step,loss\n1,3\n2,2\n", "r.csv");
  CHECK_THROWS_WITH(scalelaw::SelectCheckpoints(table, {}), Contains("tokens are neither logged nor computable"));
  CurveReadOptions options;
  options.facts.batch_tokens = 1;
  CheckpointPolicy policy;
  policy.keep = CheckpointPolicy::Keep::kCooldowns;
  CHECK_THROWS_WITH(scalelaw::SelectCheckpoints(ParseCurves("step,loss\n1,3\n2,2\n", "r.csv", options), policy),
                    Contains("need the learning rate"));
  // Only constant-LR runs: no cooldown anywhere, no row at all.
  CHECK_THROWS_WITH(
      scalelaw::SelectCheckpoints(ParseCurves("step,lr,loss\n1,1e-3,3\n2,1e-3,2\n", "r.csv", options), policy),
      Contains("no row is left: run 'r' (r.csv) gives no row"));
}

TEST_CASE("The JSON table records the policy and writes unknown values as null", "[curves][checkpoints]") {
  CurveReadOptions options;
  options.facts.batch_tokens = 2;
  const CurveTable table = ParseCurves("step,loss\n1,3\n2,2\n", "r.csv", options);
  CheckpointPolicy policy;
  policy.SetSmoothing("ema:0.5");
  const std::string json = scalelaw::SelectCheckpoints(table, policy).ToJson();
  CHECK_THAT(json, Contains("\"checkpoints\": \"final, smoothing ema:0.5\"") && Contains("\"params\": null") &&
                       Contains("\"loss\": 2.5") && Contains("\"tokens\": 4.0"));
}

// --- real logs ---

TEST_CASE("The Multi-Power Law's logs read point for point", "[curves][shared]") {
  const std::string relative = "data/multipower/csv_25/wsd_20000_24000.csv";
  SCALELAW_REQUIRE_SHARED(relative);
  const CurveTable table = scalelaw::ReadCurves(scalelaw::testing::SharedPath(relative));
  REQUIRE(table.curves.size() == 1);
  // The last line of the file, split here.
  std::ifstream in(scalelaw::testing::SharedPath(relative));
  std::string line, last;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      last = line;
      ++lines;
    }
  }
  std::stringstream cells(last);
  std::string step, lr, loss;
  std::getline(cells, step, ',');
  std::getline(cells, lr, ',');
  std::getline(cells, loss, ',');
  const scalelaw::Curve& curve = table.curves[0];
  CHECK(curve.size() == lines - 1);
  CHECK(curve.step.back() == std::stod(step));
  CHECK(curve.lr.back() == std::stod(lr));
  CHECK(curve.metric.back() == std::stod(loss));
  // A WSD schedule with one decay: exactly one cooldown end, the last point.
  CHECK(scalelaw::CooldownEnds(curve.lr, 0.5) == std::vector<std::size_t>{curve.size() - 1});
}

TEST_CASE("OLMo ladder W&B exports: logged tokens equal step x the logged batch", "[curves][shared]") {
  const std::string relative = "data/olmo-ladder/ladder-runs/370M-2xC.csv";
  SCALELAW_REQUIRE_SHARED(relative);
  CurveReadOptions options;
  options.metric = "eval/pile-validation/CrossEntropyLoss";
  const std::string path = scalelaw::testing::SharedPath(relative);
  const CurveTable logged = scalelaw::ReadCurves(path, options);  // tokens: throughput/total_tokens
  options.tokens = "-";
  options.batch_col = "batch_size_in_tokens";
  options.batch_is_tokens = true;
  const CurveTable computed = scalelaw::ReadCurves(path, options);
  REQUIRE(logged.curves.size() == 1);
  REQUIRE(logged.curves[0].size() == 95);                  // SOURCE.txt: 95 rows
  CHECK(computed.curves[0].facts.batch_tokens == 786432);  // SOURCE.txt: 370M's batch
  CHECK(logged.curves[0].tokens == computed.curves[0].tokens);
  CHECK_FALSE(logged.curves[0].lr.empty());  // optim/learning_rate_group0
}
