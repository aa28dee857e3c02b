//! What an example is: the one trait every example implements.
//!
//! An example names itself, lists its modes (an enum, [`Modes`]) and its
//! options (one typed struct, [`Options`], declared with [`options!`]), says
//! which pane draws it and starts its work ([`Work`]) where that work must
//! run. Everything else — directive checks in lessons, `racecourse run NAME
//! --help`, the knobs the learner turns live, the guide's tables — is
//! derived from those declarations by the erased face in
//! [`catalog`](super::catalog).

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::spec::{Choice, OptSpec};
use crate::runtime::Control;
use crate::trace::Tracer;

/// Which live pane draws an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneKind {
    /// Workers of a thread pool (or processes) on one workload, side by side.
    Lanes,
    /// Tasks of an event loop: the task table, the ready queue, the loop lane.
    Tasks,
    /// The responsive button beside a long hash search.
    Button,
    /// The hash search split over workers, with rates and speed-up.
    HashRace,
    /// Requests drawn as bars on a shared time axis.
    Waterfall,
    /// Threads updating one counter: expected against got.
    Race,
    /// Threads and locks: the wait-for graph, each thread's waits.
    Locks,
    /// Threads whose steps the learner schedules: code, variables, goal.
    Scheduler,
    /// Threads meeting at one object: a queue's slots (or a semaphore's
    /// permits, a barrier's parties), the threads as lanes, throughput.
    Queue,
    /// LED boards driven by two implementations of one spec, side by side.
    LedBoards,
    /// A generator or a coroutine stepped by key: its source with the
    /// suspended line, its locals, what it printed.
    Stepper,
    /// OS processes with their PIDs, what they print, and the bytes of the
    /// messages between them.
    Procs,
    /// The choosing chapter's summary table, with the learner's figures.
    Recap,
}

/// Who runs the example: the app (its pane can take work on the UI's own
/// thread) or a headless command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Ui,
    Headless,
}

/// What a run is given.
#[derive(Clone)]
pub struct RunCtx {
    pub tracer: Tracer,
    pub control: Control,
    pub host: Host,
}

/// An example's work and where it must run.
pub enum Work<O> {
    /// Blocking work, on a thread of its own.
    Thread(Box<dyn FnOnce() -> anyhow::Result<O> + Send>),
    /// Cooperative work: a task on the UI's own event loop (headless, on an
    /// event loop of its own).
    EventLoop(Pin<Box<dyn Future<Output = anyhow::Result<O>> + Send>>),
    /// Work that freezes the UI thread on purpose, bounded; the app runs it
    /// once a frame has warned the learner.
    UiThread(Box<dyn FnOnce() -> anyhow::Result<O> + Send>),
}

/// Where a run takes place, as a plain value for panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Thread,
    EventLoop,
    UiThread,
}

impl<O: 'static> Work<O> {
    /// Where this work runs.
    pub fn place(&self) -> Place {
        match self {
            Work::Thread(_) => Place::Thread,
            Work::EventLoop(_) => Place::EventLoop,
            Work::UiThread(_) => Place::UiThread,
        }
    }

    /// The same work with its output turned by `f`.
    pub fn map<P: 'static>(self, f: fn(O) -> P) -> Work<P> {
        match self {
            Work::Thread(run) => Work::Thread(Box::new(move || run().map(f))),
            Work::EventLoop(fut) => Work::EventLoop(Box::pin(async move { fut.await.map(f) })),
            Work::UiThread(run) => Work::UiThread(Box::new(move || run().map(f))),
        }
    }

    /// Runs the work here, to its end (headless runs and tests).
    pub fn run_here(self) -> anyhow::Result<O> {
        match self {
            Work::Thread(run) | Work::UiThread(run) => run(),
            Work::EventLoop(fut) => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(fut),
        }
    }
}

/// An example's modes: a fieldless enum, declared with [`modes!`]. The first
/// mode is the default, and the baseline that speed-ups compare with.
pub trait Modes: Copy + Eq + Send + Sync + 'static {
    /// Every mode, in order.
    const ALL: &'static [Self];
    /// Each mode's name and help, in the same order.
    const CHOICES: &'static [Choice];

    /// Position in [`Modes::ALL`].
    fn index(self) -> usize {
        Self::ALL.iter().position(|m| *m == self).unwrap_or(0)
    }

    /// The mode's name, as lessons and `--mode` spell it.
    fn name(self) -> &'static str {
        Self::CHOICES[self.index()].name
    }

    /// The mode at `index` (the default past the end).
    fn at(index: usize) -> Self {
        Self::ALL.get(index).copied().unwrap_or(Self::ALL[0])
    }
}

/// Declares a modes enum with each mode's name and help.
#[macro_export]
macro_rules! modes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[doc = $doc:literal])* $variant:ident = $text:literal : $help:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[doc = $doc])* $variant ),+
        }

        impl $crate::demos::Modes for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const CHOICES: &'static [$crate::demos::Choice] = &[
                $($crate::demos::Choice { name: $text, help: $help }),+
            ];
        }
    };
}

