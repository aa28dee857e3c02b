"""The notes' "not easy to debug": the producer_consumer script without `import random`.

What it measures: a producer thread that calls random.randint where
`random` was never imported, and a consumer that waits in queue.get() for
its items. The producer dies of NameError; threading.excepthook prints it
on standard error; the consumer waits on. Then the same with the fix (the
producer puts a sentinel in a `finally:` block). The consumer here is a
daemon thread, so that the script can end at all: a thread blocked in
get() cannot be stopped from outside in Python.

How to run it (stdlib only, no server needed):

    python3 lessons/python/forgotten_import.py

Prints the excepthook's lines (on stderr) and `key: value` lines (on stdout).
"""

import queue
import sys
import threading
import time

SENTINEL = object()


def producer(q, event, fixed):
    try:
        while not event.is_set():
            message = random.randint(1, 101)  # noqa: F821 -- `import random` forgotten
            q.put(message)
    finally:
        if fixed:
            q.put(SENTINEL)


def consumer(q, got):
    while (message := q.get()) is not SENTINEL:
        got.append(message)


def one(fixed):
    q, event, got = queue.Queue(maxsize=10), threading.Event(), []
    c = threading.Thread(target=consumer, args=(q, got), daemon=True)
    p = threading.Thread(target=producer, args=(q, event, fixed), name="Producer-1")
    c.start()
    p.start()
    p.join()
    event.set()
    sys.stderr.flush()
    c.join(timeout=1.0)
    label = "fixed" if fixed else "bug"
    print(f"{label}_producer_alive: {p.is_alive()}")
    print(f"{label}_consumer_alive_after_1s: {c.is_alive()}")
    print(f"{label}_items_got: {len(got)}")


def main():
    print(f"python: {sys.version.split()[0]}")
    one(fixed=False)
    time.sleep(0.1)
    one(fixed=True)


if __name__ == "__main__":
    main()
