// What every subcommand prints the same way: errors and warnings on stderr, numbers in tables.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/predict.h"

namespace scalelaw::cli {

// "scalelaw: error: <message>" on stderr, on one line.
void PrintError(const std::string& message);
// "scalelaw: warning: <message>" on stderr, one line each.
void PrintWarnings(const std::vector<std::string>& warnings);

// Reads a fit written by `scalelaw fit --output` into in (family "fit"), warning when it did not converge.
void UseFitFile(const std::string& path, PredictionInputs* in);

// A number for a table: 4 significant digits, exponent where it helps.
std::string Short(double value);

}  // namespace scalelaw::cli
