"""Pipe or Queue: messages per second between two processes.

What it measures: a child process sends N small messages (['hello',
'world']) to its parent, through a Pipe (one end each) and through a
multiprocessing Queue; the parent receives them all. Also a Queue with
two producer processes, which a Pipe cannot do safely.

How to run it (stdlib only):

    python3 lessons/python/pipe_vs_queue.py

Prints `key: value` lines; rates depend on the machine and its load.
"""

import time
from multiprocessing import Pipe, Process, Queue

N = 50_000
MSG = ['hello', 'world']


def send_pipe(conn, n):
    for _ in range(n):
        conn.send(MSG)
    conn.close()


def put_queue(q, n):
    for _ in range(n):
        q.put(MSG)


def pipe_rate():
    a, b = Pipe()
    p = Process(target=send_pipe, args=(b, N))
    t0 = time.perf_counter()
    p.start()
    for _ in range(N):
        a.recv()
    dt = time.perf_counter() - t0
    p.join()
    return N / dt


def queue_rate(producers):
    q = Queue()
    each = N // producers
    ps = [Process(target=put_queue, args=(q, each)) for _ in range(producers)]
    t0 = time.perf_counter()
    for p in ps:
        p.start()
    for _ in range(each * producers):
        q.get()
    dt = time.perf_counter() - t0
    for p in ps:
        p.join()
    return each * producers / dt


def main():
    print(f"messages: {N}")
    print(f"pipe_msgs_per_s: {pipe_rate():,.0f}")
    print(f"queue_msgs_per_s: {queue_rate(1):,.0f}")
    print(f"queue_2_producers_msgs_per_s: {queue_rate(2):,.0f}")


if __name__ == "__main__":
    main()
