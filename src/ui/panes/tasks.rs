//! The event-loop pane: one loop lane, and a task table in the manner of
//! tokio-console (state, polls, busy, idle, what it waits on).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::trace::fold::Status;
use crate::ui::lesson::wrap::{truncate, wrap};
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
    // spare; else the ready queue shares the status row, which leaves a
    // row for the lines the tasks print.
    let axis = area.height >= 16;
    let short = !axis;
    let loop_h = (2 + u16::from(axis) + u16::from(!short)).min(area.height);
    let legend = common::lane_legend_of(&pane.state, theme);
    // Long lines wrap when everything then still fits; else one row each.
    let layout = |tail: &Tail| {
        rows(
            area.height - loop_h,
            1 + units.len().max(1) as u16,
            tail.want(),
            legend.height(area.width),
        )
    };
    let wrapped = Tail::of(pane, theme, area.width, true);
    let [table_h, tail_h, legend_h] = layout(&wrapped);
    let (tail, [table_h, tail_h, legend_h]) =
        if tail_h >= wrapped.want() && wrapped.output.len() <= MAX_OUTPUT {
            (wrapped, [table_h, tail_h, legend_h])
        } else {
            let flat = Tail::of(pane, theme, area.width, false);
            let r = layout(&flat);
            (flat, r)
        };
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
/// printed line among them), the table up to all its tasks, a second row
/// for the legend when it wraps, then the rest of the lines; what is left
/// goes under the table.
fn rows(room: u16, table_want: u16, tail_want: u16, legend_want: u16) -> [u16; 3] {
    let legend = u16::from(room > 0);
    let room = room - legend;
    let tail_least = tail_want.min(2);
    let table = table_want.min(room.saturating_sub(tail_least));
    let mut left = room - table;
    let legend_more = u16::from(legend_want > 1 && left > tail_least);
    left -= legend_more;
    let tail = tail_want.min(left);
    [table + left - tail, tail, legend + legend_more]
}

/// What goes under the task table: warnings, the lines the tasks printed
/// (the newest, and how many earlier ones found no room), how the run
/// ended.
struct Tail {
    warnings: Vec<Line<'static>>,
    output: Vec<Line<'static>>,
    outcome: Vec<Line<'static>>,
    style: ratatui::style::Style,
}

/// Printed lines shown at most, when the pane has rows to spare.
const MAX_OUTPUT: usize = 30;

impl Tail {
    /// The tail at `width`: each warning, printed line and the outcome on
    /// one row, or `wrapped` over as many as they need (printed lines
    /// continue under their text, past the time column).
    fn of(pane: &Pane, theme: &Theme, width: u16, wrapped: bool) -> Tail {
        let w = width as usize;
        if !wrapped {
            return Tail {
                warnings: common::warnings(pane, theme, width, 2),
                output: pane
                    .state
                    .output
                    .iter()
                    .map(|l| Line::styled(truncate(l, w), theme.text))
                    .collect(),
                outcome: common::outcome_line(pane, theme, width)
                    .into_iter()
                    .collect(),
                style: theme.dim,
            };
        }
        let indent = vec![Span::raw(" ".repeat(6.min(w / 3)))];
        Tail {
            warnings: common::warning_lines(pane, theme, width, 2, 3),
            output: pane
                .state
                .output
                .iter()
                .flat_map(|l| wrap(&[(l.clone(), theme.text)], w, Vec::new(), indent.clone()))
                .collect(),
            outcome: common::outcome_lines(pane, theme, width, 3),
            style: theme.dim,
        }
    }

    /// Rows it would like: everything, up to [`MAX_OUTPUT`] printed lines
    /// and the count of those before them.
    fn want(&self) -> u16 {
        let n = self.output.len();
        let output = n.min(MAX_OUTPUT) + usize::from(n > MAX_OUTPUT);
        (self.warnings.len() + output + self.outcome.len()) as u16
    }

