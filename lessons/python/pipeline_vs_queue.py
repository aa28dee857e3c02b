"""One slot against a queue: items per second between a producer and a consumer.

What it measures: the article's Pipeline (one message at a time, guarded
by two Locks) against queue.Queue(maxsize=10), each carrying the same
items between one producer and one consumer. Making an item and handling
one each take a random time, 0 to twice the mean (40 ms by default), as in
racecourse's `queue` example; the same seed gives both buffers the same
times. Prints items per second for each and the ratio.

How to run it (stdlib only, no server needed):

    python3 lessons/python/pipeline_vs_queue.py   # [--items 40 --mean-ms 40 --maxsize 10 --runs 3]

Prints `key: value` lines.
"""

import argparse
import queue
import random
import threading
import time

SENTINEL = object()


class Pipeline:
    """One slot: producer_lock is held while it is full, consumer_lock while empty."""

    def __init__(self):
        self.message = None
        self.producer_lock = threading.Lock()
        self.consumer_lock = threading.Lock()
        self.consumer_lock.acquire()

    def put(self, message):
        self.producer_lock.acquire()
        self.message = message
        self.consumer_lock.release()

    def get(self):
        self.consumer_lock.acquire()
        message = self.message
        self.producer_lock.release()
        return message


def producer(buf, times):
    for i, t in enumerate(times):
        time.sleep(t)          # making the item
        buf.put(i)
    buf.put(SENTINEL)


def consumer(buf, times, handled):
    while (item := buf.get()) is not SENTINEL:
        time.sleep(times[item])  # handling it
        handled.append(item)


def one(buf, make, handle):
    handled = []
    threads = [threading.Thread(target=consumer, args=(buf, handle, handled)),
               threading.Thread(target=producer, args=(buf, make))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    assert sorted(handled) == list(range(len(make))), "an item was lost or handled twice"
    return len(handled) / wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=40)
    ap.add_argument("--mean-ms", type=float, default=40)
    ap.add_argument("--maxsize", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    mean = args.mean_ms / 1000
    ratios = []
    for run in range(args.runs):
        rng = random.Random(run)
        make = [rng.uniform(0, 2 * mean) for _ in range(args.items)]
        handle = [rng.uniform(0, 2 * mean) for _ in range(args.items)]
        p = one(Pipeline(), make, handle)
        q = one(queue.Queue(maxsize=args.maxsize), make, handle)
        ratios.append(q / p)
        print(f"run_{run}_pipeline_items_per_s: {p:.1f}")
        print(f"run_{run}_queue_items_per_s: {q:.1f}")
    print(f"queue_over_pipeline: {min(ratios):.2f}-{max(ratios):.2f}")


if __name__ == "__main__":
    main()
