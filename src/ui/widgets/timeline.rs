//! Lanes' time-lines on a shared axis from 0 to now: each cell shows what
//! filled most of its time (running, waiting for the GIL, I/O, …).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::trace::BlockOn;
use crate::trace::fold::{Activity, Lane};
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// Time-lines of lanes, one row each, with an optional title row.
#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    rows: Vec<(&'a str, &'a Lane)>,
    end_us: u64,
    label_width: u16,
    title: Option<&'a str>,
    scale: bool,
    theme: &'a Theme,
    style: Style,
    title_style: Style,
}

impl<'a> Timeline<'a> {
    /// Rows of `(label, lane)` from 0 to `end_us`, in `theme`'s colours.
    pub fn new(
        rows: impl IntoIterator<Item = (&'a str, &'a Lane)>,
        end_us: u64,
        theme: &'a Theme,
    ) -> Timeline<'a> {
        Timeline {
            rows: rows.into_iter().collect(),
            end_us,
            label_width: 12,
            title: None,
            scale: false,
            theme,
            style: Style::new(),
            title_style: Style::new(),
        }
    }

    /// Columns kept for the labels (they are cut one shorter).
    pub fn label_width(mut self, w: u16) -> Self {
        self.label_width = w;
        self
    }

    /// A title row above the lanes; with `scale`, the axis ends follow it.
    pub fn title(mut self, title: &'a str, scale: bool) -> Self {
        self.title = Some(title);
        self.scale = scale;
        self
    }

    /// Sets the style of the title row.
    pub fn title_style(mut self, s: impl Into<Style>) -> Self {
        self.title_style = s.into();
        self
    }

    /// Sets the style of the labels.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    fn render_title(&self, area: Rect, buf: &mut Buffer, title: &str) {
        let lw = self.label_width as usize;
        let text = if self.scale {
            let cells = (area.width as usize).saturating_sub(lw);
            let end = format!("{:.1} s", self.end_us as f64 / 1e6);
            format!(
                "{title:<lw$}0 s{end:>width$}",
                width = cells.saturating_sub(3)
            )
        } else {
            title.to_string()
        };
        buf.set_stringn(area.x, area.y, text, area.width as usize, self.title_style);
    }
}

impl Widget for &Timeline<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let mut y = area.y;
        if let Some(title) = self.title
            && area.height > 0
        {
            self.render_title(area, buf, title);
            y += 1;
        }
        let lw = self.label_width.min(area.width);
        let cells = area.width - lw;
        for &(label, lane) in &self.rows {
            if y >= area.bottom() {
                break;
            }
            let text = format!(
                "{:<w$}",
                truncate(label, (lw as usize).saturating_sub(1)),
                w = lw as usize
            );
            buf.set_stringn(area.x, y, text, lw as usize, self.style);
            let x0 = area.x + lw;
            cells_of(
                lane,
                self.end_us,
                cells as usize,
                self.theme,
                |c, st, ch| {
                    buf[(x0 + c as u16, y)].set_char(ch).set_style(st);
                },
            );
            y += 1;
        }
    }
}

/// Calls `put(cell, style, symbol)` for each of `width` cells of a lane's
/// time-line from 0 to `end_us`.
fn cells_of(
    lane: &Lane,
    end_us: u64,
    width: usize,
    theme: &Theme,
    mut put: impl FnMut(usize, Style, char),
) {
    if width == 0 || end_us == 0 {
        return;
    }
    let cell = (end_us as f64 / width as f64).max(1.0);
    // Per cell: time spent running, and the longest other activity (by
    // segment index, 0 = the open one): nothing is cloned per cell.
    let mut running = vec![0u64; width];
    let mut other: Vec<(u64, usize)> = vec![(0, usize::MAX); width];
    let mut add = |from: u64, to: u64, act: &Activity, idx: usize| {
        let first = (from as f64 / cell) as usize;
        let last = ((to as f64 / cell).ceil() as usize).min(width);
        for c in first..last {
            let c0 = (c as f64 * cell) as u64;
            let c1 = ((c + 1) as f64 * cell) as u64;
            let overlap = to.min(c1).saturating_sub(from.max(c0));
            if *act == Activity::Running {
                running[c] += overlap;
            } else if overlap > other[c].0 {
                other[c] = (overlap, idx);
            }
        }
    };
    for (i, seg) in lane.segments.iter().enumerate() {
        add(seg.from_us, seg.to_us, &seg.activity, i + 1);
    }
    if end_us > lane.since_us {
        add(lane.since_us, end_us, &lane.activity, 0);
    }
    let activity = |idx: usize| match idx {
        usize::MAX => None,
        0 => Some(&lane.activity),
        i => lane.segments.get(i - 1).map(|s| &s.activity),
    };
    for c in 0..width {
        let (run, (w, idx)) = (running[c] as f64 / cell, other[c]);
        let waiting = w as f64 / cell;
        let (st, ch) = match activity(idx) {
            // Turns taken within one cell (a GIL hand-over every 5 ms):
            // half running, half waiting.
            Some(a) if run >= 0.2 && waiting >= 0.2 && !matches!(a, Activity::Idle) => {
                (activity_glyph(a, theme).0, '▚')
            }
            Some(a) if waiting > run => activity_glyph(a, theme),
            _ if run > 0.0 => activity_glyph(&Activity::Running, theme),
            Some(a) => activity_glyph(a, theme),
            None => (theme.idle, ' '),
        };
        put(c, st, ch);
    }
}

