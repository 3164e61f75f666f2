// Reading back the JSON of an IsoFLOP analysis (IsoflopToJson) and of a hyperparameter sweep (HparamSweepToJson):
// what `scalelaw isoflop|fit-hparams --output` write and Python's to_dict() gives, for `--fit FILE` and for
// drawing a saved result.
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

using Json = nlohmann::json;

// Reads the fields of one JSON document, each failure an InputError naming the source and the key.
class Reader {
 public:
  Reader(std::string_view text, const std::string& source_name, const char* what) : source_(source_name) {
    root_ = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (root_.is_discarded()) throw InputError(source_, 0, "", "not valid JSON");
    if (!root_.is_object()) throw InputError(source_, 0, "", std::string("not a JSON object written by ") + what);
  }

  const Json& root() const { return root_; }

  InputError Fail(const std::string& key, const std::string& problem) const {
    return InputError(source_, 0, "", "key \"" + key + "\": " + problem);
  }

  // A required number.
  double Number(const Json& object, const std::string& key, const std::string& shown) const {
    if (!object.contains(key) || !object[key].is_number()) throw Fail(shown, "missing or not a number");
    return object[key].get<double>();
  }
  // An optional number (fallback when absent); null reads as NaN.
  double NumberOr(const Json& object, const std::string& key, double fallback, const std::string& shown) const {
    if (!object.contains(key)) return fallback;
    if (object[key].is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!object[key].is_number()) throw Fail(shown, "not a number");
    return object[key].get<double>();
  }
  int IntOr(const Json& object, const std::string& key, int fallback, const std::string& shown) const {
    if (!object.contains(key)) return fallback;
    if (!object[key].is_number_integer()) throw Fail(shown, "not an integer");
    return object[key].get<int>();
  }
  std::uint64_t SeedOr(const Json& object, const std::string& key, const std::string& shown) const {
    if (!object.contains(key)) return 0;
    if (!object[key].is_number_unsigned()) throw Fail(shown, "not a non-negative integer");
    return object[key].get<std::uint64_t>();
  }
  std::string StringOr(const Json& object, const std::string& key, const std::string& fallback) const {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : fallback;
  }
  std::vector<std::string> Strings(const Json& object, const std::string& key) const {
    std::vector<std::string> out;
    if (!object.contains(key)) return out;
    if (!object[key].is_array()) throw Fail(key, "expected an array of strings");
    for (const Json& item : object[key]) {
      if (!item.is_string()) throw Fail(key, "expected an array of strings");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  const Json& Array(const Json& object, const std::string& key) const {
    static const Json empty = Json::array();
    if (!object.contains(key)) return empty;
    if (!object[key].is_array()) throw Fail(key, "expected an array");
    return object[key];
  }

  // "status" (else "usable": true or false) and "message".
  std::pair<AnalysisStatus, std::string> Status() const {
    const std::string name = StringOr(root_, "status", root_.value("usable", false) ? "usable" : "not identifiable");
    try {
      return {AnalysisStatusFromName(name), StringOr(root_, "message", "")};
    } catch (const InvalidArgument& e) {
      throw Fail("status", e.what());
    }
  }

  // bootstrap.draws: one object of the quantities keys per resample.
  std::vector<std::map<std::string, double>> Draws(const std::vector<std::string>& keys) const {
    std::vector<std::map<std::string, double>> out;
    if (!root_.contains("bootstrap") || !root_["bootstrap"].is_object()) return out;
    for (const Json& draw : Array(root_["bootstrap"], "draws")) {
      if (!draw.is_object()) throw Fail("bootstrap.draws", "expected objects");
      std::map<std::string, double> values;
      for (const std::string& key : keys) values[key] = Number(draw, key, "bootstrap.draws." + key);
      out.push_back(std::move(values));
    }
    return out;
  }

  // The bootstrap summaries of keys from "se", "ci95" (and "bootstrap"."mean" when written).
  std::map<std::string, ResampleSummary> Uncertainty(const std::vector<std::string>& keys, int resamples,
                                                     int failed) const {
    std::map<std::string, ResampleSummary> out;
    if (!root_.contains("se") || !root_["se"].is_object()) return out;
    const Json& se = root_["se"];
    const Json& ci = root_.contains("ci95") ? root_["ci95"] : Json::object();
    const Json mean = root_.contains("bootstrap") && root_["bootstrap"].is_object()
                          ? root_["bootstrap"].value("mean", Json::object())
                          : Json::object();
    for (const std::string& key : keys) {
      if (!se.contains(key)) continue;
      ResampleSummary s;
      s.resamples = resamples;
      s.failed = failed;
      s.se = NumberOr(se, key, s.se, "se." + key);
      s.mean = NumberOr(mean, key, s.mean, "bootstrap.mean." + key);
      if (ci.contains(key)) {
        const Json& pair = ci[key];
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_number()) {
          throw Fail("ci95." + key, "expected [low, high]");
        }
        s.ci95 = {pair[0].get<double>(), pair[1].get<double>()};
      }
      out[key] = s;
    }
    return out;
  }

 private:
  std::string source_;
  Json root_;
};

}  // namespace

