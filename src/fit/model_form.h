// The interface every fittable model form implements, and the registry that lists them. Adding a form is
// one source file under models/ and one line in model.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/fit/dataset.h"

namespace scalelaw::detail {

// The data in the form the objectives read: logarithms computed once. Unweighted data store no weights
// (24 bytes a run for N, D and L, not 32): read them through weight(i).
struct LogDesign {
  std::vector<double> log_params;
  std::vector<double> log_tokens;
  std::vector<double> log_loss;  // NaN where a loss is not positive
  // The losses themselves, kept only when some loss is zero or negative (objectives on the loss itself read
  // value(i); log residuals need every loss positive, which Fit checks).
  std::vector<double> loss;
  std::vector<double> weights;                         // empty when every run has weight 1
  std::vector<double> unique_tokens;                   // raw U per run; empty when the data have none
  std::map<std::string, std::vector<double>> columns;  // other named inputs (raw), for formula forms
  // std::log of each of columns (NaN or -inf where a value is not positive): a formula's power of a column,
  // N^alpha, has the derivative N^alpha log N with respect to alpha at every evaluation.
  std::map<std::string, std::vector<double>> log_columns;

  std::size_t size() const { return log_loss.size(); }
  double weight(std::size_t i) const { return weights.empty() ? 1.0 : weights[i]; }
  // Run i's loss L_i.
  double value(std::size_t i) const { return loss.empty() ? std::exp(log_loss[i]) : loss[i]; }
  bool all_positive() const { return loss.empty(); }
  double total_weight() const;
  static LogDesign From(const Dataset& data);
  // The runs with a positive count, each once with its weight multiplied by the count (a bootstrap resample
  // as weights: the objectives are sums over runs).
  LogDesign Subset(const std::vector<int>& counts) const;
};

class ModelForm {
 public:
  virtual ~ModelForm() = default;

  virtual std::string_view name() const = 0;
  virtual std::string_view formula() const = 0;
  // Where the form comes from and what it is for, with the paper it cites (for `scalelaw models`).
  virtual std::string_view description() const = 0;
  // One parameter: the optimiser moves `internal`; a person reads `natural`, which is exp(internal) when
  // log_scaled (positive coefficients such as A = e^a) and equal to it otherwise (exponents).
  struct Parameter {
    std::string internal;
    std::string natural;
    bool log_scaled = false;
  };
  // In the order of the internal parameter vector.
  virtual std::vector<Parameter> parameters() const = 0;
  // The natural names in the order a person reads them (for Chinchilla E, A, B, alpha, beta).
  virtual std::vector<std::string> natural_names() const;
  // True when the form reads the unique-tokens column; false when it reads no N and D (a formula may not).
  virtual bool needs_unique_tokens() const { return false; }
  virtual bool needs_params_and_tokens() const { return true; }
  // Named data columns the form reads besides N, D and U (a formula's data identifiers).
  virtual std::vector<std::string> data_columns() const { return {}; }
  // Bounds every fit of the form starts from (natural names); FitOptions::bounds override them.
  virtual std::map<std::string, std::pair<double, double>> DefaultBounds() const { return {}; }

  std::vector<std::string> internal_names() const;
  // Natural values in the order of parameters().
  std::vector<double> ToNatural(const double* internal) const;
  // Internal values from natural ones keyed by natural name; throws InvalidArgument for a missing name or a
  // non-positive value of a log-scaled parameter.
  std::vector<double> FromNatural(const std::map<std::string, double>& natural) const;
  // The index of the parameter with this natural name; throws InvalidArgument naming the known ones.
  std::size_t IndexOfNatural(const std::string& natural) const;

  // log L_hat for the runs begin, ..., begin + count - 1 of design into log_prediction[0, count); when
  // jacobian is not null, also d log L_hat_(begin+k) / d internal_j into jacobian[k * num_internal + j].
  // Must not allocate. Objectives call it on blocks of kEvaluationBlock runs, so that their scratch space is
  // O(block) and stays in cache however many runs there are.
  virtual void LogPredictBlock(const double* internal, const LogDesign& design, std::size_t begin, std::size_t count,
                               double* log_prediction, double* jacobian) const = 0;
  // The same for every run of design (log_prediction and jacobian hold design.size() rows).
  void LogPredict(const double* internal, const LogDesign& design, double* log_prediction, double* jacobian) const {
    LogPredictBlock(internal, design, 0, design.size(), log_prediction, jacobian);
  }
  // L_hat itself and d L_hat / d internal_j, for objectives on the loss itself and for predictions. The default
  // is exp of LogPredictBlock (the jacobian rows scaled by L_hat; it reads parameters() for their count when a
  // jacobian is asked for, so objectives call it only for forms that override it); a form whose L_hat may be zero
  // or negative (a formula, such as Tao et al.'s unigram-normalised loss) overrides it and says so in
  // may_predict_nonpositive().
  virtual void PredictBlock(const double* internal, const LogDesign& design, std::size_t begin, std::size_t count,
                            double* prediction, double* jacobian) const;
  void Predict(const double* internal, const LogDesign& design, double* prediction, double* jacobian) const {
    PredictBlock(internal, design, 0, design.size(), prediction, jacobian);
  }
  virtual bool may_predict_nonpositive() const { return false; }

