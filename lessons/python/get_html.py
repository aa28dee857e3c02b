"""The notes' get_html (aiohttp) against racecourse serve.

What it measures: one `get_html(url)` as the notes write it (a session per
call, `raise_for_status`, `await resp.text()`), then 20 of them gathered,
then 20 sharing one session; the length of the page and the wall times.
A 404 shows what raise_for_status raises.

How to run it (needs aiohttp; start the server first):

    racecourse serve --port 8000 --latency 100
    python3 lessons/python/get_html.py

Prints `key: value` lines.
"""

import asyncio
import os
import sys
import time

try:
    import aiohttp
except ImportError:
    print("get_html.py needs aiohttp: pip install aiohttp")
    sys.exit(2)

BASE = os.environ.get("RACECOURSE_URL", "http://127.0.0.1:8000")


async def get_html(url: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            resp.raise_for_status()

            return await resp.text()


async def get_html_shared(session, url):
    async with session.get(url) as resp:
        resp.raise_for_status()
        return await resp.text()


async def main():
    url = f"{BASE}/sites/jython"
    t = time.perf_counter()
    html = await get_html(url)
    print(f"one_len: {len(html)}")
    print(f"one_s: {time.perf_counter() - t:.3f}")

    t = time.perf_counter()
    pages = await asyncio.gather(*(get_html(url) for _ in range(20)))
    print(f"twenty_sessions_s: {time.perf_counter() - t:.3f} ({len(pages)} pages)")

    t = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        pages = await asyncio.gather(*(get_html_shared(session, url) for _ in range(20)))
    print(f"twenty_shared_s: {time.perf_counter() - t:.3f} ({len(pages)} pages)")

    try:
        await get_html(f"{BASE}/no-such-page")
    except aiohttp.ClientResponseError as e:
        print(f"missing: ClientResponseError {e.status} {e.message}")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except aiohttp.ClientConnectorError as e:
        print(f"cannot reach {BASE} ({e}); start `racecourse serve --port 8000`")
        sys.exit(1)
