"""scalelaw: scaling laws for language-model training.

Fit the Chinchilla law to your own runs and split a compute budget between parameters and tokens::

    import scalelaw
    result = scalelaw.fit(N, D, loss)            # lists or numpy arrays
    result.params                                # {'E': ..., 'A': ..., 'B': ..., 'alpha': ..., 'beta': ...}
    result.predict(7e9, 2e12)                    # loss in nats/token
    scalelaw.allocate(1e23, law="epoch")         # an Allocation: .params, .tokens, .loss, .law, .warnings, ...

N is whatever parameter count your runs record (say which); D is training tokens; C = 6ND FLOPs.
"""

from __future__ import annotations

import inspect as _inspect
import json as _json
import os as _os
import warnings as _warnings
from collections.abc import Mapping as _Mapping
from collections.abc import Sequence as _Sequence
from types import SimpleNamespace as _SimpleNamespace
from typing import Any as _Any
from typing import Literal as _Literal
from typing import Optional as _Optional
from typing import Union as _Union
from typing import overload as _overload

import numpy as _np
from numpy.typing import ArrayLike as _ArrayLike
from numpy.typing import NDArray as _NDArray

from . import _scalelaw
from ._records import (Allocation, InputRecord, LawRecord, ModelRecord, Plan, PlanItem, Prediction,
                       TrainingConfiguration,
                       ValidationResult)
from ._scalelaw import (BatchTokensLaw, CurveFitResult, CurveSizeFitResult, Error, FitResult, HparamCell,
                        HparamSweepResult, InputError, InvalidArgument, IsoflopBudget, IsoflopResult, LadderResult,
                        LrLaw, __version__)

__all__ = ["Allocation", "BatchTokensLaw", "Error", "FitResult", "HparamCell", "HparamSweepResult", "InputError",
           "InputRecord", "InvalidArgument", "IsoflopBudget", "IsoflopResult", "LadderResult", "LawRecord", "LrLaw",
           "ModelRecord", "Plan", "PlanItem", "Prediction", "ScalelawWarning", "TrainingConfiguration", "__version__", "allocate",
           "estimators", "fit_hparams",
           "isoflop", "fit", "inputs", "laws", "load_fit", "models", "objectives", "plan", "predict", "predict_batch",
           "predict_downstream", "predict_loss", "predict_lr", "predict_vocab", "predict_wd", "residuals",
           "start_strategies", "transfer_lr", "plot", "fit_groups", "read_curves", "checkpoint_rows", "validate",
           "ValidationResult", "fit_ladder", "ladder_table"]

# A column of runs: its name in the table passed as data, or the values themselves (a list, an array, a Series).
_Column = _Union[str, _ArrayLike]
# A result of the user's own that answers predictions (fit=).
_Fitted = _Union[FitResult, IsoflopResult, HparamSweepResult, CurveFitResult, CurveSizeFitResult]
# A prediction over inputs that broadcast like numpy: a float for scalars, else an array.
_Values = _Union[float, _NDArray[_np.float64]]


def _is_table(value: _Any) -> bool:
    """A pandas DataFrame, or any mapping of column name to values (a dict of lists or arrays)."""
    return hasattr(value, "columns") or isinstance(value, _Mapping)


def _from_table(table: _Any, value: _Any, name: str) -> _Any:
    """value itself, or table[value] when value is a column name of table."""
    if table is None or not isinstance(value, str):
        return value
    try:
        return table[value]
    except KeyError:
        known = list(table.columns) if hasattr(table, "columns") else list(table)
        raise InvalidArgument(f"{name}: the table has no column '{value}' (it has {', '.join(map(str, known))})") from None


def _column(values: _ArrayLike, name: str) -> _NDArray[_np.float64]:
    array = _np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise InvalidArgument(f"{name} must be one-dimensional, got shape {array.shape}")
    return _np.ascontiguousarray(array)


def _has_column(table: _Any, name: str) -> bool:
    return name in (table.columns if hasattr(table, "columns") else table)


def _input(table: _Any, value: _Any, name: str, default: str, required: bool = False) -> _Any:
    """One input of fit, isoflop or fit_hparams: value itself (an array), or table[value] for a column name. When
    value is the argument's default column name and there is no such column (no table, or not in it), None for
    an input a model may not read, an InvalidArgument for a required one."""
    if not isinstance(value, str):
        return value
    if table is None:
        if value != default:
            raise InvalidArgument(f"{name}={value!r} names a column, but no table was given (pass the DataFrame "
                                  "or dict of columns as data, or the values themselves)")
        if required:
            raise InvalidArgument(f"{name}: no values (pass a table with a column '{default}' as data, or "
                                  f"{name}=values)")
        return None
    if value == default and not required and not _has_column(table, value):
        return None
    return _from_table(table, value, name)


def _required(table: _Any, value: _Any, name: str) -> _NDArray[_np.float64]:
    """A required input as an array (its default column name is its name)."""
    return _column(_input(table, value, name, name, required=True), name)


def _table_of(data: _Any, function: str, inputs: str) -> _Any:
    """data as a table, or an InvalidArgument that says how to pass arrays instead."""
    if data is None or _is_table(data):
        return data
    raise InvalidArgument(f"{function}(data, ...) takes a DataFrame or a dict of columns as data; pass arrays by "
                          f"keyword: {function}({inputs})")


def _tokens_or_flops(table: _Any, params: _Any, tokens: _Any, flops: _Any, derive: bool) -> tuple[_Any, _Any]:
    """The tokens of each run: the tokens input, or with flops= the compute C; derive: D = C/(6N) (as the CLI's
    --flops-col does for fit), else C itself is returned as the second value."""
    if flops is None:
        return _input(table, tokens, "tokens", "tokens"), None
    if not (isinstance(tokens, str) and tokens == "tokens"):
        raise InvalidArgument("give tokens or flops, not both")
    c = _column(_from_table(table, flops, "flops"), "flops")
    if not derive:
        return None, c
    if params is None:
        raise InvalidArgument("flops: D = C/(6N) needs params")
    n = _column(params, "params")
    if n.size != c.size:
        raise InvalidArgument("params and flops must have the same length")
    return c / (6 * n), None


def fit(data: _Any = None, params: _Column = "params", tokens: _Column = "tokens", loss: _Column = "loss", *,
        flops: _Optional[_Column] = None, model: str = "chinchilla", formula: _Optional[str] = None,
        columns: _Optional[_Mapping[str, _Column]] = None, grid: _Optional[_Mapping[str, _ArrayLike]] = None,
        estimator: str = "objective", huber_delta: float = 1e-3, weights: _Optional[_Column] = None, threads: int = 0,
        drop_highest: int = 0, fix: _Optional[_Mapping[str, float]] = None,
        tie: _Optional[_Sequence[tuple[str, str]]] = None,
        bounds: _Optional[_Mapping[str, tuple[float, float]]] = None, bootstrap: int = 0, seed: int = 42,
        at_flops: _Optional[float] = None, unique_tokens: _Optional[_Column] = None, holdout_top: int = 0,
        objective: str = "huber", asymmetry: float = 1.0, starts: str = "auto", latin_hypercube_starts: int = 0,
        progress: bool = False, residual: _Optional[str] = None, max_span: float = 1e4) -> FitResult:
    """Fit a scaling law to training runs (scalelaw.fit_groups fits each group of a table).

    fit(df) with a pandas DataFrame (or a dict of columns) reads the columns "params" (N), "tokens" (D) and
    "loss", as `scalelaw fit` does; other names by keyword: fit(df, params="N", tokens="D", loss="L"), and
    fit(df, flops="C") derives D = C/(6N) like --flops-col. weights, unique_tokens and the values of columns may
    be column names too. Arrays work in place of names, fit(params=N, tokens=D, loss=L), and positionally,
    fit(N, D, loss) (lists or numpy arrays, one value per run; N, D and the final loss in nats/token).
    model: a name from scalelaw.models() ("chinchilla", "kaplan", "data-constrained" (needs unique_tokens),
    "power", "vocab", ...); forms other than the N-D laws read their inputs from columns, a dict
    {data name: values}, e.g. fit(loss=l, model="power-offset", columns={"x": compute}). model="loglinear"
    fits y = C * prod x_i^k_i over every entry of columns.
    formula: instead of model, an expression such as "E + A/N^alpha + B/D^beta": identifiers naming an entry
    of columns, or a column of the table, are data (params and tokens are there as "N" and "D" too), the
    others parameters; a parameter named like a column but for case or a typo is an error (declare it by
    giving it a grid, a bound or a fixed value).
    grid: {parameter: [values]} starting values; every combination is a start, parameters not named keep the
    model's grid (a formula's: 0.1, 1, 10).
    estimator, objective, starts: a name from scalelaw.estimators(), objectives() and start_strategies(),
    listed at the end; asymmetry weighs over-predictions for objective="asymmetric" and "asymmetric-absolute",
    huber_delta is the Huber threshold on the residuals; latin_hypercube_starts=N is short for starts="lhs:N".
    residual: the residual the objective acts on, a name from scalelaw.residuals(): "log" (log L_hat - log L) or
    "loss" (L_hat - L, where the loss may be zero or negative); None keeps the objective's own (scalelaw.objectives()).
    drop_highest: drop this many highest-loss runs first (the replication drops 5).
    fix: {name: value} parameters held fixed; tie: [("alpha", "beta")] parameters fitted as one;
    bounds: {name: (lower, upper)} parameters kept in an interval (use float("inf") for an open side).
    bootstrap: resamples for .se and .ci95 (same seed, same result for any threads); at_flops: also derive
    N_opt and D_opt at this budget (in .derived, with uncertainty when bootstrapped).
    holdout_top: fit without the K largest-compute runs and report the error predicting them
    (.holdout_mean_abs_relative_error; to_dict()["holdout"] has every run). .aic and .bic compare forms.
    max_span: the widest 95% interval (a factor: Laplace, and bootstrap when resampled) a positive parameter such
    as A or E may have for the fit to count as identified; wider, .usable is False and .message names the
    parameter (float("inf"): never judged). Runs from one isoFLOP curve, for one, do not pin E, A and B.
    The GIL is released while the fit runs; Ctrl-C stops it at the next start or resample and raises
    KeyboardInterrupt; progress=True rewrites a one-line count of starts and resamples on stderr.
    Returns a FitResult; check .usable (or .status) before using it; print(result) shows the full report. With a
    table, .table_columns records the columns read ({"params": ..., "tokens" or "flops": ..., "loss": ...}, and the
    other inputs by their data names, {"x": "log_flops"}), which scalelaw.plot(result, table) reads again.

    """
    args, read = _fit_request(**locals())
    result = _scalelaw._fit(*args)
    if read is not None:
        result.table_columns = read
    return result


# fit()'s keywords and their defaults, which _fit_request fills in for fit(), validate() and the other callers.
_FIT_KEYWORDS = {name: p.default for name, p in _inspect.signature(fit).parameters.items()
                 if p.kind is _inspect.Parameter.KEYWORD_ONLY}


def _fit_request(data: _Any = None, params: _Column = "params", tokens: _Column = "tokens", loss: _Column = "loss",
                 **keywords: _Any) -> tuple[tuple[_Any, ...], _Optional[dict[str, str]]]:
    """fit's arguments as the C++ core takes them (_scalelaw._fit, _scalelaw._validate), and the columns of the
    table read (None without a table). keywords are fit()'s, with fit()'s defaults (_FIT_KEYWORDS)."""
    unknown = sorted(set(keywords) - set(_FIT_KEYWORDS))
    if unknown:
        raise TypeError(f"fit() got an unexpected keyword argument {unknown[0]!r}")
    k = _SimpleNamespace(**{**_FIT_KEYWORDS, **keywords})
    flops, model, formula, columns = k.flops, k.model, k.formula, k.columns
    weights, unique_tokens = k.weights, k.unique_tokens
    table = data if _is_table(data) else None
    if table is None and data is not None:  # fit(N, D, loss): the arrays arrive one place to the left
        if not isinstance(tokens, str):
            if not (isinstance(loss, str) and loss == "loss"):
                raise InvalidArgument("fit takes (params, tokens, loss) or (table, params=..., tokens=..., loss=...)")
            params, tokens, loss = data, params, tokens
        elif not isinstance(params, str):
            params, tokens = data, params
        else:
            params = data
    names = {"N": params, "D": tokens if flops is None else flops}
    read = _table_columns(table, params=params, tokens=tokens if flops is None else None, flops=flops, loss=loss,
                          weights=weights, unique_tokens=unique_tokens)
    params = _input(table, params, "params", "params")
    tokens, _ = _tokens_or_flops(table, params, tokens, flops, derive=True)
    loss = _input(table, loss, "loss", "loss", required=True)
    if table is not None and formula is None and (params is None or tokens is None):
        reads = next((m["inputs"] for m in _scalelaw._model_catalogue() if m["name"] == model), [])
        for name, values, argument in (("N", params, "params"), ("D", tokens, "tokens")):
            if name in reads and values is None:
                raise InvalidArgument(f"model '{model}' reads {name}: the table has no column '{names[name]}' "
                                      f"(name it with {argument}=...{' or flops=...' if name == 'D' else ''})")
    weights, unique_tokens = _from_table(table, weights, "weights"), _from_table(table, unique_tokens, "unique_tokens")
    if read is not None:  # the inputs columns= reads from the table, by their data names
        read.update({str(k): v for k, v in (columns or {}).items() if isinstance(v, str) and _has_column(table, v)})
    columns = {k: _from_table(table, v, f"columns['{k}']") for k, v in (columns or {}).items()}
    n = None if params is None else _column(params, "params")
    d = None if tokens is None else _column(tokens, "tokens")
    data = {str(k): _column(v, f"columns['{k}']") for k, v in (columns or {}).items()}
    known = [str(c) for c in (table.columns if hasattr(table, "columns") else table)] if table is not None else []
    if formula is not None:
        for name, values in (("N", n), ("D", d)):
            if values is not None:
                data.setdefault(name, values)
        if table is not None:  # the formula's identifiers that name columns of the table are data
            for name in _scalelaw._formula_columns(formula, known + list(data)):
                if name not in data:
                    data[name] = _column(_from_table(table, name, name), name)
                    if read is not None:
                        read[name] = name
    options = {
        "estimator": str(k.estimator), "objective": str(k.objective), "asymmetry": float(k.asymmetry),
        "residual": "" if k.residual is None else str(k.residual),
        "huber_delta": float(k.huber_delta), "threads": int(k.threads),
        "fix": {str(name): float(v) for name, v in (k.fix or {}).items()},
        "tie": [(str(a), str(b)) for a, b in (k.tie or [])],
        "bounds": {str(name): (float(lo), float(hi)) for name, (lo, hi) in (k.bounds or {}).items()},
        "grid": {str(name): [float(x) for x in _np.atleast_1d(v)] for name, v in (k.grid or {}).items()},
        "holdout_top": int(k.holdout_top), "max_span": float(k.max_span),
        "starts": f"lhs:{int(k.latin_hypercube_starts)}" if k.latin_hypercube_starts else str(k.starts),
        "seed": int(k.seed), "bootstrap": int(k.bootstrap),
        "at_flops": float("nan") if k.at_flops is None else float(k.at_flops), "drop_highest": int(k.drop_highest),
        "progress": bool(k.progress), "known_columns": known,
    }
    w = None if weights is None else _column(weights, "weights")
    u = None if unique_tokens is None else _column(unique_tokens, "unique_tokens")
    return (n, d, _column(loss, "loss"), w, u, data, str(model), formula or "", options), read


