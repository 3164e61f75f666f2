// Training curves from CSV/TSV, W&B history exports and JSON Lines (TensorBoard in tensorboard.cpp): each format
// becomes LogRows, which one function splits into runs and checks (steps increasing, no LR gaps, constant facts).
#include "scalelaw/io/curves.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "io/csv_sparse.h"
#include "io/curve_rows.h"
#include "io/read_file.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string LastPart(const std::string& name) {
  const std::size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

// A run's name from its file: the file name without directories and extension.
std::string RunNameOf(const std::string& source) {
  std::string name =
      source.substr(source.find_last_of("/\\") == std::string::npos ? 0 : source.find_last_of("/\\") + 1);
  const std::size_t dot = name.find('.');
  if (dot != std::string::npos && dot > 0 && name.find("tfevents") == std::string::npos) name.resize(dot);
  return name;
}

std::string FirstPresent(const std::vector<std::string>& wanted, const std::vector<std::string>& names) {
  for (const std::string& w : wanted) {
    if (std::find(names.begin(), names.end(), w) != names.end()) return w;
  }
  return "";
}

// The step field of a log whose fields are names: the option's, else the usual names.
std::string StepNameOf(const CurveReadOptions& options, const std::vector<std::string>& names, bool wandb) {
  if (!options.step.empty()) return options.step;
  if (wandb) return "_step";
  const std::string found = FirstPresent({"step", "_step", "global_step", "iteration", "iter"}, names);
  return found.empty() ? "step" : found;  // "step": missing, reported with the names close to it
}

std::string LrNameOf(const CurveReadOptions& options, const std::vector<std::string>& names) {
  if (options.lr == "-") return "";
  return options.lr.empty() ? detail::FindLrName(names) : options.lr;
}

std::string TokensNameOf(const CurveReadOptions& options, const std::vector<std::string>& names) {
  if (options.tokens == "-") return "";
  if (!options.tokens.empty()) return options.tokens;
  const std::string exact = FirstPresent({"tokens"}, names);
  if (!exact.empty()) return exact;
  for (const std::string& name : names) {  // W&B: throughput/total_tokens (OLMo)
    if (name.find('/') != std::string::npos && (LastPart(name) == "tokens" || LastPart(name) == "total_tokens")) {
      return name;
    }
  }
  return "";
}

std::string Number(double value) { return fmt::format("{:g}", value); }

// Where a row is, for messages that name a field: the line, or the record of a TensorBoard file.
InputError RowError(const detail::LogRows& rows, std::size_t i, const std::string& field, const std::string& problem) {
  if (rows.unit != nullptr) {
    const std::string& file = rows.file_of.empty() ? rows.source : rows.files[rows.file_of[i]];
    return InputError(file, 0, field, fmt::format("{} {}: {}", rows.unit, rows.positions[i], problem));
  }
  return InputError(rows.source, rows.positions[i], field, problem);
}

struct SideFacts {
  std::map<std::string, RunFacts> by_run;
};

SideFacts ReadFactsTable(const std::string& path) {
  SideFacts side;
  if (path.empty()) return side;
  const std::string text = detail::ReadWholeFile(path);
  const std::string source = detail::DisplayName(path);
  const std::vector<std::string> header = CsvHeader(text);
  const std::vector<std::string> known = {"params", "batch_tokens", "batch_sequences", "seq_len"};
  std::vector<std::string> numeric;
  for (const std::string& name : known) {
    if (std::find(header.begin(), header.end(), name) != header.end()) numeric.push_back(name);
  }
  std::vector<std::string> texts = {"run"};
  const bool has_schedule = std::find(header.begin(), header.end(), "schedule") != header.end();
  if (has_schedule) texts.push_back("schedule");
  if (numeric.empty() && !has_schedule) {
    throw InputError(source, 1, "",
                     "a facts table needs a 'run' column and any of params, batch_tokens, "
                     "batch_sequences, seq_len, schedule");
  }
  const detail::SparseColumns table = detail::ParseSparseCsv(text, source, numeric, texts, {});
  for (std::size_t i = 0; i < table.lines.size(); ++i) {
    const std::string& run = table.texts[0][i];
    if (run.empty()) throw InputError(source, table.lines[i], "run", "empty cell in the run column");
    if (side.by_run.count(run) != 0)
      throw InputError(source, table.lines[i], "run", "run '" + run + "' is listed twice");
    RunFacts facts;
    for (std::size_t k = 0; k < numeric.size(); ++k) {
      const double value = table.columns[k][i];
      if (!std::isnan(value) && !(value > 0)) {
        throw InputError(source, table.lines[i], numeric[k], "expected a positive number, got " + Number(value));
      }
      if (numeric[k] == "params") facts.params = value;
      if (numeric[k] == "batch_tokens") facts.batch_tokens = value;
      if (numeric[k] == "batch_sequences") facts.batch_sequences = value;
      if (numeric[k] == "seq_len") facts.seq_len = value;
    }
    if (has_schedule) facts.schedule = table.texts[1][i];
    side.by_run[run] = facts;
  }
  return side;
}

// Fills the facts of `into` that are unknown from `from`. The batch is one fact, in tokens or in sequences: a
// batch `into` has in either unit is not replaced by the other unit's.
void FillFacts(RunFacts& into, const RunFacts& from) {
  if (std::isnan(into.params)) into.params = from.params;
  if (std::isnan(into.batch_tokens) && std::isnan(into.batch_sequences)) {
    into.batch_tokens = from.batch_tokens;
    into.batch_sequences = from.batch_sequences;
  }
  if (std::isnan(into.seq_len)) into.seq_len = from.seq_len;
  if (into.schedule.empty()) into.schedule = from.schedule;
}

