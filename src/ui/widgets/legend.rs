//! A one-line key to the symbols a pane draws: `█ running  g GIL wait  …`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Symbols with what they mean, on one line.
#[derive(Debug, Clone, Default)]
pub struct Legend<'a> {
    items: Vec<(char, Style, &'a str)>,
    style: Style,
}

impl<'a> Legend<'a> {
    /// A legend of `(symbol, its style, meaning)`.
    pub fn new(items: impl IntoIterator<Item = (char, Style, &'a str)>) -> Legend<'a> {
        Legend {
            items: items.into_iter().collect(),
            style: Style::new(),
        }
    }

    /// Sets the style of the meanings (the symbols keep their own).
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }
}

impl Widget for &Legend<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut spans = Vec::with_capacity(self.items.len() * 2);
        for &(ch, st, text) in &self.items {
            spans.push(Span::styled(ch.to_string(), st));
            spans.push(Span::styled(format!(" {text}  "), self.style));
        }
        super::render_lines(&[Line::from(spans)], area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::Color;

    #[test]
    fn symbols_then_meanings_clipped_to_the_area() {
        let red = Style::new().fg(Color::Red);
        let legend = Legend::new([('█', red, "running"), ('·', Style::new(), "idle")]);
        assert_eq!(
            text_of(&legend, 22, 1),
            Buffer::with_lines(["█ running  · idle     "])
        );
        assert_eq!(
            text_of(&legend, 12, 1),
            Buffer::with_lines(["█ running  ·"])
        );
        let buf = styled(&legend.clone().style(Color::Gray), 22, 1);
        assert_eq!(buf[(0, 0)].fg, Color::Red);
        assert_eq!(buf[(2, 0)].fg, Color::Gray);
    }
}
