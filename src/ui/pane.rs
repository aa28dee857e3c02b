//! The live pane's state: the example it runs, the knobs, the folded trace.
//!
//! No drawing here; `ui::panes` reads this to draw.

use std::time::Instant;

use crate::demos::{DemoRequest, Host, Launched, Outcome, PaneKind, Place, RunHandle};
use crate::progress::SavedRun;
use crate::runtime::Control;
use crate::trace::{LaneId, RunState, TraceRx, Tracer};
use crate::ui::button::{self, ButtonState};
use crate::ui::clock::Now;

mod history;
pub use history::Kept;

/// One run that ended (finished, failed or stopped), kept to compare modes.
#[derive(Debug, Clone)]
pub struct PastRun {
    pub mode: &'static str,
    /// The mode's position: 0 is the baseline speed-ups compare with.
    pub mode_index: usize,
    /// The worker count, where the mode has workers (none on one event loop).
    pub workers: Option<String>,
    /// Wall time, pauses excluded.
    pub wall_ms: f64,
    pub ok: bool,
    /// Overall progress rate (hashes/s, bytes/s) if the example reports one.
    pub rate: f64,
    /// Why the run does not compare with others; none for an honest run.
    pub mark: Option<Mark>,
    /// The time scale it ran at, in percent (the slowest if it changed).
    pub scale_pct: u32,
    /// The run as progress keeps it: example, other options, when.
    pub saved: SavedRun,
}

/// What makes a run's timing not comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Stopped by the app: the learner left its section or ran it again.
    Stopped,
    /// An interrupt reached it (`x`, `X`, Ctrl-C).
    Interrupted,
    /// It ended in an error.
    Failed,
    /// It was paused at some point.
    Paused,
    /// Its time scale was not real time (slow motion or faster).
    Rescaled,
}

impl Mark {
    /// The word the chart prints.
    pub fn word(self, scale_pct: u32) -> &'static str {
        match self {
            Mark::Stopped => "stopped",
            Mark::Interrupted => "interrupted",
            Mark::Failed => "failed",
            Mark::Paused => "paused",
            Mark::Rescaled if scale_pct > 100 => "slowed",
            Mark::Rescaled => "sped up",
        }
    }
}

impl PastRun {
    /// Whether the run compares with others: it ended on its own, without
    /// error, pause or another time scale.
    pub fn honest(&self) -> bool {
        self.mark.is_none()
    }

    /// The run as progress keeps it, if it is honest.
    pub fn kept(&self) -> Option<SavedRun> {
        self.honest().then(|| self.saved.clone())
    }

    /// Whether `other` ran with the same options but mode and main knob.
    pub fn same_setting(&self, other: &PastRun) -> bool {
        self.saved.example == other.saved.example && self.saved.setting == other.saved.setting
    }
}

/// Where the pane's run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Ready,
    Running,
    Paused,
    Done,
}

/// Work armed to run on the UI thread once its warning is on screen.
type Armed = Box<dyn FnOnce() -> Outcome + Send>;

/// The pane attached to the current section.
pub struct Pane {
    pub request: DemoRequest,
    /// The knobs as the lesson set them, for reset.
    pub lesson_request: DemoRequest,
    pub control: Control,
    pub run: Option<RunHandle>,
    armed: Option<Armed>,
    /// Where the latest run took place.
    pub place: Option<Place>,
    pub rx: Option<TraceRx>,
    pub state: RunState,
    pub outcome: Option<Outcome>,
    pub started: Option<Instant>,
    pub selected_lane: usize,
    pub history: Vec<PastRun>,
    /// The wall time of the run that ended, pauses excluded.
    pub ended_wall_ms: Option<f64>,
    /// Time scale in percent, kept across reruns.
    pub scale_pct: u32,
    /// Clicks on the pane's button, for panes that have one.
    pub button: Option<ButtonState>,
    /// The latest tick: the moment drawing shows (none before the first).
    pub now: Option<Now>,
    /// Terminal bells the example asked for (a `bell` state), not yet rung.
    pub bells: u32,
}

impl Pane {
    /// A pane for the lesson's request, not yet running.
    pub fn new(request: DemoRequest) -> Pane {
        let button = (request.pane() == PaneKind::Button).then(|| {
            button::measured_rate();
            ButtonState::default()
        });
        Pane {
            lesson_request: request.clone(),
            request,
            control: Control::new(),
            run: None,
            armed: None,
            place: None,
            rx: None,
            state: RunState::new(),
            outcome: None,
            started: None,
            selected_lane: 0,
            history: Vec::new(),
            ended_wall_ms: None,
            scale_pct: 100,
            button,
            now: None,
            bells: 0,
        }
    }

