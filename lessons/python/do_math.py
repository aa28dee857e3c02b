"""The notes' Pool(processes=3) + apply_async + close + join, and its slips.

What it measures:

  1. the notes' code as written: `args(0, 100)` where `args=(0, 100)` was
     meant. Compiling it gives CPython's own error text;
  2. the range (201, 200) of the third call: empty, so do_math returns 0;
  3. the corrected program (args=, ranges 0-100, 101-200, 201-300),
     keeping the AsyncResults: close() + join() wait, then .get() gives
     each sum;
  4. the same calls in `with Pool(3) as pool:` without .get(): __exit__
     calls terminate() and the results never arrive.

do_math's body is not in the notes; here it is the sum of i * i over
range(start, end), after 0.5 s of CPU so the work can be seen.

How to run it (stdlib only):

    python3 lessons/python/do_math.py

Prints `key: value` lines.
"""

import time
from multiprocessing import Pool

AS_WRITTEN = """
pool.apply_async(func=do_math, args(0, 100))
"""


def do_math(start, end):
    t = time.process_time() + 0.5
    while time.process_time() < t:
        pass
    return sum(i * i for i in range(start, end))


def main():
    try:
        compile(AS_WRITTEN, "notes.py", "exec")
    except SyntaxError as e:
        print(f"as_written: SyntaxError: {e.msg} (line {e.lineno - 1})")

    print(f"empty_range: do_math(201, 200) = {do_math(201, 200)}")

    t0 = time.perf_counter()
    pool = Pool(processes=3)
    rs = [pool.apply_async(func=do_math, args=(a, b))
          for a, b in [(0, 100), (101, 200), (201, 300)]]
    pool.close()
    pool.join()
    print(f"close_join: {[r.get() for r in rs]} after "
          f"{time.perf_counter() - t0:.2f} s")

    t0 = time.perf_counter()
    with Pool(3) as pool:
        rs = [pool.apply_async(do_math, (a, b))
              for a, b in [(0, 100), (101, 200), (201, 300)]]
    ready = sum(r.ready() for r in rs)
    print(f"with_terminate: {ready}/3 results after "
          f"{time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
