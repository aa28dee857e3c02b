//! A buffer's slots on one line: `queue 3/10 [ 12│ 13│ 14│   │   ]`, each
//! filled slot with what it holds, oldest first; slots that do not fit are
//! counted at the end (`+6`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

/// The slots of a bounded buffer (a queue, a semaphore's permits, a
/// barrier's parties) and what fills them.
#[derive(Debug, Clone)]
pub struct Slots<'a> {
    label: &'a str,
    capacity: usize,
    items: Vec<&'a str>,
    style: Style,
    filled: Style,
    empty: Style,
}

impl<'a> Slots<'a> {
    /// `capacity` slots named `label`, the first ones holding `items`.
    pub fn new(label: &'a str, capacity: usize, items: impl IntoIterator<Item = &'a str>) -> Self {
        Slots {
            label,
            capacity,
            items: items.into_iter().collect(),
            style: Style::new(),
            filled: Style::new(),
            empty: Style::new(),
        }
    }

    /// Sets the style of the label and the frame.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Sets the style of a filled slot.
    pub fn filled(mut self, s: impl Into<Style>) -> Self {
        self.filled = s.into();
        self
    }

    /// Sets the style of an empty slot.
    pub fn empty(mut self, s: impl Into<Style>) -> Self {
        self.empty = s.into();
        self
    }

    /// The slots drawn: the capacity, or more when the buffer holds more
    /// (a semaphore released too often).
    fn count(&self) -> usize {
        self.capacity.max(self.items.len())
    }
}

impl Widget for &Slots<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.height == 0 || area.width == 0 {
            return;
        }
        let head = format!("{} {}/{} ", self.label, self.items.len(), self.capacity);
        let right = area.right();
        let mut x = buf
            .set_stringn(area.x, area.y, &head, area.width as usize, self.style)
            .0;
        let cell = self
            .items
            .iter()
            .map(|s| s.width())
            .max()
            .unwrap_or(1)
            .max(2)
            + 1;
        let n = self.count();
        // Room for `[`, the slots with their separators, `]` and a `+N`.
        let room = usize::from(right.saturating_sub(x));
        let fits = |k: usize| 2 + k * (cell + 1) - usize::from(k > 0) + if k < n { 4 } else { 0 };
        let shown = (0..=n).rev().find(|&k| fits(k) <= room).unwrap_or(0);
        if shown == 0 && n > 0 {
            buf.set_stringn(
                x,
                area.y,
                format!("+{n}"),
                usize::from(right - x),
                self.style,
            );
            return;
        }
        x = buf.set_stringn(x, area.y, "[", 1, self.style).0;
        for i in 0..shown {
            if i > 0 {
                x = buf.set_stringn(x, area.y, "│", 1, self.style).0;
            }
            let (text, style) = match self.items.get(i) {
                Some(item) => (format!("{item:>cell$}"), self.filled),
                None => (" ".repeat(cell), self.empty),
            };
            x = buf.set_stringn(x, area.y, text, cell, style).0;
        }
        x = buf.set_stringn(x, area.y, "]", 1, self.style).0;
        if shown < n {
            let more = format!(" +{}", n - shown);
            buf.set_stringn(
                x,
                area.y,
                more,
                usize::from(right.saturating_sub(x)),
                self.style,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of, theme};

    #[test]
    fn filled_slots_show_their_items_oldest_first() {
        let s = Slots::new("queue", 4, ["12", "13"]);
        assert_eq!(
            text_of(&s, 27, 1),
            Buffer::with_lines(["queue 2/4 [ 12│ 13│   │   ]"])
        );
    }

    #[test]
    fn slots_that_do_not_fit_are_counted() {
        let s = Slots::new("queue", 10, ["1", "2", "3"]);
        assert_eq!(
            text_of(&s, 26, 1),
            Buffer::with_lines(["queue 3/10 [  1│  2] +8   "])
        );
        let narrow = Slots::new("queue", 10, ["1"]);
        assert_eq!(
            text_of(&narrow, 14, 1),
            Buffer::with_lines(["queue 1/10 +10"])
        );
    }

    #[test]
    fn filled_and_empty_slots_have_their_styles() {
        let t = theme();
        let s = Slots::new("permits", 2, ["T1"])
            .filled(t.running)
            .empty(t.idle);
        let buf = styled(&s, 24, 1);
        assert_eq!(buf[(14, 0)].symbol(), "T");
        assert_eq!(Some(buf[(14, 0)].fg), t.running.fg);
        assert_eq!(buf[(16, 0)].symbol(), "│");
    }
}
