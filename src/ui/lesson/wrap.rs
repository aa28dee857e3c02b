//! Word wrapping of styled text into lines of a given width.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps styled pieces into lines no wider than `width` columns.
///
/// `first` prefixes the first line and `rest` every following one (list
/// bullets, quote bars); both count towards the width. Newlines in the text
/// force a break. Words longer than a line are split.
pub fn wrap(
    pieces: &[(String, Style)],
    width: usize,
    first: Vec<Span<'static>>,
    rest: Vec<Span<'static>>,
) -> Vec<Line<'static>> {
    let prefix_w = |p: &[Span<'static>]| p.iter().map(|s| s.width()).sum::<usize>();
    let rest_avail = width.saturating_sub(prefix_w(&rest)).max(1);
    let mut out = Filler {
        lines: Vec::new(),
        avail: width.saturating_sub(prefix_w(&first)).max(1),
        cur: first,
        used: 0,
        rest,
        rest_avail,
    };
    for token in tokens(pieces) {
        match token {
            Token::Newline => out.break_line(),
            Token::Space(text, style) => {
                let w = text.width();
                if out.used > 0 && out.used + w <= out.avail {
                    push(&mut out.cur, &text, style);
                    out.used += w;
                }
            }
            Token::Word(parts) => out.word(&parts),
        }
    }
    if out.used > 0 || out.lines.is_empty() {
        out.lines.push(Line::from(out.cur));
    }
    out.lines
}

/// A word may span pieces of several styles (`code` then a full stop): it
/// is kept together on one line.
enum Token {
    Newline,
    Space(String, Style),
    Word(Vec<(String, Style)>),
}

fn tokens(pieces: &[(String, Style)]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (text, style) in pieces {
        for (i, segment) in text.split('\n').enumerate() {
            if i > 0 {
                out.push(Token::Newline);
            }
            for run in split_keep_spaces(segment) {
                if run.starts_with(' ') {
                    out.push(Token::Space(run.to_string(), *style));
                } else if let Some(Token::Word(parts)) = out.last_mut() {
                    parts.push((run.to_string(), *style));
                } else {
                    out.push(Token::Word(vec![(run.to_string(), *style)]));
                }
            }
        }
    }
    out
}

struct Filler {
    lines: Vec<Line<'static>>,
    cur: Vec<Span<'static>>,
    used: usize,
    avail: usize,
    rest: Vec<Span<'static>>,
    rest_avail: usize,
}

impl Filler {
    fn break_line(&mut self) {
        // Trailing spaces at a soft break carry nothing.
        if let Some(last) = self.cur.last_mut() {
            let trimmed = last.content.trim_end().to_string();
            if trimmed.len() != last.content.len() {
                last.content = trimmed.into();
            }
        }
        let line = std::mem::replace(&mut self.cur, self.rest.clone());
        self.lines.push(Line::from(line));
        self.used = 0;
        self.avail = self.rest_avail;
    }

    fn word(&mut self, parts: &[(String, Style)]) {
        let w: usize = parts.iter().map(|(t, _)| t.width()).sum();
        if self.used + w > self.avail && self.used > 0 {
            self.break_line();
        }
        if w <= self.avail {
            for (t, st) in parts {
                push(&mut self.cur, t, *st);
            }
            self.used += w;
            return;
        }
        // A word wider than the line: split it by columns.
        for (t, st) in parts {
            let mut chunk = String::new();
            for ch in t.chars() {
                let cw = ch.width().unwrap_or(0);
                if self.used + cw > self.avail && self.used > 0 {
                    push(&mut self.cur, &chunk, *st);
                    chunk.clear();
                    self.break_line();
                }
                chunk.push(ch);
                self.used += cw;
            }
            push(&mut self.cur, &chunk, *st);
        }
    }
}

fn push(cur: &mut Vec<Span<'static>>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    match cur.last_mut() {
        Some(last) if last.style == style => {
            let mut s = last.content.to_string();
            s.push_str(text);
            last.content = s.into();
        }
        _ => cur.push(Span::styled(text.to_string(), style)),
    }
}

/// Splits into words and runs of spaces, keeping both.
fn split_keep_spaces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, ch) in s.char_indices() {
        let sp = ch == ' ';
        match in_space {
            Some(prev) if prev != sp => {
                out.push(&s[start..i]);
                start = i;
            }
            _ => {}
        }
        in_space = Some(sp);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Cuts a string to at most `width` columns, adding `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let cw = ch.width().unwrap_or(0);
        if used + cw + 1 > width {
            break;
        }
        out.push(ch);
        used += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wraps_words_with_prefixes() {
        let pieces = vec![("one two three four five".to_string(), Style::new())];
        let lines = wrap(&pieces, 10, vec![Span::raw("- ")], vec![Span::raw("  ")]);
        assert_eq!(text(&lines), ["- one two", "  three", "  four", "  five"]);
    }

    #[test]
    fn splits_long_words_and_honours_newlines() {
        let pieces = vec![("abcdefghij\nxy".to_string(), Style::new())];
        let lines = wrap(&pieces, 4, vec![], vec![]);
        assert_eq!(text(&lines), ["abcd", "efgh", "ij", "xy"]);
        assert_eq!(truncate("hello world", 6), "hello…");
    }

    #[test]
    fn punctuation_stays_with_styled_text() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let pieces = vec![
            ("takes ".to_string(), Style::new()),
            ("0.51 s".to_string(), bold),
            (". Then".to_string(), Style::new()),
        ];
        let lines = wrap(&pieces, 12, vec![], vec![]);
        assert_eq!(text(&lines), ["takes 0.51", "s. Then"]);
        let lines = wrap(&pieces, 9, vec![], vec![]);
        assert_eq!(text(&lines), ["takes", "0.51 s.", "Then"]);
    }

    #[test]
    fn never_panics_at_width_zero() {
        let pieces = vec![("wide 漢字 text".to_string(), Style::new())];
        for w in 0..6 {
            let _ = wrap(&pieces, w, vec![Span::raw("> ")], vec![Span::raw("> ")]);
        }
    }
}
