"""Typed records of scalelaw's answers, built from the JSON the C++ core returns (the keys of the CLI's --json):
a Prediction per law (scalelaw.predict), an Allocation (scalelaw.allocate, FitResult.allocate), a Plan and its
PlanItems (scalelaw.plan), and the entries of the law registry (LawRecord), the input table (InputRecord) and the
model catalogue (ModelRecord).

Each record is a frozen dataclass with one attribute per field, and keeps the dict it was built from: record[key],
key in record, record.keys(), record.get(key), iteration and record.to_dict() read that dict, so code written
against the dicts these functions used to return keeps working.
"""

from __future__ import annotations

import copy
import importlib
import math
from collections.abc import Iterator, KeysView, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from ._scalelaw import ScheduleDesign

__all__ = ["Allocation", "InputRecord", "LawRecord", "ModelRecord", "Plan", "PlanItem", "Prediction", "TrainingConfiguration",
           "ValidationResult"]

# The keys of a prediction's JSON that describe it; every other key is a value (an output, or an input it used).
_PREDICTION_FIELDS = ("law", "citation", "skipped", "params_definition", "units", "notes", "warnings")


def _number(value: Any) -> float:
    """A JSON number as a float; null (a value that is not finite) as NaN."""
    return math.nan if value is None else float(value)


def _strings(data: Mapping[str, Any], key: str) -> list[str]:
    return [str(s) for s in data.get(key, [])]


class _Record:
    """The dict form behind a record: indexing, membership, keys(), get(), iteration and to_dict() read the JSON it
    was built from."""

    _data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise KeyError(f"{key!r}: this {type(self).__name__} has {', '.join(self._data)}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> KeysView[str]:
        return self._data.keys()

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """The record as the dict of the C++ core's JSON (a copy)."""
        return copy.deepcopy(self._data)


@dataclass(frozen=True)
class Prediction(_Record):
    """One law's answer (scalelaw.predict): values by key ("lr", "loss", "params", ..., with key_lo95 and key_hi95
    when the law has bootstrap resamples), or skipped with the reason when the law could not answer (law="all")."""

    law: str
    citation: str
    values: dict[str, float]
    notes: list[str]
    warnings: list[str]
    skipped: Optional[str]
    params_definition: str
    units: str
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> Prediction:
        values = {k: _number(v) for k, v in data.items() if k not in _PREDICTION_FIELDS}
        return cls(law=str(data["law"]), citation=str(data.get("citation", "")), values=values,
                   notes=_strings(data, "notes"), warnings=_strings(data, "warnings"),
                   skipped=None if data.get("skipped") is None else str(data["skipped"]),
                   params_definition=str(data.get("params_definition", "")), units=str(data.get("units", "")),
                   _data=dict(data))


@dataclass(frozen=True)
class Allocation(_Record):
    """Parameters and tokens for a budget or a target loss (scalelaw.allocate, FitResult.allocate): N = params,
    D = tokens, C = flops (FLOPs, C = 6ND), the expected loss and epochs over the unique tokens where the law gives
    them, the 95% bounds of a law with bootstrap resamples (None otherwise), and every value the law gave in values
    (inference-aware and dollar variants add inference_flops, saving_fraction, total_dollars, ...)."""

    params: float
    tokens: float
    flops: float
    tokens_per_param: float
    loss: Optional[float]
    epochs: Optional[float]
    params_lo95: Optional[float]
    params_hi95: Optional[float]
    tokens_lo95: Optional[float]
    tokens_hi95: Optional[float]
    loss_lo95: Optional[float]
    loss_hi95: Optional[float]
    values: dict[str, float]
    law: str
    citation: str
    params_definition: str
    units: str
    notes: list[str]
    warnings: list[str]
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_prediction(cls, p: Prediction) -> Allocation:
        v = p.values
        return cls(params=v.get("params", math.nan), tokens=v.get("tokens", math.nan), flops=v.get("flops", math.nan),
                   tokens_per_param=v.get("tokens_per_param", math.nan), loss=v.get("loss"), epochs=v.get("epochs"),
                   params_lo95=v.get("params_lo95"), params_hi95=v.get("params_hi95"),
                   tokens_lo95=v.get("tokens_lo95"), tokens_hi95=v.get("tokens_hi95"), loss_lo95=v.get("loss_lo95"),
                   loss_hi95=v.get("loss_hi95"), values=dict(v), law=p.law, citation=p.citation,
                   params_definition=p.params_definition, units=p.units, notes=list(p.notes),
                   warnings=list(p.warnings), _data=p.to_dict())


@dataclass(frozen=True)
class PlanItem:
    """One quantity of a plan: its value, the law it came from, and when several laws answer, every law's value
    (alternatives, in the plan's order) and their range (spread)."""

    key: str
    value: float
    law: str
    alternatives: list[tuple[str, float]]
    spread: Optional[tuple[float, float]]


@dataclass(frozen=True)
class TrainingConfiguration(_Record):
    """The run a plan hands a trainer (Plan.configuration): the shape nearest the law's N (shape, its exact params
    counts: total, non_embedding, non_vocabulary, ...; conventions: its FLOPs per token under every convention),
    the FLOPs per token under the allocation law's flop_convention, tokens = C / that, the batch in whole
    sequences, steps, the peak LR with its law and that law's schedule (a spec `scalelaw curve` reads; "" when the
    law states none), and with a curve fit given to plan(fit=...), designed_schedule: the schedule designed against
    it (a ScheduleDesign; None otherwise), which the plan favours."""

    shape: dict[str, Any]
    params: dict[str, float]
    conventions: list[dict[str, Any]]
    matched_on: str
    target: float
    flop_convention: str
    flops_per_token: float
    tokens: float
    seq_len: float
    batch_sequences: float
    batch_tokens: float
    steps: float
    peak_lr: float
    lr_law: str
    schedule: str
    designed_schedule: Optional[ScheduleDesign]
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, data: Mapping[str, Any],
                   designed_schedule: Optional[ScheduleDesign] = None) -> TrainingConfiguration:
        return cls(shape=dict(data["shape"]), params=dict(data["params"]),
                   conventions=[dict(c) for c in data["flops_per_token"]], matched_on=str(data["matched_on"]),
                   target=_number(data["target"]), flop_convention=str(data["flop_convention"]),
                   flops_per_token=_number(data["flops_per_token_used"]), tokens=_number(data["tokens"]),
                   seq_len=_number(data["seq_len"]), batch_sequences=_number(data["batch_sequences"]),
                   batch_tokens=_number(data["batch_tokens"]), steps=_number(data["steps"]),
                   peak_lr=_number(data["peak_lr"]), lr_law=str(data["lr_law"]), schedule=str(data["schedule"]),
                   designed_schedule=designed_schedule, _data=dict(data))


