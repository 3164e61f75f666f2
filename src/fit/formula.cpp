// The formula language: a recursive-descent parser with one token of lookahead that emits a postfix program
// while it parses (no tree is built), and a stack machine that runs the program over blocks of rows, with
// forward-mode derivatives when gradients are wanted. The grammar and limits are described in formula.h.
#include "scalelaw/fit/formula.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <system_error>

#include "scalelaw/error.h"

namespace scalelaw {
namespace {

// The evaluation stack is a fixed array. Each nesting level adds at most three pending operands (the left
// side of a sum, of a product, and of a power or function call), so kMaxDepth = 64 needs under 200 slots;
// the parser still checks the bound so that evaluation can never overrun it.
constexpr int kMaxStack = 256;

// Node::index of a kPower: which operand, if either, does not depend on the parameters.
constexpr std::uint32_t kPowerGeneral = 0;
constexpr std::uint32_t kPowerFixedBase = 1;      // N^alpha with N data
constexpr std::uint32_t kPowerFixedExponent = 2;  // x^2

// Node::column of an instruction that is not a power of a bare column (N^alpha).
constexpr std::uint32_t kNoColumn = 0xffffffff;

enum class Tok { kNumber, kName, kPlus, kMinus, kStar, kSlash, kCaret, kOpen, kClose, kComma, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::size_t pos = 0;  // 0-based byte offset of the first character
  std::string_view text;
  double number = 0;
};

struct Function {
  const char* name;
  int arity;
};

constexpr Function kFunctions[] = {{"exp", 1}, {"log", 1}, {"sqrt", 1}, {"min", 2}, {"max", 2}};

const Function* FindFunction(std::string_view name) {
  for (const Function& f : kFunctions) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The formula as it goes into an error message: one line, printable ASCII.
std::string Echo(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      c = '?';
    } else if (u < 0x20 || u == 0x7f) {
      c = ' ';
    }
  }
  return out;
}

// The shortest decimal text that reads back as exactly v (v is finite and not negative: literals have no
// sign and the parser rejects those out of range).
std::string FormatNumber(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

}  // namespace

class Formula::Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string>& column_names, Formula& out)
      : text_(text), column_names_(column_names), out_(out) {}

  void Run() {
    if (text_.size() > kMaxLength) {
      throw InvalidArgument("formula: " + std::to_string(text_.size()) + " characters, longer than the limit of " +
                            std::to_string(kMaxLength) + " at column " + std::to_string(kMaxLength + 1));
    }
    for (std::size_t i = 0; i < text_.size(); ++i) {
      const auto u = static_cast<unsigned char>(text_[i]);
      if (u >= 0x80) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", u);
        Fail(i, std::string("non-ASCII byte ") + hex);
      }
    }
    Advance();
    if (token_.kind == Tok::kEnd) Fail(0, "empty formula");
    Expression(0);
    if (token_.kind != Tok::kEnd) UnexpectedAfterOperand();
  }

 private:
  // expression = term , { ( "+" | "-" ) , term } ;
  void Expression(int depth) {
    Term(depth);
    while (token_.kind == Tok::kPlus || token_.kind == Tok::kMinus) {
      const Op op = token_.kind == Tok::kPlus ? Op::kAdd : Op::kSubtract;
      Advance();
      Term(depth);
      Emit(op);
    }
  }

  // term = unary , { ( "*" | "/" ) , unary } ;
  void Term(int depth) {
    Unary(depth);
    while (token_.kind == Tok::kStar || token_.kind == Tok::kSlash) {
      const Op op = token_.kind == Tok::kStar ? Op::kMultiply : Op::kDivide;
      Advance();
      Unary(depth);
      Emit(op);
    }
  }

  // unary = "-" , unary | power ;
  void Unary(int depth) {
    if (token_.kind == Tok::kMinus) {
      Nest(depth, token_.pos);
      Advance();
      Unary(depth + 1);
      Emit(Op::kNegate);
      return;
    }
    Power(depth);
  }

  // power = primary , [ "^" , unary ] ;
  void Power(int depth) {
    Primary(depth);
    if (token_.kind == Tok::kCaret) {
      Nest(depth, token_.pos);
      Advance();
      Unary(depth + 1);
      Emit(Op::kPower);
    }
  }

  // primary = number | name | call | "(" , expression , ")" ;
  void Primary(int depth) {
    switch (token_.kind) {
      case Tok::kNumber:
        Emit(Op::kConstant, 0, token_.number);
        Advance();
        return;
      case Tok::kName: {
        const Token name = token_;
        Advance();
        if (token_.kind == Tok::kOpen) {
          Call(name, depth);
        } else {
          Name(name);
        }
        return;
      }
      case Tok::kOpen: {
        const std::size_t open = token_.pos;
        Nest(depth, open);
        Advance();
        Expression(depth + 1);
        ExpectClose(open);
        return;
      }
      default:
        Fail(token_.pos, "unexpected " + Describe(token_));
    }
  }

  // call = function , "(" , [ expression , { "," , expression } ] , ")" ; the current token is the "(".
  void Call(const Token& name, int depth) {
    const Function* function = FindFunction(name.text);
    if (function == nullptr) Fail(name.pos, "unknown function '" + std::string(name.text) + "'");
    const std::size_t open = token_.pos;
    Nest(depth, open);
    Advance();
    int arguments = 0;
    if (token_.kind != Tok::kClose) {
      Expression(depth + 1);
      ++arguments;
      while (token_.kind == Tok::kComma) {
        Advance();
        Expression(depth + 1);
        ++arguments;
      }
    }
    ExpectClose(open);
    if (arguments != function->arity) {
      Fail(name.pos, "function '" + std::string(name.text) + "' takes " + std::to_string(function->arity) +
                         (function->arity == 1 ? " argument" : " arguments") + ", not " + std::to_string(arguments));
    }
    const std::string_view n = name.text;
    Emit(n == "exp" ? Op::kExp : n == "log" ? Op::kLog : n == "sqrt" ? Op::kSqrt : n == "min" ? Op::kMin : Op::kMax);
  }

  // A name not followed by "(": a column when column_names has it, otherwise a parameter.
  void Name(const Token& name) {
    const auto column = std::find(column_names_.begin(), column_names_.end(), name.text);
    if (column != column_names_.end()) {
      Emit(Op::kColumn, IndexIn(out_.columns_, name.text));
      return;
    }
    if (FindFunction(name.text) != nullptr) {
      Fail(name.pos, "function '" + std::string(name.text) + "' must be followed by '('");
    }
    const auto known = std::find(out_.parameters_.begin(), out_.parameters_.end(), name.text);
    if (known == out_.parameters_.end() && out_.parameters_.size() == static_cast<std::size_t>(kMaxParameters)) {
      Fail(name.pos, "too many parameters: '" + std::string(name.text) + "' would be parameter " +
                         std::to_string(kMaxParameters + 1) + ", the limit is " + std::to_string(kMaxParameters));
    }
    Emit(Op::kParameter, IndexIn(out_.parameters_, name.text));
  }

  static std::uint32_t IndexIn(std::vector<std::string>& names, std::string_view name) {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<std::uint32_t>(it - names.begin());
    names.emplace_back(name);
    return static_cast<std::uint32_t>(names.size() - 1);
  }

  void ExpectClose(std::size_t open) {
    if (token_.kind == Tok::kClose) {
      Advance();
      return;
    }
    if (token_.kind == Tok::kEnd) Fail(open, "'(' is never closed");
    UnexpectedAfterOperand();
  }

  // After a complete operand only an operator, ")" , "," or the end can follow.
  [[noreturn]] void UnexpectedAfterOperand() {
    if (token_.kind == Tok::kNumber || token_.kind == Tok::kName || token_.kind == Tok::kOpen) {
      Fail(token_.pos, "missing operator before " + Describe(token_));
    }
    Fail(token_.pos, "unexpected " + Describe(token_));
  }

  // Entering one more level of nesting from depth, at the token starting at pos.
  void Nest(int depth, std::size_t pos) {
    if (depth + 1 > kMaxDepth) Fail(pos, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }

  // Appends one instruction, tracking the evaluation stack and, for each slot, the parameters its value depends
  // on: the evaluator computes only those derivatives, and a power whose base or exponent depends on none gets the
  // cheaper derivative. A power whose base is a column as it stands (N^alpha) records the column, whose
  // logarithm the caller may have computed once for all evaluations.
  void Emit(Op op, std::uint32_t index = 0, double value = 0) {
    std::uint32_t column = kNoColumn;
    switch (op) {
      case Op::kConstant:
      case Op::kColumn:
      case Op::kParameter:
        masks_.push_back(op == Op::kParameter ? std::uint32_t{1} << index : 0);
        bare_columns_.push_back(op == Op::kColumn ? index : kNoColumn);
        break;
      case Op::kAdd:
      case Op::kSubtract:
      case Op::kMultiply:
      case Op::kDivide:
      case Op::kPower:
      case Op::kMin:
      case Op::kMax: {
        const std::uint32_t right = masks_.back();
        masks_.pop_back();
        bare_columns_.pop_back();
        if (op == Op::kPower) {
          index = masks_.back() == 0 ? kPowerFixedBase : right == 0 ? kPowerFixedExponent : kPowerGeneral;
          column = bare_columns_.back();
        }
        masks_.back() |= right;
        bare_columns_.back() = kNoColumn;
        break;
      }
      default:  // the unary operators
        bare_columns_.back() = kNoColumn;
        break;
    }
    const int height = static_cast<int>(masks_.size());
    if (height > kMaxStack) Fail(token_.pos, "formula too complex to evaluate");
    out_.height_ = std::max(out_.height_, height);
    out_.program_.push_back(Node{op, index, column, value});
  }

  std::string Describe(const Token& token) const {
    if (token.kind == Tok::kEnd) return "end of formula";
    return "'" + std::string(token.text) + "'";
  }

  [[noreturn]] void Fail(std::size_t pos, const std::string& what) const {
    std::string message = "formula: " + what + " at column " + std::to_string(pos + 1);
    if (!std::all_of(text_.begin(), text_.end(), IsBlank)) message += ": " + Echo(text_);
    throw InvalidArgument(message);
  }

  // Reads the next token into token_.
  void Advance() {
    while (next_ < text_.size() && IsBlank(text_[next_])) ++next_;
    token_ = Token{};
    token_.pos = next_;
    if (next_ == text_.size()) {
      token_.kind = Tok::kEnd;
      return;
    }
    const std::size_t start = next_;
    const char c = text_[start];
    if (IsNameStart(c)) {
      while (next_ < text_.size() && IsNameChar(text_[next_])) ++next_;
      token_.kind = Tok::kName;
    } else if (IsDigit(c) || (c == '.' && start + 1 < text_.size() && IsDigit(text_[start + 1]))) {
      Number();
      return;
    } else {
      ++next_;
      switch (c) {
        case '+':
          token_.kind = Tok::kPlus;
          break;
        case '-':
          token_.kind = Tok::kMinus;
          break;
        case '*':
          token_.kind = Tok::kStar;
          break;
        case '/':
          token_.kind = Tok::kSlash;
          break;
        case '^':
          token_.kind = Tok::kCaret;
          break;
        case '(':
          token_.kind = Tok::kOpen;
          break;
        case ')':
          token_.kind = Tok::kClose;
          break;
        case ',':
          token_.kind = Tok::kComma;
          break;
        default:
          if (c >= 0x21 && c <= 0x7e) Fail(start, std::string("unexpected character '") + c + "'");
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(c));
          Fail(start, std::string("unexpected control character ") + hex);
      }
    }
    token_.text = text_.substr(start, next_ - start);
  }

  // number = ( digits , [ "." , [ digits ] ] | "." , digits ) , [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;
  // A number running straight into a letter, digit, "_" or "." ("1e", "2x", "1.5.2") is one bad number.
  void Number() {
    const std::size_t start = next_;
    std::size_t i = start;
    bool bad = false;
    while (i < text_.size() && IsDigit(text_[i])) ++i;
    if (i < text_.size() && text_[i] == '.') {
      ++i;
      while (i < text_.size() && IsDigit(text_[i])) ++i;
    }
    if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
      std::size_t j = i + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (j < text_.size() && IsDigit(text_[j])) {
        while (j < text_.size() && IsDigit(text_[j])) ++j;
      } else {
        bad = true;
      }
      i = j;
    }
    if (i < text_.size() && (IsNameChar(text_[i]) || text_[i] == '.')) bad = true;
    if (bad) {
      while (i < text_.size() && (IsNameChar(text_[i]) || text_[i] == '.')) ++i;
      Fail(start, "bad number '" + std::string(text_.substr(start, i - start)) + "'");
    }
    const std::string_view spelling = text_.substr(start, i - start);
    double value = 0;
    const auto result = std::from_chars(spelling.data(), spelling.data() + spelling.size(), value);
    if (result.ec != std::errc() || result.ptr != spelling.data() + spelling.size()) {
      Fail(start, "number '" + std::string(spelling) + "' is out of the range of a double");
    }
    next_ = i;
    token_.kind = Tok::kNumber;
    token_.text = spelling;
    token_.number = value;
  }

  std::string_view text_;
  const std::vector<std::string>& column_names_;
  Formula& out_;
  std::size_t next_ = 0;       // offset of the first character not yet read
  Token token_;                // the current token
  // The evaluation stack after the program so far: for each slot, bit j set when its value depends on parameter
  // j, and the column it holds when it is a column as it stands (kNoColumn otherwise).
  std::vector<std::uint32_t> masks_;
  std::vector<std::uint32_t> bare_columns_;
};

