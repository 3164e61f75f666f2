"""Charts of scalelaw results with matplotlib (an optional dependency, imported only when a chart is drawn).

    import scalelaw
    result = scalelaw.fit(df, params="params", tokens="tokens", loss="loss", bootstrap=1000)
    ax = scalelaw.plot(result, df)                       # loss vs compute: runs, law per N, frontier, band
    ax.figure.savefig("fit.png")
    scalelaw.plot(scalelaw.isoflop(params=N, flops=C, loss=L), (N, C / (6 * N), L))   # IsoFLOP parabolas
    scalelaw.plot(scalelaw.fit_hparams(...))             # optimal LR vs N and batch vs D (two Axes)
    scalelaw.plot(scalelaw.plan(1e23))                   # every law's recommendation, one Axes per quantity

The charts carry the same content as the CLI's `--plot out.svg`. Artists that tests (and users) may want to
find carry a gid: "runs", "law:N=<N>", "frontier", "frontier_band", "extrapolation" (fit); "runs:C=<C>",
"parabola:C=<C>", "vertices", "optimum" (isoflop); "cells", "law:D=<D>"/"law" (fit_hparams); "values:<quantity>"
(plan).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Optional

import numpy as np

from ._scalelaw import InvalidArgument

__all__ = ["plot", "frontier_loss"]

# At most this many model sizes (budgets, token counts) get their own fitted curve, as in the CLI's charts.
MAX_CURVES = 8

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


def _matplotlib():
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


def _viridis():
    import matplotlib

    return matplotlib.colormaps["viridis"]


def _axes(ax, count=1, *, figsize=None, height_ratios=None):
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


def _plain_log_ticks(axis):
    """Ticks of a log axis that spans few decades labelled 2, 3, 4e10 rather than 2x10^0 (minor ticks too)."""
    from matplotlib.ticker import LogFormatter

    axis.set_major_formatter(LogFormatter(labelOnlyBase=False))
    axis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))


def _short(value):
    """A number in 3 significant digits, as the CLI's charts label them (2e+10 -> 2e10)."""
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def _distinct(values):
    """Distinct positive finite values, ascending (within a relative 1e-9 they count as one)."""
    out: list[float] = []
    for v in sorted(float(x) for x in values if np.isfinite(x) and x > 0):
        if not out or v > out[-1] * (1 + 1e-9):
            out.append(v)
    return out


def _representatives(distinct, count=MAX_CURVES):
    """All values when there are at most count, else count of them spread evenly in log (ends included)."""
    if len(distinct) <= count:
        return list(distinct)
    lo, hi = distinct[0], distinct[-1]
    chosen: list[float] = []
    for j in range(count):
        target = lo * (hi / lo) ** (j / (count - 1))
        best = min(distinct, key=lambda v: abs(math.log(v / target)))
        if not chosen or best > chosen[-1]:
            chosen.append(best)
    return chosen


def _column(table, name, what):
    try:
        values = table[name]
    except (KeyError, IndexError):
        known = list(table.columns) if hasattr(table, "columns") else list(table)
        raise InvalidArgument(f"data has no column '{name}' for {what} (it has {', '.join(map(str, known))}); "
                              f"name it with {what}=...") from None
    return np.asarray(values, dtype=float)


def _runs(data, params, tokens, loss, flops):
    """(N, D, loss) arrays from a tuple (N, D, loss) or a table (DataFrame or dict of columns); D may come from a
    flops column as C/(6N)."""
    if data is None:
        return None
    if hasattr(data, "columns") or isinstance(data, Mapping):
        n = _column(data, params, "params")
        has = (lambda c: c in data.columns) if hasattr(data, "columns") else (lambda c: c in data)
        if has(tokens) or not has(flops):
            d = _column(data, tokens, "tokens")
        else:
            d = _column(data, flops, "flops") / (6 * n)
        l = _column(data, loss, "loss")
    else:
        try:
            n, d, l = (np.asarray(v, dtype=float) for v in data)
        except (TypeError, ValueError):
            raise TypeError("data must be a DataFrame, a dict of columns or a tuple (N, D, loss)") from None
    if not (n.ndim == d.ndim == l.ndim == 1 and n.size == d.size == l.size):
        raise InvalidArgument(f"data: N, D and loss must be one-dimensional and of one length, got shapes "
                              f"{n.shape}, {d.shape}, {l.shape}")
    return n, d, l


