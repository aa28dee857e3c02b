//! The button pane: a button, its clicks and their latency, a ticking clock,
//! and the long hash search beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use super::common;
use crate::demos::Modes;
use crate::demos::button::{ButtonOutput, Mode};
use crate::demos::hash::{Prefix, estimate};
use crate::ui::button::{ButtonState, FREEZE_LIMIT, LatencyStats};
use crate::ui::pane::{Pane, Phase};
use crate::ui::theme::Theme;
use crate::ui::widgets::{BigText, PushButton, si};

/// Draws the button pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let Some(button) = pane.button.as_ref() else {
        return;
    };
    let big = area.height >= 24;
    let search_text = search_lines(pane, theme, area.width);
    let search_rows = u16::try_from(search_text.len()).unwrap_or(2) + 2;
    let [top, latency_area, search_area, explain_area] = Layout::vertical([
        Constraint::Length(if big { 6 } else { 4 }),
        Constraint::Length(if big { 5 } else { 2 }),
        Constraint::Length(search_rows),
        Constraint::Min(0),
    ])
    .areas(area);
    controls(frame, top, pane, button, theme);
    latency(frame, latency_area, button, theme, big);
    search(frame, search_area, pane, search_text, theme);
    explain(frame, explain_area, pane, button, theme);
}

/// The button, the click counter and the clock.
fn controls(frame: &mut Frame, area: Rect, pane: &Pane, button: &ButtonState, theme: &Theme) {
    let [b_area, clicks_area, clock_area] = Layout::horizontal([
        Constraint::Length(18),
        Constraint::Min(10),
        Constraint::Length(16),
    ])
    .areas(area);
    let push = PushButton::new("  PRESS ME (b)  ")
        .pressed(pane.button_pressed())
        .style(theme.tab_active)
        .pressed_style(theme.selected)
        .border_style(theme.border_focus);
    frame.render_widget(&push, b_area);
    let clicks = button.clicks.to_string();
    let label = Line::styled(format!(" clicks: {clicks}"), theme.dim);
    frame.render_widget(label, clicks_area);
    let figure_area = Rect {
        y: clicks_area.y + 1,
        height: clicks_area.height.saturating_sub(1),
        x: clicks_area.x + 1,
        width: clicks_area.width.saturating_sub(1),
    };
    frame.render_widget(&BigText::new(clicks).style(theme.big), figure_area);
    // Before the first tick (a still render) the clock shows no time.
    let now = pane
        .now
        .map_or_else(|| "--:--:--.-".into(), |n| n.clock_text());
    let ticking = if pane.phase() == Phase::Running {
        "ticking"
    } else {
        ""
    };
    let clock = Paragraph::new(vec![
        Line::styled("clock", theme.dim),
        Line::styled(now, theme.big),
        Line::styled(ticking, theme.dim),
    ]);
    frame.render_widget(clock, clock_area);
}

/// Input latency: p99 in big figures when there is room.
fn latency(frame: &mut Frame, area: Rect, button: &ButtonState, theme: &Theme, big: bool) {
    let heading = Line::styled("input latency (key → frame on screen)", theme.heading);
    let Some(s) = button.stats() else {
        let hint = "press b (or click the button) while the search runs";
        let lines = vec![heading, Line::styled(hint, theme.dim)];
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    let style = |ms: f64| latency_style(ms, theme);
    if !big {
        let figures = Line::from(vec![
            Span::styled(format!("last {:.1} ms  ", s.last), style(s.last)),
            Span::styled(format!("p50 {:.1} ms  ", s.p50), style(s.p50)),
            Span::styled(
                format!("p99 {:.1} ms {}  ", s.p99, verdict(s.p99)),
                style(s.p99),
            ),
            Span::styled(format!("({} clicks)", s.n), theme.dim),
        ]);
        frame.render_widget(Paragraph::new(vec![heading, figures]), area);
        return;
    }
    frame.render_widget(heading, area);
    let [a, b] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
        .areas(Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        });
    let p99 = BigText::new(format!("{:.0}", s.p99)).style(style(s.p99));
    frame.render_widget(&p99, a);
    frame.render_widget(Paragraph::new(latency_figures(&s, theme)), b);
}

/// Beside the big p99: last, p50, max and how many clicks were measured.
fn latency_figures(s: &LatencyStats, theme: &Theme) -> Vec<Line<'static>> {
    let style = |ms: f64| latency_style(ms, theme);
    vec![
        Line::from(vec![
            Span::styled("p99 ms  ", theme.dim),
            Span::styled(format!("last {:.1}", s.last), style(s.last)),
        ]),
        Line::from(vec![
            Span::styled(format!("p50 {:.1}", s.p50), style(s.p50)),
            Span::styled(format!("  max {:.1}", s.max), style(s.max)),
        ]),
        Line::styled(format!("p99 feels {}", verdict(s.p99)), style(s.p99)),
        Line::styled(format!("{} clicks measured", s.n), theme.dim),
    ]
}

/// The budget's verdict in words, so it reads without colour (`NO_COLOR`).
fn verdict(ms: f64) -> &'static str {
    if ms <= 16.7 {
        "instant"
    } else if ms <= 100.0 {
        "sluggish"
    } else {
        "broken"
    }
}

/// Within a frame at 60 Hz is fine; up to 100 ms is noticeable; more hurts.
fn latency_style(ms: f64, theme: &Theme) -> Style {
    if ms <= 16.7 {
        theme.ok
    } else if ms <= 100.0 {
        theme.warning
    } else {
        theme.error
    }
}