def validate(data: _Any = None, params: _Column = "params", tokens: _Column = "tokens", loss: _Column = "loss", *,
             split_by: str = "C", thresholds: _Optional[_Sequence[float]] = None,
             quantiles: _Optional[_Sequence[float]] = None, min_runs: int = 0, predictive: float = 0.9,
             bootstrap: int = 100, **fit_options: _Any) -> ValidationResult:
    """Leave-future-out validation of a fit, as `scalelaw validate`: for each threshold t of split_by, fit on the
    runs with split_by < t and predict those at or above it. The runs, form and fit options are fit()'s (data,
    params, tokens, loss, flops=, formula=, columns=, objective=, fix=, ...; holdout_top is not taken).
    split_by: "C" (a data column C, else 6ND), "N", "D", or a column of the table (or an entry of columns=).
    thresholds: the values of t; None: the runs' distinct split_by values at quantiles (default 0.5, 0.6, 0.7,
    0.8, 0.9). min_runs: fewest runs below a threshold for it to be used (0: the fit's free parameters + 1).
    bootstrap: resamples of each fold's fit, for the predictive intervals at level predictive (0.9) whose
    coverage of the held-out runs is reported. Returns a ValidationResult (.folds, .by_distance, .runs,
    .coverage; .to_frame("runs") as a DataFrame); .usable is False, with the reason in .message, when no
    threshold leaves enough runs to fit.
    """
    if "holdout_top" in fit_options:
        raise InvalidArgument("validate chooses its held-out runs by threshold: holdout_top= is not taken")
    table = data if _is_table(data) else None
    columns = fit_options.get("columns") or {}
    split = None
    if split_by not in ("C", "N", "D") or (table is not None and _has_column(table, split_by)):
        if split_by in columns:
            split = None  # already a data column of the fit
        elif table is not None and _has_column(table, split_by):
            split = _column(table[split_by], split_by)
        elif split_by not in ("C", "N", "D"):
            raise InvalidArgument(f"split_by={split_by!r}: not a column of the table nor an entry of columns=")
    (n, d, y, w, u, data_columns, model, formula, options), _ = _fit_request(data, params, tokens, loss,
                                                                             bootstrap=bootstrap, **fit_options)
    result = _scalelaw._validate(n, d, y, w, u, data_columns, model, formula, options, str(split_by), split,
                                 [float(t) for t in (thresholds or [])], [float(q) for q in (quantiles or [])],
                                 int(min_runs), float(predictive))
    return ValidationResult._from_json(_json.loads(result))


def fit_groups(data: _Any, group_by: str, **options: _Any) -> _Any:
    """One fit per value of the column group_by of data (a DataFrame or a dict of columns), as `scalelaw fit
    --group-by`: options are fit()'s keywords, applied to every group. Returns a pandas DataFrame indexed by the
    group's value, one row per group: status, message, runs, each parameter and (when bootstrapped) its
    standard error as se_<name>, and the FitResult itself in column "result". Without pandas installed, a dict
    {value: FitResult}. Groups come in the order their values first appear."""
    if not _is_table(data):
        raise InvalidArgument("fit_groups(data, group_by) takes a DataFrame or a dict of columns")
    labels = _np.asarray(_from_table(data, group_by, "group_by"))
    order = list(dict.fromkeys(labels.tolist()))
    results: dict[_Any, FitResult] = {}
    for label in order:
        rows = labels == label
        if hasattr(data, "columns"):
            part = data[rows]
        else:
            part = {k: _np.asarray(v)[rows] for k, v in data.items()}
        results[label] = fit(part, **options)
    try:
        import pandas as _pandas
    except ImportError:
        return results
    records = []
    for label, result in results.items():
        record: dict[str, _Any] = {group_by: label, "status": result.status, "message": result.message,
                                   "runs": result.n_points}
        record.update(result.params)
        record.update({f"se_{k}": v for k, v in (result.se or {}).items() if k in result.params})
        record["result"] = result
        records.append(record)
    return _pandas.DataFrame.from_records(records).set_index(group_by)


def _choices_doc() -> str:
    """fit's choices as its docstring lists them, from the library's tables (scalelaw/fit/fit.h)."""
    def rows(title: str, table: list[dict[str, _Any]], label: str, text: _Any) -> list[str]:
        return [f"{title}:"] + [f"  {row[label]}{' (default)' if row['default'] else ''}: {text(row)}"
                                for row in table]
    lines = (rows("estimator", estimators(), "name", lambda r: f"minimises {r['minimises']} [{r['reference']}]")
             + rows("objective (what each run adds to the sum)", objectives(), "name",
                    lambda r: f"{r['summand']} (r on residual {r['residual']!r} unless told); {r['use']}")
             + rows("residual (r)", residuals(), "name", lambda r: f"{r['residual']}; {r['use']}")
             + rows("starts", start_strategies(), "spec", lambda r: r["summary"]))
    return "".join(f"    {line}\n" for line in lines)


def objectives() -> list[dict[str, _Any]]:
    """The objectives fit(objective=...) accepts, one dict each: name, summand (what each run adds to the
    sum), use (when it is the right choice) and default (True for fit's default)."""
    return _scalelaw._objectives()


def residuals() -> list[dict[str, _Any]]:
    """The residuals fit(residual=...) accepts, one dict each: name, residual (r as a formula), use and default
    (True for the default objective's own)."""
    return _scalelaw._residuals()


def estimators() -> list[dict[str, _Any]]:
    """The estimators fit(estimator=...) accepts, one dict each: name, minimises, reference and default."""
    return _scalelaw._estimators()


def start_strategies() -> list[dict[str, _Any]]:
    """The values of fit(starts=...), one dict each: name, spec (the name with its count, "lhs:N"), summary and
    default."""
    return _scalelaw._start_strategies()


if fit.__doc__:  # None under python -OO
    fit.__doc__ = fit.__doc__.rstrip(" ") + _choices_doc()


def _table_columns(table: _Any, **names: _Any) -> _Optional[dict[str, str]]:
    """{keyword: column name} of the columns of table an analysis reads (keywords given a name of a column the
    table has); None without a table."""
    if table is None:
        return None
    return {k: v for k, v in names.items() if isinstance(v, str) and _has_column(table, v)}


def _predict(self: FitResult, params: _Optional[_ArrayLike] = None, tokens: _Optional[_ArrayLike] = None,
             **inputs: _ArrayLike) -> _Values:
    """The fitted law at N = params, D = tokens (scalars or arrays, broadcast like numpy); for forms that read
    other inputs, name them: result.predict(x=compute) for "power", predict(N=..., Nv=..., D=...) for "vocab",
    and a formula's own columns by their names (predict(C=...)). The fit is evaluated as a law in one C++ call
    over every point, with the same range warnings as predict_loss(fit=...). predict_intervals adds the bands."""
    if params is None and tokens is None and not inputs:
        raise InvalidArgument("predict needs params and tokens, or the inputs the model reads by name")
    # inputs are the form's own names (N=, x=, C=), never _vectorised's fixed= or constants=.
    return _vectorised("loss", "loss", "fit", fit=self, params=params, tokens=tokens, **inputs)  # type: ignore[arg-type, no-any-return]


def _predict_intervals(self: FitResult, params: _Optional[_ArrayLike] = None, tokens: _Optional[_ArrayLike] = None,
                       *, predictive: float = 0.9, **inputs: _ArrayLike) -> dict[str, _Values]:
    """predict() with the intervals of a bootstrapped fit at every point, in one C++ call: {"loss", "loss_lo95",
    "loss_hi95" (the 95% parameter interval, the resamples' 2.5 and 97.5 percentiles), "loss_lo90p", "loss_hi90p"
    (the predictive interval of a new run at level predictive: parameter uncertainty plus the fit's residuals, as
    `predict-loss --predictive`; 0 for none)}: floats for scalar inputs, arrays shaped like the broadcast inputs.
    A point where the resamples agree has NaN bounds. Needs a fit with bootstrap > 1."""
    if params is None and tokens is None and not inputs:
        raise InvalidArgument("predict_intervals needs params and tokens, or the inputs the model reads by name")
    if not 0 <= predictive < 1:
        raise InvalidArgument(f"predictive={predictive!r}: expected a level in [0, 1), 0 for none")
    if self.bootstrap_resamples < 2:
        raise InvalidArgument("predict_intervals needs a fit with bootstrap resamples (fit(..., bootstrap=B))")
    return _vectorised("loss", "", "fit", fit=self, params=params, tokens=tokens, _intervals=predictive,
                       **inputs)  # type: ignore[arg-type, no-any-return]


def _to_dict(self: _Union[FitResult, IsoflopResult, HparamSweepResult]) -> dict[str, _Any]:
    """The result as a dict, with the same keys as the CLI's --json (`scalelaw fit`, `isoflop`, `fit-hparams`)."""
    return _json.loads(self.to_json())


def _status(result: _Union[FitResult, IsoflopResult, HparamSweepResult]) -> str:
    """The end of a result's repr: its status, and the reason when it is not usable."""
    return "converged" if isinstance(result, FitResult) and result.usable else \
        result.status if result.usable else f"NOT USABLE ({result.status}): {result.message}"


def _repr(self: FitResult) -> str:
    values = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
    return f"<FitResult {self.model} ({self.estimator}) {values}; {_status(self)}>"


def _isoflop_repr(self: IsoflopResult) -> str:
    laws = f"a={self.a:.4g}, k_params={self.k_params:.4g}, b={self.b:.4g}, " if self.usable else ""
    return f"<IsoflopResult {laws}{self.n_budgets_used} of {len(self.budgets)} budgets; {_status(self)}>"


def _hparams_repr(self: HparamSweepResult) -> str:
    laws = (f"lr={self.lr.coef:.4g}*N^{self.lr.exp_params:.4f}*D^{self.lr.exp_tokens:.4f}, "
            f"batch_tokens={self.batch_tokens.coef:.4g}*D^{self.batch_tokens.exp_tokens:.4f}, ") if self.usable else ""
    return f"<HparamSweepResult {laws}{self.n_kept} kept runs in {self.n_cells} cells; {_status(self)}>"


def _fit_allocate(self: FitResult, flops: _Optional[float] = None, *, target_loss: _Optional[float] = None,
                  inference_tokens: _Optional[float] = None) -> Allocation:
    """Compute-optimal (or inference-aware) N and D under this fit, as scalelaw.allocate returns them."""
    return allocate(flops, fit=self, target_loss=target_loss, inference_tokens=inference_tokens)


# Methods and attributes the compiled classes get in Python (the stubs _scalelaw.pyi list them). table_columns is
# None unless fit() or isoflop() read a table.
for _cls, _name, _value in ((FitResult, "predict", _predict), (FitResult, "predict_intervals", _predict_intervals),
                            (FitResult, "to_dict", _to_dict),
                            (FitResult, "__repr__", _repr), (FitResult, "allocate", _fit_allocate),
                            (FitResult, "table_columns", None), (IsoflopResult, "to_dict", _to_dict),
                            (IsoflopResult, "__repr__", _isoflop_repr), (IsoflopResult, "table_columns", None),
                            (HparamSweepResult, "to_dict", _to_dict), (HparamSweepResult, "__repr__", _hparams_repr)):
    setattr(_cls, _name, _value)


class ScalelawWarning(UserWarning):
    """A prediction outside the range its law was fitted on, or a convention the law substituted."""


def _caller_stacklevel() -> int:
    """The stacklevel that attributes a warning to the first frame outside this package: the user's line."""
    import os
    import sys
    package = os.path.dirname(os.path.abspath(__file__))
    frame: _Any = sys._getframe(1)
    level = 1
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == package:
        frame, level = frame.f_back, level + 1
    return level


def _warn(messages: _Sequence[str]) -> None:
    level = _caller_stacklevel()
    for message in dict.fromkeys(messages):
        _warnings.warn(message, ScalelawWarning, stacklevel=level)


