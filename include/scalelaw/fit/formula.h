// A law written as text, for `scalelaw fit --formula "E + A/N^alpha + B/D^beta"`: an expression over CSV
// columns whose other names are the parameters to fit. Parsed once into a flat postfix program, then evaluated
// over blocks of runs, with the gradient with respect to the parameters when the optimiser asks for it.
//
// Grammar (EBNF; blanks, tabs and line breaks separate tokens and are otherwise ignored):
//
//   formula    = expression , end ;
//   expression = term , { ( "+" | "-" ) , term } ;         (* left-associative: 1-2-3 = (1-2)-3 *)
//   term       = unary , { ( "*" | "/" ) , unary } ;       (* left-associative: 8/2/2 = (8/2)/2 *)
//   unary      = "-" , unary | power ;
//   power      = primary , [ "^" , unary ] ;               (* right-associative: 2^3^2 = 2^(3^2); and
//                                                             tighter than a leading minus: -2^2 = -(2^2),
//                                                             while 2^-1 = 2^(-1) *)
//   primary    = number | name | call | "(" , expression , ")" ;
//   call       = function , "(" , [ expression , { "," , expression } ] , ")" ;
//   function   = "exp" | "log" | "sqrt" | "min" | "max" ;  (* log is natural; min and max take two *)
//   name       = letter , { letter | digit } ;             (* letter includes "_"; case-sensitive *)
//   number     = ( digits , [ "." , [ digits ] ] | "." , digits ) , [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;
//
// A name equal to one of the column names given to Parse is data (read from the row); every other name is a
// parameter. A function name not followed by "(" is an error unless it is a column name. There is no unary
// plus and no implicit multiplication ("2E" is a bad number, "A N" is a missing operator).
//
// Limits, each an InvalidArgument at Parse (never a crash): at most kMaxLength characters, at most
// kMaxParameters distinct parameters, ASCII only, and at most kMaxDepth levels of nesting, where a level is
// opened by each "(", each function call, each unary minus and each exponent (the places the parser recurses).
//
// Evaluation follows IEEE arithmetic and never throws: log of a negative number, sqrt of a negative number or
// 0^-1 give NaN or infinity, and the caller (the fit objective) rejects non-finite values. min and max
// propagate NaN (unlike std::fmin), so a NaN operand is never hidden; at a tie they take the first argument,
// value and gradient alike.
//
// Gradients are by forward-mode automatic differentiation: every intermediate value carries its derivatives
// with respect to the parameters it depends on, and only those, as the program shows them (in
// E + A/N^alpha + B/D^beta, A/N^alpha carries two, the sum five), so the work grows with the formula, not with
// kMaxParameters. A derivative with respect to a parameter that a sub-expression does not depend on is an exact
// zero, never 0 times its slope: a constant part with an infinite slope (sqrt(x - 1) at x = 1) leaves the
// gradient finite. The rules at the edges of powers (a base of zero or below) are those of Ceres' Jets
// (Ceres Solver 2.1, include/ceres/jet.h); values are std::pow's, except that a column raised to an exponent
// that depends on the parameters (N^alpha) is exp(alpha log N) where N is finite and positive and alpha
// finite: a fit evaluates such powers of the same data at every iteration, and log N is computed once. That
// differs from std::pow by a few ulps (the rounding of log N and of the product).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scalelaw {

class Formula {
 public:
  static constexpr int kMaxParameters = 16;
  static constexpr std::size_t kMaxLength = 4096;
  static constexpr int kMaxDepth = 64;

  // Parses text; names in column_names are data, the others parameters (in order of first appearance).
  // Throws InvalidArgument with one line naming the 1-based column, e.g.
  // "formula: unexpected ')' at column 14: E + A/N^alpha)".
  static Formula Parse(std::string_view text, const std::vector<std::string>& column_names);

  // Parameter names, in order of first appearance.
  const std::vector<std::string>& parameters() const { return parameters_; }
  // The column names the formula reads, in order of first appearance.
  const std::vector<std::string>& columns() const { return columns_; }

  // Canonical text: every operation in parentheses, numbers in their shortest exact form, names in order of
  // appearance, so Parse(ToString(), same columns) gives the same parameters, columns and values. (A
  // formula already close to the length or nesting limits can canonicalise beyond them; Parse then throws.)
  std::string ToString() const;

  // The value at one row: params[j] is parameters()[j], row[k] is columns()[k].
  double Evaluate(const double* params, const double* row) const;
  // The value and gradient[j] = d value / d params[j] for j < parameters().size(), by forward-mode automatic
  // differentiation. The value is Evaluate's, bit for bit.
  void EvaluateWithGradient(const double* params, const double* row, double* value, double* gradient) const;
  // The same at count rows, row i reading column k at columns[k][i]: values[i], and when gradients is not null
  // gradients[i * P + j] = d values[i] / d params[j] with P = parameters().size(); the numbers of Evaluate and
  // EvaluateWithGradient row by row, bit for bit, at a fraction of the cost, since each instruction runs over
  // many rows at once. log_columns, when not null, holds std::log of the columns (log_columns[k][i] =
  // std::log(columns[k][i]); a null log_columns[k] is computed as needed): x^p = exp(p log x) and
  // d x^p / dp = x^p log x for a column x, and a fit evaluates the same rows many times. None of the three
  // allocates.
  void EvaluateBlock(const double* params, const double* const* columns, const double* const* log_columns,
                     std::size_t count, double* values, double* gradients) const;

 private:
  class Parser;

  enum class Op : std::uint8_t {
    kConstant,
    kParameter,
    kColumn,
    kNegate,
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kPower,
    kExp,
    kLog,
    kSqrt,
    kMin,
    kMax,
  };
  // One instruction of a postfix (reverse Polish) program: leaves push a value, operators pop their operands
  // and push the result. Evaluation is one pass over a contiguous vector with a switch per block of rows, no
  // recursion and no virtual calls.
  struct Node {
    Op op;
    std::uint32_t index;  // kParameter: into params; kColumn: into row; kPower: which operand is constant
    std::uint32_t column;  // kPower whose base is a column as it stands: that column (else all bits set)
    double value;          // kConstant
  };

  template <typename Rows>
  void Run(const double* params, const Rows& rows, std::size_t count, double* values, double* gradients) const;

  Formula() = default;

  std::vector<Node> program_;
  int height_ = 0;  // the deepest the evaluation stack gets
  std::vector<std::string> parameters_;
  std::vector<std::string> columns_;
};

}  // namespace scalelaw
