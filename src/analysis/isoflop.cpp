// Chinchilla Approach 2 (IsoFLOP parabolas): see include/scalelaw/analysis/isoflop.h for the mathematics.
#include "scalelaw/analysis/isoflop.h"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <atomic>
#include <boost/math/interpolators/makima.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"
#include "util/resampling.h"

namespace scalelaw {
namespace {

// The largest ln N whose exp is comfortably finite.
constexpr double kMaxLog = 700.0;

bool PositiveFinite(double x) { return std::isfinite(x) && x > 0; }

// The C a run is grouped by: its budget label, else its FLOPs, else 6ND.
double RunFlops(const IsoflopRun& run) {
  if (run.budget > 0) return run.budget;
  return run.flops > 0 ? run.flops : 6.0 * run.params * run.tokens;
}

void ValidateRuns(const std::vector<IsoflopRun>& runs) {
  std::size_t labelled = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const IsoflopRun& run = runs[i];
    const std::string which = "run " + std::to_string(i + 1);
    if (!PositiveFinite(run.params)) {
      throw InvalidArgument(which + ": params must be a positive finite number (got " + FormatNumber(run.params) + ")");
    }
    if (!PositiveFinite(run.loss)) {
      throw InvalidArgument(which + ": loss must be a positive finite number (got " + FormatNumber(run.loss) + ")");
    }
    if (run.budget != 0) {
      if (!PositiveFinite(run.budget)) {
        throw InvalidArgument(which + ": the budget label must be a positive finite number (got " +
                              FormatNumber(run.budget) + ")");
      }
      ++labelled;
      if (run.flops != 0 && !PositiveFinite(run.flops)) {
        throw InvalidArgument(which + ": flops must be a positive finite number (got " + FormatNumber(run.flops) + ")");
      }
      if (run.tokens != 0 && !(PositiveFinite(run.tokens) && PositiveFinite(6.0 * run.params * run.tokens))) {
        throw InvalidArgument(which + ": tokens must be a positive finite number (got " + FormatNumber(run.tokens) +
                              ")");
      }
      continue;
    }
    if (run.flops != 0 || !(run.tokens > 0)) {
      if (!PositiveFinite(run.flops)) {
        throw InvalidArgument(which + ": flops must be a positive finite number, or tokens given (got flops " +
                              FormatNumber(run.flops) + ", tokens " + FormatNumber(run.tokens) + ")");
      }
      if (run.tokens != 0 && !(PositiveFinite(run.tokens) && PositiveFinite(6.0 * run.params * run.tokens))) {
        throw InvalidArgument(which + ": tokens must be a positive finite number (got " + FormatNumber(run.tokens) +
                              ")");
      }
    } else if (!PositiveFinite(run.tokens) || !PositiveFinite(RunFlops(run))) {
      throw InvalidArgument(which + ": tokens must be a positive finite number (got " + FormatNumber(run.tokens) + ")");
    }
  }
  if (labelled != 0 && labelled != runs.size()) {
    throw InvalidArgument(std::to_string(runs.size() - labelled) + " of " + std::to_string(runs.size()) +
                          " runs have no budget label: give every run one, or none");
  }
}

// A budget's vertex in one variable x (ln N or ln D): where it lies, the loss there, the curvature of the
// local parabola, the sampled range.
struct Vertex {
  bool ok = false;      // the method could be applied (enough distinct x, a finite fit)
  std::string failure;  // why not, when !ok
  int n_sizes = 0;
  double p = 0;  // curvature in x
  double x_min = 0, x_max = 0;
  bool minimum = false;     // a minimum exists (parabola: p > 0; Akima: always, possibly at an edge)
  bool has_vertex = false;  // minimum at a finite point
  double x_star = 0;
  double l_star = 0;
  bool in_range = false;
};

// The least-squares parabola of loss on x, in standardised z = (x − mean)/scale so that the normal equations
// (the 3×3 Gram matrix of z², z, 1, whose condition number is a few hundred at most for 3 or more distinct z) are
// well conditioned whatever the units. Allocation-free but for one sorted copy of x: the weighted bootstrap
// fits it (1 + weight_resamples)·resamples times per budget.
Vertex FitParabola(const std::vector<double>& x, const std::vector<double>& y) {
  Vertex out;
  const std::size_t n = x.size();
  std::vector<double> sorted(x);
  std::sort(sorted.begin(), sorted.end());
  out.n_sizes = static_cast<int>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  if (out.n_sizes < 3) {
    out.failure = "fewer than 3 distinct sizes";
    return out;
  }
  out.x_min = sorted.front();
  out.x_max = sorted[out.n_sizes - 1];
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(n);
  double var = 0;
  for (double v : x) var += (v - mean) * (v - mean);
  const double scale = std::sqrt(var / static_cast<double>(n));
  // Sums of z^k (k = 0..4) and of y·z^k (k = 0..2).
  double sz[5] = {0, 0, 0, 0, 0}, syz[3] = {0, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const double z = (x[i] - mean) / scale;
    double power = 1;
    for (int k = 0; k < 5; ++k) {
      sz[k] += power;
      if (k < 3) syz[k] += y[i] * power;
      power *= z;
    }
  }
  Eigen::Matrix3d gram;  // unknowns (c0, c1, c2) of c0·z² + c1·z + c2
  gram << sz[4], sz[3], sz[2], sz[3], sz[2], sz[1], sz[2], sz[1], sz[0];
  const Eigen::Vector3d rhs(syz[2], syz[1], syz[0]);
  const Eigen::Vector3d c = gram.ldlt().solve(rhs);  // the Gram matrix is symmetric positive definite
  if (!c.allFinite()) {
    out.failure = "the parabola could not be fitted";
    return out;
  }
  out.ok = true;
  out.p = c(0) / (scale * scale);
  out.minimum = c(0) > 0;
  if (out.minimum) {
    const double z_star = -c(1) / (2 * c(0));
    const double x_star = mean + scale * z_star;
    const double l_star = c(2) - c(1) * c(1) / (4 * c(0));
    if (std::isfinite(x_star) && std::fabs(x_star) < kMaxLog && std::isfinite(l_star)) {
      out.has_vertex = true;
      out.x_star = x_star;
      out.l_star = l_star;
      out.in_range = x_star >= out.x_min && x_star <= out.x_max;
    }
  }
  return out;
}

// The distinct x in increasing order with the mean y at each.
void MeanPerSize(const std::vector<double>& x, const std::vector<double>& y, std::vector<double>* xs,
                 std::vector<double>* ys) {
  std::map<double, std::pair<double, int>> per;
  for (std::size_t i = 0; i < x.size(); ++i) {
    auto& [sum, count] = per[x[i]];
    sum += y[i];
    ++count;
  }
  xs->clear();
  ys->clear();
  for (const auto& [value, sum_count] : per) {
    xs->push_back(value);
    ys->push_back(sum_count.first / sum_count.second);
  }
}

// The parabola through the runs of the `window` distinct sizes nearest in rank to the size of lowest mean loss
// (a window shifted inwards at the ends of the range). The sampled range stays the budget's.
Vertex FitLocal(const std::vector<double>& x, const std::vector<double>& y, int window) {
  std::vector<double> xs, ys;
  MeanPerSize(x, y, &xs, &ys);
  const int m = static_cast<int>(xs.size());
  if (m < 3) {
    Vertex out;
    out.n_sizes = m;
    out.failure = "fewer than 3 distinct sizes";
    return out;
  }
  const int best = static_cast<int>(std::min_element(ys.begin(), ys.end()) - ys.begin());
  const int k = std::min(window, m);
  const int first = std::clamp(best - k / 2, 0, m - k);
  const double lo = xs[first], hi = xs[first + k - 1];
  std::vector<double> wx, wy;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] >= lo && x[i] <= hi) {
      wx.push_back(x[i]);
      wy.push_back(y[i]);
    }
  }
  Vertex out = FitParabola(wx, wy);
  out.n_sizes = m;
  out.x_min = xs.front();
  out.x_max = xs.back();
  if (out.has_vertex) out.in_range = out.x_star >= out.x_min && out.x_star <= out.x_max;
  return out;
}

