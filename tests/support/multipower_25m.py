"""The Multi-Power Law paper's 25M-model training logs (Luo et al. 2025, arXiv:2503.12811; ../shared/data/multipower,
SOURCE.txt) as the curve-fit tests of the CLI and of the Python package read them: the training and test runs, each
run's exact per-step LR schedule as a schedule spec, and the facts table that gives it to `scalelaw curve fit`
and scalelaw.read_curves. Published data are read from ../shared (SCALELAW_SHARED_DIR), never copied."""
import csv
import os

import pytest

SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
MULTIPOWER_25 = os.path.join(SHARED_DIR, "data", "multipower", "csv_25")
TRAIN = ["cosine_24000", "constant_24000", "wsdcon_9"]
TEST = ["constant_72000", "cosine_72000", "wsd_20000_24000", "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"]
WARMUP = "warmup=2160"
# The exact per-step schedules of SOURCE.txt, as schedule specs.
SCHEDULES = {
    "constant_24000": "constant:peak=3e-4,steps=24000," + WARMUP,
    "constant_72000": "constant:peak=3e-4,steps=72000," + WARMUP,
    "cosine_24000": "cosine:peak=3e-4,end=3e-5,steps=24000," + WARMUP,
    "cosine_72000": "cosine:peak=3e-4,end=3e-5,steps=72000," + WARMUP,
    "wsd_20000_24000": "wsd:peak=3e-4,end=3e-5,steps=24000,decay_start=20000,shape=exp," + WARMUP,
    "wsdld_20000_24000": "wsd:peak=3e-4,end=3e-5,steps=24000,decay_start=20000,shape=linear," + WARMUP,
    **{f"wsdcon_{k}": f"steps:peak=3e-4,steps=16000,stages=8000@{k}e-5," + WARMUP for k in (3, 9, 18)},
}


def log(name):
    """The path of a run's log."""
    return os.path.join(MULTIPOWER_25, name + ".csv")


def write_facts(directory):
    """A facts table (run, schedule) of every run in directory, its path; skips the test when the logs are
    absent."""
    if not os.path.isdir(MULTIPOWER_25):
        pytest.skip(f"SKIPPED: {MULTIPOWER_25} is absent (published data are read from ../shared, never copied)")
    path = directory / "facts.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["run", "schedule"])
        writer.writerows(SCHEDULES.items())
    return path
