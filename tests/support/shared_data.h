// Where the published datasets are, and how a test that needs them skips when they are absent.
#pragma once

#include <fstream>
#include <string>

namespace scalelaw::testing {

inline std::string SharedPath(const std::string& relative) { return std::string(SCALELAW_SHARED_DIR) + "/" + relative; }

inline bool SharedFileExists(const std::string& relative) { return std::ifstream(SharedPath(relative)).good(); }

}  // namespace scalelaw::testing

// Ends the test case with a message CTest reads as "skipped" when the file is not there.
#define SCALELAW_REQUIRE_SHARED(relative)                                                            \
  do {                                                                                               \
    if (!scalelaw::testing::SharedFileExists(relative)) {                                            \
      WARN("SKIPPED: " << scalelaw::testing::SharedPath(relative)                                    \
                       << " is absent (published data are read from ../shared, never copied here)"); \
      return;                                                                                        \
    }                                                                                                \
  } while (false)
