//! Vertical lines (`┃`) over a time-line: one column per moment (a barrier's
//! release, an event set), drawn across every lane's row, on the same axis
//! as [`Timeline`](super::Timeline) (0 to `end_us` over the cells right of
//! its labels).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// Moments drawn as `┃` across the rows of a time-line.
#[derive(Debug, Clone)]
pub struct TimeMarks {
    at_us: Vec<u64>,
    end_us: u64,
    label_width: u16,
    style: Style,
}

impl TimeMarks {
    /// Lines at `at_us` on an axis from 0 to `end_us`.
    pub fn new(at_us: impl IntoIterator<Item = u64>, end_us: u64) -> TimeMarks {
        TimeMarks {
            at_us: at_us.into_iter().collect(),
            end_us,
            label_width: 12,
            style: Style::new(),
        }
    }

    /// Columns the time-line keeps for its labels.
    pub fn label_width(mut self, w: u16) -> Self {
        self.label_width = w;
        self
    }

    /// Sets the style of the lines.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// The cell (from the left of the time-line's cells) that moment `t`
    /// falls in, as the time-line divides its axis.
    pub fn column(t: u64, end_us: u64, cells: usize) -> Option<usize> {
        if cells == 0 || end_us == 0 || t > end_us {
            return None;
        }
        let cell = (end_us as f64 / cells as f64).max(1.0);
        Some(((t as f64 / cell) as usize).min(cells - 1))
    }
}

impl Widget for &TimeMarks {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let lw = self.label_width.min(area.width);
        let cells = usize::from(area.width - lw);
        for &t in &self.at_us {
            let Some(c) = TimeMarks::column(t, self.end_us, cells) else {
                continue;
            };
            let x = area.x + lw + u16::try_from(c).unwrap_or(0);
            for y in area.top()..area.bottom() {
                buf[(x, y)].set_char('┃').set_style(self.style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::text_of;

    #[test]
    fn a_mark_is_one_column_across_every_row() {
        let m = TimeMarks::new([500_000], 1_000_000).label_width(2);
        assert_eq!(text_of(&m, 6, 2), Buffer::with_lines(["    ┃ ", "    ┃ "]));
    }

    #[test]
    fn marks_past_the_end_or_without_time_are_not_drawn() {
        let m = TimeMarks::new([2_000_000], 1_000_000).label_width(0);
        assert_eq!(text_of(&m, 4, 1), Buffer::with_lines(["    "]));
        assert_eq!(TimeMarks::column(5, 0, 10), None);
        assert_eq!(TimeMarks::column(1_000_000, 1_000_000, 10), Some(9));
    }
}
