//! The event-loop pane: one loop lane, and a task table in the manner of
//! tokio-console (state, polls, busy, idle, what it waits on).

use ratatui::Frame;
use ratatui::layout::Rect;
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
    // The time-line's axis gets a row of its own when there are rows to
    // spare; short of rows, the ready queue shares the status row.
    let axis = area.height >= 16;
    let short = area.height < 12;
    let loop_h = (2 + u16::from(axis) + u16::from(!short)).min(area.height);
    let legend = common::lane_legend_of(&pane.state, theme);
    let tail = Tail::of(pane, theme, area.width);
    let [table_h, tail_h, legend_h] = rows(
        area.height - loop_h,
        1 + units.len().max(1) as u16,
        tail.want(),
        legend.height(area.width),
    );
    let [loop_area, table, rest, legend_area] =
        common::stack(area, [loop_h, table_h, tail_h, legend_h]);
    event_loop(frame, loop_area, pane, theme, axis, short);
    let tasks = TaskTable::new(&pane.state, theme).selected(pane.selected());
    frame.render_widget(&tasks, table);
    frame.render_widget(Paragraph::new(tail.lines(rest.height)), rest);
    frame.render_widget(&legend, legend_area);
}

/// Rows for the task table, the lines below it and the legend, out of
/// `room`: the legend one row, the lines below at least two (the newest
/// printed line among them), the table up to all its tasks; what is left
/// goes to the rest of the lines, then a second row of legend, then under
/// the table.
fn rows(room: u16, table_want: u16, tail_want: u16, legend_want: u16) -> [u16; 3] {
    let legend = u16::from(room > 0);
    let room = room - legend;
    let tail_least = tail_want.min(2);
    let table = table_want.min(room.saturating_sub(tail_least));
    let tail = tail_want.min(room - table);
    let spare = room - table - tail;
    let legend_more = legend_want.clamp(1, 2).saturating_sub(1).min(spare);
    let table = table + spare - legend_more;
    [table, tail, legend + legend_more]
}

/// What goes under the task table: warnings, the lines the tasks printed
/// (the newest, and how many earlier ones found no room), how the run
/// ended.
struct Tail {
    warnings: Vec<Line<'static>>,
    output: Vec<Line<'static>>,
    outcome: Option<Line<'static>>,
    style: ratatui::style::Style,
}

/// Printed lines shown at most, when the pane has rows to spare.
const MAX_OUTPUT: usize = 8;

impl Tail {
    fn of(pane: &Pane, theme: &Theme, width: u16) -> Tail {
        let w = width as usize;
        Tail {
            warnings: common::warnings(pane, theme, width, 2),
            output: pane
                .state
                .output
                .iter()
                .map(|l| Line::styled(truncate(l, w), theme.text))
                .collect(),
            outcome: common::outcome_line(pane, theme, width),
            style: theme.dim,
        }
    }

    /// Rows it would like: everything, up to [`MAX_OUTPUT`] printed lines
    /// and the count of those before them.
    fn want(&self) -> u16 {
        let n = self.output.len();
        let output = n.min(MAX_OUTPUT) + usize::from(n > MAX_OUTPUT);
        (self.warnings.len() + output + usize::from(self.outcome.is_some())) as u16
    }

    /// At most `rows` lines, top to bottom: warnings, `… N earlier lines`,
    /// the newest printed lines, the outcome. Short of rows, the warnings
    /// and the outcome go first, then the newest line, then the count.
    fn lines(&self, rows: u16) -> Vec<Line<'static>> {
        let mut left = rows as usize;
        let outcome = usize::from(self.outcome.is_some()).min(left);
        left -= outcome;
        let warnings = self.warnings.len().min(left);
        left -= warnings;
        let n = self.output.len();
        // The count only where an earlier line is left out, and never in
        // place of the newest.
        let count = n > left && left >= 2;
        let shown = n.min(left - usize::from(count));
        let mut lines = self.warnings[..warnings].to_vec();
        if count {
            let hidden = n - shown;
            let s = if hidden == 1 { "" } else { "s" };
            lines.push(Line::styled(
                format!("… {hidden} earlier line{s}"),
                self.style,
            ));
        }
        lines.extend_from_slice(&self.output[n - shown..]);
        lines.extend(self.outcome.clone().filter(|_| outcome > 0));
        lines
    }
}

/// The loop's single lane: who runs now, its time-line, the ready queue
/// (on the status row when `short`).
fn event_loop(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme, axis: bool, short: bool) {
    let s = &pane.state;
    let running = s
        .lanes
        .get(&0)
        .and_then(|l| l.unit)
        .and_then(|u| s.unit(u))
        .filter(|u| u.status == Status::Running);
    let mut status = Line::from(vec![
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
    let [status_row, line_row, ready_row] = common::stack(area, [1, line_h, u16::from(!short)]);
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
    let head = format!("ready queue ({}) ", ready.len());
    let w = if short {
        status.spans.push(Span::raw("   "));
        (area.width as usize).saturating_sub(status.width() + head.len())
    } else {
        (area.width as usize).saturating_sub(head.len())
    };
    let queue = [
        Span::styled(head, theme.heading),
        Span::styled(truncate(&ready.join(" "), w), theme.ready),
    ];
    if short {
        status.spans.extend(queue);
    } else {
        frame.render_widget(Line::from(queue.to_vec()), ready_row);
    }
    frame.render_widget(status, status_row);
}
