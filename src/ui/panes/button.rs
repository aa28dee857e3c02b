//! The button pane: a button, its clicks and their latency, a ticking clock,
//! and the long hash search beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Gauge, Paragraph, Wrap};

use super::common::{self, si};
use crate::demos::Modes;
use crate::demos::button::{ButtonOutput, Mode};
use crate::demos::hash::{Prefix, estimate};
use crate::ui::button::{FREEZE_LIMIT, measured_rate};
use crate::ui::pane::{Pane, Phase};
use crate::ui::theme::Theme;
use crate::ui::widgets::big::BigText;

/// Draws the button pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let Some(button) = pane.button.as_ref() else {
        return;
    };
    let big = area.height >= 24;
    let [top, latency, search, explain] = Layout::vertical([
        Constraint::Length(if big { 6 } else { 4 }),
        Constraint::Length(if big { 5 } else { 2 }),
        Constraint::Length(4),
        Constraint::Min(0),
    ])
    .areas(area);

    // The button, the click counter and the clock.
    let [b_area, clicks_area, clock_area] = Layout::horizontal([
        Constraint::Length(18),
        Constraint::Min(10),
        Constraint::Length(16),
    ])
    .areas(top);
    let pressed = button
        .last_click
        .is_some_and(|t| t.elapsed().as_millis() < 150);
    let b_style = if pressed {
        theme.selected
    } else {
        theme.tab_active
    };
    let b_block = Block::default()
        .borders(Borders::ALL)
        .border_type(if pressed {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(theme.border_focus);
    let b_inner = b_block.inner(b_area);
    frame.render_widget(b_block, b_area);
    let label_y = b_inner.y + b_inner.height.saturating_sub(1) / 2;
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled("  PRESS ME (b)  ", b_style)))
            .alignment(ratatui::layout::Alignment::Center),
        Rect::new(b_inner.x, label_y, b_inner.width, 1),
    );
    let clicks = button.clicks.to_string();
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(" clicks: {clicks}"),
            theme.dim,
        ))),
        clicks_area,
    );
    let figure_area = Rect {
        y: clicks_area.y + 1,
        height: clicks_area.height.saturating_sub(1),
        x: clicks_area.x + 1,
        width: clicks_area.width.saturating_sub(1),
    };
    frame.render_widget(&BigText::new(clicks).style(theme.big), figure_area);
    let now = clock_now();
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled("clock", theme.dim)),
            Line::from(Span::styled(now, theme.big)),
            Line::from(Span::styled(
                if pane.phase() == Phase::Running {
                    "ticking"
                } else {
                    ""
                },
                theme.dim,
            )),
        ]),
        clock_area,
    );

    // Input latency.
    let mut lat = vec![Line::from(Span::styled(
        "input latency (key → frame on screen)",
        theme.heading,
    ))];
    match button.stats() {
        Some(s) => {
            let style = |ms: f64| {
                if ms <= 16.7 {
                    theme.ok
                } else if ms <= 100.0 {
                    theme.warning
                } else {
                    theme.error
                }
            };
            if big {
                frame.render_widget(Paragraph::new(lat.clone()), latency);
                let [a, b] =
                    Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                        .areas(Rect {
                            y: latency.y + 1,
                            height: latency.height - 1,
                            ..latency
                        });
                frame.render_widget(
                    &BigText::new(format!("{:.0}", s.p99)).style(style(s.p99)),
                    a,
                );
                frame.render_widget(
                    Paragraph::new(vec![
                        Line::from(vec![
                            Span::styled("p99 ms  ", theme.dim),
                            Span::styled(format!("last {:.1}", s.last), style(s.last)),
                        ]),
                        Line::from(vec![
                            Span::styled(format!("p50 {:.1}", s.p50), style(s.p50)),
                            Span::styled(format!("  max {:.1}", s.max), style(s.max)),
                        ]),
                        Line::from(Span::styled(format!("{} clicks measured", s.n), theme.dim)),
                    ]),
                    b,
                );
                lat.clear();
            } else {
                lat.push(Line::from(vec![
                    Span::styled(format!("last {:.1} ms  ", s.last), style(s.last)),
                    Span::styled(format!("p50 {:.1} ms  ", s.p50), style(s.p50)),
                    Span::styled(format!("p99 {:.1} ms  ", s.p99), style(s.p99)),
                    Span::styled(format!("({} clicks)", s.n), theme.dim),
                ]));
            }
        }
        None => lat.push(Line::from(Span::styled(
            "press b (or click the button) while the search runs",
            theme.dim,
        ))),
    }
    if !lat.is_empty() {
        frame.render_widget(Paragraph::new(lat), latency);
    }

    // The search.
    let prefix = Prefix::parse(&pane.request.text("prefix")).ok();
    let expected = prefix.as_ref().map(|p| p.expected_hashes()).unwrap_or(1.0);
    let rate = pane.state.rate.per_sec();
    let done = pane.state.done as f64;
    let mut lines = vec![Line::from(vec![
        Span::styled("search ", theme.heading),
        Span::styled(format!("{} hashes/s", si(rate)), theme.big),
        Span::styled(format!("  {} hashes", si(done)), theme.text),
        Span::styled(
            format!(
                "  expected ≈ {} (16^{})",
                si(expected),
                prefix.as_ref().map(|p| p.len()).unwrap_or(0)
            ),
            theme.dim,
        ),
    ])];
    let mode = Mode::at(pane.request.mode_index());
    match &pane.outcome {
        Some(o) => lines.push(Line::from(match &o.result {
            Ok(v) => {
                let nonce = v
                    .as_any()
                    .downcast_ref::<ButtonOutput>()
                    .and_then(|b| b.nonce);
                let nonce = nonce.map_or("None".into(), |n| n.to_string());
                Span::styled(
                    format!("found nonce {nonce} in {:.2} s", o.wall_ms / 1000.0),
                    theme.ok,
                )
            }
            Err(e) => Span::styled(e.clone(), theme.warning),
        })),
        None if pane.run.is_none() => {
            let note = match (mode, prefix.as_ref()) {
                (Mode::Blocking, _) => format!(
                    "blocking freezes the whole screen for up to {} s: the clock stops, clicks wait",
                    FREEZE_LIMIT.as_secs()
                ),
                (_, Some(p)) => match measured_rate() {
                    Some(rate) => format!(
                        "about {:.1} s on one core of this machine ({} hashes/s); Enter starts it",
                        estimate(p, rate).as_secs_f64(),
                        si(rate)
                    ),
                    None => "measuring this machine's hash rate…".into(),
                },
                _ => String::new(),
            };
            lines.push(Line::from(Span::styled(note, theme.dim)));
        }
        _ => {}
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: 2,
            ..search
        },
    );
    let ratio = (done / expected).clamp(0.0, 1.0);
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(format!("{:.0}% of the expected work", ratio * 100.0))
            .gauge_style(theme.running),
        Rect {
            y: search.y + 2,
            height: 1,
            ..search
        },
    );

    // What this mode is, and what happened.
    let mode_help = pane.request.example.modes()[pane.request.mode_index()].help;
    let mut text = vec![Line::from(vec![
        Span::styled(format!("{}: ", pane.request.mode()), theme.strong),
        Span::styled(mode_help, theme.text),
    ])];
    if mode == Mode::Cooperative {
        text.push(Line::from(vec![
            Span::styled("K = ", theme.dim),
            Span::styled(pane.request.text("yield-every"), theme.strong),
            Span::styled(" hashes between yields; [ and ] change it live", theme.dim),
        ]));
    }
    if let (Some(froze), Some(s)) = (button.froze_for, button.stats()) {
        text.push(Line::from(Span::styled(
            format!(
                "the screen froze for {:.1} s; {} click(s) landed up to {:.0} ms late",
                froze.as_secs_f64(),
                s.n,
                s.max
            ),
            theme.error,
        )));
    } else if let Some(froze) = button.froze_for {
        text.push(Line::from(Span::styled(
            format!("the screen froze for {:.1} s", froze.as_secs_f64()),
            theme.error,
        )));
    }
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), explain);
}

/// The wall clock as hh:mm:ss.t (UTC), to show the screen is alive.
fn clock_now() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let s = d.as_secs();
    format!(
        "{:02}:{:02}:{:02}.{}",
        (s / 3600) % 24,
        (s / 60) % 60,
        s % 60,
        d.subsec_millis() / 100
    )
}
