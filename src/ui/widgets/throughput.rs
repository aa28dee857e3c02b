//! Throughput over time on one line: a label, a bar per time slice (how
//! many items ended in it, against the busiest slice) and a figure:
//! `handled ▁▃▅▇▇▆▅▆ 23.5 items/s`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Items ended per time slice from 0 to `end_us`, as bars.
#[derive(Debug, Clone)]
pub struct Throughput<'a> {
    label: &'a str,
    /// When each item ended, µs since the start.
    ends_us: Vec<u64>,
    end_us: u64,
    figure: String,
    label_width: u16,
    style: Style,
    bars: Style,
}

impl<'a> Throughput<'a> {
    /// Bars of `ends_us` over 0..`end_us`, then `figure`.
    pub fn new(label: &'a str, ends_us: Vec<u64>, end_us: u64, figure: impl Into<String>) -> Self {
        Throughput {
            label,
            ends_us,
            end_us,
            figure: figure.into(),
            label_width: 12,
            style: Style::new(),
            bars: Style::new(),
        }
    }

    /// Columns kept for the label (as the time-line's, so they line up).
    pub fn label_width(mut self, w: u16) -> Self {
        self.label_width = w;
        self
    }

    /// Sets the style of the label and the figure.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Sets the style of the bars.
    pub fn bars(mut self, s: impl Into<Style>) -> Self {
        self.bars = s.into();
        self
    }

    /// Items ended in each of `cells` slices.
    fn counts(&self, cells: usize) -> Vec<u32> {
        let mut counts = vec![0u32; cells];
        if cells == 0 || self.end_us == 0 {
            return counts;
        }
        let cell = (self.end_us as f64 / cells as f64).max(1.0);
        for &t in &self.ends_us {
            let c = ((t as f64 / cell) as usize).min(cells - 1);
            counts[c] += 1;
        }
        counts
    }
}

impl Widget for &Throughput<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.height == 0 {
            return;
        }
        let lw = usize::from(self.label_width.min(area.width));
        let label = format!("{:<lw$}", self.label);
        buf.set_stringn(area.x, area.y, label, lw, self.style);
        let figure = format!(" {}", self.figure);
        let fw = figure.chars().count();
        let cells = usize::from(area.width).saturating_sub(lw + fw);
        let counts = self.counts(cells);
        let peak = counts.iter().copied().max().unwrap_or(0).max(1);
        let x0 = area.x + u16::try_from(lw).unwrap_or(0);
        for (c, &n) in counts.iter().enumerate() {
            let ch = if n == 0 {
                ' '
            } else {
                BARS[(n as usize * (BARS.len() - 1))
                    .div_ceil(peak as usize)
                    .min(BARS.len() - 1)]
            };
            let x = x0 + u16::try_from(c).unwrap_or(0);
            buf[(x, area.y)].set_char(ch).set_style(self.bars);
        }
        let x = x0 + u16::try_from(cells).unwrap_or(0);
        buf.set_stringn(
            x,
            area.y,
            figure,
            usize::from(area.right().saturating_sub(x)),
            self.style,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::text_of;

    #[test]
    fn bars_rise_with_the_items_ended_in_each_slice() {
        // 4 slices of 100 ms: 0, 1, 2 and 4 items ended.
        let ends = vec![
            150_000, 250_000, 260_000, 310_000, 320_000, 330_000, 340_000,
        ];
        let t = Throughput::new("out", ends, 400_000, "7/s").label_width(4);
        assert_eq!(text_of(&t, 12, 1), Buffer::with_lines(["out  ▃▅█ 7/s"]));
    }

    #[test]
    fn nothing_ended_draws_no_bars() {
        let t = Throughput::new("out", Vec::new(), 0, "0/s").label_width(4);
        assert_eq!(text_of(&t, 10, 1), Buffer::with_lines(["out    0/s"]));
    }
}
