//! The instrumented client against the demo server: phases, error classes,
//! interruption.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use racecourse::net::ServerConfig;
use racecourse::net::ServerHandle;
use racecourse::net::client::{
    FetchError, Fetcher, IoRuntime, Limits, Marks, NoMarks, Phase, Request,
};

fn server(latency_ms: u64) -> ServerHandle {
    ServerHandle::spawn_thread(ServerConfig {
        latency: Duration::from_millis(latency_ms),
        slow: Duration::from_secs(20),
        ..ServerConfig::default()
    })
    .unwrap()
}

fn fetcher(timeout_ms: u64) -> Fetcher {
    Fetcher::new(
        Limits {
            timeout: Duration::from_millis(timeout_ms),
            connect_timeout: Duration::from_secs(2),
        },
        true,
    )
    .unwrap()
}

/// Records phases and bytes.
#[derive(Default)]
struct Recorder {
    steps: Arc<Mutex<Vec<String>>>,
    last: Option<Phase>,
}

impl Marks for Recorder {
    fn stage<F: Future>(&mut self, phase: Phase, fut: F) -> impl Future<Output = F::Output> {
        if self.last != Some(phase) {
            self.last = Some(phase);
            self.steps.lock().unwrap().push(phase.word().to_string());
        }
        fut
    }
    fn bytes(&mut self, total: u64) {
        self.steps.lock().unwrap().push(format!("{total} bytes"));
    }
}

#[test]
fn a_new_connection_then_a_reused_one_report_their_phases() {
    let s = server(150);
    let io = IoRuntime::new().unwrap();
    let f = fetcher(5_000);
    let url = s.url_for("/sites/jython");
    let mut rec = Recorder::default();
    let got = io.get(&f, &Request::get(&url), &mut rec, || false).unwrap();
    assert!(got.new_connection && got.bytes > 9_000 && got.body.is_none());
    let steps = rec.steps.lock().unwrap().clone();
    assert_eq!(steps[..3], ["connect", "wait", "read"], "{steps:?}");
    assert_eq!(steps.last(), Some(&format!("{} bytes", got.bytes)));

    let mut rec = Recorder::default();
    let dice = s.url_for("/sites/dice");
    let got = io
        .get(&f, &Request::get(&dice).keep_body(), &mut rec, || false)
        .unwrap();
    assert!(!got.new_connection);
    assert_eq!(got.body.map(|b| b.len() as u64), Some(got.bytes));
    let steps = rec.steps.lock().unwrap().clone();
    assert_eq!(steps[..2], ["wait", "read"], "{steps:?}");
}

#[test]
fn failures_are_classified() {
    let s = server(0);
    let io = IoRuntime::new().unwrap();
    let f = fetcher(400);
    let get = |path: &str| io.get(&f, &Request::get(&s.url_for(path)), &mut NoMarks, || false);
    assert_eq!(
        get("/sites/dice?fail=500").unwrap_err(),
        FetchError::Status(500)
    );
    assert_eq!(
        get("/api/v2/pokemon/0").unwrap_err(),
        FetchError::Status(404)
    );
    assert_eq!(
        get("/sites/dice?fail=drop").unwrap_err(),
        FetchError::Closed
    );
    assert_eq!(
        get("/sites/dice?fail=slow").unwrap_err(),
        FetchError::Timeout(400)
    );
    let slow = s.url_for("/sites/dice?fail=slow");
    let quick = Request::get(&slow).timeout(Duration::from_millis(150));
    assert_eq!(
        io.get(&f, &quick, &mut NoMarks, || false).unwrap_err(),
        FetchError::Timeout(150)
    );
    assert!(
        get("/sites/dice").is_ok(),
        "the client goes on after failures"
    );
    let addr = s.addr();
    drop(s);
    // The server's socket closes as its thread ends; until then a connect
    // may still be accepted and dropped. Ask again (bounded) until refused.
    let mut e = FetchError::Closed;
    for _ in 0..100 {
        e = io
            .get(
                &f,
                &Request::get(&format!("http://{addr}/health")),
                &mut NoMarks,
                || false,
            )
            .unwrap_err();
        if e == FetchError::Refused {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(e, FetchError::Refused);
}

#[test]
fn an_interrupt_cancels_a_request_in_flight() {
    let s = server(0);
    let io = IoRuntime::new().unwrap();
    let f = fetcher(30_000);
    let stop = Arc::new(AtomicBool::new(false));
    let stop2 = stop.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        stop2.store(true, Ordering::SeqCst);
    });
    let began = Instant::now();
    let e = io
        .get(
            &f,
            &Request::get(&s.url_for("/sites/dice?latency=20000")),
            &mut NoMarks,
            || stop.load(Ordering::SeqCst),
        )
        .unwrap_err();
    assert_eq!(e, FetchError::Interrupted);
    // Far sooner than the 20 s the server would have waited.
    assert!(began.elapsed() < Duration::from_secs(10));
    t.join().unwrap();
}

#[test]
fn without_internet_the_real_sites_fail_clearly() {
    let io = IoRuntime::new().unwrap();
    let f = Fetcher::new(
        Limits {
            timeout: Duration::from_secs(4),
            connect_timeout: Duration::from_secs(2),
        },
        false,
    )
    .unwrap();
    match io.get(
        &f,
        &Request::get("https://www.jython.org"),
        &mut NoMarks,
        || false,
    ) {
        // A machine with internet may really download it.
        Ok(got) => assert!(got.bytes > 0),
        Err(e) => assert!(
            matches!(
                e,
                FetchError::Dns(_)
                    | FetchError::Connect(_)
                    | FetchError::Timeout(_)
                    | FetchError::Refused
            ),
            "{e:?}"
        ),
    }
}

#[test]
fn the_bare_client_sees_the_same_phases_and_failures() {
    let s = server(100);
    let io = IoRuntime::new().unwrap();
    let f = Fetcher::lite(Limits {
        timeout: Duration::from_millis(800),
        connect_timeout: Duration::from_secs(2),
    });
    assert!(f.is_lite());
    let jython = s.url_for("/sites/jython");
    let mut rec = Recorder::default();
    let got = io
        .get(&f, &Request::get(&jython).keep_body(), &mut rec, || false)
        .unwrap();
    assert_eq!(got.status, 200);
    assert_eq!(got.body.as_ref().map(|b| b.len() as u64), Some(got.bytes));
    assert!(got.body.unwrap().starts_with(b"<!DOCTYPE html>"));
    let steps = rec.steps.lock().unwrap().clone();
    assert_eq!(steps[..3], ["connect", "wait", "read"], "{steps:?}");
    let get = |path: &str| io.get(&f, &Request::get(&s.url_for(path)), &mut NoMarks, || false);
    assert_eq!(
        get("/api/v2/pokemon/0").unwrap_err(),
        FetchError::Status(404)
    );
    assert_eq!(
        get("/sites/dice?fail=500").unwrap_err(),
        FetchError::Status(500)
    );
    assert_eq!(
        get("/sites/dice?fail=drop").unwrap_err(),
        FetchError::Closed
    );
    assert_eq!(
        get("/sites/dice?fail=slow").unwrap_err(),
        FetchError::Timeout(800)
    );
    let addr = s.addr();
    drop(s);
    let e = io
        .get(
            &f,
            &Request::get(&format!("http://{addr}/")),
            &mut NoMarks,
            || false,
        )
        .unwrap_err();
    assert_eq!(e, FetchError::Refused);
}
