#!/usr/bin/env python3
"""Writes data/example_runs.csv: synthetic training runs for the README's demo and for tests.

The runs are the project's own (no published data is copied): losses from the Epoch AI refit of the Chinchilla
law (Besiroglu et al. 2024, rounded constants E 1.8172, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658) at
8 model sizes from 50M to 3B parameters times 6 tokens-per-parameter ratios from 5 to 160, each multiplied
by exp(0.01 * standard normal noise) from a fixed seed. Fitting them should give back roughly those constants.

Usage: python3 data/generate_example_runs.py [OUTPUT.csv]
"""
import csv
import math
import os
import random
import sys

E, A, B, ALPHA, BETA = 1.8172, 482.01, 2085.43, 0.3478, 0.3658
NOISE = 0.01
SEED = 2024


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "example_runs.csv")
    rng = random.Random(SEED)
    sizes = [50e6 * (3e9 / 50e6) ** (k / 7) for k in range(8)]
    with open(output, "w", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["params", "tokens", "flops", "loss"])
        for n in sizes:
            for tokens_per_param in (5, 10, 20, 40, 80, 160):
                d = tokens_per_param * n
                loss = (E + A / n**ALPHA + B / d**BETA) * math.exp(NOISE * rng.gauss(0.0, 1.0))
                writer.writerow([f"{n:.6g}", f"{d:.6g}", f"{6 * n * d:.6g}", f"{loss:.6f}"])


if __name__ == "__main__":
    main()
