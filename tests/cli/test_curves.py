"""scalelaw curve table: training logs into the rows `scalelaw fit` reads, and its bad-input contract."""
import csv
import io
import json
import math
import os
import struct

import pytest

from conftest import SHARED_DIR, SOURCE_DIR

MULTIPOWER_25 = os.path.join(SHARED_DIR, "data", "multipower", "csv_25")

# A Chinchilla-form law the synthetic curves follow exactly: L(N, D) = E + A / N^alpha + B / D^beta.
LAW = {"E": 1.8, "A": 400.0, "B": 1800.0, "alpha": 0.34, "beta": 0.28}
BATCH_TOKENS = 2 ** 20


def law(n, d):
    return LAW["E"] + LAW["A"] / n ** LAW["alpha"] + LAW["B"] / d ** LAW["beta"]


def last_row(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return rows[-1], len(rows)


def one_error_line(result):
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    return lines[0]


def assert_refused(result, expected):
    """Exit 2 with one error line that holds every part of expected."""
    assert result.code == 2
    line = one_error_line(result)
    for part in expected:
        assert part in line, line


def test_final_rows_of_the_multipower_logs(scalelaw, tmp_path):
    if not os.path.isdir(MULTIPOWER_25):
        pytest.skip(f"SKIPPED: {MULTIPOWER_25} is absent (published data are read from ../shared, never copied)")
    logs = sorted(os.path.join(MULTIPOWER_25, name) for name in os.listdir(MULTIPOWER_25) if name.endswith(".csv"))
    out = tmp_path / "rows.csv"
    result = scalelaw("curve", "table", *logs, "--params", "25e6", "--batch-tokens", "0.5e6", "--output", out)
    assert result.code == 0, result.err
    assert f"{len(logs)} rows from {len(logs)} runs" in result.out
    with open(out) as f:
        rows = list(csv.DictReader(f))
    assert [row["run"] for row in rows] == [os.path.splitext(os.path.basename(p))[0] for p in logs]
    for log, row in zip(logs, rows):
        last, _ = last_row(log)
        assert float(row["loss"]) == float(last["loss"])
        assert float(row["lr"]) == float(last["lr"])
        assert float(row["step"]) == float(last["step"])
        assert float(row["tokens"]) == float(last["step"]) * 0.5e6
        assert float(row["params"]) == 25e6
        assert row["checkpoints"] == "final, smoothing none"


def write_sized_logs(folder):
    """One JSON Lines log per size, the loss at every 500th step exactly the law's at D = step x batch."""
    paths = []
    for n in (2e7, 6e7, 2e8, 6e8):
        path = folder / f"run-{n:.0e}.jsonl"
        with open(path, "w") as f:
            for step in range(500, 20001, 500):
                f.write(json.dumps({"step": step, "train": {"loss": law(n, step * BATCH_TOKENS)},
                                    "throughput": 1e5}) + "\n")
        paths.append(path)
    facts = folder / "facts.csv"
    facts.write_text("run,params\n" + "".join(f"run-{n:.0e},{n}\n" for n in (2e7, 6e7, 2e8, 6e8)))
    return paths, facts


def test_every_point_of_curves_feeds_a_fit_that_recovers_the_law(scalelaw, tmp_path):
    logs, facts = write_sized_logs(tmp_path)
    table = tmp_path / "rows.csv"
    result = scalelaw("curve", "table", *logs, "--metric", "train/loss", "--facts", facts, "--batch-tokens",
                      BATCH_TOKENS, "--checkpoints", "all", "--output", table)
    assert result.code == 0, result.err
    fit = scalelaw("fit", table, "--json", "--objective", "squared")
    assert fit.code == 0, fit.err
    params = fit.json()["params"]
    for name, value in LAW.items():
        assert params[name] == pytest.approx(value, rel=1e-3), name


def test_wandb_export_json_output(scalelaw, tmp_path):
    log = tmp_path / "history.csv"
    log.write_text("_step,_runtime,train/loss,train/lr,eval/loss\n"
                   "100,1,4.0,1e-3,\n200,2,3.5,1e-3,\n200,2.5,,,3.9\n300,3,3.0,5e-4,\n")
    result = scalelaw("curve", "table", log, "--metric", "train/loss", "--batch-seqs", 4, "--seq-len", 1000,
                      "--checkpoints", "all", "--smooth", "ema:0.5", "--json")
    assert result.code == 0, result.err
    table = json.loads(result.out)
    assert table["metric"] == "train/loss"
    assert table["checkpoints"] == "all, smoothing ema:0.5"
    rows = table["rows"]
    assert [r["step"] for r in rows] == [100, 200, 300]
    assert [r["tokens"] for r in rows] == [4e5, 8e5, 1.2e6]
    # The EMA by hand: 4, 0.5*4 + 0.5*3.5 = 3.75, 0.5*3.75 + 0.5*3 = 3.375.
    assert [r["loss"] for r in rows] == [4.0, 3.75, 3.375]
    assert [r["lr"] for r in rows] == [1e-3, 1e-3, 5e-4]
    assert rows[0]["params"] is None


def test_cooldowns_give_one_row_per_branch(scalelaw, tmp_path):
    log = tmp_path / "branches.csv"
    log.write_text("run,step,lr,loss\n"
                   "stable,1000,1e-3,3.2\nstable,2000,1e-3,3.0\n"
                   "cool-a,1000,1e-3,3.2\ncool-a,1500,1e-4,2.9\n"
                   "cool-b,1000,1e-3,3.2\ncool-b,2000,1e-3,3.0\ncool-b,2500,1e-4,2.7\n")
    result = scalelaw("curve", "table", log, "--run-col", "run", "--params", "1e8", "--batch-tokens", "1e6",
                      "--checkpoints", "cooldowns")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert [(r["run"], float(r["tokens"]), float(r["loss"])) for r in rows] == [("cool-a", 1.5e9, 2.9),
                                                                                  ("cool-b", 2.5e9, 2.7)]
    assert "run 'stable'" in result.err and "gives no row" in result.err


@pytest.mark.parametrize("text,args,expected", [
    ("step,loss\n1,3\n3,2\n2,1\n", [], ["steps.csv, line 4, column 'step'", "does not increase"]),
    ("step,loss\n1,3\n", ["--metric", "train/loss"], ["steps.csv, line 1, column 'train/loss'", "no metric"]),
    ("step,lr,loss\n1,1e-3,3\n2,,2\n", [], ["steps.csv, line 3, column 'lr'", "gap", "step 2"]),
])
def test_bad_logs_exit_2_with_one_line(scalelaw, tmp_path, text, args, expected):
    log = tmp_path / "steps.csv"
    log.write_text(text)
    assert_refused(scalelaw("curve", "table", log, "--batch-tokens", 1, *args), expected)


def test_jsonl_without_the_metric_names_a_close_key(scalelaw, tmp_path):
    log = tmp_path / "m.jsonl"
    log.write_text('{"step": 1, "train/loss": 3.0}\n')
    result = scalelaw("curve", "table", log, "--batch-tokens", 1)
    assert result.code == 2
    assert "did you mean 'train/loss'?" in one_error_line(result)


def masked_crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc32c(length)) + data + struct.pack("<I", masked_crc32c(data))


