//! Lanes' time-lines on a shared axis from 0 to now: each cell is a slice
//! of the run. A slice run throughout is `█`; one run only in part is a
//! lower block as tall as the share run (`▄`: half of it), so two lanes that
//! took turns on the GIL inside one slice are never both drawn full; a slice
//! not run at all shows what filled most of it (waiting for the GIL, I/O, …).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::trace::fold::{Activity, Lane};
use crate::trace::{BlockOn, LaneId};
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
    selected: Option<LaneId>,
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
            selected: None,
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

    /// Marks the selected lane's label with `▸` in the selection style.
    pub fn selected(mut self, lane: Option<LaneId>) -> Self {
        self.selected = lane;
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
        let w = area.width as usize;
        buf.set_stringn(area.x, area.y, title, w, self.title_style);
        if !self.scale {
            return;
        }
        // The axis in one unit (seconds) for the whole run: `0 s … 2.4 s`.
        let lw = self.label_width as usize;
        let used = title.chars().count();
        // Short runs keep their digits: `0.03 s`, not `0.0 s`.
        let secs = self.end_us as f64 / 1e6;
        let end = match secs {
            s if s >= 0.995 => format!("{s:.1} s"),
            s if s >= 0.0995 => format!("{s:.2} s"),
            s => format!("{s:.3} s"),
        };
        if used <= lw && lw + 3 <= w {
            buf.set_stringn(area.x + lw as u16, area.y, "0 s", 3, self.title_style);
        }
        let at = w.saturating_sub(end.len());
        if (used + 1).max(lw + 3) <= at {
            buf.set_stringn(
                area.x + at as u16,
                area.y,
                &end,
                end.len(),
                self.title_style,
            );
        }
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
            let chosen = Some(lane.id) == self.selected;
            let (mark, style) = if chosen {
                ("▸", self.theme.selected)
            } else {
                ("", self.style)
            };
            let room = (lw as usize).saturating_sub(1 + mark.len().min(1));
            let text = format!("{mark}{}", truncate(label, room));
            buf.set_stringn(
                area.x,
                y,
                format!("{text:<w$}", w = lw as usize),
                lw as usize,
                self.style,
            );
            buf.set_stringn(area.x, y, text, lw as usize, style);
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
        // `ceil` by hand: the libm call was a twentieth of a busy frame.
        let end = to as f64 / cell;
        let whole = end as usize;
        let last = (whole + usize::from((whole as f64) < end)).min(width);
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
        let (run, idx) = (running[c] as f64 / cell, other[c].1);
        let (st, ch) = match activity(idx) {
            None if run > 0.0 => activity_glyph(&Activity::Running, theme),
            None => (theme.idle, ' '),
            Some(a) => match share_glyph(run) {
                Some(ch) => (theme.running, ch),
                None => activity_glyph(a, theme),
            },
        };
        put(c, st, ch);
    }
}

/// Lower blocks by eighths: `SHARES[n]` is `n`/8 of a cell tall.
pub const SHARES: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The block for a slice run for `share` of its time (0 to 1), rounded
/// down to eighths so that the shares of lanes taking turns never add up
/// to more than one slice; `None` below an eighth (the slice shows what
/// else filled it).
pub fn share_glyph(share: f64) -> Option<char> {
    // A hair above the float error of summing a slice's segments.
    let eighths = ((share * 8.0 + 1e-6).floor().max(0.0) as usize).min(8);
    (eighths > 0).then(|| SHARES[eighths])
}

