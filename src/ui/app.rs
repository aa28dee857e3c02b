//! The app's state and the one place it changes: [`App::update`].

use std::time::Instant;

use crate::demos::{Outcome, PaneKind};
use crate::lesson::{Chapter, Course};
use crate::progress::{Progress, Saver, Store};
use crate::trace::Event;
use crate::ui::clock::Now;
use crate::ui::keys::Command;
use crate::ui::pane::Pane;
use crate::ui::prompt::{self, Prompt};
use crate::ui::theme::Theme;
use crate::ui::toc::Toc;

/// Everything that changes the app, folded by [`App::update`].
pub enum Msg {
    /// A command, as tests and the mouse give it.
    Command(Command),
    /// A key typed into the open value prompt.
    PromptKey(crossterm::event::KeyEvent),
    /// A key's command: the status bar's notice goes first.
    Key(Command),
    /// A press of the pane's button (key or click) that arrived at an instant.
    Press(Instant),
    /// An event of the run's trace arrived (the rest waiting come with it).
    Trace(Event),
    /// The run's trace ended: every sender is gone.
    TraceEnded,
    /// The run ended with this outcome.
    RunDone(Outcome),
    /// Time moves on: the next frame shows the app as of this moment.
    Tick(Now),
    /// A frame is on screen at this instant.
    FrameShown(Instant),
    /// The terminal has this many rows.
    Resize { height: u16 },
    /// The terminal has this size (columns, rows).
    Screen { width: u16, height: u16 },
    /// A lesson file changed on disk and was read again.
    Reloaded { chapter: Chapter, display: String },
}

impl From<Command> for Msg {
    fn from(cmd: Command) -> Msg {
        Msg::Command(cmd)
    }
}

/// Which overlay covers the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// The keys, scrolled this many lines.
    Help(u16),
    /// The contents: chapters, and the sections of one.
    Toc(Toc),
}

/// Which half receives scroll keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Lesson,
    Pane,
}

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub warning: bool,
}

/// Everything the screen shows.
pub struct App {
    pub course: Course,
    pub chapter: usize,
    pub section: usize,
    pub scroll: usize,
    /// Height of the lesson viewport, for page scrolling (set on resize).
    pub page: u16,
    /// The terminal's columns and rows (set on resize), for overlays that
    /// scroll.
    pub screen: (u16, u16),
    pub overlay: Overlay,
    pub focus: Focus,
    pub full_pane: bool,
    pub code_tab: usize,
    pub theme: Theme,
    pub progress: Progress,
    /// Saves progress on its own thread (none for `render` and tests).
    pub saver: Option<Saver>,
    pub notice: Option<Notice>,
    pub pane: Option<Pane>,
    /// The value prompt, while it is open (`:`).
    pub prompt: Option<Prompt>,
    /// Past runs of the chapter's examples, for the panes to come.
    pub kept: crate::ui::pane::Kept,
    pub quit: bool,
    /// Drawing for a real terminal: code is highlighted in the background
    /// and shown plain until ready. Off for `render` and tests.
    pub live: bool,
    /// Code of the current section is being highlighted in the background.
    pub highlight_pending: bool,
    /// Bumped when chapters are replaced, so that layouts are redone.
    pub content_gen: u64,
    /// The section on screen, laid out (see `lesson::cache`).
    pub layout_cache: crate::ui::lesson::cache::LayoutCache,
}

impl App {
    /// The app on the learner's last place (or the first chapter).
    pub fn new(course: Course, theme: Theme, progress: Progress, store: Option<Store>) -> App {
        let mut app = App {
            course,
            chapter: 0,
            section: 0,
            scroll: 0,
            page: 20,
            screen: (100, 30),
            overlay: Overlay::None,
            focus: Focus::Lesson,
            full_pane: false,
            code_tab: 0,
            theme,
            progress,
            saver: store.map(Saver::start),
            notice: None,
            pane: None,
            prompt: None,
            kept: Default::default(),
            quit: false,
            live: false,
            highlight_pending: false,
            content_gen: 0,
            layout_cache: Default::default(),
        };
        if let Some((id, section)) = app.progress.last.clone()
            && let Some(c) = app.course.position(&id)
        {
            app.chapter = c;
            app.section = section.min(app.sections().saturating_sub(1));
        }
        app.enter_section();
        app
    }

