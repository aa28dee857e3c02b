//! The `demo` directive: a fenced block whose info string is `demo NAME`
//! and whose lines are `key: value` (`mode`, options, `expect`). Only the
//! shape is checked here; the layer above resolves names and values
//! against the example catalog.

use std::collections::HashMap;

use super::super::front::unquote;
use super::super::issue::{Issue, Problems};
use super::super::model::{DemoDirective, Entry, Located, Pos};
use super::Node;
use super::code::SourceText;

/// The key whose lines state what the pane shows after a run; it may repeat.
const EXPECT: &str = "expect";

/// Words of `line` with their byte offsets in it.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
}

fn pos(p: &Problems, offset: usize) -> Pos {
    let (line, col) = p.index.position(offset);
    Pos { line, col }
}

fn located(p: &Problems, text: &str, offset: usize) -> Located {
    Located {
        text: text.to_string(),
        at: pos(p, offset),
    }
}

/// Parses the directive whose fence starts at byte `start` of `text`.
pub(super) fn parse(text: &str, start: usize, body: &SourceText, p: &mut Problems) -> Node {
    let line = text[start..].split('\n').next().unwrap_or("");
    let info_at = line
        .find(['`', '~'])
        .map(|i| i + line[i..].len() - line[i..].trim_start_matches(['`', '~']).len())
        .unwrap_or(0);
    let mut info = words(&line[info_at..]).map(|(i, w)| (start + info_at + i, w));
    let demo_at = info.next().map_or(start, |(at, _)| at);
    let fail = Node::Demo {
        directive: None,
        offset: demo_at,
    };
    let name = info.next().map(|(at, name)| located(p, name, at));
    if let Some((extra_at, extra)) = info.next() {
        p.at(extra_at, Issue::DemoExtra(extra.to_string()));
        return fail;
    }
    let mut directive = DemoDirective {
        name,
        at: pos(p, demo_at),
        entries: Vec::new(),
        expects: Vec::new(),
    };
    if !lines(&mut directive, body, p) {
        return fail;
    }
    Node::Demo {
        directive: Some(directive),
        offset: demo_at,
    }
}

/// Reads the body's `key: value` lines; false when any was malformed.
fn lines(directive: &mut DemoDirective, body: &SourceText, p: &mut Problems) -> bool {
    let before = p.list.len();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut line_start = 0;
    for raw in body.text.split_inclusive('\n') {
        let at = line_start;
        line_start += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let key_at = at + (content.len() - trimmed.len());
        let found = || trimmed.trim_end().to_string();
        let Some((key_raw, rest)) = trimmed.split_once(':') else {
            p.at(body.source(key_at), Issue::DemoNotKeyValue(found()));
            continue;
        };
        let key = key_raw.trim_end();
        if key.is_empty() || key.contains(char::is_whitespace) {
            p.at(body.source(key_at), Issue::DemoNotKeyValue(found()));
            continue;
        }
        let value_at = key_at + key_raw.len() + 1 + (rest.len() - rest.trim_start().len());
        if key == EXPECT {
            let statement = located(p, rest.trim(), body.source(value_at));
            directive.expects.push(statement);
            continue;
        }
        let line_no = p.index.line(body.source(key_at));
        if let Some(first) = seen.insert(key.to_string(), line_no) {
            let key = key.to_string();
            p.at(body.source(key_at), Issue::DemoDuplicateKey { key, first });
            continue;
        }
        let value = match unquote(rest.trim()) {
            Ok(v) => v,
            Err(issue) => {
                p.at(body.source(value_at), issue);
                continue;
            }
        };
        directive.entries.push(Entry {
            key: located(p, key, body.source(key_at)),
            value: located(p, &value, body.source(value_at)),
        });
    }
    p.list.len() == before
}
