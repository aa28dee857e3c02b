//! The queue and the futures: what waits, which futures hold an exception,
//! and how many are done, failed, cancelled or pending.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::timeline::block_glyph;
use crate::trace::RunState;
use crate::trace::fold::Status;
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// Queued names shown before `+N`.
const QUEUE_NAMES: usize = 8;
/// Failed futures listed by name.
const FAILED_SHOWN: usize = 3;

/// The queue line, the futures holding exceptions and the futures' tally.
#[derive(Debug, Clone)]
pub struct FuturesList<'a> {
    lines: Vec<Line<'a>>,
    /// Where the lines naming one failed future each sit in `lines`.
    listed: std::ops::Range<usize>,
    failed: usize,
    theme_failed: Style,
    style: Style,
}

impl<'a> FuturesList<'a> {
    /// The list for `state`, fitted to `width` columns, in `theme`'s colours.
    pub fn new(state: &'a RunState, width: u16, theme: &Theme) -> FuturesList<'a> {
        let w = width as usize;
        let mut lines = Vec::new();
        let queued: Vec<_> = state.queued().collect();
        if !queued.is_empty() {
            let names: Vec<_> = queued
                .iter()
                .take(QUEUE_NAMES)
                .map(|u| u.label.as_str())
                .collect();
            let more = match queued.len().checked_sub(QUEUE_NAMES) {
                Some(n) if n > 0 => format!(" +{n}"),
                _ => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("queue ({}) ", queued.len()), theme.heading),
                Span::styled(
                    truncate(&format!("{}{more}", names.join(" ")), w.saturating_sub(12)),
                    theme.queued,
                ),
            ]));
        }
        let failed: Vec<_> = state
            .units
            .iter()
            .filter(|u| matches!(u.status, Status::Failed(_)))
            .collect();
        let mut listed = 0..0;
        if !failed.is_empty() {
            let listed_note = if failed.len() > FAILED_SHOWN {
                format!(" ({FAILED_SHOWN} listed)")
            } else {
                String::new()
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "futures holding an exception: {}{listed_note}",
                    failed.len()
                ),
                theme.failed,
            )));
            listed.start = lines.len();
            for u in failed.iter().take(FAILED_SHOWN) {
                let (st, text) = status_style(&u.status, theme);
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", truncate(&u.label, 16)), theme.text),
                    Span::styled(truncate(&text, w.saturating_sub(20)), st),
                ]));
            }
            listed.end = lines.len();
        }
        let c = state.counts;
        if c.spawned > 0 {
            let quiet = |n: u32, st: Style| if n > 0 { st } else { theme.dim };
            lines.push(Line::from(vec![
                Span::styled("futures ", theme.heading),
                Span::styled(format!("{} done ", c.finished), theme.finished),
                Span::styled(
                    format!("{} failed ", c.failed),
                    quiet(c.failed, theme.failed),
                ),
                Span::styled(
                    format!("{} cancelled ", c.cancelled),
                    quiet(c.cancelled, theme.cancelled),
                ),
                Span::styled(format!("{} pending", state.active()), theme.dim),
            ]));
        }
        FuturesList {
            lines,
            listed,
            failed: failed.len(),
            theme_failed: theme.failed,
            style: Style::new(),
        }
    }

    /// Lists fewer failed futures by name so the list takes at most `rows`
    /// rows where it can; the count line then says how many are listed.
    pub fn fit(mut self, rows: u16) -> Self {
        let excess = (self.lines.len()).saturating_sub(rows as usize);
        let drop = excess.min(self.listed.len());
        if drop > 0 {
            let keep = self.listed.len() - drop;
            self.lines.drain(self.listed.start + keep..self.listed.end);
            self.listed.end -= drop;
            self.lines[self.listed.start - 1] = Line::from(Span::styled(
                format!(
                    "futures holding an exception: {} ({keep} listed)",
                    self.failed
                ),
                self.theme_failed,
            ));
        }
        self
    }

    /// Rows the list needs.
    pub fn height(&self) -> u16 {
        self.lines.len() as u16
    }

    /// Sets the base style under the list's own.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }
}

impl Widget for &FuturesList<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area.intersection(buf.area), self.style);
        super::render_lines(&self.lines, area, buf);
    }
}

/// Style and text of a unit's status.
pub fn status_style(s: &Status, theme: &Theme) -> (Style, String) {
    match s {
        Status::Spawned | Status::Queued => (theme.queued, "queued".into()),
        Status::Running => (theme.running, "running".into()),
        Status::Blocked(on) => (block_glyph(on, theme).0, format!("waiting: {}", on.label())),
        Status::Ready => (theme.ready, "ready".into()),
        Status::Finished(v) => (theme.finished, format!("= {v}")),
        Status::Failed(e) => (theme.failed, format!("exception: {e}")),
        Status::Cancelled => (theme.cancelled, "cancelled".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind};
    use crate::ui::widgets::testing::{styled, text_of, theme};

    fn state() -> RunState {
        let mut s = RunState::new();
        let mut ev = |lane, kind| {
            s.apply(&Event {
                t_us: crate::trace::Micros::from_us(10),
                lane,
                kind,
            })
        };
        for unit in 1..=11 {
            let label = format!("j{unit}");
            ev(0, EventKind::Spawned { unit, label });
            ev(0, EventKind::Queued { unit });
        }
        ev(1, EventKind::Started { unit: 1 });
        let error = "ZeroDivisionError".to_string();
        ev(1, EventKind::Failed { unit: 1, error });
        s
    }

    #[test]
    fn queue_exceptions_and_tally() {
        let (s, theme) = (state(), theme());
        let list = FuturesList::new(&s, 44, &theme);
        assert_eq!(list.height(), 4);
        assert_eq!(
            text_of(&list, 44, 5),
            Buffer::with_lines([
                "queue (10) j2 j3 j4 j5 j6 j7 j8 j9 +2       ",
                "futures holding an exception: 1             ",
                "  j1 exception: ZeroDivision…               ",
                "futures 0 done 1 failed 0 cancelled 10 pendi",
                "                                            ",
            ])
        );
        assert_eq!(Some(styled(&list, 44, 2)[(0, 1)].fg), theme.failed.fg);
    }

    #[test]
    fn fitted_to_fewer_rows_it_lists_fewer_exceptions_and_says_so() {
        let mut s = RunState::new();
        for unit in 1..=3 {
            let mut ev = |kind| {
                s.apply(&Event {
                    t_us: crate::trace::Micros::from_us(10),
                    lane: 1,
                    kind,
                });
            };
            ev(EventKind::Spawned {
                unit,
                label: format!("j{unit}"),
            });
            ev(EventKind::Started { unit });
            ev(EventKind::Failed {
                unit,
                error: "TypeError".into(),
            });
        }
        let theme = theme();
        assert_eq!(FuturesList::new(&s, 40, &theme).height(), 5);
        assert_eq!(FuturesList::new(&s, 40, &theme).fit(9).height(), 5);
        let list = FuturesList::new(&s, 40, &theme).fit(3);
        assert_eq!(
            text_of(&list, 40, 3),
            Buffer::with_lines([
                "futures holding an exception: 3 (1 liste",
                "  j1 exception: TypeError               ",
                "futures 0 done 3 failed 0 cancelled 0 pe",
            ])
        );
        // The count and the tally stay, whatever the room.
        assert_eq!(FuturesList::new(&s, 40, &theme).fit(0).height(), 2);
    }

    #[test]
    fn nothing_spawned_draws_nothing() {
        let s = RunState::new();
        assert_eq!(FuturesList::new(&s, 20, &theme()).height(), 0);
    }
}
