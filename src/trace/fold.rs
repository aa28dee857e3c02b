//! Folds the event stream into the state panes draw and summaries report.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::state_memo::Memo;
use super::{BlockOn, Event, EventKind, LaneId, LaneRole, Micros, PoolState, UnitId};

/// The most lines of example output kept.
const MAX_OUTPUT: usize = 2000;
/// The most time-line segments kept per lane before old ones are merged.
const MAX_SEGMENTS: usize = 4096;

/// What a lane is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    Idle,
    Running,
    Blocked(BlockOn),
    Down,
}

/// Where a unit of work stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Spawned,
    Queued,
    Running,
    Blocked(BlockOn),
    /// Woken or yielded: runnable, waiting for its turn.
    Ready,
    Finished(String),
    Failed(String),
    Cancelled,
}

impl Status {
    /// Whether the unit has ended.
    pub fn is_done(&self) -> bool {
        matches!(
            self,
            Status::Finished(_) | Status::Failed(_) | Status::Cancelled
        )
    }
}

/// A stretch of time a lane spent in one activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub from_us: u64,
    pub to_us: u64,
    pub activity: Activity,
}

impl Segment {
    /// How long the stretch lasted.
    pub fn span(&self) -> Micros {
        Micros::from_us(self.to_us).saturating_sub(Micros::from_us(self.from_us))
    }
}

/// One worker thread, task slot or process.
#[derive(Debug, Clone)]
pub struct Lane {
    pub id: LaneId,
    pub name: String,
    pub pid: Option<u32>,
    pub role: LaneRole,
    pub activity: Activity,
    /// The unit it runs or waits for.
    pub unit: Option<UnitId>,
    pub since_us: u64,
    pub segments: Vec<Segment>,
    /// Microseconds spent running (not blocked, not idle).
    pub busy_us: u64,
    /// Units of progress done on this lane (hashes, bytes).
    pub done: u64,
    /// Units of work finished on this lane.
    pub completed: u32,
    pub rate: Rate,
    /// Why the lane went away, once it has.
    pub epitaph: Option<String>,
    /// Jobs handed to this lane (messages sent to a worker process).
    pub jobs_in: u32,
    /// Events the lane reported (messages a worker process sent back).
    pub reports: u32,
    /// CPU time of the lane's process, as its pool last reported it.
    pub cpu_us: Option<u64>,
}

/// One job, task or request.
#[derive(Debug, Clone)]
pub struct Unit {
    pub id: UnitId,
    pub label: String,
    pub lane: Option<LaneId>,
    pub status: Status,
    pub spawned_us: u64,
    pub started_us: Option<u64>,
    pub ended_us: Option<u64>,
    pub done: u64,
    /// How many times it was given the CPU (polls, for tasks).
    pub polls: u32,
    pub busy_us: u64,
    /// When its status last changed.
    pub since_us: u64,
    /// Status changes with their time: the waterfall draws these.
    pub phases: Vec<(u64, Status)>,
}

/// A progress rate over the last second or so.
#[derive(Debug, Clone, Default)]
pub struct Rate {
    /// (when, running total) pairs over the window.
    samples: Vec<(Micros, u64)>,
}

impl Rate {
    /// How far back the window reaches: a little over a second, so that a
    /// rate sampled once a second always has two points.
    const WINDOW: Micros = Micros::from_ms(1500);

    fn push(&mut self, t: Micros, total: u64) {
        self.samples.push((t, total));
        let horizon = t.saturating_sub(Self::WINDOW);
        let keep_from = self
            .samples
            .iter()
            .position(|&(t, _)| t >= horizon)
            .unwrap_or(0)
            .saturating_sub(1);
        if keep_from > 0 {
            self.samples.drain(..keep_from);
        }
    }

    /// Units per second over the recent window.
    pub fn per_sec(&self) -> f64 {
        match (self.samples.first(), self.samples.last()) {
            (Some(&(t0, d0)), Some(&(t1, d1))) => {
                t1.saturating_sub(t0).per_sec(d1.saturating_sub(d0))
            }
            _ => 0.0,
        }
    }
}