/// The search's figures and the note under them, wrapped to `width`
/// (at most two rows each).
fn search_lines(pane: &Pane, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let prefix = Prefix::parse(&pane.request.text("prefix")).ok();
    let expected = prefix.as_ref().map_or(1.0, Prefix::expected_hashes);
    let digits = prefix.as_ref().map_or(0, Prefix::len);
    let pieces = [
        ("search ".to_string(), theme.heading),
        (
            format!("{} hashes/s", si(pane.state.rate.per_sec())),
            theme.big,
        ),
        (
            format!("  {} hashes", si(pane.state.done as f64)),
            theme.text,
        ),
        (
            format!("  expected ≈ {} (16^{digits})", si(expected)),
            theme.dim,
        ),
    ];
    let w = (width as usize).max(1);
    let mut lines = crate::ui::lesson::wrap::wrap(&pieces, w, Vec::new(), Vec::new());
    lines.truncate(2);
    if let Some((text, style)) = search_note(pane, prefix.as_ref(), theme) {
        lines.extend(common::wrap_rows(&text, style, width, 2));
    }
    lines
}

/// The search: its figures, what it found or will take, and its progress.
fn search(frame: &mut Frame, area: Rect, pane: &Pane, lines: Vec<Line<'static>>, theme: &Theme) {
    let prefix = Prefix::parse(&pane.request.text("prefix")).ok();
    let expected = prefix.as_ref().map_or(1.0, Prefix::expected_hashes);
    let done = pane.state.done as f64;
    let rows = u16::try_from(lines.len()).unwrap_or(2);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: rows.min(area.height),
            ..area
        },
    );
    let ratio = (done / expected).clamp(0.0, 1.0);
    let gauge = Gauge::default()
        .ratio(ratio)
        .label(format!("{:.0}% of the expected work", ratio * 100.0))
        .gauge_style(theme.running);
    frame.render_widget(
        gauge,
        Rect {
            y: area.y + rows.min(area.height.saturating_sub(1)),
            height: 1,
            ..area
        },
    );
}

/// Under the search figures: the nonce found, or what a run will do.
fn search_note(pane: &Pane, prefix: Option<&Prefix>, theme: &Theme) -> Option<(String, Style)> {
    if let Some(o) = &pane.outcome {
        return Some(match &o.result {
            Ok(v) => {
                let nonce = v
                    .as_any()
                    .downcast_ref::<ButtonOutput>()
                    .and_then(|b| b.nonce);
                let nonce = nonce.map_or("None".into(), |n| n.to_string());
                let text = format!("found nonce {nonce} in {:.2} s", o.wall_ms / 1000.0);
                (text, theme.ok)
            }
            Err(e) => (e.clone(), theme.warning),
        });
    }
    if pane.run.is_some() {
        return None;
    }
    let rate = pane.button.as_ref().and_then(|b| b.rate);
    let note = match (Mode::at(pane.request.mode_index()), prefix) {
        (Mode::Blocking, _) => format!(
            "blocking freezes the whole screen for up to {} s: the clock stops, clicks wait",
            FREEZE_LIMIT.as_secs()
        ),
        (_, Some(p)) => match rate {
            Some(rate) => format!(
                "about {:.1} s on one core of this machine ({} hashes/s); Enter starts it",
                estimate(p, rate).as_secs_f64(),
                si(rate)
            ),
            None => "measuring this machine's hash rate…".into(),
        },
        _ => String::new(),
    };
    Some((note, theme.dim))
}

/// What this mode is, and what happened.
fn explain(frame: &mut Frame, area: Rect, pane: &Pane, button: &ButtonState, theme: &Theme) {
    let mode_help = pane.request.example.modes()[pane.request.mode_index()].help;
    let mut text = vec![Line::from(vec![
        Span::styled(format!("{}: ", pane.request.mode()), theme.strong),
        Span::styled(mode_help, theme.text),
    ])];
    if Mode::at(pane.request.mode_index()) == Mode::Cooperative {
        text.push(Line::from(vec![
            Span::styled("K = ", theme.dim),
            Span::styled(pane.request.text("yield-every"), theme.strong),
            Span::styled(" hashes between yields; [ and ] change it live", theme.dim),
        ]));
    }
    if let Some(froze) = button.froze_for {
        let secs = froze.as_secs_f64();
        let line = match button.stats() {
            Some(s) => format!(
                "the screen froze for {secs:.1} s; {} click(s) landed up to {:.0} ms late",
                s.n, s.max
            ),
            None => format!("the screen froze for {secs:.1} s"),
        };
        text.push(Line::styled(line, theme.error));
    }
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::ThemeName;

    #[test]
    fn the_budget_verdict_is_written_out_for_colourless_terminals() {
        assert_eq!(
            [verdict(3.0), verdict(16.7), verdict(40.0), verdict(250.0)],
            ["instant", "instant", "sluggish", "broken"]
        );
        let theme = Theme::new(ThemeName::Dark, true);
        let s = LatencyStats {
            last: 120.0,
            p50: 90.0,
            p99: 140.0,
            max: 150.0,
            n: 4,
        };
        let text: Vec<String> = latency_figures(&s, &theme)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(text.iter().any(|l| l == "p99 feels broken"), "{text:?}");
    }
}
