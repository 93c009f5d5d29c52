"""Overshoot of a wait in Python: time.sleep (what threads and processes do) and asyncio.sleep.

usage: python3 timer_accuracy.py [SAMPLES] [WAIT_SECONDS]

Overshoot = measured duration of the wait - requested wait. For asyncio, SAMPLES tasks sleep
concurrently (like Timeslice's async model), each measuring its own sleep. Prints one JSON line
with median and p99 in nanoseconds for each.
"""
import asyncio
import statistics
import sys
import time

from _measure import emit, percentile


def sleep_overshoot(samples, wait):
    out = []
    for _ in range(samples):
        t0 = time.monotonic_ns()
        time.sleep(wait)
        out.append(time.monotonic_ns() - t0 - wait * 1e9)
    return out


async def one(wait, out):
    t0 = time.monotonic_ns()
    await asyncio.sleep(wait)
    out.append(time.monotonic_ns() - t0 - wait * 1e9)


async def asyncio_overshoot(samples, wait):
    out = []
    await asyncio.gather(*(one(wait, out) for _ in range(samples)))
    return out


def main(samples, wait):
    blocking = sleep_overshoot(samples, wait)
    awaited = asyncio.run(asyncio_overshoot(samples, wait))
    emit({
        "impl": "python", "samples": samples, "wait_s": wait,
        "time_sleep_median_ns": statistics.median(blocking), "time_sleep_p99_ns": percentile(blocking, 99),
        "asyncio_sleep_median_ns": statistics.median(awaited), "asyncio_sleep_p99_ns": percentile(awaited, 99),
    })


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200, float(sys.argv[2]) if len(sys.argv) > 2 else 0.005)
