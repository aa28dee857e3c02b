//! The tasks, changed: a key acknowledges the alarm and silences it for 10 s.

use std::sync::Arc;

use crate::demos::led::board::{Io, Led, Stop};
use crate::demos::led::{ALARM_MS, FAST_MS, SILENCE_MS, SLOW_MS, all};

/// "A green LED blinks slowly."
async fn green(io: Arc<Io>) -> Result<(), Stop> {
    let (mut on, mut t) = (false, 0);
    loop {
        let now = io.clock.until(t).await?;
        on = !on;
        io.led(Led::Green, on, now);
        t = now + SLOW_MS;
    }
}

/// "Above the threshold, a red LED blinks fast."
async fn red(io: Arc<Io>) -> Result<(), Stop> {
    let (mut on, mut t) = (false, 0);
    loop {
        let now = io.clock.until(t).await?;
        let hot = io.hot(0, now);
        if hot || on {
            on = hot && !on;
            io.led(Led::Red(0), on, now);
        }
        t = now + FAST_MS;
    }
}

/// "Above the threshold, an alarm sounds periodically."
async fn alarm(io: Arc<Io>) -> Result<(), Stop> {
    let (mut t, mut quiet_until) = (0, 0);
    loop {
        let now = io.clock.until(t).await?;
        if io.pressed(now) {
            quiet_until = now + SILENCE_MS;
        }
        if io.hot(0, now) && now >= quiet_until {
            io.alarm(now);
        }
        t = now + ALARM_MS;
    }
}

pub async fn run(io: Arc<Io>) -> Result<(), Stop> {
    all([
        tokio::spawn(green(io.clone())),
        tokio::spawn(red(io.clone())),
        tokio::spawn(alarm(io)),
    ])
    .await
}