Formula Formula::Parse(std::string_view text, const std::vector<std::string>& column_names) {
  Formula formula;
  Parser(text, column_names, formula).Run();
  return formula;
}

std::string Formula::ToString() const {
  std::vector<std::string> stack;
  for (const Node& node : program_) {
    const char* infix = nullptr;
    const char* function = nullptr;
    switch (node.op) {
      case Op::kConstant:
        stack.push_back(FormatNumber(node.value));
        continue;
      case Op::kParameter:
        stack.push_back(parameters_[node.index]);
        continue;
      case Op::kColumn:
        stack.push_back(columns_[node.index]);
        continue;
      case Op::kNegate:
        stack.back() = "(-" + stack.back() + ")";
        continue;
      case Op::kAdd:
        infix = " + ";
        break;
      case Op::kSubtract:
        infix = " - ";
        break;
      case Op::kMultiply:
        infix = " * ";
        break;
      case Op::kDivide:
        infix = " / ";
        break;
      case Op::kPower:
        infix = " ^ ";
        break;
      case Op::kMin:
        function = "min";
        break;
      case Op::kMax:
        function = "max";
        break;
      case Op::kExp:
        stack.back() = "exp(" + stack.back() + ")";
        continue;
      case Op::kLog:
        stack.back() = "log(" + stack.back() + ")";
        continue;
      case Op::kSqrt:
        stack.back() = "sqrt(" + stack.back() + ")";
        continue;
    }
    std::string right = std::move(stack.back());
    stack.pop_back();
    std::string& left = stack.back();
    left =
        infix != nullptr ? "(" + left + infix + right + ")" : std::string(function) + "(" + left + ", " + right + ")";
  }
  return stack.back();
}

