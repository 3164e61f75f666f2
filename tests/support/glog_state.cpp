#include "support/glog_state.h"

#include <glog/logging.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace scalelaw::testing {
namespace {

// Points file descriptor 2 at `file` for its lifetime.
class StderrRedirect {
 public:
  explicit StderrRedirect(std::FILE* file) : saved_(dup(STDERR_FILENO)) {
    std::fflush(stderr);
    dup2(fileno(file), STDERR_FILENO);
  }
  ~StderrRedirect() {
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }
  StderrRedirect(const StderrRedirect&) = delete;
  StderrRedirect& operator=(const StderrRedirect&) = delete;

 private:
  int saved_;
};

}  // namespace

int GlogMinLogLevel() { return FLAGS_minloglevel; }

void SetGlogMinLogLevel(int level) { FLAGS_minloglevel = level; }

void LogGlogWarning(const std::string& text) { LOG(WARNING) << text; }

std::string CaptureStderr(const std::function<void()>& run) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), &std::fclose);
  if (file == nullptr) throw std::runtime_error("CaptureStderr: no temporary file");
  {
    StderrRedirect redirect(file.get());
    run();
  }
  std::string text;
  std::rewind(file.get());
  for (int c = std::fgetc(file.get()); c != EOF; c = std::fgetc(file.get())) text.push_back(static_cast<char>(c));
  return text;
}

}  // namespace scalelaw::testing
