//! Requests as bars on a shared time axis, coloured by phase.
//!
//! With more requests than rows, each row aggregates a run of requests and
//! each cell shows the phase most of them were in: 10,000 requests draw as
//! quickly as 20. Difference arrays keep the cost linear in phases, not in
//! requests × columns.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::trace::fold::{Status, Unit};
use crate::trace::{BlockOn, IoPhase};
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
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
        Class::Reading => (theme.running, '█'),
        Class::Running => (theme.running, '█'),
        Class::Failed => (theme.failed, '✗'),
        Class::Done => (theme.finished, ' '),
    }
}

/// Draws the waterfall pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let w = area.width as usize;
    let [figures, axis, bars, tail, legend] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(tail_height(pane, area.height)),
        Constraint::Length(1),
    ])
    .areas(area);
    let units = requests(pane);
    frame.render_widget(Paragraph::new(headline(pane, &units, theme)), figures);

    let label_w = 14usize.min(w / 3);
    let cols = w.saturating_sub(label_w);
    let end_us = pane.state.now_us.max(1);
    frame.render_widget(
        Paragraph::new(axis_line(end_us, label_w, cols, theme)),
        axis,
    );
    let grid = Grid {
        label_w,
        cols,
        end_us,
    };
    draw_rows(frame.buffer_mut(), bars, pane, &units, grid, theme);
    frame.render_widget(Paragraph::new(tail_lines(pane, theme, w)), tail);
    frame.render_widget(Paragraph::new(legend_line(theme)), legend);
}

fn tail_height(pane: &Pane, h: u16) -> u16 {
    let want = pane.history.len().min(4) as u16 + 4;
    want.min(h / 3)
}

/// The requests: every unit but the event loop's `main` task.
fn requests(pane: &Pane) -> Vec<&Unit> {
    pane.state
        .units
        .iter()
        .filter(|u| u.label != "main")
        .collect()
}

/// Requests finished, failed, cancelled and spawned.
#[derive(Default)]
struct Tally {
    finished: u32,
    failed: u32,
    cancelled: u32,
    spawned: u32,
}

fn tally(units: &[&Unit]) -> Tally {
    let mut c = Tally::default();
    for u in units {
        c.spawned += 1;
        match u.status {
            Status::Finished(_) => c.finished += 1,
            Status::Failed(_) => c.failed += 1,
            Status::Cancelled => c.cancelled += 1,
            _ => {}
        }
    }
    c
}

fn headline(pane: &Pane, units: &[&Unit], theme: &Theme) -> Vec<Line<'static>> {
    let c = tally(units);
    let secs = pane.elapsed_s().max(1e-9);
    let ended = c.finished + c.failed + c.cancelled;
    vec![Line::from(vec![
        Span::styled(format!("{:.2} s", pane.elapsed_s()), theme.big),
        Span::styled("  elapsed   ", theme.dim),
        Span::styled(format!("{}/{}", c.finished, c.spawned), theme.big),
        Span::styled("  downloaded   ", theme.dim),
        Span::styled(format!("{:.1}", ended as f64 / secs), theme.big),
        Span::styled("  requests/s   ", theme.dim),
        Span::styled(
            format!("{} failed", c.failed),
            if c.failed > 0 {
                theme.failed
            } else {
                theme.dim
            },
        ),
    ])]
}

fn axis_line(end_us: u64, label_w: usize, cols: usize, theme: &Theme) -> Line<'static> {
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
    Line::from(vec![
        Span::styled(format!("{:<label_w$}", "time"), theme.dim),
        Span::styled(axis.into_iter().collect::<String>(), theme.dim),
    ])
}

/// One line per request, or per group of requests when they outnumber rows;
/// cells are written straight into the buffer (no span per cell).
/// Columns of the bars: label width, number of columns, time at the end.
#[derive(Clone, Copy)]
struct Grid {
    label_w: usize,
    cols: usize,
    end_us: u64,
}

