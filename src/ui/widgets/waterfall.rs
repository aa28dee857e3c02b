//! Requests as bars on a shared time axis, coloured by phase.
//!
//! With more requests than rows, each row aggregates a run of requests and
//! each cell shows the phase most of them were in: 10,000 requests draw as
//! quickly as 20. Difference arrays keep the cost linear in phases, not in
//! requests × columns.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::Legend;
use crate::trace::fold::{Status, Unit};
use crate::trace::{BlockOn, IoPhase, LaneId, RunState};
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// The phases a request goes through, in drawing priority order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Queued = 0,
    Connecting = 1,
    Waiting = 2,
    Reading = 3,
    Running = 4,
    Failed = 5,
    Done = 6,
}

const CLASSES: usize = 7;

const CLASS_LIST: [Class; CLASSES] = [
    Class::Queued,
    Class::Connecting,
    Class::Waiting,
    Class::Reading,
    Class::Running,
    Class::Failed,
    Class::Done,
];

fn class_of(s: &Status) -> Option<Class> {
    Some(match s {
        Status::Spawned | Status::Queued | Status::Ready => Class::Queued,
        Status::Running => Class::Running,
        Status::Blocked(BlockOn::Io { phase, .. }) => match phase {
            IoPhase::Connect => Class::Connecting,
            IoPhase::Response => Class::Waiting,
            IoPhase::Read => Class::Reading,
            // Waiting for a permit (a concurrency limit) is queueing, not I/O.
            IoPhase::Permit => Class::Queued,
        },
        Status::Blocked(BlockOn::Semaphore { .. }) => Class::Queued,
        Status::Blocked(_) => Class::Waiting,
        Status::Failed(_) => Class::Failed,
        Status::Finished(_) | Status::Cancelled => return None,
    })
}

fn class_style(c: Class, theme: &Theme) -> (Style, char) {
    match c {
        Class::Queued => (theme.queued, '·'),
        Class::Connecting => (theme.blocked_lock, '░'),
        Class::Waiting => (theme.blocked_io, '▒'),
        Class::Reading | Class::Running => (theme.running, '█'),
        Class::Failed => (theme.failed, '✗'),
        Class::Done => (theme.finished, ' '),
    }
}

/// A time axis over one row per request, per worker, or per group of
/// requests when they outnumber the rows.
#[derive(Debug, Clone)]
pub struct Waterfall<'a> {
    units: &'a [&'a Unit],
    state: &'a RunState,
    theme: &'a Theme,
    style: Style,
}

impl<'a> Waterfall<'a> {
    /// Bars for `units` (requests of `state`) in `theme`'s colours.
    pub fn new(units: &'a [&'a Unit], state: &'a RunState, theme: &'a Theme) -> Waterfall<'a> {
        Waterfall {
            units,
            state,
            theme,
            style: theme.text,
        }
    }

    /// Sets the style of the row labels.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// The key to the phases' symbols.
    pub fn legend(theme: &Theme) -> Legend<'static> {
        Legend::new(
            [
                (Class::Queued, "queued"),
                (Class::Connecting, "connecting"),
                (Class::Waiting, "waiting"),
                (Class::Reading, "reading"),
                (Class::Failed, "failed"),
            ]
            .map(|(c, text)| {
                let (st, ch) = class_style(c, theme);
                (ch, st, text)
            }),
        )
        .style(theme.dim)
    }

    /// Workers that take requests one after another (sync, a thread pool)
    /// get a row each; tasks (one per request) are grouped by request.
    fn worker_rows(&self, height: usize) -> Vec<LaneId> {
        let lanes = &self.state.lanes;
        if self.state.cooperative || lanes.len() > height + 1 {
            return Vec::new();
        }
        lanes.keys().copied().filter(|&l| l != 0).collect()
    }
}

impl Widget for &Waterfall<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.height == 0 {
            return;
        }
        let w = area.width as usize;
        let label_w = 14usize.min(w / 3);
        let grid = Grid {
            label_w,
            cols: w.saturating_sub(label_w),
            end_us: self.state.now_us.max(1),
        };
        axis(buf, Rect { height: 1, ..area }, grid, self.theme.dim);
        let bars = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        rows(self, buf, bars, grid);
    }
}

/// Columns of the bars: label width, number of columns, time at the end.
#[derive(Debug, Clone, Copy)]
struct Grid {
    label_w: usize,
    cols: usize,
    end_us: u64,
}