// A fact read from a column: constant within the run and positive.
void TakeFact(double& fact, const detail::LogRows& rows, std::size_t i, const std::vector<double>& column,
              const std::string& name, const std::string& run) {
  if (column.empty()) return;
  const double value = column[i];
  if (std::isnan(value)) return;
  if (!(value > 0)) throw RowError(rows, i, name, "expected a positive number, got " + Number(value));
  if (!std::isnan(fact) && fact != value) {
    throw RowError(rows, i, name,
                   fmt::format("run '{}' has {} here and {} before: a run's fact must not vary", run, Number(value),
                               Number(fact)));
  }
  fact = value;
}

// Splits rows into runs and checks each: steps finite, >= 0 and increasing; the LR (and logged tokens) present
// wherever the metric is.
std::vector<Curve> CurvesFromRows(const detail::LogRows& rows, const CurveReadOptions& options, const SideFacts& side) {
  std::vector<std::string> order;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Curve> curves;
  const bool keyed = !rows.run.empty();
  const bool has_lr = !rows.lr.empty(), has_tokens = !rows.tokens.empty();
  std::size_t metric_rows = 0;
  for (std::size_t i = 0; i < rows.step.size(); ++i) {
    if (std::isnan(rows.metric[i])) continue;  // the metric was not logged at this row
    ++metric_rows;
    const std::string& run = keyed ? rows.run[i] : rows.source;
    auto found = index.find(run);
    if (found == index.end()) {
      found = index.emplace(run, curves.size()).first;
      Curve curve;
      curve.run = keyed ? run : (rows.default_run.empty() ? RunNameOf(rows.source) : rows.default_run);
      curve.source = rows.source;
      curves.push_back(std::move(curve));
    }
    Curve& curve = curves[found->second];
    const double step = rows.step[i];
    if (std::isnan(step)) throw RowError(rows, i, rows.step_name, "no step on a row where the metric is logged");
    if (step < 0) throw RowError(rows, i, rows.step_name, "a step must not be negative, got " + Number(step));
    if (!curve.step.empty() && !(step > curve.step.back())) {
      throw RowError(rows, i, rows.step_name,
                     fmt::format("step {} does not increase on the previous step {}{} (steps must increase within a "
                                 "run{})",
                                 Number(step), Number(curve.step.back()), keyed ? " of run '" + run + "'" : "",
                                 keyed ? "" : "; a file holding several runs needs the run column named"));
    }
    if (has_lr) {
      if (std::isnan(rows.lr[i])) {
        throw RowError(
            rows, i, rows.lr_name,
            fmt::format("the LR has a gap: none at step {} where '{}' is logged", Number(step), rows.metric_name));
      }
      if (rows.lr[i] < 0) throw RowError(rows, i, rows.lr_name, "a learning rate must not be negative");
      curve.lr.push_back(rows.lr[i]);
    }
    if (has_tokens) {
      if (std::isnan(rows.tokens[i])) {
        throw RowError(rows, i, rows.tokens_name,
                       fmt::format("no tokens at step {} where '{}' is logged", Number(step), rows.metric_name));
      }
      if (rows.tokens[i] < 0) throw RowError(rows, i, rows.tokens_name, "tokens must not be negative");
      if (!curve.tokens.empty() && rows.tokens[i] < curve.tokens.back()) {
        throw RowError(rows, i, rows.tokens_name, "the tokens seen decrease");
      }
      curve.tokens.push_back(rows.tokens[i]);
    }
    TakeFact(curve.facts.params, rows, i, rows.params, rows.params_name, curve.run);
    double batch = options.batch_is_tokens ? curve.facts.batch_tokens : curve.facts.batch_sequences;
    TakeFact(batch, rows, i, rows.batch, rows.batch_name, curve.run);
    (options.batch_is_tokens ? curve.facts.batch_tokens : curve.facts.batch_sequences) = batch;
    curve.step.push_back(step);
    curve.metric.push_back(rows.metric[i]);
    curve.lines.push_back(rows.positions[i]);
  }
  if (metric_rows == 0) {
    throw InputError(rows.source, 0, rows.metric_name, "the metric is never logged (every cell of it is empty)");
  }
  for (Curve& curve : curves) {
    const auto side_found = side.by_run.find(curve.run);
    if (side_found != side.by_run.end()) FillFacts(curve.facts, side_found->second);
    FillFacts(curve.facts, options.facts);
    if (curve.tokens.empty()) {
      const double per_step = curve.facts.TokensPerStep();
      if (!std::isnan(per_step)) {
        for (double step : curve.step) curve.tokens.push_back(step * per_step);
      }
    }
  }
  return curves;
}

// --- CSV, TSV and W&B history exports ---

// The rows of a log before any is read: its source and the names of the fields the options and the log's own
// names (its header or first keys; wandb: W&B's _step) choose.
detail::LogRows NamedRows(const std::string& source, const CurveReadOptions& options,
                          const std::vector<std::string>& names, bool wandb) {
  detail::LogRows rows;
  rows.source = source;
  rows.step_name = StepNameOf(options, names, wandb);
  rows.metric_name = options.metric;
  rows.lr_name = LrNameOf(options, names);
  rows.tokens_name = TokensNameOf(options, names);
  rows.params_name = options.params_col;
  rows.batch_name = options.batch_col;
  rows.run_name = options.run_key;
  return rows;
}

