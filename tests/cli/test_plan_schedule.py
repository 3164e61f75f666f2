"""scalelaw plan --fit curves.json: the run's LR schedule designed against a fitted Multi-Power Law (Luo et al. 2025,
arXiv:2503.12811) at the plan's steps, peak and warmup, equal to what `scalelaw curve schedule` designs when asked
the same; and plan --vocab-from-law, the shape given the vocabulary law's vocabulary."""
import csv
import math
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from multipower_25m import TRAIN, log, write_facts  # noqa: E402


@pytest.fixture
def curve_fit(scalelaw, tmp_path):
    """The paper's 25M training curves fitted by `scalelaw curve fit` (skipped when ../shared is absent)."""
    facts = write_facts(tmp_path)
    path = tmp_path / "curves.json"
    fitted = scalelaw("curve", "fit", *[log(n) for n in TRAIN], "--facts", facts, "--output", path)
    assert fitted.code == 0, fitted.err
    return path


def test_plan_designs_the_schedule_curve_schedule_designs(scalelaw, curve_fit, tmp_path):
    lr_csv = tmp_path / "lr.csv"
    result = scalelaw("plan", "--flops", "1e20", "--fit", curve_fit, "--schedule-output", lr_csv, "--json")
    assert result.code == 0, result.err
    run = result.json()["configuration"]
    designed = run["designed_schedule"]
    assert designed["against"] == f"fit:{curve_fit}"
    assert designed["usable"] and designed["steps"] == run["steps"] and designed["peak"] == run["peak_lr"]
    assert designed["warmup"] == 2000  # the step law's schedule's warmup
    assert designed["min_lr"] == pytest.approx(run["peak_lr"] / 10, rel=1e-15)
    assert designed["final_loss"] <= min(b["final_loss"] for b in designed["baselines"])
    # The same design from `curve schedule`, asked for the plan's steps, peak and warmup: the same CSV, byte for byte.
    direct_csv = tmp_path / "direct.csv"
    direct = scalelaw("curve", "schedule", "--fit", curve_fit, "--steps", int(run["steps"]), "--peak",
                      repr(run["peak_lr"]), "--warmup", 2000, "--output", direct_csv, "--json")
    assert direct.code == 0, direct.err
    assert lr_csv.read_text() == direct_csv.read_text()
    assert direct.json()["final_loss"] == designed["final_loss"]
    with open(lr_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == run["steps"]
    assert max(float(r["lr"]) for r in rows) == pytest.approx(run["peak_lr"], rel=1e-12)
    # What the law cannot vouch for is warned on stderr: one size, a longer run, another peak LR.
    assert "fitted at one model size" in result.err
    assert "beyond the 24000 of the longest curve" in result.err
    assert "outside the fitted curves' peaks (0.0003 to 0.0003)" in result.err


def test_plan_table_names_the_designed_schedule_and_the_rows_written(scalelaw, curve_fit, tmp_path):
    lr_csv = tmp_path / "lr.csv"
    result = scalelaw("plan", "--flops", "1e20", "--law", "chinchilla", "--fit", curve_fit, "--schedule-output",
                      lr_csv)
    assert result.code == 0, result.err
    assert f"designed against fit:{curve_fit}: the peak until step" in result.out
    assert "best WSD             wsd:peak=" in result.out
    assert "LR law's schedule    cosine:peak=" in result.out
    steps = int(next(line.split()[1] for line in result.out.splitlines() if line.strip().startswith("steps ")))
    assert f"{steps} rows (step,lr) of the designed schedule written to {lr_csv}" in result.out


def test_schedule_bad_input_is_one_line(scalelaw, curve_fit, tmp_path):
    def one_line(result, code, text):
        assert result.code == code, result.err
        lines = [line for line in result.err.splitlines() if line.startswith("scalelaw: error")]
        assert len(lines) == 1 and text in lines[0], result.err

    # --schedule-output without a curve fit.
    one_line(scalelaw("plan", "--flops", "1e20", "--schedule-output", tmp_path / "x.csv"), 2,
             "--schedule-output: give a multi-power curve fit")
    # Two curve fits, and a fit that sets N and D beside --law.
    one_line(scalelaw("plan", "--flops", "1e20", "--fit", curve_fit, "--fit", curve_fit), 2,
             "a second curve law for the schedule")
    fit_json = tmp_path / "fit.json"
    assert scalelaw("fit", os.path.join(os.environ["SCALELAW_SOURCE_DIR"], "data", "example_runs.csv"), "--output",
                    fit_json).code == 0
    one_line(scalelaw("plan", "--flops", "1e20", "--law", "chinchilla", "--fit", fit_json), 2,
             "sets N and D: give it or --law, not both")
    one_line(scalelaw("plan", "--flops", "1e20", "--fit", fit_json, "--fit", fit_json), 2,
             f"fit:{fit_json}: a second law for N and D (the first is fit:{fit_json})")


def test_an_annealing_fit_is_refused_and_an_unusable_one_is_exit_1(scalelaw, tmp_path):
    facts = write_facts(tmp_path)
    annealing = tmp_path / "annealing.json"
    assert scalelaw("curve", "fit", *[log(n) for n in TRAIN], "--facts", facts, "--law", "annealing", "--output",
                    annealing).code == 0
    result = scalelaw("plan", "--flops", "1e20", "--fit", annealing)
    assert result.code == 2 and "a annealing curve law; a plan designs its schedule against a multi-power fit" in \
        result.err
    # Constant-LR curves cannot separate the decay term: the fit is not usable, and so no schedule is designed.
    flat = tmp_path / "flat.json"
    fitted = scalelaw("curve", "fit", log("constant_24000"), "--facts", facts, "--output", flat)
    assert fitted.code == 1
    result = scalelaw("plan", "--flops", "1e20", "--fit", flat, "--schedule-output", tmp_path / "x.csv")
    assert result.code == 1
    assert "is not usable" in result.err and "nothing written" in result.err
    assert not (tmp_path / "x.csv").exists()


def test_vocab_from_law_gives_the_shape_the_laws_vocabulary(scalelaw):
    result = scalelaw("plan", "--flops", "1e21", "--vocab-from-law", "--json")
    assert result.code == 0, result.err
    plan = result.json()
    shape = plan["configuration"]["shape"]
    # Tao et al.'s vocabulary at the shape's non-vocabulary N (the plan's item), rounded up to a multiple of 128.
    assert shape["vocab"] == math.ceil(plan["vocab_size"] / 128) * 128 != 32000
    counted = scalelaw("count", "--layers", shape["layers"], "--d-model", shape["d_model"], "--heads", shape["heads"],
                       "--vocab", shape["vocab"], "--seq-len", 2048, "--json").json()
    assert counted["params"]["total"] == plan["configuration"]["params"]["total"]
    predicted = scalelaw("predict-vocab", "--law", "tao", "--non-vocabulary-params",
                         counted["params"]["non_vocabulary"], "--flops", "1e21", "--json").json()
    assert math.floor(predicted["vocab_size"]) == plan["vocab_size"]
    other = scalelaw("plan", "--flops", "1e21", "--vocab-from-law", "--vocab-multiple", 1000, "--json").json()
    assert other["configuration"]["shape"]["vocab"] % 1000 == 0


def test_docs_blocks_are_what_the_binary_prints(scalelaw, curve_fit, tmp_path):
    page = open(os.path.join(os.environ["SCALELAW_SOURCE_DIR"], "docs", "plan-to-run.md")).read()
    result = scalelaw("plan", "--flops", "1e20", "--fit", curve_fit, "--schedule-output", tmp_path / "lr.csv")
    assert result.code == 0, result.err
    named = f"fit:{curve_fit}"
    out = result.out.replace(named, "fit:curves.json")
    block = out[out.index("  peak LR"):out.index("\n\n  note:")]
    assert block in page
    for line in result.err.replace(named, "fit:curves.json").splitlines():
        if "curves.json" in line:
            assert line in page
    vocab = scalelaw("plan", "--flops", "1e21", "--vocab-from-law").out
    shape = vocab[vocab.index("Trainable configuration"):vocab.index("  FLOPs per token")].rstrip("\n")
    assert shape in page
