// Reading training runs from CSV files (a header line naming the columns, one run per line).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/fit/dataset.h"

namespace scalelaw {

// Which columns hold what. Extra columns are ignored.
struct RunColumns {
  std::string params = "params";  // N
  std::string tokens = "tokens";  // D, read unless flops is set
  std::string flops;              // C; when set, D = C / (6 N) (the C = 6ND convention)
  std::string loss = "loss";
  std::string weight;         // optional per-run weights
  std::string unique_tokens;  // optional unique tokens U of each run (data-constrained laws)
  bool signed_loss = false;   // the loss may be zero or negative (any finite number): a fit on the loss itself
};

// Named numeric columns read from a CSV file: every cell a positive finite number.
struct NumericTable {
  std::string source;                        // the file, as error messages name it
  std::vector<std::string> names;            // as requested
  std::vector<std::vector<double>> columns;  // columns[k][row]
  std::vector<long> lines;                   // the file line of each row

  std::size_t rows() const { return lines.size(); }
  const std::vector<double>& Column(const std::string& name) const;
};

// The column names of the header line of CSV text (trimmed, quotes removed).
std::vector<std::string> CsvHeader(std::string_view text);

// Reads the named columns (1 to 8; others in the file are ignored). Throws InputError like ReadRunsCsv.
NumericTable ReadNumericCsv(const std::string& path, const std::vector<std::string>& names);
// Cells of the columns named in signed_columns may be any finite number (zero and negative ones too).
NumericTable ParseNumericCsv(std::string_view text, const std::string& source_name,
                             const std::vector<std::string>& names,
                             const std::vector<std::string>& signed_columns = {});

// Reads path ("-" reads standard input). Throws InputError naming the file, line and column of the first
// problem: a missing or duplicated column, a ragged row, an empty, non-numeric, NaN, infinite, zero or
// negative cell, an empty file, a file with no runs, or a file that cannot be read.
Dataset ReadRunsCsv(const std::string& path, const RunColumns& columns = {});

// The same for CSV text already in memory; source_name is what error messages call it.
Dataset ParseRunsCsv(std::string_view text, const std::string& source_name, const RunColumns& columns = {});

}  // namespace scalelaw
