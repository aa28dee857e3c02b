//! Time to draw one frame of the busiest panes at 200×60.

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::demos::DemoRequest;
use crate::trace::{
    BlockOn, Event, EventKind, IoPhase, LaneId, LaneRole, Micros, RunState, UnitId,
};
use crate::ui::pane::Pane;
use crate::ui::theme::{Theme, ThemeName};

/// A run with `requests` requests in every phase, as the download example
/// reports them, spread over `lanes` lanes.
pub fn synthetic_requests(requests: u64, lanes: u32) -> RunState {
    let mut s = RunState::new();
    // Lane 0 is the event loop; the tasks' lanes follow it.
    apply(
        &mut s,
        0,
        0,
        EventKind::LaneUp {
            name: "event loop".to_string(),
            pid: None,
            role: LaneRole::EventLoop,
        },
    );
    for l in 1..=lanes {
        apply(
            &mut s,
            0,
            l,
            EventKind::LaneUp {
                name: format!("task-{l}"),
                pid: None,
                role: LaneRole::Worker,
            },
        );
    }
    let mut t = 0u64;
    let lanes = u64::from(lanes.max(1));
    for u in 1..=requests {
        // Below `lanes`, so it fits the lane id's type.
        let lane = u32::try_from(u % lanes).unwrap_or(0) + 1;
        t += 7;
        request(&mut s, u, lane, t);
    }
    s
}

/// One request's events, from spawned at `t` to its end 0.1 s later; every
/// third one is still reading when the run ends, one in 97 fails.
fn request(s: &mut RunState, u: UnitId, lane: LaneId, t: u64) {
    let label = format!("req {u}");
    apply(s, t, lane, EventKind::Spawned { unit: u, label });
    apply(s, t + 5, lane, EventKind::Started { unit: u });
    for (after, phase) in [
        (10, IoPhase::Connect),
        (300, IoPhase::Response),
        (100_300, IoPhase::Read),
    ] {
        let on = BlockOn::io(phase, "");
        apply(s, t + after, lane, EventKind::Blocked { unit: u, on });
    }
    if u.is_multiple_of(3) {
        return;
    }
    let done = 10_000;
    apply(s, t + 100_900, lane, EventKind::Progress { unit: u, done });
    let end = if u.is_multiple_of(97) {
        EventKind::Failed {
            unit: u,
            error: "HTTP 500".into(),
        }
    } else {
        EventKind::Finished {
            unit: u,
            value: "10000".into(),
        }
    };
    apply(s, t + 101_000, lane, end);
}

fn apply(s: &mut RunState, t_us: u64, lane: LaneId, kind: EventKind) {
    s.apply(&Event {
        t_us: Micros::from_us(t_us),
        lane,
        kind,
    });
}

/// Frames drawn before any is timed: the first fills the terminal's
/// buffers and the allocator, so it says nothing about the frames after.
const WARM_UP: usize = 5;

/// Frames timed per pane unless `RACECOURSE_BENCH_FRAMES` says otherwise:
/// enough that the 99th percentile is five frames in, not the slowest one.
const FRAMES: usize = 500;