detail::LogRows CsvRows(std::string_view text, const std::string& source, const CurveReadOptions& options,
                        bool force_wandb) {
  const std::vector<std::string> header = CsvHeader(text);
  if (header.empty()) throw InputError(source, 0, "", "the file is empty (expected a header line naming the columns)");
  const bool wandb = force_wandb || std::find(header.begin(), header.end(), "_step") != header.end();
  detail::LogRows rows = NamedRows(source, options, header, wandb);
  for (const auto& [name, what] : {std::pair{rows.metric_name, "metric"}, std::pair{rows.step_name, "step column"}}) {
    if (std::find(header.begin(), header.end(), name) == header.end()) {
      throw InputError(source, 1, name, detail::MissingField(what, name, header));
    }
  }
  std::vector<std::string> names = {rows.step_name, rows.metric_name};
  for (const std::string* optional : {&rows.lr_name, &rows.tokens_name, &rows.params_name, &rows.batch_name}) {
    if (!optional->empty()) names.push_back(*optional);
  }
  std::vector<std::string> texts;
  if (!options.run_key.empty()) texts.push_back(options.run_key);
  detail::SparseColumns table = detail::ParseSparseCsv(text, source, names, texts, options.where);
  std::size_t k = 0;
  rows.step = std::move(table.columns[k++]);
  rows.metric = std::move(table.columns[k++]);
  if (!rows.lr_name.empty()) rows.lr = std::move(table.columns[k++]);
  if (!rows.tokens_name.empty()) rows.tokens = std::move(table.columns[k++]);
  if (!rows.params_name.empty()) rows.params = std::move(table.columns[k++]);
  if (!rows.batch_name.empty()) rows.batch = std::move(table.columns[k++]);
  if (!options.run_key.empty()) {
    rows.run = std::move(table.texts[0]);
    for (std::size_t i = 0; i < rows.run.size(); ++i) {
      if (rows.run[i].empty() && !std::isnan(rows.metric[i])) {
        throw InputError(source, table.lines[i], options.run_key, "empty cell in the run column");
      }
    }
  }
  rows.positions = std::move(table.lines);
  return rows;
}

// --- JSON Lines ---

using Json = nlohmann::json;

// Reads one line's object with simdjson's DOM parser (its library picks the SIMD kernels of the CPU at run time;
// hundreds of MB/s where nlohmann's SAX parser reads ~25): the numbers of the wanted keys (a key "a/b" also
// matches "b" in an object under "a") and the run key's value (a string or a number).
class LineReader {
 public:
  // filters: the row filters, whose keys' values (as text) are kept too.
  LineReader(const std::vector<std::string>& wanted, const std::string& run_key,
             const std::vector<RowFilter>& filters = {})
      : wanted_(wanted), run_key_(run_key), filters_(filters), values_(wanted.size(), kNaN) {
    std::vector<std::string> names = wanted;
    for (const RowFilter& filter : filters) names.push_back(filter.column);
    for (const std::string& name : names) {
      for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
        prefixes_.insert(name.substr(0, slash + 1));
      }
    }
    cells_.resize(filters.size());
    cell_found_.resize(filters.size());
    filter_seen_.assign(filters.size(), false);
  }

  // Reads one object already parsed (an entry of a trainer_state.json's log_history). Returns "" or what is wrong,
  // with problem_field() the key concerned.
  std::string ReadObject(simdjson::dom::object object) {
    Clear();
    try {
      Visit(object, "");
    } catch (const simdjson::simdjson_error& e) {
      if (!problem_.empty()) return std::exchange(problem_, "");
      return std::string("not valid JSON (") + simdjson::error_message(e.error()) + ")";
    }
    return "";
  }

  // Whether the object just read passes every filter: a key it lacks (or null) is the empty cell for = and !=, and
  // fails an ordering (JSON logs leave out keys a line does not log). Throws InputError via `error` (called with
  // the filter's key and the problem) when an ordering meets text.
  template <typename ErrorAt>
  bool Kept(const ErrorAt& error) {
    for (std::size_t f = 0; f < filters_.size(); ++f) {
      const RowFilter& filter = filters_[f];
      const bool ordering = filter.op != RowFilter::Op::kEqual && filter.op != RowFilter::Op::kNotEqual;
      if (!cell_found_[f] && ordering) return false;
      const std::optional<bool> holds = detail::FilterHolds(filter, cell_found_[f] ? cells_[f] : "");
      if (!holds) throw error(filter.column, detail::FilterNeedsNumber(filter, cells_[f]));
      if (!*holds) return false;
    }
    return true;
  }
  // Whether some object read had the key of filter f.
  bool FilterKeySeen(std::size_t f) const { return filter_seen_[f]; }

  // Reads the object of json[0, size), whose buffer holds at least simdjson::SIMDJSON_PADDING bytes more.
  // Returns "" or what is wrong, with problem_field() the key concerned.
  std::string Read(const char* json, std::size_t size, std::size_t capacity) {
    Clear();
    try {
      (void)capacity;  // the parser reads up to SIMDJSON_PADDING bytes past size, which the caller holds
      const simdjson::dom::element document = parser_.parse(json, size, false);
      Visit(document.get_object(), "");
    } catch (const simdjson::simdjson_error& e) {
      if (!problem_.empty()) return std::exchange(problem_, "");
      return std::string("not valid JSON (") + simdjson::error_message(e.error()) + ")";
    }
    return "";
  }

  const std::vector<double>& values() const { return values_; }
  const std::string& run() const { return run_; }
  bool run_found() const { return run_found_; }
  const std::string& problem_field() const { return field_; }

 private:
  std::size_t WantedIndex(std::string_view key) const {
    for (std::size_t k = 0; k < wanted_.size(); ++k) {
      if (wanted_[k] == key) return k;
    }
    return wanted_.size();
  }

  void Clear() {
    std::fill(values_.begin(), values_.end(), kNaN);
    run_.clear();
    run_found_ = false;
    field_.clear();
    std::fill(cell_found_.begin(), cell_found_.end(), false);
  }

  [[noreturn]] void Fail(std::size_t k, const std::string& problem) { FailAt(wanted_[k], problem); }
  [[noreturn]] void FailAt(std::string_view field, const std::string& problem) {
    field_ = std::string(field);
    problem_ = problem;
    throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
  }

  // Keeps the value of a filter's key as the text a CSV cell would hold.
  void Remember(std::string_view key, const simdjson::dom::element& value) {
    using Type = simdjson::dom::element_type;
    for (std::size_t f = 0; f < filters_.size(); ++f) {
      if (filters_[f].column != key) continue;
      filter_seen_[f] = true;
      switch (value.type()) {
        case Type::INT64:
          cells_[f] = std::to_string(int64_t(value));
          break;
        case Type::UINT64:
          cells_[f] = std::to_string(uint64_t(value));
          break;
        case Type::DOUBLE:
          cells_[f] = fmt::format("{}", double(value));  // the shortest text that reads back as the same double
          break;
        case Type::STRING:
          cells_[f] = std::string(std::string_view(value.get_string()));
          break;
        case Type::BOOL:
          cells_[f] = bool(value) ? "true" : "false";
          break;
        case Type::NULL_VALUE:
          continue;  // as a key the object does not have
        default:
          FailAt(key, "the filter " + filters_[f].ToString() + " compares a number or text, got an object or array");
      }
      cell_found_[f] = true;
    }
  }

  void Visit(simdjson::dom::object object, const std::string& prefix) {
    using Type = simdjson::dom::element_type;
    for (const simdjson::dom::key_value_pair field : object) {
      std::string nested;
      std::string_view key = field.key;
      if (!prefix.empty()) {
        nested = prefix;
        nested.append(field.key);
        key = nested;
      }
      const simdjson::dom::element value = field.value;
      if (!filters_.empty()) Remember(key, value);
      const bool top = prefix.empty();
      const bool is_run = top && !run_key_.empty() && key == run_key_;
      switch (value.type()) {
        case Type::INT64:
        case Type::UINT64:
        case Type::DOUBLE: {
          const double x = value.get_double();
          if (is_run) {
            run_ = fmt::format("{:g}", x);
            run_found_ = true;
          } else if (const std::size_t k = WantedIndex(key); k < wanted_.size()) {
            values_[k] = x;
          }
          break;
        }
        case Type::STRING:
          if (is_run) {
            run_ = std::string(std::string_view(value.get_string()));
            run_found_ = true;
          } else if (const std::size_t k = WantedIndex(key); k < wanted_.size()) {
            Fail(k, "expected a number, got text '" + std::string(std::string_view(value.get_string()).substr(0, 40)) +
                        "'");
          }
          break;
        case Type::BOOL:
          if (const std::size_t k = WantedIndex(key); k < wanted_.size()) Fail(k, "expected a number, got a boolean");
          break;
        case Type::OBJECT: {
          std::string inner(key);
          inner += '/';
          if (prefixes_.count(inner) != 0) Visit(value.get_object(), inner);
          break;
        }
        case Type::ARRAY:
          if (const std::size_t k = WantedIndex(key); k < wanted_.size()) Fail(k, "expected a number, got an array");
          break;
        case Type::NULL_VALUE:
          break;  // a metric logged as null is not logged
      }
    }
  }

  const std::vector<std::string>& wanted_;
  const std::string& run_key_;
  const std::vector<RowFilter> filters_;
  std::vector<std::string> cells_;  // each filter's key's value in the object read, as text
  std::vector<bool> cell_found_, filter_seen_;
  std::set<std::string> prefixes_;  // "a/" for a wanted "a/b": the objects worth entering
  simdjson::dom::parser parser_;
  std::vector<double> values_;
  std::string run_;
  bool run_found_ = false;
  std::string field_, problem_;
};