// The minimum of the modified Akima interpolant (Boost.Math makima) of the mean loss per size: a scan of 64
// points per interval, then golden-section search around the best point. An argmin at either end of the range
// is reported as a vertex outside the sampled range (the interpolant does not extrapolate).
Vertex FitAkima(const std::vector<double>& x, const std::vector<double>& y) {
  Vertex out;
  std::vector<double> xs, ys;
  MeanPerSize(x, y, &xs, &ys);
  out.n_sizes = static_cast<int>(xs.size());
  if (xs.size() < 4) {
    out.failure = "Akima interpolation needs at least 4 distinct sizes";
    return out;
  }
  out.x_min = xs.front();
  out.x_max = xs.back();
  const std::vector<double> knots = xs;
  boost::math::interpolators::makima<std::vector<double>> spline(std::move(xs), std::move(ys));
  constexpr int kPerInterval = 64;
  double best_x = knots.front(), best_l = spline(best_x);
  for (std::size_t i = 0; i + 1 < knots.size(); ++i) {
    for (int j = 1; j <= kPerInterval; ++j) {
      const double t = knots[i] + (knots[i + 1] - knots[i]) * j / kPerInterval;
      const double l = spline(t);
      if (l < best_l) {
        best_l = l;
        best_x = t;
      }
    }
  }
  if (!std::isfinite(best_l)) {
    out.failure = "the Akima interpolant is not finite";
    return out;
  }
  out.ok = true;
  out.minimum = true;
  const double span = out.x_max - out.x_min;
  const double step = span / (kPerInterval * static_cast<double>(knots.size() - 1));
  double lo = std::max(out.x_min, best_x - step), hi = std::min(out.x_max, best_x + step);
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double c = hi - ratio * (hi - lo), d = lo + ratio * (hi - lo);
  double fc = spline(c), fd = spline(d);
  for (int it = 0; it < 100 && hi - lo > 1e-12 * (1 + std::fabs(lo)); ++it) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - ratio * (hi - lo);
      fc = spline(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + ratio * (hi - lo);
      fd = spline(d);
    }
  }
  const double mid = (lo + hi) / 2;
  if (spline(mid) < best_l) {
    best_x = mid;
    best_l = spline(mid);
  }
  out.has_vertex = true;
  out.x_star = best_x;
  out.l_star = best_l;
  const double edge = 1e-9 * std::max(1.0, span);
  out.in_range = best_x > out.x_min + edge && best_x < out.x_max - edge;
  // The curvature of the interpolant at its minimum (a central difference of its derivative).
  const double h = 1e-4 * span;
  const double left = std::max(out.x_min, best_x - h), right = std::min(out.x_max, best_x + h);
  out.p = right > left ? (spline.prime(right) - spline.prime(left)) / (2 * (right - left)) : 0;
  if (!std::isfinite(out.p)) out.p = 0;
  return out;
}

