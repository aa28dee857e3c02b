"""Process or Pool: the notes' claim that "Process is more efficient than
Pool for a limited set of tasks that need to run longer", tested.

What it measures: the same CPU-bound tasks (a busy loop of a given CPU
time each) run two ways, with the default start method:

- one `Process` per task, all started at once, then all joined;
- a `Pool(2)` (this machine's cores) with `pool.map`, the pool's start
  and its `close()` + `join()` included.

Twice: a few long tasks (4 of 0.5 s) and many short ones (200 of 1 ms).
Also the cost of one `Process` start + join with an empty target.

How to run it (stdlib only):

    python3 lessons/python/process_vs_pool.py

Prints `key: value` lines (seconds); they depend on the machine and its
load (`uptime`).
"""

import multiprocessing as mp
import os
import time


def busy(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return os.getpid()


def nothing():
    pass


def one_process_each(n, seconds):
    t0 = time.perf_counter()
    ps = [mp.Process(target=busy, args=(seconds,)) for _ in range(n)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return time.perf_counter() - t0


def pool_of(workers, n, seconds):
    t0 = time.perf_counter()
    pool = mp.Pool(workers)
    pool.map(busy, [seconds] * n)
    pool.close()
    pool.join()
    return time.perf_counter() - t0


def start_cost(times):
    t0 = time.perf_counter()
    for _ in range(times):
        p = mp.Process(target=nothing)
        p.start()
        p.join()
    return (time.perf_counter() - t0) / times


def main():
    print(f"start_method: {mp.get_start_method()}")
    print(f"cpus: {os.cpu_count()}")
    print(f"process_start_join_ms: {start_cost(20) * 1000:.1f}")
    for name, n, seconds in [("long", 4, 0.5), ("short", 200, 0.001)]:
        print(f"{name}_tasks: {n} x {seconds} s")
        print(f"{name}_process_each_s: {one_process_each(n, seconds):.2f}")
        print(f"{name}_pool2_s: {pool_of(2, n, seconds):.2f}")


if __name__ == "__main__":
    main()