    /// The chapter on screen.
    pub fn current(&self) -> Option<&Chapter> {
        self.course.chapters.get(self.chapter)
    }

    /// Sections in the current chapter (0 for a broken one).
    pub fn sections(&self) -> usize {
        self.current()
            .filter(|c| c.is_ok())
            .map(|c| c.sections.len())
            .unwrap_or(0)
    }

    /// Opens a chapter at a section.
    pub fn goto(&mut self, chapter: usize, section: usize) {
        if chapter >= self.course.chapters.len() {
            return;
        }
        self.chapter = chapter;
        self.section = section.min(self.sections().saturating_sub(1));
        self.scroll = 0;
        self.enter_section();
    }

    /// Applies one message; returns whether the screen must be redrawn.
    pub fn update(&mut self, msg: impl Into<Msg>) -> bool {
        match msg.into() {
            Msg::Command(cmd) => self.command(cmd),
            Msg::Key(cmd) => {
                self.notice = None;
                self.command(cmd);
            }
            Msg::PromptKey(key) => self.prompt_key(&key),
            Msg::Press(at) => self.press_button(at),
            Msg::Trace(ev) => {
                if let Some(p) = self.pane.as_mut() {
                    p.state.apply(&ev);
                    p.drain();
                }
            }
            Msg::TraceEnded => {
                if let Some(p) = self.pane.as_mut() {
                    p.rx = None;
                }
                return false;
            }
            Msg::RunDone(outcome) => {
                if let Some(p) = self.pane.as_mut() {
                    let err = outcome.result.as_ref().err().cloned();
                    p.finish(outcome);
                    // The wall time without pauses, as the pane shows it.
                    let ended = match err {
                        None => format!("done in {:.2} s: Enter runs it again", p.elapsed_s()),
                        Some(e) => format!("ended: {e}"),
                    };
                    if let Some(run) = p.history.last().and_then(crate::ui::pane::PastRun::kept) {
                        self.progress.record_run(run);
                        self.save_progress();
                    }
                    // "running …" is no longer true.
                    if self
                        .notice
                        .as_ref()
                        .is_some_and(|n| n.text.starts_with("running "))
                    {
                        self.notice(&ended);
                    }
                }
            }
            Msg::Tick(now) => return self.tick(now),
            Msg::FrameShown(at) => return self.frame_shown(at),
            Msg::Resize { height } => self.page = height.saturating_sub(4),
            Msg::Screen { width, height } => {
                self.page = height.saturating_sub(4);
                self.screen = (width, height);
            }
            Msg::Reloaded { chapter, display } => {
                let problems = chapter.problems.len();
                self.replace_chapter(chapter);
                if problems > 0 {
                    self.warn(&format!("{display}: {problems} problem(s)"));
                } else {
                    self.notice(&format!("reloaded {display}"));
                }
            }
        }
        true
    }

    /// Whether frames must keep coming without any message: code being
    /// highlighted, a run going on (not a paused one), a button's moment.
    pub fn animating(&self) -> bool {
        self.highlight_pending
            || self.layout_cache.pending()
            || self.pane.as_ref().is_some_and(Pane::animating)
    }

    /// Time moves on; returns whether anything on screen changed with it.
    fn tick(&mut self, now: Now) -> bool {
        let mut changed = false;
        if self.highlight_pending && self.highlight_ready() {
            self.highlight_pending = false;
            changed = true;
        }
        // A section still being laid out fills in frame by frame.
        changed |= self.layout_cache.pending();
        if let Some(p) = self.pane.as_mut() {
            changed |= p.animating();
            p.tick(now);
        }
        changed
    }

    /// A frame is on screen: clicks it shows get their latency, and work
    /// armed for the UI thread runs now that its warning is visible (on
    /// purpose, and bounded: the lesson is the frozen screen).
    fn frame_shown(&mut self, at: Instant) -> bool {
        let Some(p) = self.pane.as_mut() else {
            return false;
        };
        if let Some(b) = p.button.as_mut() {
            b.frame_shown(at);
        }
        if p.armed() {
            p.run_armed_now();
            return true;
        }
        false
    }

