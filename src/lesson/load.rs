//! Reading chapters from the binary or a folder, and checks that span
//! chapters (duplicate ids).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use anyhow::Context;

use super::Source;
use super::chapter::{parse_chapter, unreadable};
use super::issue::{Issue, problem};
use super::model::{Chapter, Course, Problem};
use super::sanitize::inert;
use crate::bounded::{ReadError, read_regular};

/// The chapters built into the binary: (path as shown, text), by name.
static EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_lessons.rs"));

/// Loads every chapter. Broken chapters come back with their problems; only
/// an unreadable folder is an error.
pub fn load(source: &Source) -> anyhow::Result<Course> {
    let chapters = match source {
        Source::Embedded => EMBEDDED
            .iter()
            .map(|(path, text)| parse_chapter(path, text))
            .collect(),
        Source::Dir(dir) => read_dir(dir)?,
    };
    Ok(course(chapters))
}

fn read_dir(dir: &Path) -> anyhow::Result<Vec<Chapter>> {
    let entries = fs::read_dir(dir)
        .with_context(|| format!("cannot read the lessons folder {}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot list the lessons folder {}", dir.display()))?;
        let name = entry.file_name();
        let is_chapter = Path::new(&name).extension().is_some_and(|e| e == "md")
            && !name.eq_ignore_ascii_case("README.md")
            && !entry.path().is_dir();
        if is_chapter {
            names.push(name);
        }
    }
    names.sort();
    Ok(names
        .iter()
        .map(|name| {
            let path = dir.join(name);
            reload_file(&path, &path.display().to_string())
        })
        .collect())
}

/// The most a chapter file may hold: far more than any chapter needs, and
/// little enough to lay out.
pub const MAX_CHAPTER_BYTES: u64 = 8 << 20;

/// Reads and parses one chapter file; `display` is how messages name it. A
/// file that cannot be read becomes a chapter with that problem: so does a
/// FIFO or device (never read, as it may never end), a file over
/// [`MAX_CHAPTER_BYTES`], and a symlink leading out of the file's folder.
pub fn reload_file(path: &Path, display: &str) -> Chapter {
    if let Some(target) = leaves_folder(path) {
        return unreadable(display, Issue::LeavesFolder(target));
    }
    match read_regular(path, MAX_CHAPTER_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse_chapter(display, &text),
            Err(e) => unreadable(display, Issue::NotUtf8(e.utf8_error().valid_up_to())),
        },
        Err(ReadError::Io(e)) => unreadable(display, Issue::Unreadable(e.to_string())),
        Err(e) => unreadable(display, Issue::NotRead(e.to_string())),
    }
}

/// Where a symlink leads when that is outside the folder holding it.
fn leaves_folder(path: &Path) -> Option<String> {
    let link = fs::symlink_metadata(path).ok()?;
    if !link.file_type().is_symlink() {
        return None;
    }
    let folder = fs::canonicalize(path.parent()?).ok()?;
    match fs::canonicalize(path) {
        Ok(target) if target.starts_with(&folder) => None,
        Ok(target) => Some(inert(&target.display().to_string()).into_owned()),
        // A dangling link: reading it reports that.
        Err(_) => None,
    }
}

/// Flags duplicate ids on the chapters that repeat them, then sorts by
/// (order, id).
fn course(mut chapters: Vec<Chapter>) -> Course {
    for (i, p) in duplicate_ids(&chapters) {
        chapters[i].problems.push(p);
    }
    chapters.sort_by(|a, b| (a.order, &a.id, &a.path).cmp(&(b.order, &b.id, &b.path)));
    Course { chapters }
}

/// For each chapter that reuses an id taken by a file earlier by name: its
/// index and the problem, at its `id` value.
fn duplicate_ids(chapters: &[Chapter]) -> Vec<(usize, Problem)> {
    let mut by_path: Vec<usize> = (0..chapters.len()).collect();
    by_path.sort_by(|&a, &b| chapters[a].path.cmp(&chapters[b].path));
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut found = Vec::new();
    for i in by_path {
        let c = &chapters[i];
        let Some((line, col)) = c.id_at else { continue };
        match first.get(c.id.as_str()) {
            Some(other) => {
                let issue = Issue::DuplicateId {
                    id: c.id.clone(),
                    other: other.to_string(),
                };
                found.push((i, problem(&c.path, line, col, &issue)));
            }
            None => {
                first.insert(&c.id, &c.path);
            }
        }
    }
    found
}

/// Every problem in the course, chapter problems, lints and cross-chapter
/// ones (duplicate ids), sorted by file and position.
pub fn check(course: &Course) -> Vec<Problem> {
    let mut all: Vec<Problem> = course.problems().cloned().collect();
    all.extend(course.chapters.iter().flat_map(|c| c.lints.iter().cloned()));
    all.extend(duplicate_ids(&course.chapters).into_iter().map(|(_, p)| p));
    all.sort_by(|a, b| {
        (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message))
    });
    all.dedup();
    all
}
