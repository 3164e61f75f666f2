"""scalelaw curve fit / curve predict: loss-curve laws fitted to training logs, predictions of schedules with the
bootstrap's intervals, scores on observed curves, and the bad-input contract."""
import csv
import json
import math
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from multipower_25m import SCHEDULES, TEST, TRAIN, log, write_facts  # noqa: E402

# SOURCE.txt: the converged optimum of the paper's objective on the 3 training curves of the 25M model, and the
# test-set errors it gives.
CONVERGED_OBJECTIVE = 1.384320e-04
CONVERGED_PRED_E = 0.00137
CONVERGED_WORST_E = 0.00360


def one_error_line(result):
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    return lines[0]


@pytest.fixture
def multipower(tmp_path):
    return write_facts(tmp_path)


def test_fit_reaches_the_converged_optimum_and_predicts_the_test_curves(scalelaw, multipower, tmp_path):
    fit_json = tmp_path / "fit.json"
    fit = scalelaw("curve", "fit", *[log(n) for n in TRAIN], "--facts", multipower, "--output", fit_json, "--json")
    assert fit.code == 0, fit.err
    out = fit.json()
    assert out["form"] == "multi-power" and out["usable"]
    assert out["objective"] <= CONVERGED_OBJECTIVE * 1.001
    assert out["points"] == 437
    assert json.loads(fit_json.read_text())["parameters"] == out["parameters"]

    scored = scalelaw("curve", "predict", "--fit", fit_json, "--log", *[log(n) for n in TEST], "--facts", multipower,
                      "--json")
    assert scored.code == 0, scored.err
    result = scored.json()
    assert [c["name"] for c in result["curves"]] == TEST
    assert result["mean"]["pred_e"] == pytest.approx(CONVERGED_PRED_E, rel=0.05)
    assert result["mean"]["worst_e"] == pytest.approx(CONVERGED_WORST_E, rel=0.05)
    # the mean is the mean of the per-curve values, as the paper's tables
    assert result["mean"]["worst_e"] == pytest.approx(sum(c["worst_e"] for c in result["curves"]) / 6, rel=1e-12)

    # the same numbers when the test curves are held out of one fit of all 9 logs (--train)
    both = scalelaw("curve", "fit", *[log(n) for n in TRAIN + TEST], "--facts", multipower, "--train",
                    ",".join(TRAIN), "--json")
    assert both.code == 0, both.err
    held_out = both.json()["held_out"]
    assert [c["name"] for c in held_out] == TEST
    assert sum(c["pred_e"] for c in held_out) / 6 == pytest.approx(result["mean"]["pred_e"], rel=1e-9)

    # the report prints the same table
    text = scalelaw("curve", "fit", *[log(n) for n in TRAIN + TEST], "--facts", multipower, "--train",
                    ",".join(TRAIN))
    assert text.code == 0
    assert "held-out curves" in text.out and "status: usable" in text.out


