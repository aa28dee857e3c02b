# The spec as one asyncio task per line: each line is a loop of its own,
# and the event loop interleaves them.

from board import ALARM_MS, FAST_MS, SLOW_MS, all_of


async def green(io):
    """A green LED blinks slowly."""
    on, t = False, 0
    while True:
        now = await io.clock.until(t)
        on = not on
        io.green(on, now)
        t = now + SLOW_MS


async def red(io):
    """Above the threshold, a red LED blinks fast."""
    on, t = False, 0
    while True:
        now = await io.clock.until(t)
        hot = io.hot(0, now)
        if hot or on:
            on = hot and not on
            io.red(0, on, now)
        t = now + FAST_MS


async def alarm(io):
    """Above the threshold, an alarm sounds periodically."""
    t = 0
    while True:
        now = await io.clock.until(t)
        if io.hot(0, now):
            io.alarm(now)
        t = now + ALARM_MS


async def run(io):
    await all_of(green(io), red(io), alarm(io))