    /// At most `rows` lines, top to bottom: warnings, `… N earlier lines`,
    /// the newest printed lines, the outcome. Short of rows, the warnings
    /// and the outcome go first, then the newest line, then the count.
    fn lines(&self, rows: u16) -> Vec<Line<'static>> {
        let mut left = rows as usize;
        let outcome = self.outcome.len().min(left);
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
        lines.extend_from_slice(&self.outcome[..outcome]);
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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::demos::DemoRequest;
    use crate::trace::{Event, EventKind, LaneRole, Micros};
    use crate::ui::render::buffer_text;
    use crate::ui::theme::ThemeName;

    /// A loop with one task that printed `lines` lines.
    fn pane(lines: usize) -> Pane {
        let mut pane = Pane::new(DemoRequest::new("gather").unwrap());
        let mut t = 0;
        let mut apply = |kind: EventKind| {
            t += 1_000;
            pane.state.apply(&Event {
                t_us: Micros::from_us(t),
                lane: 0,
                kind,
            });
        };
        let (name, role) = ("loop".to_string(), LaneRole::Main);
        apply(EventKind::LaneUp {
            name,
            pid: None,
            role,
        });
        let label = "main".to_string();
        apply(EventKind::Spawned { unit: 1, label });
        apply(EventKind::Started { unit: 1 });
        for i in 1..=lines {
            apply(EventKind::Output {
                text: format!("line {i}"),
            });
        }
        pane
    }

    fn text(pane: &Pane, w: u16, h: u16) -> String {
        let theme = Theme::new(ThemeName::Dark, false);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| draw(f, f.area(), pane, &theme)).unwrap();
        buffer_text(term.backend().buffer())
    }

    #[test]
    fn the_newest_printed_lines_show_and_the_earlier_are_counted() {
        // As at 80×24: ten rows under the tabs and knobs.
        let text = text(&pane(9), 78, 12);
        assert!(text.contains("line 9"), "the newest line: {text}");
        assert!(!text.contains("line 1\n"), "{text}");
        let shown = (1..=9)
            .filter(|i| text.contains(&format!("line {i}\n")))
            .count();
        let note = format!("… {} earlier lines", 9 - shown);
        assert!(text.contains(&note), "{note}: {text}");
        assert!(text.contains("1   ▸main"), "the task still listed: {text}");
        assert!(text.contains("█ running"), "the legend: {text}");
        // Every line fits: no count.
        let text = super::tests::text(&pane(2), 78, 12);
        assert!(text.contains("line 1") && text.contains("line 2"), "{text}");
        assert!(!text.contains("earlier"), "{text}");
    }

    #[test]
    fn the_tail_keeps_warnings_and_outcome_then_the_newest_line() {
        let theme = Theme::new(ThemeName::Dark, false);
        let mut p = pane(5);
        p.state
            .warnings
            .push("task main blocked the event loop".into());
        let tail = Tail::of(&p, &theme, 60, false);
        let lines =
            |rows| -> Vec<String> { tail.lines(rows).iter().map(ToString::to_string).collect() };
        assert_eq!(tail.want(), 6);
        assert_eq!(lines(1), ["⚠ task main blocked the event loop"]);
        assert_eq!(lines(2), ["⚠ task main blocked the event loop", "line 5"]);
        assert_eq!(
            lines(4),
            [
                "⚠ task main blocked the event loop",
                "… 3 earlier lines",
                "line 4",
                "line 5"
            ]
        );
        assert_eq!(lines(6).len(), 6);
        assert_eq!(lines(6)[1], "line 1");
    }

    #[test]
    fn rows_go_to_the_table_then_the_tail_then_a_second_legend_row() {
        // room, table wants, tail wants, legend wants.
        assert_eq!(rows(7, 4, 8, 1), [4, 2, 1], "the newest lines get two rows");
        assert_eq!(rows(7, 2, 8, 1), [2, 4, 1], "the tail takes what is left");
        assert_eq!(
            rows(12, 2, 3, 2),
            [7, 3, 2],
            "then the legend, then the table"
        );
        assert_eq!(rows(12, 2, 3, 1), [8, 3, 1]);
        assert_eq!(rows(2, 4, 3, 2), [0, 1, 1]);
        assert_eq!(rows(0, 4, 3, 2), [0, 0, 0]);
    }
}
