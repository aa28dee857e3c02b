"""`with Pool(...)` terminates; close() + join() waits.

What it measures: how many of 8 apply_async jobs (each sleeps 0.5 s and
returns its number) have a result once the pool is done with, when

  1. the `with Pool(4) as pool:` block ends right after the submissions:
     Pool.__exit__ calls terminate(), which kills the workers, so the
     outstanding jobs never end;
  2. the pool is closed and joined: close() (no more jobs), join() (wait
     for the workers to finish them and exit);
  3. the `with` block itself waits, with pool.map (or result.get()):
     the work is done before __exit__ runs.

How to run it (stdlib only, no server needed):

    python3 lessons/python/pool_with_terminate.py

Prints `key: value` lines.
"""

import time
from multiprocessing import Pool

JOBS = 8


def job(i):
    time.sleep(0.5)
    return i


def ready(results):
    return sum(r.ready() and r.successful() for r in results)


def main():
    start = time.perf_counter()
    with Pool(processes=4) as pool:
        results = [pool.apply_async(job, (i,)) for i in range(JOBS)]
    # __exit__ has called pool.terminate()
    time.sleep(1.5)  # more than enough for both rounds, had they run
    print(f"with_apply_async_results: {ready(results)}/{JOBS}"
          f" after {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    pool = Pool(processes=4)
    results = [pool.apply_async(job, (i,)) for i in range(JOBS)]
    pool.close()
    pool.join()
    print(f"close_join_apply_async_results: {ready(results)}/{JOBS}"
          f" after {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    with Pool(processes=4) as pool:
        values = pool.map(job, range(JOBS))  # blocks until all are done
    print(f"with_map_results: {len(values)}/{JOBS}"
          f" after {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
