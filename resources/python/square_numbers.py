"""Square numbers, the article's CPU-bound example, in real Python: one task per core, each
summing i*i for i below 100,000,000, under ProcessPoolExecutor, ThreadPoolExecutor or asyncio.
Every result is checked against the closed form.

usage: python3 square_numbers.py [--model processes|threads|async|dask] [--tasks N] [--iterations N]
                                 [--workers N] [--start-method fork|forkserver|spawn]
       dask: [--scheduler tcp://HOST:PORT] [--worker-threads N] (default: a LocalCluster)
"""
import asyncio
import os

import _common


def square_sum(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


async def square_sum_async(n):
    return square_sum(n)  # no await inside: it holds the loop until it is done


async def all_async(n, tasks):
    return await asyncio.gather(*(square_sum_async(n) for _ in range(tasks)))


def main():
    args = _common.arguments(__doc__.splitlines()[0], tasks=os.cpu_count() or 1, iterations=100_000_000)
    n, tasks = args.iterations, args.tasks
    if args.model == "async":
        results = asyncio.run(all_async(n, tasks))
    else:
        with _common.pool(args) as executor:
            futures = [executor.submit(square_sum, n) for _ in range(tasks)]
            results = [f.result() for f in futures]
    expected = (n - 1) * n * (2 * n - 1) // 6
    wrong = [r for r in results if r != expected]
    print("sum", expected, "x", len(results), "checked" if not wrong else f"WRONG: {wrong[:3]}")
    if wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