    /// Applies one command.
    fn command(&mut self, cmd: Command) {
        if let Overlay::Toc(toc) = self.overlay
            && self.toc_key(cmd, toc)
        {
            return;
        }
        if let Overlay::Help(top) = self.overlay
            && !matches!(cmd, Command::Quit | Command::Help)
        {
            // Arrows and pages scroll the keys; any other key closes them.
            let page = i32::from(self.screen.1.saturating_sub(6).max(1));
            let by = match cmd {
                Command::ScrollDown => 1,
                Command::ScrollUp => -1,
                Command::PageDown | Command::Next => page,
                Command::PageUp | Command::Prev => -page,
                _ => 0,
            };
            if by != 0 {
                let max = crate::ui::overlays::help_max_scroll(&self.theme, self.screen);
                let top = (i32::from(top) + by).clamp(0, i32::from(max));
                self.overlay = Overlay::Help(top as u16);
                return;
            }
            self.overlay = Overlay::None;
            if cmd == Command::Close {
                return;
            }
        }
        match cmd {
            Command::Quit => self.quit = true,
            Command::Help => {
                self.overlay = if matches!(self.overlay, Overlay::Help(_)) {
                    Overlay::None
                } else {
                    Overlay::Help(0)
                }
            }
            Command::Toc => {
                let section = if self.sections() > 0 {
                    Some(self.section)
                } else {
                    None
                };
                self.overlay = Overlay::Toc(Toc {
                    section,
                    ..Toc::at(self.chapter, self.section)
                });
            }
            Command::Close => {
                self.overlay = Overlay::None;
                self.full_pane = false;
            }
            Command::Next => self.step(1),
            Command::Prev => self.step(-1),
            Command::ScrollDown => self.scroll_or_lane(1),
            Command::ScrollUp => self.scroll_or_lane(-1),
            Command::PageDown => self.scroll_by(i64::from(self.page.max(2) - 1)),
            Command::PageUp => self.scroll_by(-i64::from(self.page.max(2) - 1)),
            Command::CodeTab => self.code_tab = self.code_tab.wrapping_add(1),
            Command::Focus => {
                self.focus = match self.focus {
                    Focus::Lesson if self.pane.is_some() => Focus::Pane,
                    _ => Focus::Lesson,
                }
            }
            Command::FullPane => {
                if self.pane.is_some() {
                    self.full_pane = !self.full_pane;
                }
            }
            Command::Prompt => match &self.pane {
                Some(p) if prompt::offered(&p.request).is_empty() => {
                    self.notice("this example has no options to set")
                }
                Some(p) => self.prompt = Some(Prompt::open(&p.request)),
                None => self.notice("this section has no live example"),
            },
            _ => self.pane_command(cmd),
        }
    }

    /// A key while the contents are open: arrows move, → lists a
    /// chapter's sections, ← folds them, Enter opens the chapter or section.
    fn toc_key(&mut self, cmd: Command, mut toc: Toc) -> bool {
        match cmd {
            Command::ScrollDown => toc.step(&self.course, 1),
            Command::ScrollUp => toc.step(&self.course, -1),
            Command::PageDown => toc.step(&self.course, 10),
            Command::PageUp => toc.step(&self.course, -10),
            Command::Next => toc.expand(&self.course),
            Command::Prev => toc.collapse(),
            Command::Run => {
                self.overlay = Overlay::None;
                let section = toc.section.unwrap_or_else(|| {
                    self.course
                        .chapters
                        .get(toc.chapter)
                        .and_then(|c| self.progress.last.as_ref().filter(|(id, _)| *id == c.id))
                        .map(|(_, s)| *s)
                        .unwrap_or(0)
                });
                self.goto(toc.chapter, section);
                return true;
            }
            Command::Toc | Command::Close => {
                self.overlay = Overlay::None;
                return true;
            }
            Command::Quit => return false,
            _ => return true,
        }
        self.overlay = Overlay::Toc(toc);
        true
    }

