//! Pieces every pane shares: title, mode tabs, knobs, legend, notes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::trace::RunState;
use crate::trace::fold::Activity;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::{Pane, Phase};
use crate::ui::theme::Theme;
use crate::ui::widgets::Legend;
use crate::ui::widgets::timeline::activity_glyph;

/// The frame title: example name and where its run stands.
pub fn title_line(pane: &Pane, theme: &Theme) -> Line<'static> {
    let (phase, style) = match pane.phase() {
        Phase::Ready => ("ready", theme.dim),
        Phase::Running => ("running", theme.running),
        Phase::Paused => ("PAUSED", theme.warning),
        Phase::Done => match pane.outcome.as_ref().map(|o| o.result.is_ok()) {
            Some(true) => ("done", theme.ok),
            _ => ("stopped", theme.error),
        },
    };
    Line::from(vec![
        Span::raw(" "),
        Span::styled(pane.request.example.title().to_string(), theme.title),
        Span::raw(" · "),
        Span::styled(phase.to_string(), style),
        Span::raw(" "),
    ])
}

/// Draws the mode tabs and the knobs (wrapped) at the top of `area`;
/// returns what is left below them.
pub fn header(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) -> Rect {
    let tabs = mode_tab_lines(pane, theme, area.width, 2);
    let knobs = knob_lines(pane, theme, area.width, 2);
    let (th, kh) = (tabs.len() as u16, knobs.len() as u16);
    let tabs = Paragraph::new(tabs);
    let knobs = Paragraph::new(knobs);
    let [t, k, rest] = Layout::vertical([
        Constraint::Length(th),
        Constraint::Length(kh),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(tabs, t);
    frame.render_widget(knobs, k);
    rest
}

/// `1 threads  2 async  3 processes` with the chosen one highlighted.
pub fn mode_tabs(pane: &Pane, theme: &Theme) -> Line<'static> {
    Line::from(
        mode_tab_spans(pane, theme)
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
    )
}

/// The mode tabs wrapped to `width` in at most `max_rows` lines, a tab
/// never split from its number; tabs that find no room are counted
/// (`+2 more`).
pub fn mode_tab_lines(
    pane: &Pane,
    theme: &Theme,
    width: u16,
    max_rows: usize,
) -> Vec<Line<'static>> {
    packed(&mode_tab_spans(pane, theme), theme, width, max_rows)
}

/// Each mode as its tab and the space after it.
fn mode_tab_spans(pane: &Pane, theme: &Theme) -> Vec<[Span<'static>; 2]> {
    let chosen = pane.request.mode_index();
    pane.request
        .example
        .modes()
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let style = if i == chosen {
                theme.tab_active
            } else {
                theme.tab_idle
            };
            [
                Span::styled(format!(" {} {} ", i + 1, m.name), style),
                Span::raw(" "),
            ]
        })
        .collect()
}

/// The knobs wrapped to `width` in at most `max_rows` lines, a `key value`
/// pair never split; pairs that find no room are counted at the end
/// (`+2 more`), so nothing is cut without saying so.
pub fn knob_lines(pane: &Pane, theme: &Theme, width: u16, max_rows: usize) -> Vec<Line<'static>> {
    packed(&knob_pairs(pane, theme), theme, width, max_rows)
}

