#!/usr/bin/python3
"""Side-by-side benchmark of scalelaw against the Python method it replaces (issue 5, docs/performance.md).

One command runs, in the same run and one after another (never two at once), the baseline
../shared/bench/peer_fit_chinchilla.py (numpy + scipy, `--mode analytic --bootstrap 4000`) and scalelaw on the
same 240 Chinchilla runs (Besiroglu et al. 2024's 245 digitised runs, the 5 highest losses dropped), and prints
the ratios baseline time / scalelaw time, as medians over repeats:

  fit         baseline's analytic-gradient L-BFGS-B from the 4500-point Epoch grid (its internal wall_s) vs
              `scalelaw fit` with its default starts (the fit's internal wall_seconds; the output names the
              strategy); scalelaw's objective must be <= the baseline's + 1e-12.
  bootstrap   baseline's 4000 BFGS refits from Hoffmann et al.'s parameters (internal wall_s) vs `scalelaw fit
              --bootstrap 4000` started from the same single point (Hoffmann et al.'s parameters) so that its
              wall_seconds is one fit plus the 4000 resamples; standard errors must agree to 10%.
  predict-lr  end-to-end process wall time of `scalelaw predict-lr --params 7e9 --tokens 2e12` (the Step Law,
              the CLI's default) vs `/usr/bin/python3 -c "import numpy as np; print(...)"` computing the same
              number.
  both 4500-pt grid (information only)  the same, with `scalelaw fit --starts grid`: the baseline's starts.
  grid + bootstrap (information only)  the one command a user runs, `scalelaw fit --bootstrap 4000`, vs the
              sum of the baseline's two internal times.
  formula vs hand-derived  not against the baseline: `scalelaw fit --formula "E + A/N^alpha + B/D^beta"` vs
              `scalelaw fit --model chinchilla` on the same runs (written to a temporary N, D, loss CSV), both
              `--starts grid` from the 4500 points of the Epoch grid in natural parameters; ratio = formula time /
              hand-derived time (lower is faster), target <= 2x; and, for information, one evaluation of each
              (log predictions and Jacobian over the 240 runs, benchmarks/formula_evaluation.cpp).

Then the scaling benchmark (benchmarks/fit_scaling.cpp): single-start fit time and peak memory at 1e3 ... 1e6
synthetic runs, one fresh process per size, with the log-log exponent of time against n.

Timings never fail: the exit status is 0 whatever the ratios (benchmarks are not tests); PASS/MISS is printed
per target. Results also go to benchmarks/results/latest.json (git-ignored; docs/performance.md keeps a copy
of the numbers that matter).

Usage:
    /usr/bin/python3 benchmarks/run.py [--repeats K] [--scalelaw PATH] [--skip-scaling]
"""
import argparse
import atexit
import csv
import datetime
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
DEFAULT_BASELINE = os.path.join(SHARED, "bench", "peer_fit_chinchilla.py")
DEFAULT_DATA = os.path.join(SHARED, "data", "chinchilla", "svg_extracted_data.csv")
PYTHON = "/usr/bin/python3"  # Debian's interpreter, the one with numpy and scipy

# How scalelaw reads the Epoch CSV so that it fits the baseline's 240 runs: D = FLOP / (6 N), the 5 highest
# losses dropped (tests/golden/epoch_replication_test.cpp, tests/cli/test_fit_allocate.py).
EPOCH_COLUMNS = ["--params-col", "Model Size", "--flops-col", "Training FLOP", "--drop-highest", "5"]
# Hoffmann et al. 2022's parameters, the baseline's bootstrap start (exp of its HOFFMANN_LOG).
HOFFMANN_START = ["--grid", "A=406.4", "--grid", "B=410.7", "--grid", "E=1.69", "--grid", "alpha=0.34",
                  "--grid", "beta=0.28"]
HOFFMANN_LOG = [6.0073404, 6.0179186, 0.5267228, 0.33917084, 0.2849083]
PARAMS = ["A", "B", "E", "alpha", "beta"]

# predict-lr: the CLI's default law for predict-lr is the Step Law (Li et al. 2025), eta = 1.79 N^-0.713 D^0.307
# (include/scalelaw/laws/step_law.h, StepLaw's defaults).
PREDICT_ARGS = ["predict-lr", "--params", "7e9", "--tokens", "2e12"]
NUMPY_ONE_LINER = "import numpy as np; print(1.79 * np.power(7e9, -0.713) * np.power(2e12, 0.307))"

TARGETS = {"grid": 100.0, "bootstrap": 50.0, "predict_lr": 10.0}

# The formula row: Chinchilla's law spelled out as a formula against the hand-derived form (log-sum-exp with an
# analytic gradient, src/fit/models/chinchilla_model.cpp), both from the Epoch grid (Besiroglu et al. 2024:
# alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}) given as natural parameters
# E = e^e, A = e^a, B = e^b. The formula form moves the natural parameters and the hand-derived one (a, b, e), so
# from the same points the two optimisers take different paths: the per-evaluation line separates the cost of
# evaluating from that.
FORMULA = "E + A/N^alpha + B/D^beta"
EPOCH_GRID = ["--grid", "E=" + ",".join(repr(math.exp(-1 + 0.5 * k)) for k in range(5)),
              "--grid", "A=" + ",".join(repr(math.exp(5.0 * k)) for k in range(6)),
              "--grid", "B=" + ",".join(repr(math.exp(5.0 * k)) for k in range(6)),
              "--grid", "alpha=0,0.5,1,1.5,2", "--grid", "beta=0,0.5,1,1.5,2"]
