//! A key to the symbols a pane draws: `█ running  g GIL wait  …`, wrapped
//! between entries onto the rows it is given, and saying how many entries
//! found no room rather than cutting one in half.

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

impl Legend<'_> {
    /// Rows the legend takes at `width` columns, every entry whole.
    pub fn height(&self, width: u16) -> u16 {
        let (rows, _) = pack(&self.widths(), width as usize, usize::MAX);
        rows.len() as u16
    }

    /// Rows to draw the legend in, when a pane gives it `given` rows (0:
    /// none) and has `spare` more: a second row when it wraps onto one and
    /// a row is spare, never more than two.
    pub fn rows(&self, width: u16, given: u16, spare: u16) -> u16 {
        if given == 0 {
            return 0;
        }
        let want = self.height(width).clamp(1, 2);
        given.max(want.min(given.saturating_add(spare)))
    }

    fn widths(&self) -> Vec<usize> {
        self.items
            .iter()
            .map(|(ch, _, text)| Span::raw(format!("{ch} {text}  ")).width())
            .collect()
    }
}

impl Widget for &Legend<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (rows, hidden) = pack(&self.widths(), area.width as usize, area.height as usize);
        let mut lines: Vec<Line> = rows
            .into_iter()
            .map(|r| {
                let mut spans = Vec::with_capacity(r.len() * 2);
                for &(ch, st, text) in &self.items[r] {
                    spans.push(Span::styled(ch.to_string(), st));
                    spans.push(Span::styled(format!(" {text}  "), self.style));
                }
                Line::from(spans)
            })
            .collect();
        if hidden > 0
            && let Some(last) = lines.last_mut()
        {
            last.spans
                .push(Span::styled(format!("+{hidden} more"), self.style));
        }
        super::render_lines(&lines, area, buf);
    }
}

/// Packs entries of `widths` (each ending in two spaces of separation)
/// into rows of `width` columns, at most `max_rows`. Returns each row's
/// entries and how many found no room; when some did not, the last row
/// leaves room to say `+N more`.
pub fn pack(
    widths: &[usize],
    width: usize,
    max_rows: usize,
) -> (Vec<std::ops::Range<usize>>, usize) {
    // The separation after a row's last entry may fall off the edge.
    let fits = |used: usize, w: usize| used + w.saturating_sub(2) <= width;
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &w) in widths.iter().enumerate() {
        if i > start && !fits(used, w) {
            rows.push(start..i);
            (start, used) = (i, 0);
        }
        used += w;
    }
    if start < widths.len() {
        rows.push(start..widths.len());
    }
    if rows.len() <= max_rows {
        return (rows, 0);
    }
    rows.truncate(max_rows);
    let Some(last) = rows.last_mut() else {
        return (rows, widths.len());
    };
    let row_w = |r: &std::ops::Range<usize>| widths[r.clone()].iter().sum::<usize>();
    loop {
        let hidden = widths.len() - last.end;
        let more = format!("+{hidden} more").len();
        if last.start >= last.end || row_w(last) + more <= width {
            return (rows, hidden);
        }
        last.end -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::Color;

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // rows of entries, not one range
    fn pairs_wrap_whole_and_the_rest_is_counted() {
        // "workers 4  " is 11 wide; the last separation may fall off.
        assert_eq!(pack(&[11, 11], 20, 3), (vec![0..2], 0));
        assert_eq!(pack(&[11, 11, 11], 19, 3), (vec![0..1, 1..2, 2..3], 0));
        assert_eq!(pack(&[11, 9, 11], 19, 3), (vec![0..2, 2..3], 0));
        // Two rows allowed: the third entry is counted, room made for it.
        assert_eq!(pack(&[11, 11, 11], 19, 2), (vec![0..1, 1..2], 1));
        assert_eq!(pack(&[8, 8, 8, 8], 20, 1), (vec![0..1], 3));
        assert_eq!(pack(&[], 20, 2), (vec![], 0));
    }

    #[test]
    fn symbols_then_meanings_wrapped_between_entries() {
        let red = Style::new().fg(Color::Red);
        let legend = Legend::new([('█', red, "running"), ('·', Style::new(), "idle")]);
        assert_eq!(
            text_of(&legend, 22, 1),
            Buffer::with_lines(["█ running  · idle     "])
        );
        assert_eq!(legend.height(22), 1);
        assert_eq!(legend.height(12), 2);
        // A second row only where it wraps and a row is spare.
        assert_eq!(legend.rows(22, 1, 3), 1);
        assert_eq!(legend.rows(12, 1, 3), 2);
        assert_eq!(legend.rows(12, 1, 0), 1);
        assert_eq!(legend.rows(12, 0, 3), 0, "no row given, none taken");
        assert_eq!(
            text_of(&legend, 12, 2),
            Buffer::with_lines(["█ running   ", "· idle      "])
        );
        // One row for three: the entries that found no room are counted.
        let three = Legend::new([
            ('█', red, "running"),
            ('·', Style::new(), "idle"),
            ('g', Style::new(), "GIL wait"),
        ]);
        assert_eq!(
            text_of(&three, 20, 1),
            Buffer::with_lines(["█ running  +2 more  "])
        );
        let buf = styled(&legend.clone().style(Color::Gray), 22, 1);
        assert_eq!(buf[(0, 0)].fg, Color::Red);
        assert_eq!(buf[(2, 0)].fg, Color::Gray);
    }
}
