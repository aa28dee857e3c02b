//! The event loop's task table, in the manner of tokio-console: id, task,
//! state, polls, busy and idle time.

use std::cmp::Reverse;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::futures::status_style;
use crate::trace::fold::{Status, Unit};
use crate::trace::{LaneId, RunState};
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// A header and one row per task: live ones first, then the latest ended.
#[derive(Debug, Clone)]
pub struct TaskTable<'a> {
    state: &'a RunState,
    selected: Option<LaneId>,
    theme: &'a Theme,
    style: Style,
}

impl<'a> TaskTable<'a> {
    /// The tasks of `state` in `theme`'s colours.
    pub fn new(state: &'a RunState, theme: &'a Theme) -> TaskTable<'a> {
        TaskTable {
            state,
            selected: None,
            theme,
            style: theme.text,
        }
    }

    /// Marks the task on the selected lane (each task has its own) with
    /// `▸` and draws its name in the theme's selection style.
    pub fn selected(mut self, lane: Option<LaneId>) -> Self {
        self.selected = lane;
        self
    }

    /// The selected lane when it holds one task only, as an event loop's
    /// task lanes do (a lane that ran many jobs marks none of them).
    fn selected_task_lane(&self) -> Option<LaneId> {
        let lane = self.selected?;
        let mut on_it = self.state.units.iter().filter(|u| u.lane == Some(lane));
        (on_it.next().is_some() && on_it.next().is_none()).then_some(lane)
    }

    /// Sets the style of the task names.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// The `room` tasks to list: alive first, then the most recently ended.
    fn order(&self, room: usize) -> Vec<&'a Unit> {
        let units = &self.state.units;
        let mut order: Vec<_> = units
            .iter()
            .filter(|u| !u.status.is_done())
            .take(room)
            .collect();
        if order.len() < room {
            let mut ended: Vec<_> = units.iter().filter(|u| u.status.is_done()).collect();
            let want = (room - order.len()).min(ended.len());
            let key = |u: &&Unit| (Reverse(u.ended_us.unwrap_or(0)), u.id);
            if want > 0 && want < ended.len() {
                ended.select_nth_unstable_by_key(want - 1, key);
            }
            ended.truncate(want);
            ended.sort_by_key(key);
            order.extend(ended);
        }
        order
    }

    /// Widths of the task and state columns in a table `width` wide: the
    /// figures on the right (polls, busy, idle) are never cut; the state,
    /// then the task name, give way first.
    fn widths(width: usize) -> (usize, usize) {
        // id, the spaces and the figures (idle only in a wide table).
        let fixed = 5 + 1 + 1 + 6 + 9 + if Self::has_idle(width) { 8 } else { 0 };
        let room = width.saturating_sub(fixed);
        let state = room.saturating_sub(14).clamp(8, 22);
        let task = room.saturating_sub(state).clamp(6, 14);
        (task, state)
    }

    /// Narrower than this, the idle column gives its room to the state:
    /// `waiting: queue data` matters more than a second time.
    fn has_idle(width: usize) -> bool {
        width >= 66
    }

    fn row(&self, u: &Unit, width: usize) -> Line<'_> {
        let (t, now) = (self.theme, self.state.now_us);
        // On an event loop a queued task is simply ready to be polled.
        let (st, state) = match u.status {
            Status::Queued | Status::Spawned => (t.ready, "ready".to_string()),
            ref other => status_style(other, t),
        };
        let life = u.ended_us.unwrap_or(now).saturating_sub(u.spawned_us);
        let open = if u.status == Status::Running {
            now.saturating_sub(u.since_us)
        } else {
            0
        };
        let busy = u.busy_us + open;
        let (tw, sw) = Self::widths(width);
        let chosen = u.lane.is_some() && u.lane == self.selected_task_lane();
        let (mark, name_style) = if chosen {
            ("▸", t.selected)
        } else {
            (" ", self.style)
        };
        let mut spans = vec![
            Span::styled(format!("{:<4}", u.id), t.dim),
            Span::styled(mark, name_style),
            Span::styled(format!("{:<tw$}", truncate(&u.label, tw)), name_style),
            Span::styled(" ", self.style),
            Span::styled(format!("{:<sw$} ", truncate(&state, sw)), st),
            Span::styled(format!("{:>5} ", u.polls), t.strong),
            Span::styled(format!("{:>8}", ms(busy)), t.running),
        ];
        if Self::has_idle(width) {
            let idle = ms(life.saturating_sub(busy));
            spans.push(Span::styled(format!(" {idle:>8}"), t.dim));
        }
        Line::from(spans)
    }
}

