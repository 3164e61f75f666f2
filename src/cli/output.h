// What every subcommand prints the same way: errors and warnings on stderr, numbers in tables.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/predict.h"

namespace scalelaw::cli {

// "scalelaw: error: <message>" on stderr, on one line.
void PrintError(const std::string& message);
// "scalelaw: warning: <message>" on stderr, one line each.
void PrintWarnings(const std::vector<std::string>& warnings);

// The exit code of an analysis that ran (fit, isoflop, fit-hparams): kExitOk when its status is kUsable; for any
// other status kExitUnusable, with "<what> is not usable: <message>" on stderr. (Invalid input never gets here:
// it is thrown, and main prints it and exits with kExitUsage.)
int ExitCodeFor(AnalysisStatus status, const std::string& message, const std::string& what);

// Reads a fit written by `scalelaw fit --output` into in (family "fit"), warning when it did not converge.
void UseFitFile(const std::string& path, PredictionInputs* in);

// A number for a table: 4 significant digits, exponent where it helps.
std::string Short(double value);

}  // namespace scalelaw::cli
