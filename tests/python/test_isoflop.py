"""scalelaw.isoflop: Chinchilla Approach 2 (IsoFLOP parabolas) from Python."""
import csv
import os
import re

import pathlib

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
    out = scalelaw.isoflop(params=n, tokens=d, loss=loss)
    assert isinstance(out, scalelaw.IsoflopResult) and out.usable and out.status == "usable"
    assert abs(out.a - A_TRUE) < 1e-9 and abs(out.b - (1 - A_TRUE)) < 1e-9
    # The quadratic approximation's known bias lands in k only on a symmetric grid: e^delta = 1.0167 here.
    assert out.k_params / (G * 6 ** -A_TRUE) == pytest.approx(1.0167, abs=1e-4)
    assert [b.n_runs for b in out.budgets] == [9, 9, 9, 9]
    assert all(b.used for b in out.budgets)
    # Each budget's vertex sits on the budget: D* = C/(6 N*).
    for b in out.budgets:
        assert isinstance(b, scalelaw.IsoflopBudget) and b.tokens == pytest.approx(b.flops / (6 * b.params), rel=1e-12)
    with_flops = scalelaw.isoflop(params=list(n), flops=list(c), loss=list(loss))
    assert with_flops.a == pytest.approx(out.a, abs=1e-12)
    named = scalelaw.isoflop({"N": n, "L": loss, "C": c}, params="N", loss="L", flops="C")
    assert named.a == with_flops.a
    # The CLI's column names are the defaults.
    assert scalelaw.isoflop({"params": n, "tokens": d, "loss": loss}).a == out.a


def test_typed_result_matches_its_dict_and_prints_the_cli_table():
    n, d, _, loss = grid(noise=0.002, seed=4)
    out = scalelaw.isoflop(params=n, tokens=d, loss=loss, bootstrap=50)
    as_dict = out.to_dict()
    assert as_dict["status"] == "usable" and as_dict["usable"] is True
    assert (as_dict["a"], as_dict["k_params"], as_dict["b"], as_dict["k_tokens"]) == (out.a, out.k_params, out.b,
                                                                                      out.k_tokens)
    assert as_dict["se"] == out.se and {k: tuple(v) for k, v in as_dict["ci95"].items()} == out.ci95
    assert [b["params"] for b in as_dict["budgets"]] == [b.params for b in out.budgets]
    assert as_dict["bootstrap"]["seed"] == 42  # the default seed, as the CLI's
    text = str(out)
    assert text.startswith("IsoFLOP parabolas (Chinchilla Approach 2) on 36 runs\n")
    assert f"a  = {out.a:.4g}  (SE {out.se['a']:.2g}" in text
    assert "status            usable (4 of 4 budgets in the power-law fit)" in text
    assert repr(out).startswith("<IsoflopResult a=") and len(repr(out)) < 120


def test_bootstrap_same_for_any_thread_count():
    n, d, _, loss = grid(noise=0.002, seed=4)
    one = scalelaw.isoflop(params=n, tokens=d, loss=loss, bootstrap=300, seed=11, threads=1)
    many = scalelaw.isoflop(params=n, tokens=d, loss=loss, bootstrap=300, seed=11, threads=4)
    assert one.to_dict() == many.to_dict()
    low, high = one.ci95["a"]
    assert low < one.a < high
    assert abs(one.a - A_TRUE) < 0.012  # 3.5 SD of the sampling spread at 0.2% noise
    assert 0 < one.se["a"] < 0.02


def test_unusable_is_a_result_with_its_status():
    n, d, _, loss = grid(budgets=(1e20,))
    one_budget = scalelaw.isoflop(params=n, tokens=d, loss=loss)
    assert not one_budget.usable and one_budget.status == "not identifiable"
    assert "1 of 1 budgets usable" in one_budget.message
    assert one_budget.a == 0 and one_budget.budgets[0].used  # a fine parabola, but a line needs two budgets
    assert "NOT USABLE (not identifiable" in str(one_budget) and "1 of 1 budgets usable" in str(one_budget)
    assert "not identifiable" in repr(one_budget)
    n, d, _, loss = grid(sizes=2)
    with pytest.warns(scalelaw.ScalelawWarning, match="fewer than 3 distinct N"):
        few = scalelaw.isoflop(params=n, tokens=d, loss=loss)
    assert few.status == "not identifiable" and "0 of 4 budgets usable" in few.message
    assert few.budgets[0].params is None  # no vertex: None, as the JSON's null


