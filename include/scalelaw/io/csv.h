// Reading training runs from CSV files (a header line naming the columns, one run per line).
#pragma once

#include <string>
#include <string_view>

#include "scalelaw/fit/dataset.h"

namespace scalelaw {

// Which columns hold what. Extra columns are ignored.
struct RunColumns {
  std::string params = "params";  // N
  std::string tokens = "tokens";  // D, read unless flops is set
  std::string flops;              // C; when set, D = C / (6 N) (the C = 6ND convention)
  std::string loss = "loss";
  std::string weight;  // optional per-run weights
};

// Reads path ("-" reads standard input). Throws InputError naming the file, line and column of the first
// problem: a missing or duplicated column, a ragged row, an empty, non-numeric, NaN, infinite, zero or
// negative cell, an empty file, a file with no runs, or a file that cannot be read.
Dataset ReadRunsCsv(const std::string& path, const RunColumns& columns = {});

// The same for CSV text already in memory; source_name is what error messages call it.
Dataset ParseRunsCsv(std::string_view text, const std::string& source_name, const RunColumns& columns = {});

}  // namespace scalelaw
