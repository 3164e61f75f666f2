// What every bootstrap in scalelaw shares: a generator per resample that depends only on (seed, resample index),
// so results are the same for any number of threads and on every standard library; numpy's percentile; and a
// parallel loop over resamples.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <thread>
#include <vector>

namespace scalelaw::detail {

// Steele, Lea and Flood's SplitMix64 finaliser: decorrelates consecutive resample indices.
inline std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline std::mt19937_64 ResampleGenerator(std::uint64_t seed, std::uint64_t index) {
  return std::mt19937_64(seed ^ SplitMix64(index));
}

// Uniform on [0, n), unbiased, the same on every standard library (std::uniform_int_distribution is not).
inline std::size_t Draw(std::mt19937_64& rng, std::size_t n) {
  const std::uint64_t range = n;
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t x = rng();
  while (x >= limit) x = rng();
  return static_cast<std::size_t>(x % range);
}

// numpy.percentile's default: linear interpolation between the order statistics of sorted, fraction in [0, 1].
inline double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.size() == 1) return sorted.front();
  const double h = fraction * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// requested threads, or every hardware thread when requested <= 0.
inline int ThreadsToUse(int requested) {
  return requested > 0 ? requested : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// work(i) for every i in [0, count) on up to `threads` threads; work must write only its own slot i.
inline void ParallelFor(int count, int threads, const std::function<void(int)>& work) {
  threads = std::max(1, std::min(threads, count));
  auto worker = [&](int first) {
    for (int i = first; i < count; i += threads) work(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (std::thread& thread : pool) thread.join();
}

}  // namespace scalelaw::detail