/// How many eighths of its slice a time-line cell draws as run (`█` is 8,
/// `▄` is 4, anything else 0).
pub fn share_of(ch: char) -> usize {
    SHARES.iter().position(|&s| s == ch).unwrap_or(0)
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
        BlockOn::Task { .. } => (theme.blocked_lock, 'j'),
        BlockOn::Other { .. } => (theme.blocked_lock, 'w'),
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
        // No room for `0.40 s` at 14 columns: the axis end is left out.
        assert_eq!(
            text_of(&tl, 14, 3),
            Buffer::with_lines(["time  0 s     ", "work… ··████gg", "              "])
        );
        let wide = text_of(&tl, 16, 1);
        let top: String = (0..16).map(|x| wide[(x, 0)].symbol()).collect();
        assert_eq!(top, "time  0 s 0.40 s", "a short run keeps two decimals");
        let buf = styled(&tl, 14, 2);
        assert_eq!(Some(buf[(8, 1)].fg), theme.running.fg);
        assert_eq!(Some(buf[(12, 1)].fg), theme.blocked_gil.fg);
    }

    /// Two workers taking turns on the GIL every `turn_us` for `end_us`.
    fn taking_turns(turn_us: u64, end_us: u64) -> RunState {
        let mut s = RunState::new();
        let mut ev = |t: u64, lane: u32, kind| {
            s.apply(&Event {
                t_us: crate::trace::Micros::from_us(t),
                lane,
                kind,
            });
        };
        for lane in [1, 2] {
            let name = format!("worker-{lane}");
            let (role, unit) = (LaneRole::Worker, u64::from(lane));
            ev(
                0,
                lane,
                EventKind::LaneUp {
                    name,
                    pid: None,
                    role,
                },
            );
            ev(
                0,
                lane,
                EventKind::Spawned {
                    unit,
                    label: "job".into(),
                },
            );
            ev(0, lane, EventKind::Started { unit });
        }
        ev(
            0,
            2,
            EventKind::Blocked {
                unit: 2,
                on: BlockOn::Gil,
            },
        );
        let mut t = turn_us;
        let mut holder = 1;
        while t < end_us {
            let other = 3 - holder;
            ev(
                t,
                holder,
                EventKind::Blocked {
                    unit: u64::from(holder),
                    on: BlockOn::Gil,
                },
            );
            ev(
                t,
                other,
                EventKind::Woken {
                    unit: u64::from(other),
                },
            );
            holder = other;
            t += turn_us;
        }
        s
    }

    #[test]
    fn lanes_taking_turns_inside_a_slice_are_never_both_drawn_full() {
        let theme = theme();
        for (turn, cells) in [(5_000, 10), (5_000, 37), (3_000, 80), (20_000, 100)] {
            let s = taking_turns(turn, 1_000_000);
            let rows = [1, 2].map(|l| ("w", &s.lanes[&l]));
            let tl = Timeline::new(rows, 1_000_000, &theme).label_width(2);
            let buf = text_of(&tl, cells + 2, 2);
            let row = |y: u16| -> Vec<char> {
                (2..cells + 2)
                    .map(|x| buf[(x, y)].symbol().chars().next().unwrap_or(' '))
                    .collect()
            };
            let (a, b) = (row(0), row(1));
            for (c, (&x, &y)) in a.iter().zip(&b).enumerate() {
                assert!(
                    share_of(x) + share_of(y) <= 8,
                    "turns of {turn} µs, {cells} cells: cell {c} draws {x} and {y}"
                );
            }
            // Each lane held the GIL about half the time, and it shows.
            let total: usize = a.iter().chain(&b).map(|&ch| share_of(ch)).sum();
            assert!(total * 10 >= 8 * cells as usize * 7, "{a:?} {b:?}");
        }
    }

    #[test]
    fn a_slice_run_in_part_is_a_lower_block() {
        assert_eq!(share_glyph(1.0), Some('█'));
        assert_eq!(share_glyph(0.5), Some('▄'));
        assert_eq!(share_glyph(0.99), Some('▇'));
        assert_eq!(share_glyph(0.1), None);
        let (s, theme) = (state(), theme());
        // 400 ms in 3 cells of 133.3 ms: the outer ones ran about a quarter
        // of theirs (33,333 and 33,334 µs), rounded down to eighths.
        let tl = Timeline::new([("w", &s.lanes[&1])], 400_000, &theme).label_width(2);
        assert_eq!(text_of(&tl, 5, 1), Buffer::with_lines(["w ▁█▂"]));
    }

    #[test]
    fn no_time_no_cells_and_rows_clipped() {
        let (s, theme) = (state(), theme());
        let lane = &s.lanes[&1];
        let tl = Timeline::new([("a", lane), ("b", lane)], 0, &theme).label_width(2);
        assert_eq!(text_of(&tl, 5, 1), Buffer::with_lines(["a    "]));
    }
}