// The keys of the first lines' objects (nested keys joined by '/'), for "did you mean".
std::vector<std::string> JsonKeys(std::string_view text) {
  std::set<std::string> keys;
  std::size_t start = 0;
  for (int lines = 0; lines < 200 && start < text.size(); ++lines) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const Json object = Json::parse(text.substr(start, end - start), nullptr, false);
    start = end + 1;
    if (!object.is_object()) continue;
    for (const auto& [key, value] : object.items()) {
      keys.insert(key);
      if (value.is_object()) {
        for (const auto& [inner, unused] : value.items()) keys.insert(key + "/" + inner);
      }
    }
  }
  return {keys.begin(), keys.end()};
}

std::string FiltersText(const std::vector<RowFilter>& filters) {
  std::string text;
  for (const RowFilter& filter : filters) text += (text.empty() ? "" : " ") + filter.ToString();
  return text;
}

// After a JSON log is read: a filter's key no object has, the metric or step no kept object has, an LR, tokens
// or fact field named explicitly that none has are errors; an LR or tokens key chosen by default that is never a
// number is as absent.
void CheckFieldsSeen(detail::LogRows& rows, const std::vector<std::string>& wanted, const std::vector<bool>& seen,
                     const LineReader& reader, const std::vector<std::string>& keys, const CurveReadOptions& options) {
  const std::string& source = rows.source;
  for (std::size_t f = 0; f < options.where.size(); ++f) {
    if (!reader.FilterKeySeen(f)) {
      throw InputError(source, 0, options.where[f].column,
                       "the filter " + options.where[f].ToString() + ": " +
                           detail::MissingField("key", options.where[f].column, keys));
    }
  }
  if (!options.where.empty() && rows.positions.empty()) {
    throw InputError(source, 0, "",
                     "the filters " + FiltersText(options.where) + " leave no " +
                         (rows.unit != nullptr ? std::string(rows.unit) : std::string("line")));
  }
  for (std::size_t k = 0; k < wanted.size(); ++k) {
    if (seen[k]) continue;
    const bool required = k < 2 || (wanted[k] == rows.lr_name && !options.lr.empty()) ||
                          (wanted[k] == rows.tokens_name && !options.tokens.empty()) || wanted[k] == rows.params_name ||
                          wanted[k] == rows.batch_name;
    if (required) {
      throw InputError(source, 0, wanted[k], detail::MissingField(k == 0 ? "step" : "key", wanted[k], keys));
    }
    // An LR or tokens key found in the first lines but never a number: as absent.
    if (wanted[k] == rows.lr_name) {
      rows.lr.clear();
      rows.lr_name.clear();
    }
    if (wanted[k] == rows.tokens_name) {
      rows.tokens.clear();
      rows.tokens_name.clear();
    }
  }
}

