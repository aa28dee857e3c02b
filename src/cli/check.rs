//! `racecourse check [--run] [DIR]`: every chapter's problems, and with
//! `--run` the contract of every live section (its `expect:` lines).

use std::time::Instant;

use crate::course::{self, contract};
use crate::lesson::{Course, Problem};

use super::live;

/// What `check --run` found and did.
pub struct Report {
    pub problems: Vec<Problem>,
    /// Live sections run, and statements checked.
    pub sections: usize,
    pub statements: usize,
}

/// Runs every live section of `course` (of chapter `only`, when given) and
/// checks its statements; `progress` hears one line per section.
pub fn run_all(course: &Course, only: Option<&str>, progress: &mut dyn FnMut(&str)) -> Report {
    let mut report = Report {
        problems: Vec::new(),
        sections: 0,
        statements: 0,
    };
    for (ci, chapter) in course.chapters.iter().enumerate() {
        if !chapter.is_ok() || only.is_some_and(|id| id != chapter.id) {
            continue;
        }
        for (si, section) in chapter.sections.iter().enumerate() {
            let Some(demo) = course::demo(section) else {
                continue;
            };
            let start = Instant::now();
            let found = check_section(course, ci, si, &demo, &chapter.path);
            report.sections += 1;
            report.statements += demo.expects.len();
            progress(&format!(
                "{}:{}: {} ({} statement(s), {:.1} s){}",
                chapter.path,
                demo.line,
                demo.request,
                demo.expects.len(),
                start.elapsed().as_secs_f64(),
                if found.is_empty() { "" } else { ": FAILED" }
            ));
            report.problems.extend(found);
        }
    }
    report
}

/// Runs one section and checks its statements.
fn check_section(
    course: &Course,
    ci: usize,
    si: usize,
    demo: &course::Demo,
    path: &str,
) -> Vec<Problem> {
    let at_directive = |message: String| Problem::new(path, demo.line, 1, message);
    let Some(ran) = live::run_section(course, ci, si, demo.speed()) else {
        return vec![at_directive("the section has no pane to run".into())];
    };
    let mut problems = Vec::new();
    if let Some(e) = &ran.error {
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
    problems
}
