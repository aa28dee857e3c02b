"""threading.Barrier: how close together the waiting threads go on.

What it measures: N threads (4 by default) each sleep a different time
(thread i sleeps i x 100 ms), then call barrier.wait(); each notes
time.perf_counter() the moment wait() returns. Per round, the gap between
the first and the last thread to go on, in ms.

How to run it (stdlib only, no server needed):

    python3 lessons/python/barrier_release.py   # [--threads 4 --rounds 5]

Prints `key: value` lines.
"""

import argparse
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    n = args.threads
    barrier = threading.Barrier(n)
    released = [[None] * n for _ in range(args.rounds)]

    def worker(i):
        for r in range(args.rounds):
            time.sleep(0.1 * (1 + (i + r) % n))
            barrier.wait()
            released[r][i] = time.perf_counter()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    spreads = [(max(ts) - min(ts)) * 1000 for ts in released]
    for r, s in enumerate(spreads):
        print(f"round_{r}_spread_ms: {s:.3f}")
    print(f"threads: {n}")
    print(f"spread_ms_max: {max(spreads):.3f}")


if __name__ == "__main__":
    main()
