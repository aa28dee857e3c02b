"""task.cancel(), asyncio.timeout and asyncio.TaskGroup (Python 3.11).

What it measures: what each prints and when (in units): a task cancelled
after 2 units, cleaning up in `except CancelledError`; send_emails (3
units) under `asyncio.timeout(2)`; a TaskGroup whose third task fails at 2
units, so the other two are cancelled and `except*` catches the
ExceptionGroup; and the same three under gather, where the others go on.

How to run it (stdlib only):

    python3 lessons/python/cancel_group.py          # [--unit 0.1]

Prints each mode's lines, then `key: value` lines.
"""

import argparse
import asyncio
import time

UNIT = 0.1
START = 0.0


def say(text):
    print(f"{(time.perf_counter() - START) / UNIT:4.1f}  {text}")


async def upload_files():
    try:
        say("Preparing files...")
        await asyncio.sleep(1 * UNIT)
        say("Files prepared.")
        await asyncio.sleep(4 * UNIT)
        say("Files uploaded.")
    except asyncio.CancelledError:
        say("upload_files: cancelled, cleaning up")
        raise


async def send_emails():
    try:
        say("Sending emails...")
        await asyncio.sleep(3 * UNIT)
        say("Emails sent...")
    except asyncio.CancelledError:
        say("send_emails: cancelled, cleaning up")
        raise


async def check_quota():
    say("Checking quota...")
    await asyncio.sleep(2 * UNIT)
    raise ValueError("quota exceeded")


async def cancel():
    task = asyncio.create_task(upload_files())
    await asyncio.sleep(2 * UNIT)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        return "CancelledError"


async def timeout():
    try:
        async with asyncio.timeout(2 * UNIT):
            await send_emails()
    except TimeoutError:
        return "TimeoutError"


async def task_group():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(upload_files())
            tg.create_task(send_emails())
            tg.create_task(check_quota())
    except* ValueError as eg:
        for e in eg.exceptions:
            say(f"except* ValueError as eg: {e!r}")
        caught = repr(eg)
    return caught


async def gather():
    try:
        await asyncio.gather(upload_files(), send_emails(), check_quota())
    except ValueError as e:
        say(f"gather raised {e!r}; the others go on")
        await asyncio.sleep(4 * UNIT)
        return repr(e)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=float, default=UNIT)
    UNIT = parser.parse_args().unit
    results = {}
    for name, main in [("cancel", cancel), ("timeout", timeout),
                       ("task_group", task_group), ("gather", gather)]:
        print(f"--- {name}")
        START = time.perf_counter()
        caught = asyncio.run(main())
        total = (time.perf_counter() - START) / UNIT
        say(f"main caught {caught}")
        results[name] = (caught, total)
    for name, (caught, total) in results.items():
        print(f"{name}_caught: {caught}")
        print(f"{name}_units: {total:.2f}")
