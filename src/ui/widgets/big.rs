//! Large figures, three rows tall, legible from the back of a room.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// A figure drawn in three-row block glyphs; falls back to plain text when
/// the area is too small.
#[derive(Debug, Clone)]
pub struct BigText {
    text: String,
    style: Style,
}

impl BigText {
    /// A big figure (digits, `.`, `:`, `-`, `/`, `%`, `x`, `s`, space).
    pub fn new(text: impl Into<String>) -> BigText {
        BigText {
            text: text.into(),
            style: Style::new(),
        }
    }

    /// Sets the style.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Columns the big form needs.
    pub fn width(&self) -> u16 {
        self.text
            .chars()
            .map(|c| glyph(c)[0].chars().count() as u16 + 1)
            .sum()
    }
}

fn glyph(c: char) -> [&'static str; 3] {
    match c {
        '0' => ["█▀█", "█ █", "▀▀▀"],
        '1' => ["▄█ ", " █ ", "▀▀▀"],
        '2' => ["▀▀█", "█▀▀", "▀▀▀"],
        '3' => ["▀▀█", " ▀█", "▀▀▀"],
        '4' => ["█ █", "▀▀█", "  ▀"],
        '5' => ["█▀▀", "▀▀█", "▀▀▀"],
        '6' => ["█▀▀", "█▀█", "▀▀▀"],
        '7' => ["▀▀█", "  █", "  ▀"],
        '8' => ["█▀█", "█▀█", "▀▀▀"],
        '9' => ["█▀█", "▀▀█", "▀▀▀"],
        '.' => [" ", " ", "▀"],
        ':' => [" ", "▀", "▀"],
        '-' => ["  ", "▀▀", "  "],
        '/' => ["  █", " █ ", "█  "],
        '%' => ["▀ █", " █ ", "█ ▄"],
        'x' | '×' => ["   ", "▀▄▀", "▀ ▀"],
        's' => ["   ", "█▀▀", "▄▄█"],
        'm' => ["     ", "█▀█▀█", "█ █ █"],
        _ => ["  ", "  ", "  "],
    }
}

impl Widget for &BigText {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height < 3 || area.width < self.width() {
            buf.set_stringn(area.x, area.y, &self.text, area.width as usize, self.style);
            return;
        }
        for row in 0..3u16 {
            let mut x = area.x;
            for c in self.text.chars() {
                let g = glyph(c)[row as usize];
                buf.set_string(x, area.y + row, g, self.style);
                x += g.chars().count() as u16 + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_digits_big_or_small() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 3));
        (&BigText::new("1.5")).render(buf.area, &mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines(["▄█    █▀▀   ", " █    ▀▀█   ", "▀▀▀ ▀ ▀▀▀   "])
        );
        let mut small = Buffer::empty(Rect::new(0, 0, 5, 1));
        (&BigText::new("1.5")).render(small.area, &mut small);
        assert_eq!(small, Buffer::with_lines(["1.5  "]));
    }
}
