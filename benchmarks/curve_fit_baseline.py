#!/usr/bin/python3
"""numpy/scipy baseline for benchmarks/curve_fit.py: the Multi-Power Law (Luo et al. 2025, arXiv:2503.12811) fitted
to the 3 training curves of ../shared/data/multipower by the paper's objective (Huber, delta 1e-3, on log residuals
over every logged point) with scipy.optimize.least_squares (loss='huber', f_scale=1e-3, which is the same
objective) and an analytic Jacobian, from the starts given on the command line (scalelaw's own, so that both solve
the same problems). The LD term is the exact double sum, vectorised as a (logged points x LR changes) array per
curve, the way a numpy user writes it. Written for the benchmark, not used by scalelaw.

    curve_fit_baseline.py SHARED_DIR SIZE STARTS_JSON
prints one JSON object: wall seconds of all starts, the best objective and its parameters.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import least_squares

PEAK, END, WARMUP = 3e-4, 3e-5, 2160
TRAIN = ["cosine_24000", "constant_24000", "wsdcon_9"]


def schedule(name):
    """eta_0..eta_{T-1} as SOURCE.txt writes the repository's schedules."""
    total = 16000 if name.startswith("wsdcon") else int(name.split("_")[-1])
    i = np.arange(total, dtype=float)
    lr = np.full(total, PEAK)
    lr[:WARMUP] = np.linspace(0, PEAK, WARMUP)
    if name.startswith("cosine"):
        lr[WARMUP:] = END + (PEAK - END) / 2 * (1 + np.cos(np.pi * (i[WARMUP:] - WARMUP) / (total - WARMUP)))
    elif name.startswith("wsdcon"):
        lr[8000:] = int(name.split("_")[1]) * 1e-5
    return lr


class Curve:
    def __init__(self, shared, size, name):
        data = np.loadtxt(f"{shared}/data/multipower/csv_{size}/{name}.csv", delimiter=",", skiprows=1)
        self.steps = data[:, 0].astype(int)
        self.log_loss = np.log(data[:, 2])
        lr = schedule(name)
        prefix = np.cumsum(lr)
        self.s1 = prefix[self.steps]
        k = np.nonzero(np.diff(lr))[0] + 1  # steps k >= 1 with eta_k != eta_{k-1}
        k = k[k <= self.steps[-1]]
        self.drop = lr[k - 1] - lr[k]
        self.log_lr = np.log(lr[k])
        # S_k(t) = P(t) - P(k-1), with the terms k > t masked out
        span = self.s1[:, None] - prefix[k - 1][None, :]
        self.mask = k[None, :] <= self.steps[:, None]
        self.span = np.where(self.mask, span, 0.0)


def residuals_and_jacobian(theta, curves, want_jacobian):
    l0, a, alpha, b, c, beta, gamma = theta
    res, jac = [], []
    for cv in curves:
        power = cv.s1 ** -alpha
        q = c * np.exp(-gamma * cv.log_lr)
        x = q[None, :] * cv.span
        log1px = np.log1p(x)
        e = np.exp(-beta * log1px)
        dm = np.where(cv.mask, cv.drop[None, :], 0.0)
        ld = (dm * (1 - e)).sum(axis=1)
        pred = l0 + a * power - b * ld
        res.append(cv.log_loss - np.log(pred))
        if want_jacobian:
            w = e * x / (1 + x)
            d_c = beta / c * (dm * w).sum(axis=1)
            d_beta = (dm * e * log1px).sum(axis=1)
            d_gamma = beta * (dm * w * (-cv.log_lr)[None, :]).sum(axis=1)
            dl = np.stack([np.ones_like(pred), power, -a * power * np.log(cv.s1), -ld, -b * d_c, -b * d_beta,
                           -b * d_gamma], axis=1)
            jac.append(-dl / pred[:, None])
    r = np.concatenate(res)
    return (r, np.concatenate(jac)) if want_jacobian else r


def main():
    shared, size, starts = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    curves = [Curve(shared, size, name) for name in TRAIN]
    lower = [-np.inf, 0, 0, 0, 0, 0, 0]
    begin = time.perf_counter()
    best = None
    for start in starts:
        fit = least_squares(lambda th: residuals_and_jacobian(th, curves, False), np.array(start),
                            jac=lambda th: residuals_and_jacobian(th, curves, True)[1], loss="huber", f_scale=1e-3,
                            bounds=(lower, np.inf), method="trf", x_scale="jac", max_nfev=2000)
        if best is None or fit.cost < best.cost:
            best = fit
    seconds = time.perf_counter() - begin
    print(json.dumps({"size": size, "seconds": seconds, "objective": best.cost, "parameters": best.x.tolist(),
                      "starts": len(starts)}))


if __name__ == "__main__":
    main()
