"""The notes' upload_files / send_emails, four ways, timed.

What it measures: the seed's synchronous version (time.sleep), the async
version awaited one after the other, the notes' asyncio.gather version, and
send_emails as a task created before upload_files is awaited. The sleeps
are 1, 4 and 3 units; a unit is one second, as in the notes, unless
--unit says otherwise. Each version's printed lines carry their time in
units; the totals are the wall time in units.

How to run it (stdlib only, no server needed):

    python3 lessons/python/gather_uploads.py          # [--unit 0.1]

Prints each version's lines, then `key: value` lines: each version's
total in units.
"""

import argparse
import asyncio
import time

UNIT = 1.0
START = 0.0


def say(text):
    print(f"{(time.perf_counter() - START) / UNIT:4.1f}  {text}")


def upload_files_sync():
    say("Preparing files...")
    time.sleep(1 * UNIT)
    say("Files prepared.")
    time.sleep(4 * UNIT)
    say("Files uploaded.")


def send_emails_sync():
    say("Sending emails...")
    time.sleep(3 * UNIT)
    say("Emails sent...")


async def upload_files():
    say("Preparing files...")
    await asyncio.sleep(1 * UNIT)
    say("Files prepared.")
    await asyncio.sleep(4 * UNIT)
    say("Files uploaded.")


async def send_emails():
    say("Sending emails...")
    await asyncio.sleep(3 * UNIT)
    say("Emails sent...")


async def sequential():
    await upload_files()
    await send_emails()


async def gather():
    await asyncio.gather(upload_files(), send_emails())


async def create_task():
    task = asyncio.create_task(send_emails())
    say("task created; send_emails has not started")
    await upload_files()
    await task


def timed(name, run):
    global START
    print(f"--- {name}")
    START = time.perf_counter()
    say(f"STARTED AT {time.strftime('%X')}")
    run()
    total = (time.perf_counter() - START) / UNIT
    say(f"FINISHED {time.strftime('%X')}")
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=float, default=UNIT, help="seconds a unit")
    UNIT = parser.parse_args().unit
    totals = {
        "sync": timed("sync", lambda: (upload_files_sync(), send_emails_sync())),
        "sequential": timed("sequential", lambda: asyncio.run(sequential())),
        "gather": timed("gather", lambda: asyncio.run(gather())),
        "create_task": timed("create_task", lambda: asyncio.run(create_task())),
    }
    for name, total in totals.items():
        print(f"{name}_units: {total:.2f}")
