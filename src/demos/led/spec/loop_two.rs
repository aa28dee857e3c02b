//! The loop, changed again: a second sensor with its own red LED.

use crate::demos::led::board::{Io, Led, Stop};
use crate::demos::led::{ALARM_MS, FAST_MS, SILENCE_MS, SLOW_MS};

pub async fn run(io: &Io) -> Result<(), Stop> {
    let (mut green, mut red, mut red2) = (false, false, false);
    let (mut next_green, mut next_red, mut next_alarm) = (0, 0, 0);
    let mut quiet_until = 0;
    loop {
        let now = io
            .clock
            .until(next_green.min(next_red).min(next_alarm))
            .await?;
        let (hot, hot2) = (io.hot(0, now), io.hot(1, now));
        if io.pressed(now) {
            quiet_until = now + SILENCE_MS;
        }
        if now >= next_green {
            green = !green;
            io.led(Led::Green, green, now);
            next_green += SLOW_MS;
        }
        if now >= next_red {
            if hot || red {
                red = hot && !red;
                io.led(Led::Red(0), red, now);
            }
            if hot2 || red2 {
                red2 = hot2 && !red2;
                io.led(Led::Red(1), red2, now);
            }
            next_red += FAST_MS;
        }
        if now >= next_alarm {
            if (hot || hot2) && now >= quiet_until {
                io.alarm(now);
            }
            next_alarm += ALARM_MS;
        }
    }
}
