//! Small widgets of our own.

pub mod big;
