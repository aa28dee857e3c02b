//! The LED pane: one board per implementation that runs (side by side when
//! there is room, stacked otherwise), each with its time-line of changes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{common, headline};
use crate::trace::RunState;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::LedBoard;

/// Narrowest a board and its time-line are drawn side by side with another.
const SIDE_BY_SIDE: u16 = 50;

/// Draws the LED pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Large figures on top when the pane has rows to spare.
    let area = headline::big_top(frame, area, &headline::of(pane, theme, None), 18);
    let s = &pane.state;
    let boards: Vec<&str> = s
        .vars
        .get("led.boards")
        .map(|b| b.split(',').collect())
        .unwrap_or_else(|| vec![pane.request.mode()]);
    let mut foot_lines = common::outcome_lines(pane, theme, area.width, 3);
    if foot_lines.is_empty() {
        foot_lines = common::warnings(pane, theme, area.width, 1);
    }
    let rows = u16::try_from(foot_lines.len().max(1)).unwrap_or(1);
    let [body, foot] = Layout::vertical([Constraint::Min(3), Constraint::Length(rows)]).areas(area);
    frame.render_widget(Paragraph::new(foot_lines), foot);
    let n = u32::try_from(boards.len().max(1)).unwrap_or(1);
    let columns = if boards.len() > 1 && body.width >= SIDE_BY_SIDE {
        Layout::horizontal(vec![Constraint::Ratio(1, n); boards.len()]).split(body)
    } else {
        Layout::vertical(vec![Constraint::Ratio(1, n); boards.len()]).split(body)
    };
    for (name, col) in boards.iter().zip(columns.iter()) {
        board(frame, *col, s, name, theme);
    }
}

/// One implementation's board over its time-line.
fn board(frame: &mut Frame, area: Rect, s: &RunState, name: &str, theme: &Theme) {
    let area = Rect {
        width: area.width.saturating_sub(1),
        ..area
    };
    let sensors: usize = s
        .vars
        .get("led.sensors")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let lit = |led: &str| {
        s.vars
            .get(&format!("{name}.{led}"))
            .is_some_and(|v| v == "on")
    };
    let title = match name {
        "loop" => "loop: one hand-written loop",
        "tasks" => "tasks: one task per line",
        other => other,
    };
    let mut b = LedBoard::new(title).led("green", lit("green"), theme.ok);
    let reds = ["red", "red2"];
    for red in reds.iter().take(sensors) {
        b = b.led(red, lit(red), theme.error);
    }
    let temps = (1..=sensors)
        .filter_map(|i| {
            s.vars
                .get(&format!("led.temp{i}"))
                .and_then(|v| v.parse().ok())
        })
        .collect();
    let threshold = s.vars.get("led.threshold").and_then(|v| v.parse().ok());
    let alarms = s
        .vars
        .get(&format!("{name}.alarm"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let b = b
        .temps(temps, threshold)
        .alarms(alarms)
        .styles(theme.dim, theme.strong, theme.warning);
    let [top, rest] =
        Layout::vertical([Constraint::Length(b.height(area.width)), Constraint::Min(0)])
            .areas(area);
    frame.render_widget(&b, top);
    let prefix = format!("{name} ");
    let changes: Vec<&str> = s
        .output
        .iter()
        .filter_map(|l| l.strip_prefix(&prefix))
        .collect();
    let rows = rest.height as usize;
    let w = rest.width as usize;
    let from = changes.len().saturating_sub(rows);
    let lines: Vec<Line> = changes[from..]
        .iter()
        .map(|c| {
            let style = if c.contains("ALARM") {
                theme.warning
            } else {
                theme.text
            };
            Line::styled(truncate(c, w), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rest);
}
