// Keeping Ceres (through glog) off the user's stderr while solves run.
#pragma once

#include <glog/logging.h>

#include <mutex>

namespace scalelaw::detail {

// Ceres logs through glog, whatever Solver::Options::logging_type says: its L-BFGS line search warns on stderr
// (e.g. polynomial.cc, "Trying to extract roots from a constant polynomial", when an interpolation degenerates),
// and a library must not write to its user's stderr. glog's only switch is the process-wide FLAGS_minloglevel, so
// while at least one Ceres solve runs it is FATAL (3) (Ceres also logs at ERROR, e.g. trust_region_minimizer.cc's
// "Terminating: Residual and Jacobian evaluation failed" when a start cannot be evaluated, which a fit reports as
// that start's message); the solve that leaves last restores the value
// the first one found, and the host application's own glog logging is as it set it before and after. Another
// thread's warnings are dropped while a solve runs, and a change to the flag made meanwhile is undone.
class ScopedQuietCeres {
 public:
  ScopedQuietCeres() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (active_++ == 0) {
      callers_level_ = FLAGS_minloglevel;
      if (FLAGS_minloglevel < google::GLOG_FATAL) FLAGS_minloglevel = google::GLOG_FATAL;
    }
  }
  ~ScopedQuietCeres() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (--active_ == 0) FLAGS_minloglevel = callers_level_;
  }
  ScopedQuietCeres(const ScopedQuietCeres&) = delete;
  ScopedQuietCeres& operator=(const ScopedQuietCeres&) = delete;

 private:
  inline static std::mutex mutex_;
  inline static int active_ = 0;  // Ceres solves running, on any thread
  inline static decltype(FLAGS_minloglevel) callers_level_ = 0;
};

}  // namespace scalelaw::detail
