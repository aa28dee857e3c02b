//! The general pane: lanes with their state, a time-line, the queue, the
//! futures (results and held exceptions), output and past runs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common::{self, si};
use crate::trace::LaneRole;
use crate::trace::fold::Status;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;

/// Draws the general pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let w = area.width as usize;
    // The process pool's supervisor lane is shown in the headline (its
    // state) rather than as a lane.
    let processes = pane
        .state
        .lanes
        .values()
        .any(|l| l.role == LaneRole::Process);
    let lanes: Vec<_> = pane
        .state
        .lanes
        .values()
        .filter(|l| l.role != LaneRole::Supervisor)
        .collect();
    let lane_rows = lanes.len().clamp(1, 16) as u16;
    let [figures, table, time, rest, legend] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(lane_rows + 1),
        Constraint::Length(lane_rows + 1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(headline(pane, theme)), figures);

    // Lanes table: processes show PID, CPU time and messages instead of
    // a rate.
    let selected = pane.selected();
    let unit_w = w
        .saturating_sub(12 + 1 + 18 + 1 + 1 + 10 + 1 + 6 + 1)
        .clamp(4, 30);
    let header = if processes {
        format!(
            "{:<12} {:<18} {:<unit_w$} {:>7} {:>9}",
            "process pid", "state", "task", "cpu s", "msgs ⇄"
        )
    } else {
        format!(
            "{:<12} {:<18} {:<unit_w$} {:>10} {:>6}",
            "lane", "state", "working on", "rate/s", "busy"
        )
    };
    let mut rows = vec![Line::from(Span::styled(header, theme.dim))];
    let wall = pane.state.now_us.max(1);
    for lane in lanes.iter().take(16) {
        let (st, _, label) = common::activity_style(&lane.activity, theme);
        let unit = lane
            .unit
            .and_then(|u| pane.state.unit(u))
            .map(|u| u.label.clone())
            .unwrap_or_default();
        let name = match lane.pid {
            Some(pid) if lane.role == LaneRole::Process => {
                format!("{} {pid}", lane.name.trim_start_matches("worker-"))
            }
            Some(pid) => format!("{} {pid}", lane.name),
            None => lane.name.clone(),
        };
        let mark = if Some(lane.id) == selected {
            "▸"
        } else {
            " "
        };
        let label = match (&lane.epitaph, lane.role == LaneRole::Supervisor) {
            (_, true) => String::new(),
            (Some(e), _) => e.split(" (").next().unwrap_or(e).to_string(),
            (None, _) => label,
        };
        let mut spans = vec![
            Span::styled(format!("{mark}{:<11} ", truncate(&name, 11)), theme.text),
            Span::styled(format!("{:<18} ", truncate(&label, 18)), st),
            Span::styled(format!("{:<unit_w$} ", truncate(&unit, unit_w)), theme.text),
        ];
        if lane.role == LaneRole::Process {
            let cpu = lane.cpu_us.unwrap_or(0) as f64 / 1e6;
            spans.push(Span::styled(format!("{cpu:>7.2} "), theme.strong));
            spans.push(Span::styled(
                format!("{:>4}/{:<4}", lane.jobs_in, lane.reports),
                theme.dim,
            ));
        } else if !processes {
            let busy = pane.state.lane_busy_us(lane) as f64 * 100.0 / wall as f64;
            spans.push(Span::styled(
                format!("{:>10} ", si(lane.rate.per_sec())),
                theme.strong,
            ));
            spans.push(Span::styled(format!("{busy:>5.0}%"), theme.dim));
        }
        rows.push(Line::from(spans));
    }
    if lanes.is_empty() {
        rows.push(Line::from(Span::styled(
            "no lanes yet: Enter runs the example",
            theme.dim,
        )));
    }
    frame.render_widget(Paragraph::new(rows), table);

    // Time-line.
    let label_w = 12usize;
    let tl_w = w.saturating_sub(label_w + 1);
    let mut tl = vec![Line::from(vec![
        Span::styled(format!("{:<label_w$}", "time-line"), theme.dim),
        Span::styled(
            format!(
                "0 s{:>width$}",
                format!("{:.1} s", pane.state.now_us as f64 / 1e6),
                width = tl_w.saturating_sub(3)
            ),
            theme.dim,
        ),
    ])];
    for lane in lanes.iter().take(16) {
        let mut spans = vec![Span::styled(
            format!("{:<label_w$}", truncate(&lane.name, label_w - 1)),
            theme.text,
        )];
        spans.extend(common::timeline(lane, pane.state.now_us, tl_w, theme));
        tl.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(tl), time);

    // Queue, futures, output, past runs.
    let mut lines = Vec::new();
    let queued: Vec<_> = pane.state.queued().collect();
    if !queued.is_empty() {
        let names: Vec<_> = queued.iter().take(8).map(|u| u.label.as_str()).collect();
        let more = if queued.len() > 8 {
            format!(" +{}", queued.len() - 8)
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("queue ({}) ", queued.len()), theme.heading),
            Span::styled(
                truncate(&format!("{}{more}", names.join(" ")), w.saturating_sub(12)),
                theme.queued,
            ),
        ]));
    }
    let ended: Vec<_> = pane
        .state
        .units
        .iter()
        .filter(|u| {
            matches!(
                u.status,
                Status::Failed(_) | Status::Finished(_) | Status::Cancelled
            )
        })
        .collect();
    let failed: Vec<_> = ended
        .iter()
        .filter(|u| matches!(u.status, Status::Failed(_)))
        .collect();
    if !failed.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("futures holding an exception: {}", failed.len()),
            theme.failed,
        )));
        for u in failed.iter().take(3) {
            let (st, text) = common::status_style(&u.status, theme);
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", truncate(&u.label, 16)), theme.text),
                Span::styled(truncate(&text, w.saturating_sub(20)), st),
            ]));
        }
    }
    let c = pane.state.counts;
    if c.spawned > 0 {
        lines.push(Line::from(vec![
            Span::styled("futures ", theme.heading),
            Span::styled(format!("{} done ", c.finished), theme.finished),
            Span::styled(
                format!("{} failed ", c.failed),
                if c.failed > 0 {
                    theme.failed
                } else {
                    theme.dim
                },
            ),
            Span::styled(
                format!("{} cancelled ", c.cancelled),
                if c.cancelled > 0 {
                    theme.cancelled
                } else {
                    theme.dim
                },
            ),
            Span::styled(format!("{} pending", pane.state.active()), theme.dim),
        ]));
    }
    for warn in pane.state.warnings.iter().rev().take(2) {
        lines.push(Line::from(Span::styled(
            format!("⚠ {}", truncate(warn, w.saturating_sub(2))),
            theme.warning,
        )));
    }
    if let Some(o) = &pane.outcome {
        let line = match &o.result {
            Ok(v) => Span::styled(truncate(&v.summary(), w), theme.ok),
            Err(e) => Span::styled(
                format!("ended: {}", truncate(e, w.saturating_sub(7))),
                theme.error,
            ),
        };
        lines.push(Line::from(line));
    }
    let room = rest.height as usize;
    let history = past_runs(pane, theme, w);
    let out_room = room.saturating_sub(lines.len() + history.len() + 1);
    if out_room > 0 && !pane.state.output.is_empty() {
        lines.push(Line::from(Span::styled("output", theme.heading)));
        let start = pane
            .state
            .output
            .len()
            .saturating_sub(out_room.saturating_sub(1));
        for l in &pane.state.output[start..] {
            lines.push(Line::from(Span::styled(truncate(l, w), theme.text)));
        }
    }
    lines.extend(history);
    frame.render_widget(Paragraph::new(lines), rest);
    frame.render_widget(Paragraph::new(common::legend(theme)), legend);
}

