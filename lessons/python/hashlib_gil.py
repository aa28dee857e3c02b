"""hashlib and the GIL: 15-byte inputs keep it, 2048 bytes and more release it.

What it measures: the speed-up of hashing on 2 threads against 1, the same
total work, for inputs of 15 bytes (the notes' b"hello world" + 4-byte
counter), 2047, 2048, 4096 bytes and larger. CPython's hashlib lets go of
the GIL while it hashes only when the input is at least 2048 bytes
(HASHLIB_GIL_MINSIZE in Modules/hashlib.h); below that, the hash runs with
the GIL held and the threads take turns: 1x. From 2048 bytes the two
threads hash at the same moment, but each must take the GIL back between
two hashes (the loop is Python), and that hand-over costs about as much as
hashing a few KiB: the speed-up grows with the input, towards 2x on two
idle cores.
Each figure is the best of 3 runs; cpu_per_wall (CPU time of the process
over wall time) above 1 shows the two threads hashing at the same moment,
even when other programs keep the speed-up down.

How to run it (stdlib only, no server needed):

    python3 lessons/python/hashlib_gil.py

Prints `key: value` lines.
"""

import hashlib
import os
import sys
import threading
import time

# size in bytes -> hashes per run (about a second of work on one core)
SIZES = {15: 1_000_000, 2047: 200_000, 2048: 200_000, 4096: 100_000,
         16384: 40_000, 65536: 10_000, 1048576: 600}


def hash_many(data, n):
    sha256 = hashlib.sha256
    for _ in range(n):
        sha256(data).digest()


def timed(threads, data, n):
    """Wall time and CPU time (all threads) of n hashes shared by threads."""
    workers = [threading.Thread(target=hash_many, args=(data, n // threads))
               for _ in range(threads)]
    cpu, start = time.process_time(), time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - start, time.process_time() - cpu


def best(runs, threads, data, n):
    """The fastest of a few runs: other programs slow some runs down."""
    return min((timed(threads, data, n) for _ in range(runs)),
               key=lambda t: t[0])


def main():
    print(f"python: {sys.version.split()[0]}  cores: {os.cpu_count()}")
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"gil_enabled: {gil}")
    for size, n in SIZES.items():
        data = b"x" * size
        one, _ = best(3, 1, data, n)
        two, two_cpu = best(3, 2, data, n)
        print(f"bytes_{size}_1_thread: {n / one / 1e6:.3f} M hashes/s,"
              f" {n * size / one / 1e6:.0f} MB/s")
        print(f"bytes_{size}_speedup_2_threads: {one / two:.2f}")
        # above 1: both threads hashed at the same moment
        print(f"bytes_{size}_cpu_per_wall_2_threads: {two_cpu / two:.2f}")


if __name__ == "__main__":
    main()