namespace {

// The evaluator runs the program over a chunk of rows at a time: each instruction over every row of the chunk
// before the next one, so that the switch on the instruction is paid once per chunk, not once per row, and the
// loops over rows are plain array arithmetic. Each stack slot holds the chunk's values and, when gradients are
// wanted, one array of derivatives per parameter. Which parameters each slot depends on follows from the program
// alone (a bit mask per slot, the union of its operands'), and only those derivatives are computed and read,
// the others being zero: forward-mode automatic differentiation with the derivative vectors kept to their
// static sparsity pattern (Griewank and Walther 2008, Evaluating Derivatives, 2nd ed., SIAM).
constexpr std::size_t kMaxChunk = 64;
// Scratch for the stack, in doubles: enough for the deepest stack with every derivative over one row; a formula
// with fewer slots or parameters runs as many rows at once as fit, up to kMaxChunk.
constexpr std::size_t kScratch = static_cast<std::size_t>(kMaxStack) * (Formula::kMaxParameters + 1);
static_assert(Formula::kMaxParameters <= 32, "a slot's mask has a bit per parameter");

// Row i of a block: column k at columns[k][i], its logarithm at log_columns[k][i] when the caller has it.
struct BlockRows {
  const double* const* columns;
  const double* const* log_columns;
  double operator()(std::uint32_t k, std::size_t i) const { return columns[k][i]; }
  // std::log of column k from row begin on, or nullptr when the caller has not computed it.
  const double* Logs(std::uint32_t k, std::size_t begin) const {
    return log_columns != nullptr && log_columns[k] != nullptr ? log_columns[k] + begin : nullptr;
  }
};

// A single row: column k at row[k].
struct SingleRow {
  const double* row;
  double operator()(std::uint32_t k, std::size_t) const { return row[k]; }
  const double* Logs(std::uint32_t, std::size_t) const { return nullptr; }
};

// x^g for a base x read from a data column and an exponent that depends on the parameters (N^alpha), given
// log_x = std::log(x): exp(g log x), which is x^g wherever x is finite and positive and g finite. A fit asks for
// the same columns' powers at every evaluation with new exponents, and log x is computed once per data set, so
// this costs one exp against std::pow's log and exp in extended precision (glibc 2.36 on the benchmark machine:
// 6 ns against 14 ns a call). It is not correctly rounded: g log x carries the rounding of log x and of the
// product, a relative error of up to about |g log x| units of 2^-53 in the result (x in [1e7, 1e13], g in
// [-0.7, 0.7]: 45% of values within 1 ulp of std::pow's, 97.5% within 10, at most 27). Every other case is
// std::pow's: a base of zero, below zero (an integer exponent gives a real value there, and (-0)^3 is -0),
// infinite or NaN, and an exponent that is not finite (1^inf is 1, where exp(inf * 0) would be NaN).
inline bool ExpOfLogApplies(double x, double g) {
  return x > 0 && x < std::numeric_limits<double>::infinity() && std::isfinite(g);
}
inline double ColumnPower(double x, double g, double log_x) {
  return ExpOfLogApplies(x, g) ? std::exp(g * log_x) : std::pow(x, g);
}

// How the derivative of f^g follows from those of f and g at one row: d(f^g) = cf df + cg dg (the chain rule);
// cf df alone, NaN wherever dg is not zero (a negative base with an integer exponent: any change of the exponent
// leaves the real numbers); df itself (0^1); or zero (0^g with g > 1).
enum class PowerCase : std::uint8_t { kChainRule, kBaseOnly, kIdentity, kZero };

// The value of f^g, std::pow's, and the coefficients of its derivative. The cases are those of Ceres'
// pow(Jet, Jet) (Ceres Solver 2.1, include/ceres/jet.h), except that with a constant operand the derivative
// needs fewer transcendental functions: g f^(g-1) alone for a constant exponent, f^g log f alone for a constant
// positive base. Ceres' value would not do: it returns +0 for (-0)^g where std::pow returns -0, and 1/(-0) is
// -inf, not +inf (a fuzzing finding, tests/unit/fuzz_regressions_test.cpp). A column to a parameter-dependent
// power does not come here where ExpOfLogApplies: it is exp(g log x), above.
inline PowerCase PowerAt(double f, double g, std::uint32_t kind, double* value, double* cf, double* cg) {
  *value = std::pow(f, g);
  *cf = 0;
  *cg = 0;
  if (kind == kPowerFixedExponent) {
    *cf = g * std::pow(f, g - 1);
    return PowerCase::kChainRule;
  }
  if (kind == kPowerFixedBase && f > 0) {
    *cg = *value * std::log(f);
    return PowerCase::kChainRule;
  }
  if (f == 0 && g >= 1) return g > 1 ? PowerCase::kZero : PowerCase::kIdentity;
  *cf = g * std::pow(f, g - 1);
  if (f < 0 && g == std::floor(g)) return PowerCase::kBaseOnly;
  *cg = *value * std::log(f);
  return PowerCase::kChainRule;
}

// min and max return a NaN operand rather than skip it, and the first operand at a tie: whether they take the
// second operand y over the first x.
inline bool MinTakesSecond(double x, double y) { return !std::isnan(x) && (std::isnan(y) || y < x); }
inline bool MaxTakesSecond(double x, double y) { return !std::isnan(x) && (std::isnan(y) || x < y); }

inline bool Has(std::uint32_t mask, int j) { return ((mask >> j) & 1u) != 0; }

inline void Fill(double* out, std::size_t m, double x) { std::fill(out, out + m, x); }

}  // namespace

