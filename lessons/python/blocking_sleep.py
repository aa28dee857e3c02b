"""time.sleep inside a coroutine against asyncio.to_thread.

What it measures: a ticker that prints every half unit beside
compress_files, which waits 2 units with time.sleep (the loop's thread is
held) or with `await asyncio.to_thread(time.sleep, ...)`. Reports the
longest gap between ticks, in units, and asyncio's debug-mode warning
(`Executing <Task …> took N seconds`, slow_callback_duration 0.1 s).

How to run it (stdlib only):

    python3 lessons/python/blocking_sleep.py        # [--unit 0.1]

Prints `key: value` lines per mode.
"""

import argparse
import asyncio
import logging
import re
import time

UNIT = 0.1


async def ticker(t0):
    at = []
    for _ in range(8):
        await asyncio.sleep(UNIT / 2)
        at.append((time.perf_counter() - t0) / UNIT)
    return at


async def compress_files(mode):
    await asyncio.sleep(UNIT / 2)
    if mode == "time-sleep":
        time.sleep(2 * UNIT)
    else:
        await asyncio.to_thread(time.sleep, 2 * UNIT)


async def main(mode):
    t0 = time.perf_counter()
    ticks = asyncio.create_task(ticker(t0))
    await asyncio.create_task(compress_files(mode))
    at = await ticks
    gaps = [b - a for a, b in zip([0.0] + at, at)]
    return max(gaps), (time.perf_counter() - t0) / UNIT


class Slow(logging.Handler):
    def __init__(self):
        super().__init__()
        self.took = []

    def emit(self, record):
        m = re.search(r"took ([0-9.]+) seconds", record.getMessage())
        if m:
            self.took.append(float(m.group(1)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=float, default=UNIT)
    UNIT = parser.parse_args().unit
    for mode in ("time-sleep", "to-thread"):
        slow = Slow()
        logging.getLogger("asyncio").addHandler(slow)
        gap, total = asyncio.run(main(mode), debug=True)
        logging.getLogger("asyncio").removeHandler(slow)
        took = " ".join(f"{t:.3f}" for t in slow.took) or "none"
        print(f"{mode}_longest_gap_units: {gap:.2f}")
        print(f"{mode}_total_units: {total:.2f}")
        print(f"{mode}_slow_warnings_s: {took}")