/// How many frames to time.
fn frames() -> usize {
    std::env::var("RACECOURSE_BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(FRAMES)
}

/// Whether to time the pane `name`: all of them, or those
/// `RACECOURSE_BENCH_ONLY` names (`waterfall_10k,frame_10k`), to profile one.
fn wanted(name: &str) -> bool {
    std::env::var("RACECOURSE_BENCH_ONLY")
        .map_or(true, |only| only.split(',').any(|n| n.trim() == name))
}

/// The `p`-th percentile (0–100) of `sorted`, by nearest rank: the
/// smallest value that at least `p` % of the values do not exceed.
fn percentile<T: Copy + Default>(sorted: &[T], p: usize) -> T {
    let rank = (p * sorted.len())
        .div_ceil(100)
        .clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or_default()
}

/// p50 and p99 of the time to draw `pane` at 200×60, in ms, after a
/// warm-up.
fn frame_times(pane: &mut Pane, theme: &Theme) -> anyhow::Result<(f64, f64)> {
    frame_times_with(pane, theme, |_, _| {})
}

/// [`frame_times`], with `step(state, frame)` changing the state before
/// each frame (untimed), as the events of a run in progress do.
fn frame_times_with(
    pane: &mut Pane,
    theme: &Theme,
    mut step: impl FnMut(&mut RunState, usize),
) -> anyhow::Result<(f64, f64)> {
    let mut term = Terminal::new(TestBackend::new(200, 60))?;
    let n = frames();
    let mut times = Vec::with_capacity(n);
    for i in 0..WARM_UP + n {
        step(&mut pane.state, i);
        let t = Instant::now();
        term.draw(|f| crate::ui::panes::draw(f, f.area(), pane, theme, true))?;
        if i >= WARM_UP {
            times.push(Micros::from_duration(t.elapsed()).as_ms_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    Ok((percentile(&times, 50), percentile(&times, 99)))
}

/// Draw times of the waterfall over a real run's state (the 10,000-request
/// download), at 200×60: p50 and p99 in ms.
pub fn waterfall_frames(state: &RunState) -> anyhow::Result<Vec<(String, String)>> {
    let theme = Theme::new(ThemeName::Dark, false);
    let mut req = DemoRequest::new("download")?;
    req.set_mode("async")?;
    let mut pane = Pane::new(req);
    pane.state = state.clone();
    let (p50, p99) = frame_times(&mut pane, &theme)?;
    Ok(vec![
        ("frame_10k_p50_ms".into(), format!("{p50:.3}")),
        ("frame_10k_p99_ms".into(), format!("{p99:.3}")),
    ])
}

/// A pane after a real headless run of `demo` in `mode` with `opts`.
fn real_run(demo: &str, mode: &str, opts: &[(&str, &str)]) -> anyhow::Result<Pane> {
    let mut req = DemoRequest::new(demo)?;
    req.set_mode(mode)?;
    for (k, v) in opts {
        req.set(k, v)?;
    }
    let (tracer, mut rx) = crate::trace::Tracer::new();
    let outcome = crate::demos::run_blocking(&req, &tracer, &crate::runtime::Control::new());
    drop(tracer);
    let mut pane = Pane::new(req);
    while let Ok(ev) = rx.try_recv() {
        pane.state.apply(&ev);
    }
    pane.finish(outcome);
    Ok(pane)
}

/// A state with a message on the wire, for the processes pane.
fn with_wire(mut s: RunState) -> RunState {
    let pickled = crate::net::mp::pickle::dumps(&crate::net::mp::pickle::hello_world());
    let lines = crate::demos::wire::dump(&pickled).join("\n");
    s.vars.insert(crate::demos::wire::WIRE_KEY.into(), lines);
    s
}

/// The recap filled with the build machine's figures.
fn recap_state() -> RunState {
    use crate::progress::recap::{Recap, reference_runs};
    let (tracer, mut rx) = crate::trace::Tracer::new();
    let table = Recap::of(&crate::progress::Progress::default(), &reference_runs());
    crate::demos::recap::publish(&table, &tracer);
    drop(tracer);
    let mut s = RunState::new();
    while let Ok(ev) = rx.try_recv() {
        s.apply(&ev);
    }
    s
}

/// Draw times (p50, p99) of the busiest panes at 200×60: the waterfall and
/// the task table with 10,000 requests, the lanes, the queue with 10,000
/// items, the thread-safety panes over real runs, the waterfall over a real
/// 10,000-request download; the worst p99 last.
pub fn bench_frame() -> anyhow::Result<Vec<(String, String)>> {
    let theme = Theme::new(ThemeName::Dark, false);
    let mut out = Vec::new();
    let mut worst = 0.0f64;
    for (name, demo, mode, state) in [
        (
            "waterfall_10k",
            "download",
            "async",
            synthetic_requests(10_000, 1),
        ),
        (
            "lanes_16",
            "three-ways",
            "threads",
            synthetic_requests(2_000, 16),
        ),
        (
            "tasks_10k",
            "three-ways",
            "async",
            synthetic_requests(10_000, 1),
        ),
        (
            "scheduler",
            "scheduler",
            "gates",
            crate::demos::scheduler::folded("lost-update", "1,2,1,2,1,2")?,
        ),
        (
            "queue_10k",
            "queue",
            "queue",
            super::queue_state::synthetic_queue(10_000, 4, 4),
        ),
        (
            "led_boards_10k",
            "led",
            "both",
            super::frame_states::led_boards(10_000),
        ),
        (
            "stepper_10k",
            "generator",
            "countdown",
            super::frame_states::stepper(10_000),
        ),
        (
            "procs_16",
            "queue-pipe",
            "pipe",
            with_wire(synthetic_requests(2_000, 16)),
        ),
        ("recap", "recap", "build-machine", recap_state()),
    ] {
        if !wanted(name) {
            continue;
        }
        let mut req = DemoRequest::new(demo)?;
        req.set_mode(mode)?;
        let mut pane = Pane::new(req);
        pane.state = state;
        let (p50, p99) = frame_times(&mut pane, &theme)?;
        worst = worst.max(p99);
        out.push((format!("{name}_p50_ms"), format!("{p50:.3}")));
        out.push((format!("{name}_p99_ms"), format!("{p99:.3}")));
    }
    out.extend(real_runs(&theme, &mut worst)?);
    out.extend(live_runs(&theme, &mut worst)?);
    // A real run's state: 10,000 concurrent requests on the demo server.
    if wanted("frame_10k") {
        let real = super::download::run_folded("async", &[("count", "10000"), ("latency", "100")])?;
        let lines = waterfall_frames(&real.state)?;
        if let Some(p99) = lines.last().and_then(|(_, v)| v.parse::<f64>().ok()) {
            worst = worst.max(p99);
        }
        out.extend(lines);
    }
    out.push(("frame_ms_worst_p99".into(), format!("{worst:.3}")));
    Ok(out)
}

/// Draw times of the waterfall and the queue while their run goes on: one
/// event more before each frame, 1 ms after the last (a request's or a
/// producer's progress), so nothing worked out from the state, nor the
/// axis, is the same as for the frame before.
fn live_runs(theme: &Theme, worst: &mut f64) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, demo, mode, lane) in [
        ("waterfall_10k_live", "download", "async", 1),
        ("queue_10k_live", "queue", "queue", 1),
    ] {
        if !wanted(name) {
            continue;
        }
        let mut req = DemoRequest::new(demo)?;
        req.set_mode(mode)?;
        let mut pane = Pane::new(req);
        pane.state = if demo == "queue" {
            super::queue_state::synthetic_queue(10_000, 4, 4)
        } else {
            synthetic_requests(10_000, 1)
        };
        let (p50, p99) = frame_times_with(&mut pane, theme, |s, i| {
            let i = i as u64;
            // Every third request is still reading; unit 2 is Producer-1.
            let unit = if demo == "queue" {
                2
            } else {
                3 * (i % 3000 + 1)
            };
            let t = s.now_us + 1_000;
            let done = 20_000 + i;
            apply(s, t, lane, EventKind::Progress { unit, done });
        })?;
        *worst = worst.max(p99);
        out.push((format!("{name}_p50_ms"), format!("{p50:.3}")));
        out.push((format!("{name}_p99_ms"), format!("{p99:.3}")));
    }
    Ok(out)
}

/// Draw times of the thread-safety panes over real runs: eight threads
/// racing, a deadlock held, 400 turns of a lock; the worst p99 into `worst`.
fn real_runs(theme: &Theme, worst: &mut f64) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, demo, mode, opts) in [
        (
            "race_8",
            "race",
            "unlocked",
            &[("threads", "8"), ("increments", "2000000")][..],
        ),
        (
            "locks_deadlock",
            "deadlock",
            "opposite",
            &[("work-ms", "20"), ("hold-ms", "50")][..],
        ),
        (
            "locks_starve_400",
            "starve",
            "fair",
            &[("rounds", "200"), ("hold-ms", "1")][..],
        ),
    ] {
        if !wanted(name) {
            continue;
        }
        let mut pane = real_run(demo, mode, opts)?;
        let (p50, p99) = frame_times(&mut pane, theme)?;
        *worst = worst.max(p99);
        out.push((format!("{name}_p50_ms"), format!("{p50:.3}")));
        out.push((format!("{name}_p99_ms"), format!("{p99:.3}")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn the_99th_percentile_of_500_frames_leaves_the_five_slowest_out() {
        let times: Vec<u32> = (1..=500).collect();
        assert_eq!(percentile(&times, 50), 250);
        assert_eq!(percentile(&times, 99), 495);
        assert_eq!(percentile(&times, 100), 500);
        assert_eq!(percentile(&[3], 99), 3);
        assert_eq!(percentile::<u32>(&[], 99), 0);
    }
}
