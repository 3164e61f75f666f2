"""--plot on fit, isoflop and fit-hparams: a standalone SVG document with the runs and the fitted law."""
import os
import xml.etree.ElementTree as ET

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


def test_plot_needs_a_model_of_n_and_d(scalelaw, tmp_path):
    r = scalelaw("fit", EXAMPLE_RUNS, "--model", "power", "--col", "x=params", "--loss-col", "loss",
                 "--plot", tmp_path / "x.svg")
    assert r.code == 2 and "the fit must read N and D" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--plot", tmp_path / "missing" / "x.svg")
    assert r.code == 2 and "cannot write the plot" in r.err


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
