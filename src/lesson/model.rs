//! Typed lesson content: what the parser produces and the UI lays out.
//!
//! Nothing here knows about widths or colours; layout happens at draw time.

use std::fmt;

use super::sanitize::inert;

/// Every chapter, in `order`.
#[derive(Debug, Clone, Default)]
pub struct Course {
    pub chapters: Vec<Chapter>,
}

impl Course {
    /// The chapter with this id.
    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.position(id).map(|i| &self.chapters[i])
    }

    /// Index of the chapter with this id. When two files share an id, the one `check` keeps (first by file
    /// name) is the one opened, never the duplicate it flags.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.chapters
            .iter()
            .enumerate()
            .filter(|(_, c)| c.id == id)
            .min_by(|a, b| a.1.path.cmp(&b.1.path))
            .map(|(i, _)| i)
    }

    /// Every problem of every chapter.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.chapters.iter().flat_map(|c| c.problems.iter())
    }
}

/// One markdown file.
#[derive(Debug, Clone, Default)]
pub struct Chapter {
    /// From front matter; the file stem when front matter is broken.
    pub id: String,
    pub title: String,
    pub order: i64,
    pub summary: Option<String>,
    pub minutes: Option<u32>,
    /// Where it came from, as shown in messages (`lessons/01-intro.md`).
    pub path: String,
    /// 1-based line and column of the `id` value, when it parsed; where a
    /// duplicate id is reported.
    pub id_at: Option<(usize, usize)>,
    pub sections: Vec<Section>,
    /// Non-empty: the chapter is shown as an error screen with these.
    pub problems: Vec<Problem>,
    /// Problems `check` reports that do not stop the chapter from being
    /// shown (leftover placeholders in the prose).
    pub lints: Vec<Problem>,
}

impl Chapter {
    /// Whether the chapter parsed without problems.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A problem in a lesson file, reported as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
}

impl Problem {
    /// A problem at 1-based `line` and `col` of `file`. Messages quote the
    /// author's text, so file and message are made inert.
    pub fn new(file: &str, line: usize, col: usize, message: impl fmt::Display) -> Problem {
        Problem {
            file: inert(file).into_owned(),
            line,
            col,
            message: inert(&message.to_string()).into_owned(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// What the learner sees at once: one `##` heading and what follows it.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
    /// The live pane attached to this section, if any.
    pub demo: Option<DemoDirective>,
}

/// A `demo` directive as written: the example's name and its `key: value`
/// lines, each with its position. Which examples, modes and options exist
/// is not the lesson's business: the layer above resolves the directive
/// against the catalog and reports what does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoDirective {
    /// The example's name after `demo`; `None` when the fence names none.
    pub name: Option<Located>,
    /// Where the word `demo` is: problems about the whole directive go here.
    pub at: Pos,
    /// The `key: value` lines other than `expect:`, in order (`mode` too);
    /// values are unquoted.
    pub entries: Vec<Entry>,
    /// The text after each `expect:`, as written (quotes kept).
    pub expects: Vec<Located>,
}

impl DemoDirective {
    /// 1-based line of the directive's fence.
    pub fn line(&self) -> usize {
        self.at.line
    }
}

/// A 1-based line and column (in characters) in a lesson file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Text from a lesson file with the position of its first character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub at: Pos,
}

/// One `key: value` line of a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Located,
    pub value: Located,
}

/// A block of lesson text.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        text: Vec<Span>,
    },
    Paragraph(Vec<Span>),
    /// `start` is the first number of an ordered list, `None` for bullets.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// One or more consecutive code blocks; several languages become tabs.
    Code(Vec<CodeBlock>),
    Table {
        align: Vec<Align>,
        header: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Rule,
}

/// Column alignment of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A run of inline text with one style. Control characters are already
/// replaced by visible, inert symbols.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub text: String,
    pub style: Inline,
}

/// Inline styling.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inline {
    pub emphasis: bool,
    pub strong: bool,
    pub strike: bool,
    pub code: bool,
    /// The target of a link; the span's text is the link text.
    pub link: Option<String>,
}

/// A fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// As written after the fence (`python`, `rust`, `sh`, `json`, `text`).
    pub lang: String,
    /// Tab label (`title="…"` in the info string), else the language.
    pub label: String,
    pub code: String,
    /// `numbers` in the info string.
    pub line_numbers: bool,
}
