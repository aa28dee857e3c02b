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
    let mut lines = Vec::new();
    let mut cur: Vec<Span<'static>> = first.clone();
    let mut avail = width.saturating_sub(prefix_w(&first)).max(1);
    let mut used = 0usize;
    let rest_avail = width.saturating_sub(prefix_w(&rest)).max(1);

    let mut push_line = |cur: &mut Vec<Span<'static>>, used: &mut usize, avail: &mut usize| {
        // Trailing spaces at a soft break carry nothing.
        if let Some(last) = cur.last_mut() {
            let trimmed = last.content.trim_end().to_string();
            if trimmed.len() != last.content.len() {
                last.content = trimmed.into();
            }
        }
        lines.push(Line::from(std::mem::replace(cur, rest.clone())));
        *used = 0;
        *avail = rest_avail;
    };

    for (text, style) in pieces {
        for (i, segment) in text.split('\n').enumerate() {
            if i > 0 {
                push_line(&mut cur, &mut used, &mut avail);
            }
            for word in split_keep_spaces(segment) {
                let w = word.width();
                let is_space = word.chars().all(char::is_whitespace);
                if is_space {
                    if used > 0 && used + w <= avail {
                        push(&mut cur, word, *style);
                        used += w;
                    }
                    continue;
                }
                if used + w > avail && used > 0 {
                    push_line(&mut cur, &mut used, &mut avail);
                }
                if w <= avail {
                    push(&mut cur, word, *style);
                    used += w;
                } else {
                    // A word wider than the line: split it by columns.
                    let mut chunk = String::new();
                    for ch in word.chars() {
                        let cw = ch.width().unwrap_or(0);
                        if used + cw > avail && used > 0 {
                            push(&mut cur, &chunk, *style);
                            chunk.clear();
                            push_line(&mut cur, &mut used, &mut avail);
                        }
                        chunk.push(ch);
                        used += cw;
                    }
                    push(&mut cur, &chunk, *style);
                }
            }
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
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
    fn never_panics_at_width_zero() {
        let pieces = vec![("wide 漢字 text".to_string(), Style::new())];
        for w in 0..6 {
            let _ = wrap(&pieces, w, vec![Span::raw("> ")], vec![Span::raw("> ")]);
        }
    }
}
