"""Charts of scalelaw results with matplotlib (an optional dependency, imported only when a chart is drawn).

    import scalelaw
    result = scalelaw.fit(df, params="N", tokens="D", loss="L", bootstrap=1000)
    ax = scalelaw.plot(result, df)                       # loss vs compute: runs, law per N, frontier, band
    ax.figure.savefig("fit.png")
    scalelaw.plot(result, df, kind="residuals")          # any fit: "observed", "residuals", "curve" (one input)
    scalelaw.plot(scalelaw.fit(df, model="sigmoid", columns={"x": "log_flops"}, loss="score"), df)  # all three
    scalelaw.plot(scalelaw.isoflop(df, flops="C"), df)   # IsoFLOP parabolas
    scalelaw.plot(scalelaw.fit_hparams(...))             # optimal LR vs N and batch vs D (two Axes)
    scalelaw.plot(scalelaw.plan(1e23))                   # every law's recommendation, one Axes per quantity

plot(result, df) reads the columns the analysis read from df (result.table_columns); params=, tokens=, loss=,
flops= name others. This module only draws: every curve, band, parabola and vertex comes from the C++ chart
builders (src/plot/result_charts.h) that the CLI's `--plot out.svg` draws too, so both show the same numbers.
Artists that tests (and users) may want to find carry a gid: "runs", "law:N=<N>", "frontier", "frontier_band",
"extrapolation", "at_flops" (fit, kind "compute"); "runs", "held_out", "law", "band" (kind "curve"), "runs",
"held_out", "identity" (kind "observed"), "runs", "held_out", "zero" (kind "residuals"); "runs:C=<C>", "parabola:C=<C>", "vertices", "optimum" (isoflop);
"cells", "law:D=<D>"/"law" (fit_hparams); "values:<quantity>" (plan). The ladder, sweep-design, validation and
recipe-comparison charts (src/plot/analysis_charts.h) are drawn series by series from the C++ Chart the CLI renders as
SVG; their artists carry gid "series:<i>" (the Chart's i-th series) and "shade".
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Optional, Union

import numpy as np

from . import _column, _from_table, _has_column, _is_table, _scalelaw, _tokens_or_flops
from ._records import Plan, ValidationResult
from ._scalelaw import (CurveFitResult, CurveSizeFitResult, FitResult, HparamSweepResult, InvalidArgument, IsoflopResult,
                        LadderResult, RecipeComparison, ScheduleDesign, SweepDesignResult)

__all__ = ["plot"]

_PLAN_LABELS = {
    "params": "parameters N",
    "tokens": "tokens D",
    "epochs": "epochs",
    "lr": "peak learning rate",
    "batch_tokens": "batch (tokens)",
    "batch_sequences": "batch (sequences)",
    "weight_decay": "AdamW weight decay",
    "vocab_size": "vocabulary size",
    "loss": "expected loss (nats/token)",
}

# The runs as arrays: N, D (None when C is given instead), C (None when D is), loss.
_Runs = tuple[np.ndarray, Optional[np.ndarray], Optional[np.ndarray], np.ndarray]


def _matplotlib() -> Any:
    """matplotlib, or an ImportError that says how to install it."""
    try:
        import matplotlib  # noqa: F401
        import matplotlib.colors
    except ImportError as error:  # pragma: no cover - exercised only where matplotlib is absent
        raise ImportError(
            "scalelaw.plot needs matplotlib, which is not installed: on Debian/Ubuntu `apt-get install "
            "python3-matplotlib`, elsewhere `pip install matplotlib` (the rest of scalelaw works without it)"
        ) from error
    return matplotlib


def _viridis() -> Any:
    import matplotlib

    return matplotlib.colormaps["viridis"]


def _log_norm(values: Sequence[float]) -> Any:
    """A log colour scale over the positive values (a decade wide when they are all one value)."""
    import matplotlib.colors as mcolors

    shown = [float(v) for v in values if math.isfinite(v) and v > 0] or [1.0]
    lo, hi = min(shown), max(shown)
    return mcolors.LogNorm(vmin=lo, vmax=hi if hi > lo else lo * 10)


def _axes(ax: Any, count: int = 1, *, figsize: Optional[tuple[float, float]] = None,
          height_ratios: Optional[list[float]] = None) -> list[Any]:
    """ax (one Axes, or a sequence of count Axes) or new ones on a new pyplot figure."""
    if ax is not None:
        axes = list(ax) if isinstance(ax, (Sequence, np.ndarray)) else [ax]
        if len(axes) != count:
            raise InvalidArgument(f"this chart draws on {count} Axes; got {len(axes)}")
        return axes
    import matplotlib.pyplot as plt

    if count == 1:
        fig, single = plt.subplots(figsize=figsize or (7.5, 5.0), layout="constrained")
        return [single]
    kwargs = {"height_ratios": height_ratios} if height_ratios else {}
    rows, columns = (count, 1) if height_ratios else (1, count)
    fig, many = plt.subplots(rows, columns, figsize=figsize, layout="constrained", gridspec_kw=kwargs, squeeze=False)
    return list(many.ravel())


def _plain_log_ticks(axis: Any) -> None:
    """Ticks of a log axis that spans few decades labelled 2, 3, 4e10 rather than 2x10^0 (minor ticks too)."""
    from matplotlib.ticker import LogFormatter

    axis.set_major_formatter(LogFormatter(labelOnlyBase=False))
    axis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))


def _short(value: float) -> str:
    """A number in 3 significant digits, as the CLI's charts label them (2e+10 -> 2e10)."""
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def _columns(result: Any, params: Optional[str], tokens: Optional[str], loss: Optional[str],
             flops: Optional[str]) -> dict[str, str]:
    """The column names to read the runs by: the keywords given, else those the analysis read (its
    table_columns), else the CLI's defaults; tokens and flops replace each other."""
    chosen = dict(getattr(result, "table_columns", None) or {})
    # A formula over columns N and D records them by those names: they are the runs' N and D.
    for keyword, name in (("params", "N"), ("tokens", "D")):
        if keyword not in chosen and name in chosen and not (keyword == "tokens" and "flops" in chosen):
            chosen[keyword] = chosen[name]
    given = {k: v for k, v in (("params", params), ("tokens", tokens), ("loss", loss), ("flops", flops))
             if v is not None}
    if "tokens" in given:
        chosen.pop("flops", None)
    if "flops" in given:
        chosen.pop("tokens", None)
    return {"params": "params", "tokens": "tokens", "loss": "loss", **chosen, **given}


