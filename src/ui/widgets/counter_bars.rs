//! A shared counter against what it should read: two bars, `expected` and
//! `got`, and the updates lost between them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::demos::race::group;
use crate::ui::theme::Theme;

/// `████████  2,000,000 expected` over `█████░░░  1,234,567 got`, then
/// `765,433 lost (38 %)`.
#[derive(Debug, Clone)]
pub struct CounterBars<'a> {
    expected: u64,
    got: u64,
    theme: &'a Theme,
}

impl<'a> CounterBars<'a> {
    /// The bars for a counter that reads `got` after `expected` increments.
    pub fn new(expected: u64, got: u64, theme: &'a Theme) -> CounterBars<'a> {
        CounterBars {
            expected,
            got,
            theme,
        }
    }

    /// Rows the widget draws.
    pub fn height(&self) -> u16 {
        3
    }

    fn bar(&self, value: u64, cells: usize, style: Style) -> Vec<Span<'static>> {
        let top = self.expected.max(self.got).max(1);
        let full = ((value as f64 / top as f64) * cells as f64).round() as usize;
        let full = full.min(cells);
        vec![
            Span::styled("█".repeat(full), style),
            Span::styled("░".repeat(cells - full), self.theme.idle),
        ]
    }
}

impl Widget for &CounterBars<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let (e, g) = (group(self.expected), group(self.got));
        let number = e.len().max(g.len());
        // The bar, two spaces, the number and its label (`expected`).
        let cells = (area.width as usize).saturating_sub(2 + number + 1 + 8);
        let row = |value: u64, text: &str, label: &'static str, style: Style| {
            let mut spans = self.bar(value, cells, style);
            spans.push(Span::styled(format!("  {text:>number$} "), t.strong));
            spans.push(Span::styled(label, t.dim));
            Line::from(spans)
        };
        let lost = self.expected.saturating_sub(self.got);
        let verdict = if lost == 0 {
            Line::styled("0 lost: every update counted", t.ok)
        } else {
            let pct = lost as f64 * 100.0 / self.expected.max(1) as f64;
            Line::styled(
                format!(
                    "{} lost ({pct:.0} %): overwritten by another thread",
                    group(lost)
                ),
                t.error,
            )
        };
        let got_style = if lost == 0 { t.ok } else { t.error };
        let lines = [
            row(self.expected, &e, "expected", t.running),
            row(self.got, &g, "got", got_style),
            verdict,
        ];
        super::render_lines(&lines, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of, theme};

    #[test]
    fn a_lost_half_draws_half_a_bar_and_says_so() {
        let theme = theme();
        let w = CounterBars::new(2000, 1000, &theme);
        assert_eq!(
            text_of(&w, 30, 3),
            Buffer::with_lines([
                "██████████████  2,000 expected",
                "███████░░░░░░░  1,000 got     ",
                "1,000 lost (50 %): overwritten",
            ])
        );
        let buf = styled(&w, 30, 3);
        assert_eq!(Some(buf[(0, 1)].fg), theme.error.fg);
    }

    #[test]
    fn nothing_lost_is_said_in_the_ok_colour() {
        let theme = theme();
        let w = CounterBars::new(5, 5, &theme);
        let buf = text_of(&w, 24, 3);
        assert_eq!(buf[(0, 2)].symbol(), "0");
        let styled = styled(&w, 24, 3);
        assert_eq!(Some(styled[(0, 2)].fg), theme.ok.fg);
    }
}
