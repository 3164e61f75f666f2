"""scalelaw.compare_recipes: the Python face of `scalelaw compare` gives the CLI's numbers."""
import json
import os
import subprocess

import pytest

scalelaw = pytest.importorskip("scalelaw")
pd = pytest.importorskip("pandas")

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
RECIPE_RUNS = os.path.join(SOURCE_DIR, "data", "recipe_runs.csv")


def test_same_numbers_as_the_cli():
    df = pd.read_csv(RECIPE_RUNS)
    result = scalelaw.compare_recipes(df, bootstrap=50)
    assert result.usable and result.recipe_a == "baseline" and result.recipe_b == "new-mix"
    lo, hi = result.multiplier_ci95
    assert lo < result.multiplier < hi
    binary = os.environ.get("SCALELAW_CLI")
    if binary:
        cli = json.loads(subprocess.run([binary, "compare", RECIPE_RUNS, "--bootstrap", "50", "--json"],
                                        capture_output=True, text=True, check=True).stdout)
        assert result.to_dict() == cli
    # The joint law through .loss, against the parameters it reports.
    p = result.params
    c = result.scale_flops * 10.0
    assert result.loss(0, c) == pytest.approx(p["E"] + p["A"] * 10.0 ** -p["alpha"], rel=1e-12)
    assert "RecipeComparison" in repr(result)


def test_arrays_baseline_and_errors():
    df = pd.read_csv(RECIPE_RUNS)
    flops = 6 * df["params"] * df["tokens"]
    swapped = scalelaw.compare_recipes(df, flops=flops, baseline="new-mix", bootstrap=0)
    forward = scalelaw.compare_recipes(df, bootstrap=0)
    assert swapped.multiplier == pytest.approx(1 / forward.multiplier, rel=1e-4)
    assert swapped.multiplier_ci95 is None
    with pytest.raises(scalelaw.InvalidArgument, match="exactly 2 recipes"):
        scalelaw.compare_recipes(df.assign(recipe=["a", "b", "c"] * 6))
    with pytest.raises(scalelaw.InvalidArgument, match="baseline 'x'"):
        scalelaw.compare_recipes(df, baseline="x")


def test_defaults_are_the_library_options():
    import inspect
    defaults = scalelaw._scalelaw._compare_defaults()
    signature = inspect.signature(scalelaw.compare_recipes).parameters
    for name, value in defaults.items():
        assert signature[name].default == value, name
