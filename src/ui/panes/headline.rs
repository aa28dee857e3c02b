//! The large headline any pane can put above what it draws: elapsed time,
//! jobs ended and, where the work has one, its rate, when the pane has rows
//! to spare (a tall window, or the pane full screen).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::headline::split_top;
use crate::ui::widgets::{Headed, Headline, Requests};

/// The headline of `pane`: elapsed, jobs ended (once there are jobs) and
/// `rate` (per second, with its unit name) when given.
pub fn of(pane: &Pane, theme: &Theme, rate: Option<(f64, &str)>) -> Headline {
    let c = pane.state.counts;
    let mut figures = vec![Headed::elapsed(pane.elapsed_s())];
    if c.spawned > 0 {
        figures.push(Headed::ended(
            c.finished + c.failed + c.cancelled,
            c.spawned,
        ));
    }
    if let Some((per_sec, unit)) = rate {
        figures.push(Headed::rate(per_sec, unit));
    }
    Headline::new(figures)
        .value_style(theme.big)
        .style(theme.dim)
}

/// The headline of a pane of requests (the event loop's `main` left out):
/// elapsed, downloaded out of all `total` the run makes, requests ended per
/// second, and beside them how many failed.
pub fn of_requests(pane: &Pane, theme: &Theme, requests: &Requests, total: usize) -> Headline {
    let (finished, failed) = (requests.finished, requests.failed_count());
    let ended = requests.ended();
    let per_sec = ended as f64 / pane.elapsed_s().max(1e-9);
    let failed_style = if failed > 0 { theme.failed } else { theme.dim };
    Headline::new([
        Headed::elapsed(pane.elapsed_s()),
        Headed::new(format!("{finished}/{total}"), "downloaded"),
        // As the pane's own line writes them, so lessons read the same.
        Headed::new(format!("{per_sec:.1}"), "requests/s"),
        Headed::new(format!("{failed} failed"), "").style(failed_style),
    ])
    .value_style(theme.big)
    .style(theme.dim)
}

/// Draws `headline` in large type at the top of `area` when the pane can
/// spare the rows beyond the `need` it wants for the rest; returns the area
/// left for the rest (all of it when the headline is not drawn).
pub fn big_top(frame: &mut Frame, area: Rect, headline: &Headline, need: u16) -> Rect {
    big_top_drawn(frame, area, headline, need).1
}

/// [`big_top`], also saying whether the headline was drawn (a pane then
/// leaves out its own line of the same figures).
pub fn big_top_drawn(
    frame: &mut Frame,
    area: Rect,
    headline: &Headline,
    need: u16,
) -> (bool, Rect) {
    let (top, rest) = split_top(area, headline, need);
    if let Some(top) = top {
        frame.render_widget(headline, top);
    }
    (top.is_some(), rest)
}
