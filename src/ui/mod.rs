#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! The terminal UI: the only part of racecourse that knows about ratatui.

pub mod app;
pub mod button;
pub mod clock;
pub mod draw;
mod gate;
mod input;
pub mod keys;
pub mod lesson;
mod overlays;
pub mod pane;
pub mod panes;
pub mod prompt;
pub mod render;
mod signals;
pub mod term;
pub mod theme;
pub mod toc;
pub mod widgets;

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{Event as TermEvent, MouseEventKind};

use crate::lesson::Source;
use crate::progress::Store;
use app::{App, Msg};
use clock::Now;
use keys::Command;
use theme::{Theme, ThemeName};

/// How the course was asked to start.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub source: Source,
    pub theme: ThemeName,
    pub no_color: bool,
    pub watch: bool,
    pub reset_progress: bool,
    /// Open this chapter instead of the last one.
    pub chapter: Option<String>,
    /// With `chapter`: the section, from 1.
    pub section: Option<usize>,
}

/// Opens the course full screen and runs until the learner quits.
pub fn run(opts: AppOptions) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "racecourse needs a terminal; to print a screen as text use `racecourse render --chapter ID`, or see `racecourse --help`"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the event loop")?;
    rt.block_on(main_loop(opts))
}

/// Builds the app state: course, theme, progress.
pub fn build_app(opts: &AppOptions, persist: bool) -> anyhow::Result<App> {
    let course = crate::course::load(&opts.source)?;
    let no_color = opts.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::new(opts.theme, no_color);
    let store = if persist {
        Store::default_location()
    } else {
        None
    };
    let mut warning = None;
    let mut progress = Default::default();
    let store = match store {
        Some(s) => {
            if opts.reset_progress {
                s.reset()?;
            }
            let loaded = s.load();
            warning = loaded.warning;
            progress = loaded.progress;
            // A file that could not be read must never be overwritten.
            loaded.saveable.then_some(s)
        }
        None => None,
    };
    let mut app = App::new(course, theme, progress, store);
    if let Some(id) = &opts.chapter {
        match app.course.position(id) {
            Some(i) => {
                let section = opts.section.unwrap_or(1);
                let c = &app.course.chapters[i];
                let sections = if c.is_ok() { c.sections.len() } else { 0 };
                // Rejected, never clamped: `render` and the app agree.
                if section == 0 || (sections > 0 && section > sections) {
                    anyhow::bail!("chapter `{id}` has sections 1..={sections}, not {section}");
                }
                app.goto(i, section - 1)
            }
            None => anyhow::bail!(
                "no chapter `{id}`{}; `racecourse list` shows them",
                crate::suggest::hint(id, app.course.chapters.iter().map(|c| c.id.as_str()))
            ),
        }
    }
    if let Some(w) = warning {
        app.warn(&w);
    }
    Ok(app)
}

/// Where highlighted code is kept between runs, so that a start with a
/// warm cache draws colours in its first frame.
fn highlight_cache_path() -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("RACECOURSE_DATA_DIR") {
        return Some(std::path::PathBuf::from(dir).join("highlight-cache.json"));
    }
    directories::ProjectDirs::from("", "", "racecourse")
        .map(|d| d.cache_dir().join("highlight-cache.json"))
}

