# What both Python implementations of the LED spec share, as in
# src/demos/led/board.rs: the clock they wait on, the inputs they read and
# the board they drive, which records every change.
#
# Times are the spec's own milliseconds from the start. A change is stamped
# with the time it was due, not with the moment the sleep happened to end,
# so a run at any speed records the same schedule.

import asyncio
import time

SLOW_MS = 500  # the green LED toggles every half second
FAST_MS = 100  # the red LED toggles every 100 ms while it is hot
ALARM_MS = 1000  # the alarm sounds once a second while it is hot
SILENCE_MS = 10_000  # an acknowledgement silences the alarm this long


class End(Exception):
    """The run's time is up."""


class LoopClock:
    """The spec's time for the hand-written loop: `until` blocks."""

    def __init__(self, second_ms, end_ms):
        self.scale = second_ms / 1_000_000  # real seconds per spec ms
        self.origin = time.monotonic()
        self.end_ms = end_ms

    def left(self, t_ms):
        if t_ms >= self.end_ms:
            raise End
        return self.origin + t_ms * self.scale - time.monotonic()

    def until(self, t_ms):
        """Sleeps until spec time `t_ms` and returns it."""
        time.sleep(max(0.0, self.left(t_ms)))
        return t_ms


class TaskClock(LoopClock):
    """The spec's time for asyncio tasks: `until` is awaited."""

    async def until(self, t_ms):
        """Sleeps until spec time `t_ms`, letting other tasks run, and returns it."""
        await asyncio.sleep(max(0.0, self.left(t_ms)))
        return t_ms


class Io:
    """The clock, the sensors (one reading a second), the acknowledge key
    (scripted presses) and the board."""

    def __init__(self, name, clock, sensors, acks, threshold):
        self.name, self.clock = name, clock
        self.sensors, self.acks, self.threshold = sensors, acks, threshold
        self.acks_seen = 0
        self.log = []

    def hot(self, sensor, t_ms):
        script = self.sensors[sensor]
        second = t_ms // 1000
        return script[min(second, len(script) - 1)] > self.threshold

    def pressed(self, t_ms):
        """Whether the key was pressed since this board last asked."""
        acks = sum(1 for a in self.acks if a <= t_ms)
        new, self.acks_seen = acks > self.acks_seen, acks
        return new

    def green(self, on, t_ms):
        self.record(t_ms, "green", on)

    def red(self, sensor, on, t_ms):
        self.record(t_ms, "red" if sensor == 0 else f"red{sensor + 1}", on)

    def alarm(self, t_ms):
        self.record(t_ms, "ALARM", None)

    def record(self, t_ms, what, on):
        self.log.append((t_ms, what, on))
        text = what if on is None else f"{what} {'on' if on else 'off'}"
        print(f"{self.name} {t_ms / 1000:7.3f} s  {text}", flush=True)


async def all_of(*coroutines):
    """Runs the coroutines as tasks (`gather`) until each reaches the end of
    the run; any other exception is raised."""
    ends = await asyncio.gather(*coroutines, return_exceptions=True)
    for end in ends:
        if isinstance(end, BaseException) and not isinstance(end, End):
            raise end


def schedule(log):
    """What a board did, instant by instant, as src/demos/led/board.rs's
    `schedule`: each LED whose state differs from the instant before, and
    each alarm; within an instant, sorted (tasks due at one instant have no
    order between them)."""
    state, out = {}, []
    for t in sorted({t for t, _, _ in log}):
        after, here = dict(state), []
        for at, what, on in log:
            if at != t:
                continue
            if on is None:
                here.append(what)
            else:
                after[what] = on
        for led, on in after.items():
            if state.get(led, False) != on:
                here.append(f"{led} {'on' if on else 'off'}")
        out.extend({"at_ms": t, "what": w} for w in sorted(here))
        state = after
    return out
