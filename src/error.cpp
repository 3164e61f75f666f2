#include "scalelaw/error.h"

#include <fmt/format.h>

namespace scalelaw {
namespace {

std::string DescribeLocation(const std::string& file, long line, const std::string& column) {
  std::string where = file;
  if (line > 0) where += fmt::format(", line {}", line);
  if (!column.empty()) where += fmt::format(", column '{}'", column);
  return where;
}

}  // namespace

InputError::InputError(std::string file, long line, std::string column, const std::string& problem)
    : Error(DescribeLocation(file, line, column) + ": " + problem),
      file_(std::move(file)),
      line_(line),
      column_(std::move(column)) {}

}  // namespace scalelaw
