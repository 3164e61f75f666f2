"""scalelaw.design_schedule: the LR schedule minimising a Multi-Power Law's final loss, marshalled to C++."""
import json
import math
import os
import subprocess

import numpy as np
import pytest

import scalelaw

# The converged 25M optimum of ../shared/data/multipower/SOURCE.txt (Luo et al. 2025's objective, minimised).
CONVERGED_25M = {"L0": 2.98763, "A": 0.56272, "alpha": 0.49114, "B": 746.961, "C": 0.37848, "beta": 0.11288,
                 "gamma": 0.89517}
SETTING = dict(steps=24000, peak=3e-4, warmup=2160, min_lr=3e-5)


def final_loss(law, lr):
    """The Multi-Power Law at the last step, from its definition, in numpy."""
    lr = np.asarray(lr, dtype=float)
    prefix = np.cumsum(lr)
    s_k = prefix[-1] - prefix[:-1]
    g = 1 - (law["C"] * lr[1:] ** (-law["gamma"]) * s_k + 1) ** (-law["beta"])
    return law["L0"] + law["A"] * prefix[-1] ** (-law["alpha"]) - law["B"] * np.sum((lr[:-1] - lr[1:]) * g)


def test_design_beats_cosine_and_wsd_and_returns_a_trainer_schedule():
    d = scalelaw.design_schedule(CONVERGED_25M, **SETTING)
    assert d.usable and d.status == "usable"
    frame = d.schedule
    assert list(frame.columns) == ["step", "lr"] and len(frame) == 24000
    assert frame["step"].tolist() == list(range(24000))
    after = frame["lr"].to_numpy()[2160:]
    assert after.max() <= 3e-4 and after.min() >= 3e-5 * (1 - 1e-12) and np.all(np.diff(after) <= 1e-18)
    assert math.isclose(d.final_loss, final_loss(CONVERGED_25M, d.lr), rel_tol=1e-12)
    assert d.final_loss < d.cosine["final_loss"]
    for wsd in d.wsd_by_shape:
        assert d.final_loss < wsd["final_loss"]
    assert d.wsd["final_loss"] == min(w["final_loss"] for w in d.wsd_by_shape)
    assert d.law == CONVERGED_25M
    assert d.to_csv().startswith("step,lr\n0,0\n")
    assert json.loads(d.to_json())["final_loss"] == d.final_loss
    assert "optimised" in d.full_report()


def test_preset_fit_json_and_mapping_agree(tmp_path):
    preset = scalelaw.published_curve_laws()[0]
    assert preset["name"] == "multi-power-25m"
    by_preset = scalelaw.design_schedule(preset="multi-power-25m", **SETTING)
    by_mapping = scalelaw.design_schedule(preset["parameters"], **SETTING)
    fit = tmp_path / "fit.json"
    fit.write_text(json.dumps({"form": "multi-power", "lambda": 0.999, "status": "usable",
                               "parameters": preset["parameters"]}))
    by_file = scalelaw.design_schedule(str(fit), **SETTING)
    assert by_preset.final_loss == by_mapping.final_loss == by_file.final_loss


def test_the_cli_writes_the_same_schedule(tmp_path):
    cli = os.environ.get("SCALELAW_CLI")
    if not cli:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")
    out = tmp_path / "s.csv"
    subprocess.run([cli, "curve", "schedule", "--preset", "multi-power-100m", "--steps", "24000", "--peak", "3e-4",
                    "--warmup", "2160", "--output", str(out)], check=True, capture_output=True)
    d = scalelaw.design_schedule(preset="multi-power-100m", steps=24000, peak=3e-4, warmup=2160)
    assert out.read_text() == d.to_csv()


def test_bad_input_raises_invalid_argument(tmp_path):
    with pytest.raises(scalelaw.InvalidArgument, match="min_lr"):
        scalelaw.design_schedule(CONVERGED_25M, steps=24000, peak=3e-4, warmup=2160, min_lr=1e-3)
    with pytest.raises(scalelaw.InvalidArgument, match="missing gamma"):
        scalelaw.design_schedule({k: v for k, v in CONVERGED_25M.items() if k != "gamma"}, **SETTING)
    with pytest.raises(scalelaw.InvalidArgument, match="preset"):
        scalelaw.design_schedule(preset="nope", **SETTING)
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.design_schedule(CONVERGED_25M, preset="multi-power-25m", **SETTING)
    with pytest.raises(scalelaw.InvalidArgument, match="warmup_shape"):
        scalelaw.design_schedule(CONVERGED_25M, warmup_shape="cosine", **SETTING)
    unusable = tmp_path / "fit.json"
    unusable.write_text(json.dumps({"form": "multi-power", "lambda": 0.999, "status": "not identifiable",
                                    "message": "only constant-LR curves", "parameters": {}}))
    with pytest.raises(scalelaw.InvalidArgument, match="only constant-LR curves"):
        scalelaw.design_schedule(str(unusable), **SETTING)


def test_plot_draws_the_three_schedules():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    d = scalelaw.design_schedule(preset="multi-power-25m", **SETTING)
    ax = scalelaw.plot(d)
    labels = [line.get_label() for line in ax.get_lines()]
    assert any(label.startswith("optimised") for label in labels)
    assert any(label.startswith("cosine") for label in labels)
    assert any(label.startswith("WSD") for label in labels)
    optimised = next(line for line in ax.get_lines() if line.get_label().startswith("optimised"))
    assert np.array_equal(optimised.get_ydata(), d.lr)
