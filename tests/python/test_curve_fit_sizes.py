"""scalelaw.fit_curves_across_sizes and predict_curve(params=N): one Multi-Power Law across model sizes, on curves
of three sizes made from a known law (tests/support/synthetic_size_curves.py, recomputed with numpy), its JSON round
trip and the CLI's numbers, and the errors of a run without N and of curves of one size."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

import scalelaw

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import synthetic_size_curves as synthetic  # noqa: E402


def frame(sizes=synthetic.SIZES, with_params=True):
    rows = synthetic.curves(sizes)
    df = pd.DataFrame(rows, columns=["run", "step", "loss", "params", "schedule"])
    return df if with_params else df.drop(columns="params")


def test_recovers_the_exponents_and_predicts_an_unseen_size():
    fit = scalelaw.fit_curves_across_sizes(frame())
    assert isinstance(fit, scalelaw.CurveSizeFitResult)
    assert fit.usable, fit.message
    assert fit.law == "multi-power"
    assert fit.sizes == pytest.approx(synthetic.SIZES)
    assert fit.reference_params == pytest.approx(synthetic.N_REF, rel=1e-12)
    assert sorted(fit.exponents) == sorted(synthetic.EXPONENTS)
    for name, exponent in synthetic.EXPONENTS.items():
        assert fit.exponents[name] == pytest.approx(exponent, abs=1e-5), name
    for name, value in synthetic.LAW.items():
        assert fit.params[name] == pytest.approx(value, rel=1e-4), name
    assert str(fit) == fit.full_report() and "N exponent" in str(fit)
    assert fit.to_dict()["exponents"] == fit.exponents

    curve = scalelaw.predict_curve(fit, synthetic.SCHEDULES["wsd"], params=synthetic.UNSEEN, every=40)
    truth = synthetic.multipower_loss(synthetic.law_at(synthetic.UNSEEN), synthetic.lr_per_step("wsd"),
                                      list(curve["step"]))
    assert list(curve.columns) == ["step", "lr", "loss"]
    assert curve["loss"].to_numpy() == pytest.approx(truth, rel=1e-6)
    assert curve.attrs["final_loss"] == pytest.approx(truth[-1], rel=1e-6)
    assert curve.attrs["params"] == synthetic.UNSEEN

    # the JSON round trip and N given as a mapping instead of a column
    back = scalelaw.load_curve_fit(fit.to_json())
    assert isinstance(back, scalelaw.CurveSizeFitResult) and back.exponents == fit.exponents
    by_run = dict(zip(*zip(*{(r, n) for r, _, _, n, _ in synthetic.curves()})))
    again = scalelaw.fit_curves_across_sizes(frame(with_params=False), params=by_run, scaled=["L0", "A", "B"])
    assert again.exponents == pytest.approx(fit.exponents, abs=1e-9)


def test_the_cli_gives_the_same_fit(tmp_path):
    binary = os.environ.get("SCALELAW_CLI")
    if not binary:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")
    df = frame()
    log = tmp_path / "curves.csv"
    df[["run", "step", "loss"]].to_csv(log, index=False, float_format="%.17g")
    facts = tmp_path / "facts.csv"
    df[["run", "params", "schedule"]].drop_duplicates().to_csv(facts, index=False)
    out = tmp_path / "sizes.json"
    subprocess.run([binary, "curve", "fit", str(log), "--run-col", "run", "--facts", str(facts), "--across-sizes",
                    "--output", str(out)], check=True, capture_output=True)
    cli = json.loads(out.read_text())
    assert cli["exponents"] == pytest.approx(scalelaw.fit_curves_across_sizes(df).exponents, abs=1e-7)


def test_errors():
    with pytest.raises(scalelaw.InvalidArgument, match="run 'cosine_25M' has no N"):
        scalelaw.fit_curves_across_sizes(frame(with_params=False))
    single = scalelaw.fit_curves_across_sizes(frame(sizes=[100e6]))
    assert not single.usable and "one size" in single.message
    with pytest.raises(scalelaw.InvalidArgument, match="not usable"):
        scalelaw.predict_curve(single, synthetic.SCHEDULES["wsd"], params=1e9)
    fit = scalelaw.fit_curves_across_sizes(frame())
    with pytest.raises(scalelaw.InvalidArgument, match="params=N is required"):
        scalelaw.predict_curve(fit, synthetic.SCHEDULES["wsd"])
    with pytest.raises(scalelaw.InvalidArgument):
        scalelaw.fit_curves_across_sizes(frame(), scaled=["D"])


def test_bootstrap_reference_size_and_plot(tmp_path):
    df = pd.DataFrame(synthetic.curves(noise=0.002, seed=5), columns=["run", "step", "loss", "params", "schedule"])
    fit = scalelaw.fit_curves_across_sizes(df, bootstrap=16, seed=3, threads=1)
    assert fit.usable, fit.message
    assert len(fit.resamples) + fit.bootstrap_failed == 16
    assert fit.parameter_names == list(synthetic.LAW) + [f"e_{n}" for n in ("L0", "A", "B")]
    low, high = fit.ci95["e_L0"]
    assert low <= fit.exponents["L0"] <= high and fit.se["e_L0"] > 0
    assert scalelaw.fit_curves_across_sizes(df, bootstrap=16, seed=3, threads=2).resamples == fit.resamples
    curve = scalelaw.predict_curve(fit, synthetic.SCHEDULES["cosine"], params=synthetic.UNSEEN, every=100)
    assert list(curve.columns) == ["step", "lr", "loss", "lower", "upper"]
    low, high = curve.attrs["final_loss_ci95"]
    assert low <= curve.attrs["final_loss"] <= high and curve.attrs["final_loss_se"] > 0
    back = scalelaw.load_curve_fit(fit.to_json())
    assert back.resamples == fit.resamples

    moved = scalelaw.fit_curves_across_sizes(df, reference_params=1e9)
    assert moved.reference_params == 1e9

    import matplotlib
    matplotlib.use("Agg")
    axes = scalelaw.plot(fit, df)
    assert len(axes) == 2
    lines = [line.get_label() for line in axes[0].get_lines()]
    assert any(f"(N {synthetic.SIZES[0]:.3g})" in label for label in lines)
    assert len(axes[0].collections) >= 2 * len(synthetic.SIZES)  # the bands and the observed points
    colors = {line.get_color() for line in axes[0].get_lines()}
    assert len(colors) == len(synthetic.SIZES)  # one colour per size
    assert scalelaw.plot(fit, synthetic.SCHEDULES["wsd"], params=synthetic.UNSEEN, kind="curves") is not None