  // The starting points of the multi-start search.
  virtual std::vector<std::vector<double>> DefaultStarts() const = 0;
  // The starting points for these runs: DefaultStarts, unless the form scales them to the data (a preset whose
  // constants take the units of its input and output, such as a sigmoid's midpoint and steepness).
  virtual std::vector<std::vector<double>> StartsFor(const LogDesign& design) const {
    (void)design;
    return DefaultStarts();
  }

  // Variable projection (Golub and Pereyra 1973) for forms that are linear in some parameters once the others
  // are fixed: scan the nonlinear parameters on a fine grid, solve the linear ones in closed form at each
  // point, and return up to `count` starts (internal parameters) at the best distinct local minima of the
  // scan, best first. Empty when the form has no such structure.
  virtual std::vector<std::vector<double>> ProjectedStarts(const LogDesign& design, int count) const {
    (void)design;
    (void)count;
    return {};
  }

  // Quantities a person derives from the parameters (for Chinchilla the allocation exponent "a" and, at a
  // budget of at_flops FLOPs when it is not NaN, "N_opt" and "D_opt").
  virtual std::map<std::string, double> Derived(const std::map<std::string, double>& natural, double at_flops) const {
    (void)natural;
    (void)at_flops;
    return {};
  }

  // Empty when design can identify the parameters; otherwise the reason it cannot, for the user.
  virtual std::string IdentifiabilityProblem(const LogDesign& design) const = 0;

  std::size_t num_internal() const { return parameters().size(); }
};

// Runs per block of an objective's evaluation: 512 rows of a 5-parameter Jacobian are 20 KiB, within L1.
inline constexpr std::size_t kEvaluationBlock = 512;

// Calls visit(begin, count) for consecutive blocks of at most kEvaluationBlock of the n runs, in order.
template <typename Visit>
void ForEachBlock(std::size_t n, Visit&& visit) {
  for (std::size_t begin = 0; begin < n; begin += kEvaluationBlock) {
    visit(begin, std::min(kEvaluationBlock, n - begin));
  }
}

// Whether values holds at least `wanted` distinct numbers, in O(n wanted) time and no allocation (identifiability
// checks need 2 or 3 distinct N or D; a std::set of a million runs would cost 50 bytes a run).
bool HasDistinct(const std::vector<double>& values, std::size_t wanted);

// How many distinct input points the runs have (rows differing in any input the form reads: N and D, U, its
// data columns), counted up to `enough`: the scan stops there.
std::size_t CountDistinctInputs(const ModelForm& form, const LogDesign& design, std::size_t enough);

// For forms in N and D: empty unless the runs' compute 6ND spans less than a factor 2, and then why that design
// cannot identify the law. Along one budget D = C/(6N), so the data trace one isoFLOP curve and say nothing of how
// the loss moves with compute, which is what the law is fitted to predict (issue 7 lists the design as not
// identifiable; on noiseless runs the five Chinchilla parameters can still be solved for, but only through
// B (C/6)^-beta N^beta at that one C).
// Runs whose compute spans less than a factor 2 are one such curve with the scatter of labs' tables (6ND at 0.93
// to 1.35 of the budget label in one public set): the scatter moves the loss by about beta·B·D^-beta·Δlog C,
// which on such a curve is a few times the noise at best, and the fit's Laplace errors then promise a precision
// its bootstrap does not have (E, A and B spanning four to ten decades on synthetic curves of 0.3% noise).
std::string SingleBudgetProblem(const LogDesign& design);

// Every combination of one value per axis, in axis order (the first axis varies slowest): the starting grid of
// a form from each parameter's values. Throws InvalidArgument beyond a million points.
std::vector<std::vector<double>> CartesianProduct(const std::vector<std::vector<double>>& axes);

// A form from a formula over data columns (src/fit/models/formula_model.cpp).
std::shared_ptr<const ModelForm> MakeFormulaForm(std::string_view formula, const std::vector<std::string>& columns);

// A named form written as a formula: its data identifiers, the starting grid of each parameter and the
// parameters that must stay positive (fitted on a log scale). Adding one is an entry in FormulaPresets().
// The ranges of a one-input preset's data, from which its starting grid is scaled.
struct DataSpan {
  double x_min = 0, x_max = 0, x_median = 0;  // the input column's (the preset's first)
  double y_min = 0, y_max = 0, y_median = 0;  // the loss (or score) column's
  // The median of every input column the preset reads, by name (x's too).
  std::map<std::string, double> median;
};

struct FormulaPreset {
  std::string name;
  std::string formula;
  std::string citation;
  std::vector<std::string> columns;
  std::map<std::string, std::vector<double>> grid;
  std::vector<std::string> positive;
  // Starting values scaled to the runs, replacing the grid's for the parameters it names (empty: the grid).
  std::function<std::map<std::string, std::vector<double>>(const DataSpan&)> data_grid = {};
};
const std::vector<FormulaPreset>& FormulaPresets();
std::shared_ptr<const ModelForm> MakeFormulaForm(const FormulaPreset& preset);

// Every registered form, in the order `scalelaw` lists them.
const std::vector<const ModelForm*>& ModelRegistry();

}  // namespace scalelaw::detail
