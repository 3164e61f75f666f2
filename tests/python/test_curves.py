"""scalelaw.read_curves and scalelaw.checkpoint_rows: logs as DataFrames, the policies recomputed with pandas."""
import csv
import glob
import json
import os

import numpy as np
import pandas as pd
import pytest

import scalelaw

SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
MULTIPOWER_25 = os.path.join(SHARED_DIR, "data", "multipower", "csv_25")


def write_jsonl(path, runs):
    with open(path, "w") as f:
        for run, points in runs.items():
            for step, loss, lr in points:
                f.write(json.dumps({"run": run, "step": step, "loss": loss, "lr": lr}) + "\n")


@pytest.fixture
def two_runs(tmp_path):
    rng = np.random.default_rng(3)
    runs = {}
    for run in ("a", "b"):
        steps = np.arange(100, 2100, 100)
        loss = 3 + 5 * steps ** -0.4 + 0.02 * rng.standard_normal(len(steps))
        lr = np.where(steps <= 1500, 1e-3, 1e-3 * (2000 - steps) / 500 + 1e-5)
        runs[run] = list(zip(steps.tolist(), loss.tolist(), lr.tolist()))
    path = tmp_path / "metrics.jsonl"
    write_jsonl(path, runs)
    return path, runs


def test_read_curves_gives_every_point(two_runs):
    path, runs = two_runs
    df = scalelaw.read_curves(path, run="run", params=1e8, batch_sequences=8, seq_len=512)
    assert list(df.columns) == ["run", "step", "tokens", "loss", "lr", "params", "batch_tokens", "schedule",
                                "source", "line"]
    assert df.attrs["metric"] == "loss"
    for run, points in runs.items():
        part = df[df["run"] == run]
        assert part["step"].tolist() == [p[0] for p in points]
        assert part["loss"].tolist() == [p[1] for p in points]
        assert part["lr"].tolist() == [p[2] for p in points]
        assert (part["tokens"] == part["step"] * 8 * 512).all()
    assert (df["params"] == 1e8).all()
    assert df["line"].tolist() == list(range(1, len(df) + 1))


@pytest.mark.parametrize("smooth", ["none", "ema:0.8", "ma:4"])
def test_checkpoint_policies_match_pandas(two_runs, smooth):
    path, _ = two_runs
    df = scalelaw.read_curves(path, run="run", params=1e8, batch_tokens=4096)
    rows = scalelaw.checkpoint_rows(df, checkpoints="all", smooth=smooth, skip_warmup=0.2)
    assert rows.attrs["checkpoints"].startswith("all, smoothing " + smooth)
    for run, part in df.groupby("run", sort=False):
        kept = part[part["step"] >= 0.2 * part["step"].iloc[-1]]["loss"]
        if smooth.startswith("ema"):
            expected = kept.ewm(alpha=1 - 0.8, adjust=False).mean()
        elif smooth.startswith("ma"):
            expected = kept.rolling(4, min_periods=1).mean()
        else:
            expected = kept
        got = rows[rows["run"] == run]["loss"].to_numpy()
        np.testing.assert_allclose(got, expected.to_numpy(), rtol=1e-13)


def test_final_and_cooldown_rows(two_runs):
    path, runs = two_runs
    df = scalelaw.read_curves(path, run="run", params=1e8, batch_tokens=4096)
    final = scalelaw.checkpoint_rows(df)
    assert final["loss"].tolist() == [runs["a"][-1][1], runs["b"][-1][1]]
    assert final["tokens"].tolist() == [2000 * 4096] * 2
    # The LR falls from 1e-3 to 1e-5 over the last quarter: one cooldown per run, at its end.
    cool = scalelaw.checkpoint_rows(df, checkpoints="cooldowns")
    assert cool["step"].tolist() == [2000, 2000]
    # A DataFrame filtered by the user: the stable phase alone has no cooldown; the warning names the run.
    with pytest.warns(scalelaw.ScalelawWarning, match="run 'b'.*gives no row"):
        part = scalelaw.checkpoint_rows(df[(df["run"] == "a") | (df["step"] <= 1500)], checkpoints="cooldowns")
    assert part["run"].tolist() == ["a"]
    # The rows are what scalelaw.fit reads.
    assert {"params", "tokens", "loss"} <= set(final.columns)


