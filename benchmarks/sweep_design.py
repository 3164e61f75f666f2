#!/usr/bin/python3
"""Side-by-side benchmark of `scalelaw design` against a numpy/scipy implementation of the same simulation
(issue 15: "a sweep-design simulation of 1000 refits in seconds").

In one run, one after the other (never at once), on the same sweep and truth:
  baseline  numpy + scipy: --simulations data sets drawn from the Epoch law (Besiroglu et al. 2024,
            arXiv:2404.10102, Table 1) with log-normal noise on a 6 x 5 grid (N 5e7..1.6e9, D 1e9..1e11), each
            refitted by scipy.optimize.minimize (L-BFGS-B, analytic gradient) of the summed Huber loss (delta 1e-3)
            of log residuals, in Chinchilla's internal parameters (a, b, e, alpha, beta; log-sum-exp), from the
            truth, as scalelaw's refits start; N_opt, D_opt at the target from each refit (Hoffmann et al. 2022,
            Eq. 4); wall time of the whole loop;
  scalelaw  `scalelaw design ... --simulations K --threads T --json`, its wall_seconds (the simulation alone) and
            the process's wall time;
and prints the ratio baseline / scalelaw and both 95% intervals of N_opt, which must agree within Monte Carlo
noise (different noise draws; a few percent of the log-width). Timings never fail: the exit status is 0 whatever
the ratio (benchmarks are not tests).

Usage:
    /usr/bin/python3 benchmarks/sweep_design.py [--simulations 1000] [--threads 1] [--scalelaw PATH]
"""
import argparse
import json
import math
import os
import subprocess
import time

import numpy as np
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

TRUTH = dict(E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658)  # the registry's "epoch"
SIZES = [5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9]
TOKENS = [1e9, 3e9, 1e10, 3e10, 1e11]
NOISE = 0.01
TARGET = 1e21
DELTA = 1e-3


def chinchilla(n, d, p):
    return p["E"] + p["A"] / n ** p["alpha"] + p["B"] / d ** p["beta"]


def huber_objective(x, log_n, log_d, log_l):
    """Summed Huber(delta) of log L_hat - log L with log L_hat = LSE(a - alpha log N, b - beta log D, e), and its
    gradient in (a, b, e, alpha, beta)."""
    a, b, e, alpha, beta = x
    t = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
    m = t.max(axis=0)
    w = np.exp(t - m)
    s = w.sum(axis=0)
    r = m + np.log(s) - log_l
    small = np.abs(r) <= DELTA
    value = np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)).sum()
    dr = np.where(small, r, DELTA * np.sign(r))
    soft = w / s
    grad = np.array([(dr * soft[0]).sum(), (dr * soft[1]).sum(), (dr * soft[2]).sum(),
                     -(dr * soft[0] * log_n).sum(), -(dr * soft[1] * log_d).sum()])
    return value, grad


def optimum(p, flops):
    g = (p["alpha"] * p["A"] / (p["beta"] * p["B"])) ** (1 / (p["alpha"] + p["beta"]))
    a = p["beta"] / (p["alpha"] + p["beta"])
    n = g * (flops / 6) ** a
    return n, flops / (6 * n)


def baseline(simulations, seed=2024):
    n = np.array([s for s in SIZES for _ in TOKENS])
    d = np.array([t for _ in SIZES for t in TOKENS])
    log_n, log_d = np.log(n), np.log(d)
    clean = np.log(chinchilla(n, d, TRUTH))
    start = np.array([math.log(TRUTH["A"]), math.log(TRUTH["B"]), math.log(TRUTH["E"]), TRUTH["alpha"],
                      TRUTH["beta"]])
    rng = np.random.default_rng(seed)
    n_opt = []
    began = time.perf_counter()
    for _ in range(simulations):
        log_l = clean + NOISE * rng.standard_normal(n.size)
        res = minimize(huber_objective, start, args=(log_n, log_d, log_l), jac=True, method="L-BFGS-B",
                       options=dict(maxiter=2000, ftol=1e-12, gtol=1e-10))
        a, b, e, alpha, beta = res.x
        p = dict(E=math.exp(e), A=math.exp(a), B=math.exp(b), alpha=alpha, beta=beta)
        n_opt.append(optimum(p, TARGET)[0])
    seconds = time.perf_counter() - began
    return seconds, np.percentile(n_opt, [2.5, 97.5])


def scalelaw(binary, simulations, threads):
    args = [binary, "design", "--sizes", ",".join(map(str, SIZES)), "--tokens", ",".join(map(str, TOKENS)),
            "--law", "epoch", "--noise", str(NOISE), "--target-flops", str(TARGET), "--simulations",
            str(simulations), "--threads", str(threads), "--json"]
    began = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    process = time.perf_counter() - began
    out = json.loads(done.stdout)
    return out["wall_seconds"], process, out["spread"]["N_opt"]["ci95"], out["refits"]["usable"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--simulations", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--scalelaw", default=os.path.join(REPO, "build", "bin", "scalelaw"))
    args = parser.parse_args()
    base_seconds, base_ci = baseline(args.simulations)
    wall, process, ci, usable = scalelaw(args.scalelaw, args.simulations, args.threads)
    print(f"sweep design, {args.simulations} refits of a 30-run grid (Epoch truth, noise {NOISE}, "
          f"target {TARGET:g} FLOPs), scalelaw on {args.threads} thread(s)")
    print(f"  numpy/scipy baseline   {base_seconds:8.2f} s   N_opt 95% [{base_ci[0]:.4g}, {base_ci[1]:.4g}]"
          f"  log-width {math.log(base_ci[1] / base_ci[0]):.3f}")
    print(f"  scalelaw design        {wall:8.2f} s   N_opt 95% [{ci[0]:.4g}, {ci[1]:.4g}]"
          f"  log-width {math.log(ci[1] / ci[0]):.3f}  ({usable} usable; process {process:.2f} s)")
    print(f"  ratio baseline / scalelaw: {base_seconds / wall:.1f}x (simulation), {base_seconds / process:.1f}x "
          "(process)")


if __name__ == "__main__":
    main()
