"""scalelaw fit-hparams: learning-rate and batch-size laws from a grid sweep (Step Law procedure), end to end."""
import math
import os
import random

import pytest

from conftest import SHARED_DIR

STEP_RUNS = os.path.join(SHARED_DIR, "data", "steplaw", "dense_lr_bs_loss.csv")
STEP_COLUMNS = ["--params-col", "N", "--tokens-col", "D", "--lr-col", "lr", "--batch-col", "bs", "--seq-len", 2048,
                "--loss-col", "smooth loss"]
QUANTITIES = {"lr.coef", "lr.exp_params", "lr.exp_tokens", "batch_tokens.coef", "batch_tokens.exp_tokens"}


@pytest.fixture
def step_runs():
    if not os.path.exists(STEP_RUNS):
        pytest.skip(f"SKIPPED: {STEP_RUNS} is absent (published data are read from ../shared, never copied)")
    return STEP_RUNS


def exact_sweep_csv(seq_len=1):
    """Cells whose best run sits exactly on lr = 1.79 N^-0.713 D^0.307, B = 0.58 D^0.571 tokens."""
    lines = ["params,tokens,lr,batch,loss"]
    for n in (2e8, 5e8, 1e9):
        for d in (5e9, 2e10, 1e11):
            lr = 1.79 * n ** -0.713 * d ** 0.307
            batch = 0.58 * d ** 0.571 / seq_len
            for f_lr, f_b, loss in ((1, 1, 2.5), (0.5, 1, 2.6), (2, 1, 2.55), (1, 0.5, 2.58), (1, 2, 2.57)):
                lines.append(f"{n!r},{d!r},{lr * f_lr!r},{batch * f_b!r},{loss}")
    return "\n".join(lines) + "\n"