def _call(quantity: str, law: str, inputs: _Mapping[str, _Union[float, str]], fit: _Optional[_Fitted] = None,
          constants: _Optional[_Mapping[str, float]] = None, predictive: float = 0.9) -> list[Prediction]:
    predictions = _json.loads(_scalelaw._predict_json(quantity, law, inputs, fit, _constants(constants),
                                                      float(predictive)))
    predictions = [Prediction._from_json(p) for p in predictions["predictions"]]
    _warn([w for p in predictions for w in p.warnings])
    return predictions


def _constants(constants: _Optional[_Mapping[str, float]]) -> dict[str, float]:
    return {str(k): float(v) for k, v in (constants or {}).items()}


def predict(quantity: str, *, law: str = "all", fit: _Optional[_Fitted] = None,
            constants: _Optional[_Mapping[str, float]] = None, predictive: float = 0.9,
            **inputs: _Union[float, str, None]) -> list[Prediction]:
    """Every detail of one prediction: a list of Prediction, one per law (.law, .citation, .values, .units,
    .params_definition, .notes, .warnings; .skipped says why a law of law="all" could not answer), and p["lr"]
    reads a value as the dicts of earlier versions did.

    quantity: "lr", "batch", "wd", "vocab", "loss", "allocation" or "downstream"; law: a family of
    scalelaw.laws() or "all"; fit: a result of fit, isoflop, fit_hparams, fit_curves or fit_curves_across_sizes
    instead; constants: {name: value} replacing the law's own (laws that publish none need them). inputs are scalars
    by the keys of scalelaw.inputs() (params, tokens, flops, loss, seq_len, batch_tokens, lr, unique_tokens, ...),
    and schedule= a learning-rate schedule spec (a str) for a curve fit.
    predictive: with fit= a bootstrapped fit and quantity "loss", the level of the predictive interval of a new
    run's loss, values "loss_lo90p" and "loss_hi90p" at 0.9 (the bootstrap's parameter uncertainty plus the fit's
    residuals, as `predict-loss --predictive`); 0 for none.
    """
    if not 0 <= predictive < 1:
        raise InvalidArgument(f"predictive={predictive!r}: expected a level in [0, 1), 0 for none")
    given: dict[str, _Union[float, str]] = {k: (v if isinstance(v, str) else float(v))
                                            for k, v in _with_model(dict(inputs)).items() if v is not None}
    return _call(quantity, law, given, fit, constants, predictive)


def inputs() -> list[InputRecord]:
    """The input table every law reads from: one InputRecord per input (.key, .option, .quantity, .help,
    .default)."""
    return [InputRecord._from_json(entry) for entry in _scalelaw._inputs()]


def _with_model(inputs: dict[str, _Any]) -> dict[str, _Any]:
    """inputs with model= (a ShapeCount of scalelaw.count, or a Hugging Face config.json path) replaced by the
    inputs its shape gives every law: params, non_embedding_params, non_vocabulary_params (each law reads the N it
    defines), layers, d_model, ffn_width, seq_len (unless given)."""
    model = inputs.pop("model", None)
    if model is None:
        return inputs
    if isinstance(model, (str, _os.PathLike)):
        model = count(model)
    if not isinstance(model, ShapeCount):
        raise InvalidArgument(f"model={model!r}: expected a ShapeCount (scalelaw.count) or a config.json path")
    for key, value in _scalelaw._model_inputs(model).items():
        if inputs.get(key) is None:
            inputs[key] = value
        elif key != "seq_len":
            raise InvalidArgument(f"{key}= and model=: give one of the two")
    return inputs


def _vectorised(quantity: str, key: str, law: str, fit: _Optional[_Fitted] = None,
                fixed: _Optional[_Mapping[str, float]] = None, constants: _Optional[_Mapping[str, float]] = None,
                _intervals: _Optional[float] = None, **inputs: _Any) -> _Any:
    """key of the prediction, broadcast over array inputs in one C++ call: a float, an ndarray, or {law: value}
    for law='all'. With _intervals (a predictive level, 0 for none), every output of the one law with its
    intervals, {key: values}."""
    inputs = _with_model(inputs)
    texts = {k: v for k, v in inputs.items() if isinstance(v, str)}  # a schedule spec: the same at every point
    given = {k: _np.asarray(v, dtype=float) for k, v in inputs.items() if v is not None and k not in texts}
    # Scalars are the same at every point: passed once, not broadcast into columns.
    scalars: dict[str, _Union[float, str]] = {k: float(a) for k, a in given.items() if a.ndim == 0}
    scalars.update(texts)
    scalars.update({k: float(v) for k, v in (fixed or {}).items()})
    arrays = {k: a for k, a in given.items() if a.ndim > 0}
    shape = _np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    columns = {k: _np.ascontiguousarray(_np.broadcast_to(a, shape)).ravel() for k, a in arrays.items()}
    results = _scalelaw._predict_bulk(quantity, law, columns, scalars, fit, _constants(constants),
                                      intervals=_intervals is not None, predictive=_intervals or 0.0)
    _warn([w for r in results for w in r.get("warnings", [])])
    if _intervals is not None:  # every output with its bands, of the one law asked
        (result,) = results
        return {k: (float(a[0]) if shape == () else a.reshape(shape)) for k, a in result["outputs"].items()}
    values = {r["law"]: r["outputs"][key].reshape(shape) for r in results
              if "skipped" not in r and key in r["outputs"]}
    if not values:
        reasons = "; ".join(f"{r['law']}: {r['skipped']}" for r in results if "skipped" in r)
        raise InvalidArgument(f"no {quantity} law could answer with the inputs given" + (f" ({reasons})" if reasons else ""))
    unwrap = (lambda a: float(a)) if shape == () else (lambda a: a)
    if law == "all":
        return {name: unwrap(v) for name, v in values.items()}
    return unwrap(next(iter(values.values())))


# The predict_* functions return a float for scalar inputs and an array for arrays; law="all" gives {law: that}.
# (A str variable for law types as one law's answer: pass the literal "all" for the dict.)


@_overload
def predict_lr(params: _Optional[_ArrayLike] = ..., tokens: _Optional[_ArrayLike] = ...,  # type: ignore[misc]
               flops: _Optional[_ArrayLike] = ..., *, law: _Literal["all"], fit: _Optional[_Fitted] = ...,
               layers: _Optional[_ArrayLike] = ..., d_model: _Optional[_ArrayLike] = ...,
               seq_len: _Optional[_ArrayLike] = ..., constants: _Optional[_Mapping[str, float]] = ...,
               non_embedding_params: _Optional[_ArrayLike] = ..., non_vocabulary_params: _Optional[_ArrayLike] = ...,
               model: _Any = ...
               ) -> dict[str, _Values]: ...
@_overload
def predict_lr(params: _Optional[_ArrayLike] = ..., tokens: _Optional[_ArrayLike] = ...,
               flops: _Optional[_ArrayLike] = ..., *, law: str = ..., fit: _Optional[_Fitted] = ...,
               layers: _Optional[_ArrayLike] = ..., d_model: _Optional[_ArrayLike] = ...,
               seq_len: _Optional[_ArrayLike] = ..., constants: _Optional[_Mapping[str, float]] = ...,
               non_embedding_params: _Optional[_ArrayLike] = ..., non_vocabulary_params: _Optional[_ArrayLike] = ...,
               model: _Any = ...) -> _Values: ...
def predict_lr(params: _Optional[_ArrayLike] = None, tokens: _Optional[_ArrayLike] = None,
               flops: _Optional[_ArrayLike] = None, *, law: str = "step", fit: _Optional[_Fitted] = None,
               layers: _Optional[_ArrayLike] = None, d_model: _Optional[_ArrayLike] = None,
               seq_len: _Optional[_ArrayLike] = None,
               constants: _Optional[_Mapping[str, float]] = None,
               non_embedding_params: _Optional[_ArrayLike] = None, non_vocabulary_params: _Optional[_ArrayLike] = None,
               model: _Any = None) -> _Union[_Values, dict[str, _Values]]:
    """Optimal peak learning rate. law: "step" (Li et al. 2025; N non-vocabulary params), "deepseek" (Bi et al.
    2024; C = M·D with M from layers and d_model, else flops, else 6ND), "kaplan" (Kaplan et al. 2020; N
    non-embedding) or "all" ({law: lr}); fit: a FitResult of scalelaw.fit_hparams instead.
    params is the total count; give the count a law reads (non_embedding_params=, non_vocabulary_params=) or
    model= (scalelaw.count(...) or a config.json path), whose counts each law reads in its own N definition; a
    law given another count than its own warns with the size of the difference for a typical model."""
    return _vectorised("lr", "lr", law, fit=fit, constants=constants, params=params, tokens=tokens, flops=flops,
                       layers=layers, d_model=d_model, seq_len=seq_len, non_embedding_params=non_embedding_params,
                       non_vocabulary_params=non_vocabulary_params, model=model)


@_overload
def predict_batch(params: _Optional[_ArrayLike] = ..., tokens: _Optional[_ArrayLike] = ...,  # type: ignore[misc]
                  flops: _Optional[_ArrayLike] = ..., loss: _Optional[_ArrayLike] = ..., *, law: _Literal["all"],
                  seq_len: float = ..., unit: str = ..., fit: _Optional[_Fitted] = ...,
                  layers: _Optional[_ArrayLike] = ..., d_model: _Optional[_ArrayLike] = ...,
                  constants: _Optional[_Mapping[str, float]] = ..., **inputs: _Any) -> dict[str, _Values]: ...
@_overload
def predict_batch(params: _Optional[_ArrayLike] = ..., tokens: _Optional[_ArrayLike] = ...,
                  flops: _Optional[_ArrayLike] = ..., loss: _Optional[_ArrayLike] = ..., *, law: str = ...,
                  seq_len: float = ..., unit: str = ..., fit: _Optional[_Fitted] = ...,
                  layers: _Optional[_ArrayLike] = ..., d_model: _Optional[_ArrayLike] = ...,
                  constants: _Optional[_Mapping[str, float]] = ..., **inputs: _Any) -> _Values: ...
def predict_batch(params: _Optional[_ArrayLike] = None, tokens: _Optional[_ArrayLike] = None,
                  flops: _Optional[_ArrayLike] = None, loss: _Optional[_ArrayLike] = None, *, law: str = "step",
                  seq_len: float = 2048, unit: str = "tokens", fit: _Optional[_Fitted] = None,
                  layers: _Optional[_ArrayLike] = None, d_model: _Optional[_ArrayLike] = None,
                  constants: _Optional[_Mapping[str, float]] = None,
                  **inputs: _Any) -> _Union[_Values, dict[str, _Values]]:
    """Optimal batch size in tokens (unit="tokens") or sequences of seq_len tokens (unit="sequences").
    law: "step", "deepseek", "kaplan" (critical batch, needs loss), "minicpm" (needs loss), the ratio rules
    "power-lines" and "shuai" (reference_tokens / reference_flops and reference_batch), or "all"."""
    if unit not in ("tokens", "sequences"):
        raise InvalidArgument(f"unit must be 'tokens' or 'sequences', got {unit!r}")
    return _vectorised("batch", "batch_" + unit, law, fit=fit, constants=constants, fixed={"seq_len": float(seq_len)},
                       params=params, tokens=tokens, flops=flops, loss=loss, layers=layers, d_model=d_model, **inputs)


@_overload
def predict_wd(params: _ArrayLike, tokens: _ArrayLike, batch_tokens: _ArrayLike,  # type: ignore[misc]
               lr: _ArrayLike, *, law: _Literal["all"]) -> dict[str, _Values]: ...
@_overload
def predict_wd(params: _ArrayLike, tokens: _ArrayLike, batch_tokens: _ArrayLike, lr: _ArrayLike, *,
               law: str = ...) -> _Values: ...
def predict_wd(params: _ArrayLike, tokens: _ArrayLike, batch_tokens: _ArrayLike, lr: _ArrayLike, *,
               law: str = "power-lines") -> _Union[_Values, dict[str, _Values]]:
    """Optimal AdamW weight decay lambda = B/(eta·tau_opt·D), tau_opt = 1.084·(D/N)^-0.527 (Bergsma et al. 2025)."""
    return _vectorised("wd", "weight_decay", law, params=params, tokens=tokens, batch_tokens=batch_tokens, lr=lr)


@_overload
def predict_vocab(params: _Optional[_ArrayLike] = ..., flops: _Optional[_ArrayLike] = ...,  # type: ignore[misc]
                  *, approach: int = ..., law: _Literal["all"], fit: _Optional[_Fitted] = ...,
                  constants: _Optional[_Mapping[str, float]] = ..., non_vocabulary_params: _Optional[_ArrayLike] = ...,
                  model: _Any = ...) -> dict[str, _Values]: ...
@_overload
def predict_vocab(params: _Optional[_ArrayLike] = ..., flops: _Optional[_ArrayLike] = ..., *, approach: int = ...,
                  law: str = ..., fit: _Optional[_Fitted] = ..., constants: _Optional[_Mapping[str, float]] = ...,
                  non_vocabulary_params: _Optional[_ArrayLike] = ..., model: _Any = ...) -> _Values: ...
def predict_vocab(params: _Optional[_ArrayLike] = None, flops: _Optional[_ArrayLike] = None, *, approach: int = 3,
                  law: str = "tao", fit: _Optional[_Fitted] = None,
                  constants: _Optional[_Mapping[str, float]] = None,
                  non_vocabulary_params: _Optional[_ArrayLike] = None,
                  model: _Any = None) -> _Union[_Values, dict[str, _Values]]:
    """Optimal vocabulary size for N non-vocabulary parameters (Tao et al. 2024, approach 1, 2 or 3): give
    non_vocabulary_params= or model= (its exact N_nv); params (a total count) is read as N_nv with a warning."""
    return _vectorised("vocab", "vocab_size", law, fit=fit, constants=constants,
                       fixed={"vocab_approach": int(approach)}, params=params, flops=flops,
                       non_vocabulary_params=non_vocabulary_params, model=model)


