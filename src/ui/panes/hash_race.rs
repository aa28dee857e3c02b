//! The hash search on N workers: each lane's rate, the total, and a chart
//! of the speed-up of every run against the sequential one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common::{self, si};
use crate::demos::hash::HashOutput;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::big::BigText;

/// Draws the hash race pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let w = area.width as usize;
    let s = &pane.state;
    let lanes: Vec<_> = s.lanes.values().collect();
    let n = lanes.len().clamp(1, 16) as u16;
    let big = area.height >= 30;
    let [head, rates, time, chart, legend] = Layout::vertical([
        Constraint::Length(if big { 4 } else { 2 }),
        Constraint::Length(n + 1),
        Constraint::Length(n + 1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);

    let total = s.rate.per_sec();
    let total = if pane.run.is_none() {
        // After the run, the average over the whole run says more.
        pane.history.last().map(|r| r.rate).unwrap_or(total)
    } else {
        total
    };
    let found = pane
        .outcome
        .as_ref()
        .and_then(|o| o.result.as_ref().ok())
        .and_then(|v| v.as_any().downcast_ref::<HashOutput>())
        .and_then(|h| h.nonce);
    let status = match found {
        Some(nonce) => Span::styled(format!("nonce {nonce}"), theme.ok),
        None => Span::styled(format!("{:.2} s", pane.elapsed_s()), theme.text),
    };
    if big {
        let [fig, side] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(30)]).areas(head);
        frame.render_widget(
            &BigText::new(format!("{:.2}", total / 1e6)).style(theme.big),
            fig,
        );
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(Span::styled("M hashes/s in total", theme.dim)),
                Line::from(status),
                Line::from(Span::styled(
                    format!("{} hashes", si(s.done as f64)),
                    theme.dim,
                )),
            ]),
            side,
        );
    } else {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{} hashes/s", si(total)), theme.big),
                Span::styled("  total   ", theme.dim),
                status,
                Span::styled(format!("   {} hashes", si(s.done as f64)), theme.dim),
            ])),
            head,
        );
    }

    // Per-lane rates as bars.
    let max_rate = lanes.iter().map(|l| l.rate.per_sec()).fold(1.0, f64::max);
    let bar_w = w.saturating_sub(34);
    let mut rows = vec![Line::from(Span::styled(
        format!("{:<12} {:<12} {:>10}  rate", "lane", "state", "hashes/s"),
        theme.dim,
    ))];
    for lane in lanes.iter().take(16) {
        let (st, _, label) = common::activity_style(&lane.activity, theme);
        let r = lane.rate.per_sec();
        let bar = ((r / max_rate) * bar_w as f64).round() as usize;
        let name = match lane.pid {
            Some(pid) => format!("{} {pid}", lane.name),
            None => lane.name.clone(),
        };
        rows.push(Line::from(vec![
            Span::styled(format!("{:<12} ", truncate(&name, 12)), theme.text),
            Span::styled(format!("{:<12} ", truncate(&label, 12)), st),
            Span::styled(format!("{:>10}  ", si(r)), theme.strong),
            Span::styled("█".repeat(bar), st),
        ]));
    }
    if lanes.is_empty() {
        rows.push(Line::from(Span::styled(
            "Enter starts the search",
            theme.dim,
        )));
    }
    frame.render_widget(Paragraph::new(rows), rates);

    let tl_w = w.saturating_sub(12);
    let mut tl = vec![Line::from(Span::styled(
        "time-line   g = waiting for the GIL",
        theme.dim,
    ))];
    for lane in lanes.iter().take(16) {
        let mut spans = vec![Span::styled(
            format!("{:<12}", truncate(&lane.name, 11)),
            theme.text,
        )];
        spans.extend(common::timeline(lane, s.now_us, tl_w, theme));
        tl.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(tl), time);

    frame.render_widget(
        Paragraph::new(speedup_chart(pane, theme, w, chart.height as usize)),
        chart,
    );
    frame.render_widget(Paragraph::new(common::legend(theme)), legend);
}

/// One bar per past run: total rate, and speed-up against the sequential
/// run (the first mode) when there is one.
fn speedup_chart(pane: &Pane, theme: &Theme, w: usize, rows: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(
        "runs compared: total hashes/s (speed-up vs sequential)",
        theme.heading,
    ))];
    if pane.history.is_empty() {
        lines.push(Line::from(Span::styled(
            "run sequential first (1), then threads with the GIL (2), without (3), processes (4)",
            theme.dim,
        )));
        return lines;
    }
    let base = pane
        .history
        .iter()
        .rev()
        .find(|r| r.mode_index == 0 && r.ok && r.rate > 0.0)
        .map(|r| r.rate);
    let max = pane.history.iter().map(|r| r.rate).fold(1.0, f64::max);
    let bar_w = w.saturating_sub(36).max(4);
    for r in pane.history.iter().rev().take(rows.saturating_sub(1)).rev() {
        let n = ((r.rate / max) * bar_w as f64).round().max(1.0) as usize;
        let who = match &r.workers {
            Some(k) if r.mode_index != 0 => format!("{} ×{k}", r.mode),
            _ => r.mode.to_string(),
        };
        let speedup = base
            .map(|b| format!(" ×{:.2}", r.rate / b))
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", truncate(&who, 15)), theme.text),
            Span::styled(
                "█".repeat(n),
                if r.ok { theme.running } else { theme.failed },
            ),
            Span::styled(format!(" {}/s", si(r.rate)), theme.strong),
            Span::styled(speedup, theme.big),
        ]));
    }
    lines
}
