// The Step Law fitting procedure (Li et al. 2025, arXiv 2503.04715; step-law/steplaw code/fit_tool.py): keep the
// runs within a relative tolerance of each (N, D) cell's best loss, regress ln lr on [1, ln N, ln D] and
// ln batch_tokens on [1, ln D] by OLS, bootstrap the kept runs. See include/scalelaw/analysis/hparam_sweep.h.
#include "scalelaw/analysis/hparam_sweep.h"

#include <Eigen/Dense>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <tuple>
#include <utility>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

constexpr int kMaxBootstrap = 10'000'000;

// Coefficients of the two regressions for the runs rows (indices into the log columns, repeats allowed).
struct Coefficients {
  double lr_intercept = 0, lr_params = 0, lr_tokens = 0;
  double batch_intercept = 0, batch_tokens = 0;
  double r2_lr = 0, r2_batch = 0;
};

// What the kept runs can identify: the LR law in N and D, or (N spanning less than kMinParamsSpan) in D alone.
enum class LrLawForm { kParamsAndTokens, kTokensOnly };

struct LogColumns {
  std::vector<double> params, tokens, lr, batch;
};

// R² as sklearn's r2_score: 1 − SSR/SST, and for a constant response 1 when the fit is exact, else 0.
double RSquared(double ssr, double sst) {
  if (sst > 0) return 1 - ssr / sst;
  return ssr <= 0 ? 1.0 : 0.0;
}

// Least squares on centred predictors (intercept recovered from the means). Returns false with the reason
// when the predictors are rank-deficient.
bool Ols(const std::vector<const std::vector<double>*>& x, const std::vector<double>& y, const std::vector<int>& rows,
         Eigen::VectorXd* slopes, double* intercept, double* r2) {
  const Eigen::Index n = static_cast<Eigen::Index>(rows.size());
  const Eigen::Index p = static_cast<Eigen::Index>(x.size());
  if (n < p + 1) return false;
  Eigen::MatrixXd a(n, p);
  Eigen::VectorXd b(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) a(i, j) = (*x[j])[rows[i]];
    b(i) = y[rows[i]];
  }
  const Eigen::RowVectorXd mean_x = a.colwise().mean();
  const double mean_y = b.mean();
  a.rowwise() -= mean_x;
  b.array() -= mean_y;
  // A column with no spread, or two columns in a fixed ratio, cannot be told apart from the intercept or each
  // other; the relative threshold is far above rounding (~1e-16) and far below any real design (~1e-2).
  for (Eigen::Index j = 0; j < p; ++j) {
    if (!(a.col(j).norm() > 1e-9 * std::sqrt(static_cast<double>(n)))) return false;
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(a);
  qr.setThreshold(1e-9);
  if (qr.rank() < p) return false;
  *slopes = qr.solve(b);
  *intercept = mean_y - mean_x.dot(*slopes);
  const double ssr = (b - a * *slopes).squaredNorm();
  *r2 = RSquared(ssr, b.squaredNorm());
  return slopes->allFinite() && std::isfinite(*intercept) && std::isfinite(*r2);
}

// Fits both laws to rows; empty string on success, else why the rows cannot identify them.
std::string FitLaws(const LogColumns& logs, const std::vector<int>& rows, LrLawForm form, Coefficients* out) {
  Eigen::VectorXd slopes;
  double intercept = 0, r2 = 0;
  if (form == LrLawForm::kTokensOnly) {
    if (!Ols({&logs.tokens}, logs.lr, rows, &slopes, &intercept, &r2)) {
      return "the kept runs cannot identify lr = c·D^b: they need at least two distinct D";
    }
    out->lr_params = 0;
    out->lr_tokens = slopes(0);
  } else {
    if (!Ols({&logs.params, &logs.tokens}, logs.lr, rows, &slopes, &intercept, &r2)) {
      return "the kept runs cannot identify lr = c·N^a·D^b: they need at least 3 runs and N and D that vary "
             "independently (not a single N, a single D, or D proportional to a power of N)";
    }
    out->lr_params = slopes(0);
    out->lr_tokens = slopes(1);
  }
  out->lr_intercept = intercept;
  out->r2_lr = r2;
  if (!Ols({&logs.tokens}, logs.batch, rows, &slopes, &intercept, &r2)) {
    return "the kept runs cannot identify batch_tokens = c·D^b: they need at least two distinct D";
  }
  out->batch_intercept = intercept;
  out->batch_tokens = slopes(0);
  out->r2_batch = r2;
  return {};
}

