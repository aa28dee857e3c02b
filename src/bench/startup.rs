//! Start to first frame, and idle CPU with a lesson on screen.

use std::time::Duration;

use super::pty::PtyApp;
use crate::runtime::process_pool::procfs::cpu_time;

/// The chapter shown: it must have highlighted code in its first section.
const CHAPTER: &str = "latency-throughput";

/// Measures `first_frame_ms` (median of several starts) and `idle_cpu_pct`.
pub fn bench_startup() -> anyhow::Result<Vec<(String, String)>> {
    let exe = std::env::current_exe()?;
    let data = std::env::temp_dir().join(format!("racecourse-bench-{}", std::process::id()));
    let data_s = data.display().to_string();
    let env = [("RACECOURSE_DATA_DIR", data_s.as_str())];
    let course = crate::lesson::load(&crate::lesson::Source::Embedded)?;
    let chapter = course
        .chapter(CHAPTER)
        .or_else(|| course.chapters.first())
        .ok_or_else(|| anyhow::anyhow!("no chapters built in"))?;
    let title = chapter.title.clone();
    let args = ["--chapter", chapter.id.as_str()];
    let mut times = Vec::new();
    for _ in 0..15 {
        let mut app = PtyApp::spawn(&exe, &args, &env, 120, 36)?;
        let at = app.wait_for(Duration::from_secs(10), |s| {
            s.contains(&title) && s.contains("section")
        })?;
        times.push(at.duration_since(app.started).as_secs_f64() * 1000.0);
        app.send(b"q")?;
        app.wait_exit(Duration::from_secs(5))?;
    }
    times.sort_by(f64::total_cmp);
    // Idle: a lesson on screen, nothing running, for five seconds.
    let mut app = PtyApp::spawn(&exe, &args, &env, 120, 36)?;
    app.wait_for(Duration::from_secs(10), |s| s.contains(&title))?;
    std::thread::sleep(Duration::from_millis(500));
    app.pump(Duration::ZERO);
    let pid = app.pid().ok_or_else(|| anyhow::anyhow!("no pid"))?;
    let t0 = cpu_time(pid).ok_or_else(|| anyhow::anyhow!("cannot read /proc/{pid}/stat"))?;
    let window = Duration::from_secs(5);
    let start = std::time::Instant::now();
    while start.elapsed() < window {
        app.pump(Duration::from_millis(100));
    }
    let t1 = cpu_time(pid).unwrap_or(t0);
    let idle_pct = (t1 - t0).as_secs_f64() / window.as_secs_f64() * 100.0;
    app.send(b"q")?;
    app.wait_exit(Duration::from_secs(5))?;
    let _ = std::fs::remove_dir_all(&data);
    Ok(vec![
        ("chapter".into(), chapter.id.clone()),
        ("runs".into(), times.len().to_string()),
        ("first_frame_min_ms".into(), format!("{:.1}", times[0])),
        (
            "first_frame_max_ms".into(),
            format!("{:.1}", times[times.len() - 1]),
        ),
        ("idle_cpu_pct".into(), format!("{idle_pct:.2}")),
        (
            "first_frame_ms".into(),
            format!("{:.1}", times[times.len() / 2]),
        ),
    ])
}
