// Sweeps ready to launch: see scalelaw/analysis/sweep_plan.h.
#include "scalelaw/analysis/sweep_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/model/model_inputs.h"
#include "util/short_number.h"

namespace scalelaw {
namespace {

using detail::ShortNumber;

constexpr std::size_t kMaxRuns = 100000;

bool PositiveFinite(double value) { return value > 0 && std::isfinite(value); }

std::string ValuesProblem(const std::vector<double>& values, const char* field, const char* what) {
  for (double value : values) {
    if (!PositiveFinite(value)) return fmt::format("{}: {} is not a positive {}", field, value, what);
  }
  return "";
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// count values evenly spaced in log between low and high, both included (low alone when count is 1).
std::vector<double> LogSpaced(double low, double high, int count) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i) {
    const double t = count == 1 ? 0.0 : static_cast<double>(i) / (count - 1);
    out.push_back(i == 0           ? low
                  : i == count - 1 ? high
                                   : std::exp(std::log(low) + t * (std::log(high) - std::log(low))));
  }
  return out;
}

// A law's warnings over the runs, as one line: how many runs it warned about and the first warning. The warnings
// name each run's N or D, so one line per run would repeat the same news a hundred times.
struct LawWarnings {
  int runs = 0;
  std::string first;
};

void Collect(std::map<std::string, LawWarnings>* by_law, const std::string& law,
             const std::vector<std::string>& warnings) {
  if (warnings.empty()) return;
  LawWarnings& entry = (*by_law)[law];
  if (entry.runs++ == 0) entry.first = warnings.front();
}

// family's answer for quantity at a run; a law that needs an input a planned run does not have (a loss, a reference
// run) is an InvalidArgument naming the option (field) and the families that can answer there.
Prediction AnswerAt(Quantity quantity, const std::string& family, const PredictionInputs& in, const char* field) {
  try {
    return Predict(quantity, family, in).front();
  } catch (const NotApplicable& problem) {
    std::vector<std::string> answering;
    for (const std::string& other : FamiliesFor(quantity)) {
      try {
        Predict(quantity, other, in);
        answering.push_back(other);
      } catch (const InvalidArgument&) {
      }
    }
    throw InvalidArgument(
        fmt::format("{}: {}, which a planned run does not have (it has N, D, n_layer, d_model and "
                    "seq_len); laws that answer there: {}",
                    field, problem.what(), fmt::join(answering, ", ")));
  }
}

}  // namespace

std::string_view Name(SweepPlanStatus status) {
  switch (status) {
    case SweepPlanStatus::kUsable:
      return "usable";
    case SweepPlanStatus::kNoShape:
      return "no shape";
  }
  return "unknown";
}

