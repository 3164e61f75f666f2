"""scalelaw: scaling laws for language-model training.

Fit the Chinchilla law to your own runs and split a compute budget between parameters and tokens::

    import scalelaw
    result = scalelaw.fit(N, D, loss)            # lists or numpy arrays
    result.params                                # {'E': ..., 'A': ..., 'B': ..., 'alpha': ..., 'beta': ...}
    result.predict(7e9, 2e12)                    # loss in nats/token
    scalelaw.allocate(1e23, law="epoch")         # {'params': ..., 'tokens': ..., ...}

N is whatever parameter count your runs record (say which); D is training tokens; C = 6ND FLOPs.
"""

from __future__ import annotations

import json as _json
import warnings as _warnings
from collections.abc import Mapping as _Mapping

import numpy as _np

from . import _scalelaw
from ._scalelaw import Error, FitResult, InputError, InvalidArgument, __version__

__all__ = ["Error", "FitResult", "InputError", "InvalidArgument", "ScalelawWarning", "__version__", "allocate", "fit_hparams", "isoflop",
           "fit", "inputs", "laws", "load_fit", "models", "plan", "predict", "predict_batch", "predict_downstream",
           "predict_loss", "predict_lr", "predict_vocab", "predict_wd", "transfer_lr", "plot"]


def _is_table(value):
    """A pandas DataFrame, or any mapping of column name to values (a dict of lists or arrays)."""
    return hasattr(value, "columns") or isinstance(value, _Mapping)


def _from_table(table, value, name):
    """value itself, or table[value] when value is a column name of table."""
    if table is None or not isinstance(value, str):
        return value
    try:
        return table[value]
    except KeyError:
        known = list(table.columns) if hasattr(table, "columns") else list(table)
        raise InvalidArgument(f"{name}: the table has no column '{value}' (it has {', '.join(map(str, known))})") from None


def _column(values, name):
    array = _np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise InvalidArgument(f"{name} must be one-dimensional, got shape {array.shape}")
    return _np.ascontiguousarray(array)


