//! The locks pane: the wait-for graph (thread → lock → holder, the cycle
//! highlighted once it closes), each thread's turns and waits, the order
//! of the turns, and the time-line where a wait for a lock is `L`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::race::fit;
use super::{common, headline};
use crate::demos::deadlock::graph::WaitFor;
use crate::demos::starve::longest_lock_wait;
use crate::trace::BlockOn;
use crate::trace::fold::{Activity, Lane};
use crate::trace::{Micros, RunState};
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::lane_table::{MAX_LANES, activity_label};
use crate::ui::widgets::timeline::activity_glyph;
use crate::ui::widgets::{Timeline, WaitGraph};

/// Draws the locks pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Large figures on top when the pane has rows to spare.
    let area = headline::big_top(frame, area, &headline::of(pane, theme, None), 22);
    let s = &pane.state;
    let lanes: Vec<&Lane> = s.lanes.values().filter(|l| l.id != 0).collect();
    let n = u16::try_from(lanes.len().clamp(1, MAX_LANES)).unwrap_or(1);
    let graph = WaitFor::from_vars(&s.vars);
    let names: Vec<&str> = lanes.iter().map(|l| l.name.as_str()).collect();
    let wait_graph = WaitGraph::new(&graph, names, theme).past(
        s.vars.get("deadlock").map(String::as_str),
        s.vars.get("deadlock end").map(String::as_str),
    );
    let mut table = vec![Line::styled(
        format!(
            " {:<9} {:<19} {:>5} {:>8} {:>9}",
            "thread", "state", "turns", "waiting", "longest"
        ),
        theme.dim,
    )];
    let selected = pane.selected();
    table.extend(
        lanes
            .iter()
            .take(MAX_LANES)
            .map(|l| row(l, s, theme, selected == Some(l.id))),
    );
    if lanes.is_empty() {
        table.push(Line::styled("Enter starts the threads", theme.dim));
    }
    let turns = s.vars.get("turns").map(|order| {
        let w = area.width as usize;
        Line::from(vec![
            Span::styled("turns in order: ", theme.dim),
            Span::styled(truncate(order, w.saturating_sub(16)), theme.strong),
        ])
    });
    let outcome = common::outcome_line(pane, theme, area.width);
    let table_h = u16::try_from(table.len()).unwrap_or(u16::MAX);
    let turns_h = u16::from(turns.is_some());
    let outcome_h = u16::from(outcome.is_some());
    // The deadlock example is about the graph, the starvation one about
    // the waits: each gets its own block first.
    let starving = pane.request.name() == "starve";
    let [graph_h, table_h, turns_h, outcome_h, time_h, legend_h] = if starving {
        let [t, u, o, g, tl, lg] = fit(
            area.height,
            [table_h, turns_h, outcome_h, wait_graph.height(), n + 1, 1],
        );
        [g, t, u, o, tl, lg]
    } else {
        fit(
            area.height,
            [wait_graph.height(), table_h, turns_h, outcome_h, n + 1, 1],
        )
    };
    // The legend wraps onto a second row when there is one to spare.
    let legend = common::lane_legend_of(s, theme);
    let used = graph_h + table_h + turns_h + outcome_h + time_h + legend_h;
    let legend_h = legend.rows(area.width, legend_h, area.height.saturating_sub(used));
    let [t, u, g, o, tl, lg] = if starving {
        common::stack(
            area,
            [table_h, turns_h, graph_h, outcome_h, time_h, legend_h],
        )
    } else {
        let [g, t, u, o, tl, lg] = common::stack(
            area,
            [graph_h, table_h, turns_h, outcome_h, time_h, legend_h],
        );
        [t, u, g, o, tl, lg]
    };
    frame.render_widget(&wait_graph, g);
    frame.render_widget(Paragraph::new(table), t);
    if let Some(line) = turns {
        frame.render_widget(line, u);
    }
    if let Some(line) = outcome {
        frame.render_widget(line, o);
    }
    let timeline = Timeline::new(
        lanes.iter().take(MAX_LANES).map(|l| (l.name.as_str(), *l)),
        s.now_us,
        theme,
    )
    .title("time-line   L = waiting for a lock", false)
    .title_style(theme.dim)
    .style(theme.text);
    frame.render_widget(&timeline, tl);
    frame.render_widget(&legend, lg);
}