IsoflopResult IsoflopFromJson(std::string_view text, const std::string& source_name) {
  const Reader in(text, source_name, "scalelaw isoflop");
  const Json& root = in.root();
  IsoflopResult r;
  std::tie(r.status, r.message) = in.Status();
  r.a = in.Number(root, "a", "a");
  r.b = in.Number(root, "b", "b");
  r.k_params = in.Number(root, "k_params", "k_params");
  r.k_tokens = in.Number(root, "k_tokens", "k_tokens");
  r.n_budgets_used = in.IntOr(root, "n_budgets_used", 0, "n_budgets_used");
  r.n_runs = in.IntOr(root, "n_runs", 0, "n_runs");
  r.budget_tolerance = in.NumberOr(root, "budget_tolerance", 0, "budget_tolerance");
  r.by_label = in.StringOr(root, "grouping", "tolerance") == "label";
  r.min_sizes = in.IntOr(root, "min_sizes", 0, "min_sizes");
  try {
    r.vertex = IsoflopVertexFromName(in.StringOr(root, "vertex", "quadratic"));
  } catch (const InvalidArgument& e) {
    throw in.Fail("vertex", e.what());
  }
  try {
    r.d_star = IsoflopDStarFromName(in.StringOr(root, "d_star", "flops"));
  } catch (const InvalidArgument& e) {
    throw in.Fail("d_star", e.what());
  }
  r.window = in.IntOr(root, "window", 0, "window");
  const auto flag = [](const Json& object, const char* key) {
    return object.contains(key) && object[key].is_boolean() && object[key].get<bool>();
  };
  r.keep_outside = flag(root, "keep_outside");
  r.weighted = flag(root, "weighted");
  r.weight_resamples = in.IntOr(root, "weight_resamples", 0, "weight_resamples");
  r.disagreement = in.NumberOr(root, "disagreement", IsoflopOptions{}.disagreement, "disagreement");
  for (const Json& row : in.Array(root, "budgets")) {
    if (!row.is_object()) throw in.Fail("budgets", "expected objects");
    IsoflopBudget b;
    b.flops = in.NumberOr(row, "flops", 0, "budgets.flops");
    b.flops_min = in.NumberOr(row, "flops_min", b.flops, "budgets.flops_min");
    b.flops_max = in.NumberOr(row, "flops_max", b.flops, "budgets.flops_max");
    b.n_runs = in.IntOr(row, "n_runs", 0, "budgets.n_runs");
    b.n_sizes = in.IntOr(row, "n_sizes", 0, "budgets.n_sizes");
    b.params_min = in.NumberOr(row, "params_min", 0, "budgets.params_min");
    b.params_max = in.NumberOr(row, "params_max", 0, "budgets.params_max");
    b.curvature = in.NumberOr(row, "curvature", 0, "budgets.curvature");
    b.has_vertex = row.contains("params") && row["params"].is_number();  // null without a vertex
    if (b.has_vertex) {
      b.params = in.Number(row, "params", "budgets.params");
      b.tokens = in.NumberOr(row, "tokens", 0, "budgets.tokens");
      b.loss = in.NumberOr(row, "loss", 0, "budgets.loss");
    }
    b.tokens_min = in.NumberOr(row, "tokens_min", 0, "budgets.tokens_min");
    b.tokens_max = in.NumberOr(row, "tokens_max", 0, "budgets.tokens_max");
    if (row.contains("ratio_6nd") && !row["ratio_6nd"].is_null()) {
      const Json& ratio = row["ratio_6nd"];
      if (!ratio.is_array() || ratio.size() != 2 || !ratio[0].is_number() || !ratio[1].is_number()) {
        throw in.Fail("budgets.ratio_6nd", "expected [min, max] or null");
      }
      b.ratio_min = ratio[0].get<double>();
      b.ratio_max = ratio[1].get<double>();
    }
    b.log_params_sd = in.NumberOr(row, "log_params_sd", 0, "budgets.log_params_sd");
    b.log_tokens_sd = in.NumberOr(row, "log_tokens_sd", 0, "budgets.log_tokens_sd");
    b.used = row.value("used", false);
    b.extrapolated =
        row.contains("extrapolated") && row["extrapolated"].is_boolean() && row["extrapolated"].get<bool>();
    b.status = in.StringOr(row, "status", b.used ? "used" : "");
    r.budgets.push_back(std::move(b));
  }
  if (root.contains("bootstrap") && root["bootstrap"].is_object()) {
    const Json& bootstrap = root["bootstrap"];
    r.bootstrap_resamples = in.IntOr(bootstrap, "requested", 0, "bootstrap.requested");
    r.bootstrap_failed =
        r.bootstrap_resamples - in.IntOr(bootstrap, "succeeded", r.bootstrap_resamples, "bootstrap.succeeded");
    r.seed = in.SeedOr(bootstrap, "seed", "bootstrap.seed");
  }
  const std::vector<std::string> keys = {"a", "b", "k_params", "k_tokens"};
  r.bootstrap_draws = in.Draws(keys);
  r.uncertainty = in.Uncertainty(keys, r.bootstrap_resamples - r.bootstrap_failed, r.bootstrap_failed);
  r.warnings = in.Strings(root, "warnings");
  return r;
}