@dataclass(frozen=True)
class Plan(_Record):
    """A training recipe for a budget (scalelaw.plan): items (N, D, epochs, LR, batch, weight decay, vocabulary,
    loss, each a PlanItem with its source law), values (every number of the plan by key, the allocation's too),
    sources ({key: law}), the trainable configuration (a TrainingConfiguration, None when no shape fits the
    constraints near the law's N), notes and warnings."""

    flops: float
    items: list[PlanItem]
    values: dict[str, float]
    sources: dict[str, str]
    configuration: Optional[TrainingConfiguration]
    notes: list[str]
    warnings: list[str]
    _data: dict[str, Any] = field(repr=False, compare=False)

    def item(self, key: str) -> PlanItem:
        """The item of quantity key; KeyError naming the plan's quantities otherwise."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{key!r}: the plan has {', '.join(i.key for i in self.items)}")

    @classmethod
    def _from_json(cls, data: Mapping[str, Any], designed_schedule: Optional[ScheduleDesign] = None) -> Plan:
        sources = {str(k): str(v) for k, v in data.get("sources", {}).items()}
        alternatives = data.get("alternatives", {})
        spread = data.get("spread", {})
        items = [PlanItem(key=key, value=_number(data.get(key)), law=law,
                          alternatives=[(str(a["law"]), _number(a["value"])) for a in alternatives.get(key, [])],
                          spread=(_number(spread[key][0]), _number(spread[key][1])) if key in spread else None)
                 for key, law in sources.items()]
        values = {k: _number(v) for k, v in data.items()
                  if k not in ("sources", "spread", "alternatives", "configuration", "notes", "warnings")}
        configuration = (TrainingConfiguration._from_json(data["configuration"], designed_schedule)
                         if "configuration" in data else None)
        return cls(flops=_number(data.get("flops")), items=items, values=values, sources=sources,
                   configuration=configuration, notes=_strings(data, "notes"), warnings=_strings(data, "warnings"),
                   _data=dict(data))


@dataclass(frozen=True)
class LawRecord(_Record):
    """A published law of the registry (scalelaw.laws): what it predicts, its formula, constants, citation, the N
    it expects, the (N, D) range it was fitted on, its inputs and outputs, and its published test vector."""

    name: str
    family: str
    quantity: str
    quantity_key: str
    formula: str
    citation: str
    params_definition: str
    units: str
    range: dict[str, tuple[float, float]]
    confidence: str
    constants: dict[str, float]
    inputs: list[str]
    optional_inputs: list[str]
    outputs: list[str]
    example: dict[str, Any]
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> LawRecord:
        return cls(name=str(data["name"]), family=str(data["family"]), quantity=str(data["quantity"]),
                   quantity_key=str(data["quantity_key"]), formula=str(data["formula"]),
                   citation=str(data["citation"]), params_definition=str(data["params_definition"]),
                   units=str(data["units"]),
                   range={k: (_number(v[0]), _number(v[1])) for k, v in data.get("range", {}).items()},
                   confidence=str(data.get("confidence", "")),
                   constants={k: _number(v) for k, v in data.get("constants", {}).items()},
                   inputs=_strings(data, "inputs"), optional_inputs=_strings(data, "optional_inputs"),
                   outputs=_strings(data, "outputs"), example=copy.deepcopy(dict(data.get("example", {}))),
                   _data=dict(data))


@dataclass(frozen=True)
class InputRecord(_Record):
    """One input of the table every law reads from (scalelaw.inputs): its keyword, the CLI's option, the quantity,
    help and default (NaN: none)."""

    key: str
    option: str
    quantity: str
    help: str
    default: float
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> InputRecord:
        return cls(key=str(data["key"]), option=str(data["option"]), quantity=str(data["quantity"]),
                   help=str(data["help"]), default=_number(data["default"]), _data=dict(data))


@dataclass(frozen=True)
class ModelRecord(_Record):
    """A model form fit() accepts (scalelaw.models(details=True)): name, formula, parameters, the data it reads and
    a description with the paper it comes from."""

    name: str
    formula: str
    parameters: list[str]
    inputs: list[str]
    description: str
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> ModelRecord:
        return cls(name=str(data["name"]), formula=str(data["formula"]), parameters=_strings(data, "parameters"),
                   inputs=_strings(data, "inputs"), description=str(data["description"]), _data=dict(data))


def _numbers(rows: Any) -> list[dict[str, Any]]:
    """JSON rows with null (a value that is not finite) as NaN."""
    return [{k: (math.nan if v is None else v) for k, v in row.items()} for row in rows]


@dataclass(frozen=True)
class ValidationResult(_Record):
    """A leave-future-out validation (scalelaw.validate, `scalelaw validate --json`): for each threshold of split_by
    (C, N, D or a column) a fit on the runs below it (folds), every held-out run's prediction, relative error
    (predicted - observed) / observed, log error and extrapolation distance (its split_by / the threshold), and
    whether its loss lies in the fit's predictive interval at predictive_level (runs); the errors by distance band
    [2^k, 2^(k+1)) (by_distance); covered of with_interval held-out runs inside their interval (coverage). usable is
    False (status, message say why) when no threshold left enough runs to fit. to_frame("runs" | "folds" |
    "by_distance") gives a pandas DataFrame."""

    split_by: str
    predictive_level: float
    status: str
    message: str
    usable: bool
    coverage: float
    covered: int
    with_interval: int
    mean_abs_relative_error: float
    folds: list[dict[str, Any]]
    by_distance: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    _data: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def _from_json(cls, data: Mapping[str, Any]) -> ValidationResult:
        return cls(split_by=str(data["split_by"]), predictive_level=float(data["predictive_level"]),
                   status=str(data["status"]), message=str(data["message"]), usable=data["status"] == "usable",
                   coverage=_number(data.get("coverage")), covered=int(data["covered"]),
                   with_interval=int(data["with_interval"]),
                   mean_abs_relative_error=_number(data.get("mean_abs_relative_error")),
                   folds=_numbers(data["folds"]), by_distance=_numbers(data["by_distance"]),
                   runs=_numbers(data["runs"]), _data=dict(data))

    def to_frame(self, part: str = "runs") -> Any:
        """One part ("runs", "folds" or "by_distance") as a pandas DataFrame, one row per entry."""
        if part not in ("runs", "folds", "by_distance"):
            raise KeyError(f"{part!r}: expected 'runs', 'folds' or 'by_distance'")
        pandas = importlib.import_module("pandas")
        return pandas.DataFrame.from_records(getattr(self, part))