Vertex FindVertex(const std::vector<double>& x, const std::vector<double>& y, IsoflopVertex method, int window) {
  switch (method) {
    case IsoflopVertex::kLocal:
      return FitLocal(x, y, window);
    case IsoflopVertex::kAkima:
      return FitAkima(x, y);
    case IsoflopVertex::kQuadratic:
      break;
  }
  return FitParabola(x, y);
}

// Least squares y = intercept + slope·x with weights w (all 1 when empty); x not all equal.
void LineFit(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w, double* slope,
             double* intercept) {
  double sw = 0, mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double wi = w.empty() ? 1.0 : w[i];
    sw += wi;
    mx += wi * x[i];
    my += wi * y[i];
  }
  mx /= sw;
  my /= sw;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double wi = w.empty() ? 1.0 : w[i];
    sxx += wi * (x[i] - mx) * (x[i] - mx);
    sxy += wi * (x[i] - mx) * (y[i] - my);
  }
  *slope = sxy / sxx;
  *intercept = my - *slope * mx;
}

// The used budgets' vertices for the power-law stage.
struct Vertices {
  std::vector<double> ln_c, ln_n, ln_d, w_n, w_d;  // weights empty when unweighted
};

struct PowerLaws {
  double a = 0, ln_k = 0, b = 0, ln_k_tokens = 0;
};

// ln N*_k and ln D*_k on ln C_k.
PowerLaws FitPowerLaws(const Vertices& v) {
  PowerLaws out;
  LineFit(v.ln_c, v.ln_n, v.w_n, &out.a, &out.ln_k);
  LineFit(v.ln_c, v.ln_d, v.w_d, &out.b, &out.ln_k_tokens);
  return out;
}

// What the fit of one budget needs: its runs as x = ln N, ln D (empty without tokens), loss.
struct BudgetRuns {
  std::vector<double> x, xd, y;
};

struct Settings {
  IsoflopVertex vertex = IsoflopVertex::kQuadratic;
  int window = 5;
  IsoflopDStar d_star = IsoflopDStar::kFlops;
  bool keep_outside = false;
};

// One budget's vertex in N and D and whether it can enter the power-law fit (and why not).
struct BudgetFit {
  Vertex n, d;
  bool has_vertex = false;  // N* (and D*) are finite numbers
  double ln_n = 0, ln_d = 0, loss = 0, curvature = 0;
  bool usable = false;
  bool extrapolated = false;
  std::string status;   // for the table
  std::string problem;  // for the warning, after "budget C ≈ ...: "
};

std::string Range(const char* what, double lo, double hi) {
  return std::string("sampled ") + what + " range [" + FormatNumber(lo) + ", " + FormatNumber(hi) + "]";
}

BudgetFit FitBudget(const BudgetRuns& runs, double ln_c, const Settings& s) {
  BudgetFit out;
  out.n = FindVertex(runs.x, runs.y, s.vertex, s.window);
  const Vertex& n = out.n;
  out.curvature = n.ok ? n.p : 0;
  if (!n.ok) {
    out.status = "excluded: " + n.failure;
    out.problem = n.failure + "; excluded from the power-law fit";
    return out;
  }
  if (!n.minimum) {
    out.status = "excluded: parabola opens downward (p = " + FormatNumber(n.p) + ")";
    out.problem = "the parabola in ln N opens downward (p = " + FormatNumber(n.p) +
                  "), no minimum; excluded from the power-law fit";
    return out;
  }
  if (!n.has_vertex) {
    out.status = "excluded: vertex outside the sampled N range";
    out.problem = "the parabola's vertex (not a finite N) lies outside the " +
                  Range("N", std::exp(n.x_min), std::exp(n.x_max)) + "; excluded from the power-law fit";
    return out;
  }
  out.ln_n = n.x_star;
  out.loss = n.l_star;
  switch (s.d_star) {
    case IsoflopDStar::kOwn:
      out.d = FindVertex(runs.xd, runs.y, s.vertex, s.window);
      if (!out.d.ok || !out.d.minimum || !out.d.has_vertex) {
        const std::string why = !out.d.ok ? out.d.failure
                                : !out.d.minimum
                                    ? "the parabola in ln D opens downward (p = " + FormatNumber(out.d.p) + ")"
                                    : "the vertex in ln D is not a finite D";
        out.status = "excluded: no D* (" + why + ")";
        out.problem = "no D*: " + why + "; excluded from the power-law fit";
        return out;
      }
      out.ln_d = out.d.x_star;
      break;
    case IsoflopDStar::kRuns: {
      double slope = 0, intercept = 0;
      LineFit(runs.x, runs.xd, {}, &slope, &intercept);
      out.ln_d = intercept + slope * n.x_star;
      break;
    }
    case IsoflopDStar::kFlops:
    case IsoflopDStar::kAuto:
      out.ln_d = ln_c - std::log(6.0) - n.x_star;
      break;
  }
  if (!std::isfinite(out.ln_d) || std::fabs(out.ln_d) >= kMaxLog) {
    out.status = "excluded: D* is not a finite number";
    out.problem = "D* is not a finite number; excluded from the power-law fit";
    return out;
  }
  out.has_vertex = true;
  const bool akima = s.vertex == IsoflopVertex::kAkima;
  const bool n_outside = !n.in_range;
  const bool d_outside = s.d_star == IsoflopDStar::kOwn && !out.d.in_range;
  if (n_outside || d_outside) {
    const std::string where = n_outside ? "N* = " + FormatNumber(std::exp(out.ln_n)) + " lies outside the " +
                                              Range("N", std::exp(n.x_min), std::exp(n.x_max))
                                        : "D* = " + FormatNumber(std::exp(out.ln_d)) + " lies outside the " +
                                              Range("D", std::exp(out.d.x_min), std::exp(out.d.x_max));
    if (akima) {
      out.status = std::string("excluded: minimum at the edge of the sampled ") + (n_outside ? "N" : "D") + " range";
      out.problem = "the Akima interpolant's minimum lies at the edge of the sampled range (" + where +
                    " or at its edge); excluded from the power-law fit";
      return out;
    }
    if (!s.keep_outside) {
      out.status = std::string("excluded: vertex outside the sampled ") + (n_outside ? "N" : "D") + " range";
      out.problem = "the parabola's vertex " + where + "; excluded from the power-law fit";
      return out;
    }
    out.extrapolated = true;
    out.status = "used (extrapolated)";
    out.problem = "the parabola's vertex " + where + "; kept in the power-law fit (keep outside)";
  } else {
    out.status = "used";
  }
  out.usable = true;
  return out;
}

