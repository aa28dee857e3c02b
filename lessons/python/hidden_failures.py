"""The notes' thread version with no server: every failure stays hidden.

What it measures: the notes' full ThreadPoolExecutor version (requests, a
Session per thread, executor.map, its own timing line) pointed at a port
where nothing listens. Every download raises ConnectionError inside its
future; executor.map's results are never asked for, so nothing is printed
but the notes' last line, and the exit status is 0.

How to run it (needs requests: pip install requests; no server: the
script picks a free port and leaves it closed):

    python3 lessons/python/hidden_failures.py

Prints the notes' `Downloaded … in … seconds` line, then `key: value` lines.
"""

import concurrent.futures
import socket
import sys
import threading
import time

try:
    import requests
except ImportError:
    print("hidden_failures.py needs requests: pip install requests", file=sys.stderr)
    sys.exit(2)


def closed_port():
    with socket.socket() as s:        # bind, read the port, close: nobody listens
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BASE = f"http://127.0.0.1:{closed_port()}"
sites = [f"{BASE}/sites/jython", f"{BASE}/sites/dice"] * 80
thread_local = threading.local()
printed = 0


def get_session():
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    return thread_local.session


def download_site(url):
    global printed
    session = get_session()
    with session.get(url) as response:
        printed += 1
        print(f"Read {len(response.content)} from {url}")


def download_all_sites(sites):
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as executor:
        executor.map(download_site, sites)


if __name__ == "__main__":
    start_time = time.time()
    download_all_sites(sites)
    duration = time.time() - start_time
    print(f"Downloaded {len(sites)} in {duration} seconds")
    print(f"read_lines_printed: {printed}")
    print(f"seconds: {duration:.2f}")
