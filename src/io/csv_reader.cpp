// Tables from CSV (RFC 4180) and TSV text. The records are split here rather than by a library: the errors this
// reader owes its users name the file line of every record, tell a blank line between runs from the blank lines
// an export leaves at the end, and say which quoted cell was not closed, which neither Debian's libcsv (it reports
// no positions and drops blank lines) nor fast-cpp-csv-parser (a compile-time column count) can. Numbers are
// converted with std::from_chars, so every value is correctly rounded and every bad cell gets a precise message.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "io/csv_sparse.h"
#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {
namespace {

std::string Quote(std::string_view cell) {
  constexpr std::size_t kShown = 40;
  std::string shown(cell.substr(0, kShown));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return "'" + shown + (cell.size() > kShown ? "...'" : "'");
}

// The cell as a number when all of it is one (a leading '+' allowed), else nothing; out of range is an error.
std::optional<double> AsNumber(std::string_view cell, bool* out_of_range = nullptr) {
  if (cell.empty()) return std::nullopt;
  const char* begin = cell.data();
  const char* end = cell.data() + cell.size();
  if (*begin == '+') ++begin;
  double value = 0;
  const auto [stop, status] = std::from_chars(begin, end, value);
  if (status == std::errc::result_out_of_range) {
    if (out_of_range != nullptr) *out_of_range = true;
    return std::nullopt;
  }
  if (status != std::errc() || stop != end) return std::nullopt;
  return value;
}

// A cell as a number of its column's domain, or an InputError that says what is wrong with it.
double ParseCell(std::string_view cell, CellDomain domain, const std::string& file, long line,
                 const std::string& column) {
  const char* wanted = domain == CellDomain::kPositive ? "a positive number" : "a finite number";
  if (cell.empty()) throw InputError(file, line, column, std::string("empty cell, expected ") + wanted);
  bool out_of_range = false;
  const std::optional<double> value = AsNumber(cell, &out_of_range);
  if (out_of_range) throw InputError(file, line, column, "number " + Quote(cell) + " is out of the range of a double");
  if (!value) throw InputError(file, line, column, "expected a number, got " + Quote(cell));
  if (std::isnan(*value)) throw InputError(file, line, column, "NaN is not a usable value");
  if (std::isinf(*value)) throw InputError(file, line, column, "infinity is not a usable value");
  if (domain == CellDomain::kPositive && !(*value > 0)) {
    throw InputError(file, line, column, "expected a positive number, got " + Quote(cell));
  }
  return *value;
}

// RFC 4180 records, one at a time, each with the file line it starts on: cells separated by the delimiter,
// records by LF or CRLF; a cell in double quotes may hold the delimiter, line breaks and "" for a quote. Spaces
// around a cell (and tabs, in CSV) are trimmed; inside quotes nothing is. Blank lines at the end of the text
// (editors and spreadsheet exports leave them) are not records; a blank line between records is a record of one
// empty cell, which the caller reports as a short row.
class RecordReader {
 public:
  RecordReader(std::string_view text, const std::string& source, char delimiter)
      : text_(text), source_(source), delimiter_(delimiter) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte-order mark
    const std::size_t last = text_.find_last_not_of(" \t\r\n");
    end_ = last == std::string_view::npos ? 0 : last + 1;
  }

  // The next record's cells (cells[0..count)); false at the end of the text.
  bool Next(std::vector<std::string>& cells, std::size_t& count) {
    if (pos_ >= end_) return false;
    record_line_ = line_;
    count = 0;
    while (true) {
      if (count == cells.size()) cells.emplace_back();
      std::string& cell = cells[count++];
      cell.clear();
      SkipBlanks();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ReadQuoted(cell);
      } else {
        ReadPlain(cell);
      }
      if (pos_ < text_.size() && text_[pos_] == delimiter_) {
        ++pos_;
        continue;
      }
      EndRecord();
      return true;
    }
  }

  long line() const { return record_line_; }

 private:
  bool IsBlank(char c) const { return c == ' ' || (c == '\t' && delimiter_ != '\t'); }

  void SkipBlanks() {
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
  }

  void ReadPlain(std::string& cell) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n') ++pos_;
    std::size_t stop = pos_;
    while (stop > start && (IsBlank(text_[stop - 1]) || text_[stop - 1] == '\r')) --stop;
    cell.assign(text_.data() + start, stop - start);
  }

  void ReadQuoted(std::string& cell) {
    ++pos_;  // the opening quote
    while (true) {
      const std::size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) throw InputError(source_, record_line_, "", "a quoted cell is not closed");
      const std::string_view part = text_.substr(pos_, quote - pos_);
      line_ += std::count(part.begin(), part.end(), '\n');
      cell.append(part);
      pos_ = quote + 1;
      if (pos_ < text_.size() && text_[pos_] == '"') {  // "" stands for one quote
        cell.push_back('"');
        ++pos_;
        continue;
      }
      break;
    }
    SkipBlanks();
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n') {
      throw InputError(source_, line_, "",
                       "unexpected " + Quote(text_.substr(pos_, 1)) + " after the closing quote of a cell");
    }
  }

  void EndRecord() {
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
  }

  std::string_view text_;
  const std::string& source_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  long line_ = 1;
  long record_line_ = 1;
};

