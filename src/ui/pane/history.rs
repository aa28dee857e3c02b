//! Past runs kept across a chapter's sections: each example's runs stay
//! with the app while the learner moves around the chapter, so the chart a
//! lesson builds over several sections fills up as it promises. A pane
//! gets the runs of its own setting (options other than mode and workers).

use std::collections::HashMap;

use super::{Mark, Pane, PastRun, Phase};
use crate::demos::DemoRequest;
use crate::progress::SavedRun;

/// Runs kept per example (the charts show the latest few).
pub const PER_EXAMPLE: usize = 12;

/// The runs of the chapter on screen, per example.
#[derive(Debug, Default)]
pub struct Kept {
    chapter: String,
    runs: HashMap<&'static str, Vec<PastRun>>,
}

impl Kept {
    /// Takes back the runs of a pane that goes away; a run still going is
    /// stopped (and kept, marked stopped). Returns the notice to show then.
    pub fn keep(&mut self, mut pane: Pane) -> Option<String> {
        let going = matches!(pane.phase(), Phase::Running | Phase::Paused) && pane.run.is_some();
        pane.stop();
        let stopped = going
            && pane
                .history
                .last()
                .is_some_and(|r| r.mark == Some(Mark::Stopped));
        let name = pane.request.name();
        let mut runs = std::mem::take(&mut pane.history);
        let list = self.runs.entry(name).or_default();
        list.append(&mut runs);
        list.sort_by_key(|r| r.saved.at_ms);
        let extra = list.len().saturating_sub(PER_EXAMPLE);
        list.drain(..extra);
        stopped.then(|| {
            format!("left the section: its {name} run was stopped (marked stopped in the chart)")
        })
    }

    /// A pane for `request` in chapter `chapter`, holding the runs kept for
    /// its example in that chapter (a new chapter starts afresh).
    pub fn pane(&mut self, chapter: &str, request: DemoRequest) -> Pane {
        if self.chapter != chapter {
            self.chapter = chapter.to_string();
            self.runs.clear();
        }
        // Runs of other options (another workload, another latency) stay
        // kept but out of this pane's chart: they do not compare.
        let setting = SavedRun::of_request(&request, 0, 0, 0).setting;
        let mut pane = Pane::new(request);
        if let Some(list) = self.runs.get_mut(pane.request.name()) {
            let (same, other) = std::mem::take(list)
                .into_iter()
                .partition(|r| r.saved.setting == setting);
            *list = other;
            pane.history = same;
        }
        pane
    }
}

#[cfg(test)]
mod tests {
    use crate::demos::Outcome;
    use crate::lesson::Source;
    use crate::ui::app::{App, Msg};
    use crate::ui::keys::Command;
    use crate::ui::pane::Mark;
    use crate::ui::theme::{Theme, ThemeName};

    /// A finished run's answer, as an example gives it.
    #[derive(serde::Serialize)]
    struct Found;

    impl crate::demos::Output for Found {
        fn summary(&self) -> String {
            "found".into()
        }
    }

    fn app() -> App {
        let course = crate::course::load(&Source::Embedded).unwrap();
        App::new(
            course,
            Theme::new(ThemeName::Dark, true),
            Default::default(),
            None,
        )
    }

