# Type stubs for the compiled module scalelaw._scalelaw (python/module.cpp). Checked against the built module by
# tests/python/test_stubs.py (mypy's stubtest).
#
# When module.cpp changes (a function added, renamed or given new arguments), regenerate and hand-correct:
#
#   PYTHONPATH=build/python stubgen -m scalelaw._scalelaw -o /tmp/stubs      # mypy's stubgen (Debian: mypy)
#   diff /tmp/stubs/scalelaw/_scalelaw.pyi python/scalelaw/_scalelaw.pyi
#
# then carry the new or changed entries over by hand, correcting what stubgen cannot know:
#   - numpy arrays (pybind11 array_t<double>) as NDArray[np.float64]; py::vectorize results as float | NDArray
#     (a float when every input is a scalar);
#   - dict/list results and arguments with their key and value types; a `const FitSummary*` argument as
#     FitResult | None (pybind11 accepts None for a pointer);
#   - unnamed pybind11 arguments (stubgen's arg0, arg1, ...) as positional-only (`/`);
#   - FitResult.predict, to_dict, allocate, table_columns and __repr__, and IsoflopResult's and
#     HparamSweepResult's to_dict, table_columns and __repr__, which python/scalelaw/__init__.py attaches in Python
#     (stubgen prints them as `ClassVar[function]`): copy their signatures from __init__.py.
# Check with
#   MYPYPATH=python PYTHONPATH=build/python /usr/bin/python3 -m mypy.stubtest scalelaw._scalelaw
# (or: /usr/bin/python3 -m pytest tests/python/test_stubs.py).

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalelaw._records import Allocation

__version__: str

class Error(ValueError): ...
class InputError(Error): ...
class InvalidArgument(Error): ...

class FitResult:
    """A fitted scaling law and how the fit went (scalelaw.fit, scalelaw.load_fit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def model(self) -> str: ...
    @property
    def inputs(self) -> list[str]: ...  # the data the form reads: N, D (and U), or a formula's columns
    @property
    def estimator(self) -> str: ...
    @property
    def huber_delta(self) -> float: ...
    @property
    def residual(self) -> str: ...
    @property
    def params(self) -> dict[str, float]: ...
    @property
    def internal_params(self) -> dict[str, float]: ...
    @property
    def objective(self) -> float: ...
    @property
    def log_scale(self) -> float: ...
    @property
    def derived(self) -> dict[str, float]: ...
    @property
    def se(self) -> dict[str, float]: ...
    @property
    def ci95(self) -> dict[str, tuple[float, float]]: ...
    @property
    def laplace_se(self) -> dict[str, float]: ...
    @property
    def bootstrap_resamples(self) -> int: ...
    @property
    def bootstrap_failed(self) -> int: ...
    @property
    def aic(self) -> float: ...
    @property
    def bic(self) -> float: ...
    @property
    def holdout_mean_abs_relative_error(self) -> float: ...
    @property
    def holdout_max_abs_relative_error(self) -> float: ...
    @property
    def n_points(self) -> int: ...
    @property
    def num_starts(self) -> int: ...
    @property
    def num_starts_failed(self) -> int: ...
    @property
    def num_starts_in_best_basin(self) -> int: ...
    @property
    def iterations(self) -> int: ...
    @property
    def converged(self) -> bool: ...  # the fit is usable (the name the JSON keeps)
    @property
    def usable(self) -> bool: ...
    @property
    def status(self) -> str: ...  # "usable", "not identifiable", "no convergence" or "interrupted"
    @property
    def message(self) -> str: ...
    @property
    def wall_seconds(self) -> float: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...  # also str(result)
    def to_json(self) -> str: ...
    def __getstate__(self) -> str: ...  # pickled as its JSON (to_json), which keeps every field
    def __setstate__(self, arg0: str, /) -> None: ...
    def __reduce__(self) -> tuple[Any, ...]: ...  # (copyreg.__newobj__, (FitResult,), the JSON) for every protocol
    # Attached by scalelaw/__init__.py:
    def predict(
        self, params: ArrayLike | None = None, tokens: ArrayLike | None = None, **inputs: ArrayLike
    ) -> float | NDArray[np.float64]: ...
    def predict_intervals(
        self,
        params: ArrayLike | None = None,
        tokens: ArrayLike | None = None,
        *,
        predictive: float = 0.9,
        **inputs: ArrayLike,
    ) -> dict[str, float | NDArray[np.float64]]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def allocate(
        self, flops: float | None = None, *, target_loss: float | None = None, inference_tokens: float | None = None
    ) -> Allocation: ...
    # {keyword: column name} of the table scalelaw.fit read (None without a table); scalelaw.plot reads them again.
    table_columns: dict[str, str] | None

class IsoflopBudget:
    """One compute budget of an IsoFLOP analysis (IsoflopResult.budgets)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def flops(self) -> float: ...
    @property
    def flops_min(self) -> float: ...
    @property
    def flops_max(self) -> float: ...
    @property
    def params(self) -> float | None: ...  # the vertex N*, None when the parabola has none
    @property
    def tokens(self) -> float | None: ...
    @property
    def loss(self) -> float | None: ...
    @property
    def n_runs(self) -> int: ...
    @property
    def n_sizes(self) -> int: ...
    @property
    def curvature(self) -> float: ...
    @property
    def params_min(self) -> float: ...
    @property
    def params_max(self) -> float: ...
    @property
    def tokens_min(self) -> float: ...  # the sampled D range, 0 without tokens
    @property
    def tokens_max(self) -> float: ...
    @property
    def ratio_6nd(self) -> tuple[float, float] | None: ...  # (min, max) of 6ND/C; None when C is 6ND
    @property
    def log_params_sd(self) -> float: ...  # bootstrap SD of ln N* behind the weights (0 unweighted)
    @property
    def log_tokens_sd(self) -> float: ...
    @property
    def extrapolated(self) -> bool: ...  # used with its vertex outside the sampled range (keep_outside)
    @property
    def used(self) -> bool: ...
    @property
    def status(self) -> str: ...

