//! The lane table: one row per thread, task lane or worker process, with
//! its state, what it works on and its figures.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::si;
use super::timeline::activity_glyph;
use crate::trace::fold::{Activity, Lane};
use crate::trace::{LaneId, LaneRole, RunState};
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// Which figures follow a lane's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneColumns {
    /// What it works on, its rate (when the work reports one, see
    /// [`LaneTable::rate`]) and how busy it was.
    Work,
    /// Worker processes: PID, task, CPU time and messages each way.
    Processes,
    /// Its rate, as a number and as a bar against the fastest lane.
    Rates,
}

/// At most this many lanes are listed.
pub const MAX_LANES: usize = 16;

/// A header and a row per lane.
#[derive(Debug, Clone)]
pub struct LaneTable<'a> {
    lanes: &'a [&'a Lane],
    state: &'a RunState,
    columns: LaneColumns,
    selected: Option<LaneId>,
    rate_unit: Option<&'a str>,
    empty: &'a str,
    theme: &'a Theme,
    style: Style,
}

impl<'a> LaneTable<'a> {
    /// A table of `lanes` (read with the rest of `state`) in `theme`'s colours.
    pub fn new(lanes: &'a [&'a Lane], state: &'a RunState, theme: &'a Theme) -> LaneTable<'a> {
        LaneTable {
            lanes,
            state,
            columns: LaneColumns::Work,
            selected: None,
            rate_unit: None,
            empty: "",
            theme,
            style: theme.text,
        }
    }

    /// Chooses the figures shown.
    pub fn columns(mut self, c: LaneColumns) -> Self {
        self.columns = c;
        self
    }

    /// Marks the selected lane with `▸` and draws its name in the theme's
    /// selection style (reversed under `NO_COLOR`).
    pub fn selected(mut self, lane: Option<LaneId>) -> Self {
        self.selected = lane;
        self
    }

    /// The `Work` columns' rate, headed by its unit (`hashes/s`). Without
    /// one there is no rate column: sleeps and waits report no rate, and
    /// `0` of nameless units a second would say nothing.
    pub fn rate(mut self, unit: Option<&'a str>) -> Self {
        self.rate_unit = unit;
        self
    }

    /// What the table says while there is no lane yet.
    pub fn empty(mut self, text: &'a str) -> Self {
        self.empty = text;
        self
    }

    /// Sets the style of names and units.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Where the "working on" (or "task") column sits in a table `width`
    /// wide: its offset from the left and its width; `None` in the `Rates`
    /// columns. A pane short of rows draws the lanes' time-lines there.
    pub fn unit_column(&self, width: u16) -> Option<(u16, u16)> {
        let uw = self.unit_width(width as usize) as u16;
        (self.columns != LaneColumns::Rates)
            .then_some((12 + 1 + 18 + 1, uw.min(width.saturating_sub(32))))
    }

    /// Whether the `Work` columns include the rate.
    fn has_rate(&self) -> bool {
        self.columns == LaneColumns::Work && self.rate_unit.is_some()
    }

    fn unit_width(&self, width: usize) -> usize {
        // The process columns (cpu s, msgs) take the rate's room.
        let no_rate = self.columns == LaneColumns::Work && !self.has_rate();
        let rate = if no_rate { 0 } else { 10 + 1 };
        width
            .saturating_sub(12 + 1 + 18 + 1 + 1 + rate + 6 + 1)
            .clamp(4, 30)
    }

    /// A lane's name as the table draws it: with its process id, which
    /// the `Processes` columns draw in place of `worker-`.
    fn name(&self, lane: &Lane) -> String {
        match lane.pid {
            Some(pid) if lane.role == LaneRole::Process && self.columns != LaneColumns::Rates => {
                format!("{} {pid}", lane.name.trim_start_matches("worker-"))
            }
            Some(pid) => format!("{} {pid}", lane.name),
            None => lane.name.clone(),
        }
    }

    /// Columns of the `Rates` table's lane column, mark included: wide
    /// enough for the longest name (process ids are never cut).
    fn rates_name_width(&self) -> usize {
        self.lanes
            .iter()
            .map(|l| self.name(l).chars().count() + 2)
            .max()
            .unwrap_or(0)
            .clamp(13, 24)
    }

    /// The `▸` mark and the style of a lane's name.
    fn mark(&self, lane: &Lane) -> (&'static str, Style) {
        if Some(lane.id) == self.selected {
            ("▸", self.theme.selected)
        } else {
            (" ", self.style)
        }
    }

    fn header(&self, width: usize) -> String {
        let uw = self.unit_width(width);
        // Cut to its column, so the figures' headings stay over them.
        let unit = |h: &str| truncate(h, uw);
        match (self.columns, self.rate_unit) {
            (LaneColumns::Work, Some(rate)) => format!(
                "{:<12} {:<18} {:<uw$} {:>10} {:>6}",
                "lane",
                "state",
                unit("working on"),
                truncate(rate, 10),
                "busy"
            ),
            (LaneColumns::Work, None) => format!(
                "{:<12} {:<18} {:<uw$} {:>6}",
                "lane",
                "state",
                unit("working on"),
                "busy"
            ),
            (LaneColumns::Processes, _) => format!(
                "{:<12} {:<18} {:<uw$} {:>7} {:>9}",
                "process pid",
                "state",
                unit("task"),
                "cpu s",
                "msgs ⇄"
            ),
            (LaneColumns::Rates, _) => {
                let nw = self.rates_name_width();
                format!("{:<nw$}{:<12} {:>10}  rate", "lane", "state", "hashes/s")
            }
        }
    }

    fn row(&self, lane: &Lane, width: usize, max_rate: f64) -> Line<'_> {
        let t = self.theme;
        let (st, _) = activity_glyph(&lane.activity, t);
        let label = match &lane.epitaph {
            Some(e) if self.columns != LaneColumns::Rates => {
                e.split(" (").next().unwrap_or(e).to_string()
            }
            _ => activity_label(&lane.activity),
        };
        let (mark, name_style) = self.mark(lane);
        if self.columns == LaneColumns::Rates {
            let r = lane.rate.per_sec();
            let nw = self.rates_name_width();
            let bar = ((r / max_rate) * width.saturating_sub(nw + 25) as f64).round() as usize;
            let name = truncate(&self.name(lane), nw - 2);
            return Line::from(vec![
                Span::styled(format!("{mark}{name:<w$}", w = nw - 2), name_style),
                Span::styled(" ", self.style),
                Span::styled(format!("{:<12} ", truncate(&label, 12)), st),
                Span::styled(format!("{:>10}  ", si(r)), t.strong),
                Span::styled("█".repeat(bar), st),
            ]);
        }
        let uw = self.unit_width(width);
        let unit = lane
            .unit
            .and_then(|u| self.state.unit(u))
            .map(|u| u.label.as_str())
            .unwrap_or_default();
        let name = self.name(lane);
        let mut spans = vec![
            Span::styled(format!("{mark}{:<11}", truncate(&name, 11)), name_style),
            Span::styled(" ", self.style),
            Span::styled(format!("{:<18} ", truncate(&label, 18)), st),
            Span::styled(format!("{:<uw$} ", truncate(unit, uw)), self.style),
        ];
        if lane.role == LaneRole::Process {
            let cpu = lane.cpu_us.unwrap_or(0) as f64 / 1e6;
            spans.push(Span::styled(format!("{cpu:>7.2} "), t.strong));
            spans.push(Span::styled(
                format!("{:>4}/{:<4}", lane.jobs_in, lane.reports),
                t.dim,
            ));
        } else if self.columns == LaneColumns::Work {
            let wall = self.state.now_us.max(1);
            let busy = self.state.lane_busy_us(lane) as f64 * 100.0 / wall as f64;
            if self.has_rate() {
                spans.push(Span::styled(
                    format!("{:>10} ", si(lane.rate.per_sec())),
                    t.strong,
                ));
            }
            spans.push(Span::styled(format!("{busy:>5.0}%"), t.dim));
        }
        Line::from(spans)
    }
}

