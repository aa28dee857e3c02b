"""Five threads started in order: in which order do they finish?

What it measures: the notes' thread_function on five threads, started
one after the other (Thread 1 first), each sleeping the same time; the
order in which they print their last line, over several runs. Every
thread asks the OS to wake it after the same sleep; which one runs first
when they wake is the OS scheduler's choice.

How to run it (stdlib only, no server needed):

    python3 lessons/python/thread_order.py      # [--runs 10 --sleep 2]

Prints `key: value` lines: each run's finishing order, how many runs
finished in the order the threads were started, and how many different
orders were seen.
"""

import argparse
import sys
import threading
import time

order = []
order_lock = threading.Lock()


def thread_function(name, seconds):
    time.sleep(seconds)
    with order_lock:                  # the list, not the timing, needs a lock
        order.append(name)


def one_run(n, seconds):
    order.clear()
    threads = [threading.Thread(target=thread_function, args=(i, seconds))
               for i in range(1, n + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return list(order)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=5)
    ap.add_argument("--sleep", type=float, default=2.0)
    args = ap.parse_args()
    print(f"python: {sys.version.split()[0]}")
    runs = []
    for r in range(1, args.runs + 1):
        got = one_run(args.threads, args.sleep)
        runs.append(tuple(got))
        print(f"run_{r}: {' '.join(map(str, got))}")
    start_order = tuple(range(1, args.threads + 1))
    print(f"runs_in_start_order: {sum(r == start_order for r in runs)} of {len(runs)}")
    print(f"different_orders: {len(set(runs))}")


if __name__ == "__main__":
    main()
