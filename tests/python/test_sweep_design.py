"""scalelaw.design_sweep: sweep design before compute, marshalled to C++ (the same simulation as `scalelaw design`)."""
import json
import math
import os
import subprocess

import pandas as pd
import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE_RUNS = os.path.join(SOURCE_DIR, "data", "example_runs.csv")
SIZES = [5e7, 1e8, 2e8, 4e8, 8e8]
TOKENS = [1e9, 3e9, 1e10, 3e10, 1e11]


def test_result_is_the_cli_json_and_brackets_the_truth():
    d = scalelaw.design_sweep(sizes=SIZES, tokens=TOKENS, noise=0.01, target_flops=1e21, simulations=40)
    assert isinstance(d, scalelaw.SweepDesignResult)
    assert d.usable and d.status == "usable"
    assert len(d.design) == 25 and d.design[1] == (5e7, 3e9)
    # The truth's answers: the Epoch law's compute-optimal allocation (Hoffmann et al. 2022, Eq. 4) through
    # scalelaw.allocate, another entry point.
    allocation = scalelaw.allocate(1e21, law="epoch")
    assert d.true["N_opt"] == pytest.approx(allocation.params, rel=1e-9)
    for name in ("N_opt", "D_opt", "loss"):
        lo, hi = d.ci95[name]
        assert lo < d.true[name] < hi
        assert d.spread[name]["ci95"] == (lo, hi)
    binary = os.environ.get("SCALELAW_CLI")
    if not binary:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")
    done = subprocess.run([binary, "design", "--sizes", ",".join(map(str, SIZES)), "--tokens",
                           ",".join(map(str, TOKENS)), "--noise", "0.01", "--target-flops", "1e21", "--simulations",
                           "40", "--json"], capture_output=True, text=True, check=True)
    cli = json.loads(done.stdout)
    mine = d.to_dict()
    for result in (cli, mine):
        result.pop("wall_seconds")
    assert mine == cli


def test_one_budget_isoflop_design_is_not_identifiable_not_an_exception():
    d = scalelaw.design_sweep(budgets=[1e19], sizes=[5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9], noise=0.01,
                              target_flops=1e21, simulations=30)
    assert not d.usable and d.status == "not identifiable"
    assert "does not identify the law" in d.message


def test_candidates_from_a_dataframe_or_pairs_and_the_large_size_is_proposed():
    small = dict(sizes=[2.5e7, 5e7, 1e8, 2e8], tokens=TOKENS, noise=0.01, target_flops=1e22, simulations=100)
    frame = pd.DataFrame({"params": [2e8, 2e9], "tokens": [1e11, 1e10]})
    d = scalelaw.design_sweep(candidates=frame, **small)
    assert d.best_candidate == 1
    duplicate, large = d.candidates
    assert large["shrink"] > 2 * large["shrink_se"] and large["shrink"] > 2 * duplicate["shrink"]
    assert large["flops"] == pytest.approx(6 * 2e9 * 1e10)
    pairs = scalelaw.design_sweep(candidates=[(2e8, 1e11), (2e9, 1e10)], **small)
    assert [c["width"] for c in pairs.candidates] == [c["width"] for c in d.candidates]


def test_runs_table_and_threads_give_the_same_answer():
    grid = scalelaw.design_sweep(sizes=SIZES, tokens=TOKENS, noise=0.01, target_flops=1e21, simulations=30,
                                 threads=1)
    runs = pd.DataFrame({"n": [n for n in SIZES for _ in TOKENS], "d": [d for _ in SIZES for d in TOKENS]})
    table = scalelaw.design_sweep(runs=runs, params_col="n", tokens_col="d", noise=0.01, target_flops=1e21,
                                  simulations=30, threads=2)
    assert table.spread == grid.spread


def test_fit_as_truth_with_its_residual_scale():
    data = pd.read_csv(EXAMPLE_RUNS)
    fit = scalelaw.fit(data)
    assert fit.usable
    p = fit.params
    predicted = p["E"] + p["A"] / data["params"] ** p["alpha"] + p["B"] / data["tokens"] ** p["beta"]
    rss = float(((predicted.map(math.log) - data["loss"].map(math.log)) ** 2).sum())
    d = scalelaw.design_sweep(fit=fit, sizes=SIZES, tokens=TOKENS, target_flops=1e21, simulations=10)
    assert d.noise_sd == pytest.approx(math.sqrt(rss / (len(data) - 5)), rel=1e-6)
    assert d.truth["beta"] == pytest.approx(p["beta"], rel=1e-12)


@pytest.mark.parametrize("kwargs, needle", [
    (dict(sizes=SIZES, tokens=TOKENS, law="kaplan-loss", noise=0.01), "Chinchilla form"),
    (dict(sizes=SIZES, tokens=TOKENS), "noise"),
    (dict(sizes=SIZES, noise=0.01), "tokens"),
    (dict(sizes=SIZES, tokens=TOKENS, noise=0.01, candidates=[(1e9, 2e10, 3)]), "candidates"),
    (dict(sizes=SIZES, tokens=TOKENS, noise=-0.01), "noise"),
    (dict(sizes=SIZES, tokens=TOKENS, noise=0.01, target="N"), "N_opt"),
])
def test_bad_input_raises_invalid_argument(kwargs, needle):
    with pytest.raises(scalelaw.InvalidArgument, match=needle):
        scalelaw.design_sweep(target_flops=1e21, simulations=5, **kwargs)
