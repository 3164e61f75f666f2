"""scalelaw.fit_curves, predict_curve, score_curves, load_curve_fit and plot(curve fit): the loss-curve laws of the
C++ core on DataFrames of curves, checked against SOURCE.txt's converged optimum, independent recomputation with
pandas/numpy, and the CLI's numbers."""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import scalelaw

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from multipower_25m import SCHEDULES, TEST, TRAIN, log, write_facts  # noqa: E402


@pytest.fixture
def facts(tmp_path):
    return write_facts(tmp_path)


def logs(names):
    return [log(n) for n in names]


def test_fit_curves_reaches_the_converged_optimum_and_scores_the_test_curves(facts):
    curves = scalelaw.read_curves(logs(TRAIN + TEST), facts=facts)
    fit = scalelaw.fit_curves(curves, train=TRAIN)
    assert fit.usable and fit.law == "multi-power"
    assert fit.objective <= 1.384320e-04 * 1.001  # SOURCE.txt's converged optimum
    assert fit.curves == TRAIN and fit.n_points == 437
    assert "status: usable" in str(fit) and str(fit) == fit.full_report()
    scores = scalelaw.score_curves(fit, curves[curves.run.isin(TEST)])
    assert list(scores.run) == TEST
    assert scores.pred_e.mean() == pytest.approx(0.00137, rel=0.05)
    assert scores.worst_e.mean() == pytest.approx(0.00360, rel=0.05)
    # the same fit from paths, and from a dict of columns with the schedules as a column
    from_paths = scalelaw.fit_curves(logs(TRAIN), facts=facts)
    assert from_paths.params == pytest.approx(fit.params, rel=1e-9)
    # a schedule for every run overrides the column: the wrong one gives another fit
    wrong = scalelaw.fit_curves(curves[curves.run == "cosine_24000"], law="power",
                                schedule=SCHEDULES["cosine_72000"])
    right = scalelaw.fit_curves(curves[curves.run == "cosine_24000"], law="power")
    assert wrong.params["L0"] != pytest.approx(right.params["L0"], rel=1e-3)


def test_predict_curve_and_the_json_round_trip(facts):
    fit = scalelaw.fit_curves(logs(TRAIN), facts=facts, bootstrap=6, seed=2)
    assert set(fit.ci95) == set(fit.params) and len(fit.resamples) + fit.bootstrap_failed == 6
    frame = scalelaw.predict_curve(fit, SCHEDULES["cosine_24000"], every=1)
    assert list(frame.columns) == ["step", "lr", "loss", "lower", "upper"]
    assert frame.step.iloc[-1] == 23999 and frame.attrs["final_loss"] == frame.loss.iloc[-1]
    low, high = frame.attrs["final_loss_ci95"]
    assert low <= frame.attrs["final_loss"] <= high
    # PredE of the predicted curve against the observed log, recomputed with pandas, is the fit's own for the curve
    observed = pd.read_csv(logs(["cosine_24000"])[0])
    merged = observed.merge(frame, on="step", suffixes=("_observed", "_law"))
    pred_e = (abs(merged.loss_law - merged.loss_observed) / merged.loss_observed).mean()
    assert pred_e == pytest.approx(fit.curve_errors["cosine_24000"]["pred_e"], rel=1e-9)
    # to_dict / load_curve_fit keep the parameters and the resamples (and so the intervals)
    back = scalelaw.load_curve_fit(fit.to_dict())
    assert back.params == fit.params and back.resamples == fit.resamples and back.ci95 == fit.ci95
    again = scalelaw.predict_curve(back, SCHEDULES["cosine_24000"], every=1)
    assert np.array_equal(again.upper.to_numpy(), frame.upper.to_numpy())
    assert json.loads(fit.to_json())["bootstrap"]["seed"] == 2
    assert repr(fit).startswith("<CurveFitResult multi-power L0=")


