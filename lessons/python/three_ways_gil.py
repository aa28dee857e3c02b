"""The three-ways CPU workload in CPython: 4 jobs of 2 M hashes.

What it measures: the wall time of the demo's CPU workload as racecourse
runs it (`workload: cpu`, `tasks: 4`, `hashes: 2000000`): each job computes
SHA-256 of b"racecourse spin" + a 4-byte counter, for 2 million counters,
here with the chapter's Python (hashlib, hexdigest), on

  - a ThreadPoolExecutor of 1 thread and of 2 threads (the GIL: one thread
    runs Python at a time, so 2 threads are no faster);
  - a ProcessPoolExecutor of 2 processes (one interpreter, one GIL each).

How to run it (stdlib only, no server needed):

    python3 lessons/python/three_ways_gil.py      # [--tasks 4 --hashes 2000000]

It takes a while: CPython hashes about 1 M/s per core, some 20 times less
than the Rust. Prints `key: value` lines; speed-ups are against 1 thread.
"""

import argparse
import hashlib
import os
import struct
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def job(hashes):
    data = b"racecourse spin"
    for n in range(hashes):
        hashlib.sha256(data + struct.pack("<I", n)).hexdigest()
    return hashes


def timed(executor, tasks, hashes):
    start = time.perf_counter()
    with executor as pool:
        list(pool.map(job, [hashes] * tasks))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--hashes", type=int, default=2_000_000)
    args = parser.parse_args()
    total = args.tasks * args.hashes
    print(f"python: {sys.version.split()[0]}  cores: {os.cpu_count()}")
    print(f"work: {args.tasks} jobs x {args.hashes} hashes")
    one = timed(ThreadPoolExecutor(1), args.tasks, args.hashes)
    print(f"threads_1_s: {one:.2f}  ({total / one / 1e6:.2f} M hashes/s)")
    two = timed(ThreadPoolExecutor(2), args.tasks, args.hashes)
    print(f"threads_2_s: {two:.2f}  ({total / two / 1e6:.2f} M hashes/s)")
    procs = timed(ProcessPoolExecutor(2), args.tasks, args.hashes)
    print(f"processes_2_s: {procs:.2f}  ({total / procs / 1e6:.2f} M hashes/s)")
    print(f"speedup_threads_2: {one / two:.2f}")
    print(f"speedup_processes_2: {one / procs:.2f}")


if __name__ == "__main__":
    main()
