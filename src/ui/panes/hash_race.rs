//! The hash search on N workers: each lane's rate, the total, and a chart
//! of the speed-up of every run against the sequential one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::demos::hash::HashOutput;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::lane_table::MAX_LANES;
use crate::ui::widgets::{
    BigText, Figure, Figures, LaneColumns, LaneTable, RunsChart, RunsMetric, Timeline, si,
};

/// Draws the hash race pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let s = &pane.state;
    let lanes: Vec<_> = s.lanes.values().collect();
    let n = lanes.len().clamp(1, MAX_LANES) as u16;
    let big = area.height >= 30;
    let [head, rates, time, chart, legend] = Layout::vertical([
        Constraint::Length(if big { 4 } else { 2 }),
        Constraint::Length(n + 1),
        Constraint::Length(n + 1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    headline(frame, head, pane, theme, big);
    let table = LaneTable::new(&lanes, s, theme)
        .columns(LaneColumns::Rates)
        .empty("Enter starts the search");
    frame.render_widget(&table, rates);
    let rows = lanes.iter().take(MAX_LANES).map(|l| (l.name.as_str(), *l));
    let timeline = Timeline::new(rows, s.now_us, theme)
        .title("time-line   g = waiting for the GIL", false)
        .title_style(theme.dim)
        .style(theme.text);
    frame.render_widget(&timeline, time);
    let runs = RunsChart::new(&pane.history, theme)
        .title("runs compared: total hashes/s (speed-up vs sequential)")
        .empty(
            "run sequential first (1), then threads with the GIL (2), without (3), processes (4)",
        )
        .metric(RunsMetric::Rate)
        .columns(16, 36);
    frame.render_widget(&runs, chart);
    frame.render_widget(&common::lane_legend(theme), legend);
}

/// The total rate (big when there is room), the nonce once found, hashes.
fn headline(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme, big: bool) {
    let s = &pane.state;
    let total = match pane.history.last() {
        // After the run, the average over the whole run says more.
        Some(r) if pane.run.is_none() => r.rate,
        _ => s.rate.per_sec(),
    };
    let found = pane
        .outcome
        .as_ref()
        .and_then(|o| o.result.as_ref().ok())
        .and_then(|v| v.as_any().downcast_ref::<HashOutput>())
        .and_then(|h| h.nonce);
    let (status, status_style) = match found {
        Some(nonce) => (format!("nonce {nonce}"), theme.ok),
        None => (format!("{:.2} s", pane.elapsed_s()), theme.text),
    };
    let hashes = format!("{} hashes", si(s.done as f64));
    if !big {
        let figures = Figures::new([
            Figure::new(format!("{} hashes/s", si(total)), "total"),
            Figure::new(status, "").style(status_style),
            Figure::new(hashes, "").style(theme.dim),
        ])
        .value_style(theme.big)
        .style(theme.dim);
        frame.render_widget(&figures, area);
        return;
    }
    let [fig, side] = Layout::horizontal([Constraint::Min(20), Constraint::Length(30)]).areas(area);
    let figure = BigText::new(format!("{:.2}", total / 1e6)).style(theme.big);
    frame.render_widget(&figure, fig);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled("M hashes/s in total", theme.dim)),
            Line::from(Span::styled(status, status_style)),
            Line::from(Span::styled(hashes, theme.dim)),
        ]),
        side,
    );
}
