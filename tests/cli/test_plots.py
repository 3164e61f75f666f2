"""--plot on fit, isoflop and fit-hparams: a standalone SVG document with the runs and the fitted law."""
import math
import os
import xml.etree.ElementTree as ET

import pytest

from conftest import EXAMPLE_RUNS, SHARED_DIR

SVG = "{http://www.w3.org/2000/svg}"


def parse(path):
    root = ET.parse(path).getroot()  # raises on a malformed document
    assert root.tag == SVG + "svg"
    text = " ".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
    return root, text


def test_fit_plot_has_every_run_the_law_and_the_band(scalelaw, tmp_path):
    path = tmp_path / "fit.svg"
    r = scalelaw("fit", EXAMPLE_RUNS, "--bootstrap", 50, "--plot", path)
    assert r.code == 0, r.err
    root, text = parse(path)
    markers = [c for c in root.iter(SVG + "circle")]
    assert len(markers) >= 48  # every run of the example data (legend markers come on top)
    assert "compute C = 6ND (FLOPs)" in text and "compute-optimal L_opt(C)" in text
    assert "95% band, 50 resamples" in text and "extrapolation" in text
    assert "nan" not in path.read_text().lower()


def test_plot_to_an_unwritable_path_is_a_usage_error(scalelaw, tmp_path):
    r = scalelaw("fit", EXAMPLE_RUNS, "--plot", tmp_path / "missing" / "x.svg")
    assert r.code == 2 and "cannot write the plot" in r.err


def score_runs(tmp_path):
    """A benchmark score against log10 FLOPs: a sigmoid from 0.25 to 0.75 with its midpoint at 1e22 FLOPs, each run
    1.5% above or below it."""
    rows = ["log10_flops,score"]
    for k in range(16):
        x = 19 + 0.4 * k
        y = (0.25 + 0.5 / (1 + math.exp(-1.8 * (x - 22)))) * (1.015 if k % 2 == 0 else 0.985)
        rows.append(f"{x!r},{y!r}")
    path = tmp_path / "scores.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def markers(root, tag="circle"):
    """The markers of the plot area: the shapes of the marker groups, the legend's own swatches left out."""
    groups = [g for g in root.iter(SVG + "g") if g.get("class") != "legend" and g.get("fill")]
    legend = {id(e) for g in root.iter(SVG + "g") if g.get("class") == "legend" for e in g.iter()}
    return [e for g in groups if id(g) not in legend for e in g.findall(SVG + tag)]


def test_a_sigmoid_of_score_against_log_flops_draws_its_curve_and_diagnostics(scalelaw, tmp_path):
    """Every form plots: a one-input form draws y against its input with the fitted curve and band (out.svg),
    and every fit observed against predicted (out-observed.svg) and its residuals (out-residuals.svg)."""
    path = tmp_path / "score.svg"
    r = scalelaw("fit", score_runs(tmp_path), "--model", "sigmoid", "--col", "x=log10_flops", "--loss-col", "score",
                 "--bootstrap", 30, "--plot", path, "--json")
    assert r.code == 0, r.err
    fit = r.json()
    root, text = parse(path)
    assert len(markers(root)) == 16
    assert "x (log10_flops)" in text and "score" in text and "fitted law" in text
    assert "95% band, 30 resamples" in text
    assert "sigmoid: d + c / (1 + exp(-gamma * (x - l))), 16 runs" in text
    # The curve runs over the runs' range and 5% of it beyond each end (19 to 25: 18.7 to 25.3): its polyline spans
    # more of the plot than the runs do.
    curve = max(root.iter(SVG + "polyline"), key=lambda e: len(e.get("points").split()))
    xs = [float(p.split(",")[0]) for p in curve.get("points").split()]
    run_xs = [float(c.get("cx")) for c in markers(root)]
    assert min(xs) < min(run_xs) and max(xs) > max(run_xs)
    assert "nan" not in path.read_text().lower()

    observed_root, observed = parse(tmp_path / "score-observed.svg")
    assert "Observed vs predicted: sigmoid fit, 16 runs" in observed and "y = ŷ" in observed
    assert "predicted score (ŷ)" in observed and "observed score (y)" in observed
    assert len(markers(observed_root)) == 16
    residuals_root, residuals = parse(tmp_path / "score-residuals.svg")
    assert "ln y − ln ŷ (observed − predicted)" in residuals
    assert len(markers(residuals_root)) == 16
    # The RMS of the log residuals: the runs sit ±1.5% about the generating law, and the fit is close to it.
    rms = float(residuals.split("runs (16), RMS ")[1].split()[0])
    assert 0.01 < rms < 0.02
    assert fit["params"]["l"] == pytest.approx(22, abs=0.1)


def test_a_formula_of_one_column_draws_its_curve_on_a_log_axis(scalelaw, tmp_path):
    """A formula over one column spanning four decades: y against it on a log axis, the curve through the law."""
    rows = ["C,loss"] + [f"{10.0 ** (18 + 0.5 * k)!r},{1.7 + 300 * (10.0 ** (18 + 0.5 * k)) ** -0.12:.10f}"
                         for k in range(9)]
    data = tmp_path / "c.csv"
    data.write_text("\n".join(rows) + "\n")
    path = tmp_path / "c.svg"
    r = scalelaw("fit", data, "--formula", "E + A * C^(-alpha)", "--plot", path)
    assert r.code == 0, r.err
    root, text = parse(path)
    assert "E + A * C^(-alpha), 9 runs" in text and "fitted law" in text
    assert len(markers(root)) == 9
    # Log ticks: powers of ten with superscript exponents, 10^18 to 10^22 among them.
    exponents = {t.text for t in root.iter(SVG + "tspan")}
    assert {"18", "20", "22"} <= exponents
    assert "95% band" not in text  # no bootstrap, no band
    _, residuals = parse(tmp_path / "c-residuals.svg")
    assert "runs (9), RMS " in residuals


