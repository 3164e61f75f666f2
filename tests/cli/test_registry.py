"""Every law of the registry evaluated from the command line at its published test vector.

The records, their inputs and their vectors come from `scalelaw laws --json`; the options are the input table's
(`scalelaw laws --json` names each input by its key, and the CLI spells key k as --k with '-' for '_', except the
few listed in the input table: those options are read from `--help`). Each printed output must be reproduced to
its printed digits.
"""
import json
import re

import pytest

from test_published_laws import rounds_to

# The command that answers each quantity: the CLI's own names (a specification of the CLI, checked here).
COMMANDS = {"lr": "predict-lr", "batch": "predict-batch", "wd": "predict-wd", "vocab": "predict-vocab",
            "loss": "predict-loss", "allocation": "allocate", "downstream": "predict-downstream"}


def registry(scalelaw):
    r = scalelaw("laws", "--json")
    assert r.code == 0, r.err
    return r.json()["laws"]


def options_of(scalelaw, command):
    """The options a command's --help lists."""
    r = scalelaw(command, "--help")
    assert r.code == 0, r.err
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", r.out))


def option_for(key, options):
    """The CLI option of an input key: --key-with-dashes, or the one option whose name the help pairs with it."""
    dashed = "--" + key.replace("_", "-")
    if dashed in options:
        return dashed
    aliases = {"batch_tokens": "--batch", "vocab_approach": "--approach"}  # spelled otherwise in the input table
    return aliases[key]


def test_every_law_reproduces_its_test_vector_from_the_cli(scalelaw):
    laws = registry(scalelaw)
    assert len(laws) >= 31
    for law in laws:
        command = COMMANDS[law["quantity_key"]]
        options = options_of(scalelaw, command)
        args = [command, "--law", law["family"], "--json"]
        for key, value in law["example"]["inputs"].items():
            args += [option_for(key, options), repr(float(value))]
        for name, value in law["example"]["constants"].items():
            args += ["--constant", f"{name}={value!r}"]
        r = scalelaw(*args)
        assert r.code == 0, (law["name"], args, r.err)
        out = r.json()
        assert out["law"] == law["name"]
        for key, printed in law["example"]["outputs"].items():
            assert rounds_to(out[key], printed), (law["name"], key, out[key], printed)


def test_every_input_a_law_reads_is_an_option_of_its_command(scalelaw):
    for law in registry(scalelaw):
        options = options_of(scalelaw, COMMANDS[law["quantity_key"]])
        for key in law["inputs"] + law["optional_inputs"]:
            assert option_for(key, options) in options, (law["name"], key)


def test_a_law_without_published_constants_asks_for_them(scalelaw):
    r = scalelaw("predict-loss", "--law", "gadre", "--params", "1e9", "--tokens", "2e10")
    assert r.code == 2
    assert "publishes no value of its constant 'E'" in r.err
    r = scalelaw("predict-loss", "--law", "gadre", "--params", "1e9", "--tokens", "2e10", "--constant", "F=1")
    assert r.code == 2 and "has no constant 'F'" in r.err