/// A value an option can hold, parsed from the text a lesson or a flag
/// gives (already checked against the option's kind).
pub trait Knob: Sized {
    /// Whether a running example reads the value as it changes ([`Live`]).
    const LIVE: bool = false;
    fn parse_knob(text: &str) -> Option<Self>;
    fn show(&self) -> String;
}

macro_rules! knob_from_str {
    ($($t:ty),*) => {$(
        impl Knob for $t {
            fn parse_knob(text: &str) -> Option<Self> {
                text.parse().ok()
            }
            fn show(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
knob_from_str!(i64, u64, u32, usize, f64, String);

impl Knob for bool {
    fn parse_knob(text: &str) -> Option<Self> {
        match text {
            "true" | "yes" | "on" | "1" => Some(true),
            "false" | "no" | "off" | "0" => Some(false),
            _ => None,
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

/// A whole number the learner may change while the example runs: the run
/// and the pane share it.
#[derive(Debug, Clone, Default)]
pub struct Live(Arc<AtomicU64>);

impl Live {
    /// The value now.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// The shared cell, for loops that read it often.
    pub fn cell(&self) -> &AtomicU64 {
        &self.0
    }
}

impl Knob for Live {
    const LIVE: bool = true;
    fn parse_knob(text: &str) -> Option<Self> {
        text.parse().ok().map(|v| Live(Arc::new(AtomicU64::new(v))))
    }
    fn show(&self) -> String {
        self.get().to_string()
    }
}

/// Updates a knob in place; a [`Live`] one keeps its shared cell, so a
/// running example sees the change.
pub trait SetKnob {
    fn set_knob(&mut self, text: &str);
}

impl<T: Knob + 'static> SetKnob for T {
    fn set_knob(&mut self, text: &str) {
        let any: &mut dyn Any = self;
        if let Some(live) = any.downcast_mut::<Live>() {
            if let Ok(v) = text.parse() {
                live.0.store(v, Ordering::Relaxed);
            }
            return;
        }
        if let Some(v) = T::parse_knob(text) {
            *self = v;
        }
    }
}

/// An example's options: one struct, declared with [`options!`].
pub trait Options: Clone + Default + Send + Sync + 'static {
    /// Each option's name, help, kind, default and live keys.
    const KNOBS: &'static [OptSpec];
    /// Sets option `name` from checked text.
    fn set(&mut self, name: &str, text: &str);
    /// Option `name` as text.
    fn get(&self, name: &str) -> Option<String>;
}

/// Declares an options struct and its table: each field with its option
/// name, default (as text), kind and help, optionally the two keys that
/// turn it down and up in the app with the step they take, and optionally
/// the modes it applies to (`modes("threads", "processes")`; without it,
/// every mode), so that the pane shows only the knobs that matter.
#[macro_export]
macro_rules! options {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $field:ident : $ty:ty = $opt:literal, $default:literal, $kind:expr, $help:literal
                $(, keys($down:literal, $up:literal, $step:expr))?
                $(, modes($($mode:literal),+))?
                ;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        $vis struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                $name {
                    $( $field: <$ty as $crate::demos::Knob>::parse_knob($default)
                        .unwrap_or_else(|| panic!("default of `{}` does not parse", $opt)), )*
                }
            }
        }

        impl $crate::demos::Options for $name {
            const KNOBS: &'static [$crate::demos::OptSpec] = &[
                $($crate::demos::OptSpec {
                    name: $opt,
                    help: $help,
                    kind: $kind,
                    default: $default,
                    keys: $crate::options!(@keys $($down, $up, $step)?),
                    modes: &[$($($mode),+)?],
                    live: <$ty as $crate::demos::Knob>::LIVE,
                }),*
            ];

            #[allow(unused_variables)]
            fn set(&mut self, name: &str, text: &str) {
                match name {
                    $( $opt => $crate::demos::SetKnob::set_knob(&mut self.$field, text), )*
                    _ => {}
                }
            }

            #[allow(unused_variables)]
            fn get(&self, name: &str) -> Option<String> {
                match name {
                    $( $opt => Some($crate::demos::Knob::show(&self.$field)), )*
                    _ => None,
                }
            }
        }
    };
    (@keys) => { None };
    (@keys $down:literal, $up:literal, $step:expr) => {
        Some($crate::demos::KnobKeys { down: $down, up: $up, step: $step })
    };
}

/// What a run returns: a typed value, with a line a person reads.
pub trait Output: serde::Serialize + Send + 'static {
    /// One line for the pane and the terminal: no raw JSON, no `Debug`.
    fn summary(&self) -> String;

    /// Units of work that failed although the run went to its end (a
    /// download's failed requests): a run with failures says so in its
    /// summary and exit status.
    fn failures(&self) -> u64 {
        0
    }
}

/// An example the course can run.
pub trait Example: Send + Sync + 'static {
    type Mode: Modes;
    type Options: Options;
    type Output: Output;
    /// The name lessons and `racecourse run` use.
    const NAME: &'static str;
    /// A title for panes.
    const TITLE: &'static str;

    /// The pane that draws the example in `mode`.
    fn pane(mode: Self::Mode) -> PaneKind;

    /// The example's work in `mode` with `options`, and where it runs.
    fn start(mode: Self::Mode, options: Self::Options, ctx: RunCtx) -> Work<Self::Output>;
}
