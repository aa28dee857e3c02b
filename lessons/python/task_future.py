"""Coroutine, Task, Future: what each is, and what ensure_future returns.

What it measures: the repr of a coroutine object before it is awaited,
whether it ran, the RuntimeWarning CPython gives when it is dropped
unawaited; Task's place under Future; what ensure_future and create_task
return for a Task, a Future and a coroutine.

How to run it (stdlib only):

    python3 lessons/python/task_future.py

Prints `key: value` lines.
"""

import asyncio
import gc
import warnings

ran = []


async def send_emails():
    ran.append("send_emails")
    await asyncio.sleep(0.01)


async def set_later(fut):
    await asyncio.sleep(0.01)
    fut.set_result("quota ok")


async def main():
    coro = send_emails()
    print(f"repr: {coro!r}")
    await asyncio.sleep(0.01)
    print(f"ran_unawaited: {bool(ran)}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del coro
        gc.collect()
    for w in caught:
        print(f"warning: {w.category.__name__}: {w.message}")
    await send_emails()
    print(f"ran_awaited: {bool(ran)}")

    print(f"task_subclass_of_future: {issubclass(asyncio.Task, asyncio.Future)}")
    print(f"task_mro: {' > '.join(c.__name__ for c in asyncio.Task.__mro__)}")
    task = asyncio.create_task(send_emails())
    print(f"isinstance_task_future: {isinstance(task, asyncio.Future)}")
    print(f"ensure_future_task_is_task: {asyncio.ensure_future(task) is task}")
    fut = asyncio.get_running_loop().create_future()
    setter = asyncio.create_task(set_later(fut))
    print(f"ensure_future_fut_is_fut: {asyncio.ensure_future(fut) is fut}")
    wrapped = asyncio.ensure_future(send_emails())
    print(f"ensure_future_coroutine: {type(wrapped).__name__}")
    try:
        asyncio.create_task(fut)
    except TypeError as e:
        print(f"create_task_future: TypeError: {e}")
    print(f"await_fut: {await fut!r}")
    await asyncio.gather(task, wrapped, setter)


if __name__ == "__main__":
    asyncio.run(main())
