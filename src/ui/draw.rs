//! Draws the whole screen from the app's state (and changes nothing).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
    Wrap,
};

use crate::lesson::Chapter;
use crate::ui::app::{App, Focus, Overlay};
use crate::ui::lesson::{self, LayoutOpts};
use crate::ui::{overlays, panes};

/// Below this size the screen says so instead of drawing a garbled view.
pub const MIN_WIDTH: u16 = 50;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 14;
/// From this width on, lesson and pane sit side by side.
pub const SIDE_BY_SIDE: u16 = 110;
/// Lesson text is easier to read when lines stay this short.
const MAX_TEXT: u16 = 100;
/// Bytes of lesson text laid out ahead of the screen in each frame, so a
/// large section is ready by the time the learner scrolls there.
const LAYOUT_AHEAD: usize = 64 << 10;
/// Bytes of lesson text a frame lays out at most, whatever is asked: a
/// jump deep into a large section fills in over a few frames.
const LAYOUT_FRAME: usize = 256 << 10;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub lesson: Option<Rect>,
    pub pane: Option<Rect>,
    pub status: Rect,
}

/// Splits the screen; the same function serves drawing and mouse clicks.
pub fn areas(area: Rect, app: &App) -> Areas {
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let has_pane = app.pane.is_some() && app.current().is_some_and(Chapter::is_ok);
    if !has_pane {
        return Areas {
            lesson: Some(main),
            pane: None,
            status,
        };
    }
    if app.full_pane {
        return Areas {
            lesson: None,
            pane: Some(main),
            status,
        };
    }
    let (lesson, pane) = if main.width >= SIDE_BY_SIDE {
        let [l, p] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(main);
        (l, p)
    } else {
        let [l, p] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(main);
        (l, p)
    };
    Areas {
        lesson: Some(lesson),
        pane: Some(pane),
        status,
    }
}

/// Draws one frame.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, app);
        return;
    }
    let a = areas(area, app);
    if let Some(r) = a.lesson {
        match app.current() {
            Some(c) if !c.is_ok() => error_screen(frame, r, app, c),
            Some(c) => lesson_view(frame, r, app, c),
            None => {
                let p = Paragraph::new("No chapters found. `racecourse check DIR` tells why.")
                    .style(app.theme.warning);
                frame.render_widget(p, r);
            }
        }
    }
    if let (Some(r), Some(p)) = (a.pane, app.pane.as_ref()) {
        panes::draw(
            frame,
            r,
            p,
            &app.theme,
            app.focus == Focus::Pane || app.full_pane,
        );
    }
    if let (Some(r), Some(p), Some(prompt)) = (a.pane, app.pane.as_ref(), app.prompt.as_ref()) {
        prompt_box(frame, r, p, prompt, app);
    }
    status_bar(frame, a.status, app);
    match app.overlay {
        Overlay::None => {}
        Overlay::Help(top) => overlays::help(frame, area, &app.theme, top),
        Overlay::Toc(toc) => overlays::toc(frame, area, app, &toc),
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let msg = format!(
        "terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{})",
        area.width, area.height
    );
    let lines = vec![
        Line::from(Span::styled(msg, app.theme.warning)),
        Line::from(Span::styled(
            "enlarge the window, or q to quit",
            app.theme.dim,
        )),
    ];
    let y = area.height.saturating_sub(2) / 2;
    let r = Rect::new(
        area.x,
        area.y + y,
        area.width,
        area.height.saturating_sub(y),
    );
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(ratatui::layout::Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}

fn frame_block<'a>(app: &App, title: Line<'a>, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            app.theme.border_focus
        } else {
            app.theme.border
        })
        .title(title)
}