/// `time   ┬0ms        ┬125ms …`.
fn axis(buf: &mut Buffer, area: Rect, grid: Grid, style: Style) {
    let Grid {
        label_w,
        cols,
        end_us,
    } = grid;
    let mut axis = vec![' '; cols];
    let ticks = (cols / 12).max(1);
    let mut labels = Vec::new();
    for i in 0..=ticks {
        let col = (i * cols.saturating_sub(1)) / ticks;
        if let Some(c) = axis.get_mut(col) {
            *c = '┬';
        }
        let t = end_us as f64 * i as f64 / ticks as f64;
        let text = if end_us < 2_000_000 {
            format!("{:.0}ms", t / 1e3)
        } else {
            format!("{:.1}s", t / 1e6)
        };
        labels.push((col, text));
    }
    for (col, text) in labels {
        let start = (col + 1).min(cols);
        for (k, ch) in text.chars().enumerate() {
            if let Some(c) = axis.get_mut(start + k)
                && *c == ' '
            {
                *c = ch;
            }
        }
    }
    let text = format!(
        "{:<label_w$}{}",
        "time",
        axis.into_iter().collect::<String>()
    );
    buf.set_stringn(area.x, area.y, text, area.width as usize, style);
}

/// Which requests a row stands for: a worker's, or a run of `per_row`.
#[derive(Debug, Clone)]
struct Rows {
    lanes: Vec<LaneId>,
    per_row: usize,
    count: usize,
}

impl Rows {
    fn by_lane(&self) -> bool {
        !self.lanes.is_empty()
    }

    /// The row that draws request `i`, if any.
    fn of(&self, i: usize, u: &Unit) -> Option<usize> {
        if self.by_lane() {
            u.lane.and_then(|l| self.lanes.iter().position(|&x| x == l))
        } else {
            Some(i / self.per_row)
        }
    }
}

/// Time spent per row, column and class, in cells: a difference array for
/// whole cells and direct sums for the partly covered cells at both ends,
/// so the cost follows phases, not requests × columns.
struct Cover {
    diff: Vec<f32>,
    part: Vec<f32>,
    stride: usize,
}

impl Cover {
    fn new(units: &[&Unit], rows: &Rows, grid: Grid) -> Cover {
        let stride = grid.cols + 1;
        let mut diff = vec![0f32; rows.count * CLASSES * stride];
        let mut part = vec![0f32; rows.count * CLASSES * stride];
        let cols = grid.cols as f64;
        let scale = cols / grid.end_us as f64;
        let by_lane = rows.by_lane();
        // A row standing for hundreds of requests shows what most of them
        // do: a regular sample of 32 per row draws the same picture for a
        // fraction of the work (10,000 requests stay well inside a frame).
        let sample = if by_lane {
            1
        } else {
            (rows.per_row / 32).max(1)
        };
        for (i, u) in units.iter().enumerate() {
            if sample > 1 && !(i % rows.per_row).is_multiple_of(sample) {
                continue;
            }
            let Some(row) = rows.of(i, u) else {
                continue;
            };
            paint(u, grid.end_us, |class, t0, t1| {
                // On a worker's row, time in the queue is not the worker's.
                if (by_lane && class == Class::Queued) || t1 <= t0 {
                    return;
                }
                // Laid out [row][column][class]: a cell's classes sit together.
                let at = |col: usize| (row * stride + col) * CLASSES + class as usize;
                let (x0, x1) = (t0 as f64 * scale, (t1 as f64 * scale).min(cols));
                let (c0, c1) = (x0.floor() as usize, x1.floor() as usize);
                if c0 == c1 {
                    part[at(c0)] += (x1 - x0) as f32;
                    return;
                }
                part[at(c0)] += (c0 as f64 + 1.0 - x0) as f32;
                diff[at(c0 + 1)] += 1.0;
                diff[at(c1)] -= 1.0;
                part[at(c1)] += (x1 - c1 as f64) as f32;
            });
        }
        Cover { diff, part, stride }
    }

    /// Calls `put(column, class)` for each column of `row` where a class
    /// took most of the cell's time.
    fn winners(&self, row: usize, cols: usize, mut put: impl FnMut(usize, usize)) {
        let mut acc = [0f32; CLASSES];
        for col in 0..cols {
            let mut best: Option<(f32, usize)> = None;
            for (k, a) in acc.iter_mut().enumerate() {
                let i = (row * self.stride + col) * CLASSES + k;
                *a += self.diff[i];
                let here = *a + self.part[i];
                // A cell less than a fifth covered stays empty.
                if here > 0.2 && best.is_none_or(|(n, _)| here > n) {
                    best = Some((here, k));
                }
            }
            if let Some((_, k)) = best {
                put(col, k);
            }
        }
    }
}

