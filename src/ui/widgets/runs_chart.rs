//! Past runs side by side: one bar per run (wall time, or rate with the
//! speed-up against the baseline mode). Only honest runs compare: a run
//! stopped, interrupted, failed, paused or at another time scale says so
//! after its figures and gets no speed-up, nor serves as a baseline.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::si;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::PastRun;
use crate::ui::theme::Theme;

/// What the bars measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsMetric {
    /// Wall time in seconds: shorter is faster.
    WallTime,
    /// Progress per second, with the speed-up against the latest
    /// successful baseline run (mode 0).
    Rate,
}

/// A title row and a bar per run, newest last.
#[derive(Debug, Clone)]
pub struct RunsChart<'a> {
    runs: &'a [PastRun],
    title: &'a str,
    metric: RunsMetric,
    label_width: usize,
    reserve: usize,
    last: usize,
    min_runs: usize,
    workers_on_baseline: bool,
    empty: Option<&'a str>,
    theme: &'a Theme,
    style: Style,
}

impl<'a> RunsChart<'a> {
    /// A chart of `runs` in `theme`'s colours.
    pub fn new(runs: &'a [PastRun], theme: &'a Theme) -> RunsChart<'a> {
        RunsChart {
            runs,
            title: "",
            metric: RunsMetric::WallTime,
            label_width: 16,
            reserve: 30,
            last: usize::MAX,
            min_runs: 1,
            workers_on_baseline: false,
            empty: None,
            theme,
            style: theme.text,
        }
    }

    /// The title row.
    pub fn title(mut self, t: &'a str) -> Self {
        self.title = t;
        self
    }

    /// What the bars measure.
    pub fn metric(mut self, m: RunsMetric) -> Self {
        self.metric = m;
        self
    }

    /// Columns of the run's name (cut one shorter), and columns kept
    /// beside the bars for the name and the figures.
    pub fn columns(mut self, label: usize, reserve: usize) -> Self {
        self.label_width = label;
        self.reserve = reserve;
        self
    }

    /// Shows at most the `n` latest runs.
    pub fn last(mut self, n: usize) -> Self {
        self.last = n;
        self
    }

    /// Draws nothing until there are `n` runs to compare.
    pub fn min_runs(mut self, n: usize) -> Self {
        self.min_runs = n;
        self
    }

    /// Names the worker count of the baseline mode's runs too.
    pub fn workers_on_baseline(mut self, yes: bool) -> Self {
        self.workers_on_baseline = yes;
        self
    }

    /// With no run yet: the title and this hint (else nothing at all).
    pub fn empty(mut self, hint: &'a str) -> Self {
        self.empty = Some(hint);
        self.min_runs = 0;
        self
    }

    /// Sets the style of the runs' names.
    pub fn style(mut self, s: impl Into<Style>) -> Self {
        self.style = s.into();
        self
    }

    /// Rows the chart needs.
    pub fn height(&self) -> u16 {
        if self.runs.len() < self.min_runs.max(1) {
            return if self.runs.is_empty() && self.empty.is_some() {
                2
            } else {
                0
            };
        }
        1 + self.runs.len().min(self.last) as u16
    }

    fn value(&self, r: &PastRun) -> f64 {
        match self.metric {
            RunsMetric::WallTime => r.wall_ms,
            RunsMetric::Rate => r.rate,
        }
    }

    fn row(&self, r: &PastRun, max: f64, bar_w: usize, width: usize) -> Line<'_> {
        let t = self.theme;
        // A count of 0 stands for the default (cores + 4 threads, no
        // limit), not for zero workers: the mode's name says it all.
        let who = match r.workers.as_deref() {
            Some(k) if k != "0" && (self.workers_on_baseline || r.mode_index != 0) => {
                format!("{} ×{k}", r.mode)
            }
            _ => r.mode.to_string(),
        };
        let lw = self.label_width;
        let wall = format!(" {:.2} s", r.wall_ms / 1000.0);
        let mut figures = match self.metric {
            RunsMetric::WallTime => vec![Span::styled(wall, t.strong)],
            RunsMetric::Rate => {
                let speedup = self
                    .baseline(r)
                    .map(|b| format!(" ×{:.2}", r.rate / b))
                    .unwrap_or_default();
                vec![
                    Span::styled(format!(" {}/s", si(r.rate)), t.strong),
                    Span::styled(speedup, t.big),
                    Span::styled(wall, t.text),
                ]
            }
        };
        if let Some(note) = note(r) {
            figures.push(Span::styled(note, t.warning));
        }
        let len = |f: &[Span]| f.iter().map(|s| s.content.chars().count()).sum::<usize>();
        // A run that compares with nothing gives up its rate before its
        // wall time or what marks it.
        if !r.honest() && self.metric == RunsMetric::Rate && lw + 1 + len(&figures) > width {
            figures.remove(0);
        }
        let tail = len(&figures);
        let room = width.saturating_sub(lw + tail).max(1);
        let n = ((self.value(r) / max) * bar_w as f64)
            .round()
            .clamp(1.0, room as f64) as usize;
        let bar_style = match r.mark {
            None => t.running,
            Some(_) if !r.ok => t.failed,
            Some(_) => t.dim,
        };
        let mut spans = vec![
            Span::styled(format!("{:<lw$}", truncate(&who, lw - 1)), self.style),
            Span::styled(if r.honest() { "█" } else { "░" }.repeat(n), bar_style),
        ];
        spans.extend(figures);
        Line::from(spans)
    }

    /// The rate of the latest honest baseline run (mode 0) of `r`'s setting,
    /// if `r` itself is honest.
    fn baseline(&self, r: &PastRun) -> Option<f64> {
        if !r.honest() {
            return None;
        }
        self.runs
            .iter()
            .rev()
            .find(|b| b.mode_index == 0 && b.honest() && b.rate > 0.0 && b.same_setting(r))
            .map(|b| b.rate)
    }
}

