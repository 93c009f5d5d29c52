#!/usr/bin/env python3
"""What the command line adds to a run: wall-clock time of `timeslice run ... --image` minus the
run's own makespan (from its trace), and the window's start-up (`timeslice --startup-probe`).

    python3 scripts/python/cli_overhead.py [--timeslice build/default/bin/timeslice] [--runs 5]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeslice", default=os.path.join(here, "..", "..", "build", "default", "bin", "timeslice"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    overheads, image_overheads, startups = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.json")
        image = os.path.join(tmp, "t.png")
        for _ in range(args.runs):
            for with_image, bucket in ((False, overheads), (True, image_overheads)):
                cmd = [args.timeslice, "run", "--workload", "async-delay", "--model", "async", "--scale", "0.1",
                       "--trace", trace]
                if with_image:
                    cmd += ["--image", image, "--size", "1600x900"]
                start = time.monotonic()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                wall = time.monotonic() - start
                with open(trace) as f:
                    makespan = json.load(f)["otherData"]["timeslice"]["makespan_s"]
                bucket.append((wall - makespan) * 1000)
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            out = subprocess.run([args.timeslice, "--startup-probe"], check=True, capture_output=True, text=True, env=env)
            startups.append(float(out.stdout.split()[2]))

    def row(name, goal, values):
        med = statistics.median(values)
        print(f"| {name} | {goal} | {med:.0f} ms (min {min(values):.0f}, max {max(values):.0f}) |")

    print("| figure | goal | median of %d |" % args.runs)
    print("|---|---|---|")
    row("command line: wall-clock minus makespan", "<= 100 ms", overheads)
    row("command line with --image 1600x900: wall-clock minus makespan", "<= 100 ms", image_overheads)
    row("window shown after launch (offscreen)", "<= 500 ms", startups)


if __name__ == "__main__":
    main()
