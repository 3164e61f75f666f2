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
#   - FitResult.predict, to_dict, allocate and __repr__, which python/scalelaw/__init__.py attaches in Python
#     (stubgen prints them as `ClassVar[function]`): copy their signatures from __init__.py.
# Check with
#   MYPYPATH=python PYTHONPATH=build/python /usr/bin/python3 -m mypy.stubtest scalelaw._scalelaw
# (or: /usr/bin/python3 -m pytest tests/python/test_stubs.py).

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

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
    def estimator(self) -> str: ...
    @property
    def huber_delta(self) -> float: ...
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
    def converged(self) -> bool: ...
    @property
    def message(self) -> str: ...
    @property
    def wall_seconds(self) -> float: ...
    def brief_report(self) -> str: ...
    def to_json(self) -> str: ...
    def _predict(self, arg0: NDArray[np.float64], arg1: NDArray[np.float64], /) -> float | NDArray[np.float64]: ...
    def _predict_at(self, arg0: Mapping[str, float], /) -> float: ...
    # Attached by scalelaw/__init__.py:
    def predict(
        self, params: ArrayLike | None = None, tokens: ArrayLike | None = None, **inputs: ArrayLike
    ) -> float | NDArray[np.float64]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def allocate(
        self, flops: float | None = None, *, target_loss: float | None = None, inference_tokens: float | None = None
    ) -> dict[str, Any]: ...

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
def _fit_from_json(arg0: str, /) -> FitResult: ...
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
) -> str: ...
def _isoflop_json(
    params: NDArray[np.float64],
    tokens: NDArray[np.float64] | None,
    flops: NDArray[np.float64] | None,
    loss: NDArray[np.float64],
    budget_tolerance: float,
    min_sizes: int,
    bootstrap: int,
    seed: int,
    threads: int,
) -> str: ...
def _law_json(arg0: str, /) -> str: ...
def _laws_json() -> str: ...
def _model_catalogue() -> list[dict[str, Any]]: ...  # name, formula, description: str; parameters, inputs: list[str]
def _plan_json(inputs: Mapping[str, float], law: str, fit: FitResult | None) -> str: ...
def _predict_json(
    quantity: str, law: str, inputs: Mapping[str, float], fit: FitResult | None, constants: Mapping[str, float]
) -> str: ...
def _predict_bulk(
    quantity: str,
    law: str,
    columns: Mapping[str, NDArray[np.float64]],
    fixed: Mapping[str, float],
    fit: FitResult | None,
    constants: Mapping[str, float],
) -> list[dict[str, Any]]: ...  # law, citation, outputs {key: array}, notes, warnings (or skipped)
def _inputs() -> list[dict[str, Any]]: ...  # key, option, quantity, help: str; default: float
def _transfer_lr(
    arg0: ArrayLike, arg1: ArrayLike, arg2: ArrayLike, arg3: float, /
) -> float | NDArray[np.float64]: ...