# --- Loss vs compute (scalelaw.fit) ---


def frontier_loss(params: Mapping[str, float], flops):
    """The compute-optimal loss L_opt(C) of a Chinchilla law L = E + A/N^alpha + B/D^beta under C = 6ND:
    N_opt = G·(C/6)^a with G = (alpha·A/(beta·B))^(1/(alpha+beta)) and a = beta/(alpha+beta), D_opt = C/(6·N_opt).
    params: {"E", "A", "B", "alpha", "beta"}; flops: a scalar or an array. Returns (L_opt, N_opt, D_opt)."""
    e, a_, b_, alpha, beta = (float(params[k]) for k in ("E", "A", "B", "alpha", "beta"))
    c = np.asarray(flops, dtype=float)
    g = (alpha * a_ / (beta * b_)) ** (1 / (alpha + beta))
    n_opt = g * (c / 6) ** (beta / (alpha + beta))
    d_opt = c / (6 * n_opt)
    return e + a_ / n_opt ** alpha + b_ / d_opt ** beta, n_opt, d_opt


def _law(result):
    """result's loss as a function of (N, D) arrays, or None when its model does not read N and D alone."""
    def by_position(n, d):
        return np.asarray(result.predict(n, d), dtype=float)

    def by_name(n, d):
        return np.asarray(result.predict(N=n, D=d), dtype=float)

    for law in (by_position, by_name):
        try:
            if np.isfinite(law(np.array([1e9]), np.array([1e10]))).all():
                return law
        except Exception:  # the model reads other inputs, or is not registered (formula fits): try the next
            continue
    return None


