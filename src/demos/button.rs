//! A button that must stay responsive while a long hash search runs.
//!
//! The button and its clock live in the UI; this module owns the search
//! side of each mode so that it can also run headless.

mod clock;
mod search;

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;

pub use clock::{Clock, Lateness};
pub use search::{ButtonSearch, SearchEnd};

use super::hash::{COUNTERS, Prefix, calibrate};
use super::{Example, Host, Live, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, LaneRole, Micros, Tracer};

/// Longest the blocking mode may freeze its thread.
pub const BLOCKING_LIMIT: Duration = Duration::from_secs(3);

/// How long the clock ticks before the search starts, so that the
/// headless figures show it running freely first.
const LEAD_IN: Duration = Duration::from_millis(200);

crate::modes! {
    /// Where the search runs.
    pub enum Mode {
        Thread = "thread": "the search runs on a worker thread",
        Blocking = "blocking": "the search runs on the UI thread: the screen freezes",
        Cooperative = "cooperative":
            "the search is a task on the UI's event loop, yielding every K hashes",
    }
}

crate::options! {
    /// Options of `button`.
    pub struct ButtonOptions {
        message: String = "message", "hello world", OptKind::Text { max_len: 200 },
            "the text to hash";
        prefix: String = "prefix", "0000000", OptKind::OneOf(super::hash::PREFIXES),
            "hex prefix the digest must start with";
        yield_every: Live = "yield-every", "20000", OptKind::Int { min: 1, max: 10_000_000 },
            "hashes between yields (cooperative)", keys('[', ']', Step::Times(2)),
            modes("cooperative");
    }
}

/// A button that must stay responsive while a long hash search runs.
pub struct Button;

impl Example for Button {
    type Mode = Mode;
    type Options = ButtonOptions;
    type Output = ButtonOutput;
    const NAME: &'static str = "button";
    const TITLE: &'static str = "A button during a long hash search";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Button
    }

    fn start(mode: Mode, options: ButtonOptions, ctx: RunCtx) -> Work<ButtonOutput> {
        match (mode, ctx.host) {
            (Mode::Blocking, Host::Ui) => {
                Work::UiThread(Box::new(move || search_blocking(&options, &ctx.tracer)))
            }
            (Mode::Cooperative, Host::Ui) => Work::EventLoop(Box::pin(async move {
                search_cooperative(&options, &ctx.tracer, &ctx.control).await
            })),
            _ => Work::Thread(Box::new(move || {
                run(mode, &options, &ctx.tracer, &ctx.control)
            })),
        }
    }
}

/// What a search found and how late the clock ticked meanwhile.
#[derive(Debug, Clone, Serialize)]
pub struct ButtonOutput {
    pub nonce: Option<u64>,
    pub complete: bool,
    pub hashes: u64,
    pub rate_hps: f64,
    pub seconds: f64,
    pub mode: &'static str,
    pub message: String,
    pub prefix: String,
    pub yield_every: Option<u64>,
    pub yields: u64,
    /// How late the clock ticked (headless runs; the app measures clicks).
    pub clock: Option<Lateness>,
}

impl super::Output for ButtonOutput {
    fn summary(&self) -> String {
        let found = match self.nonce {
            Some(n) => format!("nonce {n}"),
            None => "no nonce".into(),
        };
        let mut line = format!(
            "{found}: {} hashes in {:.2} s ({:.2} M hashes/s)",
            self.hashes,
            self.seconds,
            self.rate_hps / 1e6
        );
        if let Some(k) = self.yield_every {
            let _ = write!(line, ", {} yields (every {k})", self.yields);
        }
        line
    }
}

impl ButtonOutput {
    fn of(end: &SearchEnd, mode: Mode, options: &ButtonOptions, clock: Option<Lateness>) -> Self {
        ButtonOutput {
            nonce: end.nonce,
            complete: end.complete,
            hashes: end.hashes,
            rate_hps: end.rate_hps().round(),
            seconds: end.elapsed.as_secs_f64(),
            mode: super::Modes::name(mode),
            message: options.message.clone(),
            prefix: options.prefix.clone(),
            yield_every: (mode == Mode::Cooperative).then(|| options.yield_every.get()),
            yields: end.yields,
            clock,
        }
    }
}

fn search_of(
    options: &ButtonOptions,
    tracer: &Tracer,
    lane_name: &str,
    role: LaneRole,
) -> anyhow::Result<ButtonSearch> {
    let prefix = Prefix::parse(&options.prefix).map_err(anyhow::Error::msg)?;
    let name = lane_name.into();
    tracer.emit(
        0,
        EventKind::LaneUp {
            name,
            pid: None,
            role,
        },
    );
    Ok(ButtonSearch::new(&options.message, prefix, tracer, 0))
}

