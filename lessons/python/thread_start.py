"""The notes' thread_function with join, without join, and as a daemon.

What it measures: one thread runs the notes' thread_function (a line,
time.sleep(2), a line). Each way of starting it runs in a fresh python3
process, because what a daemon thread loses only shows when the
interpreter exits:

  join         x.start(); x.join(): main waits, then says it is done;
  no-join      x.start() only: main says it is done at once, and the
               interpreter waits for the thread at exit (it is not a daemon);
  daemon       daemon=True, no join: the interpreter exits with the thread
               still asleep, and its last line never prints;
  daemon-join  daemon=True, then join(): join waits all the same.

How to run it (stdlib only, no server needed):

    python3 lessons/python/thread_start.py      # [--sleep 2]

Prints `key: value` lines: for each way, the lines in the order printed
(`|` between them), whether the thread's last line printed, and how long
the whole process took.
"""

import argparse
import subprocess
import sys
import time

CHILD = """
import sys, threading, time

def thread_function(name):
    print(f"Thread {name}: starting", flush=True)
    time.sleep(SLEEP)
    print(f"Thread {name}: finishing", flush=True)

mode = sys.argv[1]
x = threading.Thread(target=thread_function, args=(1,),
                     daemon=mode.startswith("daemon"))
print("Main: start thread 1", flush=True)
x.start()
if mode.endswith("join") and mode != "no-join":
    print("Main: join thread 1", flush=True)
    x.join()
print("Main: all done", flush=True)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sleep", type=float, default=2.0)
    args = ap.parse_args()
    code = CHILD.replace("SLEEP", repr(args.sleep))
    print(f"python: {sys.version.split()[0]}")
    for mode in ["join", "no-join", "daemon", "daemon-join"]:
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code, mode],
                             capture_output=True, text=True, check=True).stdout
        took = time.perf_counter() - t0
        lines = out.strip().splitlines()
        print(f"{mode}_lines: {' | '.join(lines)}")
        print(f"{mode}_last_line_printed: {'Thread 1: finishing' in lines}")
        print(f"{mode}_seconds: {took:.2f}")


if __name__ == "__main__":
    main()