class LadderResult:
    """One task's ladder prediction (scalelaw.fit_ladder): step 1, step 2 and chained."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def task(self) -> str: ...
    @property
    def warnings(self) -> list[str]: ...  # the target beyond the ladder's N or D
    @property
    def status(self) -> str: ...
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def target_params(self) -> float: ...
    @property
    def target_tokens(self) -> float: ...
    @property
    def step1_prediction(self) -> float: ...
    @property
    def step1_points(self) -> int: ...  # the ladder runs step 1 was fitted on
    @property
    def step2_points(self) -> int: ...  # the smoothed checkpoints step 2 was fitted on (with the ideal point)
    @property
    def actual_task_loss(self) -> float: ...
    @property
    def step2_prediction(self) -> float: ...
    @property
    def chained_prediction(self) -> float: ...
    @property
    def chained_lower(self) -> float: ...
    @property
    def chained_upper(self) -> float: ...
    @property
    def actual_accuracy(self) -> float: ...
    @property
    def bootstrap_chained(self) -> list[float]: ...
    @property
    def one_step_prediction(self) -> float: ...
    @property
    def multistart_chained_prediction(self) -> float: ...
    @property
    def step1(self) -> dict[str, float]: ...
    @property
    def step2(self) -> dict[str, float]: ...
    def full_report(self) -> str: ...

class IsoflopResult:
    """Chinchilla Approach 2 (scalelaw.isoflop): N_opt = k_params·C^a, D_opt = k_tokens·C^b."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def a(self) -> float: ...
    @property
    def b(self) -> float: ...
    @property
    def k_params(self) -> float: ...
    @property
    def k_tokens(self) -> float: ...
    @property
    def n_budgets_used(self) -> int: ...
    @property
    def n_runs(self) -> int: ...
    @property
    def budget_tolerance(self) -> float: ...
    @property
    def grouping(self) -> str: ...  # "label" (budget=) or "tolerance"
    @property
    def vertex(self) -> str: ...  # "quadratic", "local" or "akima"
    @property
    def window(self) -> int: ...
    @property
    def d_star(self) -> str: ...  # "own", "runs" or "flops"
    @property
    def keep_outside(self) -> bool: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def weight_resamples(self) -> int: ...  # 0 when unweighted
    @property
    def disagreement(self) -> float: ...
    @property
    def budgets(self) -> list[IsoflopBudget]: ...
    @property
    def se(self) -> dict[str, float]: ...
    @property
    def ci95(self) -> dict[str, tuple[float, float]]: ...
    @property
    def bootstrap_resamples(self) -> int: ...
    @property
    def bootstrap_failed(self) -> int: ...
    @property
    def warnings(self) -> list[str]: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...  # also str(result)
    def to_json(self) -> str: ...
    # Attached by scalelaw/__init__.py:
    def to_dict(self) -> dict[str, Any]: ...
    table_columns: dict[str, str] | None  # the table's columns scalelaw.isoflop read

class LrLaw:
    """lr = coef · N^exp_params · D^exp_tokens (HparamSweepResult.lr)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def coef(self) -> float: ...
    @property
    def exp_params(self) -> float: ...
    @property
    def exp_tokens(self) -> float: ...

class BatchTokensLaw:
    """batch_tokens = coef · D^exp_tokens (HparamSweepResult.batch_tokens)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def coef(self) -> float: ...
    @property
    def exp_tokens(self) -> float: ...

