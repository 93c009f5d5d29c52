"""Async delay, the article's asyncio example, in real Python: tasks A, B and C sleep 2, 1 and
3 seconds, under asyncio.gather, ThreadPoolExecutor or ProcessPoolExecutor.

usage: python3 async_delay.py [--model async|threads|processes|dask] [--waits 2,1,3] [--scale S]
                              [--workers N] [--blocking] [--start-method fork|forkserver|spawn]
       dask: [--scheduler tcp://HOST:PORT] [--worker-threads N] (default: a LocalCluster)
"""
import asyncio
import time

import _common


async def delay(name, seconds, blocking):
    if blocking:
        time.sleep(seconds)
    else:
        await asyncio.sleep(seconds)
    return name


def delay_sync(name, seconds):
    time.sleep(seconds)
    return name


async def gather_all(tasks, blocking):
    return await asyncio.gather(*(delay(n, s, blocking) for n, s in tasks))


def main():
    args = _common.arguments(__doc__.splitlines()[0], waits="2,1,3")
    waits = _common.seconds(args.waits)
    tasks = [(_common.name(i, len(waits)), w * args.scale) for i, w in enumerate(waits)]
    if args.model == "async":
        done = asyncio.run(gather_all(tasks, args.blocking))
    else:
        with _common.pool(args) as executor:
            futures = [executor.submit(delay_sync, n, s) for n, s in tasks]
            done = [f.result() for f in futures]
    print("done", " ".join(done))


if __name__ == "__main__":
    main()
