// Reading training runs from tables: CSV (RFC 4180) or TSV text, a header line naming the columns and one run
// per record. Quoted cells may hold the delimiter, doubled quotes and line breaks; a file may have any number of
// columns, named with spaces or punctuation ("FLOPs (1E21)"); only the columns asked for are converted, record by
// record. Rows can be filtered (RowFilter, "experiment=marin", "C<1e21"), labelled by a group column, and rows
// with empty cells in the columns read can be skipped and counted instead of being an error.
#pragma once

#include <cstddef>
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
};

// A condition on one column's cells: column OP value, OP one of = (or ==), !=, <, <=, >, >=. When the cell and
// the value are both numbers they compare as numbers (so "C<1e21" and "N=1e9" mean what they say); otherwise =
// and != compare the text exactly, and an ordering of text is an error.
struct RowFilter {
  enum class Op { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };
  std::string column;
  Op op = Op::kEqual;
  std::string value;

  // "experiment=marin", "outlier!=True", "FLOPs (1E21)>=3": the column is everything before the operator (its
  // first occurrence), trimmed. Throws InvalidArgument when there is no operator or no column.
  static RowFilter Parse(std::string_view spec);
  std::string ToString() const;  // back in the spec's form
};

// What cells a numeric column takes.
enum class CellDomain {
  kPositive,  // finite and > 0 (the default: parameters, tokens, compute, a log-residual loss)
  kFinite,    // any finite number (a loss fitted on a linear residual may be zero or negative)
};

struct ColumnRequest {
  std::string name;
  CellDomain domain = CellDomain::kPositive;
};

// What to read from a table.
struct TableQuery {
  std::vector<ColumnRequest> columns;  // read as numbers, in this order (names distinct)
  std::vector<RowFilter> where;        // a record is kept when every filter holds
  std::string group_by;                // a column whose text labels each record's group ("": none)
  bool skip_missing = false;           // records with an empty cell in a column read are skipped and counted
};

// Named numeric columns read from a table, with each row's file line and, when grouped, its group's label.
struct NumericTable {
  std::string source;                        // the file, as error messages name it
  std::vector<std::string> names;            // as requested
  std::vector<std::vector<double>> columns;  // columns[k][row]
  std::vector<long> lines;                   // the file line each row starts on
  std::vector<std::string> groups;           // with TableQuery::group_by: each row's label; else empty
  std::size_t records = 0;                   // data records in the file
  std::size_t filtered_out = 0;              // records a filter left out
  std::size_t skipped_missing = 0;           // records skipped for an empty cell (TableQuery::skip_missing)

  std::size_t rows() const { return lines.size(); }
  const std::vector<double>& Column(const std::string& name) const;
  // The distinct group labels in the order they first appear (empty without group_by).
  std::vector<std::string> GroupLabels() const;
  // The rows of one group (the counts of filtered and skipped records are the whole table's).
  NumericTable Group(const std::string& label) const;
  // How the rows were chosen, for a report: "240 of 245 records (5 left out by the filters)"; empty when every
  // record was kept.
  std::string Selection() const;
};

// The column names of the header record of CSV or TSV text (RFC 4180 quoting, trimmed, a UTF-8 byte-order mark
// dropped).
std::vector<std::string> CsvHeader(std::string_view text);

// Reads what query asks. Throws InputError naming the file, line and column of the first problem: an empty
// file, a missing column (with the closest header name when one is close), a column named twice in the header,
// a row with fewer or more cells than the header, a quoted cell not closed or followed by other characters, a
// cell that is not a number of its column's domain (empty, text, NaN, infinite, out of range), a filter that
// orders text, a file with no rows left.
NumericTable ParseNumericCsv(std::string_view text, const std::string& source_name, const TableQuery& query);
NumericTable ReadNumericCsv(const std::string& path, const TableQuery& query);

// The named columns, each positive (the query with nothing else).
NumericTable ParseNumericCsv(std::string_view text, const std::string& source_name,
                             const std::vector<std::string>& names);
NumericTable ReadNumericCsv(const std::string& path, const std::vector<std::string>& names);

// The runs of a table: N, D (or D = C/(6N)), loss and the optional columns, from a table already read with the
// columns of RunColumnNames (or any query that read them). Throws InputError when 6ND is not a finite double.
Dataset RunsFromTable(const NumericTable& table, const RunColumns& columns);
// The columns RunsFromTable reads, in its order; loss_domain is the loss column's (kFinite for a linear residual).
std::vector<ColumnRequest> RunColumnRequests(const RunColumns& columns, CellDomain loss_domain = CellDomain::kPositive);

// Reads path ("-" reads standard input). Throws InputError naming the file, line and column of the first
// problem, as ParseNumericCsv.
Dataset ReadRunsCsv(const std::string& path, const RunColumns& columns = {});

// The same for CSV text already in memory; source_name is what error messages call it.
Dataset ParseRunsCsv(std::string_view text, const std::string& source_name, const RunColumns& columns = {});

// The names of candidates closest to name (by edit distance, ignoring case), for "did you mean": those within
// max(1, |name| / 4) edits, closest first; empty when none is that close.
std::vector<std::string> ClosestNames(std::string_view name, const std::vector<std::string>& candidates);

// A cell of CSV written for these readers (RFC 4180): the text as is, or quoted (quotes doubled) when it holds a
// comma, a quote or a line break.
std::string CsvCell(std::string_view text);

}  // namespace scalelaw