/// One line per request, per worker or per group of requests; cells are
/// written straight into the buffer (no span per cell).
fn rows(wf: &Waterfall, buf: &mut Buffer, area: Rect, grid: Grid) {
    let (units, theme, label_w) = (wf.units, wf.theme, grid.label_w);
    let height = area.height as usize;
    if units.is_empty() || height == 0 || grid.cols == 0 {
        let text = "no requests yet: Enter runs the example";
        buf.set_stringn(area.x, area.y, text, area.width as usize, theme.dim);
        return;
    }
    let lanes = wf.worker_rows(height);
    let rows = if lanes.is_empty() {
        let per_row = units.len().div_ceil(height);
        let count = units.len().div_ceil(per_row);
        Rows {
            lanes,
            per_row,
            count,
        }
    } else {
        let count = lanes.len();
        Rows {
            lanes,
            per_row: 0,
            count,
        }
    };
    let cover = Cover::new(units, &rows, grid);
    let styles = CLASS_LIST.map(|c| class_style(c, theme));
    let cols = grid.cols.min(area.width as usize - label_w);
    for row in 0..rows.count.min(height) {
        let y = area.y + row as u16;
        let first = row * rows.per_row;
        let last = ((row + 1) * rows.per_row)
            .min(units.len())
            .saturating_sub(1);
        let label = if rows.by_lane() {
            let name = wf.state.lanes.get(&rows.lanes[row]);
            truncate(
                name.map_or("", |l| l.name.as_str()),
                label_w.saturating_sub(1),
            )
        } else if first == last {
            let n = format!("{} ", first + 1);
            let room = label_w.saturating_sub(n.len() + 1);
            format!("{n}{}", truncate_left(&units[first].label, room))
        } else {
            format!("#{}–{}", first + 1, last + 1)
        };
        buf.set_stringn(area.x, y, &label, label_w, wf.style);
        let x0 = area.x + label_w as u16;
        cover.winners(row, cols, |col, k| {
            let (st, ch) = styles[k];
            buf[(x0 + col as u16, y)].set_char(ch).set_style(st);
        });
    }
}

/// Calls `mark(class, from_us, to_us)` for each phase of a unit.
fn paint(u: &Unit, end_us: u64, mut mark: impl FnMut(Class, u64, u64)) {
    let mut prev: Option<(u64, Option<Class>)> = Some((u.spawned_us, Some(Class::Queued)));
    for (t, status) in &u.phases {
        if let Some((t0, Some(class))) = prev {
            mark(class, t0, (*t).min(end_us));
        }
        prev = Some((*t, class_of(status)));
    }
    if let Some((t0, Some(class))) = prev {
        mark(class, t0, u.ended_us.unwrap_or(end_us).min(end_us));
    }
}

/// Keeps the end of a label (`…/sites/jython`): URLs differ at their end.
fn truncate_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    let tail: String = s.chars().skip(n + 1 - width.max(1)).collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind};
    use crate::ui::widgets::testing::{styled, text_of, theme};

    /// Two requests on task lanes: connect, wait for the response, read.
    fn state() -> RunState {
        let mut s = RunState::new();
        let mut ev = |t: u64, lane, kind| {
            let t_us = crate::trace::Micros::from_us(t);
            s.apply(&Event { t_us, lane, kind });
        };
        for u in 1..=2u64 {
            let lane = u as u32;
            let label = format!("http://x/{u}");
            ev(0, lane, EventKind::Spawned { unit: u, label });
            ev(0, lane, EventKind::Started { unit: u });
            let on = |p| BlockOn::io(p, "");
            let at = (u - 1) * 200_000;
            ev(
                at,
                lane,
                EventKind::Blocked {
                    unit: u,
                    on: on(IoPhase::Connect),
                },
            );
            ev(
                at + 200_000,
                lane,
                EventKind::Blocked {
                    unit: u,
                    on: on(IoPhase::Response),
                },
            );
            ev(
                at + 400_000,
                lane,
                EventKind::Blocked {
                    unit: u,
                    on: on(IoPhase::Read),
                },
            );
        }
        s.close(800_000);
        s.cooperative = true;
        s
    }

    #[test]
    fn one_row_per_request_under_an_axis() {
        let (s, theme) = (state(), theme());
        let units: Vec<_> = s.units.iter().collect();
        let wf = Waterfall::new(&units, &s, &theme);
        assert_eq!(
            text_of(&wf, 30, 4),
            Buffer::with_lines([
                "time      ┬0ms               ┬",
                "1 …://x/1 ░░░░░▒▒▒▒▒██████████",
                "2 …://x/2 █████░░░░░▒▒▒▒▒█████",
                "                              ",
            ])
        );
        assert_eq!(Some(styled(&wf, 30, 2)[(10, 1)].fg), theme.blocked_lock.fg);
    }

    #[test]
    fn no_requests_yet() {
        let (s, theme) = (RunState::new(), theme());
        let wf = Waterfall::new(&[], &s, &theme);
        assert_eq!(
            text_of(&wf, 20, 2),
            Buffer::with_lines(["time  ┬0ms         ┬", "no requests yet: Ent"])
        );
    }
}
