//! The choosing chapter's recap: the notes' summary (pre-emptive,
//! cooperative, parallel; do more at once, do things faster) filled with
//! the learner's own figures from earlier chapters' runs, and the build
//! machine's where the learner has not run an example yet.
//!
//! Knows nothing of the screen: the `recap` example turns a [`Recap`] into
//! state values, its pane draws them.

use super::{Progress, SavedRun};

mod reference;

pub use reference::{MEASURED_ON, reference_runs};

/// The three columns of the notes' summary.
pub const COLUMNS: [(&str, &str); 3] = [
    ("pre-emptive", "threads"),
    ("cooperative", "asyncio"),
    ("parallel", "processes"),
];

/// A run the recap looks for: an example in a mode, with some options set.
#[derive(Debug, Clone, Copy)]
struct Probe {
    example: &'static str,
    mode: &'static str,
    needs: &'static [(&'static str, &'static str)],
}

/// One cell: a run, and the baseline its speed-up is measured against.
#[derive(Debug, Clone, Copy)]
struct CellSpec {
    run: Probe,
    base: Option<Probe>,
}

/// One line of the table.
#[derive(Debug, Clone, Copy)]
pub struct RowSpec {
    /// What the tools are for, in the notes' words.
    pub goal: &'static str,
    /// The workload, short.
    pub what: &'static str,
    /// The chapter whose runs fill it.
    pub chapter: &'static str,
    cells: [Option<CellSpec>; 3],
}

const IO8: &[(&str, &str)] = &[("workload", "io"), ("tasks", "8"), ("wait-ms", "500")];
const CPU4: &[(&str, &str)] = &[("workload", "cpu"), ("tasks", "4"), ("hashes", "2000000")];
const CPU4_GIL: &[(&str, &str)] = &[
    ("workload", "cpu"),
    ("tasks", "4"),
    ("hashes", "2000000"),
    ("gil", "true"),
];
const DL: &[(&str, &str)] = &[
    ("count", "160"),
    ("latency", "100"),
    ("jitter", "0"),
    ("fail-rate", "0"),
    ("online", "false"),
];
const HASH: &[(&str, &str)] = &[("prefix", "000000"), ("message", "hello world")];

const fn probe(
    example: &'static str,
    mode: &'static str,
    needs: &'static [(&'static str, &'static str)],
) -> Probe {
    Probe {
        example,
        mode,
        needs,
    }
}

const fn alone(run: Probe) -> Option<CellSpec> {
    Some(CellSpec { run, base: None })
}

const fn against(run: Probe, base: Probe) -> Option<CellSpec> {
    Some(CellSpec {
        run,
        base: Some(base),
    })
}

/// The rows, in the notes' order.
pub const ROWS: [RowSpec; 5] = [
    RowSpec {
        goal: "do more at once",
        what: "8 waits, 0.5 s",
        chapter: "three-ways",
        cells: [
            alone(probe("three-ways", "threads", IO8)),
            alone(probe("three-ways", "async", IO8)),
            alone(probe("three-ways", "processes", IO8)),
        ],
    },
    RowSpec {
        goal: "do more at once",
        what: "160 downloads",
        chapter: "downloads",
        cells: [
            against(
                probe("download", "threads", DL),
                probe("download", "sync", DL),
            ),
            against(
                probe("download", "async", DL),
                probe("download", "sync", DL),
            ),
            None,
        ],
    },
    RowSpec {
        goal: "do things faster",
        what: "4 × 2 M hashes",
        chapter: "three-ways",
        cells: [
            alone(probe("three-ways", "threads", CPU4_GIL)),
            alone(probe("three-ways", "async", CPU4)),
            alone(probe("three-ways", "processes", CPU4)),
        ],
    },
    RowSpec {
        goal: "do things faster",
        what: "hash vs 1 loop",
        chapter: "cpu-gil",
        cells: [
            against(
                probe("hash", "threads-gil", HASH),
                probe("hash", "sequential", HASH),
            ),
            None,
            against(
                probe("hash", "processes", HASH),
                probe("hash", "sequential", HASH),
            ),
        ],
    },
    RowSpec {
        goal: "do things faster",
        what: "hash, no GIL",
        chapter: "cpu-gil",
        cells: [
            against(
                probe("hash", "threads", HASH),
                probe("hash", "sequential", HASH),
            ),
            None,
            None,
        ],
    },
];

impl RowSpec {
    /// Whether the row has an example for `column`.
    pub fn has(&self, column: usize) -> bool {
        self.cells.get(column).is_some_and(Option::is_some)
    }
}

/// Whose run a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The learner's own run (ended at this many ms since the epoch).
    Yours { at_ms: u64 },
    /// Measured on the build machine (see [`MEASURED_ON`]).
    BuildMachine,
}

