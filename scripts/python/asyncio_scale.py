"""N concurrent asyncio.sleep tasks on one event loop: per-task overhead and memory.

usage: python3 asyncio_scale.py N [WAIT_SECONDS]

Per-task overhead = (makespan - wait) / N: creating, scheduling, sleeping and resuming a task,
everything but the wait itself. Memory per task = (peak RSS - RSS before) / N.
Prints one JSON line.
"""
import asyncio
import gc
import sys
import time

from _measure import emit, reset_peak_rss, rss_bytes


async def sleeper(delay):
    await asyncio.sleep(delay)
    return delay


async def main(n, wait):
    gc.collect()
    peak_ok = reset_peak_rss()
    before = rss_bytes()
    start = time.monotonic_ns()
    tasks = [asyncio.create_task(sleeper(wait)) for _ in range(n)]
    created = time.monotonic_ns()
    results = await asyncio.gather(*tasks)
    end = time.monotonic_ns()
    peak = rss_bytes("VmHWM") if peak_ok else rss_bytes()
    assert len(results) == n
    makespan = end - start
    emit({
        "impl": "python-asyncio", "n": n, "wait_s": wait,
        "makespan_s": makespan / 1e9,
        "create_ns_per_task": (created - start) / n,
        "overhead_ns_per_task": (makespan - wait * 1e9) / n,
        "bytes_per_task": (peak - before) / n,
        "python": sys.version.split()[0],
    })


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    wait = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    asyncio.run(main(n, wait))
