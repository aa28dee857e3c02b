//! Front matter: `---`, then `key: value` lines, then `---`.

use std::collections::HashMap;

use super::issue::{Issue, KEYS, Problems};
use super::sanitize::inert;
use crate::suggest;

/// What the front matter said; fields are `None` when missing or invalid.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    pub id: Option<String>,
    /// Byte offset of the `id` value.
    pub id_at: Option<usize>,
    pub title: Option<String>,
    pub order: Option<i64>,
    pub summary: Option<String>,
    pub minutes: Option<u32>,
    /// Where the markdown body starts; `None` when the front matter never
    /// closes (then there is no body to read).
    pub body: Option<usize>,
    /// Byte offset of the closing `---`, when there is one.
    pub close: Option<usize>,
}

/// A line of the file without its line break.
struct Line<'a> {
    start: usize,
    text: &'a str,
    /// Start of the next line.
    next: usize,
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let line = Line {
            start,
            text: raw.trim_end_matches(['\n', '\r']),
            next: start + raw.len(),
        };
        start = line.next;
        line
    })
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Reads the front matter at the top of `text`, recording problems.
pub(super) fn parse(text: &str, problems: &mut Problems) -> FrontMatter {
    let mut all = lines(text);
    let first = all.next();
    let opens = first
        .as_ref()
        .is_some_and(|l| is_fence(l.text.trim_start_matches('\u{feff}')));
    if !opens {
        problems.at(0, Issue::MissingFrontMatter);
        return FrontMatter {
            body: Some(0),
            ..FrontMatter::default()
        };
    }
    let mut fields = Vec::new();
    for line in all {
        if is_fence(line.text) {
            let mut front = read_fields(&fields, problems);
            front.close = Some(line.start);
            front.body = Some(line.next);
            for key in ["id", "title", "order"] {
                if !front.has(key) && !fields.iter().any(|l: &Line| key_of(l.text) == Some(key)) {
                    problems.at(line.start, Issue::MissingKey(key));
                }
            }
            return front;
        }
        fields.push(line);
    }
    problems.at(0, Issue::UnterminatedFrontMatter);
    FrontMatter::default()
}

fn key_of(line: &str) -> Option<&str> {
    line.split_once(':').map(|(k, _)| k.trim())
}

impl FrontMatter {
    fn has(&self, key: &str) -> bool {
        match key {
            "id" => self.id.is_some(),
            "title" => self.title.is_some(),
            "order" => self.order.is_some(),
            _ => true,
        }
    }
}

fn read_fields(fields: &[Line], problems: &mut Problems) -> FrontMatter {
    let mut front = FrontMatter::default();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for line in fields {
        let body = line.text.trim_start();
        if body.trim().is_empty() || body.starts_with('#') {
            continue;
        }
        let key_at = line.start + (line.text.len() - body.len());
        let Some((key, rest)) = body.split_once(':') else {
            problems.at(key_at, Issue::NotKeyValue(body.trim_end().to_string()));
            continue;
        };
        let key = key.trim_end();
        let key_ok = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !key_ok {
            problems.at(key_at, Issue::NotKeyValue(body.trim_end().to_string()));
            continue;
        }
        let Some(&known) = KEYS.iter().find(|k| **k == key) else {
            let hint = suggest::hint(key, KEYS.iter().copied());
            let key = key.to_string();
            problems.at(key_at, Issue::UnknownKey { key, hint });
            continue;
        };
        let line_no = problems.index.line(key_at);
        if let Some(first) = seen.insert(known, line_no) {
            let key = known.to_string();
            problems.at(key_at, Issue::DuplicateKey { key, first });
            continue;
        }
        let value_text = rest.trim();
        let after_colon = key_at + (body.len() - rest.len());
        let value_at = after_colon + (rest.len() - rest.trim_start().len());
        match unquote(value_text) {
            Ok(value) => set(&mut front, known, &value, value_at, problems),
            Err(issue) => problems.at(value_at, issue),
        }
    }
    front
}

/// Strips `"…"` (with `\"` and `\\` escapes) or `'…'` around a value.
pub(super) fn unquote(value: &str) -> Result<String, Issue> {
    if let Some(inner) = value.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ ('"' | '\\')) => out.push(e),
                    Some(e) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => return Err(Issue::UnterminatedQuote),
                },
                '"' if chars.as_str().trim().is_empty() => return Ok(out),
                c => out.push(c),
            }
        }
        return Err(Issue::UnterminatedQuote);
    }
    if let Some(inner) = value.strip_prefix('\'') {
        return inner
            .strip_suffix('\'')
            .map(str::to_string)
            .ok_or(Issue::UnterminatedQuote);
    }
    Ok(value.to_string())
}

fn set(front: &mut FrontMatter, key: &'static str, value: &str, at: usize, p: &mut Problems) {
    let number = |expected| Issue::BadNumber {
        key,
        expected,
        value: value.to_string(),
    };
    match key {
        "id" => {
            let ok = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if ok {
                front.id = Some(value.to_string());
                front.id_at = Some(at);
            } else if value.is_empty() {
                p.at(at, Issue::EmptyValue("id"));
            } else {
                p.at(at, Issue::BadId(value.to_string()));
            }
        }
        "title" if value.trim().is_empty() => p.at(at, Issue::EmptyValue("title")),
        "title" => front.title = Some(inert(value).into_owned()),
        "order" => match value.parse() {
            Ok(n) => front.order = Some(n),
            Err(_) => p.at(at, number("a whole number")),
        },
        "summary" if value.trim().is_empty() => {}
        "summary" => front.summary = Some(inert(value).into_owned()),
        "minutes" => match value.parse() {
            Ok(n) => front.minutes = Some(n),
            Err(_) => p.at(at, number("a whole number of minutes")),
        },
        _ => {}
    }
}
