"""The article's ProcessPoolExecutor example (square numbers), parameterised.

usage: python3 article_processes.py [--tasks N] [--iterations N] [--workers N] [--quiet]

The article's code with its defaults: one task per core, each summing i*i for i below
100,000,000. --iterations shortens the loop (CPython needs seconds per 10^7 iterations);
--tasks and --workers set the task count and max_workers. The last line of output is JSON with
the makespan: from entering the executor (its worker processes start there) to the last result.
"""
import argparse
import json
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

parser = argparse.ArgumentParser()
parser.add_argument("--tasks", type=int, default=0)
parser.add_argument("--iterations", type=int, default=100000000)
parser.add_argument("--workers", type=int, default=None)
parser.add_argument("--quiet", action="store_true")
args = parser.parse_args()

logging.basicConfig(level=logging.WARNING if args.quiet else logging.DEBUG,
                    format='%(asctime)s - %(levelname)s - %(message)s')


def square_numbers(process_number, iterations):

    total = 0
    for i in range(iterations):
        total += i * i

    logging.info(f'Finished Process N {process_number}')
    return total


if __name__ == '__main__':
    num_processes = args.tasks or os.cpu_count()

    start = time.monotonic_ns()
    with ProcessPoolExecutor(max_workers=args.workers) as executor:
        # Submit tasks and store the Future objects
        futures = [executor.submit(square_numbers, i, args.iterations) for i in range(num_processes)]

        # Collect results as they complete
        results = []
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            logging.info(f'Received result: {result}')
    end = time.monotonic_ns()

    # All results are now available
    logging.info(f'All results: {results}')
    logging.info(f'Sum of all results: {sum(results)}')
    print(json.dumps({"example": "processes", "makespan_s": (end - start) / 1e9,
                      "results": [str(r) for r in results]}))
