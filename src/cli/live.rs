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
    let error = pane
        .outcome
        .as_ref()
        .and_then(|o| o.result.as_ref().err().cloned());
    Some(Ran { app, events, error })
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
