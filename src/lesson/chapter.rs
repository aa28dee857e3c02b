//! One chapter file: front matter, then the body split into sections.

use std::path::Path;

use super::issue::{Issue, Problems, problem};
use super::model::Chapter;
use super::{body, front, lint};

/// Parses one chapter; `path` is how messages name the file.
pub fn parse_chapter(path: &str, text: &str) -> Chapter {
    let mut problems = Problems::new(path, text);
    let front = front::parse(text, &mut problems);
    let mut chapter = fallback(path);
    let title = front.title.clone().unwrap_or_else(|| chapter.title.clone());
    let mut lints = Problems::new(path, text);
    if let Some(base) = front.body {
        chapter.sections = body::parse(text, base, &title, &mut problems);
        lint::placeholders(text, base, &mut lints);
    }
    if let (Some(close), true) = (front.close, chapter.sections.is_empty()) {
        problems.at(close, Issue::EmptyChapter);
    }
    chapter.id_at = front.id_at.map(|at| problems.index.position(at));
    chapter.id = front.id.unwrap_or(chapter.id);
    chapter.title = title;
    chapter.order = front.order.unwrap_or(chapter.order);
    chapter.summary = front.summary;
    chapter.minutes = front.minutes;
    chapter.problems = problems.list;
    chapter.lints = lints.list;
    chapter
}

/// A chapter that could not be read at all, with one problem at 1:1.
pub(super) fn unreadable(path: &str, issue: Issue) -> Chapter {
    Chapter {
        problems: vec![problem(path, 1, 1, &issue)],
        ..fallback(path)
    }
}

/// What a broken chapter is listed as: its file stem and name, last.
fn fallback(path: &str) -> Chapter {
    let p = Path::new(path);
    let name = p
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    let stem = p
        .file_stem()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    Chapter {
        id: super::sanitize::inert(&stem).into_owned(),
        title: super::sanitize::inert(&name).into_owned(),
        order: i64::MAX,
        path: super::sanitize::inert(path).into_owned(),
        ..Chapter::default()
    }
}
