//! Fenced code blocks: the info string (`lang [numbers] [title="label"]`)
//! and the text, with a map back to source offsets for the `demo` directive.

use super::super::issue::Problems;
use super::super::model::CodeBlock;
use super::super::sanitize::{inert, inert_code};
use super::{Node, directive};

/// Text gathered from several events, remembering where each piece came
/// from in the file.
#[derive(Debug, Default)]
pub(super) struct SourceText {
    pub text: String,
    /// (offset in `text`, offset in the file) at the start of each piece.
    marks: Vec<(usize, usize)>,
}

impl SourceText {
    /// Appends `piece`, found at byte `source` of the file.
    pub fn push(&mut self, piece: &str, source: usize) {
        self.marks.push((self.text.len(), source));
        self.text.push_str(piece);
    }

    /// The file offset of byte `at` of the gathered text.
    pub fn source(&self, at: usize) -> usize {
        let i = self.marks.partition_point(|m| m.0 <= at);
        match i.checked_sub(1).and_then(|i| self.marks.get(i)) {
            Some(&(text, source)) => source + (at - text),
            None => self.marks.first().map_or(0, |m| m.1),
        }
    }
}

/// Builds the node for a finished code block: a `demo` directive, or code.
pub(super) fn finish(
    text: &str,
    info: Option<String>,
    start: usize,
    body: SourceText,
    problems: &mut Problems,
) -> Node {
    let Some(info) = info else {
        return Node::Code {
            block: code_block("", "text", false, &body.text),
            fenced: false,
        };
    };
    if info.split_whitespace().next() == Some("demo") {
        return directive::parse(text, start, &body, problems);
    }
    let (lang, label, numbers) = parse_info(&info);
    Node::Code {
        block: code_block(&lang, &label, numbers, &body.text),
        fenced: true,
    }
}

fn code_block(lang: &str, label: &str, line_numbers: bool, text: &str) -> CodeBlock {
    let code = inert_code(text);
    let code = code.strip_suffix('\n').unwrap_or(&code);
    CodeBlock {
        lang: inert(lang).into_owned(),
        label: inert(label).into_owned(),
        code: code.to_string(),
        line_numbers,
    }
}

/// Splits `lang numbers title="A label"` into language, label and the
/// line-numbers switch. Unknown words are ignored, as other tools add their
/// own.
fn parse_info(info: &str) -> (String, String, bool) {
    let info = info.trim();
    let (lang, mut rest) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
    let mut label = None;
    let mut numbers = false;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix("title=") {
            let (value, tail) = match after.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
                None => after.split_once(char::is_whitespace).unwrap_or((after, "")),
            };
            label = Some(value.to_string());
            rest = tail;
            continue;
        }
        let (word, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        numbers |= word == "numbers";
        rest = tail;
    }
    let label = match label {
        Some(l) if !l.trim().is_empty() => l,
        _ if lang.is_empty() => "text".to_string(),
        _ => lang.to_string(),
    };
    (lang.to_string(), label, numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        let p = |s| parse_info(s);
        assert_eq!(p("python"), ("python".into(), "python".into(), false));
        assert_eq!(
            p("rust numbers title=\"Our Rust\""),
            ("rust".into(), "Our Rust".into(), true)
        );
        assert_eq!(p("sh title=run x"), ("sh".into(), "run".into(), false));
        assert_eq!(p(""), ("".into(), "text".into(), false));
        assert_eq!(p("py title=\"open"), ("py".into(), "open".into(), false));
    }

    #[test]
    fn source_offsets_follow_pieces() {
        let mut t = SourceText::default();
        t.push("ab\n", 10);
        t.push("cd\n", 20);
        assert_eq!(t.source(0), 10);
        assert_eq!(t.source(2), 12);
        assert_eq!(t.source(4), 21);
        assert_eq!(SourceText::default().source(3), 0);
    }
}
