"""scalelaw.plot of the ladder, sweep design, validation and recipe comparison: the charts `--plot` writes as SVG
(src/plot/analysis_charts.h), drawn with matplotlib series by series; what each shows, counted."""
import os

import numpy as np
import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
LADDER_CONFIG = os.path.join(SHARED_DIR, "data", "olmo-ladder", "final.json")
EXAMPLE_RUNS = os.path.join(SOURCE_DIR, "data", "example_runs.csv")
RECIPE_RUNS = os.path.join(SOURCE_DIR, "data", "recipe_runs.csv")


def points(ax):
    """The number of scatter markers drawn on ax."""
    from matplotlib.collections import PathCollection

    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def table(path):
    import csv

    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([r[k] for r in rows], dtype=float if k != "recipe" else object) for k in rows[0]}


def test_ladder_draws_both_steps_of_each_task(plt):
    if not os.path.exists(LADDER_CONFIG):
        pytest.skip(f"SKIPPED: {LADDER_CONFIG} is absent (published data are read from ../shared, never copied)")
    with pytest.warns(scalelaw.ScalelawWarning, match="extrapolates"):  # the 13B target is beyond the ladder
        results = scalelaw.fit_ladder(LADDER_CONFIG, tasks=["piqa_val_5shot", "arc_easy_test_5shot"], bootstrap=20,
                                      threads=1)
    axes = scalelaw.plot(results)
    assert len(axes) == 4 and len(axes[0].figure.axes) == 4  # one Figure, a row per task: step 1, step 2
    for row, result in enumerate(results):
        step1, step2 = axes[2 * row], axes[2 * row + 1]
        assert result.step1_points == 16  # 4 sizes x 4 token multiples in the config
        # Every ladder run's point, the target's predicted and its actual task loss.
        assert points(step1) == result.step1_points + 2
        assert step1.get_xscale() == "log" and step1.get_xlabel() == "training compute C = 6ND (FLOPs)"
        assert step1.get_ylabel() == "task loss (bits per byte)"
        assert "Bhagia et al. 2024" in step1.get_title() and result.task in step1.get_title()
        assert f"target predicted: {result.step1_prediction:.4f}" in labels(step1)
        # Every smoothed checkpoint (the ideal point is not drawn), the chained prediction and the actual.
        assert points(step2) == result.step2_points - 1 + 2
        assert f"target chained: {result.chained_prediction:.4f}" in labels(step2)
        interval = f"90% interval [{result.chained_lower:.3f}, {result.chained_upper:.3f}]"
        assert interval in labels(step2)
        (line,) = [ln for ln in step2.get_lines() if ln.get_label() == interval]
        assert np.allclose(line.get_ydata(), [result.chained_lower, result.chained_upper])
    one = scalelaw.plot(results[0])  # one task: its two Axes
    assert len(one) == 2
    with pytest.raises(scalelaw.InvalidArgument, match="data and kind are not used"):
        scalelaw.plot(results, {"params": [1]})


def test_sweep_design_draws_the_refits_and_the_plane(plt):
    design = scalelaw.design_sweep(target_flops=1e21, sizes=[5e7, 1e8, 2e8, 4e8, 8e8],
                                   tokens=[1e9, 3e9, 1e10, 3e10, 1e11], noise=0.01, simulations=40,
                                   candidates=[(3.2e9, 3e10), (5e7, 1e12)], threads=1)
    refits, plane = scalelaw.plot(design)
    assert points(refits) == design.refits_usable + 1  # every usable refit, the truth
    assert refits.get_xscale() == "log"
    # The refits' optima, the 25 runs, the candidates, the proposed run marked again, the truth's optimum.
    proposed = design.best_candidate is not None
    assert points(plane) == design.refits_usable + 25 + 2 + (1 if proposed else 0) + 1
    assert plane.get_xlabel() == "parameters N" and plane.get_ylabel() == "training tokens D"
    unusable = scalelaw.design_sweep(target_flops=1e21, budgets=[1e19], sizes=[5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9],
                                     noise=0.01, simulations=20, threads=1)
    with pytest.raises(scalelaw.InvalidArgument, match="not usable"):
        scalelaw.plot(unusable)


def test_validation_draws_every_held_out_prediction(plt):
    result = scalelaw.validate(table(EXAMPLE_RUNS), bootstrap=20)
    ax = scalelaw.plot(result)
    assert points(ax) == len(result.runs)
    assert ax.get_xlabel() == "extrapolation distance (C / threshold)" and ax.get_xscale() == "log"
    # The same points as the CLI's chart: the errors in percent at the runs' distances.
    drawn = np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    expected = sorted((r["distance"], 100 * r["relative_error"]) for r in result.runs)
    assert np.allclose(sorted(map(tuple, drawn)), expected)


def test_comparison_draws_the_laws_the_runs_and_the_multiplier(plt):
    data = table(RECIPE_RUNS)
    result = scalelaw.compare_recipes(data, bootstrap=30, threads=1)
    ax = scalelaw.plot(result, data)
    assert points(ax) == len(data["loss"]) + 2  # the runs, the multiplier segment's two ends
    names = labels(ax)
    assert f"{result.recipe_a}: joint law" in names and f"{result.recipe_b}: joint law" in names
    (segment,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("m = ")]
    c0, c1 = segment.get_xdata()
    assert c1 / c0 == pytest.approx(result.multiplier, rel=1e-9)
    assert points(scalelaw.plot(result)) == 2  # without the runs, the laws and the multiplier alone