def fit(data=None, params=None, tokens=None, loss=None, *, model="chinchilla", formula=None, columns=None, grid=None,
        estimator="objective", huber_delta=1e-3, weights=None, threads=0, drop_highest=0, fix=None, tie=None,
        bounds=None, bootstrap=0, seed=42, at_flops=None, unique_tokens=None, holdout_top=0, objective="huber",
        asymmetry=1.0, starts="auto", latin_hypercube_starts=0, progress=False) -> FitResult:
    """Fit a scaling law to training runs.

    fit(N, D, loss) with one value per run (lists or numpy arrays): N, D and the final loss in nats/token; or
    fit(df, params="N", tokens="D", loss="loss") with a pandas DataFrame (or a dict of columns) and the names of
    its columns (weights, unique_tokens and the values of columns may be column names too).
    model: a name from scalelaw.models() ("chinchilla", "kaplan", "data-constrained" (needs unique_tokens),
    "power", "vocab", ...); forms other than the N-D laws read their inputs from columns, a dict
    {data name: values}, e.g. fit(loss=l, model="power-offset", columns={"x": compute}). model="loglinear"
    fits y = C * prod x_i^k_i over every entry of columns.
    formula: instead of model, an expression such as "E + A/N^alpha + B/D^beta": identifiers naming an entry
    of columns are data (params and tokens are there as "N" and "D" too), the others parameters.
    grid: {parameter: [values]} starting values; every combination is a start, parameters not named keep the
    model's grid (a formula's: 0.1, 1, 10).
    estimator: "objective" (summed Huber on log residuals, multi-start L-BFGS over the Epoch grid) or "mle"
    (Huber likelihood with a free scale, the Epoch AI replication's point estimate).
    objective: "huber" (log residuals, the default), "squared-log", "squared" (values) or "asymmetric"
    (over-predictions weighted by asymmetry, for fitting a loss floor through under-tuned runs).
    starts: "auto" (variable projection where the model is linear in some parameters, as Chinchilla is in
    E, A, B; else the model's grid), "grid" (the Epoch grid of 4500 starts for Chinchilla), "lhs:N" (N
    Latin-hypercube starts in the grid's box, from seed) or "varpro:K" (the K best minima of the projection
    scan); latin_hypercube_starts=N is short for starts="lhs:N".
    drop_highest: drop this many highest-loss runs first (the replication drops 5).
    fix: {name: value} parameters held fixed; tie: [("alpha", "beta")] parameters fitted as one;
    bounds: {name: (lower, upper)} parameters kept in an interval (use float("inf") for an open side).
    bootstrap: resamples for .se and .ci95 (same seed, same result for any threads); at_flops: also derive
    N_opt and D_opt at this budget (in .derived, with uncertainty when bootstrapped).
    holdout_top: fit without the K largest-compute runs and report the error predicting them
    (.holdout_mean_abs_relative_error; to_dict()["holdout"] has every run). .aic and .bic compare forms.
    The GIL is released while the fit runs; Ctrl-C stops it at the next start or resample and raises
    KeyboardInterrupt; progress=True rewrites a one-line count of starts and resamples on stderr.
    Returns a FitResult; check .converged before using it.
    """
    table = data if _is_table(data) else None
    if table is None and data is not None:  # fit(N, D, loss): the arrays arrive one place to the left
        if loss is None:
            params, tokens, loss = data, params, tokens
        elif tokens is None:
            params, tokens = data, params
        else:
            raise InvalidArgument("fit takes (params, tokens, loss) or (table, params=..., tokens=..., loss=...)")
    params, tokens, loss = (_from_table(table, v, k) for v, k in ((params, "params"), (tokens, "tokens"), (loss, "loss")))
    weights, unique_tokens = _from_table(table, weights, "weights"), _from_table(table, unique_tokens, "unique_tokens")
    columns = {k: _from_table(table, v, f"columns['{k}']") for k, v in (columns or {}).items()}
    if loss is None:
        raise InvalidArgument("fit needs the loss of every run (loss=...)")
    n = None if params is None else _column(params, "params")
    d = None if tokens is None else _column(tokens, "tokens")
    data = {str(k): _column(v, f"columns['{k}']") for k, v in (columns or {}).items()}
    if formula is not None:
        for name, values in (("N", n), ("D", d)):
            if values is not None:
                data.setdefault(name, values)
    options = {
        "estimator": str(estimator), "objective": str(objective), "asymmetry": float(asymmetry),
        "huber_delta": float(huber_delta), "threads": int(threads),
        "fix": {str(k): float(v) for k, v in (fix or {}).items()},
        "tie": [(str(a), str(b)) for a, b in (tie or [])],
        "bounds": {str(k): (float(lo), float(hi)) for k, (lo, hi) in (bounds or {}).items()},
        "grid": {str(k): [float(x) for x in _np.atleast_1d(v)] for k, v in (grid or {}).items()},
        "holdout_top": int(holdout_top), "starts": f"lhs:{int(latin_hypercube_starts)}" if latin_hypercube_starts else str(starts),
        "seed": int(seed), "bootstrap": int(bootstrap),
        "at_flops": float("nan") if at_flops is None else float(at_flops), "drop_highest": int(drop_highest),
        "progress": bool(progress),
    }
    w = None if weights is None else _column(weights, "weights")
    u = None if unique_tokens is None else _column(unique_tokens, "unique_tokens")
    return _scalelaw._fit(n, d, _column(loss, "loss"), w, u, data, str(model), formula or "", options)


def _predict(self, params=None, tokens=None, **inputs):
    """The fitted law at N = params, D = tokens (scalars or arrays, broadcast like numpy); for forms that read
    other inputs, name them: result.predict(x=compute) for "power", predict(N=..., Nv=..., D=...) for "vocab"."""
    if not inputs:
        if params is None or tokens is None:
            raise InvalidArgument("predict needs params and tokens, or the inputs the model reads by name")
        out = self._predict(_np.asarray(params, dtype=float), _np.asarray(tokens, dtype=float))
        return float(out) if _np.ndim(out) == 0 else out
    if params is not None:
        inputs.setdefault("N", params)
    if tokens is not None:
        inputs.setdefault("D", tokens)
    names = list(inputs)
    arrays = _np.broadcast_arrays(*(_np.asarray(v, dtype=float) for v in inputs.values()))
    out = _np.empty(arrays[0].shape)
    for index in _np.ndindex(out.shape):
        out[index] = self._predict_at({k: float(a[index]) for k, a in zip(names, arrays)})
    return float(out) if out.ndim == 0 else out


def _to_dict(self):
    """The fit as a dict, with the same keys as `scalelaw fit --json`."""
    return _json.loads(self.to_json())


def _repr(self):
    values = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
    status = "converged" if self.converged else "NOT USABLE: " + self.message
    return f"<FitResult {self.model} ({self.estimator}) {values}; {status}>"


FitResult.predict = _predict
FitResult.to_dict = _to_dict
FitResult.__repr__ = _repr


def _fit_allocate(self, flops=None, *, target_loss=None, inference_tokens=None):
    """Compute-optimal (or inference-aware) N and D under this fit, as scalelaw.allocate returns them."""
    return allocate(flops, fit=self, target_loss=target_loss, inference_tokens=inference_tokens)


