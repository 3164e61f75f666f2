// A file with a chosen name in a fresh directory of its own under the system's temporary folder, removed with
// the directory when the object goes. CTest runs each test case as its own process, several at once, so a
// fixed path under /tmp would be written by one test while another reads it.
#ifndef SCALELAW_TESTS_SUPPORT_SCRATCH_FILE_H_
#define SCALELAW_TESTS_SUPPORT_SCRATCH_FILE_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace scalelaw::testing {

class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& contents) {
    std::string pattern = (std::filesystem::temp_directory_path() / "scalelaw-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a directory from " + pattern);
    directory_ = pattern;
    path_ = (std::filesystem::path(directory_) / name).string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  const std::string& path() const { return path_; }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  std::string path_;
};

}  // namespace scalelaw::testing

#endif  // SCALELAW_TESTS_SUPPORT_SCRATCH_FILE_H_
