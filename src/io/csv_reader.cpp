// CSV parsing is fast-cpp-csv-parser's (Debian libfccp-dev); numbers are converted here with
// std::from_chars so that every value is correctly rounded and every bad cell gets a precise message.
#include <limits>  // csv.h uses std::numeric_limits without including it

#include "scalelaw/io/csv.h"

#define CSV_IO_NO_THREAD
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <tuple>
#include <utility>

#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {
namespace {

template <unsigned K>
using CsvReader = io::CSVReader<K, io::trim_chars<' ', '\t', '\r'>, io::double_quote_escape<',', '"'>>;

std::string Quote(std::string_view cell) {
  constexpr std::size_t kShown = 40;
  std::string shown(cell.substr(0, kShown));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return "'" + shown + (cell.size() > kShown ? "...'" : "'");
}

// A cell as a positive finite number, or an InputError that says what is wrong with it.
double ParsePositive(const std::string& cell, const std::string& file, long line, const std::string& column,
                     bool any_sign = false) {
  if (cell.empty())
    throw InputError(file, line, column,
                     any_sign ? "empty cell, expected a number" : "empty cell, expected a positive number");
  double value = 0;
  const char* begin = cell.data();
  const char* end = cell.data() + cell.size();
  if (*begin == '+') ++begin;
  const auto [stop, status] = std::from_chars(begin, end, value);
  if (status == std::errc::result_out_of_range) {
    throw InputError(file, line, column, "number " + Quote(cell) + " is out of the range of a double");
  }
  if (status != std::errc() || stop != end) {
    throw InputError(file, line, column, "expected a number, got " + Quote(cell));
  }
  if (std::isnan(value)) throw InputError(file, line, column, "NaN is not a usable value");
  if (std::isinf(value)) throw InputError(file, line, column, "infinity is not a usable value");
  if (!any_sign && !(value > 0)) throw InputError(file, line, column, "expected a positive number, got " + Quote(cell));
  return value;
}

// Turns fast-cpp-csv-parser's exceptions into one-line InputErrors.
[[noreturn]] void Rethrow(const io::error::base& error, const std::string& file) {
  auto line_of = [](const auto& e) { return static_cast<long>(e.file_line); };
  if (const auto* e = dynamic_cast<const io::error::missing_column_in_header*>(&error)) {
    throw InputError(file, 1, e->column_name,
                     "missing column (name the column that holds it, or check the delimiter is a comma)");
  }
  if (const auto* e = dynamic_cast<const io::error::duplicated_column_in_header*>(&error)) {
    throw InputError(file, 1, e->column_name, "the header names this column more than once");
  }
  if (dynamic_cast<const io::error::header_missing*>(&error) != nullptr) {
    throw InputError(file, 0, "", "the file is empty (expected a header line naming the columns)");
  }
  if (const auto* e = dynamic_cast<const io::error::too_few_columns*>(&error)) {
    throw InputError(file, line_of(*e), "", "this row has fewer cells than the header");
  }
  if (const auto* e = dynamic_cast<const io::error::too_many_columns*>(&error)) {
    throw InputError(file, line_of(*e), "", "this row has more cells than the header");
  }
  if (const auto* e = dynamic_cast<const io::error::escaped_string_not_closed*>(&error)) {
    throw InputError(file, line_of(*e), "", "a quoted cell is not closed");
  }
  if (const auto* e = dynamic_cast<const io::error::line_length_limit_exceeded*>(&error)) {
    throw InputError(file, line_of(*e), "", "the line is longer than 16 MiB; is this a CSV file?");
  }
  throw InputError(file, 0, "", error.what());
}

// The named columns of every row, each cell a positive finite number, with the file line of each row.
template <unsigned K>
NumericTable ReadColumns(std::string_view text, const std::string& file, const std::vector<std::string>& names,
                         const std::vector<std::string>& signed_columns) {
  // fast-cpp-csv-parser reads the byte after the data when the last line has no newline (LineReader::next_line
  // tests buffer[data_end]). In a file of over two 16 MiB blocks that byte is left over from an earlier block;
  // when it is a newline, the reader runs past the end and returns earlier rows again, forever (an assertion
  // failure where assertions are on). Found by fuzz/csv_fuzzer.cpp; the parser only ever sees a final newline.
  //
  // Blank lines at the end of the file (editors and spreadsheet exports leave them) are not runs: they are cut
  // here, which keeps the line numbers of everything before them. A blank line between runs is still an error.
  text = text.substr(0, text.find_last_not_of(" \t\r\n") + 1);
  std::string terminated;
  if (!text.empty() && text.back() != '\n') {
    terminated.reserve(text.size() + 1);
    terminated.append(text).push_back('\n');
    text = terminated;
  }
  std::array<bool, K> any_sign{};
  for (unsigned k = 0; k < K; ++k)
    any_sign[k] = std::find(signed_columns.begin(), signed_columns.end(), names[k]) != signed_columns.end();
  NumericTable table;
  table.source = file;
  table.names = names;
  table.columns.assign(K, {});
  try {
    CsvReader<K> reader(file, text.data(), text.data() + text.size());
    std::array<std::string, K> header;
    std::copy(names.begin(), names.end(), header.begin());
    std::apply([&](const auto&... name) { reader.read_header(io::ignore_extra_column, name...); }, header);
    std::array<std::string, K> cells;
    while (std::apply([&](auto&... cell) { return reader.read_row(cell...); }, cells)) {
      const long line = static_cast<long>(reader.get_file_line());
      table.lines.push_back(line);
      for (unsigned k = 0; k < K; ++k)
        table.columns[k].push_back(ParsePositive(cells[k], file, line, names[k], any_sign[k]));
    }
  } catch (const io::error::base& error) {
    Rethrow(error, file);
  }
  if (table.lines.empty()) throw InputError(file, 0, "", "the file has a header but no runs");
  return table;
}

}  // namespace

