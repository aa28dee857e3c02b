//! The help and table-of-contents overlays.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::ui::app::App;
use crate::ui::draw::{centered, popup};
use crate::ui::keys::{self, BINDINGS, Group};
use crate::ui::theme::Theme;

/// Every key, straight from the key table the app uses.
pub fn help(frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = Vec::new();
    for (group, title) in [
        (Group::Reading, "Reading"),
        (Group::Running, "The live pane"),
        (Group::App, "The app"),
    ] {
        lines.push(Line::from(Span::styled(title, theme.heading)));
        for b in BINDINGS.iter().filter(|b| b.group == group) {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<16}", keys::keys_label(b)),
                    theme.status_key.bg(ratatui::style::Color::Reset),
                ),
                Span::styled(b.help, theme.text),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "Mouse: the wheel scrolls, a click on the button presses it. Any key closes this help.",
        theme.dim,
    )));
    let h = lines.len() as u16 + 2;
    let r = centered(area, 78, h);
    let inner = popup(frame, r, "Keys", theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Chapters with their progress; Enter opens one.
pub fn toc(frame: &mut Frame, area: Rect, app: &App, selected: usize) {
    let theme = &app.theme;
    let mut lines = Vec::new();
    for (i, c) in app.course.chapters.iter().enumerate() {
        let total = c.sections.len();
        let seen = app.progress.seen_count(&c.id, total);
        let (mark, mark_style) = if !c.is_ok() {
            ("✗", theme.error)
        } else if app.progress.finished(&c.id, total) {
            ("✓", theme.ok)
        } else if seen > 0 {
            ("◐", theme.warning)
        } else {
            ("·", theme.dim)
        };
        let here = if i == app.chapter { "▸" } else { " " };
        let status = if c.is_ok() {
            format!("{seen}/{total}")
        } else {
            format!("{} problem(s)", c.problems.len())
        };
        let minutes = c.minutes.map(|m| format!(" {m} min")).unwrap_or_default();
        let style = if i == selected {
            theme.selected
        } else {
            theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{here}{mark} "), mark_style),
            Span::styled(format!("{:>2}. {}", i + 1, c.title), style),
            Span::styled(format!("  {status}{minutes}"), theme.dim),
        ]));
        if let Some(s) = c.summary.as_ref().filter(|_| i == selected) {
            lines.push(Line::from(Span::styled(format!("       {s}"), theme.quote)));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "↑↓ choose · Enter open · Esc close · ✓ finished ◐ started ✗ has errors",
        theme.dim,
    )));
    let h = lines.len() as u16 + 2;
    let r = centered(area, 84, h);
    let inner = popup(frame, r, "Contents", theme);
    let top = (selected as u16 + 3).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)), inner);
}
