"""An unlocked `counter += 1` on 4 threads, in CPython.

What it measures: how many increments are lost when 4 threads each add 1
to a global counter 1,000,000 times without a lock, in 5 runs, written

  1. as `counter += 1`: CPython 3.11 switches threads only at certain
     points of the bytecode (a call, a backward jump of a loop, ...), and
     there is none between the read and the write of this statement, so
     updates are seldom or never lost here; nothing promises it, another
     version or a free-threaded build loses them;
  2. with a call between the read and the write (`value = counter;
     pause(); counter = value + 1`): a switch can now happen in the
     middle of the update, and a thread writes back a stale value;
  3. as 1., under a threading.Lock: never loses any.

How to run it (stdlib only, no server needed):

    python3 lessons/python/unlocked_counter.py    # [--runs 5 --n 1000000]

Prints `key: value` lines: the lost increments of each run.
"""

import argparse
import sys
import threading

counter = 0
lock = threading.Lock()


def pause():
    pass  # any Python function call will do


def plain(n):
    global counter
    for _ in range(n):
        counter += 1


def with_a_call(n):
    global counter
    for _ in range(n):
        value = counter
        pause()
        counter = value + 1


def locked(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


def lost(job, threads, n):
    global counter
    counter = 0
    workers = [threading.Thread(target=job, args=(n,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return threads * n - counter


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    total = args.threads * args.n
    print(f"python: {sys.version.split()[0]}")
    print(f"increments_per_run: {total} ({args.threads} threads x {args.n})")
    for name, job in (("plain", plain), ("call_between", with_a_call),
                      ("locked", locked)):
        results = [lost(job, args.threads, args.n) for _ in range(args.runs)]
        print(f"{name}_lost: {' '.join(map(str, results))}"
              f"  (max {max(results) / total:.0%})")


if __name__ == "__main__":
    main()