def _plot_fit(result, data, ax, *, params, tokens, loss, flops, flops_max, log_loss, title):
    import matplotlib.colors as mcolors
    import matplotlib.cm as mcm

    info = result.to_dict()
    runs = _runs(data, params, tokens, loss, flops)
    law = _law(result)
    if runs is None and law is None:
        raise InvalidArgument(f"a '{result.model}' fit reads inputs other than N and D; pass the runs as data to "
                              "draw them, or plot it yourself with result.predict(...)")
    if runs is not None:
        n, d, l = runs
        c = 6 * n * d
        ok = np.isfinite(c) & (c > 0) & np.isfinite(l) & (l > 0)
        c_min, c_observed = float(c[ok].min()), float(c[ok].max())
        sizes = n
    else:  # no runs: the fitted range stands in for them
        rng = info.get("data_range", {})
        if "params" not in rng or "tokens" not in rng:
            raise InvalidArgument("the fit records no N and D range; pass the runs as data")
        (n_lo, n_hi), (d_lo, d_hi) = rng["params"], rng["tokens"]
        c_min, c_observed = 6 * n_lo * d_lo, 6 * n_hi * d_hi
        sizes = np.geomspace(n_lo, n_hi, 5)
    derived = info.get("derived", {})  # N_opt and D_opt at the fit's at_flops, when it was given one
    at_flops = 6 * derived["N_opt"] * derived["D_opt"] if "N_opt" in derived and "D_opt" in derived else float("nan")
    c_max = float(flops_max) if flops_max is not None else 100 * c_observed
    if np.isfinite(at_flops):
        c_max = max(c_max, at_flops)

    distinct = _distinct(sizes)
    norm = mcolors.LogNorm(vmin=distinct[0], vmax=distinct[-1] if distinct[-1] > distinct[0] else distinct[0] * 10)
    cmap = _viridis()

    # Fitted law per model size, from a quarter of that size's smallest run to c_max.
    if law is not None:
        first = True
        for size in _representatives(distinct):
            if runs is not None:
                at_size = np.abs(n - size) <= 1e-9 * size
                start = float((6 * n[at_size] * d[at_size]).min()) / 4
            else:  # from the fitted range's fewest tokens
                start = 6 * size * info["data_range"]["tokens"][0]
            if not start < c_max:
                continue
            x = np.geomspace(start, c_max, 60)
            with np.errstate(all="ignore"):
                y = law(np.full_like(x, size), x / (6 * size))
            ax.plot(x, y, color=cmap(norm(size)), lw=1.1, alpha=0.8, zorder=2, gid=f"law:N={size:.6g}",
                    label="fitted law at each N" if first else "_nolegend_")
            first = False

    # The compute-optimal frontier and the 95% band of the bootstrap resamples' frontiers.
    if result.model == "chinchilla" and result.converged and all(k in result.params for k in ("E", "alpha")):
        x = np.geomspace(c_min, c_max, 80)
        y, n_opt, _ = frontier_loss(result.params, x)
        a = float(result.params["beta"]) / (float(result.params["alpha"]) + float(result.params["beta"]))
        ax.plot(x, y, color="black", lw=2.4, zorder=4, gid="frontier",
                label=f"compute-optimal L_opt(C), N_opt ∝ C^{a:.3f}")
        draws = info.get("bootstrap", {}).get("draws", [])
        if len(draws) >= 2:
            losses = np.array([frontier_loss(draw, x)[0] for draw in draws])
            lower, upper = np.nanpercentile(losses, [2.5, 97.5], axis=0)
            ax.fill_between(x, lower, upper, color="0.55", alpha=0.35, lw=0, zorder=1, gid="frontier_band",
                            label=f"95% band, {len(draws)} resamples")

    if runs is not None:
        points = ax.scatter(c[ok], l[ok], c=n[ok], cmap=cmap, norm=norm, s=22, edgecolors="white",
                            linewidths=0.4, zorder=3, gid="runs", label=f"runs ({int(ok.sum())})")
        colourbar = ax.figure.colorbar(points, ax=ax, pad=0.01)
    else:
        colourbar = ax.figure.colorbar(mcm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, pad=0.01)
    colourbar.set_label("parameters N")

    # Compute beyond the largest run: extrapolation.
    span_label = (f"extrapolation (C > {_short(c_observed)})" if runs is not None
                  else f"beyond the fitted range (C > 6·N_max·D_max = {_short(c_observed)})")
    ax.axvspan(c_observed, c_max, color="#f2c6a0", alpha=0.35, lw=0, zorder=0, gid="extrapolation",
               label=span_label)
    if np.isfinite(at_flops):
        ax.axvline(at_flops, color="0.3", ls=":", lw=1, gid="at_flops", label=f"at_flops = {_short(at_flops)}")

    ax.set_xscale("log")
    if log_loss:
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
    ax.set_xlim(c_min / 4, c_max)
    # The y range: the runs and the frontier (the law curves, which rise steeply at small C, do not set it).
    arrays = [line.get_ydata() for line in ax.get_lines() if line.get_gid() == "frontier" or runs is None]
    if runs is not None:
        arrays.append(l[ok])
    shown = np.concatenate([np.asarray(v, dtype=float) for v in arrays]) if arrays else np.zeros(0)
    shown = shown[np.isfinite(shown) & (shown > 0)]
    if shown.size:
        lo, hi = float(shown.min()), float(shown.max())
        if log_loss:
            pad = max((hi / lo) ** 0.06, 1.01)
            ax.set_ylim(lo / pad, hi * pad)
        else:
            pad = max(0.06 * (hi - lo), 0.01 * hi)
            ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("compute C = 6ND (FLOPs)")
    ax.set_ylabel("loss (nats/token)")
    count = f", {int(ok.sum())} runs" if runs is not None else ""
    ax.set_title(title if title is not None else f"{result.model}: {info.get('formula', '')}{count}")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small", loc="upper right")
    return ax