std::string Budget(const IsoflopBudget& b) {
  return "budget C ≈ " + FormatNumber(b.flops) + " (" + std::to_string(b.n_runs) + (b.n_runs == 1 ? " run)" : " runs)");
}

// The runs of one budget as BudgetRuns (ln D only when every run has tokens).
BudgetRuns CollectRuns(const std::vector<IsoflopRun>& runs, const std::vector<std::size_t>& idx, bool with_tokens) {
  BudgetRuns out;
  for (std::size_t i : idx) {
    out.x.push_back(std::log(runs[i].params));
    if (with_tokens) out.xd.push_back(std::log(runs[i].tokens));
    out.y.push_back(runs[i].loss);
  }
  return out;
}

// A resample with replacement of a budget's runs, into *out (its storage reused).
void ResampleInto(const BudgetRuns& from, std::mt19937_64& rng, BudgetRuns* out) {
  const std::size_t n = from.x.size();
  out->x.resize(n);
  out->xd.resize(from.xd.size());
  out->y.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = detail::Draw(rng, n);
    out->x[j] = from.x[i];
    if (!from.xd.empty()) out->xd[j] = from.xd[i];
    out->y[j] = from.y[i];
  }
}

BudgetRuns Resample(const BudgetRuns& from, std::mt19937_64& rng) {
  BudgetRuns out;
  ResampleInto(from, rng, &out);
  return out;
}

double SampleSd(const std::vector<double>& v) {
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// The inverse-variance weights of the power-law stage for one data set: budget u weighs 1/sd_n[u]² in the fit of
// a and 1/sd_d[u]² in that of b, sd the standard deviation of ln N*_u (ln D*_u) over `resamples` resamples of
// budget u's runs alone, drawn one after another from ResampleGenerator(seed, key[u]).
struct BudgetWeights {
  std::vector<double> sd_n, sd_d;
  int unknown = 0;      // budgets whose vertex most of their resamples lost: given the largest spread of the others
  bool varies = false;  // false: no vertex varies over its resamples (or none is known), so no weights
};

BudgetWeights WeighBudgets(const std::vector<const BudgetRuns*>& budgets, const std::vector<double>& ln_c,
                           const std::vector<std::uint64_t>& key, const Settings& settings, int resamples,
                           std::uint64_t seed) {
  const std::size_t m = budgets.size();
  BudgetWeights out;
  out.sd_n.assign(m, 0);
  out.sd_d.assign(m, 0);
  std::vector<char> known(m, 0);
  std::vector<double> ln_n, ln_d;
  BudgetRuns drawn;
  for (std::size_t u = 0; u < m; ++u) {
    ln_n.clear();
    ln_d.clear();
    std::mt19937_64 rng = detail::ResampleGenerator(seed, key[u]);
    for (int r = 0; r < resamples; ++r) {
      ResampleInto(*budgets[u], rng, &drawn);
      const BudgetFit fit = FitBudget(drawn, ln_c[u], settings);
      if (!fit.usable) continue;
      ln_n.push_back(fit.ln_n);
      ln_d.push_back(fit.ln_d);
    }
    if (static_cast<int>(ln_n.size()) * 2 >= resamples) {
      out.sd_n[u] = SampleSd(ln_n);
      out.sd_d[u] = SampleSd(ln_d);
      known[u] = 1;
    }
  }
  // A budget whose vertex most resamples lose gets the largest spread of the others (the least weight); a
  // spread of 0 (identical resamples) is floored at 1e-6 of the largest.
  double max_n = 0, max_d = 0;
  for (std::size_t u = 0; u < m; ++u) {
    if (!known[u]) continue;
    max_n = std::max(max_n, out.sd_n[u]);
    max_d = std::max(max_d, out.sd_d[u]);
  }
  for (std::size_t u = 0; u < m; ++u) {
    if (!known[u]) {
      ++out.unknown;
      out.sd_n[u] = max_n;
      out.sd_d[u] = max_d;
    }
    out.sd_n[u] = std::max(out.sd_n[u], 1e-6 * max_n);
    out.sd_d[u] = std::max(out.sd_d[u], 1e-6 * max_d);
  }
  out.varies = max_n > 0 && max_d > 0;
  return out;
}

}  // namespace

