// glog's process-wide state as a test sees it, from a translation unit of its own (<glog/logging.h> defines
// CHECK, as Catch2 does), and what a piece of code writes to stderr.
#pragma once

#include <functional>
#include <string>

namespace scalelaw::testing {

int GlogMinLogLevel();                         // FLAGS_minloglevel
void SetGlogMinLogLevel(int level);            // FLAGS_minloglevel = level
void LogGlogWarning(const std::string& text);  // LOG(WARNING) << text

// Everything written to file descriptor 2 while `run` runs.
std::string CaptureStderr(const std::function<void()>& run);

}  // namespace scalelaw::testing
