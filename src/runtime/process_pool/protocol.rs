//! The pipe protocol between the pool and a worker process: one JSON object
//! per line, each way.

use serde::{Deserialize, Serialize};

use crate::runtime::jobs::Job;
use crate::trace::UnitId;

/// The hidden first argument that turns the binary into a worker.
pub const WORKER_ARG: &str = "__worker";

/// Environment variable carrying the parent's PID, so that a worker started
/// after its parent already died notices and leaves.
pub const PARENT_ENV: &str = "RACECOURSE_PARENT_PID";

/// Parent → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ToWorker {
    /// Run a job; `id` is its unit id.
    Run { id: UnitId, job: Job },
    /// Stop job `id` at its next safe point.
    Stop { id: UnitId },
    /// Hold jobs at their next safe point.
    Pause,
    /// Let them go on.
    Resume,
    /// Leave now.
    Exit,
}

/// Worker → parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "msg", rename_all = "snake_case")]
pub enum FromWorker {
    /// Ready for work.
    Hello { pid: u32 },
    /// Began job `id`.
    Started { id: UnitId },
    /// Units done so far (batched by the worker).
    Progress { id: UnitId, done: u64 },
    /// Returned a value.
    Done {
        id: UnitId,
        value: serde_json::Value,
    },
    /// Raised an exception.
    Error { id: UnitId, error: String },
    /// Stopped on request before finishing.
    Stopped { id: UnitId },
}

/// One message as a line, newline included.
pub fn encode<T: Serialize>(msg: &T) -> String {
    // Serialising these enums cannot fail: no maps with non-string keys.
    let mut line = serde_json::to_string(msg).unwrap_or_else(|_| "{}".into());
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_json_line() {
        let line = encode(&ToWorker::Run {
            id: 3,
            job: Job::Square { x: 4 },
        });
        assert_eq!(
            line,
            "{\"op\":\"run\",\"id\":3,\"job\":{\"kind\":\"square\",\"x\":4}}\n"
        );
        let back: FromWorker = serde_json::from_str(r#"{"msg":"done","id":3,"value":16}"#).unwrap();
        assert_eq!(
            back,
            FromWorker::Done {
                id: 3,
                value: 16.into()
            }
        );
        assert!(serde_json::from_str::<FromWorker>("garbage").is_err());
    }
}