std::string CellName(const std::string& group, double n, double d) {
  return "cell " + (group.empty() ? "" : group + ", ") + "N = " + FormatNumber(n) + ", D = " + FormatNumber(d);
}

// Resamples the kept runs (or the cells of kept runs, kept_by_cell) options.bootstrap times and summarises the
// refitted laws into result. Returns false when options.progress stopped it.
bool Bootstrap(const LogColumns& logs, const std::vector<int>& kept, const std::vector<std::vector<int>>& kept_by_cell,
               LrLawForm form, const HparamSweepOptions& options, HparamSweepResult* result) {
  const int k = options.bootstrap;
  std::vector<Coefficients> coefs(static_cast<std::size_t>(k));
  std::vector<char> ok(static_cast<std::size_t>(k), 0);
  auto resample = [&](int r) {
    std::vector<int> rows;
    rows.reserve(kept.size());
    std::mt19937_64 rng = detail::ResampleGenerator(options.seed, static_cast<std::uint64_t>(r));
    if (options.resample == HparamResample::kRuns) {
      for (std::size_t i = 0; i < kept.size(); ++i) rows.push_back(kept[detail::Draw(rng, kept.size())]);
    } else {
      for (std::size_t c = 0; c < kept_by_cell.size(); ++c) {
        const std::vector<int>& cell = kept_by_cell[detail::Draw(rng, kept_by_cell.size())];
        rows.insert(rows.end(), cell.begin(), cell.end());
      }
    }
    ok[r] = FitLaws(logs, rows, form, &coefs[r]).empty() ? 1 : 0;
  };
  std::atomic<bool> stop{false};
  std::atomic<int> done{0};
  detail::ParallelFor(k, detail::ThreadsToUse(options.num_threads), [&](int r) {
    if (stop) return;
    resample(r);
    if (options.progress && !options.progress("bootstrap", ++done, k)) stop = true;
  });
  if (stop) return false;

  result->bootstrap_resamples = k;
  result->bootstrap_seed = options.seed;
  result->bootstrap_unit = options.resample;
  const std::vector<std::string>& names = HparamQuantityNames();
  std::vector<std::vector<double>> values(names.size());
  std::vector<double> log_intercepts[2];  // lr, batch: the paper averages ln c, not c
  for (int r = 0; r < k; ++r) {
    if (!ok[r]) {
      ++result->bootstrap_failed;
      continue;
    }
    const Coefficients& c = coefs[r];
    const double v[] = {std::exp(c.lr_intercept), c.lr_params, c.lr_tokens, std::exp(c.batch_intercept),
                        c.batch_tokens};
    bool finite = true;
    for (double x : v) finite = finite && std::isfinite(x);
    if (!finite) {
      ++result->bootstrap_failed;
      continue;
    }
    for (std::size_t j = 0; j < names.size(); ++j) values[j].push_back(v[j]);
    std::map<std::string, double> draw;
    for (std::size_t j = 0; j < names.size(); ++j) draw[names[j]] = v[j];
    result->bootstrap_draws.push_back(std::move(draw));
    log_intercepts[0].push_back(c.lr_intercept);
    log_intercepts[1].push_back(c.batch_intercept);
  }
  if (values[0].size() < 2) return true;  // no statistics (the caller reports it)
  for (std::size_t j = 0; j < names.size(); ++j) {
    result->uncertainty[names[j]] = SummarizeResamples(std::move(values[j]), result->bootstrap_failed);
  }
  result->uncertainty["lr.coef"].mean = std::exp(SummarizeResamples(log_intercepts[0]).mean);
  result->uncertainty["batch_tokens.coef"].mean = std::exp(SummarizeResamples(log_intercepts[1]).mean);
  return true;
}

}  // namespace

