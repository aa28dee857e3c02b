//! Start to first frame, and idle CPU with a lesson on screen.

use std::time::Duration;

use super::pty::PtyApp;
use crate::runtime::process_pool::procfs::cpu_time;
use crate::trace::Micros;

/// A chapter whose first screen is the notes' hash challenge, in Python and
/// Rust: highlighted code on screen from the first frame.
const CHAPTER: &str = r#"---
id: bench-startup
title: Startup bench
order: 1
---

## The hash challenge

The notes' `check` and `challenge`, and the Rust that runs here.

```python
import hashlib
import struct

def check(message, i, prefix="0000"):
    data = message.encode("utf-8")
    suffix = struct.pack("<I", i)
    hex_digest = hashlib.sha256(data + suffix).hexdigest()
    return hex_digest.startswith(prefix)

def challenge(message, prefix="0000"):
    for i in range(2**32 - 1):
        if check(message, i, prefix=prefix):
            return i
```
```rust
pub fn search_range(message: &[u8], prefix: &Prefix, range: Range<u64>) -> Option<u64> {
    let challenge = Challenge::new(message);
    range.into_iter().find(|&i| prefix.matches_state(&challenge.state(i as u32)))
}
```
"#;

/// Measures `first_frame_ms` (median of warm starts: the highlight cache
/// kept from the previous run), the cold start, and `idle_cpu_pct`.
pub fn bench_startup() -> anyhow::Result<Vec<(String, String)>> {
    let exe = std::env::current_exe()?;
    let tmp = std::env::temp_dir().join(format!("racecourse-bench-startup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    std::fs::write(tmp.join("bench.md"), CHAPTER)?;
    let data = tmp.join("data").display().to_string();
    let lessons = tmp.display().to_string();
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let args = ["--lessons", lessons.as_str()];
    let shown = |s: &str| s.contains("The hash challenge") && s.contains("def check(");
    let mut any_frame = Vec::new();
    let mut highlighted = Vec::new();
    for _ in 0..16 {
        let mut app = PtyApp::spawn(&exe, &args, &env, 120, 36)?;
        let first = app.wait_for(Duration::from_secs(10), shown)?;
        any_frame.push(Micros::from_duration(first.duration_since(app.started)).as_ms_f64());
        let mut coloured = first;
        while app.colours_in_row_with("def check(") < 3 {
            coloured = app.wait_for(Duration::from_secs(10), |_| true)?;
            if coloured.duration_since(app.started) > Duration::from_secs(10) {
                anyhow::bail!("code never got highlighted");
            }
            app.pump(Duration::from_millis(5));
        }
        highlighted.push(Micros::from_duration(coloured.duration_since(app.started)).as_ms_f64());
        app.send(b"q")?;
        app.wait_exit(Duration::from_secs(5))?;
    }
    let cold_any = any_frame.remove(0);
    let cold_highlighted = highlighted.remove(0);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let warm_any = median(&mut any_frame);
    let warm_highlighted = median(&mut highlighted);

    // Idle: a lesson on screen, nothing running, for ten seconds.
    let mut app = PtyApp::spawn(&exe, &args, &env, 120, 36)?;
    app.wait_for(Duration::from_secs(10), shown)?;
    std::thread::sleep(Duration::from_millis(500));
    app.pump(Duration::ZERO);
    let pid = app.pid().ok_or_else(|| anyhow::anyhow!("no pid"))?;
    let t0 = cpu_time(pid).ok_or_else(|| anyhow::anyhow!("cannot read /proc/{pid}/stat"))?;
    let window = Duration::from_secs(10);
    let start = std::time::Instant::now();
    while start.elapsed() < window {
        app.pump(Duration::from_millis(100));
    }
    let t1 = cpu_time(pid).unwrap_or(t0);
    let idle_pct = t1.saturating_sub(t0).as_secs_f64() / window.as_secs_f64() * 100.0;
    app.send(b"q")?;
    app.wait_exit(Duration::from_secs(5))?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(vec![
        ("warm_starts".into(), any_frame.len().to_string()),
        ("cold_first_frame_ms".into(), format!("{cold_any:.1}")),
        (
            "cold_first_highlighted_frame_ms".into(),
            format!("{cold_highlighted:.1}"),
        ),
        (
            "first_highlighted_frame_ms".into(),
            format!("{warm_highlighted:.1}"),
        ),
        ("idle_cpu_pct".into(), format!("{idle_pct:.2}")),
        ("first_frame_ms".into(), format!("{warm_any:.1}")),
    ])
}