def test_step_law_release_reproduces_the_golden_numbers(scalelaw, step_runs):
    r = scalelaw("fit-hparams", step_runs, *STEP_COLUMNS, "--tolerance", 0.0025, "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert out["n_runs"] == 1911 and out["n_cells"] == 17 and out["n_kept"] == 129
    assert out["tolerance"] == 0.0025 and out["seq_len"] == 2048
    assert math.isclose(out["lr"]["coef"], 77.687, rel_tol=1e-3)
    assert math.isclose(out["lr"]["exp_params"], -0.76623, rel_tol=1e-3)
    assert math.isclose(out["lr"]["exp_tokens"], 0.19701, rel_tol=1e-3)
    assert math.isclose(out["batch_tokens"]["coef"], 0.20852, rel_tol=1e-3)
    assert math.isclose(out["batch_tokens"]["exp_tokens"], 0.61253, rel_tol=1e-3)
    assert "se" not in out and "ci95" not in out


def test_step_law_bootstrap_interval_excludes_the_papers_d_exponent(scalelaw, step_runs):
    r = scalelaw("fit-hparams", step_runs, *STEP_COLUMNS, "--bootstrap", 1000, "--seed", 0, "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert set(out["se"]) == QUANTITIES and set(out["ci95"]) == QUANTITIES
    low, high = out["ci95"]["lr.exp_tokens"]
    assert low < out["lr"]["exp_tokens"] < high < 0.307
    assert out["bootstrap"]["resamples"] == 1000 and out["bootstrap"]["failed"] == 0


def test_human_table_states_the_units(scalelaw, step_runs):
    r = scalelaw("fit-hparams", step_runs, *STEP_COLUMNS, "--bootstrap", 50)
    assert r.code == 0, r.err
    assert "1911 runs" in r.out and "17 (N, D) cells" in r.out
    assert "batch in tokens: column 'bs' (sequences) x seq_len 2048" in r.out
    assert "kept 129 runs within 0.25%" in r.out
    assert "lr           = 77.687 * N^-0.76623 * D^0.19701" in r.out
    assert "batch_tokens = 0.20852 * D^0.61253" in r.out
    assert "95% CI" in r.out
    assert r.err == ""


def test_exact_sweep_is_recovered_and_seq_len_converts_sequences(scalelaw):
    tokens = scalelaw("fit-hparams", "-", "--json", stdin=exact_sweep_csv()).json()
    sequences = scalelaw("fit-hparams", "-", "--json", "--seq-len", 4096, stdin=exact_sweep_csv(4096)).json()
    for out in (tokens, sequences):
        assert out["n_kept"] == 9 and out["usable"] is True
        assert math.isclose(out["lr"]["coef"], 1.79, rel_tol=1e-8)
        assert math.isclose(out["lr"]["exp_params"], -0.713, rel_tol=1e-9)
        assert math.isclose(out["lr"]["exp_tokens"], 0.307, rel_tol=1e-9)
        assert math.isclose(out["batch_tokens"]["coef"], 0.58, rel_tol=1e-8)
        assert math.isclose(out["batch_tokens"]["exp_tokens"], 0.571, rel_tol=1e-9)


def test_bootstrap_is_the_same_for_any_thread_count(scalelaw):
    rng = random.Random(5)
    lines = ["params,tokens,lr,batch,loss"]
    for n in (1e8, 3e8, 9e8):
        for d in (2e9, 8e9, 3.2e10):
            for _ in range(60):
                lr, b = math.exp(rng.uniform(-9, -4)), math.exp(rng.uniform(10, 15))
                dx = math.log(lr / (1.79 * n ** -0.713 * d ** 0.307))
                dy = math.log(b / (0.58 * d ** 0.571))
                lines.append(f"{n},{d},{lr!r},{b!r},{3 * (1 + 0.01 * dx * dx + 0.01 * dy * dy) + rng.gauss(0, 1e-4)!r}")
    text = "\n".join(lines) + "\n"
    args = ("fit-hparams", "-", "--bootstrap", 200, "--seed", 9, "--json")
    one = scalelaw(*args, "--threads", 1, stdin=text)
    four = scalelaw(*args, "--threads", 4, stdin=text)
    assert one.code == 0, one.err
    assert one.out == four.out
    cells = scalelaw(*args, "--resample", "cells", stdin=text).json()
    assert cells["bootstrap"]["resample"] == "cells"


def test_unidentifiable_design_exits_1_with_a_reason(scalelaw):
    # One (N, D) cell: neither exponent of the LR law is identified (one N alone gives a law in D, usable).
    text = "params,tokens,lr,batch,loss\n1e8,1e9,1e-3,64,2\n1e8,1e9,2e-3,64,2.1\n1e8,1e9,4e-3,128,2.2\n"
    r = scalelaw("fit-hparams", "-", "--json", stdin=text)
    assert r.code == 1
    out = r.json()
    assert out["usable"] is False and "cannot identify" in out["message"]
    assert "not usable" in r.err


@pytest.mark.parametrize("args, message", [
    (["--tolerance", -1], "tolerance"),
    (["--batch-col", "nope"], "nope"),
    (["--resample", "rows"], "--resample"),
    (["--seq-len", 0], "--seq-len"),
])
def test_bad_options_exit_2_with_one_line(scalelaw, args, message):
    r = scalelaw("fit-hparams", "-", *args, stdin=exact_sweep_csv())
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert r.out == ""


def test_one_model_size_gives_a_law_in_d_and_a_group_column_keeps_configurations_apart(scalelaw):
    rows = ["params,tokens,lr,batch,loss,experts"]
    for experts, factor in (("8", 1.0), ("64", 3.0)):
        for d in (1e9, 4e9, 1.6e10):
            best = factor * 1e-3 * (d / 1e9) ** -0.2
            for f, extra in ((0.5, 0.02), (1.0, 0.0), (2.0, 0.03)):
                rows.append(f"1e9,{d!r},{best * f!r},64,{2.0 + extra!r},{experts}")
    text = "\n".join(rows) + "\n"
    pooled = scalelaw("fit-hparams", "-", "--json", stdin=text).json()
    assert pooled["usable"] and pooled["lr_depends_on_params"] is False and pooled["lr"]["exp_params"] == 0
    assert pooled["n_cells"] == 3
    grouped = scalelaw("fit-hparams", "-", "--group-col", "experts", "--json", stdin=text)
    assert grouped.code == 0, grouped.err
    out = grouped.json()
    assert out["n_cells"] == 6 and sorted({c["group"] for c in out["cells"]}) == ["64", "8"]
    # Both configurations' optima in one regression: the D exponent of each, the intercept between them.
    assert math.isclose(out["lr"]["exp_tokens"], -0.2, rel_tol=1e-9)
    assert math.isclose(out["lr"]["coef"], 1e-3 * 3 ** 0.5 * 1e9 ** 0.2, rel_tol=1e-9)
    human = scalelaw("fit-hparams", "-", "--group-col", "experts", stdin=text)
    assert "the LR law is in D alone" in human.out and "group" in human.out and "spans only 0%" in human.err
