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

import numpy as _np

from . import _scalelaw
from ._scalelaw import Error, FitResult, InputError, InvalidArgument, __version__

__all__ = ["Error", "FitResult", "InputError", "InvalidArgument", "__version__", "allocate", "fit", "load_fit",
           "models"]


def _column(values, name):
    array = _np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise InvalidArgument(f"{name} must be one-dimensional, got shape {array.shape}")
    return _np.ascontiguousarray(array)


def fit(params, tokens, loss, *, model="chinchilla", estimator="objective", huber_delta=1e-3, weights=None,
        threads=0, drop_highest=0) -> FitResult:
    """Fit a scaling law to training runs.

    params, tokens, loss: one value per run (lists or numpy arrays): N, D and the final loss in nats/token.
    estimator: "objective" (summed Huber on log residuals, multi-start L-BFGS over the Epoch grid) or "mle"
    (Huber likelihood with a free scale, the Epoch AI replication's point estimate).
    drop_highest: drop this many highest-loss runs first (the replication drops 5).
    The GIL is released while the fit runs. Returns a FitResult; check .converged before using it.
    """
    columns = [_column(params, "params"), _column(tokens, "tokens"), _column(loss, "loss")]
    w = None if weights is None else _column(weights, "weights")
    return _scalelaw._fit(*columns, w, model, estimator, float(huber_delta), int(threads), int(drop_highest))


def _predict(self, params, tokens):
    """The fitted law's loss at N = params, D = tokens (scalars or arrays, broadcast like numpy)."""
    out = self._predict(_np.asarray(params, dtype=float), _np.asarray(tokens, dtype=float))
    return float(out) if _np.ndim(out) == 0 else out


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
FitResult.allocate = lambda self, flops: self._allocate(float(flops))
FitResult.allocate.__doc__ = "Compute-optimal N and D for a budget of flops FLOPs (C = 6ND) under this fit."


def allocate(flops, *, law="epoch", fit=None) -> dict:
    """Compute-optimal parameters and tokens for a budget of flops FLOPs (C = 6ND).

    law: a published constant set ("chinchilla", "chinchilla-unrounded", "epoch"), or fit: a FitResult.
    """
    if fit is not None:
        return fit.allocate(flops)
    return _scalelaw._allocate_law(law, float(flops))


def load_fit(text_or_dict) -> FitResult:
    """A FitResult from the JSON that `scalelaw fit --output` writes (a string or a dict)."""
    text = text_or_dict if isinstance(text_or_dict, str) else _json.dumps(text_or_dict)
    return _scalelaw._fit_from_json(text)


def models() -> list:
    """Names of the model forms fit() accepts."""
    return list(_scalelaw._model_names())