fn lesson_view(frame: &mut Frame, area: Rect, app: &App, chapter: &Chapter) {
    let title = Line::from(vec![
        Span::raw(" "),
        Span::styled(chapter.title.clone(), app.theme.title),
        Span::styled(
            format!("  {}/{} ", app.section + 1, chapter.sections.len()),
            app.theme.dim,
        ),
    ]);
    let block = frame_block(app, title, app.focus == Focus::Lesson && app.pane.is_some());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(section) = chapter.sections.get(app.section) else {
        return;
    };
    let text_w = inner.width.saturating_sub(2).min(MAX_TEXT);
    let key = lesson::cache::LayoutKey {
        content: app.content_gen,
        chapter: app.chapter,
        section: app.section,
        width: text_w,
        code_tab: app.code_tab,
        highlight_pending: app.highlight_pending,
        rows: if app.live {
            0
        } else {
            app.scroll.saturating_add(inner.height as usize)
        },
    };
    // Laid out once per change, a large section over several frames (the
    // visible part first), then sliced: only the visible lines are handed
    // to the frame.
    let opts = LayoutOpts {
        width: text_w,
        theme: &app.theme,
        code_tab: app.code_tab,
    };
    let work = lesson::Work {
        rows: app.scroll.saturating_add(inner.height as usize),
        least: LAYOUT_AHEAD,
        most: LAYOUT_FRAME,
    };
    let partial = app.layout_cache.get(
        key,
        || lesson::Partial::new(section, opts),
        |p| p.extend(section, opts, work),
    );
    let lines = partial.lines();
    let body = Rect::new(inner.x + 1, inner.y, text_w, inner.height);
    let total = lines.len();
    let max_scroll = total.saturating_sub(body.height as usize);
    let scroll = app.scroll.min(max_scroll);
    app.layout_cache.shown(body.height as usize);
    let visible: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(body.height as usize)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible).style(app.theme.text), body);
    if max_scroll > 0 || !partial.done() {
        let mut state = ScrollbarState::new(max_scroll).position(scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .style(app.theme.dim)
                .begin_symbol(None)
                .end_symbol(None),
            inner,
            &mut state,
        );
        let seen = scroll + (body.height as usize).min(total);
        let hint = if !partial.done() {
            format!(" ↓ more ({seen}/{total}…, laying out) ")
        } else if scroll < max_scroll {
            format!(" ↓ more ({seen}/{total}) ")
        } else {
            format!(" end ({seen}/{total}) ")
        };
        let w = hint.chars().count() as u16;
        if area.width > w + 4 {
            let r = Rect::new(area.right() - w - 2, area.bottom() - 1, w, 1);
            frame.render_widget(Paragraph::new(hint).style(app.theme.dim), r);
        }
    }
}

fn error_screen(frame: &mut Frame, area: Rect, app: &App, chapter: &Chapter) {
    let title = Line::from(Span::styled(
        format!(" {} cannot be shown ", chapter.path),
        app.theme.error,
    ));
    let block = frame_block(app, title, false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "This chapter has {} problem{}. The other chapters work: t opens the contents.",
                chapter.problems.len(),
                if chapter.problems.len() == 1 { "" } else { "s" }
            ),
            app.theme.text,
        )),
        Line::default(),
    ];
    for p in &chapter.problems {
        lines.push(Line::from(vec![
            Span::styled(format!("{}:{}:{}: ", p.file, p.line, p.col), app.theme.dim),
            Span::styled(
                p.message.clone(),
                app.theme.error.remove_modifier(Modifier::BOLD),
            ),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Fix the file and run `racecourse check`, or start with --watch to see fixes live.",
        app.theme.dim,
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(app.scroll).unwrap_or(u16::MAX), 0)),
        inner.inner(ratatui::layout::Margin::new(1, 0)),
    );
}

