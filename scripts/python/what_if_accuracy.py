#!/usr/bin/env python3
"""How right "What if…?" is about real Python (issue 21, item 4): for each of the article's
programs, record it under one model with the cpython engine, derive its workload, let
`timeslice advise --from` predict every model (each predicted row is a native run of the derived
work), then run the article's program under each model for real and compare.

A run's length is its work's span: the first task's submission to the last task's end, in both
(the interpreter's own start-up is not the workload's).

    python3 scripts/python/what_if_accuracy.py [--timeslice build/default/bin/timeslice] [--scale 0.5]

Prints a Markdown table: workload, the model recorded, the model predicted, predicted, real,
error. The goal is 15 %.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

WORKLOADS = {
    "table-loading": [],
    "square-numbers": ["--iterations", "10000000"],
    "mixed": [],
}
MODELS = ["processes", "threads", "async"]


def run(cmd):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr}")
    return done.stdout


def work_span(trace_path):
    """Seconds from the first task's submission to the last task's end."""
    with open(trace_path) as f:
        info = json.load(f)["otherData"]["timeslice"]
    tasks = [t for t in info["tasks"] if not t.get("thread_row") and t.get("submitted_s", -1) >= 0
             and t.get("finished_s", -1) >= 0]
    return max(t["finished_s"] for t in tasks) - min(t["submitted_s"] for t in tasks), info


def predicted_row(what_if, model, workers):
    for row in what_if["models"]:
        if row["model"] != model:
            continue
        if model == "threads" and not row["gil"]:
            continue
        if model == "processes" and row["workers"] != workers:
            continue
        return row
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeslice", default=os.path.join(here, "..", "..", "build", "default", "bin", "timeslice"))
    parser.add_argument("--scale", default="0.5")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for workload, extra in WORKLOADS.items():
            base = ["--engine", "cpython", "--workload", workload, "--scale", args.scale] + extra
            real = {}
            for model in MODELS:
                path = os.path.join(tmp, f"{workload}-{model}.json")
                run([args.timeslice, "run", "--model", model, "--trace", path] + base)
                real[model] = work_span(path)
            for recorded in ("threads", "processes"):
                out = os.path.join(tmp, f"{workload}-from-{recorded}.json")
                pools = str(real["processes"][1]["workers"])
                run([args.timeslice, "advise", "--from", os.path.join(tmp, f"{workload}-{recorded}.json"),
                     "--pools", pools, "--json", out])
                with open(out) as f:
                    what_if = json.load(f)
                for model in MODELS:
                    span, info = real[model]
                    row = predicted_row(what_if, model, info["workers"])
                    if row is None or row["makespan_s"] is None:
                        rows.append((workload, recorded, model, None, span, None))
                        continue
                    error = (row["makespan_s"] - span) / span * 100
                    rows.append((workload, recorded, model, row["makespan_s"], span, error))
    print(f"scale {args.scale}; predicted: the derived work run natively under the model; real: CPython "
          f"running the article's program under it\n")
    print("| workload | recorded under | model | predicted | real | error |")
    print("|---|---|---|---|---|---|")
    misses = 0
    for workload, recorded, model, predicted, real, error in rows:
        if predicted is None:
            print(f"| {workload} | {recorded} | {model} | did not finish | {real:.3f} s | |")
            misses += 1
            continue
        miss = abs(error) > 15
        misses += miss
        print(f"| {workload} | {recorded} | {model} | {predicted:.3f} s | {real:.3f} s | {error:+.0f} %{' (miss)' if miss else ''} |")
    print(f"\n{len(rows) - misses} of {len(rows)} within 15 %")


if __name__ == "__main__":
    main()
