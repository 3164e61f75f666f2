"""Loss curves of several model sizes made from a known Multi-Power Law across sizes, for the tests of
`scalelaw curve fit --across-sizes` and scalelaw.fit_curves_across_sizes.

The law and the schedules are recomputed here with numpy from their definitions (include/scalelaw/curves/
curve_law.h, Luo et al. 2025, arXiv:2503.12811, Eq. 5-7; include/scalelaw/curves/schedule.h), independently of
the library: L(t) = L0 + A·P(t)^-alpha - B·sum_{k=1..t} (eta_{k-1} - eta_k)·G(eta_k^-gamma·(P(t) - P(k-1))),
G(x) = 1 - (C·x + 1)^-beta, P(t) = eta_0 + ... + eta_t; a scaled parameter is theta·(N / N_REF)^e."""
import math

import numpy as np

NAMES = ["L0", "A", "alpha", "B", "C", "beta", "gamma"]
# The law at N_REF, the geometric mean of SIZES (what the fit takes as its reference size).
LAW = {"L0": 3.2, "A": 0.6, "alpha": 0.5, "B": 400.0, "C": 2.0, "beta": 0.5, "gamma": 0.6}
EXPONENTS = {"L0": -0.04, "A": -0.15, "B": 0.1}  # the default scaled parameters of multi-power
SIZES = [25e6, 100e6, 400e6]
N_REF = 100e6
UNSEEN = 800e6
STEPS, WARMUP, PEAK, END, DECAY_START = 4000, 200, 3e-4, 3e-5, 3000
SCHEDULES = {
    "cosine": f"cosine:peak={PEAK},end={END},steps={STEPS},warmup={WARMUP}",
    "wsd": f"wsd:peak={PEAK},end={END},steps={STEPS},decay_start={DECAY_START},shape=linear,warmup={WARMUP}",
}
LOGGED = list(range(WARMUP, STEPS, 40)) + [STEPS - 1]


def lr_per_step(kind):
    """eta_0..eta_{T-1} of SCHEDULES[kind], from schedule.h's formulas (linear warmup from 0)."""
    i = np.arange(STEPS, dtype=float)
    eta = np.empty(STEPS)
    eta[:WARMUP] = PEAK * i[:WARMUP] / (WARMUP - 1)
    after = i[WARMUP:]
    if kind == "cosine":
        eta[WARMUP:] = END + (PEAK - END) / 2 * (1 + np.cos(math.pi * (after - WARMUP) / (STEPS - WARMUP)))
    else:
        u = np.clip((after - DECAY_START) / (STEPS - DECAY_START), 0, None)
        eta[WARMUP:] = PEAK * (1 - u) + END * u
    return eta


def law_at(params):
    return {name: value * (params / N_REF) ** EXPONENTS.get(name, 0.0) for name, value in LAW.items()}


def multipower_loss(law, eta, steps):
    p = np.cumsum(eta)
    out = []
    for t in steps:
        k = np.arange(1, t + 1)
        drop = eta[k - 1] - eta[k]
        x = eta[k] ** -law["gamma"] * (p[t] - p[k - 1])
        g = 1 - (law["C"] * x + 1) ** -law["beta"]
        out.append(law["L0"] + law["A"] * p[t] ** -law["alpha"] - law["B"] * np.sum(drop * g))
    return np.array(out)


def curves(sizes=SIZES, noise=0.0, seed=0):
    """Long rows (run, step, loss, params, schedule): a cosine and a WSD run per size; with noise, each loss times
    exp(a normal draw of sd noise) (numpy generator seeded with seed)."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        for kind, spec in SCHEDULES.items():
            loss = multipower_loss(law_at(n), lr_per_step(kind), LOGGED)
            if noise > 0:
                loss = loss * np.exp(rng.normal(0.0, noise, len(loss)))
            run = f"{kind}_{n / 1e6:g}M"
            rows += [(run, step, value, n, spec) for step, value in zip(LOGGED, loss)]
    return rows