std::string_view IsoflopVertexName(IsoflopVertex vertex) {
  switch (vertex) {
    case IsoflopVertex::kLocal:
      return "local";
    case IsoflopVertex::kAkima:
      return "akima";
    case IsoflopVertex::kQuadratic:
      break;
  }
  return "quadratic";
}

IsoflopVertex IsoflopVertexFromName(std::string_view name) {
  for (IsoflopVertex v : {IsoflopVertex::kQuadratic, IsoflopVertex::kLocal, IsoflopVertex::kAkima}) {
    if (IsoflopVertexName(v) == name) return v;
  }
  throw InvalidArgument("unknown vertex method '" + std::string(name) + "' (choose quadratic, local or akima)");
}

std::string_view IsoflopDStarName(IsoflopDStar d_star) {
  switch (d_star) {
    case IsoflopDStar::kOwn:
      return "own";
    case IsoflopDStar::kRuns:
      return "runs";
    case IsoflopDStar::kFlops:
      return "flops";
    case IsoflopDStar::kAuto:
      break;
  }
  return "auto";
}

IsoflopDStar IsoflopDStarFromName(std::string_view name) {
  for (IsoflopDStar d : {IsoflopDStar::kAuto, IsoflopDStar::kOwn, IsoflopDStar::kRuns, IsoflopDStar::kFlops}) {
    if (IsoflopDStarName(d) == name) return d;
  }
  throw InvalidArgument("unknown D* method '" + std::string(name) + "' (choose auto, own, runs or flops)");
}

std::vector<std::vector<std::size_t>> GroupIsoflopBudgets(const std::vector<IsoflopRun>& runs, double tolerance) {
  if (!(tolerance >= 0 && tolerance < 1)) {
    throw InvalidArgument("budget tolerance must be in [0, 1) (got " + FormatNumber(tolerance) + ")");
  }
  ValidateRuns(runs);
  const bool by_label = !runs.empty() && runs.front().budget > 0;
  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return RunFlops(runs[i]) < RunFlops(runs[j]); });
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    const double c = RunFlops(runs[i]), previous = k == 0 ? 0 : RunFlops(runs[order[k - 1]]);
    if (k == 0 || (by_label ? c != previous : c > previous * (1 + tolerance))) groups.emplace_back();
    groups.back().push_back(i);
  }
  return groups;
}

