//! `racecourse __worker pool-demo N`: a pool kept busy so that tests can kill
//! its process with SIGKILL and check that no worker survives it.

use std::io::Write;
use std::time::Duration;

use super::ProcessPool;
use crate::runtime::Control;
use crate::runtime::jobs::Job;
use crate::trace::Tracer;

pub(super) fn pool_demo(workers: Option<&str>) -> i32 {
    let n = workers
        .and_then(|w| w.parse::<usize>().ok())
        .unwrap_or(2)
        .clamp(1, 8);
    let (tracer, _rx) = Tracer::new();
    let pool = match ProcessPool::new(n, &tracer, &Control::new()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("pool-demo: {e}");
            return 1;
        }
    };
    let futures: Vec<_> = (0..n)
        .map(|_| pool.apply_async(Job::Sleep { ms: 600_000 }))
        .collect();
    // Wait until every slot has a live process, then say which.
    for _ in 0..1000 {
        if pool.pids().len() == n {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let pids: Vec<String> = pool.pids().iter().map(u32::to_string).collect();
    let mut out = std::io::stdout().lock();
    if writeln!(out, "pids {}", pids.join(" "))
        .and_then(|()| out.flush())
        .is_err()
    {
        return 1;
    }
    for f in futures {
        let _ = f.result();
    }
    0
}
