//! The time a frame is drawn for. The loop reads the clock once per pass
//! and hands it to [`App::update`](crate::ui::app::App::update) as a tick;
//! drawing only ever reads what the tick left in the state.

use std::time::{Duration, Instant, SystemTime};

/// A moment, monotonic (for durations) and by the wall clock (for display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// For durations: how long a run has been going, how long ago a click.
    pub at: Instant,
    /// Since the Unix epoch, for the button pane's clock.
    pub wall: Duration,
}

impl Now {
    /// Reads both clocks; only the event loop calls this.
    pub fn read() -> Now {
        Now {
            at: Instant::now(),
            wall: SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default(),
        }
    }

    /// The wall clock as `hh:mm:ss.t` (UTC).
    pub fn clock_text(&self) -> String {
        let s = self.wall.as_secs();
        format!(
            "{:02}:{:02}:{:02}.{}",
            (s / 3600) % 24,
            (s / 60) % 60,
            s % 60,
            self.wall.subsec_millis() / 100
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_text_is_utc_to_a_tenth() {
        let now = Now {
            at: Instant::now(),
            wall: Duration::from_millis(((13 * 60 + 5) * 60 + 9) * 1000 + 470),
        };
        assert_eq!(now.clock_text(), "13:05:09.4");
    }
}
