// What `scalelaw fit` and `scalelaw validate` share: the fit's options, form and runs read from a FitCommand.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/model.h"
#include "scalelaw/io/csv.h"

namespace scalelaw::cli {

struct PreparedFit {
  FitOptions options;
  Model model;
  RunColumns columns;
  NumericTable table;  // the rows --where kept, with the columns the model reads (and extra_columns)

  // The runs of the table (of one group of --group-by when label is not empty).
  Dataset Runs(const FitCommand& command, const std::string& label = "") const;
  // "N from column 'params', D from column 'tokens', loss from column 'loss'", as the fit report names them.
  std::string DescribeColumns(const FitCommand& command) const;
};

// The fit options of command (InvalidArgument naming the option for a bad one), its form and its table, with
// extra_columns read as positive numbers beside the model's.
PreparedFit PrepareFit(const FitCommand& command, const std::vector<std::string>& extra_columns = {});

}  // namespace scalelaw::cli
