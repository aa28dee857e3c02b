#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! Lessons: markdown chapters with front matter and `demo` directives,
//! parsed into typed sections. No terminal code lives here.
//!
//! The flow: `load` reads files (`load.rs`), `chapter` splits front matter
//! (`front.rs`) from the markdown body (`body.rs`: blocks, code tabs, the
//! `demo` directive, sections); every text is made inert (`sanitize.rs`) and
//! every problem carries its `file:line:col` (`issue.rs`); `lint.rs` finds
//! what `check` reports without breaking the chapter (placeholders).
//!
//! Demo directives stay as written (`model::DemoDirective`): resolving them
//! against the example catalog is the `course` layer's work, so this layer
//! knows nothing of the examples.

mod body;
mod chapter;
mod front;
pub mod highlight;
mod issue;
mod lint;
mod load;
mod model;
mod sanitize;
pub mod watch;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use chapter::parse_chapter;
pub use load::{MAX_CHAPTER_BYTES, check, load, reload_file};
pub use model::{
    Align, Block, Chapter, CodeBlock, Course, DemoDirective, Entry, Inline, Located, Pos, Problem,
    Section, Span,
};
pub use sanitize::{inert, inert_code};

/// Where chapters come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The chapters built into the binary.
    Embedded,
    /// A folder of `*.md` chapters (`--lessons DIR`).
    Dir(PathBuf),
}
