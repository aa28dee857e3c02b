//! What the pool handle and its slot threads share.

use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::{PoolStatus, ProcStats};
use crate::runtime::Control;
use crate::runtime::future::Core;
use crate::runtime::jobs::Job;
use crate::trace::{EventKind, Tracer, UnitId};

pub(super) struct QueuedJob {
    pub(super) unit: UnitId,
    pub(super) job: Job,
    pub(super) core: Arc<Core<serde_json::Value>>,
}

pub(super) struct State {
    pub(super) queue: VecDeque<QueuedJob>,
    pub(super) status: PoolStatus,
    pub(super) procs: Vec<ProcStats>,
    /// Running jobs asked to stop early (`stop_job`).
    pub(super) stops: HashSet<UnitId>,
}

pub(super) struct Shared {
    pub(super) tracer: Tracer,
    pub(super) control: Control,
    pub(super) program: PathBuf,
    pub(super) state: Mutex<State>,
    pub(super) changed: Condvar,
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves to `Terminated` (once): queued jobs are cancelled and every
    /// live child is killed now. Call with the lock held.
    pub(super) fn terminate_locked(&self, st: &mut State) {
        if st.status == PoolStatus::Terminated {
            return;
        }
        st.status = PoolStatus::Terminated;
        for q in st.queue.drain(..) {
            if q.core.cancel_if_pending() {
                self.tracer.emit(0, EventKind::Cancelled { unit: q.unit });
            }
        }
        for p in &st.procs {
            if let Some(pid) = p.pid {
                kill(pid);
            }
        }
        self.announce(st.status);
        self.changed.notify_all();
    }

    pub(super) fn announce(&self, status: PoolStatus) {
        self.tracer.emit(0, EventKind::Pool { state: status });
    }
}

static WORKER_PROGRAM: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Makes [`ProcessPool::new`](super::ProcessPool::new) start `program __worker` instead of the
/// current executable (tests run from a harness, not from racecourse).
pub fn set_worker_program(program: impl Into<PathBuf>) {
    *WORKER_PROGRAM
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(program.into());
}

/// The program worker processes run: the one set, or this executable.
pub fn worker_program() -> std::io::Result<PathBuf> {
    match WORKER_PROGRAM
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
    {
        Some(p) => Ok(p),
        None => std::env::current_exe(),
    }
}

/// Kills a child we have not reaped yet (so its PID cannot have been reused).
pub(super) fn kill(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) takes plain integers. The PID is one of our children
    // that its slot thread has not waited for, so it still names it.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}