@_overload
def predict_loss(params: _Optional[_ArrayLike] = ..., tokens: _Optional[_ArrayLike] = ...,  # type: ignore[misc]
                 unique_tokens: _Optional[_ArrayLike] = ..., *, law: _Literal["all"], fit: _Optional[_Fitted] = ...,
                 constants: _Optional[_Mapping[str, float]] = ..., **inputs: _Any) -> dict[str, _Values]: ...
@_overload
def predict_loss(params: _Optional[_ArrayLike] = ..., tokens: _Optional[_ArrayLike] = ...,
                 unique_tokens: _Optional[_ArrayLike] = ..., *, law: str = ..., fit: _Optional[_Fitted] = ...,
                 constants: _Optional[_Mapping[str, float]] = ..., **inputs: _Any) -> _Values: ...
def predict_loss(params: _Optional[_ArrayLike] = None, tokens: _Optional[_ArrayLike] = None,
                 unique_tokens: _Optional[_ArrayLike] = None, *, law: str = "epoch", fit: _Optional[_Fitted] = None,
                 constants: _Optional[_Mapping[str, float]] = None,
                 **inputs: _Any) -> _Union[_Values, dict[str, _Values]]:
    """Loss (nats/token) of N parameters trained on D tokens under a published law or a FitResult; laws over other
    inputs take them by name (finetune_examples= for "rectified", x= for "bnsl", a fitted formula's own columns
    such as C=, schedule= for a curve fit: the loss at the schedule's last step) and their constants=."""
    key = "y" if law == "bnsl" else "loss"
    return _vectorised("loss", key, law, fit=fit, constants=constants, params=params, tokens=tokens,
                       unique_tokens=unique_tokens, **inputs)


def predict_downstream(*, law: str = "performance-law", key: _Optional[str] = None,
                       constants: _Optional[_Mapping[str, float]] = None, **inputs: _Any) -> _Values:
    """Downstream laws: the Performance Law's MMLU (law="performance-law": layers, d_model, ffn_width, tokens,
    params) or the densing law's parameters for equal quality (law="densing": params, days). key picks the output
    ("mmlu", "params_equal_quality", ...; the law's first output, as the registry lists it, by default)."""
    if key is None:
        records = [r for r in laws() if r.quantity_key == "downstream" and law in (r.family, r.name)]
        if not records:
            families = sorted({r.family for r in laws() if r.quantity_key == "downstream"})
            raise InvalidArgument(f"law={law!r}: not a downstream law (choose {', '.join(families)})")
        key = records[0].outputs[0]
    return _vectorised("downstream", key, law, constants=constants, **inputs)


def transfer_lr(lr: _ArrayLike, from_tokens: _ArrayLike, to_tokens: _ArrayLike, exponent: float = 0.32) -> _Values:
    """Move a tuned LR to another token horizon: lr·(to/from)^-exponent (Bjorck et al. 2024)."""
    out = _scalelaw._transfer_lr(_np.asarray(lr, dtype=float), _np.asarray(from_tokens, dtype=float),
                                 _np.asarray(to_tokens, dtype=float), float(exponent))
    return float(out) if _np.ndim(out) == 0 else out


def allocate(flops: _Optional[float] = None, *, law: _Optional[str] = None, fit: _Optional[_Fitted] = None,
             target_loss: _Optional[float] = None, inference_tokens: _Optional[float] = None,
             lifetime_flops: _Optional[float] = None,
             unique_tokens: _Optional[float] = None, gpu_flops: _Optional[float] = None,
             train_mfu: _Optional[float] = None, inference_mfu: _Optional[float] = None,
             gpu_hour_price: _Optional[float] = None) -> Allocation:
    """Split a budget of flops FLOPs (C = 6ND), or reach target_loss, between parameters and tokens.

    law: "epoch" (default), "chinchilla", "chinchilla-unrounded", "sardana", "datablations" (default with
    unique_tokens), "deepseek", "kaplan", "llama3", or fit=FitResult (or IsoflopResult). inference_tokens makes it
    inference-aware (Sardana et al. 2024): with lifetime_flops (training plus inference FLOPs; flops is always the
    training compute) it splits that budget, with target_loss it minimises the lifetime FLOPs of reaching it;
    with gpu_flops, inference_mfu, gpu_hour_price (and train_mfu, default
    0.5) and a target_loss it minimises dollars instead of FLOPs. Returns an Allocation: .params (N), .tokens (D),
    .flops (C), .tokens_per_param, .loss, .epochs, the 95% bounds .params_lo95 ... .loss_hi95 of a bootstrapped
    fit, .values (every number the law gave), .law, .citation, .notes, .warnings; a["params"] and a.to_dict() read
    it as the dict of earlier versions.
    """
    if law is None:
        law = "datablations" if unique_tokens is not None else "epoch"
    [prediction] = predict("allocation", law=law if fit is None else "epoch", fit=fit, flops=flops,
                           target_loss=target_loss, inference_tokens=inference_tokens,
                           lifetime_flops=lifetime_flops, unique_tokens=unique_tokens,
                           gpu_flops=gpu_flops, train_mfu=train_mfu, inference_mfu=inference_mfu,
                           gpu_hour_price=gpu_hour_price)
    return Allocation._from_prediction(prediction)


def plan(flops: _Optional[float] = None, *, inference_tokens: _Optional[float] = None,
         unique_tokens: _Optional[float] = None, seq_len: float = 2048, law: str = "epoch",
         fit: _Union[None, _Fitted, _Sequence[_Fitted]] = None, lifetime_flops: _Optional[float] = None,
         vocab: int = 32000, tied_embeddings: bool = False, ffn_kind: _ShapeKind = "swiglu",
         head_dims: _Sequence[int] = (64, 128), group_sizes: _Sequence[int] = (1,), vocab_from_law: bool = False,
         vocab_multiple: int = 128) -> Plan:
    """One training recipe for a budget: N, D, epochs, LR, batch, weight decay, vocabulary and expected loss,
    each with the law it came from and the spread across laws. Returns a Plan: .items (a PlanItem per quantity:
    .key, .value, .law, .alternatives [(law, value)], .spread), .values, .sources ({key: law}), .configuration
    (a TrainingConfiguration: the shape nearest the law's N, its tokens under the law's FLOP convention, batch in
    sequences, steps, peak LR and schedule), .notes, .warnings; plan["lr"], plan["sources"] read it as the dict
    of earlier versions. vocab, tied_embeddings, ffn_kind, head_dims and group_sizes constrain the shape (as
    scalelaw.shapes; the aspect ratio d_model / layers is kept in 96..160); vocab_from_law=True gives the shape
    the vocabulary law's vocabulary at its non-vocabulary N, rounded up to a multiple of vocab_multiple.
    fit: a result of your own, or a list of them: a FitResult or IsoflopResult sets N and D, a HparamSweepResult
    (fit_hparams) the LR and batch, ahead of the published laws; a multi-power CurveFitResult or
    CurveSizeFitResult (fit_curves) designs the run's LR schedule: .configuration.designed_schedule, a
    ScheduleDesign (.schedule is the per-step LR as a DataFrame), as `scalelaw plan --fit curves.json`.
    flops is the training compute; with inference_tokens, lifetime_flops (training plus inference) is the budget
    an inference-aware plan splits instead (give one of the two)."""
    inputs = {"seq_len": float(seq_len)}
    if flops is not None:
        inputs["flops"] = float(flops)
    if lifetime_flops is not None:
        inputs["lifetime_flops"] = float(lifetime_flops)
    if inference_tokens is not None:
        inputs["inference_tokens"] = float(inference_tokens)
    if unique_tokens is not None:
        inputs["unique_tokens"] = float(unique_tokens)
    fits = [] if fit is None else list(fit) if isinstance(fit, (list, tuple)) else [fit]
    text, designed = _scalelaw._plan_json(inputs, law, fits, int(vocab), bool(tied_embeddings), str(ffn_kind),
                                          [int(h) for h in head_dims], [int(g) for g in group_sizes],
                                          bool(vocab_from_law), int(vocab_multiple))
    out = Plan._from_json(_json.loads(text), designed_schedule=designed)
    _warn(out.warnings)
    return out


@_overload
def laws(name: None = ...) -> list[LawRecord]: ...
@_overload
def laws(name: str) -> LawRecord: ...
def laws(name: _Optional[str] = None) -> _Union[list[LawRecord], LawRecord]:
    """Every published law scalelaw ships (a list of LawRecord: .name, .family, .quantity, .formula, .constants,
    .citation, .range, .inputs, .outputs, .example, ...), or the one called name."""
    if name is not None:
        return LawRecord._from_json(_json.loads(_scalelaw._law_json(name)))
    return [LawRecord._from_json(law) for law in _json.loads(_scalelaw._laws_json())["laws"]]


def load_fit(source: _Union[str, "_os.PathLike[str]", _Mapping[str, _Any]]) -> FitResult:
    """A FitResult from a fit that `scalelaw fit --output` (or --json) or FitResult.to_json() wrote: the path of
    the file (a str or os.PathLike naming an existing file), the JSON text itself, or its dict (to_dict()).
    Every field comes back: load_fit(r.to_dict()).to_dict() == r.to_dict(). Errors say which of the three the
    argument was read as (the file's name, "JSON text" or "dict")."""
    if isinstance(source, _Mapping):
        try:
            text = _json.dumps(dict(source), allow_nan=False)
        except (TypeError, ValueError) as error:
            raise InputError(f"load_fit: the dict is not a fit's JSON: {error}") from None
        return _scalelaw._fit_from_json(text, "dict")
    if isinstance(source, _os.PathLike):
        path = _os.fsdecode(_os.fspath(source))
        if not _os.path.isfile(path):
            raise InputError(f"load_fit: {path}: no such file")
        return _scalelaw._read_fit_json(path)
    if not isinstance(source, str):
        raise TypeError(f"load_fit takes a path, JSON text or a dict, not {type(source).__name__}")
    if _os.path.isfile(source):
        return _scalelaw._read_fit_json(source)
    if not source.lstrip().startswith("{"):
        shown = source if len(source) <= 80 else source[:77] + "..."
        raise InputError(f"load_fit: {shown!r} is neither the path of an existing file nor JSON text (a fit's "
                         "JSON is an object, {...})")
    return _scalelaw._fit_from_json(source, "JSON text")


@_overload
def models(details: _Literal[False] = ...) -> list[str]: ...
@_overload
def models(details: _Literal[True]) -> list[ModelRecord]: ...
@_overload
def models(details: bool) -> _Union[list[str], list[ModelRecord]]: ...
def models(details: bool = False) -> _Union[list[str], list[ModelRecord]]:
    """Names of the model forms fit() accepts; with details=True one ModelRecord per form (.name, .formula,
    .parameters, .inputs, .description with the paper), as `scalelaw models --json` prints them."""
    catalogue = _scalelaw._model_catalogue()
    return [ModelRecord._from_json(m) for m in catalogue] if details else [m["name"] for m in catalogue]


def isoflop(data: _Any = None, *, params: _Column = "params", tokens: _Column = "tokens",
            flops: _Optional[_Column] = None, budget: _Optional[_Column] = None, loss: _Column = "loss",
            budget_tolerance: float = 0.01, min_sizes: int = 3, vertex: str = "quadratic", window: int = 5,
            d_star: str = "auto", keep_outside: bool = False, weighted: bool = False, weight_resamples: int = 200,
            disagreement: float = 0.05, bootstrap: int = 0, seed: int = 42, threads: int = 0,
            progress: bool = False) -> IsoflopResult:
    """Chinchilla Approach 2 (Hoffmann et al. 2022): IsoFLOP profiles, then N_opt = k·C^a and D_opt = k'·C^b.

    isoflop(df) reads the columns "params" (N), "tokens" (D, C = 6ND) and "loss" of a DataFrame or dict of
    columns, as `scalelaw isoflop` does; flops="C" gives C instead of tokens (like --flops-col; with tokens= named
    too, both are read); budget="C" groups the runs by a nominal budget label (like --budget-col) while N and D
    come from their own columns (tokens optional). Other names by keyword. Arrays by keyword instead:
    isoflop(params=N, tokens=D, loss=L), isoflop(params=N, flops=C, loss=L) or
    isoflop(params=N, tokens=D, budget=C, loss=L). Without budget, runs whose C chain within budget_tolerance
    (relative) form one budget; budgets with fewer than min_sizes distinct N are skipped. vertex: "quadratic"
    (least-squares parabola of loss in ln N), "local" (the parabola through the window sizes around the lowest
    loss) or "akima" (argmin of the Akima interpolant, Porian et al. 2024, arXiv 2406.19146). d_star: "own" (the
    loss's own minimum in ln D, so a + b need not be 1), "runs" (the runs' own D at N*), "flops" (C/(6N*),
    b = 1 - a) or "auto" (own when tokens are given). Budgets whose vertex lies outside the sampled range are
    excluded unless keep_outside. weighted weighs each budget in the power laws by 1/Var of its vertex (a
    bootstrap of weight_resamples resamples of its runs). When 6ND differs from a run's budget label (or flops)
    by more than the fraction disagreement, a warning counts those runs. bootstrap resamples the runs within each
    budget (deterministic for a seed, any threads; weighted, it recomputes the weights from each resample) and
    fills .se and .ci95 (a, b, k_params, k_tokens). Returns an IsoflopResult (attributes as the
    keys of `scalelaw isoflop --json`; to_dict() gives that JSON as a dict; print(result) the CLI's table).
    When the runs cannot answer (fewer than 2 usable budgets) .usable is False and .status and .message say
    why. Warnings are also issued as ScalelawWarning. Ctrl-C stops the bootstrap (KeyboardInterrupt);
    progress=True counts resamples on stderr. With a table, .table_columns records the columns read, which
    scalelaw.plot(result, table) reads again. Known bias: the parabola is only a Taylor approximation;
    off-centre or wide grids bias a (see docs/isoflop.md).
    """
    table = _table_of(data, "isoflop", "params=N, tokens=D, loss=L")
    explicit_tokens = not (isinstance(tokens, str) and tokens == "tokens")
    if budget is not None and flops is not None:
        raise InvalidArgument("give budget or flops, not both")
    read_tokens = flops is None or explicit_tokens
    read = _table_columns(table, params=params, tokens=tokens if read_tokens else None, flops=flops, budget=budget,
                          loss=loss)
    n = _required(table, params, "params")
    d = _input(table, tokens, "tokens", "tokens") if read_tokens else None
    c = None if flops is None else _column(_from_table(table, flops, "flops"), "flops")
    b = None if budget is None else _column(_from_table(table, budget, "budget"), "budget")
    if d is None and c is None and b is None:
        raise InvalidArgument("isoflop needs tokens (C = 6ND), flops (C) or budget (a label) of every run")
    result = _scalelaw._isoflop(n, None if d is None else _column(d, "tokens"), c, b,
                                _required(table, loss, "loss"), float(budget_tolerance), int(min_sizes), str(vertex),
                                int(window), str(d_star), bool(keep_outside), bool(weighted),
                                int(weight_resamples), float(disagreement), int(bootstrap), int(seed), int(threads),
                                bool(progress))
    if read is not None:
        result.table_columns = read
    _warn(result.warnings)
    return result


