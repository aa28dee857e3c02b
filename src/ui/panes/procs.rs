//! The processes pane: OS processes with their PIDs, what they print, and
//! the bytes of the messages between them. What the examples print is
//! the story here, so it gets the room first; the time-line only comes
//! when there is space left.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{common, headline};
use crate::demos::wire::{WIRE_KEY, WIRE_TITLE_KEY};
use crate::trace::LaneRole;
use crate::ui::lesson::wrap::{truncate, wrap};
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::lane_table::MAX_LANES;
use crate::ui::widgets::{Figure, Figures, LaneColumns, LaneTable, ProcStrip, Timeline};

/// Draws the processes pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Large figures on top when the pane has rows to spare.
    let area = headline::big_top(frame, area, &headline::of(pane, theme, None), 22);
    let s = &pane.state;
    let w = area.width as usize;
    let lanes: Vec<_> = s
        .lanes
        .values()
        .filter(|l| l.role != LaneRole::Supervisor)
        .collect();
    let alive = lanes
        .iter()
        .filter(|l| l.pid.is_some() && l.epitaph.is_none())
        .count();
    let figures = Figures::new([
        Figure::new(format!("{:.2} s", pane.elapsed_s()), "elapsed"),
        Figure::new(format!("{alive}/{}", lanes.len()), "processes up"),
        Figure::new(format!("{}", s.output.len()), "lines printed"),
    ])
    .value_style(theme.big)
    .style(theme.dim);
    let mut top: Vec<Line> = Vec::new();
    if let Some(state) = s.pool {
        top.push(Line::styled(
            format!("pool: {}", state.as_str()),
            theme.heading,
        ));
    }
    let mut bottom = common::warnings(pane, theme, area.width, 1);
    // A short pane keeps its rows for the output: the summary takes one.
    let summary_rows = if area.height < 16 { 1 } else { 3 };
    bottom.extend(common::outcome_lines(pane, theme, area.width, summary_rows));
    let wire: Vec<&str> = s
        .vars
        .get(WIRE_KEY)
        .map(|v| v.lines().collect())
        .unwrap_or_default();
    let h = area.height as usize;
    let fixed = 1 + top.len() + bottom.len();
    let room = h.saturating_sub(fixed);
    let table_need = lanes.len().clamp(1, MAX_LANES) + 1;
    let wire_need = if wire.is_empty() { 0 } else { wire.len() + 1 };
    // Printed lines wrap, continued under their text (` 1.65 s  …`).
    let indent = vec![Span::raw(" ".repeat(9.min(w / 3)))];
    let printed: Vec<Line> = s
        .output
        .iter()
        .flat_map(|l| wrap(&[(l.clone(), theme.text)], w, Vec::new(), indent.clone()))
        .collect();
    let out_need = if printed.is_empty() {
        0
    } else {
        printed.len() + 1
    };
    // A message on the wire is the point of its section: the lanes then
    // get three rows, the output at least three, the wire the rest.
    let table_cap = if wire_need > 0 {
        3
    } else {
        (room * 2 / 5).max(2)
    };
    let mut table_h = table_need.min(table_cap);
    // Too few rows for a row per process: cells, several to a line, show
    // them all (a Pool(5) keeps its five on a small screen).
    let strip = ProcStrip::new(&lanes, theme).selected(pane.selected());
    let strip_h = strip.height(area.width);
    let use_strip = table_h < table_need && strip_h < table_need.min(room);
    if use_strip {
        table_h = strip_h.max(table_h);
    }
    let mut left = room.saturating_sub(table_h);
    let wire_h = wire_need.min(left.saturating_sub(out_need.min(3)));
    // A title without a single line of bytes says nothing.
    let wire_h = if wire_h < 2 { 0 } else { wire_h };
    left -= wire_h;
    let out_h = out_need.min(left);
    left -= out_h;
    let time_h = if left > table_need { table_need } else { 0 };
    let mut text: Vec<Line> = top;
    let mut wire_lines = Vec::new();
    if wire_h > 0 {
        let title = s
            .vars
            .get(WIRE_TITLE_KEY)
            .map_or("on the wire", String::as_str);
        wire_lines.push(Line::styled(truncate(title, w), theme.heading));
        let shown = wire.iter().take(wire_h - 1);
        wire_lines.extend(shown.map(|l| Line::styled(truncate(l, w), theme.strong)));
    }
    let mut out_lines = Vec::new();
    if out_h > 0 {
        out_lines.push(Line::styled("output", theme.heading));
        // Wrapped when it all fits; else one line each, so that no
        // earlier line gives way to the rest of a long one.
        let printed = if printed.len() < out_h {
            printed
        } else {
            let one_each = s
                .output
                .iter()
                .map(|l| Line::styled(truncate(l, w), theme.text));
            one_each.collect()
        };
        let start = printed.len().saturating_sub(out_h - 1);
        out_lines.extend(printed[start..].iter().cloned());
    }
    let heights = [
        1,
        text.len() as u16,
        table_h as u16,
        wire_h as u16,
        out_h as u16,
        bottom.len() as u16,
        time_h as u16,
    ];
    let [f, t, table, wr, out, b, time] = common::stack(area, heights);
    frame.render_widget(&figures, f);
    frame.render_widget(Paragraph::new(std::mem::take(&mut text)), t);
    let table_widget = LaneTable::new(&lanes, s, theme)
        .columns(LaneColumns::Processes)
        .selected(pane.selected())
        .empty("no processes yet: Enter runs the example");
    if use_strip {
        frame.render_widget(&strip, table);
    } else {
        frame.render_widget(&table_widget, table);
    }
    frame.render_widget(Paragraph::new(wire_lines), wr);
    frame.render_widget(Paragraph::new(out_lines), out);
    frame.render_widget(Paragraph::new(bottom), b);
    if time_h > 0 {
        let rows = lanes.iter().take(MAX_LANES).map(|l| (l.name.as_str(), *l));
        let timeline = Timeline::new(rows, pane.now_us(), theme)
            .title("time-line", true)
            .title_style(theme.dim)
            .style(theme.text);
        let time = Rect {
            width: time.width.saturating_sub(1),
            ..time
        };
        frame.render_widget(&timeline, time);
    }
}