// padded: text is followed by simdjson::SIMDJSON_PADDING bytes of its buffer.
detail::LogRows JsonLinesRows(std::string_view text, const std::string& source, const CurveReadOptions& options,
                              bool padded) {
  // The names: the step's and LR's defaults are chosen from the first lines' keys.
  const std::vector<std::string> keys = JsonKeys(text);
  detail::LogRows rows = NamedRows(source, options, keys, false);
  std::vector<std::string> wanted = {rows.step_name, rows.metric_name};
  for (const std::string* optional : {&rows.lr_name, &rows.tokens_name, &rows.params_name, &rows.batch_name}) {
    if (!optional->empty()) wanted.push_back(*optional);
  }
  std::vector<std::vector<double>*> targets = {&rows.step, &rows.metric};
  for (auto [name, column] : {std::pair{&rows.lr_name, &rows.lr}, std::pair{&rows.tokens_name, &rows.tokens},
                              std::pair{&rows.params_name, &rows.params}, std::pair{&rows.batch_name, &rows.batch}}) {
    if (!name->empty()) targets.push_back(column);
  }
  std::vector<bool> seen(wanted.size(), false);
  LineReader reader(wanted, options.run_key, options.where);
  // simdjson reads up to SIMDJSON_PADDING bytes past the end of what it parses: the text's own buffer when it
  // has them (ReadWholeFile reserves them), else a padded copy.
  simdjson::padded_string copy;
  if (!padded) copy = simdjson::padded_string(text.data(), text.size());
  const char* data = padded ? text.data() : copy.data();
  const std::size_t capacity = text.size() + simdjson::SIMDJSON_PADDING;
  const std::size_t estimate = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (std::vector<double>* column : targets) column->reserve(estimate);
  rows.positions.reserve(estimate);
  long line = 0;
  std::size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;
  bool any = false;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line;
    const std::string_view record = text.substr(start, end - start);
    const std::size_t record_start = start;
    start = end + 1;
    const std::size_t first = record.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) continue;  // a blank line
    if (record[first] != '{') throw InputError(source, line, "", "expected a JSON object (one per line)");
    any = true;
    const std::string problem = reader.Read(data + record_start, record.size(), capacity - record_start);
    if (!problem.empty()) {
      std::string message = problem;
      if (reader.problem_field().empty() &&
          (record.find("NaN") != std::string_view::npos || record.find("Infinity") != std::string_view::npos)) {
        message += "; NaN and Infinity are not JSON (the trainer logged a non-finite value)";
      }
      throw InputError(source, line, reader.problem_field(), message);
    }
    const auto error_at = [&](const std::string& field, const std::string& problem) {
      return InputError(source, line, field, problem);
    };
    if (!reader.Kept(error_at)) continue;
    const std::vector<double>& values = reader.values();
    if (!options.run_key.empty() && !reader.run_found() && !std::isnan(values[1])) {
      throw InputError(source, line, options.run_key, "no run key on a line where the metric is logged");
    }
    for (std::size_t k = 0; k < values.size(); ++k) {
      targets[k]->push_back(values[k]);
      if (!std::isnan(values[k])) seen[k] = true;
    }
    if (!options.run_key.empty()) rows.run.push_back(reader.run());
    rows.positions.push_back(line);
  }
  if (!any) throw InputError(source, 0, "", "the file is empty (expected one JSON object per line)");
  CheckFieldsSeen(rows, wanted, seen, reader, keys, options);
  return rows;
}

// --- Hugging Face Trainer state (trainer_state.json) ---

// Python's json module writes non-finite floats as the bare words NaN, Infinity and -Infinity (allow_nan=True is
// its default), which are not JSON; the Trainer's json.dumps of its state does so when a loss or gradient norm
// overflowed. They become the strings "NaN", "Infinity", "-Infinity" here, so that the file parses, a field
// scalelaw does not read (a grad_norm) is no obstacle, and one it reads is an error naming the entry.
std::string QuoteNonFinite(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 64);
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    bool replaced = false;
    for (const std::string_view word : {"NaN", "Infinity", "-Infinity"}) {
      if (text.substr(i, word.size()) == word) {
        out.push_back('"');
        out.append(word);
        out.push_back('"');
        i += word.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(c);
  }
  return out;
}

// The run a trainer_state.json belongs to: the directory holding it, or that directory's parent when it is a
// checkpoint-<step> directory (the Trainer saves output_dir/checkpoint-<step>/trainer_state.json, and
// output_dir/trainer_state.json on save_state()). A file named otherwise is named by its own name.
std::string TrainerStateRunName(const std::string& source) {
  const std::filesystem::path path(source);
  if (path.filename() != "trainer_state.json") return RunNameOf(source);
  std::error_code ignored;
  std::filesystem::path directory = std::filesystem::absolute(path, ignored).parent_path();
  const std::string name = directory.filename().string();
  const bool checkpoint = name.rfind("checkpoint-", 0) == 0 && name.size() > 11 &&
                          name.find_first_not_of("0123456789", 11) == std::string::npos;
  if (checkpoint && directory.has_parent_path()) directory = directory.parent_path();
  const std::string run = directory.filename().string();
  return run.empty() ? RunNameOf(source) : run;
}

