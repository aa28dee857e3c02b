"""Starvation: two threads run the same loop on one threading.Lock.

What it measures: each thread, 10 times, takes the lock, sleeps 0.05 s
holding it, lets go and at once asks again. The order of the turns
(`1` = thread 1) and each thread's longest wait, in 3 runs, when a thread
waits

  1. blocking, `with lock:` (the lock wakes a waiter when it is let go);
  2. polling, `while not lock.acquire(blocking=False): time.sleep(0.001)`:
     the thread that just let go asks again at once and finds the lock
     free, the poller only looks every millisecond.

Neither promises an order: threading.Lock is not a fair lock.

How to run it (stdlib only, no server needed):

    python3 lessons/python/greedy_lock.py    # [--runs 3 --rounds 10]

Prints `key: value` lines: per way and run, the order and the longest
waits.
"""

import argparse
import sys
import threading
import time


def blocking(lock):
    lock.acquire()


def polling(lock):
    while not lock.acquire(blocking=False):
        time.sleep(0.001)


def one_run(take, rounds, hold):
    lock = threading.Lock()
    order = []
    longest = {1: 0.0, 2: 0.0}

    def worker(n):
        for _ in range(rounds):
            t0 = time.perf_counter()
            take(lock)
            try:
                longest[n] = max(longest[n], time.perf_counter() - t0)
                order.append(str(n))
                time.sleep(hold)
            finally:
                lock.release()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return "".join(order), longest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--hold", type=float, default=0.05)
    args = parser.parse_args()
    print(f"python: {sys.version.split()[0]}")
    for name, take in (("blocking", blocking), ("polling", polling)):
        for i in range(args.runs):
            order, longest = one_run(take, args.rounds, args.hold)
            waits = ", ".join(f"thread {n} {w:.2f} s" for n, w in longest.items())
            print(f"{name}_run_{i + 1}: {order}  longest waits: {waits}")


if __name__ == "__main__":
    main()
