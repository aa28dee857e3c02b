//! Measured figures for `racecourse bench NAME`: each bench returns
//! `key: value` lines, the headline figure last.

pub mod hash;
