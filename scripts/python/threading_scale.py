"""N threading.Thread workers, each sleeping WAIT seconds: per-thread start-up cost.

usage: python3 threading_scale.py N [WAIT_SECONDS]

start_ns_per_thread = time to call start() on all N threads / N (start() returns once the new
thread runs); overhead_ns_per_task = (makespan - wait) / N. Prints one JSON line.
"""
import sys
import threading
import time

from _measure import emit


def main(n, wait):
    threads = [threading.Thread(target=time.sleep, args=(wait,)) for _ in range(n)]
    start = time.monotonic_ns()
    started = 0
    error = ""
    try:
        for t in threads:
            t.start()
            started += 1
    except RuntimeError as e:  # "can't start new thread"
        error = str(e)
    all_started = time.monotonic_ns()
    for t in threads[:started]:
        t.join()
    end = time.monotonic_ns()
    emit({
        "impl": "python-threading", "n": n, "started": started, "error": error, "wait_s": wait,
        "makespan_s": (end - start) / 1e9,
        "start_ns_per_thread": (all_started - start) / max(1, started),
        "overhead_ns_per_task": ((end - start) - wait * 1e9) / max(1, started),
    })


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, float(sys.argv[2]) if len(sys.argv) > 2 else 1.0)