fn headline(pane: &Pane, theme: &Theme) -> Vec<Line<'static>> {
    let s = &pane.state;
    let rate = s.rate.per_sec();
    let pool = s
        .pool
        .map(|state| {
            Line::from(Span::styled(
                format!("pool: {}", state.as_str()),
                theme.heading,
            ))
        })
        .unwrap_or_default();
    vec![
        Line::from(vec![
            Span::styled(format!("{:.2} s", pane.elapsed_s()), theme.big),
            Span::styled("  elapsed   ", theme.dim),
            Span::styled(
                format!(
                    "{}/{}",
                    s.counts.finished + s.counts.failed + s.counts.cancelled,
                    s.counts.spawned
                ),
                theme.big,
            ),
            Span::styled("  jobs ended   ", theme.dim),
            Span::styled(si(rate), theme.big),
            Span::styled("  units/s", theme.dim),
        ]),
        pool,
    ]
}

fn past_runs(pane: &Pane, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    if pane.history.len() < 2 {
        return Vec::new();
    }
    let max = pane.history.iter().map(|r| r.wall_ms).fold(1.0, f64::max);
    let bar_w = w.saturating_sub(30).max(4);
    let mut lines = vec![Line::from(Span::styled(
        "runs so far (wall time)",
        theme.heading,
    ))];
    for r in pane.history.iter().rev().take(5).rev() {
        let n = ((r.wall_ms / max) * bar_w as f64).round() as usize;
        let who = match &r.workers {
            Some(wk) => format!("{} ×{wk}", r.mode),
            None => r.mode.to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", truncate(&who, 15)), theme.text),
            Span::styled(
                "█".repeat(n.max(1)),
                if r.ok { theme.running } else { theme.failed },
            ),
            Span::styled(format!(" {:.2} s", r.wall_ms / 1000.0), theme.strong),
        ]));
    }
    lines
}