/// Totals over all units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub spawned: u32,
    pub finished: u32,
    pub failed: u32,
    pub cancelled: u32,
}

/// Everything known about a run so far.
#[derive(Debug, Clone, Default)]
pub struct RunState {
    pub lanes: BTreeMap<LaneId, Lane>,
    pub units: Vec<Unit>,
    index: HashMap<UnitId, usize>,
    pub output: Vec<String>,
    pub warnings: Vec<String>,
    /// Time of the latest event.
    pub now_us: u64,
    pub counts: Counts,
    /// Progress over all lanes.
    pub done: u64,
    pub rate: Rate,
    /// Units are tasks on an event loop (a lane announced itself as one):
    /// a wake-up makes a task ready, not running, until its next poll.
    pub cooperative: bool,
    /// The pool's state, for runs on a process pool.
    pub pool: Option<PoolState>,
    /// The example's named state (shared variables, locals, slots), latest
    /// value of each, from [`EventKind::State`].
    pub vars: BTreeMap<String, String>,
    /// Events folded in and closes: one more each time the state changes.
    generation: u64,
    /// Figures derived from the whole state, for [`RunState::derived`].
    memo: Memo,
}

impl RunState {
    /// An empty state.
    pub fn new() -> RunState {
        RunState::default()
    }