void HparamRuns::Validate() const {
  const std::size_t n = params.size();
  if (tokens.size() != n || lr.size() != n || batch.size() != n || loss.size() != n) {
    throw InvalidArgument("params, tokens, lr, batch and loss must have the same length (got " + std::to_string(n) +
                          ", " + std::to_string(tokens.size()) + ", " + std::to_string(lr.size()) + ", " +
                          std::to_string(batch.size()) + ", " + std::to_string(loss.size()) + ")");
  }
  if (n == 0) throw InvalidArgument("no runs: a sweep needs at least one run per (N, D) cell");
  if (!group.empty() && group.size() != n) {
    throw InvalidArgument("group must be empty or have a label per run (got " + std::to_string(group.size()) +
                          " for " + std::to_string(n) + " runs)");
  }
  const std::pair<const char*, const std::vector<double>*> columns[] = {
      {"params", &params}, {"tokens", &tokens}, {"lr", &lr}, {"batch", &batch}, {"loss", &loss}};
  for (const auto& [name, column] : columns) {
    for (std::size_t i = 0; i < n; ++i) {
      const double v = (*column)[i];
      if (!(std::isfinite(v) && v > 0)) {
        throw InvalidArgument(std::string(name) + "[" + std::to_string(i) + "] must be a positive finite number (got " +
                              FormatNumber(v) + ")");
      }
    }
  }
}

bool HparamSweepOptions::IsValid(std::string* error) const {
  auto fail = [&](const std::string& why) {
    if (error != nullptr) *error = why;
    return false;
  };
  if (!(std::isfinite(tolerance) && tolerance >= 0)) {
    return fail("tolerance must be a finite number >= 0 (got " + FormatNumber(tolerance) + ")");
  }
  if (!(std::isfinite(seq_len) && seq_len > 0)) {
    return fail("seq_len must be a positive finite number (got " + FormatNumber(seq_len) + ")");
  }
  if (bootstrap < 0 || bootstrap > kMaxBootstrap) {
    return fail("bootstrap must be between 0 and " + std::to_string(kMaxBootstrap) + " resamples (got " +
                std::to_string(bootstrap) + ")");
  }
  if (num_threads < 0) return fail("num_threads must be >= 0 (got " + std::to_string(num_threads) + ")");
  return true;
}

const char* HparamResampleName(HparamResample unit) { return unit == HparamResample::kCells ? "cells" : "runs"; }

HparamResample HparamResampleFromName(const std::string& name) {
  if (name == "runs") return HparamResample::kRuns;
  if (name == "cells") return HparamResample::kCells;
  throw InvalidArgument("unknown resampling unit '" + name + "' (runs or cells)");
}

double LrLaw::operator()(double params, double tokens) const {
  return coef * std::pow(params, exp_params) * std::pow(tokens, exp_tokens);
}

double BatchTokensLaw::operator()(double tokens) const { return coef * std::pow(tokens, exp_tokens); }

const std::vector<std::string>& HparamQuantityNames() {
  static const std::vector<std::string> names = {"lr.coef", "lr.exp_params", "lr.exp_tokens", "batch_tokens.coef",
                                                 "batch_tokens.exp_tokens"};
  return names;
}

