//! What can be wrong in a lesson file, and where: every problem carries the
//! 1-based line and column (in characters) of the offending token.

use super::model::Problem;

/// Front matter keys, in the order the guide lists them.
pub(super) const KEYS: &[&str] = &["id", "title", "order", "summary", "minutes"];

/// One problem's message.
#[derive(Debug, thiserror::Error)]
pub(super) enum Issue {
    #[error(
        "missing front matter: a chapter starts with a `---` line, then `id:`, `title:` and `order:` lines, then `---`"
    )]
    MissingFrontMatter,
    #[error("front matter is not closed: add a `---` line after its last `key: value` line")]
    UnterminatedFrontMatter,
    #[error("expected `key: value` in front matter, found `{0}`")]
    NotKeyValue(String),
    #[error("unknown front matter key `{key}`{hint} (keys: id, title, order, summary, minutes)")]
    UnknownKey { key: String, hint: String },
    #[error("duplicate key `{key}` (first on line {first})")]
    DuplicateKey { key: String, first: usize },
    #[error("`{key}` must be {expected}, found `{value}`")]
    BadNumber {
        key: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error("`id` may use only lowercase letters, digits and `-`, found `{0}`")]
    BadId(String),
    #[error("`{0}` must not be empty")]
    EmptyValue(&'static str),
    #[error("quoted value is not closed: add a `\"` at the end")]
    UnterminatedQuote,
    #[error("missing required key `{0}` in front matter")]
    MissingKey(&'static str),
    #[error("the chapter has no content after its front matter")]
    EmptyChapter,
    #[error("unexpected `{0}` after the example name; options go on their own lines")]
    DemoExtra(String),
    #[error("expected `key: value` in the demo directive, found `{0}`")]
    DemoNotKeyValue(String),
    #[error("`{key}` is set twice in this demo directive (first on line {first})")]
    DemoDuplicateKey { key: String, first: usize },
    #[error("a section has at most one demo; this one already has a demo on line {first}")]
    SecondDemo { first: usize },
    #[error("a demo directive belongs at the top level of a section, not inside a list or quote")]
    NestedDemo,
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("not read: {0}")]
    NotRead(String),
    #[error(
        "a symlink that leaves the lessons folder (to {0}); copy the chapter into the folder instead"
    )]
    LeavesFolder(String),
    #[error("the file is not UTF-8 text (invalid byte at offset {0})")]
    NotUtf8(usize),
    #[error("duplicate chapter id `{id}` (also used by {other})")]
    DuplicateId { id: String, other: String },
    #[error(
        "leftover placeholder `{0}` in the text: write what it stands for, or quote it as `code`"
    )]
    Placeholder(String),
}

/// Turns byte offsets into 1-based line and column (in characters).
#[derive(Debug)]
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// Line and column of a byte offset; offsets past the end clamp to it.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self.text[start..offset].chars().count() + 1;
        (line, col)
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.position(offset).0
    }
}

/// Collects the problems of one file.
#[derive(Debug)]
pub(super) struct Problems<'a> {
    file: &'a str,
    pub index: LineIndex<'a>,
    pub list: Vec<Problem>,
}

impl<'a> Problems<'a> {
    /// An empty collection for `text`, reported as `file`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Problems {
            file,
            index: LineIndex::new(text),
            list: Vec::new(),
        }
    }

    /// Records `issue` at byte `offset` of the file.
    pub fn at(&mut self, offset: usize, issue: Issue) {
        let (line, col) = self.index.position(offset);
        self.list.push(problem(self.file, line, col, &issue));
    }
}

/// A problem at a known line and column. Messages quote the author's text,
/// so they are made inert like everything else that reaches a terminal.
pub(super) fn problem(file: &str, line: usize, col: usize, issue: &Issue) -> Problem {
    Problem::new(file, line, col, issue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let idx = LineIndex::new("ab\néé x\n\nz");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(2), (1, 3));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(8), (2, 4));
        assert_eq!(idx.position(4), (2, 1), "inside a character: its start");
        assert_eq!(idx.position(11), (4, 1));
        assert_eq!(idx.position(99), (4, 2));
    }
}
