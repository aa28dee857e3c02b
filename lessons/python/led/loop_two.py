# The loop, changed again: a second sensor with its own red LED.

from board import ALARM_MS, FAST_MS, SILENCE_MS, SLOW_MS


def run(io):
    green, red, red2 = False, False, False
    next_green, next_red, next_alarm = 0, 0, 0
    quiet_until = 0
    while True:
        due = min(next_green, next_red, next_alarm)
        now = io.clock.until(due)
        hot, hot2 = io.hot(0, now), io.hot(1, now)
        if io.pressed(now):
            quiet_until = now + SILENCE_MS
        if now >= next_green:
            green = not green
            io.green(green, now)
            next_green += SLOW_MS
        if now >= next_red:
            if hot or red:
                red = hot and not red
                io.red(0, red, now)
            if hot2 or red2:
                red2 = hot2 and not red2
                io.red(1, red2, now)
            next_red += FAST_MS
        if now >= next_alarm:
            if (hot or hot2) and now >= quiet_until:
                io.alarm(now)
            next_alarm += ALARM_MS
