//! The hash search on N workers: each lane's rate, the total, and a chart
//! of the speed-up of every run against the sequential one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::demos::Modes;
use crate::demos::hash::{HashOutput, Mode};
use crate::trace::LaneRole;
use crate::trace::fold::Lane;
use crate::ui::pane::{Pane, PastRun};
use crate::ui::theme::Theme;
use crate::ui::widgets::headline::BIG_ROWS;
use crate::ui::widgets::lane_table::MAX_LANES;
use crate::ui::widgets::{
    Figure, Figures, Headed, Headline, LaneColumns, LaneTable, RunsChart, RunsMetric, Timeline, si,
};

/// Draws the hash race pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    let s = &pane.state;
    let all: Vec<_> = s.lanes.values().collect();
    // The main thread only waits in the pool modes: its row goes first
    // when rows are short, and the pane says so.
    let idle_main = |l: &&Lane| l.role == LaneRole::Main && l.done == 0 && all.len() > 1;
    let wide = pane.request.mode() == Modes::name(Mode::ThreadsGil4k);
    let history = comparable(&pane.history, wide);
    let runs = if wide {
        RunsChart::new(&history, theme)
            .title("4 KiB inputs: hashes/s (speed-up vs 1 thread)")
            .empty("run with 1 worker (-, Enter), then 2 (+, Enter)")
            .workers_on_baseline(true)
    } else {
        RunsChart::new(&history, theme)
            .title("runs compared: total hashes/s (speed-up vs sequential)")
            .empty(
                "run sequential first (1), then threads with the GIL (2), without (3), processes (4)",
            )
    }
    .metric(RunsMetric::Rate)
    .columns(if wide { 18 } else { 16 }, 36);
    let chart_h = runs.height().clamp(2, 4);
    let room = |lanes: usize| 2 * (lanes.clamp(1, MAX_LANES) as u16 + 1);
    // Large figures when every lane, the chart and the legend fit as well.
    let spare = area
        .height
        .saturating_sub(1 + chart_h + room(all.len()) + 1);
    let big = spare >= BIG_ROWS && area.width >= 56;
    let head_h = if big { BIG_ROWS } else { 1 };
    let fixed = head_h + chart_h;
    let mut lanes = all.clone();
    if fixed + 1 + room(lanes.len()) > area.height {
        lanes.retain(|l| !idle_main(l));
    }
    // The legend wraps onto a second row when there is one to spare.
    let legend = common::lane_legend_of(&pane.state, theme);
    let used = fixed + 1 + room(lanes.len());
    let legend_h = legend.rows(
        area.width,
        u16::from(used <= area.height),
        area.height.saturating_sub(used),
    );
    // Rows for each of the table and the time-line, header row included.
    let fit = (area.height.saturating_sub(fixed + legend_h) / 2).max(1);
    let shown = lanes.len().min(fit as usize - 1).min(MAX_LANES);
    let hidden = all.len() - shown;
    let n = shown.max(1) as u16;
    let [head, rates, time, chart, legend_area] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(n + 1),
        Constraint::Length(n + 1),
        Constraint::Min(0),
        Constraint::Length(legend_h),
    ])
    .areas(area);
    headline(frame, head, pane, theme, big);
    let lanes = &lanes[..shown];
    let table = LaneTable::new(lanes, s, theme)
        .columns(LaneColumns::Rates)
        .selected(pane.selected())
        .empty("Enter starts the search");
    frame.render_widget(&table, rates);
    if hidden > 0 && !lanes.is_empty() {
        let plural = if hidden == 1 { "" } else { "s" };
        let note = format!("{hidden} lane{plural} hidden: f shows them");
        let x = rates.right().saturating_sub(note.len() as u16 + 1);
        frame.render_widget(
            Line::styled(note, theme.warning),
            Rect {
                x,
                height: 1,
                ..rates
            },
        );
    }
    let rows = lanes.iter().map(|l| (l.name.as_str(), *l));
    let full = "time-line   g = waiting for the GIL, ▄ = held part of a slice";
    // The symbols' names only where they are drawn and leave room for the
    // axis's end (the legend below names them too).
    let title = if common::drawn_symbols(s, theme).contains(&'g')
        && full.chars().count() + 8 <= time.width as usize
    {
        full
    } else {
        "time-line"
    };
    // The wall clock, not the latest event: the axis moves on every frame.
    let timeline = Timeline::new(rows, pane.now_us(), theme)
        .title(title, true)
        .selected(pane.selected())
        .title_style(theme.dim)
        .style(theme.text);
    frame.render_widget(&timeline, time);
    frame.render_widget(&runs, chart);
    frame.render_widget(&legend, legend_area);
}