def test_a_formula_of_several_inputs_draws_observed_against_predicted(scalelaw, tmp_path):
    """A formula that reads neither N and D nor one input: out.svg is observed against predicted, on the loss
    itself (linear axes) when the fit's residuals are."""
    rows = ["C,M,loss"]
    for c in (1e18, 1e19, 1e20, 1e21):
        for m in (5, 20, 80):
            loss = 1.7 + (20 * m ** 0.1 + 50 * m ** -0.1) * c ** -0.1
            rows.append(f"{c!r},{m!r},{loss * (1.003 if (len(rows) % 2) else 0.997)!r}")
    data = tmp_path / "overtraining.csv"
    data.write_text("\n".join(rows) + "\n")
    path = tmp_path / "ot.svg"
    r = scalelaw("fit", data, "--formula", "E + (a * M^eta + b * M^(-eta)) * C^(-eta)", "--objective", "squared",
                 "--plot", path)
    assert r.code == 0, r.err
    root, text = parse(path)
    assert "Observed vs predicted: formula fit, 12 runs" in text
    assert len(markers(root)) == 12
    _, residuals = parse(tmp_path / "ot-residuals.svg")
    assert "residual y − ŷ (observed − predicted)" in residuals
    assert (tmp_path / "ot-observed.svg").read_text() == path.read_text()


def test_a_fit_of_n_and_d_keeps_its_chart_and_marks_held_out_runs(scalelaw, tmp_path):
    path = tmp_path / "fit.svg"
    r = scalelaw("fit", EXAMPLE_RUNS, "--holdout-top", 5, "--plot", path)
    assert r.code == 0, r.err
    _, text = parse(path)
    assert "compute C = 6ND (FLOPs)" in text
    root, observed = parse(tmp_path / "fit-observed.svg")
    assert "48 runs (5 held out)" in observed and "fitted runs (43), RMS" in observed
    assert "held out (5), RMS" in observed
    assert len(markers(root, "rect")) == 5  # the held-out runs are squares


def test_plots_per_group(scalelaw, tmp_path):
    data = tmp_path / "groups.csv"
    lines = open(EXAMPLE_RUNS).read().splitlines()
    data.write_text("\n".join([lines[0] + ",lab"] + [f"{line},{'a' if i % 2 else 'b'}"
                                                      for i, line in enumerate(lines[1:])]) + "\n")
    r = scalelaw("fit", data, "--group-by", "lab", "--plot", tmp_path / "g.svg")
    assert r.code == 0, r.err
    for group in ("a", "b"):
        for suffix in ("", "-observed", "-residuals"):
            root, _ = parse(tmp_path / f"g-{group}{suffix}.svg")
            if suffix:
                assert len(markers(root)) == 24


def test_isoflop_and_hparam_plots(scalelaw, tmp_path):
    chinchilla = os.path.join(SHARED_DIR, "data", "chinchilla", "svg_extracted_data.csv")
    steplaw = os.path.join(SHARED_DIR, "data", "steplaw", "dense_lr_bs_loss.csv")
    if not (os.path.exists(chinchilla) and os.path.exists(steplaw)):
        import pytest
        pytest.skip("../shared/data is absent")
    iso = tmp_path / "iso.svg"
    r = scalelaw("isoflop", chinchilla, "--params-col", "Model Size", "--flops-col", "Training FLOP",
                 "--budget-tolerance", 0.04, "--min-sizes", 6, "--plot", iso)
    assert r.code == 0, r.err
    _, text = parse(iso)
    assert "optimum (parabola vertex)" in text and "parameters N" in text
    hp = tmp_path / "hp.svg"
    r = scalelaw("fit-hparams", steplaw, "--params-col", "N", "--tokens-col", "D", "--lr-col", "lr",
                 "--batch-col", "bs", "--seq-len", 2048, "--loss-col", "smooth loss", "--plot", hp)
    assert r.code == 0, r.err
    _, text = parse(hp)
    assert "Optimal peak LR = 77.69" in text
    _, text = parse(tmp_path / "hp-batch.svg")
    assert "Optimal batch = 0.2085" in text


def test_a_formula_over_n_and_d_plots_with_its_frontier(scalelaw, tmp_path):
    """A formula fit is a law of N and D like the named forms: its chart has the law per size and the frontier of
    its allocation (minimised along C = 6ND), and its band from the resamples."""
    runs = tmp_path / "runs.csv"
    with open(EXAMPLE_RUNS) as f:
        runs.write_text(f.read().replace("params,tokens,", "N,D,", 1))
    path = tmp_path / "formula.svg"
    r = scalelaw("fit", runs, "--formula", "E + A/N^alpha + B/D^beta", "--bootstrap", 20, "--plot", path)
    assert r.code == 0, r.err
    root, text = parse(path)
    assert len(list(root.iter(SVG + "circle"))) >= 48
    assert "compute-optimal L_opt(C)" in text and "95% band, 20 resamples" in text
    assert "nan" not in path.read_text().lower()
