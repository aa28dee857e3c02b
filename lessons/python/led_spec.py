"""The LED spec of the chapter `led-spec` in CPython: the hand-written loop
(`time.sleep`) and one asyncio task per line of the spec, in the spec's
three versions (`led/*.py`), on a temperature script.

    python3 lessons/python/led_spec.py --mode loop --temps 40,40,90,90,40
    python3 lessons/python/led_spec.py --mode tasks --spec ack \
        --temps 90,90,90,90,90,90,90,90,90,90,90,90,90,90,90 --acks 2.5

Prints each change as it happens (`loop   2.000 s  ALARM`), then the
schedule's `key: value` totals; `--json` ends with one JSON line whose
`result.schedule` is the same list of `(at_ms, what)` as the `--json`
summary of `racecourse run led` with the same options.
"""

import argparse
import asyncio
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "led"))

import board  # noqa: E402

SPECS = {"base": "base", "ack": "ack", "two-sensors": "two"}


def readings(name, text):
    try:
        values = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        sys.exit(f"{name}: give whole numbers of degrees, as 40,90")
    if not values:
        sys.exit(f"{name}: give at least one reading, as 40,90")
    return values


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=["loop", "tasks"], default="loop")
    p.add_argument("--spec", choices=list(SPECS), default="base")
    p.add_argument("--temps", default="40,40,90,90,40")
    p.add_argument("--temps2", default="40,40,40,90,90")
    p.add_argument("--acks", default="", help="seconds of key presses, as 2.5,14")
    p.add_argument("--threshold", type=int, default=80)
    p.add_argument("--second-ms", type=int, default=1000)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()

    two = a.spec == "two-sensors"
    sensors = [readings("temps", a.temps)]
    if two:
        sensors.append(readings("temps2", a.temps2))
    end_ms = max(len(s) for s in sensors) * 1000
    try:
        acks = [round(float(t) * 1000) for t in a.acks.split(",") if t.strip()]
    except ValueError:
        sys.exit("acks: give seconds, as 2.5,14")
    if a.spec == "base":
        acks = []

    module = __import__(f"{a.mode}_{SPECS[a.spec]}")
    clock = (board.LoopClock if a.mode == "loop" else board.TaskClock)(a.second_ms, end_ms)
    io = board.Io(a.mode, clock, sensors, acks, a.threshold)
    started = time.monotonic()
    try:
        if a.mode == "loop":
            module.run(io)
        else:
            asyncio.run(module.run(io))
    except board.End:
        pass
    wall_ms = (time.monotonic() - started) * 1000
    schedule = board.schedule(io.log)
    alarms = sum(1 for e in schedule if e["what"] == "ALARM")
    print(f"changes: {len(schedule)}")
    print(f"alarms: {alarms}")
    print(f"python: {sys.version.split()[0]}")
    if a.json:
        result = {"spec": a.spec, "schedule": schedule, "alarms": alarms}
        print(json.dumps({"mode": a.mode, "wall_ms": round(wall_ms, 1), "result": result}))


if __name__ == "__main__":
    main()
