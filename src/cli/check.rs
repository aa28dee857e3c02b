//! `racecourse check [--run] [DIR]`: every chapter's problems, and with
//! `--run` the contract of every live section (its `expect:` lines).

use std::time::Instant;

use std::path::Path;

use crate::course;
use crate::course::contract::{self, Screen};
use crate::lesson::{Course, Problem};

use super::live;

/// What `check --run` found and did.
pub struct Report {
    pub problems: Vec<Problem>,
    /// Live sections run, and statements checked.
    pub sections: usize,
    pub statements: usize,
}

/// How `check --run` runs.
pub struct RunOptions<'a> {
    /// Only these chapters (ids); all when empty.
    pub only: &'a [String],
    /// Write each drawn pane here, one file per section and size.
    pub panes: Option<&'a Path>,
}

/// Runs every live section of `course` and checks its statements;
/// `progress` hears one line per section.
pub fn run_all(course: &Course, opts: &RunOptions, progress: &mut dyn FnMut(&str)) -> Report {
    let mut report = Report {
        problems: Vec::new(),
        sections: 0,
        statements: 0,
    };
    for (ci, chapter) in course.chapters.iter().enumerate() {
        if !chapter.is_ok() || !(opts.only.is_empty() || opts.only.contains(&chapter.id)) {
            continue;
        }
        for (si, section) in chapter.sections.iter().enumerate() {
            let Some(demo) = course::demo(section) else {
                continue;
            };
            let start = Instant::now();
            let (found, screens) = check_section(course, ci, si, &demo, &chapter.path);
            if let Some(dir) = opts.panes {
                for sc in &screens {
                    let name = format!(
                        "{}-{}-{}x{}.txt",
                        chapter.id, demo.line, sc.width, sc.height
                    );
                    if let Err(e) = std::fs::write(dir.join(&name), &sc.pane) {
                        progress(&format!("cannot write {}: {e}", dir.join(name).display()));
                    }
                }
            }
            report.sections += 1;
            report.statements += demo.expects.len();
            progress(&format!(
                "{}:{}: {} ({} statement(s), {:.1} s){}",
                chapter.path,
                demo.line,
                demo.check_request,
                demo.expects.len(),
                start.elapsed().as_secs_f64(),
                if found.is_empty() { "" } else { ": FAILED" }
            ));
            report.problems.extend(found);
        }
    }
    report
}

/// Runs one section and checks its statements; returns the problems and
/// the panes as drawn.
fn check_section(
    course: &Course,
    ci: usize,
    si: usize,
    demo: &course::Demo,
    path: &str,
) -> (Vec<Problem>, Vec<Screen>) {
    let at_directive = |message: String| Problem::new(path, demo.line, 1, message);
    let mut during = contract::During::new(&demo.expects);
    let sizes = during.sizes();
    let watching = !during.is_empty();
    let mut draw_errors = Vec::new();
    let mut frame = |app: &crate::ui::app::App| {
        for &(w, h) in &sizes {
            match live::pane_only(app, w, h) {
                Ok(sc) => during.observe(&sc),
                Err(e) => draw_errors.push(format!("cannot draw the pane at {w}×{h}: {e:#}")),
            }
        }
    };
    let watch: Option<&mut dyn FnMut(&crate::ui::app::App)> = watching.then_some(&mut frame);
    let ran = live::run_section_watched(course, ci, si, &demo.check_request, demo.speed(), watch);
    let Some(ran) = ran else {
        return (
            vec![at_directive("the section has no pane to run".into())],
            Vec::new(),
        );
    };
    let mut problems = Vec::new();
    let states_something = demo.expects.iter().any(|s| !s.expect.is_setting());
    if let Some(e) = &ran.error
        && !states_something
    {
        // A section that states what its pane shows may end in an error on
        // purpose (the capped freeze); its statements say so.
        problems.push(at_directive(format!("the example's run failed: {e}")));
    }
    let mut screens = Vec::new();
    for (w, h) in contract::sizes(&demo.expects) {
        match live::pane(&ran.app, w, h) {
            Ok(s) => screens.push(s),
            Err(e) => problems.push(at_directive(format!(
                "cannot draw the pane at {w}×{h}: {e:#}"
            ))),
        }
    }
    let empty = crate::trace::RunState::new();
    let state = ran.app.pane.as_ref().map_or(&empty, |p| &p.state);
    let seen = contract::Observed {
        screens: &screens,
        state,
        events: &ran.events,
    };
    for s in &demo.expects {
        for why in contract::failures(s, &seen) {
            problems.push(Problem::new(path, s.at.line, s.at.col, why));
        }
    }
    draw_errors.dedup();
    problems.extend(draw_errors.into_iter().map(at_directive));
    for (s, why) in during.failures() {
        problems.push(Problem::new(path, s.at.line, s.at.col, why));
    }
    (problems, screens)
}
