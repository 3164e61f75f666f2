"""The rest of issue 7's bad-input list beyond test_bad_input.py: more bad cells, values that overflow in the
model, standard input empty or closed, and bad numbers and names on the command line. Each is exit 2 with one
line on stderr ("scalelaw: error: ..."), never a crash, a hang, a NaN or a 300-digit range."""
import json
import math
import os
import re
import subprocess

import pytest

from conftest import EXAMPLE_RUNS
from test_bad_input import HEADER, assert_usage_error, write

def assert_short_one_liner(result, *fragments):
    assert_usage_error(result, *fragments)
    assert len(result.err) < 200, result.err
    assert not re.search(r"[0-9]{20}", result.err), result.err  # no 300-digit range from a validator


@pytest.mark.parametrize("body, fragments", [
    (HEADER + "1e8,0,3\n", ["line 2, column 'tokens'", "positive"]),
    (HEADER + "1e8,1e9,-3\n", ["line 2, column 'loss'", "positive"]),
    (HEADER + "1e8,-inf,3\n", ["line 2, column 'tokens'", "infinity"]),
    (HEADER + "1e8,1e9,NaN\n", ["line 2, column 'loss'", "NaN"]),
    (HEADER + "1e-400,1e9,3\n", ["line 2, column 'params'", "out of the range"]),
    (HEADER + "0x10,1e9,3\n", ["line 2, column 'params'", "expected a number, got '0x10'"]),
    (HEADER + "1e8,1e9,3 4\n", ["line 2, column 'loss'", "expected a number, got '3 4'"]),
    (HEADER + '"1e8,1e9,3\n', ["line 2", "quoted cell is not closed"]),
    ("params;tokens;loss\n1e8;1e9;3\n", ["line 1, column 'params'", "delimiter"]),
    ("params,,loss\n1e8,1e9,3\n", ["line 1, column 'tokens'", "missing column"]),
])
def test_more_bad_cells(scalelaw, tmp_path, body, fragments):
    path = write(tmp_path, body)
    assert_usage_error(scalelaw("fit", path), path, *fragments)


def test_bad_cell_in_the_flops_column(scalelaw, tmp_path):
    path = write(tmp_path, "params,flops,loss\n1e8,abc,3\n")
    assert_usage_error(scalelaw("fit", path, "--flops-col", "flops"), path, "line 2, column 'flops'", "'abc'")


def runs_with(first_row):
    rows = [first_row] + [f"{n:g},{20 * n:g},{2 + 400 / n ** 0.34 + 410 / (20 * n) ** 0.28:.6f}"
                          for n in (2e8, 4e8, 8e8, 1.6e9, 3.2e9)]
    return HEADER + "\n".join(rows) + "\n"


@pytest.mark.parametrize("row", ["1e308,2e9,3", "1e8,1e308,3", "1e8,2e9,1e308"], ids=["N", "D", "loss"])
def test_values_that_overflow_in_the_model_never_give_an_infinite_usable_fit(scalelaw, tmp_path, row, request):
    r = scalelaw("fit", write(tmp_path, runs_with(row)), "--json")
    assert r.code in (0, 1, 2), (r.code, r.err)
    if r.code == 2:
        assert_usage_error(r, "line 2")
        return
    fit = r.json()
    assert fit["converged"] is (r.code == 0)
    if fit["converged"]:
        assert all(v is not None and math.isfinite(v) for v in fit["params"].values()), fit["params"]
        assert fit["objective"] is not None and math.isfinite(fit["objective"])


@pytest.mark.parametrize("row, column", [("1e308,2e9,3", "params"), ("1e8,1e308,3", "tokens")], ids=["N", "D"])
def test_compute_that_overflows_is_an_input_error(scalelaw, tmp_path, row, column):
    path = write(tmp_path, runs_with(row))
    assert_usage_error(scalelaw("fit", path), path, f"line 2, column '{column}'", "6·N·D overflows a double")