    /// Where the run stands.
    pub fn phase(&self) -> Phase {
        match (&self.run, &self.outcome) {
            (Some(_), _) if self.control.is_paused() => Phase::Paused,
            (Some(_), _) => Phase::Running,
            (None, Some(_)) => Phase::Done,
            (None, None) if self.armed.is_some() => Phase::Running,
            (None, None) => Phase::Ready,
        }
    }

    /// Starts (or restarts) the example with the current knobs. Work meant
    /// for the UI thread is only armed here: it runs from
    /// [`Pane::run_armed_now`] once its warning is on screen.
    pub fn start(&mut self) {
        let tracer = self.reset_run();
        // Someone is at the keyboard: an example that waits for keys gets them.
        self.control.open_keys();
        match crate::demos::launch(&self.request, tracer, self.control.clone(), Host::Ui) {
            Launched::Running(handle) => {
                self.place = Some(handle.place);
                self.run = Some(handle);
            }
            Launched::Armed(work) => {
                self.place = Some(Place::UiThread);
                self.armed = Some(work);
            }
        }
    }

    /// Clears the previous run; returns the tracer for the next one.
    fn reset_run(&mut self) -> Tracer {
        self.stop();
        let (tracer, rx) = Tracer::new();
        self.control = Control::new();
        self.control.set_scale_pct(self.scale_pct);
        self.state = RunState::new();
        self.outcome = None;
        self.ended_wall_ms = None;
        self.selected_lane = 0;
        self.started = Some(Instant::now());
        self.rx = Some(rx);
        self.armed = None;
        if let Some(b) = self.button.as_mut() {
            b.new_run();
        }
        tracer
    }

    /// Whether work waits to freeze the screen.
    pub fn armed(&self) -> bool {
        self.armed.is_some()
    }

    /// Runs the armed work on the calling (UI) thread.
    pub fn run_armed_now(&mut self) {
        let Some(work) = self.armed.take() else {
            return;
        };
        let start = Instant::now();
        let outcome = work();
        let froze = start.elapsed();
        if let Some(b) = self.button.as_mut() {
            b.froze_for = Some(froze);
        }
        self.finish(outcome);
    }

    /// Time moves on: drawing will show the pane as of `now`.
    pub fn tick(&mut self, now: Now) {
        self.now = Some(now);
        if let Some(b) = self.button.as_mut() {
            b.poll_rate();
        }
    }

    /// Whether the pane needs frames of its own: a run going on (not a
    /// paused one), clicks not yet on screen, a button just released, a
    /// calibration under way.
    pub fn animating(&self) -> bool {
        let running = self.phase() == Phase::Running;
        running
            || self.button.as_ref().is_some_and(|b| {
                b.has_unshown()
                    || self.now.is_some_and(|n| b.recent_click(n.at))
                    || b.rate.is_none()
            })
    }

    /// Interrupts and waits for the run to end (its threads are joined).
    pub fn stop(&mut self) {
        let Some(mut run) = self.run.take() else {
            self.drain();
            self.rx = None;
            return;
        };
        // A run that ended before it was stopped keeps its own outcome.
        let ended = run.done().try_recv().ok();
        let stopped = ended.is_none();
        if stopped {
            run.control.interrupt_all();
        }
        let outcome = ended.unwrap_or_else(|| run.wait());
        self.drain();
        self.rx = None;
        self.record(&outcome, stopped);
        if !stopped {
            self.outcome = Some(outcome);
        }
    }

    /// Folds every event already waiting; returns whether any arrived.
    pub fn drain(&mut self) -> bool {
        let Some(rx) = self.rx.as_mut() else {
            return false;
        };
        let mut any = false;
        while let Ok(ev) = rx.try_recv() {
            if matches!(&ev.kind, crate::trace::EventKind::State { key, .. } if key == "bell") {
                self.bells += 1;
            }
            self.state.apply(&ev);
            any = true;
        }
        any
    }

    /// Records the end of a run.
    pub fn finish(&mut self, outcome: Outcome) {
        self.drain();
        self.rx = None;
        let end_us = (outcome.wall_ms * 1000.0) as u64;
        self.state.close(end_us.max(self.state.now_us));
        self.record(&outcome, false);
        // Only now: dropping a handle whose thread is still winding down
        // interrupts it, which must not mark the run.
        self.run = None;
        self.outcome = Some(outcome);
    }