/// Entries packed into rows of `width` columns, at most `max_rows`, an
/// entry never split; those that find no room are counted (`+2 more`).
fn packed(
    entries: &[[Span<'static>; 2]],
    theme: &Theme,
    width: u16,
    max_rows: usize,
) -> Vec<Line<'static>> {
    let widths: Vec<usize> = entries
        .iter()
        .map(|e| e.iter().map(Span::width).sum::<usize>())
        .collect();
    let (rows, hidden) = crate::ui::widgets::legend::pack(&widths, width as usize, max_rows.max(1));
    let mut lines: Vec<Line<'static>> = rows
        .into_iter()
        .map(|r| Line::from(entries[r].iter().flatten().cloned().collect::<Vec<_>>()))
        .collect();
    if hidden > 0 {
        let more = Span::styled(format!("+{hidden} more"), theme.dim);
        match lines.last_mut() {
            Some(l) => l.spans.push(more),
            None => lines.push(Line::from(more)),
        }
    }
    lines
}

/// Each knob as its two spans, `key ` and `value  `.
fn knob_pairs(pane: &Pane, theme: &Theme) -> Vec<[Span<'static>; 2]> {
    let mode = pane.request.mode();
    let mut pairs: Vec<[Span<'static>; 2]> = pane
        .request
        .values()
        .into_iter()
        .filter(|(k, _)| pane.request.knob(k).is_none_or(|o| o.applies_to(mode)))
        .map(|(k, v)| {
            [
                Span::styled(format!("{k} "), theme.dim),
                Span::styled(format!("{v}  "), theme.strong),
            ]
        })
        .collect();
    if pane.scale_pct != 100 {
        pairs.push([
            Span::styled("time ", theme.dim),
            Span::styled(
                format!("×{:.2}", 100.0 / pane.scale_pct as f64),
                theme.warning,
            ),
        ]);
    }
    pairs
}

/// The symbols the lanes of `state` have drawn so far (each lane's
/// activities, past and present), so a legend names only those.
pub fn drawn_symbols(state: &RunState, theme: &Theme) -> Vec<char> {
    let mut seen = Vec::new();
    let mut add = |a: &Activity| {
        let ch = activity_glyph(a, theme).1;
        if !seen.contains(&ch) {
            seen.push(ch);
        }
    };
    for lane in state.lanes.values() {
        add(&lane.activity);
        for seg in &lane.segments {
            add(&seg.activity);
        }
    }
    seen
}

/// The key to what the time-lines of `state` draw: running and part of a
/// slice, then only the waits the lanes have shown (no `g` where no GIL).
pub fn lane_legend_of(state: &RunState, theme: &Theme) -> Legend<'static> {
    let seen = drawn_symbols(state, theme);
    let items = [
        ('█', theme.running, "running"),
        ('▄', theme.running, "part of a slice"),
        ('g', theme.blocked_gil, "GIL wait"),
        ('▒', theme.blocked_io, "I/O"),
        ('░', theme.sleeping, "sleep"),
        ('L', theme.blocked_lock, "lock"),
        ('S', theme.blocked_lock, "semaphore"),
        ('q', theme.blocked_lock, "queue"),
        ('p', theme.blocked_io, "pipe"),
        ('j', theme.blocked_lock, "join/await"),
        ('w', theme.blocked_lock, "waiting"),
        ('·', theme.idle, "idle"),
    ];
    let shown = items
        .into_iter()
        .filter(|(ch, ..)| matches!(ch, '█' | '▄') || seen.contains(ch));
    Legend::new(shown).style(theme.dim)
}

/// The latest warnings (at most `n`, newest first), one line each.
pub fn warnings(pane: &Pane, theme: &Theme, width: u16, n: usize) -> Vec<Line<'static>> {
    let w = width as usize;
    let lines = pane.state.warnings.iter().rev().take(n);
    lines
        .map(|warn| Line::styled(truncate(&format!("⚠ {warn}"), w), theme.warning))
        .collect()
}

/// The latest `n` warnings, each wrapped to `width` in at most
/// `rows_each` lines.
pub fn warning_lines(
    pane: &Pane,
    theme: &Theme,
    width: u16,
    n: usize,
    rows_each: usize,
) -> Vec<Line<'static>> {
    let lines = pane.state.warnings.iter().rev().take(n);
    lines
        .flat_map(|warn| wrap_rows(&format!("⚠ {warn}"), theme.warning, width, rows_each))
        .collect()
}

/// How the last run ended: its summary, or why it stopped.
pub fn outcome_line(pane: &Pane, theme: &Theme, width: u16) -> Option<Line<'static>> {
    let w = width as usize;
    Some(match &pane.outcome.as_ref()?.result {
        Ok(v) => Line::styled(truncate(&v.summary(), w), theme.ok),
        Err(e) => Line::styled(truncate(&format!("ended: {e}"), w), theme.error),
    })
}

/// The run's summary (or its error) wrapped to `width` in at most
/// `max_rows` lines; the last line ends in `…` when even they are short.
pub fn outcome_lines(
    pane: &Pane,
    theme: &Theme,
    width: u16,
    max_rows: usize,
) -> Vec<Line<'static>> {
    let Some(outcome) = pane.outcome.as_ref() else {
        return Vec::new();
    };
    let (text, style) = match &outcome.result {
        Ok(v) => (v.summary(), theme.ok),
        Err(e) => (format!("ended: {e}"), theme.error),
    };
    wrap_rows(&text, style, width, max_rows)
}

/// `text` word-wrapped to `width` in at most `max_rows` lines (at least
/// one), the last cut with `…` when the text needs more.
pub fn wrap_rows(text: &str, style: Style, width: u16, max_rows: usize) -> Vec<Line<'static>> {
    let w = (width as usize).max(1);
    let mut lines =
        crate::ui::lesson::wrap::wrap(&[(text.to_string(), style)], w, Vec::new(), Vec::new());
    let max_rows = max_rows.max(1);
    if lines.len() > max_rows {
        lines.truncate(max_rows);
        if let Some(last) = lines.last_mut() {
            let t: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
            *last = Line::styled(truncate(&format!("{t} …"), w), style);
        }
    }
    lines
}

/// Rectangles of the given heights stacked from the top of `area`, each
/// cut to what is left of it.
pub fn stack<const N: usize>(area: Rect, heights: [u16; N]) -> [Rect; N] {
    let mut y = area.y;
    heights.map(|h| {
        let top = y.min(area.bottom());
        let h = h.min(area.bottom() - top);
        y = top + h;
        Rect {
            y: top,
            height: h,
            ..area
        }
    })
}
