//! Runs a section's example to its end in the app, headless, and reads the
//! screen back: what `render --run` prints and `check --run` checks.

use crate::course::contract::Screen;
use crate::demos::DemoRequest;
use crate::lesson::Course;
use crate::trace::Event;
use crate::ui::app::App;
use crate::ui::theme::{Theme, ThemeName};
use crate::ui::{draw, render};

/// The app after a section's run, with every event of the run.
pub struct Ran {
    pub app: App,
    pub events: Vec<Event>,
    /// Why the run failed, if it did.
    pub error: Option<String>,
}

/// Opens `section` of chapter `chapter` in an app of its own, runs
/// `request` in its pane with sleeps and latencies `speed` times faster, and
/// returns once it has ended. `None` when the section has no pane.
pub fn run_section(
    course: &Course,
    chapter: usize,
    section: usize,
    request: &DemoRequest,
    speed: u32,
) -> Option<Ran> {
    run_section_watched(course, chapter, section, request, speed, None)
}

/// A state that lasts this long (µs of the example's time: shorter in a
/// faster check) gets a frame of its own: a 60 Hz screen would show it.
const VISIBLE_US: u64 = 4_000;
/// Through a burst of events, a frame at least this often (example's time).
const FRAME_EVERY_US: u64 = 40_000;

/// As [`run_section`], and `watch` (if any) sees the app while the run goes
/// on: the frames `expect: during …` checks. A frame shows the events up to
/// some point of the trace, and which points get one is decided by the
/// trace's own times (every state that lasted [`VISIBLE_US`], and one
/// frame per [`FRAME_EVERY_US`] through bursts), so what the frames show
/// does not depend on how fast they are drawn.
pub fn run_section_watched(
    course: &Course,
    chapter: usize,
    section: usize,
    request: &DemoRequest,
    speed: u32,
    watch: Option<&mut dyn FnMut(&App)>,
) -> Option<Ran> {
    let theme = Theme::new(ThemeName::Dark, true);
    let mut app = App::new(course.clone(), theme, Default::default(), None);
    app.goto(chapter, section);
    app.notice = None;
    let pane = app.pane.as_mut()?;
    pane.request = request.clone();
    pane.scale_pct = 100 / speed.max(1);
    pane.start();
    // Nobody presses keys here: an example waiting for them ends.
    pane.control.close_keys();
    let mut events = Vec::new();
    if pane.armed() {
        // Work for the UI thread (the freeze lesson) folds its own events.
        pane.run_armed_now();
    } else if let Some(watch) = watch {
        events = watched(&mut app, watch);
    } else {
        let mut rx = pane.rx.take();
        let outcome = match pane.run.take() {
            Some(run) => run.wait(),
            None => crate::demos::Outcome::lost(crate::trace::Micros::from_us(0)),
        };
        if let Some(rx) = rx.as_mut() {
            while let Ok(ev) = rx.try_recv() {
                pane.state.apply(&ev);
                events.push(ev);
            }
        }
        pane.finish(outcome);
    }
    let pane = app.pane.as_mut()?;
    let error = pane
        .outcome
        .as_ref()
        .and_then(|o| o.result.as_ref().err().cloned());
    Some(Ran { app, events, error })
}

/// Folds the run's events one by one while it goes on, showing the app to
/// `watch` after each; returns the events once the run has ended.
fn watched(app: &mut App, watch: &mut dyn FnMut(&App)) -> Vec<Event> {
    let mut events: Vec<Event> = Vec::new();
    let Some(pane) = app.pane.as_mut() else {
        return events;
    };
    let scale = u64::from(pane.scale_pct.max(1));
    let (visible, every) = (VISIBLE_US * scale / 100, FRAME_EVERY_US * scale / 100);
    let mut rx = pane.rx.take();
    // Trace time of the latest event folded, and of the latest frame.
    let (mut last, mut drawn) = (0u64, 0u64);
    watch(app);
    let outcome = loop {
        let Some(pane) = app.pane.as_mut() else {
            return events;
        };
        let next = rx.as_mut().and_then(|rx| rx.try_recv().ok());
        if let Some(ev) = next {
            let t = ev.t_us.as_us();
            if t.saturating_sub(last) >= visible || t.saturating_sub(drawn) >= every {
                // The state before this event held from `last` to `t`.
                watch(app);
                drawn = last;
                let Some(p) = app.pane.as_mut() else {
                    return events;
                };
                p.state.apply(&ev);
            } else {
                pane.state.apply(&ev);
            }
            last = t.max(last);
            events.push(ev);
            continue;
        }
        let ended = match pane.run.as_mut().map(|r| r.done().try_recv()) {
            Some(Err(tokio::sync::oneshot::error::TryRecvError::Empty)) => None,
            Some(Ok(outcome)) => Some(outcome),
            _ => Some(crate::demos::Outcome::lost(crate::trace::Micros::from_us(
                0,
            ))),
        };
        match ended {
            Some(outcome) => break outcome,
            None => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
    };
    // Events sent just before the end, and the last state of the run
    // while it still counts as going on.
    while let Some(ev) = rx.as_mut().and_then(|rx| rx.try_recv().ok()) {
        let Some(pane) = app.pane.as_mut() else {
            break;
        };
        pane.state.apply(&ev);
        events.push(ev);
    }
    watch(app);
    if let Some(pane) = app.pane.as_mut() {
        // Dropping the handle joins its thread.
        drop(pane.run.take());
        if let Some(rx) = rx.as_mut() {
            while let Ok(ev) = rx.try_recv() {
                pane.state.apply(&ev);
                events.push(ev);
            }
        }
        pane.finish(outcome);
    }
    events
}

/// The pane alone as drawn on a `width`×`height` screen, drawing nothing
/// else: the cheap frame `expect: during …` samples.
pub fn pane_only(app: &App, width: u16, height: u16) -> anyhow::Result<Screen> {
    Ok(Screen {
        width,
        height,
        pane: render::pane_only_text(app, width, height)?,
    })
}

/// The whole screen at `width`×`height`, one line per row.
pub fn screen(app: &App, width: u16, height: u16) -> anyhow::Result<String> {
    let buf = render::render_buffer(app, width, height)?;
    Ok(render::buffer_text(&buf).trim_end_matches('\n').to_string())
}

/// The pane alone as drawn on a `width`×`height` screen (its frame and
/// title included); empty when the screen has no room for it.
pub fn pane(app: &App, width: u16, height: u16) -> anyhow::Result<Screen> {
    let buf = render::render_buffer(app, width, height)?;
    let text = draw::areas(buf.area, app)
        .pane
        .map(|area| render::area_text(&buf, area))
        .unwrap_or_default();
    Ok(Screen {
        width,
        height,
        pane: text,
    })
}
