"""What Timeslice's Python programs share: their command line and how they start a pool."""
import argparse
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def arguments(description, waits=None, tasks=None, iterations=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--model", choices=("processes", "threads", "async"), default="threads")
    parser.add_argument("--workers", type=int, default=None,
                        help="max_workers of the pool (default: the executor's own)")
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


def pool(args):
    if args.model == "processes":
        context = multiprocessing.get_context(args.start_method) if args.start_method else None
        return ProcessPoolExecutor(max_workers=args.workers, mp_context=context)
    return ThreadPoolExecutor(max_workers=args.workers)