HparamSweepResult FitHparamSweep(const HparamRuns& runs, const HparamSweepOptions& options) {
  runs.Validate();
  std::string why;
  if (!options.IsValid(&why)) throw InvalidArgument(why);

  HparamSweepResult result;
  const int n = static_cast<int>(runs.size());
  result.n_runs = n;
  result.tolerance = options.tolerance;
  result.seq_len = options.seq_len;

  std::vector<double> batch_tokens(n);
  LogColumns logs;
  logs.params.resize(n);
  logs.tokens.resize(n);
  logs.lr.resize(n);
  logs.batch.resize(n);
  for (int i = 0; i < n; ++i) {
    batch_tokens[i] = runs.batch[i] * options.seq_len;
    if (!std::isfinite(batch_tokens[i]))
      throw InvalidArgument("batch · seq_len overflows for run " + std::to_string(i));
    logs.params[i] = std::log(runs.params[i]);
    logs.tokens[i] = std::log(runs.tokens[i]);
    logs.lr[i] = std::log(runs.lr[i]);
    logs.batch[i] = std::log(batch_tokens[i]);
  }

  // Cells in (group, N, D) order; within a cell, runs in file order.
  const std::string no_group;
  auto group_of = [&](int i) -> const std::string& { return runs.group.empty() ? no_group : runs.group[i]; };
  auto key = [&](int i) { return std::tie(group_of(i), runs.params[i], runs.tokens[i]); };
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
  std::vector<std::vector<int>> kept_by_cell;
  for (std::size_t begin = 0; begin < order.size();) {
    kept_by_cell.emplace_back();
    std::size_t end = begin;
    while (end < order.size() && key(order[end]) == key(order[begin])) ++end;
    int best = order[begin];
    double lr_min = runs.lr[best], lr_max = lr_min, b_min = batch_tokens[best], b_max = b_min;
    for (std::size_t k = begin; k < end; ++k) {
      const int i = order[k];
      if (runs.loss[i] < runs.loss[best]) best = i;
      lr_min = std::min(lr_min, runs.lr[i]);
      lr_max = std::max(lr_max, runs.lr[i]);
      b_min = std::min(b_min, batch_tokens[i]);
      b_max = std::max(b_max, batch_tokens[i]);
    }
    HparamCell cell;
    cell.group = group_of(best);
    cell.params = runs.params[best];
    cell.tokens = runs.tokens[best];
    cell.n_runs = static_cast<int>(end - begin);
    cell.best_loss = runs.loss[best];
    cell.best_lr = runs.lr[best];
    cell.best_batch_tokens = batch_tokens[best];
    for (std::size_t k = begin; k < end; ++k) {
      const int i = order[k];
      // The repository's test: |loss / min_loss − 1| < filter_threshold (loss >= min_loss, so no abs needed);
      // runs tied with the best are kept even at tolerance 0.
      if (runs.loss[i] == cell.best_loss || runs.loss[i] / cell.best_loss - 1 < options.tolerance) {
        result.kept.push_back(i);
        kept_by_cell.back().push_back(i);
        ++cell.n_kept;
      }
    }
    const std::string name = CellName(cell.group, cell.params, cell.tokens);
    if (cell.n_runs == 1) {
      result.warnings.push_back(name + " has a single run: its optimum is not located");
    } else {
      if (lr_min < lr_max && (cell.best_lr == lr_min || cell.best_lr == lr_max)) {
        result.warnings.push_back(name + ": the best run uses the " +
                                  (cell.best_lr == lr_min ? "smallest" : "largest") + " learning rate tried (" +
                                  FormatNumber(cell.best_lr) + "); the optimum may lie outside the grid");
      }
      if (b_min < b_max && (cell.best_batch_tokens == b_min || cell.best_batch_tokens == b_max)) {
        result.warnings.push_back(
            name + ": the best run uses the " + (cell.best_batch_tokens == b_min ? "smallest" : "largest") +
            " batch tried (" + FormatNumber(cell.best_batch_tokens) + " tokens); the optimum may lie outside the grid");
      }
    }
    result.cells.push_back(cell);
    begin = end;
  }
  std::sort(result.kept.begin(), result.kept.end());
  result.n_cells = static_cast<int>(result.cells.size());
  result.n_kept = static_cast<int>(result.kept.size());

  // N must vary for the LR law to say how the LR moves with it.
  double n_min = std::numeric_limits<double>::infinity(), n_max = 0;
  for (int i : result.kept) n_min = std::min(n_min, runs.params[i]), n_max = std::max(n_max, runs.params[i]);
  const LrLawForm form =
      result.kept.empty() || n_max / n_min >= kMinParamsSpan ? LrLawForm::kParamsAndTokens : LrLawForm::kTokensOnly;
  Coefficients c;
  const std::string problem = FitLaws(logs, result.kept, form, &c);
  if (!problem.empty()) {
    result.status = AnalysisStatus::kNotIdentifiable;
    result.message =
        problem + "; " + std::to_string(result.n_kept) + " kept runs in " + std::to_string(result.n_cells) + " cells";
    return result;
  }
  result.lr = {std::exp(c.lr_intercept), c.lr_params, c.lr_tokens};
  result.batch_tokens = {std::exp(c.batch_intercept), c.batch_tokens};
  result.r2_lr = c.r2_lr;
  result.r2_batch_tokens = c.r2_batch;
  if (!(std::isfinite(result.lr.coef) && result.lr.coef > 0 && std::isfinite(result.batch_tokens.coef) &&
        result.batch_tokens.coef > 0)) {
    result.lr = {};
    result.batch_tokens = {};
    result.status = AnalysisStatus::kNoConvergence;
    result.message = "the fitted coefficient overflows (the log-intercept is out of range of a double)";
    return result;
  }
  result.status = AnalysisStatus::kUsable;
  result.message.clear();
  if (form == LrLawForm::kTokensOnly) {
    result.lr_depends_on_params = false;
    result.warnings.push_back("the kept runs' N spans only " + FormatNumber(100 * (n_max / n_min - 1)) +
                              "% (" + FormatNumber(n_min) + " to " + FormatNumber(n_max) +
                              "), too little to say how the LR moves with N: the LR law is fitted in D alone "
                              "(exp_params 0) and answers for this N only");
  } else {
    // The batch law in N and D beside the Step Law's in D (zero when N and D cannot be told apart).
    Eigen::VectorXd slopes;
    double intercept = 0, r2 = 0;
    if (Ols({&logs.params, &logs.tokens}, logs.batch, result.kept, &slopes, &intercept, &r2) &&
        std::isfinite(std::exp(intercept))) {
      result.batch_tokens_nd = {std::exp(intercept), slopes(0), slopes(1)};
      result.r2_batch_tokens_nd = r2;
    }
  }
  if (result.n_cells < 3) {
    result.warnings.push_back("only " + std::to_string(result.n_cells) +
                              " (N, D) cells: the learning-rate law has 3 coefficients, so it is fitted to the "
                              "spread of runs within cells rather than across scales");
  }

  if (options.bootstrap > 0) {
    if (!Bootstrap(logs, result.kept, kept_by_cell, form, options, &result)) {
      result.status = AnalysisStatus::kInterrupted;
      result.message = "interrupted";
      return result;
    }
    const int succeeded = result.bootstrap_resamples - result.bootstrap_failed;
    if (succeeded == 0) {
      result.warnings.push_back("every bootstrap resample was rank-deficient: no standard errors");
    } else if (succeeded == 1) {
      result.warnings.push_back("only 1 bootstrap resample could identify the laws: no standard errors");
    }
    if (result.bootstrap_failed > 0 && succeeded > 0) {
      result.warnings.push_back(std::to_string(result.bootstrap_failed) + " of " +
                                std::to_string(result.bootstrap_resamples) +
                                " bootstrap resamples could not identify the laws and were left out");
    }
  }
  return result;
}

