#!/usr/bin/env python3
"""Writes data/isoflop_runs.csv: synthetic IsoFLOP runs as labs tabulate them, for `scalelaw isoflop --budget-col`.

Each run has a nominal budget label C, its own N and D, and a final loss. The FLOPs the "lab" counts are not 6ND
but 6ND·g(N) with g(N) = (N/N_REF)^GAMMA (a stand-in for the embedding and attention FLOPs that make real
budgets differ from 6ND), and every run spends exactly its label: D = C/(6·N·g(N)). So 6ND/C = 1/g(N) ranges
from about 0.7 to 1.3 across the table, and grouping by 6ND splits each IsoFLOP curve apart.

The loss is the Chinchilla law as printed (Hoffmann et al. 2022, arXiv 2203.15556, Eq. 10: E 1.69, A 406.4,
B 410.7, alpha 0.34, beta 0.28) times exp(NOISE * standard normal) from a fixed seed. Along a budget,
D ∝ C·N^-(1+GAMMA), so minimising L gives N_opt = k·C^a and D_opt = k'·C^b with

    a = beta / (alpha + beta·(1 + GAMMA)) = 0.432099,   b = 1 - a·(1 + GAMMA) = alpha / (alpha + beta·(1 + GAMMA))
      = 0.524691,   a + b = 0.956790 (not 1),

    k = [alpha·A / (beta·(1 + GAMMA)·B)]^(1/s) · (N_REF^GAMMA / 6)^a,  k' = N_REF^GAMMA / (6·k^(1 + GAMMA)),
    s = alpha + beta·(1 + GAMMA).

Seven budgets 1e18 ... 1e21 (half-decade steps), nine sizes per budget evenly spaced in ln N over ±1.5 around
that budget's N_opt (a grid symmetric in ln N is symmetric in ln D too, so both exponents are unbiased under
the quadratic approximation; docs/isoflop.md, "The known bias").

Usage: python3 data/generate_isoflop_runs.py [OUTPUT.csv] [--seed S]   (prints the true a, b, k, k' on stderr)
"""
import csv
import math
import os
import random
import sys

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
GAMMA, N_REF = 0.1, 3e8
NOISE = 0.003
SEED = 13
BUDGETS = [10 ** (18 + 0.5 * i) for i in range(7)]
SIZES, HALF_WIDTH = 9, 1.5

S = ALPHA + BETA * (1 + GAMMA)
A_TRUE = BETA / S
B_TRUE = ALPHA / S
K_TRUE = (ALPHA * A / (BETA * (1 + GAMMA) * B)) ** (1 / S) * (N_REF ** GAMMA / 6) ** A_TRUE
K_TOKENS_TRUE = N_REF ** GAMMA / (6 * K_TRUE ** (1 + GAMMA))


def tokens(c, n):
    """D such that the counted FLOPs 6·N·D·g(N) equal the budget c."""
    return c / (6 * n * (n / N_REF) ** GAMMA)


def main():
    args = sys.argv[1:]
    seed = SEED
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    here = os.path.dirname(os.path.abspath(__file__))
    output = args[0] if args else os.path.join(here, "isoflop_runs.csv")
    rng = random.Random(seed)
    with open(output, "w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["budget", "params", "tokens", "loss"])
        for c in BUDGETS:
            n_opt = K_TRUE * c ** A_TRUE
            for j in range(SIZES):
                n = n_opt * math.exp(-HALF_WIDTH + 2 * HALF_WIDTH * j / (SIZES - 1))
                d = tokens(c, n)
                loss = (E + A / n ** ALPHA + B / d ** BETA) * math.exp(NOISE * rng.gauss(0.0, 1.0))
                writer.writerow([f"{c:.6g}", f"{n:.6g}", f"{d:.6g}", f"{loss:.6f}"])
    print(f"a {A_TRUE:.6f} b {B_TRUE:.6f} k {K_TRUE:.6g} k' {K_TOKENS_TRUE:.6g}", file=sys.stderr)


if __name__ == "__main__":
    main()
