//! The notes' `process_data(num, data)` consumer (seed 003) fed by a
//! producer through an `asyncio.Queue`: the consumer is faster, so it
//! waits on the empty queue, drawn as `waiting: queue data`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use anyhow::Context;
use serde::Serialize;

use super::gather::units::{Log, Printed, Took, Units, loop_error, round2};
use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, EventLoop, JobResult, aio};
use crate::trace::Tracer;

crate::modes! {
    /// The one way this example runs.
    pub enum Mode {
        ProcessData = "process-data": "generate_data puts an item every unit; process_data awaits data.get()",
    }
}

crate::options! {
    /// Options of `async-queue`.
    pub struct QueueOptions {
        items: u64 = "items", "5", OptKind::Int { min: 1, max: 100 },
            "num: items generated and processed";
        unit_ms: u64 = "unit-ms", "1000", OptKind::Int { min: 1, max: 10_000 },
            "one time unit, in ms";
    }
}

/// A producer and the notes' consumer on an `asyncio.Queue`.
pub struct AsyncQueue;

impl Example for AsyncQueue {
    type Mode = Mode;
    type Options = QueueOptions;
    type Output = QueueOutput;
    const NAME: &'static str = "async-queue";
    const TITLE: &'static str = "asyncio.Queue: generate_data and process_data";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Tasks
    }

    fn start(_: Mode, options: QueueOptions, ctx: RunCtx) -> Work<QueueOutput> {
        Work::Thread(Box::new(move || {
            let lp = EventLoop::new(&ctx.tracer, &ctx.control)
                .context("could not start the event loop")?;
            run_on(&lp, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What went through the queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueueOutput {
    pub items: u64,
    /// The items `process_data` took, in order.
    pub processed: Vec<u64>,
    /// Times `process_data` found the queue empty and waited on `get()`.
    pub waits: u64,
    pub total_units: f64,
    pub lines: Vec<Printed>,
}

impl super::Output for QueueOutput {
    fn summary(&self) -> String {
        format!(
            "processed {} of {} items in {:.1} units; waited on an empty queue {} times",
            self.processed.len(),
            self.items,
            self.total_units,
            self.waits
        )
    }
}

/// `generate_data(num, data)`: puts `idx * idx` every unit.
async fn generate_data(num: u64, data: aio::Queue<u64>, t: Units) -> JobResult<()> {
    for idx in 1..=num {
        let item = idx * idx;
        data.put(item).await;
        t.print(format!("generated {item}"));
        t.sleep(1.0).await?;
    }
    Ok(())
}

/// The notes' `process_data(num, data)`: takes `num` items, half a unit of
/// work each.
async fn process_data(
    num: u64,
    data: aio::Queue<u64>,
    t: Units,
    waits: Rc<Cell<u64>>,
) -> JobResult<Vec<u64>> {
    let mut processed = Vec::new();
    while (processed.len() as u64) < num {
        if data.qsize() == 0 {
            waits.set(waits.get() + 1);
        }
        let item = data.get().await;
        aio::checkpoint().await?;
        processed.push(item);
        t.print(format!("processed {item}"));
        t.sleep(0.5).await?;
    }
    Ok(processed)
}

/// Runs the two tasks on `lp`.
pub(crate) fn run_on(
    lp: &EventLoop,
    options: &QueueOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<QueueOutput> {
    let (tracer2, control2, log) = (tracer.clone(), control.clone(), Log::default());
    let (log2, num, unit_ms) = (log.clone(), options.items, options.unit_ms);
    let (waits, got) = (Rc::new(Cell::new(0)), Rc::new(RefCell::new(Vec::new())));
    let (waits2, got2) = (waits.clone(), got.clone());
    let took = lp
        .block_on(async move {
            let t = Units::start(unit_ms, &control2, &tracer2).logging(&log2);
            let data = aio::Queue::new("data", 0);
            let consumer = process_data(num, data.clone(), t.clone(), waits2);
            let consumer = aio::create_task("process_data", consumer);
            let producer = aio::create_task("generate_data", generate_data(num, data, t.clone()));
            *got2.borrow_mut() = consumer.await.map_err(aio::reraise)?;
            producer.await.map_err(aio::reraise)?;
            Ok(Took(t.now()))
        })
        .map_err(|e| loop_error(e, control))?;
    let (processed, waits) = (got.take(), waits.get());
    Ok(QueueOutput {
        items: num,
        processed,
        waits,
        total_units: round2(took.0),
        lines: log.lines(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::Options as _;
    use crate::runtime::testing::drain;
    use crate::trace::{BlockOn, EventKind};

    #[test]
    #[allow(clippy::float_cmp)] // exact: the loop's clock is paused
    fn the_consumer_waits_on_the_queue_and_gets_every_item_in_order() {
        let (tracer, mut rx) = Tracer::new();
        let control = Control::new();
        let lp = EventLoop::with_paused_clock(&tracer, &control).unwrap();
        let mut options = QueueOptions::default();
        options.set("items", "4");
        let out = run_on(&lp, &options, &tracer, &control).unwrap();
        drop(lp);
        assert_eq!(out.processed, [1, 4, 9, 16]);
        assert_eq!(
            out.waits, 4,
            "every item arrives after the consumer is idle"
        );
        assert_eq!(out.total_units, 4.0, "the producer's last sleep ends at 4");
        let queue_waits = drain(&mut rx)
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::Blocked { on: BlockOn::Queue { name }, .. } if name == "data"))
            .count();
        assert_eq!(queue_waits, 4);
    }
}