@pytest.mark.heavy
def test_predicted_curve_of_a_schedule_matches_the_fit_on_its_logged_steps(scalelaw, multipower, tmp_path):
    fit_json = tmp_path / "fit.json"
    fit = scalelaw("curve", "fit", *[log(n) for n in TRAIN], "--facts", multipower, "--output", fit_json,
                   "--bootstrap", "6", "--seed", "3", "--json")
    assert fit.code == 0, fit.err
    cosine_fit = next(c for c in fit.json()["curves"] if c["name"] == "cosine_24000")
    curve_csv = tmp_path / "curve.csv"
    predicted = scalelaw("curve", "predict", "--fit", fit_json, "--schedule", SCHEDULES["cosine_24000"], "--every",
                         "1", "--output", curve_csv)
    assert predicted.code == 0, predicted.err
    with open(curve_csv) as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0].keys()) == ["step", "lr", "loss", "lower", "upper"]
    assert int(rows[-1]["step"]) == 23999
    by_step = {int(r["step"]): r for r in rows}
    # PredE recomputed here from the predicted curve and the observed log equals the fit's own for that curve
    with open(log("cosine_24000")) as f:
        observed = [(int(r["step"]), float(r["loss"])) for r in csv.DictReader(f)]
    pred_e = sum(abs(float(by_step[s]["loss"]) - y) / y for s, y in observed) / len(observed)
    assert pred_e == pytest.approx(cosine_fit["pred_e"], rel=1e-9)
    # the schedule's LR column: the spec's (peak after the 2160-step warmup, end at the last step)
    assert float(by_step[2159]["lr"]) == pytest.approx(3e-4, rel=1e-12)
    assert float(by_step[23999]["lr"]) == pytest.approx(3e-5, rel=1e-6)
    for r in rows[100:]:
        assert float(r["lower"]) <= float(r["loss"]) <= float(r["upper"])
    final = float(rows[-1]["loss"])
    assert f"final loss (step 23999): {final:.6f}" in predicted.out
    assert "[95% " in predicted.out

    as_json = scalelaw("curve", "predict", "--fit", fit_json, "--schedule", SCHEDULES["cosine_24000"], "--json")
    assert as_json.code == 0
    out = as_json.json()
    assert out["final_loss"] == pytest.approx(final, rel=1e-12)
    low, high = out["final_loss_ci95"]
    assert low <= final <= high and high > low
    assert out["curve"][-1]["step"] == 23999


def test_bootstrap_is_reproducible_and_thread_independent(scalelaw, multipower):
    args = ["curve", "fit", log("cosine_24000"), log("wsdcon_9"), "--facts", multipower, "--law", "annealing",
            "--bootstrap", "6", "--seed", "5", "--json"]
    one = scalelaw(*args, "--threads", "1")
    two = scalelaw(*args, "--threads", "2")
    assert one.code == 0 and two.code == 0, one.err + two.err
    assert one.json()["bootstrap"]["resamples"] == two.json()["bootstrap"]["resamples"]
    assert len(one.json()["bootstrap"]["resamples"]) + one.json()["bootstrap"]["failed"] == 6
    other = scalelaw(*args[:-3], "--seed", "6", "--json")
    assert other.json()["bootstrap"]["resamples"] != one.json()["bootstrap"]["resamples"]


# Synthetic logs (no shared data): the Tissue et al. law L = L0 + A*S1^-alpha - C*S2 under cosine and constant
# schedules, computed here independently of scalelaw, logged every 50 steps with the LR.
TISSUE = {"L0": 2.5, "A": 0.6, "alpha": 0.45, "C": 0.3}


def cosine_lr(i, steps, peak=1e-3, end=1e-4, warmup=100):
    if i < warmup:
        return peak * i / (warmup - 1)
    return end + (peak - end) / 2 * (1 + math.cos(math.pi * (i - warmup) / (steps - warmup)))


def write_synthetic_log(path, lr_of_step, steps, with_lr=True):
    s1 = 0.0
    momentum = 0.0
    s2 = 0.0
    previous = None
    rows = []
    for i in range(steps):
        eta = lr_of_step(i)
        s1 += eta
        if previous is not None:
            momentum = 0.999 * momentum + (previous - eta)
            s2 += momentum
        previous = eta
        if i % 50 == 0 and i >= 200:
            loss = TISSUE["L0"] + TISSUE["A"] * s1 ** -TISSUE["alpha"] - TISSUE["C"] * s2
            rows.append((i, eta, loss))
    with open(path, "w") as f:
        f.write("step,lr,loss\n" if with_lr else "step,loss\n")
        for i, eta, loss in rows:
            f.write(f"{i},{eta!r},{loss!r}\n" if with_lr else f"{i},{loss!r}\n")
    return path