// A Hugging Face Trainer's state, as TrainerState.save_to_json writes it (json.dumps(asdict(state), indent=2,
// sort_keys=True); huggingface/transformers, src/transformers/trainer_callback.py): global_step, max_steps,
// epoch, ... and log_history, the list of what Trainer.log logged, each entry its logs plus "step": the global
// step (src/transformers/trainer.py, Trainer.log: output = {**logs, "step": self.state.global_step}). Training
// entries hold loss, grad_norm, learning_rate, epoch (and num_input_tokens_seen with
// include_num_input_tokens_seen); evaluation entries eval_loss, eval_runtime, ... at the same or other steps;
// the last entry of a finished run train_runtime, train_loss, total_flos. Each entry is read as a JSON line is;
// entries without the metric are not points. Evaluation entries carry no learning rate and may lack the tokens:
// an entry's missing LR or tokens is the one another entry logged at the same step.
detail::LogRows TrainerStateRows(std::string_view text, const std::string& source, const CurveReadOptions& options) {
  const simdjson::padded_string json(QuoteNonFinite(text));
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (const auto error = parser.parse(json).get(document); error) {
    throw InputError(source, 0, "", std::string("not valid JSON (") + simdjson::error_message(error) + ")");
  }
  simdjson::dom::object state;
  if (document.get(state) != simdjson::SUCCESS) {
    throw InputError(source, 0, "", "expected a JSON object (a Hugging Face Trainer's trainer_state.json)");
  }
  simdjson::dom::element history_element;
  if (state["log_history"].get(history_element) != simdjson::SUCCESS) {
    std::string keys;
    for (const simdjson::dom::key_value_pair field : state) {
      keys += (keys.empty() ? "" : ", ") + std::string(field.key);
    }
    throw InputError(source, 0, "log_history",
                     "no log_history: not a Hugging Face Trainer's trainer_state.json (its keys: " +
                         (keys.empty() ? std::string("none") : keys) + ")");
  }
  simdjson::dom::array history;
  if (history_element.get(history) != simdjson::SUCCESS) {
    throw InputError(source, 0, "log_history", "expected a list of logged entries");
  }
  if (history.size() == 0) {
    throw InputError(source, 0, "log_history", "the list is empty (the trainer had logged nothing)");
  }
  // The entries' keys (nested ones joined by '/'), for the default names and "did you mean".
  std::set<std::string> key_set;
  for (const simdjson::dom::element entry : history) {
    simdjson::dom::object object;
    if (entry.get(object) != simdjson::SUCCESS) continue;
    for (const simdjson::dom::key_value_pair field : object) {
      key_set.emplace(field.key);
      simdjson::dom::object inner;
      if (field.value.get(inner) == simdjson::SUCCESS) {
        for (const simdjson::dom::key_value_pair nested : inner) {
          key_set.insert(std::string(field.key) + "/" + std::string(nested.key));
        }
      }
    }
  }
  const std::vector<std::string> keys(key_set.begin(), key_set.end());
  detail::LogRows rows = NamedRows(source, options, keys, false);
  rows.unit = "log_history entry";
  rows.default_run = TrainerStateRunName(source);
  // The Trainer logs the input tokens seen so far as num_input_tokens_seen (include_num_input_tokens_seen).
  if (options.tokens.empty() && rows.tokens_name.empty() && key_set.count("num_input_tokens_seen") != 0) {
    rows.tokens_name = "num_input_tokens_seen";
  }
  std::vector<std::string> wanted = {rows.step_name, rows.metric_name};
  std::vector<std::vector<double>*> targets = {&rows.step, &rows.metric};
  for (auto [name, column] : {std::pair{&rows.lr_name, &rows.lr}, std::pair{&rows.tokens_name, &rows.tokens},
                              std::pair{&rows.params_name, &rows.params}, std::pair{&rows.batch_name, &rows.batch}}) {
    if (!name->empty()) {
      wanted.push_back(*name);
      targets.push_back(column);
    }
  }
  std::vector<bool> seen(wanted.size(), false);
  LineReader reader(wanted, options.run_key, options.where);
  long entry_number = 0;
  for (const simdjson::dom::element entry : history) {
    ++entry_number;
    const auto error_at = [&](const std::string& field, const std::string& problem) {
      return InputError(source, 0, field, fmt::format("log_history entry {}: {}", entry_number, problem));
    };
    simdjson::dom::object object;
    if (entry.get(object) != simdjson::SUCCESS) throw error_at("", "expected an object");
    std::string problem = reader.ReadObject(object);
    if (!problem.empty()) {
      for (const std::string_view word : {"'NaN'", "'Infinity'", "'-Infinity'"}) {
        if (EndsWith(problem, std::string(word))) {
          problem = fmt::format("not a finite number: {} (the trainer logged a non-finite value)",
                                word.substr(1, word.size() - 2));
        }
      }
      throw error_at(reader.problem_field(), problem);
    }
    if (!reader.Kept(error_at)) continue;
    const std::vector<double>& values = reader.values();
    if (!options.run_key.empty() && !reader.run_found() && !std::isnan(values[1])) {
      throw error_at(options.run_key, "no run key in an entry where the metric is logged");
    }
    for (std::size_t k = 0; k < values.size(); ++k) {
      targets[k]->push_back(values[k]);
      if (!std::isnan(values[k])) seen[k] = true;
    }
    if (!options.run_key.empty()) rows.run.push_back(reader.run());
    rows.positions.push_back(entry_number);
  }
  CheckFieldsSeen(rows, wanted, seen, reader, keys, options);
  // An entry's missing LR or tokens: the value another entry logged at the same step (training and evaluation
  // entries of one step are separate entries).
  for (std::vector<double>* column : {&rows.lr, &rows.tokens}) {
    if (column->empty()) continue;
    std::map<double, double> at_step;
    for (std::size_t i = 0; i < column->size(); ++i) {
      if (!std::isnan((*column)[i]) && !std::isnan(rows.step[i])) at_step.emplace(rows.step[i], (*column)[i]);
    }
    for (std::size_t i = 0; i < column->size(); ++i) {
      if (!std::isnan((*column)[i])) continue;
      const auto found = at_step.find(rows.step[i]);
      if (found != at_step.end()) (*column)[i] = found->second;
    }
  }
  return rows;
}

