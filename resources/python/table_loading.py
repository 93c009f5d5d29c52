"""Table loading, the article's I/O-bound example, in real Python: tables A, B and C load for
1, 2 and 5 seconds, under ProcessPoolExecutor, ThreadPoolExecutor or asyncio.gather.

usage: python3 table_loading.py [--model threads|processes|async|dask] [--waits 1,2,5] [--scale S]
                                [--workers N] [--blocking] [--start-method fork|forkserver|spawn]
       dask: [--scheduler tcp://HOST:PORT] [--worker-threads N] (default: a LocalCluster)
"""
import asyncio
import time

import _common


def load_data(table, seconds):
    time.sleep(seconds)
    return table


async def load_data_async(table, seconds, blocking):
    if blocking:
        time.sleep(seconds)  # holds the event loop: nothing else runs meanwhile
    else:
        await asyncio.sleep(seconds)
    return table


async def load_all(tables, blocking):
    return await asyncio.gather(*(load_data_async(t, s, blocking) for t, s in tables))


def main():
    args = _common.arguments(__doc__.splitlines()[0], waits="1,2,5")
    waits = _common.seconds(args.waits)
    tables = [(_common.name(i, len(waits)), w * args.scale) for i, w in enumerate(waits)]
    if args.model == "async":
        loaded = asyncio.run(load_all(tables, args.blocking))
    else:
        with _common.pool(args) as executor:
            futures = [executor.submit(load_data, t, s) for t, s in tables]
            loaded = [f.result() for f in futures]
    print("loaded", " ".join(loaded))


if __name__ == "__main__":
    main()
