//! Snapshots of every pane over a fixed, synthetic event stream.

use racecourse::bench::frame::synthetic_requests;
use racecourse::demos::{DemoRequest, Outcome};
use racecourse::trace::{BlockOn, Event, EventKind, IoPhase, LaneRole, Micros, RunState};
use racecourse::ui::pane::Pane;
use racecourse::ui::render::buffer_text;
use racecourse::ui::theme::{Theme, ThemeName};

fn draw(pane: &Pane, w: u16, h: u16) -> String {
    let theme = Theme::new(ThemeName::Dark, false);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| racecourse::ui::panes::draw(f, f.area(), pane, &theme, true))
        .unwrap();
    buffer_text(term.backend().buffer())
}

/// A finished run's output, as an example would give it.
#[derive(serde::Serialize)]
struct Jobs {
    jobs: u32,
}

impl racecourse::demos::Output for Jobs {
    fn summary(&self) -> String {
        format!("{} jobs done", self.jobs)
    }
}

fn pane(demo: &str, mode: &str, state: RunState, wall_ms: f64) -> Pane {
    let mut req = DemoRequest::new(demo).unwrap();
    req.set_mode(mode).unwrap();
    let mut p = Pane::new(req);
    p.state = state;
    p.outcome = Some(Outcome {
        result: Ok(Box::new(Jobs { jobs: 4 })),
        wall_ms,
    });
    p
}

/// Three workers, one of them waiting for the GIL, one job failed.
fn pool_run(pids: bool) -> RunState {
    use EventKind::*;
    let mut s = RunState::new();
    let mut t = 0;
    let mut ev = |lane, kind| {
        t += 50_000;
        s.apply(&Event {
            t_us: Micros::from_us(t),
            lane,
            kind,
        });
    };
    for lane in 1..=3 {
        let pid = pids.then_some(4000 + lane);
        ev(
            lane,
            LaneUp {
                name: format!("worker-{lane}"),
                pid,
                role: if pids {
                    LaneRole::Process
                } else {
                    LaneRole::Worker
                },
            },
        );
    }
    for unit in 1..=6 {
        ev(
            0,
            Spawned {
                unit,
                label: format!("job {unit}"),
            },
        );
        ev(0, Queued { unit });
    }
    ev(1, Started { unit: 1 });
    ev(2, Started { unit: 2 });
    ev(3, Started { unit: 3 });
    ev(
        2,
        Blocked {
            unit: 2,
            on: BlockOn::Gil,
        },
    );
    ev(
        1,
        Progress {
            unit: 1,
            done: 1_000_000,
        },
    );
    ev(
        1,
        Finished {
            unit: 1,
            value: "1".into(),
        },
    );
    ev(
        3,
        Failed {
            unit: 3,
            error: "ZeroDivisionError: division by zero".into(),
        },
    );
    ev(1, Started { unit: 4 });
    ev(2, Woken { unit: 2 });
    ev(
        1,
        Blocked {
            unit: 4,
            on: BlockOn::io(IoPhase::Read, "http://127.0.0.1/a"),
        },
    );
    s
}

#[test]
fn thread_pool_pane() {
    let p = pane("three-ways", "threads", pool_run(false), 600.0);
    insta::assert_snapshot!(draw(&p, 90, 32));
}

#[test]
fn process_pool_pane() {
    let p = pane("three-ways", "processes", pool_run(true), 600.0);
    insta::assert_snapshot!(draw(&p, 90, 32));
}

#[test]
fn event_loop_pane() {
    let p = pane("three-ways", "async", synthetic_requests(12, 1), 300.0);
    insta::assert_snapshot!(draw(&p, 90, 30));
}

#[test]
fn waterfall_pane() {
    let p = pane("download", "async", synthetic_requests(40, 4), 300.0);
    insta::assert_snapshot!(draw(&p, 100, 30));
}

#[test]
fn waterfall_aggregates_ten_thousand_requests() {
    let p = pane("download", "async", synthetic_requests(10_000, 1), 300.0);
    let text = draw(&p, 120, 40);
    assert!(text.contains("#1–"), "rows aggregate requests:\n{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn hash_race_pane() {
    let p = pane("hash", "threads", pool_run(false), 600.0);
    insta::assert_snapshot!(draw(&p, 90, 32));
}

#[test]
fn recap_pane() {
    use racecourse::progress::recap::Recap;
    use racecourse::progress::{Progress, SavedRun};
    let run = |demo: &str, mode: &str, set: &[(&str, &str)], wall_ms: u64, done: u64| {
        let mut req = DemoRequest::new(demo).unwrap();
        req.set_mode(mode).unwrap();
        for (k, v) in set {
            req.set(k, v).unwrap();
        }
        SavedRun::of_request(&req, wall_ms * 1000, done, 1)
    };
    let mut mine = Progress::default();
    mine.record_run(run("download", "sync", &[], 16_200, 160));
    mine.record_run(run("download", "threads", &[("workers", "10")], 1_640, 160));
    let reference = [
        run("hash", "sequential", &[], 2_400, 41_355_128),
        run("hash", "processes", &[], 1_300, 41_400_000),
        run("three-ways", "async", &[], 510, 8),
    ];
    let (tracer, mut rx) = racecourse::trace::Tracer::new();
    racecourse::demos::recap::publish(&Recap::of(&mine, &reference), &tracer);
    drop(tracer);
    let mut state = RunState::new();
    while let Ok(ev) = rx.try_recv() {
        state.apply(&ev);
    }
    let p = pane("recap", "yours", state, 1.0);
    insta::assert_snapshot!(draw(&p, 80, 16));
}
