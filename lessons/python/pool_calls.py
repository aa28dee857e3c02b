"""multiprocessing.Pool: map, apply, map_async and apply_async side by side.

What it measures, on Pool(3) and f(x) = x * x where item x keeps its
process busy (4 - x) x 0.3 s (item 1 is the slowest) and item 2 raises
ValueError:

  - whether the call blocks (the time it takes to return);
  - the order results come back in (apply_async's callback order);
  - where the exception of item 2 goes, and what happens to the others.

Also Pool(5).map(f, [1, 2, 3]): the PIDs that did the work, and the
parent's.

How to run it (stdlib only):

    python3 lessons/python/pool_calls.py

Prints `key: value` lines.
"""

import os
import time
from multiprocessing import Pool

STEP = 0.3
ITEMS = [1, 2, 3]


def busy(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def f(x):
    busy((4 - x) * STEP)
    if x == 2:
        raise ValueError(f"f({x}) failed")
    return x * x


def square(x):
    busy(0.2)
    return x * x, os.getpid()


def since(t0):
    return f"{time.perf_counter() - t0:.2f} s"


def main():
    with Pool(5) as pool:
        pairs = pool.map(square, ITEMS)
    print(f"pool5_map: {[v for v, _ in pairs]}")
    print(f"pool5_pids: {sorted({p for _, p in pairs})} parent {os.getpid()}")

    with Pool(3) as pool:
        pool.map(busy, [0.01] * 3)  # the workers are up before we time
        t0 = time.perf_counter()
        try:
            print(f"map: {pool.map(f, ITEMS)}")
        except ValueError as e:
            print(f"map: raised {e!r} after {since(t0)}")

        t0 = time.perf_counter()
        for x in ITEMS:
            try:
                print(f"apply_{x}: {pool.apply(f, (x,))} after {since(t0)}")
            except ValueError as e:
                print(f"apply_{x}: raised {e!r} after {since(t0)}")
                break

        t0 = time.perf_counter()
        r = pool.map_async(f, ITEMS)
        print(f"map_async_returned: after {since(t0)}")
        try:
            print(f"map_async_get: {r.get()}")
        except ValueError as e:
            print(f"map_async_get: raised {e!r} after {since(t0)}")

        t0 = time.perf_counter()
        order = []
        rs = [
            pool.apply_async(f, (x,), callback=order.append,
                             error_callback=lambda e: order.append(repr(e)))
            for x in ITEMS
        ]
        print(f"apply_async_returned: after {since(t0)}")
        for x, r in zip(ITEMS, rs):
            try:
                print(f"apply_async_get_{x}: {r.get()} after {since(t0)}")
            except ValueError as e:
                print(f"apply_async_get_{x}: raised {e!r} after {since(t0)}")
        print(f"apply_async_callback_order: {order}")


if __name__ == "__main__":
    main()