HparamSweepResult HparamSweepFromJson(std::string_view text, const std::string& source_name) {
  const Reader in(text, source_name, "scalelaw fit-hparams");
  const Json& root = in.root();
  if (!root.contains("lr") || !root["lr"].is_object()) throw in.Fail("lr", "missing or not an object");
  if (!root.contains("batch_tokens") || !root["batch_tokens"].is_object()) {
    throw in.Fail("batch_tokens", "missing or not an object");
  }
  HparamSweepResult r;
  std::tie(r.status, r.message) = in.Status();
  const Json& lr = root["lr"];
  const Json& batch = root["batch_tokens"];
  r.lr = {in.Number(lr, "coef", "lr.coef"), in.Number(lr, "exp_params", "lr.exp_params"),
          in.Number(lr, "exp_tokens", "lr.exp_tokens")};
  r.batch_tokens = {in.Number(batch, "coef", "batch_tokens.coef"),
                    in.Number(batch, "exp_tokens", "batch_tokens.exp_tokens")};
  if (root.contains("batch_tokens_nd") && root["batch_tokens_nd"].is_object()) {
    const Json& nd = root["batch_tokens_nd"];
    r.batch_tokens_nd = {in.NumberOr(nd, "coef", 0, "batch_tokens_nd.coef"),
                         in.NumberOr(nd, "exp_params", 0, "batch_tokens_nd.exp_params"),
                         in.NumberOr(nd, "exp_tokens", 0, "batch_tokens_nd.exp_tokens")};
  }
  if (root.contains("lr_depends_on_params")) {
    if (!root["lr_depends_on_params"].is_boolean()) throw in.Fail("lr_depends_on_params", "expected true or false");
    r.lr_depends_on_params = root["lr_depends_on_params"].get<bool>();
  }
  if (root.contains("r2") && root["r2"].is_object()) {
    r.r2_lr = in.NumberOr(root["r2"], "lr", 0, "r2.lr");
    r.r2_batch_tokens = in.NumberOr(root["r2"], "batch_tokens", 0, "r2.batch_tokens");
    r.r2_batch_tokens_nd = in.NumberOr(root["r2"], "batch_tokens_nd", 0, "r2.batch_tokens_nd");
  }
  r.n_cells = in.IntOr(root, "n_cells", 0, "n_cells");
  r.n_runs = in.IntOr(root, "n_runs", 0, "n_runs");
  r.n_kept = in.IntOr(root, "n_kept", 0, "n_kept");
  r.tolerance = in.NumberOr(root, "tolerance", 0, "tolerance");
  r.seq_len = in.NumberOr(root, "seq_len", 1, "seq_len");
  r.warnings = in.Strings(root, "warnings");
  for (const Json& row : in.Array(root, "cells")) {
    if (!row.is_object()) throw in.Fail("cells", "expected objects");
    HparamCell cell;
    cell.group = in.StringOr(row, "group", "");
    cell.params = in.Number(row, "params", "cells.params");
    cell.tokens = in.Number(row, "tokens", "cells.tokens");
    cell.n_runs = in.IntOr(row, "n_runs", 0, "cells.n_runs");
    cell.n_kept = in.IntOr(row, "n_kept", 0, "cells.n_kept");
    cell.best_loss = in.NumberOr(row, "best_loss", 0, "cells.best_loss");
    cell.best_lr = in.NumberOr(row, "best_lr", 0, "cells.best_lr");
    cell.best_batch_tokens = in.NumberOr(row, "best_batch_tokens", 0, "cells.best_batch_tokens");
    r.cells.push_back(cell);
  }
  if (root.contains("bootstrap") && root["bootstrap"].is_object()) {
    const Json& bootstrap = root["bootstrap"];
    r.bootstrap_resamples = in.IntOr(bootstrap, "resamples", 0, "bootstrap.resamples");
    r.bootstrap_failed = in.IntOr(bootstrap, "failed", 0, "bootstrap.failed");
    r.bootstrap_seed = in.SeedOr(bootstrap, "seed", "bootstrap.seed");
    try {
      r.bootstrap_unit = HparamResampleFromName(in.StringOr(bootstrap, "resample", "runs"));
    } catch (const InvalidArgument& e) {
      throw in.Fail("bootstrap.resample", e.what());
    }
  }
  r.bootstrap_draws = in.Draws(HparamQuantityNames());
  r.uncertainty = in.Uncertainty(HparamQuantityNames(), r.bootstrap_resamples - r.bootstrap_failed, r.bootstrap_failed);
  return r;
}

}  // namespace scalelaw