async fn main_loop(opts: AppOptions) -> anyhow::Result<()> {
    let cache = highlight_cache_path();
    if let Some(path) = &cache {
        crate::lesson::highlight::load_cache(path);
    }
    let mut app = build_app(&opts, true)?;
    app.live = true;
    app.prefetch_highlight();
    let mut signals = signals::Signals::install()?;
    let mut guard = term::TermGuard::enter().context("opening the terminal")?;
    let mut input = input::Input::start();
    let mut watcher = match (&opts.source, opts.watch) {
        (Source::Dir(dir), true) => {
            Some(crate::lesson::watch::watch(dir).context("watching lessons")?)
        }
        (Source::Embedded, true) => {
            app.warn("--watch needs --lessons DIR: the built-in chapters cannot change");
            None
        }
        _ => None,
    };
    let mut frame_tick = tokio::time::interval(Duration::from_millis(16));
    frame_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let test_panic = std::env::var_os("RACECOURSE_TEST_PANIC").is_some();
    let size = guard.terminal.size()?;
    app.update(Msg::Screen {
        width: size.width,
        height: size.height,
    });
    // Redraw rule: at once after input, a run's end or a reload; trace
    // events wait for the next frame tick (at most 60 frames a second);
    // ticks run only while something animates or trace is waiting.
    let mut dirty = true;
    let mut trace_waiting = false;
    loop {
        if dirty {
            app.update(Msg::Tick(Now::read()));
            guard.terminal.draw(|f| draw::draw(f, &app))?;
            if let Some(p) = app.pane.as_mut().filter(|p| p.bells > 0) {
                // The bell goes out between frames, never inside one.
                p.bells = 0;
                use std::io::Write as _;
                let out = guard.terminal.backend_mut();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
            }
            dirty = app.update(Msg::FrameShown(std::time::Instant::now()));
            trace_waiting = false;
            if dirty {
                continue;
            }
        }
        if app.quit {
            break;
        }
        let ticking = trace_waiting || app.animating();
        tokio::select! {
            ev = input.rx.recv() => match ev {
                Some(Ok((at, ev))) => {
                    if test_panic && matches!(&ev, TermEvent::Key(k) if k.code == crossterm::event::KeyCode::Char('!')) {
                        panic!("injected panic (RACECOURSE_TEST_PANIC)");
                    }
                    if let Some(msg) = message_for(&app, &guard, ev, at) {
                        dirty |= app.update(msg);
                    }
                }
                Some(Err(e)) => return Err(e).context("reading the terminal"),
                None => break,
            },
            msg = pane_event(&mut app) => match msg {
                msg @ Msg::Trace(_) => trace_waiting |= app.update(msg),
                msg => dirty |= app.update(msg),
            },
            _ = frame_tick.tick(), if ticking => {
                dirty |= app.update(Msg::Tick(Now::read())) || trace_waiting;
            }
            Some(path) = changed_file(&mut watcher) => {
                if let Some(msg) = reloaded(&opts.source, &path) {
                    dirty |= app.update(msg);
                }
            }
            request = signals.recv() => match request {
                signals::Request::Quit => dirty |= app.update(Command::Quit),
                signals::Request::Suspend => {
                    guard.suspend().context("taking the terminal back")?;
                    dirty = true;
                }
                signals::Request::Resume => {
                    guard.resume().context("taking the terminal back")?;
                    dirty = true;
                }
            },
        }
    }
    // Stop any run (joining its threads, killing its processes) before the
    // terminal is restored, so nothing outlives the app.
    app.pane = None;
    app.save_progress();
    let unsaved = app.saver.take().and_then(|s| s.finish());
    if let Some(path) = &cache {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::lesson::highlight::save_cache(path);
    }
    drop(input);
    drop(guard);
    if let Some(e) = unsaved {
        eprintln!("racecourse: could not save progress: {e}");
    }
    Ok(())
}

/// The next thing the pane's run says: a trace event, the end of its
/// trace, or its outcome. Pending while there is no run.
async fn pane_event(app: &mut App) -> Msg {
    let Some(pane) = app.pane.as_mut() else {
        return std::future::pending().await;
    };
    let trace = async {
        match pane.rx.as_mut() {
            Some(rx) => rx.recv().await,
            None => std::future::pending().await,
        }
    };
    let done = async {
        match pane.run.as_mut() {
            Some(run) => run.done().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        ev = trace => ev.map_or(Msg::TraceEnded, Msg::Trace),
        outcome = done => Msg::RunDone(outcome.unwrap_or_else(|_| crate::demos::Outcome {
            result: Err("the run ended without a result".into()),
            wall_ms: 0.0,
        })),
    }
}

/// The lesson file at `path` read again, if it still exists.
fn reloaded(source: &Source, path: &std::path::Path) -> Option<Msg> {
    let Source::Dir(dir) = source else {
        return None;
    };
    let display = path
        .file_name()
        .map(|n| dir.join(n).display().to_string())
        .unwrap_or_else(|| path.display().to_string());
    path.exists().then(|| Msg::Reloaded {
        chapter: crate::course::reload_file(path, &display),
        display,
    })
}

async fn changed_file(
    watcher: &mut Option<(
        notify::RecommendedWatcher,
        tokio::sync::mpsc::UnboundedReceiver<std::path::PathBuf>,
    )>,
) -> Option<std::path::PathBuf> {
    match watcher {
        Some((_, rx)) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// The message a terminal event means, if any.
fn message_for(
    app: &App,
    guard: &term::TermGuard,
    ev: TermEvent,
    at: std::time::Instant,
) -> Option<Msg> {
    match ev {
        // An open prompt takes every key (it gives Ctrl-C back).
        TermEvent::Key(k) if app.prompt.is_some() => {
            (k.kind != crossterm::event::KeyEventKind::Release).then_some(Msg::PromptKey(k))
        }
        TermEvent::Key(k) => match keys::command_for(&k)? {
            Command::Press => Some(Msg::Press(at)),
            cmd => Some(Msg::Key(cmd)),
        },
        TermEvent::Mouse(m) => {
            let size = guard.terminal.size().ok()?;
            let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            let a = draw::areas(area, app);
            let in_pane = a.pane.is_some_and(|r| r.contains((m.column, m.row).into()));
            match m.kind {
                MouseEventKind::ScrollDown if !in_pane => Some(Msg::Command(Command::ScrollDown)),
                MouseEventKind::ScrollUp if !in_pane => Some(Msg::Command(Command::ScrollUp)),
                MouseEventKind::Down(_)
                    if in_pane && app.pane.as_ref().is_some_and(|p| p.button.is_some()) =>
                {
                    Some(Msg::Press(at))
                }
                _ => None,
            }
        }
        TermEvent::Resize(width, height) => Some(Msg::Screen { width, height }),
        _ => None,
    }
}
