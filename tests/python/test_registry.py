"""Every law of the registry evaluated from Python at its published test vector, by the keyword names of the
input table (scalelaw.inputs()); each printed output must be reproduced to its printed digits."""
import numpy as np
import pytest

import scalelaw


def rounds_to(value, printed):
    mantissa, _, exponent = printed.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    unit = 10.0 ** ((int(exponent) if exponent else 0) - decimals)
    return abs(value - float(printed)) <= 0.5 * unit * (1 + 1e-9)


def test_every_law_reproduces_its_test_vector_from_python():
    laws = scalelaw.laws()
    assert len(laws) >= 31
    keys = {entry.key for entry in scalelaw.inputs()}
    for law in laws:
        example = law["example"]
        assert set(example["inputs"]) <= keys
        [p] = scalelaw.predict(law["quantity_key"], law=law["family"], constants=example["constants"],
                               **example["inputs"])
        assert p.law == law.name
        for key, printed in example["outputs"].items():
            assert rounds_to(p[key], printed), (law["name"], key, p[key], printed)


def test_every_law_evaluates_in_bulk_as_at_one_point():
    """The bulk path (one C++ call over arrays) gives, at each point, what the one-point path gives."""
    for law in scalelaw.laws():
        example = law["example"]
        [one] = scalelaw.predict(law["quantity_key"], law=law["family"], constants=example["constants"],
                                 **example["inputs"])
        columns = {k: np.array([v, v]) for k, v in example["inputs"].items()}
        [bulk] = scalelaw._scalelaw._predict_bulk(law["quantity_key"], law["family"], columns, {}, None,
                                                  {k: float(v) for k, v in example["constants"].items()})
        for key in example["outputs"]:
            assert bulk["outputs"][key].tolist() == [one[key], one[key]], (law["name"], key)


def test_inputs_are_named_as_python_spells_them():
    with pytest.raises(scalelaw.InvalidArgument, match=r"law 'bjorck' needs lr=, reference_tokens= and tokens="):
        scalelaw.predict("lr", law="bjorck")
    with pytest.raises(scalelaw.InvalidArgument, match="unknown input 'parms'"):
        scalelaw.predict("lr", law="step", parms=1e9, tokens=1e10)
