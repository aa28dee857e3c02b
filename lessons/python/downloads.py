"""The downloads chapter's CPython column: the notes' versions, timed.

What it measures: the wall time of 160 downloads (/sites/jython and
/sites/dice, 80 times) against racecourse serve, with the notes' code:

  - sync: one requests.Session, one download after another;
  - threads_10: ThreadPoolExecutor(max_workers=10), a Session per thread;
  - asyncio: aiohttp, one ClientSession, 160 tasks gathered. The session's
    connector allows 100 connections by default, so this is not "no
    limit" (see aiohttp_limit.py);
  - asyncio_limit0: the same with TCPConnector(limit=0), really no limit;
  - asyncio_semaphore_10: the same with an asyncio.Semaphore(10).

How to run it (needs requests and aiohttp: pip install requests aiohttp):

    racecourse serve --port 8000 --latency 100     # in another terminal
    python3 lessons/python/downloads.py            # [--runs 3]

RACECOURSE_URL changes the server (default http://127.0.0.1:8000).
Prints `key: value` lines: seconds, best–worst of the runs (sync runs once).
"""

import argparse
import asyncio
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import aiohttp
    import requests
except ImportError as e:
    print(f"downloads.py needs requests and aiohttp ({e.name} is missing): "
          "pip install requests aiohttp", file=sys.stderr)
    sys.exit(2)

BASE = os.environ.get("RACECOURSE_URL", "http://127.0.0.1:8000")
SITES = [f"{BASE}/sites/jython", f"{BASE}/sites/dice"] * 80
thread_local = threading.local()


def get_session():
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    return thread_local.session


def download_site(url, session=None):
    session = session or get_session()
    with session.get(url, timeout=10) as response:
        response.raise_for_status()
        return len(response.content)


def sync():
    with requests.Session() as session:
        for url in SITES:
            download_site(url, session)


def threads_10():
    with ThreadPoolExecutor(max_workers=10) as executor:
        list(executor.map(download_site, SITES))


async def aio_download(session, url, limit):
    async with limit:
        async with session.get(url) as response:
            response.raise_for_status()
            return len(await response.read())


async def aio_all(connector_limit=None, permits=None):
    connector = (None if connector_limit is None
                 else aiohttp.TCPConnector(limit=connector_limit))
    limit = asyncio.Semaphore(permits or len(SITES))
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.create_task(aio_download(session, url, limit))
                 for url in SITES]
        await asyncio.gather(*tasks)


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"downloads: {len(SITES)}  requests: {requests.__version__}"
          f"  aiohttp: {aiohttp.__version__}")
    print(f"sync_s: {timed(sync):.2f}")
    versions = {
        "threads_10": threads_10,
        "asyncio": lambda: asyncio.run(aio_all()),
        "asyncio_limit0": lambda: asyncio.run(aio_all(connector_limit=0)),
        "asyncio_semaphore_10": lambda: asyncio.run(aio_all(permits=10)),
    }
    for name, run in versions.items():
        times = [timed(run) for _ in range(args.runs)]
        print(f"{name}_s: {min(times):.2f}–{max(times):.2f}")


if __name__ == "__main__":
    main()