def _runs(data: Any, columns: Mapping[str, str], derive_tokens: bool) -> Optional[_Runs]:
    """The runs of data, a table (DataFrame or dict of columns, read by columns; with a flops column, or no tokens
    column but one named "flops", C instead of D, as D = C/(6N) when derive_tokens) or a tuple (N, D, loss)."""
    if data is None:
        return None
    if _is_table(data):
        n = _column(_from_table(data, columns["params"], "params"), "params")
        flops = columns.get("flops")
        if flops is None and not _has_column(data, columns["tokens"]) and _has_column(data, "flops"):
            flops = "flops"
        if flops is None:
            d, c = _column(_from_table(data, columns["tokens"], "tokens"), "tokens"), None
        else:
            d, c = _tokens_or_flops(data, n, "tokens", flops, derive=derive_tokens)
        return n, d, c, _column(_from_table(data, columns["loss"], "loss"), "loss")
    try:
        n, d, l = (_column(v, name) for v, name in zip(data, ("params", "tokens", "loss")))
    except (TypeError, ValueError):
        raise TypeError("data must be a DataFrame, a dict of columns or a tuple (N, D, loss)") from None
    return n, d, None, l


# --- Loss vs compute (scalelaw.fit) ---


def _plot_fit(result: Union[FitResult, str], data: Any, ax: Any, *, columns: Mapping[str, str], flops_max: Optional[float],
              log_loss: bool, title: Optional[str]) -> Any:
    import matplotlib.cm as mcm

    runs = _runs(data, columns, derive_tokens=True)
    n, d, _, l = runs if runs is not None else (None, None, None, None)
    chart = _scalelaw._fit_chart(result, n, d, l, math.nan if flops_max is None else float(flops_max))
    shown, curves = chart["runs"], chart["law_curves"]
    norm = _log_norm(shown["params"] if shown is not None else [c["value"] for c in curves])
    cmap = _viridis()
    c_min, c_max = chart["flops_min"], chart["flops_max"]

    for j, curve in enumerate(curves):  # the fitted law at each model size
        ax.plot(curve["flops"], curve["loss"], color=cmap(norm(curve["value"])), lw=1.1, alpha=0.8, zorder=2,
                gid=f"law:N={curve['value']:.6g}", label="fitted law at each N" if j == 0 else "_nolegend_")
    frontier, band = chart["frontier"], chart["frontier_band"]
    if frontier is not None:
        ax.plot(frontier["flops"], frontier["loss"], color="black", lw=2.4, zorder=4, gid="frontier",
                label=frontier["label"])
    if band is not None:
        ax.fill_between(band["flops"], band["lower"], band["upper"], color="0.55", alpha=0.35, lw=0, zorder=1,
                        gid="frontier_band", label=band["label"])
    if shown is not None:
        points = ax.scatter(shown["flops"], shown["loss"], c=shown["params"], cmap=cmap, norm=norm, s=22,
                            edgecolors="white", linewidths=0.4, zorder=3, gid="runs",
                            label=f"runs ({len(shown['loss'])})")
        colourbar = ax.figure.colorbar(points, ax=ax, pad=0.01)
    else:
        colourbar = ax.figure.colorbar(mcm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, pad=0.01)
    colourbar.set_label("parameters N")

    ax.axvspan(chart["observed_max_flops"], c_max, color="#f2c6a0", alpha=0.35, lw=0, zorder=0, gid="extrapolation",
               label=chart["extrapolation_label"])
    if chart["at_flops"] is not None:
        ax.axvline(chart["at_flops"], color="0.3", ls=":", lw=1, gid="at_flops",
                   label=f"at_flops = {_short(chart['at_flops'])}")

    ax.set_xscale("log")
    if log_loss:
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
    ax.set_xlim(c_min / 4, c_max)
    # The y range: the runs and the frontier (the law curves, which rise steeply at small C, set it only without
    # runs).
    arrays = [shown["loss"]] if shown is not None else [c["loss"] for c in curves]
    if frontier is not None:
        arrays.append(frontier["loss"])
    values = np.concatenate(arrays) if arrays else np.zeros(0)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        lo, hi = float(values.min()), float(values.max())
        if log_loss:
            pad = max((hi / lo) ** 0.06, 1.01)
            ax.set_ylim(lo / pad, hi * pad)
        else:
            pad = max(0.06 * (hi - lo), 0.01 * hi)
            ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("compute C = 6ND (FLOPs)")
    ax.set_ylabel("loss (nats/token)")
    ax.set_title(title if title is not None else textwrap.fill(chart["title"], 72))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small", loc="upper right")
    return ax


# --- Any fit: y against its one input, observed against predicted, residuals (scalelaw.fit) ---

_FIT_KINDS = ("compute", "curve", "observed", "residuals", "diagnostics")


def _reads_params_and_tokens(result: FitResult) -> bool:
    return "N" in result.inputs and "D" in result.inputs


