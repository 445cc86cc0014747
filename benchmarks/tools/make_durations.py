"""Writes the lognormal task set every peer runs: 2000 durations in microseconds, one per line,
lognormal with mean 1 ms and sigma 1, from a fixed seed. Written once per benchmark run so all
peers read identical tasks (Python's random module is the same on every platform for a seed).

  /usr/bin/python3 make_durations.py OUT [--n 2000] [--mean-us 1000] [--sigma 1] [--seed 20261121]
"""

import argparse
import math
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--n", type=int, default=2_000)
    parser.add_argument("--mean-us", type=float, default=1000.0)
    parser.add_argument("--sigma", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()

    # A lognormal's mean is exp(mu + sigma^2 / 2): choose mu so the mean is mean_us.
    mu = math.log(args.mean_us) - args.sigma ** 2 / 2
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        for _ in range(args.n):
            f.write(f"{rng.lognormvariate(mu, args.sigma):.3f}\n")


if __name__ == "__main__":
    main()