def test_synthetic_logs_give_back_the_law_from_the_logged_lr(scalelaw, tmp_path):
    cosine = write_synthetic_log(tmp_path / "cosine.csv", lambda i: cosine_lr(i, 3000), 3000)
    short = write_synthetic_log(tmp_path / "short.csv", lambda i: cosine_lr(i, 1500), 1500)
    spec_cos = "cosine:peak=1e-3,end=1e-4,steps=3000,warmup=100"
    facts = tmp_path / "facts.csv"
    facts.write_text(f'run,schedule\ncosine,"{spec_cos}"\nshort,"cosine:peak=1e-3,end=1e-4,steps=1500,warmup=100"\n')
    # with the exact schedules the fit recovers the parameters
    fit = scalelaw("curve", "fit", cosine, short, "--facts", facts, "--law", "annealing", "--json")
    assert fit.code == 0, fit.err
    parameters = fit.json()["parameters"]
    for name, value in TISSUE.items():
        assert parameters[name] == pytest.approx(value, rel=1e-4), name
    # from the logged LR (interpolated between logged steps, first logged value before step 200): usable, with a
    # warning that the warmup is not known
    logged = scalelaw("curve", "fit", cosine, short, "--law", "annealing")
    assert logged.code == 0, logged.err
    assert "warmup that was not logged is not known" in logged.err
    assert "status: usable" in logged.out


def test_bad_input_is_one_line_with_exit_2(scalelaw, tmp_path):
    cosine = write_synthetic_log(tmp_path / "cosine.csv", lambda i: cosine_lr(i, 3000), 3000)
    bare = write_synthetic_log(tmp_path / "bare.csv", lambda i: cosine_lr(i, 3000), 3000, with_lr=False)

    bad_spec = scalelaw("curve", "fit", cosine, "--schedule", "cosine:peak=1e-3,end=x,steps=3000")
    assert bad_spec.code == 2
    assert one_error_line(bad_spec) == ("scalelaw: error: --schedule: run 'cosine': LR schedule "
                                        "'cosine:peak=1e-3,end=x,steps=3000': field 'end': 'x' is not a finite number")

    no_lr = scalelaw("curve", "fit", bare)
    assert no_lr.code == 2
    assert "run 'bare'" in one_error_line(no_lr) and "no learning rate" in one_error_line(no_lr)

    short = scalelaw("curve", "fit", cosine, "--schedule", "cosine:peak=1e-3,end=1e-4,steps=2000,warmup=100")
    assert short.code == 2
    line = one_error_line(short)
    assert str(cosine) in line and "step" in line and "2950" in line

    unknown = scalelaw("curve", "fit", cosine, "--train", "nope", "--schedule",
                       "cosine:peak=1e-3,end=1e-4,steps=3000,warmup=100")
    assert unknown.code == 2
    assert one_error_line(unknown) == "scalelaw: error: --train: no run named 'nope' (the runs: cosine)"

    no_metric = scalelaw("curve", "fit", cosine, "--metric", "val_loss")
    assert no_metric.code == 2 and "val_loss" in one_error_line(no_metric)

    predict = scalelaw("curve", "predict", "--fit", tmp_path / "missing.json", "--schedule", "constant:peak=1,steps=9")
    assert predict.code == 2 and "missing.json" in one_error_line(predict)

    broken = tmp_path / "broken.json"
    broken.write_text('{"form": "multi-power"}')
    assert scalelaw("curve", "predict", "--fit", broken, "--schedule", "constant:peak=1,steps=9").code == 2


def test_constant_lr_curves_are_not_usable_with_the_reason(scalelaw, tmp_path):
    constant = write_synthetic_log(tmp_path / "constant.csv", lambda i: 1e-3, 3000)
    fit_json = tmp_path / "fit.json"
    fit = scalelaw("curve", "fit", constant, "--output", fit_json)
    assert fit.code == 1
    assert "constant-LR curves only" in fit.err
    # the annealing-free law needs no decay
    assert scalelaw("curve", "fit", constant, "--law", "power").code == 0
    # a fit that is not usable predicts nothing
    predict = scalelaw("curve", "predict", "--fit", fit_json, "--schedule", "constant:peak=1e-3,steps=5000")
    assert predict.code == 1 and "not usable" in predict.err