def _diagnostics(result: FitResult, data: Any, columns: Mapping[str, str],
                 inputs: Optional[Mapping[str, str]]) -> dict[str, Any]:
    """The chart data of _scalelaw._fit_diagnostics for the runs in data: a table read by the columns of each of the
    fit's inputs (inputs= names them; else the columns the fit read, its table_columns; N, D and U from the params,
    tokens (or flops) and unique_tokens columns; else the input's own name) and of y (the loss column), or a tuple
    of arrays, one per input in the order of result.inputs, then y."""
    if data is None:
        raise InvalidArgument("this chart draws the runs: pass them as data (the table the fit read)")
    names = list(result.inputs)
    given = dict(inputs or {})
    recorded = dict(getattr(result, "table_columns", None) or {})
    values: dict[str, np.ndarray] = {}
    labels: dict[str, str] = {}
    if _is_table(data):
        n = None
        if _has_column(data, columns["params"]):
            n = _column(_from_table(data, columns["params"], "params"), "params")
        for name in names:
            column = given.get(name, recorded.get(name))
            if column is None and name == "N":
                column = columns["params"]
            if column is None and name == "D" and "flops" in columns and n is not None:
                values[name] = _tokens_or_flops(data, n, "tokens", columns["flops"], derive=True)[0]
                labels[name] = name
                continue
            if column is None:
                column = {"D": columns["tokens"], "U": recorded.get("unique_tokens", "unique_tokens")}.get(name, name)
            values[name] = _column(_from_table(data, column, name), name)
            labels[name] = name if column == name else f"{name} ({column})"
        # Runs held out of the fit are matched by N and D: read them where the table has them.
        if "N" not in values and n is not None:
            values["N"] = n
        if "D" not in values and _has_column(data, columns["tokens"]):
            values["D"] = _column(_from_table(data, columns["tokens"], "tokens"), "tokens")
        y = _column(_from_table(data, columns["loss"], "loss"), "loss")
        y_label = columns["loss"]
    else:
        try:
            arrays = [_column(v, name) for v, name in zip(data, names + ["y"])]
        except (TypeError, ValueError):
            raise TypeError("data must be a DataFrame, a dict of columns or a tuple of arrays (one per input of the "
                            f"fit, {', '.join(names)}, then y)") from None
        if len(arrays) != len(names) + 1:
            raise InvalidArgument(f"the fit reads {', '.join(names)}: data as a tuple is ({', '.join(names)}, y)")
        values = dict(zip(names, arrays[:-1]))
        labels = {name: name for name in names}
        y, y_label = arrays[-1], "loss" if _reads_params_and_tokens(result) else "y"
    return _scalelaw._fit_diagnostics(result, values, y, y_label, labels)


def _draw_runs(ax: Any, chart: Mapping[str, Any], x: np.ndarray, y: np.ndarray) -> None:
    """The fitted runs as blue circles (gid "runs"), the held-out ones as outlined red squares ("held_out")."""
    held = np.asarray(chart["held_out"], dtype=bool)
    if (~held).any():
        ax.scatter(x[~held], y[~held], color="C0", s=24, edgecolors="white", linewidths=0.4, zorder=3, gid="runs",
                   label=chart["runs_label"])
    if held.any():
        ax.scatter(x[held], y[held], color="C3", marker="s", s=30, edgecolors="black", linewidths=0.8, zorder=4,
                   gid="held_out", label=chart["held_out_label"])


def _finish(ax: Any, axes: Mapping[str, Any], title: Optional[str]) -> None:
    """The scales, labels and title of a chart as the C++ builders set them, a grid and a legend."""
    if axes["x_log"]:
        ax.set_xscale("log")
        _plain_log_ticks(ax.xaxis)
    if axes["y_log"]:
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
    ax.set_xlabel(axes["x_label"])
    ax.set_ylabel(axes["y_label"])
    ax.set_title(title if title is not None else textwrap.fill(axes["title"], 72))
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")


def _plot_curve(chart: Mapping[str, Any], ax: Any, title: Optional[str]) -> Any:
    """y against the fit's one input: the runs, the fitted law over their range and a little beyond, its band."""
    if chart["curve_chart"] is None:
        raise InvalidArgument("kind='curve' draws a form of one input; this fit reads several (draw kind='observed' "
                              "or 'residuals')")
    band, curve = chart["band"], chart["curve"]
    if band is not None:
        ax.fill_between(band["x"], band["lower"], band["upper"], color="0.55", alpha=0.35, lw=0, zorder=1,
                        gid="band", label=band["label"])
    if curve is not None:
        ax.plot(curve["x"], curve["y"], color="black", lw=2.2, zorder=2, gid="law", label=curve["label"])
    _draw_runs(ax, chart, np.asarray(chart["input"]), np.asarray(chart["observed"]))
    _finish(ax, chart["curve_chart"], title)
    return ax


def _plot_observed(chart: Mapping[str, Any], ax: Any, title: Optional[str]) -> Any:
    """Observed y against the prediction, the line y = ŷ, one range on both axes."""
    axes = chart["observed_chart"]
    if axes["range"] is not None:
        lo, hi = axes["range"]
        ax.plot([lo, hi], [lo, hi], color="0.5", ls="--", lw=1.1, zorder=1, gid="identity", label="y = ŷ")
    _draw_runs(ax, chart, np.asarray(chart["predicted"]), np.asarray(chart["observed"]))
    _finish(ax, axes, title)
    if axes["range"] is not None:
        ax.set_xlim(*axes["range"])
        ax.set_ylim(*axes["range"])
    return ax


def _plot_residuals(chart: Mapping[str, Any], ax: Any, title: Optional[str]) -> Any:
    """The residuals (observed − predicted on the fit's residual scale) against the prediction, a line at zero."""
    ax.axhline(0.0, color="0.5", ls="--", lw=1.1, zorder=1, gid="zero")
    _draw_runs(ax, chart, np.asarray(chart["predicted"]), np.asarray(chart["residual"]))
    _finish(ax, chart["residuals_chart"], title)
    return ax


def _plot_fit_diagnostics(result: FitResult, data: Any, ax: Any, *, kind: str, columns: Mapping[str, str],
                          inputs: Optional[Mapping[str, str]], title: Optional[str]) -> Any:
    chart = _diagnostics(result, data, columns, inputs)
    if kind == "curve":
        return _plot_curve(chart, _axes(ax)[0], title)
    if kind == "observed":
        return _plot_observed(chart, _axes(ax)[0], title)
    if kind == "residuals":
        return _plot_residuals(chart, _axes(ax)[0], title)
    panels = ([_plot_curve] if chart["curve_chart"] is not None else []) + [_plot_observed, _plot_residuals]
    axes = _axes(ax, len(panels), figsize=(5.2 * len(panels), 4.6))
    for draw, ax_ in zip(panels, axes):
        draw(chart, ax_, None)
    if title is not None:
        axes[0].figure.suptitle(title)
    return np.array(axes, dtype=object)


# --- IsoFLOP profiles (scalelaw.isoflop) ---


