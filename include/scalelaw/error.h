// Errors a caller can act on. A computation that runs but gives an unusable answer (a fit that does not
// converge, a design that cannot identify the model) is not an error: it is reported in the result.
#pragma once

#include <stdexcept>
#include <string>

namespace scalelaw {

// Base of every exception scalelaw throws.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A value passed to the library is out of its domain (a negative budget, an unknown law or model name,
// inconsistent options).
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

// A data file cannot be used as given. what() is one line naming the file, the line and the column.
class InputError : public Error {
 public:
  // line is the 1-based line of the file (0 when the problem is the file as a whole); column is the name
  // of the column concerned (empty when none is).
  InputError(std::string file, long line, std::string column, const std::string& problem);

  const std::string& file() const noexcept { return file_; }
  long line() const noexcept { return line_; }
  const std::string& column() const noexcept { return column_; }

 private:
  std::string file_;
  long line_;
  std::string column_;
};

}  // namespace scalelaw
