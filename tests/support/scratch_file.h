// A file with a chosen name in a fresh directory of its own under the system's temporary folder, removed with
// the directory when the object goes. CTest runs each test case as its own process, several at once, so a
// fixed path under /tmp would be written by one test while another reads it. A name may hold directories
// ("run/checkpoint-60/trainer_state.json"), which are made; Add puts more files beside it (a TensorBoard run's
// event files).
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
    path_ = Add(name, contents);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  const std::string& path() const { return path_; }
  // The directory the file is in (the scratch directory, or the directories its name holds under it).
  std::string parent() const { return std::filesystem::path(path_).parent_path().string(); }

  // Writes another file under the scratch directory (its name may hold directories); returns its path.
  std::string Add(const std::string& name, const std::string& contents) const {
    const std::filesystem::path path = std::filesystem::path(directory_) / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << contents;
    return path.string();
  }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
  std::string path_;
};

}  // namespace scalelaw::testing

#endif  // SCALELAW_TESTS_SUPPORT_SCRATCH_FILE_H_