def _plot_isoflop(result: IsoflopResult, data: Any, ax: Any, *, columns: Mapping[str, str], log_loss: bool,
                  title: Optional[str]) -> Any:
    runs = _runs(data, columns, derive_tokens=False)
    # Runs grouped by a budget label belong to the budget of their label, not of their 6ND.
    labels = (_column(_from_table(data, columns["budget"], "budget"), "budget")
              if runs is not None and "budget" in columns and _is_table(data) else None)
    chart = _scalelaw._isoflop_chart(result, *(runs if runs is not None else (None, None, None, None)), labels)
    budgets = chart["budgets"]
    norm = _log_norm([b["flops"] for b in budgets])
    cmap = _viridis()
    for b in budgets:
        colour, used = cmap(norm(b["flops"])), bool(b["used"])
        name = f"C = {_short(b['flops'])}" + ("" if used else f" ({b['status']})")
        if runs is not None:
            ax.scatter(b["runs"]["params"], b["runs"]["loss"], s=22, zorder=3, gid=f"runs:C={b['flops']:.6g}",
                       label=name, color=colour if used else "none", edgecolors=colour, alpha=1.0 if used else 0.6)
        parabola = b["parabola"]
        if parabola is not None:  # dashed: a budget left out of the power law
            ax.plot(parabola["params"], parabola["loss"], color=colour, lw=1.4, ls="-" if used else "--", zorder=2,
                    gid=f"parabola:C={b['flops']:.6g}", label=name if runs is None else "_nolegend_")
    vertices = [b["vertex"] for b in budgets if b["used"] and b["vertex"] is not None]
    if vertices:
        vn, vl = zip(*vertices)
        ax.scatter(vn, vl, marker="D", s=42, facecolors="white", edgecolors="black", linewidths=1.2, zorder=5,
                   gid="vertices", label="parabola vertex N*(C)")
    optimum = chart["optimum"]
    if optimum is not None:  # the fitted N_opt = k·C^a at each used budget, on that budget's parabola
        ax.plot(optimum["params"], optimum["loss"], color="black", ls="--", lw=1.3, zorder=4, gid="optimum",
                label=optimum["label"])
    ax.set_xscale("log")
    if log_loss:
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
    ax.set_xlabel("parameters N")
    ax.set_ylabel("loss (nats/token)")
    ax.set_title(title if title is not None else chart["title"])
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


# --- Hyperparameter laws (scalelaw.fit_hparams) ---


