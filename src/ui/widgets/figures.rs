//! The headline figures of a pane: `0.60 s  elapsed   2/6  jobs ended`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// One figure: a value, its own style, and an optional label after it.
#[derive(Debug, Clone)]
pub struct Figure<'a> {
    value: String,
    value_style: Option<Style>,
    label: &'a str,
}

impl<'a> Figure<'a> {
    /// A value followed by what it counts (an empty label draws none).
    pub fn new(value: impl Into<String>, label: &'a str) -> Figure<'a> {
        Figure {
            value: value.into(),
            value_style: None,
            label,
        }
    }

    /// What the figure counts.
    pub fn label(&self) -> &str {
        self.label
    }

    /// Draws the value in `s` instead of the row's value style.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.value_style = Some(s.into());
        self
    }
}

/// Figures on one line, values prominent, labels quiet.
#[derive(Debug, Clone, Default)]
pub struct Figures<'a> {
    figures: Vec<Figure<'a>>,
    style: Style,
    value_style: Style,
}

impl<'a> Figures<'a> {
    /// A row of figures.
    pub fn new(figures: impl IntoIterator<Item = Figure<'a>>) -> Figures<'a> {
        Figures {
            figures: figures.into_iter().collect(),
            style: Style::new(),
            value_style: Style::new(),
        }
    }

    /// Sets the style of the labels.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Sets the style of the values that have none of their own.
    pub fn value_style(mut self, s: impl Into<Style>) -> Self {
        self.value_style = s.into();
        self
    }

    /// The row as a line.
    fn line(&self) -> Line<'_> {
        let mut spans = Vec::with_capacity(self.figures.len() * 2);
        for (i, f) in self.figures.iter().enumerate() {
            let gap = if i + 1 < self.figures.len() {
                "   "
            } else {
                ""
            };
            let value_style = f.value_style.unwrap_or(self.value_style);
            if f.label.is_empty() {
                spans.push(Span::styled(f.value.as_str(), value_style));
                spans.push(Span::styled(gap, self.style));
            } else {
                spans.push(Span::styled(f.value.as_str(), value_style));
                spans.push(Span::styled(format!("  {}{gap}", f.label), self.style));
            }
        }
        Line::from(spans)
    }
}

impl Widget for &Figures<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        super::render_lines(&[self.line()], area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::Color;

    #[test]
    fn values_and_labels_in_a_row() {
        let figures = Figures::new([
            Figure::new("0.60 s", "elapsed"),
            Figure::new("2/6", "jobs"),
            Figure::new("1 failed", "").style(Color::Red),
        ])
        .value_style(Color::Yellow)
        .style(Color::Gray);
        assert_eq!(
            text_of(&figures, 40, 1),
            Buffer::with_lines(["0.60 s  elapsed   2/6  jobs   1 failed  "])
        );
        let buf = styled(&figures, 40, 1);
        assert_eq!(buf[(0, 0)].fg, Color::Yellow);
        assert_eq!(buf[(8, 0)].fg, Color::Gray);
        assert_eq!(buf[(30, 0)].fg, Color::Red);
    }

    #[test]
    fn a_narrow_area_cuts_the_row() {
        let figures = Figures::new([Figure::new("12.5", "requests/s")]);
        assert_eq!(text_of(&figures, 8, 1), Buffer::with_lines(["12.5  re"]));
    }
}