def test_multipower_logs_read_as_the_files_hold_them():
    if not os.path.isdir(MULTIPOWER_25):
        pytest.skip(f"SKIPPED: {MULTIPOWER_25} is absent (published data are read from ../shared, never copied)")
    logs = sorted(glob.glob(os.path.join(MULTIPOWER_25, "*.csv")))
    df = scalelaw.read_curves(logs, params=25e6, batch_tokens=0.5e6)
    # round_trip: pandas' default float parser is not correctly rounded (scalelaw's std::from_chars is).
    expected = pd.concat([pd.read_csv(p, float_precision="round_trip").assign(run=os.path.splitext(os.path.basename(p))[0]) for p in logs])
    assert len(df) == len(expected)
    np.testing.assert_array_equal(df["loss"].to_numpy(), expected["loss"].to_numpy())
    np.testing.assert_array_equal(df["lr"].to_numpy(), expected["lr"].to_numpy())
    final = scalelaw.checkpoint_rows(df)
    last = expected.groupby("run", sort=False).last()
    assert final["run"].tolist() == last.index.tolist()
    np.testing.assert_array_equal(final["loss"].to_numpy(), last["loss"].to_numpy())


def test_bad_input_raises_with_file_line_and_field(tmp_path):
    log = tmp_path / "r.csv"
    log.write_text("step,lr,loss\n1,1e-3,3\n2,,2\n")
    with pytest.raises(scalelaw.InputError, match=r"r\.csv, line 3, column 'lr'.*gap"):
        scalelaw.read_curves(log, batch_tokens=1)
    log.write_text("step,loss\n2,3\n1,2\n")
    with pytest.raises(scalelaw.InputError, match=r"r\.csv, line 3, column 'step'.*does not increase"):
        scalelaw.read_curves(log)
    with pytest.raises(scalelaw.InputError, match="no metric 'val_loss'"):
        scalelaw.read_curves(log, metric="val_loss")
    with pytest.raises(scalelaw.InvalidArgument, match="batch_tokens= must be a positive"):
        scalelaw.read_curves(log, batch_tokens=-1)
    # A DataFrame whose steps go back: the row is named.
    frame = pd.DataFrame({"run": ["x", "x"], "step": [5.0, 4.0], "loss": [3.0, 2.0], "tokens": [5.0, 4.0]})
    with pytest.raises(scalelaw.InputError, match=r"row 2.*step 4 does not increase"):
        scalelaw.checkpoint_rows(frame)
    with pytest.raises(scalelaw.InvalidArgument, match="no column 'loss'"):
        scalelaw.checkpoint_rows(frame.rename(columns={"loss": "ce"}))
    with pytest.raises(scalelaw.InvalidArgument, match="unknown smoothing"):
        scalelaw.checkpoint_rows(frame.iloc[:1], smooth="median")


def test_read_curves_of_a_hugging_face_trainer_state(tmp_path):
    """A trainer_state.json as TrainerState.save_to_json writes it (json.dumps(asdict(state), indent=2,
    sort_keys=True)): training entries, evaluation entries without a learning rate, a finished run's summary."""
    steps = [50 * k for k in range(1, 9)]
    loss = [4.0 - 0.2 * k + 0.01 * k * k for k in range(8)]
    lr = [6e-4 * min(1.0, s / 100) * (1 - s / 500) for s in steps]
    history = []
    for s, value, rate in zip(steps, loss, lr):
        history.append({"epoch": s / 400, "grad_norm": 0.8, "learning_rate": rate, "loss": value,
                        "num_input_tokens_seen": s * 4096, "step": s})
        if s % 100 == 0:
            history.append({"epoch": s / 400, "eval_loss": value + 0.05, "eval_runtime": 2.0, "step": s})
    history.append({"epoch": 1.0, "step": 400, "total_flos": 3e14, "train_loss": 3.4, "train_runtime": 30.0})
    path = tmp_path / "pythia-14m" / "checkpoint-400" / "trainer_state.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"global_step": 400, "log_history": history, "max_steps": 400}, indent=2,
                               sort_keys=True))

    df = scalelaw.read_curves(path, params=1.4e7)
    assert df["run"].unique().tolist() == ["pythia-14m"]
    assert df["step"].tolist() == steps
    assert df["loss"].tolist() == loss
    assert df["lr"].tolist() == lr
    assert df["tokens"].tolist() == [s * 4096 for s in steps]
    rows = scalelaw.checkpoint_rows(df)
    assert rows["loss"].tolist() == [loss[-1]] and rows["tokens"].tolist() == [400 * 4096]

    evals = scalelaw.read_curves(path, metric="eval_loss", where=["epoch>0.25"])
    assert evals["step"].tolist() == [200, 300, 400]
    assert evals["eval_loss"].tolist() == [loss[steps.index(s)] + 0.05 for s in (200, 300, 400)]
    assert evals["lr"].tolist() == [lr[steps.index(s)] for s in (200, 300, 400)]  # the training entry's LR

    history[3]["loss"] = "nan?"
    path.write_text(json.dumps({"log_history": history}))
    with pytest.raises(scalelaw.InputError, match=r"column 'loss': log_history entry 4: expected a number"):
        scalelaw.read_curves(path)
