"""scalelaw curve fit --across-sizes / curve predict --params: one Multi-Power Law across model sizes, on curves of
three sizes made from a known law (tests/support/synthetic_size_curves.py, recomputed with numpy), and the exit
codes of a run without N and of curves of one size."""
import csv
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
import synthetic_size_curves as synthetic  # noqa: E402


def write(tmp_path, rows, with_params=True):
    log = tmp_path / "curves.csv"
    with open(log, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["run", "step", "loss"])
        writer.writerows((run, step, repr(loss)) for run, step, loss, _, _ in rows)
    facts = tmp_path / "facts.csv"
    runs = {}
    for run, _, _, params, spec in rows:
        runs[run] = (params, spec)
    with open(facts, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["run", "params", "schedule"] if with_params else ["run", "schedule"])
        for run, (params, spec) in runs.items():
            writer.writerow([run, repr(params), spec] if with_params else [run, spec])
    return log, facts


@pytest.mark.heavy
def test_recovers_the_exponents_and_predicts_an_unseen_size(scalelaw, tmp_path):
    log, facts = write(tmp_path, synthetic.curves())
    out = tmp_path / "sizes.json"
    fit = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes", "--output", out,
                   "--json")
    assert fit.code == 0, fit.err
    result = fit.json()
    assert result["usable"] and result["form"] == "multi-power"
    assert result["reference_params"] == pytest.approx(synthetic.N_REF, rel=1e-12)
    assert [s["params"] for s in result["sizes"]] == pytest.approx(synthetic.SIZES)
    # noise-free curves: the generating law is the optimum (objective ~0), recovered to the fit's tolerance
    assert sorted(result["exponents"]) == sorted(synthetic.EXPONENTS)
    for name, exponent in synthetic.EXPONENTS.items():
        assert result["exponents"][name] == pytest.approx(exponent, abs=1e-5), name
    for name, value in synthetic.LAW.items():
        assert result["parameters"][name] == pytest.approx(value, rel=1e-4), name

    # the report prints the exponents
    text = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes")
    assert text.code == 0, text.err
    assert "e_L0" in text.out or "exponent" in text.out.lower()

    # an unseen size, predicted against the generating law
    spec = synthetic.SCHEDULES["cosine"]
    predicted = scalelaw("curve", "predict", "--fit", out, "--params", synthetic.UNSEEN, "--schedule", spec, "--json")
    assert predicted.code == 0, predicted.err
    answer = predicted.json()
    truth = synthetic.multipower_loss(synthetic.law_at(synthetic.UNSEEN), synthetic.lr_per_step("cosine"),
                                      [synthetic.STEPS - 1])[0]
    assert answer["final_step"] == synthetic.STEPS - 1
    assert answer["final_loss"] == pytest.approx(truth, rel=1e-6)
    for name, value in synthetic.law_at(synthetic.UNSEEN).items():
        assert answer["parameters"][name] == pytest.approx(value, rel=1e-4), name

    # --scaled chooses which parameters scale
    only = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes", "--scaled",
                    "L0,A", "--json")
    assert only.code == 0, only.err
    assert sorted(only.json()["exponents"]) == ["A", "L0"]
    assert only.json()["objective"] > 1e3 * result["objective"]  # B shared cannot fit the generating law


def test_exit_codes(scalelaw, tmp_path):
    log, facts = write(tmp_path, synthetic.curves(), with_params=False)
    no_size = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes")
    assert no_size.code == 2
    assert "run 'cosine_25M'" in no_size.err and "N" in no_size.err

    one = tmp_path / "one"
    one.mkdir()
    log, facts = write(one, synthetic.curves(sizes=[100e6]))
    single = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes")
    assert single.code == 1
    assert "one size" in single.err

    bad = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes", "--scaled", "D")
    assert bad.code == 2, bad.err

    out = tmp_path / "sizes.json"
    log, facts = write(tmp_path, synthetic.curves())
    assert scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes", "--output",
                    out).code == 0
    missing = scalelaw("curve", "predict", "--fit", out, "--schedule", synthetic.SCHEDULES["wsd"])
    assert missing.code == 2 and "--params" in missing.err