    /// Adds the run that ended with `outcome` to the history, marked with
    /// what makes it not comparable, if anything.
    fn record(&mut self, outcome: &Outcome, stopped: bool) {
        let paused = self.control.paused_for(Instant::now());
        let wall_ms = (outcome.wall_ms - paused.as_secs_f64() * 1000.0).max(0.0);
        let (lo, hi) = self.control.scales();
        let mark = if stopped {
            Some(Mark::Stopped)
        } else if self.control.was_interrupted() {
            Some(Mark::Interrupted)
        } else if outcome.result.is_err() {
            Some(Mark::Failed)
        } else if self.control.was_paused() {
            Some(Mark::Paused)
        } else if (lo, hi) != (100, 100) {
            Some(Mark::Rescaled)
        } else {
            None
        };
        self.ended_wall_ms = Some(wall_ms);
        let secs = (wall_ms / 1000.0).max(1e-9);
        let at_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        self.history.push(PastRun {
            mode: self.request.mode(),
            mode_index: self.request.mode_index(),
            // Only where the mode has workers: no `async ×4`.
            workers: self
                .request
                .knob("workers")
                .filter(|k| k.applies_to(self.request.mode()))
                .map(|k| self.request.text(k.name)),
            wall_ms,
            ok: outcome.result.is_ok(),
            rate: self.state.done as f64 / secs,
            mark,
            scale_pct: if hi > 100 { hi } else { lo },
            saved: SavedRun::of_request(
                &self.request,
                (wall_ms * 1000.0) as u64,
                self.state.done,
                at_ms,
            ),
        });
        if self.history.len() > history::PER_EXAMPLE {
            self.history.remove(0);
        }
    }

