"""scalelaw.plot: what each chart shows (its data, not only that it draws), and that matplotlib stays optional."""
import math
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import scalelaw

sys.path.insert(0, os.path.dirname(__file__))
from test_fit_hparams import noisy_sweep  # noqa: E402
from test_isoflop import grid  # noqa: E402

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE_RUNS = os.path.join(SOURCE_DIR, "data", "example_runs.csv")
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(scalelaw.__file__)))


@pytest.fixture(scope="module")
def runs():
    """The project's 48 example runs as a dict of columns."""
    table = np.genfromtxt(EXAMPLE_RUNS, delimiter=",", names=True)
    return {name: np.asarray(table[name], dtype=float) for name in table.dtype.names}


@pytest.fixture(scope="module")
def fitted(runs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        result = scalelaw.fit(runs, params="params", tokens="tokens", loss="loss", bootstrap=60, seed=3)
    assert result.converged, result.message
    return result


def by_gid(ax, gid):
    """The artists of ax with this gid (lines, collections, patches)."""
    artists = list(ax.get_lines()) + list(ax.collections) + list(ax.patches)
    return [a for a in artists if a.get_gid() == gid]


def one(ax, gid):
    found = by_gid(ax, gid)
    assert len(found) == 1, f"expected one artist with gid {gid!r}, found {len(found)}"
    return found[0]


def law_lines(ax, prefix):
    return [line for line in ax.get_lines() if (line.get_gid() or "").startswith(prefix)]


def closed_form_frontier(p, c):
    """L_opt(C) of L = E + A/N^alpha + B/D^beta with C = 6ND, written out independently of scalelaw."""
    g = (p["alpha"] * p["A"] / (p["beta"] * p["B"])) ** (1 / (p["alpha"] + p["beta"]))
    n = g * (c / 6) ** (p["beta"] / (p["alpha"] + p["beta"]))
    d = c / (6 * n)
    return p["E"] + p["A"] / n ** p["alpha"] + p["B"] / d ** p["beta"]


# --- loss vs compute (FitResult) ---


def test_fit_chart_runs_frontier_band_and_extrapolation(plt, runs, fitted):
    ax = scalelaw.plot(fitted, runs)
    n, d, loss = runs["params"], runs["tokens"], runs["loss"]

    points = one(ax, "runs")  # every run at C = 6ND, coloured by N on viridis
    offsets = np.asarray(points.get_offsets())
    assert len(offsets) == len(loss) == 48
    np.testing.assert_allclose(offsets[:, 0], 6 * n * d, rtol=1e-12)
    np.testing.assert_allclose(offsets[:, 1], loss, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(points.get_array()), n, rtol=1e-12)
    assert points.get_cmap().name == "viridis"
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"

    frontier = one(ax, "frontier")  # L_opt(C) in closed form, and as the C++ allocation reports it
    x, y = frontier.get_xdata(), frontier.get_ydata()
    assert len(x) > 10 and x[0] == pytest.approx((6 * n * d).min())
    np.testing.assert_allclose(y, closed_form_frontier(fitted.params, x), rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        for c, l_opt in zip(x[::20], y[::20]):
            assert fitted.allocate(float(c))["loss"] == pytest.approx(l_opt, rel=1e-9)

    band = one(ax, "frontier_band")  # 2.5 and 97.5 percentiles of the resamples' frontiers at each C
    draws = fitted.to_dict()["bootstrap"]["draws"]
    assert len(draws) == 60
    losses = np.array([closed_form_frontier(p, x) for p in draws])
    lower, upper = np.percentile(losses, [2.5, 97.5], axis=0)
    vertices = band.get_paths()[0].vertices
    for i in (0, len(x) // 2, len(x) - 1):
        at = np.sort(vertices[np.isclose(vertices[:, 0], x[i], rtol=1e-12), 1])
        assert at.min() == pytest.approx(lower[i], rel=1e-9) and at.max() == pytest.approx(upper[i], rel=1e-9)
        assert lower[i] <= y[i] <= upper[i]

    shade = one(ax, "extrapolation")  # from the largest run's compute to the right end of the curves
    shade_x = np.asarray(shade.get_xy())[:, 0]
    assert shade_x.min() == pytest.approx((6 * n * d).max(), rel=1e-12)
    assert shade_x.max() == pytest.approx(x[-1], rel=1e-12)
    assert "extrapolation" in shade.get_label()

    curves = law_lines(ax, "law:N=")  # the fitted law at each model size (8 at most)
    sizes = sorted(set(n))
    assert len(curves) == min(8, len(sizes))
    for line in curves:
        size = float(line.get_gid().split("=")[1])
        assert any(math.isclose(size, s, rel_tol=1e-5) for s in sizes)
        size = min(sizes, key=lambda s: abs(s - size))
        c = line.get_xdata()
        np.testing.assert_allclose(line.get_ydata(), fitted.predict(size, c / (6 * size)), rtol=1e-12)
        assert c[0] == pytest.approx((6 * size * d[n == size]).min() / 4)
    assert ax.get_legend() is not None


def test_fit_chart_data_forms(plt, runs, fitted):
    ax = scalelaw.plot(fitted, (runs["params"], runs["tokens"], runs["loss"]))
    assert len(one(ax, "runs").get_offsets()) == 48
    # D from a flops column (C/(6N)) and custom column names
    table = {"N": runs["params"], "C": 6 * runs["params"] * runs["tokens"], "L": runs["loss"]}
    ax = scalelaw.plot(fitted, table, params="N", flops="C", loss="L")
    np.testing.assert_allclose(np.asarray(one(ax, "runs").get_offsets())[:, 0], table["C"], rtol=1e-12)
    pandas = pytest.importorskip("pandas")
    ax = scalelaw.plot(fitted, pandas.DataFrame(runs))
    assert len(one(ax, "runs").get_offsets()) == 48
    with pytest.raises(scalelaw.InvalidArgument, match="no column 'tokens'"):
        scalelaw.plot(fitted, {"params": runs["params"], "loss": runs["loss"]})


def test_fit_chart_without_runs_or_bootstrap(plt, runs, fitted):
    # No data: the curves over the fitted range, the shade beyond 6·N_max·D_max.
    ax = scalelaw.plot(fitted)
    assert not by_gid(ax, "runs")
    rng = fitted.to_dict()["data_range"]
    shade_x = np.asarray(one(ax, "extrapolation").get_xy())[:, 0]
    assert shade_x.min() == pytest.approx(6 * rng["params"][1] * rng["tokens"][1])
    frontier = one(ax, "frontier")
    np.testing.assert_allclose(frontier.get_ydata(), closed_form_frontier(fitted.params, frontier.get_xdata()),
                               rtol=1e-12)
    # A fit without bootstrap has no band; the to_dict() form of a fit plots like the fit.
    plain = scalelaw.load_fit({k: v for k, v in fitted.to_dict().items() if k != "bootstrap"})
    ax = scalelaw.plot(plain, runs)
    assert not by_gid(ax, "frontier_band") and by_gid(ax, "frontier")
    ax = scalelaw.plot(fitted.to_dict(), runs)
    assert by_gid(ax, "frontier_band")


def test_fit_chart_marks_at_flops_and_draws_into_given_axes(plt, runs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        result = scalelaw.fit(runs, params="params", tokens="tokens", loss="loss", at_flops=1e25)
    fig, ax = plt.subplots()
    assert scalelaw.plot(result, runs, ax=ax) is ax
    assert one(ax, "at_flops").get_xdata()[0] == pytest.approx(1e25)
    assert one(ax, "frontier").get_xdata()[-1] == pytest.approx(1e25)


def test_kaplan_fit_has_curves_and_the_frontier_of_its_minimised_split(plt, runs):
    """A form without a closed-form split draws the frontier of its allocation: at each C the minimum of its loss
    along C = 6ND, checked here against a dense numpy scan of Kaplan et al.'s Eq. 1.5 with the fitted constants."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        result = scalelaw.fit(runs, params="params", tokens="tokens", loss="loss", model="kaplan")
    ax = scalelaw.plot(result, runs)
    assert law_lines(ax, "law:N=")
    frontier = one(ax, "frontier")
    p = result.params
    for c, l_opt in list(zip(frontier.get_xdata(), frontier.get_ydata()))[::20]:
        n = np.geomspace(1.0, c / 6, 400001)
        scan = ((p["N_c"] / n) ** (p["alpha_N"] / p["alpha_D"]) + p["D_c"] / (c / (6 * n))) ** p["alpha_D"]
        assert l_opt == pytest.approx(scan.min(), rel=1e-9)


def test_a_published_law_draws_over_its_range(plt):
    """plot("epoch") draws the published law as a fit is drawn: its five sizes over its fitted range and the
    frontier of its allocation, here against the closed form with the registry's constants."""
    [record] = [r for r in scalelaw.laws() if r.name == "epoch"]
    ax = scalelaw.plot("epoch")
    assert not by_gid(ax, "runs") and len(law_lines(ax, "law:N=")) == 5
    frontier = one(ax, "frontier")
    np.testing.assert_allclose(frontier.get_ydata(), closed_form_frontier(record.constants, frontier.get_xdata()),
                               rtol=1e-12)
    assert not by_gid(ax, "frontier_band")
    assert ax.get_title().startswith("epoch: ")
    with pytest.raises(scalelaw.InvalidArgument, match="no loss in N and D"):
        scalelaw.plot("step")


# --- isoFLOP profiles ---


def test_isoflop_chart_one_parabola_per_used_budget(plt):
    n, d, _, loss = grid(budgets=(1e18, 1e19, 1e20, 1e21), noise=0.002, seed=5)
    n2, d2, _, loss2 = grid(budgets=(1e22,), sizes=2)  # too few sizes: listed, not used
    n, d, loss = np.concatenate([n, n2]), np.concatenate([d, d2]), np.concatenate([loss, loss2])
    with pytest.warns(scalelaw.ScalelawWarning):
        out = scalelaw.isoflop(params=n, tokens=d, loss=loss)
    used = [b for b in out.budgets if b.used]
    assert len(out.budgets) == 5 and len(used) == 4

    ax = scalelaw.plot(out, (n, d, loss))
    parabolas = law_lines(ax, "parabola:")
    assert len(parabolas) == len(used)
    for line, b in zip(parabolas, used):
        x = line.get_xdata()
        np.testing.assert_allclose(line.get_ydata(), b.loss + b.curvature * np.log(x / b.params) ** 2, rtol=1e-12)
        assert x.min() < b.params_min and x.max() > b.params_max
    points = [c for c in ax.collections if (c.get_gid() or "").startswith("runs:")]
    assert len(points) == 5 and sum(len(c.get_offsets()) for c in points) == len(n)
    vertices = np.asarray(one(ax, "vertices").get_offsets())
    np.testing.assert_allclose(vertices, [[b.params, b.loss] for b in used], rtol=1e-12)
    optimum = one(ax, "optimum")  # the fitted N_opt = k·C^a at each used budget
    np.testing.assert_allclose(optimum.get_xdata(), [out.k_params * b.flops ** out.a for b in used], rtol=1e-12)

    # Without the runs: the parabolas and vertices alone; the to_dict() form draws the same.
    for result in (out, out.to_dict()):
        ax = scalelaw.plot(result)
        assert len(law_lines(ax, "parabola:")) == 4
        assert not [c for c in ax.collections if (c.get_gid() or "").startswith("runs:")]


# --- hyperparameter laws ---


def test_hparam_chart_laws_match_the_fit(plt):
    n, d, lr_values, batch_values, loss = noisy_sweep(per_cell=100, seed=2)
    out = scalelaw.fit_hparams(params=n, tokens=d, lr=lr_values, batch=batch_values, loss=loss)
    assert out.usable
    lr, batch, cells = out.lr, out.batch_tokens, out.cells
    for result in (out, out.to_dict()):
        lr_ax, batch_ax = scalelaw.plot(result)
        np.testing.assert_allclose(np.asarray(one(lr_ax, "cells").get_offsets()),
                                   [[c.params, c.best_lr] for c in cells], rtol=1e-12)
        lines = law_lines(lr_ax, "law:D=")
        assert len(lines) == len({c.tokens for c in cells}) == 4
        for line in lines:
            d_value = float(line.get_gid().split("=")[1])
            x = line.get_xdata()
            np.testing.assert_allclose(line.get_ydata(), lr.coef * x ** lr.exp_params * d_value ** lr.exp_tokens,
                                       rtol=1e-5)  # d from the gid has 6 digits
        assert lr_ax.get_xscale() == lr_ax.get_yscale() == "log"

        np.testing.assert_allclose(np.asarray(one(batch_ax, "cells").get_offsets()),
                                   [[c.tokens, c.best_batch_tokens] for c in cells], rtol=1e-12)
        line = one(batch_ax, "law")
        x = line.get_xdata()
        np.testing.assert_allclose(line.get_ydata(), batch.coef * x ** batch.exp_tokens, rtol=1e-12)


# --- plan ---


def test_plan_chart_lists_every_law(plt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        out = scalelaw.plan(1e23)
    axes = scalelaw.plot(out)
    assert len(axes) == len(out["sources"])
    for ax, key in zip(axes, out["sources"]):
        laws = out["alternatives"].get(key, [{"law": out["sources"][key], "value": out[key]}])
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert [label.replace(" (plan)", "") for label in labels] == [a["law"] for a in laws]
        assert [label for label in labels if label.endswith(" (plan)")] == [out["sources"][key] + " (plan)"]
        dots = np.asarray(one(ax, f"values:{key}").get_offsets())
        np.testing.assert_allclose(dots[:, 0], [a["value"] for a in laws], rtol=1e-12)
        assert ax.get_xscale() == "log"
    assert len(out["alternatives"]["batch_tokens"]) >= 3  # the chart is about these disagreements

    picked = scalelaw.plot(out, quantities=["lr", "batch_tokens"])
    assert len(picked) == 2
    with pytest.raises(scalelaw.InvalidArgument, match="no quantity 'momentum'"):
        scalelaw.plot(out, quantities=["momentum"])


def test_dispatch_errors(plt, fitted):
    with pytest.raises(TypeError, match="FitResult"):
        scalelaw.plot(42)
    with pytest.raises(TypeError, match="FitResult"):
        scalelaw.plot({"a": 1})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        out = scalelaw.plan(1e21)
    with pytest.raises(scalelaw.InvalidArgument, match="data is not used"):
        scalelaw.plot(out, {"params": [1.0]})


# --- any fit: y against its input, observed against predicted, residuals ---


def sigmoid(p, x):
    """The sigmoid preset written out: d + c / (1 + exp(-gamma (x - l)))."""
    return p["d"] + p["c"] / (1 + np.exp(-p["gamma"] * (x - p["l"])))


@pytest.fixture(scope="module")
def scores():
    """A benchmark score against log10 FLOPs (19 to 25), 1.5% above or below a sigmoid, and its fit."""
    x = 19 + 0.4 * np.arange(16)
    y = (0.25 + 0.5 / (1 + np.exp(-1.8 * (x - 22)))) * np.where(np.arange(16) % 2 == 0, 1.015, 0.985)
    table = {"log_flops": x, "score": y}
    result = scalelaw.fit(table, model="sigmoid", columns={"x": "log_flops"}, loss="score", bootstrap=40, seed=5)
    assert result.usable, result.message
    return table, result


def test_a_sigmoid_fit_draws_its_curve_band_and_diagnostics(plt, scores):
    table, result = scores
    assert result.inputs == ["x"] and result.table_columns == {"loss": "score", "x": "log_flops"}
    axes = scalelaw.plot(result, table)  # a fit not of N and D: the three diagnostics side by side
    assert len(axes) == 3
    curve_ax, observed_ax, residuals_ax = axes

    # y against x: every run, the fitted law over the runs' range and 5% beyond, the band of the resamples' curves.
    np.testing.assert_array_equal(np.asarray(one(curve_ax, "runs").get_offsets()),
                                  np.column_stack([table["log_flops"], table["score"]]))
    law = one(curve_ax, "law")
    x = law.get_xdata()
    assert x[0] == pytest.approx(19 - 0.3) and x[-1] == pytest.approx(25 + 0.3)
    np.testing.assert_allclose(law.get_ydata(), sigmoid(result.params, x), rtol=1e-12)
    np.testing.assert_allclose(law.get_ydata(), result.predict(x=x), rtol=1e-12)
    draws = result.to_dict()["bootstrap"]["draws"]
    lower, upper = np.percentile([sigmoid(p, x) for p in draws], [2.5, 97.5], axis=0)
    vertices = one(curve_ax, "band").get_paths()[0].vertices
    for i in (0, 100, len(x) - 1):
        at = vertices[np.isclose(vertices[:, 0], x[i], rtol=1e-12), 1]
        assert at.min() == pytest.approx(lower[i], rel=1e-9) and at.max() == pytest.approx(upper[i], rel=1e-9)
    assert curve_ax.get_xscale() == "linear" and curve_ax.get_xlabel() == "x (log_flops)"
    assert not by_gid(curve_ax, "held_out")

    # Observed against predicted, and the log residuals: ln y - ln yhat.
    predicted = sigmoid(result.params, table["log_flops"])
    points = np.asarray(one(observed_ax, "runs").get_offsets())
    np.testing.assert_allclose(points[:, 0], predicted, rtol=1e-12)
    np.testing.assert_allclose(points[:, 1], table["score"], rtol=1e-12)
    identity = one(observed_ax, "identity")
    np.testing.assert_array_equal(identity.get_xdata(), identity.get_ydata())
    assert observed_ax.get_xlim() == observed_ax.get_ylim()
    assert observed_ax.get_xscale() == "log" and observed_ax.get_yscale() == "log"  # log residuals
    residuals = np.asarray(one(residuals_ax, "runs").get_offsets())
    np.testing.assert_allclose(residuals[:, 1], np.log(table["score"]) - np.log(predicted), rtol=1e-9, atol=1e-15)
    assert one(residuals_ax, "zero").get_ydata()[0] == 0
    rms = np.sqrt(np.mean(residuals[:, 1] ** 2))
    assert one(residuals_ax, "runs").get_label() == f"runs (16), RMS {rms:.3g}"

    # One chart at a time, each on one Axes.
    assert len(scalelaw.plot(result, table, kind="curve").get_lines()) == 1
    assert len(by_gid(scalelaw.plot(result, table, kind="observed"), "runs")) == 1
    ax = scalelaw.plot(result, (table["log_flops"], table["score"]), kind="residuals")  # a tuple (x, y)
    np.testing.assert_allclose(np.asarray(one(ax, "runs").get_offsets())[:, 1], residuals[:, 1], rtol=1e-12)


def test_a_fit_on_the_loss_itself_draws_linear_residuals(plt):
    """A power law with a negative offset fitted on the loss itself: y - yhat, linear axes, negative y drawn."""
    x = 10.0 ** (3 + 0.5 * np.arange(10))
    y = -1.2 + 40 * x ** -0.3 + np.where(np.arange(10) % 2 == 0, 0.02, -0.02)
    table = {"x": x, "loss": y}
    result = scalelaw.fit(table, formula="E + A * x^(-alpha)", grid={"E": [-2, 0]}, bounds={"A": (0, math.inf)},
                          residual="loss", objective="squared")
    assert result.usable, result.message
    curve_ax, observed_ax, residuals_ax = scalelaw.plot(result, table)
    predicted = result.params["E"] + result.params["A"] * x ** -result.params["alpha"]
    np.testing.assert_allclose(np.asarray(one(residuals_ax, "runs").get_offsets())[:, 1], y - predicted,
                               rtol=1e-7, atol=1e-12)
    assert observed_ax.get_xscale() == "linear" and residuals_ax.get_xscale() == "linear"
    assert (np.asarray(one(observed_ax, "runs").get_offsets())[:, 1] < 0).sum() >= 3
    assert curve_ax.get_xscale() == "log"  # x spans 4.5 decades
    assert "y − ŷ" in residuals_ax.get_ylabel()


def test_held_out_runs_are_drawn_apart(plt, runs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        result = scalelaw.fit(runs, holdout_top=5)
    assert scalelaw.plot(result, runs).get_xscale() == "log"  # a fit of N and D keeps loss vs compute
    observed_ax, residuals_ax = scalelaw.plot(result, runs, kind="diagnostics")  # no one input: two charts
    held = np.asarray(one(observed_ax, "held_out").get_offsets())
    assert len(held) == 5 and len(one(observed_ax, "runs").get_offsets()) == 43
    largest = np.argsort(-(runs["params"] * runs["tokens"]))[:5]
    np.testing.assert_allclose(np.sort(held[:, 1]), np.sort(runs["loss"][largest]), rtol=1e-12)
    predicted = {(h["params"], h["tokens"]): h["predicted"] for h in result.to_dict()["holdout"]["runs"]}
    expected = sorted(predicted[(runs["params"][i], runs["tokens"][i])] for i in largest)
    np.testing.assert_allclose(np.sort(held[:, 0]), expected, rtol=1e-12)
    assert one(residuals_ax, "held_out").get_label().startswith("held out (5), RMS ")
    # The highest losses a fit dropped are left out of its diagnostics, as the CLI draws the runs it fitted.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        dropped = scalelaw.fit(runs, drop_highest=3)
    observed = np.asarray(one(scalelaw.plot(dropped, runs, kind="observed"), "runs").get_offsets())
    np.testing.assert_array_equal(np.sort(observed[:, 1]), np.sort(runs["loss"])[:-3])


def test_a_formula_over_n_and_d_draws_compute_and_diagnostics(plt, runs):
    """A formula over columns N and D is drawn against compute by default, and its diagnostics read N and D from
    the columns it was fitted on (or those params= and tokens= name)."""
    table = {"N": runs["params"], "D": runs["tokens"], "loss": runs["loss"]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        result = scalelaw.fit(table, formula="E + A/N^alpha + B/D^beta")
        expected = result.predict(N=table["N"], D=table["D"])
    assert sorted(result.inputs) == ["D", "N"]
    assert by_gid(scalelaw.plot(result, table), "frontier")  # kind="compute"
    ax = scalelaw.plot(result, table, kind="observed")
    np.testing.assert_allclose(np.asarray(one(ax, "runs").get_offsets())[:, 0], expected, rtol=1e-12)
    moved = {"n2": table["N"], "d2": table["D"], "loss": table["loss"]}
    ax = scalelaw.plot(result, moved, kind="observed", params="n2", tokens="d2")
    np.testing.assert_allclose(np.asarray(one(ax, "runs").get_offsets())[:, 0], expected, rtol=1e-12)


def test_diagnostic_kinds_refuse_what_they_cannot_draw(plt, runs, fitted, scores):
    table, result = scores
    with pytest.raises(scalelaw.InvalidArgument, match="reads several"):
        scalelaw.plot(fitted, runs, kind="curve")
    with pytest.raises(scalelaw.InvalidArgument, match="not N and D"):
        scalelaw.plot(result, table, kind="compute")
    with pytest.raises(scalelaw.InvalidArgument, match="pass them as data"):
        scalelaw.plot(result)
    with pytest.raises(scalelaw.InvalidArgument, match="kind='bars'"):
        scalelaw.plot(result, table, kind="bars")
    with pytest.raises(scalelaw.InvalidArgument, match="no column 'flops10'"):
        scalelaw.plot(result, table, columns={"x": "flops10"})
    renamed = {"c": table["log_flops"], "score": table["score"]}
    ax = scalelaw.plot(result, renamed, kind="curve", columns={"x": "c"})
    assert ax.get_xlabel() == "x (c)"


# --- matplotlib is optional ---


def run_python(code):
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_import_scalelaw_does_not_import_matplotlib():
    done = run_python("import sys, scalelaw\n"
                      "assert callable(scalelaw.plot) and 'plot' in scalelaw.__all__\n"
                      "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_matplotlib_import_works_and_plot_says_what_to_install():
    # matplotlib made unimportable, as on a machine without python3-matplotlib
    done = run_python(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'matplotlib':\n"
        "            raise ImportError('No module named ' + repr(name))\n"
        "sys.meta_path.insert(0, Block())\n"
        "import scalelaw\n"
        "result = scalelaw.load_fit({'model': 'chinchilla', 'params': {'E': 1.8, 'A': 400.0, 'B': 400.0,"
        " 'alpha': 0.34, 'beta': 0.28}})\n"
        "try:\n"
        "    scalelaw.plot(result)\n"
        "except ImportError as e:\n"
        "    print('ImportError:', e)\n")
    assert done.returncode == 0, done.stderr
    assert "ImportError:" in done.stdout and "python3-matplotlib" in done.stdout


# --- one chart computation for both faces ---


def svg_polylines(path):
    """[(stroke width, [(x, y) pixels])] of every polyline of an SVG document."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    out = []
    for line in root.iter("{http://www.w3.org/2000/svg}polyline"):
        points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        out.append((float(line.get("stroke-width")), points))
    return out, root


def svg_x_decades(root):
    """{k: pixel} of the x axis's 10^k tick labels (centred on their tick)."""
    ticks = {}
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        sup = list(text)
        if text.text == "10" and sup and text.get("text-anchor") == "middle":
            ticks[int(sup[0].text)] = float(text.get("x"))
    return ticks


def test_fit_chart_frontier_is_the_clis(plt, runs, tmp_path):
    """The same fit drawn by `scalelaw fit --plot` and by scalelaw.plot: the CLI's frontier polyline is the Python
    frontier's (C, L_opt) mapped to pixels by the SVG's own axes (its 10^k tick labels on x; on y, the one affine
    map in log L that the 80 points must share)."""
    cli = os.environ.get("SCALELAW_CLI", os.path.join(PACKAGE_PARENT, "..", "bin", "scalelaw"))
    if not os.path.exists(cli):
        pytest.skip("SKIPPED: the scalelaw CLI is not built beside the module")
    fit_json, svg = tmp_path / "fit.json", tmp_path / "fit.svg"
    done = subprocess.run([cli, "fit", EXAMPLE_RUNS, "--output", str(fit_json), "--plot", str(svg)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(fit_json) as f:
        result = scalelaw.load_fit(f.read())
    frontier = one(scalelaw.plot(result, runs), "frontier")
    c, l_opt = frontier.get_xdata(), frontier.get_ydata()

    lines, root = svg_polylines(svg)
    [(_, pixels)] = [(w, p) for w, p in lines if w == 2.4 and len(p) > 2]  # the thick black frontier
    assert len(pixels) == len(c) == 80
    px, py = np.array(pixels).T
    ticks = svg_x_decades(root)
    assert len(ticks) >= 3
    k = np.array(sorted(ticks))
    slope, offset = np.polyfit(k, [ticks[j] for j in k], 1)
    np.testing.assert_allclose(px, offset + slope * np.log10(c), atol=0.11)  # printed to 0.1 px
    fitted = np.polyfit(np.log10(l_opt), py, 1)
    np.testing.assert_allclose(py, np.polyval(fitted, np.log10(l_opt)), atol=0.11)
    # The numbers themselves: the frontier of the fit the CLI wrote, in closed form.
    np.testing.assert_allclose(l_opt, closed_form_frontier(result.params, c), rtol=1e-12)


def test_chart_arrays_come_from_the_cpp_builders(runs, fitted):
    """scalelaw.plot draws what _scalelaw._fit_chart computes: the law per size at the fit's own prediction, the
    frontier from the smallest run's C to 100x the largest."""
    n, d, loss = runs["params"], runs["tokens"], runs["loss"]
    chart = scalelaw._scalelaw._fit_chart(fitted, n, d, loss, math.nan)
    c = 6 * n * d
    assert chart["flops_min"] == pytest.approx(c.min()) and chart["flops_max"] == pytest.approx(100 * c.max())
    assert chart["frontier"]["flops"][0] == pytest.approx(c.min()) and len(chart["frontier"]["flops"]) == 80
    assert chart["frontier_exponent"] == pytest.approx(
        fitted.params["beta"] / (fitted.params["alpha"] + fitted.params["beta"]), rel=1e-12)
    for curve in chart["law_curves"]:
        np.testing.assert_allclose(curve["loss"], fitted.predict(curve["value"], curve["flops"] / (6 * curve["value"])),
                                   rtol=1e-12)
    assert chart["frontier_band"]["resamples"] == 60


# --- plot(result, df) reads the columns the analysis read ---


def test_plot_reuses_the_fits_columns(plt, runs):
    table = {"N": runs["params"], "C": 6 * runs["params"] * runs["tokens"], "L": runs["loss"],
             "other": np.full(48, 7.0)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        result = scalelaw.fit(table, params="N", flops="C", loss="L")
    assert result.table_columns == {"params": "N", "flops": "C", "loss": "L"}
    ax = scalelaw.plot(result, table)  # no params=, flops=, loss= again
    offsets = np.asarray(one(ax, "runs").get_offsets())
    np.testing.assert_allclose(offsets[:, 0], table["C"], rtol=1e-12)
    np.testing.assert_allclose(offsets[:, 1], table["L"], rtol=1e-12)
    # An explicit keyword overrides the recorded column.
    ax = scalelaw.plot(result, dict(table, L2=table["L"] * 2), loss="L2")
    np.testing.assert_allclose(np.asarray(one(ax, "runs").get_offsets())[:, 1], table["L"] * 2, rtol=1e-12)
    # Arrays leave nothing to record; the defaults apply.
    assert scalelaw.fit(runs["params"], runs["tokens"], runs["loss"]).table_columns is None


def test_plot_reuses_the_isoflop_columns(plt):
    n, d, _, loss = grid(budgets=(1e18, 1e19, 1e20), noise=0.002, seed=5)
    table = {"size": n, "compute": 6 * n * d, "final": loss}
    out = scalelaw.isoflop(table, params="size", flops="compute", loss="final")
    assert out.table_columns == {"params": "size", "flops": "compute", "loss": "final"}
    ax = scalelaw.plot(out, table)
    points = [c for c in ax.collections if (c.get_gid() or "").startswith("runs:")]
    assert sum(len(c.get_offsets()) for c in points) == len(n)
    np.testing.assert_allclose(np.sort(np.concatenate([np.asarray(c.get_offsets())[:, 0] for c in points])),
                               np.sort(n), rtol=1e-12)
