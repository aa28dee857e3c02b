//! The two implementations, each in the three versions of the spec. The
//! lesson quotes these files and the diffs between them; a test checks the
//! line counts it states.

pub mod loop_ack;
pub mod loop_base;
pub mod loop_two;
pub mod tasks_ack;
pub mod tasks_base;
pub mod tasks_two;
