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
use crate::ui::widgets::headline;
use crate::ui::widgets::{Headed, Headline, TaskTable, Timeline};

/// Draws the event-loop pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let units = &pane.state.units;
    let ended = units.iter().filter(|u| u.status.is_done()).count();
    let mut figures = vec![
        Headed::elapsed(pane.elapsed_s()),
        Headed::new(format!("{ended}/{}", units.len()), "tasks ended"),
    ];
    if pane.state.done > 0 {
        figures.push(Headed::rate(pane.state.rate.per_sec(), "hashes/s"));
    }
    let head = Headline::new(figures)
        .value_style(theme.big)
        .style(theme.dim);
    // Large only when the loop, every task and the output fit as well.
    let need = 4 + 1 + units.len().min(12) as u16 + 4 + 1;
    let (top, area) = headline::split_top(area, &head, need);
    if let Some(top) = top {
        frame.render_widget(&head, top);
    }
    // The time-line's axis gets a row of its own when there are rows to spare.
    let axis = area.height >= 16;
    let [loop_area, table, rest, legend] = Layout::vertical([
        Constraint::Length(3 + u16::from(axis)),
        Constraint::Min(4),
        Constraint::Length(4),
        Constraint::Length(1),
    ])
    .areas(area);
    event_loop(frame, loop_area, pane, theme, axis);
    let tasks = TaskTable::new(&pane.state, theme).selected(pane.selected());
    frame.render_widget(&tasks, table);
    let mut tail = common::warnings(pane, theme, area.width, 2);
    let output = &pane.state.output;
    let w = area.width as usize;
    let start = output.len().saturating_sub(4 - tail.len().min(4));
    tail.extend(
        output[start..]
            .iter()
            .map(|l| Line::styled(truncate(l, w), theme.text)),
    );
    if let Some(line) = common::outcome_line(pane, theme, area.width) {
        tail.truncate(3);
        tail.push(line);
    }
    frame.render_widget(Paragraph::new(tail), rest);
    frame.render_widget(&common::lane_legend_of(&pane.state, theme), legend);
}

/// The loop's single lane: who runs now, its time-line, the ready queue.
fn event_loop(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme, axis: bool) {
    let s = &pane.state;
    let running = s
        .lanes
        .get(&0)
        .and_then(|l| l.unit)
        .and_then(|u| s.unit(u))
        .filter(|u| u.status == Status::Running);
    let status = Line::from(vec![
        Span::styled(format!("{:.2} s ", pane.elapsed_s()), theme.big),
        Span::styled("event loop: ", theme.dim),
        match running {
            Some(u) => Span::styled(format!("running {}", u.label), theme.running),
            None if pane.run.is_some() => Span::styled("idle, waiting for a wake-up", theme.idle),
            None => Span::styled("stopped", theme.dim),
        },
    ]);
    let lane = s.lanes.values().next();
    let line_h = u16::from(lane.is_some()) * (1 + u16::from(axis));
    let [status_row, line_row, ready_row] = common::stack(area, [1, line_h, 1]);
    frame.render_widget(status, status_row);
    if let Some(lane) = lane {
        // The wall clock, not the latest event: the axis moves on every frame.
        let mut timeline = Timeline::new([("loop", lane)], pane.now_us(), theme)
            .label_width(5)
            .style(theme.text);
        if axis {
            timeline = timeline.title("", true).title_style(theme.dim);
        }
        frame.render_widget(&timeline, line_row);
    }
    let ready: Vec<_> = s
        .units
        .iter()
        .filter(|u| matches!(u.status, Status::Ready | Status::Queued | Status::Spawned))
        .map(|u| u.label.as_str())
        .collect();
    let w = area.width as usize;
    let line = Line::from(vec![
        Span::styled(format!("ready queue ({}) ", ready.len()), theme.heading),
        Span::styled(
            truncate(&ready.join(" "), w.saturating_sub(18)),
            theme.ready,
        ),
    ]);
    frame.render_widget(line, ready_row);
}