def scalar_event(step, tag, value):
    """Event{step = 2, summary = 5 {value = 1 {tag = 1, simple_value = 2}}} in protobuf's wire format."""
    value_bytes = b"\x0a" + bytes([len(tag)]) + tag.encode() + b"\x15" + struct.pack("<f", value)
    summary = b"\x0a" + bytes([len(value_bytes)]) + value_bytes
    return b"\x10" + bytes([step]) + b"\x2a" + bytes([len(summary)]) + summary


def test_tensorboard_file_cut_short_exits_2(scalelaw, tmp_path):
    events = record(scalar_event(1, "loss", 3.5)) + record(scalar_event(2, "loss", 3.0))
    path = tmp_path / "events.out.tfevents.1.test"
    path.write_bytes(events)
    good = scalelaw("curve", "table", path, "--batch-tokens", 10, "--checkpoints", "all")
    if good.code == 2 and "without protobuf" in good.err:
        pytest.skip("SKIPPED: this build reads no TensorBoard files (no protobuf)")
    assert good.code == 0, good.err
    rows = list(csv.DictReader(io.StringIO(good.out)))
    assert [(float(r["step"]), float(r["loss"])) for r in rows] == [(1, 3.5), (2, 3.0)]
    path.write_bytes(events[:-6])
    cut = scalelaw("curve", "table", path, "--batch-tokens", 10)
    assert cut.code == 2
    line = one_error_line(cut)
    assert "events.out.tfevents.1.test" in line and "record 2: truncated" in line


