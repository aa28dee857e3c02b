"""Two threads, two locks: taken in opposite orders, then in one order.

What it measures: thread 1 takes lock a then lock b, thread 2 takes lock b
then lock a; each holds its first lock 0.2 s before it asks for the
second. The main thread joins both with a timeout of 3 s and reports which
threads are still alive (stuck: a deadlock; they are daemon threads, so the
process can still exit). Then the same with both threads taking a before
b, one global order: both finish.

How to run it (stdlib only, no server needed):

    python3 lessons/python/two_locks.py    # [--runs 3]

Prints `key: value` lines: for each order and run, whether the threads
were still alive after 3 s, and how long the run took.
"""

import argparse
import sys
import threading
import time


def worker(first, second, rounds=3):
    for _ in range(rounds):
        with first:
            time.sleep(0.2)
            with second:
                time.sleep(0.2)
        time.sleep(0.2)


def one_run(opposite):
    a, b = threading.Lock(), threading.Lock()
    second_order = (b, a) if opposite else (a, b)
    t1 = threading.Thread(target=worker, args=(a, b), daemon=True)
    t2 = threading.Thread(target=worker, args=second_order, daemon=True)
    start = time.perf_counter()
    t1.start()
    t2.start()
    deadline = start + 3.0
    for t in (t1, t2):
        t.join(timeout=max(0.0, deadline - time.perf_counter()))
    stuck = [t.name for t in (t1, t2) if t.is_alive()]
    return stuck, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python: {sys.version.split()[0]}")
    for name, opposite in (("opposite", True), ("ordered", False)):
        for i in range(args.runs):
            stuck, secs = one_run(opposite)
            alive = ", ".join(stuck) if stuck else "none"
            print(f"{name}_run_{i + 1}: still alive after 3 s: {alive}; {secs:.2f} s")


if __name__ == "__main__":
    main()
