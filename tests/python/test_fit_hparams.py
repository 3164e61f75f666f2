"""scalelaw.fit_hparams: learning-rate and batch-size laws from a grid sweep (Step Law procedure)."""
import csv
import math
import os

import numpy as np
import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
STEP_RUNS = os.path.join(SHARED_DIR, "data", "steplaw", "dense_lr_bs_loss.csv")


def true_lr(n, d):
    return 1.79 * np.power(n, -0.713) * np.power(d, 0.307)


def true_batch(d):
    return 0.58 * np.power(d, 0.571)


def noisy_sweep(per_cell=400, seed=1):
    """Random lr and batch from one range shared by all cells; loss a bowl around the true optimum plus noise."""
    rng = np.random.default_rng(seed)
    n = np.repeat([1e8, 2e8, 4e8, 8e8], 4 * per_cell)
    d = np.tile(np.repeat([1e9, 4e9, 1.6e10, 6.4e10], per_cell), 4)
    lr = np.exp(rng.uniform(np.log(1e-4), np.log(3e-2), n.size))
    batch = np.exp(rng.uniform(np.log(2e4), np.log(4e6), n.size))
    dx, dy = np.log(lr / true_lr(n, d)), np.log(batch / true_batch(d))
    base = 1.8 + 400 / n ** 0.34 + 400 / d ** 0.28
    loss = base * (1 + 0.01 * dx ** 2 + 0.01 * dy ** 2) * (1 + rng.normal(0, 2e-4, n.size))
    return n, d, lr, batch, loss


def columns(n, d, lr, batch, loss):
    """The sweep as the keyword arguments of fit_hparams."""
    return {"params": n, "tokens": d, "lr": lr, "batch": batch, "loss": loss}


def test_recovers_known_laws_from_numpy_arrays():
    out = scalelaw.fit_hparams(**columns(*noisy_sweep()), bootstrap=100, seed=3)
    assert isinstance(out, scalelaw.HparamSweepResult)
    assert out.usable and out.status == "usable", out.message
    assert out.n_cells == 16 and out.n_runs == 6400
    assert out.lr.exp_params == pytest.approx(-0.713, abs=0.06)
    assert out.lr.exp_tokens == pytest.approx(0.307, abs=0.05)
    assert out.batch_tokens.exp_tokens == pytest.approx(0.571, abs=0.05)
    assert set(out.se) == {"lr.coef", "lr.exp_params", "lr.exp_tokens", "batch_tokens.coef",
                           "batch_tokens.exp_tokens"}
    for low, high in out.ci95.values():
        assert low < high
    assert [(c.params, c.tokens) for c in out.cells][:2] == [(1e8, 1e9), (1e8, 4e9)]


def test_typed_result_matches_its_dict_and_prints_the_cli_table():
    out = scalelaw.fit_hparams(**columns(*noisy_sweep(per_cell=100, seed=2)), bootstrap=20)
    as_dict = out.to_dict()
    assert as_dict["status"] == "usable" and as_dict["usable"] is True
    assert as_dict["lr"] == {"coef": out.lr.coef, "exp_params": out.lr.exp_params, "exp_tokens": out.lr.exp_tokens}
    assert as_dict["r2"] == out.r2 and as_dict["se"] == out.se
    assert [c["best_lr"] for c in as_dict["cells"]] == [c.best_lr for c in out.cells]
    assert as_dict["bootstrap"]["seed"] == 42  # the default seed, as the CLI's
    text = str(out)
    assert text.startswith("Hyperparameter laws from 1600 runs in 16 (N, D) cells\n")
    assert f"lr           = {out.lr.coef:.5g} * N^{out.lr.exp_params:.5f}" in text
    assert "bootstrap: 20 resamples of the kept runs (seed 42), 0 failed" in text
    assert repr(out).startswith("<HparamSweepResult lr=") and len(repr(out)) < 160


def test_lists_work_and_threads_do_not_change_the_bootstrap():
    n, d, lr, batch, loss = (list(x) for x in noisy_sweep(per_cell=100, seed=2))
    one = scalelaw.fit_hparams(**columns(n, d, lr, batch, loss), bootstrap=50, seed=1, threads=1)
    many = scalelaw.fit_hparams(**columns(n, d, lr, batch, loss), bootstrap=50, seed=1, threads=3)
    assert one.to_dict() == many.to_dict()


def test_seq_len_converts_sequences_to_tokens():
    n, d, lr, batch, loss = noisy_sweep(per_cell=100, seed=4)
    tokens = scalelaw.fit_hparams(**columns(n, d, lr, batch, loss))
    sequences = scalelaw.fit_hparams(**columns(n, d, lr, batch / 2048, loss), seq_len=2048)
    assert sequences.batch_tokens.coef == pytest.approx(tokens.batch_tokens.coef, rel=1e-9)
    assert sequences.batch_tokens.exp_tokens == pytest.approx(tokens.batch_tokens.exp_tokens, rel=1e-9)


