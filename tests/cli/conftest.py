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


# Statistical replications and long fits, marked @pytest.mark.heavy, run in stage 1 of scripts/test; the
# sanitizer stage (SCALELAW_SKIP_HEAVY=1, preset "sanitize") leaves them out: the same code paths run under ASan
# through the smaller tests, and these would take minutes each under it.
def pytest_configure(config):
    config.addinivalue_line("markers", "heavy: left out under the sanitizers (stage 1 runs it)")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("SCALELAW_SKIP_HEAVY") != "1":
        return
    skip = pytest.mark.skip(reason="heavy: run in stage 1, not under the sanitizers")
    for item in items:
        if "heavy" in item.keywords:
            item.add_marker(skip)
