"""The article's ThreadPoolExecutor example (table loading), parameterised.

usage: python3 article_threads.py [--waits 1,2,5] [--scale S] [--workers N] [--quiet]

The article's code with its defaults: tables A, B, C load for 1, 2 and 5 seconds. --scale
multiplies every wait (Timeslice's --scale); --workers sets max_workers (default: the
executor's own, min(32, cpu_count + 4)). The last line of output is JSON with the makespan:
from entering the executor to having every result.
"""
import argparse
import json
import logging
import time
from time import sleep
from concurrent.futures import ThreadPoolExecutor

parser = argparse.ArgumentParser()
parser.add_argument("--waits", default="1,2,5")
parser.add_argument("--scale", type=float, default=1.0)
parser.add_argument("--workers", type=int, default=None)
parser.add_argument("--quiet", action="store_true")
args = parser.parse_args()

logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG,
                    format='%(asctime)s - %(levelname)s - %(message)s')

waits = [int(w) if float(w).is_integer() else float(w) for w in args.waits.split(",")]
tables = {chr(ord('A') + i) if len(waits) <= 26 else f"T{i + 1}": w for i, w in enumerate(waits)}


def load_data(table):
    table_name = table[0]
    time_to_process = table[1]
    logging.info(f"Loading data from { table_name }")
    logging.info(f"Task will take { time_to_process } seconds")
    sleep(time_to_process * args.scale)
    return time_to_process


start = time.monotonic_ns()
with ThreadPoolExecutor(max_workers=args.workers) as executor:
    futures = [executor.submit(load_data, table) for table in tables.items()]
    results = [future.result() for future in futures]
    logging.info(results)
end = time.monotonic_ns()
print(json.dumps({"example": "threads", "makespan_s": (end - start) / 1e9, "results": results}))