// One log; padded: text is followed by simdjson::SIMDJSON_PADDING bytes of its buffer.
std::vector<Curve> ReadOne(std::string_view text, bool padded, const std::string& path, const std::string& source,
                           LogFormat format, const CurveReadOptions& options, const SideFacts& side) {
  if (!options.where.empty() && format == LogFormat::kTensorBoard) {
    throw InvalidArgument("row filters (--where) select rows of a table or objects of a JSON log, and " + source +
                          " is a TensorBoard log: its scalars are separate events, one per tag and step, with no row "
                          "to filter (--skip-warmup drops early steps)");
  }
  detail::LogRows rows;
  switch (format) {
    case LogFormat::kJsonLines:
      rows = JsonLinesRows(text, source, options, padded);
      break;
    case LogFormat::kTrainerState:
      rows = TrainerStateRows(text, source, options);
      break;
    case LogFormat::kTensorBoard:
      if (!options.run_key.empty()) throw InvalidArgument("a TensorBoard event file is one run: no run key");
      rows = detail::ReadTensorBoardRows(path, options.metric, options.lr, options.tokens);
      break;
    default:
      rows = CsvRows(text, source, options, format == LogFormat::kWandb);
      break;
  }
  if (format == LogFormat::kTensorBoard && (!options.params_col.empty() || !options.batch_col.empty())) {
    throw InvalidArgument("a TensorBoard log has no columns: give N and the batch as options or a facts table");
  }
  return CurvesFromRows(rows, options, side);
}

// Whether a JSON text has a "log_history" key: a Trainer state rather than JSON Lines.
bool HasLogHistory(std::string_view text) { return text.find("\"log_history\"") != std::string_view::npos; }

void CheckOptions(const CurveReadOptions& options) {
  const std::string problem = options.Validate();
  if (!problem.empty()) throw InvalidArgument(problem);
}

}  // namespace

namespace detail {

std::string FindLrName(const std::vector<std::string>& candidates) {
  const std::string exact = FirstPresent({"lr", "learning_rate"}, candidates);
  if (!exact.empty()) return exact;
  for (const std::string& name : candidates) {
    const std::string last = Lower(LastPart(name));
    if (last == "lr" || last == "learning_rate") return name;
  }
  // The LR of the first parameter group, as PyTorch trainers (OLMo) log it: optim/learning_rate_group0.
  for (const std::string& name : candidates) {
    const std::string last = Lower(LastPart(name));
    if (last == "lr_group0" || last == "learning_rate_group0") return name;
  }
  return "";
}

std::string MissingField(const std::string& what, const std::string& name, const std::vector<std::string>& names) {
  std::vector<std::string> close = ClosestNames(name, names);
  for (const std::string& candidate : names) {
    if (candidate != name && LastPart(candidate) == LastPart(name) &&
        std::find(close.begin(), close.end(), candidate) == close.end()) {
      close.insert(close.begin(), candidate);
    }
  }
  std::string text = "the log has no " + what + " '" + name + "'";
  if (!close.empty()) text += " (did you mean '" + close.front() + "'?)";
  return text;
}

}  // namespace detail

LogFormat LogFormatFromName(const std::string& name) {
  if (name == "auto") return LogFormat::kAuto;
  if (name == "csv" || name == "tsv") return LogFormat::kCsv;
  if (name == "jsonl") return LogFormat::kJsonLines;
  if (name == "wandb") return LogFormat::kWandb;
  if (name == "tensorboard") return LogFormat::kTensorBoard;
  if (name == "trainer_state") return LogFormat::kTrainerState;
  throw InvalidArgument("unknown log format '" + name + "' (auto, csv, jsonl, wandb, tensorboard, trainer_state)");
}

const char* LogFormatName(LogFormat format) {
  switch (format) {
    case LogFormat::kAuto:
      return "auto";
    case LogFormat::kCsv:
      return "csv";
    case LogFormat::kJsonLines:
      return "jsonl";
    case LogFormat::kWandb:
      return "wandb";
    case LogFormat::kTensorBoard:
      return "tensorboard";
    case LogFormat::kTrainerState:
      return "trainer_state";
  }
  return "auto";
}

std::vector<std::string> LogFormatNames() {
  return {"auto", "csv", "tsv", "jsonl", "wandb", "tensorboard", "trainer_state"};
}

LogFormat DetectLogFormat(const std::string& path) {
  const std::string name =
      Lower(path.substr(path.find_last_of("/\\") == std::string::npos ? 0 : path.find_last_of("/\\") + 1));
  if (name == "trainer_state.json") return LogFormat::kTrainerState;
  if (name.find("tfevents") != std::string::npos) return LogFormat::kTensorBoard;
  std::error_code ignored;
  if (path != "-" && std::filesystem::is_directory(path, ignored)) return LogFormat::kTensorBoard;
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || EndsWith(name, ".json")) return LogFormat::kJsonLines;
  return LogFormat::kCsv;
}

double RunFacts::TokensPerStep() const {
  if (!std::isnan(batch_tokens)) return batch_tokens;
  return batch_sequences * seq_len;  // NaN when either is unknown
}

