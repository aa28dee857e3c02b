"""CPU time per download with requests, in CPython.

What it measures: the process's CPU time (time.process_time(), every
thread, user + system) spent on the notes' downloads with requests, divided
by the number of downloads; and that CPU time as a share of the 100 ms a
download waits for the server. That share is the time a thread needs the
GIL for; the rest of a download it waits with the GIL released.

  - sync: one requests.Session, 160 downloads one after another;
  - threads: 10 threads, a Session per thread (threading.local()).

How to run it (needs requests: pip install requests):

    racecourse serve --port 8000 --latency 100     # in another terminal
    python3 lessons/python/requests_cpu.py

RACECOURSE_URL changes the server (default http://127.0.0.1:8000).
Prints `key: value` lines.
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import requests
except ImportError:
    print("requests_cpu.py needs requests: pip install requests", file=sys.stderr)
    sys.exit(2)

BASE = os.environ.get("RACECOURSE_URL", "http://127.0.0.1:8000")
SITES = [f"{BASE}/sites/jython", f"{BASE}/sites/dice"] * 80
LATENCY_S = 0.1
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


def measure(name, run):
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per = cpu / len(SITES)
    print(f"{name}_wall_s: {wall:.2f}")
    print(f"{name}_cpu_ms_per_download: {per * 1000:.2f}")
    print(f"{name}_cpu_share_of_latency: {per / LATENCY_S:.1%}")


def sync():
    with requests.Session() as session:
        for url in SITES:
            download_site(url, session)


def threads():
    with ThreadPoolExecutor(max_workers=10) as executor:
        list(executor.map(download_site, SITES))


def main():
    print(f"requests: {requests.__version__}  downloads: {len(SITES)}")
    measure("sync", sync)
    measure("threads_10", threads)


if __name__ == "__main__":
    main()