/// The runs the chart compares with the current mode: those on 4 KiB
/// inputs apart from the others (the same counters cost 65 times the
/// work), their baseline the run on one thread.
fn comparable(history: &[PastRun], wide: bool) -> Vec<PastRun> {
    let name = Modes::name(Mode::ThreadsGil4k);
    history
        .iter()
        .filter(|r| (r.mode == name) == wide)
        .map(|r| {
            let mut r = r.clone();
            if wide {
                r.mode_index = usize::from(r.workers.as_deref() != Some("1"));
            }
            r
        })
        .collect()
}

/// The total rate and the elapsed time (large when there is room), the
/// nonce once found, hashes.
fn headline(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme, big: bool) {
    let s = &pane.state;
    let total = match pane.history.last() {
        // After the run, the average over the whole run says more.
        Some(r) if pane.run.is_none() && pane.outcome.is_some() => r.rate,
        _ => s.rate.per_sec(),
    };
    let found = pane
        .outcome
        .as_ref()
        .and_then(|o| o.result.as_ref().ok())
        .and_then(|v| v.as_any().downcast_ref::<HashOutput>())
        .and_then(|h| h.nonce);
    let hashes = format!("{} hashes", si(s.done as f64));
    if !big {
        let (status, status_style) = match found {
            Some(nonce) => (format!("nonce {nonce}"), theme.ok),
            None => (format!("{:.2} s", pane.elapsed_s()), theme.text),
        };
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
    let [fig, side] = Layout::horizontal([Constraint::Min(20), Constraint::Length(20)]).areas(area);
    let head = Headline::new([
        Headed::rate(total, "hashes/s"),
        Headed::elapsed(pane.elapsed_s()),
    ])
    .value_style(theme.big)
    .style(theme.dim);
    frame.render_widget(&head, fig);
    let status = match found {
        Some(nonce) => Line::styled(format!("nonce {nonce}"), theme.ok),
        None if pane.run.is_some() => Line::styled("searching…", theme.dim),
        None => Line::default(),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled("in total", theme.dim)),
            status,
            Line::from(Span::styled(hashes, theme.dim)),
        ]),
        side,
    );
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::demos::DemoRequest;
    use crate::trace::{BlockOn, Event, EventKind, Micros};
    use crate::ui::render::buffer_text;
    use crate::ui::theme::ThemeName;

    #[test]
    fn a_narrow_pane_wraps_its_legend_when_a_row_is_spare() {
        let mut req = DemoRequest::new("hash").unwrap();
        req.set_mode("threads-gil").unwrap();
        let mut pane = Pane::new(req);
        let mut t = 0;
        let mut apply = |lane, kind| {
            t += 10_000;
            pane.state.apply(&Event {
                t_us: Micros::from_us(t),
                lane,
                kind,
            });
        };
        for lane in 1..=2 {
            let (name, role) = (format!("worker-{lane}"), LaneRole::Worker);
            apply(
                lane,
                EventKind::LaneUp {
                    name,
                    pid: None,
                    role,
                },
            );
            let unit = u64::from(lane);
            let label = format!("chunk {lane}");
            apply(lane, EventKind::Spawned { unit, label });
            apply(lane, EventKind::Started { unit });
        }
        apply(
            2,
            EventKind::Blocked {
                unit: 2,
                on: BlockOn::Gil,
            },
        );
        let theme = Theme::new(ThemeName::Dark, false);
        let mut term = Terminal::new(TestBackend::new(40, 20)).unwrap();
        term.draw(|f| draw(f, f.area(), &pane, &theme)).unwrap();
        let text = buffer_text(term.backend().buffer());
        assert!(text.contains("g GIL wait"), "{text}");
        let legend: Vec<_> = text
            .lines()
            .skip_while(|l| !l.starts_with("█ running"))
            .collect();
        assert!(
            legend.iter().all(|l| !l.contains("more")),
            "every entry whole: {text}"
        );
        assert_eq!(
            legend.get(1).map(|l| l.trim_end()),
            Some("· idle"),
            "{text}"
        );
    }
}