fn ui_result(end: &SearchEnd, mode: Mode, options: &ButtonOptions) -> anyhow::Result<ButtonOutput> {
    if !end.complete {
        anyhow::bail!(
            "stopped after {:.1} s without a nonce ({} hashes): the freeze is capped",
            end.elapsed.as_secs_f64(),
            end.hashes
        );
    }
    Ok(ButtonOutput::of(end, mode, options, None))
}

/// The blocking mode in the app: searches on the calling (UI) thread until
/// found or [`BLOCKING_LIMIT`] worth of hashes is spent. Nothing else runs
/// meanwhile.
pub fn search_blocking(options: &ButtonOptions, tracer: &Tracer) -> anyhow::Result<ButtonOutput> {
    let search = search_of(options, tracer, "UI thread", LaneRole::Main)?;
    let end = search.run_to_end(blocking_budget(), &Control::new())?;
    ui_result(&end, Mode::Blocking, options)
}

/// The cooperative mode in the app: a task on the UI's own event loop that
/// searches `yield_every` hashes, then yields so the loop can serve keys and
/// frames.
pub async fn search_cooperative(
    options: &ButtonOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ButtonOutput> {
    let search = search_of(options, tracer, "event loop", LaneRole::EventLoop)?;
    let end = search
        .run_cooperative(options.yield_every.cell(), control)
        .await?;
    ui_result(&end, Mode::Cooperative, options)
}

/// Hashes the blocking mode may compute: [`BLOCKING_LIMIT`] at the rate
/// measured on this machine.
pub fn blocking_budget() -> u64 {
    Micros::from_duration(BLOCKING_LIMIT).count_at(calibrate())
}

/// Runs the search headless in the chosen mode beside a clock on an event
/// loop (lane 0) that ticks every 100 ms; the result holds the nonce and
/// how late the clock ticked while the search ran.
pub fn run(
    mode: Mode,
    options: &ButtonOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ButtonOutput> {
    let prefix = Prefix::parse(&options.prefix).map_err(anyhow::Error::msg)?;
    let message = options.message.clone();
    let yield_every = options.yield_every.cell();
    let say = |text: String| tracer.emit(0, EventKind::Output { text });
    tracer.emit(
        0,
        EventKind::LaneUp {
            name: "event loop".into(),
            pid: None,
            role: LaneRole::EventLoop,
        },
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the event loop")?;
    let (ended, late) = rt.block_on(async {
        let clock = Clock::start(tracer.clone(), 0);
        tokio::time::sleep(LEAD_IN).await;
        let ended = match mode {
            Mode::Thread => {
                let role = LaneRole::Worker;
                tracer.emit(1, EventKind::LaneUp { name: "worker".into(), pid: None, role });
                let search = ButtonSearch::new(&message, prefix, tracer, 1);
                let ctl = control.clone();
                let (tx, rx) = tokio::sync::oneshot::channel();
                let worker = std::thread::Builder::new()
                    .name("button-search".into())
                    .spawn(move || {
                        let _ = tx.send(search.run_to_end(COUNTERS, &ctl));
                    })
                    .context("cannot start the search thread")?;
                let r = rx.await.unwrap_or(Err(Interrupted));
                let _ = worker.join();
                tracer.emit(1, EventKind::LaneDown { reason: "shutdown".into() });
                r
            }
            Mode::Blocking => {
                let budget = blocking_budget();
                say(format!(
                    "blocking: the search runs on the event loop's thread for at most {} s ({budget} hashes); the clock stops",
                    BLOCKING_LIMIT.as_secs()
                ));
                ButtonSearch::new(&message, prefix, tracer, 0).run_to_end(budget, control)
            }
            Mode::Cooperative => {
                let search = ButtonSearch::new(&message, prefix, tracer, 0);
                search.run_cooperative(yield_every, control).await
            }
        };
        // One more tick lands after a blocking search: that is the freeze.
        tokio::time::sleep(Duration::from_millis(120)).await;
        Ok::<_, anyhow::Error>((ended, clock.stop().await))
    })?;
    tracer.emit(
        0,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
    let ended = ended.with_context(|| format!("button --mode {}", super::Modes::name(mode)))?;

    match ended.nonce {
        Some(n) => say(n.to_string()),
        None if !ended.complete => say(format!(
            "stopped after {} hashes without a nonce: blocking mode is bounded to {} s",
            ended.hashes,
            BLOCKING_LIMIT.as_secs()
        )),
        None => say("None: no counter in range(2**32-1) matches".into()),
    }
    say(format!(
        "{}: {:.2} M hashes/s; clock ticks late by p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        super::Modes::name(mode),
        ended.rate_hps() / 1e6,
        late.p50_ms,
        late.p99_ms,
        late.max_ms
    ));
    Ok(ButtonOutput::of(&ended, mode, options, Some(late)))
}

#[cfg(test)]
mod tests;