impl Widget for &LaneTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = area.width as usize;
        let mut lines = vec![Line::from(Span::styled(self.header(width), self.theme.dim))];
        let max_rate = self
            .lanes
            .iter()
            .map(|l| l.rate.per_sec())
            .fold(1.0, f64::max);
        let room = MAX_LANES.min(area.height.saturating_sub(1) as usize);
        lines.extend(
            self.lanes
                .iter()
                .take(room)
                .map(|l| self.row(l, width, max_rate)),
        );
        if self.lanes.is_empty() {
            lines.push(Line::from(Span::styled(self.empty, self.theme.dim)));
        }
        super::render_lines(&lines, area, buf);
    }
}

/// What a lane is doing, in words.
pub fn activity_label(a: &Activity) -> String {
    match a {
        Activity::Idle => "idle".into(),
        Activity::Running => "running".into(),
        Activity::Blocked(on) => format!("waiting: {}", on.label()),
        Activity::Down => "gone".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind};
    use crate::ui::widgets::testing::{styled, text_of, theme};

    fn state(role: LaneRole, pid: Option<u32>) -> RunState {
        let mut s = RunState::new();
        let mut ev = |t: u64, kind| {
            s.apply(&Event {
                t_us: crate::trace::Micros::from_us(t),
                lane: 1,
                kind,
            })
        };
        let name = "worker-1".to_string();
        ev(0, EventKind::LaneUp { name, pid, role });
        let label = "job 7".to_string();
        ev(0, EventKind::Spawned { unit: 7, label });
        ev(250_000, EventKind::Started { unit: 7 });
        ev(1_000_000, EventKind::Progress { unit: 7, done: 10 });
        ev(1_500_000, EventKind::Progress { unit: 7, done: 20 });
        s
    }

    #[test]
    fn threads_show_unit_rate_and_busy_share() {
        let (s, theme) = (state(LaneRole::Worker, None), theme());
        let lanes: Vec<_> = s.lanes.values().collect();
        let table = LaneTable::new(&lanes, &s, &theme)
            .selected(Some(1))
            .rate(Some("hashes/s"));
        assert_eq!(
            text_of(&table, 68, 3),
            Buffer::with_lines([
                "lane         state              working on          hashes/s   busy ",
                "▸worker-1    running            job 7                     20    83% ",
                "                                                                    ",
            ])
        );
        assert_eq!(Some(styled(&table, 68, 2)[(14, 1)].fg), theme.running.fg);
    }

    #[test]
    fn no_rate_column_for_work_that_reports_none() {
        let (s, theme) = (state(LaneRole::Worker, None), theme());
        let lanes: Vec<_> = s.lanes.values().collect();
        let table = LaneTable::new(&lanes, &s, &theme);
        assert_eq!(
            text_of(&table, 68, 2),
            Buffer::with_lines([
                "lane         state              working on                     busy ",
                " worker-1    running            job 7                           83% ",
            ])
        );
        // Narrow: the heading is cut to its column, `busy` stays over the figures.
        let text = crate::ui::render::buffer_text(&text_of(&table, 44, 2));
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(
            lines[0].trim_end(),
            "lane         state              wor…   busy"
        );
        assert_eq!(
            lines[1].trim_end(),
            " worker-1    running            job…    83%"
        );
    }

    #[test]
    fn processes_show_pid_cpu_and_messages() {
        let (s, theme) = (state(LaneRole::Process, Some(4001)), theme());
        let lanes: Vec<_> = s.lanes.values().collect();
        let table = LaneTable::new(&lanes, &s, &theme).columns(LaneColumns::Processes);
        assert_eq!(
            text_of(&table, 56, 2),
            Buffer::with_lines([
                "process pid  state              task    cpu s    msgs ⇄ ",
                " 1 4001      running            job 7    0.00    1/3    ",
            ])
        );
    }

    #[test]
    fn rates_never_cut_a_process_id() {
        let (s, theme) = (state(LaneRole::Process, Some(3_214_567)), theme());
        let lanes: Vec<_> = s.lanes.values().collect();
        let table = LaneTable::new(&lanes, &s, &theme).columns(LaneColumns::Rates);
        let text = crate::ui::render::buffer_text(&text_of(&table, 60, 2));
        assert!(text.contains(" worker-1 3214567 running"), "{text}");
    }

    #[test]
    fn rates_draw_bars_and_an_empty_table_says_so() {
        let (s, theme) = (state(LaneRole::Worker, None), theme());
        let lanes: Vec<_> = s.lanes.values().collect();
        let table = LaneTable::new(&lanes, &s, &theme)
            .columns(LaneColumns::Rates)
            .selected(Some(1));
        assert_eq!(
            text_of(&table, 40, 2),
            Buffer::with_lines([
                "lane         state          hashes/s  ra",
                "▸worker-1    running              20  ██",
            ])
        );
        // The selected name is drawn in the selection style, the rest not.
        let buf = styled(&table, 40, 2);
        assert_eq!(buf[(1, 1)].bg, theme.selected.bg.unwrap_or_default());
        assert_eq!(buf[(14, 1)].fg, theme.running.fg.unwrap_or_default());
        let none = LaneTable::new(&[], &s, &theme).empty("Enter starts the search");
        assert_eq!(
            text_of(&none, 24, 2),
            Buffer::with_lines(["lane         state      ", "Enter starts the search "])
        );
    }
}
