"""scalelaw design: sweep design before compute (simulated refits of a proposed sweep) through the binary."""
import csv
import json
import math
import os
import re
import shlex

import pytest

from conftest import EXAMPLE_RUNS, SOURCE_DIR

GRID = ["--sizes", "5e7,1e8,2e8,4e8,8e8", "--tokens", "1e9,3e9,1e10,3e10,1e11"]
SMALL_GRID = ["--sizes", "2.5e7,5e7,1e8,2e8", "--tokens", "1e9,3e9,1e10,3e10,1e11"]


def design(scalelaw, *args):
    return scalelaw("design", *args)


def test_grid_design_reports_intervals_around_the_truth(scalelaw):
    r = design(scalelaw, *GRID, "--law", "epoch", "--noise", "0.01", "--target-flops", "1e21", "--simulations", "60",
               "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert out["status"] == "usable"
    assert len(out["design"]) == 25
    # The truth's allocation and loss at the target are `scalelaw allocate --law epoch`'s (Hoffmann et al. 2022,
    # Eq. 4 with the Epoch constants), computed by another command.
    allocation = scalelaw("allocate", "--law", "epoch", "--flops", "1e21", "--json").json()
    assert out["true"]["N_opt"] == pytest.approx(allocation["params"], rel=1e-9)
    assert out["true"]["D_opt"] == pytest.approx(allocation["tokens"], rel=1e-9)
    assert out["true"]["loss"] == pytest.approx(allocation["loss"], rel=1e-9)
    for name in ("N_opt", "D_opt", "loss"):
        lo, hi = out["spread"][name]["ci95"]
        assert lo < out["true"][name] < hi, name
    assert out["refits"]["usable"] + out["refits"]["not_identifiable"] + out["refits"]["not_converged"] == 60

    table = design(scalelaw, *GRID, "--law", "epoch", "--noise", "0.01", "--target-flops", "1e21", "--simulations",
                   "60")
    assert table.code == 0, table.err
    assert "At C = 1e+21 FLOPs" in table.out and "N_opt" in table.out and "Status: usable" in table.out


def test_one_budget_isoflop_design_is_not_identifiable(scalelaw):
    r = design(scalelaw, "--budgets", "1e19", "--sizes", "5e7,1e8,2e8,4e8,8e8,1.6e9", "--noise", "0.01",
               "--target-flops", "1e21", "--simulations", "30")
    assert r.code == 1
    assert "not identifiable" in r.out  # the table still says what the refits found
    err = r.err.strip().splitlines()
    assert len(err) == 1 and "does not identify the law" in err[0]
    # Three budgets of the same sizes identify it.
    ok = design(scalelaw, "--budgets", "1e18,1e19,1e20", "--sizes", "5e7,1e8,2e8,4e8,8e8,1.6e9", "--noise", "0.01",
                "--target-flops", "1e21", "--simulations", "30")
    assert ok.code == 0, ok.err


def test_large_size_candidate_is_proposed_over_a_duplicate(scalelaw, tmp_path):
    # A CSV of candidates: a duplicate of the design's largest-compute run, and a size 10x the design's largest at
    # the same FLOPs.
    candidates = tmp_path / "candidates.csv"
    candidates.write_text("params,tokens\n2e8,1e11\n2e9,1e10\n")
    r = design(scalelaw, *SMALL_GRID, "--noise", "0.01", "--target-flops", "1e22", "--simulations", "100",
               "--candidates", str(candidates), "--json")
    assert r.code == 0, r.err
    out = r.json()
    dup, large = out["candidates"]
    assert dup["flops"] == pytest.approx(large["flops"]) == pytest.approx(6 * 2e8 * 1e11)
    assert large["shrink"] > 2 * large["shrink_se"]
    assert large["shrink"] > 2 * dup["shrink"]
    assert out["best_candidate"] == 1
    assert large["width"] == pytest.approx(out["target_width"] - large["shrink"])
    # The same candidates as N:D items and as a grid give the same widths.
    items = design(scalelaw, *SMALL_GRID, "--noise", "0.01", "--target-flops", "1e22", "--simulations", "100",
                   "--candidates", "2e8:1e11,2e9:1e10", "--json").json()
    assert [c["width"] for c in items["candidates"]] == [c["width"] for c in out["candidates"]]
    grid = design(scalelaw, *SMALL_GRID, "--noise", "0.01", "--target-flops", "1e22", "--simulations", "100",
                  "--candidate-sizes", "2e9", "--candidate-tokens", "1e10", "--json").json()
    assert grid["candidates"][0]["width"] == large["width"]


def test_same_seed_same_answer_for_any_thread_count_and_runs_csv_equals_the_grid(scalelaw, tmp_path):
    args = [*GRID, "--noise", "0.01", "--target-flops", "1e21", "--simulations", "40", "--json"]
    one = design(scalelaw, *args, "--threads", "1").json()
    two = design(scalelaw, *args, "--threads", "2").json()
    assert one["spread"] == two["spread"]
    other = design(scalelaw, *args, "--seed", "7").json()
    assert other["spread"]["N_opt"] != one["spread"]["N_opt"]
    runs = tmp_path / "runs.csv"
    with open(runs, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["n", "d"])
        for n in (5e7, 1e8, 2e8, 4e8, 8e8):
            for d in (1e9, 3e9, 1e10, 3e10, 1e11):
                w.writerow([n, d])
    from_csv = design(scalelaw, "--runs", str(runs), "--params-col", "n", "--tokens-col", "d", "--noise", "0.01",
                      "--target-flops", "1e21", "--simulations", "40", "--json").json()
    assert from_csv["spread"] == one["spread"]


def test_fit_as_truth_uses_its_residual_scale(scalelaw, tmp_path):
    fit_path = tmp_path / "fit.json"
    fitted = scalelaw("fit", EXAMPLE_RUNS, "--output", str(fit_path))
    assert fitted.code == 0, fitted.err
    params = json.loads(fit_path.read_text())["params"]
    # The residual scale recomputed here: sqrt(RSS / (n - 5)) of the fit's log residuals on its own runs.
    with open(EXAMPLE_RUNS) as f:
        rows = list(csv.DictReader(f))
    rss = 0.0
    for row in rows:
        n, d, loss = float(row["params"]), float(row["tokens"]), float(row["loss"])
        predicted = params["E"] + params["A"] / n ** params["alpha"] + params["B"] / d ** params["beta"]
        rss += (math.log(predicted) - math.log(loss)) ** 2
    sd = math.sqrt(rss / (len(rows) - 5))
    r = design(scalelaw, "--fit", str(fit_path), *GRID, "--target-flops", "1e21", "--simulations", "20", "--json")
    assert r.code in (0, 1), r.err
    out = r.json()
    assert out["noise_sd"] == pytest.approx(sd, rel=1e-6)
    assert out["truth"]["alpha"] == pytest.approx(params["alpha"], rel=1e-12)
    # --noise overrides the fit's scale.
    assert design(scalelaw, "--fit", str(fit_path), *GRID, "--target-flops", "1e21", "--simulations", "20",
                  "--noise", "0.002", "--json").json()["noise_sd"] == 0.002


def test_expected_bootstrap_width_is_reported(scalelaw):
    r = design(scalelaw, *GRID, "--noise", "0.01", "--target-flops", "1e21", "--simulations", "20", "--bootstrap",
               "30", "--bootstrap-sweeps", "3", "--json")
    assert r.code == 0, r.err
    boot = r.json()["bootstrap"]
    assert boot["simulations"] == 3
    assert boot["usable"] + boot["not_identifiable"] <= 3
    if boot["usable"]:
        assert set(boot["mean_width"]) == {"N_opt", "D_opt", "loss"}
        assert all(w > 0 for w in boot["mean_width"].values())


@pytest.mark.parametrize("args, needle", [
    (["--law", "kaplan-loss", *GRID, "--noise", "0.01", "--target-flops", "1e21"], "--law"),
    ([*GRID, "--target-flops", "1e21"], "--noise"),
    (["--sizes", "1e8,2e8", "--noise", "0.01", "--target-flops", "1e21"], "--tokens"),
    ([*GRID, "--noise", "-0.01", "--target-flops", "1e21"], "--noise"),
    ([*GRID, "--noise", "0.01", "--target-flops", "1e21", "--candidates", "1e9:x"], "--candidates"),
    ([*GRID, "--noise", "0.01", "--target-flops", "1e21", "--bootstrap", "1"], "bootstrap"),
    ([*GRID, "--noise", "0.01"], "--target-flops"),
])
def test_bad_input_is_one_line_and_exit_2(scalelaw, args, needle):
    r = design(scalelaw, *args)
    assert r.code == 2, (r.out, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], r.err


def test_bad_runs_csv_names_file_line_and_column(scalelaw, tmp_path):
    runs = tmp_path / "runs.csv"
    runs.write_text("params,tokens\n1e8,1e9\n2e8,abc\n")
    r = design(scalelaw, "--runs", str(runs), "--noise", "0.01", "--target-flops", "1e21")
    assert r.code == 2
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "runs.csv" in lines[0] and "3" in lines[0] and "tokens" in lines[0], r.err


def test_docs_worked_example_is_what_the_binary_prints(scalelaw):
    """docs/sweep-design.md shows the output of its first `scalelaw design` command: it must be what the binary
    prints (but the wall time)."""
    text = open(os.path.join(SOURCE_DIR, "docs", "sweep-design.md")).read()
    block = text.split("## Worked example")[1].split("```")[1].strip("\n").splitlines()
    command = block[0].removeprefix("$ ").rstrip("\\").strip() + " " + block[1].strip()
    shown = block[2:]
    args = shlex.split(command)[1:]
    r = scalelaw(*args)
    assert r.code == 0, r.err
    printed = r.out.rstrip("\n").splitlines()
    without_time = [re.sub(r"; [0-9.]+ s$", "", line) for line in printed]
    assert without_time == [re.sub(r"; [0-9.]+ s$", "", line) for line in shown]
