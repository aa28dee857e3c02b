//! Keys on the largest chapter racecourse accepts: how long a section
//! change and a scroll key take to answer with a frame.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::lesson::{Course, MAX_CHAPTER_BYTES, parse_chapter};
use crate::progress::Progress;
use crate::ui::app::App;
use crate::ui::keys::Command;
use crate::ui::render::render_buffer;
use crate::ui::theme::{Theme, ThemeName};

/// A chapter just under the size limit: a short section, then one of
/// prose (paragraphs with inline styles) and one with a code block of
/// 100,000 lines, then a short one.
pub fn largest_chapter() -> String {
    let budget = usize::try_from(MAX_CHAPTER_BYTES).unwrap_or(usize::MAX) - 4096;
    let mut text = String::from(
        "---\nid: big\ntitle: Big\norder: 1\n---\n\n## Short\n\nOne line.\n\n## Prose\n\n",
    );
    let words = [
        "threads", "take", "turns", "on", "the", "lock", "while", "a", "task", "awaits",
    ];
    let mut n = 0usize;
    while text.len() < budget / 2 {
        let body: Vec<&str> = (0..60)
            .map(|i| words[(n * 7 + i * 3) % words.len()])
            .collect();
        let _ = write!(
            text,
            "Paragraph {n}: {} *emphasis* and `code`.\n\n",
            body.join(" ")
        );
        n += 1;
    }
    text.push_str("## Code\n\n```python\n");
    let mut i = 0usize;
    while text.len() < budget {
        let _ = writeln!(text, "value_{i} = compute({i}) + other * {i}  # note");
        i += 1;
    }
    text.push_str("```\n\n## End\n\nDone.\n");
    text
}

/// Section changes and scroll keys on [`largest_chapter`] at 120×36, each
/// timed from the key to its frame drawn; the slowest key is the headline.
pub fn bench_lesson() -> anyhow::Result<Vec<(String, String)>> {
    let text = largest_chapter();
    let t0 = Instant::now();
    let chapter = parse_chapter("big.md", &text);
    let parse = t0.elapsed();
    let mut app = App::new(
        Course {
            chapters: vec![chapter],
        },
        Theme::new(ThemeName::Dark, false),
        Progress::default(),
        None,
    );
    app.live = true;
    app.goto(0, 0);
    // Each key is timed on the wall clock and in this thread's CPU time:
    // the second does not grow when other programs share the cores.
    let mut cpu = Vec::new();
    let mut frame = |app: &mut App, cmd: Option<Command>| -> anyhow::Result<Duration> {
        let (t, c) = (Instant::now(), thread_cpu());
        if let Some(cmd) = cmd {
            app.update(cmd);
        }
        render_buffer(app, 120, 36)?;
        cpu.push(thread_cpu().saturating_sub(c));
        Ok(t.elapsed())
    };
    frame(&mut app, None)?;
    let mut sections = Vec::new();
    let mut scrolls = Vec::new();
    for _ in 0..3 {
        for _ in 0..3 {
            sections.push(frame(&mut app, Some(Command::Next))?);
            for _ in 0..10 {
                scrolls.push(frame(&mut app, Some(Command::PageDown))?);
                scrolls.push(frame(&mut app, Some(Command::ScrollDown))?);
            }
        }
        app.goto(0, 0);
        frame(&mut app, None)?;
    }
    let ms = |d: Duration| format!("{:.2}", d.as_secs_f64() * 1e3);
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let max_cpu = *cpu.iter().max().unwrap_or(&Duration::ZERO);
    let max_section = *sections.iter().max().unwrap_or(&Duration::ZERO);
    let max_scroll = *scrolls.iter().max().unwrap_or(&Duration::ZERO);
    Ok(vec![
        ("chapter_bytes".into(), text.len().to_string()),
        ("parse_ms".into(), ms(parse)),
        ("section_change_p50_ms".into(), ms(median(&mut sections))),
        ("section_change_max_ms".into(), ms(max_section)),
        ("scroll_key_p50_ms".into(), ms(median(&mut scrolls))),
        ("scroll_key_max_ms".into(), ms(max_scroll)),
        ("key_cpu_p50_ms".into(), ms(median(&mut cpu))),
        ("key_cpu_max_ms".into(), ms(max_cpu)),
        ("key_max_ms".into(), ms(max_section.max(max_scroll))),
    ])
}

/// CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `clock_gettime` writes one `timespec` through a valid pointer
    // to a local; the thread CPU clock exists on every Linux.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}