def _finish_log_log(ax: Any, chart: Mapping[str, Any]) -> None:
    """Log scales on both axes, the chart's labels and title, major grid lines and a small legend."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(chart["x_label"])
    ax.set_ylabel(chart["y_label"])
    ax.set_title(chart["title"])
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")


def _plot_hparams(result: HparamSweepResult, axes: list[Any], *, title: Optional[str]) -> Any:
    if not result.usable:
        raise InvalidArgument("the hyperparameter laws are not usable: " + result.message)
    charts = _scalelaw._hparam_charts(result)
    cmap = _viridis()

    # Optimal LR against N, coloured by D, with the law c·N^a·D^b for each D.
    ax, lr = axes[0], charts["lr"]
    norm = _log_norm(lr["group"])
    for j, line in enumerate(lr["lines"]):
        ax.plot(line["x"], line["y"], color=cmap(norm(line["value"])), lw=1.5, zorder=2,
                gid=f"law:D={line['value']:.6g}", label=lr["law_label"] if j == 0 else "_nolegend_")
    points = ax.scatter(lr["x"], lr["y"], c=lr["group"], cmap=cmap, norm=norm, s=30, edgecolors="white",
                        linewidths=0.4, zorder=3, gid="cells", label=f"best run per (N, D) cell ({len(lr['x'])})")
    ax.figure.colorbar(points, ax=ax, pad=0.01).set_label("training tokens D")
    _finish_log_log(ax, lr)

    # Optimal batch (tokens) against D, with the law c·D^b.
    ax, batch = axes[1], charts["batch"]
    for line in batch["lines"]:
        ax.plot(line["x"], line["y"], color="C0", lw=1.5, zorder=2, gid="law", label=batch["law_label"])
    ax.scatter(batch["x"], batch["y"], color="C0", s=30, edgecolors="white", linewidths=0.4, zorder=3, gid="cells",
               label=f"best run per (N, D) cell ({len(batch['x'])})")
    _finish_log_log(ax, batch)
    if title is not None:
        axes[0].figure.suptitle(title)
    return np.array(axes, dtype=object)


# --- Plan (scalelaw.plan) ---


def _plan_rows(plan: Plan, quantities: Optional[Sequence[str]]) -> list[tuple[str, list[tuple[str, float]], str]]:
    """[(quantity, [(law, value)], chosen law)] for the quantities to draw: every law that answered."""
    items = {item.key: item for item in plan.items}
    rows = []
    for key in (list(items) if quantities is None else list(quantities)):
        if key not in items:
            raise InvalidArgument(f"the plan has no quantity '{key}' (it has {', '.join(items)})")
        item = items[key]
        laws = item.alternatives or [(item.law, item.value)]
        laws = [(name, v) for name, v in laws if math.isfinite(v) and v > 0]  # a log axis shows positive values
        if laws:
            rows.append((key, laws, item.law))
    return rows


def _plot_plan(plan: Plan, ax: Any, *, quantities: Optional[Sequence[str]], title: Optional[str]) -> Any:
    rows = _plan_rows(plan, quantities)
    axes = _axes(ax, len(rows), figsize=(7.5, 0.9 + 0.42 * sum(len(r[1]) + 1.2 for r in rows)),
                 height_ratios=[len(r[1]) + 1.2 for r in rows])
    for ax_, (key, laws, chosen) in zip(axes, rows):
        y = np.arange(len(laws))[::-1]
        values = np.array([v for _, v in laws])
        colours = ["C3" if name == chosen else "C0" for name, _ in laws]
        if len(laws) > 1:
            ax_.hlines(y, values.min(), values, color="0.75", lw=1, zorder=1)
        ax_.scatter(values, y, c=colours, s=46, zorder=3, gid=f"values:{key}")
        for yi, v in zip(y, values):
            ax_.annotate(_short(v), (v, yi), xytext=(6, 0), textcoords="offset points", va="center",
                         fontsize="small")
        ax_.set_yticks(y)
        ax_.set_yticklabels([name + (" (plan)" if name == chosen else "") for name, _ in laws], fontsize="small")
        ax_.set_ylim(-0.7, len(laws) - 0.3)
        ax_.set_xscale("log")
        lo, hi = values.min(), values.max()
        spread = max(hi / lo, 1.0)
        ax_.set_xlim(lo / (1.5 * spread ** 0.1), hi * 2.2 * spread ** 0.15)
        _plain_log_ticks(ax_.xaxis)
        ax_.set_title(_PLAN_LABELS.get(key, key) + (f"  (laws differ {spread:.2g}x)" if len(laws) > 1 else ""),
                      fontsize="medium", loc="left")
        ax_.grid(True, axis="x", which="major", alpha=0.3)
    axes[0].figure.suptitle(title if title is not None else f"Training plan for C = {_short(plan.flops)} FLOPs: "
                            "each law's recommendation (red: the plan's)")
    return np.array(axes, dtype=object)


# --- Loss-curve fits (scalelaw.fit_curves) ---

_CURVE_KINDS = ("curves", "lr", "both")


def _curve_chart(result: Union[CurveFitResult, CurveSizeFitResult], data: Any,
                 params: Any = None) -> Mapping[str, Any]:
    """The chart data of _scalelaw._curve_chart (the CLI's `curve fit --plot`): data is curves (a read_curves
    DataFrame, a dict of columns, or paths of logs) or schedule specs (a str or a list of str) only predicted. A
    fit across sizes draws each curve at its N (_scalelaw._curve_size_chart): the curves' params column or params=
    (a number, or run -> N; for schedule specs, spec -> N)."""
    from . import _curve_columns, _curve_sizes

    if data is None:
        raise InvalidArgument("plot(curve fit, data): data= the curves (read_curves) or schedule specs to draw")
    if isinstance(result, CurveSizeFitResult):
        specs = _schedule_specs(data)
        if specs is not None:
            if params is None:
                raise InvalidArgument("plot(fit across sizes, schedule specs): params= the N of each spec")
            sizes = [float(params[s]) if isinstance(params, Mapping) else float(params) for s in specs]
            empty: list[str] = []
            return _scalelaw._curve_size_chart(result, empty, np.array([]), np.array([]), np.array([]), empty,
                                               "loss", "", 0, np.array([]), specs, sizes)
        columns = _curve_columns(data, None, {})
        if isinstance(params, str):  # a column of data
            params = dict(zip(columns[0], np.asarray(data[params], dtype=float)))
        return _scalelaw._curve_size_chart(result, *columns, "", 0, _curve_sizes(data, columns, params, None, {}),
                                           [], [])
    specs = _schedule_specs(data)
    if specs is not None:
        empty = []
        return _scalelaw._curve_chart(result, empty, np.array([]), np.array([]), np.array([]), empty, "loss", "", 0,
                                      specs)
    return _scalelaw._curve_chart(result, *_curve_columns(data, None, {}), "", 0, [])


def _schedule_specs(data: Any) -> Optional[list[str]]:
    """data as a list of schedule specs (one spec or several; not paths of files), or None."""
    if isinstance(data, str) and ":" in data and not _os_path_exists(data):
        return [data]
    if isinstance(data, Sequence) and not isinstance(data, str) and data and all(
            isinstance(d, str) and ":" in d and not _os_path_exists(d) for d in data):
        return list(data)
    return None


def _os_path_exists(path: str) -> bool:
    import os

    return os.path.exists(path)


def _plot_curve_fit(result: Union[CurveFitResult, CurveSizeFitResult], data: Any, ax: Any, *, kind: str,
                    title: Optional[str], params: Any = None) -> Any:
    if kind not in _CURVE_KINDS:
        raise InvalidArgument(f"kind={kind!r}: a curve fit draws one of {', '.join(map(repr, _CURVE_KINDS))}")
    chart = _curve_chart(result, data, params)
    colors = _matplotlib().colormaps["tab10"]
    axes = _axes(ax, 2 if kind == "both" else 1, figsize=(13, 5) if kind == "both" else None)
    if kind in ("curves", "both"):
        curves_ax = axes[0]
        for c, curve in enumerate(chart["curves"]):
            color = colors(curve["color"] % 10)
            if len(curve["lower"]):
                curves_ax.fill_between(curve["step"], curve["lower"], curve["upper"], color=color, alpha=0.25,
                                       linewidth=0, label="95% bootstrap band" if c == 0 else None)
            if len(curve["observed_step"]):
                curves_ax.scatter(curve["observed_step"], curve["observed_loss"], s=6, color=color, alpha=0.6)
            curves_ax.plot(curve["step"], curve["loss"], color=color, linestyle="-" if curve["fitted"] else "--",
                           label=f"{curve['name']} ({'fitted' if curve['fitted'] else 'predicted'})")
        curves_ax.set_xlabel("step")
        curves_ax.set_ylabel("loss")
        curves_ax.set_title(title or "Loss curves: " + chart["title"])
        curves_ax.legend(fontsize="small")
    if kind in ("lr", "both"):
        lr_ax = axes[-1]
        for c, curve in enumerate(chart["curves"]):
            lr_ax.plot(curve["schedule_step"], curve["schedule_lr"], color=colors(curve["color"] % 10),
                       linestyle="-" if curve["fitted"] else "--", label=curve["name"])
        lr_ax.set_xlabel("step")
        lr_ax.set_ylabel("learning rate")
        lr_ax.set_title(title if kind == "lr" and title else "LR schedules: " + chart["title"])
        lr_ax.legend(fontsize="small")
    return axes[0] if kind != "both" else np.array(axes)


# --- Schedule design (scalelaw.design_schedule) ---


def _plot_schedule_design(design: ScheduleDesign, ax: Any, *, title: Optional[str]) -> Any:
    """The designed schedule (thick, dark) against cosine and the best WSD, each labelled with its predicted final
    loss, from the C++ chart data (the CLI's `curve schedule --plot`)."""
    chart = _scalelaw._schedule_design_chart(design)
    for i, line in reversed(list(enumerate(chart["lines"]))):
        if i == 0:
            ax.plot(line["step"], line["lr"], color="#222222", linewidth=2.4, label=line["label"], zorder=3)
        else:
            ax.plot(line["step"], line["lr"], color=f"C{i - 1}", linewidth=1.4, linestyle="--" if i == 2 else "-",
                    label=line["label"])
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.set_ylim(0, chart["peak"] * 1.05)
    ax.grid(True, color="#e5e5e5", linewidth=0.8)
    ax.legend(fontsize=8)
    ax.set_title(title or chart["title"])
    return ax


# --- Charts drawn series by series (src/plot/analysis_charts.h: ladder, design, validate, compare) ---

_MARKERS = {"circle": "o", "square": "s", "diamond": "D"}


def _draw_chart(ax: Any, chart: Mapping[str, Any], title: Optional[str] = None) -> Any:
    """One C++ plot::Chart (python/chart_bindings.cpp's dict) on ax, as RenderSvg draws it: lines, scatter markers
    and bands in order, the shaded x-interval behind them, the axes' scales and labels, the title and a legend of
    the labelled series. Values that are None (not finite) leave gaps."""
    def values(items: Sequence[Any]) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in items], dtype=float)

    for i, s in enumerate(chart["series"]):
        label = s["label"] or "_nolegend_"
        x = values(s["x"])
        if s["kind"] == "band":
            ax.fill_between(x, values(s["lower"]), values(s["upper"]), color=s["color"], alpha=0.25 * s["opacity"],
                            lw=0, zorder=1, gid=f"series:{i}", label=label)
        elif s["kind"] == "line":
            ax.plot(x, values(s["y"]), color=s["color"], lw=s["width"] * 0.75, ls="--" if s["dashed"] else "-",
                    alpha=s["opacity"], zorder=2, gid=f"series:{i}", label=label, scalex=s["sets_range"],
                    scaley=s["sets_range"])
        else:
            size = (1.5 * s["width"]) ** 2  # a radius in pixels as a marker area in points^2
            ax.scatter(x, values(s["y"]), s=size, color=s["color"], marker=_MARKERS[s["marker"]], alpha=s["opacity"],
                       edgecolors="#222222" if s["outlined"] else "white", linewidths=1.0 if s["outlined"] else 0.4,
                       zorder=4 if s["outlined"] else 3, gid=f"series:{i}", label=label)
    for axis, set_scale, set_label in ((chart["x"], ax.set_xscale, ax.set_xlabel),
                                       (chart["y"], ax.set_yscale, ax.set_ylabel)):
        if axis["log"]:
            set_scale("log")
        set_label(axis["label"])
    if chart["y"]["log"]:
        _plain_log_ticks(ax.yaxis)
    shade = chart["shade"]
    if shade is not None:  # behind the data, from x_min to the right edge of the x range the data set
        lo, hi = ax.get_xlim()
        ax.axvspan(max(shade["x_min"], lo), min(shade["x_max"], hi), color=shade["color"], alpha=shade["opacity"],
                   lw=0, zorder=0, gid="shade", label=shade["label"] or "_nolegend_")
        ax.set_xlim(lo, hi)
    ax.set_title(title if title is not None else textwrap.fill(chart["title"], 70), fontsize="medium")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="x-small")
    return ax