def fit_hparams(data: _Any = None, *, params: _Column = "params", tokens: _Column = "tokens", lr: _Column = "lr",
                batch: _Column = "batch", loss: _Column = "loss", seq_len: float = 1, tolerance: float = 0.0025,
                bootstrap: int = 0, seed: int = 42, resample: str = "runs", threads: int = 0,
                progress: bool = False, group: _Optional[_Column] = None) -> HparamSweepResult:
    """Learning-rate and batch-size laws from an lr x batch grid sweep (the Step Law procedure, Li et al. 2025).

    fit_hparams(df) reads the columns "params" (N), "tokens" (D), "lr" (peak learning rate), "batch" (batch
    size in sequences; times seq_len gives tokens, so seq_len=1 when it is already in tokens) and "loss" (the
    final, smoothed loss) of a DataFrame or dict of columns, as `scalelaw fit-hparams` does; other names by
    keyword, or arrays by keyword: fit_hparams(params=N, tokens=D, lr=eta, batch=B, loss=L). Runs are grouped
    by (N, D) (by (group, N, D) with group=, a column or values labelling each run's configuration, e.g. MoE
    experts); those with loss/best - 1 < tolerance in their cell are kept; OLS in logs gives lr = c·N^a·D^b
    (c·D^b when the kept runs' N spans under 10%: .lr_depends_on_params is then False) and batch_tokens = c·D^b,
    with batch_tokens_nd = c·N^a·D^b beside it. bootstrap > 0 fills .se and .ci95 (resample "runs", as the paper, or "cells"); the
    result does not depend on threads. Returns a HparamSweepResult (attributes as the keys of
    `scalelaw fit-hparams --json`: lr, batch_tokens, r2, cells, se, ci95, warnings, ...; to_dict() gives that
    JSON; print(result) the CLI's table); check .usable (or .status) before using the laws. The GIL is released
    while it runs; Ctrl-C stops the bootstrap (KeyboardInterrupt); progress=True counts resamples on stderr.
    """
    table = _table_of(data, "fit_hparams", "params=N, tokens=D, lr=eta, batch=B, loss=L")
    n, d, eta, b, l = (_required(table, values, name) for values, name in
                       ((params, "params"), (tokens, "tokens"), (lr, "lr"), (batch, "batch"), (loss, "loss")))
    labels = [] if group is None else [str(g) for g in _np.asarray(_from_table(table, group, "group")).tolist()]
    result = _scalelaw._fit_hparams(n, d, eta, b, l, float(seq_len), float(tolerance), int(bootstrap), int(seed),
                                    str(resample), int(threads), bool(progress), labels)
    _warn(result.warnings)
    return result


# scalelaw.plot(result, data): charts with matplotlib, which plot.py imports only when a chart is drawn, so
# importing scalelaw never needs matplotlib.
from .plot import plot  # noqa: E402


# --- training curves (docs/curves.md): logs into DataFrames, and the checkpoint rows a fit takes ---

_PathLike = _Union[str, "_os.PathLike[str]"]


def read_curves(path: _Union[_PathLike, _Sequence[_PathLike]], *, metric: str = "loss", format: str = "auto",
                step: _Optional[str] = None, lr: _Optional[str] = None, tokens: _Optional[str] = None,
                run: _Optional[str] = None, params: _Optional[float] = None, params_col: _Optional[str] = None,
                batch_tokens: _Optional[float] = None, batch_sequences: _Optional[float] = None,
                seq_len: _Optional[float] = None, batch_col: _Optional[str] = None, batch_in_tokens: bool = False,
                schedule: _Optional[str] = None, facts: _Optional[_PathLike] = None,
                where: _Optional[_Sequence[str]] = None) -> _Any:
    """Training logs as a pandas DataFrame of curves, one row per logged point, as `scalelaw curve table` reads them.

    path: one log or a list of logs: CSV or TSV (one row per step), JSON Lines (one metrics object per line),
    W&B history exports (a CSV with _step and slash-separated names), Hugging Face trainer_state.json files (their
    log_history; the run is the output directory) or TensorBoard event files (a directory of them is one run, a
    restart's file replacing the steps it logs again); format "auto" chooses by the name (trainer_state.json,
    .jsonl/.ndjson/.json (a .json with log_history: a Trainer state), *tfevents* or a directory, else CSV; a CSV
    with _step is a W&B export), or "csv", "jsonl", "wandb", "tensorboard", "trainer_state". metric names the curve's column, key ("a/b" also finds b nested in a)
    or tag. step, lr and tokens name theirs (defaults: the usual names; lr="-" and tokens="-" read none). A file
    is a run unless run= names a column whose values name the runs. Per-run facts: params_col and batch_col (with
    batch_in_tokens) read columns; facts= a CSV with a run column and any of params, batch_tokens,
    batch_sequences, seq_len, schedule; params, batch_tokens or batch_sequences with seq_len, and schedule give
    every run's. Tokens not logged are step x tokens per step. where= keeps the CSV rows (JSON objects,
    log_history entries; not TensorBoard) where COLUMN=VALUE (!=, <, <=, >, >=) holds.

    Columns: run, step, tokens (NaN when neither logged nor computable), the metric (named as in the log), lr (NaN
    when the log has none), params and batch_tokens (NaN when not known), schedule, source (the file) and line (the
    file's line, a TensorBoard record in its file, or a 1-based log_history entry). df.attrs["metric"] names the metric column. Bad input raises
    scalelaw.InputError naming the file, line and field (a missing metric, steps not increasing, an LR gap, a
    truncated event file); unusable options raise scalelaw.InvalidArgument.
    """
    import pandas as _pd

    paths = [_os.fspath(path)] if isinstance(path, (str, _os.PathLike)) else [_os.fspath(p) for p in path]

    def positive(value: _Optional[float], name: str) -> float:
        if value is None:
            return 0.0
        value = float(value)
        if not (_np.isfinite(value) and value > 0):
            raise InvalidArgument(f"{name}= must be a positive finite number, got {value}")
        return value

    if batch_tokens is not None and batch_sequences is not None:
        raise InvalidArgument("give batch_tokens= or batch_sequences=, not both")
    columns = _scalelaw._read_curves(
        paths, str(format), str(metric), step or "", lr or "", tokens or "", run or "", params_col or "",
        batch_col or "", bool(batch_in_tokens), [str(w) for w in (where or [])],
        "" if facts is None else _os.fspath(facts), positive(params, "params"),
        positive(batch_tokens, "batch_tokens"), positive(batch_sequences, "batch_sequences"),
        positive(seq_len, "seq_len"), schedule or "")
    name = columns["metric_name"]
    frame = _pd.DataFrame({
        "run": columns["run"], "step": columns["step"], "tokens": columns["tokens"], name: columns["metric"],
        "lr": columns["lr"], "params": columns["params"], "batch_tokens": columns["batch_tokens"],
        "schedule": columns["schedule"], "source": columns["source"], "line": columns["line"]})
    frame.attrs["metric"] = name
    return frame


def checkpoint_rows(curves: _Any, *, checkpoints: str = "final", smooth: str = "none", skip_warmup: float = 0.0,
                    cooldown_fraction: float = 0.5, metric: _Optional[str] = None) -> _Any:
    """The (N, D, loss) rows a fit takes from curves, chosen by a checkpoint policy, as a pandas DataFrame.

    curves: a DataFrame of read_curves (or any with columns run, step, the metric, and optionally tokens, lr,
    params, schedule; the rows of each run in step order). metric names the metric column (default
    curves.attrs["metric"], else "loss"). checkpoints: "final" (the last point of each run), "all" (every point)
    or "cooldowns" (the end of each LR cooldown, where the LR stops falling at cooldown_fraction of its peak or
    below: one row per cooldown of a WSD run; needs lr). smooth: "none", "ema:DECAY" or "ma:POINTS" (trailing),
    applied after the points before skip_warmup x each run's last step are dropped. Points at step 0 (no tokens)
    are never rows; a run with no row (a constant LR has no cooldown) is named in a ScalelawWarning, and no row at
    all raises InvalidArgument. Columns: run, params, tokens, step, loss (the smoothed metric), lr, schedule;
    df.attrs["checkpoints"] records the policy and df.attrs["metric"] the metric. The same rows as
    `scalelaw curve table`; scalelaw.fit(rows) fits them.
    """
    import pandas as _pd

    if not _is_table(curves):
        raise InvalidArgument("checkpoint_rows takes a DataFrame (or dict of columns) of curves, as read_curves gives")
    name = metric if metric is not None else getattr(curves, "attrs", {}).get("metric", "loss")
    if not _has_column(curves, name):
        raise InvalidArgument(f"the curves have no column '{name}' (name the metric column with metric=)")
    count = len(_np.asarray(curves["step"]))

    def numbers(column: str) -> _NDArray[_np.float64]:
        if not _has_column(curves, column):
            return _np.full(count, _np.nan)
        return _np.asarray(curves[column], dtype=float)

    runs = [str(r) for r in _np.asarray(curves["run"]).tolist()] if _has_column(curves, "run") else []
    schedules = ([("" if s is None or (isinstance(s, float) and _np.isnan(s)) else str(s))
                  for s in _np.asarray(curves["schedule"], dtype=object).tolist()]
                 if _has_column(curves, "schedule") else [])
    rows = _scalelaw._checkpoint_rows(runs, numbers("step"), numbers(name), numbers("tokens"), numbers("lr"),
                                      numbers("params"), schedules, str(name), str(checkpoints), str(smooth),
                                      float(skip_warmup), float(cooldown_fraction))
    frame = _pd.DataFrame({key: rows[key] for key in ("run", "params", "tokens", "step", "loss", "lr", "schedule")})
    frame.attrs["checkpoints"] = rows["checkpoints"]
    frame.attrs["metric"] = rows["metric"]
    _warn(rows["warnings"])
    return frame


# --- loss-curve laws (docs/curve-laws.md): fit schedule-aware laws to curves, predict schedules ---


__all__ += ["CurveFitResult", "fit_curves", "predict_curve", "score_curves", "load_curve_fit", "CurveSizeFitResult",
            "fit_curves_across_sizes"]


_CurveColumns = tuple[list[str], _NDArray[_np.float64], _NDArray[_np.float64], _NDArray[_np.float64], list[str], str]


def _curve_columns(data: _Any, metric: _Optional[str], reader: _Mapping[str, _Any]) -> _CurveColumns:
    """The long columns the C++ curve functions take, from a read_curves DataFrame (or dict of columns) or from
    paths of logs (read with read_curves(paths, **reader))."""
    if isinstance(data, (str, _os.PathLike)) or (isinstance(data, _Sequence) and not _is_table(data) and data
                                                 and all(isinstance(p, (str, _os.PathLike)) for p in data)):
        data = read_curves(data, metric=metric or "loss", **reader)
    elif reader:
        raise InvalidArgument(f"{', '.join(sorted(reader))}= read logs; the curves here are already a table")
    if not _is_table(data):
        raise InvalidArgument("curves are a DataFrame (or dict of columns) of read_curves, or paths of logs")
    name = metric if metric is not None else getattr(data, "attrs", {}).get("metric", "loss")
    if not _has_column(data, name):
        raise InvalidArgument(f"the curves have no column '{name}' (name the metric column with metric=)")
    if not _has_column(data, "step"):
        raise InvalidArgument("the curves have no column 'step'")
    count = len(_np.asarray(data["step"]))

    def numbers(column: str) -> _NDArray[_np.float64]:
        if not _has_column(data, column):
            return _np.full(count, _np.nan)
        return _np.asarray(data[column], dtype=float)

    runs = [str(r) for r in _np.asarray(data["run"]).tolist()] if _has_column(data, "run") else []
    schedules = ([("" if s is None or (isinstance(s, float) and _np.isnan(s)) else str(s))
                  for s in _np.asarray(data["schedule"], dtype=object).tolist()]
                 if _has_column(data, "schedule") else [])
    return runs, numbers("step"), numbers(name), numbers("lr"), schedules, str(name)


