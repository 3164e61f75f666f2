#!/usr/bin/python3
"""Side-by-side benchmark of the ladder-to-benchmark chain (issue 15) against a numpy/scipy implementation of the
same procedure (benchmarks/ladder_baseline.py), in one run, one after the other (never at once):

  baseline  the paper's step-1 (L-BFGS-B, analytic gradient) and step-2 (curve_fit) fits of the 8 OLMo tasks from
            its starts (the issue's "0.8 s in scipy"), and the same with --resamples joint bootstrap resamples
            refitted from the full data's optimum: seconds per fit, the files read beforehand;
  scalelaw  `scalelaw ladder --config final.json --bootstrap 1000 --threads 1`: the 8 tasks' fits and 1000
            resamples each (2 fits a resample), process wall time including reading the files.
Prints the seconds per fit of each and the ratios baseline / scalelaw (the issue's target: at least 100x per fit,
1000 resamples in a few seconds), and checks both give the paper's chained predictions.

Timings never fail: the exit status is 0 whatever the ratios (benchmarks are not tests).

Usage: /usr/bin/python3 benchmarks/ladder.py [--resamples K] [--threads T] [--scalelaw PATH]
"""
import argparse
import json
import os
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CONFIG = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "olmo-ladder", "final.json"))
PYTHON = "/usr/bin/python3"


def baseline(resamples):
    # scipy's L-BFGS-B (Fortran) prints warnings on stdout for some warm starts: the JSON is the last line.
    out = subprocess.run([PYTHON, os.path.join(HERE, "ladder_baseline.py"), "--bootstrap", str(resamples)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--resamples", type=int, default=20, help="baseline bootstrap resamples (per task)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="scalelaw bootstrap resamples (per task)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--scalelaw", default=os.path.join(REPO, "build", "bin", "scalelaw"))
    args = parser.parse_args()
    if not os.path.exists(CONFIG):
        print(f"SKIPPED: {CONFIG} is absent (published data are read from ../shared)")
        return
    cold = baseline(0)
    warm = baseline(args.resamples)
    begin = time.perf_counter()
    result = subprocess.run([args.scalelaw, "ladder", "--config", CONFIG, "--bootstrap", str(args.bootstrap),
                             "--threads", str(args.threads), "--json"], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - begin
    tasks = json.loads(result.stdout)
    fits = 2 * 8 * (args.bootstrap + 1)
    per_fit = seconds / fits
    cold_per_fit = cold["seconds"] / cold["fits"]
    warm_per_fit = (warm["seconds"] - cold["seconds"]) / (warm["fits"] - cold["fits"])
    print(f"baseline (numpy/scipy), 8 tasks' step-1 + step-2 fits from the paper's starts: {cold['seconds']:.3f} s, "
          f"{1e3 * cold_per_fit:.2f} ms per fit")
    print(f"baseline bootstrap refits ({args.resamples} resamples x 8 tasks, warm): {1e3 * warm_per_fit:.2f} ms per fit")
    print(f"scalelaw ladder --bootstrap {args.bootstrap} --threads {args.threads}: {seconds:.2f} s for {fits} fits, "
          f"{1e3 * per_fit:.3f} ms per fit")
    target = "PASS" if cold_per_fit / per_fit >= 100 else "MISS"
    print(f"ratio per fit: {cold_per_fit / per_fit:.1f}x against the baseline's fits ({target}: target >= 100x), "
          f"{warm_per_fit / per_fit:.1f}x against its warm bootstrap refits")
    print(f"scipy's 1000-resample bootstrap would take about {1000 * 16 * warm_per_fit:.0f} s on one core")
    ours = {t["task"]: t["chained_prediction"] for t in tasks}
    worst = max(abs(ours[t] - v["chained"]) for t, v in cold["tasks"].items())
    print(f"chained predictions: scalelaw and the baseline differ by at most {worst:.1e} over the 8 tasks")


if __name__ == "__main__":
    main()
