"""N multiprocessing.Process workers, each sleeping WAIT seconds: per-process start-up cost.

usage: python3 multiprocessing_scale.py N [WAIT_SECONDS] [fork|spawn|forkserver]

A process's start-up = when its target function begins (time.monotonic_ns() in the child,
CLOCK_MONOTONIC, the same clock as the parent's) minus when the parent called start() for it:
what Timeslice's `starting` span measures for its worker processes. Prints one JSON line with
the median, p99 and mean, the time to start them all per process, and (makespan - wait) / N.
"""
import multiprocessing as mp
import statistics
import sys
import time

from _measure import emit, percentile


def child(index, stamps, wait):
    stamps[index] = time.monotonic_ns()
    time.sleep(wait)


def main(n, wait, method):
    ctx = mp.get_context(method)
    stamps = ctx.Array("q", n, lock=False)
    procs = [ctx.Process(target=child, args=(i, stamps, wait)) for i in range(n)]
    calls = [0] * n
    start = time.monotonic_ns()
    for i, p in enumerate(procs):
        calls[i] = time.monotonic_ns()
        p.start()
    all_started = time.monotonic_ns()
    for p in procs:
        p.join()
    end = time.monotonic_ns()
    startup = [stamps[i] - calls[i] for i in range(n) if stamps[i] > 0]
    emit({
        "impl": "python-multiprocessing-" + method, "n": n, "wait_s": wait,
        "makespan_s": (end - start) / 1e9,
        "startup_median_ns": statistics.median(startup) if startup else None,
        "startup_p99_ns": percentile(startup, 99),
        "startup_mean_ns": statistics.fmean(startup) if startup else None,
        "start_call_ns_per_process": (all_started - start) / n,
        "overhead_ns_per_task": ((end - start) - wait * 1e9) / n,
        "failed": sum(1 for p in procs if p.exitcode != 0),
    })


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 256,
         float(sys.argv[2]) if len(sys.argv) > 2 else 1.0,
         sys.argv[3] if len(sys.argv) > 3 else "fork")
