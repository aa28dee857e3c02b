//! Checks that do not stop a chapter from being shown, reported by
//! `racecourse check`: leftover placeholders in the prose.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::issue::{Issue, Problems};

/// Words that mark unfinished text wherever they stand.
const MARKERS: &[&str] = &["TODO", "FIXME", "TBD"];

/// Whether `word` is a placeholder: `TODO`, `FIXME`, `TBD`, `XXX`, or an
/// ALL-CAPS name joined by `_` (`FIGURE_TABLE`). Acronyms (`GIL`, `CPU`)
/// are prose.
fn is_placeholder(word: &str) -> bool {
    let caps = word
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let starts = word.starts_with(|c: char| c.is_ascii_uppercase());
    let joined = word.contains('_') && !word.ends_with('_');
    caps && starts
        && (joined
            || MARKERS.contains(&word)
            || (word.len() >= 3 && word.chars().all(|c| c == 'X')))
}

/// Records a problem for every placeholder in the body starting at byte
/// `base` of `text`; code (fenced, indented or inline), raw HTML and link
/// targets are not prose and are skipped.
pub(super) fn placeholders(text: &str, base: usize, problems: &mut Problems) {
    let body = &text[base..];
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut in_code = 0usize;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => in_code += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                in_code = in_code.saturating_sub(1);
            }
            Event::Text(_) if in_code == 0 => {
                let Some(source) = body.get(range.clone()) else {
                    continue;
                };
                for (at, word) in words(source) {
                    if is_placeholder(word) {
                        problems.at(base + range.start + at, Issue::Placeholder(word.into()));
                    }
                }
            }
            _ => {}
        }
    }
}

/// The words of `s` (letters, digits and `_`) with their byte offsets.
fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let in_word = c.is_alphanumeric() || c == '_';
        match (start, in_word) {
            (None, true) => start = Some(i),
            (Some(from), false) => {
                out.push((from, &s[from..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::Problem;

    fn found(body: &str) -> Vec<Problem> {
        let mut p = Problems::new("ch.md", body);
        placeholders(body, 0, &mut p);
        p.list
    }

    #[test]
    fn placeholders_in_prose_not_in_code() {
        let got = found(
            "## A\n\nFIGURE_TABLE\n\nThe GIL and the CPU, TODO: later.\n\n\
             `NO_COLOR` and\n\n```rust\nconst FREEZE_LIMIT: u8 = 1; // XXX\n```\n\n| a |\n|---|\n| XXX |\n",
        );
        let got: Vec<String> = got.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "ch.md:3:1: leftover placeholder `FIGURE_TABLE` in the text: write what it stands for, or quote it as `code`",
                "ch.md:5:22: leftover placeholder `TODO` in the text: write what it stands for, or quote it as `code`",
                "ch.md:15:3: leftover placeholder `XXX` in the text: write what it stands for, or quote it as `code`",
            ]
        );
    }

    #[test]
    fn which_words_are_placeholders() {
        for w in ["TODO", "XXX", "XXXX", "FIGURE_TABLE", "A_B2"] {
            assert!(is_placeholder(w), "{w}");
        }
        for w in [
            "GIL",
            "CPU",
            "X",
            "XX",
            "Todo",
            "SHA",
            "_A",
            "A_",
            "snake_case",
            "HTTP2",
        ] {
            assert!(!is_placeholder(w), "{w}");
        }
    }
}
