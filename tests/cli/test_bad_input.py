"""Every input a user can get wrong: exit 2 with one line on stderr that names the file, line and column;
a fit that runs but cannot be used: exit 1. Never a crash, a hang or a NaN."""
import json

import pytest

from conftest import EXAMPLE_RUNS

HEADER = "params,tokens,loss\n"


def write(tmp_path, text, name="runs.csv", mode="w"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


def assert_usage_error(result, *fragments):
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("scalelaw: error: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "nan" not in result.out.lower()


@pytest.mark.parametrize("body, fragments", [
    ("", ["the file is empty"]),
    (HEADER, ["a header but no runs"]),
    ("params,tokens\n1e8,1e9\n", ["line 1, column 'loss'", "missing column"]),
    ("params;tokens;loss\n1e8;1e9;3\n", ["column 'params'", "missing column"]),
    ("params,tokens,loss,loss\n1e8,1e9,3,3\n", ["column 'loss'", "more than once"]),
    (HEADER + "1e8,1e9,3\n1e8,1e9\n", ["line 3", "fewer cells"]),
    (HEADER + "1e8,1e9,3,7\n", ["line 2", "more cells"]),
    (HEADER + "1e8,1e9,abc\n", ["line 2, column 'loss'", "expected a number, got 'abc'"]),
    (HEADER + "1e8,1e9,nan\n", ["line 2, column 'loss'", "NaN"]),
    (HEADER + "1e8,inf,3\n", ["line 2, column 'tokens'", "infinity"]),
    (HEADER + "-1e8,1e9,3\n", ["line 2, column 'params'", "positive"]),
    (HEADER + "1e8,1e9,0\n", ["line 2, column 'loss'", "positive"]),
    (HEADER + "1e8,1e9,\n", ["line 2, column 'loss'", "empty cell"]),
    (HEADER + "1e8,1e999,3\n", ["line 2, column 'tokens'", "out of the range"]),
])
def test_bad_csv(scalelaw, tmp_path, body, fragments):
    path = write(tmp_path, body)
    assert_usage_error(scalelaw("fit", path), path, *fragments)


def test_binary_garbage(scalelaw, tmp_path):
    path = write(tmp_path, bytes(range(256)) * 8, mode="wb")
    assert_usage_error(scalelaw("fit", path), path)


def test_unreadable_paths(scalelaw, tmp_path):
    assert_usage_error(scalelaw("fit", tmp_path / "missing.csv"), "missing.csv", "cannot open")
    assert_usage_error(scalelaw("fit", tmp_path), str(tmp_path), "is a directory")


def test_fewer_runs_than_parameters(scalelaw, tmp_path):
    path = write(tmp_path, HEADER + "1e8,1e9,3.1\n2e8,2e9,2.9\n4e8,4e9,2.7\n8e8,8e9,2.6\n")
    assert_usage_error(scalelaw("fit", path), "4 runs cannot determine the 5 parameters")


def test_one_model_size_is_not_identifiable(scalelaw, tmp_path):
    rows = "".join(f"1e8,{d},{3.5 - 0.1 * k}\n" for k, d in enumerate([1e9, 2e9, 4e9, 8e9, 16e9, 32e9]))
    path = write(tmp_path, HEADER + rows)
    r = scalelaw("fit", path, "--json")
    assert r.code == 1
    out = r.json()
    assert out["converged"] is False
    assert "not identifiable" in out["message"]
    assert "not identifiable" in r.err


@pytest.mark.parametrize("args, fragments", [
    (["fit", EXAMPLE_RUNS, "--model", "chinchila"], ["unknown model 'chinchila'", "known: chinchilla"]),
    (["fit", EXAMPLE_RUNS, "--estimator", "ols"], ["--estimator"]),
    (["fit", EXAMPLE_RUNS, "--huber-delta", "nan"], ["--huber-delta", "positive finite"]),
    (["fit", EXAMPLE_RUNS, "--huber-delta", "-1"], ["--huber-delta"]),
    (["fit", EXAMPLE_RUNS, "--threads", "-1"], ["--threads"]),
    (["fit", EXAMPLE_RUNS, "--drop-highest", "x"], ["--drop-highest"]),
    (["fit", EXAMPLE_RUNS, "--drop-highest", "48"], ["cannot drop 48"]),
    (["fit", EXAMPLE_RUNS, "--tokens-col", "tokens", "--flops-col", "flops"], ["excludes"]),
    (["fit", EXAMPLE_RUNS, "--bogus"], ["--bogus"]),
    (["fit"], ["file"]),
    (["allocate", "--law", "epoch", "--flops", "abc"], ["--flops", "'abc' is not a number"]),
    (["allocate", "--law", "epoch", "--flops", "0"], ["--flops", "positive"]),
    (["allocate", "--law", "epoch", "--flops", "-1e308"], ["--flops", "-1e308"]),
    (["allocate", "--law", "epoch", "--flops", "inf"], ["--flops"]),
    (["allocate", "--law", "kaplan-typo", "--flops", "1e21"], ["no allocation law 'kaplan-typo'", "known: chinchilla"]),
    (["allocate", "--law", "epoch", "--json"], ["--flops C or --target-loss L"]),
    (["allocate", "--law", "epoch"], ["--flops"]),
    ([], ["subcommand"]),
])
def test_bad_command_lines(scalelaw, args, fragments):
    assert_usage_error(scalelaw(*args), *fragments)


def test_bad_fit_files(scalelaw, tmp_path):
    assert_usage_error(scalelaw("allocate", "--fit", tmp_path / "none.json", "--flops", "1e21"), "none.json")
    path = write(tmp_path, "{broken", "fit.json")
    assert_usage_error(scalelaw("allocate", "--fit", path, "--flops", "1e21"), path, "not valid JSON")
    path = write(tmp_path, json.dumps({"model": "chinchilla", "params": {"E": 1.7}}), "partial.json")
    assert_usage_error(scalelaw("allocate", "--fit", path, "--flops", "1e21"), "params.A")


def test_no_number_is_printed_with_300_digits(scalelaw):
    r = scalelaw("allocate", "--law", "epoch", "--flops", "1e308")
    assert len(r.err) < 400 and len(r.out) < 2000
