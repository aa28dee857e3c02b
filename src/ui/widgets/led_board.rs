//! One board of LEDs: its name, a lamp per LED (`●` lit, `○` dark), the
//! temperatures it reads and how many alarms it has sounded.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// A board of LEDs, three lines high.
#[derive(Debug, Clone, Default)]
pub struct LedBoard<'a> {
    title: &'a str,
    /// `(name, lit, style when lit)`.
    leds: Vec<(&'a str, bool, Style)>,
    temps: Vec<i64>,
    threshold: Option<i64>,
    alarms: u64,
    dim: Style,
    strong: Style,
    alarm: Style,
}

impl<'a> LedBoard<'a> {
    /// An empty board named `title`.
    pub fn new(title: &'a str) -> Self {
        LedBoard {
            title,
            ..LedBoard::default()
        }
    }

    /// Adds an LED, lit or not, drawn in `style` when lit.
    pub fn led(mut self, name: &'a str, lit: bool, style: Style) -> Self {
        self.leds.push((name, lit, style));
        self
    }

    /// The temperatures read this second, and the threshold.
    pub fn temps(mut self, temps: Vec<i64>, threshold: Option<i64>) -> Self {
        self.temps = temps;
        self.threshold = threshold;
        self
    }

    /// Alarms sounded so far.
    pub fn alarms(mut self, n: u64) -> Self {
        self.alarms = n;
        self
    }

    /// Styles: dark LEDs and labels, the title, the alarm count.
    pub fn styles(mut self, dim: Style, strong: Style, alarm: Style) -> Self {
        self.dim = dim;
        self.strong = strong;
        self.alarm = alarm;
        self
    }
}

impl LedBoard<'_> {
    /// The reading line without the alarm count: the temperatures and the
    /// threshold, as wide as they are drawn.
    fn reading_width(&self) -> usize {
        if self.temps.is_empty() {
            return 0;
        }
        let t: usize = self
            .temps
            .iter()
            .map(|t| format!("{t}°").chars().count() + 1)
            .sum();
        t.saturating_sub(1)
            + self
                .threshold
                .map_or(0, |th| format!(" (hot > {th}°)  ").chars().count())
    }

    fn alarm_text(&self) -> String {
        format!("♪ alarms {}", self.alarms)
    }

    /// Rows the board needs at `width`: the alarm count goes on a row of
    /// its own when it does not fit beside the temperatures.
    pub fn height(&self, width: u16) -> u16 {
        let one_row = self.reading_width() + self.alarm_text().chars().count();
        if one_row <= width as usize { 3 } else { 4 }
    }
}

impl Widget for &LedBoard<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut lamps = Vec::new();
        for &(name, lit, style) in &self.leds {
            let (lamp, st) = if lit {
                ("●", style)
            } else {
                ("○", self.dim)
            };
            lamps.push(Span::styled(lamp, st));
            lamps.push(Span::styled(
                format!(" {name}  "),
                if lit { style } else { self.dim },
            ));
        }
        let mut reading = Vec::new();
        if !self.temps.is_empty() {
            let t: Vec<String> = self.temps.iter().map(|t| format!("{t}°")).collect();
            reading.push(Span::styled(t.join(" "), self.strong));
            if let Some(th) = self.threshold {
                reading.push(Span::styled(format!(" (hot > {th}°)  "), self.dim));
            }
        }
        let style = if self.alarms > 0 {
            self.alarm
        } else {
            self.dim
        };
        let alarm = Span::styled(self.alarm_text(), style);
        let mut lines = vec![Line::styled(self.title, self.strong), Line::from(lamps)];
        if self.height(area.width) > 3 {
            lines.push(Line::from(reading));
            lines.push(Line::from(alarm));
        } else {
            reading.push(alarm);
            lines.push(Line::from(reading));
        }
        super::render_lines(&lines, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::Color;

    #[test]
    fn lit_and_dark_lamps_temperatures_and_alarms() {
        let green = Style::new().fg(Color::Green);
        let board = LedBoard::new("one loop")
            .led("green", true, green)
            .led("red", false, Style::new().fg(Color::Red))
            .temps(vec![90], Some(80))
            .alarms(2);
        assert_eq!(
            text_of(&board, 32, 3),
            Buffer::with_lines([
                "one loop                        ",
                "● green  ○ red                  ",
                "90° (hot > 80°)  ♪ alarms 2     ",
            ])
        );
        let buf = styled(&board, 32, 3);
        assert_eq!(buf[(0, 1)].fg, Color::Green, "a lit LED wears its colour");
        assert_ne!(buf[(9, 1)].fg, Color::Red, "a dark one does not");
    }

    #[test]
    fn clipped_to_a_narrow_area() {
        let board = LedBoard::new("tasks").led("green", false, Style::new());
        assert_eq!(
            text_of(&board, 8, 2),
            Buffer::with_lines(["tasks   ", "○ green "])
        );
    }
}
