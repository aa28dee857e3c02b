//! The choosing chapter's recap: the notes' summary table (pre-emptive,
//! cooperative, parallel) filled with the learner's own figures, kept with
//! their progress, and the build machine's where they have not run an
//! example yet. Headless, `racecourse run recap` prints the same table.

use serde::Serialize;

use super::{Example, PaneKind, RunCtx, Work};
use crate::progress::recap::{self, COLUMNS, Figure, ROWS, Recap, Source};
use crate::progress::{Progress, Store};

use crate::trace::{EventKind, Tracer};

crate::modes! {
    /// Whose figures.
    pub enum Mode {
        Yours = "yours": "your runs from earlier chapters, the build machine's where you have none",
        BuildMachine = "build-machine": "the build machine's figures only, to compare with yours",
    }
}

crate::options! {
    /// Options of `recap`.
    pub struct RecapOptions {}
}

/// The summary table with the learner's figures.
pub struct RecapExample;

impl Example for RecapExample {
    type Mode = Mode;
    type Options = RecapOptions;
    type Output = RecapOutput;
    const NAME: &'static str = "recap";
    const TITLE: &'static str = "Your figures: the three ways side by side";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Recap
    }

    fn start(mode: Mode, _: RecapOptions, ctx: RunCtx) -> Work<RecapOutput> {
        Work::Thread(Box::new(move || {
            // Read only: the recap never moves a progress file aside.
            let progress = match mode {
                Mode::Yours => Store::default_location()
                    .map(|s| s.peek())
                    .unwrap_or_default(),
                Mode::BuildMachine => Progress::default(),
            };
            Ok(publish(
                &Recap::of(&progress, &recap::reference_runs()),
                &ctx.tracer,
            ))
        }))
    }
}

/// Sends every cell as a state value for the pane; returns the table.
pub fn publish(table: &Recap, tracer: &Tracer) -> RecapOutput {
    for (r, row) in table.cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(f) = cell {
                tracer.emit(
                    0, // the main lane
                    EventKind::State {
                        key: recap::key(r, c),
                        value: f.encode(),
                    },
                );
            }
        }
    }
    RecapOutput::of(table)
}

/// The table as printed headless.
#[derive(Debug, Clone, Serialize)]
pub struct RecapOutput {
    /// One entry per filled cell.
    pub cells: Vec<CellOut>,
    pub yours: usize,
    pub filled: usize,
}

/// One filled cell.
#[derive(Debug, Clone, Serialize)]
pub struct CellOut {
    pub goal: &'static str,
    pub workload: &'static str,
    pub kind: &'static str,
    pub speedup: Option<f64>,
    pub wall_s: f64,
    pub knob: Option<String>,
    /// `yours` or the build machine's name and date.
    pub source: String,
}

impl RecapOutput {
    fn of(table: &Recap) -> RecapOutput {
        let mut cells = Vec::new();
        for (row, spec) in table.cells.iter().zip(ROWS.iter()) {
            for (cell, (kind, _)) in row.iter().zip(COLUMNS) {
                if let Some(f) = cell {
                    cells.push(CellOut {
                        goal: spec.goal,
                        workload: spec.what,
                        kind,
                        speedup: f.speedup,
                        wall_s: f.wall_s,
                        knob: f.knob.clone(),
                        source: source_name(f),
                    });
                }
            }
        }
        let (yours, filled) = table.counts();
        RecapOutput {
            cells,
            yours,
            filled,
        }
    }
}

fn source_name(f: &Figure) -> String {
    match f.source {
        Source::Yours { .. } => "yours".into(),
        Source::BuildMachine => recap::MEASURED_ON.into(),
    }
}

impl super::Output for RecapOutput {
    fn summary(&self) -> String {
        format!(
            "{} of {} figures yours, the rest from the {} (--json lists every cell)",
            self.yours,
            self.filled,
            recap::MEASURED_ON
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::SavedRun;

    #[test]
    fn every_cell_reaches_the_pane_as_state() {
        let (tracer, mut rx) = Tracer::new();
        let mut req = crate::demos::DemoRequest::new("hash").unwrap();
        req.set_mode("sequential").unwrap();
        let mut p = Progress::default();
        p.record_run(SavedRun::of_request(&req, 2_000_000, 40_000_000, 7));
        req.set_mode("processes").unwrap();
        p.record_run(SavedRun::of_request(&req, 1_000_000, 40_000_000, 8));
        let out = publish(&Recap::of(&p, &[]), &tracer);
        drop(tracer);
        let mut state = crate::trace::RunState::new();
        while let Ok(ev) = rx.try_recv() {
            state.apply(&ev);
        }
        assert_eq!((out.yours, out.filled), (1, 1));
        let cell = Figure::decode(&state.vars[&recap::key(3, 2)]).unwrap();
        assert_eq!(cell.text(), "×2.00 1.0 s");
        assert!(super::super::Output::summary(&out).starts_with("1 of 1 figures yours"));
        assert_eq!(out.cells[0].source, "yours");
    }
}
