#!/usr/bin/python3
"""Side-by-side benchmark of scalelaw's Multi-Power Law fit against a numpy/scipy implementation (issue 14).

In one run, one after the other (never at once), for each model size of ../shared/data/multipower:
  scalelaw  benchmarks/curve_fit.cpp: FitCurveLaw on the 3 training curves (cosine_24000, constant_24000,
            wsdcon_9; ~440 logged points over 16k-24k steps) with its default starts, median wall time over
            --repeats fits, on --threads threads (default 1, so that both sides use one core);
  baseline  benchmarks/curve_fit_baseline.py: scipy.optimize.least_squares (trf, loss='huber', f_scale=1e-3, the
            same objective) with an analytic Jacobian and the exact double sum as numpy arrays, from the same
            starts scalelaw used (read from its output), wall time of all starts;
and prints the ratio baseline / scalelaw (target >= 50x, and scalelaw's fit of all starts under a second), the
objectives (scalelaw's must be <= the baseline's x 1.001), the test-set PredE/WorstE of scalelaw's fit, and the
time to predict the 546 logged points of the 72k-step cosine curve.

Timings never fail: the exit status is 0 whatever the ratios (benchmarks are not tests).

Usage:
    /usr/bin/python3 benchmarks/curve_fit.py [--sizes 25 100] [--repeats 5] [--threads 1] [--binary PATH]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
PYTHON = "/usr/bin/python3"  # Debian's interpreter, the one with numpy and scipy


def find_binary(explicit):
    """explicit, else build/bin/curve_fit (a build with -DSCALELAW_BUILD_BENCHMARKS=ON), else built in
    benchmarks/build from the current sources."""
    if explicit:
        return explicit
    candidate = os.path.join(REPO, "build", "bin", "curve_fit")
    if os.path.exists(candidate):
        return candidate
    build = os.path.join(HERE, "build")
    if not os.path.exists(os.path.join(build, "build.ninja")) and not os.path.exists(os.path.join(build, "Makefile")):
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.run(["cmake", "-S", HERE, "-B", build, *generator, "-DCMAKE_BUILD_TYPE=Release"], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", build, "--target", "curve_fit", "-j", "1"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(build, "bin", "curve_fit")


def run_json(argv):
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv[:2])} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 100])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--binary", default=None)
    args = parser.parse_args()
    if not os.path.exists(os.path.join(SHARED, "data", "multipower", "SOURCE.txt")):
        sys.exit(f"SKIPPED: {SHARED}/data/multipower is absent")
    binary = find_binary(args.binary)
    rows = []
    for size in args.sizes:
        ours = run_json([binary, SHARED, str(size), str(args.threads), str(args.repeats)])
        base = run_json([PYTHON, os.path.join(HERE, "curve_fit_baseline.py"), SHARED, str(size),
                         json.dumps(ours["starts"])])
        ratio = base["seconds"] / ours["seconds"]
        rows.append((size, ours, base, ratio))
        print(f"{size}M: scalelaw {ours['seconds']:.3f} s ({len(ours['starts'])} starts, {args.threads} thread(s)), "
              f"objective {ours['objective']:.6e}; baseline {base['seconds']:.1f} s, objective {base['objective']:.6e}; "
              f"ratio {ratio:.0f}x {'PASS' if ratio >= 50 else 'MISS'} (target >= 50x); "
              f"under 1 s: {'PASS' if ours['seconds'] < 1 else 'MISS'}; "
              f"objective <= baseline x 1.001: {'yes' if ours['objective'] <= base['objective'] * 1.001 else 'NO'}")
        print(f"     test PredE {ours['test_pred_e']:.5f} WorstE {ours['test_worst_e']:.5f}; predicting the "
              f"{ours['predict_points']} points of cosine_72000: {ours['predict_72k_seconds'] * 1e3:.2f} ms")
    try:
        load = os.getloadavg()[0]
        print(f"load average while running: {load:.2f} (2 cores; timings under load are slower on both sides)")
    except OSError:
        pass


if __name__ == "__main__":
    main()