/// Style and symbol of a lane activity, as a time-line cell shows it.
pub fn activity_glyph(a: &Activity, theme: &Theme) -> (Style, char) {
    match a {
        Activity::Idle => (theme.idle, '·'),
        Activity::Running => (theme.running, '█'),
        Activity::Blocked(on) => block_glyph(on, theme),
        Activity::Down => (theme.idle, ' '),
    }
}

/// Style and symbol for what a lane waits on.
pub fn block_glyph(on: &BlockOn, theme: &Theme) -> (Style, char) {
    match on {
        BlockOn::Gil => (theme.blocked_gil, 'g'),
        BlockOn::Lock { .. } => (theme.blocked_lock, 'L'),
        BlockOn::Io { .. } => (theme.blocked_io, '▒'),
        BlockOn::Semaphore { .. } => (theme.blocked_lock, 'S'),
        BlockOn::Queue { .. } => (theme.blocked_lock, 'q'),
        BlockOn::Sleep => (theme.sleeping, '░'),
        BlockOn::Pipe => (theme.blocked_io, 'p'),
        BlockOn::Task { .. } | BlockOn::Other { .. } => (theme.blocked_lock, '?'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind, LaneRole, RunState};
    use crate::ui::widgets::testing::{styled, text_of, theme};

    /// One worker: idle 0–100 ms, running 100–300 ms, GIL wait 300–400 ms.
    fn state() -> RunState {
        let mut s = RunState::new();
        let mut ev = |t: u64, kind| {
            s.apply(&Event {
                t_us: crate::trace::Micros::from_us(t),
                lane: 1,
                kind,
            })
        };
        ev(
            0,
            EventKind::LaneUp {
                name: "worker-one-long".into(),
                pid: None,
                role: LaneRole::Worker,
            },
        );
        ev(
            0,
            EventKind::Spawned {
                unit: 1,
                label: "job".into(),
            },
        );
        ev(100_000, EventKind::Started { unit: 1 });
        ev(
            300_000,
            EventKind::Blocked {
                unit: 1,
                on: BlockOn::Gil,
            },
        );
        s
    }

    #[test]
    fn a_lane_with_a_scaled_title() {
        let (s, theme) = (state(), theme());
        let lane = &s.lanes[&1];
        let tl = Timeline::new([(lane.name.as_str(), lane)], 400_000, &theme)
            .label_width(6)
            .title("time", true);
        assert_eq!(
            text_of(&tl, 14, 3),
            Buffer::with_lines(["time  0 s0.4 s", "work… ··████gg", "              "])
        );
        let buf = styled(&tl, 14, 2);
        assert_eq!(Some(buf[(8, 1)].fg), theme.running.fg);
        assert_eq!(Some(buf[(12, 1)].fg), theme.blocked_gil.fg);
    }

    #[test]
    fn no_time_no_cells_and_rows_clipped() {
        let (s, theme) = (state(), theme());
        let lane = &s.lanes[&1];
        let tl = Timeline::new([("a", lane), ("b", lane)], 0, &theme).label_width(2);
        assert_eq!(text_of(&tl, 5, 1), Buffer::with_lines(["a    "]));
    }
}
