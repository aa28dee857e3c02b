//! Makes text inert: no byte of a lesson may reach the terminal as a control
//! sequence, so every control character becomes a visible symbol.

use std::borrow::Cow;

/// Spaces a tab becomes (terminals disagree on tab stops).
const TAB: &str = "    ";

/// Prose, titles and table cells: every control character made visible.
pub fn inert(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// Code: line breaks kept (`\r\n` becomes `\n`), other controls made visible.
pub fn inert_code(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(clean(&text.replace("\r\n", "\n"), true).into_owned())
    } else {
        clean(text, true)
    }
}

fn clean(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_control(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\t' => out.push_str(TAB),
            c if needs(c) => out.push(picture(c)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

/// The visible stand-in for a control character: the Unicode "control
/// pictures" for C0 and DEL, the replacement character for C1.
fn picture(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_symbols() {
        let evil = "a\x1b[2J\x1b]0;pwned\x07b\x7f\u{9b}c";
        assert_eq!(inert(evil), "a␛[2J␛]0;pwned␇b␡\u{fffd}c");
        assert!(!inert(evil).chars().any(is_control));
    }

    #[test]
    fn code_keeps_line_breaks_and_expands_tabs() {
        assert_eq!(inert_code("a\r\n\tb\rc\n"), "a\n    b␍c\n");
        assert_eq!(inert("a\nb\tc"), "a␊b    c");
        assert!(matches!(inert("plain"), Cow::Borrowed(_)));
    }
}