/// `thread-2  waiting: lock a        0   1.20 s    1.20 s`.
fn row(lane: &Lane, s: &RunState, theme: &Theme, selected: bool) -> Line<'static> {
    let state = match &lane.epitaph {
        Some(e) => e.clone(),
        None => activity_label(&lane.activity),
    };
    let (st, _) = activity_glyph(&lane.activity, theme);
    let waiting = match &lane.activity {
        Activity::Blocked(BlockOn::Lock { .. }) => {
            secs(Micros::from_us(s.now_us.saturating_sub(lane.since_us)))
        }
        _ => "-".to_string(),
    };
    let longest = secs(longest_lock_wait(lane, s.now_us));
    Line::from(vec![
        Span::styled(
            format!(
                "{}{:<9} ",
                if selected { "▸" } else { " " },
                truncate(&lane.name, 9)
            ),
            theme.strong,
        ),
        Span::styled(format!("{:<19} ", truncate(&state, 19)), st),
        Span::styled(format!("{:>5} ", lane.done), theme.text),
        Span::styled(format!("{waiting:>8} "), theme.text),
        Span::styled(format!("{longest:>9}"), theme.strong),
    ])
}

fn secs(m: Micros) -> String {
    format!("{:.2} s", m.as_ms_f64() / 1000.0)
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::demos::DemoRequest;
    use crate::trace::{Event, EventKind, LaneRole};
    use crate::ui::render::buffer_text;
    use crate::ui::theme::{Theme, ThemeName};

    fn pane(demo: &str) -> Pane {
        let mut pane = Pane::new(DemoRequest::new(demo).unwrap());
        let mut apply = |t: u64, lane: u32, kind: EventKind| {
            pane.state.apply(&Event {
                t_us: Micros::from_us(t),
                lane,
                kind,
            });
        };
        let set = |k: &str, v: &str| EventKind::State {
            key: k.into(),
            value: v.into(),
        };
        for (lane, mine, other) in [(1, "lock a", "lock b"), (2, "lock b", "lock a")] {
            let name = format!("thread-{lane}");
            let role = LaneRole::Worker;
            apply(
                0,
                lane,
                EventKind::LaneUp {
                    name: name.clone(),
                    pid: None,
                    role,
                },
            );
            let unit = u64::from(lane);
            let label = "job".into();
            apply(0, lane, EventKind::Spawned { unit, label });
            apply(0, lane, EventKind::Started { unit });
            apply(0, lane, set(&format!("holder:{mine}"), &name));
            let on = BlockOn::Lock {
                name: other[5..].into(),
            };
            apply(100_000, lane, EventKind::Blocked { unit, on });
            apply(100_000, lane, set(&format!("wants:{name}"), other));
        }
        apply(1_300_000, 0, set("counter", "0"));
        pane
    }

    fn text(pane: &Pane, w: u16, h: u16) -> String {
        let theme = Theme::new(ThemeName::Dark, false);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| draw(f, f.area(), pane, &theme)).unwrap();
        buffer_text(term.backend().buffer())
    }

    #[test]
    fn a_deadlock_shows_the_cycle_and_each_threads_wait() {
        let text = text(&pane("deadlock"), 76, 14);
        assert!(
            text.contains("DEADLOCK, a cycle: thread-1 → lock b"),
            "{text}"
        );
        assert!(text.contains("thread-1  ──▶ lock b ──▶ thread-2"), "{text}");
        assert!(text.contains("waiting: lock b"), "{text}");
        // Both have waited 1.2 s so far, and that is the longest wait.
        assert_eq!(text.matches("1.20 s").count(), 4, "{text}");
        assert!(text.contains("L = waiting for a lock"), "{text}");
        // Narrow, with rows to spare: the legend wraps onto a second row.
        let text = super::tests::text(&pane("deadlock"), 34, 24);
        let legend: Vec<_> = text
            .lines()
            .skip_while(|l| !l.starts_with("█ running"))
            .collect();
        assert_eq!(
            legend.get(1).map(|l| l.trim_end()),
            Some("L lock"),
            "{text}"
        );
        assert!(!text.contains("more"), "{text}");
    }

    #[test]
    fn the_starvation_pane_puts_the_waits_first() {
        let text = text(&pane("starve"), 76, 6);
        assert!(text.contains("longest"), "{text}");
        assert!(
            !text.contains("wait-for graph"),
            "no room left for it: {text}"
        );
    }
}