def test_bad_options_exit_2(scalelaw, tmp_path):
    log = tmp_path / "r.csv"
    log.write_text("step,loss\n1,3\n")
    result = scalelaw("curve", "table", log, "--smooth", "median:3", "--batch-tokens", 1)
    assert result.code == 2 and "--smooth" in one_error_line(result)
    result = scalelaw("curve", "table", log)  # tokens neither logged nor computable
    assert result.code == 2 and "batch" in one_error_line(result)
    assert scalelaw("curve").code == 2  # the group needs a subcommand


def hf_trainer_state(train, evals, tokens_per_step, summary=True):
    """A trainer_state.json as the Hugging Face Trainer writes it: TrainerState.save_to_json is
    json.dumps(asdict(state), indent=2, sort_keys=True); log_history holds Trainer.log's entries with "step"."""
    history = []
    for step, loss, lr in train:
        history.append({"epoch": step / train[-1][0], "grad_norm": float("nan") if step == train[1][0] else 0.9,
                        "learning_rate": lr, "loss": loss, "num_input_tokens_seen": step * tokens_per_step,
                        "step": step})
        for eval_step, eval_loss in evals:
            if eval_step == step:
                history.append({"epoch": step / train[-1][0], "eval_loss": eval_loss, "eval_runtime": 1.5,
                                "eval_samples_per_second": 80.0, "eval_steps_per_second": 10.0,
                                "num_input_tokens_seen": step * tokens_per_step, "step": step})
    if summary:
        history.append({"epoch": 1.0, "step": train[-1][0], "total_flos": 1e15, "train_loss": 3.3,
                        "train_runtime": 12.5, "train_samples_per_second": 40.0, "train_steps_per_second": 5.0})
    state = {"best_metric": None, "best_model_checkpoint": None, "epoch": 1.0, "eval_steps": 200,
             "global_step": train[-1][0], "is_hyper_param_search": False, "is_local_process_zero": True,
             "is_world_process_zero": True, "log_history": history, "logging_steps": 100,
             "max_steps": train[-1][0], "num_train_epochs": 1, "save_steps": train[-1][0], "total_flos": 1e15,
             "train_batch_size": 8, "trial_name": None, "trial_params": None}
    return json.dumps(state, indent=2, sort_keys=True) + "\n"  # a NaN grad_norm is written as NaN, as Python does


