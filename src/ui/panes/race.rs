//! The race pane: the shared counter, expected against got; each thread's
//! increments (and, in the sleep modes, its last step); the time-line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{common, headline};
use crate::demos::race::group;
use crate::trace::fold::Lane;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;
use crate::ui::widgets::lane_table::{MAX_LANES, activity_label};
use crate::ui::widgets::{CounterBars, Timeline};

/// Draws the race pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Large figures on top when the pane has rows to spare.
    let area = headline::big_top(frame, area, &headline::of(pane, theme, None), 16);
    let s = &pane.state;
    let lanes: Vec<&Lane> = s.lanes.values().filter(|l| l.id != 0).collect();
    let n = u16::try_from(lanes.len().clamp(1, MAX_LANES)).unwrap_or(1);
    let number = |key: &str| {
        s.vars
            .get(key)
            .and_then(|v| v.replace(',', "").parse::<u64>().ok())
    };
    let (expected, got) = (number("expected"), number("counter"));
    let bars = CounterBars::new(expected.unwrap_or(0), got.unwrap_or(0), theme);
    let outcome = common::outcome_line(pane, theme, area.width);
    let rows: Vec<Line> = lanes
        .iter()
        .take(MAX_LANES)
        .flat_map(|l| thread_row(l, pane, theme, area.width))
        .collect();
    let n_rows = u16::try_from(rows.len().max(1)).unwrap_or(n);
    // Most telling first: the counter, the threads, the verdict, then the
    // time-line and the legend as room allows.
    let [bars_h, threads_h, outcome_h, time_h, legend_h] = fit(
        area.height,
        [
            bars.height(),
            n_rows,
            u16::from(outcome.is_some()),
            n + 1,
            1,
        ],
    );
    // The legend wraps onto a second row when there is one to spare.
    let legend = common::lane_legend_of(s, theme);
    let used = bars_h + threads_h + outcome_h + time_h + legend_h;
    let legend_h = legend.rows(area.width, legend_h, area.height.saturating_sub(used));
    let [b, th, o, tl, lg] = common::stack(area, [bars_h, threads_h, outcome_h, time_h, legend_h]);
    if expected.is_some() {
        frame.render_widget(&bars, b);
    } else {
        let hint = "Enter runs the threads; the counter is drawn here";
        frame.render_widget(Line::styled(hint, theme.dim), b);
    }
    frame.render_widget(Paragraph::new(rows), th);
    if let Some(line) = outcome {
        frame.render_widget(line, o);
    }
    let timeline = Timeline::new(
        lanes.iter().take(MAX_LANES).map(|l| (l.name.as_str(), *l)),
        s.now_us,
        theme,
    )
    .title("time-line", true)
    .title_style(theme.dim)
    .style(theme.text);
    frame.render_widget(&timeline, tl);
    frame.render_widget(&legend, lg);
}

/// `thread-1  running   412,000 increments   read 0, wrote 1`; the step
/// (`read 0, wrote 1`) on a row of its own, under the state, when the row
/// is too narrow for it.
fn thread_row(lane: &Lane, pane: &Pane, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let state = match &lane.epitaph {
        Some(e) => e.clone(),
        None => activity_label(&lane.activity),
    };
    let (st, _) = crate::ui::widgets::timeline::activity_glyph(&lane.activity, theme);
    let step = pane
        .state
        .vars
        .get(&format!("{} step", lane.name))
        .cloned()
        .unwrap_or_default();
    let unit = if lane.done == 1 {
        "increment"
    } else {
        "increments"
    };
    let done = format!("{} {unit}  ", group(lane.done));
    let mark = if pane.selected() == Some(lane.id) {
        "▸"
    } else {
        " "
    };
    let text_w = (width as usize).saturating_sub(10 + 19 + done.len());
    let mut first = vec![
        Span::styled(
            format!("{mark}{:<9}", truncate(&lane.name, 9)),
            theme.strong,
        ),
        Span::styled(format!("{:<19}", truncate(&state, 18)), st),
        Span::styled(done, theme.text),
    ];
    if step.chars().count() <= text_w {
        first.push(Span::styled(step, theme.dim));
        return vec![Line::from(first)];
    }
    let under = Line::from(vec![
        Span::raw(" ".repeat(10)),
        Span::styled(
            truncate(&step, (width as usize).saturating_sub(10)),
            theme.dim,
        ),
    ]);
    vec![Line::from(first), under]
}

/// Heights for blocks given in order of importance: each gets what it
/// asks while room is left, the rest gets nothing.
pub fn fit<const N: usize>(room: u16, want: [u16; N]) -> [u16; N] {
    let mut left = room;
    want.map(|h| {
        let got = if h <= left { h } else { 0 };
        left -= got;
        got
    })
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::demos::DemoRequest;
    use crate::trace::{Event, EventKind, LaneRole, Micros};
    use crate::ui::render::buffer_text;
    use crate::ui::theme::{Theme, ThemeName};

    #[test]
    fn blocks_that_do_not_fit_are_left_out_whole() {
        assert_eq!(fit(10, [3, 2, 1, 3, 1]), [3, 2, 1, 3, 1]);
        assert_eq!(fit(7, [3, 2, 1, 3, 1]), [3, 2, 1, 0, 1]);
        assert_eq!(fit(2, [3, 2, 1]), [0, 2, 0]);
    }

    #[test]
    fn the_pane_draws_the_counter_and_each_threads_step() {
        let mut pane = Pane::new(DemoRequest::new("race").unwrap());
        let mut apply = |t: u64, lane: u32, kind: EventKind| {
            pane.state.apply(&Event {
                t_us: Micros::from_us(t),
                lane,
                kind,
            });
        };
        let set = |k: &str, v: &str| EventKind::State {
            key: k.into(),
            value: v.into(),
        };
        for lane in [1, 2] {
            let name = format!("thread-{lane}");
            let role = LaneRole::Worker;
            apply(
                0,
                lane,
                EventKind::LaneUp {
                    name,
                    pid: None,
                    role,
                },
            );
            apply(
                0,
                lane,
                set(&format!("thread-{lane} step"), "read 0, wrote 1"),
            );
        }
        apply(10, 1, set("expected", "2"));
        apply(10, 1, set("counter", "1"));
        let theme = Theme::new(ThemeName::Dark, false);
        let mut term = Terminal::new(TestBackend::new(70, 14)).unwrap();
        term.draw(|f| draw(f, f.area(), &pane, &theme)).unwrap();
        let text = buffer_text(term.backend().buffer());
        assert!(text.contains("2 expected"), "{text}");
        assert!(text.contains("1 got"), "{text}");
        assert!(text.contains("1 lost (50 %)"), "{text}");
        assert!(text.contains(" thread-2 idle"), "{text}");
        assert!(text.contains("▸thread-1"), "{text}");
        assert!(text.contains("read 0, wrote 1"), "{text}");
        assert!(text.contains("time-line"), "{text}");
        // Narrow, with rows to spare: the legend wraps onto a second row.
        let mut term = Terminal::new(TestBackend::new(30, 20)).unwrap();
        term.draw(|f| draw(f, f.area(), &pane, &theme)).unwrap();
        let text = buffer_text(term.backend().buffer());
        assert!(text.contains("█ running"), "{text}");
        assert!(text.contains("· idle"), "{text}");
        let legend = text.lines().skip_while(|l| !l.starts_with("█ running"));
        assert!(legend.take(2).all(|l| !l.contains("more")), "{text}");
        // Too narrow for the step beside the state: it goes under it, whole.
        assert!(text.contains("          read 0, wrote 1"), "{text}");
    }
}