def test_stdin_empty_or_closed(scalelaw):
    binary = os.environ["SCALELAW_CLI"]
    empty = subprocess.run([binary, "fit", "-"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=60)
    closed = subprocess.run([binary, "fit", "-"], preexec_fn=lambda: os.close(0), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=60)
    for completed in (empty, closed):
        assert completed.returncode == 2, completed
        assert completed.stderr.strip().splitlines() == [
            "scalelaw: error: <stdin>: the file is empty (expected a header line naming the columns)"]


def test_stdin_with_runs(scalelaw):
    with open(EXAMPLE_RUNS) as runs:
        r = scalelaw("fit", "-", "--json", "--starts", "lhs:8", stdin=runs.read())
    assert r.code == 0, r.err
    assert r.json()["n_points"] == 48


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(scalelaw, tmp_path):
    path = write(tmp_path, HEADER + "1e8,1e9,3\n")
    os.chmod(path, 0)
    assert_usage_error(scalelaw("fit", path), path, "cannot open", "Permission denied")


@pytest.mark.parametrize("args, fragments", [
    (["allocate", "--law", "epoch", "--flops", "nan"], ["--flops: 'nan' must be a positive finite number"]),
    (["allocate", "--law", "epoch", "--flops", "NaN"], ["--flops: 'NaN'"]),
    (["allocate", "--law", "epoch", "--flops", ""], ["--flops: '' is not a number"]),
    (["allocate", "--law", "epoch", "--flops", "1e400"], ["--flops: '1e400' is out of the range of a double"]),
    (["allocate", "--law", "epoch", "--flops", "0x10"], ["--flops: '0x10' is not a number"]),
    (["allocate", "--law", "epoch", "--target-loss", "0"], ["--target-loss: '0'"]),
    (["allocate", "--law", "epoch", "--target-loss", "1.0"], ["target loss 1 is not above", "irreducible"]),
    (["allocate", "--law", "epoch", "--flops", "1e22", "--inference-tokens", "nan"], ["--inference-tokens"]),
    (["allocate", "--flops", "1e22", "--unique-tokens", "-1"], ["--unique-tokens: '-1'"]),
    (["predict-lr", "--params", "-7e9", "--tokens", "2e12"], ["--params: '-7e9' must be a positive"]),
    (["predict-lr", "--params", "0", "--tokens", "2e12"], ["--params: '0'"]),
    (["predict-lr", "--params", "nan", "--tokens", "2e12"], ["--params: 'nan'"]),
    (["predict-lr", "--params", "7e9", "--tokens", "abc"], ["--tokens: 'abc' is not a number"]),
    (["predict-batch", "--params", "7e9", "--tokens", "2e12", "--seq-len", "0"], ["--seq-len: '0'"]),
    (["predict-batch", "--params", "7e9", "--tokens", "2e12", "--seq-len", "-5"], ["--seq-len: '-5'"]),
    (["predict-wd", "--params", "1e9", "--tokens", "2e10", "--batch", "0", "--lr", "1e-3"], ["--batch: '0'"]),
    (["predict-vocab", "--params", "7e9", "--flops", "-1"], ["--flops: '-1'"]),
    (["transfer-lr", "--lr", "-1", "--from-tokens", "1e11", "--to-tokens", "1e12"], ["--lr: '-1'"]),
    (["plan", "--flops", "nan"], ["--flops: 'nan'"]),
    (["fit", EXAMPLE_RUNS, "--at-flops", "0"], ["--at-flops: '0'"]),
    (["fit", EXAMPLE_RUNS, "--at-flops", "nan"], ["--at-flops: 'nan'"]),
    (["fit", EXAMPLE_RUNS, "--asymmetry", "0"], ["--asymmetry: '0'"]),
    (["fit", EXAMPLE_RUNS, "--huber-delta", "1e400"], ["--huber-delta: '1e400' is out of the range"]),
    (["fit", EXAMPLE_RUNS, "--threads", "1e9"], ["--threads"]),
    (["fit", EXAMPLE_RUNS, "--seed", "x"], ["--seed"]),
    (["fit", EXAMPLE_RUNS, "--starts", "lhs:0"], ["--starts lhs:0: expected auto, grid, lhs:N or varpro[:K] with N, K >= 1"]),
    (["fit", EXAMPLE_RUNS, "--starts", "lhs:x"], ["--starts lhs:x"]),
    (["fit", EXAMPLE_RUNS, "--starts", "random"], ["--starts random: expected auto, grid, lhs:N or varpro[:K]"]),
    (["fit", EXAMPLE_RUNS, "--fix", "E=abc"], ["--fix E=abc: 'abc' is not a finite number"]),
    (["fit", EXAMPLE_RUNS, "--grid", "alpha=0:1:0"], ["--grid alpha=0:1:0", "STEP > 0"]),
    (["fit", EXAMPLE_RUNS, "--bound", "A=2:1"], ["bounds of 'A'", "expected lower < upper, got 2:1"]),
    (["fit", EXAMPLE_RUNS, "--output", "/nonexistent/dir/fit.json"],
     ["cannot write the fit to '/nonexistent/dir/fit.json': No such file or directory"]),
])
def test_more_bad_numbers_on_the_command_line(scalelaw, args, fragments):
    assert_short_one_liner(scalelaw(*args), *fragments)


@pytest.mark.parametrize("option, value", [
    ("--bootstrap", "-1"), ("--bootstrap", "x"), ("--drop-highest", "-1"), ("--holdout-top", "-2"),
    ("--threads", "x"), ("--threads", "-1"),
])
def test_integer_options_have_short_messages(scalelaw, option, value):
    assert_short_one_liner(scalelaw("fit", EXAMPLE_RUNS, option, value), f"{option}: '{value}' must be a whole number")


@pytest.mark.parametrize("args", [
    ["isoflop", EXAMPLE_RUNS, "--min-sizes", "2"], ["isoflop", EXAMPLE_RUNS, "--threads", "-1"],
    ["isoflop", EXAMPLE_RUNS, "--seed", "-3"], ["isoflop", EXAMPLE_RUNS, "--bootstrap", "1.5"],
    ["fit-hparams", EXAMPLE_RUNS, "--threads", "-2"], ["fit-hparams", EXAMPLE_RUNS, "--seed", "x"],
    ["fit-hparams", EXAMPLE_RUNS, "--bootstrap", "-1"],
])
def test_whole_number_options_of_the_other_commands(scalelaw, args):
    assert_short_one_liner(scalelaw(*args), f"{args[2]}: '{args[3]}' must be a whole number")


def test_budget_tolerance_out_of_range(scalelaw):
    assert_short_one_liner(scalelaw("isoflop", EXAMPLE_RUNS, "--budget-tolerance", "2"),
                           "--budget-tolerance: '2' must be a number from 0 to 1")


def test_negative_seed(scalelaw):
    assert_short_one_liner(scalelaw("fit", EXAMPLE_RUNS, "--seed", "-1", "--bootstrap", "2"),
                           "--seed: '-1' must be a whole number >= 0")


@pytest.mark.parametrize("formula", ["", "  "])
def test_empty_formula(scalelaw, formula):
    assert_short_one_liner(scalelaw("fit", EXAMPLE_RUNS, "--formula", formula), "--formula: the formula is empty")


@pytest.mark.parametrize("item, fragments", [
    ("alpha", ["--grid alpha: expected NAME=START:STOP:STEP or NAME=V1,V2,..."]),
    ("alpha=0.1,x", ["--grid alpha=0.1,x: 'x' is not a finite number"]),
    ("alpha=0:1", ["--grid alpha=0:1: expected START:STOP:STEP"]),
])
def test_grid_messages_name_the_forms(scalelaw, item, fragments):
    assert_short_one_liner(scalelaw("fit", EXAMPLE_RUNS, "--grid", item), *fragments)


@pytest.mark.parametrize("args, fragments", [
    (["predict-lr", "--params", "7e9", "--tokens", "2e12", "--law", "stepp"], ["no learning rate law 'stepp'"]),
    (["predict-loss", "--params", "7e9", "--tokens", "2e12", "--law", "chinchillaa"], ["no loss law 'chinchillaa'"]),
    (["laws", "show", "nope"], ["unknown law 'nope'", "known: chinchilla"]),
    (["fit", EXAMPLE_RUNS, "--objective", "hubber"], ["--objective", "hubber"]),
    (["fit", EXAMPLE_RUNS, "--fix", "Q=1"], ["model 'chinchilla' has no parameter 'Q'"]),
    (["fit", EXAMPLE_RUNS, "--tie", "alpha=zeta"], ["no parameter 'zeta'"]),
    (["fit", EXAMPLE_RUNS, "--formula", "E + foo(N)"], ["formula: unknown function 'foo' at column 5"]),
    (["fit", EXAMPLE_RUNS, "--formula", "E + A/N^alpha)"], ["formula: unexpected ')' at column 14"]),
    (["isoflop", EXAMPLE_RUNS, "--flops-col", "nosuch"], ["line 1, column 'nosuch'", "missing column"]),
    (["allocate", "--fit", EXAMPLE_RUNS, "--flops", "1e21"], ["not valid JSON"]),
])
def test_unknown_names(scalelaw, args, fragments):
    assert_usage_error(scalelaw(*args), *fragments)


def test_fit_file_with_an_unknown_model(scalelaw, tmp_path):
    path = write(tmp_path, json.dumps({"model": "chinchila", "params": {"E": 1.7}}), "fit.json")
    assert_usage_error(scalelaw("allocate", "--fit", path, "--flops", "1e21"), path, 'key "model"', "chinchila")


def test_fit_file_with_a_count_beyond_int(scalelaw, tmp_path):
    fit = {"model": "chinchilla", "params": {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28},
           "n_points": 1e300}
    path = write(tmp_path, json.dumps(fit), "fit.json")
    assert_usage_error(scalelaw("allocate", "--fit", path, "--flops", "1e21"), path, 'key "n_points"')