def test_unidentifiable_sweep_is_a_result_with_its_status():
    # One (N, D) cell: neither exponent of the learning-rate law can be told from the intercept.
    n, d, lr, batch, loss = noisy_sweep(per_cell=50, seed=5)
    single = (n == 1e8) & (d == d.min())
    out = scalelaw.fit_hparams(**columns(n[single], d[single], lr[single], batch[single], loss[single]))
    assert not out.usable and out.status == "not identifiable"
    assert "cannot identify lr" in out.message and out.lr.coef == 0
    assert "NOT USABLE (not identifiable)" in str(out) and "not identifiable" in repr(out)


def test_invalid_input_raises_invalid_argument():
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.fit_hparams(**columns([1e8], [1e9], [1e-3], [64], [-2.0]))
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.fit_hparams(**columns([1e8, 2e8], [1e9], [1e-3], [64], [2.0]))
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.fit_hparams(**columns([1e8], [1e9], [1e-3], [64], [2.0]), tolerance=-1)
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.fit_hparams(**columns([1e8], [1e9], [1e-3], [64], [2.0]), resample="rows")
    with pytest.raises(scalelaw.InvalidArgument, match="by keyword"):
        scalelaw.fit_hparams([1e8, 2e8])  # an array where the table goes
    with pytest.raises(scalelaw.InvalidArgument, match="batch: no values"):
        scalelaw.fit_hparams(params=[1e8], tokens=[1e9], lr=[1e-3], loss=[2.0])


def test_step_law_release():
    if not os.path.exists(STEP_RUNS):
        pytest.skip(f"SKIPPED: {STEP_RUNS} is absent (published data are read from ../shared, never copied)")
    with open(STEP_RUNS) as fh:
        rows = list(csv.DictReader(fh))
    table = {k: np.array([float(r[k]) for r in rows]) for k in ("N", "D", "lr", "bs", "smooth loss")}
    out = scalelaw.fit_hparams(table, params="N", tokens="D", batch="bs", loss="smooth loss", seq_len=2048,
                               tolerance=0.0025, bootstrap=1000, seed=0)
    assert out.n_kept == 129
    assert math.isclose(out.lr.coef, 77.687, rel_tol=1e-3)
    assert math.isclose(out.lr.exp_params, -0.76623, rel_tol=1e-3)
    assert math.isclose(out.lr.exp_tokens, 0.19701, rel_tol=1e-3)
    assert math.isclose(out.batch_tokens.coef, 0.20852, rel_tol=1e-3)
    assert math.isclose(out.batch_tokens.exp_tokens, 0.61253, rel_tol=1e-3)
    assert out.ci95["lr.exp_tokens"][1] < 0.307


def test_a_table_by_column_names():
    n, d, lr, batch, loss = noisy_sweep(per_cell=100, seed=4)
    arrays = scalelaw.fit_hparams(**columns(n, d, lr, batch, loss))
    table = {"N": n, "D": d, "peak lr": lr, "bs": batch, "smooth loss": loss}
    named = scalelaw.fit_hparams(table, params="N", tokens="D", lr="peak lr", batch="bs", loss="smooth loss")
    assert named.to_dict() == arrays.to_dict()
    # The CLI's column names are the defaults.
    assert scalelaw.fit_hparams(columns(n, d, lr, batch, loss)).to_dict() == arrays.to_dict()


def test_group_keeps_configurations_apart_and_one_size_gives_a_law_in_d():
    rows = {"params": [], "tokens": [], "lr": [], "batch": [], "loss": [], "experts": []}
    for experts, factor in (("8", 1.0), ("64", 3.0)):
        for d in (1e9, 4e9, 1.6e10):
            best = factor * 1e-3 * (d / 1e9) ** -0.2
            for f, extra in ((0.5, 0.02), (1.0, 0.0), (2.0, 0.03)):
                for key, value in (("params", 1e9), ("tokens", d), ("lr", best * f), ("batch", 64.0),
                                   ("loss", 2.0 + extra), ("experts", experts)):
                    rows[key].append(value)
    with pytest.warns(scalelaw.ScalelawWarning, match="spans only 0%"):
        out = scalelaw.fit_hparams(rows, group="experts")
    assert out.usable and not out.lr_depends_on_params and out.lr.exp_params == 0
    assert out.n_cells == 6 and sorted({c.group for c in out.cells}) == ["64", "8"]
    assert out.lr.exp_tokens == pytest.approx(-0.2, rel=1e-9)
    assert out.r2["batch_tokens_nd"] == 0 and out.batch_tokens_nd.coef == 0