    /// The sections of chapter `id` whose pane runs `demo`, in order.
    fn sections(app: &App, id: &str, demo: &str) -> (usize, Vec<usize>) {
        let c = app.course.position(id).unwrap();
        let s = app.course.chapters[c]
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| crate::course::demo(s).is_some_and(|d| d.request.name() == demo))
            .map(|(i, _)| i)
            .collect();
        (c, s)
    }

    fn done(app: &mut App, wall_ms: f64, hashes: u64) {
        app.pane.as_mut().unwrap().state.done = hashes;
        app.update(Msg::RunDone(Outcome {
            result: Ok(Box::new(Found)),
            wall_ms,
        }));
    }

    #[test]
    fn runs_survive_moving_around_the_chapter() {
        let mut app = app();
        let (c, s) = sections(&app, "cpu-gil", "hash");
        // s[2] hashes 4 KiB inputs at another prefix: its chart is its own.
        assert!(s.len() >= 4, "cpu-gil has a hash pane in several sections");
        app.goto(c, s[0]);
        done(&mut app, 2400.0, 41_355_128);
        assert_eq!(
            app.progress.runs.len(),
            1,
            "an honest run is kept with progress"
        );
        app.goto(c, s[1]);
        let p = app.pane.as_ref().unwrap();
        assert_ne!(
            p.request.mode(),
            "sequential",
            "another section, another mode"
        );
        assert_eq!(p.history.len(), 1, "the baseline came along");
        assert_eq!(p.history[0].mode, "sequential");
        assert!(p.history[0].honest());
        done(&mut app, 2500.0, 41_400_000);
        // A run going on when the learner moves on is stopped, and says so.
        app.pane.as_mut().unwrap().start();
        app.update(Msg::Key(Command::Next));
        if app.section != s[3] {
            app.goto(c, s[3]);
        }
        let p = app.pane.as_ref().unwrap();
        let marks: Vec<_> = p.history.iter().map(|r| r.mark).collect();
        assert_eq!(marks, [None, None, Some(Mark::Stopped)], "{:?}", p.history);
        assert_eq!(
            app.progress.runs.len(),
            2,
            "a stopped run is not kept with progress"
        );
        // Back to the first section: every run is there.
        app.goto(c, s[0]);
        assert_eq!(app.pane.as_ref().unwrap().history.len(), 3);
    }

    #[test]
    fn a_reset_restores_the_settings_and_keeps_the_runs() {
        let mut app = app();
        let (c, s) = sections(&app, "three-ways", "three-ways");
        app.goto(c, s[0]);
        let lesson = app.pane.as_ref().unwrap().request.text("workers");
        done(&mut app, 1000.0, 8);
        app.pane
            .as_mut()
            .unwrap()
            .request
            .set("workers", "8")
            .unwrap();
        done(&mut app, 500.0, 8);
        app.update(Msg::Key(Command::Reset));
        let p = app.pane.as_ref().unwrap();
        assert_eq!(p.request.text("workers"), lesson, "the lesson's settings");
        assert!(p.outcome.is_none(), "the last run's outcome is cleared");
        let workers: Vec<_> = p.history.iter().map(|r| r.workers.clone()).collect();
        assert_eq!(
            workers,
            [Some(lesson.clone()), Some("8".into())],
            "both runs are still listed"
        );
        let notice = app.notice.as_ref().map(|n| n.text.as_str());
        assert_eq!(
            notice,
            Some("pane reset to the lesson's settings; past runs kept")
        );
    }

    #[test]
    fn leaving_a_running_section_says_so() {
        let mut app = app();
        let (c, s) = sections(&app, "cpu-gil", "hash");
        app.goto(c, s[1]);
        app.pane.as_mut().unwrap().start();
        app.goto(c, s[2]);
        let notice = app
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default();
        assert!(notice.contains("stopped"), "{notice}");
    }

    #[test]
    fn a_new_chapter_starts_afresh_and_other_settings_stay_out_of_the_chart() {
        let mut app = app();
        let (c, s) = sections(&app, "three-ways", "three-ways");
        app.goto(c, s[0]);
        done(&mut app, 1000.0, 8);
        let cpu = s
            .iter()
            .copied()
            .find(|&i| {
                let sec = &app.course.chapters[c].sections[i];
                crate::course::demo(sec).is_some_and(|d| d.request.text("workload") == "cpu")
            })
            .unwrap();
        app.goto(c, cpu);
        assert!(
            app.pane.as_ref().unwrap().history.is_empty(),
            "io runs do not compare with cpu ones"
        );
        app.goto(c, s[0]);
        assert_eq!(app.pane.as_ref().unwrap().history.len(), 1);
        let (other, t) = sections(&app, "choosing", "three-ways");
        if let Some(&t) = t.first() {
            app.goto(other, t);
            assert!(app.pane.as_ref().unwrap().history.is_empty());
        }
    }
}