// Runs the program over count rows. The parser guarantees the program is well formed and needs at most
// height_ <= kMaxStack slots. Values are computed by the same operations whether or not gradients are
// wanted, so Evaluate and EvaluateWithGradient agree bit for bit.
template <typename Rows>
void Formula::Run(const double* params, const Rows& rows, std::size_t count, double* values, double* gradients) const {
  const int p = gradients != nullptr ? static_cast<int>(parameters_.size()) : 0;
  const std::size_t arrays = static_cast<std::size_t>(height_) * static_cast<std::size_t>(1 + p);
  const std::size_t chunk = std::min(kMaxChunk, kScratch / arrays);
  const std::size_t stride = static_cast<std::size_t>(1 + p) * chunk;  // doubles per slot
  double scratch[kScratch];  // not initialised: every array is written before it is read
  // Per row of a chunk: a power's value, derivative coefficients and case, and whether min or max took the
  // second operand. (Initialised only because GCC 12 cannot see that they are written before they are read.)
  double power[kMaxChunk] = {}, cf[kMaxChunk] = {}, cg[kMaxChunk] = {};
  PowerCase cases[kMaxChunk] = {};
  bool second[kMaxChunk] = {};
  std::uint32_t masks[kMaxStack];  // parameters each slot depends on
  auto value = [&](int slot) { return scratch + static_cast<std::size_t>(slot) * stride; };
  auto derivative = [&](int slot, int j) {
    return scratch + static_cast<std::size_t>(slot) * stride + static_cast<std::size_t>(1 + j) * chunk;
  };

  for (std::size_t begin = 0; begin < count; begin += chunk) {
    const std::size_t m = std::min(chunk, count - begin);
    int top = -1;  // index of the top of the stack
    for (const Node& node : program_) {
      switch (node.op) {
        case Op::kConstant:
          Fill(value(++top), m, node.value);
          masks[top] = 0;
          break;
        case Op::kParameter:
          Fill(value(++top), m, params[node.index]);
          masks[top] = std::uint32_t{1} << node.index;
          if (p > 0) Fill(derivative(top, static_cast<int>(node.index)), m, 1.0);
          break;
        case Op::kColumn: {
          double* x = value(++top);
          for (std::size_t i = 0; i < m; ++i) x[i] = rows(node.index, begin + i);
          masks[top] = 0;
          break;
        }
        case Op::kNegate: {
          double* x = value(top);
          for (std::size_t i = 0; i < m; ++i) x[i] = -x[i];
          for (int j = 0; j < p; ++j) {
            if (!Has(masks[top], j)) continue;
            double* d = derivative(top, j);
            for (std::size_t i = 0; i < m; ++i) d[i] = -d[i];
          }
          break;
        }
        case Op::kAdd:
        case Op::kSubtract: {
          --top;
          double* f = value(top);
          const double* g = value(top + 1);
          const bool add = node.op == Op::kAdd;
          for (std::size_t i = 0; i < m; ++i) f[i] = add ? f[i] + g[i] : f[i] - g[i];
          for (int j = 0; j < p; ++j) {
            if (!Has(masks[top + 1], j)) continue;  // d(f +- g) = df
            double* df = derivative(top, j);
            const double* dg = derivative(top + 1, j);
            if (Has(masks[top], j)) {
              for (std::size_t i = 0; i < m; ++i) df[i] = add ? df[i] + dg[i] : df[i] - dg[i];
            } else {
              for (std::size_t i = 0; i < m; ++i) df[i] = add ? dg[i] : -dg[i];
            }
          }
          masks[top] |= masks[top + 1];
          break;
        }
        case Op::kMultiply: {
          --top;
          double* f = value(top);
          const double* g = value(top + 1);
          for (int j = 0; j < p; ++j) {  // d(f g) = f dg + df g
            const bool in_f = Has(masks[top], j), in_g = Has(masks[top + 1], j);
            double* df = derivative(top, j);
            const double* dg = derivative(top + 1, j);
            if (in_f && in_g) {
              for (std::size_t i = 0; i < m; ++i) df[i] = f[i] * dg[i] + df[i] * g[i];
            } else if (in_f) {
              for (std::size_t i = 0; i < m; ++i) df[i] = df[i] * g[i];
            } else if (in_g) {
              for (std::size_t i = 0; i < m; ++i) df[i] = f[i] * dg[i];
            }
          }
          for (std::size_t i = 0; i < m; ++i) f[i] = f[i] * g[i];
          masks[top] |= masks[top + 1];
          break;
        }
        case Op::kDivide: {
          // The correctly rounded quotient (Ceres multiplies by the reciprocal, which can differ in the last
          // bit), and d(f/g) = (df - (f/g) dg) / g.
          --top;
          double* f = value(top);
          const double* g = value(top + 1);
          for (std::size_t i = 0; i < m; ++i) f[i] = f[i] / g[i];
          for (int j = 0; j < p; ++j) {
            const bool in_f = Has(masks[top], j), in_g = Has(masks[top + 1], j);
            double* df = derivative(top, j);
            const double* dg = derivative(top + 1, j);
            if (in_f && in_g) {
              for (std::size_t i = 0; i < m; ++i) df[i] = (df[i] - f[i] * dg[i]) / g[i];
            } else if (in_f) {
              for (std::size_t i = 0; i < m; ++i) df[i] = df[i] / g[i];
            } else if (in_g) {
              for (std::size_t i = 0; i < m; ++i) df[i] = (0.0 - f[i] * dg[i]) / g[i];
            }
          }
          masks[top] |= masks[top + 1];
          break;
        }
        case Op::kPower: {
          --top;
          double* f = value(top);
          const double* g = value(top + 1);
          const std::uint32_t both = masks[top] | masks[top + 1];
          // A column raised to an exponent that moves with the parameters (N^alpha) is exp(alpha log N) from the
          // column's logarithm, the caller's when it has one, with or without gradients, so that values agree bit
          // for bit between the two. A column to a constant power (N^2) is computed once per evaluation and
          // keeps std::pow, exact for small integer exponents.
          const bool column_base = node.column != kNoColumn && masks[top + 1] != 0;
          const double* logs = column_base ? rows.Logs(node.column, begin) : nullptr;
          if (p == 0 || both == 0) {
            if (column_base) {
              for (std::size_t i = 0; i < m; ++i) {
                f[i] = ColumnPower(f[i], g[i], logs != nullptr ? logs[i] : std::log(f[i]));
              }
            } else {
              for (std::size_t i = 0; i < m; ++i) f[i] = std::pow(f[i], g[i]);
            }
            masks[top] = both;
            break;
          }
          bool chain_rule = true;  // at every row of the chunk
          for (std::size_t i = 0; i < m; ++i) {
            if (column_base && ExpOfLogApplies(f[i], g[i])) {
              // d x^g / dg = x^g log x; the base, data, has no derivative.
              const double log_x = logs != nullptr ? logs[i] : std::log(f[i]);
              power[i] = std::exp(g[i] * log_x);
              cf[i] = 0;
              cg[i] = power[i] * log_x;
              cases[i] = PowerCase::kChainRule;
              continue;
            }
            cases[i] = PowerAt(f[i], g[i], node.index, &power[i], &cf[i], &cg[i]);
            chain_rule = chain_rule && cases[i] == PowerCase::kChainRule;
          }
          for (int j = 0; j < p; ++j) {
            const bool in_f = Has(masks[top], j), in_g = Has(masks[top + 1], j);
            if (!in_f && !in_g) continue;
            double* df = derivative(top, j);
            const double* dg = derivative(top + 1, j);
            if (chain_rule && in_f && in_g) {
              for (std::size_t i = 0; i < m; ++i) df[i] = cf[i] * df[i] + cg[i] * dg[i];
            } else if (chain_rule && in_f) {
              for (std::size_t i = 0; i < m; ++i) df[i] = cf[i] * df[i];
            } else if (chain_rule) {
              for (std::size_t i = 0; i < m; ++i) df[i] = cg[i] * dg[i];
            } else {
              for (std::size_t i = 0; i < m; ++i) {
                const double base = in_f ? df[i] : 0.0, exponent = in_g ? dg[i] : 0.0;
                switch (cases[i]) {
                  case PowerCase::kChainRule:
                    df[i] = in_f && in_g ? cf[i] * base + cg[i] * exponent : in_f ? cf[i] * base : cg[i] * exponent;
                    break;
                  case PowerCase::kBaseOnly:
                    df[i] = exponent != 0 ? std::numeric_limits<double>::quiet_NaN() : in_f ? cf[i] * base : 0.0;
                    break;
                  case PowerCase::kIdentity:
                    df[i] = base;
                    break;
                  case PowerCase::kZero:
                    df[i] = 0.0;
                    break;
                }
              }
            }
          }
          std::copy(power, power + m, f);
          masks[top] = both;
          break;
        }
        case Op::kMin:
        case Op::kMax: {
          // The whole operand is taken, value and derivatives.
          --top;
          double* f = value(top);
          const double* g = value(top + 1);
          const bool min = node.op == Op::kMin;
          for (std::size_t i = 0; i < m; ++i) {
            second[i] = min ? MinTakesSecond(f[i], g[i]) : MaxTakesSecond(f[i], g[i]);
            if (second[i]) f[i] = g[i];
          }
          for (int j = 0; j < p; ++j) {
            const bool in_f = Has(masks[top], j), in_g = Has(masks[top + 1], j);
            if (!in_f && !in_g) continue;
            double* df = derivative(top, j);
            const double* dg = derivative(top + 1, j);
            for (std::size_t i = 0; i < m; ++i) {
              df[i] = second[i] ? (in_g ? dg[i] : 0.0) : (in_f ? df[i] : 0.0);
            }
          }
          masks[top] |= masks[top + 1];
          break;
        }
        case Op::kExp:
        case Op::kLog:
        case Op::kSqrt: {
          // d exp(f) = exp(f) df, d log(f) = df (1/f), d sqrt(f) = df (1/(2 sqrt(f))): the products by a
          // reciprocal that Ceres' Jets compute.
          double* f = value(top);
          if (p == 0 || masks[top] == 0) {
            for (std::size_t i = 0; i < m; ++i) {
              f[i] = node.op == Op::kExp ? std::exp(f[i]) : node.op == Op::kLog ? std::log(f[i]) : std::sqrt(f[i]);
            }
            break;
          }
          double* slope = cf;
          for (std::size_t i = 0; i < m; ++i) {
            if (node.op == Op::kExp) {
              f[i] = std::exp(f[i]);
              slope[i] = f[i];
            } else if (node.op == Op::kLog) {
              slope[i] = 1.0 / f[i];
              f[i] = std::log(f[i]);
            } else {
              f[i] = std::sqrt(f[i]);
              slope[i] = 1.0 / (2.0 * f[i]);
            }
          }
          for (int j = 0; j < p; ++j) {
            if (!Has(masks[top], j)) continue;
            double* d = derivative(top, j);
            for (std::size_t i = 0; i < m; ++i) d[i] = slope[i] * d[i];
          }
          break;
        }
      }
    }
    const double* result = value(0);
    std::copy(result, result + m, values + begin);
    if (p > 0) {
      for (int j = 0; j < p; ++j) {
        const double* d = Has(masks[0], j) ? derivative(0, j) : nullptr;
        for (std::size_t i = 0; i < m; ++i) gradients[(begin + i) * p + j] = d != nullptr ? d[i] : 0.0;
      }
    }
  }
}

double Formula::Evaluate(const double* params, const double* row) const {
  double value = 0;
  Run(params, SingleRow{row}, 1, &value, nullptr);
  return value;
}

void Formula::EvaluateWithGradient(const double* params, const double* row, double* value, double* gradient) const {
  Run(params, SingleRow{row}, 1, value, gradient);
}

void Formula::EvaluateBlock(const double* params, const double* const* columns, const double* const* log_columns,
                            std::size_t count, double* values, double* gradients) const {
  Run(params, BlockRows{columns, log_columns}, count, values, gradients);
}

}  // namespace scalelaw
