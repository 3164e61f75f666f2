// Numeric columns of a CSV or TSV table whose empty cells are allowed (NaN), for readers that decide per cell
// what an empty cell means (a W&B export leaves a metric's cell empty at steps it was not logged).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/io/csv.h"

namespace scalelaw::detail {

struct SparseColumns {
  std::vector<std::string> header;              // every column of the file
  std::vector<std::vector<double>> columns;     // as requested; an empty cell is NaN
  std::vector<std::vector<std::string>> texts;  // the text columns asked for, texts[k][row]
  std::vector<long> lines;                      // the file line of each record kept
};

// The named numeric columns (and the text of the text columns) of the records where every filter holds. Throws
// InputError as ParseNumericCsv does (a missing column with the closest names, a short or long row, a quoted cell
// not closed, a numeric cell that is text, NaN, infinite or out of range) and when the file is empty or has no
// records.
SparseColumns ParseSparseCsv(std::string_view text, const std::string& file, const std::vector<std::string>& names,
                             const std::vector<std::string>& text_names, const std::vector<RowFilter>& where);

// Whether cell passes filter (numbers compare as numbers, else = and != compare text); nullopt when an
// ordering meets a cell that is not a number, which FilterNeedsNumber describes.
std::optional<bool> FilterHolds(const RowFilter& filter, std::string_view cell);
std::string FilterNeedsNumber(const RowFilter& filter, std::string_view cell);

}  // namespace scalelaw::detail
