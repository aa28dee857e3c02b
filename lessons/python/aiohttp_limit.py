"""aiohttp's ClientSession: 100 connections at most, unless told otherwise.

What it measures: the wall time of the notes' asyncio version (160 tasks,
one ClientSession, gather) at two latencies, 100 ms and 1000 ms, with

  - `aiohttp.ClientSession()`: its TCPConnector allows 100 connections at
    once by default (limit=100), so 60 of the 160 downloads wait for a free
    connection: two latencies instead of one;
  - `aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))`: no
    limit, all 160 requests in flight at once.

The 1000 ms runs ask the server for that latency per request
(`?latency=1000`), so one server serves both.

How to run it (needs aiohttp: pip install aiohttp):

    racecourse serve --port 8000 --latency 100     # in another terminal
    python3 lessons/python/aiohttp_limit.py        # [--runs 3]

RACECOURSE_URL changes the server (default http://127.0.0.1:8000).
Prints `key: value` lines: seconds, best and worst of the runs.
"""

import argparse
import asyncio
import inspect
import os
import sys
import time

try:
    import aiohttp
except ImportError:
    print("aiohttp_limit.py needs aiohttp: pip install aiohttp", file=sys.stderr)
    sys.exit(2)

BASE = os.environ.get("RACECOURSE_URL", "http://127.0.0.1:8000")


def sites(latency_ms):
    query = "" if latency_ms is None else f"?latency={latency_ms}"
    return [f"{BASE}/sites/jython{query}", f"{BASE}/sites/dice{query}"] * 80


async def download_site(session, url):
    async with session.get(url) as response:
        await response.read()


async def download_all_sites(urls, limit):
    connector = None if limit is None else aiohttp.TCPConnector(limit=limit)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        tasks = [asyncio.create_task(download_site(session, url)) for url in urls]
        results = await asyncio.gather(*tasks, return_exceptions=True)
        took = time.perf_counter() - start
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        raise SystemExit(f"{len(failed)} downloads failed, first: {failed[0]!r}")
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"aiohttp: {aiohttp.__version__}")
    limit = inspect.signature(aiohttp.TCPConnector).parameters["limit"].default
    print(f"default_connector_limit: {limit}")
    for latency, label in ((None, "100ms"), (1000, "1000ms")):
        for limit, name in ((None, "default"), (0, "limit0")):
            times = [asyncio.run(download_all_sites(sites(latency), limit))
                     for _ in range(args.runs)]
            print(f"{label}_{name}_s: {min(times):.2f}–{max(times):.2f}")


if __name__ == "__main__":
    main()