    /// The unit with this id.
    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.index.get(&id).map(|&i| &self.units[i])
    }

    /// Units waiting in a queue, oldest first.
    pub fn queued(&self) -> impl Iterator<Item = &Unit> {
        self.units
            .iter()
            .filter(|u| matches!(u.status, Status::Queued | Status::Spawned))
    }

    /// Units not yet ended.
    pub fn active(&self) -> usize {
        self.units.iter().filter(|u| !u.status.is_done()).count()
    }

    /// The time of the latest event.
    pub fn now(&self) -> Micros {
        Micros::from_us(self.now_us)
    }

    /// `make(self)`, worked out once per version of the state: until the
    /// next event is folded in, every call returns the same value (a pane
    /// walks all units once per event, not once per frame).
    pub fn derived<T: Any + Send + Sync>(&self, make: impl FnOnce(&RunState) -> T) -> Arc<T> {
        let stamp = (self.generation, self.units.len(), self.now_us);
        self.memo.get(stamp, || make(self))
    }

    /// Folds one event in.
    pub fn apply(&mut self, ev: &Event) {
        self.generation += 1;
        self.now_us = self.now_us.max(ev.t_us.as_us());
        self.mirror_loop(ev);
        self.count_messages(ev);
        let t = ev.t_us;
        match &ev.kind {
            EventKind::LaneUp { name, pid, role } => {
                if *role == LaneRole::EventLoop {
                    self.cooperative = true;
                }
                let lane = self.lane(ev.lane, t);
                lane.name.clone_from(name);
                lane.pid = *pid;
                lane.role = *role;
                set_activity(lane, Activity::Idle, None, t);
            }
            EventKind::LaneDown { reason } => {
                // Crashes come with their own Warning event; the reason here
                // is the lane's epitaph (exit status, CPU time).
                let lane = self.lane(ev.lane, t);
                set_activity(lane, Activity::Down, None, t);
                lane.epitaph = Some(reason.clone());
            }
            EventKind::Spawned { unit, label } => {
                self.counts.spawned += 1;
                let u = self.unit_mut(*unit, t);
                u.label.clone_from(label);
                u.spawned_us = t.as_us();
            }
            EventKind::Queued { unit } => self.set_status(*unit, None, Status::Queued, t),
            EventKind::Started { unit } => {
                self.set_status(*unit, Some(ev.lane), Status::Running, t);
                let u = self.unit_mut(*unit, t);
                u.started_us.get_or_insert(t.as_us());
                u.polls += 1;
                let lane = self.lane(ev.lane, t);
                set_activity(lane, Activity::Running, Some(*unit), t);
            }
            EventKind::Progress { unit, done } => {
                let u = self.unit_mut(*unit, t);
                let delta = done.saturating_sub(u.done);
                u.done = u.done.max(*done);
                self.done += delta;
                let total = self.done;
                self.rate.push(t, total);
                let lane = self.lane(ev.lane, t);
                lane.done += delta;
                let lane_total = lane.done;
                lane.rate.push(t, lane_total);
            }
            EventKind::Blocked { unit, on } => {
                self.set_status(*unit, Some(ev.lane), Status::Blocked(on.clone()), t);
                let lane = self.lane(ev.lane, t);
                set_activity(lane, Activity::Blocked(on.clone()), Some(*unit), t);
            }
            EventKind::Woken { unit } | EventKind::Yielded { unit } => {
                let resumes_here = !self.cooperative
                    && matches!(ev.kind, EventKind::Woken { .. })
                    && self.lanes.get(&ev.lane).is_some_and(|l| {
                        l.unit == Some(*unit) && matches!(l.activity, Activity::Blocked(_))
                    });
                if resumes_here {
                    // A thread that waited resumes on its own lane at once.
                    self.set_status(*unit, Some(ev.lane), Status::Running, t);
                    let lane = self.lane(ev.lane, t);
                    set_activity(lane, Activity::Running, Some(*unit), t);
                } else {
                    self.set_status(*unit, None, Status::Ready, t);
                    let lane = self.lane(ev.lane, t);
                    if lane.unit == Some(*unit) {
                        set_activity(lane, Activity::Idle, None, t);
                    }
                }
            }
            EventKind::Finished { unit, value } => {
                self.counts.finished += 1;
                self.end(ev.lane, *unit, Status::Finished(value.clone()), t);
            }
            EventKind::Failed { unit, error } => {
                self.counts.failed += 1;
                self.end(ev.lane, *unit, Status::Failed(error.clone()), t);
            }
            EventKind::Cancelled { unit } => {
                self.counts.cancelled += 1;
                self.end(ev.lane, *unit, Status::Cancelled, t);
            }
            EventKind::Output { text } => {
                if self.output.len() == MAX_OUTPUT {
                    self.output.remove(0);
                }
                self.output.push(text.clone());
            }
            EventKind::Warning { text } => self.warnings.push(text.clone()),
            EventKind::Pool { state } => self.pool = Some(*state),
            EventKind::Cpu { cpu_us } => self.lane(ev.lane, t).cpu_us = Some(*cpu_us),
            EventKind::State { key, value } => {
                if value.is_empty() {
                    self.vars.remove(key);
                } else {
                    self.vars.insert(key.clone(), value.clone());
                }
            }
        }
    }

    /// Counts the messages a lane's process exchanged: jobs in, reports out.
    fn count_messages(&mut self, ev: &Event) {
        let Some(lane) = self.lanes.get_mut(&ev.lane) else {
            return;
        };
        match ev.kind {
            EventKind::Started { .. } => {
                lane.jobs_in += 1;
                lane.reports += 1;
            }
            EventKind::Progress { .. }
            | EventKind::Finished { .. }
            | EventKind::Failed { .. }
            | EventKind::Cancelled { .. } => lane.reports += 1,
            _ => {}
        }
    }

    /// On an event loop, lane 0 is the loop's one thread: it runs whichever
    /// task is being polled, and idles between polls.
    fn mirror_loop(&mut self, ev: &Event) {
        if !self.cooperative || ev.lane == 0 {
            return;
        }
        let t = ev.t_us;
        match &ev.kind {
            EventKind::Started { unit } => {
                let lane = self.lane(0, t);
                set_activity(lane, Activity::Running, Some(*unit), t);
            }
            EventKind::Blocked { unit, .. }
            | EventKind::Yielded { unit }
            | EventKind::Finished { unit, .. }
            | EventKind::Failed { unit, .. }
            | EventKind::Cancelled { unit } => {
                let lane = self.lane(0, t);
                if lane.unit == Some(*unit) {
                    set_activity(lane, Activity::Idle, None, t);
                }
            }
            _ => {}
        }
    }

    /// Closes every open segment at `end` (the end of the run) so that
    /// busy and idle times add up.
    pub fn close(&mut self, end: impl Into<Micros>) {
        self.generation += 1;
        let end = end.into();
        self.now_us = self.now_us.max(end.as_us());
        for lane in self.lanes.values_mut() {
            let activity = lane.activity.clone();
            let unit = lane.unit;
            set_activity(lane, activity, unit, end);
        }
    }

    /// Busy time of a lane including the segment in progress.
    pub fn lane_busy(&self, lane: &Lane) -> Micros {
        let open = if lane.activity == Activity::Running {
            self.now().saturating_sub(Micros::from_us(lane.since_us))
        } else {
            Micros::ZERO
        };
        Micros::from_us(lane.busy_us) + open
    }

    /// [`RunState::lane_busy`] in microseconds, for the panes.
    pub fn lane_busy_us(&self, lane: &Lane) -> u64 {
        self.lane_busy(lane).as_us()
    }

    fn end(&mut self, lane_id: LaneId, unit: UnitId, status: Status, t: Micros) {
        self.set_status(unit, None, status, t);
        self.unit_mut(unit, t).ended_us = Some(t.as_us());
        let lane = self.lane(lane_id, t);
        if lane.unit == Some(unit) || lane.unit.is_none() {
            lane.completed += 1;
            set_activity(lane, Activity::Idle, None, t);
        }
    }

    fn set_status(&mut self, unit: UnitId, lane: Option<LaneId>, status: Status, t: Micros) {
        let u = self.unit_mut(unit, t);
        if u.status == Status::Running {
            u.busy_us += t.saturating_sub(Micros::from_us(u.since_us)).as_us();
        }
        if let Some(l) = lane {
            u.lane = Some(l);
        }
        u.since_us = t.as_us();
        u.phases.push((t.as_us(), status.clone()));
        u.status = status;
    }

    fn unit_mut(&mut self, id: UnitId, t: Micros) -> &mut Unit {
        let i = *self.index.entry(id).or_insert_with(|| {
            self.units.push(Unit {
                id,
                label: format!("#{id}"),
                lane: None,
                status: Status::Spawned,
                spawned_us: t.as_us(),
                started_us: None,
                ended_us: None,
                done: 0,
                polls: 0,
                busy_us: 0,
                since_us: t.as_us(),
                phases: Vec::new(),
            });
            self.units.len() - 1
        });
        &mut self.units[i]
    }

    fn lane(&mut self, id: LaneId, t: Micros) -> &mut Lane {
        self.lanes.entry(id).or_insert_with(|| Lane {
            id,
            name: format!("lane {id}"),
            pid: None,
            role: LaneRole::Worker,
            activity: Activity::Idle,
            unit: None,
            since_us: t.as_us(),
            segments: Vec::new(),
            busy_us: 0,
            done: 0,
            completed: 0,
            rate: Rate::default(),
            epitaph: None,
            jobs_in: 0,
            reports: 0,
            cpu_us: None,
        })
    }
}

