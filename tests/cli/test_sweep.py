"""scalelaw sweep: the runs of a grid as a CSV a trainer reads, read back by scalelaw fit and scalelaw isoflop once
the loss column is filled in (here from a Chinchilla-form law written out again), and its bad input."""
import csv
import math
import os
import shlex

import pytest
from conftest import SOURCE_DIR

# Hoffmann et al. 2022's form, L = E + A / N^alpha + B / D^beta, with Epoch's constants.
TRUTH = dict(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28)


def truth_loss(n, d):
    return TRUTH["E"] + TRUTH["A"] / n ** TRUTH["alpha"] + TRUTH["B"] / d ** TRUTH["beta"]


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def log_losses(path):
    """Fills the loss column as a trainer would once the runs are done."""
    rows = read_rows(path)
    for row in rows:
        assert row["loss"] == ""
        row["loss"] = repr(truth_loss(float(row["params"]), float(row["tokens"])))
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_isoflop_sweep_round_trips_through_fit_and_isoflop(scalelaw, tmp_path):
    path = tmp_path / "runs.csv"
    result = scalelaw("sweep", "--budgets", "1e18,3e18,1e19,3e19,1e20", "--law", "chinchilla", "--per-budget", 7,
                      "--seq-len", 2048, "--output", path)
    assert result.code == 0, result.err
    assert "35 runs written" in result.out
    # Before the runs are logged, a fit says so in one line.
    empty = scalelaw("fit", path)
    assert empty.code == 2
    assert len(empty.err.strip().splitlines()) == 1
    assert "column 'loss'" in empty.err and "not been logged yet" in empty.err

    rows = log_losses(path)
    assert len(rows) == 35
    assert {row["budget"] for row in rows} == {"1e+18", "3e+18", "1e+19", "3e+19", "1e+20"}
    for row in rows:
        tokens, fpt, budget = float(row["tokens"]), float(row["flops_per_token"]), float(row["budget"])
        assert fpt == 6 * int(row["params"])
        assert abs(tokens * fpt - budget) <= 0.5 * fpt
        assert int(row["steps"]) * int(row["batch_tokens"]) >= tokens
        assert int(row["batch_tokens"]) == int(row["batch_sequences"]) * int(row["seq_len"])

    fit = scalelaw("fit", path, "--json")
    assert fit.code == 0, fit.err
    params = fit.json()["params"]
    for name, value in TRUTH.items():
        assert params[name] == pytest.approx(value, rel=1e-4), name

    iso = scalelaw("isoflop", path, "--json")
    assert iso.code == 0, iso.err
    out = iso.json()
    assert out["n_budgets_used"] == 5
    # Chinchilla Eq. 4: N_opt grows as C^(beta / (alpha + beta)); the parabolas' vertices recover it.
    assert out["a"] == pytest.approx(TRUTH["beta"] / (TRUTH["alpha"] + TRUTH["beta"]), abs=2e-3)


def test_a_fit_centres_the_next_sweep_on_its_n_opt(scalelaw, tmp_path):
    path, fit = tmp_path / "runs.csv", tmp_path / "fit.json"
    assert scalelaw("sweep", "--budgets", "1e18,1e19,1e20", "--min-params", 2e7, "--max-params", 4e8, "--output",
                    path).code == 0
    log_losses(path)
    assert scalelaw("fit", path, "--output", fit).code == 0
    out = scalelaw("sweep", "--budgets", "1e21", "--fit", fit, "--per-budget", 3, "--spread", 2, "--json").json()
    n_opt = scalelaw("allocate", "--fit", fit, "--flops", "1e21", "--json").json()["params"]
    assert [run["target_params"] for run in out["runs"]] == pytest.approx([n_opt / 2, n_opt, n_opt * 2], rel=1e-9)