// A tab when the header line has tabs and no commas (a TSV file), else a comma.
char DelimiterOf(std::string_view text) {
  const std::string_view first = text.substr(0, text.find('\n'));
  return first.find('\t') != std::string_view::npos && first.find(',') == std::string_view::npos ? '\t' : ',';
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// "missing column" with the closest header names, if any is close.
std::string MissingColumn(const std::string& name, const std::vector<std::string>& header) {
  const std::vector<std::string> close = ClosestNames(name, header);
  if (!close.empty()) return "missing column (did you mean '" + close.front() + "'?)";
  return "missing column (name the column that holds it, or check the delimiter is a comma or a tab)";
}

// The index of name in the header; throws InputError when it is absent or named twice.
std::size_t IndexOf(const std::string& name, const std::vector<std::string>& header, const std::string& file) {
  const auto found = std::find(header.begin(), header.end(), name);
  if (found == header.end()) throw InputError(file, 1, name, MissingColumn(name, header));
  if (std::find(found + 1, header.end(), name) != header.end()) {
    throw InputError(file, 1, name, "the header names this column more than once");
  }
  return static_cast<std::size_t>(found - header.begin());
}

const char* OpText(RowFilter::Op op) {
  switch (op) {
    case RowFilter::Op::kEqual:
      return "=";
    case RowFilter::Op::kNotEqual:
      return "!=";
    case RowFilter::Op::kLess:
      return "<";
    case RowFilter::Op::kLessEqual:
      return "<=";
    case RowFilter::Op::kGreater:
      return ">";
    case RowFilter::Op::kGreaterEqual:
      return ">=";
  }
  return "=";
}

}  // namespace

namespace detail {

std::optional<bool> FilterHolds(const RowFilter& filter, std::string_view cell) {
  const std::optional<double> x = AsNumber(cell), y = AsNumber(filter.value);
  const bool numbers = x.has_value() && y.has_value();
  switch (filter.op) {
    case RowFilter::Op::kEqual:
      return numbers ? *x == *y : cell == filter.value;
    case RowFilter::Op::kNotEqual:
      return numbers ? *x != *y : cell != filter.value;
    default:
      break;
  }
  if (!numbers) return std::nullopt;
  switch (filter.op) {
    case RowFilter::Op::kLess:
      return *x < *y;
    case RowFilter::Op::kLessEqual:
      return *x <= *y;
    case RowFilter::Op::kGreater:
      return *x > *y;
    default:
      return *x >= *y;
  }
}

std::string FilterNeedsNumber(const RowFilter& filter, std::string_view cell) {
  return "the filter " + filter.ToString() + " orders numbers, and the cell " + Quote(cell) + " is not one";
}

}  // namespace detail

namespace {

// Whether a cell passes filter; throws InputError when an ordering meets a cell that is not a number.
bool Passes(const RowFilter& filter, std::string_view cell, const std::string& file, long line) {
  const std::optional<bool> holds = detail::FilterHolds(filter, cell);
  if (!holds) throw InputError(file, line, filter.column, detail::FilterNeedsNumber(filter, cell));
  return *holds;
}

}  // namespace

