//! The stepper pane: a generator's (or a coroutine's) source with the line
//! it is suspended at, its state and locals, and what it printed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::SourceListing;

/// Draws the stepper pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let vars = &pane.state.vars;
    let var = |k: &str| vars.get(k).map_or("", String::as_str);
    let source = var("gen.source");
    let code_rows = u16::try_from(source.lines().count()).unwrap_or(0);
    let [code, facts, printed, foot] = Layout::vertical([
        Constraint::Length(code_rows.min(area.height.saturating_sub(5))),
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mark = var("gen.line").parse().ok();
    let listing = SourceListing::new(source)
        .mark(mark)
        .styles(theme.text, theme.selected, theme.dim);
    frame.render_widget(&listing, code);
    let coroutine = var("gen.kind") == "coroutine";
    let step = if coroutine { "poll" } else { "next()" };
    let mut first = vec![
        Span::styled("state ", theme.dim),
        Span::styled(var("gen.state").to_string(), theme.strong),
    ];
    if !var("gen.last").is_empty() {
        first.push(Span::styled(format!("  {}: ", var("gen.step")), theme.dim));
        first.push(Span::styled(var("gen.last").to_string(), theme.running));
    }
    let second = if coroutine {
        Line::styled(
            "locals: kept inside the future, between polls",
            theme.dim,
        )
    } else {
        Line::from(vec![
            Span::styled("locals ", theme.dim),
            Span::styled(var("gen.locals").to_string(), theme.strong),
        ])
    };
    frame.render_widget(Paragraph::new(vec![Line::from(first), second]), facts);
    let w = printed.width as usize;
    let program: Vec<&String> = pane
        .state
        .output
        .iter()
        .filter(|l| !l.starts_with('»'))
        .collect();
    let rows = printed.height as usize;
    let mut lines = vec![Line::styled("printed:", theme.dim)];
    let from = program.len().saturating_sub(rows.saturating_sub(1));
    lines.extend(program[from..].iter().map(|l| Line::styled(truncate(l, w), theme.text)));
    frame.render_widget(Paragraph::new(lines), printed);
    let foot_line = common::outcome_line(pane, theme, foot.width).or_else(|| {
        (pane.run.is_some() && var("gen.key") == "b")
            .then(|| Line::styled(format!("press b: {step}"), theme.warning))
    });
    if let Some(l) = foot_line {
        frame.render_widget(l, foot);
    }
}
