"""What Timeslice's Python programs share: their command line and how they start a pool."""
import argparse
import contextlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def arguments(description, waits=None, tasks=None, iterations=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--model", choices=("processes", "threads", "async", "dask"), default="threads")
    parser.add_argument("--workers", type=int, default=None,
                        help="max_workers of the pool; dask: worker processes of the local cluster "
                             "(default: the executor's own; dask: one per core)")
    parser.add_argument("--scheduler", default=None,
                        help="dask: a running scheduler's address (tcp://HOST:PORT); "
                             "default: a LocalCluster started for this run and stopped with it")
    parser.add_argument("--worker-threads", type=int, default=1,
                        help="dask: threads in each worker of the local cluster (default 1)")
    parser.add_argument("--start-method", choices=("fork", "forkserver", "spawn"), default=None,
                        help="how ProcessPoolExecutor starts its workers (default: Python's)")
    if waits is not None:
        parser.add_argument("--waits", default=waits, help="seconds each task waits, comma-separated")
        parser.add_argument("--blocking", action="store_true",
                            help="time.sleep() rather than await asyncio.sleep() under async")
    if tasks is not None:
        parser.add_argument("--tasks", type=int, default=tasks)
    if iterations is not None:
        parser.add_argument("--iterations", type=int, default=iterations)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every wait")
    return parser.parse_args()


def seconds(text):
    return [float(w) for w in text.split(",") if w.strip()]


def name(i, count):
    return chr(ord("A") + i) if count <= 26 else f"T{i + 1}"


@contextlib.contextmanager
def dask_pool(args):
    """The same work on a Dask cluster, through its concurrent.futures executor: a LocalCluster
    of worker processes started here (and stopped here), or a running scheduler by address
    (where nothing is started and only this program's own work is stopped)."""
    from distributed import Client, LocalCluster
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler, timeout="10s")
    else:
        cluster = LocalCluster(n_workers=args.workers or os.cpu_count() or 1,
                               threads_per_worker=args.worker_threads, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        # pure=False: the article submits the same call once per task, which Dask would
        # otherwise run once and share.
        executor = client.get_executor(pure=False)
        yield executor
        executor.shutdown(wait=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def pool(args):
    if args.model == "dask":
        return dask_pool(args)
    if args.model == "processes":
        context = multiprocessing.get_context(args.start_method) if args.start_method else None
        return ProcessPoolExecutor(max_workers=args.workers, mp_context=context)
    return ThreadPoolExecutor(max_workers=args.workers)
