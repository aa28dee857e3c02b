//! The recap pane: the notes' summary (pre-emptive, cooperative, parallel;
//! do more at once, do things faster, do both easier) with the learner's
//! own figures, the build machine's marked `†` where they have none.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::common;
use crate::progress::recap::{self, COLUMNS, Figure, ROWS, Source};
use crate::trace::RunState;
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;

/// Columns a cell needs for `×0.96 2.4 s†` and a space.
const CELL_MIN: usize = 13;

/// The mark of a build-machine figure.
pub const BUILD_MARK: char = '†';

/// Draws the recap pane into `area`.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let w = area.width as usize;
    let mut lines = vec![common::mode_tabs(pane, theme)];
    lines.extend(table(&pane.state, w, area.height.saturating_sub(2), theme));
    let foot = if pane.outcome.is_none() {
        let whose = if pane.request.mode_index() == 0 {
            "from your runs"
        } else {
            "with the build machine's figures"
        };
        Line::styled(
            truncate(&format!("Enter fills the table {whose}"), w),
            theme.warning,
        )
    } else {
        let (yours, all) = counts(&pane.state);
        Line::styled(
            truncate(
                &format!(
                    "{BUILD_MARK} {}; {yours} of {all} figures yours",
                    recap::MEASURED_ON
                ),
                w,
            ),
            theme.dim,
        )
    };
    lines.push(foot);
    frame.render_widget(Paragraph::new(lines), area);
}

/// The table's lines for `width` columns and at most `height` rows: the
/// goal headings go first when rows are short.
pub fn table(state: &RunState, width: usize, height: u16, theme: &Theme) -> Vec<Line<'static>> {
    let h = usize::from(height);
    // Kinds, goal headings, one row each, the "do both easier" line; the
    // tools' names when there is room.
    let goals = 2;
    let need = 2 + goals + ROWS.len();
    let headings = h >= need;
    let tools = h > need;
    let longest = ROWS
        .iter()
        .map(|r| {
            r.what.chars().count()
                + if headings {
                    1
                } else {
                    short_goal(r.goal).len() + 2
                }
        })
        .max()
        .unwrap_or(0);
    let label_w = (longest + 1).min(width.saturating_sub(3 * CELL_MIN)).max(8);
    let cell_w = (width.saturating_sub(label_w) / 3).max(6);
    let mut lines = vec![row_line(
        "",
        COLUMNS.map(|(kind, _)| (kind.to_string(), theme.heading)),
        label_w,
        cell_w,
        theme,
    )];
    if tools {
        lines.push(row_line(
            "",
            COLUMNS.map(|(_, tool)| (tool.to_string(), theme.dim)),
            label_w,
            cell_w,
            theme,
        ));
    }
    let mut goal = "";
    for (r, spec) in ROWS.iter().enumerate() {
        if headings && spec.goal != goal {
            lines.push(Line::styled(spec.goal.to_string(), theme.strong));
        }
        goal = spec.goal;
        let label = if headings {
            format!(" {}", spec.what)
        } else {
            format!("{}: {}", short_goal(spec.goal), spec.what)
        };
        let cells = [0, 1, 2].map(|c| cell(state, r, c, theme));
        lines.push(row_line(&label, cells, label_w, cell_w, theme));
    }
    let easier = "do both easier: trio, unsync (the same three, safer)";
    lines.push(Line::styled(truncate(easier, width), theme.strong));
    lines
}

/// The goal in a word, for rows without headings.
fn short_goal(goal: &str) -> &str {
    match goal {
        "do more at once" => "more",
        "do things faster" => "faster",
        other => other,
    }
}

/// A cell's text and style: the figure (`†` when the build machine's),
/// `—` where the column has no example, `·` before the run.
fn cell(state: &RunState, row: usize, column: usize, theme: &Theme) -> (String, Style) {
    match state
        .vars
        .get(&recap::key(row, column))
        .map(|v| Figure::decode(v))
    {
        Some(Some(f)) => match f.source {
            Source::Yours { .. } => (f.text(), theme.ok),
            Source::BuildMachine => (format!("{}{BUILD_MARK}", f.text()), theme.text),
        },
        _ if ROWS[row].has(column) => ("·".into(), theme.dim),
        _ => ("—".into(), theme.dim),
    }
}

fn row_line(
    label: &str,
    cells: [(String, Style); 3],
    label_w: usize,
    cell_w: usize,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{:<label_w$}", truncate(label, label_w.saturating_sub(1))),
        theme.text,
    )];
    for (text, style) in cells {
        spans.push(Span::styled(
            format!("{:<cell_w$}", truncate(&text, cell_w.saturating_sub(1))),
            style,
        ));
    }
    Line::from(spans)
}

/// Cells holding the learner's figures, and cells filled at all.
fn counts(state: &RunState) -> (usize, usize) {
    let figures: Vec<Figure> = (0..ROWS.len())
        .flat_map(|r| (0..3).map(move |c| recap::key(r, c)))
        .filter_map(|k| state.vars.get(&k).and_then(|v| Figure::decode(v)))
        .collect();
    let yours = figures
        .iter()
        .filter(|f| matches!(f.source, Source::Yours { .. }))
        .count();
    (yours, figures.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::DemoRequest;
    use crate::progress::recap::Recap;
    use crate::progress::{Progress, SavedRun};
    use crate::trace::Tracer;
    use crate::ui::widgets::testing::theme;

    fn state_of(p: &Progress, reference: &[SavedRun]) -> RunState {
        let (tracer, mut rx) = Tracer::new();
        crate::demos::recap::publish(&Recap::of(p, reference), &tracer);
        drop(tracer);
        let mut state = RunState::new();
        while let Ok(ev) = rx.try_recv() {
            state.apply(&ev);
        }
        state
    }

    fn saved(mode: &str, workers: &str, wall_ms: u64, at_ms: u64) -> SavedRun {
        let mut req = DemoRequest::new("hash").unwrap();
        req.set_mode(mode).unwrap();
        req.set("workers", workers).unwrap();
        SavedRun::of_request(&req, wall_ms * 1000, 41_000_000, at_ms)
    }

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .map(|l| l.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn yours_plain_the_build_machines_marked() {
        let mut p = Progress::default();
        p.record_run(saved("sequential", "2", 2400, 1));
        p.record_run(saved("processes", "2", 1300, 2));
        let reference = [
            saved("sequential", "2", 2300, 0),
            saved("threads", "2", 1200, 0),
        ];
        let state = state_of(&p, &reference);
        let t = theme();
        let full = text(&table(&state, 76, 12, &t));
        assert!(full.contains(" hash vs 1 loop"), "{full}");
        assert!(
            full.contains("×1.85 1.3 s"),
            "the learner's own, unmarked: {full}"
        );
        assert!(
            full.contains("×1.92 1.2 s†"),
            "the build machine's, marked: {full}"
        );
        let tools = |t: &str| {
            t.lines()
                .any(|l| l.contains("threads") && l.contains("asyncio"))
        };
        assert!(tools(&full), "{full}");
        let short = text(&table(&state, 56, 7, &t));
        assert!(short.contains("faster: hash"), "{short}");
        assert!(short.contains("×1.92 1.2 s†"), "cells stay whole: {short}");
        assert!(!tools(&short), "no tools line: {short}");
        assert_eq!(counts(&state), (1, 2));
    }
}
