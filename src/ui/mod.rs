//! The terminal UI: the only part of racecourse that knows about ratatui.

pub mod app;
pub mod button;
pub mod draw;
mod input;
pub mod keys;
pub mod lesson;
mod overlays;
pub mod pane;
pub mod panes;
pub mod render;
pub mod term;
pub mod theme;
pub mod widgets;

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::Context;
use crossterm::event::{Event as TermEvent, MouseEventKind};
use tokio::signal::unix::{SignalKind, signal};

use crate::lesson::Source;
use crate::progress::Store;
use app::App;
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
    let progress = match &store {
        Some(s) => {
            if opts.reset_progress {
                s.reset()?;
            }
            let loaded = s.load();
            warning = loaded.warning;
            loaded.progress
        }
        None => Default::default(),
    };
    let mut app = App::new(course, theme, progress, store);
    if let Some(id) = &opts.chapter {
        match app.course.position(id) {
            Some(i) => app.goto(i, opts.section.unwrap_or(1).saturating_sub(1)),
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
    let mut sigterm = signal(SignalKind::terminate()).context("installing SIGTERM handler")?;
    let mut sighup = signal(SignalKind::hangup()).context("installing SIGHUP handler")?;
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
    let mut dirty = true;
    loop {
        if dirty {
            if let Some(p) = app.pane.as_mut() {
                p.drain();
            }
            let size = guard.terminal.size()?;
            app.page = size.height.saturating_sub(4);
            guard.terminal.draw(|f| draw::draw(f, &app))?;
            app.frame_shown(std::time::Instant::now());
            dirty = false;
            if app.pane.as_ref().is_some_and(|p| p.armed()) {
                // On purpose, and bounded: the lesson is the frozen screen.
                if let Some(p) = app.pane.as_mut() {
                    p.run_armed_now();
                }
                dirty = true;
                continue;
            }
        }
        if app.quit {
            break;
        }
        let animating = app.highlight_pending || app.pane.as_ref().is_some_and(|p| p.animating());
        tokio::select! {
            ev = input.rx.recv() => match ev {
                Some(Ok((at, ev))) => {
                    if test_panic && matches!(&ev, TermEvent::Key(k) if k.code == crossterm::event::KeyCode::Char('!')) {
                        panic!("injected panic (RACECOURSE_TEST_PANIC)");
                    }
                    dirty |= handle_event(&mut app, &guard, ev, at);
                }
                Some(Err(e)) => return Err(e).context("reading the terminal"),
                None => break,
            },
            outcome = pane_done(&mut app) => {
                if let Some(p) = app.pane.as_mut() {
                    p.finish(outcome);
                }
                dirty = true;
            }
            _ = frame_tick.tick(), if animating => {
                if app.highlight_pending && app.highlight_ready() {
                    app.highlight_pending = false;
                }
                dirty = true;
            }
            Some(path) = changed_file(&mut watcher) => {
                if let Source::Dir(dir) = &opts.source {
                    let display = path
                        .file_name()
                        .map(|n| dir.join(n).display().to_string())
                        .unwrap_or_else(|| path.display().to_string());
                    if path.exists() {
                        let chapter = crate::course::reload_file(&path, &display);
                        let problems = chapter.problems.len();
                        app.replace_chapter(chapter);
                        if problems > 0 {
                            app.warn(&format!("{display}: {problems} problem(s)"));
                        } else {
                            app.notice(&format!("reloaded {display}"));
                        }
                        dirty = true;
                    }
                }
            }
            _ = sigterm.recv() => app.quit = true,
            _ = sighup.recv() => app.quit = true,
        }
    }
    // Stop any run (joining its threads, killing its processes) before the
    // terminal is restored, so nothing outlives the app.
    app.pane = None;
    app.save_progress();
    if let Some(path) = &cache {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::lesson::highlight::save_cache(path);
    }
    drop(input);
    drop(guard);
    Ok(())
}

async fn pane_done(app: &mut App) -> crate::demos::Outcome {
    match app.pane.as_mut().and_then(|p| p.run.as_mut()) {
        Some(run) => match run.done().await {
            Ok(o) => o,
            Err(_) => crate::demos::Outcome {
                result: Err("the run ended without a result".into()),
                wall_ms: 0.0,
            },
        },
        None => std::future::pending().await,
    }
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

/// Applies a terminal event; returns whether the screen must be redrawn.
fn handle_event(
    app: &mut App,
    guard: &term::TermGuard,
    ev: TermEvent,
    at: std::time::Instant,
) -> bool {
    match ev {
        TermEvent::Key(k) => {
            match keys::command_for(&k) {
                Some(Command::Press) => app.press_button(at),
                Some(cmd) => {
                    app.notice = None;
                    app.update(cmd);
                }
                None => {}
            }
            true
        }
        TermEvent::Mouse(m) => {
            let Ok(size) = guard.terminal.size() else {
                return false;
            };
            let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            let a = draw::areas(area, app);
            let in_pane = a.pane.is_some_and(|r| r.contains((m.column, m.row).into()));
            match m.kind {
                MouseEventKind::ScrollDown if !in_pane => app.update(Command::ScrollDown),
                MouseEventKind::ScrollUp if !in_pane => app.update(Command::ScrollUp),
                MouseEventKind::Down(_)
                    if in_pane && app.pane.as_ref().is_some_and(|p| p.button.is_some()) =>
                {
                    app.press_button(at)
                }
                _ => return false,
            }
            true
        }
        TermEvent::Resize(..) => true,
        _ => false,
    }
}
