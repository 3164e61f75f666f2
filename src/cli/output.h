// What every subcommand prints the same way: errors and warnings on stderr, numbers in tables.
#pragma once

#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "scalelaw/analysis/summary.h"
#include "scalelaw/predict.h"

namespace scalelaw::cli {

// "scalelaw: error: <message>" on stderr, on one line.
void PrintError(const std::string& message);
// "scalelaw: warning: <message>" on stderr, one line each.
void PrintWarnings(const std::vector<std::string>& warnings);

// The law a command was told to use: the fit in choice.fit ("fit:PATH", warning when it did not converge), else
// the published family with choice.constants (NAME=VALUE) in place of its own. Family "all" is not a law: the
// caller asks the registry for every law instead.
Law ChosenLaw(const LawChoice& choice, Quantity quantity);

// NAME=REST items of a repeatable option; `expected` spells the form for the error, e.g. "NAME=VALUE".
std::vector<std::pair<std::string, std::string>> ParsePairs(const std::vector<std::string>& items, const char* option,
                                                            const char* expected);
// NAME=VALUE items of a repeatable option, each VALUE a finite number.
std::map<std::string, double> ParseAssignments(const std::vector<std::string>& items, const char* option);
// The number in text when it is all of a finite double.
std::optional<double> FiniteNumber(const std::string& text);

// An error's one line as the CLI words it: inputs named by their options (--params).
std::string CliMessage(const std::exception& error);

// The exit code of an analysis that ran (fit, isoflop, fit-hparams): kExitOk when its status is kUsable; for any
// other status kExitUnusable, with "<what> is not usable: <message>" on stderr. (Invalid input never gets here:
// it is thrown, and main prints it and exits with kExitUsage.)
int ExitCodeFor(AnalysisStatus status, const std::string& message, const std::string& what);

// The command line as typed, each argument quoted for a POSIX shell where it needs it: main sets it, --report
// records it as the page's provenance.
void SetCommandLine(int argc, const char* const* argv);
const std::string& CommandLine();

// A number for a table: 4 significant digits, exponent where it helps.
std::string Short(double value);

// "params 1.2e9 [95% 9.8e8, 1.5e9]  tokens ...": each value of a prediction with its 95% interval beside it.
std::string FormatValues(const Prediction& p);

}  // namespace scalelaw::cli
