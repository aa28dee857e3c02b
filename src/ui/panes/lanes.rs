//! The general pane: lanes with their state, a time-line, the queue, the
//! futures (results and held exceptions), output and past runs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::common;
use crate::trace::LaneRole;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::lane_table::MAX_LANES;
use crate::ui::widgets::{
    FuturesList, Headed, Headline, LaneColumns, LaneTable, RunsChart, Timeline,
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
    let n = lanes.len().clamp(1, MAX_LANES) as u16;
    let pool_h = u16::from(s.pool.is_some());
    let rest_want = below_height(pane, area.width, theme, false);
    // Table and time-line one above the other when there is room for them
    // and what goes below; else side by side on the same rows, so that the
    // output and the futures stay in view.
    // (`<`: a row is left for the legend.)
    // The headline in large type only when all the rest fits as well.
    let head = headline(pane, theme);
    let spare = area
        .height
        .saturating_sub(1 + pool_h + 2 * (n + 1) + rest_want + 1);
    let head_h = head.rows(area.width, spare);
    let stacked = head_h + pool_h + 2 * (n + 1) + rest_want < area.height;
    let lane_block = if stacked { 2 * (n + 1) } else { n + 1 };
    // The legend wraps onto a second row when there is one to spare.
    let legend_w = common::lane_legend_of(&pane.state, theme);
    let used = head_h + pool_h + lane_block + rest_want;
    let legend_h = if used + 2 <= area.height {
        legend_w.height(area.width).clamp(1, 2)
    } else {
        u16::from(used < area.height)
    };
    let room = area.height.saturating_sub(head_h + pool_h + legend_h);
    // Lanes give way only to the least of what goes below: the futures'
    // tally, the outcome and two lines of output.
    let rest_least = below_height(pane, area.width, theme, true);
    let lane_block = lane_block.min(room.saturating_sub(rest_least).max(2));
    let [figures, pool, block, rest, legend] = common::stack(
        area,
        [
            head_h,
            pool_h,
            lane_block,
            room.saturating_sub(lane_block),
            legend_h,
        ],
    );
    frame.render_widget(&head, figures);
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
        .rate(rate_unit(pane))
        .selected(pane.selected())
        .empty("no lanes yet: Enter runs the example");
    let (table, time) = if stacked {
        let [t, l] = common::stack(block, [block.height / 2, block.height - block.height / 2]);
        (t, l)
    } else {
        // The time-lines take the place of the "working on" column.
        let (dx, w) = table_widget.unit_column(block.width).unwrap_or((0, 0));
        let time = Rect {
            x: block.x + dx,
            width: w + 1,
            ..block
        };
        (block, time)
    };
    let shown = lanes
        .len()
        .min(table.height.saturating_sub(1) as usize)
        .min(MAX_LANES);
    frame.render_widget(&table_widget, table);
    frame.render_widget(ratatui::widgets::Clear, time);
    let rows = lanes.iter().take(shown).map(|l| (l.name.as_str(), *l));
    let timeline = Timeline::new(rows, pane.now_us(), theme)
        .label_width(if stacked { 12 } else { 0 })
        .title(if stacked { "time-line" } else { "" }, true)
        .selected(pane.selected())
        .title_style(theme.dim)
        .style(theme.text);
    // One column is left free at the right, as in the table above.
    let time = Rect {
        width: time.width.saturating_sub(1),
        ..time
    };
    frame.render_widget(&timeline, time);
    if shown < lanes.len() && shown > 0 {
        // On the header row, where the time-line's axis is.
        let hidden = lanes.len() - shown;
        // Between the axis's labels: `0 s ` on the left, up to ` 10.2 s `
        // on the right.
        let (left, right) = (4, 8);
        let room = time.width.saturating_sub(left + right) as usize;
        let note = [
            format!(
                "{hidden} lane{} hidden: f shows all",
                if hidden == 1 { "" } else { "s" }
            ),
            format!("{hidden} hidden: f shows all"),
            format!("{hidden} hidden (f: all)"),
            format!("+{hidden}: f"),
        ]
        .into_iter()
        .find(|n| n.chars().count() <= room)
        .unwrap_or_default();
        let width = note.chars().count() as u16;
        let x = time.x + left + (time.width.saturating_sub(left + right + width)) / 2;
        let y = if stacked { table.y } else { time.y };
        let at = Rect {
            x,
            y,
            width,
            height: 1,
        };
        frame.render_widget(ratatui::widgets::Clear, at);
        frame.render_widget(
            Line::styled(truncate(&note, width as usize), theme.warning),
            at,
        );
    }
    below(frame, rest, pane, theme);
    frame.render_widget(&legend_w, legend);
}

/// Elapsed time, jobs ended and, for work that reports progress, its rate.
fn headline(pane: &Pane, theme: &Theme) -> Headline {
    let c = pane.state.counts;
    let mut figures = vec![Headed::elapsed(pane.elapsed_s())];
    // No `0/0` before a run: the count once there are jobs.
    if c.spawned > 0 {
        figures.push(Headed::ended(
            c.finished + c.failed + c.cancelled,
            c.spawned,
        ));
    }
    if let Some(unit) = rate_unit(pane) {
        figures.push(Headed::rate(pane.state.rate.per_sec(), unit));
    }
    Headline::new(figures)
        .value_style(theme.big)
        .style(theme.dim)
}

