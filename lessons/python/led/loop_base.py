# The spec as one hand-written loop: a timestamp per periodic thing, a
# flag per LED, and one wait for whichever comes first.

from board import ALARM_MS, FAST_MS, SLOW_MS


def run(io):
    green, red = False, False
    next_green, next_red, next_alarm = 0, 0, 0
    while True:
        due = min(next_green, next_red, next_alarm)
        now = io.clock.until(due)
        hot = io.hot(0, now)
        if now >= next_green:
            green = not green
            io.green(green, now)
            next_green += SLOW_MS
        if now >= next_red:
            if hot or red:
                red = hot and not red
                io.red(0, red, now)
            next_red += FAST_MS
        if now >= next_alarm:
            if hot:
                io.alarm(now)
            next_alarm += ALARM_MS