/// One filled cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Against the row's baseline (rate over the baseline's rate).
    pub speedup: Option<f64>,
    /// The run's wall time, pauses excluded.
    pub wall_s: f64,
    /// The run's main knob (`workers=10`).
    pub knob: Option<String>,
    pub source: Source,
}

/// The table: `cells[row][column]`, `None` where the column has no
/// example for that workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Recap {
    pub cells: Vec<[Option<Figure>; 3]>,
}

impl Recap {
    /// The learner's figures from `progress`, the build machine's
    /// (`reference`) for a cell whose runs the learner has not made.
    pub fn of(progress: &Progress, reference: &[SavedRun]) -> Recap {
        let cells = ROWS
            .iter()
            .map(|row| {
                row.cells.map(|spec| {
                    let spec = spec?;
                    fill(&spec, &progress.runs)
                        .map(|(f, at_ms)| Figure {
                            source: Source::Yours { at_ms },
                            ..f
                        })
                        .or_else(|| fill(&spec, reference).map(|(f, _)| f))
                })
            })
            .collect();
        Recap { cells }
    }

    /// How many cells hold the learner's own figures, and how many any.
    pub fn counts(&self) -> (usize, usize) {
        let all = self.cells.iter().flatten().flatten();
        let yours = all
            .clone()
            .filter(|f| matches!(f.source, Source::Yours { .. }))
            .count();
        (yours, all.count())
    }
}

impl Figure {
    /// The cell as text: `×9.6 1.8 s` (speed-up and wall time) or `1.01 s`,
    /// at most 11 characters.
    pub fn text(&self) -> String {
        let wall = seconds(self.wall_s);
        match self.speedup {
            Some(x) if x >= 10.0 => format!("×{x:.0} {wall}"),
            Some(x) if x >= 3.0 => format!("×{x:.1} {wall}"),
            Some(x) => format!("×{x:.2} {wall}"),
            None => wall,
        }
    }

    /// The cell as a state value: `speedup|wall|source|knob`, read back by
    /// [`Figure::decode`].
    pub fn encode(&self) -> String {
        let source = match self.source {
            Source::Yours { at_ms } => at_ms.to_string(),
            Source::BuildMachine => "b".into(),
        };
        format!(
            "{}|{}|{source}|{}",
            self.speedup.map(|x| x.to_string()).unwrap_or_default(),
            self.wall_s,
            self.knob.as_deref().unwrap_or_default()
        )
    }

    /// A cell from [`Figure::encode`]'s text; `None` if it is not one.
    pub fn decode(text: &str) -> Option<Figure> {
        let mut parts = text.splitn(4, '|');
        let speedup = match parts.next()? {
            "" => None,
            x => Some(x.parse().ok()?),
        };
        let wall_s = parts.next()?.parse().ok()?;
        let source = match parts.next()? {
            "b" => Source::BuildMachine,
            at => Source::Yours {
                at_ms: at.parse().ok()?,
            },
        };
        let knob = parts.next().filter(|k| !k.is_empty()).map(str::to_string);
        Some(Figure {
            speedup,
            wall_s,
            knob,
            source,
        })
    }
}

/// The state key of a cell.
pub fn key(row: usize, column: usize) -> String {
    format!("recap.{row}.{column}")
}

/// Seconds, to a precision that suits them.
fn seconds(s: f64) -> String {
    if s >= 10.0 {
        format!("{s:.0} s")
    } else if s >= 1.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.2} s")
    }
}

/// The cell from `runs`, with the time of the newest run it uses.
fn fill(spec: &CellSpec, runs: &[SavedRun]) -> Option<(Figure, u64)> {
    let run = latest(runs, &spec.run, None)?;
    let (speedup, at_ms) = match &spec.base {
        Some(b) => {
            // Only a baseline of the very same setting compares.
            let base = latest(runs, b, Some(&run.setting))?;
            let x = if run.done > 0 && base.done > 0 {
                run.rate() / base.rate()
            } else {
                base.wall_s() / run.wall_s().max(1e-9)
            };
            (Some(x), run.at_ms.max(base.at_ms))
        }
        None => (None, run.at_ms),
    };
    Some((
        Figure {
            speedup,
            wall_s: run.wall_s(),
            knob: run.knob.clone(),
            source: Source::BuildMachine,
        },
        at_ms,
    ))
}

fn latest<'a>(runs: &'a [SavedRun], p: &Probe, setting: Option<&str>) -> Option<&'a SavedRun> {
    runs.iter().rev().find(|r| {
        r.example == p.example
            && r.mode == p.mode
            && r.wall_us > 0
            && setting.is_none_or(|s| r.setting == s)
            && p.needs.iter().all(|(k, v)| r.option(k) == Some(v))
    })
}

#[cfg(test)]
mod tests;
