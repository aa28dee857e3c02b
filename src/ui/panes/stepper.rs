//! The stepper pane: a generator's (or a coroutine's) source with the line
//! it is suspended at, its state and locals, and a log of every step with
//! what the program printed, in CPython's words.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::SourceListing;

/// Narrowest the pane puts the log beside the source.
const SIDE_BY_SIDE: u16 = 70;

/// Draws the stepper pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let vars = &pane.state.vars;
    let var = |k: &str| vars.get(k).map_or("", String::as_str);
    let [facts, body, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(area);
    facts_lines(frame, facts, pane, theme);
    let source = var("gen.source");
    let widest = source.lines().map(str::len).max().unwrap_or(0);
    let code_w = u16::try_from(widest + 5).unwrap_or(u16::MAX);
    let code_h = u16::try_from(source.lines().count()).unwrap_or(u16::MAX);
    let (code, log) = if body.width >= SIDE_BY_SIDE {
        let [c, l] = Layout::horizontal([
            Constraint::Length(code_w.min(body.width / 2)),
            Constraint::Min(10),
        ])
        .spacing(1)
        .areas(body);
        (c, l)
    } else {
        let [c, l] = Layout::vertical([
            Constraint::Length(code_h.min(body.height / 2)),
            Constraint::Min(1),
        ])
        .areas(body);
        (c, l)
    };
    let listing = SourceListing::new(source)
        .mark(var("gen.line").parse().ok())
        .styles(theme.text, theme.selected, theme.dim);
    frame.render_widget(&listing, code);
    let w = log.width as usize;
    // The step line above names the latest call; the log keeps what came
    // of each.
    let out: Vec<&String> = pane
        .state
        .output
        .iter()
        .filter(|l| !l.starts_with("» next()") && !l.starts_with("» poll"))
        .collect();
    let from = out.len().saturating_sub(log.height as usize);
    let lines: Vec<Line> = out[from..]
        .iter()
        .map(|l| {
            let style = if l.starts_with('»') {
                theme.dim
            } else {
                theme.text
            };
            Line::styled(truncate(l, w), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), log);
    let step = if var("gen.kind") == "coroutine" {
        "poll"
    } else {
        "next()"
    };
    let foot_line = common::outcome_line(pane, theme, foot.width).or_else(|| {
        (pane.run.is_some() && var("gen.key") == "b")
            .then(|| Line::styled(format!("press b: {step}"), theme.warning))
    });
    if let Some(l) = foot_line {
        frame.render_widget(l, foot);
    }
}

/// `state GEN_SUSPENDED  next() 2: yielded 2` over `locals n=2`.
fn facts_lines(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let vars = &pane.state.vars;
    let var = |k: &str| vars.get(k).map_or("", String::as_str);
    let mut first = vec![
        Span::styled("state ", theme.dim),
        Span::styled(var("gen.state").to_string(), theme.strong),
    ];
    if !var("gen.last").is_empty() {
        first.push(Span::styled(format!("  {}: ", var("gen.step")), theme.dim));
        first.push(Span::styled(var("gen.last").to_string(), theme.running));
    }
    let second = if var("gen.kind") == "coroutine" {
        Line::styled("locals: inside the future, kept between polls", theme.dim)
    } else {
        Line::from(vec![
            Span::styled("locals ", theme.dim),
            Span::styled(var("gen.locals").to_string(), theme.strong),
        ])
    };
    frame.render_widget(Paragraph::new(vec![Line::from(first), second]), area);
}