FitResult.allocate = _fit_allocate


class ScalelawWarning(UserWarning):
    """A prediction outside the range its law was fitted on, or a convention the law substituted."""


def _caller_stacklevel():
    """The stacklevel that attributes a warning to the first frame outside this package: the user's line."""
    import os
    import sys
    package = os.path.dirname(os.path.abspath(__file__))
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == package:
        frame, level = frame.f_back, level + 1
    return level


def _warn(messages):
    level = _caller_stacklevel()
    for message in dict.fromkeys(messages):
        _warnings.warn(message, ScalelawWarning, stacklevel=level)


def _call(quantity, law, inputs, fit=None, constants=None):
    predictions = _json.loads(_scalelaw._predict_json(quantity, law, inputs, fit, _constants(constants)))
    predictions = predictions["predictions"]
    _warn([w for p in predictions for w in p.get("warnings", [])])
    return predictions


def _constants(constants):
    return {str(k): float(v) for k, v in (constants or {}).items()}


def predict(quantity, *, law="all", fit=None, constants=None, **inputs):
    """Every detail of one prediction: a list of dicts (law, citation, values, units, notes, warnings).

    quantity: "lr", "batch", "wd", "vocab", "loss", "allocation" or "downstream"; law: a family of
    scalelaw.laws() or "all"; fit: a FitResult instead; constants: {name: value} replacing the law's own (laws
    that publish none need them). inputs are scalars by the keys of scalelaw.inputs() (params, tokens, flops,
    loss, seq_len, batch_tokens, lr, unique_tokens, ...).
    """
    given = {k: float(v) for k, v in inputs.items() if v is not None}
    return _call(quantity, law, given, fit, constants)


def inputs():
    """The input table every law reads from: one dict per input (key, option, quantity, help, default)."""
    return _scalelaw._inputs()


def _vectorised(quantity, key, law, fit=None, fixed=None, constants=None, **inputs):
    """key of the prediction, broadcast over array inputs in one C++ call: a float, an ndarray, or {law: value}
    for law='all'."""
    given = {k: _np.asarray(v, dtype=float) for k, v in inputs.items() if v is not None}
    arrays = _np.broadcast_arrays(*given.values()) if given else []
    shape = arrays[0].shape if arrays else ()
    columns = {k: _np.ascontiguousarray(a, dtype=float).ravel() for k, a in zip(given, arrays)}
    results = _scalelaw._predict_bulk(quantity, law, columns, {k: float(v) for k, v in (fixed or {}).items()}, fit,
                                      _constants(constants))
    _warn([w for r in results for w in r.get("warnings", [])])
    values = {r["law"]: r["outputs"][key].reshape(shape) for r in results
              if "skipped" not in r and key in r["outputs"]}
    if not values:
        reasons = "; ".join(f"{r['law']}: {r['skipped']}" for r in results if "skipped" in r)
        raise InvalidArgument(f"no {quantity} law could answer with the inputs given" + (f" ({reasons})" if reasons else ""))
    unwrap = (lambda a: float(a)) if shape == () else (lambda a: a)
    if law == "all":
        return {name: unwrap(v) for name, v in values.items()}
    return unwrap(next(iter(values.values())))


def predict_lr(params=None, tokens=None, flops=None, *, law="step", fit=None, layers=None, d_model=None,
               seq_len=None, constants=None):
    """Optimal peak learning rate. law: "step" (Li et al. 2025; N non-vocabulary params), "deepseek" (Bi et al.
    2024; C = M·D with M from layers and d_model, else flops, else 6ND), "kaplan" (Kaplan et al. 2020; N
    non-embedding) or "all" ({law: lr}); fit: a FitResult of scalelaw.fit_hparams instead."""
    return _vectorised("lr", "lr", law, fit=fit, constants=constants, params=params, tokens=tokens, flops=flops,
                       layers=layers, d_model=d_model, seq_len=seq_len)


def predict_batch(params=None, tokens=None, flops=None, loss=None, *, law="step", seq_len=2048, unit="tokens",
                  fit=None, layers=None, d_model=None, constants=None, **inputs):
    """Optimal batch size in tokens (unit="tokens") or sequences of seq_len tokens (unit="sequences").
    law: "step", "deepseek", "kaplan" (critical batch, needs loss), "minicpm" (needs loss), the ratio rules
    "power-lines" and "shuai" (reference_tokens / reference_flops and reference_batch), or "all"."""
    if unit not in ("tokens", "sequences"):
        raise InvalidArgument(f"unit must be 'tokens' or 'sequences', got {unit!r}")
    return _vectorised("batch", "batch_" + unit, law, fit=fit, constants=constants, fixed={"seq_len": float(seq_len)},
                       params=params, tokens=tokens, flops=flops, loss=loss, layers=layers, d_model=d_model, **inputs)


