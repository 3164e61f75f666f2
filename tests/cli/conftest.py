import json
import os
import subprocess

import pytest

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
EXAMPLE_RUNS = os.path.join(SOURCE_DIR, "data", "example_runs.csv")
CHINCHILLA_RUNS = os.path.join(SHARED_DIR, "data", "chinchilla", "svg_extracted_data.csv")


class Result:
    def __init__(self, completed):
        self.code = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self):
        lines = [line for line in self.out.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected exactly one JSON line on stdout, got {self.out!r}"
        return json.loads(lines[0])


@pytest.fixture
def scalelaw():
    binary = os.environ.get("SCALELAW_CLI")
    if not binary:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")

    def run(*args, stdin=None):
        completed = subprocess.run([binary, *map(str, args)], input=stdin, capture_output=True, text=True,
                                   timeout=300)
        return Result(completed)

    return run


@pytest.fixture
def chinchilla_runs():
    if not os.path.exists(CHINCHILLA_RUNS):
        pytest.skip(f"SKIPPED: {CHINCHILLA_RUNS} is absent (published data are read from ../shared, never copied)")
    return CHINCHILLA_RUNS
