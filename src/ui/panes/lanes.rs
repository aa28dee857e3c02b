//! The general pane: lanes with their state, a time-line, the queue, the
//! futures (results and held exceptions), output and past runs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

use super::common;
use crate::trace::LaneRole;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::lane_table::MAX_LANES;
use crate::ui::widgets::{
    Figure, Figures, FuturesList, LaneColumns, LaneTable, RunsChart, Timeline, si,
};

/// Draws the general pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let s = &pane.state;
    // The process pool's supervisor lane is shown in the headline (its
    // state) rather than as a lane.
    let processes = s.lanes.values().any(|l| l.role == LaneRole::Process);
    let lanes: Vec<_> = s
        .lanes
        .values()
        .filter(|l| l.role != LaneRole::Supervisor)
        .collect();
    let lane_rows = lanes.len().clamp(1, MAX_LANES) as u16;
    let [figures, pool, table, time, rest, legend] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(lane_rows + 1),
        Constraint::Length(lane_rows + 1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(&headline(pane, theme), figures);
    if let Some(state) = s.pool {
        let text = format!("pool: {}", state.as_str());
        frame.render_widget(Line::styled(text, theme.heading), pool);
    }
    let columns = if processes {
        LaneColumns::Processes
    } else {
        LaneColumns::Work
    };
    let table_widget = LaneTable::new(&lanes, s, theme)
        .columns(columns)
        .selected(pane.selected())
        .empty("no lanes yet: Enter runs the example");
    frame.render_widget(&table_widget, table);
    let rows = lanes.iter().take(MAX_LANES).map(|l| (l.name.as_str(), *l));
    let timeline = Timeline::new(rows, s.now_us, theme)
        .title("time-line", true)
        .title_style(theme.dim)
        .style(theme.text);
    // One column is left free at the right, as in the table above.
    let time = Rect {
        width: time.width.saturating_sub(1),
        ..time
    };
    frame.render_widget(&timeline, time);
    below(frame, rest, pane, theme);
    frame.render_widget(&common::lane_legend(theme), legend);
}

/// Elapsed time, jobs ended and the overall rate.
fn headline<'a>(pane: &Pane, theme: &Theme) -> Figures<'a> {
    let c = pane.state.counts;
    Figures::new([
        Figure::new(format!("{:.2} s", pane.elapsed_s()), "elapsed"),
        Figure::new(
            format!("{}/{}", c.finished + c.failed + c.cancelled, c.spawned),
            "jobs ended",
        ),
        Figure::new(si(pane.state.rate.per_sec()), "units/s"),
    ])
    .value_style(theme.big)
    .style(theme.dim)
}

/// Under the time-line: queue and futures, notes, output, past runs.
fn below(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let futures = FuturesList::new(&pane.state, area.width, theme);
    let mut notes = common::warnings(pane, theme, area.width, 2);
    notes.extend(common::outcome_line(pane, theme, area.width));
    let chart = RunsChart::new(&pane.history, theme)
        .title("runs so far (wall time)")
        .columns(16, 30)
        .last(5)
        .min_runs(2)
        .workers_on_baseline(true);
    let used = futures.height() as usize + notes.len() + chart.height() as usize;
    let room = (area.height as usize).saturating_sub(used + 1);
    let output = &pane.state.output;
    if room > 0 && !output.is_empty() {
        notes.push(Line::styled("output", theme.heading));
        let start = output.len().saturating_sub(room - 1);
        let w = area.width as usize;
        notes.extend(
            output[start..]
                .iter()
                .map(|l| Line::styled(truncate(l, w), theme.text)),
        );
    }
    let [f, n, c] = common::stack(area, [futures.height(), notes.len() as u16, chart.height()]);
    frame.render_widget(&futures, f);
    frame.render_widget(ratatui::widgets::Paragraph::new(notes), n);
    frame.render_widget(&chart, c);
}