@pytest.mark.heavy
def test_bootstrap_interval_reference_size_and_plot(scalelaw, tmp_path):
    # Noisy curves (log-normal, sd 0.002): the joint fit's bootstrap gives an interval of the unseen size's final
    # loss around the point prediction, the same for any thread count, and the chart of the fit.
    log, facts = write(tmp_path, synthetic.curves(noise=0.002, seed=5))
    base = ["curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes", "--bootstrap", "16",
            "--seed", "3"]
    out = tmp_path / "boot.json"
    svg = tmp_path / "sizes.svg"
    fit = scalelaw(*base, "--threads", "1", "--output", out, "--plot", svg)
    assert fit.code == 0, fit.err
    assert "moving-block residual resamples" in fit.out and "95% interval" in fit.out
    saved = json.loads(out.read_text())
    assert saved["bootstrap"]["seed"] == 3
    assert len(saved["bootstrap"]["resamples"]) + saved["bootstrap"]["failed"] == 16
    assert len(saved["bootstrap"]["resamples"][0]) == 7 + len(synthetic.EXPONENTS)
    two = scalelaw(*base, "--threads", "2", "--json")
    assert two.code == 0, two.err
    assert two.json()["bootstrap"]["resamples"] == saved["bootstrap"]["resamples"]

    predicted = scalelaw("curve", "predict", "--fit", out, "--params", synthetic.UNSEEN, "--schedule",
                         synthetic.SCHEDULES["cosine"], "--json")
    assert predicted.code == 0, predicted.err
    answer = predicted.json()
    low, high = answer["final_loss_ci95"]
    assert low <= answer["final_loss"] <= high
    assert answer["resamples"] == len(saved["bootstrap"]["resamples"])
    assert all(p["lower"] <= p["loss"] <= p["upper"] for p in answer["curve"])
    text = scalelaw("curve", "predict", "--fit", out, "--params", synthetic.UNSEEN, "--schedule",
                    synthetic.SCHEDULES["cosine"])
    assert f"[95% {low:.6f}, {high:.6f}]" in text.out
    # the fit as a law: predict-loss gives the same final loss and interval, and names the extrapolation in N
    law = scalelaw("predict-loss", "--fit", out, "--params", synthetic.UNSEEN, "--schedule",
                   synthetic.SCHEDULES["cosine"], "--json")
    assert law.code == 0, law.err
    assert law.json()["loss"] == pytest.approx(answer["final_loss"], rel=1e-9)
    assert [law.json()["loss_lo95"], law.json()["loss_hi95"]] == pytest.approx([low, high], rel=1e-9)
    assert f"N = {float(synthetic.UNSEEN):.6g} is outside" in law.err

    # the chart: each size's curves in its colour, with the band; the LR schedules beside it
    chart = svg.read_text()
    assert "95% bootstrap band" in chart
    for n in synthetic.SIZES:
        assert f"(N {n:.3g})" in chart
    assert (tmp_path / "sizes-lr.svg").exists()

    # --reference-params moves N_ref, not the law
    moved = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes",
                     "--reference-params", "1e9", "--json")
    assert moved.code == 0, moved.err
    assert moved.json()["reference_params"] == 1e9
    ratio = (1e9 / saved["reference_params"]) ** saved["exponents"]["L0"]
    assert moved.json()["parameters"]["L0"] == pytest.approx(saved["parameters"]["L0"] * ratio, rel=1e-3)
    single = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--reference-params", "1e9")
    assert single.code == 2 and "--reference-params needs --across-sizes" in single.err

    # the annealing law's lambda fitted across sizes
    annealing = scalelaw("curve", "fit", log, "--run-col", "run", "--facts", facts, "--across-sizes", "--law",
                         "annealing", "--fit-lambda", "--json")
    assert annealing.code == 0, annealing.err
    assert 0 < annealing.json()["lambda"] < 1 and annealing.json()["lambda"] != 0.999
