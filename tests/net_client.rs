//! The instrumented client against the demo server: phases, error classes,
//! interruption.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use racecourse::net::ServerConfig;
use racecourse::net::ServerHandle;
use racecourse::net::client::{FetchError, Fetcher, IoRuntime, Limits, Phase, Request, Step};

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

#[test]
fn a_new_connection_then_a_reused_one_report_their_phases() {
    let s = server(150);
    let io = IoRuntime::new().unwrap();
    let f = fetcher(5_000);
    let url = s.url_for("/sites/jython");
    let mut steps = Vec::new();
    let t0 = Instant::now();
    let got = io
        .get(&f, &Request::get(&url), |st| steps.push(st), || false)
        .unwrap();
    assert!(got.new_connection && got.bytes > 9_000 && got.body.is_none());
    let phases: Vec<Phase> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Enter { phase, .. } => Some(*phase),
            Step::Bytes(_) => None,
        })
        .collect();
    assert_eq!(phases, [Phase::Connect, Phase::Wait, Phase::Read]);
    // The wait began (dated from the server's timing) after the request was
    // sent, and at least the latency before the answer came.
    let Step::Enter {
        since: Some(waited_from),
        ..
    } = steps[1]
    else {
        panic!("wait is dated: {steps:?}");
    };
    assert!(waited_from >= t0);
    assert!(waited_from.elapsed() >= Duration::from_millis(150));
    assert_eq!(steps.last(), Some(&Step::Bytes(got.bytes)));

    let mut steps = Vec::new();
    let got = io
        .get(
            &f,
            &Request::get(&s.url_for("/sites/dice")).keep_body(),
            |st| steps.push(st),
            || false,
        )
        .unwrap();
    assert!(!got.new_connection);
    assert_eq!(got.body.map(|b| b.len() as u64), Some(got.bytes));
    assert!(matches!(
        steps[0],
        Step::Enter {
            phase: Phase::Wait,
            since: None
        }
    ));
}

#[test]
fn failures_are_classified() {
    let s = server(0);
    let io = IoRuntime::new().unwrap();
    let f = fetcher(400);
    let get = |path: &str| io.get(&f, &Request::get(&s.url_for(path)), |_| {}, || false);
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
        io.get(&f, &quick, |_| {}, || false).unwrap_err(),
        FetchError::Timeout(150)
    );
    assert!(
        get("/sites/dice").is_ok(),
        "the client goes on after failures"
    );
    let addr = s.addr();
    drop(s);
    let e = io
        .get(
            &f,
            &Request::get(&format!("http://{addr}/health")),
            |_| {},
            || false,
        )
        .unwrap_err();
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
            |_| {},
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
        |_| {},
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