def _plot_charts(charts: Sequence[Mapping[str, Any]], ax: Any, *, columns: int, title: Optional[str]) -> Any:
    """Several charts side by side, `columns` to a row (as `--plot` lays them out in one SVG); an array of Axes."""
    count = len(charts)
    if ax is None:
        import matplotlib.pyplot as plt

        rows = (count + columns - 1) // columns
        fig, grid = plt.subplots(rows, min(columns, count), figsize=(7.2 * min(columns, count), 4.8 * rows),
                                 layout="constrained", squeeze=False)
        axes = list(grid.ravel())[:count]
    else:
        axes = _axes(ax, count)
    for chart, ax_ in zip(charts, axes):
        _draw_chart(ax_, chart)
    if title is not None:
        axes[0].figure.suptitle(title)
    return np.array(axes, dtype=object)


def _plot_ladder(results: Sequence[LadderResult], ax: Any, *, title: Optional[str]) -> Any:
    tasks = _scalelaw._ladder_charts(list(results))
    if not tasks:
        reasons = "; ".join(f"{r.task}: {r.message}" for r in results)
        raise InvalidArgument(f"no ladder task is usable, nothing to draw ({reasons})")
    return _plot_charts([c for task in tasks for c in (task["step1"], task["step2"])], ax, columns=2, title=title)


def _plot_comparison(result: RecipeComparison, data: Any, ax: Any, *, recipe: Optional[str], params: Any,
                     tokens: Optional[str], loss: Optional[str], flops: Optional[str],
                     title: Optional[str]) -> Any:
    """Both recipes' laws with the multiplier; with data (the table given to compare_recipes, read by recipe=,
    params=, tokens= or flops=, and loss=, their defaults compare_recipes's) their runs too."""
    if not result.usable:
        raise InvalidArgument("the comparison is not usable: " + result.message)
    n = d = c = y = None
    labels: list[int] = []
    if data is not None:
        if not _is_table(data):
            raise InvalidArgument("data: the table of runs given to compare_recipes (a DataFrame or dict of columns)")
        names = [str(v) for v in _from_table(data, recipe or "recipe", "recipe")]
        known = {result.recipe_a: 0, result.recipe_b: 1}
        keep = np.array([name in known for name in names])
        labels = [known[name] for name in names if name in known]
        if flops is not None:
            c = _column(_from_table(data, flops, "flops"), "flops")[keep]
        else:
            n = _column(_from_table(data, params or "params", "params"), "params")[keep]
            d = _column(_from_table(data, tokens or "tokens", "tokens"), "tokens")[keep]
        y = _column(_from_table(data, loss or "loss", "loss"), "loss")[keep]
    return _draw_chart(_axes(ax)[0], _scalelaw._recipe_chart(result, n, d, c, y, labels), title)


