"""scalelaw compare: two recipes fitted jointly, through the binary.

Noise-free runs are written here from known laws: recipe B is recipe A given m times the compute,
L_B(C) = L_A(m C), so the multiplier is m; with their own exponents the crossover is where the two power laws meet,
computed here in closed form.
"""
import math
import os

import pytest

from conftest import SOURCE_DIR

RECIPE_RUNS = os.path.join(SOURCE_DIR, "data", "recipe_runs.csv")


def loss_a(c):
    return 1.8 + 1.3 * (c / 1e19) ** -0.15


def write_runs(tmp_path, loss_b, recipes=("base", "new"), name="runs.csv"):
    lines = ["arch,C,loss"]
    for label, law in zip(recipes, (loss_a, loss_b)):
        for i in range(7):
            c = 1e17 * 10 ** (0.5 * i)
            lines.append(f"{label},{c!r},{law(c)!r}")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_noise_free_multiplier(scalelaw, tmp_path):
    path = write_runs(tmp_path, lambda c: loss_a(3.0 * c))
    r = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C", "--bootstrap", "0", "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert out["recipe_a"] == "base" and out["recipe_b"] == "new" and out["runs_a"] == 7
    assert out["multiplier"]["value"] == pytest.approx(3.0, rel=1e-5)
    assert out["params"]["E"] == pytest.approx(1.8, rel=1e-5)
    assert out["params"]["alpha"] == pytest.approx(0.15, rel=1e-5)
    assert sorted(out["shared"]) == ["d", "dE"]
    assert out["crossover_flops"]["value"] is None
    # The other way round: A over B saves a factor 3 less.
    back = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C", "--bootstrap", "0", "--json",
                    "--baseline", "new").json()
    assert back["multiplier"]["value"] == pytest.approx(1 / 3.0, rel=1e-5)


def test_crossover_of_own_exponents(scalelaw, tmp_path):
    # 1.8 + 2.0 x^-0.2 = 1.8 + 1.3 x^-0.15 at x^0.05 = 2.0/1.3: C = 1e19 (2/1.3)^20.
    path = write_runs(tmp_path, lambda c: 1.8 + 2.0 * (c / 1e19) ** -0.2)
    out = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C", "--own-exponent", "--bootstrap",
                   "0", "--json").json()
    assert out["multiplier_depends_on_flops"] is True
    assert out["crossover_flops"]["value"] == pytest.approx(1e19 * (2.0 / 1.3) ** 20, rel=1e-4)
    text = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C", "--own-exponent", "--bootstrap",
                    "0", "--at-flops", "1e18")
    assert text.code == 0, text.err
    assert "at C = 1e+18 FLOPs" in text.out and "Crossover compute: " in text.out
    assert text.err == ""
    beyond = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C", "--own-exponent", "--bootstrap",
                      "0", "--at-flops", "1e22")
    assert beyond.code == 0 and "extrapolates the joint law beyond the runs' compute" in beyond.err


def test_bundled_example_interval_covers_the_true_multiplier(scalelaw):
    # data/generate_recipe_runs.py: the new mix is the baseline given 2x the compute, on Chinchilla's frontier
    # (E 1.69, exponent alpha*beta/(alpha+beta) = 0.153548), with 0.3% noise.
    r = scalelaw("compare", RECIPE_RUNS, "--json")
    assert r.code == 0, r.err
    out = r.json()
    m = out["multiplier"]
    assert m["lo95"] < 2.0 < m["hi95"]
    assert m["hi95"] / m["lo95"] < 1.3
    assert out["params"]["alpha"] == pytest.approx(0.153548, abs=0.01)
    assert out["params"]["E"] == pytest.approx(1.69, abs=0.05)
    assert out["bootstrap"]["succeeded"] == 200
    text = scalelaw("compare", RECIPE_RUNS)
    assert "C = 6ND (N from 'params', D from 'tokens')" in text.out
    assert "Compute multiplier of new-mix over baseline" in text.out and "nan" not in text.out.lower()


def test_plot_and_where(scalelaw, tmp_path):
    path = write_runs(tmp_path, lambda c: loss_a(2.0 * c))
    with open(path, "a") as f:
        for i in range(7):
            f.write(f"third,{1e17 * 10 ** (0.5 * i)!r},3.0\n")
    svg = tmp_path / "compare.svg"
    r = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C", "--where", "arch!=third",
                 "--bootstrap", "0", "--plot", svg)
    assert r.code == 0, r.err
    assert "7 left out by the filters" in r.out
    drawing = svg.read_text()
    assert drawing.startswith("<?xml") and ">base: runs (7)<" in drawing and ">new: runs (7)<" in drawing
    assert "third" not in drawing


def test_bad_input(scalelaw, tmp_path):
    path = write_runs(tmp_path, lambda c: loss_a(2.0 * c))
    with open(path, "a") as f:
        f.write("third,1e18,3.0\n")
    r = scalelaw("compare", path, "--recipe-col", "arch", "--flops-col", "C")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    assert "runs.csv" in r.err and "arch" in r.err and "exactly 2 recipes" in r.err
    two = write_runs(tmp_path, lambda c: loss_a(2.0 * c), name="two.csv")
    r = scalelaw("compare", two, "--recipe-col", "arch", "--flops-col", "C", "--baseline", "nope")
    assert r.code == 2 and "--baseline 'nope'" in r.err
    r = scalelaw("compare", two, "--recipe-col", "arch", "--flops-col", "flops")
    assert r.code == 2 and "flops" in r.err and len(r.err.strip().splitlines()) == 1
    # Three runs of a recipe cannot pin its power law: not usable, exit 1 with the reason.
    lines = (tmp_path / "two.csv").read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines[:8] + lines[8:11]) + "\n")
    r = scalelaw("compare", short, "--recipe-col", "arch", "--flops-col", "C")
    assert r.code == 1 and "at least 4 runs" in r.err