# --- IsoFLOP profiles (scalelaw.isoflop) ---


def _plot_isoflop(out, data, ax, *, params, tokens, loss, flops, log_loss, title):
    import matplotlib.colors as mcolors
    import matplotlib.cm as mcm

    budgets = out["budgets"]
    runs = _runs(data, params, tokens, loss, flops)
    cs = [b["flops"] for b in budgets]
    lo, hi = min(cs), max(cs)
    norm = mcolors.LogNorm(vmin=lo, vmax=hi if hi > lo else lo * 10)
    cmap = _viridis()
    run_c = None if runs is None else 6 * runs[0] * runs[1]
    vertices = []
    for b in budgets:
        colour = cmap(norm(b["flops"]))
        used = bool(b["used"])
        name = f"C = {_short(b['flops'])}" + ("" if used else f" ({b['status']})")
        if runs is not None:
            member = (run_c >= b["flops_min"] * (1 - 1e-6)) & (run_c <= b["flops_max"] * (1 + 1e-6))
            ax.scatter(runs[0][member], runs[2][member], s=22, zorder=3, gid=f"runs:C={b['flops']:.6g}",
                       label=name, color=colour if used else "none", edgecolors=colour,
                       alpha=1.0 if used else 0.6)
        if not used or b.get("params") is None:
            continue
        n_lo = min(b["params_min"], b["params"]) / 1.25
        n_hi = max(b["params_max"], b["params"]) * 1.25
        x = np.geomspace(n_lo, n_hi, 60)
        y = b["loss"] + b["curvature"] * np.log(x / b["params"]) ** 2
        ax.plot(x, y, color=colour, lw=1.4, zorder=2, gid=f"parabola:C={b['flops']:.6g}",
                label=name if runs is None else "_nolegend_")
        vertices.append((b["flops"], b["params"], b["loss"], b["curvature"]))
    if vertices:
        vertices.sort()
        _, vn, vl, _ = zip(*vertices)
        ax.scatter(vn, vl, marker="D", s=42, facecolors="white", edgecolors="black", linewidths=1.2, zorder=5,
                   gid="vertices", label="parabola vertex N*(C)")
        # The fitted law N_opt = k·C^a at each budget, on that budget's parabola.
        fc = np.array([v[0] for v in vertices])
        n_opt = out["k_params"] * fc ** out["a"]
        l_opt = np.array([v[2] + v[3] * math.log(m / v[1]) ** 2 for v, m in zip(vertices, n_opt)])
        ax.plot(n_opt, l_opt, color="black", ls="--", lw=1.3, zorder=4, gid="optimum",
                label=f"N_opt = {out['k_params']:.3g}·C^{out['a']:.4f}")
    ax.set_xscale("log")
    if log_loss:
        ax.set_yscale("log")
        _plain_log_ticks(ax.yaxis)
    ax.set_xlabel("parameters N")
    ax.set_ylabel("loss (nats/token)")
    ci = out.get("ci95", {}).get("a")
    band = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    ax.set_title(title if title is not None else
                 f"IsoFLOP profiles: N_opt = {out['k_params']:.4g}·C^{out['a']:.4f}{band}, "
                 f"{out['n_budgets_used']} of {len(budgets)} budgets used")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


# --- Hyperparameter laws (scalelaw.fit_hparams) ---


