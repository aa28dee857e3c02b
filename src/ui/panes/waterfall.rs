//! The download pane: requests as bars on a shared time axis, coloured by
//! phase, with the modes' wall times compared below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{common, headline};
use crate::trace::fold::{Status, Unit};
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::{Figure, Figures, RunsChart, Waterfall};

/// Draws the waterfall pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Large figures on top when the pane has rows to spare.
    let big = headline::of_requests(pane, theme, &requests(pane));
    let (big, area) = headline::big_top_drawn(frame, area, &big, 24);
    let [figures, bars, tail, legend] = Layout::vertical([
        Constraint::Length(if big { 0 } else { 2 }),
        Constraint::Min(4),
        Constraint::Length(tail_height(pane, area.height)),
        Constraint::Length(1),
    ])
    .areas(area);
    let units = requests(pane);
    frame.render_widget(&headline(pane, &units, theme), figures);
    frame.render_widget(&Waterfall::new(&units, &pane.state, theme), bars);

    let mut notes = Vec::new();
    let w = area.width as usize;
    let last_failed = pane.state.units.iter().rev().find_map(|u| match &u.status {
        Status::Failed(e) => Some((&u.label, e)),
        _ => None,
    });
    if let Some((label, e)) = last_failed {
        let text = truncate(&format!("✗ {label}: {e}"), w);
        notes.push(Line::styled(text, theme.failed));
    }
    match common::outcome_line(pane, theme, area.width) {
        Some(line) => notes.push(line),
        None => notes.extend(
            pane.state
                .output
                .last()
                .map(|l| Line::styled(truncate(l, w), theme.text)),
        ),
    }
    let chart = RunsChart::new(&pane.history, theme)
        .title("modes compared (wall time)")
        .columns(14, 28)
        .last(4);
    let [n, c] = common::stack(tail, [notes.len() as u16, chart.height()]);
    frame.render_widget(Paragraph::new(notes), n);
    frame.render_widget(&chart, c);
    frame.render_widget(&Waterfall::legend(theme), legend);
}

fn tail_height(pane: &Pane, h: u16) -> u16 {
    let want = pane.history.len().min(4) as u16 + 4;
    want.min(h / 3)
}

/// The requests: every unit but the event loop's `main` task.
fn requests(pane: &Pane) -> Vec<&Unit> {
    pane.state
        .units
        .iter()
        .filter(|u| u.label != "main")
        .collect()
}

/// Elapsed time, requests downloaded, their rate and failures.
fn headline<'a>(pane: &Pane, units: &[&Unit], theme: &Theme) -> Figures<'a> {
    let (mut finished, mut failed, mut cancelled) = (0u32, 0u32, 0u32);
    for u in units {
        match u.status {
            Status::Finished(_) => finished += 1,
            Status::Failed(_) => failed += 1,
            Status::Cancelled => cancelled += 1,
            _ => {}
        }
    }
    let secs = pane.elapsed_s().max(1e-9);
    let ended = finished + failed + cancelled;
    let failed_style = if failed > 0 { theme.failed } else { theme.dim };
    Figures::new([
        Figure::new(format!("{:.2} s", pane.elapsed_s()), "elapsed"),
        Figure::new(format!("{finished}/{}", units.len()), "downloaded"),
        Figure::new(format!("{:.1}", f64::from(ended) / secs), "requests/s"),
        Figure::new(format!("{failed} failed"), "").style(failed_style),
    ])
    .value_style(theme.big)
    .style(theme.dim)
}