fn set_activity(lane: &mut Lane, activity: Activity, unit: Option<UnitId>, t: Micros) {
    let since = Micros::from_us(lane.since_us);
    let t = t.max(since);
    if t > since {
        if lane.activity == Activity::Running {
            lane.busy_us += t.saturating_sub(since).as_us();
        }
        match lane.segments.last_mut() {
            Some(last) if last.activity == lane.activity && last.to_us == lane.since_us => {
                last.to_us = t.as_us();
            }
            _ => lane.segments.push(Segment {
                from_us: lane.since_us,
                to_us: t.as_us(),
                activity: lane.activity.clone(),
            }),
        }
        if lane.segments.len() > MAX_SEGMENTS {
            compact(&mut lane.segments);
        }
    }
    lane.activity = activity;
    lane.unit = unit;
    lane.since_us = t.as_us();
}

/// Halves the number of segments by merging neighbours, keeping the longer
/// activity of each pair: the time-line loses detail, never coverage.
fn compact(segments: &mut Vec<Segment>) {
    let merged: Vec<Segment> = segments
        .chunks(2)
        .map(|pair| {
            let first = &pair[0];
            let last = pair.last().unwrap_or(first);
            let longest = pair.iter().max_by_key(|s| s.span()).unwrap_or(first);
            Segment {
                from_us: first.from_us,
                to_us: last.to_us,
                activity: longest.activity.clone(),
            }
        })
        .collect();
    *segments = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t_us: u64, lane: LaneId, kind: EventKind) -> Event {
        Event {
            t_us: Micros::from_us(t_us),
            lane,
            kind,
        }
    }

    #[test]
    fn folds_a_small_run() {
        let mut s = RunState::new();
        let events = [
            ev(
                0,
                1,
                EventKind::LaneUp {
                    name: "worker-1".into(),
                    pid: None,
                    role: LaneRole::Worker,
                },
            ),
            ev(
                0,
                0,
                EventKind::Spawned {
                    unit: 1,
                    label: "job".into(),
                },
            ),
            ev(0, 0, EventKind::Queued { unit: 1 }),
            ev(10, 1, EventKind::Started { unit: 1 }),
            ev(20, 1, EventKind::Progress { unit: 1, done: 100 }),
            ev(
                30,
                1,
                EventKind::Blocked {
                    unit: 1,
                    on: BlockOn::Gil,
                },
            ),
            ev(50, 1, EventKind::Woken { unit: 1 }),
            ev(60, 1, EventKind::Progress { unit: 1, done: 300 }),
            ev(
                70,
                1,
                EventKind::Finished {
                    unit: 1,
                    value: "42".into(),
                },
            ),
        ];
        for e in &events {
            s.apply(e);
        }
        let lane = &s.lanes[&1];
        assert_eq!(lane.activity, Activity::Idle);
        assert_eq!(lane.done, 300);
        assert_eq!(lane.busy_us, 20 + 20);
        assert_eq!(lane.completed, 1);
        assert_eq!(s.unit(1).unwrap().status, Status::Finished("42".into()));
        assert_eq!(s.counts.finished, 1);
        let acts: Vec<_> = lane.segments.iter().map(|g| g.activity.clone()).collect();
        assert_eq!(
            acts,
            [
                Activity::Idle,
                Activity::Running,
                Activity::Blocked(BlockOn::Gil),
                Activity::Running
            ]
        );
    }

    #[test]
    fn state_events_keep_the_latest_value_and_empty_removes() {
        let mut s = RunState::new();
        let set = |key: &str, value: &str| EventKind::State {
            key: key.into(),
            value: value.into(),
        };
        s.apply(&ev(1, 0, set("counter", "0")));
        s.apply(&ev(2, 1, set("counter", "1")));
        s.apply(&ev(3, 1, set("t1.tmp", "1")));
        assert_eq!(s.vars.get("counter").map(String::as_str), Some("1"));
        s.apply(&ev(4, 1, set("t1.tmp", "")));
        assert_eq!(s.vars.keys().collect::<Vec<_>>(), ["counter"]);
    }

    #[test]
    fn compaction_keeps_coverage() {
        let mut lane_segments: Vec<Segment> = (0..10)
            .map(|i| Segment {
                from_us: i * 10,
                to_us: i * 10 + 10,
                activity: Activity::Idle,
            })
            .collect();
        compact(&mut lane_segments);
        assert_eq!(lane_segments.len(), 5);
        assert_eq!(lane_segments[0].from_us, 0);
        assert_eq!(lane_segments[4].to_us, 100);
    }

    #[test]
    fn derived_figures_last_until_the_next_event() {
        let mut s = RunState::new();
        let spawn = |unit| {
            let label = format!("job {unit}");
            ev(unit, 0, EventKind::Spawned { unit, label })
        };
        s.apply(&spawn(1));
        let count = |s: &RunState| s.units.len();
        assert_eq!(*s.derived(count), 1);
        // Kept: the same value comes back while nothing is folded in.
        assert_eq!(*s.derived(|_: &RunState| 99usize), 1);
        s.apply(&spawn(2));
        assert_eq!(*s.derived(count), 2);
        s.close(10u64);
        assert_eq!(*s.derived(|_: &RunState| 7usize), 7);
    }
}