class BatchTokensLawNd:
    """batch_tokens = coef · N^exp_params · D^exp_tokens (HparamSweepResult.batch_tokens_nd)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def coef(self) -> float: ...
    @property
    def exp_params(self) -> float: ...
    @property
    def exp_tokens(self) -> float: ...

class HparamCell:
    """One (N, D) cell of a sweep and its best run (HparamSweepResult.cells)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def group(self) -> str: ...
    @property
    def params(self) -> float: ...
    @property
    def tokens(self) -> float: ...
    @property
    def n_runs(self) -> int: ...
    @property
    def n_kept(self) -> int: ...
    @property
    def best_loss(self) -> float: ...
    @property
    def best_lr(self) -> float: ...
    @property
    def best_batch_tokens(self) -> float: ...

class HparamSweepResult:
    """Learning-rate and batch-size laws from a sweep (scalelaw.fit_hparams, the Step Law procedure)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def lr(self) -> LrLaw: ...
    @property
    def batch_tokens(self) -> BatchTokensLaw: ...
    @property
    def batch_tokens_nd(self) -> BatchTokensLawNd: ...
    @property
    def lr_depends_on_params(self) -> bool: ...
    @property
    def r2(self) -> dict[str, float]: ...  # "lr", "batch_tokens", "batch_tokens_nd"
    @property
    def n_cells(self) -> int: ...
    @property
    def n_runs(self) -> int: ...
    @property
    def n_kept(self) -> int: ...
    @property
    def tolerance(self) -> float: ...
    @property
    def seq_len(self) -> float: ...
    @property
    def cells(self) -> list[HparamCell]: ...
    @property
    def se(self) -> dict[str, float]: ...
    @property
    def ci95(self) -> dict[str, tuple[float, float]]: ...
    @property
    def bootstrap_resamples(self) -> int: ...
    @property
    def bootstrap_failed(self) -> int: ...
    @property
    def warnings(self) -> list[str]: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...  # also str(result)
    def to_json(self) -> str: ...
    # Attached by scalelaw/__init__.py:
    def to_dict(self) -> dict[str, Any]: ...

def _fit(
    params: NDArray[np.float64] | None,
    tokens: NDArray[np.float64] | None,
    loss: NDArray[np.float64],
    weights: NDArray[np.float64] | None,
    unique_tokens: NDArray[np.float64] | None,
    columns: Mapping[str, NDArray[np.float64]],
    model: str,
    formula: str,
    options: dict[str, Any],
) -> FitResult: ...
def _validate(
    params: NDArray[np.float64] | None,
    tokens: NDArray[np.float64] | None,
    loss: NDArray[np.float64],
    weights: NDArray[np.float64] | None,
    unique_tokens: NDArray[np.float64] | None,
    columns: Mapping[str, NDArray[np.float64]],
    model: str,
    formula: str,
    options: dict[str, Any],
    split_by: str,
    split: NDArray[np.float64] | None,
    thresholds: list[float],
    quantiles: list[float],
    min_runs: int,
    predictive: float,
) -> str: ...  # LeaveFutureOutToJson (scalelaw/analysis/validation.h)
def _olmo_ladder_config(path: str) -> list[tuple[str, float, bool]]: ...
def _fit_ladder(
    files: list[tuple[str, float, bool]],
    tasks: list[str],
    target_params: float,
    target_tokens: float,
    bootstrap: int,
    seed: int,
    threads: int,
    multistart: bool,
    max_extrapolation: float | None,
) -> list[LadderResult]: ...
def _isoflop_defaults() -> dict[str, Any]: ...  # IsoflopOptions' defaults under scalelaw.isoflop's keywords
def _isoflop_from_json(arg0: str, /) -> IsoflopResult: ...
def _fit_hparams_from_json(arg0: str, /) -> HparamSweepResult: ...

# Chart data for scalelaw.plot (src/plot/result_charts.h, the builders the CLI's --plot draws from too). Curves are
# {x name: array, y name: array, "label": str, "value": float} or None.
def _fit_chart(
    law: FitResult | IsoflopResult | HparamSweepResult | str,
    params: NDArray[np.float64] | None,
    tokens: NDArray[np.float64] | None,
    loss: NDArray[np.float64] | None,
    flops_max: float,
) -> dict[str, Any]: ...  # title, runs, law_curves, frontier, frontier_exponent, frontier_band, flops_min, ...
def _isoflop_chart(
    result: IsoflopResult,
    params: NDArray[np.float64] | None,
    tokens: NDArray[np.float64] | None,
    flops: NDArray[np.float64] | None,
    loss: NDArray[np.float64] | None,
    budget: NDArray[np.float64] | None = None,
) -> dict[str, Any]: ...  # title, budgets (flops, used, status, runs, parabola, vertex), optimum
def _hparam_charts(result: HparamSweepResult) -> dict[str, Any]: ...  # lr, batch: title, labels, x, y, group, lines
def _fit_diagnostics(
    result: FitResult,
    inputs: Mapping[str, NDArray[np.float64]],
    y: NDArray[np.float64],
    y_label: str,
    input_labels: Mapping[str, str],
) -> dict[str, Any]: ...  # observed, predicted, residual, held_out, input, curve, band, *_chart axes and titles
def _formula_columns(formula: str, names: list[str]) -> list[str]: ...
def _fit_from_json(text: str, source: str) -> FitResult: ...  # source names the text in errors
def _fit_hparams(
    params: NDArray[np.float64],
    tokens: NDArray[np.float64],
    lr: NDArray[np.float64],
    batch: NDArray[np.float64],
    loss: NDArray[np.float64],
    seq_len: float,
    tolerance: float,
    bootstrap: int,
    seed: int,
    resample: str,
    threads: int,
    progress: bool,
    group: list[str],
) -> HparamSweepResult: ...
def _isoflop(
    params: NDArray[np.float64],
    tokens: NDArray[np.float64] | None,
    flops: NDArray[np.float64] | None,
    budget: NDArray[np.float64] | None,
    loss: NDArray[np.float64],
    budget_tolerance: float,
    min_sizes: int,
    vertex: str,
    window: int,
    d_star: str,
    keep_outside: bool,
    weighted: bool,
    weight_resamples: int,
    disagreement: float,
    bootstrap: int,
    seed: int,
    threads: int,
    progress: bool,
) -> IsoflopResult: ...
def _law_json(arg0: str, /) -> str: ...
def _laws_json() -> str: ...
def _estimators() -> list[dict[str, Any]]: ...  # name, minimises, reference: str; default: bool
def _objectives() -> list[dict[str, Any]]: ...  # name, summand, residual, use: str; default: bool
def _residuals() -> list[dict[str, Any]]: ...  # name, residual, use: str; default: bool
def _start_strategies() -> list[dict[str, Any]]: ...  # name, spec, summary: str; default: bool
def _model_catalogue() -> list[dict[str, Any]]: ...  # name, formula, description: str; parameters, inputs: list[str]
def _read_fit_json(path: str) -> FitResult: ...
def _read_curves(
    paths: list[str],
    format: str,
    metric: str,
    step: str,
    lr: str,
    tokens: str,
    run: str,
    params_col: str,
    batch_col: str,
    batch_in_tokens: bool,
    where: list[str],
    facts: str,
    params: float,
    batch_tokens: float,
    batch_sequences: float,
    seq_len: float,
    schedule: str,
) -> dict[str, Any]: ...  # run, schedule, source: list[str]; line: list[int]; metric_name: str; others arrays
def _checkpoint_rows(
    run: list[str],
    step: ArrayLike,
    metric: ArrayLike,
    tokens: ArrayLike,
    lr: ArrayLike,
    params: ArrayLike,
    schedule: list[str],
    metric_name: str,
    keep: str,
    smooth: str,
    skip_warmup: float,
    cooldown_fraction: float,
) -> dict[str, Any]: ...  # run, schedule, warnings: list[str]; metric, checkpoints: str; others arrays
def _tensorboard_supported() -> bool: ...

class CurveFitResult:
    """A loss-curve law fitted to training curves (scalelaw.fit_curves, scalelaw.load_curve_fit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def law(self) -> str: ...  # "multi-power", "annealing" or "power"
    @property
    def params(self) -> dict[str, float]: ...
    @property
    def lambda_(self) -> float: ...
    @property
    def objective(self) -> float: ...
    @property
    def n_points(self) -> int: ...
    @property
    def curves(self) -> list[str]: ...
    @property
    def curve_errors(self) -> dict[str, dict[str, float]]: ...  # per curve: points, pred_e, worst_e, r2, mae, rmse
    @property
    def se(self) -> dict[str, float]: ...
    @property
    def ci95(self) -> dict[str, tuple[float, float]]: ...
    @property
    def resamples(self) -> list[list[float]]: ...
    @property
    def bootstrap_failed(self) -> int: ...
    @property
    def usable(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def wall_seconds(self) -> float: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...  # also str(result)
    def to_json(self) -> str: ...
    # Attached by scalelaw/__init__.py:
    def to_dict(self) -> dict[str, Any]: ...

def _curve_fit_from_json(text: str, source: str) -> CurveFitResult: ...
class CurveSizeFitResult:
    """A loss-curve law fitted jointly across model sizes (scalelaw.fit_curves_across_sizes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def law(self) -> str: ...  # "multi-power", "annealing" or "power"
    @property
    def params(self) -> dict[str, float]: ...  # at reference_params
    @property
    def exponents(self) -> dict[str, float]: ...  # the scaled parameters' N exponents
    @property
    def reference_params(self) -> float: ...
    @property
    def lambda_(self) -> float: ...
    @property
    def objective(self) -> float: ...
    @property
    def n_points(self) -> int: ...
    @property
    def sizes(self) -> list[float]: ...
    @property
    def curves(self) -> list[str]: ...
    @property
    def curve_params(self) -> list[float]: ...
    @property
    def condition_number(self) -> float: ...
    @property
    def parameter_names(self) -> list[str]: ...  # the law's parameters, then e_<name> per scaled one
    @property
    def se(self) -> dict[str, float]: ...  # of the free parameters; empty without a bootstrap
    @property
    def ci95(self) -> dict[str, tuple[float, float]]: ...
    @property
    def resamples(self) -> list[list[float]]: ...  # parameter_names' values per resample
    @property
    def bootstrap_failed(self) -> int: ...
    @property
    def usable(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def wall_seconds(self) -> float: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...  # also str(result)
    def to_json(self) -> str: ...
    # Attached by scalelaw/__init__.py:
    def to_dict(self) -> dict[str, Any]: ...

def _curve_size_fit_from_json(text: str, source: str) -> CurveSizeFitResult: ...
def _fit_curves_across_sizes(
    run: list[str],
    step: ArrayLike,
    metric: ArrayLike,
    lr: ArrayLike,
    schedules: list[str],
    metric_name: str,
    schedule: str,
    max_lr_gap: int,
    params: ArrayLike,
    law: str,
    scaled: list[str],
    lambda_: float,
    fit_lambda: bool,
    reference_params: float,
    bootstrap: int,
    seed: int,
    block_length: int,
    threads: int,
) -> tuple[CurveSizeFitResult, list[str]]: ...  # the fit and the warnings
def _curve_size_chart(
    fit: CurveSizeFitResult,
    run: list[str],
    step: ArrayLike,
    metric: ArrayLike,
    lr: ArrayLike,
    schedules: list[str],
    metric_name: str,
    schedule: str,
    max_lr_gap: int,
    params: ArrayLike,
    extra: list[str],
    extra_params: list[float],
) -> dict[str, Any]: ...  # as _curve_chart, each curve at its N
def _forecast_curve_at_size(
    fit: CurveSizeFitResult, schedule: str, params: float, every: int
) -> dict[str, Any]: ...  # as _forecast_curve; parameters: the law at N
def _fit_curves(
    run: list[str],
    step: ArrayLike,
    metric: ArrayLike,
    lr: ArrayLike,
    schedules: list[str],
    metric_name: str,
    schedule: str,
    max_lr_gap: int,
    law: str,
    train: list[str],
    lambda_: float,
    fit_lambda: bool,
    bootstrap: int,
    seed: int,
    block_length: int,
    threads: int,
) -> tuple[CurveFitResult, list[str]]: ...  # the fit and the warnings
def _curve_errors(
    fit: CurveFitResult,
    run: list[str],
    step: ArrayLike,
    metric: ArrayLike,
    lr: ArrayLike,
    schedules: list[str],
    metric_name: str,
    schedule: str,
    max_lr_gap: int,
) -> tuple[list[dict[str, Any]], list[str]]: ...  # per curve: run, points, pred_e, worst_e, r2, mae, rmse
def _forecast_curve(
    fit: CurveFitResult, schedule: str, every: int
) -> dict[str, Any]: ...  # step, lr, loss, lower, upper: arrays; final_loss, final_loss_ci95, final_loss_se
def _curve_chart(
    fit: CurveFitResult,
    run: list[str],
    step: ArrayLike,
    metric: ArrayLike,
    lr: ArrayLike,
    schedules: list[str],
    metric_name: str,
    schedule: str,
    max_lr_gap: int,
    extra: list[str],
) -> dict[str, Any]: ...  # title; curves: list of dicts of arrays (plot/curve_charts.h)
def _plan_json(inputs: Mapping[str, float], law: str, fits: list[Any], vocab: int, tied_embeddings: bool, ffn_kind: str,
               head_dims: list[int], group_sizes: list[int], vocab_from_law: bool,
               vocab_multiple: int) -> tuple[str, ScheduleDesign | None]: ...
def _predict_json(
    quantity: str,
    law: str,
    inputs: Mapping[str, float | str],
    fit: object,
    constants: Mapping[str, float],
    predictive: float = 0.9,
) -> str: ...
def _predict_bulk(
    quantity: str,
    law: str,
    columns: Mapping[str, NDArray[np.float64]],
    fixed: Mapping[str, float | str],
    fit: object,
    constants: Mapping[str, float],
    intervals: bool = False,
    predictive: float = 0.0,
) -> list[dict[str, Any]]: ...  # law, citation, outputs {key: array}, notes, warnings (or skipped)
def _inputs() -> list[dict[str, Any]]: ...  # key, option, quantity, help: str; default: float
def _transfer_lr(
    arg0: ArrayLike, arg1: ArrayLike, arg2: ArrayLike, arg3: float, /
) -> float | NDArray[np.float64]: ...

# Schedule design (python/schedule_design_bindings.cpp).
class ScheduleDesign:
    """The LR schedule minimising a Multi-Power Law's predicted final loss (scalelaw.design_schedule)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def law(self) -> dict[str, float]: ...
    @property
    def steps(self) -> int: ...
    @property
    def warmup(self) -> int: ...
    @property
    def peak(self) -> float: ...
    @property
    def min_lr(self) -> float: ...
    @property
    def lr(self) -> NDArray[np.float64]: ...
    @property
    def knot_steps(self) -> NDArray[np.float64]: ...
    @property
    def knot_lr(self) -> NDArray[np.float64]: ...
    @property
    def final_loss(self) -> float: ...
    @property
    def decay_start(self) -> int: ...
    @property
    def decay_fraction(self) -> float: ...
    @property
    def cosine(self) -> dict[str, Any]: ...  # name, schedule: str; final_loss, decay_fraction: float
    @property
    def wsd(self) -> dict[str, Any]: ...
    @property
    def wsd_by_shape(self) -> list[dict[str, Any]]: ...
    @property
    def iterations(self) -> int: ...
    @property
    def evaluations(self) -> int: ...
    @property
    def best_start(self) -> str: ...
    @property
    def seconds(self) -> float: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...
    def to_json(self) -> str: ...
    def to_csv(self) -> str: ...
    @property
    def schedule(self) -> Any: ...  # pandas DataFrame: step, lr

def _design_schedule(
    parameters: list[float],
    steps: int,
    peak: float,
    warmup: int,
    warmup_shape: str,
    warmup_lr: float,
    min_lr: float,
    knots: int,
) -> ScheduleDesign: ...
def _multipower_from_fit_json(text: str, source: str) -> list[float]: ...
def _published_curve_laws() -> list[dict[str, Any]]: ...  # name, citation, model: str; parameters: dict
def _schedule_design_chart(design: ScheduleDesign) -> dict[str, Any]: ...  # title, peak, min_lr, lines

class RecipeComparison:
    """Two recipes fitted jointly (scalelaw.compare_recipes): the compute multiplier of B over A, the crossover."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def recipe_a(self) -> str: ...
    @property
    def recipe_b(self) -> str: ...
    @property
    def runs_a(self) -> int: ...
    @property
    def runs_b(self) -> int: ...
    @property
    def scale_flops(self) -> float: ...
    @property
    def reference_flops(self) -> float: ...
    @property
    def params(self) -> dict[str, float]: ...
    @property
    def shared(self) -> list[str]: ...
    @property
    def multiplier(self) -> float | None: ...
    @property
    def multiplier_ci95(self) -> tuple[float, float] | None: ...
    @property
    def multiplier_depends_on_flops(self) -> bool: ...
    @property
    def crossover_flops(self) -> float | None: ...
    @property
    def crossover_ci95(self) -> tuple[float, float] | None: ...
    @property
    def crossover_search(self) -> tuple[float, float]: ...
    @property
    def resamples(self) -> int: ...
    @property
    def failed_resamples(self) -> int: ...
    @property
    def resamples_with_crossover(self) -> int: ...
    @property
    def warnings(self) -> list[str]: ...
    def loss(self, recipe: int, flops: ArrayLike) -> Any: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...  # also str(result)
    def to_json(self) -> str: ...
    # Attached by scalelaw/__init__.py:
    def to_dict(self) -> dict[str, Any]: ...

def _compare_recipes(
    params: NDArray[np.float64] | None,
    tokens: NDArray[np.float64] | None,
    flops: NDArray[np.float64] | None,
    loss: NDArray[np.float64],
    recipe: list[int],
    label_a: str,
    label_b: str,
    share_offset: bool,
    share_exponent: bool,
    reference_flops: float,
    bootstrap: int,
    seed: int,
    threads: int,
) -> RecipeComparison: ...
def _compare_defaults() -> dict[str, Any]: ...

# Sweep design (python/sweep_design_bindings.cpp).
class SweepDesignResult:
    """How well a proposed sweep would pin N_opt, D_opt and the loss at a target budget (scalelaw.design_sweep)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def design(self) -> list[tuple[float, float]]: ...  # (N, D) of each run
    @property
    def truth(self) -> dict[str, float]: ...  # E, A, B, alpha, beta
    @property
    def noise_sd(self) -> float: ...
    @property
    def target_flops(self) -> float: ...
    @property
    def true(self) -> dict[str, float]: ...  # N_opt, D_opt, loss of the truth at the target
    @property
    def simulations(self) -> int: ...
    @property
    def refits_usable(self) -> int: ...
    @property
    def refits_not_identifiable(self) -> int: ...
    @property
    def refits_not_converged(self) -> int: ...
    @property
    def spread(self) -> dict[str, dict[str, Any]]: ...  # mean, sd: float; ci95: (lo, hi); refits: int
    @property
    def ci95(self) -> dict[str, tuple[float, float]]: ...
    @property
    def target(self) -> str: ...
    @property
    def target_width(self) -> float: ...
    @property
    def candidates(self) -> list[dict[str, Any]]: ...  # params, tokens, flops, width, shrink, shrink_se, ...
    @property
    def best_candidate(self) -> int | None: ...
    @property
    def bootstrap_width(self) -> dict[str, float]: ...
    @property
    def bootstrap_simulations(self) -> int: ...
    @property
    def bootstrap_usable(self) -> int: ...
    @property
    def bootstrap_not_identifiable(self) -> int: ...
    @property
    def seconds(self) -> float: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...  # set in __init__.py

def _design_sweep(
    sizes: list[float],
    tokens: list[float],
    budgets: list[float],
    run_params: list[float],
    run_tokens: list[float],
    law: str,
    fit: FitResult | None,
    noise: float | None,
    target_flops: float,
    simulations: int,
    candidate_params: list[float],
    candidate_tokens: list[float],
    target: str,
    bootstrap: int,
    bootstrap_sweeps: int,
    seed: int,
    threads: int,
) -> SweepDesignResult: ...
def _chinchilla_form_laws() -> list[str]: ...

# Counting (python/count_bindings.cpp).
class ParameterCounts:
    """A transformer's parameters under each definition of N (scalelaw.count)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def total(self) -> int: ...
    @property
    def non_embedding(self) -> int: ...
    @property
    def non_vocabulary(self) -> int: ...
    @property
    def embedding(self) -> int: ...
    @property
    def vocabulary(self) -> int: ...
    @property
    def token_embedding(self) -> int: ...
    @property
    def position_embedding(self) -> int: ...
    @property
    def output_head(self) -> int: ...
    @property
    def blocks(self) -> int: ...
    @property
    def final_norm(self) -> int: ...
    @property
    def active(self) -> int: ...  # the parameters one token uses (a mixture of experts); the total when dense
    @property
    def routed_experts(self) -> int: ...  # every expert of every layer; 0 when dense

class ConventionCount:
    """Training FLOPs per token under one named convention."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def formula(self) -> str: ...
    @property
    def citation(self) -> str: ...
    @property
    def counts(self) -> str: ...
    @property
    def flops_per_token(self) -> float: ...
    @property
    def ratio_to_6n(self) -> float: ...

class ShapeCount:
    """A transformer's parameter counts and FLOPs per token under every convention."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def shape(self) -> dict[str, Any]: ...  # layers, d_model, ...: int; ffn_kind, norm, biases, positions: str
    @property
    def params(self) -> ParameterCounts: ...
    @property
    def kaplan_non_embedding(self) -> float: ...
    @property
    def flops(self) -> list[ConventionCount]: ...
    @property
    def source(self) -> str: ...
    def flops_per_token(self, convention: str) -> float: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...

def _count(
    config: str | None,
    layers: int,
    d_model: int,
    heads: int,
    kv_heads: int,
    head_dim: int,
    ffn: int,
    ffn_kind: str,
    ffn_multiple_of: int,
    ffn_multiplier: float,
    vocab: int,
    tied_embeddings: bool,
    norm: str,
    norms_per_layer: int,
    final_norm: bool,
    biases: str,
    positions: str,
    max_positions: int,
    seq_len: int,
    attention_window: int,
    windowed_layers: int,
    experts: int,
    experts_per_token: int,
    expert_ffn: int,
) -> ShapeCount: ...
def _model_inputs(count: ShapeCount) -> dict[str, float]: ...  # the three parameter counts and shape inputs of a model
def _count_defaults() -> dict[str, Any]: ...  # TransformerShape's defaults under scalelaw.count's keywords
def _count_choices() -> dict[str, list[str]]: ...  # ffn_kind, norm, biases, positions: the names each accepts
def _flop_conventions() -> list[dict[str, str]]: ...  # name, title, formula, citation, counts

# Shape search (python/count_bindings.cpp).
class ShapeCandidate:
    """One shape of a shape search, with its counts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def count(self) -> ShapeCount: ...
    @property
    def shape(self) -> dict[str, Any]: ...
    @property
    def value(self) -> float: ...
    @property
    def relative_distance(self) -> float: ...
    @property
    def aspect_ratio(self) -> float: ...
    @property
    def rule_layers(self) -> float: ...

class ShapeSearch:
    """The shapes nearest a target (scalelaw.shapes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...  # "usable" or "no shape"
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def target(self) -> float: ...
    @property
    def target_quantity(self) -> str: ...
    @property
    def depth_rule(self) -> str: ...
    @property
    def depth_rule_description(self) -> str: ...
    @property
    def shapes_considered(self) -> int: ...
    @property
    def shapes(self) -> list[ShapeCandidate]: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...

def _shapes(
    params: float,
    definition: str,
    flops_per_token: float,
    convention: str,
    head_dims: list[int],
    group_sizes: list[int],
    ffn_kind: str,
    ffn_multiple_of: int,
    ffn_multiplier: float,
    d_model_multiple_of: int,
    max_d_model: int,
    min_layers: int,
    max_layers: int,
    min_aspect_ratio: float,
    max_aspect_ratio: float,
    preferred_aspect_ratio: float,
    depth_rule: str,
    depth_tolerance: float,
    vocab: int,
    tied_embeddings: bool,
    norm: str,
    norms_per_layer: int,
    final_norm: bool,
    biases: str,
    positions: str,
    max_positions: int,
    seq_len: int,
    top: int,
) -> ShapeSearch: ...
def _depth_rules() -> list[dict[str, str]]: ...  # name, formula, citation
def _shape_search_defaults() -> dict[str, Any]: ...  # ShapeSearchOptions's defaults under scalelaw.shapes's keywords

class PlannedRun:
    """One training run of a sweep plan: its shape, tokens, batch, steps and LR."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def run_id(self) -> str: ...
    @property
    def budget(self) -> float: ...  # 0 on an N x D grid
    @property
    def target_params(self) -> float: ...
    @property
    def count(self) -> ShapeCount: ...
    @property
    def convention(self) -> str: ...
    @property
    def flops_per_token(self) -> float: ...
    @property
    def tokens(self) -> float: ...
    @property
    def flops(self) -> float: ...
    @property
    def batch_sequences(self) -> int: ...
    @property
    def batch_tokens(self) -> int: ...
    @property
    def steps(self) -> int: ...
    @property
    def lr(self) -> float: ...
    @property
    def lr_law(self) -> str: ...
    @property
    def batch_law(self) -> str: ...
    @property
    def schedule(self) -> str: ...

class SweepPlan:
    """The runs of a sweep, ready to launch (scalelaw.sweep)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...  # not constructible from Python
    @property
    def status(self) -> str: ...  # "usable" or "no shape"
    @property
    def usable(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def grid(self) -> str: ...  # "isoflop" or "n x d"
    @property
    def runs(self) -> list[PlannedRun]: ...
    @property
    def notes(self) -> list[str]: ...
    @property
    def warnings(self) -> list[str]: ...
    def to_csv(self) -> str: ...
    def brief_report(self) -> str: ...
    def full_report(self) -> str: ...
    def to_frame(self) -> Any: ...  # attached in __init__.py: the CSV's table as a pandas DataFrame

# scalelaw.sweep's keywords by name (None where not given); fit a FitResult or IsoflopResult (or None).
def _sweep(options: dict[str, Any], fit: object) -> SweepPlan: ...
def _sweep_columns() -> list[str]: ...

# The charts of src/plot/analysis_charts.h (the CLI's --plot of ladder, design, validate, compare), each as
# {"title", "x": {"label", "log"}, "y": {...}, "series": [{"kind", "label", "color", "x", "y", "lower", "upper",
# "width", "dashed", "marker", "outlined", "opacity", "sets_range"}], "shade": {...} | None}.
def _ladder_charts(results: list[LadderResult]) -> list[dict[str, Any]]: ...  # task, step1, step2 per usable task
def _sweep_design_charts(result: SweepDesignResult) -> list[dict[str, Any]]: ...  # refits, design
def _validation_chart(json: str) -> dict[str, Any]: ...
def _recipe_chart(
    result: RecipeComparison,
    params: NDArray[np.float64] | None,
    tokens: NDArray[np.float64] | None,
    flops: NDArray[np.float64] | None,
    loss: NDArray[np.float64] | None,
    recipe: list[int],
) -> dict[str, Any]: ...
