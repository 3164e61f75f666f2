// libFuzzer target for the table reader: CsvHeader, then ParseRunsCsv (with the column layouts the CLI can ask
// for) or ParseNumericCsv over the file's own header names, with a filter, a group column and empty cells skipped
// when the header has the columns for them. Expected failures are scalelaw::Error subclasses; any other
// exception, a crash, a sanitizer report, a cell read outside its column's domain, rows out of file order or
// counts that do not add up is a finding.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/io/csv.h"

namespace {

using scalelaw::fuzz::Check;
using scalelaw::fuzz::PositiveFinite;

void CheckAllPositive(const std::vector<double>& values, std::size_t rows, const char* what) {
  Check(values.size() == rows, what);
  Check(std::all_of(values.begin(), values.end(), PositiveFinite), what);
}

void RunsWith(std::string_view text, const scalelaw::RunColumns& columns) {
  try {
    const scalelaw::Dataset data = scalelaw::ParseRunsCsv(text, "fuzz.csv", columns);
    const std::size_t rows = data.size();
    Check(rows > 0, "ParseRunsCsv returned no runs without an error");
    CheckAllPositive(data.params, rows, "ParseRunsCsv: params");
    CheckAllPositive(data.tokens, rows, "ParseRunsCsv: tokens");
    CheckAllPositive(data.loss, rows, "ParseRunsCsv: loss");
    if (!columns.weight.empty()) CheckAllPositive(data.weights, rows, "ParseRunsCsv: weights");
    if (!columns.unique_tokens.empty()) CheckAllPositive(data.unique_tokens, rows, "ParseRunsCsv: unique tokens");
    data.Validate();
  } catch (const scalelaw::Error&) {
  }
}

void NumericWithNames(std::string_view text, const scalelaw::TableQuery& query) {
  try {
    const scalelaw::NumericTable table = scalelaw::ParseNumericCsv(text, "fuzz.csv", query);
    Check(table.rows() > 0, "ParseNumericCsv returned no rows without an error");
    Check(table.columns.size() == query.columns.size(), "ParseNumericCsv: one column per name");
    for (std::size_t k = 0; k < table.columns.size(); ++k) {
      const auto& column = table.columns[k];
      Check(column.size() == table.rows(), "ParseNumericCsv: a value per row");
      if (query.columns[k].domain == scalelaw::CellDomain::kPositive) {
        CheckAllPositive(column, table.rows(), "ParseNumericCsv: cells");
      } else {
        Check(std::all_of(column.begin(), column.end(), [](double v) { return std::isfinite(v); }),
              "ParseNumericCsv: finite cells");
      }
    }
    Check(std::is_sorted(table.lines.begin(), table.lines.end()) && table.lines.front() >= 2,
          "ParseNumericCsv: row lines increase from line 2");
    Check(table.rows() + table.filtered_out + table.skipped_missing == table.records,
          "ParseNumericCsv: kept, filtered and skipped records add up");
    Check(query.group_by.empty() ? table.groups.empty() : table.groups.size() == table.rows(),
          "ParseNumericCsv: a group label per row");
    std::size_t grouped = 0;
    for (const std::string& label : table.GroupLabels()) grouped += table.Group(label).rows();
    Check(query.group_by.empty() || grouped == table.rows(), "ParseNumericCsv: the groups partition the rows");
    for (const auto& request : query.columns) table.Column(request.name);
  } catch (const scalelaw::Error&) {
  }
}

bool Has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

// One parse per input: the header picks the layout, so every input goes through one reader.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> header = scalelaw::CsvHeader(text);
  if (Has(header, "params") || header.size() < 2) {
    scalelaw::RunColumns columns;  // the CLI's layouts: tokens or flops, optional weights and unique tokens
    if (Has(header, "flops") && !Has(header, "tokens")) columns.flops = "flops";
    if (Has(header, "weight")) columns.weight = "weight";
    if (Has(header, "unique_tokens")) columns.unique_tokens = "unique_tokens";
    RunsWith(text, columns);
    return 0;
  }
  // The file's own column names, as fit-hparams and isoflop read them; a column called "group" labels groups,
  // "keep" filters (keep!=no), "y" is read as any finite number, and empty cells are skipped when "skip" is a
  // column.
  scalelaw::TableQuery query;
  for (const std::string& name : header) {
    if (query.columns.size() == 8) break;
    if (name.empty() || name == "group" || name == "keep" || name == "skip") continue;
    const bool seen = std::any_of(query.columns.begin(), query.columns.end(),
                                  [&](const scalelaw::ColumnRequest& r) { return r.name == name; });
    if (!seen) {
      query.columns.push_back(
          {name, name == "y" ? scalelaw::CellDomain::kFinite : scalelaw::CellDomain::kPositive});
    }
  }
  if (Has(header, "group")) query.group_by = "group";
  if (Has(header, "keep")) query.where.push_back(scalelaw::RowFilter::Parse("keep!=no"));
  query.skip_missing = Has(header, "skip");
  if (!query.columns.empty()) NumericWithNames(text, query);
  return 0;
}
