//! Producers and consumers on real threads, through the article's
//! one-slot `Pipeline` or a `queue.Queue(maxsize)`; stopping them with an
//! `Event`; and the notes' "not easy to debug": a producer that raises
//! (`import random` forgotten) leaves the consumers waiting in `get()`.
//!
//! Lanes: 0 is `MainThread`, then `Producer-1..P`, then `Consumer-1..C`.
//! Each item is a unit: spawned by its producer just before `put`,
//! finished by the consumer that handled it (unit id [`ITEM_UNITS`] + its
//! id). States: `buffer` (the ids in the buffer, `end` for a sentinel),
//! `buffer.name`, `buffer.size`, `gate` (the Event), `doing.LANE`, `marks` (times in
//! µs where the time-line draws a vertical line), `rate.pipeline` and
//! `rate.queue` (items/s, measured by `compare` or by a run of that mode).

mod channel;
mod run;
#[cfg(test)]
mod tests;

use serde::Serialize;

use super::{Example, Live, OptKind, PaneKind, RunCtx, Step, Work};
pub use channel::{Channel, EMPTY, FULL, Item};

/// Item `id` is unit `ITEM_UNITS + id`: far above the tracer's own unit
/// ids (one per thread), so the two never meet.
pub const ITEM_UNITS: u64 = 1 << 40;

/// The error CPython raises where `import random` was forgotten.
pub const NAME_ERROR: &str = "NameError: name 'random' is not defined";

crate::modes! {
    /// Which buffer, and how the producers stop.
    pub enum Mode {
        Pipeline = "pipeline": "the article's Pipeline: one slot guarded by two locks, items N",
        Queue = "queue": "queue.Queue(maxsize): a bounded buffer, items N",
        Compare = "compare": "pipeline, then queue, same threads and speeds: items/s of each",
        Event = "event": "producers run until main sets an Event (after run-ms, or e); consumers drain",
        Raises = "raises": "import random forgotten: producers raise NameError, consumers wait in get()",
        Sentinel = "sentinel": "the fix: the producers put the sentinel in a finally block",
    }
}

crate::options! {
    /// Options of `queue`.
    pub struct QueueOptions {
        producers: usize = "producers", "1", OptKind::Int { min: 1, max: 4 },
            "producer threads", keys('<', '>', Step::Add(1));
        consumers: usize = "consumers", "1", OptKind::Int { min: 1, max: 4 },
            "consumer threads", keys('-', '+', Step::Add(1));
        items: u64 = "items", "40", OptKind::Int { min: 1, max: 10_000 },
            "items to produce in all (pipeline, queue, compare)", modes("pipeline", "queue", "compare");
        maxsize: usize = "maxsize", "10", OptKind::Int { min: 1, max: 64 },
            "the queue's maxsize (the pipeline has one slot)", modes("queue", "compare", "event", "raises", "sentinel");
        produce_ms: Live = "produce-ms", "40", OptKind::Int { min: 1, max: 2_000 },
            "mean time to make an item (each takes 0 to twice this), live", keys('[', ']', Step::Times(2));
        consume_ms: Live = "consume-ms", "40", OptKind::Int { min: 1, max: 2_000 },
            "mean time to handle an item, live", keys('{', '}', Step::Times(2));
        run_ms: u64 = "run-ms", "2000", OptKind::Int { min: 0, max: 60_000 },
            "event, raises, sentinel: main sets the Event after this long", modes("event", "raises", "sentinel");
        patience_ms: u64 = "patience-ms", "0", OptKind::Int { min: 0, max: 60_000 },
            "raises: main stops waiting for the stuck consumers after this long, as X does (0: wait for X)", modes("raises");
        signal: Live = "signal", "0", OptKind::Int { min: 0, max: 1_000_000 },
            "e: main sets the Event now", keys('e', 'e', Step::Add(1)), modes("event", "raises", "sentinel");
    }
}

/// Producers and consumers, through a pipeline or a queue.
pub struct QueueExample;

impl Example for QueueExample {
    type Mode = Mode;
    type Options = QueueOptions;
    type Output = QueueOutput;
    const NAME: &'static str = "queue";
    const TITLE: &'static str = "Producers and consumers";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Queue
    }

    fn start(mode: Mode, options: QueueOptions, ctx: RunCtx) -> Work<QueueOutput> {
        Work::Thread(Box::new(move || {
            run::run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What went through the buffer, checked item by item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueOutput {
    pub mode: &'static str,
    /// Items put into the buffer.
    pub produced: u64,
    /// Items a consumer took and handled.
    pub consumed: u64,
    /// Items handled more than once.
    pub duplicates: u64,
    /// Items put and never handled (left in the buffer, or taken by a
    /// consumer that was interrupted while handling it).
    pub lost: u64,
    /// Items still in the buffer at the end.
    pub left: u64,
    /// Items handled per second, from the first thread's start to the
    /// last consumer's end.
    pub items_per_s: f64,
    /// `compare`: the pipeline's and the queue's items per second.
    pub pipeline_per_s: Option<f64>,
    pub queue_per_s: Option<f64>,
    /// Exceptions that killed a thread, as its stderr had them.
    pub raised: Vec<String>,
    /// Consumers that were waiting in `get()` when they were stopped.
    pub stuck_in_get: usize,
    /// Whether the learner (or main's patience) stopped the run.
    pub interrupted: bool,
}

impl super::Output for QueueOutput {
    fn summary(&self) -> String {
        if let (Some(p), Some(q)) = (self.pipeline_per_s, self.queue_per_s) {
            return format!(
                "pipeline {p:.1} items/s, queue {q:.1} items/s: ×{:.2}",
                q / p.max(1e-9)
            );
        }
        let counts = format!(
            "{} produced, {} consumed, {} twice, {} lost",
            self.produced, self.consumed, self.duplicates, self.lost
        );
        match (self.raised.first(), self.stuck_in_get) {
            (Some(_), n) if n > 0 => {
                format!("NameError in the producer; {n} consumer(s) stuck in get() until stopped")
            }
            (Some(_), _) => {
                format!("NameError in the producer; the sentinel ended the consumers; {counts}")
            }
            (None, _) if self.interrupted => format!("stopped: {counts}"),
            (None, _) => format!("{counts}; {:.1} items/s", self.items_per_s),
        }
    }
}
