"""Start methods: fork, spawn, forkserver.

What it measures, for each start method CPython has on this machine:

- how long one `Process` takes to start and be joined (an empty target,
  mean of 10);
- which processes exist while a child runs: the child's parent PID (with
  `forkserver` it is the server, not us) and how many children we have;
- whether a lambda can be the target (it must be picklable by name,
  except with `fork`, which copies the parent instead).

Also the default method of this Python.

How to run it (stdlib only, Linux):

    python3 lessons/python/start_methods.py

Prints `key: value` lines; times depend on the machine and its load.
"""

import multiprocessing as mp
import os
import time


def nothing():
    pass


def report(q):
    q.put(os.getppid())
    time.sleep(0.3)


def our_children():
    me = str(os.getpid())
    n = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            n += 1
    return n


def measure(method):
    ctx = mp.get_context(method)
    t0 = time.perf_counter()
    for _ in range(10):
        p = ctx.Process(target=nothing)
        p.start()
        p.join()
    ms = (time.perf_counter() - t0) / 10 * 1000
    q = ctx.Queue()
    p = ctx.Process(target=report, args=(q,))
    p.start()
    parent = q.get()
    children = our_children()
    p.join()
    try:
        lam = ctx.Process(target=lambda: None)
        lam.start()
        lam.join()
        lam_result = f"ran, exitcode {lam.exitcode}"
    except Exception as e:  # spawn, forkserver: it must be pickled
        lam_result = f"{type(e).__name__}: {e}"
    print(f"{method}_start_join_ms: {ms:.1f}")
    print(f"{method}_child_parent_is_us: {parent == os.getpid()}")
    print(f"{method}_our_children_while_it_runs: {children}")
    print(f"{method}_lambda_target: {lam_result}")


def main():
    print(f"default_start_method: {mp.get_start_method()}")
    for method in mp.get_all_start_methods():
        measure(method)


if __name__ == "__main__":
    main()