/// What keeps a run out of comparisons, and its time scale when not real
/// time (`paused`, `slowed, time ×0.50`).
fn note(r: &PastRun) -> Option<String> {
    let scale =
        (r.scale_pct != 100).then(|| format!("time ×{:.2}", 100.0 / f64::from(r.scale_pct)));
    match (r.mark, scale) {
        (Some(m), Some(scale)) => Some(format!(" {}, {scale}", m.word(r.scale_pct))),
        (Some(m), None) => Some(format!(" {}", m.word(r.scale_pct))),
        (None, Some(scale)) => Some(format!(" {scale}")),
        (None, None) => None,
    }
}

impl Widget for &RunsChart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if self.height() == 0 || area.height == 0 {
            return;
        }
        let t = self.theme;
        let mut lines = vec![Line::from(Span::styled(self.title, t.heading))];
        if self.runs.is_empty() {
            let hint = self.empty.unwrap_or_default();
            lines.push(Line::from(Span::styled(hint, t.dim)));
        }
        let max = self.runs.iter().map(|r| self.value(r)).fold(1.0, f64::max);
        let bar_w = (area.width as usize).saturating_sub(self.reserve).max(4);
        let shown = self.last.min(area.height as usize - 1);
        let from = self.runs.len().saturating_sub(shown);
        lines.extend(
            self.runs[from..]
                .iter()
                .map(|r| self.row(r, max, bar_w, area.width as usize)),
        );
        super::render_lines(&lines, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::SavedRun;
    use crate::ui::pane::Mark;
    use crate::ui::widgets::testing::{text_of, theme};

    fn run(mode: &'static str, mode_index: usize, wall_ms: f64, rate: f64) -> PastRun {
        PastRun {
            mode,
            mode_index,
            workers: Some("4".into()),
            wall_ms,
            ok: true,
            rate,
            mark: None,
            scale_pct: 100,
            saved: SavedRun {
                example: "hash".into(),
                mode: mode.into(),
                knob: Some("workers=4".into()),
                setting: "prefix=000000".into(),
                wall_us: (wall_ms * 1000.0) as u64,
                done: 0,
                at_ms: 0,
            },
        }
    }

    fn marked(mut r: PastRun, mark: Mark, scale_pct: u32) -> PastRun {
        r.mark = Some(mark);
        r.scale_pct = scale_pct;
        r
    }

    #[test]
    fn wall_times_as_bars() {
        let theme = theme();
        // One event loop has no workers to count (the pane records none);
        // a count of 0 is the default pool, not a figure to show.
        let mut async_run = run("async", 1, 500.0, 0.0);
        async_run.workers = None;
        let mut default_pool = run("threads", 2, 1000.0, 0.0);
        default_pool.workers = Some("0".into());
        let runs = [run("sync", 0, 2000.0, 0.0), async_run, default_pool];
        let chart = RunsChart::new(&runs, &theme)
            .title("modes compared")
            .columns(10, 18);
        assert_eq!(chart.height(), 4);
        assert_eq!(
            text_of(&chart, 26, 4),
            Buffer::with_lines([
                "modes compared            ",
                "sync      ████████ 2.00 s ",
                "async     ██ 0.50 s       ",
                "threads   ████ 1.00 s     ",
            ])
        );
    }

    #[test]
    fn rates_with_speed_up_keep_the_newest_runs() {
        let theme = theme();
        let runs = [
            run("seq", 0, 1000.0, 1e6),
            run("threads", 1, 500.0, 2e6),
            run("procs", 2, 250.0, 4e6),
        ];
        let chart = RunsChart::new(&runs, &theme)
            .metric(RunsMetric::Rate)
            .columns(12, 30)
            .title("runs");
        assert_eq!(
            text_of(&chart, 44, 3),
            Buffer::with_lines([
                "runs                                        ",
                "threads ×4  ███████ 2.00 M/s ×2.00 0.50 s   ",
                "procs ×4    ██████████ 4.00 M/s ×4.00 0.25 s",
            ])
        );
        let none = RunsChart::new(&[], &theme).title("runs").empty("run one");
        assert_eq!(none.height(), 2);
        assert_eq!(
            text_of(&none, 8, 2),
            Buffer::with_lines(["runs    ", "run one "])
        );
        assert_eq!(RunsChart::new(&runs[..1], &theme).min_runs(2).height(), 0);
    }

    #[test]
    fn dishonest_runs_are_marked_and_compare_with_nothing() {
        let theme = theme();
        let mut other = run("seq", 0, 400.0, 9e6);
        other.saved.setting = "prefix=00000".into();
        let runs = [
            run("seq", 0, 1000.0, 1e6),
            marked(run("seq", 0, 900.0, 1.2e6), Mark::Paused, 100),
            marked(run("threads", 1, 600.0, 1.5e6), Mark::Stopped, 100),
            marked(run("procs", 2, 250.0, 4e6), Mark::Rescaled, 200),
            other,
            run("procs", 2, 500.0, 2e6),
        ];
        let chart = RunsChart::new(&runs, &theme)
            .metric(RunsMetric::Rate)
            .columns(10, 30)
            .title("runs");
        let text = text_of(&chart, 60, 7);
        let rows: Vec<String> = (0..7)
            .map(|y| (0..60).map(|x| text[(x, y)].symbol()).collect::<String>())
            .collect();
        assert!(
            rows[2].contains("░") && rows[2].trim_end().ends_with("paused"),
            "{rows:#?}"
        );
        assert!(
            rows[3].contains("stopped") && !rows[3].contains("×1.50"),
            "{rows:#?}"
        );
        assert!(rows[4].contains("slowed, time ×0.50"), "{rows:#?}");
        assert!(
            !rows[4].contains("×4.00"),
            "a slowed run gets no speed-up: {rows:#?}"
        );
        assert!(
            !rows[5].contains("×9.00"),
            "another setting: no baseline: {rows:#?}"
        );
        // The honest baseline is the first run, not the paused one.
        assert!(rows[6].contains("×2.00 0.50 s"), "{rows:#?}");
        assert!(
            rows.iter().skip(1).all(|r| r.contains(" s")),
            "every run shows its wall time"
        );
    }
}
