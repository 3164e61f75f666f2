// The formula language of `scalelaw fit --formula`: precedence, every operator and function against values
// computed by hand, how names are classified, gradients against central finite differences, the ToString
// round trip, IEEE behaviour at evaluation, and every parse error with its column.
#include "scalelaw/fit/formula.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "scalelaw/error.h"

namespace {

using scalelaw::Formula;
using scalelaw::InvalidArgument;
using Strings = std::vector<std::string>;

// The value of a formula without parameters or columns.
double Constant(const std::string& text) {
  const Formula formula = Formula::Parse(text, {});
  REQUIRE(formula.parameters().empty());
  REQUIRE(formula.columns().empty());
  return formula.Evaluate(nullptr, nullptr);
}

// The message Parse throws, or "" when it does not throw.
std::string ParseError(const std::string& text, const Strings& columns = {}) {
  try {
    Formula::Parse(text, columns);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

// Checks EvaluateWithGradient's value against Evaluate and its gradient against central differences.
void CheckGradient(const Formula& formula, const std::vector<double>& params, const std::vector<double>& row) {
  const std::size_t p = formula.parameters().size();
  REQUIRE(params.size() == p);
  std::vector<double> gradient(p, -12345.0);
  double value = 0;
  formula.EvaluateWithGradient(params.data(), row.data(), &value, gradient.data());
  CHECK(value == Approx(formula.Evaluate(params.data(), row.data())).epsilon(1e-14));
  for (std::size_t j = 0; j < p; ++j) {
    const double h = 1e-6 * std::max(1.0, std::abs(params[j]));
    std::vector<double> up = params, down = params;
    up[j] += h;
    down[j] -= h;
    const double numeric =
        (formula.Evaluate(up.data(), row.data()) - formula.Evaluate(down.data(), row.data())) / (2 * h);
    INFO(formula.ToString() << ": d/d" << formula.parameters()[j]);
    CHECK(gradient[j] == Approx(numeric).epsilon(1e-6).margin(1e-8));
  }
}

}  // namespace

TEST_CASE("formula: precedence and associativity") {
  CHECK(Constant("2^3^2") == 512);
  CHECK(Constant("(2^3)^2") == 64);
  CHECK(Constant("-2^2") == -4);
  CHECK(Constant("(-2)^2") == 4);
  CHECK(Constant("2^-1") == 0.5);
  CHECK(Constant("2^-1^2") == 0.5);  // 2^(-(1^2))
  CHECK(Constant("-2^-2") == -0.25);
  CHECK(Constant("1-2-3") == -4);
  CHECK(Constant("8/2/2") == 2);
  CHECK(Constant("1+2*3") == 7);
  CHECK(Constant("(1+2)*3") == 9);
  CHECK(Constant("2*3^2") == 18);
  CHECK(Constant("-3*-2") == 6);
  CHECK(Constant("--3") == 3);
  CHECK(Constant("1 - -1") == 2);
  CHECK(Constant("12/3*2") == 8);
  CHECK(Constant("2-3^2*2") == -16);
  CHECK(Constant(" \t1\n+\r2 ") == 3);
}

TEST_CASE("formula: numeric literals") {
  CHECK(Constant("1") == 1);
  CHECK(Constant("0.5") == 0.5);
  CHECK(Constant(".5") == 0.5);
  CHECK(Constant("2.") == 2);
  CHECK(Constant("1e-3") == 1e-3);
  CHECK(Constant("2.5E+10") == 2.5e10);
  CHECK(Constant("3e2") == 300);
  CHECK(Constant("0.1") == 0.1);  // correctly rounded
}

TEST_CASE("formula: every operator and function") {
  const Formula f = Formula::Parse("a + b", {});
  const double ab[] = {1.5, 4.0};
  CHECK(f.Evaluate(ab, nullptr) == 5.5);
  CHECK(Formula::Parse("a - b", {}).Evaluate(ab, nullptr) == -2.5);
  CHECK(Formula::Parse("a * b", {}).Evaluate(ab, nullptr) == 6.0);
  CHECK(Formula::Parse("a / b", {}).Evaluate(ab, nullptr) == 0.375);
  const double ba[] = {4.0, 1.5};  // parameters in order of appearance: b, a
  CHECK(Formula::Parse("b ^ a", {}).Evaluate(ba, nullptr) == 8.0);
  CHECK(Formula::Parse("-a", {}).Evaluate(ab, nullptr) == -1.5);
  CHECK(Formula::Parse("min(a, b)", {}).Evaluate(ab, nullptr) == 1.5);
  CHECK(Formula::Parse("min(b, a)", {}).Evaluate(ab, nullptr) == 1.5);
  CHECK(Formula::Parse("max(a, b)", {}).Evaluate(ab, nullptr) == 4.0);
  CHECK(Formula::Parse("max(b, a)", {}).Evaluate(ab, nullptr) == 4.0);
  CHECK(Formula::Parse("sqrt(b)", {}).Evaluate(ba, nullptr) == 2.0);
  CHECK(Constant("exp(0)") == 1.0);
  CHECK(Constant("exp(1)") == Approx(2.718281828459045).epsilon(1e-15));
  CHECK(Constant("log(1)") == 0.0);
  CHECK(Constant("log(exp(2.5))") == Approx(2.5).epsilon(1e-15));
  CHECK(Constant("log(100)") == Approx(4.605170185988092).epsilon(1e-15));
  CHECK(Constant("sqrt(2.25)") == 1.5);
  CHECK(Constant("min(3, -4)") == -4);
  CHECK(Constant("max(3, -4)") == 3);
  CHECK(Constant("min(1+1, 3) * max(2^2, 1)") == 8);
  CHECK(Constant("exp (log (7))") == Approx(7).epsilon(1e-15));
  CHECK(Constant("2^0.5") == Approx(std::sqrt(2.0)).epsilon(1e-15));
}

TEST_CASE("formula: names are columns when listed, parameters otherwise, in order of first appearance") {
  const Formula f = Formula::Parse("E + A/N^alpha + B/D^beta + A*0 + N*0", {"loss", "D", "N", "unused"});
  CHECK(f.parameters() == Strings{"E", "A", "alpha", "B", "beta"});
  CHECK(f.columns() == Strings{"N", "D"});  // order of appearance, not of column_names
  // Names are case-sensitive and may contain digits and underscores.
  const Formula g = Formula::Parse("n_1 * N_1 + x2", {"N_1"});
  CHECK(g.parameters() == Strings{"n_1", "x2"});
  CHECK(g.columns() == Strings{"N_1"});
  const double params[] = {2.0, 0.5};
  const double row[] = {10.0};
  CHECK(g.Evaluate(params, row) == 20.5);
  // A column may carry a function's name; followed by "(" the name is the function.
  const Formula h = Formula::Parse("max * 2 + max(max, 1)", {"max"});
  CHECK(h.parameters().empty());
  CHECK(h.columns() == Strings{"max"});
  const double max_row[] = {3.0};
  CHECK(h.Evaluate(nullptr, max_row) == 9.0);
  // Exactly kMaxParameters parameters is allowed.
  std::string sixteen = "p0";
  for (int i = 1; i < Formula::kMaxParameters; ++i) sixteen += " + p" + std::to_string(i);
  CHECK(Formula::Parse(sixteen, {}).parameters().size() == Formula::kMaxParameters);
}

TEST_CASE("formula: Chinchilla equals E + A/N^alpha + B/D^beta") {
  const Formula f = Formula::Parse("E + A/params^alpha + B/tokens^beta", {"params", "tokens", "loss"});
  REQUIRE(f.parameters() == Strings{"E", "A", "alpha", "B", "beta"});
  REQUIRE(f.columns() == Strings{"params", "tokens"});
  const double E = 1.8172, A = 482.01, alpha = 0.3478, B = 2085.43, beta = 0.3658;
  const double params[] = {E, A, alpha, B, beta};
  const double rows[][2] = {{7e7, 1.4e9}, {4e8, 8e9}, {7e9, 2e12}, {7e10, 1.4e12}, {1.2e8, 3e11}};
  for (const auto& row : rows) {
    const double expected = E + A / std::pow(row[0], alpha) + B / std::pow(row[1], beta);
    CHECK(f.Evaluate(params, row) == Approx(expected).epsilon(1e-14));
    double value = 0;
    double gradient[5];
    f.EvaluateWithGradient(params, row, &value, gradient);
    CHECK(value == Approx(expected).epsilon(1e-14));
    // Closed-form derivatives.
    CHECK(gradient[0] == Approx(1.0));
    CHECK(gradient[1] == Approx(std::pow(row[0], -alpha)).epsilon(1e-13));
    CHECK(gradient[2] == Approx(-A * std::pow(row[0], -alpha) * std::log(row[0])).epsilon(1e-13));
    CHECK(gradient[3] == Approx(std::pow(row[1], -beta)).epsilon(1e-13));
    CHECK(gradient[4] == Approx(-B * std::pow(row[1], -beta) * std::log(row[1])).epsilon(1e-13));
  }
}

TEST_CASE("formula: gradients against central finite differences") {
  CheckGradient(Formula::Parse("E + A/N^alpha + B/D^beta", {"N", "D"}), {1.7, 400, 0.34, 2000, 0.28}, {3e8, 6e9});
  const Formula all = Formula::Parse("exp(-a*x) + log(b + x) * sqrt(c) - min(a, b)^2 / max(c, x) + a^b - c/b", {"x"});
  CheckGradient(all, {0.7, 1.3, 2.2}, {0.4});
  CheckGradient(all, {1.9, 0.6, 0.3}, {1.1});  // min and max take the other branch
  CheckGradient(Formula::Parse("-p^2 + (-p)^3 + 2^p + p^x", {"x"}), {1.3}, {2.5});
  CheckGradient(Formula::Parse("log(E + exp(a - alpha*log(N)) + exp(b - beta*log(D)))", {"N", "D"}),
                {0.5, 6.0, 0.33, 7.0, 0.35}, {1e9, 2e10});
  // Parameters that do not reach the value have a zero derivative.
  const Formula unused = Formula::Parse("a + 0*b", {});
  const double params[] = {1.0, 2.0};
  double value = 0, gradient[2] = {-1, -1};
  unused.EvaluateWithGradient(params, nullptr, &value, gradient);
  CHECK(gradient[0] == 1.0);
  CHECK(gradient[1] == 0.0);
  // All kMaxParameters parameters at once.
  std::string text = "p0";
  std::vector<double> values = {0.5};
  for (int i = 1; i < Formula::kMaxParameters; ++i) {
    text += " + p" + std::to_string(i) + "^" + std::to_string(i % 3 + 1) + " * x";
    values.push_back(0.1 * i);
  }
  CheckGradient(Formula::Parse(text, {"x"}), values, {1.5});
}

TEST_CASE("formula: EvaluateBlock gives Evaluate's and EvaluateWithGradient's numbers, bit for bit") {
  // Values equal as doubles (or both NaN); 150 rows are more than the evaluator runs at once.
  auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
  const std::size_t n = 150;
  std::vector<double> x(n), y(n), log_x(n), log_y(n);
  for (std::size_t i = 0; i < n; ++i) {
    // Over six decades, with zeros, negatives and a NaN among them for the edge cases of powers and logs.
    x[i] = i % 37 == 5 ? 0.0 : i % 41 == 7 ? -2.0 : i == 77 ? std::nan("") : 1e3 * std::pow(1e6, i / 149.0);
    y[i] = 0.05 + std::fmod(0.37 * i, 3.0);
    log_x[i] = std::log(x[i]);
    log_y[i] = std::log(y[i]);
  }
  const double* columns[] = {x.data(), y.data()};
  const double* logs[] = {log_x.data(), log_y.data()};
  const double* some_logs[] = {nullptr, log_y.data()};
  std::vector<std::pair<std::string, std::vector<double>>> cases = {
      {"E + A/x^alpha + B/y^beta", {1.8, 400, 0.34, 1800, 0.28}},
      {"a + b * x^(-c0) * (1 + (x/d1)^(1/f1))^(-c1*f1)", {0.1, 50, 0.2, 1e5, 0.5, 0.3}},
      {"exp(-a*x) + log(b + y) * sqrt(c) - min(a*y, b)^2 / max(c, x) + a^b - c/b + y^a", {0.7, 1.3, 2.2}},
      {"-(p - y)^3 + (p*x)^y + 2^p", {1.5}},
  };
  // Every parameter, in a stack 40 deep: fewer rows fit in the evaluator's scratch at once.
  std::string deep = "p0";
  std::vector<double> deep_params = {0.5};
  for (int i = 1; i < Formula::kMaxParameters; ++i) {
    deep = "p" + std::to_string(i) + "^" + std::to_string(i % 3 + 1) + " * y + (" + deep + ")";
    deep_params.push_back(0.1 * i);
  }
  for (int i = 0; i < 40; ++i) deep = "x^p" + std::to_string(i % 16) + " + (" + deep + ")";
  cases.emplace_back(deep, deep_params);
  for (const auto& [text, params] : cases) {
    CAPTURE(text);
    const Formula f = Formula::Parse(text, {"x", "y"});
    const std::size_t p = f.parameters().size();
    REQUIRE(params.size() == p);
    std::vector<double> values(n), gradients(n * p), with_logs(n), with_logs_gradients(n * p), plain(n);
    f.EvaluateBlock(params.data(), columns, nullptr, n, values.data(), gradients.data());
    f.EvaluateBlock(params.data(), columns, f.columns().size() == 2 ? logs : some_logs, n, with_logs.data(),
                    with_logs_gradients.data());
    f.EvaluateBlock(params.data(), columns, nullptr, n, plain.data(), nullptr);
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(i);
      const double row[] = {x[i], y[i]};
      double value = 0;
      std::vector<double> gradient(p);
      f.EvaluateWithGradient(params.data(), row, &value, gradient.data());
      REQUIRE(same(plain[i], f.Evaluate(params.data(), row)));
      REQUIRE(same(values[i], value));
      REQUIRE(same(with_logs[i], value));
      for (std::size_t j = 0; j < p; ++j) {
        REQUIRE(same(gradients[i * p + j], gradient[j]));
        REQUIRE(same(with_logs_gradients[i * p + j], gradient[j]));
      }
    }
  }
}

TEST_CASE("formula: a column to a parameter's power is exp(p log x) where x > 0, std::pow's elsewhere") {
  // x^a with x data and a a parameter is exp(a log x) from log x: within a few ulps of std::pow where x is
  // finite and positive and a finite, with d/da = x^a log x. At every other base, and at an exponent that is not
  // finite, the value is std::pow's, bit for bit: 0^a, (-2)^a, (-0)^3 = -0, inf^a, NaN^a, 1^inf = 1.
  const Formula f = Formula::Parse("x^a", {"x"});
  auto same = [](double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
  };
  const double inf = std::numeric_limits<double>::infinity();
  for (double x : {1e7, 3.3e9, 1.4e12, 0.25, 1.0}) {
    for (double a : {-0.7, -0.3478, 0.0, 0.5, 2.0}) {
      CAPTURE(x, a);
      const double row[] = {x}, params[] = {a};
      double value = 0, gradient[1];
      f.EvaluateWithGradient(params, row, &value, gradient);
      CHECK(value == Approx(std::pow(x, a)).epsilon(1e-13));  // |a log x| up to 56 here
      CHECK(f.Evaluate(params, row) == value);
      CHECK(gradient[0] == Approx(std::pow(x, a) * std::log(x)).epsilon(1e-13).margin(1e-300));
    }
  }
  const std::vector<std::pair<double, double>> edges = {
      {0.0, 0.5}, {0.0, -1.0},         {-2.0, 3.0}, {-2.0, 0.5},         {-0.0, 3.0}, {inf, 0.5},
      {inf, 0.0}, {std::nan(""), 1.0}, {1.0, inf},  {1.0, std::nan("")}, {4.0, -inf}};
  for (const auto& [x, a] : edges) {
    CAPTURE(x, a);
    const double row[] = {x}, params[] = {a};
    double value = 0, gradient[1];
    f.EvaluateWithGradient(params, row, &value, gradient);
    CHECK(same(value, std::pow(x, a)));
    CHECK(same(f.Evaluate(params, row), std::pow(x, a)));
  }
  // A constant exponent keeps std::pow: x^2 is exact.
  const double row[] = {3e8}, params[] = {1.0};
  CHECK(Formula::Parse("a * x^2", {"x"}).Evaluate(params, row) == 9e16);
}

TEST_CASE("formula: a constant sub-expression with an infinite derivative leaves the gradient finite") {
  // sqrt(x - 1) at x = 1 and exp(-1/x) at x = 0 depend on no parameter: their infinite slopes (1/(2 sqrt 0), and
  // -1/0 = -inf) multiply no parameter's derivative, and d/da is 1 and 0.
  const double a[] = {2.0};
  double value = 0, gradient[1] = {-1};
  const double one[] = {1.0};
  Formula::Parse("a + sqrt(x - 1)", {"x"}).EvaluateWithGradient(a, one, &value, gradient);
  CHECK(value == 2.0);
  CHECK(gradient[0] == 1.0);
  const double zero[] = {0.0};
  Formula::Parse("a * exp(-1/x)", {"x"}).EvaluateWithGradient(a, zero, &value, gradient);
  CHECK(value == 0.0);
  CHECK(gradient[0] == 0.0);
}

TEST_CASE("formula: deep evaluation stacks") {
  // Right-nested sums keep every left operand pending: stacks of 20 and 60 use the larger evaluation buffers.
  for (int n : {20, 60}) {
    std::string text = "x";
    double expected = 0.25;
    for (int i = 1; i <= n; ++i) {
      text = "(a*" + std::to_string(i) + " + " + text + ")";
      expected += 0.5 * i;
    }
    // Rebuild so that the pending operands are on the left: a*1 + (a*2 + (... + x)).
    std::string right = "x";
    for (int i = n; i >= 1; --i) right = "a*" + std::to_string(i) + " + (" + right + ")";
    for (const std::string& t : {text, right}) {
      const Formula f = Formula::Parse(t, {"x"});
      const double params[] = {0.5};
      const double row[] = {0.25};
      CHECK(f.Evaluate(params, row) == Approx(expected).epsilon(1e-14));
      CheckGradient(f, {0.5}, {0.25});
    }
  }
}

TEST_CASE("formula: ToString is canonical and reparses to the same formula") {
  CHECK(Formula::Parse("E + A/N^alpha + B/D^beta", {"N", "D"}).ToString() ==
        "((E + (A / (N ^ alpha))) + (B / (D ^ beta)))");
  CHECK(Formula::Parse("-x^2", {}).ToString() == "(-(x ^ 2))");
  CHECK(Formula::Parse("2^3^2", {}).ToString() == "(2 ^ (3 ^ 2))");
  CHECK(Formula::Parse("1-2-3", {}).ToString() == "((1 - 2) - 3)");
  CHECK(Formula::Parse("min(a,b)+exp(log(sqrt(c)))", {}).ToString() == "(min(a, b) + exp(log(sqrt(c))))");
  CHECK(Formula::Parse("1e-3 * 2.5E+10 * .5 * 0.1", {}).ToString() == "(((0.001 * 2.5e+10) * 0.5) * 0.1)");

  const Strings columns = {"N", "D", "U"};
  const std::vector<std::string> texts = {
      "E + A/N^alpha + B/D^beta",
      "-2^2 + 2^3^2 - 8/2/2 + 1-2-3",
      "exp(-a*N) + log(b + D) * sqrt(c) - min(a, b)^2 / max(c, N) + a^-b",
      "E + A/N^alpha + B/(U + U*R*(1 - exp(-(D/U - 1)/R)))^beta",
      "0.1 + 1e-300 * a + 123456789.123 * b + 2.5E+10*c + 3.141592653589793*d",
      "--a - -(-b)",
  };
  const double rows[][3] = {{1e8, 2e9, 5e8}, {3e9, 6e10, 2e10}, {0.5, 1.5, 0.9}};
  for (const std::string& text : texts) {
    INFO(text);
    const Formula f = Formula::Parse(text, columns);
    const Formula g = Formula::Parse(f.ToString(), columns);
    CHECK(g.parameters() == f.parameters());
    CHECK(g.columns() == f.columns());
    CHECK(g.ToString() == f.ToString());
    std::vector<double> params;
    for (std::size_t j = 0; j < f.parameters().size(); ++j) params.push_back(0.3 + 0.17 * j);
    for (const auto& full_row : rows) {
      // Columns of the formula in its own order.
      std::vector<double> row;
      for (const std::string& c : f.columns()) row.push_back(full_row[c == "N" ? 0 : c == "D" ? 1 : 2]);
      const double a = f.Evaluate(params.data(), row.data());
      const double b = g.Evaluate(params.data(), row.data());
      CHECK((a == b || (std::isnan(a) && std::isnan(b))));
    }
  }
}

TEST_CASE("formula: a canonical text beyond the limits is an error on reparse, not a different formula") {
  // 40 leading minus signs nest 40 levels; the canonical "(-(-(...)))" nests 80.
  const Formula f = Formula::Parse(std::string(40, '-') + "x", {});
  CHECK(f.ToString().rfind("(-(-(", 0) == 0);
  CHECK(ParseError(f.ToString()).rfind("formula: nesting deeper than 64 levels", 0) == 0);
}

TEST_CASE("formula: non-finite values are returned, never thrown") {
  // log of a negative number is NaN: evaluation does not throw, the fit's objective rejects the value.
  const double minus_one[] = {-1.0};
  const Formula log_a = Formula::Parse("log(a)", {});
  CHECK(std::isnan(log_a.Evaluate(minus_one, nullptr)));
  double value = 0, gradient[1] = {0};
  CHECK_NOTHROW(log_a.EvaluateWithGradient(minus_one, nullptr, &value, gradient));
  CHECK(std::isnan(value));
  CHECK(std::isnan(Constant("sqrt(-1)")));
  CHECK(std::isnan(Constant("(-8)^(1/3)")));
  CHECK(Constant("log(0)") == -std::numeric_limits<double>::infinity());
  CHECK(Constant("1/0") == std::numeric_limits<double>::infinity());
  CHECK(Constant("exp(1000)") == std::numeric_limits<double>::infinity());
  // min and max propagate NaN rather than skip it.
  CHECK(std::isnan(Constant("min(log(-1), 1)")));
  CHECK(std::isnan(Constant("min(1, log(-1))")));
  CHECK(std::isnan(Constant("max(log(-1), 1)")));
  CHECK(std::isnan(Constant("max(1, log(-1))")));
  const Formula m = Formula::Parse("max(a, log(b))", {});
  const double nan_params[] = {2.0, -1.0};
  double gradient2[2] = {0, 0};
  m.EvaluateWithGradient(nan_params, nullptr, &value, gradient2);
  CHECK(std::isnan(value));
  CHECK(gradient2[0] == 0.0);  // the NaN branch was taken
}

TEST_CASE("formula: parse errors name the column") {
  CHECK(ParseError("E + A/N^alpha)", {"N"}) == "formula: unexpected ')' at column 14: E + A/N^alpha)");
  // Empty text.
  CHECK(ParseError("") == "formula: empty formula at column 1");
  CHECK(ParseError("   ") == "formula: empty formula at column 1");
  // Trailing operator.
  CHECK(ParseError("E + A/N^") == "formula: unexpected end of formula at column 9: E + A/N^");
  CHECK(ParseError("E +") == "formula: unexpected end of formula at column 4: E +");
  CHECK(ParseError("E + * A") == "formula: unexpected '*' at column 5: E + * A");
  CHECK(ParseError("+E") == "formula: unexpected '+' at column 1: +E");  // no unary plus
  // Unbalanced parentheses.
  CHECK(ParseError("(E + A") == "formula: '(' is never closed at column 1: (E + A");
  CHECK(ParseError("E * (A + (B)") == "formula: '(' is never closed at column 5: E * (A + (B)");
  CHECK(ParseError("E + A)") == "formula: unexpected ')' at column 6: E + A)");
  CHECK(ParseError("()") == "formula: unexpected ')' at column 2: ()");
  CHECK(ParseError("min(a, b") == "formula: '(' is never closed at column 4: min(a, b");
  // Unknown function, and a function name used as a value.
  CHECK(ParseError("E + foo(N)") == "formula: unknown function 'foo' at column 5: E + foo(N)");
  CHECK(ParseError("Exp(1)") == "formula: unknown function 'Exp' at column 1: Exp(1)");
  CHECK(ParseError("log N", {"N"}) == "formula: function 'log' must be followed by '(' at column 1: log N");
  // Wrong number of arguments.
  CHECK(ParseError("min(a)") == "formula: function 'min' takes 2 arguments, not 1 at column 1: min(a)");
  CHECK(ParseError("1 + exp(a, b)") == "formula: function 'exp' takes 1 argument, not 2 at column 5: 1 + exp(a, b)");
  CHECK(ParseError("log()") == "formula: function 'log' takes 1 argument, not 0 at column 1: log()");
  CHECK(ParseError("max(a, b, c)") == "formula: function 'max' takes 2 arguments, not 3 at column 1: max(a, b, c)");
  CHECK(ParseError("a, b") == "formula: unexpected ',' at column 2: a, b");
  // Bad numbers.
  CHECK(ParseError("1e") == "formula: bad number '1e' at column 1: 1e");
  CHECK(ParseError("E + 1e+") == "formula: bad number '1e+' at column 5: E + 1e+");
  CHECK(ParseError("2E") == "formula: bad number '2E' at column 1: 2E");
  CHECK(ParseError("1.5.2") == "formula: bad number '1.5.2' at column 1: 1.5.2");
  CHECK(ParseError("3x") == "formula: bad number '3x' at column 1: 3x");
  CHECK(ParseError("1e999") == "formula: number '1e999' is out of the range of a double at column 1: 1e999");
  CHECK(ParseError(".") == "formula: unexpected character '.' at column 1: .");
  // Two operands in a row.
  CHECK(ParseError("E A") == "formula: missing operator before 'A' at column 3: E A");
  CHECK(ParseError("2 3") == "formula: missing operator before '3' at column 3: 2 3");
  CHECK(ParseError("2 (B)") == "formula: missing operator before '(' at column 3: 2 (B)");
  CHECK(ParseError("A (B)") == "formula: unknown function 'A' at column 1: A (B)");  // a name then "(" is a call
  CHECK(ParseError("(A B)") == "formula: missing operator before 'B' at column 4: (A B)");
  CHECK(ParseError("min(a b)") == "formula: missing operator before 'b' at column 7: min(a b)");
  // Other characters.
  CHECK(ParseError("E # A") == "formula: unexpected character '#' at column 3: E # A");
  CHECK(ParseError("E\x01+ A") == "formula: unexpected control character 0x01 at column 2: E + A");
}

TEST_CASE("formula: limits are errors, never crashes") {
  // Too many parameters: the seventeenth distinct name.
  std::string text = "p0";
  for (int i = 1; i <= Formula::kMaxParameters; ++i) text += "+p" + std::to_string(i);
  CHECK(ParseError(text) == "formula: too many parameters: 'p16' would be parameter 17, the limit is 16 at column " +
                                std::to_string(text.size() - 2) + ": " + text);
  // Repeating a parameter does not count twice, and columns do not count.
  std::string repeated = text.substr(0, text.rfind('+')) + "+p15*p0+x";
  CHECK(ParseError(repeated, {"x"}).empty());

  // Nesting: 64 levels are allowed, 65 are not, however the levels are opened.
  const auto nested = [](int n) { return std::string(n, '(') + "x" + std::string(n, ')'); };
  CHECK(ParseError(nested(64)).empty());
  CHECK(Formula::Parse(nested(64), {"x"}).columns() == Strings{"x"});
  CHECK(ParseError(nested(65)).rfind("formula: nesting deeper than 64 levels at column 65: ", 0) == 0);
  CHECK(ParseError(nested(2000)).rfind("formula: nesting deeper than 64 levels at column 65: ", 0) == 0);
  CHECK(ParseError(std::string(2000, '(')).rfind("formula: nesting deeper than 64 levels at column 65", 0) == 0);
  CHECK(ParseError(std::string(64, '-') + "1").empty());
  CHECK(Constant(std::string(64, '-') + "1") == 1);
  CHECK(ParseError(std::string(65, '-') + "1").rfind("formula: nesting deeper than 64 levels at column 65: ", 0) == 0);
  std::string tower = "1";
  for (int i = 0; i < 64; ++i) tower += "^1";
  CHECK(Constant(tower) == 1);
  tower += "^1";
  CHECK(ParseError(tower).rfind("formula: nesting deeper than 64 levels at column 130: ", 0) == 0);
  std::string calls = "x";
  for (int i = 0; i < 65; ++i) calls = "exp(" + calls + ")";
  CHECK(ParseError(calls).rfind("formula: nesting deeper than 64 levels at column 260: ", 0) == 0);
  // Long flat formulas are fine: left-associative chains do not nest.
  std::string sum = "1";
  while (sum.size() + 2 <= Formula::kMaxLength) sum += "+1";
  CHECK(Constant(sum) == static_cast<double>((sum.size() + 1) / 2));

  // Length: 4096 characters are allowed, 4097 are not.
  const std::string longest = "x" + std::string(Formula::kMaxLength - 1, ' ');
  CHECK(ParseError(longest).empty());
  CHECK(ParseError(longest + " ") == "formula: 4097 characters, longer than the limit of 4096 at column 4097");
  CHECK(ParseError(std::string(100000, '(')) ==
        "formula: 100000 characters, longer than the limit of 4096 at column 4097");

  // Non-ASCII bytes, wherever they are; the message stays ASCII.
  CHECK(ParseError("E + A/N^\xCE\xB1") == "formula: non-ASCII byte 0xCE at column 9: E + A/N^??");
  CHECK(ParseError("E\xC2\xA0+ A").rfind("formula: non-ASCII byte 0xC2", 0) == 0);
}
