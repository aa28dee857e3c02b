"""asyncio's debug warning for a task that computes without awaiting.

What it measures: the three-ways chapter's example, unchanged: 4 tasks that
each compute 2,000,000 SHA-256 hashes with no await inside, on an event
loop in debug mode. asyncio logs `Executing <Task …> took N seconds` for
every step of the loop that took more than loop.slow_callback_duration
(0.1 s); here each task's single step is its whole job.

How to run it (stdlib only, no server needed):

    python3 lessons/python/blocked_loop.py        # [--hashes 2000000]

Prints asyncio's warnings on stderr, then `key: value` lines: each
warning's duration and the wall time.
"""

import argparse
import asyncio
import hashlib
import logging
import re
import struct
import time

HASHES = 2_000_000


async def job(i):
    data = b"racecourse spin"
    for n in range(HASHES):    # no await in here:
        msg = data + struct.pack("<I", n)
        hashlib.sha256(msg).hexdigest()
    print(f"job {i} done")     # the loop was blocked


async def main():
    await asyncio.gather(*(job(i) for i in range(4)))


class Slow(logging.Handler):
    """Collects the durations of asyncio's `Executing … took` warnings."""

    def __init__(self):
        super().__init__()
        self.took = []

    def emit(self, record):
        m = re.search(r"took ([0-9.]+) seconds", record.getMessage())
        if m:
            self.took.append(float(m.group(1)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hashes", type=int, default=HASHES)
    HASHES = parser.parse_args().hashes
    logging.basicConfig()                 # show asyncio's warnings
    slow = Slow()
    logging.getLogger("asyncio").addHandler(slow)
    start = time.perf_counter()
    # debug=True warns of every step that took > 100 ms
    asyncio.run(main(), debug=True)
    print(f"warnings_took_s: {' '.join(f'{t:.2f}' for t in slow.took)}")
    print(f"wall_s: {time.perf_counter() - start:.2f}")