IsoflopResult FitIsoflop(const std::vector<IsoflopRun>& runs, const IsoflopOptions& options) {
  if (options.min_sizes < 3) {
    throw InvalidArgument("min_sizes must be at least 3: a parabola has 3 coefficients (got " +
                          std::to_string(options.min_sizes) + ")");
  }
  if (options.window < 3) {
    throw InvalidArgument("the vertex window must hold at least 3 sizes (got " + std::to_string(options.window) + ")");
  }
  if (options.bootstrap < 0) throw InvalidArgument("bootstrap resamples must be 0 or more");
  if (options.num_threads < 0) throw InvalidArgument("threads must be 0 (all) or more");
  if (options.weight_resamples < 10) {
    throw InvalidArgument("weight resamples must be at least 10 (got " + std::to_string(options.weight_resamples) +
                          ")");
  }
  if (!(options.disagreement > 0 && std::isfinite(options.disagreement))) {
    throw InvalidArgument("the 6ND disagreement threshold must be a positive number");
  }
  if (runs.empty()) throw InvalidArgument("no runs");
  const std::vector<std::vector<std::size_t>> groups = GroupIsoflopBudgets(runs, options.budget_tolerance);

  const bool by_label = runs.front().budget > 0;
  const bool with_tokens = std::all_of(runs.begin(), runs.end(), [](const IsoflopRun& run) { return run.tokens > 0; });
  Settings settings;
  settings.vertex = options.vertex;
  settings.window = options.window;
  settings.keep_outside = options.keep_outside;
  settings.d_star = options.d_star == IsoflopDStar::kAuto ? (with_tokens ? IsoflopDStar::kOwn : IsoflopDStar::kFlops)
                                                          : options.d_star;
  if ((settings.d_star == IsoflopDStar::kOwn || settings.d_star == IsoflopDStar::kRuns) && !with_tokens) {
    throw InvalidArgument("D* method '" + std::string(IsoflopDStarName(settings.d_star)) +
                          "' needs the tokens D of every run");
  }

  IsoflopResult result;
  result.n_runs = static_cast<int>(runs.size());
  result.budget_tolerance = by_label ? 0 : options.budget_tolerance;
  result.min_sizes = options.min_sizes;
  result.seed = options.seed;
  result.by_label = by_label;
  result.vertex = options.vertex;
  result.window = options.window;
  result.d_star = settings.d_star;
  result.keep_outside = options.keep_outside;
  result.weighted = options.weighted;
  result.disagreement = options.disagreement;

  // 6ND against the C the runs are grouped by (their label or FLOPs column).
  if (with_tokens && (by_label || runs.front().flops > 0)) {
    int off = 0;
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (const IsoflopRun& run : runs) {
      const double ratio = 6.0 * run.params * run.tokens / RunFlops(run);
      lo = std::min(lo, ratio);
      hi = std::max(hi, ratio);
      if (std::fabs(ratio - 1) > options.disagreement) ++off;
    }
    if (off > 0) {
      const std::string column = by_label ? "budget label" : "FLOPs";
      std::string text =
          "6ND differs from the runs' " + column + " by more than " + FormatNumber(100 * options.disagreement) +
          "% for " + std::to_string(off) + " of " + std::to_string(runs.size()) + " runs (6ND/C from " +
          FormatNumber(std::round(lo * 1000) / 1000) + " to " + FormatNumber(std::round(hi * 1000) / 1000) + ")";
      text += by_label ? ": the budgets are the labels, and D* comes from the runs' own D (D* method '" +
                             std::string(IsoflopDStarName(settings.d_star)) + "')"
                       : ": if the FLOPs column is a nominal budget, group by it as a label (--budget-col)";
      result.warnings.push_back(text);
    }
  }

  std::vector<std::size_t> used_groups;  // indices into groups of the budgets in the power-law fit
  std::vector<BudgetRuns> used_runs;
  std::vector<IsoflopBudget> skipped;  // too few sizes: one warning for all of them
  std::size_t skipped_runs = 0;
  Vertices vertices;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::vector<std::size_t>& idx = groups[g];
    IsoflopBudget budget;
    double sum_ln_c = 0;
    budget.flops_min = budget.flops_max = RunFlops(runs[idx.front()]);
    for (std::size_t i : idx) {
      const double c = RunFlops(runs[i]);
      sum_ln_c += std::log(c);
      budget.flops_min = std::min(budget.flops_min, c);
      budget.flops_max = std::max(budget.flops_max, c);
    }
    budget.flops = std::clamp(std::exp(sum_ln_c / static_cast<double>(idx.size())), budget.flops_min, budget.flops_max);
    budget.n_runs = static_cast<int>(idx.size());
    const BudgetRuns data = CollectRuns(runs, idx, with_tokens);
    budget.params_min = std::exp(*std::min_element(data.x.begin(), data.x.end()));
    budget.params_max = std::exp(*std::max_element(data.x.begin(), data.x.end()));
    if (with_tokens) {
      budget.tokens_min = std::exp(*std::min_element(data.xd.begin(), data.xd.end()));
      budget.tokens_max = std::exp(*std::max_element(data.xd.begin(), data.xd.end()));
    }
    if (with_tokens && (by_label || runs.front().flops > 0)) {  // 6ND is not C itself
      budget.ratio_min = std::numeric_limits<double>::infinity();
      for (std::size_t i : idx) {
        const double ratio = 6.0 * runs[i].params * runs[i].tokens / budget.flops;
        budget.ratio_min = std::min(budget.ratio_min, ratio);
        budget.ratio_max = std::max(budget.ratio_max, ratio);
      }
    }
    budget.n_sizes = static_cast<int>(std::set<double>(data.x.begin(), data.x.end()).size());

    if (budget.n_sizes < options.min_sizes) {
      budget.status = "skipped: " + std::to_string(budget.n_sizes) + " distinct N (needs " +
                      std::to_string(options.min_sizes) + ")";
      skipped.push_back(budget);
      skipped_runs += idx.size();
      result.budgets.push_back(budget);
      continue;
    }
    const double ln_c = std::log(budget.flops);
    const BudgetFit fit = FitBudget(data, ln_c, settings);
    budget.curvature = fit.curvature;
    if (fit.has_vertex) {
      budget.has_vertex = true;
      budget.params = std::exp(fit.ln_n);
      budget.tokens = std::exp(fit.ln_d);
      budget.loss = fit.loss;
    }
    budget.status = fit.status;
    if (!fit.problem.empty()) result.warnings.push_back(Budget(budget) + ": " + fit.problem);
    if (fit.usable) {
      budget.used = true;
      budget.extrapolated = fit.extrapolated;
      used_groups.push_back(g);
      used_runs.push_back(data);
      vertices.ln_c.push_back(ln_c);
      vertices.ln_n.push_back(fit.ln_n);
      vertices.ln_d.push_back(fit.ln_d);
    }
    result.budgets.push_back(budget);
  }
  result.n_budgets_used = static_cast<int>(used_groups.size());
  // Grouping by C fragments runs whose C scatters (6ND against a nominal budget): say how to group them.
  std::string fragments;
  if (!by_label && skipped.size() >= 3 && 4 * skipped_runs >= runs.size()) {
    fragments = "; the runs' C scatter beyond the budget tolerance of " + FormatNumber(100 * options.budget_tolerance) +
                "%, which splits them into " + std::to_string(groups.size()) +
                " groups: if the table has a nominal budget column, group by it (--budget-col; Python budget=)";
  }
  if (!skipped.empty()) {
    std::string list;
    const std::size_t shown = std::min<std::size_t>(skipped.size(), 6);
    for (std::size_t i = 0; i < shown; ++i) {
      list += (i ? ", " : "") + FormatNumber(skipped[i].flops) + " (" + std::to_string(skipped[i].n_sizes) + ")";
    }
    if (shown < skipped.size()) list += ", and " + std::to_string(skipped.size() - shown) + " more";
    result.warnings.insert(result.warnings.begin(),
                           std::to_string(skipped.size()) + " of " + std::to_string(groups.size()) +
                               " budgets have fewer than " + std::to_string(options.min_sizes) +
                               " distinct N and were skipped; C (distinct N): " + list + fragments);
  }

  if (used_groups.size() < 2) {
    result.status = AnalysisStatus::kNotIdentifiable;
    result.message = std::to_string(used_groups.size()) + " of " + std::to_string(groups.size()) + " budgets usable (" +
                     (by_label ? std::string("grouped by budget label")
                               : "at budget tolerance " + FormatNumber(options.budget_tolerance)) +
                     "); the power law needs at least 2" + fragments;
    return result;
  }

  // Weights: 1/Var of ln N*_k and ln D*_k over resamples of budget k's runs alone.
  std::vector<std::uint64_t> weight_keys(used_groups.begin(), used_groups.end());
  constexpr std::uint64_t kWeightSeed = 0x5eedf00dULL;
  if (options.weighted) {
    std::vector<const BudgetRuns*> budgets;
    for (const BudgetRuns& data : used_runs) budgets.push_back(&data);
    const BudgetWeights w = WeighBudgets(budgets, vertices.ln_c, weight_keys, settings, options.weight_resamples,
                                         options.seed ^ kWeightSeed);
    if (w.varies) {
      for (std::size_t u = 0; u < used_groups.size(); ++u) {
        vertices.w_n.push_back(1 / (w.sd_n[u] * w.sd_n[u]));
        vertices.w_d.push_back(1 / (w.sd_d[u] * w.sd_d[u]));
        result.budgets[used_groups[u]].log_params_sd = w.sd_n[u];
        result.budgets[used_groups[u]].log_tokens_sd = w.sd_d[u];
      }
      if (w.unknown > 0) {
        result.warnings.push_back("weights: " + std::to_string(w.unknown) +
                                  " budgets lost their vertex in most of their own resamples and get the least weight");
      }
    } else {
      result.weighted = false;
      result.warnings.push_back(
          "weights: the budgets' vertices do not vary over their resamples; the power laws are "
          "unweighted");
    }
  }
  result.weight_resamples = result.weighted ? options.weight_resamples : 0;

  const PowerLaws laws = FitPowerLaws(vertices);
  result.status = AnalysisStatus::kUsable;
  result.message.clear();
  result.a = laws.a;
  result.k_params = std::exp(laws.ln_k);
  result.b = laws.b;
  result.k_tokens = std::exp(laws.ln_k_tokens);
  if (!(std::isfinite(result.a) && std::isfinite(result.b) && result.k_params > 0 && std::isfinite(result.k_params) &&
        result.k_tokens > 0 && std::isfinite(result.k_tokens))) {
    result.status = AnalysisStatus::kNoConvergence;
    result.message = "the power-law fit gave a non-finite coefficient";
    result.a = result.b = result.k_params = result.k_tokens = 0;
    return result;
  }
  if (used_groups.size() == 2) {
    result.warnings.push_back("only 2 budgets entered the power-law fit: the line passes through both exactly");
  } else if (result.weighted) {
    // The weighted residual sum of squares per degree of freedom: about 1 when the vertices scatter about the
    // line only by their own bootstrap spread.
    double chi2 = 0;
    for (std::size_t u = 0; u < used_groups.size(); ++u) {
      const double r = vertices.ln_n[u] - laws.ln_k - laws.a * vertices.ln_c[u];
      chi2 += vertices.w_n[u] * r * r;
    }
    chi2 /= static_cast<double>(used_groups.size() - 2);
    if (chi2 > 4) {
      result.warnings.push_back(
          "weights: the vertices scatter about N_opt = k·C^a " + FormatNumber(std::round(std::sqrt(chi2) * 10) / 10) +
          " times more than their own bootstrap spreads (chi^2/dof " + FormatNumber(std::round(chi2 * 10) / 10) +
          "), so the weights and the bootstrap understate the uncertainty of a; compare with "
          "the unweighted fit");
    }
  }

  // Bootstrap over runs within each used budget; budgets fixed, vertices and power laws refitted. Weighted, each
  // resample is weighed as the data were: the weights come from the per-budget bootstrap of the resample's own
  // runs (a nested bootstrap), so the intervals include the weights' own sampling variation.
  if (options.bootstrap == 0) return result;
  const int resamples = options.bootstrap;
  std::vector<std::array<double, 4>> estimates(resamples);
  std::vector<char> succeeded(resamples, 0);
  auto resample = [&](int index) {
    std::mt19937_64 rng = detail::ResampleGenerator(options.seed, static_cast<std::uint64_t>(index));
    Vertices v;
    std::vector<BudgetRuns> drawn;
    std::vector<std::uint64_t> keys;
    for (std::size_t u = 0; u < used_groups.size(); ++u) {
      BudgetRuns data = Resample(used_runs[u], rng);
      const BudgetFit fit = FitBudget(data, vertices.ln_c[u], settings);
      if (!fit.usable) continue;
      v.ln_c.push_back(vertices.ln_c[u]);
      v.ln_n.push_back(fit.ln_n);
      v.ln_d.push_back(fit.ln_d);
      drawn.push_back(std::move(data));
      keys.push_back(weight_keys[u]);
    }
    if (v.ln_c.size() < 2) return;
    if (result.weighted) {
      const std::uint64_t weight_seed = rng();  // after the draws: the resampled runs are those unweighted
      std::vector<const BudgetRuns*> budgets;
      for (const BudgetRuns& data : drawn) budgets.push_back(&data);
      const BudgetWeights w = WeighBudgets(budgets, v.ln_c, keys, settings, options.weight_resamples, weight_seed);
      if (w.varies) {
        for (std::size_t u = 0; u < budgets.size(); ++u) {
          v.w_n.push_back(1 / (w.sd_n[u] * w.sd_n[u]));
          v.w_d.push_back(1 / (w.sd_d[u] * w.sd_d[u]));
        }
      }
    }
    const PowerLaws r = FitPowerLaws(v);
    const std::array<double, 4> e = {r.a, r.b, r.ln_k, r.ln_k_tokens};
    for (double x : e) {
      if (!std::isfinite(x) || std::fabs(x) >= kMaxLog) return;
    }
    estimates[index] = e;
    succeeded[index] = 1;
  };
  std::atomic<bool> stop{false};
  std::atomic<int> done{0};
  detail::ParallelFor(resamples, detail::ThreadsToUse(options.num_threads), [&](int index) {
    if (stop) return;
    resample(index);
    if (options.progress && !options.progress("bootstrap", ++done, resamples)) stop = true;
  });
  if (stop) {
    result.status = AnalysisStatus::kInterrupted;
    result.message = "interrupted";
    return result;
  }

  result.bootstrap_resamples = resamples;
  std::vector<double> va, vb, vk, vkt;
  for (int i = 0; i < resamples; ++i) {
    if (!succeeded[i]) continue;
    va.push_back(estimates[i][0]);
    vb.push_back(estimates[i][1]);
    vk.push_back(std::exp(estimates[i][2]));
    vkt.push_back(std::exp(estimates[i][3]));
    result.bootstrap_draws.push_back(
        {{"a", va.back()}, {"b", vb.back()}, {"k_params", vk.back()}, {"k_tokens", vkt.back()}});
  }
  const int failed = resamples - static_cast<int>(va.size());
  result.bootstrap_failed = failed;
  if (failed > 0) {
    result.warnings.push_back("bootstrap: " + std::to_string(failed) + " of " + std::to_string(resamples) +
                              " resamples had fewer than 2 usable budgets and were left out of the statistics");
  }
  if (va.size() < 2) {
    result.warnings.push_back("bootstrap: fewer than 2 resamples succeeded; no standard errors or intervals");
    return result;
  }
  result.uncertainty["a"] = SummarizeResamples(std::move(va), failed);
  result.uncertainty["b"] = SummarizeResamples(std::move(vb), failed);
  result.uncertainty["k_params"] = SummarizeResamples(std::move(vk), failed);
  result.uncertainty["k_tokens"] = SummarizeResamples(std::move(vkt), failed);
  return result;
}