RowFilter RowFilter::Parse(std::string_view spec) {
  // The operator is the first of < > ! = in the spec, with the = that may follow it.
  const std::size_t at = spec.find_first_of("<>!=");
  if (at == std::string_view::npos || at + 1 > spec.size()) {
    throw InvalidArgument("filter '" + std::string(spec) + "': expected COLUMN=VALUE, COLUMN!=VALUE, COLUMN<VALUE, " +
                          "COLUMN<=VALUE, COLUMN>VALUE or COLUMN>=VALUE");
  }
  RowFilter filter;
  std::size_t width = 1;
  const bool then_equal = at + 1 < spec.size() && spec[at + 1] == '=';
  switch (spec[at]) {
    case '<':
      filter.op = then_equal ? Op::kLessEqual : Op::kLess;
      width = then_equal ? 2 : 1;
      break;
    case '>':
      filter.op = then_equal ? Op::kGreaterEqual : Op::kGreater;
      width = then_equal ? 2 : 1;
      break;
    case '!':
      if (!then_equal) throw InvalidArgument("filter '" + std::string(spec) + "': '!' must be followed by '='");
      filter.op = Op::kNotEqual;
      width = 2;
      break;
    default:
      filter.op = Op::kEqual;
      width = then_equal ? 2 : 1;  // = or ==
      break;
  }
  auto trim = [](std::string_view s) {
    const std::size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::string();
    return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
  };
  filter.column = trim(spec.substr(0, at));
  filter.value = trim(spec.substr(at + width));
  if (filter.column.empty()) throw InvalidArgument("filter '" + std::string(spec) + "': no column before the operator");
  const bool ordering = filter.op != Op::kEqual && filter.op != Op::kNotEqual;
  if (ordering && !AsNumber(filter.value)) {
    throw InvalidArgument("filter '" + std::string(spec) + "': " + OpText(filter.op) + " compares numbers, and '" +
                          filter.value + "' is not one");
  }
  return filter;
}

std::string RowFilter::ToString() const { return column + OpText(op) + value; }

std::string CsvCell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::vector<std::string> ClosestNames(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t allowed = std::max<std::size_t>(1, name.size() / 4);
  std::vector<std::pair<std::size_t, std::string>> close;
  for (const std::string& candidate : candidates) {
    if (candidate == name || candidate.empty()) continue;
    const std::size_t distance = EditDistance(name, candidate);
    if (distance <= allowed) close.emplace_back(distance, candidate);
  }
  std::stable_sort(close.begin(), close.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (auto& [distance, candidate] : close) names.push_back(std::move(candidate));
  return names;
}

const std::vector<double>& NumericTable::Column(const std::string& name) const {
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == name) return columns[k];
  }
  throw InvalidArgument("no column '" + name + "' was read from " + source);
}

std::vector<std::string> NumericTable::GroupLabels() const {
  std::vector<std::string> labels;
  std::set<std::string> seen;
  for (const std::string& label : groups) {
    if (seen.insert(label).second) labels.push_back(label);
  }
  return labels;
}

NumericTable NumericTable::Group(const std::string& label) const {
  NumericTable group;
  group.source = source;
  group.names = names;
  group.columns.assign(columns.size(), {});
  group.records = records;
  group.filtered_out = filtered_out;
  group.skipped_missing = skipped_missing;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i] != label) continue;
    for (std::size_t k = 0; k < columns.size(); ++k) group.columns[k].push_back(columns[k][i]);
    group.lines.push_back(lines[i]);
    group.groups.push_back(label);
  }
  return group;
}

std::string NumericTable::Selection() const {
  if (filtered_out == 0 && skipped_missing == 0) return "";
  std::string text = FormatNumber(static_cast<double>(records - filtered_out - skipped_missing)) + " of " +
                     FormatNumber(static_cast<double>(records)) + " records (";
  if (filtered_out > 0) text += FormatNumber(static_cast<double>(filtered_out)) + " left out by the filters";
  if (skipped_missing > 0) {
    text += std::string(filtered_out > 0 ? ", " : "") + FormatNumber(static_cast<double>(skipped_missing)) +
            " with empty cells skipped";
  }
  return text + ")";
}

std::vector<std::string> CsvHeader(std::string_view text) {
  const std::string source = "<header>";
  RecordReader reader(text, source, DelimiterOf(text));
  std::vector<std::string> cells;
  std::size_t count = 0;
  try {
    if (!reader.Next(cells, count)) return {};
  } catch (const InputError&) {
    return {};  // an unclosed quote in the header: ParseNumericCsv reports it with its line
  }
  cells.resize(count);
  return cells;
}

