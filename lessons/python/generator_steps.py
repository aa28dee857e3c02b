"""The generator chapter's stepping trace, as CPython prints it.

Runs the notes' `yeild_test` (their spelling) and a `countdown` the way a
`for` loop does, one `next()` at a time, and prints after each step what
the generator yielded, the line it is suspended at (counted from its `def`
line, 1) and its locals, read from the suspended frame. Then drives a
coroutine by hand, `send(None)` standing for a poll, to each `await`.

racecourse's generator stepper prints the same lines for the generators
(`racecourse run generator --mode notes|countdown`); its test compares them
with generator_steps.out, which is this script's output under python3 here:

    python3 lessons/python/generator_steps.py > lessons/python/generator_steps.out
"""

import inspect


def yeild_test():
    print("This is the beginning of yeild_test().")
    yield 1

    print("This is the end of yeild_test().")
    yield 2


def countdown(n):
    print(f"Counting down from {n}.")
    while n > 0:
        yield n
        n -= 1
    print("Lift-off!")


def locals_of(gen):
    names = gen.gi_code.co_varnames
    seen = gen.gi_frame.f_locals
    shown = [f"{k}={seen[k]!r}" for k in names if k in seen]
    return ", ".join(shown) or "none"


def step_through(gen):
    first = gen.gi_code.co_firstlineno
    print(f"» {gen.__name__}: {inspect.getgeneratorstate(gen)}")
    calls = 0
    while True:
        calls += 1
        print(f"» next() {calls}")
        try:
            value = next(gen)
        except StopIteration:
            print(f"» StopIteration: {inspect.getgeneratorstate(gen)}")
            break
        line = gen.gi_frame.f_lineno - first + 1
        print(f"» yielded {value!r} at line {line}, locals: {locals_of(gen)}")
        print("Generated value: {}".format(value))


step_through(yeild_test())
step_through(countdown(3))


class Pause:
    """An awaitable that suspends its coroutine once: the poll returns."""

    def __await__(self):
        yield


async def upload_files():
    print("Preparing files...")
    await Pause()
    print("Files prepared.")
    await Pause()
    print("Files uploaded.")
    return "uploaded"


coro = upload_files()
sends = 0
while True:
    sends += 1
    print(f"» send(None) {sends}")
    try:
        coro.send(None)
    except StopIteration as done:
        print(f"» StopIteration({done.value!r}): {inspect.getcoroutinestate(coro)}")
        break
    print(f"» suspended: {inspect.getcoroutinestate(coro)}")
