#!/usr/bin/env python3
"""What Timeslice adds to a Dask run (issue 22): the same program, 1,000 tasks through
client.map on a LocalCluster of two single-threaded workers, run alone and under
`timeslice python` (its probe following the client, the task stream polled and read to the
end), interleaved pair by pair so load drifts alike on both. What is timed is the program's own
work (first submit to last result, with perf_counter inside the program): the cluster's start
and stop are the same either way. Reports each side's median, the median of the pairs' ratios
and a 95 % interval for it (the pairs' ratios bootstrapped); the goal is 5 %, met when the
interval lies under it.

    python3 scripts/python/dask_overhead.py [--timeslice build/default/bin/timeslice]
                                            [--pairs 10] [--tasks 1000] [--python /usr/bin/python3]
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile

PROGRAM = r'''
import sys, time
from distributed import Client, LocalCluster

def inc(x):
    return x + 1

if __name__ == "__main__":
    n = int(sys.argv[1])
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        client.gather(client.map(inc, range(-10, 0)))  # the workers warmed up alike
        t0 = time.perf_counter()
        total = sum(client.gather(client.map(inc, range(n))))
        print("elapsed", time.perf_counter() - t0, "total", total)
'''


def elapsed(cmd):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("elapsed"):
            return float(line.split()[1])
    sys.exit(f"no 'elapsed' line from {' '.join(cmd)} (exit {done.returncode}):\n{done.stderr[-2000:]}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeslice", default=os.path.join(here, "..", "..", "build", "default", "bin", "timeslice"))
    parser.add_argument("--python", default="/usr/bin/python3", help="an interpreter that imports distributed")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    alone, traced, ratios = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        program = os.path.join(tmp, "dask_map.py")
        with open(program, "w") as f:
            f.write(PROGRAM)
        for i in range(args.pairs):
            plain = [args.python, program, str(args.tasks)]
            probed = [args.timeslice, "python", "--kernel", "off", "--python", args.python, program, str(args.tasks)]
            # Alternate which goes first, so neither always runs on a warmer machine.
            first, second = (plain, probed) if i % 2 == 0 else (probed, plain)
            a, b = elapsed(first), elapsed(second)
            p, t = (a, b) if first is plain else (b, a)
            alone.append(p)
            traced.append(t)
            ratios.append(t / p)
    rng = random.Random(1)
    boot = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(2000))
    lo, hi = boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1]
    print(f"{args.tasks} Dask tasks, {args.pairs} interleaved pairs")
    print(f"alone:  median {statistics.median(alone) * 1e3:.1f} ms")
    print(f"traced: median {statistics.median(traced) * 1e3:.1f} ms")
    median = statistics.median(ratios)
    print(f"added:  median {100 * (median - 1):+.1f} %, 95 % interval {100 * (lo - 1):+.1f} % to {100 * (hi - 1):+.1f} %"
          f" — goal 5 %: {'met' if hi <= 1.05 else 'not met' if lo > 1.05 else 'undecided'}")


if __name__ == "__main__":
    main()
