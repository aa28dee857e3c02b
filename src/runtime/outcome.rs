//! How a job ends, and how its value or error reads in a pane.

use std::fmt::{self, Debug};

use crate::runtime::Interrupted;

/// How a job ends badly: it raised an exception or it was interrupted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// The job raised: the text is what Python would print.
    #[error("{0}")]
    Exception(String),
    /// The job saw an interrupt at a checkpoint (`KeyboardInterrupt`); its
    /// unit ends cancelled.
    #[error("interrupted")]
    Interrupted,
}

impl JobError {
    /// An exception from anything printable.
    pub fn exception(e: impl fmt::Display) -> JobError {
        JobError::Exception(e.to_string())
    }
}

impl From<Interrupted> for JobError {
    fn from(_: Interrupted) -> JobError {
        JobError::Interrupted
    }
}

impl From<String> for JobError {
    fn from(s: String) -> JobError {
        JobError::Exception(s)
    }
}

impl From<&str> for JobError {
    fn from(s: &str) -> JobError {
        JobError::Exception(s.to_string())
    }
}

/// What a job returns: its value, or an exception, or an interrupt.
pub type JobResult<T> = Result<T, JobError>;

/// A short text for a `Finished` event: the value's `Debug`, cut to fit a
/// pane (`()` shows as Python's `None`).
pub(crate) fn value_text<T: Debug>(v: &T) -> String {
    let s = format!("{v:?}");
    if s == "()" {
        return "None".into();
    }
    cut_text(s)
}

/// Cuts a value's text to what a pane can show.
pub(crate) fn cut_text(mut s: String) -> String {
    const MAX: usize = 120;
    if s.len() > MAX {
        let mut cut = MAX;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// The message of a caught panic, as an exception text.
pub(crate) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let msg = payload
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("panic: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut_for_panes() {
        assert_eq!(value_text(&()), "None");
        assert_eq!(value_text(&42u32), "42");
        let long = value_text(&"é".repeat(200));
        assert!(long.len() <= 124 && long.ends_with('…'));
        assert_eq!(JobError::from(Interrupted), JobError::Interrupted);
    }
}