namespace {

// Whether the cell at index is empty in every record of text (the header skipped), and there are at least two: a
// column a trainer has yet to fill in, such as the loss of the runs scalelaw sweep planned.
bool EmptyInEveryRecord(std::string_view text, const std::string& file, std::size_t index) {
  RecordReader reader(text, file, DelimiterOf(text));
  std::vector<std::string> cells;
  std::size_t count = 0, records = 0;
  reader.Next(cells, count);
  while (reader.Next(cells, count)) {
    if (index < count && !cells[index].empty()) return false;
    ++records;
  }
  return records >= 2;
}

[[noreturn]] void ThrowNotLogged(const std::string& file, const std::string& column) {
  throw InputError(file, 0, column,
                   "every cell is empty: the runs have not been logged yet (fill in each run's value, e.g. its final "
                   "loss in the table scalelaw sweep wrote)");
}

}  // namespace

NumericTable ParseNumericCsv(std::string_view text, const std::string& file, const TableQuery& query) {
  std::set<std::string> distinct;
  for (const ColumnRequest& request : query.columns) {
    if (request.name.empty()) throw InvalidArgument("column names must not be empty");
    if (!distinct.insert(request.name).second) throw InvalidArgument("column '" + request.name + "' is named twice");
  }
  RecordReader reader(text, file, DelimiterOf(text));
  std::vector<std::string> cells;
  std::size_t count = 0;
  if (!reader.Next(cells, count)) {
    throw InputError(file, 0, "", "the file is empty (expected a header line naming the columns)");
  }
  const std::vector<std::string> header(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(count));

  NumericTable table;
  table.source = file;
  std::vector<std::size_t> at;
  for (const ColumnRequest& request : query.columns) {
    table.names.push_back(request.name);
    at.push_back(IndexOf(request.name, header, file));
  }
  std::vector<std::size_t> filter_at;
  for (const RowFilter& filter : query.where) filter_at.push_back(IndexOf(filter.column, header, file));
  const std::optional<std::size_t> group_at =
      query.group_by.empty() ? std::nullopt : std::optional<std::size_t>(IndexOf(query.group_by, header, file));
  table.columns.assign(query.columns.size(), {});

  while (reader.Next(cells, count)) {
    const long line = reader.line();
    ++table.records;
    if (count < header.size()) throw InputError(file, line, "", "this row has fewer cells than the header");
    if (count > header.size()) throw InputError(file, line, "", "this row has more cells than the header");
    bool kept = true;
    for (std::size_t f = 0; f < query.where.size() && kept; ++f) {
      kept = Passes(query.where[f], cells[filter_at[f]], file, line);
    }
    if (!kept) {
      ++table.filtered_out;
      continue;
    }
    if (query.skip_missing) {
      const bool empty_cell = std::any_of(at.begin(), at.end(), [&](std::size_t k) { return cells[k].empty(); }) ||
                              (group_at && cells[*group_at].empty());
      if (empty_cell) {
        ++table.skipped_missing;
        continue;
      }
    }
    if (group_at) {
      if (cells[*group_at].empty()) throw InputError(file, line, query.group_by, "empty cell in the group column");
      table.groups.push_back(cells[*group_at]);
    }
    for (std::size_t k = 0; k < at.size(); ++k) {
      if (cells[at[k]].empty() && EmptyInEveryRecord(text, file, at[k])) ThrowNotLogged(file, query.columns[k].name);
      table.columns[k].push_back(ParseCell(cells[at[k]], query.columns[k].domain, file, line, query.columns[k].name));
    }
    table.lines.push_back(line);
  }
  if (table.records == 0) throw InputError(file, 0, "", "the file has a header but no runs");
  if (table.lines.empty()) {
    for (std::size_t k = 0; k < at.size() && table.skipped_missing > 0; ++k) {
      if (EmptyInEveryRecord(text, file, at[k])) ThrowNotLogged(file, query.columns[k].name);
    }
    throw InputError(file, 0, "", "no record is left: " + table.Selection());
  }
  return table;
}

NumericTable ReadNumericCsv(const std::string& path, const TableQuery& query) {
  return ParseNumericCsv(detail::ReadWholeFile(path), detail::DisplayName(path), query);
}

NumericTable ParseNumericCsv(std::string_view text, const std::string& source_name,
                             const std::vector<std::string>& names) {
  TableQuery query;
  for (const std::string& name : names) query.columns.push_back({name, CellDomain::kPositive});
  return ParseNumericCsv(text, source_name, query);
}

NumericTable ReadNumericCsv(const std::string& path, const std::vector<std::string>& names) {
  return ParseNumericCsv(detail::ReadWholeFile(path), detail::DisplayName(path), names);
}