impl Widget for &TaskTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width as usize;
        let (tw, sw) = TaskTable::widths(width);
        let mut header = format!(
            "{:<4} {:<tw$} {:<sw$} {:>5} {:>8}",
            "id", "task", "state", "polls", "busy"
        );
        if TaskTable::has_idle(width) {
            header.push_str(&format!(" {:>8}", "idle"));
        }
        let mut lines = vec![Line::from(Span::styled(header, self.theme.dim))];
        let room = area.height.saturating_sub(1) as usize;
        let total = self.state.units.len();
        let order = self.order(room);
        let listed = if total > room {
            room.saturating_sub(1)
        } else {
            room
        };
        lines.extend(order.iter().take(listed).map(|u| self.row(u, width)));
        if total > room && room > 0 {
            lines.push(Line::from(Span::styled(
                format!("… {} more tasks", total - (room - 1)),
                self.theme.dim,
            )));
        }
        super::render_lines(&lines, area, buf);
    }
}

/// A duration for the table: `12.5ms`, `1.25s`, `12s`.
fn ms(us: u64) -> String {
    if us >= 10_000_000 {
        format!("{:.0}s", us as f64 / 1e6)
    } else if us >= 1_000_000 {
        format!("{:.2}s", us as f64 / 1e6)
    } else {
        format!("{:.1}ms", us as f64 / 1e3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind};
    use crate::ui::widgets::testing::{styled, text_of, theme};

    fn state(tasks: u64) -> RunState {
        let mut s = RunState::new();
        let mut t = 0;
        let mut ev = |kind| {
            t += 1_000;
            s.apply(&Event {
                t_us: crate::trace::Micros::from_us(t),
                lane: 0,
                kind,
            })
        };
        for unit in 1..=tasks {
            ev(EventKind::Spawned {
                unit,
                label: format!("task-{unit}"),
            });
        }
        ev(EventKind::Started { unit: 1 });
        ev(EventKind::Finished {
            unit: 1,
            value: "1".into(),
        });
        ev(EventKind::Started { unit: 2 });
        s
    }

    #[test]
    fn alive_tasks_first_then_the_ended() {
        let (s, theme) = (state(2), theme());
        assert_eq!(
            text_of(&TaskTable::new(&s, &theme), 66, 3),
            Buffer::with_lines([
                "id   task           state                  polls     busy     idle",
                "2    task-2         running                    1    0.0ms    3.0ms",
                "1    task-1         = 1                        1    1.0ms    2.0ms",
            ])
        );
    }

    #[test]
    fn the_task_on_the_selected_lane_is_marked() {
        // As on an event loop: every task on a lane of its own.
        let mut s = RunState::new();
        for (t, lane, kind) in [
            (
                1,
                1,
                EventKind::Spawned {
                    unit: 1,
                    label: "task-1".into(),
                },
            ),
            (
                2,
                2,
                EventKind::Spawned {
                    unit: 2,
                    label: "task-2".into(),
                },
            ),
            (3, 1, EventKind::Started { unit: 1 }),
            (
                4,
                1,
                EventKind::Finished {
                    unit: 1,
                    value: "1".into(),
                },
            ),
            (5, 2, EventKind::Started { unit: 2 }),
        ] {
            s.apply(&Event {
                t_us: crate::trace::Micros::from_us(t * 1000),
                lane,
                kind,
            });
        }
        let theme = theme();
        let table = TaskTable::new(&s, &theme).selected(Some(2));
        let buf = text_of(&table, 66, 3);
        let text = crate::ui::render::buffer_text(&buf);
        assert!(
            text.lines()
                .nth(1)
                .unwrap_or_default()
                .starts_with("2   ▸task-2"),
            "{text}"
        );
        assert!(
            text.lines()
                .nth(2)
                .unwrap_or_default()
                .starts_with("1    task-1"),
            "{text}"
        );
        assert_eq!(
            styled(&table, 66, 3)[(5, 1)].bg,
            theme.selected.bg.unwrap_or_default()
        );
    }

    #[test]
    fn a_narrow_table_keeps_its_figures_whole() {
        let (s, theme) = (state(2), theme());
        let buf = text_of(&TaskTable::new(&s, &theme), 50, 3);
        let text = crate::ui::render::buffer_text(&buf);
        let header = text.lines().next().unwrap_or_default();
        // Narrow: the idle column gives its room to the state.
        assert!(header.trim_end().ends_with("busy"), "{header}");
        assert!(
            text.lines()
                .nth(1)
                .unwrap_or_default()
                .trim_end()
                .ends_with("ms"),
            "{text}"
        );
        let wide = text_of(&TaskTable::new(&s, &theme), 66, 3);
        let text = crate::ui::render::buffer_text(&wide);
        let header = text.lines().next().unwrap_or_default();
        assert!(header.trim_end().ends_with("idle"), "{header}");
        assert!(
            text.lines()
                .nth(1)
                .unwrap_or_default()
                .trim_end()
                .ends_with("3.0ms"),
            "{text}"
        );
    }

    #[test]
    fn more_tasks_than_rows_end_with_a_count() {
        let (s, theme) = (state(5), theme());
        let buf = text_of(&TaskTable::new(&s, &theme), 66, 3);
        assert_eq!(buf[(0, 2)].symbol(), "…");
        assert_eq!(
            crate::ui::render::buffer_text(&buf).lines().nth(2),
            Some("… 4 more tasks")
        );
    }
}
