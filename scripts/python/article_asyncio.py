"""The article's asyncio example (awaited delays), parameterised.

usage: python3 article_asyncio.py [--delays 2,1,3] [--scale S] [--quiet]

The article's code with its defaults: tasks A, B, C sleep 2, 1 and 3 seconds. --scale
multiplies every delay (Timeslice's --scale). The last line of output is JSON with the
makespan: from asyncio.run() to having every result.
"""
import argparse
import asyncio
import json
import logging
import time

parser = argparse.ArgumentParser()
parser.add_argument("--delays", default="2,1,3")
parser.add_argument("--scale", type=float, default=1.0)
parser.add_argument("--quiet", action="store_true")
args = parser.parse_args()

logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG,
                    format='%(asctime)s - %(levelname)s - %(message)s')

delays = [int(d) if float(d).is_integer() else float(d) for d in args.delays.split(",")]


async def async_task(task_id, delay):
    logging.info(f"Task {task_id} starting")

    await asyncio.sleep(delay * args.scale)
    logging.info(f"Task {task_id} completed after {delay} seconds")

    return delay


async def main():
    tasks = [async_task(chr(ord('A') + i) if len(delays) <= 26 else f"T{i + 1}", d) for i, d in enumerate(delays)]
    results = await asyncio.gather(*tasks)
    logging.info(f"All tasks completed. Results: {results}")
    return results

if __name__ == '__main__':
    start = time.monotonic_ns()
    results = asyncio.run(main())
    end = time.monotonic_ns()
    print(json.dumps({"example": "asyncio", "makespan_s": (end - start) / 1e9, "results": results}))
