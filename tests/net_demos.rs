//! The pokemon and download examples end to end against the demo server:
//! names and order, counts, speed-up ratios, failures, interruption.

use std::time::{Duration, Instant};

use racecourse::demos::{self, DemoRequest};
use racecourse::runtime::Control;
use racecourse::trace::{BlockOn, Event, EventKind, IoPhase, Tracer};

const NOTES: &str = "bulbasaur ivysaur venusaur charmander charmeleon charizard squirtle \
                     wartortle blastoise caterpie metapod butterfree weedle kakuna beedrill \
                     pidgey pidgeotto pidgeot rattata";

struct Run {
    result: anyhow::Result<serde_json::Value>,
    events: Vec<Event>,
    secs: f64,
}

fn request(demo: &str, mode: &str, opts: &[(&str, &str)]) -> DemoRequest {
    let mut req = DemoRequest::new(demo).unwrap();
    req.set_mode(mode).unwrap();
    for (k, v) in opts {
        req.set(k, v).unwrap();
    }
    req
}

fn run_with(req: &DemoRequest, control: &Control) -> Run {
    let (tracer, mut rx) = Tracer::new();
    let t = Instant::now();
    let result = demos::run_blocking(req, &tracer, control)
        .result
        .map(|o| o.to_json())
        .map_err(anyhow::Error::msg);
    let secs = t.elapsed().as_secs_f64();
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    Run {
        result,
        events,
        secs,
    }
}

fn run(demo: &str, mode: &str, opts: &[(&str, &str)]) -> Run {
    run_with(&request(demo, mode, opts), &Control::new())
}

