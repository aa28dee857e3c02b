//! The one vocabulary of events shared by the thread pool, the event loop and
//! the process pool. Panes, `run --json` and tests all read this stream.

use serde::{Deserialize, Serialize};

/// A lane: one worker thread, one async task slot or one OS process.
pub type LaneId = u32;

/// A unit of work: one submitted job, one task, one request, one hash range.
pub type UnitId = u64;

/// What a unit is waiting for while it is blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum BlockOn {
    /// The (simulated) global interpreter lock.
    Gil,
    /// A named lock or mutex.
    Lock(String),
    /// Network or disk I/O, with a short description (a URL, a file).
    Io(String),
    /// Waiting to take from or put into a queue.
    Queue(String),
    /// A timed sleep.
    Sleep,
    /// A pipe to or from another process.
    Pipe,
    /// An event, a barrier, a semaphore, a future, another task.
    Other(String),
}

impl BlockOn {
    /// A short label for panes ("GIL", "lock a", "I/O", ...).
    pub fn label(&self) -> String {
        match self {
            BlockOn::Gil => "GIL".into(),
            BlockOn::Lock(name) => format!("lock {name}"),
            BlockOn::Io(what) if what.is_empty() => "I/O".into(),
            BlockOn::Io(what) => format!("I/O {what}"),
            BlockOn::Queue(name) => format!("queue {name}"),
            BlockOn::Sleep => "sleep".into(),
            BlockOn::Pipe => "pipe".into(),
            BlockOn::Other(what) => what.clone(),
        }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A lane came to life (a worker thread started, a process forked).
    LaneUp { name: String, pid: Option<u32> },
    /// A lane went away (worker exited, process died or was replaced).
    LaneDown { reason: String },
    /// A unit of work was created.
    Spawned { unit: UnitId, label: String },
    /// A unit waits in a queue for a lane.
    Queued { unit: UnitId },
    /// A lane began running the unit.
    Started { unit: UnitId },
    /// Units of work done so far (cumulative: hashes, bytes, items).
    Progress { unit: UnitId, done: u64 },
    /// The unit cannot go on until something happens.
    Blocked { unit: UnitId, on: BlockOn },
    /// The thing it waited for happened; it is runnable again.
    Woken { unit: UnitId },
    /// The unit gave control back voluntarily (an `await`, a `yield`).
    Yielded { unit: UnitId },
    /// The unit completed with a value (as text).
    Finished { unit: UnitId, value: String },
    /// The unit raised an error.
    Failed { unit: UnitId, error: String },
    /// The unit was cancelled before it completed.
    Cancelled { unit: UnitId },
    /// Free-form line a demo prints, as the Python example would.
    Output { text: String },
    /// A warning worth showing (a poll blocked the event loop, a crash).
    Warning { text: String },
}

impl EventKind {
    /// The unit this event is about, if any.
    pub fn unit(&self) -> Option<UnitId> {
        use EventKind::*;
        match self {
            Spawned { unit, .. }
            | Queued { unit }
            | Started { unit }
            | Progress { unit, .. }
            | Blocked { unit, .. }
            | Woken { unit }
            | Yielded { unit }
            | Finished { unit, .. }
            | Failed { unit, .. }
            | Cancelled { unit } => Some(*unit),
            LaneUp { .. } | LaneDown { .. } | Output { .. } | Warning { .. } => None,
        }
    }

    /// Whether the event ends a unit (finished, failed or cancelled).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            EventKind::Finished { .. } | EventKind::Failed { .. } | EventKind::Cancelled { .. }
        )
    }
}

/// One event: when (µs since the run began), where (lane) and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub t_us: u64,
    pub lane: LaneId,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_as_flat_json() {
        let e = Event {
            t_us: 12,
            lane: 3,
            kind: EventKind::Blocked {
                unit: 7,
                on: BlockOn::Lock("a".into()),
            },
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"t_us":12,"lane":3,"event":"blocked","unit":7,"on":{"kind":"lock","detail":"a"}}"#
        );
        let back: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