std::string SweepPlanOptions::Problem() const {
  if (budgets.empty() == tokens.empty()) {
    return "budgets: give budgets (an isoFLOP grid) or tokens (an N x D grid), exactly one";
  }
  if (std::string p = ValuesProblem(budgets, "budgets", "number of FLOPs"); !p.empty()) return p;
  if (std::string p = ValuesProblem(tokens, "tokens", "number of tokens"); !p.empty()) return p;
  const bool by_range = min_params != 0 || max_params != 0;
  const int ways =
      static_cast<int>(!sizes.empty()) + static_cast<int>(by_range) + static_cast<int>(allocation_law.has_value());
  if (ways != 1) {
    return "sizes: give sizes, min_params and max_params, or an allocation law to centre on (exactly one)";
  }
  if (std::string p = ValuesProblem(sizes, "sizes", "parameter count"); !p.empty()) return p;
  if (by_range) {
    if (!PositiveFinite(min_params)) return "min_params: must be a positive number (with max_params)";
    if (!PositiveFinite(max_params)) return "max_params: must be a positive number (with min_params)";
    if (max_params < min_params) {
      return fmt::format("max_params: {} is below min_params {}", ShortNumber(max_params), ShortNumber(min_params));
    }
  }
  if (allocation_law) {
    if (budgets.empty()) return "allocation_law: centring the sizes on N_opt(C) needs budgets";
    if (allocation_law->Answer(Quantity::kAllocation) == nullptr) {
      return "allocation_law: " + allocation_law->name + " does not answer the compute-optimal allocation";
    }
    if (!(spread > 1) || !std::isfinite(spread)) return "spread: must be a finite number above 1";
  }
  if (per_budget < 1 || per_budget > 1000) return "per_budget: must be between 1 and 1000";
  if (!(max_relative_distance > 0) || !std::isfinite(max_relative_distance)) {
    return "max_relative_distance: must be a positive number";
  }
  try {
    FindFlopConvention(convention);
  } catch (const InvalidArgument& error) {
    return std::string("convention: ") + error.what();
  }
  const std::vector<std::string> lr_families = FamiliesFor(Quantity::kLearningRate);
  if (!Contains(lr_families, lr_law)) {
    return fmt::format("lr_law: '{}' is not a learning-rate law ({})", lr_law, fmt::join(lr_families, ", "));
  }
  if (!std::isfinite(batch_tokens) || batch_tokens < 0) return "batch_tokens: must be a positive number (0: the law's)";
  const std::vector<std::string> batch_families = FamiliesFor(Quantity::kBatchSize);
  if (batch_tokens == 0 && !Contains(batch_families, batch_law)) {
    return fmt::format("batch_law: '{}' is not a batch-size law ({})", batch_law, fmt::join(batch_families, ", "));
  }
  // ShapeSearchOptions::Problem checks a target too; the sweep sets one per size later, so any valid one stands in
  // here and only the shape constraints are checked.
  ShapeSearchOptions search = shapes;
  search.params = 1e9;
  search.flops_per_token = 0;
  if (std::string p = search.Problem(); !p.empty()) return p;
  const std::size_t sizes_per_group = sizes.empty() ? static_cast<std::size_t>(per_budget) : sizes.size();
  if (sizes_per_group * std::max(budgets.size(), tokens.size()) > kMaxRuns) {
    return fmt::format("per_budget: at most {} runs in one plan", kMaxRuns);
  }
  return "";
}

const std::vector<std::string>& SweepCsvColumns() {
  static const std::vector<std::string> columns = {"run_id",
                                                   "budget",
                                                   "target_params",
                                                   "layers",
                                                   "d_model",
                                                   "heads",
                                                   "kv_heads",
                                                   "head_dim",
                                                   "ffn_width",
                                                   "ffn_kind",
                                                   "vocab",
                                                   "seq_len",
                                                   "tied",
                                                   "params",
                                                   "non_embedding_params",
                                                   "non_vocabulary_params",
                                                   "flops_per_token",
                                                   "flop_convention",
                                                   "tokens",
                                                   "flops",
                                                   "batch_tokens",
                                                   "batch_sequences",
                                                   "steps",
                                                   "lr",
                                                   "lr_law",
                                                   "batch_law",
                                                   "schedule",
                                                   "loss"};
  return columns;
}

// The run as the hyperparameter laws read it: the shape's three parameter counts (each law reads the N it
// defines, Predict converts), its layers, d_model, FFN width and context, and the tokens.
PredictionInputs SweepLawInputs(const PlannedRun& run) {
  return WithModel(run.count.shape).Set(Input::kTokens, run.tokens);
}

