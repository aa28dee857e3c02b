//! Key press to frame on screen, with every core busy hashing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::pty::PtyApp;
use crate::sha::{Challenge, Prefix};
use crate::trace::Micros;

const CHAPTER: &str = "---
id: bench-latency
title: Latency bench
order: 1
---

## The button

```demo button
mode: thread
prefix: \"00000000\"
```
";

/// Sends `b` at random intervals to the app (thread mode, search running,
/// all cores busy) and times until the click counter on screen moves.
pub fn bench_latency() -> anyhow::Result<Vec<(String, String)>> {
    let exe = std::env::current_exe()?;
    let tmp = std::env::temp_dir().join(format!("racecourse-bench-latency-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    std::fs::write(tmp.join("bench.md"), CHAPTER)?;
    let data = tmp.join("data").display().to_string();
    let lessons = tmp.display().to_string();
    let mut app = PtyApp::spawn(
        &exe,
        &["--lessons", &lessons],
        &[("RACECOURSE_DATA_DIR", data.as_str())],
        120,
        36,
    )?;
    app.wait_for(Duration::from_secs(10), |s| s.contains("PRESS ME"))?;
    app.send(b"\r")?;
    app.wait_for(Duration::from_secs(10), |s| s.contains("running"))?;

    // Keep every core busy: the app's search thread plus one burner a core.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let stop = Arc::new(AtomicBool::new(false));
    let burners: Vec<_> = (0..cores)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let c = Challenge::new(b"burn");
                let never = Prefix::parse("0000000000000000").expect("constant prefix");
                let mut at = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    c.search(&never, at..at + 65536, &mut |_| true);
                    at = (at + 65536) % (1 << 31);
                }
            })
        })
        .collect();

    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut times = Vec::new();
    let result = (|| -> anyhow::Result<()> {
        for i in 1..=120u32 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            std::thread::sleep(Duration::from_millis(10 + rng % 90));
            app.pump(Duration::ZERO);
            let want = format!("clicks: {i} ");
            let sent = Instant::now();
            app.send(b"b")?;
            let seen = app.wait_for(Duration::from_secs(5), |s| s.contains(&want))?;
            times.push(Micros::from_duration(seen.duration_since(sent)).as_ms_f64());
        }
        Ok(())
    })();
    stop.store(true, Ordering::Relaxed);
    for b in burners {
        let _ = b.join();
    }
    let _ = app.send(b"X");
    let _ = app.send(b"q");
    let _ = app.wait_exit(Duration::from_secs(10));
    let _ = std::fs::remove_dir_all(&tmp);
    result?;
    times.sort_by(f64::total_cmp);
    // The `pct`th percentile, rounded to the nearest index.
    let q = |pct: usize| times[((times.len() - 1) * pct + 50) / 100];
    Ok(vec![
        ("mode".into(), "thread".into()),
        (
            "busy_threads".into(),
            format!("{cores} burners + the search"),
        ),
        ("keys".into(), times.len().to_string()),
        ("p50_ms".into(), format!("{:.2}", q(50))),
        ("max_ms".into(), format!("{:.2}", q(100))),
        ("p99_ms".into(), format!("{:.2}", q(99))),
    ])
}