std::string IsoflopToJson(const IsoflopResult& result) {
  using nlohmann::json;
  json out;
  out["method"] = "isoflop";
  out["status"] = std::string(AnalysisStatusName(result.status));
  out["usable"] = result.IsUsable();
  if (!result.IsUsable()) out["message"] = result.message;
  out["a"] = result.a;
  out["b"] = result.b;
  out["k_params"] = result.k_params;
  out["k_tokens"] = result.k_tokens;
  out["n_budgets_used"] = result.n_budgets_used;
  out["n_runs"] = result.n_runs;
  out["budget_tolerance"] = result.budget_tolerance;
  out["grouping"] = result.by_label ? "label" : "tolerance";
  out["min_sizes"] = result.min_sizes;
  out["vertex"] = std::string(IsoflopVertexName(result.vertex));
  out["window"] = result.window;
  out["d_star"] = std::string(IsoflopDStarName(result.d_star));
  out["keep_outside"] = result.keep_outside;
  out["weighted"] = result.weighted;
  out["weight_resamples"] = result.weight_resamples;
  out["disagreement"] = result.disagreement;
  json budgets = json::array();
  for (const IsoflopBudget& b : result.budgets) {
    json row;
    row["flops"] = b.flops;
    row["flops_min"] = b.flops_min;
    row["flops_max"] = b.flops_max;
    row["params"] = b.has_vertex ? json(b.params) : json(nullptr);
    row["tokens"] = b.has_vertex ? json(b.tokens) : json(nullptr);
    row["loss"] = b.has_vertex ? json(b.loss) : json(nullptr);
    row["n_runs"] = b.n_runs;
    row["n_sizes"] = b.n_sizes;
    row["curvature"] = b.curvature;
    row["params_min"] = b.params_min;
    row["params_max"] = b.params_max;
    row["tokens_min"] = b.tokens_min;
    row["tokens_max"] = b.tokens_max;
    row["ratio_6nd"] = b.ratio_max > 0 ? json::array({b.ratio_min, b.ratio_max}) : json(nullptr);
    row["log_params_sd"] = b.log_params_sd;
    row["log_tokens_sd"] = b.log_tokens_sd;
    row["used"] = b.used;
    row["extrapolated"] = b.extrapolated;
    row["status"] = b.status;
    budgets.push_back(row);
  }
  out["budgets"] = budgets;
  if (result.bootstrap_resamples > 0) {
    out["bootstrap"] = {{"requested", result.bootstrap_resamples},
                        {"succeeded", result.bootstrap_resamples - result.bootstrap_failed},
                        {"seed", result.seed}};
    if (!result.uncertainty.empty()) {
      out["se"] = json::object();
      out["ci95"] = json::object();
      for (const auto& [name, summary] : result.uncertainty) {
        out["se"][name] = summary.se;
        out["ci95"][name] = {summary.ci95.first, summary.ci95.second};
      }
    }
    out["bootstrap"]["draws"] = result.bootstrap_draws;
  }
  out["warnings"] = result.warnings;
  return out.dump();
}

}  // namespace scalelaw