def test_plot_writes_the_loss_curves_and_the_schedules(scalelaw, tmp_path):
    cosine = write_synthetic_log(tmp_path / "cosine.csv", lambda i: cosine_lr(i, 3000), 3000)
    short = write_synthetic_log(tmp_path / "short.csv", lambda i: cosine_lr(i, 1500), 1500)
    facts = tmp_path / "facts.csv"
    facts.write_text('run,schedule\ncosine,"cosine:peak=1e-3,end=1e-4,steps=3000,warmup=100"\n'
                     'short,"cosine:peak=1e-3,end=1e-4,steps=1500,warmup=100"\n')
    svg = tmp_path / "curves.svg"
    fit = scalelaw("curve", "fit", cosine, short, "--facts", facts, "--law", "annealing", "--train", "short",
                   "--bootstrap", "4", "--plot", svg, "--output", tmp_path / "fit.json")
    assert fit.code == 0, fit.err
    text = svg.read_text()
    assert text.startswith("<?xml") and "short (fitted)" in text and "cosine (predicted)" in text
    assert "95% bootstrap band" in text
    lr_text = (tmp_path / "curves-lr.svg").read_text()
    assert "LR schedules" in lr_text and "learning rate" in lr_text
    # curve predict --plot draws the schedule's predicted curve
    out = tmp_path / "predicted.svg"
    spec = "wsd:peak=1e-3,end=1e-4,steps=5000,warmup=100,decay_fraction=0.2"
    assert scalelaw("curve", "predict", "--fit", tmp_path / "fit.json", "--schedule", spec, "--plot", out).code == 0
    assert "0 fitted, 1 predicted" in out.read_text()


def test_curve_schedule_reads_a_bootstrap_fit_and_agrees_with_curve_predict(scalelaw, multipower, tmp_path):
    fit_json = tmp_path / "fit.json"
    fit = scalelaw("curve", "fit", *[log(n) for n in TRAIN], "--facts", multipower, "--bootstrap", "3", "--output",
                   fit_json)
    assert fit.code == 0, fit.err
    design = scalelaw("curve", "schedule", "--fit", fit_json, "--steps", "24000", "--peak", "3e-4", "--warmup",
                      "2160", "--json")
    assert design.code == 0, design.err
    cosine = next(b for b in design.json()["baselines"] if b["name"] == "cosine")
    predicted = scalelaw("curve", "predict", "--fit", fit_json, "--schedule", cosine["schedule"], "--json")
    assert predicted.code == 0, predicted.err
    assert predicted.json()["final_loss"] == pytest.approx(cosine["final_loss"], rel=1e-9)


def test_predict_loss_takes_a_curve_fit_and_a_schedule(scalelaw, multipower, tmp_path):
    fit_json = tmp_path / "fit.json"
    assert scalelaw("curve", "fit", *[log(n) for n in TRAIN], "--facts", multipower, "--bootstrap", "6", "--seed",
                    "3", "--output", fit_json).code == 0
    spec = SCHEDULES["cosine_72000"]
    curve = scalelaw("curve", "predict", "--fit", fit_json, "--schedule", spec, "--json")
    assert curve.code == 0, curve.err
    loss = scalelaw("predict-loss", "--fit", fit_json, "--schedule", spec, "--batch", "131072", "--json")
    assert loss.code == 0, loss.err
    values = loss.json()
    # the same final loss as the whole predicted curve's last step, 72000 steps x the batch in tokens, and an
    # interval from the fit's 6 resamples
    assert values["loss"] == pytest.approx(curve.json()["final_loss"], rel=1e-9)
    assert values["steps"] == 72000 and values["tokens"] == 72000 * 131072
    assert values["loss_lo95"] < values["loss"] < values["loss_hi95"]
    # 72000 steps is three times the longest fitted curve: warned, as every extrapolation
    assert "72000 steps, beyond the 24000" in loss.err
    human = scalelaw("predict-loss", "--fit", fit_json, "--schedule", spec)
    assert human.code == 0 and "schedule cosine:peak=3e-4" in human.out and "2503.12811" in human.out

    missing = scalelaw("predict-loss", "--fit", fit_json)
    assert missing.code == 2 and "needs --schedule" in one_error_line(missing)
    bad = scalelaw("predict-loss", "--fit", fit_json, "--schedule", "cosine:peak=3e-4,steps=many")
    assert bad.code == 2 and "steps" in one_error_line(bad)