def test_bad_arguments():
    n, d, c, loss = grid()
    with pytest.raises(scalelaw.InvalidArgument, match="isoflop\\(params=N, tokens=D, loss=L\\)"):
        scalelaw.isoflop(n)  # arrays go by keyword
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.isoflop(params=n, loss=loss)  # neither tokens nor flops
    with pytest.raises(scalelaw.InvalidArgument, match="not both"):
        scalelaw.isoflop(params=n, tokens=d, budget=c, flops=c, loss=loss)
    with pytest.raises(scalelaw.InvalidArgument, match="vertex method 'cubic'"):
        scalelaw.isoflop(params=n, tokens=d, loss=loss, vertex="cubic")
    with pytest.raises(scalelaw.InvalidArgument, match="needs the tokens"):
        scalelaw.isoflop(params=n, budget=c, loss=loss, d_star="own")
    with pytest.raises(scalelaw.InvalidArgument, match="same length"):
        scalelaw.isoflop(params=n[:-1], tokens=d, loss=loss)
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.isoflop(params=n, tokens=d, loss=loss, min_sizes=2)
    with pytest.raises(scalelaw.InvalidArgument, match="no table"):
        scalelaw.isoflop(params="N", tokens=d, loss=loss)
    with pytest.raises(scalelaw.InvalidArgument, match="no column 'N'"):
        scalelaw.isoflop({"n": n, "tokens": d, "loss": loss}, params="N")
    bad = loss.copy()
    bad[3] = np.nan
    with pytest.raises(scalelaw.InvalidArgument, match="run 4"):
        scalelaw.isoflop(params=n, tokens=d, loss=bad)


def test_chinchilla_isoflop_profiles():
    if not os.path.exists(CHINCHILLA_RUNS):
        pytest.skip(f"SKIPPED: {CHINCHILLA_RUNS} is absent")
    with open(CHINCHILLA_RUNS, newline="") as f:
        rows = list(csv.DictReader(f))
    column = {name: [float(row[name]) for row in rows] for name in ("Model Size", "Training FLOP", "loss")}
    with pytest.warns(scalelaw.ScalelawWarning):
        out = scalelaw.isoflop(params=column["Model Size"], flops=column["Training FLOP"], loss=column["loss"],
                               budget_tolerance=0.04, min_sizes=6)
    assert out.n_budgets_used == 9
    assert out.a == pytest.approx(0.4817, abs=5e-5)
    assert 0.462 < out.a < 0.534  # Chinchilla Table 2, Approach 2, 10th-90th percentile


# --- As labs run it: data/generate_isoflop_runs.py (budget labels, FLOPs = 6ND·(N/3e8)^0.1) ---
LAB_RUNS = pathlib.Path(__file__).resolve().parents[2] / "data" / "isoflop_runs.csv"
LAB_A, LAB_B = 0.432099, 0.524691  # the script's true exponents; a + b = 0.956790


def lab_table():
    import csv
    with open(LAB_RUNS) as fh:
        rows = list(csv.DictReader(fh))
    return {key: np.array([float(r[key]) for r in rows]) for key in ("budget", "params", "tokens", "loss")}


def test_budget_labels_recover_a_and_b_with_a_plus_b_not_1():
    table = lab_table()
    out = scalelaw.isoflop(table, budget="budget", bootstrap=200, seed=1)
    assert out.usable and out.grouping == "label" and out.d_star == "own" and out.vertex == "quadratic"
    # 3.5 SD of the spread over 200 replications of the script (SD 0.0047 for a, 0.0051 for b)
    assert abs(out.a - LAB_A) < 0.017 and abs(out.b - LAB_B) < 0.018
    assert abs(out.b - (1 - out.a)) > 0.015
    assert set(out.se) == {"a", "b", "k_params", "k_tokens"}
    assert out.ci95["b"][0] < LAB_B < out.ci95["b"][1]
    assert out.table_columns == {"params": "params", "tokens": "tokens", "budget": "budget", "loss": "loss"}
    first = out.budgets[0]
    assert first.ratio_6nd is not None and first.ratio_6nd[1] / first.ratio_6nd[0] == pytest.approx(1.3499, rel=1e-3)
    assert out.to_dict()["grouping"] == "label"
    # The same through arrays, and the Chinchilla D* for comparison (b = 1 - a).
    same = scalelaw.isoflop(params=table["params"], tokens=table["tokens"], budget=table["budget"],
                            loss=table["loss"])
    assert same.a == out.a and same.b == out.b
    chinchilla = scalelaw.isoflop(table, budget="budget", d_star="flops")
    assert chinchilla.b == pytest.approx(1 - chinchilla.a, abs=1e-9)


