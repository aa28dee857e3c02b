//! Pieces every pane shares: title, mode tabs, knobs, legend, time-line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::trace::BlockOn;
use crate::trace::fold::{Activity, Lane, Status};
use crate::ui::pane::{Pane, Phase};
use crate::ui::theme::Theme;

/// The frame title: example name and where its run stands.
pub fn title_line(pane: &Pane, theme: &Theme) -> Line<'static> {
    let (phase, style) = match pane.phase() {
        Phase::Ready => ("ready", theme.dim),
        Phase::Running => ("running", theme.running),
        Phase::Paused => ("PAUSED", theme.warning),
        Phase::Done => match pane.outcome.as_ref().map(|o| o.result.is_ok()) {
            Some(true) => ("done", theme.ok),
            _ => ("stopped", theme.error),
        },
    };
    Line::from(vec![
        Span::raw(" "),
        Span::styled(pane.request.example.title().to_string(), theme.title),
        Span::raw(" · "),
        Span::styled(phase.to_string(), style),
        Span::raw(" "),
    ])
}

/// Draws the mode tabs and the knobs (wrapped) at the top of `area`;
/// returns what is left below them.
pub fn header(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) -> Rect {
    let rows = |l: &Line| (l.width().div_ceil(area.width.max(1) as usize) as u16).clamp(1, 2);
    let (tabs, knobs) = (mode_tabs(pane, theme), knobs(pane, theme));
    let (th, kh) = (rows(&tabs), rows(&knobs));
    let tabs = Paragraph::new(tabs).wrap(Wrap { trim: false });
    let knobs = Paragraph::new(knobs).wrap(Wrap { trim: true });
    let [t, k, rest] = Layout::vertical([
        Constraint::Length(th),
        Constraint::Length(kh),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(tabs, t);
    frame.render_widget(knobs, k);
    rest
}

/// `1 threads  2 async  3 processes` with the chosen one highlighted.
pub fn mode_tabs(pane: &Pane, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, m) in pane.request.example.modes().iter().enumerate() {
        let style = if i == pane.request.mode_index() {
            theme.tab_active
        } else {
            theme.tab_idle
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, m.name), style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// The knobs: every option's value, plus the time scale.
pub fn knobs(pane: &Pane, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (k, v) in pane.request.values() {
        spans.push(Span::styled(format!("{k} "), theme.dim));
        spans.push(Span::styled(format!("{v}  "), theme.strong));
    }
    if pane.scale_pct != 100 {
        spans.push(Span::styled("time ", theme.dim));
        spans.push(Span::styled(
            format!("×{:.2}", 100.0 / pane.scale_pct as f64),
            theme.warning,
        ));
    }
    Line::from(spans)
}

/// Style and symbol of a lane activity.
pub fn activity_style(a: &Activity, theme: &Theme) -> (Style, char, String) {
    let (st, ch) = activity_glyph(a, theme);
    let label = match a {
        Activity::Idle => "idle".into(),
        Activity::Running => "running".into(),
        Activity::Blocked(on) => format!("waiting: {}", on.label()),
        Activity::Down => "gone".into(),
    };
    (st, ch, label)
}

/// Style and symbol of a lane activity, without its label (time-lines draw
/// one per cell).
pub fn activity_glyph(a: &Activity, theme: &Theme) -> (Style, char) {
    match a {
        Activity::Idle => (theme.idle, '·'),
        Activity::Running => (theme.running, '█'),
        Activity::Blocked(on) => block_style(on, theme),
        Activity::Down => (theme.idle, ' '),
    }
}

/// Style and symbol for what a lane waits on.
pub fn block_style(on: &BlockOn, theme: &Theme) -> (Style, char) {
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

/// Style and text of a unit's status.
pub fn status_style(s: &Status, theme: &Theme) -> (Style, String) {
    match s {
        Status::Spawned | Status::Queued => (theme.queued, "queued".into()),
        Status::Running => (theme.running, "running".into()),
        Status::Blocked(on) => (block_style(on, theme).0, format!("waiting: {}", on.label())),
        Status::Ready => (theme.ready, "ready".into()),
        Status::Finished(v) => (theme.finished, format!("= {v}")),
        Status::Failed(e) => (theme.failed, format!("exception: {e}")),
        Status::Cancelled => (theme.cancelled, "cancelled".into()),
    }
}

/// The legend of lane colours.
pub fn legend(theme: &Theme) -> Line<'static> {
    let item = |st: Style, ch: char, text: &str| {
        vec![
            Span::styled(ch.to_string(), st),
            Span::styled(format!(" {text}  "), theme.dim),
        ]
    };
    let mut spans = Vec::new();
    spans.extend(item(theme.running, '█', "running"));
    spans.extend(item(theme.blocked_gil, 'g', "GIL wait"));
    spans.extend(item(theme.blocked_io, '▒', "I/O"));
    spans.extend(item(theme.sleeping, '░', "sleep"));
    spans.extend(item(theme.blocked_lock, 'L', "lock/queue"));
    spans.extend(item(theme.blocked_gil, '▚', "taking turns"));
    spans.extend(item(theme.idle, '·', "idle"));
    Line::from(spans)
}

/// A lane's time-line from 0 to `end_us` in `width` cells: each cell shows
/// the activity that filled most of its time.
pub fn timeline(lane: &Lane, end_us: u64, width: usize, theme: &Theme) -> Vec<Span<'static>> {
    if width == 0 || end_us == 0 {
        return Vec::new();
    }
    let cell = (end_us as f64 / width as f64).max(1.0);
    // Per cell: time spent running, and the longest other activity (by
    // segment index, 0 = the open one) — nothing is cloned per cell.
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
    let mut spans: Vec<Span<'static>> = Vec::new();
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
        match spans.last_mut() {
            Some(last) if last.style == st => last.content.to_mut().push(ch),
            _ => spans.push(Span::styled(ch.to_string(), st)),
        }
    }
    spans
}

/// A number with thousands grouped: 9 200 000 → "9.20 M".
pub fn si(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.2} G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}