bool PlanSweep(const SweepPlanOptions& options, SweepPlan* plan) {
  if (const std::string problem = options.Problem(); !problem.empty()) throw InvalidArgument(problem);
  *plan = SweepPlan{};
  plan->isoflop = !options.budgets.empty();
  const FlopConvention& convention = FindFlopConvention(options.convention);
  const std::string definition(Name(options.shapes.definition));

  // The groups: one per budget (isoFLOP) or per token count (N x D), each with its target sizes.
  struct Group {
    double budget = 0;
    double tokens = 0;
    std::vector<double> targets;
  };
  std::vector<Group> groups;
  const std::vector<double>& outer = plan->isoflop ? options.budgets : options.tokens;
  for (double value : outer) {
    Group group;
    (plan->isoflop ? group.budget : group.tokens) = value;
    if (!options.sizes.empty()) {
      group.targets = options.sizes;
    } else if (options.allocation_law) {
      PredictionInputs in;
      in.Set(Input::kFlops, value);
      const double n_opt = Predict(*options.allocation_law, Quantity::kAllocation, in).Value("params");
      group.targets = LogSpaced(n_opt / options.spread, n_opt * options.spread, options.per_budget);
      plan->notes.push_back(fmt::format("C = {}: N_opt = {} ({}); sizes {} to {}", ShortNumber(value),
                                        ShortNumber(n_opt), options.allocation_law->name,
                                        ShortNumber(group.targets.front()), ShortNumber(group.targets.back())));
    } else {
      group.targets = LogSpaced(options.min_params, options.max_params, options.per_budget);
    }
    groups.push_back(std::move(group));
  }

  // The nearest shapes of each target, searched once per distinct target.
  std::map<double, ShapeSearchSummary> searches;
  const auto search = [&](double target, int top) -> const ShapeSearchSummary& {
    auto found = searches.find(target);
    if (found != searches.end() && static_cast<int>(found->second.shapes.size()) >= top) return found->second;
    ShapeSearchOptions search_options = options.shapes;
    search_options.params = target;
    search_options.flops_per_token = 0;
    search_options.top = top;
    ShapeSearchSummary summary;
    SearchShapes(search_options, &summary);
    return searches[target] = std::move(summary);
  };

  std::map<std::string, LawWarnings> law_warnings;
  std::string lr_reads = "the N its record names";  // the first LR answer's N definition and schedule, for the notes
  bool lr_states_schedule = false;
  for (const Group& group : groups) {
    std::set<std::int64_t> used;  // total params of the shapes this group already has
    for (double target : group.targets) {
      // Enough candidates for every size of the group to find a distinct total: shapes of one total differ only in
      // their head split (head_dims x group_sizes), so each total can take that many places.
      const std::size_t splits = options.shapes.head_dims.size() * options.shapes.group_sizes.size();
      const ShapeSearchSummary& found =
          search(target, static_cast<int>(std::min<std::size_t>(1000, group.targets.size() * splits + 8)));
      if (!found.IsUsable()) {
        plan->status = SweepPlanStatus::kNoShape;
        plan->message = fmt::format("no shape for N = {} ({}): {}", ShortNumber(target), definition, found.message);
        plan->runs.clear();
        return false;
      }
      const ShapeCandidate* chosen = nullptr;
      for (const ShapeCandidate& candidate : found.shapes) {
        if (used.count(candidate.count.params.total) == 0) {
          chosen = &candidate;
          break;
        }
      }
      const double distance = chosen == nullptr ? INFINITY : chosen->relative_distance;
      if (!(distance <= options.max_relative_distance)) {
        plan->status = SweepPlanStatus::kNoShape;
        plan->message =
            chosen == nullptr
                ? fmt::format("no distinct shape for N = {} ({}): the constraints give fewer than {} shapes near it",
                              ShortNumber(target), definition, group.targets.size())
                : fmt::format(
                      "no shape within {:.0f}% of N = {} ({}): the nearest the constraints allow has {} "
                      "(check the size range against vocab, max_d_model and the layer range)",
                      100 * options.max_relative_distance, ShortNumber(target), definition, ShortNumber(chosen->value));
        plan->runs.clear();
        return false;
      }
      if (chosen != &found.shapes.front()) {
        plan->warnings.push_back(
            fmt::format("N = {}: its nearest shape is another size's in the same group, so the next nearest "
                        "({}, {:.1f}% away) was taken",
                        ShortNumber(target), ShortNumber(chosen->value), 100 * chosen->relative_distance));
      }
      used.insert(chosen->count.params.total);

      PlannedRun run;
      run.run_id = fmt::format("{}-{:03d}", options.run_prefix, plan->runs.size() + 1);
      run.budget = group.budget;
      run.target_params = target;
      run.count = chosen->count;
      run.convention = convention.name;
      run.flops_per_token = convention.flops_per_token(run.count.shape);
      run.tokens = plan->isoflop ? std::round(group.budget / run.flops_per_token) : std::round(group.tokens);
      if (run.tokens < 1) {
        throw InvalidArgument(fmt::format("budgets: C = {} buys less than one token of a {}-parameter shape",
                                          ShortNumber(group.budget), ShortNumber(run.count.params.total)));
      }
      run.flops = run.tokens * run.flops_per_token;
      const PredictionInputs in = SweepLawInputs(run);

      double batch = options.batch_tokens;
      if (batch == 0) {
        const Prediction answer = AnswerAt(Quantity::kBatchSize, options.batch_law, in, "batch_law");
        batch = answer.Value("batch_tokens");
        run.batch_law = answer.law.name;
        Collect(&law_warnings, run.batch_law, answer.warnings);
      }
      const double seq_len = run.count.shape.seq_len;
      run.batch_sequences = std::max<std::int64_t>(1, std::llround(batch / seq_len));
      run.batch_tokens = run.batch_sequences * run.count.shape.seq_len;
      run.steps = static_cast<std::int64_t>(std::ceil(run.tokens / static_cast<double>(run.batch_tokens)));

      const Prediction lr = AnswerAt(Quantity::kLearningRate, options.lr_law, in, "lr_law");
      run.lr = lr.Value("lr");
      run.lr_law = lr.law.name;
      Collect(&law_warnings, run.lr_law, lr.warnings);
      if (plan->runs.empty()) {
        if (lr.law.params_kind) lr_reads = std::string(Name(*lr.law.params_kind)) + " params";
        lr_states_schedule = static_cast<bool>(lr.law.schedule);
      }
      if (!options.schedule.empty()) {
        run.schedule = options.schedule;
      } else if (lr.law.schedule) {
        run.schedule = lr.law.schedule(run.lr, static_cast<long>(run.steps));
      }
      plan->runs.push_back(std::move(run));
    }
  }
  for (const auto& [law, entry] : law_warnings) {
    plan->warnings.push_back(entry.runs == 1 ? fmt::format("{}: {}", law, entry.first)
                                             : fmt::format("{}: {} of {} runs are outside what it was fitted on or "
                                                           "warned otherwise; the first: {}",
                                                           law, entry.runs, plan->runs.size(), entry.first));
  }

  // What was assumed, once.
  const PlannedRun& first = plan->runs.front();
  if (plan->isoflop) {
    plan->notes.insert(plan->notes.begin(),
                       fmt::format("isoFLOP grid: {} budgets x {} sizes; D = C / M rounded to whole tokens, M the "
                                   "shape's FLOPs per token under '{}' ({})",
                                   groups.size(), groups.front().targets.size(), convention.name, convention.formula));
  } else {
    plan->notes.insert(plan->notes.begin(),
                       fmt::format("N x D grid: {} sizes x {} token counts; flops = D M, M under '{}' ({})",
                                   groups.front().targets.size(), groups.size(), convention.name, convention.formula));
  }
  plan->notes.push_back(
      fmt::format("target sizes are {} parameters; each row has the nearest shape's own counts", definition));
  plan->notes.push_back(options.batch_tokens > 0
                            ? fmt::format("batch: {} tokens given, rounded to whole sequences of seq_len",
                                          ShortNumber(options.batch_tokens))
                            : fmt::format("batch: {} B_opt(D) rounded to whole sequences of seq_len {}",
                                          first.batch_law, first.count.shape.seq_len));
  plan->notes.push_back(
      "steps = ceil(tokens / batch_tokens); tokens are not rounded to whole steps: stop after `tokens` tokens (the "
      "last step may be partial) so the row says what was trained");
  std::string schedule = fmt::format("no schedule: {} states none", first.lr_law);
  if (!options.schedule.empty()) {
    schedule = fmt::format("schedule '{}' as given", options.schedule);
  } else if (lr_states_schedule) {
    schedule =
        fmt::format("schedule: {}'s own at each run's peak and steps ({} for the first)", first.lr_law, first.schedule);
  }
  plan->notes.push_back(fmt::format("peak lr: {} at N = {}, D = tokens (and n_layer, d_model, seq_len); {}",
                                    first.lr_law, lr_reads, schedule));
  plan->notes.push_back(
      plan->isoflop && convention.name != "6n"
          ? "fill in the loss column, then: scalelaw fit FILE; scalelaw isoflop FILE --budget-col budget (C is not 6ND "
            "under this convention)"
          : std::string("fill in the loss column, then: scalelaw fit FILE") +
                (plan->isoflop ? "; scalelaw isoflop FILE" : ""));
  plan->status = SweepPlanStatus::kUsable;
  plan->message = fmt::format("{} runs", plan->runs.size());
  return true;
}

