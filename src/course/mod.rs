//! The course: lesson chapters with their `demo` directives resolved
//! against the example catalog, and the contract each live section states
//! about its pane (`expect:` lines).
//!
//! `lesson/` parses markdown and knows nothing of the examples; `demos/`
//! knows the examples and nothing of lessons; this layer joins the two for
//! the app, `check`, `render` and `list`.

pub mod contract;
pub mod expect;
mod resolve;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use resolve::{Demo, resolve};

use crate::lesson::{self, Chapter, Course, Problem, Section, Source};

/// Loads every chapter and resolves its directives; a chapter whose
/// directive does not resolve carries the problems (the app shows them).
pub fn load(source: &Source) -> anyhow::Result<Course> {
    let mut course = lesson::load(source)?;
    course.chapters.iter_mut().for_each(resolve_chapter);
    Ok(course)
}

/// Reads, parses and resolves one chapter file (`--watch`).
pub fn reload_file(path: &Path, display: &str) -> Chapter {
    let mut chapter = lesson::reload_file(path, display);
    resolve_chapter(&mut chapter);
    chapter
}

/// Parses and resolves one chapter from text; `path` names it in messages.
pub fn parse_chapter(path: &str, text: &str) -> Chapter {
    let mut chapter = lesson::parse_chapter(path, text);
    resolve_chapter(&mut chapter);
    chapter
}

/// Every problem of the course, sorted by file and position: what
/// `racecourse check` prints.
pub fn check(course: &Course) -> Vec<Problem> {
    lesson::check(course)
}

/// The section's live example, if it has one that resolves.
pub fn demo(section: &Section) -> Option<Demo> {
    resolve("", section.demo.as_ref()?).ok()
}

/// Adds the problems of the chapter's directives to the chapter.
fn resolve_chapter(chapter: &mut Chapter) {
    let mut found: Vec<Problem> = chapter
        .sections
        .iter()
        .filter_map(|s| s.demo.as_ref())
        .filter_map(|d| resolve(&chapter.path, d).err())
        .flatten()
        .collect();
    if found.is_empty() {
        return;
    }
    chapter.problems.append(&mut found);
    chapter
        .problems
        .sort_by(|a, b| (a.line, a.col, &a.message).cmp(&(b.line, b.col, &b.message)));
}
