//! Source code with line numbers, one line marked: where a generator or a
//! coroutine is suspended.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Numbered source lines; the marked one (1-based) gets `▶` and a style.
#[derive(Debug, Clone, Default)]
pub struct SourceListing<'a> {
    source: &'a str,
    mark: Option<u32>,
    style: Style,
    marked: Style,
    numbers: Style,
}

impl<'a> SourceListing<'a> {
    /// A listing of `source`.
    pub fn new(source: &'a str) -> Self {
        SourceListing {
            source,
            ..SourceListing::default()
        }
    }

    /// Marks line `line` (1 is the first), if any.
    pub fn mark(mut self, line: Option<u32>) -> Self {
        self.mark = line;
        self
    }

    /// Styles of the code, of the marked line and of the numbers.
    pub fn styles(mut self, code: Style, marked: Style, numbers: Style) -> Self {
        self.style = code;
        self.marked = marked;
        self.numbers = numbers;
        self
    }
}

impl Widget for &SourceListing<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let lines: Vec<&str> = self.source.lines().collect();
        let rows = area.height as usize;
        // Keep the marked line in view.
        let at = self.mark.map_or(0, |m| m as usize);
        let first = at.saturating_sub(rows);
        let shown: Vec<Line> = lines
            .iter()
            .enumerate()
            .skip(first)
            .map(|(i, text)| {
                let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let here = self.mark == Some(n);
                let (arrow, st) = if here {
                    ("▶", self.marked)
                } else {
                    (" ", self.style)
                };
                Line::from(vec![
                    Span::styled(
                        format!("{arrow}{n:>2} "),
                        if here { self.marked } else { self.numbers },
                    ),
                    Span::styled((*text).to_string(), st),
                ])
            })
            .collect();
        super::render_lines(&shown, area, buf);
        if let Some(y) = self
            .mark
            .and_then(|m| u16::try_from(m as usize - 1 - first.min(m as usize - 1)).ok())
            && y < area.height
        {
            let row = Rect::new(area.x, area.y + y, area.width, 1);
            buf.set_style(row, self.marked);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::{Color, Modifier};

    const CODE: &str = "def g():\n    yield 1\n    yield 2";

    #[test]
    fn numbers_every_line_and_marks_the_suspended_one() {
        let marked = Style::new().add_modifier(Modifier::REVERSED);
        let l = SourceListing::new(CODE)
            .mark(Some(2))
            .styles(Style::new(), marked, Style::new());
        assert_eq!(
            text_of(&l, 16, 3),
            Buffer::with_lines(["  1 def g():    ", "▶ 2     yield 1 ", "  3     yield 2 "])
        );
        let buf = styled(&l, 16, 3);
        assert!(
            buf[(10, 1)].modifier.contains(Modifier::REVERSED),
            "the whole row is marked"
        );
        assert!(!buf[(0, 0)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn a_mark_below_the_area_scrolls_into_view() {
        let l = SourceListing::new(CODE).mark(Some(3)).styles(
            Style::new(),
            Style::new().fg(Color::Red),
            Style::new(),
        );
        assert_eq!(
            text_of(&l, 12, 2),
            Buffer::with_lines(["  2     yiel", "▶ 3     yiel"])
        );
        assert_eq!(styled(&l, 12, 2)[(5, 1)].fg, Color::Red);
    }

    #[test]
    fn no_mark_no_arrow() {
        let l = SourceListing::new(CODE);
        assert_eq!(text_of(&l, 10, 1), Buffer::with_lines(["  1 def g("]));
    }
}
