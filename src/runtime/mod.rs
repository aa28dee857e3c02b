//! Instrumented runtimes: a thread pool, an async event loop and a process
//! pool that run real work and report every step to the trace.

mod control;

pub use control::{Control, Interrupted};