    /// Picks mode `n` (1-based); returns its name.
    pub fn set_mode(&mut self, n: u8) -> Option<&'static str> {
        if !self.request.set_mode_index((n as usize).checked_sub(1)?) {
            return None;
        }
        Some(self.request.mode())
    }

    /// Turns the option that `key` moves, if the example has one; returns
    /// its name and new value. A live option changes the running work too.
    pub fn turn(&mut self, key: char) -> Option<(&'static str, i64)> {
        self.request.turn(key)
    }

    /// Lanes in display order: those `x` can interrupt (not a pool's
    /// supervisor, not an event loop, whose tasks are lanes of their own).
    pub fn lane_ids(&self) -> Vec<LaneId> {
        use crate::trace::LaneRole::{EventLoop, Supervisor};
        let lanes = self.state.lanes.values();
        lanes
            .filter(|l| !matches!(l.role, Supervisor | EventLoop))
            .map(|l| l.id)
            .collect()
    }

    /// The lane the learner selected, if lanes exist.
    pub fn selected(&self) -> Option<LaneId> {
        let ids = self.lane_ids();
        ids.get(self.selected_lane.min(ids.len().saturating_sub(1)))
            .copied()
    }

    /// Seconds from the run's start to the latest tick, pauses excluded
    /// (frozen when done).
    pub fn elapsed_s(&self) -> f64 {
        match (&self.outcome, self.started, self.now) {
            (Some(o), _, _) => self.ended_wall_ms.unwrap_or(o.wall_ms) / 1000.0,
            (None, Some(t), Some(now)) => now
                .at
                .saturating_duration_since(t)
                .saturating_sub(self.control.paused_for(now.at))
                .as_secs_f64(),
            _ => 0.0,
        }
    }

    /// The right end of the time-lines, in µs of the run: the wall clock
    /// as of the latest tick while the run goes on (so the axis moves when
    /// no event arrives, in slow motion or while every lane sleeps), the
    /// run's end once it is over.
    pub fn now_us(&self) -> u64 {
        let wall = if self.run.is_some() && self.outcome.is_none() {
            (self.elapsed_s() * 1e6) as u64
        } else {
            0
        };
        wall.max(self.state.now_us)
    }

    /// Whether the pane's button looks pressed as of the latest tick.
    pub fn button_pressed(&self) -> bool {
        let now = self.now.map(|n| n.at);
        self.button
            .as_ref()
            .zip(now)
            .is_some_and(|(b, now)| b.pressed_at(now))
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::ui::app::{App, Msg};

    fn pane() -> Pane {
        let mut req = DemoRequest::new("three-ways").unwrap();
        req.set_mode("threads").unwrap();
        Pane::new(req)
    }

    fn at(t: Instant) -> Now {
        Now {
            at: t,
            wall: Duration::ZERO,
        }
    }

    #[test]
    fn elapsed_time_is_the_ticks_not_the_clocks() {
        let mut p = pane();
        let t0 = Instant::now();
        p.started = Some(t0);
        assert_eq!(p.elapsed_s(), 0.0, "no tick yet: nothing has elapsed");
        p.tick(at(t0 + Duration::from_millis(1500)));
        assert_eq!(p.elapsed_s(), 1.5);
        assert_eq!(p.elapsed_s(), 1.5, "drawing twice shows the same time");
    }

    #[test]
    fn a_paused_run_does_not_animate() {
        let mut p = pane();
        assert!(!p.animating(), "a pane that is ready waits for a key");
        p.start();
        assert!(p.animating());
        p.control.set_paused(true);
        assert_eq!(p.phase(), Phase::Paused);
        assert!(!p.animating(), "paused: no frames of its own");
        p.control.set_paused(false);
        assert!(p.animating());
        p.stop();
    }

    /// Runs a quick three-ways job to its end as the app does: the outcome
    /// arrives, then `finish`.
    fn run_to_end(p: &mut Pane) {
        p.start();
        let outcome = wait_done(p);
        p.finish(outcome);
    }

    /// Waits for the run's outcome as the app's loop would receive it.
    fn wait_done(p: &mut Pane) -> Outcome {
        let rx = p.run.as_mut().unwrap().done();
        loop {
            match rx.try_recv() {
                Ok(outcome) => return outcome,
                Err(tokio::sync::oneshot::error::TryRecvError::Empty) => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(e) => panic!("the run ended without an outcome: {e}"),
            }
        }
    }

    #[test]
    fn a_run_that_ends_by_itself_is_honest_and_others_are_marked() {
        let mut req = DemoRequest::new("three-ways").unwrap();
        req.set("tasks", "1").unwrap();
        req.set("wait-ms", "1").unwrap();
        let mut p = Pane::new(req);
        run_to_end(&mut p);
        assert_eq!(p.history[0].mark, None, "{:?}", p.history[0]);
        assert!(p.history[0].kept().is_some());
        p.scale_pct = 200;
        run_to_end(&mut p);
        assert_eq!(p.history[1].mark, Some(Mark::Rescaled));
        assert_eq!(p.history[1].scale_pct, 200);
        p.scale_pct = 100;
        p.start();
        p.control.set_paused(true);
        p.control.set_paused(false);
        let outcome = wait_done(&mut p);
        p.finish(outcome);
        assert_eq!(p.history[2].mark, Some(Mark::Paused));
        assert!(
            p.history[2].kept().is_none(),
            "a paused run is not kept with progress"
        );
        p.start();
        p.control.learner_interrupt_all();
        let outcome = wait_done(&mut p);
        p.finish(outcome);
        assert_eq!(p.history[3].mark, Some(Mark::Interrupted));
        let elapsed = p.elapsed_s();
        assert!(
            (elapsed - p.history[3].wall_ms / 1000.0).abs() < 1e-9,
            "the pane shows the run's wall time"
        );
    }

    #[test]
    fn a_run_names_its_workers_only_where_the_mode_has_them() {
        let mut req = DemoRequest::new("three-ways").unwrap();
        req.set("tasks", "1").unwrap();
        req.set("wait-ms", "1").unwrap();
        req.set("workers", "4").unwrap();
        let mut p = Pane::new(req);
        p.request.set_mode("threads").unwrap();
        run_to_end(&mut p);
        p.request.set_mode("async").unwrap();
        run_to_end(&mut p);
        let workers: Vec<_> = p.history.iter().map(|r| r.workers.as_deref()).collect();
        assert_eq!(workers, [Some("4"), None], "one event loop has no workers");
    }

    #[test]
    fn ticks_redraw_only_what_animates() {
        let course = crate::course::load(&crate::lesson::Source::Embedded).unwrap();
        let theme = crate::ui::theme::Theme::new(crate::ui::theme::ThemeName::Dark, false);
        let mut app = App::new(course, theme, Default::default(), None);
        app.pane = Some(pane());
        let t0 = Instant::now();
        assert!(!app.update(Msg::Tick(at(t0))), "nothing moves: no redraw");
        assert!(!app.animating());
        assert!(app.update(Msg::Resize { height: 30 }));
        assert_eq!(app.page, 26);
    }
}