std::string HparamSweepToJson(const HparamSweepResult& r, int indent) {
  using json = nlohmann::ordered_json;
  json out = json::object();
  out["lr"] = {{"coef", r.lr.coef}, {"exp_params", r.lr.exp_params}, {"exp_tokens", r.lr.exp_tokens}};
  out["batch_tokens"] = {{"coef", r.batch_tokens.coef}, {"exp_tokens", r.batch_tokens.exp_tokens}};
  out["batch_tokens_nd"] = {{"coef", r.batch_tokens_nd.coef},
                            {"exp_params", r.batch_tokens_nd.exp_params},
                            {"exp_tokens", r.batch_tokens_nd.exp_tokens}};
  out["lr_depends_on_params"] = r.lr_depends_on_params;
  out["r2"] = {{"lr", r.r2_lr}, {"batch_tokens", r.r2_batch_tokens}, {"batch_tokens_nd", r.r2_batch_tokens_nd}};
  out["n_cells"] = r.n_cells;
  out["n_runs"] = r.n_runs;
  out["n_kept"] = r.n_kept;
  out["tolerance"] = r.tolerance;
  out["seq_len"] = r.seq_len;
  out["status"] = std::string(AnalysisStatusName(r.status));
  out["usable"] = r.IsUsable();
  out["message"] = r.message;
  out["warnings"] = r.warnings;
  json cells = json::array();
  for (const HparamCell& c : r.cells) {
    cells.push_back({{"group", c.group},
                     {"params", c.params},
                     {"tokens", c.tokens},
                     {"n_runs", c.n_runs},
                     {"n_kept", c.n_kept},
                     {"best_loss", c.best_loss},
                     {"best_lr", c.best_lr},
                     {"best_batch_tokens", c.best_batch_tokens}});
  }
  out["cells"] = cells;
  if (!r.uncertainty.empty()) {
    json se = json::object(), ci = json::object(), mean = json::object();
    for (const std::string& name : HparamQuantityNames()) {
      const ResampleSummary& s = r.uncertainty.at(name);
      se[name] = s.se;
      ci[name] = {s.ci95.first, s.ci95.second};
      mean[name] = s.mean;
    }
    out["bootstrap"] = {{"resamples", r.bootstrap_resamples},
                        {"resample", HparamResampleName(r.bootstrap_unit)},
                        {"failed", r.bootstrap_failed},
                        {"seed", r.bootstrap_seed},
                        {"mean", mean},
                        {"draws", r.bootstrap_draws}};
    out["se"] = se;
    out["ci95"] = ci;
  }
  return out.dump(indent);
}

}  // namespace scalelaw
