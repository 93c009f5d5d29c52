"""Mixed: I/O tasks that wait 20 x 50 ms beside one CPU task that computes in 10 batches,
yielding between them, in real Python: shows the event loop's lag and the GIL's convoy effect.

usage: python3 mixed.py [--model threads|processes|async|dask] [--tasks N] [--iterations N]
                        [--scale S] [--workers N] [--start-method fork|forkserver|spawn]
       dask: [--scheduler tcp://HOST:PORT] [--worker-threads N] (default: a LocalCluster)
"""
import asyncio
import time

import _common


def cpu(n):
    total = 0
    for batch in range(10):
        if batch:
            time.sleep(0)
        for i in range(n // 10):
            total += i * i
    return total


def io(seconds):
    for _ in range(20):
        time.sleep(seconds)
    return 1


async def cpu_async(n):
    total = 0
    for batch in range(10):
        if batch:
            await asyncio.sleep(0)
        for i in range(n // 10):
            total += i * i
    return total


async def io_async(seconds):
    for _ in range(20):
        await asyncio.sleep(seconds)
    return 1


async def all_async(n, tasks, seconds):
    return await asyncio.gather(cpu_async(n), *(io_async(seconds) for _ in range(tasks)))


def main():
    args = _common.arguments(__doc__.splitlines()[0], tasks=3, iterations=1_000_000_000)
    seconds = 0.05 * args.scale
    if args.model == "async":
        results = asyncio.run(all_async(args.iterations, args.tasks, seconds))
    else:
        with _common.pool(args) as executor:
            futures = [executor.submit(cpu, args.iterations)]
            futures += [executor.submit(io, seconds) for _ in range(args.tasks)]
            results = [f.result() for f in futures]
    print("cpu", results[0], "io", sum(results[1:]))


if __name__ == "__main__":
    main()
