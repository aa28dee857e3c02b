//! Requests as bars on a shared time axis, one row per request in the order
//! they were submitted, as in a browser's network tab.
//!
//! With more requests than rows, each row stands for `k` consecutive
//! requests and each cell shows the most advanced phase among them (queued,
//! connecting, waiting, reading): the staircase of a sync or thread-pool run
//! stays a staircase. A failed request's bar ends in `✗`. Difference arrays
//! keep the cost linear in phases, not in requests × columns: 10,000
//! requests draw as quickly as 20.

use std::sync::{Arc, Mutex, PoisonError};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::Legend;
use crate::trace::fold::{Status, Unit};
use crate::trace::{BlockOn, IoPhase, RunState};
use crate::ui::theme::Theme;

/// The phases a request goes through, in the order it goes through them:
/// a grouped row's cell shows the latest phase any of its requests is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    /// Submitted, not started: waiting for a thread, or for a permit.
    Queued = 0,
    Connecting = 1,
    Waiting = 2,
    /// The program works on it (sends, parses): drawn as reading.
    Running = 3,
    Reading = 4,
}

const CLASSES: usize = 5;

const CLASS_LIST: [Class; CLASSES] = [
    Class::Queued,
    Class::Connecting,
    Class::Waiting,
    Class::Running,
    Class::Reading,
];

/// A cell drawn with less than this share of one request's time in a class
/// does not show that class (a 50 µs send in a 50 ms cell is not a bar).
const MIN_SHARE: f32 = 0.2;

/// The class of a status; `None` once it has ended. `Ready` (woken, waiting
/// for its turn on the loop) continues the phase it was in, `prev`.
fn class_of(s: &Status, prev: Option<Class>) -> Option<Class> {
    Some(match s {
        Status::Spawned | Status::Queued => Class::Queued,
        Status::Ready => prev.unwrap_or(Class::Queued),
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
        Status::Finished(_) | Status::Failed(_) | Status::Cancelled => return None,
    })
}

fn class_style(c: Class, theme: &Theme) -> (Style, char) {
    match c {
        Class::Queued => (theme.queued, '·'),
        Class::Connecting => (theme.blocked_lock, '░'),
        Class::Waiting => (theme.blocked_io, '▒'),
        Class::Reading | Class::Running => (theme.running, '█'),
    }
}

/// The mark that ends a failed request's bar.
const FAILED: char = '✗';

/// The requests of a run, in submission order, and which of them failed:
/// worked out once per event folded in ([`RunState::derived`]), so that a
/// frame never walks all 10,000 units.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    /// Positions in the state's units of the requests: every unit but the
    /// event loop's `main` task.
    pub at: Vec<usize>,
    /// Positions in `at` of the requests that failed, in order.
    pub failed: Vec<usize>,
    pub finished: usize,
    pub cancelled: usize,
}

impl Requests {
    /// The requests among `state`'s units.
    pub fn of(state: &RunState) -> Requests {
        let mut r = Requests::default();
        for (i, u) in state.units.iter().enumerate() {
            if u.label == "main" {
                continue;
            }
            match u.status {
                Status::Finished(_) => r.finished += 1,
                Status::Failed(_) => r.failed.push(r.at.len()),
                Status::Cancelled => r.cancelled += 1,
                _ => {}
            }
            r.at.push(i);
        }
        r
    }

    /// How many requests there are.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Requests that failed.
    pub fn failed_count(&self) -> usize {
        self.failed.len()
    }

    /// Requests that ended: finished, failed or cancelled.
    pub fn ended(&self) -> usize {
        self.finished + self.failed.len() + self.cancelled
    }
}

/// A time axis over one row per request, or per `k` consecutive requests
/// when they outnumber the rows.
#[derive(Debug, Clone)]
pub struct Waterfall<'a> {
    state: &'a RunState,
    units: &'a [Unit],
    requests: &'a Requests,
    theme: &'a Theme,
    style: Style,
    end_us: u64,
    total: usize,
}

impl<'a> Waterfall<'a> {
    /// Bars for the `requests` of `state` in `theme`'s colours, on an axis
    /// that ends at the state's latest event (see [`Waterfall::end_us`]).
    pub fn new(state: &'a RunState, requests: &'a Requests, theme: &'a Theme) -> Waterfall<'a> {
        Waterfall {
            state,
            units: &state.units,
            requests,
            theme,
            style: theme.text,
            end_us: state.now_us,
            total: requests.len(),
        }
    }

    /// Request `i` (in submission order).
    fn unit(&self, i: usize) -> &'a Unit {
        &self.units[self.requests.at[i]]
    }

