//! The one vocabulary of events shared by the thread pool, the event loop and
//! the process pool. Panes, `run --json` and tests all read this stream.

use serde::{Deserialize, Serialize};

use super::Micros;

/// A lane: one worker thread, one async task slot or one OS process.
pub type LaneId = u32;

/// A unit of work: one submitted job, one task, one request, one hash range.
pub type UnitId = u64;

/// What a lane is, for the panes that draw it and the rules that fold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LaneRole {
    /// The program's main thread (`MainThread` in Python).
    Main,
    /// A worker thread of a pool, or a thread the example started.
    #[default]
    Worker,
    /// An event loop: its units are tasks that take turns on it, so a
    /// wake-up makes a task ready, not running, until its next poll.
    EventLoop,
    /// A worker OS process.
    Process,
    /// The pool's own supervisor (the parent process's pool handle).
    Supervisor,
}

/// Where a pool stands, as `multiprocessing.Pool` has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolState {
    /// Accepting work.
    Running,
    /// `close()`d: no new work, queued work still runs.
    Closed,
    /// `join()`ed after `close()`: every worker has exited.
    Joined,
    /// `terminate()`d: queued work cancelled, workers killed.
    Terminated,
}

impl PoolState {
    /// The state as `multiprocessing` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            PoolState::Running => "running",
            PoolState::Closed => "closed",
            PoolState::Joined => "joined",
            PoolState::Terminated => "terminated",
        }
    }
}

/// The phase of an I/O wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IoPhase {
    /// Opening the connection.
    Connect,
    /// The request is sent; waiting for the response to begin.
    Response,
    /// Reading the response body.
    Read,
    /// Waiting for a permit (a connection limit, a semaphore) before starting.
    Permit,
}

impl IoPhase {
    /// One word for the phase.
    pub fn word(self) -> &'static str {
        match self {
            IoPhase::Connect => "connect",
            IoPhase::Response => "wait",
            IoPhase::Read => "read",
            IoPhase::Permit => "permit",
        }
    }
}

/// What a unit is waiting for while it is blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockOn {
    /// The (simulated) global interpreter lock.
    Gil,
    /// A named lock or mutex.
    Lock { name: String },
    /// Network or disk I/O: its phase and what it is for (a URL, a file).
    Io { phase: IoPhase, target: String },
    /// A named semaphore's permit.
    Semaphore { name: String },
    /// Waiting to take from or put into a queue.
    Queue { name: String },
    /// A timed sleep.
    Sleep,
    /// A pipe to or from another process.
    Pipe,
    /// Another task or future (`await task`, `gather`).
    Task { name: String },
    /// An event, a barrier, a pause: anything else, named.
    Other { what: String },
}

impl BlockOn {
    /// A short label for panes ("GIL", "lock a", "I/O", ...).
    pub fn label(&self) -> String {
        match self {
            BlockOn::Gil => "GIL".into(),
            BlockOn::Lock { name } => format!("lock {name}"),
            BlockOn::Io { phase, target } if target.is_empty() => format!("I/O {}", phase.word()),
            BlockOn::Io { phase, target } => format!("{} {target}", phase.word()),
            BlockOn::Semaphore { name } => format!("semaphore {name}"),
            BlockOn::Queue { name } => format!("queue {name}"),
            BlockOn::Sleep => "sleep".into(),
            BlockOn::Pipe => "pipe".into(),
            BlockOn::Task { name } => name.clone(),
            BlockOn::Other { what } => what.clone(),
        }
    }

    /// Network or disk I/O in `phase` for `target`.
    pub fn io(phase: IoPhase, target: impl Into<String>) -> BlockOn {
        BlockOn::Io {
            phase,
            target: target.into(),
        }
    }

    /// Anything else, named.
    pub fn other(what: impl Into<String>) -> BlockOn {
        BlockOn::Other { what: what.into() }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A lane came to life (a worker thread started, a process forked).
    LaneUp {
        name: String,
        pid: Option<u32>,
        #[serde(default)]
        role: LaneRole,
    },
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
    /// The pool changed state (sent on its supervisor lane).
    Pool { state: PoolState },
    /// CPU time the lane's process has used so far, as its pool measured it.
    Cpu { cpu_us: u64 },
    /// A named piece of the example's state took a new value: a shared
    /// variable, a thread's local, a buffer slot, an LED. An empty value
    /// removes the name.
    State { key: String, value: String },
}

impl EventKind {
    /// The unit this event is about, if any.
    pub fn unit(&self) -> Option<UnitId> {
        use EventKind::{
            Blocked, Cancelled, Cpu, Failed, Finished, LaneDown, LaneUp, Output, Pool, Progress,
            Queued, Spawned, Started, State, Warning, Woken, Yielded,
        };
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
            LaneUp { .. }
            | LaneDown { .. }
            | Output { .. }
            | Warning { .. }
            | Pool { .. }
            | Cpu { .. }
            | State { .. } => None,
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
    pub t_us: Micros,
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
            t_us: Micros::from_us(12),
            lane: 3,
            kind: EventKind::Blocked {
                unit: 7,
                on: BlockOn::Lock { name: "a".into() },
            },
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"t_us":12,"lane":3,"event":"blocked","unit":7,"on":{"kind":"lock","name":"a"}}"#
        );
        let back: Event = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
