//! No thread of the thread chapters outlives an interrupt: a thread blocked
//! on a lock, a queue's get or put, a semaphore, a barrier or an event
//! leaves its wait when `x` interrupts its lane, and `X` then ends the
//! whole run. Each case is set up so that the wait would otherwise last
//! minutes (long holds, an event never set, a consumer that never comes),
//! and is given far less than that: a wait that ignores the interrupt
//! makes the case time out, whatever the machine's speed.

use std::sync::mpsc;
use std::time::Duration;

use racecourse::demos::{DemoRequest, run_blocking};
use racecourse::runtime::Control;
use racecourse::trace::{BlockOn, Event, EventKind, LaneId, Tracer};

/// Far longer than any interruptible wait takes on a loaded machine, far
/// shorter than the waits each case sets up.
const HANG: Duration = Duration::from_mins(1);

fn request(demo: &str, mode: &str, opts: &[(&str, &str)]) -> DemoRequest {
    let mut r = DemoRequest::new(demo).unwrap();
    r.set_mode(mode).unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    r
}

/// A wait on something another thread must give (not a sleep, not main's
/// join) whose label has `want` in it.
fn waits_on_another(e: &Event, want: &str) -> bool {
    e.lane != 0
        && matches!(
            &e.kind,
            EventKind::Blocked { on, .. }
                if !matches!(on, BlockOn::Sleep | BlockOn::Task { .. }) && on.label().contains(want)
        )
}

/// Whether `e` ends lane `lane`.
fn ends(e: &Event, lane: LaneId) -> bool {
    e.lane == lane
        && matches!(
            e.kind,
            EventKind::Cancelled { .. }
                | EventKind::Failed { .. }
                | EventKind::Finished { .. }
                | EventKind::LaneDown { .. }
        )
}

/// Whether `e` is lane `lane` getting on with its work: what a thread
/// does once it has what it waited for, not on its way out.
fn goes_on(e: &Event, lane: LaneId) -> bool {
    e.lane == lane
        && matches!(
            e.kind,
            EventKind::Progress { .. } | EventKind::Started { .. }
        )
}

/// Runs `req`; once a thread waits on another, interrupts that lane and
/// waits for it to end, checking that it did not first get what it waited
/// for (a wait that ignores interrupts ends only that way); then
/// interrupts everything and waits for the run to end and for every tracer
/// (every thread) to be gone. Returns what the
/// interrupted lane was waiting on (a label with `want` in it).
fn interrupt_a_waiter(req: DemoRequest, want: &'static str) -> String {
    let (done_tx, done_rx) = mpsc::channel();
    let name = req.name();
    std::thread::spawn(move || {
        let control = Control::new();
        let (tracer, mut rx) = Tracer::new();
        let (c, r) = (control.clone(), req.clone());
        let run = std::thread::spawn(move || {
            let outcome = run_blocking(&r, &tracer, &c);
            drop(tracer);
            outcome.result.is_ok()
                || outcome
                    .result
                    .as_ref()
                    .is_err_and(|e| e.contains("interrupt"))
        });
        let waiter = loop {
            let e = rx
                .blocking_recv()
                .expect("a thread waits before the run ends");
            if waits_on_another(&e, want) {
                break e;
            }
        };
        let EventKind::Blocked { on, .. } = &waiter.kind else {
            unreachable!()
        };
        let on = on.label();
        control.interrupt_lane(waiter.lane);
        let mut went_on = false;
        while let Some(e) = rx.blocking_recv() {
            went_on |= goes_on(&e, waiter.lane);
            if ends(&e, waiter.lane) {
                break;
            }
        }
        control.interrupt_all();
        let ended = run.join().is_ok();
        // Every thread of the run held a tracer: the channel closes once
        // the last one has gone.
        while rx.blocking_recv().is_some() {}
        let _ = done_tx.send((ended && !went_on, on));
    });
    let (ended, on) = done_rx
        .recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("{name}: a wait ignored the interrupt"));
    assert!(
        ended,
        "{name}: the interrupted thread got what it waited for, or the run panicked"
    );
    on
}

#[test]
fn a_thread_waiting_for_a_lock_leaves_on_x() {
    for mode in ["polling", "blocking", "fair"] {
        let on = interrupt_a_waiter(
            request("starve", mode, &[("rounds", "200"), ("hold-ms", "2000")]),
            "lock",
        );
        assert_eq!(on, "lock m", "{mode}");
    }
    let on = interrupt_a_waiter(
        request(
            "deadlock",
            "opposite",
            &[("work-ms", "100"), ("hold-ms", "0"), ("rounds", "100")],
        ),
        "lock",
    );
    assert!(on.starts_with("lock "), "{on}");
}

#[test]
fn a_thread_waiting_on_a_queue_leaves_on_x() {
    // Consumers stuck in get() on a queue nobody fills.
    let on = interrupt_a_waiter(
        request(
            "queue",
            "raises",
            &[("consumers", "2"), ("patience-ms", "0")],
        ),
        "empty",
    );
    assert_eq!(on, "queue empty");
    // A producer stuck in put() on a full queue, the consumer slow.
    let on = interrupt_a_waiter(
        request(
            "queue",
            "queue",
            &[
                ("maxsize", "1"),
                ("produce-ms", "1"),
                ("consume-ms", "2000"),
                ("items", "10000"),
            ],
        ),
        "full",
    );
    assert_eq!(on, "queue full");
}

#[test]
fn a_thread_waiting_at_a_semaphore_barrier_or_event_leaves_on_x() {
    let sync =
        |mode, opts: &[(&str, &str)], want| interrupt_a_waiter(request("sync", mode, opts), want);
    sync(
        "semaphore",
        &[
            ("workers", "4"),
            ("permits", "1"),
            ("work-ms", "10000"),
            ("rounds", "5"),
        ],
        "semaphore",
    );
    sync(
        "barrier",
        &[("workers", "8"), ("work-ms", "2000")],
        "barrier",
    );
    sync("event", &[("workers", "3"), ("delay-ms", "60000")], "event");
    interrupt_a_waiter(
        request("barrier", "wait", &[("workers", "8"), ("work-ms", "2000")]),
        "barrier",
    );
}
