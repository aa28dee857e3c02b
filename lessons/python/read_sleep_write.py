"""The notes' race condition: read a shared value, sleep, write it back + 1.

What it measures: two threads each run `update()` once on a shared
`FakeDatabase`, in 5 runs, written

  1. without a lock: each thread copies `value`, sleeps 0.1 s, and writes
     its copy + 1 back. Both read 0 before either writes, so the second
     write overwrites the first: the value ends at 1, not 2;
  2. with `with self._lock:` around the read, the sleep and the write:
     the second thread waits for the first, and the value ends at 2.

How to run it (stdlib only, no server needed):

    python3 lessons/python/read_sleep_write.py    # [--runs 5 --threads 2]

Prints `key: value` lines: the final value of each run, and how long a run
took.
"""

import argparse
import sys
import threading
import time


class FakeDatabase:
    def __init__(self):
        self.value = 0
        self._lock = threading.Lock()

    def update(self):
        local_copy = self.value
        local_copy += 1
        time.sleep(0.1)
        self.value = local_copy

    def locked_update(self):
        with self._lock:
            local_copy = self.value
            local_copy += 1
            time.sleep(0.1)
            self.value = local_copy


def one_run(threads, locked):
    db = FakeDatabase()
    job = db.locked_update if locked else db.update
    workers = [threading.Thread(target=job) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return db.value, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    print(f"python: {sys.version.split()[0]}")
    print(f"expected: {args.threads}")
    for name, locked in (("unlocked", False), ("locked", True)):
        runs = [one_run(args.threads, locked) for _ in range(args.runs)]
        print(f"{name}_values: {' '.join(str(v) for v, _ in runs)}")
        print(f"{name}_seconds: {' '.join(f'{s:.2f}' for _, s in runs)}")


if __name__ == "__main__":
    main()