    /// Groups the rows for `n` requests, all of the run's, so that they do
    /// not regroup while the requests are being made.
    #[must_use]
    pub fn total(mut self, n: usize) -> Self {
        self.total = self.total.max(n);
        self
    }

    /// Ends the axis at `t` µs of the run (the wall clock while it runs).
    #[must_use]
    pub fn end_us(mut self, t: u64) -> Self {
        self.end_us = self.end_us.max(t);
        self
    }

    /// Sets the style of the row labels.
    #[must_use]
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// The key to the phases' symbols.
    pub fn legend(theme: &Theme) -> Legend<'static> {
        let phases = [
            (Class::Queued, "queued"),
            (Class::Connecting, "connecting"),
            (Class::Waiting, "waiting"),
            (Class::Reading, "reading"),
        ]
        .map(|(c, text)| {
            let (st, ch) = class_style(c, theme);
            (ch, st, text)
        });
        let failed = (FAILED, theme.failed, "failed");
        Legend::new(phases.into_iter().chain([failed])).style(theme.dim)
    }

    /// How many requests each row stands for with `rows` rows to draw on.
    pub fn per_row(requests: usize, rows: usize) -> usize {
        requests.div_ceil(rows.max(1)).max(1)
    }
}

impl Widget for &Waterfall<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.height == 0 {
            return;
        }
        let w = area.width as usize;
        let height = area.height as usize - 1;
        let per_row = Waterfall::per_row(self.total, height);
        // Single requests show the end of their URL; grouped rows need only
        // their range (`#9993–10000`).
        let label_w = if per_row == 1 {
            19
        } else {
            let range = format!("#{n}–{n}", n = self.total).chars().count() + 2;
            range.max(format!("{per_row} per row").len() + 2)
        }
        .max(10)
        .min(w / 3);
        let grid = Grid {
            label_w,
            cols: w.saturating_sub(label_w),
            end_us: self.end_us.max(1),
        };
        let caption = match per_row {
            1 => "time".to_string(),
            k => {
                let long = format!("1 row = {k} requests");
                let short = format!("{k} per row");
                if long.chars().count() < label_w {
                    long
                } else if short.chars().count() < label_w {
                    short
                } else {
                    format!("×{k}")
                }
            }
        };
        axis(
            buf,
            Rect { height: 1, ..area },
            grid,
            &caption,
            self.theme.dim,
        );
        let bars = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        rows(self, buf, bars, grid, per_row);
    }
}

/// Columns of the bars: label width, number of columns, time at the end.
#[derive(Debug, Clone, Copy)]
struct Grid {
    label_w: usize,
    cols: usize,
    end_us: u64,
}

/// `time   ┬0s         ┬0.5s …`: seconds always, so the unit never
/// changes during a run.
fn axis(buf: &mut Buffer, area: Rect, grid: Grid, caption: &str, style: Style) {
    let Grid {
        label_w,
        cols,
        end_us,
    } = grid;
    let mut axis = vec![' '; cols];
    let ticks = (cols / 12).max(1);
    let step_s = end_us as f64 / 1e6 / ticks as f64;
    let decimals = if step_s >= 10.0 {
        0
    } else if step_s >= 0.1 {
        1
    } else if step_s >= 0.01 {
        2
    } else {
        3
    };
    let mut labels = Vec::new();
    for i in 0..=ticks {
        let col = (i * cols.saturating_sub(1)) / ticks;
        if let Some(c) = axis.get_mut(col) {
            *c = '┬';
        }
        let t = step_s * i as f64;
        let text = if i == 0 {
            "0s".to_string()
        } else {
            format!("{t:.decimals$}s")
        };
        labels.push((col, text));
    }
    for (col, text) in labels {
        let start = (col + 1).min(cols);
        // A label that would run into the next tick is left out whole.
        let fits = (start..start + text.chars().count()).all(|k| axis.get(k) == Some(&' '));
        if !fits {
            continue;
        }
        for (k, ch) in text.chars().enumerate() {
            axis[start + k] = ch;
        }
    }
    let text = format!(
        "{:<label_w$}{}",
        caption,
        axis.into_iter().collect::<String>()
    );
    buf.set_stringn(area.x, area.y, text, area.width as usize, style);
}

