"""Ctrl-C during the notes' ThreadPoolExecutor download.

What it measures: how many downloads still happen after a KeyboardInterrupt
when the main thread is interrupted

  1. in the notes' code, `with ThreadPoolExecutor(10) as executor:
     executor.map(download_site, sites)`: the interrupt reaches the main
     thread only; the workers go on until the queue is empty, because the
     executor's shutdown(wait=True), and the interpreter at exit, join them;
  2. with `executor.shutdown(wait=True, cancel_futures=True)` in an
     `except KeyboardInterrupt:`: the queued jobs are dropped, only the
     downloads already running finish.

urllib.request stands in for the notes' requests, so that the script needs
only the standard library; the executor behaves the same with either.

The Ctrl-C is sent by a timer: os.kill(os.getpid(), SIGINT) is what a
terminal does (the signal goes to the process, CPython runs the handler on
the main thread). signal.raise_signal() from the timer thread would target
that thread only, and the main thread would not wake up at once.

How to run it (stdlib only):

    racecourse serve --port 8000 --latency 100     # in another terminal
    python3 lessons/python/ctrl_c_threadpool.py    # [--after 0.35]

RACECOURSE_URL changes the server (default http://127.0.0.1:8000).
Prints `key: value` lines.
"""

import argparse
import os
import signal
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, wait

BASE = os.environ.get("RACECOURSE_URL", "http://127.0.0.1:8000")
SITES = [f"{BASE}/sites/jython", f"{BASE}/sites/dice"] * 80

done = 0
done_lock = threading.Lock()


def download_site(url):
    global done
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
    with done_lock:
        done += 1


def ctrl_c_after(seconds):
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def notes_version(after):
    """The notes' code, unchanged: `with` + map."""
    global done
    done = 0
    start = time.perf_counter()
    ctrl_c_after(after)
    try:
        with ThreadPoolExecutor(max_workers=10) as executor:
            executor.map(download_site, SITES)
    except KeyboardInterrupt:
        interrupted_at = time.perf_counter() - start
        at_interrupt = done
    else:
        raise SystemExit("the run ended before the interrupt: lower --after")
    # What the interpreter does before it exits: join every non-daemon
    # thread. The pool's workers are non-daemon, so they run on.
    for t in threading.enumerate():
        if t is not threading.main_thread():
            t.join()
    end = time.perf_counter() - start
    return interrupted_at, at_interrupt, done - at_interrupt, end


def cancel_futures_version(after):
    """The same download, with shutdown(cancel_futures=True) on Ctrl-C."""
    global done
    done = 0
    start = time.perf_counter()
    ctrl_c_after(after)
    executor = ThreadPoolExecutor(max_workers=10)
    try:
        futures = [executor.submit(download_site, url) for url in SITES]
        wait(futures)
    except KeyboardInterrupt:
        interrupted_at = time.perf_counter() - start
        at_interrupt = done
        executor.shutdown(wait=True, cancel_futures=True)
    else:
        raise SystemExit("the run ended before the interrupt: lower --after")
    end = time.perf_counter() - start
    cancelled = sum(f.cancelled() for f in futures)
    return interrupted_at, at_interrupt, done - at_interrupt, end, cancelled


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--after", type=float, default=0.35,
                        help="seconds before the Ctrl-C (default 0.35)")
    args = parser.parse_args()
    try:
        urllib.request.urlopen(f"{BASE}/health", timeout=2).read()
    except OSError as e:
        raise SystemExit(f"no racecourse serve at {BASE} ({e}); "
                         "start: racecourse serve --port 8000 --latency 100")

    t, before, after, end = notes_version(args.after)
    print(f"downloads: {len(SITES)} on 10 threads, Ctrl-C after {t:.2f} s")
    print(f"notes_done_at_interrupt: {before}")
    print(f"notes_done_after_interrupt: {after}")
    print(f"notes_end_s: {end:.2f}")

    t, before, after, end, cancelled = cancel_futures_version(args.after)
    print(f"cancel_futures_done_at_interrupt: {before}")
    print(f"cancel_futures_done_after_interrupt: {after}")
    print(f"cancel_futures_cancelled: {cancelled}")
    print(f"cancel_futures_end_s: {end:.2f}")


if __name__ == "__main__":
    main()