std::vector<ColumnRequest> RunColumnRequests(const RunColumns& columns, CellDomain loss_domain) {
  std::vector<ColumnRequest> requests{{columns.params, CellDomain::kPositive},
                                      {columns.flops.empty() ? columns.tokens : columns.flops, CellDomain::kPositive},
                                      {columns.loss, loss_domain}};
  if (!columns.weight.empty()) requests.push_back({columns.weight, CellDomain::kPositive});
  if (!columns.unique_tokens.empty()) requests.push_back({columns.unique_tokens, CellDomain::kPositive});
  return requests;
}

Dataset RunsFromTable(const NumericTable& table, const RunColumns& columns) {
  const bool from_flops = !columns.flops.empty();
  const std::string& second = from_flops ? columns.flops : columns.tokens;
  Dataset data;
  data.params = table.Column(columns.params);
  data.tokens = table.Column(second);
  data.loss = table.Column(columns.loss);
  // D from the second column: tokens, or C / (6 N) when it holds FLOPs. Either way the compute 6ND of every run
  // must be a finite double: reports, allocation and hold-outs all order runs by it.
  for (std::size_t i = 0; i < data.tokens.size(); ++i) {
    const double n = data.params[i];
    if (from_flops) {
      data.tokens[i] /= 6.0 * n;
      if (!(data.tokens[i] > 0 && std::isfinite(data.tokens[i]))) {
        throw InputError(table.source, table.lines[i], second, "C / (6 N) is not a positive finite number of tokens");
      }
    } else if (!std::isfinite(6.0 * n * data.tokens[i])) {
      throw InputError(
          table.source, table.lines[i], n >= data.tokens[i] ? columns.params : second,
          "the compute 6·N·D overflows a double (N " + FormatNumber(n) + ", D " + FormatNumber(data.tokens[i]) + ")");
    }
  }
  if (!columns.weight.empty()) data.weights = table.Column(columns.weight);
  if (!columns.unique_tokens.empty()) data.unique_tokens = table.Column(columns.unique_tokens);
  return data;
}

Dataset ParseRunsCsv(std::string_view text, const std::string& source_name, const RunColumns& columns) {
  TableQuery query;
  query.columns = RunColumnRequests(columns);
  return RunsFromTable(ParseNumericCsv(text, source_name, query), columns);
}

Dataset ReadRunsCsv(const std::string& path, const RunColumns& columns) {
  return ParseRunsCsv(detail::ReadWholeFile(path), detail::DisplayName(path), columns);
}

namespace detail {

SparseColumns ParseSparseCsv(std::string_view text, const std::string& file, const std::vector<std::string>& names,
                             const std::vector<std::string>& text_names, const std::vector<RowFilter>& where) {
  RecordReader reader(text, file, DelimiterOf(text));
  std::vector<std::string> cells;
  std::size_t count = 0;
  if (!reader.Next(cells, count)) {
    throw InputError(file, 0, "", "the file is empty (expected a header line naming the columns)");
  }
  SparseColumns table;
  table.header.assign(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(count));
  std::vector<std::size_t> at;
  for (const std::string& name : names) at.push_back(IndexOf(name, table.header, file));
  std::vector<std::size_t> filter_at;
  for (const RowFilter& filter : where) filter_at.push_back(IndexOf(filter.column, table.header, file));
  std::vector<std::size_t> text_at;
  for (const std::string& name : text_names) text_at.push_back(IndexOf(name, table.header, file));
  table.texts.assign(text_names.size(), {});
  table.columns.assign(names.size(), {});
  std::size_t records = 0;
  while (reader.Next(cells, count)) {
    const long line = reader.line();
    ++records;
    if (count < table.header.size()) throw InputError(file, line, "", "this row has fewer cells than the header");
    if (count > table.header.size()) throw InputError(file, line, "", "this row has more cells than the header");
    bool kept = true;
    for (std::size_t f = 0; f < where.size() && kept; ++f) kept = Passes(where[f], cells[filter_at[f]], file, line);
    if (!kept) continue;
    for (std::size_t k = 0; k < text_at.size(); ++k) table.texts[k].push_back(cells[text_at[k]]);
    for (std::size_t k = 0; k < at.size(); ++k) {
      const std::string& cell = cells[at[k]];
      table.columns[k].push_back(cell.empty() ? std::numeric_limits<double>::quiet_NaN()
                                              : ParseCell(cell, CellDomain::kFinite, file, line, names[k]));
    }
    table.lines.push_back(line);
  }
  if (records == 0) throw InputError(file, 0, "", "the file has a header but no rows");
  return table;
}

}  // namespace detail

}  // namespace scalelaw