def test_trainer_states_of_several_sizes_give_their_final_rows(scalelaw, tmp_path):
    sizes = {"pythia-70m": 7e7, "pythia-160m": 1.6e8}
    tokens_per_step = 2 ** 20
    logs, facts = [], ["run,params"]
    for run, n in sizes.items():
        steps = [100 * k for k in range(1, 11)]
        train = [(s, law(n, s * tokens_per_step) + 0.05 * (1000 - s) / 1000, 1e-3 * (1 - s / 1100)) for s in steps]
        evals = [(s, law(n, s * tokens_per_step) + 0.01) for s in (200, 400, 600, 800, 1000)]
        path = tmp_path / run / "checkpoint-1000" / "trainer_state.json"
        path.parent.mkdir(parents=True)
        path.write_text(hf_trainer_state(train, evals, tokens_per_step))
        logs.append(path)
        facts.append(f"{run},{n}")
    (tmp_path / "sizes.csv").write_text("\n".join(facts) + "\n")
    result = scalelaw("curve", "table", *logs, "--facts", tmp_path / "sizes.csv")
    assert result.code == 0, result.err
    rows = {r["run"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert set(rows) == set(sizes)
    for run, n in sizes.items():
        assert float(rows[run]["params"]) == n
        assert float(rows[run]["tokens"]) == 1000 * tokens_per_step  # num_input_tokens_seen, not a batch option
        assert float(rows[run]["loss"]) == pytest.approx(law(n, 1000 * tokens_per_step), rel=1e-12)
        assert float(rows[run]["lr"]) == pytest.approx(1e-3 * (1 - 1000 / 1100), rel=1e-12)
    # The eval loss of the first half of training (epoch <= 0.5): its last point is step 400.
    result = scalelaw("curve", "table", logs[0], "--metric", "eval_loss", "--where", "epoch<=0.5",
                      "--params", "7e7", "--checkpoints", "all")
    assert result.code == 0, result.err
    points = [(float(r["step"]), float(r["loss"])) for r in csv.DictReader(io.StringIO(result.out))]
    assert points == [(s, pytest.approx(law(7e7, s * tokens_per_step) + 0.01, rel=1e-12)) for s in (200, 400)]


@pytest.mark.parametrize("state,expected", [
    ({"global_step": 10, "max_steps": 10}, ["trainer_state.json, column 'log_history'", "no log_history"]),
    ({"log_history": [{"loss": 3.0, "step": 1}, {"loss": 2.5, "step": "two"}]},
     ["column 'step': log_history entry 2", "expected a number, got text 'two'"]),
    ({"log_history": [{"loss": 3.0, "step": 1}, {"loss": float("inf"), "step": 2}]},
     ["column 'loss': log_history entry 2", "not a finite number: Infinity"]),
])
def test_bad_trainer_states_exit_2_with_one_line(scalelaw, tmp_path, state, expected):
    path = tmp_path / "trainer_state.json"
    path.write_text(json.dumps(state, indent=2))
    assert_refused(scalelaw("curve", "table", path, "--batch-tokens", 1), expected)


def test_a_restarted_tensorboard_run_is_its_directory(scalelaw, tmp_path):
    run = tmp_path / "tb-run"
    run.mkdir()
    # Steps 1-4, then a restart from the checkpoint at step 2 that logs 3-5 again in a later file.
    (run / "events.out.tfevents.1700000000.host").write_bytes(
        b"".join(record(scalar_event(s, "loss", v)) for s, v in [(1, 4.0), (2, 3.5), (3, 3.25), (4, 3.0)]))
    (run / "events.out.tfevents.1700000900.host").write_bytes(
        b"".join(record(scalar_event(s, "loss", v)) for s, v in [(3, 3.375), (4, 3.125), (5, 2.75)]))
    result = scalelaw("curve", "table", run, "--batch-tokens", 10, "--checkpoints", "all")
    if result.code == 2 and "without protobuf" in result.err:
        pytest.skip("SKIPPED: this build reads no TensorBoard files (no protobuf)")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {r["run"] for r in rows} == {"tb-run"}
    assert [(float(r["step"]), float(r["loss"])) for r in rows] == [(1, 4.0), (2, 3.5), (3, 3.375), (4, 3.125),
                                                                    (5, 2.75)]
    refused = scalelaw("curve", "table", run, "--batch-tokens", 10, "--where", "step>1")
    assert refused.code == 2 and "no row to filter" in one_error_line(refused)


def test_docs_show_what_the_trainer_state_example_gives(scalelaw):
    """docs/curves.md shows the output of `curve table` on examples/logs/...: it must be what the binary writes."""
    state = os.path.join(SOURCE_DIR, "examples", "logs", "pythia-14m-hf", "checkpoint-40", "trainer_state.json")
    with open(os.path.join(SOURCE_DIR, "docs", "curves.md")) as f:
        docs = f.read()
    for args in (["--params", "1.4e7", "--checkpoints", "all"],
                 ["--params", "1.4e7", "--metric", "eval_loss", "--where", "epoch<=0.5", "--checkpoints", "all"]):
        result = scalelaw("curve", "table", state, *args)  # the run is named by the directory, wherever it is
        assert result.code == 0, result.err
        assert result.out in docs, result.out
