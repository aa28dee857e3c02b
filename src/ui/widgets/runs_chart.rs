//! Past runs side by side: one bar per run (wall time, or rate with the
//! speed-up against the baseline mode).

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

    fn row(&self, r: &PastRun, max: f64, bar_w: usize, base: Option<f64>) -> Line<'_> {
        let t = self.theme;
        let n = ((self.value(r) / max) * bar_w as f64).round().max(1.0) as usize;
        let who = match &r.workers {
            Some(k) if self.workers_on_baseline || r.mode_index != 0 => format!("{} ×{k}", r.mode),
            _ => r.mode.to_string(),
        };
        let lw = self.label_width;
        let mut spans = vec![
            Span::styled(format!("{:<lw$}", truncate(&who, lw - 1)), self.style),
            Span::styled("█".repeat(n), if r.ok { t.running } else { t.failed }),
        ];
        match self.metric {
            RunsMetric::WallTime => {
                spans.push(Span::styled(
                    format!(" {:.2} s", r.wall_ms / 1000.0),
                    t.strong,
                ));
            }
            RunsMetric::Rate => {
                spans.push(Span::styled(format!(" {}/s", si(r.rate)), t.strong));
                let speedup = base.map(|b| format!(" ×{:.2}", r.rate / b));
                spans.push(Span::styled(speedup.unwrap_or_default(), t.big));
            }
        }
        Line::from(spans)
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
        let base = self
            .runs
            .iter()
            .rev()
            .find(|r| r.mode_index == 0 && r.ok && r.rate > 0.0)
            .map(|r| r.rate);
        let shown = self.last.min(area.height as usize - 1);
        let from = self.runs.len().saturating_sub(shown);
        lines.extend(
            self.runs[from..]
                .iter()
                .map(|r| self.row(r, max, bar_w, base)),
        );
        super::render_lines(&lines, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{text_of, theme};

    fn run(mode: &'static str, mode_index: usize, wall_ms: f64, rate: f64) -> PastRun {
        PastRun {
            mode,
            mode_index,
            workers: Some("4".into()),
            wall_ms,
            ok: true,
            rate,
        }
    }

    #[test]
    fn wall_times_as_bars() {
        let theme = theme();
        let runs = [run("sync", 0, 2000.0, 0.0), run("async", 1, 500.0, 0.0)];
        let chart = RunsChart::new(&runs, &theme)
            .title("modes compared")
            .columns(10, 18);
        assert_eq!(chart.height(), 3);
        assert_eq!(
            text_of(&chart, 26, 3),
            Buffer::with_lines([
                "modes compared            ",
                "sync      ████████ 2.00 s ",
                "async ×4  ██ 0.50 s       ",
            ])
        );
    }

    #[test]
    fn rates_with_speed_up_keep_the_newest_runs() {
        let theme = theme();
        let runs = [
            run("seq", 0, 1.0, 1e6),
            run("threads", 1, 1.0, 2e6),
            run("procs", 2, 1.0, 4e6),
        ];
        let chart = RunsChart::new(&runs, &theme)
            .metric(RunsMetric::Rate)
            .columns(12, 30)
            .title("runs");
        assert_eq!(
            text_of(&chart, 40, 3),
            Buffer::with_lines([
                "runs                                    ",
                "threads ×4  █████ 2.00 M/s ×2.00        ",
                "procs ×4    ██████████ 4.00 M/s ×4.00   ",
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
}