fn outputs(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Output { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn count(events: &[Event], f: impl Fn(&EventKind) -> bool) -> usize {
    events.iter().filter(|e| f(&e.kind)).count()
}

#[test]
fn pokemon_names_are_the_notes_list_in_order_both_ways() {
    for mode in ["sync", "async"] {
        let r = run("pokemon", mode, &[("latency", "10")]);
        let names = r.result.unwrap();
        let list: Vec<&str> = names
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(list.join(" "), NOTES, "{mode}");
        assert_eq!(
            outputs(&r.events).join(" "),
            NOTES,
            "{mode}: printed in id order"
        );
        let finished = count(
            &r.events,
            |k| matches!(k, EventKind::Finished { value, .. } if value != "None"),
        );
        assert_eq!(finished, 19, "{mode}");
        let waits = count(
            &r.events,
            |k| matches!(k, EventKind::Blocked { on: BlockOn::Io { phase: IoPhase::Response, target }, .. } if target.starts_with("http://127.0.0.1")),
        );
        assert!(waits >= 19, "{mode}: every request waits: {waits}");
    }
}

#[test]
fn the_three_download_modes_count_every_site() {
    for mode in ["sync", "threads", "async"] {
        let r = run(
            "download",
            mode,
            &[("count", "8"), ("latency", "20"), ("workers", "3")],
        );
        let v = r.result.unwrap();
        assert_eq!(v["downloaded"], 8, "{mode}");
        assert_eq!(v["failed"], 0, "{mode}");
        let jython = racecourse::net::server::site_page("jython").unwrap().len();
        let dice = racecourse::net::server::site_page("dice").unwrap().len();
        assert_eq!(v["bytes"], 4 * (jython + dice), "{mode}");
        let out = outputs(&r.events);
        assert_eq!(out.iter().filter(|l| l.starts_with("Read ")).count(), 8);
        let jython_line = out
            .iter()
            .find(|l| l.starts_with(&format!("Read {jython} from ")));
        assert!(
            jython_line.is_some_and(|l| l.ends_with("/sites/jython")),
            "{out:?}"
        );
        assert!(
            out.last().unwrap().starts_with("Downloaded 8 in "),
            "{out:?}"
        );
        // Every body is counted as it arrives. (A task whose body was
        // already there when the answer began never parks to read it, so
        // `read` phases are checked on the blocking modes only.)
        let progress = count(&r.events, |k| matches!(k, EventKind::Progress { .. }));
        assert!(progress >= 8, "{mode}: {progress}");
        if mode != "async" {
            let reads = count(&r.events, |k| {
                matches!(
                    k,
                    EventKind::Blocked {
                        on: BlockOn::Io {
                            phase: IoPhase::Read,
                            ..
                        },
                        ..
                    }
                )
            });
            assert_eq!(reads, 8, "{mode}");
        }
    }
}

#[test]
fn threads_and_async_beat_sync_on_io() {
    let opts = [("count", "10"), ("latency", "100"), ("workers", "5")];
    let sync = run("download", "sync", &opts);
    let threads = run("download", "threads", &opts);
    let asyncio = run("download", "async", &[("count", "10"), ("latency", "100")]);
    let s = sync.result.unwrap()["seconds"].as_f64().unwrap();
    let t = threads.result.unwrap()["seconds"].as_f64().unwrap();
    let a = asyncio.result.unwrap()["seconds"].as_f64().unwrap();
    // Ideal: 10x for async, 5x for 5 threads. Generous margins for a busy
    // shared machine.
    assert!(s > 2.5 * a, "sync {s} s vs async {a} s");
    assert!(s > 1.8 * t, "sync {s} s vs threads {t} s");
}

#[test]
fn failures_are_counted_and_the_run_goes_on() {
    let r = run(
        "download",
        "async",
        &[("count", "12"), ("latency", "0"), ("fail-rate", "0.5")],
    );
    let v = r.result.unwrap();
    let (ok, failed) = (
        v["downloaded"].as_u64().unwrap(),
        v["failed"].as_u64().unwrap(),
    );
    assert_eq!(ok + failed, 12);
    assert!(failed > 0 && ok > 0, "{v}");
    let failed_events = count(&r.events, |k| matches!(k, EventKind::Failed { .. }));
    assert_eq!(failed_events as u64, failed);
    let errors = v["errors"].as_object().unwrap();
    assert_eq!(
        errors.values().map(|n| n.as_u64().unwrap()).sum::<u64>(),
        failed
    );
    for class in errors.keys() {
        assert!(
            ["http", "closed", "timeout"].contains(&class.as_str()),
            "{class}"
        );
    }
    assert!(
        outputs(&r.events)
            .iter()
            .any(|l| l.starts_with("Failed http://127.0.0.1:"))
    );
}

#[test]
fn an_interrupt_cancels_what_is_in_flight_in_every_mode() {
    for mode in ["sync", "threads", "async"] {
        let req = request(
            "download",
            mode,
            &[("count", "40"), ("latency", "400"), ("workers", "4")],
        );
        let control = Control::new();
        let c = control.clone();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            c.interrupt_all();
        });
        let r = run_with(&req, &control);
        stopper.join().unwrap();
        let e = r.result.expect_err("interrupted");
        assert!(
            format!("{e:#}").contains("KeyboardInterrupt"),
            "{mode}: {e:#}"
        );
        // Sync alone would need 16 s, threads 4 s, async 0.4 s+: it stopped
        // at the interrupt instead.
        assert!(r.secs < 3.0, "{mode}: {} s", r.secs);
        let cancelled = count(&r.events, |k| matches!(k, EventKind::Cancelled { .. }));
        assert!(cancelled >= 1, "{mode}");
    }
}

#[test]
fn online_without_internet_fails_with_a_clear_message() {
    let r = run("download", "sync", &[("count", "2"), ("online", "true")]);
    match r.result {
        Ok(v) => assert!(v["downloaded"].as_u64().unwrap() > 0),
        Err(e) => {
            let msg = format!("{e:#}");
            assert!(
                msg.contains("no internet") && msg.contains("--online"),
                "{msg}"
            );
            assert!(r.secs < 15.0);
        }
    }
}

#[test]
fn a_thousand_and_more_async_downloads_use_one_connection_each_and_all_complete() {
    let r = run("download", "async", &[("count", "1200"), ("latency", "50")]);
    let v = r.result.unwrap();
    assert_eq!(v["downloaded"], 1200, "{v}");
    assert!(outputs(&r.events)[0].contains("one connection each"));
    // Above the lean client's 1,024 open connections, requests wait for a
    // permit, and say so.
    let permits = count(&r.events, |k| {
        matches!(
            k,
            EventKind::Blocked {
                on: BlockOn::Io {
                    phase: IoPhase::Permit,
                    ..
                },
                ..
            }
        )
    });
    assert!(permits > 0, "some of 1,200 requests wait for a connection");
    let spawned = count(&r.events, |k| matches!(k, EventKind::Spawned { .. }));
    assert_eq!(spawned, 1201, "1200 downloads and main");
}
