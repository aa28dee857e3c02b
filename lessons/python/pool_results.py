"""ThreadPoolExecutor: map against submit + as_completed, and the hidden
exception.

What it measures:

  1. map and as_completed on five jobs, job i sleeping (5 - i) x 0.3 s
     (job 0 is the slowest), job 2 raising ValueError: which results are
     printed, when the exception reaches the main thread, and when the
     `with` block (which waits for running jobs) lets the program go on;
  2. the notes' alert: a function that takes no argument, submitted with
     one. Each call raises TypeError inside its future; run in a fresh
     python3 process, nothing is printed about it and the exit status is
     0. Asking one future for its .result() raises the TypeError.

How to run it (stdlib only, no server needed):

    python3 lessons/python/pool_results.py

Prints `key: value` lines.
"""

import concurrent.futures
import subprocess
import sys
import time

JOBS, STEP, FAIL = 5, 0.3, 2


def job(i):
    time.sleep((JOBS - i) * STEP)
    if i == FAIL:
        raise ValueError(f"job {i} failed")
    return f"result of job {i}"


def run(way):
    start = time.perf_counter()
    printed = []
    raised = None
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as ex:
            try:
                if way == "map":
                    for r in ex.map(job, range(JOBS)):
                        printed.append(r)
                else:
                    futures = [ex.submit(job, i) for i in range(JOBS)]
                    for f in concurrent.futures.as_completed(futures):
                        printed.append(f.result())
            except ValueError as e:
                raised = (str(e), time.perf_counter() - start)
                raise
    except ValueError:
        pass
    after_with = time.perf_counter() - start
    print(f"{way}_printed: {', '.join(printed)}")
    print(f"{way}_raised: {raised[0]} at {raised[1]:.2f} s")
    print(f"{way}_with_block_left_at: {after_with:.2f} s")


HIDDEN = """
import concurrent.futures

def task():
    print("Thread: working")

with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:
    futures = [executor.submit(task, i) for i in range(3)]
print("Main: all done")
ASK
"""


def hidden(ask):
    code = HIDDEN.replace("ASK", "futures[0].result()" if ask else "")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    name = "result" if ask else "hidden"
    last_err = (p.stderr.strip().splitlines() or [""])[-1]
    print(f"{name}_stdout: {' | '.join(p.stdout.strip().splitlines())}")
    print(f"{name}_stderr_last_line: {last_err}")
    print(f"{name}_exit_status: {p.returncode}")


def main():
    print(f"python: {sys.version.split()[0]}")
    run("map")
    run("as_completed")
    hidden(False)
    hidden(True)


if __name__ == "__main__":
    main()