def predict_wd(params, tokens, batch_tokens, lr, *, law="power-lines"):
    """Optimal AdamW weight decay lambda = B/(eta·tau_opt·D), tau_opt = 1.084·(D/N)^-0.527 (Bergsma et al. 2025)."""
    return _vectorised("wd", "weight_decay", law, params=params, tokens=tokens, batch_tokens=batch_tokens, lr=lr)


def predict_vocab(params, flops=None, *, approach=3, law="tao", fit=None, constants=None):
    """Optimal vocabulary size for N non-vocabulary parameters (Tao et al. 2024, approach 1, 2 or 3)."""
    return _vectorised("vocab", "vocab_size", law, fit=fit, constants=constants,
                       fixed={"vocab_approach": int(approach)}, params=params, flops=flops)


def predict_loss(params=None, tokens=None, unique_tokens=None, *, law="epoch", fit=None, constants=None, **inputs):
    """Loss (nats/token) of N parameters trained on D tokens under a published law or a FitResult; laws over other
    inputs take them by name (finetune_examples= for "rectified", x= for "bnsl") and their constants=."""
    key = "y" if law == "bnsl" else "loss"
    return _vectorised("loss", key, law, fit=fit, constants=constants, params=params, tokens=tokens,
                       unique_tokens=unique_tokens, **inputs)


def predict_downstream(*, law="performance-law", key=None, constants=None, **inputs):
    """Downstream laws: the Performance Law's MMLU (law="performance-law": layers, d_model, ffn_width, tokens,
    params) or the densing law's parameters for equal quality (law="densing": params, days). key picks the output
    ("mmlu", "params_equal_quality", ...; the law's first by default)."""
    if key is None:
        key = {"performance-law": "mmlu", "densing": "params_equal_quality"}.get(law, "mmlu")
    return _vectorised("downstream", key, law, constants=constants, **inputs)


def transfer_lr(lr, from_tokens, to_tokens, exponent=0.32):
    """Move a tuned LR to another token horizon: lr·(to/from)^-exponent (Bjorck et al. 2024)."""
    out = _scalelaw._transfer_lr(_np.asarray(lr, dtype=float), _np.asarray(from_tokens, dtype=float),
                                 _np.asarray(to_tokens, dtype=float), float(exponent))
    return float(out) if _np.ndim(out) == 0 else out


def allocate(flops=None, *, law=None, fit=None, target_loss=None, inference_tokens=None, unique_tokens=None,
             gpu_flops=None, train_mfu=None, inference_mfu=None, gpu_hour_price=None):
    """Split a budget of flops FLOPs (C = 6ND), or reach target_loss, between parameters and tokens.

    law: "epoch" (default), "chinchilla", "chinchilla-unrounded", "sardana", "datablations" (default with
    unique_tokens), "deepseek", "kaplan", "llama3", or fit=FitResult. inference_tokens makes it inference-aware
    (Sardana et al. 2024); with gpu_flops, inference_mfu, gpu_hour_price (and train_mfu, default 0.5) and a
    target_loss it minimises dollars instead of FLOPs. Returns a dict with "params", "tokens", "flops", "loss", "law", "citation",
    "warnings", ...
    """
    if law is None:
        law = "datablations" if unique_tokens is not None else "epoch"
    return predict("allocation", law=law if fit is None else "epoch", fit=fit, flops=flops, target_loss=target_loss,
                   inference_tokens=inference_tokens, unique_tokens=unique_tokens, gpu_flops=gpu_flops,
                   train_mfu=train_mfu, inference_mfu=inference_mfu, gpu_hour_price=gpu_hour_price)[0]


def plan(flops, *, inference_tokens=None, unique_tokens=None, seq_len=2048, law="epoch", fit=None):
    """One training recipe for a budget: N, D, epochs, LR, batch, weight decay, vocabulary and expected loss,
    each with the law it came from ("sources") and the spread across laws ("spread", "alternatives")."""
    inputs = {"flops": float(flops), "seq_len": float(seq_len)}
    if inference_tokens is not None:
        inputs["inference_tokens"] = float(inference_tokens)
    if unique_tokens is not None:
        inputs["unique_tokens"] = float(unique_tokens)
    out = _json.loads(_scalelaw._plan_json(inputs, law, fit))
    _warn(out["warnings"])
    return out


