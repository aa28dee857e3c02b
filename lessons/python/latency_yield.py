"""The button chapter's cooperative search, in CPython: yield every K hashes.

What it measures, with the notes' check() (sha256 + hexdigest + startswith):

  - hash_rate: hashes per second of a plain loop, no yields;
  - for each K: the search as an asyncio task that hashes K counters, then
    `await asyncio.sleep(0)`; beside it on the same loop, a "button" task
    that wants to run every 100 ms (as racecourse's headless clock does):
    the slice length (K / rate), how late the button ran (median, max),
    and the hash rate with the yields. A wake-up waits for the slice under
    way, and asyncio needs two more turns of the loop (the timer fires,
    then the task runs), each behind another slice: up to about 3 slices.

The search is the prefix 00000 search from counter 0, cut off after
--seconds seconds (no nonce needed: latency and rate are the point).

How to run it (stdlib only, no server needed):

    python3 lessons/python/latency_yield.py       # [--k 100 1000 20000 100000]

Prints `key: value` lines; times in milliseconds.
"""

import argparse
import asyncio
import hashlib
import statistics
import struct
import time


def check(message, i, prefix="0000"):
    data = message.encode("utf-8")
    suffix = struct.pack("<I", i)
    hex_digest = hashlib.sha256(data + suffix).hexdigest()
    return hex_digest.startswith(prefix)


def plain_rate(seconds):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for i in range(n, n + 10_000):
            check("hello world", i, prefix="00000")
        n += 10_000
    return n / (time.perf_counter() - start)


async def search(k, seconds, state):
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < seconds:
        for j in range(i, i + k):
            check("hello world", j, prefix="00000")
        i += k
        await asyncio.sleep(0)              # yield: the loop runs the button
    state["hashes"] = i
    state["elapsed"] = time.perf_counter() - start
    state["running"] = False


async def button(state, period=0.1):
    while state["running"]:
        due = time.perf_counter() + period
        await asyncio.sleep(period)         # "wake me in 100 ms"
        state["late"].append(time.perf_counter() - due)


async def cooperative(k, seconds):
    state = {"running": True, "late": []}
    await asyncio.gather(search(k, seconds, state), button(state))
    return state


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+",
                        default=[100, 1_000, 20_000, 100_000])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    rate = plain_rate(args.seconds)
    print(f"hash_rate_M_per_s: {rate / 1e6:.2f}")
    for k in args.k:
        s = asyncio.run(cooperative(k, args.seconds))
        late = [x * 1000 for x in s["late"]]
        print(f"K={k}_slice_ms: {k / rate * 1000:.1f}")
        print(f"K={k}_late_median_ms: {statistics.median(late):.1f}")
        print(f"K={k}_late_max_ms: {max(late):.1f}")
        print(f"K={k}_rate_M_per_s: {s['hashes'] / s['elapsed'] / 1e6:.2f}")


if __name__ == "__main__":
    main()
