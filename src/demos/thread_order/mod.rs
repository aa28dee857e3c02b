//! "Threads can run in an unpredictable order": five threads started one
//! after the other, each sleeping the same time, finish in an order the OS
//! scheduler picks. The program runs several times in one go and prints
//! each run's order of finishing, so that the orders can be compared.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::thread_start::thread::{MainThread, Process, PyThread, ThreadSpec};
use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, LaneId, Tracer};

crate::modes! {
    /// How the threads spend their time.
    pub enum Mode {
        Sleep = "sleep": "every thread sleeps the same time, then records that it finished",
    }
}

crate::options! {
    /// Options of `thread-order`.
    pub struct ThreadOrderOptions {
        threads: usize = "threads", "5", OptKind::Int { min: 2, max: 8 },
            "threads started in each run", keys('-', '+', Step::Add(1));
        runs: usize = "runs", "5", OptKind::Int { min: 1, max: 20 },
            "times the program runs, one after the other";
        sleep_ms: u64 = "sleep-ms", "2000", OptKind::Int { min: 0, max: 20_000 },
            "how long each thread sleeps";
    }
}

/// Five threads, several runs, each run's order of finishing.
pub struct ThreadOrder;

impl Example for ThreadOrder {
    type Mode = Mode;
    type Options = ThreadOrderOptions;
    type Output = ThreadOrderOutput;
    const NAME: &'static str = "thread-order";
    const TITLE: &'static str = "Five threads: who finishes first?";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Lanes
    }

    fn start(_: Mode, options: ThreadOrderOptions, ctx: RunCtx) -> Work<ThreadOrderOutput> {
        Work::Thread(Box::new(move || run(&options, &ctx.tracer, &ctx.control)))
    }
}

/// Each run's order of finishing.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadOrderOutput {
    pub threads: usize,
    /// Thread numbers in the order they finished, one list per run.
    pub orders: Vec<Vec<usize>>,
    /// Runs that finished in the order the threads were started.
    pub in_start_order: usize,
    /// Different orders among the runs.
    pub different: usize,
}

impl super::Output for ThreadOrderOutput {
    /// `5 runs, 4 orders: 12345 21435 …`: every run's order, short enough
    /// for the pane's one summary line.
    fn summary(&self) -> String {
        let orders: Vec<String> = self
            .orders
            .iter()
            .map(|o| o.iter().map(usize::to_string).collect())
            .collect();
        format!(
            "{} runs, {} orders: {}",
            self.orders.len(),
            self.different,
            orders.join(" ")
        )
    }
}

impl ThreadOrderOutput {
    fn new(threads: usize, orders: Vec<Vec<usize>>) -> ThreadOrderOutput {
        let start: Vec<usize> = (1..=threads).collect();
        let mut seen = orders.clone();
        seen.sort();
        seen.dedup();
        ThreadOrderOutput {
            threads,
            in_start_order: orders.iter().filter(|o| **o == start).count(),
            different: seen.len(),
            orders,
        }
    }
}

/// One line per run: `run 2: 3 1 4 5 2`.
fn order_line(run: usize, order: &[usize]) -> String {
    let v: Vec<String> = order.iter().map(usize::to_string).collect();
    format!("run {run}: {}", v.join(" "))
}

/// Runs the program `options.runs` times; each run starts the threads
/// (Thread 1 first), joins them all and prints who finished when.
pub fn run(
    options: &ThreadOrderOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ThreadOrderOutput> {
    let p = Process::new(tracer, control);
    let mut main = MainThread::start(tracer, control, &p.out);
    let sleep = Duration::from_millis(options.sleep_ms);
    let mut orders = Vec::new();
    for r in 1..=options.runs {
        if r > 1 {
            main.begin(&format!("main(), run {r}"));
        }
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut threads = Vec::new();
        for n in 1..=options.threads {
            let lane = LaneId::try_from(n).unwrap_or(LaneId::MAX);
            // A lane interrupted in an earlier run starts afresh.
            control.clear_lane(lane);
            let spec = ThreadSpec {
                lane,
                name: format!("Thread-{n}"),
                label: format!("thread_function({n})"),
                daemon: false,
                lane_down: false,
            };
            let order = order.clone();
            let t = PyThread::start(spec, &p, move |ctx| {
                ctx.sleep(sleep)?;
                // Who finished when is the order of taking this lock.
                order
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(n);
                Ok(())
            })?;
            threads.push(t);
        }
        for t in &mut threads {
            let on = BlockOn::Task {
                name: "join()".into(),
            };
            if main.wait(on, || t.join(&|| main.tick())).is_err() || control.all_interrupted() {
                main.cancel();
                return Err(Interrupted.into());
            }
        }
        let order = order
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        main.print(order_line(r, &order));
        orders.push(order);
    }
    main.exit();
    Ok(ThreadOrderOutput::new(options.threads, orders))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::{DemoRequest, run_json};
    use crate::runtime::testing::drain;
    use crate::trace::{EventKind, check_stream};

    #[test]
    fn every_run_records_each_thread_once_after_its_sleep() {
        let mut r = DemoRequest::new("thread-order").unwrap();
        r.set("runs", "3").unwrap();
        r.set("sleep-ms", "20").unwrap();
        let (tracer, mut rx) = Tracer::new();
        let out = run_json(&r, &tracer, &Control::new()).unwrap();
        let events = drain(&mut rx);
        check_stream(&events).unwrap();
        let orders: Vec<Vec<usize>> = serde_json::from_value(out["orders"].clone()).unwrap();
        assert_eq!(orders.len(), 3);
        for o in &orders {
            let mut sorted = o.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, [1, 2, 3, 4, 5]);
        }
        let lines: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Output { text } => Some(text.clone()),
                _ => None,
            })
            .collect();
        let want: Vec<_> = orders
            .iter()
            .enumerate()
            .map(|(i, o)| order_line(i + 1, o))
            .collect();
        assert_eq!(lines, want, "one line per run, in run order");
    }

    #[test]
    fn orders_are_counted() {
        let out = ThreadOrderOutput::new(3, vec![vec![1, 2, 3], vec![2, 1, 3], vec![1, 2, 3]]);
        assert_eq!((out.in_start_order, out.different), (2, 2));
        assert_eq!(order_line(2, &[3, 1, 2]), "run 2: 3 1 2");
        assert_eq!(
            super::super::Output::summary(&out),
            "3 runs, 2 orders: 123 213 123"
        );
    }

    #[test]
    fn an_interrupt_ends_the_runs() {
        let control = Control::new();
        control.interrupt_all();
        let r = DemoRequest::new("thread-order").unwrap();
        let (tracer, mut rx) = Tracer::new();
        assert!(run_json(&r, &tracer, &control).is_err());
        check_stream(&drain(&mut rx)).unwrap();
    }
}