def fit_curves(data: _Any, *, law: str = "multi-power", schedule: _Optional[str] = None,
               train: _Optional[_Sequence[str]] = None, metric: _Optional[str] = None, lambda_: float = 0.999,
               fit_lambda: bool = False, bootstrap: int = 0, seed: int = 0, block_length: int = 0,
               threads: int = 0, max_lr_gap: int = 0, **reader: _Any) -> CurveFitResult:
    """A schedule-aware loss-curve law fitted to training curves, as `scalelaw curve fit` fits it.

    data: a DataFrame of read_curves (or a dict of columns run, step, the metric, and lr and/or schedule), or the
    path(s) of logs, read by read_curves(paths, **reader) (reader: facts=, run=, format=, lr=, ...). law:
    "multi-power" (Luo et al. 2025, arXiv:2503.12811), "annealing" (Tissue et al. 2024, arXiv:2408.11029, momentum
    lambda_, fitted too with fit_lambda) or "power" (L0 + A*S1^-alpha). Each run's per-step LR comes from schedule
    (a spec for every run, e.g. "cosine:peak=3e-4,end=3e-5,steps=24000,warmup=2160"), else its schedule column,
    else its lr column interpolated between logged steps (with a ScalelawWarning when its warmup was not logged).
    train: the runs to fit (default all). bootstrap: moving-block residual bootstrap resamples (seed, block_length
    in logged points, 0: n^(1/3)); their parameters give .se, .ci95 and predict_curve's intervals.

    The result prints its full report; .params, .objective, .curve_errors, .usable, .status, .message,
    .to_json() / .to_dict() (load_curve_fit reads them back). Bad input raises scalelaw.InputError or
    InvalidArgument; a fit the curves cannot support comes back with usable False and the reason in .message.
    """
    columns = _curve_columns(data, metric, reader)
    fit, warnings = _scalelaw._fit_curves(*columns, schedule or "", int(max_lr_gap), str(law),
                                          [str(t) for t in (train or [])], float(lambda_), bool(fit_lambda),
                                          int(bootstrap), int(seed), int(block_length), int(threads))
    _warn(warnings)
    return fit  # type: ignore[no-any-return]


def _curve_sizes(data: _Any, columns: _Any, params: _Union[None, float, _Mapping[str, float]],
                 metric: _Optional[str], reader: _Mapping[str, _Any]) -> _Any:
    """Each row's N for the curve columns of data: params (one number, or run -> N), else data's params column;
    a run without N raises InvalidArgument naming it."""
    runs, steps = columns[0], columns[1]
    count = len(steps)
    if params is None:
        table = read_curves(data, metric=metric or "loss", **reader) if not _is_table(data) else data
        sizes = (_np.asarray(table["params"], dtype=float) if _has_column(table, "params")
                 else _np.full(count, _np.nan))
    elif isinstance(params, _Mapping):
        names = runs if runs else [""] * count
        missing = [name for name in names if name not in params]
        if missing:
            raise InvalidArgument(f"run '{missing[0]}' has no N in params= (the runs: "
                                  f"{', '.join(dict.fromkeys(names))})")
        sizes = _np.asarray([float(params[name]) for name in names], dtype=float)
    else:
        sizes = _np.full(count, float(params))
    without = [runs[i] if runs else "" for i in range(count) if not sizes[i] > 0]
    if without:
        raise InvalidArgument(f"run '{without[0]}' has no N: give params= (a number or run -> N) or a params column")
    return sizes


def fit_curves_across_sizes(data: _Any, *, params: _Union[None, float, _Mapping[str, float]] = None,
                            law: str = "multi-power", scaled: _Optional[_Sequence[str]] = None,
                            schedule: _Optional[str] = None, metric: _Optional[str] = None, lambda_: float = 0.999,
                            fit_lambda: bool = False, reference_params: _Optional[float] = None, bootstrap: int = 0,
                            seed: int = 0, block_length: int = 0, threads: int = 0, max_lr_gap: int = 0,
                            **reader: _Any) -> CurveSizeFitResult:
    """One loss-curve law fitted jointly to the curves of several model sizes, as `scalelaw curve fit
    --across-sizes`: the parameters in `scaled` (default: multi-power L0, A, B; annealing L0, A, C; power L0, A)
    are power laws in N around reference_params, theta(N) = theta * (N / reference_params)^e, the others are
    shared (docs/curve-laws.md, "Across model sizes").

    data and the LR of each run as in fit_curves. Each run's N: params (one number for every run, or a mapping
    run -> N), else the curves' params column (read_curves reads it from a log column or a facts table).
    reference_params: N_ref (default: the geometric mean of the fitted sizes). fit_lambda: fit the annealing law's
    lambda too (one for every size). bootstrap: moving-block residual bootstrap resamples of the joint fit (seed,
    block_length as in fit_curves); predict_curve then gives the 95% interval of any N's curve.
    The result prints its full report; .params (at reference_params), .exponents, .sizes, .objective, .usable,
    .status, .message, .se, .ci95, .resamples, .to_json() / .to_dict(); predict_curve(result, schedule, params=N)
    predicts a size; plot(result, curves) draws the curves against the law at their N.
    A run without N raises scalelaw.InvalidArgument naming it; curves of one size come back not usable.
    """
    columns = _curve_columns(data, metric, reader)
    sizes = _curve_sizes(data, columns, params, metric, reader)
    fit, warnings = _scalelaw._fit_curves_across_sizes(*columns, schedule or "", int(max_lr_gap), sizes, str(law),
                                                       [str(p) for p in (scaled or [])], float(lambda_),
                                                       bool(fit_lambda), float(reference_params or 0),
                                                       int(bootstrap), int(seed), int(block_length), int(threads))
    _warn(warnings)
    return fit  # type: ignore[no-any-return]


def score_curves(fit: CurveFitResult, data: _Any, *, schedule: _Optional[str] = None, metric: _Optional[str] = None,
                 max_lr_gap: int = 0, **reader: _Any) -> _Any:
    """Each observed curve's errors under a curve fit (the law predicted from the curve's schedule), as
    `scalelaw curve predict --log`: a DataFrame with run, points, pred_e (mean |yhat - y|/y), worst_e (max), r2, mae,
    rmse (Luo et al. 2025's metrics; the paper's tables average each column)."""
    import pandas as _pd

    rows, warnings = _scalelaw._curve_errors(fit, *_curve_columns(data, metric, reader), schedule or "",
                                             int(max_lr_gap))
    _warn(warnings)
    return _pd.DataFrame(rows)


def predict_curve(fit: _Union[CurveFitResult, CurveSizeFitResult], schedule: str, *, every: int = 0,
                  params: _Optional[float] = None) -> _Any:
    """The loss curve a curve fit predicts for an LR schedule spec, as `scalelaw curve predict --schedule`: a
    DataFrame with step, lr, loss (every `every`-th step and the last; 0: about 200 points) and, when the fit has
    bootstrap resamples, lower and upper (the 95% percentile interval at each step). df.attrs holds final_loss,
    final_loss_ci95 and final_loss_se (None without a bootstrap). A fit across sizes (fit_curves_across_sizes)
    predicts at N = params (required); df.attrs then also holds params and the law's parameters at N."""
    import pandas as _pd

    if not fit.usable:
        raise InvalidArgument(f"the curve fit is not usable ({fit.status}: {fit.message})")
    if isinstance(fit, CurveSizeFitResult):
        if params is None:
            raise InvalidArgument("predict_curve: params=N is required for a fit across sizes")
        out = _scalelaw._forecast_curve_at_size(fit, str(schedule), float(params), int(every))
    elif params is not None:
        raise InvalidArgument("predict_curve: params= applies to a fit across sizes (fit_curves_across_sizes)")
    else:
        out = _scalelaw._forecast_curve(fit, str(schedule), int(every))
    frame = _pd.DataFrame({key: out[key] for key in ("step", "lr", "loss")})
    frame["step"] = frame["step"].astype(int)
    if len(out["lower"]):
        frame["lower"] = out["lower"]
        frame["upper"] = out["upper"]
    frame.attrs["final_loss"] = out["final_loss"]
    frame.attrs["final_loss_ci95"] = out["final_loss_ci95"]
    frame.attrs["final_loss_se"] = out["final_loss_se"]
    frame.attrs["schedule"] = str(schedule)
    if params is not None:
        frame.attrs.update(params=float(params), parameters=dict(out["parameters"]))
    return frame


