//! The event-loop pane: one loop lane, and a task table in the manner of
//! tokio-console (state, polls, busy, idle, what it waits on).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::trace::fold::Status;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;

fn ms(us: u64) -> String {
    if us >= 10_000_000 {
        format!("{:.0}s", us as f64 / 1e6)
    } else if us >= 1_000_000 {
        format!("{:.2}s", us as f64 / 1e6)
    } else {
        format!("{:.1}ms", us as f64 / 1e3)
    }
}

/// Draws the event-loop pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let w = area.width as usize;
    let s = &pane.state;
    let [loop_area, header, table, rest, legend] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(4),
        Constraint::Length(1),
    ])
    .areas(area);

    // The loop's single lane: who runs now, and its history.
    let mut loop_lines = Vec::new();
    let running = s
        .lanes
        .get(&0)
        .and_then(|l| l.unit)
        .and_then(|u| s.unit(u))
        .filter(|u| u.status == Status::Running);
    loop_lines.push(Line::from(vec![
        Span::styled(format!("{:.2} s ", pane.elapsed_s()), theme.big),
        Span::styled("event loop: ", theme.dim),
        match running {
            Some(u) => Span::styled(format!("running {}", u.label), theme.running),
            None if pane.run.is_some() => Span::styled("idle, waiting for a wake-up", theme.idle),
            None => Span::styled("stopped", theme.dim),
        },
    ]));
    if let Some(lane) = s.lanes.values().next() {
        let mut spans = vec![Span::styled("loop ", theme.text)];
        spans.extend(common::timeline(lane, s.now_us, w.saturating_sub(5), theme));
        loop_lines.push(Line::from(spans));
    }
    let ready: Vec<_> = s
        .units
        .iter()
        .filter(|u| matches!(u.status, Status::Ready | Status::Queued | Status::Spawned))
        .map(|u| u.label.as_str())
        .collect();
    loop_lines.push(Line::from(vec![
        Span::styled(format!("ready queue ({}) ", ready.len()), theme.heading),
        Span::styled(
            truncate(&ready.join(" "), w.saturating_sub(18)),
            theme.ready,
        ),
    ]));
    frame.render_widget(Paragraph::new(loop_lines), loop_area);

    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(
                "{:<4} {:<14} {:<22} {:>5} {:>8} {:>8}",
                "id", "task", "state", "polls", "busy", "idle"
            ),
            theme.dim,
        ))),
        header,
    );
    let mut rows = Vec::new();
    let room = table.height as usize;
    // Tasks still alive first, then the most recently ended.
    let mut order: Vec<_> = s
        .units
        .iter()
        .filter(|u| !u.status.is_done())
        .take(room)
        .collect();
    if order.len() < room {
        let mut ended: Vec<_> = s.units.iter().filter(|u| u.status.is_done()).collect();
        let want = (room - order.len()).min(ended.len());
        let key =
            |u: &&crate::trace::fold::Unit| (std::cmp::Reverse(u.ended_us.unwrap_or(0)), u.id);
        if want > 0 && want < ended.len() {
            ended.select_nth_unstable_by_key(want - 1, key);
        }
        ended.truncate(want);
        ended.sort_by_key(key);
        order.extend(ended);
    }
    for u in order.iter().take(room) {
        // On an event loop a queued task is simply ready to be polled.
        let (st, state) = match u.status {
            Status::Queued | Status::Spawned => (theme.ready, "ready".to_string()),
            ref other => common::status_style(other, theme),
        };
        let life = u.ended_us.unwrap_or(s.now_us).saturating_sub(u.spawned_us);
        let busy = u.busy_us
            + if u.status == Status::Running {
                s.now_us.saturating_sub(u.since_us)
            } else {
                0
            };
        rows.push(Line::from(vec![
            Span::styled(format!("{:<4} ", u.id), theme.dim),
            Span::styled(format!("{:<14} ", truncate(&u.label, 14)), theme.text),
            Span::styled(format!("{:<22} ", truncate(&state, 22)), st),
            Span::styled(format!("{:>5} ", u.polls), theme.strong),
            Span::styled(format!("{:>8} ", ms(busy)), theme.running),
            Span::styled(format!("{:>8}", ms(life.saturating_sub(busy))), theme.dim),
        ]));
    }
    if s.units.len() > room && room > 0 {
        rows.truncate(room - 1);
        rows.push(Line::from(Span::styled(
            format!("… {} more tasks", s.units.len() - (room - 1)),
            theme.dim,
        )));
    }
    frame.render_widget(Paragraph::new(rows), table);

    let mut tail = Vec::new();
    for warn in s.warnings.iter().rev().take(2) {
        tail.push(Line::from(Span::styled(
            truncate(&format!("⚠ {warn}"), w),
            theme.warning,
        )));
    }
    let start = s.output.len().saturating_sub(4 - tail.len().min(4));
    for l in &s.output[start..] {
        tail.push(Line::from(Span::styled(truncate(l, w), theme.text)));
    }
    if let Some(o) = &pane.outcome {
        tail.truncate(3);
        let line = match &o.result {
            Ok(v) => Span::styled(truncate(&v.summary(), w), theme.ok),
            Err(e) => Span::styled(truncate(&format!("ended: {e}"), w), theme.error),
        };
        tail.push(Line::from(line));
    }
    frame.render_widget(Paragraph::new(tail), rest);
    frame.render_widget(Paragraph::new(common::legend(theme)), legend);
}
