// libFuzzer target for the CSV readers: CsvHeader, then ParseRunsCsv (with the column layouts the CLI can ask
// for) or ParseNumericCsv over the file's own header names. Expected failures are scalelaw::Error
// subclasses; any other exception, a crash, a sanitizer report or a cell that is read but is not a positive
// finite number is a finding.
#include <algorithm>
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

void NumericWithNames(std::string_view text, const std::vector<std::string>& names) {
  try {
    const scalelaw::NumericTable table = scalelaw::ParseNumericCsv(text, "fuzz.csv", names);
    Check(table.rows() > 0, "ParseNumericCsv returned no rows without an error");
    Check(table.columns.size() == names.size(), "ParseNumericCsv: one column per name");
    for (const auto& column : table.columns) CheckAllPositive(column, table.rows(), "ParseNumericCsv: cells");
    Check(std::is_sorted(table.lines.begin(), table.lines.end()) && table.lines.front() >= 2,
          "ParseNumericCsv: row lines increase from line 2");
    for (const std::string& name : names) table.Column(name);
  } catch (const scalelaw::Error&) {
  }
}

bool Has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

// One parse per input: libfccp allocates a 48 MiB buffer per reader, which under ASan costs tens of
// milliseconds, so the header picks the reader instead of every input going through all of them.
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
  std::vector<std::string> names;  // the file's own column names, as fit-hparams and isoflop read them
  for (const std::string& name : header) {
    if (names.size() == 8) break;
    if (!name.empty() && !Has(names, name)) names.push_back(name);
  }
  if (!names.empty()) NumericWithNames(text, names);
  return 0;
}
