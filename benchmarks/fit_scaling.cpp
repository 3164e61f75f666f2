// Single-start fit time and peak memory against the number of runs (issue 5, "Scaling").
//
// Generates n synthetic runs of a known Chinchilla law (the Epoch refit, Besiroglu et al. 2024) with 1%
// multiplicative log-normal noise from a fixed seed, fits them with scalelaw::Fit from ONE starting point
// (Hoffmann et al.'s parameters, the start of the replication's bootstrap refits), and prints one JSON line:
// the fit's own wall time, the process's peak resident memory before and after, and the input size.
//
// One size per process, so that a peak from a larger size cannot carry over into a smaller one:
//   fit_scaling --points 1000000 [--seed 1] [--noise 0.01] [--threads 0] [--repeats 1]
// benchmarks/run.py calls it once per size and fits the log-log exponent of time against n.
//
// Input bytes are the three columns the caller hands to Fit (N, D and loss as doubles): 24 n bytes.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/model.h"

namespace {

// The law the data come from: the Epoch refit of Chinchilla (Besiroglu et al. 2024, Table 1).
constexpr double kE = 1.82, kA = 482.01, kB = 2085.43, kAlpha = 0.3478, kBeta = 0.3658;

// Hoffmann et al. 2022's parameters in the internal (a, b, e, alpha, beta) coordinates, A = e^a, B = e^b, E = e^e,
// as peer_fit_chinchilla.py starts its bootstrap refits.
const std::vector<double> kStart = {6.0073404, 6.0179186, 0.5267228, 0.33917084, 0.2849083};

// Peak and current resident set size of this process in KiB (/proc/self/status VmHWM and VmRSS).
struct Memory {
  long peak_kib = -1;
  long current_kib = -1;
};

Memory ReadMemory() {
  Memory memory;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) memory.peak_kib = std::strtol(line.c_str() + 6, nullptr, 10);
    if (line.rfind("VmRSS:", 0) == 0) memory.current_kib = std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return memory;
}

long MaxRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

// Uniform in [0, 1) from the top 53 bits, and a Box-Muller normal: the same stream with any standard library
// (std::normal_distribution is implementation-defined).
double Uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double Normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - Uniform(rng), u2 = Uniform(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// n runs with N log-uniform in [5e7, 1.6e10] and D log-uniform in [8e8, 3.2e11] (the span of the Chinchilla
// runs), loss = L(N, D) · exp(noise · z), z standard normal.
scalelaw::Dataset Generate(std::size_t n, std::uint64_t seed, double noise) {
  std::mt19937_64 rng(seed);
  scalelaw::Dataset data;
  data.params.reserve(n);
  data.tokens.reserve(n);
  data.loss.reserve(n);
  const double log_n_lo = std::log(5e7), log_n_hi = std::log(1.6e10);
  const double log_d_lo = std::log(8e8), log_d_hi = std::log(3.2e11);
  for (std::size_t i = 0; i < n; ++i) {
    const double params = std::exp(log_n_lo + (log_n_hi - log_n_lo) * Uniform(rng));
    const double tokens = std::exp(log_d_lo + (log_d_hi - log_d_lo) * Uniform(rng));
    const double loss = kE + kA / std::pow(params, kAlpha) + kB / std::pow(tokens, kBeta);
    data.params.push_back(params);
    data.tokens.push_back(tokens);
    data.loss.push_back(loss * std::exp(noise * Normal(rng)));
  }
  return data;
}

[[noreturn]] void Usage(const char* problem) {
  std::fprintf(stderr,
               "fit_scaling: %s\nusage: fit_scaling --points N [--seed S] [--noise SIGMA] [--threads T] "
               "[--repeats K]\n",
               problem);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  long long points = 0;
  std::uint64_t seed = 1;
  double noise = 0.01;
  int threads = 0;
  int repeats = 1;
  for (int k = 1; k < argc; ++k) {
    const std::string flag = argv[k];
    if (k + 1 >= argc) Usage(("missing value after " + flag).c_str());
    const char* value = argv[++k];
    if (flag == "--points") {
      points = std::atoll(value);
    } else if (flag == "--seed") {
      seed = std::strtoull(value, nullptr, 10);
    } else if (flag == "--noise") {
      noise = std::atof(value);
    } else if (flag == "--threads") {
      threads = std::atoi(value);
    } else if (flag == "--repeats") {
      repeats = std::atoi(value);
    } else {
      Usage(("unknown option " + flag).c_str());
    }
  }
  if (points < 5) Usage("--points must be at least 5");
  if (repeats < 1) Usage("--repeats must be at least 1");

  const Memory at_start = ReadMemory();
  const auto generate_start = std::chrono::steady_clock::now();
  const scalelaw::Dataset data = Generate(static_cast<std::size_t>(points), seed, noise);
  const double generate_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - generate_start).count();
  const Memory with_data = ReadMemory();

  scalelaw::FitOptions options;
  options.starts = {kStart};
  options.num_threads = threads;
  const scalelaw::Model model = scalelaw::Model::FromName("chinchilla");

  scalelaw::FitSummary fit;
  std::vector<double> fit_seconds, call_seconds;
  bool converged = false;
  try {
    for (int r = 0; r < repeats; ++r) {
      const auto call_start = std::chrono::steady_clock::now();
      converged = scalelaw::Fit(data, model, options, &fit);
      call_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - call_start).count());
      fit_seconds.push_back(fit.wall_seconds);
    }
  } catch (const scalelaw::Error& error) {
    std::fprintf(stderr, "fit_scaling: %s\n", error.what());
    return 1;
  }
  const Memory at_end = ReadMemory();

  auto list = [](const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t k = 0; k < values.size(); ++k) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%s%.6g", k == 0 ? "" : ", ", values[k]);
      out += buffer;
    }
    return out + "]";
  };
  auto param = [&](const char* name) {
    const auto it = fit.params.find(name);
    return it == fit.params.end() ? std::nan("") : it->second;
  };
  const double input_bytes = 3.0 * sizeof(double) * static_cast<double>(points);
  std::printf(
      "{\"points\": %lld, \"seed\": %llu, \"noise\": %g, \"threads\": %d, \"input_bytes\": %.0f, "
      "\"generate_seconds\": %.6g, \"fit_wall_seconds\": %s, \"fit_call_seconds\": %s, \"converged\": %s, "
      "\"iterations\": %d, \"objective\": %.17g, "
      "\"params\": {\"E\": %.9g, \"A\": %.9g, \"B\": %.9g, \"alpha\": %.9g, \"beta\": %.9g}, "
      "\"true_params\": {\"E\": %g, \"A\": %g, \"B\": %g, \"alpha\": %g, \"beta\": %g}, "
      "\"vmhwm_kib_start\": %ld, \"vmhwm_kib_with_data\": %ld, \"vmhwm_kib_end\": %ld, \"vmrss_kib_start\": %ld, "
      "\"vmrss_kib_with_data\": %ld, \"ru_maxrss_kib\": %ld}\n",
      points, static_cast<unsigned long long>(seed), noise, threads, input_bytes, generate_seconds,
      list(fit_seconds).c_str(), list(call_seconds).c_str(), converged ? "true" : "false", fit.iterations,
      fit.objective, param("E"), param("A"), param("B"), param("alpha"), param("beta"), kE, kA, kB, kAlpha, kBeta,
      at_start.peak_kib, with_data.peak_kib, at_end.peak_kib, at_start.current_kib, with_data.current_kib, MaxRssKib());
  return converged ? 0 : 1;
}