def test_the_cli_and_python_give_the_same_fit(facts, tmp_path):
    binary = os.environ.get("SCALELAW_CLI")
    if not binary:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")
    out = tmp_path / "fit.json"
    done = subprocess.run([binary, "curve", "fit", *logs(TRAIN), "--facts", str(facts), "--law", "annealing",
                           "--output", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    cli = scalelaw.load_curve_fit(str(out))
    python = scalelaw.fit_curves(logs(TRAIN), facts=facts, law="annealing")
    assert cli.params == pytest.approx(python.params, rel=1e-12)


def test_bad_input_and_unusable_fits():
    steps = np.arange(100, 3000, 50)
    constant = {"run": ["c"] * len(steps), "step": steps, "loss": 3 + 0.5 * (steps * 1e-3) ** -0.5,
                "lr": np.full(len(steps), 1e-3)}
    with pytest.warns(scalelaw.ScalelawWarning, match="warmup that was not logged"):
        fit = scalelaw.fit_curves(constant)
    assert not fit.usable and fit.status == "not identifiable" and "constant-LR curves only" in fit.message
    with pytest.raises(scalelaw.InvalidArgument, match="not usable"):
        scalelaw.predict_curve(fit, "constant:peak=1e-3,steps=5000")
    with pytest.raises(scalelaw.InvalidArgument, match="field 'end'"):
        scalelaw.fit_curves(constant, schedule="cosine:peak=1e-3,end=x,steps=3000")
    with pytest.raises(scalelaw.InvalidArgument, match="no run named 'nope'"):
        scalelaw.fit_curves(constant, train=["nope"], schedule="constant:peak=1e-3,steps=3000")
    with pytest.raises(scalelaw.InvalidArgument, match="the curves have no column 'val'"):
        scalelaw.fit_curves(constant, metric="val")
    no_lr = dict(constant)
    del no_lr["lr"]
    with pytest.raises(scalelaw.InvalidArgument, match="no learning rate"):
        scalelaw.fit_curves(no_lr)
    decreasing = dict(constant, step=steps[::-1].copy())
    with pytest.raises(scalelaw.InputError):
        scalelaw.fit_curves(decreasing, schedule="constant:peak=1e-3,steps=3000")


def test_plot_draws_the_chart_data(facts):
    matplotlib = pytest.importorskip("matplotlib", reason="matplotlib is not installed; scalelaw.plot is optional")
    matplotlib.use("Agg", force=True)
    curves = scalelaw.read_curves(logs(["cosine_24000", "wsdcon_9", "cosine_72000"]), facts=facts)
    fit = scalelaw.fit_curves(curves, law="annealing", train=["cosine_24000", "wsdcon_9"], bootstrap=4)
    axes = scalelaw.plot(fit, curves)
    assert len(axes) == 2
    loss_ax, lr_ax = axes
    labels = [line.get_label() for line in loss_ax.get_lines()]
    assert labels == ["cosine_24000 (fitted)", "wsdcon_9 (fitted)", "cosine_72000 (predicted)"]
    # the predicted line is the law along cosine_72000's schedule: its last point is predict_curve's final loss
    line = loss_ax.get_lines()[2]
    final = scalelaw.predict_curve(fit, SCHEDULES["cosine_72000"]).attrs["final_loss"]
    assert line.get_ydata()[-1] == pytest.approx(final, rel=1e-12)
    assert line.get_linestyle() == "--"
    assert len(loss_ax.collections) >= 3  # the bands and the observed points
    lr_lines = lr_ax.get_lines()
    assert max(lr_lines[0].get_ydata()) == pytest.approx(3e-4) and lr_lines[2].get_xdata()[-1] == 71999
    # schedule specs alone: predicted only
    single = scalelaw.plot(fit, SCHEDULES["constant_72000"], kind="curves")
    assert [line.get_label() for line in single.get_lines()] == [SCHEDULES["constant_72000"] + " (predicted)"]
    with pytest.raises(scalelaw.InvalidArgument, match="kind='compute'"):
        scalelaw.plot(fit, curves, kind="compute")


def test_a_curve_fit_answers_predict_and_predict_loss_with_a_schedule(facts):
    fit = scalelaw.fit_curves(logs(TRAIN), facts=facts, bootstrap=6, seed=2)
    spec = SCHEDULES["wsd_20000_24000"]
    frame = scalelaw.predict_curve(fit, spec, every=1000)
    (prediction,) = scalelaw.predict("loss", fit=fit, schedule=spec, batch_tokens=131072)
    assert prediction["loss"] == pytest.approx(frame.attrs["final_loss"], rel=1e-9)
    assert prediction["tokens"] == 24000 * 131072
    assert prediction["loss_lo95"] < prediction["loss"] < prediction["loss_hi95"]
    assert "2503.12811" in prediction.citation
    assert scalelaw.predict_loss(fit=fit, schedule=spec) == pytest.approx(prediction["loss"], rel=1e-12)
    with pytest.raises(scalelaw.InvalidArgument, match="needs schedule="):
        scalelaw.predict("loss", fit=fit)
    with pytest.raises(TypeError, match="schedule= takes a str"):
        scalelaw.predict("loss", fit=fit, schedule=3.0)
