//! The help and table-of-contents overlays.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::app::App;
use crate::ui::draw::{centered, popup};
use crate::ui::keys::{self, BINDINGS, Group};
use crate::ui::lesson::wrap::wrap;
use crate::ui::theme::Theme;
use crate::ui::toc::Toc;

/// Widest the help gets; narrower screens wrap it.
const HELP_W: u16 = 80;
/// Columns of the keys before each help text.
const KEYS_W: usize = 18;

/// The help's lines for an inside `width` columns wide: every key,
/// straight from the key table the app uses, each text wrapped under
/// itself.
fn help_lines(theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let key_style = theme.status_key.bg(ratatui::style::Color::Reset);
    let mut lines = Vec::new();
    for (group, title) in [
        (Group::Reading, "Reading"),
        (Group::Running, "The live pane"),
        (Group::App, "The app"),
    ] {
        lines.push(Line::from(Span::styled(title, theme.heading)));
        for b in BINDINGS.iter().filter(|b| b.group == group) {
            let keys = format!("  {:<w$}", keys::keys_label(b), w = KEYS_W - 2);
            lines.extend(wrap(
                &[(b.help.to_string(), theme.text)],
                width as usize,
                vec![Span::styled(keys, key_style)],
                vec![Span::raw(" ".repeat(KEYS_W))],
            ));
        }
        lines.push(Line::default());
    }
    lines.extend(wrap(
        &[(
            "Mouse: the wheel scrolls, a click on the button presses it. Any other key closes this help.".into(),
            theme.dim,
        )],
        width as usize,
        vec![],
        vec![],
    ));
    lines
}

/// Where the help goes on a screen of `screen` (columns, rows), and the
/// rows its text has there.
fn help_geometry(theme: &Theme, screen: (u16, u16)) -> (Rect, Vec<Line<'static>>) {
    let area = Rect::new(0, 0, screen.0, screen.1);
    let w = HELP_W.min(area.width);
    let lines = help_lines(theme, w.saturating_sub(2));
    (centered(area, w, lines.len() as u16 + 2), lines)
}

/// How far the help can scroll on a screen of `screen` (columns, rows).
pub fn help_max_scroll(theme: &Theme, screen: (u16, u16)) -> u16 {
    let (r, lines) = help_geometry(theme, screen);
    (lines.len() as u16).saturating_sub(r.height.saturating_sub(2))
}

/// The keys, scrolled `top` lines; when they do not all fit, the frame
/// says where the reader is and that arrows scroll.
pub fn help(frame: &mut Frame, area: Rect, theme: &Theme, top: u16) {
    let (r, lines) = help_geometry(theme, (area.width, area.height));
    let r = Rect {
        x: r.x + area.x,
        y: r.y + area.y,
        ..r
    };
    let inner = popup(frame, r, "Keys", theme);
    let total = lines.len() as u16;
    let max = total.saturating_sub(inner.height);
    let top = top.min(max);
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)), inner);
    if max > 0 {
        let shown = (top + inner.height).min(total);
        let hint = if shown < total {
            format!(" ↓ more {shown}/{total} · ↑↓ PgUp PgDn scroll ")
        } else {
            format!(" end {shown}/{total} · ↑ scrolls back ")
        };
        let w = (hint.chars().count() as u16).min(r.width.saturating_sub(2));
        let at = Rect::new(r.right().saturating_sub(w + 1), r.bottom() - 1, w, 1);
        frame.render_widget(Paragraph::new(hint).style(theme.dim), at);
    }
}

/// Chapters with their progress, the open chapter's sections under it;
/// Enter opens the selected one.
pub fn toc(frame: &mut Frame, area: Rect, app: &App, toc: &Toc) {
    let theme = &app.theme;
    let mut lines = Vec::new();
    let mut cursor = 0;
    for row in toc.rows(&app.course) {
        let Some(c) = app.course.chapters.get(row.chapter) else {
            continue;
        };
        let selected = row.chapter == toc.chapter && row.section == toc.section;
        if selected {
            cursor = lines.len();
        }
        let style = if selected { theme.selected } else { theme.text };
        if let Some(s) = row.section {
            let seen = app.progress.seen.get(&c.id).is_some_and(|v| v.contains(&s));
            let here = row.chapter == app.chapter && s == app.section;
            let (mark, mark_style) = if seen {
                ("✓", theme.ok)
            } else {
                ("·", theme.dim)
            };
            let title = c.sections.get(s).map_or("", |x| x.title.as_str());
            let live = c.sections.get(s).is_some_and(|x| x.demo.is_some());
            lines.push(Line::from(vec![
                Span::styled(
                    format!("      {} ", if here { "▸" } else { " " }),
                    theme.text,
                ),
                Span::styled(format!("{mark} "), mark_style),
                Span::styled(format!("{:>2}. {title}", s + 1), style),
                Span::styled(if live { "  live" } else { "" }, theme.dim),
            ]));
            continue;
        }
        let i = row.chapter;
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
        lines.push(Line::from(vec![
            Span::styled(format!("{here}{mark} "), mark_style),
            Span::styled(format!("{:>2}. {}", i + 1, c.title), style),
            Span::styled(format!("  {status}{minutes}"), theme.dim),
        ]));
        if let Some(s) = c.summary.as_ref().filter(|_| selected) {
            lines.push(Line::from(Span::styled(format!("       {s}"), theme.quote)));
        }
    }
    let footer = Line::from(Span::styled(
        "↑↓ choose · →← sections · Enter open · Esc close · ✓ seen ◐ started ✗ errors",
        theme.dim,
    ));
    let h = lines.len() as u16 + 4;
    let r = centered(area, 90, h);
    let inner = popup(frame, r, "Contents", theme);
    let body_h = inner.height.saturating_sub(2);
    // The cursor stays in view, a few rows from the edge when it can.
    let wanted = (cursor as u16).saturating_sub(body_h.saturating_sub(4));
    let max_top = (lines.len() as u16).saturating_sub(body_h);
    let top = wanted.min(max_top);
    let body = Rect {
        height: body_h,
        ..inner
    };
    let total = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)), body);
    if max_top > 0 {
        // Rows hidden above or below: the frame says which part shows.
        let hint = format!(
            " rows {}–{} of {total}, ↑↓ scroll ",
            top + 1,
            (top + body_h).min(total)
        );
        let w = (hint.chars().count() as u16).min(r.width.saturating_sub(2));
        let at = Rect::new(r.right().saturating_sub(w + 1), r.bottom() - 1, w, 1);
        frame.render_widget(Paragraph::new(hint).style(theme.dim), at);
    }
    let foot = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
    frame.render_widget(
        Paragraph::new(crate::ui::lesson::wrap::truncate(
            &footer.to_string(),
            inner.width as usize,
        ))
        .style(theme.dim),
        foot,
    );
}
