//! The chapter's claim, measured: on N cores, threads under the GIL stay
//! near 1x, threads without it and processes scale.
//!
//! Alone in its test binary so that no sibling test competes for the
//! cores; rates are the best of interleaved rounds (the GIL's ratio: the
//! lowest of the rounds' own ratios), and the scaling claims are checked
//! only when plain threads show the machine has a free core now.

use std::time::Instant;

use racecourse::demos::hash::{self, Challenge, Job, Mode, Prefix};
use racecourse::runtime::Control;
use racecourse::runtime::process_pool::set_worker_program;
use racecourse::trace::Tracer;

const HASHES: u64 = 4_000_000;

fn never() -> Prefix {
    // Sixteen zeros: never found, so every run does the same work.
    Prefix::parse(&"0".repeat(16)).unwrap()
}

fn rate(mode: Mode, workers: usize) -> f64 {
    let mut job = Job::new("hello world", never(), 1 << 18);
    job.range = 0..HASHES;
    let (tracer, _) = Tracer::new();
    hash::search(mode, &job, workers, &tracer, &Control::new())
        .unwrap()
        .rate_hps()
}

/// Hashes/s of `threads` plain threads on the same work: what this machine
/// gives right now, whatever the runtimes do.
fn plain_rate(threads: u64) -> f64 {
    let never = never();
    let challenge = Challenge::new(b"hello world");
    let share = HASHES / threads;
    let start = Instant::now();
    std::thread::scope(|s| {
        for k in 0..threads {
            let (c, p) = (&challenge, &never);
            s.spawn(move || c.search(p, k * share..(k + 1) * share, &mut |_| true));
        }
    });
    HASHES as f64 / start.elapsed().as_secs_f64()
}

#[test]
fn the_gil_stays_near_one_and_threads_and_processes_scale() {
    set_worker_program(env!("CARGO_BIN_EXE_racecourse"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 {
        eprintln!("skipped: one core");
        return;
    }
    let [mut seq, mut free, mut procs, mut one, mut two] = [0f64; 5];
    // The GIL's ratio is taken within each round, from two runs back to
    // back, and the calmest round counts: other programs slowing one of the
    // two runs cannot make it look like the GIL let threads run together.
    let mut gil_x = f64::INFINITY;
    for _ in 0..3 {
        one = one.max(plain_rate(1));
        let round_seq = rate(Mode::Sequential, 1);
        let round_gil = rate(Mode::ThreadsGil, 2);
        seq = seq.max(round_seq);
        gil_x = gil_x.min(round_gil / round_seq);
        free = free.max(rate(Mode::Threads, 2));
        procs = procs.max(rate(Mode::Processes, 2));
        two = two.max(plain_rate(2));
    }
    let (free_x, procs_x, machine_x) = (free / seq, procs / seq, two / one);
    eprintln!(
        "on 2 workers: GIL threads {gil_x:.2}x, threads {free_x:.2}x, processes {procs_x:.2}x; \
         plain threads {machine_x:.2}x"
    );
    assert!(gil_x < 1.3, "the GIL should serialise: {gil_x:.2}x");
    if machine_x < 1.5 {
        // Other work holds the second core: nothing can scale right now.
        eprintln!("scaling not checked: plain threads reach only {machine_x:.2}x now");
        return;
    }
    for (what, x) in [("threads", free_x), ("processes", procs_x)] {
        assert!(
            x > 1.3 && x > 0.75 * machine_x,
            "{what} should scale: {x:.2}x (plain threads {machine_x:.2}x)"
        );
    }
}