fn status_bar(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut left = vec![Span::styled(" ", t.status)];
    if let Some(c) = app.current() {
        left.push(Span::styled(
            format!(
                "{}/{} {}",
                app.chapter + 1,
                app.course.chapters.len(),
                c.title
            ),
            t.status.add_modifier(Modifier::BOLD),
        ));
        if c.is_ok() {
            left.push(Span::styled(
                format!(" · section {}/{}", app.section + 1, c.sections.len()),
                t.status,
            ));
        }
    }
    if let Some(p) = &app.pane {
        left.push(Span::styled(
            format!(" · {} {}", p.request.name(), p.request.mode()),
            t.status,
        ));
    }
    left.push(Span::styled("  ", t.status));
    let hints = key_hints(app);
    let mut right = Vec::new();
    if let Some(n) = &app.notice {
        right.push(Span::styled(
            format!(" {} ", n.text),
            if n.warning {
                t.warning.patch(t.status)
            } else {
                t.status
            },
        ));
    } else {
        for (k, what) in hints {
            right.push(Span::styled(format!(" {k}"), t.status_key));
            right.push(Span::styled(format!(" {what}"), t.status));
        }
        right.push(Span::styled(" ", t.status));
    }
    let lw: usize = left.iter().map(|s| s.width()).sum();
    let rw: usize = right.iter().map(|s| s.width()).sum();
    let width = area.width as usize;
    let mut spans = left;
    if lw + rw <= width {
        spans.push(Span::styled(" ".repeat(width - lw - rw), t.status));
        spans.extend(right);
    } else if let Some(n) = &app.notice {
        spans = vec![Span::styled(
            lesson::wrap::truncate(&format!(" {}", n.text), width),
            if n.warning {
                t.warning.patch(t.status)
            } else {
                t.status
            },
        )];
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(t.status), area);
}

/// The keys the status bar suggests when it has no notice to show.
fn key_hints(app: &App) -> &'static [(&'static str, &'static str)] {
    if app.pane.is_some() {
        &[
            ("←→", "sections"),
            ("Enter", "run"),
            ("p", "pause"),
            ("X", "interrupt"),
            ("t", "contents"),
            ("?", "keys"),
            ("q", "quit"),
        ]
    } else {
        &[
            ("←→", "sections"),
            ("↑↓", "scroll"),
            ("t", "contents"),
            ("?", "keys"),
            ("q", "quit"),
        ]
    }
}

/// The value prompt, across the bottom of the pane: what is typed, and
/// under it what the option takes or why Enter refused it.
fn prompt_box(
    frame: &mut Frame,
    pane_area: Rect,
    pane: &crate::ui::pane::Pane,
    prompt: &crate::ui::prompt::Prompt,
    app: &App,
) {
    let t = &app.theme;
    let h = 4.min(pane_area.height);
    let r = Rect::new(pane_area.x, pane_area.bottom() - h, pane_area.width, h);
    let title = if r.width >= 56 {
        "set an option · Tab picks · Enter sets · Esc cancels"
    } else {
        "set · Tab · Enter · Esc"
    };
    let inner = popup(frame, r, title, t);
    let w = inner.width as usize;
    // The end of a long input stays in view, with the cursor.
    let typed = format!("› {}", prompt.text);
    let shown: String = {
        let n = typed.chars().count();
        typed.chars().skip((n + 1).saturating_sub(w)).collect()
    };
    let input = Line::from(vec![
        Span::styled(shown, t.strong),
        Span::styled("█", t.running),
    ]);
    // Marked, not only coloured: readable under NO_COLOR.
    let hint = match &prompt.error {
        Some(e) => format!("✗ {e}"),
        None => prompt.hint(&pane.request),
    };
    let hint = Line::styled(
        lesson::wrap::truncate(&hint, w),
        if prompt.error.is_some() {
            t.error
        } else {
            t.dim
        },
    );
    frame.render_widget(Paragraph::new(vec![input, hint]), inner);
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clears a popup area and draws its frame; returns the inside.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    app_theme: &crate::ui::theme::Theme,
) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(app_theme.border_focus)
        .title(Span::styled(format!(" {title} "), app_theme.title))
        .style(app_theme.overlay);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}
