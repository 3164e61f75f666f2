#include "scalelaw/fit/dataset.h"

#include <algorithm>
#include <cmath>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {
namespace {

void CheckColumn(const std::vector<double>& column, const char* what) {
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (!(std::isfinite(column[i]) && column[i] > 0)) {
      throw InvalidArgument("run " + std::to_string(i + 1) + ": " + what + " must be a positive finite number (got " +
                            FormatNumber(column[i]) + ")");
    }
  }
}

}  // namespace

void Dataset::Validate() const {
  const std::size_t n = loss.size();
  auto fits = [n](const std::vector<double>& column) { return column.empty() || column.size() == n; };
  if (!fits(params) || !fits(tokens) || !fits(weights) || !fits(unique_tokens)) {
    throw InvalidArgument("dataset columns differ in length (N " + std::to_string(params.size()) + ", D " +
                          std::to_string(tokens.size()) + ", loss " + std::to_string(n) + ", weights " +
                          std::to_string(weights.size()) + ")");
  }
  if (n == 0) throw InvalidArgument("dataset has no runs");
  CheckColumn(params, "N (parameters)");
  CheckColumn(tokens, "D (tokens)");
  // A loss may have any sign (Tao et al.'s unigram-normalised loss is negative): Fit refuses a non-positive one
  // only for objectives on log residuals, which need its logarithm.
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(loss[i])) {
      throw InvalidArgument("run " + std::to_string(i + 1) + ": loss must be a finite number (got " +
                            FormatNumber(loss[i]) + ")");
    }
  }
  CheckColumn(weights, "weight");
  CheckColumn(unique_tokens, "U (unique tokens)");
  if (!params.empty() && !tokens.empty()) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(6 * params[i] * tokens[i])) {
        throw InvalidArgument("run " + std::to_string(i + 1) + ": the compute 6·N·D overflows a double (N " +
                              FormatNumber(params[i]) + ", D " + FormatNumber(tokens[i]) + ")");
      }
    }
  }
  for (const auto& [name, column] : columns) {
    if (column.size() != n) throw InvalidArgument("column '" + name + "' differs in length from loss");
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(column[i])) {
        throw InvalidArgument("run " + std::to_string(i + 1) + ": column '" + name + "' is not finite");
      }
    }
  }
}

Dataset DropHighestLoss(const Dataset& data, int count) {
  if (count < 0) throw InvalidArgument("the number of highest losses to drop must be >= 0");
  if (count == 0) return data;
  if (static_cast<std::size_t>(count) >= data.size()) {
    throw InvalidArgument("cannot drop " + std::to_string(count) + " highest losses from " +
                          std::to_string(data.size()) + " runs");
  }
  std::vector<double> sorted = data.loss;
  std::nth_element(sorted.begin(), sorted.end() - count, sorted.end());
  const double threshold = *(sorted.end() - count);
  Dataset kept;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!(data.loss[i] < threshold)) continue;
    if (!data.params.empty()) kept.params.push_back(data.params[i]);
    if (!data.tokens.empty()) kept.tokens.push_back(data.tokens[i]);
    for (const auto& [name, column] : data.columns) kept.columns[name].push_back(column[i]);
    kept.loss.push_back(data.loss[i]);
    if (!data.weights.empty()) kept.weights.push_back(data.weights[i]);
    if (!data.unique_tokens.empty()) kept.unique_tokens.push_back(data.unique_tokens[i]);
  }
  return kept;
}

}  // namespace scalelaw
