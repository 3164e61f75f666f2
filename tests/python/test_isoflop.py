"""scalelaw.isoflop: Chinchilla Approach 2 (IsoFLOP parabolas) from Python."""
import csv
import os

import numpy as np
import pytest

import scalelaw

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
A_TRUE = BETA / (ALPHA + BETA)
G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
CHINCHILLA_RUNS = os.path.join(SHARED_DIR, "data", "chinchilla", "svg_extracted_data.csv")


def grid(budgets=(1e18, 1e19, 1e20, 1e21), half=1.5, sizes=9, noise=0.0, seed=0):
    """Runs symmetric in ln N around each budget's optimum under Chinchilla's printed law."""
    rng = np.random.default_rng(seed)
    c = np.repeat(budgets, sizes)
    n = G * (c / 6) ** A_TRUE * np.exp(np.tile(np.linspace(-half, half, sizes), len(budgets)))
    d = c / (6 * n)
    loss = (E + A / n ** ALPHA + B / d ** BETA) * np.exp(noise * rng.standard_normal(c.size))
    return n, d, c, loss


def test_recovers_a_and_reports_budgets():
    n, d, c, loss = grid()
    out = scalelaw.isoflop(n, loss, tokens=d)
    assert abs(out["a"] - A_TRUE) < 1e-9 and abs(out["b"] - (1 - A_TRUE)) < 1e-9
    # The quadratic approximation's known bias lands in k only on a symmetric grid: e^delta = 1.0167 here.
    assert out["k_params"] / (G * 6 ** -A_TRUE) == pytest.approx(1.0167, abs=1e-4)
    assert [b["n_runs"] for b in out["budgets"]] == [9, 9, 9, 9]
    assert all(b["used"] for b in out["budgets"])
    with_flops = scalelaw.isoflop(list(n), list(loss), flops=list(c))
    assert with_flops["a"] == pytest.approx(out["a"], abs=1e-12)
    named = scalelaw.isoflop("N", "L", flops="C", data={"N": n, "L": loss, "C": c})
    assert named["a"] == with_flops["a"]


def test_bootstrap_same_for_any_thread_count():
    n, d, _, loss = grid(noise=0.002, seed=4)
    one = scalelaw.isoflop(n, loss, tokens=d, bootstrap=300, seed=11, threads=1)
    many = scalelaw.isoflop(n, loss, tokens=d, bootstrap=300, seed=11, threads=4)
    assert one == many
    low, high = one["ci95"]["a"]
    assert low < one["a"] < high
    assert abs(one["a"] - A_TRUE) < 0.012  # 3.5 SD of the sampling spread at 0.2% noise
    assert 0 < one["se"]["a"] < 0.02


def test_unusable_and_bad_arguments():
    n, d, _, loss = grid(budgets=(1e20,))
    with pytest.raises(scalelaw.Error, match="not usable"):
        scalelaw.isoflop(n, loss, tokens=d)
    n, d, _, loss = grid(sizes=2)
    with pytest.warns(scalelaw.ScalelawWarning, match="fewer than 3 distinct N"):
        with pytest.raises(scalelaw.Error, match="0 of 4 budgets usable"):
            scalelaw.isoflop(n, loss, tokens=d)
    n, d, c, loss = grid()
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.isoflop(n, loss)  # neither tokens nor flops
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.isoflop(n, loss, tokens=d, flops=c)
    with pytest.raises(scalelaw.InvalidArgument, match="same length"):
        scalelaw.isoflop(n[:-1], loss, tokens=d)
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.isoflop(n, loss, tokens=d, min_sizes=2)
    bad = loss.copy()
    bad[3] = np.nan
    with pytest.raises(scalelaw.InvalidArgument, match="run 4"):
        scalelaw.isoflop(n, bad, tokens=d)


def test_chinchilla_isoflop_profiles():
    if not os.path.exists(CHINCHILLA_RUNS):
        pytest.skip(f"SKIPPED: {CHINCHILLA_RUNS} is absent")
    with open(CHINCHILLA_RUNS, newline="") as f:
        rows = list(csv.DictReader(f))
    column = {name: [float(row[name]) for row in rows] for name in ("Model Size", "Training FLOP", "loss")}
    with pytest.warns(scalelaw.ScalelawWarning):
        out = scalelaw.isoflop(column["Model Size"], column["loss"], flops=column["Training FLOP"],
                               budget_tolerance=0.04, min_sizes=6)
    assert out["n_budgets_used"] == 9
    assert out["a"] == pytest.approx(0.4817, abs=5e-5)
    assert 0.462 < out["a"] < 0.534  # Chinchilla Table 2, Approach 2, 10th-90th percentile