std::string SweepPlan::BriefReport() const {
  if (!IsUsable()) return fmt::format("sweep plan: {}: {}", Name(status), message);
  return fmt::format("sweep plan: {} runs ({} grid)", runs.size(), isoflop ? "isoFLOP" : "N x D");
}

std::string SweepPlan::FullReport() const {
  std::string out = BriefReport() + "\n";
  if (!IsUsable()) return out;
  out += fmt::format("\n  {:<9} {:>8} {:>6} {:>7} {:>5} {:>3} {:>6} {:>9} {:>9} {:>9} {:>6} {:>7} {:>9}\n", "run",
                     "budget", "layers", "d_model", "heads", "kv", "ffn", "params", "tokens", "flops", "batch", "steps",
                     "lr");
  for (const PlannedRun& run : runs) {
    const TransformerShape& s = run.count.shape;
    out += fmt::format("  {:<9} {:>8} {:>6} {:>7} {:>5} {:>3} {:>6} {:>9} {:>9} {:>9} {:>6} {:>7} {:>9.3e}\n",
                       run.run_id, run.budget > 0 ? ShortNumber(run.budget) : "-", s.layers, s.d_model, s.heads,
                       s.KvHeads(), run.count.ffn_width, ShortNumber(static_cast<double>(run.count.params.total)),
                       ShortNumber(run.tokens), ShortNumber(run.flops), run.batch_sequences, run.steps, run.lr);
  }
  out += "\n";
  for (const std::string& note : notes) out += "  note: " + note + "\n";
  return out;
}

std::string SweepPlan::ToCsv() const {
  std::string out = fmt::format("{}\n", fmt::join(SweepCsvColumns(), ","));
  for (const PlannedRun& run : runs) {
    const TransformerShape& s = run.count.shape;
    const ParameterCounts& p = run.count.params;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.0f},{},{},{},{},{},{},{},{},\n",
                       CsvCell(run.run_id), run.budget > 0 ? fmt::format("{}", run.budget) : "", run.target_params,
                       s.layers, s.d_model, s.heads, s.KvHeads(), s.HeadDim(), run.count.ffn_width, Name(s.ffn_kind),
                       s.vocab, s.seq_len, s.tied_embeddings ? "true" : "false", p.total, p.non_embedding,
                       p.non_vocabulary, run.flops_per_token, CsvCell(run.convention), run.tokens, run.flops,
                       run.batch_tokens, run.batch_sequences, run.steps, run.lr, CsvCell(run.lr_law),
                       CsvCell(run.batch_law), CsvCell(run.schedule));
  }
  return out;
}

}  // namespace scalelaw
