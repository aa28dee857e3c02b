//! A button on screen: a framed label that looks pressed for a moment.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Widget};

/// A framed label, thick-framed and highlighted while pressed.
#[derive(Debug, Clone)]
pub struct PushButton<'a> {
    label: &'a str,
    pressed: bool,
    style: Style,
    pressed_style: Style,
    border_style: Style,
}

impl<'a> PushButton<'a> {
    /// A button reading `label`.
    pub fn new(label: &'a str) -> PushButton<'a> {
        PushButton {
            label,
            pressed: false,
            style: Style::new(),
            pressed_style: Style::new(),
            border_style: Style::new(),
        }
    }

    /// Draws it pressed.
    pub fn pressed(mut self, pressed: bool) -> Self {
        self.pressed = pressed;
        self
    }

    /// Sets the label's style.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Sets the label's style while pressed.
    pub fn pressed_style(mut self, s: impl Into<Style>) -> Self {
        self.pressed_style = s.into();
        self
    }

    /// Sets the frame's style.
    pub fn border_style(mut self, s: impl Into<Style>) -> Self {
        self.border_style = s.into();
        self
    }
}

impl Widget for &PushButton<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(if self.pressed {
                BorderType::Thick
            } else {
                BorderType::Rounded
            })
            .border_style(self.border_style);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return;
        }
        let style = if self.pressed {
            self.pressed_style
        } else {
            self.style
        };
        let y = inner.y + inner.height.saturating_sub(1) / 2;
        Line::from(Span::styled(self.label, style))
            .alignment(Alignment::Center)
            .render(Rect::new(inner.x, y, inner.width, 1), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::Color;

    #[test]
    fn framed_label_centred_and_thick_when_pressed() {
        let b = PushButton::new("GO")
            .style(Color::Green)
            .pressed_style(Color::Red);
        assert_eq!(
            text_of(&b, 8, 4),
            Buffer::with_lines(["╭──────╮", "│  GO  │", "│      │", "╰──────╯"])
        );
        let b = b.pressed(true);
        assert_eq!(
            text_of(&b, 8, 3),
            Buffer::with_lines(["┏━━━━━━┓", "┃  GO  ┃", "┗━━━━━━┛"])
        );
        assert_eq!(styled(&b, 8, 3)[(3, 1)].fg, Color::Red);
    }
}