    fn step(&mut self, delta: i64) {
        let n = self.sections() as i64;
        let s = self.section as i64 + delta;
        if s >= 0 && s < n {
            self.section = s as usize;
        } else if s >= n && self.chapter + 1 < self.course.chapters.len() {
            self.chapter += 1;
            self.section = 0;
        } else if s < 0 && self.chapter > 0 {
            self.chapter -= 1;
            self.section = self.sections().saturating_sub(1);
        } else {
            return;
        }
        self.scroll = 0;
        self.enter_section();
    }

    fn scroll_or_lane(&mut self, delta: i32) {
        if self.focus == Focus::Pane
            && let Some(p) = self.pane.as_mut()
        {
            let n = p.lane_ids().len();
            p.selected_lane = if delta > 0 {
                (p.selected_lane + 1).min(n.saturating_sub(1))
            } else {
                p.selected_lane.saturating_sub(1)
            };
            return;
        }
        self.scroll_by(i64::from(delta));
    }

    /// Moves the lesson text by `delta` lines, no further than its end once
    /// the section is laid out (so a key back up answers at once).
    fn scroll_by(&mut self, delta: i64) {
        let by = usize::try_from(delta.unsigned_abs()).unwrap_or(usize::MAX);
        self.scroll = if delta > 0 {
            self.scroll.saturating_add(by)
        } else {
            self.scroll.saturating_sub(by)
        };
        if let Some(max) = self.layout_cache.max_scroll() {
            self.scroll = self.scroll.min(max);
        }
    }

    fn pane_command(&mut self, cmd: Command) {
        let Some(pane) = self.pane.as_mut() else {
            if matches!(cmd, Command::Run | Command::Mode(_)) {
                self.notice("this section has no live example");
            }
            return;
        };
        let note = match cmd {
            Command::Run => {
                pane.start();
                if pane.armed() {
                    format!(
                        "blocking: the screen freezes for up to {} s now; press b meanwhile",
                        crate::ui::button::FREEZE_LIMIT.as_secs()
                    )
                } else {
                    format!("running {}", pane.request)
                }
            }
            Command::Mode(n) if pane.request.pane() == PaneKind::Scheduler => {
                crate::ui::gate::step(pane, n)
            }
            Command::Mode(n) => match pane.set_mode(n) {
                Some(m) => format!("mode {m}: Enter to run"),
                None => format!("no mode {n} here"),
            },
            Command::Turn(key) if unused_knob(&pane.request, key).is_some() => format!(
                "{key} turns {}, which mode {} does not use",
                unused_knob(&pane.request, key).map_or("", |o| o.name),
                pane.request.mode()
            ),
            Command::Turn(key) => match pane.turn(key) {
                Some((name, v)) if pane.run.is_some() => format!("{name} {v}"),
                Some((name, v)) => format!("{name} {v}: Enter to rerun"),
                None => format!("{key}: nothing to turn in this example"),
            },
            Command::Pause => {
                if pane.run.is_none() {
                    return;
                }
                let paused = !pane.control.is_paused();
                pane.control.set_paused(paused);
                if paused {
                    "paused".into()
                } else {
                    "resumed".into()
                }
            }
            Command::Slower | Command::Faster => {
                let s = pane.scale_pct;
                pane.scale_pct = if cmd == Command::Slower {
                    (s * 2).min(1600)
                } else {
                    (s / 2).max(25)
                };
                pane.control.set_scale_pct(pane.scale_pct);
                format!(
                    "time ×{:.2} (sleeps and latencies)",
                    100.0 / pane.scale_pct as f64
                )
            }
            Command::InterruptAll => {
                if pane.run.is_none() {
                    return;
                }
                pane.control.learner_interrupt_all();
                "every lane stopped; queued work cancelled".into()
            }
            Command::KeyboardInterrupt => {
                if pane.run.is_none() {
                    return;
                }
                pane.control.keyboard_interrupt();
                if pane.control.all_interrupted() {
                    "KeyboardInterrupt: everything stops (as CPython here)".into()
                } else {
                    "KeyboardInterrupt in the main thread: the workers finish the queue (X stops them)"
                        .into()
                }
            }
            Command::InterruptLane => match (pane.run.is_some(), pane.selected()) {
                (true, Some(lane)) => {
                    pane.control.learner_interrupt_lane(lane);
                    // The lane as drawn: its name, or a task's label (a
                    // task's lane is named after nothing else).
                    let s = &pane.state;
                    let l = s.lanes.get(&lane);
                    let task = l.and_then(|l| l.unit).and_then(|u| s.unit(u));
                    let name = match (l, task) {
                        (Some(l), Some(t)) if l.name == format!("lane {lane}") => t.label.clone(),
                        (Some(l), _) => l.name.clone(),
                        _ => format!("lane {lane}"),
                    };
                    format!("interrupt sent to {name}")
                }
                _ => return,
            },
            Command::Reset => {
                // The settings go back to the lesson's; the runs stay, so
                // the chart still compares them (a run stopped here is
                // kept, marked stopped).
                pane.stop();
                let history = std::mem::take(&mut pane.history);
                *pane = Pane::new(pane.lesson_request.clone());
                pane.history = history;
                "pane reset to the lesson's settings; past runs kept".into()
            }
            Command::Press => return,
            _ => return,
        };
        self.notice(&note);
    }

