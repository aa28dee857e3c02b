//! Processes packed into cells, several to a line: name and PID, what it
//! does in one word, its CPU time. The processes pane uses it when its
//! table has no room for a row per process, so that a `Pool(5)` still
//! shows its five processes on a small screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::timeline::activity_glyph;
use crate::trace::fold::{Activity, Lane};
use crate::trace::{LaneId, LaneRole};
use crate::ui::lesson::wrap::truncate;
use crate::ui::theme::Theme;

/// Gap between two cells.
const GAP: usize = 2;

/// A strip of process cells.
pub struct ProcStrip<'a> {
    lanes: &'a [&'a Lane],
    theme: &'a Theme,
    selected: Option<LaneId>,
}

impl<'a> ProcStrip<'a> {
    /// The cells of `lanes`, in their order.
    pub fn new(lanes: &'a [&'a Lane], theme: &'a Theme) -> ProcStrip<'a> {
        ProcStrip {
            lanes,
            theme,
            selected: None,
        }
    }

    /// Marks the lane that `x` would interrupt with `▸`.
    pub fn selected(mut self, lane: Option<LaneId>) -> Self {
        self.selected = lane;
        self
    }

    /// Lines needed to show every cell at `width` columns.
    pub fn height(&self, width: u16) -> usize {
        self.lanes.len().div_ceil(self.per_line(width))
    }

    fn cells(&self) -> Vec<(String, String, String)> {
        self.lanes
            .iter()
            .map(|l| {
                let (name, state, cpu) = cell(l);
                let mark = if Some(l.id) == self.selected {
                    "▸"
                } else {
                    ""
                };
                (format!("{mark}{name}"), state, cpu)
            })
            .collect()
    }

    fn per_line(&self, width: u16) -> usize {
        let w = self.cell_width();
        (usize::from(width) + GAP) / (w + GAP)
    }

    fn cell_width(&self) -> usize {
        self.cells()
            .iter()
            .map(|(a, b, c)| a.chars().count() + b.chars().count() + c.chars().count() + 2)
            .max()
            .unwrap_or(1)
    }
}

/// A lane's cell: `1 30267`, `running`, `0.39s`.
fn cell(l: &Lane) -> (String, String, String) {
    let name = match l.pid {
        Some(pid) => format!("{} {pid}", l.name.trim_start_matches("worker-")),
        None => l.name.clone(),
    };
    let state = match (&l.epitaph, &l.activity) {
        (Some(e), _) => {
            let first = e.split(" (").next().unwrap_or(e);
            // "killed by signal 6" stays whole: how it died is the point.
            if first.starts_with("killed") {
                first.to_string()
            } else {
                first.split(' ').next().unwrap_or(first).to_string()
            }
        }
        (None, Activity::Blocked(on)) => format!("waiting {}", on.label()),
        (None, a) => super::lane_table::activity_label(a),
    };
    let cpu = match (l.role, l.cpu_us) {
        (LaneRole::Process, us) => format!("{:.2}s", us.unwrap_or(0) as f64 / 1e6),
        _ => String::new(),
    };
    (name, truncate(&state, 20), cpu)
}

impl Widget for &ProcStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let per = self.per_line(area.width).max(1);
        let w = self.cell_width();
        let cells = self.cells();
        let rows = self.lanes.iter().zip(cells).collect::<Vec<_>>();
        for (chunk, y) in rows.chunks(per).zip(area.top()..area.bottom()) {
            let mut spans = Vec::new();
            for (i, (lane, (name, state, cpu))) in chunk.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::raw(" ".repeat(GAP)));
                }
                let (st, _) = activity_glyph(&lane.activity, t);
                let used = name.chars().count() + state.chars().count() + cpu.chars().count() + 2;
                spans.push(Span::styled(name.clone(), t.text));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(state.clone(), st));
                spans.push(Span::raw(" ".repeat(1 + w - used)));
                spans.push(Span::styled(cpu.clone(), t.strong));
            }
            buf.set_line(area.x, y, &Line::from(spans), area.width);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Event, EventKind, Micros, RunState};
    use crate::ui::widgets::testing::{text_of, theme};
    use ratatui::buffer::Buffer;

    fn pool_of_five() -> RunState {
        let mut s = RunState::new();
        let mut ev = |lane, kind| {
            s.apply(&Event {
                t_us: Micros::from_us(1000),
                lane,
                kind,
            });
        };
        for lane in 1..=5 {
            let name = format!("worker-{lane}");
            let pid = Some(30000 + lane);
            let role = LaneRole::Process;
            ev(lane, EventKind::LaneUp { name, pid, role });
        }
        for (lane, unit) in [(1, 1), (3, 2), (5, 3)] {
            let label = format!("f({unit})");
            ev(lane, EventKind::Spawned { unit, label });
            ev(lane, EventKind::Started { unit });
            ev(lane, EventKind::Cpu { cpu_us: 250_000 });
        }
        let on = crate::trace::BlockOn::Pipe;
        ev(5, EventKind::Blocked { unit: 3, on });
        s
    }

    /// The buffer's lines, trailing spaces cut.
    fn lines(buf: &Buffer) -> Vec<String> {
        let w = usize::from(buf.area.width);
        buf.content()
            .chunks(w)
            .map(|row| {
                row.iter()
                    .map(|c| c.symbol())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn five_processes_share_lines_three_with_work_two_idle() {
        let s = pool_of_five();
        let lanes: Vec<_> = s.lanes.values().collect();
        let th = theme();
        let strip = ProcStrip::new(&lanes, &th);
        assert_eq!(strip.height(78), 3);
        assert_eq!(strip.height(120), 2);
        let buf = text_of(&strip, 78, 3);
        assert_eq!(
            lines(&buf),
            [
                "1 30001 running      0.25s  2 30002 idle         0.00s",
                "3 30003 running      0.25s  4 30004 idle         0.00s",
                "5 30005 waiting pipe 0.25s",
            ]
        );
    }

    #[test]
    fn a_killed_process_says_by_which_signal() {
        let mut s = pool_of_five();
        s.apply(&Event {
            t_us: Micros::from_us(2000),
            lane: 3,
            kind: EventKind::LaneDown {
                reason: "killed by signal 6 (SIGABRT)".into(),
            },
        });
        let lanes: Vec<_> = s.lanes.values().filter(|l| l.id == 3).collect();
        let th = theme();
        let buf = text_of(&ProcStrip::new(&lanes, &th), 40, 1);
        assert_eq!(lines(&buf), ["3 30003 killed by signal 6 0.25s"]);
    }
}
