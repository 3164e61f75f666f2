// Training runs to fit a law to: one entry per run, in the units the law expects.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace scalelaw {

struct Dataset {
  std::vector<double> params;         // N, parameters of each run (the definition the user chose; say which)
  std::vector<double> tokens;         // D, training tokens of each run
  std::vector<double> loss;           // final loss of each run, nats per token
  std::vector<double> weights;        // optional per-run weights; empty means every run weighs 1
  std::vector<double> unique_tokens;  // optional U, unique tokens of each run (data-constrained laws)
  // Other inputs by column name, for formula models (--formula); each as long as loss.
  std::map<std::string, std::vector<double>> columns;

  std::size_t size() const { return loss.size(); }

  // Throws InvalidArgument naming the first run (1-based) whose N, D or weight is not a positive finite number,
  // whose loss is not finite (it may be zero or negative: objectives on the loss itself take it; Fit refuses it
  // for log residuals), or when the columns have different lengths. N and D may be left empty for models that do
  // not read them (formulas over other columns).
  void Validate() const;
};

// The runs left after removing the count highest losses. Follows Besiroglu et al. 2024 exactly: a run is
// kept when its loss is strictly below the count-th largest loss, so ties at the threshold go too.
Dataset DropHighestLoss(const Dataset& data, int count);

}  // namespace scalelaw
