// What every subcommand prints the same way: errors and warnings on stderr, one JSON object on stdout.
#pragma once

#include <string>
#include <vector>

namespace scalelaw::cli {

// "scalelaw: error: <message>" on stderr, on one line.
void PrintError(const std::string& message);
// "scalelaw: warning: <message>" on stderr, one line each.
void PrintWarnings(const std::vector<std::string>& warnings);

}  // namespace scalelaw::cli