const std::vector<double>& NumericTable::Column(const std::string& name) const {
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == name) return columns[k];
  }
  throw InvalidArgument("no column '" + name + "' was read from " + source);
}

NumericTable ParseNumericCsv(std::string_view text, const std::string& source_name,
                             const std::vector<std::string>& names, const std::vector<std::string>& signed_columns) {
  for (const std::string& name : names) {
    if (name.empty()) throw InvalidArgument("column names must not be empty");
    if (std::count(names.begin(), names.end(), name) > 1) {
      throw InvalidArgument("column '" + name + "' is named twice");
    }
  }
  switch (names.size()) {
    case 1:
      return ReadColumns<1>(text, source_name, names, signed_columns);
    case 2:
      return ReadColumns<2>(text, source_name, names, signed_columns);
    case 3:
      return ReadColumns<3>(text, source_name, names, signed_columns);
    case 4:
      return ReadColumns<4>(text, source_name, names, signed_columns);
    case 5:
      return ReadColumns<5>(text, source_name, names, signed_columns);
    case 6:
      return ReadColumns<6>(text, source_name, names, signed_columns);
    case 7:
      return ReadColumns<7>(text, source_name, names, signed_columns);
    case 8:
      return ReadColumns<8>(text, source_name, names, signed_columns);
    default:
      throw InvalidArgument("between 1 and 8 columns can be read at once");
  }
}

std::vector<std::string> CsvHeader(std::string_view text) {
  const std::string_view line = text.substr(0, text.find('\n'));
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= line.size()) {
    const std::size_t comma = std::min(line.find(',', start), line.size());
    std::string name(line.substr(start, comma - start));
    const auto first = name.find_first_not_of(" \t\r\"");
    const auto last = name.find_last_not_of(" \t\r\"");
    names.push_back(first == std::string::npos ? "" : name.substr(first, last - first + 1));
    start = comma + 1;
  }
  return names;
}

NumericTable ReadNumericCsv(const std::string& path, const std::vector<std::string>& names) {
  return ParseNumericCsv(detail::ReadWholeFile(path), detail::DisplayName(path), names);
}

namespace {

// D from the second column: tokens, or C / (6 N) when it holds FLOPs. Either way the compute 6ND of every run
// must be a finite double: reports, allocation and hold-outs all order runs by it.
std::vector<double> TokensFrom(const NumericTable& table, bool from_flops) {
  const std::vector<double>& n = table.columns[0];
  std::vector<double> tokens = table.columns[1];
  if (!from_flops) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (!std::isfinite(6.0 * n[i] * tokens[i])) {
        throw InputError(
            table.source, table.lines[i], table.names[n[i] >= tokens[i] ? 0 : 1],
            "the compute 6·N·D overflows a double (N " + FormatNumber(n[i]) + ", D " + FormatNumber(tokens[i]) + ")");
      }
    }
    return tokens;
  }
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    tokens[i] /= 6.0 * n[i];
    if (!(tokens[i] > 0 && std::isfinite(tokens[i]))) {
      throw InputError(table.source, table.lines[i], table.names[1],
                       "C / (6 N) is not a positive finite number of tokens");
    }
  }
  return tokens;
}

}  // namespace

Dataset ParseRunsCsv(std::string_view text, const std::string& source_name, const RunColumns& columns) {
  const bool from_flops = !columns.flops.empty();
  std::vector<std::string> names{columns.params, from_flops ? columns.flops : columns.tokens, columns.loss};
  if (!columns.weight.empty()) names.push_back(columns.weight);
  if (!columns.unique_tokens.empty()) names.push_back(columns.unique_tokens);
  const NumericTable table =
      ParseNumericCsv(text, source_name, names,
                      columns.signed_loss ? std::vector<std::string>{columns.loss} : std::vector<std::string>{});
  Dataset data;
  data.params = table.columns[0];
  data.tokens = TokensFrom(table, from_flops);
  data.loss = table.columns[2];
  if (!columns.weight.empty()) data.weights = table.Column(columns.weight);
  if (!columns.unique_tokens.empty()) data.unique_tokens = table.Column(columns.unique_tokens);
  return data;
}

Dataset ReadRunsCsv(const std::string& path, const RunColumns& columns) {
  return ParseRunsCsv(detail::ReadWholeFile(path), detail::DisplayName(path), columns);
}

}  // namespace scalelaw