def test_vertex_methods_and_options_reach_the_result():
    table = lab_table()
    for vertex in ("local", "akima"):
        out = scalelaw.isoflop(table, budget="budget", vertex=vertex, window=5)
        assert out.usable and out.vertex == vertex and out.window == 5
    weighted = scalelaw.isoflop(table, budget="budget", weighted=True)
    assert weighted.weighted and all(b.log_params_sd > 0 for b in weighted.budgets)
    assert scalelaw.isoflop(table, budget="budget", keep_outside=True).keep_outside


def test_grouping_by_6nd_fragments_and_suggests_budget():
    table = lab_table()
    with pytest.warns(scalelaw.ScalelawWarning):
        out = scalelaw.isoflop(table)
    assert not out.usable and "--budget-col; Python budget=" in out.message


def test_plot_data_puts_labelled_runs_in_their_budget():
    table = lab_table()
    out = scalelaw.isoflop(table, budget="budget")
    chart = scalelaw._scalelaw._isoflop_chart(out, table["params"], table["tokens"], None, table["loss"],
                                              table["budget"])
    assert [len(b["runs"]["params"]) for b in chart["budgets"]] == [9] * 7


def test_disagreement_threshold_decides_the_warning():
    table = lab_table()
    ratios = 6 * table["params"] * table["tokens"] / table["budget"]
    largest = float(np.max(np.abs(ratios - 1)))  # 0.337 in this file
    quiet = scalelaw.isoflop(table, budget="budget", disagreement=largest * 1.01)
    assert quiet.disagreement == pytest.approx(largest * 1.01)
    assert not any(w.startswith("6ND differs") for w in quiet.warnings)
    with pytest.warns(scalelaw.ScalelawWarning, match="6ND differs"):
        loud = scalelaw.isoflop(table, budget="budget", disagreement=0.3)
    off = int(np.sum(np.abs(ratios - 1) > 0.3))
    assert 0 < off < len(ratios)
    assert f"by more than 30% for {off} of {len(ratios)} runs" in " ".join(loud.warnings)
    assert loud.to_dict()["disagreement"] == 0.3
    with pytest.raises(scalelaw.InvalidArgument, match="disagreement"):
        scalelaw.isoflop(table, budget="budget", disagreement=0)


def test_weight_resamples_reach_the_weights():
    table = lab_table()
    quiet = {"budget": "budget", "disagreement": 0.4}  # above every run's 6ND/C - 1: no warning
    default = scalelaw.isoflop(table, weighted=True, **quiet)
    few = scalelaw.isoflop(table, weighted=True, weight_resamples=20, **quiet)
    many = scalelaw.isoflop(table, weighted=True, weight_resamples=2000, **quiet)
    assert (default.weight_resamples, few.weight_resamples, many.weight_resamples) == (200, 20, 2000)
    assert few.to_dict()["weight_resamples"] == 20
    # Monte Carlo estimates of the same spreads (relative SE about 1/sqrt(2K)): other draws, close values.
    for d, f, m in zip(default.budgets, few.budgets, many.budgets):
        assert d.log_params_sd != f.log_params_sd
        assert d.log_params_sd == pytest.approx(m.log_params_sd, rel=0.2)
        assert f.log_params_sd == pytest.approx(m.log_params_sd, rel=0.6)
    assert scalelaw.isoflop(table, **quiet).weight_resamples == 0
    with pytest.raises(scalelaw.InvalidArgument, match="weight resamples"):
        scalelaw.isoflop(table, weighted=True, weight_resamples=9, **quiet)


def test_every_option_has_the_same_default_in_python_and_the_cli():
    """The analysis's options (IsoflopOptions, as _isoflop_defaults lists them) are keywords of scalelaw.isoflop and
    options of `scalelaw isoflop` with the library's defaults."""
    import inspect
    import subprocess

    defaults = scalelaw._scalelaw._isoflop_defaults()
    assert {"weight_resamples", "disagreement"} <= set(defaults)
    signature = inspect.signature(scalelaw.isoflop).parameters
    for name, value in defaults.items():
        assert name in signature, name
        assert signature[name].default == value, name
    cli = os.environ.get("SCALELAW_CLI")
    if not cli:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")
    help_text = subprocess.run([cli, "isoflop", "--help"], capture_output=True, text=True, check=True).stdout
    for name, value in defaults.items():
        option = "--" + name.replace("_", "-")
        if isinstance(value, bool):  # flags, off by default
            assert value is False and re.search(rf"^\s*{option}\s", help_text, re.M), option
            continue
        line = re.search(rf"^\s*{option} (.*?)(?:\s{{2,}}|$)", help_text, re.M)  # "--window INT:in [3, 1000000]=5"
        assert line, option
        shown = re.search(r"=(\S+)$", line.group(1))
        if shown:
            assert type(value)(shown.group(1)) == value, option
        else:  # shown without a default: 0 (none, or all threads)
            assert value == 0, option
