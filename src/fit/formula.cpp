// The formula language: a recursive-descent parser with one token of lookahead that emits a postfix program
// while it parses (no tree is built), and a stack machine that runs the program on doubles for values and on
// ceres::Jet for gradients. The grammar and limits are described in formula.h.
#include "scalelaw/fit/formula.h"

#include <ceres/jet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <new>
#include <string>
#include <system_error>
#include <type_traits>

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

using Jet = ceres::Jet<double, Formula::kMaxParameters>;

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

  // Appends one instruction, tracking the evaluation stack and, for each slot, whether its value depends on
  // the parameters: a power whose base or exponent does not gets the cheaper derivative.
  void Emit(Op op, std::uint32_t index = 0, double value = 0) {
    switch (op) {
      case Op::kConstant:
      case Op::kParameter:
      case Op::kColumn:
        varying_.push_back(op == Op::kParameter);
        break;
      case Op::kAdd:
      case Op::kSubtract:
      case Op::kMultiply:
      case Op::kDivide:
      case Op::kPower:
      case Op::kMin:
      case Op::kMax: {
        const bool right = varying_.back();
        varying_.pop_back();
        if (op == Op::kPower) {
          index = !varying_.back() ? kPowerFixedBase : !right ? kPowerFixedExponent : kPowerGeneral;
        }
        varying_.back() = varying_.back() || right;
        break;
      }
      default:
        break;
    }
    const int height = static_cast<int>(varying_.size());
    if (height > kMaxStack) Fail(token_.pos, "formula too complex to evaluate");
    out_.program_.push_back(Node{op, index, value});
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
  std::vector<bool> varying_;  // the evaluation stack after the program so far: depends on the parameters?
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

// min and max that return a NaN operand rather than skip it, and the first operand at a tie.
template <typename T>
T Min(const T& x, const T& y) {
  using std::isnan;
  if (isnan(x)) return x;
  if (isnan(y)) return y;
  return y < x ? y : x;
}

template <typename T>
T Max(const T& x, const T& y) {
  using std::isnan;
  if (isnan(x)) return x;
  if (isnan(y)) return y;
  return x < y ? y : x;
}

// Division whose value is the correctly rounded quotient, as in Evaluate (Ceres multiplies by the
// reciprocal, which can differ in the last bit).
inline double Divide(double x, double y) { return x / y; }

inline Jet Divide(const Jet& f, const Jet& g) {
  const double value = f.a / g.a;
  return Jet(value, (f.v - value * g.v) / g.a);
}

inline double Power(double x, double y, std::uint32_t) { return std::pow(x, y); }

// Ceres' pow(Jet, Jet) computes three transcendental functions; with one operand known constant, the
// derivative needs fewer. The value is std::pow's in every case, as in Evaluate; the derivatives at the edge
// cases (a base of zero or below) keep Ceres' treatment. Ceres' pow(Jet, Jet) alone would not do for the value:
// it returns +0 for (-0)^g where std::pow returns -0, and 1/(-0) is -inf, not +inf (a fuzzing finding,
// tests/unit/fuzz_regressions_test.cpp).
inline Jet Power(const Jet& f, const Jet& g, std::uint32_t kind) {
  if (kind == kPowerFixedBase && f.a > 0) {
    const double value = std::pow(f.a, g.a);
    return Jet(value, (value * std::log(f.a)) * g.v);
  }
  Jet result = kind == kPowerFixedExponent ? ceres::pow(f, g.a) : ceres::pow(f, g);
  result.a = std::pow(f.a, g.a);
  return result;
}

// Leaves are constructed in place in the uninitialised stack: a Jet's default constructor zeroes its 16
// derivatives, which for the whole stack would cost more than the formula itself.
template <typename T>
struct Leaf;

template <>
struct Leaf<double> {
  static void Constant(double* slot, double x) { *slot = x; }
  static void Variable(double* slot, double x, std::uint32_t) { *slot = x; }
};

template <>
struct Leaf<Jet> {
  static void Constant(Jet* slot, double x) {
    Jet* jet = new (slot) Jet;
    jet->a = x;
  }
  static void Variable(Jet* slot, double x, std::uint32_t j) {
    Constant(slot, x);
    slot->v[j] = 1.0;
  }
};

// Storage for kMaxStack values that constructs none of them.
template <typename T>
union Slots {
  Slots() {}
  T items[kMaxStack];
};
static_assert(std::is_trivially_destructible_v<Jet>, "Slots never destroys its items");

}  // namespace

// Runs the program with values of type T (double for Evaluate, Jet for EvaluateWithGradient). The parser
// guarantees the program is well formed and needs at most kMaxStack slots.
template <typename T>
T Formula::Run(const double* params, const double* row) const {
  using std::exp;
  using std::log;
  using std::sqrt;
  Slots<T> slots;
  T* const stack = slots.items;
  int top = -1;  // index of the top of the stack
  for (const Node& node : program_) {
    switch (node.op) {
      case Op::kConstant:
        Leaf<T>::Constant(&stack[++top], node.value);
        break;
      case Op::kParameter:
        Leaf<T>::Variable(&stack[++top], params[node.index], node.index);
        break;
      case Op::kColumn:
        Leaf<T>::Constant(&stack[++top], row[node.index]);
        break;
      case Op::kNegate:
        stack[top] = -stack[top];
        break;
      case Op::kAdd:
        --top;
        stack[top] = stack[top] + stack[top + 1];
        break;
      case Op::kSubtract:
        --top;
        stack[top] = stack[top] - stack[top + 1];
        break;
      case Op::kMultiply:
        --top;
        stack[top] = stack[top] * stack[top + 1];
        break;
      case Op::kDivide:
        --top;
        stack[top] = Divide(stack[top], stack[top + 1]);
        break;
      case Op::kPower:
        --top;
        stack[top] = Power(stack[top], stack[top + 1], node.index);
        break;
      case Op::kMin:
        --top;
        stack[top] = Min(stack[top], stack[top + 1]);
        break;
      case Op::kMax:
        --top;
        stack[top] = Max(stack[top], stack[top + 1]);
        break;
      case Op::kExp:
        stack[top] = exp(stack[top]);
        break;
      case Op::kLog:
        stack[top] = log(stack[top]);
        break;
      case Op::kSqrt:
        stack[top] = sqrt(stack[top]);
        break;
    }
  }
  return stack[0];
}

double Formula::Evaluate(const double* params, const double* row) const { return Run<double>(params, row); }

void Formula::EvaluateWithGradient(const double* params, const double* row, double* value, double* gradient) const {
  const Jet result = Run<Jet>(params, row);
  *value = result.a;
  const int n = static_cast<int>(parameters_.size());
  for (int j = 0; j < n; ++j) gradient[j] = result.v[j];
}

}  // namespace scalelaw