    /// A key typed into the value prompt: Enter sets the option (the next
    /// run uses it; a live one changes the running work at once).
    fn prompt_key(&mut self, key: &crossterm::event::KeyEvent) {
        use crossterm::event::{KeyCode, KeyModifiers};
        let (Some(prompt), Some(pane)) = (self.prompt.as_mut(), self.pane.as_mut()) else {
            self.prompt = None;
            return;
        };
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            // Ctrl-C is never swallowed: it closes the prompt and interrupts.
            self.prompt = None;
            return self.command(Command::KeyboardInterrupt);
        }
        match prompt.key(key, &pane.request) {
            prompt::Action::Edit => {}
            prompt::Action::Cancel => {
                self.prompt = None;
                self.notice("nothing changed");
            }
            prompt::Action::Apply { name, value } => {
                self.prompt = None;
                let live = pane.request.knob(name).is_some_and(|o| o.live);
                if let Err(e) = pane.request.set(name, &value) {
                    return self.warn(&e.to_string());
                }
                let note = if pane.run.is_none() {
                    format!("{name} {value}: Enter to run")
                } else if live {
                    format!("{name} {value}: the running example follows")
                } else {
                    format!("{name} {value}: the next run uses it (Enter reruns)")
                };
                self.notice(&note);
            }
        }
    }

    /// A button press (key or click) that arrived at `at`.
    fn press_button(&mut self, at: Instant) {
        let Some(pane) = self.pane.as_mut() else {
            return self.notice("no button here: it lives in the latency chapter");
        };
        match pane.button.as_mut() {
            Some(b) => b.press(at),
            // Examples that step by key (next(), a poll, an acknowledgement)
            // count presses through their control.
            None if pane.run.is_some() => pane.control.press(),
            None => self.notice("b reaches a running example: Enter runs it first"),
        }
    }

    /// Shows a line in the status bar.
    pub fn notice(&mut self, text: &str) {
        self.notice = Some(Notice {
            text: text.to_string(),
            warning: false,
        });
    }

    /// Shows a warning in the status bar.
    pub fn warn(&mut self, text: &str) {
        self.notice = Some(Notice {
            text: text.to_string(),
            warning: true,
        });
    }

    /// The code blocks of the section on screen, as (code, language).
    /// The section's code blocks small enough to highlight (see
    /// [`crate::lesson::highlight::worth`]), with their languages.
    fn section_code(&self) -> Vec<(&str, &str)> {
        fn walk<'a>(blocks: &'a [crate::lesson::Block], out: &mut Vec<(&'a str, &'a str)>) {
            for b in blocks {
                match b {
                    crate::lesson::Block::Code(tabs) => out.extend(
                        tabs.iter()
                            .filter(|t| crate::lesson::highlight::worth(&t.code))
                            .map(|t| (t.code.as_str(), t.lang.as_str())),
                    ),
                    crate::lesson::Block::Quote(inner) => walk(inner, out),
                    crate::lesson::Block::List { items, .. } => {
                        items.iter().for_each(|i| walk(i, out))
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        if let Some(s) = self.current().and_then(|c| c.sections.get(self.section)) {
            walk(&s.blocks, &mut out);
        }
        out
    }

    /// Starts highlighting the section's code in the background if the
    /// cache does not have it yet.
    pub fn prefetch_highlight(&mut self) {
        if !self.live {
            return;
        }
        let theme = self.theme.code_theme();
        let missing: Vec<_> = self
            .section_code()
            .into_iter()
            .filter(|(code, lang)| !crate::lesson::highlight::is_cached(code, lang, theme))
            .map(|(code, lang)| (code.to_string(), lang.to_string()))
            .collect();
        self.highlight_pending = !missing.is_empty();
        if self.highlight_pending {
            crate::lesson::highlight::prefetch(missing, theme);
        }
    }

    /// Highlights the section's code on the calling thread, for a still
    /// render (`racecourse render`, tests) that shows colours in its only
    /// frame; drawing itself only reads the highlighter's cache.
    pub fn highlight_now(&self) {
        let theme = self.theme.code_theme();
        for (code, lang) in self.section_code() {
            crate::lesson::highlight::highlight(code, lang, theme);
        }
    }

    /// Whether the background highlighter has finished the section's code.
    pub fn highlight_ready(&self) -> bool {
        let theme = self.theme.code_theme();
        self.section_code()
            .iter()
            .all(|(code, lang)| crate::lesson::highlight::is_cached(code, lang, theme))
    }

    /// Sets up the pane for the section on screen and records progress.
    fn enter_section(&mut self) {
        self.prefetch_highlight();
        self.prompt = None;
        let (id, demo) = match self.current() {
            Some(c) => (
                c.id.clone(),
                c.sections.get(self.section).and_then(crate::course::demo),
            ),
            None => return,
        };
        let same = match (&self.pane, &demo) {
            (Some(p), Some(d)) => p.lesson_request.to_string() == d.request.to_string(),
            _ => false,
        };
        if !same {
            let stopped = self.pane.take().and_then(|p| self.kept.keep(p));
            self.pane = demo.map(|d| self.kept.pane(&id, d.request));
            if let Some(note) = stopped {
                self.notice(&note);
            }
            self.full_pane = false;
            if self.pane.is_none() {
                self.focus = crate::ui::app::Focus::Lesson;
            }
        }
        if self.current().is_some_and(|c| c.is_ok()) {
            self.progress.visit(&id, self.section);
            self.save_progress();
        }
    }

    /// Saves progress; a failure is a warning, never fatal.
    pub fn save_progress(&mut self) {
        if let Some(saver) = &self.saver {
            saver.submit(self.progress.clone());
            // The error of the save before: this one has not happened yet.
            if let Some(e) = saver.last_error() {
                self.warn(&format!("could not save progress: {e}"));
            }
        }
    }

    /// Replaces a chapter after its file changed, keeping the reader's place.
    pub fn replace_chapter(&mut self, chapter: Chapter) {
        self.content_gen += 1;
        let id = self.current().map(|c| c.id.clone());
        let pos = self
            .course
            .chapters
            .iter()
            .position(|c| c.path == chapter.path);
        match pos {
            Some(i) => self.course.chapters[i] = chapter,
            None => self.course.chapters.push(chapter),
        }
        self.course
            .chapters
            .sort_by(|a, b| (a.order, &a.id).cmp(&(b.order, &b.id)));
        if let Some(i) = id.and_then(|id| self.course.position(&id)) {
            self.chapter = i;
        }
        self.chapter = self
            .chapter
            .min(self.course.chapters.len().saturating_sub(1));
        // A chapter that stopped parsing keeps the reader's section for when
        // it is fixed.
        if self.current().is_some_and(Chapter::is_ok) {
            self.section = self.section.min(self.sections().saturating_sub(1));
        }
        self.enter_section();
    }
}

/// The option key `key` turns, if the request's mode does not use it.
fn unused_knob(
    request: &crate::demos::DemoRequest,
    key: char,
) -> Option<&'static crate::demos::OptSpec> {
    request.example.knobs().iter().find(|o| {
        o.keys.is_some_and(|k| k.up == key || k.down == key) && !o.applies_to(request.mode())
    })
}

#[cfg(test)]
mod tests;
