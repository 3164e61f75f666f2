#!/usr/bin/env bash
# A walk through the command-line tool on the bundled example runs. Run from the repository root after
# building (./scripts/demo builds it); SCALELAW names the binary (default build/bin/scalelaw).
set -euo pipefail
S=${SCALELAW:-build/bin/scalelaw}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
step() { printf '\n$ scalelaw %s\n' "$*"; "$S" "$@"; }

# 1. Fit the Chinchilla law L = E + A/N^alpha + B/D^beta to your runs (columns params, tokens, loss), with
#    1000 bootstrap resamples for standard errors and 95% intervals; save the fit and a plot.
step fit data/example_runs.csv --bootstrap 1000 --seed 1 --at-flops 1e21 --output "$OUT/fit.json" --plot "$OUT/fit.svg"

# 2. Does it extrapolate? Fit without the 5 largest-compute runs and see how well it predicts them.
step fit data/example_runs.csv --holdout-top 5

# 3. Another form on the same runs, for comparison by AIC/BIC (lower is better).
step fit data/example_runs.csv --model kaplan

# 4. Split a budget under your fit, with the band of the resampled laws; then the same under every published law.
step allocate --fit "$OUT/fit.json" --flops 1e22
step allocate --flops 1e22 --law all

# 5. Hyperparameters for the model that budget buys: every learning-rate and batch law, with what they assume.
step predict-lr --params 7e9 --tokens 2e12 --law all
step predict-batch --params 7e9 --tokens 2e12

# 6. The whole recipe in one command.
step plan --fit "$OUT/fit.json" --flops 1e22

echo
echo "fit and plot written to $OUT"