std::string CurveReadOptions::Validate() const {
  if (metric.empty()) return "the metric must be named";
  for (const auto& [value, name] :
       {std::pair{facts.params, "params"}, std::pair{facts.batch_tokens, "batch tokens"},
        std::pair{facts.batch_sequences, "batch sequences"}, std::pair{facts.seq_len, "sequence length"}}) {
    if (!std::isnan(value) && !(value > 0 && std::isfinite(value))) {
      return fmt::format("the {} must be a positive finite number, got {}", name, value);
    }
  }
  if (!std::isnan(facts.batch_tokens) && !std::isnan(facts.batch_sequences)) {
    return "give the batch in tokens or in sequences, not both";
  }
  if (batch_is_tokens && batch_col.empty()) return "the batch is in tokens, but no batch column is named";
  return "";
}

CurveTable ParseCurves(std::string_view text, const std::string& source_name, const CurveReadOptions& options) {
  CheckOptions(options);
  LogFormat format = options.format;
  if (format == LogFormat::kTensorBoard) throw InvalidArgument("TensorBoard event files are read from a path");
  if (format == LogFormat::kAuto) {
    const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    format = first != std::string_view::npos && text[first] == '{' ? LogFormat::kJsonLines : LogFormat::kCsv;
    if (format == LogFormat::kJsonLines && HasLogHistory(text)) format = LogFormat::kTrainerState;
  }
  CurveTable table;
  table.metric = options.metric;
  table.curves = ReadOne(text, false, "", source_name, format, options, ReadFactsTable(options.facts_table));
  return table;
}

CurveTable ReadCurves(const std::vector<std::string>& paths, const CurveReadOptions& options) {
  CheckOptions(options);
  if (paths.empty()) throw InvalidArgument("no log to read");
  const SideFacts side = ReadFactsTable(options.facts_table);
  CurveTable table;
  table.metric = options.metric;
  std::map<std::string, std::string> runs;  // name -> file
  for (const std::string& path : paths) {
    LogFormat format = options.format == LogFormat::kAuto ? DetectLogFormat(path) : options.format;
    const std::string text =
        format == LogFormat::kTensorBoard ? std::string() : detail::ReadWholeFile(path, simdjson::SIMDJSON_PADDING);
    // A *.json other than trainer_state.json: a Trainer state when it has a log_history key (a copy renamed).
    if (options.format == LogFormat::kAuto && format == LogFormat::kJsonLines && EndsWith(Lower(path), ".json") &&
        HasLogHistory(text)) {
      format = LogFormat::kTrainerState;
    }
    std::vector<Curve> curves = ReadOne(text, true, path, detail::DisplayName(path), format, options, side);
    for (Curve& curve : curves) {
      const auto [at, inserted] = runs.emplace(curve.run, curve.source);
      if (!inserted) {
        const bool checkpoints = format == LogFormat::kTrainerState && EndsWith(at->second, "trainer_state.json");
        throw InputError(curve.source, 0, "",
                         "run '" + curve.run + "' is also in " + at->second + " (run names must differ" +
                             (checkpoints ? "; two checkpoints of one run: give the latest, whose log_history "
                                            "holds the earlier's"
                                          : "") +
                             ")");
      }
      table.curves.push_back(std::move(curve));
    }
  }
  return table;
}

CurveTable CurvesFromColumns(const CurveColumns& columns) {
  const std::size_t n = columns.step.size();
  const auto check = [&](std::size_t size, const char* name) {
    if (size != 0 && size != n) {
      throw InvalidArgument(fmt::format("the column {} has {} rows, step has {}", name, size, n));
    }
  };
  check(columns.run.size(), "run");
  check(columns.metric.size(), "metric");
  check(columns.tokens.size(), "tokens");
  check(columns.lr.size(), "lr");
  check(columns.params.size(), "params");
  check(columns.schedule.size(), "schedule");
  if (columns.metric.size() != n) throw InvalidArgument("the metric column is missing");
  if (columns.metric_name.empty()) throw InvalidArgument("the metric must be named");
  detail::LogRows rows;
  rows.source = columns.source;
  rows.unit = "row";
  rows.step_name = "step";
  rows.metric_name = columns.metric_name;
  rows.run = columns.run;
  rows.step = columns.step;
  rows.metric = columns.metric;
  // A column that is NaN throughout is one the curves do not have.
  const auto present = [](const std::vector<double>& column) {
    return std::any_of(column.begin(), column.end(), [](double x) { return !std::isnan(x); });
  };
  if (present(columns.lr)) {
    rows.lr = columns.lr;
    rows.lr_name = "lr";
  }
  if (present(columns.tokens)) {
    rows.tokens = columns.tokens;
    rows.tokens_name = "tokens";
  }
  if (present(columns.params)) {
    rows.params = columns.params;
    rows.params_name = "params";
  }
  for (std::size_t i = 0; i < n; ++i) rows.positions.push_back(static_cast<long>(i) + 1);
  CurveReadOptions options;
  options.metric = columns.metric_name;
  CurveTable table;
  table.metric = columns.metric_name;
  table.curves = CurvesFromRows(rows, options, SideFacts());
  if (!columns.schedule.empty()) {
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < table.curves.size(); ++k) index[table.curves[k].run] = k;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& run = columns.run.empty() ? table.curves[0].run : columns.run[i];
      const auto found = index.find(run);
      if (found != index.end() && table.curves[found->second].facts.schedule.empty()) {
        table.curves[found->second].facts.schedule = columns.schedule[i];
      }
    }
  }
  return table;
}

CurveTable ReadCurves(const std::string& path, const CurveReadOptions& options) {
  return ReadCurves(std::vector<std::string>{path}, options);
}

}  // namespace scalelaw
