"""The scheduler chapter's programs on CPython threads, with you as the
scheduler.

What it shows:

  1. the bytecode of `counter += 1` in this CPython (`dis`): a load of the
     global, the add, and a separate store, so a switch between them is
     possible;
  2. the three programs of the scheduler pane (lost-update, locked,
     deadlock) run on two real `threading.Thread`s whose every step waits
     at a gate (a `threading.Semaphore`) that only the main thread opens,
     following a schedule such as 1,2,1,2,1,2. An `acquire` step tries the
     real `threading.Lock` without blocking; when another thread holds it,
     the step is refused, as in the pane.

How to run it (stdlib only):

    python3 lessons/python/scheduled_counter.py
    python3 lessons/python/scheduled_counter.py --program locked --schedule 1,2,1,1,1,1,2,2,2,2,2

Prints `key: value` lines: the bytecode names, then for each schedule the
final counter, the refused steps and whether no thread can step.
"""

import argparse
import dis
import threading

counter = 0


def increment():
    global counter
    counter += 1


def program(name):
    """Each thread's steps as (code, action) pairs; an action returns False
    when the step cannot be taken (a lock held by the other thread)."""
    if name == "lost-update":
        return [["load", "add", "store"], ["load", "add", "store"]]
    if name == "locked":
        steps = ["acquire lock", "load", "add", "store", "release lock"]
        return [steps, steps]
    return [
        ["acquire a", "acquire b", "increment", "release b", "release a"],
        ["acquire b", "acquire a", "increment", "release a", "release b"],
    ]


def play(name, schedule):
    global counter
    counter = 0
    locks = {"lock": threading.Lock(), "a": threading.Lock(), "b": threading.Lock()}
    code = program(name)
    gates = [threading.Semaphore(0) for _ in code]
    done = threading.Semaphore(0)
    results = [None] * len(code)
    pcs = [0] * len(code)
    stop = threading.Event()

    def worker(i):
        global counter
        tmp = None
        while pcs[i] < len(code[i]):
            gates[i].acquire()
            if stop.is_set():
                break
            op = code[i][pcs[i]]
            took = True
            if op == "load":
                tmp = counter
            elif op == "add":
                tmp = tmp + 1
            elif op == "store":
                counter = tmp
            elif op == "increment":
                counter += 1
            elif op.startswith("acquire"):
                took = locks[op.split()[1]].acquire(blocking=False)
            elif op.startswith("release"):
                locks[op.split()[1]].release()
            if took:
                pcs[i] += 1
            results[i] = took
            done.release()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(code))]
    for t in threads:
        t.start()
    refused = []
    for n, t in enumerate(schedule, 1):
        i = t - 1
        if pcs[i] >= len(code[i]):
            refused.append(n)
            continue
        gates[i].release()
        done.acquire()
        if not results[i]:
            refused.append(n)

    def can_step(i):
        if pcs[i] >= len(code[i]):
            return False
        op = code[i][pcs[i]]
        return not (op.startswith("acquire") and locks[op.split()[1]].locked())

    stuck = not any(can_step(i) for i in range(len(code)))
    finished = all(pcs[i] >= len(code[i]) for i in range(len(code)))
    stop.set()
    for g in gates:
        g.release()
    for t in threads:
        t.join()
    return counter, refused, stuck and not finished


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", choices=["lost-update", "locked", "deadlock"])
    parser.add_argument("--schedule", help="thread numbers, as 1,2,1,2")
    args = parser.parse_args()
    ops = [i.opname for i in dis.get_instructions(increment) if i.opname != "RESUME"]
    print(f"counter_plus_equals_bytecode: {' '.join(ops[:4])}")
    if args.program and args.schedule:
        cases = [(args.program, args.schedule)]
    else:
        cases = [
            ("lost-update", "1,1,1,2,2,2"),
            ("lost-update", "1,2,1,2,1,2"),
            ("locked", "1,2,1,2,1,2,1,2,1,2,2,2,2,2"),
            ("deadlock", "1,2"),
            ("deadlock", "1,1,1,1,1,2,2,2,2,2"),
        ]
    for name, text in cases:
        schedule = [int(t) for t in text.replace(" ", ",").split(",") if t]
        value, refused, deadlock = play(name, schedule)
        key = f"{name} {text}"
        print(f"{key}: counter {value}, refused steps {refused or 'none'}, deadlock {deadlock}")


if __name__ == "__main__":
    main()
