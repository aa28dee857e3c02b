//! The wait-for graph: one row per thread, `thread-1 ──▶ lock b ──▶
//! thread-2` when it waits for a lock another thread holds, and the cycle,
//! once it closes, drawn in the alarm colour with a line that names it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::demos::deadlock::graph::{WaitFor, cycle_text};
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// The graph of `threads` (in display order) as `graph` has it.
#[derive(Debug, Clone)]
pub struct WaitGraph<'a> {
    graph: &'a WaitFor,
    threads: Vec<&'a str>,
    /// A deadlock seen earlier in the run, and how it ended, when the
    /// cycle is no longer there.
    past: Option<(&'a str, Option<&'a str>)>,
    theme: &'a Theme,
}

impl<'a> WaitGraph<'a> {
    /// The rows of `threads` in `graph`.
    pub fn new(
        graph: &'a WaitFor,
        threads: impl IntoIterator<Item = &'a str>,
        theme: &'a Theme,
    ) -> WaitGraph<'a> {
        WaitGraph {
            graph,
            threads: threads.into_iter().collect(),
            past: None,
            theme,
        }
    }

    /// A cycle that closed earlier (`cycle` as text) and what ended it.
    pub fn past(mut self, cycle: Option<&'a str>, end: Option<&'a str>) -> Self {
        self.past = cycle.map(|c| (c, end));
        self
    }

    /// Rows the widget draws: a title, a row per thread, the verdict.
    pub fn height(&self) -> u16 {
        u16::try_from(self.threads.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2)
    }

    fn row(&self, thread: &str, cycle: &[String]) -> Line<'static> {
        let t = self.theme;
        let on_cycle = cycle.iter().any(|n| n == thread);
        let alarm = t.error.add_modifier(Modifier::BOLD);
        let name_style = if on_cycle { alarm } else { t.strong };
        let mut spans = vec![Span::styled(format!("{thread:<9}"), name_style)];
        let held = self.graph.held_by(thread);
        let holds = if held.is_empty() {
            "holds nothing".to_string()
        } else {
            format!("holds {}", held.join(", "))
        };
        match self.graph.wants.get(thread) {
            Some(lock) => {
                let edge: Style = if on_cycle { alarm } else { t.blocked_lock };
                let holder = self.graph.holder(lock).unwrap_or("nobody");
                spans.push(Span::styled(" ──▶ ", edge));
                spans.push(Span::styled(lock.clone(), edge));
                spans.push(Span::styled(" ──▶ ", edge));
                spans.push(Span::styled(format!("{holder:<9}"), name_style));
                spans.push(Span::styled(format!("  {holds}"), t.dim));
            }
            None => spans.push(Span::styled(format!(" {holds}, waits for nothing"), t.dim)),
        }
        Line::from(spans)
    }
}

impl Widget for &WaitGraph<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let w = area.width as usize;
        let cycle = self.graph.cycle().unwrap_or_default();
        let mut lines = vec![Line::styled(
            truncate("wait-for graph (thread ──▶ lock ──▶ holder)", w),
            t.heading,
        )];
        lines.extend(self.threads.iter().map(|th| self.row(th, &cycle)));
        let verdict = if !cycle.is_empty() {
            Line::styled(
                truncate(&format!("DEADLOCK, a cycle: {}", cycle_text(&cycle)), w),
                t.error.add_modifier(Modifier::BOLD),
            )
        } else if let Some((past, end)) = self.past {
            let end = end.map(|e| format!("; {e}")).unwrap_or_default();
            Line::styled(truncate(&format!("deadlocked: {past}{end}"), w), t.error)
        } else if self.graph.wants.is_empty() {
            Line::styled("no thread waits", t.dim)
        } else {
            Line::styled("no cycle: every wait can end", t.ok)
        };
        lines.push(verdict);
        super::render_lines(&lines, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::ui::widgets::testing::{styled, text_of, theme};

    fn graph(pairs: &[(&str, &str)]) -> WaitFor {
        let vars: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect();
        WaitFor::from_vars(&vars)
    }

    #[test]
    fn a_closed_cycle_is_drawn_and_named_in_the_alarm_colour() {
        let theme = theme();
        let g = graph(&[
            ("holder:lock a", "thread-1"),
            ("holder:lock b", "thread-2"),
            ("wants:thread-1", "lock b"),
            ("wants:thread-2", "lock a"),
        ]);
        let w = WaitGraph::new(&g, ["thread-1", "thread-2"], &theme);
        assert_eq!(w.height(), 4);
        assert_eq!(
            text_of(&w, 50, 4),
            Buffer::with_lines([
                "wait-for graph (thread ──▶ lock ──▶ holder)       ",
                "thread-1  ──▶ lock b ──▶ thread-2   holds lock a  ",
                "thread-2  ──▶ lock a ──▶ thread-1   holds lock b  ",
                "DEADLOCK, a cycle: thread-1 → lock b → thread-2 →…",
            ])
        );
        let buf = styled(&w, 50, 4);
        assert_eq!(Some(buf[(14, 1)].fg), theme.error.fg, "the edge is red");
    }

    #[test]
    fn a_wait_on_a_running_thread_is_no_cycle() {
        let theme = theme();
        let g = graph(&[("holder:lock a", "thread-1"), ("wants:thread-2", "lock a")]);
        let w = WaitGraph::new(&g, ["thread-1", "thread-2"], &theme);
        assert_eq!(
            text_of(&w, 50, 4),
            Buffer::with_lines([
                "wait-for graph (thread ──▶ lock ──▶ holder)       ",
                "thread-1  holds lock a, waits for nothing         ",
                "thread-2  ──▶ lock a ──▶ thread-1   holds nothing ",
                "no cycle: every wait can end                      ",
            ])
        );
        let buf = styled(&w, 50, 4);
        assert_eq!(Some(buf[(14, 2)].fg), theme.blocked_lock.fg);
    }

    #[test]
    fn a_past_deadlock_is_remembered_once_the_cycle_is_gone() {
        let theme = theme();
        let g = WaitFor::default();
        let w = WaitGraph::new(&g, ["thread-1"], &theme)
            .past(Some("t1 → a → t2 → b → t1"), Some("gave up"));
        let buf = text_of(&w, 40, 3);
        let last: String = (0..40).map(|x| buf[(x, 2)].symbol()).collect();
        assert_eq!(last.trim_end(), "deadlocked: t1 → a → t2 → b → t1; gave …");
    }
}