FORMULA_TARGET = 2.0  # formula time / hand-derived time, at most
FORMULA_OBJECTIVE_TOLERANCE = 1e-6  # relative difference of the two fits' objectives, at most
SCALING_SIZES = [1000, 10000, 100000, 1000000]
SCALING_EXPONENT_TARGET = 1.1
MEMORY_MULTIPLIER_TARGET = 3.0
OBJECTIVE_SLACK = 1e-12
SE_TOLERANCE = 0.10


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def cpu_busy(seconds=1.0):
    """Fraction of the machine's CPU time that was not idle over the next `seconds` (from /proc/stat)."""
    def sample():
        with open("/proc/stat") as fh:
            values = [int(v) for v in fh.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return sum(values), idle
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return float("nan")
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


class OtherLoad:
    """CPU time other processes used while a stretch of this benchmark ran, as a fraction of the machine:
    (busy time of every CPU in /proc/stat - CPU time of this process and its children) / (cores x wall)."""

    def __init__(self):
        self.start = self._sample()

    @staticmethod
    def _sample():
        try:
            with open("/proc/stat") as fh:
                values = [int(v) for v in fh.readline().split()[1:]]
            busy = (sum(values) - values[3] - (values[4] if len(values) > 4 else 0)) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            busy = float("nan")
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
        return time.monotonic(), busy, ours

    def fraction(self):
        t1, busy1, ours1 = self._sample()
        t0, busy0, ours0 = self.start
        wall = max(t1 - t0, 1e-9)
        return max(0.0, ((busy1 - busy0) - (ours1 - ours0)) / ((os.cpu_count() or 1) * wall))


def wait_for_quiet(max_seconds, threshold):
    """Samples how busy the machine is before a repeat; waits (up to max_seconds) while other work uses more
    than `threshold` of it. Returns the last measured fraction."""
    deadline = time.monotonic() + max_seconds
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        log(f"  machine {busy:.0%} busy with other work; waiting ...")
        time.sleep(4)
        busy = cpu_busy()
    return busy


def run_process(argv, capture=True, env=None):
    """Runs argv to completion; returns (stdout, stderr, returncode, wall seconds, child CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                          stderr=subprocess.PIPE if capture else subprocess.DEVNULL, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done.stdout, done.stderr, done.returncode, wall, cpu


def snapshot(binary, directory, check_args=("--version",)):
    """Copies binary into directory and returns the copy: the lead rebuilds build/bin now and then, and a
    rebuild in the middle of a run must neither break it nor mix two builds. Retries while the file is being
    written (a copy that cannot run with check_args, or a file that cannot be read)."""
    target = os.path.join(directory, os.path.basename(binary))
    for attempt in range(30):
        try:
            shutil.copy2(binary, target)
            done = subprocess.run([target, *check_args], capture_output=True, text=True, timeout=60)
            if done.returncode == 0:
                return target
        except (OSError, subprocess.SubprocessError):
            pass
        log(f"  {binary} is not usable yet (being rebuilt?); retrying in 10 s ...")
        time.sleep(10)
    raise RuntimeError(f"{binary} could not be copied and run")


def run_json(argv, what):
    out, err, code, wall, cpu = run_process(argv)
    lines = [line for line in (out or "").splitlines() if line.strip().startswith("{")]
    if not lines:
        raise RuntimeError(f"{what}: no JSON on stdout (exit {code}); stderr:\n{err}")
    return json.loads(lines[-1]), wall, cpu, code


def median(values):
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(values) if values else float("nan")


def loglog_slope(xs, ys):
    """Least-squares slope and intercept of log y against log x."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    sxx = sum((x - mx) ** 2 for x in lx)
    slope = sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / sxx
    return slope, my - slope * mx


def linear_fit(xs, ys):
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return slope, my - slope * mx


def git_state():
    try:
        commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip() != ""
        return {"commit": commit, "dirty": dirty}
    except OSError:
        return {"commit": None, "dirty": None}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# ------------------------------------------------------------------------------------------ the four rows
def baseline_once(args):
    argv = [PYTHON, args.baseline, "--data", args.data, "--mode", "analytic", "--bootstrap",
            str(args.bootstrap)]
    out, wall, cpu, code = run_json(argv, "baseline")
    if code != 0:
        raise RuntimeError(f"baseline exited with {code}")
    fit = out["fits"]["analytic"]
    boot = out["bootstrap"]
    return {"grid_seconds": fit["wall_s"], "objective": fit["objective"], "params": fit["params"],
            "n_fit": out["n_fit"], "n_starts": fit["n_starts"], "bootstrap_seconds": boot["wall_s"],
            "bootstrap_n": boot["n"], "se": boot["sd"], "se_a": boot["a_exponent"]["sd"],
            "process_seconds": wall, "process_cpu_seconds": cpu}


def scalelaw_fit(args, extra, what, data=None):
    """One `scalelaw fit`; data is the file and its column options (default: the Epoch CSV, EPOCH_COLUMNS)."""
    argv = [args.scalelaw, "fit", *(data or [args.data, *EPOCH_COLUMNS]), *extra, "--json"]
    if args.threads is not None:
        argv += ["--threads", str(args.threads)]
    other = OtherLoad()
    out, wall, cpu, code = run_json(argv, what)
    other_load = other.fraction()
    if code != 0:
        log(f"  warning: {what} exited with {code}: {out.get('message')}")
    bootstrap = out.get("bootstrap") or {}
    return {"seconds": out["wall_seconds"], "objective": out["objective"], "params": out["params"],
            "n_points": out["n_points"], "n_starts": out["starts"]["total"], "converged": out["converged"],
            "iterations": out.get("iterations"),
            "strategy": out["starts"].get("strategy", "grid"),
            "se": out.get("se", {}), "bootstrap": bootstrap.get("resamples", 0),
            "bootstrap_failed": bootstrap.get("failed"), "process_seconds": wall, "process_cpu_seconds": cpu,
            "other_load": other_load}


def predict_lr_once(args):
    """Median process wall time of each side over args.predict_runs alternating invocations."""
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    other = OtherLoad()
    for _ in range(args.predict_runs):
        _, _, code, wall, cpu = run_process([args.scalelaw, *PREDICT_ARGS], capture=False)
        if code != 0:
            raise RuntimeError(f"scalelaw predict-lr exited with {code}")
        ours.append(wall)
        ours_cpu.append(cpu)
        _, _, code, wall, cpu = run_process([PYTHON, "-c", NUMPY_ONE_LINER], capture=False)
        if code != 0:
            raise RuntimeError(f"the numpy one-liner exited with {code}")
        theirs.append(wall)
        theirs_cpu.append(cpu)
    return {"scalelaw_seconds": median(ours), "baseline_seconds": median(theirs),
            "scalelaw_cpu_seconds": median(ours_cpu), "baseline_cpu_seconds": median(theirs_cpu),
            "runs": args.predict_runs, "other_load": other.fraction()}


def predict_lr_values(args):
    out, _, _, _ = run_json([args.scalelaw, *PREDICT_ARGS, "--json"], "scalelaw predict-lr --json")
    printed, _, code, _, _ = run_process([PYTHON, "-c", NUMPY_ONE_LINER])
    return out["lr"], float(printed.strip()), out.get("law")


def write_runs_csv(path, directory):
    """The Epoch CSV as N, D = C/(6N) (as scalelaw's --flops-col computes it), loss: columns a formula can name.
    Every run is kept; both sides of the formula row drop the 5 highest losses themselves."""
    target = os.path.join(directory, "chinchilla_runs.csv")
    with open(path, newline="") as fh, open(target, "w") as out:
        out.write("N,D,loss\n")
        for run in csv.DictReader(fh):
            n, c, loss = float(run["Model Size"]), float(run["Training FLOP"]), float(run["loss"])
            out.write(f"{n!r},{c / (6.0 * n)!r},{loss!r}\n")
    return target


def formula_evaluation_once(binary, args):
    out, _, _, code = run_json([binary, "--data", args.data], "formula_evaluation")
    if code != 0:
        raise RuntimeError(f"formula_evaluation exited with {code}: the two forms predict different losses")
    return out


# ------------------------------------------------------------------------------------------ scaling
def find_benchmark_binary(args, name, explicit):
    """explicit, else build/bin/NAME (a build with -DSCALELAW_BUILD_BENCHMARKS=ON), else NAME built in
    benchmarks/build from the current sources."""
    if explicit:
        return explicit
    candidate = os.path.join(REPO, "build", "bin", name)
    if os.path.exists(candidate) and not args.rebuild_scaling:
        return candidate
    # Build (or bring up to date) the standalone benchmark tree benchmarks/build against the current sources.
    build = os.path.join(HERE, "build")
    if not os.path.exists(os.path.join(build, "build.ninja")) and not os.path.exists(os.path.join(build, "Makefile")):
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        log(f"configuring {build} ...")
        done = subprocess.run(["cmake", "-S", HERE, "-B", build, *generator, "-DCMAKE_BUILD_TYPE=Release"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError("configuring benchmarks/build failed:\n" + done.stderr[-2000:])
    log(f"building {name} in {build} (-j2) ...")
    done = subprocess.run(["cmake", "--build", build, "--target", name, "-j", "2"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"building {name} failed:\n" + done.stderr[-2000:])
    return os.path.join(build, "bin", name)


def scaling_once(binary, n, args):
    argv = [binary, "--points", str(n)]
    if args.threads is not None:
        argv += ["--threads", str(args.threads)]
    out, wall, cpu, code = run_json(argv, f"fit_scaling --points {n}")
    out["process_seconds"] = wall
    out["process_cpu_seconds"] = cpu
    out["exit_code"] = code
    return out


# ------------------------------------------------------------------------------------------ report
def fmt_seconds(s):
    if s is None or (isinstance(s, float) and math.isnan(s)):
        return "n/a"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} us"


def verdict(ratio, target, check_ok):
    if not check_ok:
        return "MISS (check failed)"
    return "PASS" if ratio >= target else "MISS"


def save(results, path):
    """Writes the results so far (a run interrupted part-way leaves its finished repeats, complete: false)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "w") as fh:
        json.dump(results, fh, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3, help="repeats of every row (medians are reported); 3")
    ap.add_argument("--scalelaw", default=os.path.join(REPO, "build", "bin", "scalelaw"),
                    help="the scalelaw binary; build/bin/scalelaw")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE, help="peer_fit_chinchilla.py")
    ap.add_argument("--data", default=DEFAULT_DATA, help="the Epoch Chinchilla CSV")
    ap.add_argument("--bootstrap", type=int, default=4000, help="resamples on both sides; 4000")
    ap.add_argument("--predict-runs", type=int, default=20,
                    help="process launches per side per repeat for predict-lr (their median is the repeat's time)")
    ap.add_argument("--threads", type=int, default=None,
                    help="pass --threads to scalelaw and fit_scaling (default: theirs, every hardware thread)")
    ap.add_argument("--skip-scaling", action="store_true", help="skip the 1e3..1e6-point scaling benchmark")
    ap.add_argument("--skip-baseline", action="store_true",
                    help="reuse the baseline numbers of --baseline-json instead of running it (not a same-run "
                         "comparison; marked as such)")
    ap.add_argument("--baseline-json", default=None, help="with --skip-baseline: a previous results JSON")
    ap.add_argument("--scaling-bin", default=None,
                    help="fit_scaling binary (default: build/bin/fit_scaling, else built in benchmarks/build)")
    ap.add_argument("--rebuild-scaling", action="store_true",
                    help="use benchmarks/build even when build/bin/fit_scaling (or formula_evaluation) exists")
    ap.add_argument("--formula-evaluation-bin", default=None,
                    help="formula_evaluation binary (default: build/bin/formula_evaluation, else built in "
                         "benchmarks/build)")
    ap.add_argument("--scaling-sizes", default=",".join(str(n) for n in SCALING_SIZES),
                    help="comma-separated point counts; 1000,10000,100000,1000000")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="before each repeat, wait up to SECONDS while other processes keep the CPUs more than "
                         "--idle-threshold busy (the machine is shared); 0 does not wait")
    ap.add_argument("--idle-threshold", type=float, default=0.15, help="busy fraction counted as quiet; 0.15")
    ap.add_argument("--output", default=os.path.join(HERE, "results", "latest.json"))
    args = ap.parse_args()
    if args.repeats < 1:
        ap.error("--repeats must be >= 1")
    for path, what in ((args.scalelaw, "--scalelaw"), (args.data, "--data")):
        if not os.path.exists(path):
            ap.error(f"{what}: {path} does not exist")
    if not args.skip_baseline and not os.path.exists(args.baseline):
        ap.error(f"--baseline: {args.baseline} does not exist")

    snapshots = tempfile.mkdtemp(prefix="scalelaw-bench-")
    atexit.register(shutil.rmtree, snapshots, True)
    scalelaw_source = os.path.abspath(args.scalelaw)
    scalelaw_mtime = datetime.datetime.fromtimestamp(os.path.getmtime(scalelaw_source)).isoformat(timespec="seconds")
    args.scalelaw = snapshot(scalelaw_source, snapshots)
    scaling_binary = scaling_source = None
    scaling_error = None
    if not args.skip_scaling:
        try:  # built before anything is timed
            scaling_source = os.path.abspath(find_benchmark_binary(args, "fit_scaling", args.scaling_bin))
            scaling_binary = snapshot(scaling_source, snapshots, ["--points", "5"])
        except RuntimeError as error:
            scaling_error = str(error)
            log(f"scaling benchmark skipped: {error}")

    evaluation_binary = evaluation_source = None
    try:  # built before anything is timed, like fit_scaling
        evaluation_source = os.path.abspath(find_benchmark_binary(args, "formula_evaluation",
                                                                  args.formula_evaluation_bin))
        evaluation_binary = snapshot(evaluation_source, snapshots,
                                     ["--data", args.data, "--rounds", "1", "--evaluations", "1"])
    except RuntimeError as error:
        log(f"formula per-evaluation benchmark skipped: {error}")
    runs_csv = write_runs_csv(args.data, snapshots)
    runs_data = [runs_csv, "--params-col", "N", "--tokens-col", "D", "--drop-highest", "5"]
    formula_data = [runs_csv, "--drop-highest", "5"]

    version = run_process([args.scalelaw, "--version"])[0].strip()
    results = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpu": cpu_model(), "cpu_count": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "scalelaw": {"binary": scalelaw_source, "version": version, "binary_mtime": scalelaw_mtime,
                     "note": "a copy taken at the start was timed", **git_state()},
        "baseline": {"script": os.path.abspath(args.baseline), "mode": "analytic", "bootstrap": args.bootstrap},
        "data": os.path.abspath(args.data),
        "repeats": args.repeats,
        "threads": args.threads if args.threads is not None else "default (every hardware thread)",
        "load_average_1min": [],
        "busy_before_repeat": [],
        "other_load_during_repeat": [],
        "raw": {"baseline": [], "grid": [], "same_grid": [], "bootstrap": [], "grid_bootstrap": [], "predict_lr": [],
                "hand_derived": [], "formula": [], "formula_evaluation": [], "scaling": []},
    }

    previous_baseline = None
    if args.skip_baseline:
        if not args.baseline_json:
            ap.error("--skip-baseline needs --baseline-json")
        with open(args.baseline_json) as fh:
            previous_baseline = json.load(fh)["raw"]["baseline"]

    raw = results["raw"]
    for r in range(args.repeats):
        results["busy_before_repeat"].append(wait_for_quiet(args.wait_idle, args.idle_threshold))
        results["load_average_1min"].append(load_average())
        other = OtherLoad()
        log(f"repeat {r + 1}/{args.repeats} (CPU {results['busy_before_repeat'][-1]:.0%} busy before it, 1-min load "
            f"average {results['load_average_1min'][-1]:.2f})")
        if previous_baseline is None:
            log("  baseline: peer_fit_chinchilla.py --mode analytic --bootstrap "
                f"{args.bootstrap} (about a minute) ...")
            raw["baseline"].append(baseline_once(args))
        else:
            raw["baseline"].append(previous_baseline[r % len(previous_baseline)])
        b = raw["baseline"][-1]
        log(f"    grid {fmt_seconds(b['grid_seconds'])}, bootstrap {fmt_seconds(b['bootstrap_seconds'])}")
        log("  scalelaw fit (grid) ...")
        raw["grid"].append(scalelaw_fit(args, [], "scalelaw fit"))
        log(f"    {fmt_seconds(raw['grid'][-1]['seconds'])} ({raw['grid'][-1]['strategy']}, "
            f"{raw['grid'][-1]['n_starts']} starts)")
        log("  scalelaw fit --starts grid (the baseline's 4500 starts) ...")
        raw["same_grid"].append(scalelaw_fit(args, ["--starts", "grid"], "scalelaw fit --starts grid"))
        log(f"    {fmt_seconds(raw['same_grid'][-1]['seconds'])}")
        log(f"  scalelaw fit --bootstrap {args.bootstrap} from Hoffmann et al.'s start ...")
        raw["bootstrap"].append(scalelaw_fit(args, [*HOFFMANN_START, "--bootstrap", str(args.bootstrap), "--seed",
                                                    "42"], "scalelaw fit --bootstrap"))
        log(f"    {fmt_seconds(raw['bootstrap'][-1]['seconds'])}")
        log(f"  scalelaw fit --bootstrap {args.bootstrap} from the grid ...")
        raw["grid_bootstrap"].append(scalelaw_fit(args, ["--bootstrap", str(args.bootstrap), "--seed", "42"],
                                                  "scalelaw fit --bootstrap (grid)"))
        log(f"    {fmt_seconds(raw['grid_bootstrap'][-1]['seconds'])}")
        log("  scalelaw fit --model chinchilla and --formula, both --starts grid from the Epoch grid ...")
        raw["hand_derived"].append(scalelaw_fit(args, ["--model", "chinchilla", "--starts", "grid", *EPOCH_GRID],
                                                "scalelaw fit --model chinchilla", runs_data))
        raw["formula"].append(scalelaw_fit(args, ["--formula", FORMULA, "--starts", "grid", *EPOCH_GRID],
                                           "scalelaw fit --formula", formula_data))
        log(f"    hand-derived {fmt_seconds(raw['hand_derived'][-1]['seconds'])}, formula "
            f"{fmt_seconds(raw['formula'][-1]['seconds'])}")
        if evaluation_binary is not None:
            raw["formula_evaluation"].append(formula_evaluation_once(evaluation_binary, args))
            e = raw["formula_evaluation"][-1]
            log(f"    one evaluation: hand-derived {fmt_seconds(e['hand_derived_seconds'])}, formula "
                f"{fmt_seconds(e['formula_seconds'])}")
        log(f"  predict-lr: {args.predict_runs} launches of each side ...")
        raw["predict_lr"].append(predict_lr_once(args))
        p = raw["predict_lr"][-1]
        log(f"    scalelaw {fmt_seconds(p['scalelaw_seconds'])}, numpy {fmt_seconds(p['baseline_seconds'])}")
        results["other_load_during_repeat"].append(other.fraction())
        log(f"  other processes used {results['other_load_during_repeat'][-1]:.0%} of the CPUs during this repeat")
        results["complete"] = False
        save(results, args.output)
    results["load_average_1min"].append(load_average())

    # ---- checks (from the first repeat: every repeat computes the same numbers)
    base, grid, boot, both = raw["baseline"][0], raw["grid"][0], raw["bootstrap"][0], raw["grid_bootstrap"][0]
    same = raw["same_grid"][0]
    objective_ok = grid["objective"] <= base["objective"] + OBJECTIVE_SLACK and grid["n_points"] == base["n_fit"]
    same_grid_ok = same["objective"] <= base["objective"] + OBJECTIVE_SLACK and same["n_points"] == base["n_fit"]
    se_rel = {k: (boot["se"].get(k, float("nan")) / base["se"][k] - 1) for k in PARAMS}
    se_ok = all(abs(v) <= SE_TOLERANCE for v in se_rel.values()) and boot["bootstrap"] == base["bootstrap_n"]
    lr_ours, lr_numpy, lr_law = predict_lr_values(args)
    lr_ok = math.isclose(lr_ours, lr_numpy, rel_tol=1e-9)
    single_start_gap = boot["objective"] - grid["objective"]
    hand, formula = raw["hand_derived"][0], raw["formula"][0]
    formula_gap = formula["objective"] - hand["objective"]
    formula_ok = (hand["n_points"] == formula["n_points"] == base["n_fit"] and hand["converged"]
                  and formula["converged"] and abs(formula_gap) <= FORMULA_OBJECTIVE_TOLERANCE * hand["objective"])

    def row(name, base_times, our_times, target, check_ok, timing, other_loads, at_most=False):
        """ratio = base / ours and PASS when >= target; with at_most, ratio = ours / base and PASS when <= target."""
        ratios = [(o / b) if at_most else (b / o) for b, o in zip(base_times, our_times)]
        ratio = median(ratios)
        result = "info"
        if target and at_most:
            result = verdict(1 / ratio, 1 / target, check_ok)  # PASS when ratio <= target
        elif target:
            result = verdict(ratio, target, check_ok)
        return {"row": name, "timing": timing, "other_load": other_loads, "baseline_seconds": median(base_times),
                "scalelaw_seconds": median(our_times), "ratio": ratio, "ratio_min": min(ratios),
                "ratio_max": max(ratios), "ratios": ratios, "target": target, "at_most": at_most, "result": result}

    rows = {
        "grid": row("fit (grid vs default)", [b["grid_seconds"] for b in raw["baseline"]],
                    [g["seconds"] for g in raw["grid"]], TARGETS["grid"], objective_ok, "internal (both)",
                    [g["other_load"] for g in raw["grid"]]),
        "same_grid": row("fit, both 4500-pt grid", [b["grid_seconds"] for b in raw["baseline"]],
                         [g["seconds"] for g in raw["same_grid"]], None, same_grid_ok, "internal (both)",
                         [g["other_load"] for g in raw["same_grid"]]),
        "bootstrap": row(f"bootstrap, {args.bootstrap} resamples", [b["bootstrap_seconds"] for b in raw["baseline"]],
                         [g["seconds"] for g in raw["bootstrap"]], TARGETS["bootstrap"], se_ok, "internal (both)",
                         [g["other_load"] for g in raw["bootstrap"]]),
        "predict_lr": row("predict-lr 7e9 2e12", [p["baseline_seconds"] for p in raw["predict_lr"]],
                          [p["scalelaw_seconds"] for p in raw["predict_lr"]], TARGETS["predict_lr"], lr_ok,
                          "process wall (both)", [p["other_load"] for p in raw["predict_lr"]]),
        "grid_bootstrap": row("grid + bootstrap", [b["grid_seconds"] + b["bootstrap_seconds"] for b in raw["baseline"]],
                              [g["seconds"] for g in raw["grid_bootstrap"]], None, True, "internal (both)",
                              [g["other_load"] for g in raw["grid_bootstrap"]]),
        "formula": row("formula vs hand-derived", [h["seconds"] for h in raw["hand_derived"]],
                       [f["seconds"] for f in raw["formula"]], FORMULA_TARGET, formula_ok, "internal (both)",
                       [f["other_load"] for f in raw["formula"]], at_most=True),
    }
    results["rows"] = rows
    results["checks"] = {
        "grid": {"scalelaw_strategy": grid["strategy"], "scalelaw_starts": grid["n_starts"],
                 "same_grid_objective": same["objective"], "same_grid_ok": same_grid_ok,
                 "baseline_objective": base["objective"], "scalelaw_objective": grid["objective"],
                 "difference": grid["objective"] - base["objective"], "slack": OBJECTIVE_SLACK,
                 "n_points": [base["n_fit"], grid["n_points"]], "ok": objective_ok,
                 "params": {"baseline": base["params"], "scalelaw": grid["params"]}},
        "bootstrap": {"baseline_se": base["se"], "scalelaw_se": {k: boot["se"].get(k) for k in PARAMS},
                      "relative_difference": se_rel, "tolerance": SE_TOLERANCE, "ok": se_ok,
                      "baseline_se_a": base["se_a"], "scalelaw_se_a": boot["se"].get("a"),
                      "scalelaw_failed_resamples": boot["bootstrap_failed"],
                      "single_start_objective_minus_grid_objective": single_start_gap,
                      "grid_started_se": {k: both["se"].get(k) for k in PARAMS}},
        "predict_lr": {"law": lr_law, "scalelaw": lr_ours, "numpy": lr_numpy, "ok": lr_ok},
        "formula": {"hand_derived_objective": hand["objective"], "formula_objective": formula["objective"],
                    "difference": formula_gap, "relative_tolerance": FORMULA_OBJECTIVE_TOLERANCE,
                    "n_points": [hand["n_points"], formula["n_points"]], "starts": [hand["n_starts"], formula["n_starts"]],
                    "iterations": [hand["iterations"], formula["iterations"]], "ok": formula_ok},
    }
    evaluations = raw["formula_evaluation"]
    if evaluations:
        results["formula_evaluation"] = {
            "binary": evaluation_source, "runs": evaluations[0]["runs"],
            "hand_derived_seconds": median([e["hand_derived_seconds"] for e in evaluations]),
            "formula_seconds": median([e["formula_seconds"] for e in evaluations]),
            "ratio": median([e["ratio"] for e in evaluations]),
            "hand_derived_values_seconds": median([e["hand_derived_values_seconds"] for e in evaluations]),
            "formula_values_seconds": median([e["formula_values_seconds"] for e in evaluations]),
            "values_ratio": median([e["values_ratio"] for e in evaluations])}

    # ---- scaling
    if scaling_binary is not None:
        sizes = [int(float(s)) for s in args.scaling_sizes.split(",")]
        log(f"scaling: {scaling_source}, sizes {sizes}, {args.repeats} fresh process(es) per size ...")
        per_size = {n: [] for n in sizes}
        results["busy_before_scaling"] = wait_for_quiet(args.wait_idle, args.idle_threshold)
        other = OtherLoad()
        for r in range(args.repeats):
            for n in sizes:
                out = scaling_once(scaling_binary, n, args)
                per_size[n].append(out)
                raw["scaling"].append(out)
                log(f"  n={n}: fit {fmt_seconds(out['fit_wall_seconds'][0])}, peak "
                    f"{(out['vmhwm_kib_end'] - out['vmhwm_kib_start']) / 1024:.1f} MiB above start")
        results["other_load_during_scaling"] = other.fraction()
        table = []
        for n in sizes:
            runs = per_size[n]
            first = runs[0]
            peak_above = median([(o["vmhwm_kib_end"] - o["vmhwm_kib_start"]) * 1024.0 for o in runs])
            table.append({"points": n, "input_bytes": first["input_bytes"],
                          "fit_seconds": median([o["fit_wall_seconds"][0] for o in runs]),
                          "iterations": first["iterations"], "converged": all(o["converged"] for o in runs),
                          "params": first["params"],
                          "peak_start_kib": median([o["vmhwm_kib_start"] for o in runs]),
                          "peak_end_kib": median([o["vmhwm_kib_end"] for o in runs]),
                          "peak_above_start_bytes": peak_above,
                          "peak_above_start_over_input": peak_above / first["input_bytes"]})
        exponent, _ = loglog_slope([t["points"] for t in table], [t["fit_seconds"] for t in table])
        multiplier, overhead = linear_fit([t["input_bytes"] for t in table],
                                          [t["peak_above_start_bytes"] for t in table])
        results["scaling"] = {
            "binary": scaling_source, "table": table,
            "time_exponent": exponent, "time_exponent_target": SCALING_EXPONENT_TARGET,
            "time_result": "PASS" if exponent <= SCALING_EXPONENT_TARGET else "MISS",
            "memory_multiplier": multiplier, "memory_fixed_overhead_bytes": overhead,
            "memory_multiplier_target": MEMORY_MULTIPLIER_TARGET,
            "memory_result": "PASS" if multiplier <= MEMORY_MULTIPLIER_TARGET else "MISS",
        }
    elif scaling_error:
        results["scaling"] = {"skipped": scaling_error}

    # ---- print
    out = []
    same_run = "same run" if previous_baseline is None else "BASELINE REUSED FROM " + args.baseline_json
    out.append(f"scalelaw {version} vs peer_fit_chinchilla.py (numpy/scipy) on {base['n_fit']} Chinchilla runs; "
               f"{args.repeats} repeat(s), medians; {same_run}")
    out.append(f"machine: {results['machine']['cpu']}, {os.cpu_count()} cores; scalelaw threads: {results['threads']}")
    out.append("CPU busy with other work before each repeat: "
               + " ".join(f"{x:.0%}" for x in results["busy_before_repeat"])
               + "; other processes' share of the CPUs during each repeat: "
               + " ".join(f"{x:.0%}" for x in results["other_load_during_repeat"]))
    out.append("ratio = baseline time / scalelaw time (higher is faster); baseline and scalelaw columns are the "
               "medians of each side's times, ratio the median of the per-repeat ratios; 'others' is the CPU share "
               "other processes used while scalelaw's side of the row ran, per repeat")
    out.append("")
    out.append(f"{'row':<28}{'timing':<21}{'baseline':>10}{'scalelaw':>11}{'ratio':>9}  {'min-max':<14}"
               f"{'target':>7}  {'result':<8}others")
    for key in ("grid", "bootstrap", "predict_lr", "same_grid", "grid_bootstrap", "formula"):
        x = rows[key]
        target = (f"<={x['target']:g}x" if x["at_most"] else f">={x['target']:.0f}x") if x["target"] else "-"
        spread = f"{x['ratio_min']:.1f}-{x['ratio_max']:.1f}x"
        out.append(f"{x['row']:<28}{x['timing']:<21}{fmt_seconds(x['baseline_seconds']):>10}"
                   f"{fmt_seconds(x['scalelaw_seconds']):>11}{x['ratio']:>8.1f}x  {spread:<14}{target:>7}  "
                   f"{x['result']:<8}" + " ".join(f"{v:.0%}" for v in x["other_load"]))
    out.append("")
    c = results["checks"]
    out.append(f"fit: baseline {base['n_starts']} grid starts; scalelaw default ('{grid['strategy']}' starts, "
               f"{grid['n_starts']} of them); the 'both 4500-pt grid' row runs scalelaw with --starts grid "
               f"({same['n_starts']} starts)")
    out.append(f"fit objective: scalelaw {c['grid']['scalelaw_objective']:.16g}, baseline "
               f"{c['grid']['baseline_objective']:.16g} (difference {c['grid']['difference']:+.3g}; must be "
               f"<= +{OBJECTIVE_SLACK:g}): {'ok' if objective_ok else 'WORSE'}; --starts grid "
               f"{same['objective']:.16g}: {'ok' if same_grid_ok else 'WORSE'}; {grid['n_points']} vs "
               f"{base['n_fit']} runs")
    out.append(f"bootstrap SEs ({args.bootstrap} resamples each; baseline from Hoffmann et al.'s start with BFGS, "
               f"scalelaw from the full-data optimum):")
    out.append(f"  {'param':<7}{'baseline':>12}{'scalelaw':>12}{'rel diff':>10}")
    for k in PARAMS:
        out.append(f"  {k:<7}{base['se'][k]:>12.5g}{boot['se'].get(k, float('nan')):>12.5g}{se_rel[k]:>+10.1%}")
    out.append(f"  {'a':<7}{base['se_a']:>12.5g}{boot['se'].get('a', float('nan')):>12.5g}   (information)")
    out.append(f"  within {SE_TOLERANCE:.0%}: {'ok' if se_ok else 'NO'}; failed resamples: "
               f"{boot['bootstrap_failed']}; single-start point estimate minus grid objective: "
               f"{single_start_gap:+.3g}")
    out.append(f"predict-lr: scalelaw {lr_ours!r} ({lr_law}), numpy {lr_numpy!r}: "
               f"{'equal' if lr_ok else 'DIFFERENT'}; each side's time is the median of {args.predict_runs} launches")
    out.append(f"formula vs hand-derived: 'baseline' is `scalelaw fit --model chinchilla`, 'scalelaw' `--formula "
               f"\"{FORMULA}\"`, on the same {hand['n_points']} runs, both --starts grid from the {hand['n_starts']} "
               f"points of the Epoch grid; ratio = formula / hand-derived (lower is faster)")
    out.append(f"  objectives: hand-derived {hand['objective']:.16g}, formula {formula['objective']:.16g} (difference "
               f"{formula_gap:+.3g}; must be within {FORMULA_OBJECTIVE_TOLERANCE:g} relative): "
               f"{'ok' if formula_ok else 'DIFFERENT'}; iterations of the winning start {hand['iterations']} and "
               f"{formula['iterations']}")
    if "formula_evaluation" in results:
        e = results["formula_evaluation"]
        def us(seconds):
            return f"{seconds * 1e6:.2f} us"
        out.append(f"  one evaluation (log predictions and Jacobian over {e['runs']} runs, thread CPU time, "
                   f"formula_evaluation): hand-derived {us(e['hand_derived_seconds'])}, formula "
                   f"{us(e['formula_seconds'])}, ratio {e['ratio']:.2f}x; predictions only "
                   f"{us(e['hand_derived_values_seconds'])} and {us(e['formula_values_seconds'])}, "
                   f"{e['values_ratio']:.2f}x")
    if "table" in results.get("scaling", {}):
        s = results["scaling"]
        out.append("")
        out.append("scaling: single-start fit of synthetic Chinchilla-law runs (1% noise, seed 1), one fresh process "
                   "per size; time is the fit's wall_seconds, memory the VmHWM rise over the process's start; "
                   f"other processes used {results['other_load_during_scaling']:.0%} of the CPUs meanwhile")
        out.append(f"  {'points':>9}{'input':>11}{'fit time':>11}{'iters':>7}{'peak above start':>18}"
                   f"{'/ input':>9}   alpha / beta fitted")
        for t in s["table"]:
            out.append(f"  {t['points']:>9}{t['input_bytes'] / 2**20:>8.2f} MiB{fmt_seconds(t['fit_seconds']):>11}"
                       f"{t['iterations']:>7}{t['peak_above_start_bytes'] / 2**20:>14.2f} MiB"
                       f"{t['peak_above_start_over_input']:>8.2f}x   {t['params']['alpha']:.4f} / "
                       f"{t['params']['beta']:.4f}")
        out.append(f"  time ~ n^{s['time_exponent']:.3f} (least squares over the sizes; target <= "
                   f"{SCALING_EXPONENT_TARGET}): {s['time_result']}")
        overhead_mib = s["memory_fixed_overhead_bytes"] / 2**20
        out.append(f"  peak memory ~ {s['memory_multiplier']:.2f} x input + {overhead_mib:.2f} MiB (linear fit; "
                   f"target <= {MEMORY_MULTIPLIER_TARGET:g} x input + fixed): {s['memory_result']}")
    elif "skipped" in results.get("scaling", {}):
        out.append("")
        out.append("scaling: skipped (" + results["scaling"]["skipped"].splitlines()[0] + ")")
    text = "\n".join(out)
    print(text)
    results["printed"] = text

    results["complete"] = True
    save(results, args.output)
    log(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