def test_rows_have_the_counts_and_lr_the_other_commands_give(scalelaw, tmp_path):
    path = tmp_path / "runs.csv"
    assert scalelaw("sweep", "--budgets", "1e19", "--min-params", 5e7, "--max-params", 4e8, "--per-budget", 3,
                    "--output", path).code == 0
    rows = read_rows(path)
    assert [row["run_id"] for row in rows] == ["run-001", "run-002", "run-003"]
    for row in rows:
        counted = scalelaw("count", "--layers", row["layers"], "--d-model", row["d_model"], "--heads", row["heads"],
                           "--kv-heads", row["kv_heads"], "--vocab", row["vocab"], "--seq-len", row["seq_len"],
                           "--json").json()
        assert counted["params"]["total"] == int(row["params"])
        assert counted["params"]["non_embedding"] == int(row["non_embedding_params"])
        assert counted["params"]["non_vocabulary"] == int(row["non_vocabulary_params"])
        lr = scalelaw("predict-lr", "--law", "step", "--params", row["non_vocabulary_params"], "--tokens",
                      row["tokens"], "--json").json()
        assert float(row["lr"]) == pytest.approx(lr["lr"], rel=1e-12)
        # The Step Law's batch written out: 0.58 D^0.571 tokens in sequences of seq_len.
        assert int(row["batch_sequences"]) == round(0.58 * float(row["tokens"]) ** 0.571 / int(row["seq_len"]))
        # The Step Law's own schedule at the row's peak and steps (scalelaw laws show step-lr).
        kind, fields = row["schedule"].split(":")
        spec = dict(field.split("=") for field in fields.split(","))
        assert kind == "cosine" and spec["end"] == "1e-5" and spec["steps"] == row["steps"]
        assert float(spec["peak"]) == pytest.approx(float(row["lr"]), rel=5e-6)
        assert int(spec["warmup"]) == min(2000, int(row["steps"]) // 10)
    given = tmp_path / "given.csv"
    assert scalelaw("sweep", "--budgets", "1e19", "--min-params", 5e7, "--max-params", 4e8, "--per-budget", 3,
                    "--schedule", "wsd", "--output", given).code == 0
    assert {row["schedule"] for row in read_rows(given)} == {"wsd"}


def test_nxd_grid_fits_back(scalelaw, tmp_path):
    path = tmp_path / "grid.csv"
    result = scalelaw("sweep", "--tokens", "1e9,3e9,1e10,3e10,1e11", "--sizes", "3e7,1e8,3e8,1e9,3e9",
                      "--batch-tokens", 1048576, "--output", path)
    assert result.code == 0, result.err
    rows = log_losses(path)
    assert len(rows) == 25
    assert all(row["budget"] == "" and int(row["batch_tokens"]) == 1048576 for row in rows)
    fit = scalelaw("fit", path, "--json")
    assert fit.code == 0, fit.err
    for name, value in TRUTH.items():
        assert fit.json()["params"][name] == pytest.approx(value, rel=1e-4), name


def test_another_convention_is_read_back_by_its_budget_labels(scalelaw, tmp_path):
    path = tmp_path / "runs.csv"
    result = scalelaw("sweep", "--budgets", "1e18,1e19,1e20", "--min-params", 2e7, "--max-params", 4e8,
                      "--convention", "chinchilla", "--seq-len", 2048, "--output", path)
    assert result.code == 0, result.err
    assert "--budget-col budget" in result.out
    log_losses(path)
    iso = scalelaw("isoflop", path, "--budget-col", "budget", "--json")
    assert iso.code == 0, iso.err
    assert [round(math.log10(b["flops"]), 6) for b in iso.json()["budgets"]] == [18, 19, 20]


def test_table_and_json(scalelaw):
    table = scalelaw("sweep", "--budgets", "1e19", "--sizes", "5e7,1e8,2e8")
    assert table.code == 0, table.err
    assert "sweep plan: 3 runs (isoFLOP grid)" in table.out
    out = scalelaw("sweep", "--budgets", "1e19", "--sizes", "5e7,1e8,2e8", "--json").json()
    assert out["status"] == "usable" and len(out["runs"]) == 3
    assert out["runs"][0]["params"]["total"] > 0 and out["runs"][0]["lr_law"] == "step-lr"


@pytest.mark.parametrize("args, option", [
    (("--budgets", "1e19", "--tokens", "1e9", "--sizes", "1e8"), "--tokens"),
    (("--sizes", "1e8"), "--budgets"),
    (("--budgets", "1e19", "--min-params", "1e8"), "--max-params"),
    (("--budgets", "1e19", "--sizes", "1e8", "--min-params", "1e7", "--max-params", "1e8"), "--sizes"),
    (("--budgets", "1e19", "--sizes", "1e8", "--lr-law", "chinchilla"), "--lr-law"),
    (("--budgets", "1e19", "--sizes", "1e8", "--head-dims", "0"), "--head-dims"),
    (("--tokens", "1e9", "--law", "chinchilla"), "--law"),
    (("--budgets", "-1", "--sizes", "1e8"), "--budgets"),
    (("--budgets", "1", "--sizes", "1e8"), "--budgets: C = 1 buys less than one token"),
    (("--budgets", "1e19", "--sizes", "1e8", "--batch-law", "kaplan"), "laws that answer there: step, deepseek"),
    (("--budgets", "1e19", "--sizes", "1e8", "--lr-law", "bjorck"), "--lr-law: law 'bjorck' needs"),
])
def test_bad_options_name_the_option(scalelaw, args, option):
    result = scalelaw("sweep", *args)
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert option in result.err


def test_the_run_a_design_proposes_is_planned(scalelaw, tmp_path):
    design = tmp_path / "design.json"
    result = scalelaw("design", "--sizes", "2.5e7,5e7,1e8,2e8", "--tokens", "1e9,3e9,1e10,3e10,1e11", "--noise",
                      "0.01", "--target-flops", "1e22", "--candidates", "2e9:1e10,8e8:3e9", "--json")
    assert result.code == 0, result.err
    design.write_text(result.out)
    proposed = result.json()["candidates"][result.json()["best_candidate"]]
    out = scalelaw("sweep", "--design", design, "--json").json()
    [run] = out["runs"]
    assert run["target_params"] == proposed["params"] and run["tokens"] == proposed["tokens"]
    # A design without a proposal, and one beside --sizes: one line, exit 2.
    bare = tmp_path / "bare.json"
    bare.write_text('{"candidates": []}')
    result = scalelaw("sweep", "--design", bare)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "bare.json" in result.err and "best_candidate" in result.err
    assert scalelaw("sweep", "--design", design, "--sizes", "1e8").code == 2


def test_sizes_the_constraints_cannot_build_exit_1_with_the_reason(scalelaw):
    result = scalelaw("sweep", "--budgets", "1e21", "--min-params", 1e9, "--max-params", 2e9, "--max-d-model", 256)
    assert result.code == 1
    assert "no shape within 50% of N = 1e+09" in result.err


def test_docs_worked_example_is_what_the_binary_prints(scalelaw, tmp_path):
    """docs/sweep-plan.md shows the stdout of its `scalelaw sweep` command, its warnings, and the refusal of a fit
    of the unlogged file: they must be what the binary prints."""
    text = open(os.path.join(SOURCE_DIR, "docs", "sweep-plan.md")).read()
    blocks = text.split("## Worked example")[1].split("```")
    lines = blocks[1].strip("\n").splitlines()
    command = lines[0].removeprefix("$ ").rstrip("\\").strip() + " " + lines[1].strip()
    args = shlex.split(command)[1:]
    result = scalelaw(*args)
    assert result.code == 0, result.err
    assert result.out.rstrip("\n").splitlines() == lines[2:]
    assert result.err.rstrip("\n").splitlines() == blocks[3].strip("\n").splitlines()
    path = tmp_path / "runs.csv"
    assert scalelaw(*args, "--output", path).code == 0
    shown_fit = blocks[5].strip("\n").splitlines()
    assert shown_fit[0] == "$ scalelaw fit runs.csv"
    refused = scalelaw("fit", path)
    assert refused.code == 2
    assert refused.err.strip().replace(str(path), "runs.csv") == shown_fit[1]
