// The sums the curve laws (scalelaw/curves/curve_law.h) are made of, precomputed once per curve so that an
// evaluation at new parameters costs O(changes × logged points) for the Multi-Power Law and O(logged points) for
// the others.
//
// The Multi-Power Law's LD term at a logged step t,
//     LD(t) = B · sum_{k=1}^{t} d_k · G(eta_k^(-gamma) · (P(t) - P(k-1))),   d_k = eta_{k-1} - eta_k,
// has a term only where the LR changes. Per change k the curve keeps d_k, ln eta_k and P(k-1), per logged point
// P(t) and how many changes lie at or before t; at given (C, beta, gamma) the per-change factor q_k = C·eta_k^-gamma
// is computed once (K exponentials), then each logged point is one pass over its changes:
//     x = q_k (P(t) - P(k-1)),  e = (1 + x)^-beta = exp(-beta·ln(1 + x)),
//     sum d_k (1 - e)                      -> LD / B
//     sum d_k e x/(1 + x)                  -> dLD/dC = B·beta/C · that
//     sum d_k e ln(1 + x)                  -> dLD/dbeta = B · that
//     sum d_k e x/(1 + x) (-ln eta_k)      -> dLD/dgamma = B·beta · that
// so the analytic Jacobian costs one logarithm and one exponential per term, like the value. The pass is written
// over contiguous arrays (Eigen array expressions, whose log and exp are vectorised).
//
// That exact sum has O(changes × logged points) terms (2.3 million for the paper's 3 training curves, tens of
// milliseconds per evaluation). A fit evaluates a compressed sum instead: the changes are cut into runs where
// d_k varies smoothly (a new run wherever d_k's second difference is not small against d_k: the end of a warmup,
// a decay start, the knots of an interpolated LR column) and, for each logged t, each run up to t is cut into
// blocks whose length is at most `block_ratio` times their distance from the run's start and from t. In terms of
// k the summand is then smooth on the scale of the block (x grows linearly in t - k, and G's derivatives fall off
// as (1 + x)^-n; eta_k^-gamma varies on the scale of the distance from the run start, e.g. eta_k ∝ k in a linear
// warmup), and the block's sum is replaced by a discrete Newton-Cotes rule: `block_nodes` equally spaced integer
// steps of the block whose weights make the rule exact for polynomials of degree block_nodes - 1 in k (solved from
// the discrete moments of the block). The nodes are steps of the schedule, so d_k, eta_k and P(k-1) are taken
// exactly, and the Jacobian is the same weighted sum of exact per-term derivatives. Blocks shorter than twice the
// node count are summed exactly. Per logged point this leaves O(block_nodes · log(t) / block_ratio) terms. The
// compression error is measured against the exact sum in tests (golden/multipower_law_test.cpp).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "scalelaw/curves/curve_law.h"

namespace scalelaw::detail {

struct CurveDesign {
  Eigen::ArrayXd s1;      // P(t) at each logged point
  Eigen::ArrayXd log_s1;  // ln P(t)
  Eigen::ArrayXd s2;      // the annealing area at lambda (empty unless asked for)
  // Changes k (1 <= k <= last logged step) with eta_k != eta_{k-1} and eta_k > 0, in increasing k:
  Eigen::ArrayXd drop;             // d_k = eta_{k-1} - eta_k
  Eigen::ArrayXd neg_log_lr;       // -ln eta_k
  Eigen::ArrayXd sum_before;       // P(k-1)
  Eigen::ArrayXd drop_neg_log_lr;  // d_k · (-ln eta_k)
  std::vector<int> changes_upto;   // per logged point: changes with k <= t
  // Per logged point: the sum of d_k over changes k <= t to eta_k = 0, whose G is 1 whatever the parameters.
  Eigen::ArrayXd drop_to_zero;
  // The compressed sum (empty when exact): per node the change it reads (index into the arrays above), its weight
  // times d_k, times d_k·(-ln eta_k), and P(k-1); node_offset[i]..node_offset[i+1] are the nodes of logged point i.
  std::vector<int> node_change;
  Eigen::ArrayXd node_drop, node_drop_neg_log_lr, node_sum_before;
  std::vector<int> node_offset;
};

// The defaults keep the compressed sum within 2e-9 (relative) of the exact one on the paper's 18 curves at the
// published and converged parameters (measured: 9.7e-10), with 87 times fewer terms.
struct CurveDesignOptions {
  bool compress = true;
  double block_ratio = 1.0;
  int block_nodes = 7;
};

// Throws InvalidArgument for steps out of [0, lr.size()) or decreasing, a negative or non-finite LR, P(t) = 0 at a
// logged step. with_s2: compute the annealing area at lambda.
CurveDesign MakeCurveDesign(const std::vector<double>& lr, const std::vector<long>& steps, bool with_s2, double lambda,
                            const CurveDesignOptions& options = {});

// Scratch space for evaluations (one per thread).
struct CurveScratch {
  Eigen::ArrayXd q, x, log1px, e, w, node_q;
};

// The loss at every logged point of design (loss[i]) and, when jacobian is not null, dL/dparameter in row-major
// order (points × parameters of form, CurveLawParameterNames order). False when a value is not finite.
bool EvaluateCurveDesign(CurveLawForm form, const double* parameters, const CurveDesign& design, double* loss,
                         double* jacobian, CurveScratch* scratch);

// The Tissue law with its momentum lambda a parameter (theta = L0, A, alpha, C, lambda): the loss at each logged
// step and, when jacobian is not null, dL/dtheta (points × 5, row-major). S2 and dS2/dlambda come from the
// recursion over every step,
//   m_k = lambda·m_{k-1} + d_k,  dm_k/dlambda = m_{k-1} + lambda·dm_{k-1}/dlambda,  S2(t) = sum_{k<=t} m_k,
// O(steps) per curve and evaluation. step_drop[k] = eta_{k-1} - eta_k for k = 0..steps.back(); log_s1 is the
// design's ln S1 at each logged step.
void EvaluateAnnealingWithLambda(const double* theta, const std::vector<double>& step_drop,
                                 const std::vector<long>& steps, const Eigen::ArrayXd& log_s1, double* loss,
                                 double* jacobian);

// step_drop of EvaluateAnnealingWithLambda: d_0 = 0, d_k = lr[k-1] - lr[k] up to last_step.
std::vector<double> StepDrops(const std::vector<double>& lr, long last_step);

int CurveLawParameterCount(CurveLawForm form);

}  // namespace scalelaw::detail