# --- Dispatch ---


def _result(result: Any) -> Any:
    """result as a FitResult, IsoflopResult, HparamSweepResult, Plan or published law family: those as they are,
    their to_dict() forms (and the dict of a plan) read back."""
    if isinstance(result, (FitResult, IsoflopResult, HparamSweepResult, Plan, str)):
        return result
    if isinstance(result, Mapping):
        if "budgets" in result and "k_params" in result:
            return _scalelaw._isoflop_from_json(json.dumps(dict(result)))
        if "cells" in result and isinstance(result.get("lr"), Mapping) and "coef" in result["lr"]:
            return _scalelaw._fit_hparams_from_json(json.dumps(dict(result)))
        if "sources" in result and "alternatives" in result:
            return Plan._from_json(result)
        if isinstance(result.get("params"), Mapping) and "model" in result:
            return _scalelaw._fit_from_json(json.dumps(dict(result)), "dict")
    raise TypeError("scalelaw.plot draws a FitResult (scalelaw.fit), an IsoflopResult (scalelaw.isoflop), a "
                    "HparamSweepResult (scalelaw.fit_hparams), a Plan (scalelaw.plan), the to_dict() of one of "
                    f"them or a published law family's name (\"epoch\"); got {type(result).__name__}")


def plot(result: Any, data: Any = None, *, kind: Optional[str] = None, ax: Any = None, params: Any = None,
         tokens: Optional[str] = None, loss: Optional[str] = None, flops: Optional[str] = None,
         columns: Optional[Mapping[str, str]] = None, flops_max: Optional[float] = None,
         log_loss: Optional[bool] = None, quantities: Optional[Sequence[str]] = None,
         title: Optional[str] = None, recipe: Optional[str] = None) -> Any:
    """Draw a scalelaw result with matplotlib and return what was drawn on.

    result:
      - a FitResult (scalelaw.fit, or its to_dict()): loss against compute C = 6ND (log-log) with the runs in data
        coloured by model size N, the fitted law L(N, C/(6N)) for up to 8 model sizes, for a usable fit of a form
        in N and D the compute-optimal frontier L_opt(C) (in closed form for "chinchilla", by minimising along
        C = 6ND for the others) and (when fitted with bootstrap=) the 95% band of the resamples' frontiers, and
        compute beyond the largest run shaded as extrapolation. Curves run to flops_max (default 100x the largest
        run, or at_flops). Without data the fitted range stands in for the runs. Returns the Axes.
        This is kind="compute", the default for a fit that reads N and D. Every fit, of any form, also draws
        (from the runs in data, each chart the CLI's `--plot` writes):
          kind="curve": y against the input of a form of one input (power, power-offset, sigmoid, a formula of one
            column, ...): the runs, the fitted law over their range and 5% beyond, and the 95% band of the bootstrap
            resamples' curves. Returns the Axes.
          kind="observed": observed y against the prediction, with the line y = ŷ. Returns the Axes.
          kind="residuals": observed minus predicted on the fit's residual scale (ln y − ln ŷ for log residuals,
            y − ŷ on the loss itself) against the prediction. Returns the Axes.
          kind="diagnostics" (the default for a fit that does not read N and D): "curve" (for a form of one input),
            "observed" and "residuals" side by side. Returns an array of the Axes.
        Runs held out of the fit (holdout_top=) are drawn as red squares, apart from the fitted runs; the highest
        losses a fit dropped (drop_highest=) are left out of these charts, as the fit left them out.
      - a published law family with a loss in N and D ("epoch", "chinchilla", "kaplan", ...; scalelaw.laws()):
        the same chart of the published law over its fitted range (or over the runs in data). Returns the Axes.
      - an IsoflopResult (scalelaw.isoflop, or its to_dict()): loss against N per budget (runs from data, coloured
        by C), each budget's parabola (dashed when left out of the power law), the used budgets' vertices, and the
        fitted N_opt = k·C^a at each budget. Returns the Axes.
      - a HparamSweepResult (scalelaw.fit_hparams, or its to_dict()): the best LR of each (N, D) cell against N
        with the law c·N^a·D^b per D, and the best batch against D with its law. Returns an array of the two Axes.
      - a CurveFitResult (scalelaw.fit_curves, or its to_dict()): with data the curves (a read_curves DataFrame or
        paths of logs; each run's schedule as fit_curves reads it) or schedule specs, the observed loss curves, the
        law's prediction along each schedule (solid for fitted curves, dashed for predicted ones) and the 95% band
        of the bootstrap resamples (kind="curves"), the LR schedules (kind="lr"), or both side by side (kind="both",
        the default; an array of the two Axes). The charts of `scalelaw curve fit --plot`.
      - a CurveSizeFitResult (scalelaw.fit_curves_across_sizes): the same, each curve predicted at its N (the
        curves' params column, or params= a column name, a number, or run -> N; for schedule specs, spec -> N)
        with the band of the joint fit's bootstrap, one colour per model size. `curve fit --across-sizes --plot`.
      - a ScheduleDesign (scalelaw.design_schedule): the designed LR schedule against cosine and the best WSD, each
        labelled with the law's predicted final loss. Returns the Axes.
      - a Plan (scalelaw.plan): each law's recommendation per quantity (log x; the plan's own in red), one Axes
        per quantity (quantities= picks them, e.g. ["lr", "batch_tokens"]). Returns an array of Axes.
      - a LadderResult or the list scalelaw.fit_ladder returns (Bhagia et al. 2024, arXiv:2412.04403): for each
        usable task, step 1 (task loss in bits per byte against C = 6ND, the law per ladder size, each run's point
        and the target's predicted and actual task loss) and step 2 (accuracy against task loss over the ladder's
        smoothed checkpoints, the fitted sigmoid and the target's chained prediction with its interval when
        bootstrapped). Returns an array of the Axes, two per task (step 1, step 2), a row per task.
        `scalelaw ladder --plot`.
      - a SweepDesignResult (scalelaw.design_sweep, usable): the simulated refits' N_opt and loss at the target
        budget with the truth and their 95% intervals, and the design in the (N, D) plane with the refits' optima,
        the candidates and the proposed next run. Returns an array of the two Axes. `scalelaw design --plot`.
      - a ValidationResult (scalelaw.validate, usable): every held-out run's relative error against its
        extrapolation distance, a colour per fold, those outside their predictive interval outlined. Returns the
        Axes. `scalelaw validate --plot`.
      - a RecipeComparison (scalelaw.compare_recipes, usable): both recipes' joint laws against compute, the
        compute multiplier as a segment at the reference compute and the crossover if any; with data (the table
        given to compare_recipes, read by recipe=, params=, tokens= or flops=, and loss=) the runs too. Returns the
        Axes. `scalelaw compare --plot`.
    data: the runs, for fit and isoflop results: a DataFrame or dict of columns, or a tuple (N, D, loss). A table
      is read by the columns the analysis read from its own table (result.table_columns), else "params",
      "tokens" (or "flops", C, where there is no tokens column) and "loss"; params=, tokens=, loss=, flops= name
      other columns.
      For the kinds other than "compute", an input of the form is read from the column columns= names for it
      ({"x": "log_flops"}), else the column the fit read it from (table_columns), else N, D and U from the params,
      tokens (or flops) and unique_tokens columns and any other input from the column of its own name; y from the
      loss column. As a tuple, data is one array per input (result.inputs, in order) and then y.
    kind: for a fit, "compute", "curve", "observed", "residuals" or "diagnostics" (above).
    ax: an Axes to draw on (a sequence of Axes for the multi-panel charts); default a new pyplot figure.
    log_loss: loss axis on a log scale (default: yes for fits, as Chinchilla's figures; no for isoflop).

    matplotlib is imported here, not with scalelaw; without it this raises ImportError.
    """
    _matplotlib()
    if isinstance(result, Mapping) and "form" in result and "starts" in result:  # a curve fit's to_dict()
        result = (_scalelaw._curve_size_fit_from_json if "reference_params" in result
                  else _scalelaw._curve_fit_from_json)(json.dumps(dict(result)), "dict")
    if isinstance(result, (CurveFitResult, CurveSizeFitResult)):
        return _plot_curve_fit(result, data, ax, kind=kind or "both", title=title, params=params)
    if isinstance(result, RecipeComparison):
        if kind is not None:
            raise InvalidArgument("a recipe comparison has one chart; kind is not used")
        return _plot_comparison(result, data, ax, recipe=recipe, params=params, tokens=tokens, loss=loss, flops=flops,
                                title=title)
    ladder = isinstance(result, LadderResult) or (
        isinstance(result, Sequence) and not isinstance(result, str) and len(result) > 0
        and all(isinstance(r, LadderResult) for r in result))
    if ladder or isinstance(result, (SweepDesignResult, ValidationResult)):
        if data is not None or kind is not None:
            raise InvalidArgument(f"a {type(result).__name__ if not ladder else 'ladder result'} carries what it "
                                  "draws; data and kind are not used")
        if ladder:
            return _plot_ladder([result] if isinstance(result, LadderResult) else list(result), ax, title=title)
        if not result.usable:
            raise InvalidArgument(f"the {'sweep design' if isinstance(result, SweepDesignResult) else 'validation'} is "
                                  f"not usable, nothing to draw: {result.message}")
        if isinstance(result, SweepDesignResult):
            return _plot_charts(_scalelaw._sweep_design_charts(result), ax, columns=2, title=title)
        return _draw_chart(_axes(ax)[0], _scalelaw._validation_chart(json.dumps(result.to_dict())), title)
    if isinstance(result, ScheduleDesign):
        if data is not None or kind is not None:
            raise InvalidArgument("a schedule design carries what it draws; data and kind are not used")
        return _plot_schedule_design(result, _axes(ax)[0], title=title)
    result = _result(result)
    if isinstance(result, (HparamSweepResult, Plan)) and data is not None:
        raise InvalidArgument(f"a {'fit_hparams' if isinstance(result, HparamSweepResult) else 'plan'} result "
                              "carries what it draws; data is not used")
    if kind is not None and (not isinstance(result, (FitResult, str)) or kind not in _FIT_KINDS):
        raise InvalidArgument(f"kind={kind!r}: a fit draws one of {', '.join(map(repr, _FIT_KINDS))}"
                              + ("" if isinstance(result, (FitResult, str)) else "; this result has one chart"))
    if columns is not None and not isinstance(result, FitResult):
        raise InvalidArgument("columns= names the columns of a fit's inputs; this result reads none")
    table_columns = _columns(result, params, tokens, loss, flops)
    if isinstance(result, FitResult) and kind is None:
        kind = "compute" if _reads_params_and_tokens(result) else "diagnostics"
    if isinstance(result, str) and kind not in (None, "compute"):
        raise InvalidArgument(f"kind={kind!r} draws a fit against its runs; a published law draws kind='compute'")
    if isinstance(result, FitResult) and kind != "compute":
        # params= and tokens= name the columns of N and D here too, before the columns the fit recorded.
        named = {k: v for k, v in (("N", params), ("D", tokens)) if v is not None}
        return _plot_fit_diagnostics(result, data, ax, kind=str(kind), columns=table_columns,
                                     inputs={**named, **(columns or {})}, title=title)
    columns = table_columns
    if isinstance(result, FitResult) and not _reads_params_and_tokens(result):
        raise InvalidArgument(f"kind='compute' draws loss against C = 6ND, and this fit reads {', '.join(result.inputs)}"
                              ", not N and D: draw kind='curve', 'observed', 'residuals' or 'diagnostics'")
    if isinstance(result, (FitResult, str)):
        return _plot_fit(result, data, _axes(ax)[0], columns=columns, flops_max=flops_max,
                         log_loss=True if log_loss is None else log_loss, title=title)
    if isinstance(result, IsoflopResult):
        return _plot_isoflop(result, data, _axes(ax)[0], columns=columns, log_loss=bool(log_loss), title=title)
    if isinstance(result, HparamSweepResult):
        return _plot_hparams(result, _axes(ax, 2, figsize=(12, 4.8)), title=title)
    return _plot_plan(result, ax, quantities=quantities, title=title)