/// Time spent per row, column and class, in cells of one request's time: a
/// difference array for whole cells and direct sums for the partly covered
/// cells at both ends, so the cost follows phases, not requests × columns.
struct Cover {
    diff: Vec<f32>,
    part: Vec<f32>,
    stride: usize,
    /// (row, column) of each failed request's end.
    failed: Vec<(usize, usize)>,
}

impl Cover {
    fn new(wf: &Waterfall, per_row: usize, rows: usize, grid: Grid) -> Cover {
        let stride = grid.cols + 1;
        let mut diff = vec![0f32; rows * CLASSES * stride];
        let mut part = vec![0f32; rows * CLASSES * stride];
        let cols = grid.cols as f64;
        let scale = cols / grid.end_us as f64;
        // Every failure is marked.
        let failed = wf
            .requests
            .failed
            .iter()
            .map(|&i| (i / per_row, wf.unit(i)))
            .take_while(|&(row, _)| row < rows)
            .map(|(row, u)| {
                let end = u.ended_us.unwrap_or(grid.end_us).min(grid.end_us);
                // Times and the scale are never negative: `as` rounds down.
                let col = ((end as f64 * scale) as usize).min(grid.cols.saturating_sub(1));
                (row, col)
            })
            .collect();
        // A row standing for hundreds of requests draws a regular sample of
        // 32 of them: the same picture for a fraction of the work (10,000
        // requests stay inside the frame budget).
        let sample = (per_row / 32).max(1);
        let n = wf.requests.len();
        for row in 0..rows {
            let first = row * per_row;
            for i in (first..(first + per_row).min(n)).step_by(sample) {
                paint(wf.unit(i), grid.end_us, |class, t0, t1| {
                    if t1 <= t0 {
                        return;
                    }
                    // Laid out [row][column][class]: a cell's classes sit
                    // together.
                    let at = |col: usize| (row * stride + col) * CLASSES + class as usize;
                    let (x0, x1) = (t0 as f64 * scale, (t1 as f64 * scale).min(cols));
                    let (c0, c1) = (x0 as usize, x1 as usize);
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
        }
        Cover {
            diff,
            part,
            stride,
            failed,
        }
    }

    /// Calls `put(column, class)` for each column of `row` that one of its
    /// requests spent time in: the most advanced class that holds a fifth
    /// of a cell, else the one with the most time when all together do.
    fn winners(&self, row: usize, cols: usize, mut put: impl FnMut(usize, usize)) {
        let mut acc = [0f32; CLASSES];
        for col in 0..cols {
            let (mut best, mut most, mut total) = (None, (0f32, 0usize), 0f32);
            for (k, a) in acc.iter_mut().enumerate() {
                let i = (row * self.stride + col) * CLASSES + k;
                *a += self.diff[i];
                let here = *a + self.part[i];
                total += here;
                if here >= MIN_SHARE {
                    best = Some(k);
                }
                if here > most.0 {
                    most = (here, k);
                }
            }
            match best {
                Some(k) => put(col, k),
                None if total >= MIN_SHARE => put(col, most.1),
                None => {}
            }
        }
    }
}

/// The class drawn in each cell of the bars (row by row; [`NONE`] for an
/// empty cell) and where the failures' marks go, for one layout of one
/// version of the state.
#[derive(Debug)]
struct Painted {
    /// The requests, the end of the axis, requests per row, rows, columns.
    key: (usize, u64, usize, usize, usize),
    classes: Vec<u8>,
    failed: Vec<(usize, usize)>,
}

/// An empty cell.
const NONE: u8 = u8::MAX;

/// The latest [`Painted`] of one version of a state: frames drawn with no
/// new event and the same axis (a run that has ended, a paused one) reuse
/// it instead of painting the sampled requests again.
#[derive(Debug, Default)]
struct Kept(Mutex<Option<Arc<Painted>>>);

impl Painted {
    fn of(wf: &Waterfall, per_row: usize, rows: usize, grid: Grid, cols: usize) -> Arc<Painted> {
        let key = (wf.requests.len(), grid.end_us, per_row, rows, cols);
        let kept = wf.state.derived(|_| Kept::default());
        let mut slot = kept.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = slot.as_ref().filter(|p| p.key == key) {
            return Arc::clone(p);
        }
        let cover = Cover::new(wf, per_row, rows, grid);
        let mut classes = vec![NONE; rows * cols];
        for row in 0..rows {
            let line = &mut classes[row * cols..(row + 1) * cols];
            cover.winners(row, cols, |col, k| line[col] = k as u8);
        }
        let painted = Arc::new(Painted {
            key,
            classes,
            failed: cover.failed,
        });
        *slot = Some(Arc::clone(&painted));
        painted
    }
}

/// One line per request or per run of `per_row` requests; cells are
/// written straight into the buffer (no span per cell).
fn rows(wf: &Waterfall, buf: &mut Buffer, area: Rect, grid: Grid, per_row: usize) {
    let (n, theme, label_w) = (wf.requests.len(), wf.theme, grid.label_w);
    let height = area.height as usize;
    if n == 0 || height == 0 || grid.cols == 0 {
        let text = "no requests yet: Enter runs the example";
        buf.set_stringn(area.x, area.y, text, area.width as usize, theme.dim);
        return;
    }
    let count = n.div_ceil(per_row).min(height);
    let cols = grid.cols.min(area.width as usize - label_w);
    let painted = Painted::of(wf, per_row, count, grid, cols);
    let styles = CLASS_LIST.map(|c| class_style(c, theme));
    let x0 = area.x + label_w as u16;
    for row in 0..count {
        let y = area.y + row as u16;
        let first = row * per_row;
        let last = ((row + 1) * per_row).min(n) - 1;
        let label = if first == last {
            let n = format!("#{} ", first + 1);
            let room = label_w.saturating_sub(n.chars().count() + 1);
            format!("{n}{}", truncate_left(&wf.unit(first).label, room))
        } else {
            format!("#{}–{}", first + 1, last + 1)
        };
        buf.set_stringn(area.x, y, &label, label_w.saturating_sub(1), wf.style);
        let classes = &painted.classes[row * cols..(row + 1) * cols];
        for (col, &k) in classes.iter().enumerate() {
            if let Some(&(st, ch)) = styles.get(usize::from(k)) {
                buf[(x0 + col as u16, y)].set_char(ch).set_style(st);
            }
        }
    }
    for &(row, col) in &painted.failed {
        if col < cols {
            let y = area.y + row as u16;
            buf[(x0 + col as u16, y)]
                .set_char(FAILED)
                .set_style(theme.failed);
        }
    }
}

/// Calls `mark(class, from_us, to_us)` for each phase of a unit, from its
/// submission to its end.
fn paint(u: &Unit, end_us: u64, mut mark: impl FnMut(Class, u64, u64)) {
    let mut prev: (u64, Option<Class>) = (u.spawned_us, Some(Class::Queued));
    let mut started: Option<Class> = None;
    for (t, status) in &u.phases {
        if let (t0, Some(class)) = prev {
            mark(class, t0, (*t).min(end_us));
            if class != Class::Queued {
                started = Some(class);
            }
        }
        prev = (*t, class_of(status, started));
    }
    if let (t0, Some(class)) = prev {
        mark(class, t0, u.ended_us.unwrap_or(end_us).min(end_us));
    }
}

/// Keeps the end of a label (`…/sites/jython`): URLs differ at their end.
fn truncate_left(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let tail: String = s.chars().skip(n + 1 - width).collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind, LaneId, UnitId};
    use crate::ui::widgets::testing::{styled, text_of, theme};

    /// Folds events given as (µs, lane, kind).
    fn fold(events: impl IntoIterator<Item = (u64, LaneId, EventKind)>, end: u64) -> RunState {
        let mut s = RunState::new();
        for (t, lane, kind) in events {
            let t_us = crate::trace::Micros::from_us(t);
            s.apply(&Event { t_us, lane, kind });
        }
        s.close(end);
        s
    }

    fn io(unit: UnitId, phase: IoPhase) -> EventKind {
        EventKind::Blocked {
            unit,
            on: BlockOn::io(phase, ""),
        }
    }

    /// `n` requests submitted at 0 to `workers` threads, each connecting for
    /// 100 µs then waiting 100 ms; request `fail` fails instead of ending.
    fn pool(n: u64, workers: u64, fail: Option<u64>) -> RunState {
        let mut ev = Vec::new();
        for u in 1..=n {
            let label = format!("http://x/{u}");
            ev.push((0, 0, EventKind::Spawned { unit: u, label }));
        }
        for u in 1..=n {
            let lane = ((u - 1) % workers) as LaneId + 1;
            let t = (u - 1) / workers * 100_000;
            ev.push((t, lane, EventKind::Started { unit: u }));
            ev.push((t, lane, io(u, IoPhase::Connect)));
            ev.push((t + 100, lane, io(u, IoPhase::Response)));
            let end = if Some(u) == fail {
                EventKind::Failed {
                    unit: u,
                    error: "HTTP 500".into(),
                }
            } else {
                EventKind::Finished {
                    unit: u,
                    value: String::new(),
                }
            };
            ev.push((t + 100_000, lane, end));
        }
        ev.sort_by_key(|e| e.0);
        fold(ev, n.div_ceil(workers) * 100_000)
    }

    #[test]
    fn one_row_per_request_in_submission_order_a_staircase() {
        let (s, theme) = (pool(4, 1, None), theme());
        let requests = Requests::of(&s);
        let wf = Waterfall::new(&s, &requests, &theme);
        assert_eq!(
            text_of(&wf, 30, 6),
            Buffer::with_lines([
                "time      ┬0s                ┬",
                "#1 …//x/1 ▒▒▒▒▒               ",
                "#2 …//x/2 ·····▒▒▒▒▒          ",
                "#3 …//x/3 ··········▒▒▒▒▒     ",
                "#4 …//x/4 ···············▒▒▒▒▒",
                "                              ",
            ])
        );
        assert_eq!(Some(styled(&wf, 30, 3)[(12, 2)].fg), theme.queued.fg);
    }

    #[test]
    fn grouped_rows_show_the_most_advanced_phase_and_say_so() {
        // 40 requests, 4 threads, 4 rows: each row is 10 requests, whose
        // waits run from 0.1 s × (row × 10 / 4) on.
        let (s, theme) = (pool(40, 4, None), theme());
        let requests = Requests::of(&s);
        let wf = Waterfall::new(&s, &requests, &theme);
        let text = text_of(&wf, 40, 5);
        let lines: Vec<String> = (0..5)
            .map(|y| (0..40).map(|x| text[(x, y)].symbol()).collect())
            .collect();
        assert!(lines[0].starts_with("10 per row"), "{lines:#?}");
        assert!(lines[1].starts_with("#1–10"), "{lines:#?}");
        // Each row starts later than the one above and waits throughout.
        let start = |l: &str| l.chars().skip(13).position(|c| c == '▒');
        let starts: Vec<_> = lines[1..].iter().map(|l| start(l)).collect();
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{lines:#?}");
        assert!(
            lines[4].contains("··▒"),
            "queued before the bars: {lines:#?}"
        );
    }

    #[test]
    fn a_failed_bar_ends_in_a_red_cross() {
        let (s, theme) = (pool(4, 1, Some(2)), theme());
        let requests = Requests::of(&s);
        let wf = Waterfall::new(&s, &requests, &theme);
        let buf = styled(&wf, 30, 6);
        let row: String = (10..30).map(|x| buf[(x, 2)].symbol().to_string()).collect();
        assert_eq!(row.trim_end(), "·····▒▒▒▒▒✗", "{row}");
        assert_eq!(Some(buf[(20, 2)].fg), theme.failed.fg);
    }

    #[test]
    fn the_axis_follows_the_clock_in_seconds() {
        let (s, theme) = (pool(1, 1, None), theme());
        let requests = Requests::of(&s);
        let wf = Waterfall::new(&s, &requests, &theme).end_us(400_000);
        let buf = text_of(&wf, 40, 2);
        let axis: String = (0..40).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert_eq!(axis, "time         ┬0s          ┬0.2s        ┬");
        // 0.1 s of 0.4 s: a quarter of the 27 columns.
        let row: String = (13..40).map(|x| buf[(x, 1)].symbol().to_string()).collect();
        assert_eq!(row.trim_end(), "▒▒▒▒▒▒▒");
    }

    #[test]
    fn no_requests_yet() {
        let (s, theme) = (RunState::new(), theme());
        let requests = Requests::of(&s);
        let wf = Waterfall::new(&s, &requests, &theme);
        assert_eq!(
            text_of(&wf, 20, 2),
            Buffer::with_lines(["time  ┬0s          ┬", "no requests yet: Ent"])
        );
    }
}