def laws(name=None):
    """Every published law scalelaw ships (a list of dicts), or the one called name (a dict)."""
    if name is not None:
        return _json.loads(_scalelaw._law_json(name))
    return _json.loads(_scalelaw._laws_json())["laws"]


def load_fit(text_or_dict) -> FitResult:
    """A FitResult from the JSON that `scalelaw fit --output` writes (a string or a dict)."""
    text = text_or_dict if isinstance(text_or_dict, str) else _json.dumps(text_or_dict)
    return _scalelaw._fit_from_json(text)


def models(details=False) -> list:
    """Names of the model forms fit() accepts; with details=True one dict per form (name, formula,
    parameters, inputs, description with the paper), as `scalelaw models --json` prints them."""
    catalogue = _scalelaw._model_catalogue()
    return catalogue if details else [m["name"] for m in catalogue]


def isoflop(params, loss, *, tokens=None, flops=None, budget_tolerance=0.01, min_sizes=3, bootstrap=0, seed=0,
            threads=0, data=None) -> dict:
    """Chinchilla Approach 2 (Hoffmann et al. 2022): IsoFLOP parabolas, then N_opt = k·C^a and D_opt = k'·C^b.

    params, loss and either tokens (C = 6ND) or flops (C given): one value per run. Runs whose C chain within
    budget_tolerance (relative) form one budget; budgets with fewer than min_sizes distinct N are skipped. Per
    budget a least-squares parabola of loss in ln N gives N* (vertex); budgets whose parabola opens downward or
    whose vertex lies outside the sampled N are excluded. bootstrap resamples the runs within each budget
    (deterministic for a seed, any threads) and adds "se" and "ci95". Returns a dict with the keys of
    `scalelaw isoflop --json` ("a", "b", "k_params", "k_tokens", "budgets", "warnings", ...); warnings are also
    issued as ScalelawWarning. Raises Error when fewer than 2 budgets are usable.
    Known bias: the parabola is only a Taylor approximation; off-centre or wide grids bias a (see docs/isoflop.md).
    data: a DataFrame or dict of columns; then params, loss, tokens and flops may be its column names.
    """
    params, loss, tokens, flops = (_from_table(data, v, k) for v, k in
                                   ((params, "params"), (loss, "loss"), (tokens, "tokens"), (flops, "flops")))
    if (tokens is None) == (flops is None):
        raise InvalidArgument("give exactly one of tokens or flops")
    second = _column(tokens if flops is None else flops, "tokens" if flops is None else "flops")
    out = _json.loads(_scalelaw._isoflop_json(
        _column(params, "params"), second if flops is None else None, second if flops is not None else None,
        _column(loss, "loss"), float(budget_tolerance), int(min_sizes), int(bootstrap), int(seed), int(threads)))
    _warn(out["warnings"])
    if not out["usable"]:
        raise Error("the IsoFLOP fit is not usable: " + out["message"])
    return out


def fit_hparams(params, tokens, lr, batch, loss, *, seq_len=1, tolerance=0.0025, bootstrap=0, seed=0,
                resample="runs", threads=0, data=None) -> dict:
    """Learning-rate and batch-size laws from an lr x batch grid sweep (the Step Law procedure, Li et al. 2025).

    One value per run (lists or numpy arrays): params N, tokens D, peak lr, batch (sequences; times seq_len gives
    tokens, so seq_len=1 when it is already in tokens) and the final (smoothed) loss. Runs are grouped by (N, D);
    those with loss/best - 1 < tolerance in their cell are kept; OLS in logs gives lr = c·N^a·D^b and
    batch_tokens = c·D^b. bootstrap > 0 adds "se", "ci95" and "bootstrap" (resample "runs", as the paper, or
    "cells"); the result does not depend on threads. Returns the dict `scalelaw fit-hparams --json` prints; check
    "usable" before using the laws. The GIL is released while it runs.
    data: a DataFrame or dict of columns; then the five inputs may be its column names.
    """
    columns = [_column(_from_table(data, values, name), name) for values, name in
               ((params, "params"), (tokens, "tokens"), (lr, "lr"), (batch, "batch"), (loss, "loss"))]
    out = _json.loads(_scalelaw._fit_hparams(*columns, float(seq_len), float(tolerance), int(bootstrap), int(seed),
                                             str(resample), int(threads)))
    _warn(out["warnings"])
    return out


# scalelaw.plot(result, data): charts with matplotlib, which plot.py imports only when a chart is drawn, so
# importing scalelaw never needs matplotlib.
from .plot import plot  # noqa: E402
