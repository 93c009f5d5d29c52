"""The article's three Python examples side by side with Timeslice running the same workload
under the same model with the same parameters, in one run on one machine.

usage: python3 side_by_side.py [--timeslice PATH] [--scale S] [--iterations N] [--tasks N]

Defaults are the article's: waits of 1, 2, 5 s (threads) and 2, 1, 3 s (asyncio) at scale 1,
and 100,000,000 iterations per square-numbers task with one task per core. --scale multiplies
every wait for both sides; --iterations shortens the loop for both sides (CPython takes ~5-10 s
per task at the article's 100,000,000).

Prints one table: Python makespan, Timeslice makespan, ratio (Python / Timeslice), and whether
the results match. Exit code 1 if a run failed or the results differ.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run_python(script, args):
    out = subprocess.run([sys.executable, os.path.join(HERE, script), "--quiet", *args],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_timeslice(binary, args):
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.json")
        proc = subprocess.run([binary, "run", *args, "--trace", trace], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"timeslice run {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
        with open(trace) as f:
            summary = json.load(f)["otherData"]["timeslice"]
    makespan = summary.get("makespan_s")
    if makespan is None:
        makespan = summary.get("makespan_ns", summary.get("makespan", 0)) / 1e9
    return {"makespan_s": makespan, "results": [t.get("result", "") for t in summary.get("tasks", [])]}


def norm(results):
    return sorted(str(r) for r in results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeslice", default=os.path.join(ROOT, "build", "default", "bin", "timeslice"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--iterations", type=int, default=100_000_000)
    parser.add_argument("--tasks", type=int, default=os.cpu_count())
    args = parser.parse_args()
    scale = f"{args.scale:g}"

    examples = [
        ("ThreadPoolExecutor: table loading", "table-loading", "threads",
         f"waits 1,2,5 s x {scale}, max_workers default, GIL on",
         "article_threads.py", ["--scale", scale],
         ["--workload", "table-loading", "--model", "threads", "--scale", scale, "--gil", "on"]),
        ("ProcessPoolExecutor: square numbers", "square-numbers", "processes",
         f"{args.tasks} tasks x {args.iterations:,} iterations, max_workers default",
         "article_processes.py", ["--tasks", str(args.tasks), "--iterations", str(args.iterations)],
         ["--workload", "square-numbers", "--model", "processes", "--tasks", str(args.tasks),
          "--iterations", str(args.iterations)]),
        ("asyncio.gather: async delay", "async-delay", "async",
         f"delays 2,1,3 s x {scale}",
         "article_asyncio.py", ["--scale", scale],
         ["--workload", "async-delay", "--model", "async", "--scale", scale]),
    ]

    rows = []
    ok = True
    for title, workload, model, params, script, py_args, ts_args in examples:
        try:
            py = run_python(script, py_args)
            ts = run_timeslice(args.timeslice, ts_args)
        except (subprocess.CalledProcessError, RuntimeError, OSError, ValueError) as e:
            print(f"{title}: failed: {e}", file=sys.stderr)
            ok = False
            continue
        same = norm(py["results"]) == norm(ts["results"])
        ok = ok and same
        rows.append((title, f"`{workload}` / `{model}`", params, py["makespan_s"], ts["makespan_s"], same,
                     "timeslice run " + " ".join(ts_args)))

    print("| article example | Timeslice workload / model | parameters | Python makespan | "
          "Timeslice makespan | ratio Python / Timeslice | same results |")
    print("|---|---|---|---|---|---|---|")
    for title, wm, params, py, ts, same, _ in rows:
        print(f"| {title} | {wm} | {params} | {py:.3f} s | {ts:.3f} s | {py / ts:.2f}x | {'yes' if same else 'NO'} |")
    print()
    for row in rows:
        print(f"    {row[6]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
