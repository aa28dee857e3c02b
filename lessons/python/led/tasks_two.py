# The tasks, changed again: a second sensor with its own red LED.

from board import ALARM_MS, FAST_MS, SILENCE_MS, SLOW_MS, all_of


async def green(io):
    """A green LED blinks slowly."""
    on, t = False, 0
    while True:
        now = await io.clock.until(t)
        on = not on
        io.green(on, now)
        t = now + SLOW_MS


async def red(io, sensor):
    """Above the threshold, a sensor's red LED blinks fast."""
    on, t = False, 0
    while True:
        now = await io.clock.until(t)
        hot = io.hot(sensor, now)
        if hot or on:
            on = hot and not on
            io.red(sensor, on, now)
        t = now + FAST_MS


async def alarm(io):
    """Above the threshold, an alarm sounds periodically."""
    t, quiet_until = 0, 0
    while True:
        now = await io.clock.until(t)
        if io.pressed(now):
            quiet_until = now + SILENCE_MS
        if (io.hot(0, now) or io.hot(1, now)) and now >= quiet_until:
            io.alarm(now)
        t = now + ALARM_MS


async def run(io):
    await all_of(green(io), red(io, 0), red(io, 1), alarm(io))