fn draw_rows(
    buf: &mut Buffer,
    area: Rect,
    pane: &Pane,
    units: &[&Unit],
    grid: Grid,
    theme: &Theme,
) {
    let Grid {
        label_w,
        cols,
        end_us,
    } = grid;
    let height = area.height as usize;
    if units.is_empty() || height == 0 || cols == 0 {
        buf.set_string(
            area.x,
            area.y,
            "no requests yet: Enter runs the example",
            theme.dim,
        );
        return;
    }
    // Workers that take requests one after another (sync, a thread pool)
    // get a row each; tasks (one per request) are grouped by request.
    let lanes: Vec<_> = if pane.state.cooperative || pane.state.lanes.len() > height + 1 {
        Vec::new()
    } else {
        pane.state
            .lanes
            .keys()
            .copied()
            .filter(|&l| l != 0)
            .collect()
    };
    let by_lane = !lanes.is_empty();
    let (per_row, nrows) = if by_lane {
        (0, lanes.len())
    } else {
        let per_row = units.len().div_ceil(height);
        (per_row, units.len().div_ceil(per_row))
    };
    // Time spent per row, class and column, in cells: a difference array
    // for whole cells and direct sums for the partly covered cells at both
    // ends, so the cost follows phases, not requests × columns.
    let stride = cols + 1;
    let mut diff = vec![0f32; nrows * CLASSES * stride];
    let mut part = vec![0f32; nrows * CLASSES * stride];
    let scale = cols as f64 / end_us as f64;
    // A row standing for hundreds of requests shows what most of them do:
    // a regular sample of 32 per row draws the same picture for a fraction
    // of the work (10,000 requests stay well inside a frame's budget).
    let sample = if by_lane { 1 } else { (per_row / 32).max(1) };
    for (i, u) in units.iter().enumerate() {
        if sample > 1 && (i % per_row) % sample != 0 {
            continue;
        }
        let row = if by_lane {
            match u.lane.and_then(|l| lanes.iter().position(|&x| x == l)) {
                Some(r) => r,
                None => continue,
            }
        } else {
            i / per_row
        };
        paint(u, end_us, |class, t0, t1| {
            // On a worker's row, time in the queue is not the worker's.
            if (by_lane && class == Class::Queued) || t1 <= t0 {
                return;
            }
            // Laid out [row][column][class]: a cell's classes sit together.
            let at = |col: usize| (row * stride + col) * CLASSES + class as usize;
            let (x0, x1) = (t0 as f64 * scale, (t1 as f64 * scale).min(cols as f64));
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
    let styles: Vec<(Style, char)> = CLASS_LIST.iter().map(|&c| class_style(c, theme)).collect();
    #[allow(clippy::needless_range_loop)] // `row` indexes units and lanes alike
    for row in 0..nrows {
        let y = area.y + row as u16;
        let first = row * per_row;
        let last = ((row + 1) * per_row).min(units.len()).saturating_sub(1);
        let label = if by_lane {
            let name = lanes
                .get(row)
                .and_then(|l| pane.state.lanes.get(l))
                .map_or("", |l| l.name.as_str());
            truncate(name, label_w.saturating_sub(1))
        } else if first == last {
            let n = format!("{} ", first + 1);
            let room = label_w.saturating_sub(n.len() + 1);
            format!("{n}{}", truncate_left(&units[first].label, room))
        } else {
            format!("#{}–{}", first + 1, last + 1)
        };
        buf.set_stringn(area.x, y, &label, label_w, theme.text);
        let mut acc = [0f32; CLASSES];
        let x0 = area.x + label_w as u16;
        for col in 0..cols.min(area.width as usize - label_w) {
            let mut best: Option<(f32, usize)> = None;
            for (k, a) in acc.iter_mut().enumerate() {
                let i = (row * stride + col) * CLASSES + k;
                *a += diff[i];
                let here = *a + part[i];
                // The phase that took most of the cell's time wins; a cell
                // less than a fifth covered stays empty.
                if here > 0.2 && best.is_none_or(|(n, _)| here > n) {
                    best = Some((here, k));
                }
            }
            if let Some((_, k)) = best {
                let (st, ch) = styles[k];
                buf[(x0 + col as u16, y)].set_char(ch).set_style(st);
            }
        }
    }
}

const CLASS_LIST: [Class; CLASSES] = [
    Class::Queued,
    Class::Connecting,
    Class::Waiting,
    Class::Reading,
    Class::Running,
    Class::Failed,
    Class::Done,
];

/// Calls `mark(class, first_col, end_col)` for each phase of a unit.
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

fn tail_lines(pane: &Pane, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let failed: Vec<_> = pane
        .state
        .units
        .iter()
        .filter_map(|u| match &u.status {
            Status::Failed(e) => Some((u.label.clone(), e.clone())),
            _ => None,
        })
        .collect();
    if let Some((label, e)) = failed.last() {
        lines.push(Line::from(Span::styled(
            truncate(&format!("✗ {label}: {e}"), w),
            theme.failed,
        )));
    }
    if let Some(o) = &pane.outcome {
        match &o.result {
            Ok(v) => lines.push(Line::from(Span::styled(
                truncate(&v.summary(), w),
                theme.ok,
            ))),
            Err(e) => lines.push(Line::from(Span::styled(
                truncate(&format!("ended: {e}"), w),
                theme.error,
            ))),
        }
    } else if let Some(last) = pane.state.output.last() {
        lines.push(Line::from(Span::styled(truncate(last, w), theme.text)));
    }
    if !pane.history.is_empty() {
        let max = pane.history.iter().map(|r| r.wall_ms).fold(1.0, f64::max);
        let bar_w = w.saturating_sub(28).max(4);
        lines.push(Line::from(Span::styled(
            "modes compared (wall time)",
            theme.heading,
        )));
        for r in pane.history.iter().rev().take(4).rev() {
            let n = ((r.wall_ms / max) * bar_w as f64).round().max(1.0) as usize;
            let who = match &r.workers {
                Some(wk) if r.mode_index != 0 => format!("{} ×{wk}", r.mode),
                _ => r.mode.to_string(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{:<14}", truncate(&who, 13)), theme.text),
                Span::styled(
                    "█".repeat(n),
                    if r.ok { theme.running } else { theme.failed },
                ),
                Span::styled(format!(" {:.2} s", r.wall_ms / 1000.0), theme.strong),
            ]));
        }
    }
    lines
}

fn legend_line(theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (c, text) in [
        (Class::Queued, "queued"),
        (Class::Connecting, "connecting"),
        (Class::Waiting, "waiting"),
        (Class::Reading, "reading"),
        (Class::Failed, "failed"),
    ] {
        let (st, ch) = class_style(c, theme);
        spans.push(Span::styled(ch.to_string(), st));
        spans.push(Span::styled(format!(" {text}  "), theme.dim));
    }
    Line::from(spans)
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