/// The unit of the rate, for work that reports one: hashes. Sleeps and
/// waits report none, and jobs or rounds a second are no figure of
/// theirs: no rate for them (no `0 units/s`).
fn rate_unit(pane: &Pane) -> Option<&'static str> {
    (pane.state.done > 0 && pane.request.knob("hashes").is_some()).then_some("hashes/s")
}

/// Rows that what goes below the lanes would like: the futures, notes,
/// the chart and up to four lines of output; with `least`, the fewest it
/// makes do with (no failed future listed by name, two lines of output).
fn below_height(pane: &Pane, width: u16, theme: &Theme, least: bool) -> u16 {
    let futures = FuturesList::new(&pane.state, width, theme);
    let futures = if least { futures.fit(0) } else { futures }.height();
    let notes = pane.state.warnings.len().min(2) + usize::from(pane.outcome.is_some());
    let output = match (pane.state.output.len(), least) {
        (0, _) => 0,
        (n, true) => n.min(2),
        (n, false) => 1 + n.min(4),
    };
    futures + (notes + output) as u16 + chart(pane, theme).height()
}

/// The chart of past runs, once there are two.
fn chart<'a>(pane: &'a Pane, theme: &'a Theme) -> RunsChart<'a> {
    RunsChart::new(&pane.history, theme)
        .title("runs so far (wall time)")
        .columns(16, 30)
        .last(5)
        .min_runs(2)
        .workers_on_baseline(true)
}

/// Under the time-line: queue and futures, notes, output, past runs.
fn below(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let mut notes = common::warnings(pane, theme, area.width, 2);
    notes.extend(common::outcome_line(pane, theme, area.width));
    let chart = chart(pane, theme);
    // Failed futures listed by name give way to two lines of output.
    let output_min = pane.state.output.len().min(3);
    let fit =
        (area.height as usize).saturating_sub(notes.len() + chart.height() as usize + output_min);
    let futures = FuturesList::new(&pane.state, area.width, theme).fit(fit as u16);
    let used = futures.height() as usize + notes.len() + chart.height() as usize;
    let room = (area.height as usize).saturating_sub(used);
    let output = &pane.state.output;
    // The heading only where it costs no line of output that fits.
    if room >= 1 && !output.is_empty() {
        let heading = room > output.len() || room >= 5;
        if heading {
            notes.push(Line::styled("output", theme.heading));
        }
        let start = output.len().saturating_sub(room - usize::from(heading));
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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::demos::DemoRequest;
    use crate::trace::{Event, EventKind, Micros};
    use crate::ui::render::buffer_text;
    use crate::ui::theme::ThemeName;

    /// Six threads that slept 10.2 s, with or without a rate.
    fn pane(demo: &str, hashes: u64) -> Pane {
        let mut pane = Pane::new(DemoRequest::new(demo).unwrap());
        let mut apply = |t: u64, lane: u32, kind: EventKind| {
            pane.state.apply(&Event {
                t_us: Micros::from_us(t),
                lane,
                kind,
            });
        };
        for lane in 1..=6 {
            let (name, role) = (format!("Thread-{lane}"), LaneRole::Worker);
            apply(
                0,
                lane,
                EventKind::LaneUp {
                    name,
                    pid: None,
                    role,
                },
            );
            let unit = u64::from(lane);
            let label = format!("job {lane}");
            apply(0, lane, EventKind::Spawned { unit, label });
            apply(0, lane, EventKind::Started { unit });
            if hashes > 0 {
                apply(5_000_000, lane, EventKind::Progress { unit, done: hashes });
            }
        }
        apply(
            10_200_000,
            1,
            EventKind::Output {
                text: "done".into(),
            },
        );
        pane
    }

    fn text(pane: &Pane, w: u16, h: u16) -> String {
        let theme = Theme::new(ThemeName::Dark, false);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| draw(f, f.area(), pane, &theme)).unwrap();
        buffer_text(term.backend().buffer())
    }

    #[test]
    fn sleeping_threads_get_no_rate_and_the_hidden_note_spares_the_axis() {
        let text = text(&pane("thread-order", 0), 78, 10);
        assert!(
            !text.contains("rate/s") && !text.contains("units/s"),
            "{text}"
        );
        let header = text
            .lines()
            .find(|l| l.starts_with("lane"))
            .unwrap_or_default();
        assert!(header.contains("hidden (f: all)"), "{header}");
        let end = header.split("(f: all)").nth(1).unwrap_or_default();
        assert!(end.trim_start().starts_with("10.2 s"), "{header}");
    }

    #[test]
    fn hashing_threads_get_a_rate_in_hashes_a_second() {
        let text = text(&pane("three-ways", 1_000_000), 78, 20);
        let header = text
            .lines()
            .find(|l| l.starts_with("lane"))
            .unwrap_or_default();
        assert!(header.contains("hashes/s   busy"), "{text}");
        assert!(text.contains("hashes/s"), "{text}");
    }
}