def load_curve_fit(source: _Union[str, "_os.PathLike[str]", _Mapping[str, _Any]]
                   ) -> _Union[CurveFitResult, CurveSizeFitResult]:
    """A CurveFitResult (or, for a fit across sizes, a CurveSizeFitResult) from what `scalelaw curve fit --output`
    or .to_json() wrote: a path, the JSON text, or its dict (to_dict())."""
    def parse(text: str, name: str) -> _Union[CurveFitResult, CurveSizeFitResult]:
        try:
            across_sizes = "reference_params" in _json.loads(text)
        except (ValueError, TypeError):
            across_sizes = False
        if across_sizes:
            return _scalelaw._curve_size_fit_from_json(text, name)  # type: ignore[no-any-return]
        return _scalelaw._curve_fit_from_json(text, name)  # type: ignore[no-any-return]

    if isinstance(source, _Mapping):
        return parse(_json.dumps(dict(source)), "dict")
    if isinstance(source, _os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        path = _os.fsdecode(_os.fspath(source))
        if not _os.path.isfile(path):
            raise InputError(f"load_curve_fit: {path}: no such file")
        with open(path) as f:
            return parse(f.read(), path)
    return parse(str(source), "JSON text")


def _curve_fit_repr(self: CurveFitResult) -> str:
    values = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
    return f"<CurveFitResult {self.law} {values}; {self.status if self.usable else 'NOT USABLE: ' + self.message}>"


setattr(CurveFitResult, "__repr__", _curve_fit_repr)
setattr(CurveFitResult, "to_dict", _to_dict)


def _curve_size_fit_repr(self: CurveSizeFitResult) -> str:
    exponents = ", ".join(f"e_{k}={v:.4g}" for k, v in self.exponents.items())
    state = self.status if self.usable else "NOT USABLE: " + self.message
    return f"<CurveSizeFitResult {self.law} across N={self.sizes} {exponents}; {state}>"


setattr(CurveSizeFitResult, "__repr__", _curve_size_fit_repr)
setattr(CurveSizeFitResult, "to_dict", _to_dict)


# --- schedule design (docs/curve-laws.md): the LR schedule a fitted Multi-Power Law predicts to be best ---

from ._scalelaw import ScheduleDesign  # noqa: E402

__all__ += ["ScheduleDesign", "design_schedule", "published_curve_laws"]


def published_curve_laws() -> list[dict[str, _Any]]:
    """The published loss-curve laws design_schedule(preset=...) takes: name, citation, model, parameters."""
    return list(_scalelaw._published_curve_laws())


def design_schedule(law: _Any = None, *, steps: int, peak: float, warmup: int = 0, warmup_shape: str = "linear",
                    warmup_lr: float = 0.0, min_lr: _Optional[float] = None, knots: int = 100,
                    preset: _Optional[str] = None) -> ScheduleDesign:
    """The learning-rate schedule that minimises a Multi-Power Law's predicted final loss, as `scalelaw curve
    schedule` designs it (Luo et al. 2025, arXiv:2503.12811, Sec. 5), compared with cosine and the best WSD.

    law: the Multi-Power Law, as a mapping of its parameters {"L0", "A", "alpha", "B", "C", "beta", "gamma"}, the
    path of a curve fit's JSON (`scalelaw curve fit --output`), or any result with to_json() giving that JSON; or
    preset= names a published law (published_curve_laws(): "multi-power-25m", "multi-power-100m").
    steps: the horizon T; peak: the LR after warmup; warmup: its steps (warmup_shape "linear" from warmup_lr to the
    peak, or "constant" at warmup_lr); min_lr: the floor of the designed schedule and the final LR of cosine and WSD
    (default peak / 10); knots: of the piecewise-linear schedule after warmup.

    Returns a ScheduleDesign: .schedule (a pandas DataFrame with step and lr, one row per step, for a trainer;
    .to_csv() writes the same as the CLI), .lr, .final_loss, .cosine and .wsd (each a dict with name, schedule spec,
    final_loss, decay_fraction), .wsd_by_shape, .knot_steps/.knot_lr, .decay_start, .status/.usable/.message,
    full_report(). scalelaw.plot(design) draws it against cosine and WSD. Invalid input raises
    scalelaw.InvalidArgument.
    """
    if (law is None) == (preset is None):
        raise InvalidArgument("give the law (parameters, a fit JSON path, or a fit result) or preset=, one of them")
    if preset is not None:
        found = [entry for entry in _scalelaw._published_curve_laws() if entry["name"] == preset]
        if not found:
            choices = ", ".join(entry["name"] for entry in _scalelaw._published_curve_laws())
            raise InvalidArgument(f"preset={preset!r}: no such published curve law (choose {choices})")
        parameters = found[0]["parameters"]
    elif isinstance(law, _Mapping):
        parameters = dict(law)
    elif isinstance(law, (str, _os.PathLike)):
        path = _os.fspath(law)
        try:
            with open(path) as f:
                text = f.read()
        except OSError as error:
            raise InvalidArgument(f"cannot read the fit '{path}': {error.strerror}") from None
        parameters = dict(zip(["L0", "A", "alpha", "B", "C", "beta", "gamma"],
                              _scalelaw._multipower_from_fit_json(text, path)))
    elif hasattr(law, "to_json"):
        parameters = dict(zip(["L0", "A", "alpha", "B", "C", "beta", "gamma"],
                              _scalelaw._multipower_from_fit_json(law.to_json(), type(law).__name__)))
    else:
        raise InvalidArgument(f"law: a mapping of the Multi-Power Law's parameters, a fit JSON path or a fit result; "
                              f"got {type(law).__name__}")
    names = ["L0", "A", "alpha", "B", "C", "beta", "gamma"]
    unknown = sorted(set(parameters) - set(names))
    missing = [n for n in names if n not in parameters]
    if unknown or missing:
        raise InvalidArgument("law: the Multi-Power Law's parameters are L0, A, alpha, B, C, beta, gamma"
                              + (f"; missing {', '.join(missing)}" if missing else "")
                              + (f"; unknown {', '.join(unknown)}" if unknown else ""))
    values = [float(parameters[n]) for n in names]
    return _scalelaw._design_schedule(values, int(steps), float(peak), int(warmup), str(warmup_shape),
                                      float(warmup_lr), 0.0 if min_lr is None else float(min_lr), int(knots))


def _design_repr(self: ScheduleDesign) -> str:
    return f"<ScheduleDesign {self.brief_report()}>"


setattr(ScheduleDesign, "__repr__", _design_repr)


# ---- Comparing two recipes -----------------------------------------------------------------------------------

from ._scalelaw import RecipeComparison  # noqa: E402

__all__ += ["RecipeComparison", "compare_recipes"]


def compare_recipes(data: _Any = None, *, recipe: _Column = "recipe", baseline: _Optional[str] = None,
                    params: _Optional[_Column] = "params", tokens: _Optional[_Column] = "tokens",
                    flops: _Optional[_Column] = None, loss: _Column = "loss", own_offset: bool = False,
                    own_exponent: bool = False, at_flops: _Optional[float] = None, bootstrap: int = 200,
                    seed: int = 42, threads: int = 0) -> RecipeComparison:
    """Two recipes' runs fitted jointly, as `scalelaw compare` does: the compute multiplier and the crossover.

    compare_recipes(df) reads the columns "recipe" (two labels), "params" (N), "tokens" (D; C = 6ND) and "loss";
    flops="C" reads C instead. The baseline A is the first label in the table unless baseline= names it. The
    joint law is L_A = E + A x^-alpha, L_B = E + dE + A e^k x^-(alpha + d), x = C / C_ref; E and alpha are shared
    unless own_offset / own_exponent. .multiplier is how much compute B saves for A's loss (at at_flops when it
    depends on C), .crossover_flops where the losses cross (None if nowhere in the searched range), each with a
    stratified bootstrap's 95% interval (.multiplier_ci95, .crossover_ci95). When the runs cannot answer,
    .usable is False and .message says why. to_dict() gives the JSON of `scalelaw compare --json`.
    """
    table = _table_of(data, "compare_recipes", "recipe=labels, params=N, tokens=D, loss=L")
    labels = [str(v) for v in _from_table(table, recipe, "recipe")]
    distinct = list(dict.fromkeys(labels))
    if len(distinct) != 2:
        raise InvalidArgument(f"compare_recipes takes exactly 2 recipes; the recipe column has {len(distinct)}: "
                              + ", ".join(distinct))
    if baseline is None:
        baseline = distinct[0]
    if baseline not in distinct:
        raise InvalidArgument(f"baseline '{baseline}' is not a recipe (the column has {', '.join(distinct)})")
    other = distinct[1] if baseline == distinct[0] else distinct[0]
    c = None if flops is None else _column(_from_table(table, flops, "flops"), "flops")
    n = d = None
    if c is None:
        n = _required(table, params, "params")
        d = _required(table, tokens, "tokens")
    result = _scalelaw._compare_recipes(n, d, c, _required(table, loss, "loss"),
                                        [0 if label == baseline else 1 for label in labels], baseline, other,
                                        not own_offset, not own_exponent,
                                        0.0 if at_flops is None else float(at_flops), int(bootstrap), int(seed),
                                        int(threads))
    _warn(result.warnings)
    return result


def _comparison_repr(self: RecipeComparison) -> str:
    return f"<RecipeComparison {self.brief_report()}>"


setattr(RecipeComparison, "to_dict", _to_dict)
setattr(RecipeComparison, "__repr__", _comparison_repr)


# --- sweep design (docs/sweep-design.md): how well a proposed sweep would pin the law, before any compute ---

from ._scalelaw import SweepDesignResult  # noqa: E402

__all__ += ["SweepDesignResult", "design_sweep"]

# Runs of a sweep: a DataFrame or dict of columns (N and D by column name), or (N, D) pairs.
_Runs = _Union[_Any, _Sequence[tuple[float, float]]]


def _sweep_runs(runs: _Runs, name: str, params: str, tokens: str) -> tuple[list[float], list[float]]:
    """The N and D of runs= or candidates=: columns params and tokens of a table, or (N, D) pairs."""
    if runs is None:
        return [], []
    if _is_table(runs):
        n, d = _column(_from_table(runs, params, name), name), _column(_from_table(runs, tokens, name), name)
        return n.tolist(), d.tolist()
    pairs = _np.asarray(list(runs), dtype=float)
    if pairs.size == 0:
        return [], []
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise InvalidArgument(f"{name}: give a table with columns '{params}' and '{tokens}', or (N, D) pairs")
    return pairs[:, 0].tolist(), pairs[:, 1].tolist()


def _values(values: _Optional[_ArrayLike], name: str) -> list[float]:
    return [] if values is None else _column(values, name).tolist()


def design_sweep(*, target_flops: float, sizes: _Optional[_ArrayLike] = None, tokens: _Optional[_ArrayLike] = None,
                 budgets: _Optional[_ArrayLike] = None, runs: _Runs = None, law: str = "epoch",
                 fit: _Optional[FitResult] = None, noise: _Optional[float] = None, simulations: int = 200,
                 candidates: _Runs = None, target: str = "N_opt", bootstrap: int = 0, bootstrap_sweeps: int = 20,
                 seed: int = 42, threads: int = 0, params_col: str = "params",
                 tokens_col: str = "tokens") -> SweepDesignResult:
    """How well a proposed sweep would pin N_opt, D_opt and the loss at target_flops, before any compute, as
    `scalelaw design` simulates it: data sets drawn from a Chinchilla-form truth with log-normal noise on the
    sweep's runs, each refitted; the refits' spread is the interval the sweep can be expected to give.

    The sweep: sizes= with tokens= (every N x every D) or with budgets= (isoFLOP: every N at D = C/(6N)), or runs=
    (a DataFrame or dict with columns params_col and tokens_col, or (N, D) pairs). The truth: law= a Chinchilla-form
    loss law of the registry ("chinchilla", "chinchilla-unrounded", "epoch") with noise= (the SD of log loss), or
    fit= a Chinchilla FitResult (its residual scale as the noise unless noise=). candidates= (as runs=): the
    proposed next run is the one narrowing the target's ("N_opt", "D_opt", "loss") 95% interval most per FLOP,
    among those whose shrink exceeds two Monte Carlo SEs. bootstrap=R also bootstraps bootstrap_sweeps simulated
    sweeps: the mean width a bootstrap of one real sweep can be expected to report. Same seed, same result, for any
    threads.

    Returns a SweepDesignResult: .status/.usable/.message (not identifiable, with the reason, when the sweep cannot
    pin the law), .true, .spread and .ci95 of "N_opt", "D_opt", "loss" and the parameters, .candidates (dicts:
    params, tokens, flops, width, shrink, shrink_se, shrink_per_flop, identifiable), .best_candidate (an index or
    None), .bootstrap_width, to_json() (the CLI's --json), print(result) the CLI's table. Invalid input raises
    scalelaw.InvalidArgument.
    """
    run_n, run_d = _sweep_runs(runs, "runs", params_col, tokens_col)
    cand_n, cand_d = _sweep_runs(candidates, "candidates", params_col, tokens_col)
    if fit is not None and not isinstance(fit, FitResult):
        raise InvalidArgument("fit= takes a FitResult of the Chinchilla form (scalelaw.fit or scalelaw.load_fit)")
    return _scalelaw._design_sweep(_values(sizes, "sizes"), _values(tokens, "tokens"), _values(budgets, "budgets"),
                                   run_n, run_d, str(law), fit, None if noise is None else float(noise),
                                   float(target_flops), int(simulations), cand_n, cand_d, str(target),
                                   int(bootstrap), int(bootstrap_sweeps), int(seed), int(threads))


def _sweep_design_repr(self: SweepDesignResult) -> str:
    state = self.status if self.usable else "NOT USABLE: " + self.message
    lo, hi = self.ci95.get("N_opt", (float("nan"), float("nan")))
    return f"<SweepDesignResult {len(self.design)} runs, N_opt 95% [{lo:.4g}, {hi:.4g}]; {state}>"


setattr(SweepDesignResult, "__repr__", _sweep_design_repr)
setattr(SweepDesignResult, "to_dict", _to_dict)
def fit_ladder(config: _Optional[str] = None, *, runs: _Optional[_Mapping[str, float]] = None,
               target: _Optional[tuple[str, float]] = None, target_params: _Optional[float] = None,
               target_tokens: _Optional[float] = None, tasks: _Optional[_Sequence[str]] = None, bootstrap: int = 0,
               seed: int = 42, threads: int = 0, multistart: bool = False,
               max_extrapolation: _Optional[float] = None) -> list[LadderResult]:
    """Ladder to benchmark (Bhagia et al. 2024, arXiv:2412.04403), as `scalelaw ladder`: for each OLMo ladder task
    (all 8, or tasks=), step 1 fits the task loss L(N, D) over the ladder's runs, step 2 the accuracy as a sigmoid of
    the task loss over their checkpoints, and the chain predicts the target's accuracy from its (N, D).

    config: the OLMo ladder's final.json (like --config); runs: {history CSV: N} of more ladder runs (--run);
    target: (history CSV, N) of the target (--target), or target_params and target_tokens alone (no actuals).
    bootstrap: joint bootstrap resamples (runs, then checkpoints) for the chained 90% interval; multistart: also
    scalelaw's multi-start fits. A target whose compute 6ND exceeds max_extrapolation times the largest ladder
    run's (default 1000, LadderOptions') is not predicted (status "not identifiable", 0: no limit). Returns one LadderResult per task;
    ladder_table(results) makes a DataFrame. A published downstream law at the same target:
    predict_downstream(law="performance-law", params=r.target_params, tokens=r.target_tokens, layers=...,
    d_model=..., ffn_width=...).
    """
    files: list[tuple[str, float, bool]] = []
    if config is not None:
        files.extend(_scalelaw._olmo_ladder_config(_os.fspath(config)))
    for path, n in (runs or {}).items():
        files.append((_os.fspath(path), float(n), False))
    if target is not None:
        files.append((_os.fspath(target[0]), float(target[1]), True))
    if (target_params is None) != (target_tokens is None):
        raise InvalidArgument("target_params and target_tokens go together")
    results = _scalelaw._fit_ladder(files, list(tasks or []), float(target_params or 0), float(target_tokens or 0),
                                    int(bootstrap), int(seed), int(threads), bool(multistart),
                                    None if max_extrapolation is None else float(max_extrapolation))
    for result in results:
        _warn(result.warnings)
    return results


_LADDER_COLUMNS = ("step1_prediction", "actual_task_loss", "step2_prediction", "chained_prediction",
                   "chained_lower", "chained_upper", "one_step_prediction", "multistart_chained_prediction",
                   "actual_accuracy")


def ladder_table(results: _Sequence[LadderResult]) -> _Any:
    """The tasks of fit_ladder as a pandas DataFrame indexed by task: status, the step-1 task loss, the step-2 and
    chained accuracies, the interval, the one-step and multi-start predictions and the actuals (NaN: not known)."""
    import pandas as _pandas

    rows = [{"task": r.task, "status": r.status, **{name: getattr(r, name) for name in _LADDER_COLUMNS}}
            for r in results]
    return _pandas.DataFrame(rows).set_index("task")


# --- counting (docs/flop-conventions.md): exact parameter counts and FLOPs per token under named conventions ---

from ._scalelaw import ConventionCount, ParameterCounts, ShapeCount  # noqa: E402

__all__ += ["ConventionCount", "ParameterCounts", "ShapeCount", "count", "flop_conventions"]

_ShapeKind = _Literal["swiglu", "gelu"]


def count(config: _Optional[_Union[str, "_os.PathLike[str]"]] = None, *, layers: _Optional[int] = None,
          d_model: _Optional[int] = None, heads: _Optional[int] = None, kv_heads: int = 0, head_dim: int = 0,
          ffn: int = 0, ffn_kind: _ShapeKind = "swiglu", ffn_multiple_of: int = 256, ffn_multiplier: float = 1.0,
          vocab: _Optional[int] = None, tied_embeddings: bool = False,
          norm: _Literal["rmsnorm", "layernorm"] = "rmsnorm", norms_per_layer: int = 2, final_norm: bool = True,
          biases: _Literal["none", "qkv", "all"] = "none", positions: _Literal["none", "learned"] = "none",
          max_positions: int = 0, seq_len: _Optional[int] = None, attention_window: int = 0,
          windowed_layers: int = 0, experts: int = 0, experts_per_token: int = 0, expert_ffn: int = 0) -> ShapeCount:
    """A transformer's exact parameter counts and training FLOPs per token, as `scalelaw count` prints them.

    count("config.json") reads a Hugging Face config (model_type llama, mistral, mixtral, qwen2, gemma, gemma2 or
    gpt2; seq_len= replaces its max_position_embeddings); count(layers=, d_model=, heads=, vocab=, seq_len=, ...)
    counts a shape: kv_heads (0: heads) for grouped-query attention, head_dim (0: d_model / heads), ffn (0:
    derived; 4 d_model for gelu, Llama's 8 d_model / 3 rounded up to ffn_multiple_of for swiglu). attention_window
    > 0 gives windowed_layers layers (0: all) a sliding window of that many keys per query, which the conventions'
    attention terms count in place of seq_len (Mistral, Gemma 2). experts > 0 makes
    every feed-forward block a mixture of experts (Mixtral): experts blocks of width expert_ffn (0: ffn's) and a
    d_model x experts router, experts_per_token (1 to experts) of them used per token. .params has the total,
    active (what one token uses; the total when dense), non-embedding (Kaplan), non-vocabulary (Tao et al.) and
    embedding counts; .flops one row per convention of flop_conventions() (a mixture of experts: counting the
    active parameters), each with its ratio to 6N. A shape that cannot be built raises InvalidArgument naming the
    keyword ("heads: ..."), a config without a needed field one naming the file and the field.
    """
    if config is not None:
        shape_given = [name for name, value in (("layers", layers), ("d_model", d_model), ("heads", heads),
                                                ("vocab", vocab)) if value is not None]
        shape_given += [name for name, value in (("attention_window", attention_window),
                                                 ("windowed_layers", windowed_layers), ("experts", experts),
                                                 ("experts_per_token", experts_per_token),
                                                 ("expert_ffn", expert_ffn)) if value]
        if shape_given:
            raise InvalidArgument(f"count: give config= or the shape, not both ({', '.join(shape_given)}= with "
                                  "config=)")
        return _scalelaw._count(_os.fspath(config), 0, 0, 0, 0, 0, 0, "swiglu", 256, 1.0, 0, False, "rmsnorm", 2,
                                True, "none", "none", 0, int(seq_len or 0), 0, 0, 0, 0, 0)
    missing = [name for name, value in (("layers", layers), ("d_model", d_model), ("heads", heads),
                                        ("vocab", vocab), ("seq_len", seq_len)) if value is None]
    if missing:
        raise InvalidArgument(f"count needs config= or the shape: {', '.join(m + '=' for m in missing)} missing")
    return _scalelaw._count(None, int(layers or 0), int(d_model or 0), int(heads or 0), int(kv_heads),
                            int(head_dim), int(ffn), ffn_kind, int(ffn_multiple_of), float(ffn_multiplier),
                            int(vocab or 0), bool(tied_embeddings), norm, int(norms_per_layer), bool(final_norm),
                            biases, positions, int(max_positions), int(seq_len or 0), int(attention_window),
                            int(windowed_layers), int(experts), int(experts_per_token), int(expert_ffn))


def flop_conventions() -> list[dict[str, str]]:
    """The registry of FLOP conventions `scalelaw count` and count() use: name, title, formula, citation, counts."""
    return _scalelaw._flop_conventions()


def _shape_count_repr(self: ShapeCount) -> str:
    return f"<ShapeCount {self.brief_report()}>"


def _convention_count_repr(self: ConventionCount) -> str:
    return f"<ConventionCount {self.name}: {self.flops_per_token:.4g} FLOPs/token, {self.ratio_to_6n:.3f} x 6N>"


setattr(ShapeCount, "__repr__", _shape_count_repr)
setattr(ConventionCount, "__repr__", _convention_count_repr)


# --- shape search (docs/flop-conventions.md, "Shape search"): the shapes nearest a target N or FLOPs per token ---

from ._scalelaw import ShapeCandidate, ShapeSearch  # noqa: E402

__all__ += ["ShapeCandidate", "ShapeSearch", "depth_rules", "shapes"]


def shapes(params: _Optional[float] = None, *,
           definition: _Literal["total", "non-embedding", "non-vocabulary"] = "total",
           flops_per_token: _Optional[float] = None, convention: str = "6n",
           head_dims: _Sequence[int] = (64, 128), group_sizes: _Sequence[int] = (1,), ffn_kind: _ShapeKind = "swiglu",
           ffn_multiple_of: int = 256, ffn_multiplier: float = 1.0, d_model_multiple_of: int = 128,
           max_d_model: int = 32768, min_layers: int = 1, max_layers: int = 256, min_aspect_ratio: float = 20.0,
           max_aspect_ratio: float = 200.0, preferred_aspect_ratio: float = 128.0, depth_rule: str = "aspect-range",
           depth_tolerance: float = 0.1, vocab: int = 32000, tied_embeddings: bool = False,
           norm: _Literal["rmsnorm", "layernorm"] = "rmsnorm", norms_per_layer: int = 2, final_norm: bool = True,
           biases: _Literal["none", "qkv", "all"] = "none", positions: _Literal["none", "learned"] = "none",
           max_positions: int = 0, seq_len: int = 4096, top: int = 5) -> ShapeSearch:
    """The top transformer shapes nearest a target, as `scalelaw shape` finds them.

    shapes(7e9, definition="total") targets a parameter count (total, non-embedding as Kaplan counts, or
    non-vocabulary as Tao et al. count); shapes(flops_per_token=4.2e10, convention="deepseek") a training FLOPs per
    token under a convention of flop_conventions(). The grid: d_model a multiple of d_model_multiple_of up to
    max_d_model; heads = d_model / head_dim for each of head_dims dividing d_model; kv heads = heads / g for each
    g of group_sizes dividing the heads (1: multi-head attention); layers with d_model / layers inside
    [min_aspect_ratio, max_aspect_ratio] (Kaplan et al. 2020, Fig. 5: the loss is flat over a wide range);
    the SwiGLU width by Llama's rule. depth_rule names a row of depth_rules() instead of the aspect-ratio range: a
    published depth formula L*(d_model), with the layers within max(0.5, depth_tolerance x L*) of it. The rest of
    the shape (vocab, tied_embeddings, norm, norms_per_layer, final_norm, biases, positions, max_positions,
    seq_len) as count() has it. Ranked by relative distance to the target, ties by the aspect ratio nearest
    preferred_aspect_ratio (under a formula, the layers nearest L*). .shapes holds the nearest top, each with .count (a ShapeCount: every definition of
    N and every convention's FLOPs per token); .usable is False with .message the reason when no shape fits.
    Options that cannot be searched raise InvalidArgument naming the keyword.
    """
    return _scalelaw._shapes(float(params or 0.0), definition, float(flops_per_token or 0.0), convention,
                             [int(h) for h in head_dims], [int(g) for g in group_sizes], ffn_kind,
                             int(ffn_multiple_of), float(ffn_multiplier), int(d_model_multiple_of), int(max_d_model),
                             int(min_layers), int(max_layers), float(min_aspect_ratio), float(max_aspect_ratio),
                             float(preferred_aspect_ratio), depth_rule, float(depth_tolerance), int(vocab),
                             bool(tied_embeddings), norm, int(norms_per_layer), bool(final_norm), biases, positions,
                             int(max_positions), int(seq_len), int(top))


def depth_rules() -> list[dict[str, str]]:
    """The depth-to-width rules shapes(depth_rule=...) and `scalelaw shape --depth-rule` accept: name, formula,
    citation; "aspect-range" (the default) first."""
    return _scalelaw._depth_rules()


def _shape_search_repr(self: ShapeSearch) -> str:
    return f"<ShapeSearch {self.brief_report()}>"


def _shape_candidate_repr(self: ShapeCandidate) -> str:
    s = self.shape
    return (f"<ShapeCandidate {s['layers']} layers x d_model {s['d_model']}, {s['heads']} heads ({s['kv_heads']} kv):"
            f" {self.value:.4g}, distance {self.relative_distance:.3g}>")


setattr(ShapeSearch, "__repr__", _shape_search_repr)
setattr(ShapeCandidate, "__repr__", _shape_candidate_repr)


# --- sweeps ready to launch (docs/sweep-plan.md): the runs of an isoFLOP or N x D grid as a table for a trainer ---

from ._scalelaw import PlannedRun, SweepPlan  # noqa: E402

__all__ += ["PlannedRun", "SweepPlan", "sweep"]


def sweep(budgets: _Optional[_Sequence[float]] = None, *, tokens: _Optional[_Sequence[float]] = None,
          sizes: _Optional[_Sequence[float]] = None, min_params: _Optional[float] = None,
          max_params: _Optional[float] = None, per_budget: int = 5, law: _Optional[str] = None,
          fit: _Optional[_Union[FitResult, IsoflopResult]] = None, spread: float = 4.0,
          definition: _Literal["total", "non-embedding", "non-vocabulary"] = "total", convention: str = "6n",
          lr_law: str = "step", batch_law: str = "step", batch_tokens: _Optional[float] = None,
          schedule: _Optional[str] = None, run_prefix: str = "run", max_distance: float = 0.5,
          head_dims: _Sequence[int] = (64, 128), group_sizes: _Sequence[int] = (1,), ffn_kind: _ShapeKind = "swiglu",
          ffn_multiple_of: int = 256, ffn_multiplier: float = 1.0, d_model_multiple_of: int = 128,
          max_d_model: int = 32768, min_layers: int = 1, max_layers: int = 256, min_aspect_ratio: float = 20.0,
          max_aspect_ratio: float = 200.0, preferred_aspect_ratio: float = 128.0, vocab: int = 32000,
          tied_embeddings: bool = False, norm: _Literal["rmsnorm", "layernorm"] = "rmsnorm", seq_len: int = 4096,
          output: _Optional[_Union[str, "_os.PathLike[str]"]] = None,
          design: _Optional["SweepDesignResult"] = None) -> SweepPlan:
    """The runs of a sweep, ready to launch, as `scalelaw sweep` plans them.

    design= (a scalelaw.design_sweep result with candidates) plans the run it proposes, its best candidate's N and D,
    as a 1 x 1 grid (`scalelaw sweep --design design.json`).

    sweep(budgets=[1e18, 1e19], min_params=2e7, max_params=2e8) is an isoFLOP grid: at each budget C, per_budget
    sizes evenly spaced in log N, each trained on D = C / M tokens (M the shape's FLOPs per token under
    convention, 6N by default). law= (an allocation family, "chinchilla") or fit= (a FitResult or IsoflopResult)
    centres the sizes on N_opt(C), from N_opt / spread to N_opt x spread; sizes= gives them one by one. tokens=
    instead of budgets= is an N x D grid. Every size becomes the nearest shape under the constraints of shapes()
    and carries that shape's own counts; batch from batch_law (or batch_tokens) rounded to whole sequences,
    steps = ceil(tokens / batch_tokens), peak LR from lr_law at the N it reads, and the schedule: lr_law's own as a
    spec at each run's peak and steps (the step law's: warmup, then cosine to 1e-5), or schedule= as given.

    Returns a SweepPlan: .runs (PlannedRun: .count, .tokens, .steps, .batch_tokens, .lr, ...), .notes, .warnings,
    .to_csv() (the columns `scalelaw fit` and `scalelaw isoflop` read back once loss is filled in), .to_frame()
    (that table as a pandas DataFrame); output= also writes the CSV. .usable is False with .message the reason
    when the constraints cannot build a size. Bad options raise InvalidArgument naming the keyword.
    """
    def numbers(values: _Optional[_Sequence[float]]) -> _Optional[list[float]]:
        return None if values is None else [float(v) for v in _np.atleast_1d(_np.asarray(values, dtype=float))]

    if design is not None:
        if budgets is not None or tokens is not None or sizes is not None:
            raise InvalidArgument("sweep: give design= or budgets=/tokens=/sizes=, not both")
        if design.best_candidate is None:
            raise InvalidArgument("design=: the design proposes no run (give it candidates)")
        proposed = design.candidates[design.best_candidate]
        sizes, tokens = [proposed["params"]], [proposed["tokens"]]

    options = dict(budgets=numbers(budgets), tokens=numbers(tokens), sizes=numbers(sizes),
                   min_params=None if min_params is None else float(min_params),
                   max_params=None if max_params is None else float(max_params), per_budget=int(per_budget),
                   law=law, spread=float(spread), definition=definition, convention=convention, lr_law=lr_law,
                   batch_law=batch_law, batch_tokens=None if batch_tokens is None else float(batch_tokens),
                   schedule=schedule or "", run_prefix=run_prefix, max_distance=float(max_distance),
                   head_dims=[int(h) for h in head_dims], group_sizes=[int(g) for g in group_sizes],
                   ffn_kind=ffn_kind, ffn_multiple_of=int(ffn_multiple_of), ffn_multiplier=float(ffn_multiplier),
                   d_model_multiple_of=int(d_model_multiple_of), max_d_model=int(max_d_model),
                   min_layers=int(min_layers), max_layers=int(max_layers), min_aspect_ratio=float(min_aspect_ratio),
                   max_aspect_ratio=float(max_aspect_ratio), preferred_aspect_ratio=float(preferred_aspect_ratio),
                   vocab=int(vocab), tied_embeddings=bool(tied_embeddings), norm=norm, seq_len=int(seq_len))
    if law is not None and fit is not None:
        raise InvalidArgument("sweep: give law= or fit=, not both")
    plan = _scalelaw._sweep(options, fit)
    if output is not None and plan.usable:
        with open(_os.fspath(output), "w", newline="") as f:
            f.write(plan.to_csv())
    return plan


def _sweep_plan_to_frame(self: SweepPlan) -> _Any:
    """The runs as a pandas DataFrame: the CSV's columns and types (loss NaN until the runs are logged)."""
    import io as _io

    import pandas as _pd

    return _pd.read_csv(_io.StringIO(self.to_csv()), dtype={"run_id": str, "loss": float})


def _sweep_plan_repr(self: SweepPlan) -> str:
    return f"<SweepPlan {self.brief_report()}>"


def _planned_run_repr(self: PlannedRun) -> str:
    s = self.count.shape
    return (f"<PlannedRun {self.run_id}: {s['layers']} layers x d_model {s['d_model']}, "
            f"{self.count.params.total:.4g} params, {self.tokens:.4g} tokens, lr {self.lr:.3g}>")


setattr(SweepPlan, "to_frame", _sweep_plan_to_frame)
setattr(SweepPlan, "__repr__", _sweep_plan_repr)
setattr(PlannedRun, "__repr__", _planned_run_repr)
