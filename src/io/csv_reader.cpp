// CSV parsing is fast-cpp-csv-parser's (Debian libfccp-dev); numbers are converted here with
// std::from_chars so that every value is correctly rounded and every bad cell gets a precise message.
#include <limits>  // csv.h uses std::numeric_limits without including it

#include "scalelaw/io/csv.h"

#define CSV_IO_NO_THREAD
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-truncation"
#include <libfccp/csv.h>
#pragma GCC diagnostic pop

#include <array>
#include <charconv>
#include <cmath>
#include <tuple>
#include <utility>

#include "io/read_file.h"
#include "scalelaw/error.h"

namespace scalelaw {
namespace {

using CsvReader4 = io::CSVReader<4, io::trim_chars<' ', '\t', '\r'>, io::double_quote_escape<',', '"'>>;
using CsvReader3 = io::CSVReader<3, io::trim_chars<' ', '\t', '\r'>, io::double_quote_escape<',', '"'>>;

std::string Quote(std::string_view cell) {
  constexpr std::size_t kShown = 40;
  std::string shown(cell.substr(0, kShown));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return "'" + shown + (cell.size() > kShown ? "...'" : "'");
}

// A cell as a positive finite number, or an InputError that says what is wrong with it.
double ParsePositive(const std::string& cell, const std::string& file, long line, const std::string& column) {
  if (cell.empty()) throw InputError(file, line, column, "empty cell, expected a positive number");
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
  if (!(value > 0)) throw InputError(file, line, column, "expected a positive number, got " + Quote(cell));
  return value;
}

// Turns fast-cpp-csv-parser's exceptions into one-line InputErrors.
[[noreturn]] void Rethrow(const io::error::base& error, const std::string& file) {
  auto line_of = [](const auto& e) { return static_cast<long>(e.file_line); };
  if (const auto* e = dynamic_cast<const io::error::missing_column_in_header*>(&error)) {
    throw InputError(file, 1, e->column_name,
                     "missing column (name it with the matching --*-col option, or check the delimiter is a comma)");
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

template <typename Reader, std::size_t K>
Dataset ReadColumns(std::string_view text, const std::string& file, const std::array<std::string, K>& names,
                    bool from_flops, bool weighted) {
  Dataset data;
  try {
    Reader reader(file, text.data(), text.data() + text.size());
    std::apply([&](const auto&... name) { reader.read_header(io::ignore_extra_column, name...); }, names);
    std::array<std::string, K> cells;
    while (std::apply([&](auto&... cell) { return reader.read_row(cell...); }, cells)) {
      const long line = static_cast<long>(reader.get_file_line());
      const double n = ParsePositive(cells[0], file, line, names[0]);
      const double second = ParsePositive(cells[1], file, line, names[1]);
      const double loss = ParsePositive(cells[2], file, line, names[2]);
      const double tokens = from_flops ? second / (6.0 * n) : second;
      if (!(tokens > 0 && std::isfinite(tokens))) {
        throw InputError(file, line, names[1], "C / (6 N) is not a positive finite number of tokens");
      }
      data.params.push_back(n);
      data.tokens.push_back(tokens);
      data.loss.push_back(loss);
      if constexpr (K == 4) {
        if (weighted) data.weights.push_back(ParsePositive(cells[3], file, line, names[3]));
      }
    }
  } catch (const io::error::base& error) {
    Rethrow(error, file);
  }
  if (data.size() == 0) throw InputError(file, 0, "", "the file has a header but no runs");
  return data;
}

}  // namespace

Dataset ParseRunsCsv(std::string_view text, const std::string& source_name, const RunColumns& columns) {
  const bool from_flops = !columns.flops.empty();
  const std::string& second = from_flops ? columns.flops : columns.tokens;
  if (columns.params.empty() || second.empty() || columns.loss.empty()) {
    throw InvalidArgument("column names must not be empty");
  }
  if (!columns.weight.empty()) {
    return ReadColumns<CsvReader4, 4>(text, source_name, {columns.params, second, columns.loss, columns.weight},
                                      from_flops, true);
  }
  return ReadColumns<CsvReader3, 3>(text, source_name, {columns.params, second, columns.loss}, from_flops, false);
}

Dataset ReadRunsCsv(const std::string& path, const RunColumns& columns) {
  return ParseRunsCsv(detail::ReadWholeFile(path), detail::DisplayName(path), columns);
}

}  // namespace scalelaw
