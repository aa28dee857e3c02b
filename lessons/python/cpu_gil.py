"""The cpu-gil chapter's hash search in CPython: one loop, threads, processes.

What it measures: the chapter's own Python (check, rounds, search and the
three challenge_* functions) finding the nonce for `hello world`, run

  - sequentially, one chunk after another;
  - on a ThreadPoolExecutor of 2 threads (CPython with a GIL: the threads
    take turns, so no faster);
  - on a multiprocessing Pool of 2 processes (one GIL each).

For each: the wall time, hashes per second (hashes tried / wall time; the
parallel runs search whole rounds of chunks, so they try a few more) and
the speed-up in hashes per second against the sequential run, as the
pane's chart computes it. On a free-threaded build (python3.14t, where
sys._is_gil_enabled() is False) the threads row scales too.

How to run it (stdlib only, no server needed):

    python3 lessons/python/cpu_gil.py             # [--prefix 00000 --workers 2]

The default prefix, 000000 as in the chapter (41,355,128 hashes), takes
about 30 s a mode. --prefix 00000 is done in under a second a mode: a quick
look, too short for a fair comparison. Prints `key: value` lines.
"""

import argparse
import hashlib
import os
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool

COUNTERS = 2**32 - 1
CHUNK = 262_144


def check(message, i, prefix="0000"):
    data = message.encode("utf-8")
    suffix = struct.pack("<I", i)
    hex_digest = hashlib.sha256(data + suffix).hexdigest()
    return hex_digest.startswith(prefix)


def rounds(message, prefix, workers):
    # N chunks per round, lowest first: (message, prefix, start, end)
    for first in range(0, COUNTERS, CHUNK * workers):
        last = min(first + CHUNK * workers, COUNTERS)
        yield [(message, prefix, s, min(s + CHUNK, COUNTERS))
               for s in range(first, last, CHUNK)]


def search(message, prefix, start, end):
    for i in range(start, end):
        if check(message, i, prefix=prefix):
            return i
    return None


def challenge_sequential(message, prefix="0000"):
    for chunks in rounds(message, prefix, 1):
        nonce = search(*chunks[0])
        if nonce is not None:
            return nonce


def run(args):
    return search(*args)


def challenge_threads(message, prefix, workers=2):
    with ThreadPoolExecutor(workers) as pool:
        for chunks in rounds(message, prefix, workers):
            for nonce in pool.map(run, chunks):
                if nonce is not None:
                    return nonce   # the smallest


def challenge_processes(message, prefix, workers=2):
    with Pool(processes=workers) as pool:
        for chunks in rounds(message, prefix, workers):
            for nonce in pool.starmap(search, chunks):
                if nonce is not None:
                    return nonce


def hashes_tried(nonce, workers):
    """Whole rounds up to the nonce's, less the tail of the nonce's chunk."""
    whole_rounds = nonce // (CHUNK * workers) + 1
    return whole_rounds * CHUNK * workers - (CHUNK - nonce % CHUNK - 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="000000")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"python: {sys.version.split()[0]}  gil_enabled: {gil}"
          f"  cores: {os.cpu_count()}")
    base = None
    for name, workers, challenge in (
            ("sequential", 1, lambda: challenge_sequential("hello world", args.prefix)),
            (f"threads_{args.workers}", args.workers,
             lambda: challenge_threads("hello world", args.prefix, args.workers)),
            (f"processes_{args.workers}", args.workers,
             lambda: challenge_processes("hello world", args.prefix, args.workers))):
        start = time.perf_counter()
        nonce = challenge()
        wall = time.perf_counter() - start
        rate = hashes_tried(nonce, workers) / wall
        base = base or rate
        print(f"{name}: nonce {nonce}, {wall:.2f} s, "
              f"{rate / 1e6:.2f} M hashes/s, speedup {rate / base:.2f}")


if __name__ == "__main__":
    main()