def _finish_log_log(ax, *, xlabel, ylabel, title):
    """Log scales on both axes, the labels and title, major grid lines and a small legend."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize="small")


def _plot_hparams(out, axes, *, title):
    import matplotlib.colors as mcolors
    import matplotlib.cm as mcm

    if not out.get("usable", True):
        raise InvalidArgument("the hyperparameter laws are not usable: " + str(out.get("message", "")))
    cells = out["cells"]
    n = np.array([c["params"] for c in cells], dtype=float)
    d = np.array([c["tokens"] for c in cells], dtype=float)
    best_lr = np.array([c["best_lr"] for c in cells], dtype=float)
    best_batch = np.array([c["best_batch_tokens"] for c in cells], dtype=float)
    lr, batch = out["lr"], out["batch_tokens"]
    cmap = _viridis()

    # Optimal LR against N, coloured by D, with the law c·N^a·D^b for each D.
    ax = axes[0]
    tokens = _distinct(d)
    norm = mcolors.LogNorm(vmin=tokens[0], vmax=tokens[-1] if tokens[-1] > tokens[0] else tokens[0] * 10)
    x = np.geomspace(n.min() / 1.25, n.max() * 1.25, 60)
    for j, d_value in enumerate(_representatives(tokens)):
        y = lr["coef"] * x ** lr["exp_params"] * d_value ** lr["exp_tokens"]
        ax.plot(x, y, color=cmap(norm(d_value)), lw=1.5, zorder=2, gid=f"law:D={d_value:.6g}",
                label="fitted law at each D" if j == 0 else "_nolegend_")
    points = ax.scatter(n, best_lr, c=d, cmap=cmap, norm=norm, s=30, edgecolors="white", linewidths=0.4,
                        zorder=3, gid="cells", label=f"best run per (N, D) cell ({len(cells)})")
    ax.figure.colorbar(points, ax=ax, pad=0.01).set_label("training tokens D")
    _finish_log_log(ax, xlabel="parameters N", ylabel="optimal peak learning rate",
                    title=f"LR = {lr['coef']:.4g}·N^{lr['exp_params']:.4f}·D^{lr['exp_tokens']:.4f}")

    # Optimal batch (tokens) against D, with the law c·D^b.
    ax = axes[1]
    x = np.geomspace(d.min() / 1.25, d.max() * 1.25, 60)
    ax.plot(x, batch["coef"] * x ** batch["exp_tokens"], color="C0", lw=1.5, zorder=2, gid="law",
            label="fitted power law")
    ax.scatter(d, best_batch, color="C0", s=30, edgecolors="white", linewidths=0.4, zorder=3, gid="cells",
               label=f"best run per (N, D) cell ({len(cells)})")
    _finish_log_log(ax, xlabel="training tokens D", ylabel="optimal batch size (tokens)",
                    title=f"batch = {batch['coef']:.4g}·D^{batch['exp_tokens']:.4f} tokens")
    if title is not None:
        axes[0].figure.suptitle(title)
    return np.array(axes, dtype=object)


# --- Plan (scalelaw.plan) ---


def _plan_rows(out, quantities):
    """[(quantity, [(law, value)], chosen law)] for the quantities to draw: every law that answered."""
    sources, alternatives = out["sources"], out.get("alternatives", {})
    keys = list(sources) if quantities is None else list(quantities)
    rows = []
    for key in keys:
        if key not in sources:
            raise InvalidArgument(f"the plan has no quantity '{key}' (it has {', '.join(sources)})")
        laws = [(a["law"], float(a["value"])) for a in alternatives.get(key, [])] or [(sources[key], float(out[key]))]
        laws = [(name, v) for name, v in laws if np.isfinite(v) and v > 0]  # a log axis shows positive values
        if laws:
            rows.append((key, laws, sources[key]))
    return rows


def _plot_plan(out, ax, *, quantities, title):
    rows = _plan_rows(out, quantities)
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
    axes[0].figure.suptitle(title if title is not None else f"Training plan for C = {_short(out['flops'])} FLOPs: "
                            "each law's recommendation (red: the plan's)")
    return np.array(axes, dtype=object)


# --- Dispatch ---


def _kind(result):
    from . import FitResult, HparamSweepResult, IsoflopResult

    if isinstance(result, FitResult):
        return "fit"
    if isinstance(result, IsoflopResult):
        return "isoflop"
    if isinstance(result, HparamSweepResult):
        return "hparams"
    if isinstance(result, Mapping):
        if "budgets" in result and "k_params" in result:
            return "isoflop"
        if "cells" in result and isinstance(result.get("lr"), Mapping) and "coef" in result["lr"]:
            return "hparams"
        if "sources" in result and "alternatives" in result:
            return "plan"
        if isinstance(result.get("params"), Mapping) and "model" in result:
            return "fit_dict"
    raise TypeError("scalelaw.plot draws a FitResult (scalelaw.fit), an IsoflopResult (scalelaw.isoflop), a "
                    "HparamSweepResult (scalelaw.fit_hparams), the to_dict() of one of them, or the dict of "
                    f"scalelaw.plan; got {type(result).__name__}")


def plot(result: Any, data: Any = None, *, ax: Any = None, params: str = "params", tokens: str = "tokens",
         loss: str = "loss", flops: str = "flops", flops_max: Optional[float] = None, log_loss: Optional[bool] = None,
         quantities: Optional[Sequence[str]] = None, title: Optional[str] = None) -> Any:
    """Draw a scalelaw result with matplotlib and return what was drawn on.

    result:
      - a FitResult (scalelaw.fit, or a fit dict from to_dict()): loss against compute C = 6ND (log-log) with the
        runs in data coloured by model size N, the fitted law L(N, C/(6N)) for up to 8 model sizes, for
        model "chinchilla" the compute-optimal frontier L_opt(C) and (when fitted with bootstrap=) the 95% band
        of the resamples' frontiers, and compute beyond the largest run shaded as extrapolation. Curves run to
        flops_max (default 100x the largest run, or at_flops). Returns the Axes.
      - an IsoflopResult (scalelaw.isoflop, or its to_dict()): loss against N per budget (runs from data, coloured by C), each used
        budget's parabola and vertex, and the fitted N_opt = k·C^a at each budget. Returns the Axes.
      - a HparamSweepResult (scalelaw.fit_hparams, or its to_dict()): the best LR of each (N, D) cell against N with the law c·N^a·D^b per D,
        and the best batch against D with its law. Returns an array of the two Axes.
      - the dict of scalelaw.plan: each law's recommendation per quantity (log x; the plan's own in red), one
        Axes per quantity (quantities= picks them, e.g. ["lr", "batch_tokens"]). Returns an array of Axes.
    data: the runs, for fit and isoflop results: a DataFrame or dict of columns (named by params, tokens,
      loss; tokens may be replaced by a flops column, D = C/(6N)) or a tuple (N, D, loss).
    ax: an Axes to draw on (a sequence of Axes for the multi-panel charts); default a new pyplot figure.
    log_loss: loss axis on a log scale (default: yes for fits, as Chinchilla's figures; no for isoflop).

    matplotlib is imported here, not with scalelaw; without it this raises ImportError.
    """
    _matplotlib()
    kind = _kind(result)
    if kind == "fit_dict":
        from . import load_fit

        result, kind = load_fit(dict(result)), "fit"
    if kind in ("isoflop", "hparams") and not isinstance(result, Mapping):
        result = result.to_dict()  # the charts read the JSON's keys
    if kind in ("hparams", "plan") and data is not None:
        raise InvalidArgument(f"a {'fit_hparams' if kind == 'hparams' else 'plan'} result carries what it draws; "
                              "data is not used")
    if kind == "fit":
        return _plot_fit(result, data, _axes(ax)[0], params=params, tokens=tokens, loss=loss, flops=flops,
                         flops_max=flops_max, log_loss=True if log_loss is None else log_loss, title=title)
    if kind == "isoflop":
        return _plot_isoflop(result, data, _axes(ax)[0], params=params, tokens=tokens, loss=loss, flops=flops,
                             log_loss=bool(log_loss), title=title)
    if kind == "hparams":
        return _plot_hparams(result, _axes(ax, 2, figsize=(12, 4.8)), title=title)
    return _plot_plan(result, ax, quantities=quantities, title=title)
