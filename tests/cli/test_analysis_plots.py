"""--plot on ladder, design, validate and compare: SVG documents (one chart, or a grid of charts as nested <svg>
elements) drawn by the chart builders the --report pages use (src/plot/analysis_charts.h)."""
import json
import os
import xml.etree.ElementTree as ET

import pytest

from conftest import EXAMPLE_RUNS, SHARED_DIR, SOURCE_DIR

SVG = "{http://www.w3.org/2000/svg}"
LADDER_CONFIG = os.path.join(SHARED_DIR, "data", "olmo-ladder", "final.json")
RECIPE_RUNS = os.path.join(SOURCE_DIR, "data", "recipe_runs.csv")


def charts(path):
    """The charts of a --plot file: the nested <svg> of a grid, or the document itself."""
    root = ET.parse(path).getroot()  # raises on a malformed document
    assert root.tag == SVG + "svg"
    nested = root.findall(SVG + "svg")
    return nested or [root]


def text(chart):
    return " ".join("".join(t.itertext()) for t in chart.iter(SVG + "text"))


def markers(chart, tag):
    """The markers of the plot area (the legend's swatches left out)."""
    legend = {id(e) for g in chart.iter(SVG + "g") if g.get("class") == "legend" for e in g.iter()}
    groups = [g for g in chart.iter(SVG + "g") if g.get("fill") and id(g) not in legend]
    return [e for g in groups for e in g.findall(SVG + tag)]


@pytest.fixture
def ladder():
    if not os.path.exists(LADDER_CONFIG):
        pytest.skip(f"SKIPPED: {LADDER_CONFIG} is absent (published data are read from ../shared, never copied)")
    with open(LADDER_CONFIG) as f:
        config = json.load(f)
    return sum(len(entry["paths"]) for entry in config.values() if entry["mode"] == "train")


def test_ladder_plot_has_both_steps_of_every_task_with_the_target(scalelaw, tmp_path, ladder):
    path = tmp_path / "ladder.svg"
    r = scalelaw("ladder", "--config", LADDER_CONFIG, "--task", "piqa_val_5shot", "--task", "hellaswag_val_5shot",
                 "--bootstrap", 20, "--threads", 1, "--json", "--plot", path)
    assert r.code == 0, r.err
    tasks = r.json()
    drawn = charts(path)
    assert len(drawn) == 4  # a row per task: step 1, step 2
    for row, task in enumerate(tasks):
        step1, step2 = drawn[2 * row], drawn[2 * row + 1]
        one, two = text(step1), text(step2)
        assert task["task"] + " step 1" in one and "Bhagia et al. 2024, arXiv:2412.04403" in one
        assert "task loss (bits per byte)" in one and "training compute C = 6ND (FLOPs)" in one
        # One point per ladder run (16 in the config: 4 sizes x 4 token multiples), and the target's predicted
        # (diamond) and actual (square) task loss, labelled with the values --json reports.
        assert len(markers(step1, "circle")) == ladder == task["step1_points"]
        assert len(markers(step1, "polygon")) + len(markers(step1, "path")) >= 1
        assert f"target predicted: {task['step1_prediction']:.4f}" in one
        assert f"target actual: {task['actual_task_loss']:.4f}" in one
        # Step 2: every smoothed checkpoint the sigmoid was fitted on (its points less the ideal point), the chained
        # prediction and its 90% interval.
        assert task["step2_points"] > ladder
        assert len(markers(step2, "circle")) == task["step2_points"] - 1
        assert "accuracy" in two and "task loss L (bits per byte)" in two
        assert f"target chained: {task['chained_prediction']:.4f}" in two
        assert f"90% interval [{task['chained_lower']:.3f}, {task['chained_upper']:.3f}]" in two
    assert "nan" not in path.read_text().lower()


def test_ladder_plot_leaves_out_an_unusable_task(scalelaw, tmp_path, ladder):
    runs = os.path.join(os.path.dirname(LADDER_CONFIG), "ladder-runs")
    args = [f"--run={os.path.join(runs, f'{s}-{k}xC.csv')}={n}" for s, n in (("190M", 190354176), ("370M", 371262464))
            for k in (1, 2)]
    path = tmp_path / "none.svg"
    r = scalelaw("ladder", *args, "--target-params", 1e10, "--target-tokens", 1e12, "--task", "piqa_val_5shot",
                 "--plot", path)
    assert r.code == 1 and "at least 3 model sizes" in r.err
    assert not path.exists()  # nothing usable, nothing drawn


GRID = ["--sizes", "5e7,1e8,2e8,4e8,8e8", "--tokens", "1e9,3e9,1e10,3e10,1e11"]


def test_design_plot_shows_the_refits_the_design_and_the_proposed_run(scalelaw, tmp_path):
    path = tmp_path / "design.svg"
    r = scalelaw("design", *GRID, "--law", "epoch", "--noise", "0.01", "--target-flops", "1e21", "--simulations", 40,
                 "--candidates", "3.2e9:3e10,5e7:1e12", "--threads", 1, "--json", "--plot", path)
    assert r.code == 0, r.err
    out = r.json()
    refits, plane = charts(path)
    usable = out["refits"]["usable"]
    # One point per usable refit in each chart, the truth as a diamond, the design's 25 runs as squares.
    assert len(markers(refits, "circle")) == usable
    assert f"refits ({usable} of 40)" in text(refits)
    assert f"{out['true']['loss']:.4f})" in text(refits)  # the truth's loss at the target, as --json has it
    assert "compute-optimal parameters N_opt at the target budget" in text(refits)
    assert len(markers(plane, "rect")) == 25
    plane_circles = markers(plane, "circle")
    proposed = out.get("best_candidate") is not None
    # The refits' optima, the two candidates, and the proposed run marked once more.
    assert len(plane_circles) == usable + len(out["candidates"]) + (1 if proposed else 0)
    assert "parameters N" in text(plane) and "training tokens D" in text(plane)
    assert proposed and out["best_candidate"] == 0  # the 3.2e9-parameter run narrows N_opt by > 2 Monte Carlo SEs
    assert "next run: N 3.2e9, D 3e10" in text(plane)


def test_validate_and_compare_plots_are_the_reports_charts(scalelaw, tmp_path):
    errors = tmp_path / "validate.svg"
    r = scalelaw("validate", EXAMPLE_RUNS, "--bootstrap", 20, "--json", "--plot", errors)
    assert r.code == 0, r.err
    (chart,) = charts(errors)
    assert len(markers(chart, "circle")) == len(r.json()["runs"])  # one point per held-out prediction
    assert "extrapolation distance (C / threshold)" in text(chart)

    frontiers = tmp_path / "compare.svg"
    r = scalelaw("compare", RECIPE_RUNS, "--bootstrap", 30, "--threads", 1, "--json", "--plot", frontiers)
    assert r.code == 0, r.err
    out = r.json()
    (chart,) = charts(frontiers)
    words = text(chart)
    assert "baseline: runs (9)" in words and "new-mix: runs (9)" in words and "baseline: joint law" in words
    # The runs and the two ends of the multiplier's segment.
    assert len(markers(chart, "circle")) == 18 + 2
    assert f"m = {out['multiplier']['value']:.3g} (95% " in words
