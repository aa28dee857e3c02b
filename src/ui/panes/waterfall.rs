//! The download pane: one bar per request on a shared time axis, coloured
//! by phase, with the headline figures above and the runs compared below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{common, headline};
use crate::trace::RunState;
use crate::trace::fold::{Status, Unit};
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::{Requests, RunsChart, Waterfall};

/// Draws the waterfall pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Worked out once per event, not once per frame.
    let summary = pane.state.derived(Summary::of);
    let requests = &summary.requests;
    let total = total(pane, requests.len());
    // Large figures on top when the pane has rows to spare.
    let big = headline::of_requests(pane, theme, requests, total);
    let (_, area) = headline::big_top_drawn(frame, area, &big, 24);
    let w = area.width;
    // The line of figures stays under the large ones: it also counts failures.
    let headline = flow(headline(pane, requests, total, theme), w, theme.dim);
    // A short pane keeps room for the chart: the run's summary replaces
    // the latest output line once the run is over.
    let last_failed = summary.last_failed.map(|i| &pane.state.units[i]);
    let notes = notes(pane, last_failed, theme, area.height >= 16);
    let notes_h = wrapped_height(&notes, w);
    let chart = RunsChart::new(&pane.history, theme)
        .title("modes compared (wall time)")
        .columns(14, 28)
        .last(4);
    let tail_h = (notes_h + chart.height()).min(area.height / 3);
    let [figures, bars, tail, legend] = Layout::vertical([
        Constraint::Length(headline.len() as u16),
        Constraint::Min(4),
        Constraint::Length(tail_h),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(headline), figures);
    let waterfall = Waterfall::new(&pane.state, requests, theme)
        .end_us(pane.now_us())
        .total(total);
    frame.render_widget(&waterfall, bars);
    let [n, c] = common::stack(tail, [notes_h, chart.height()]);
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), n);
    frame.render_widget(&chart, c);
    frame.render_widget(&Waterfall::legend(theme), legend);
}

/// What the pane reads from every unit of the run.
#[derive(Debug)]
struct Summary {
    requests: Requests,
    /// The last unit in the list that failed (`main` too), by position.
    last_failed: Option<usize>,
}

impl Summary {
    fn of(state: &RunState) -> Summary {
        let last_failed = state
            .units
            .iter()
            .rposition(|u| matches!(u.status, Status::Failed(_)));
        Summary {
            requests: Requests::of(state),
            last_failed,
        }
    }
}

/// The latest failure (`last_failed`), the latest line of output, then how
/// the run ended (its summary, the failures by kind on their own line).
fn notes(
    pane: &Pane,
    last_failed: Option<&Unit>,
    theme: &Theme,
    roomy: bool,
) -> Vec<Line<'static>> {
    let mut notes = Vec::new();
    if let Some(u) = last_failed
        && let Status::Failed(e) = &u.status
    {
        notes.push(Line::styled(format!("✗ {}: {e}", u.label), theme.failed));
    }
    if let Some(l) = pane.state.output.last()
        && (roomy || pane.outcome.is_none())
    {
        notes.push(Line::styled(l.clone(), theme.text));
    }
    match pane.outcome.as_ref().map(|o| &o.result) {
        // The failures by kind on a line of their own.
        Some(Ok(v)) => notes.extend(
            v.summary()
                .split("; ")
                .map(|part| Line::styled(part.to_string(), theme.ok)),
        ),
        Some(Err(e)) => notes.push(Line::styled(format!("ended: {e:#}"), theme.error)),
        None => {}
    }
    notes
}

/// Rows `lines` take at `width` once wrapped (an estimate by characters).
fn wrapped_height(lines: &[Line], width: u16) -> u16 {
    let w = usize::from(width.max(1));
    lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(w))
        .sum::<usize>() as u16
}

/// How many requests the run makes (its `count`), or has made so far
/// (`made`) if more.
fn total(pane: &Pane, made: usize) -> usize {
    pane.request
        .text("count")
        .parse()
        .map_or(made, |n: usize| n.max(made))
}

/// A figure: its value, its label, the value's style.
type Item = (String, &'static str, Style);

/// Elapsed time, requests ended out of all, their rate, and failures (red
/// once there are any).
fn headline(pane: &Pane, requests: &Requests, total: usize, theme: &Theme) -> Vec<Item> {
    let (finished, failed) = (requests.finished, requests.failed_count());
    let secs = pane.elapsed_s().max(1e-9);
    let ended = requests.ended();
    let failed_style = if failed > 0 { theme.failed } else { theme.dim };
    vec![
        (format!("{:.2} s", pane.elapsed_s()), "elapsed", theme.big),
        (format!("{}/{total}", finished + failed), "done", theme.big),
        (
            format!("{:.1}", ended as f64 / secs),
            "requests/s",
            theme.big,
        ),
        (format!("{failed}"), "failed", failed_style),
    ]
}

/// The figures in a row, wrapped before a figure that would not fit (never
/// inside one).
fn flow(items: Vec<Item>, width: u16, label_style: Style) -> Vec<Line<'static>> {
    const GAP: usize = 3;
    let width = usize::from(width);
    let mut lines: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0;
    for (value, label, style) in items {
        let w = value.chars().count() + 2 + label.chars().count();
        if used > 0 && used + GAP + w > width {
            lines.push(Vec::new());
            used = 0;
        }
        let line = lines.last_mut().expect("one line at least");
        if used > 0 {
            line.push(Span::raw(" ".repeat(GAP)));
            used += GAP;
        }
        line.push(Span::styled(value, style));
        line.push(Span::styled(format!("  {label}"), label_style));
        used += w;
    }
    lines.into_iter().map(Line::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn figures_wrap_between_figures_never_inside_one() {
        let item = |v: &str, l| (v.to_string(), l, Style::new());
        let items = || {
            vec![
                item("4.52 s", "elapsed"),
                item("160/160", "done"),
                item("35.4", "requests/s"),
                item("18", "failed"),
            ]
        };
        assert_eq!(
            text(&flow(items(), 80, Style::new())),
            ["4.52 s  elapsed   160/160  done   35.4  requests/s   18  failed"]
        );
        assert_eq!(
            text(&flow(items(), 40, Style::new())),
            [
                "4.52 s  elapsed   160/160  done",
                "35.4  requests/s   18  failed"
            ]
        );
    }
}
