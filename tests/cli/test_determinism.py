"""Same seed, same bytes: the bootstrap and random (Latin-hypercube) starts give identical --json output for
any --threads value and across runs. Only timing fields (wall_seconds) may differ; they are found in the
parsed JSON, checked to be timing, and cut out of the raw text, which is then compared byte for byte."""
import json
import re

import pytest

from conftest import EXAMPLE_RUNS

# Keys whose values are measured times, not results.
TIMING_KEY = re.compile(r"(^|_)(seconds|time|elapsed)$")


def timing_keys(value):
    """The timing keys anywhere in a parsed JSON value."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if TIMING_KEY.search(key):
                assert isinstance(item, (int, float)), (key, item)
                found.add(key)
            else:
                found |= timing_keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= timing_keys(item)
    return found


def without_timing(result):
    """stdout with the value of every timing key replaced, after checking it is one JSON object."""
    assert result.code == 0, (result.code, result.err)
    keys = timing_keys(result.json())
    text = result.out
    for key in keys:
        text, count = re.subn(r'("%s"\s*:\s*)-?[0-9][0-9.eE+-]*' % re.escape(key), r"\g<1>0", text)
        assert count >= 1, key
    return text


def run(scalelaw, *args):
    return scalelaw("fit", EXAMPLE_RUNS, "--json", *args)


@pytest.mark.parametrize("args", [
    ["--bootstrap", "200", "--seed", "7"],
    ["--starts", "lhs:64", "--seed", "3"],
], ids=["bootstrap", "lhs-starts"])
def test_same_seed_same_bytes_for_any_thread_count(scalelaw, args):
    one = run(scalelaw, *args, "--threads", "1")
    two = run(scalelaw, *args, "--threads", "2")
    again = run(scalelaw, *args, "--threads", "2")
    assert without_timing(one) == without_timing(two)
    assert without_timing(two) == without_timing(again)
    assert one.err == two.err == again.err


def test_wall_time_is_the_only_field_left_out(scalelaw):
    keys = timing_keys(run(scalelaw, "--starts", "lhs:8", "--seed", "3").json())
    assert keys == {"wall_seconds"}


def test_the_seed_matters(scalelaw):
    """Guards the tests above against a seed that is ignored (identical output for every seed)."""
    bootstrap = [run(scalelaw, "--bootstrap", "20", "--seed", seed, "--threads", "2").json() for seed in ("7", "8")]
    assert bootstrap[0]["bootstrap"]["draws"] != bootstrap[1]["bootstrap"]["draws"]
    assert bootstrap[0]["params"] == bootstrap[1]["params"]  # the point fit does not depend on the seed
    starts = [run(scalelaw, "--starts", "lhs:8", "--seed", seed).json() for seed in ("3", "4")]
    assert starts[0]["internal_params"] != starts[1]["internal_params"] or \
        starts[0]["starts"] != starts[1]["starts"] or starts[0]["iterations"] != starts[1]["iterations"]
