//! racecourse: an interactive terminal course on concurrency.
//!
//! The data flows lesson → runtime → trace → pane: `lesson` reads chapters,
//! `demos` runs the notes' examples on the `runtime`s, which report through
//! the `trace`; only `ui` knows about the terminal.

pub mod bench;
pub mod bounded;
pub mod cli;
pub mod course;
pub mod demos;
pub mod lesson;
pub mod net;
pub mod progress;
pub mod runtime;
pub mod sha;
pub mod suggest;
pub mod trace;
pub mod ui;
