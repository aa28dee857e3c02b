"""The notes' process_data consumer on an asyncio.Queue, with a producer.

What it measures: generate_data puts idx*idx every unit; process_data
(the notes' loop: `item = await data.get()`) spends half a unit on each.
Counts how often the consumer found the queue empty and had to wait, and
the total time in units.

How to run it (stdlib only):

    python3 lessons/python/queue_consumer.py       # [--num 5] [--unit 0.1]

Prints the lines, then `key: value` lines.
"""

import argparse
import asyncio
import time

START = time.perf_counter()
UNIT = 0.1


def say(text):
    print(f"{(time.perf_counter() - START) / UNIT:4.1f}  {text}")


async def generate_data(num: int, data: asyncio.Queue):
    for idx in range(1, num + 1):
        item = idx * idx
        await data.put(item)
        say(f"generated {item}")
        await asyncio.sleep(UNIT)


async def process_data(num: int, data: asyncio.Queue):
    processed = 0
    waits = 0
    got = []
    while processed < num:
        if data.empty():
            waits += 1
        item = await data.get()
        processed += 1
        got.append(item)
        say(f"processed {item}")
        await asyncio.sleep(UNIT / 2)
    return got, waits


async def main(num):
    data = asyncio.Queue()
    consumer = asyncio.create_task(process_data(num, data))
    producer = asyncio.create_task(generate_data(num, data))
    got, waits = await consumer
    await producer
    return got, waits


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num", type=int, default=5)
    parser.add_argument("--unit", type=float, default=UNIT)
    args = parser.parse_args()
    UNIT = args.unit
    START = time.perf_counter()
    got, waits = asyncio.run(main(args.num))
    print(f"processed: {got}")
    print(f"waits_on_empty_queue: {waits}")
    print(f"total_units: {(time.perf_counter() - START) / UNIT:.2f}")
