//! The digit keys of a pane whose example waits for the learner: in the
//! scheduler pane, `1`, `2`, … pick which thread takes its next step (the
//! key is posted to the run, whose gate it opens).

use crate::demos::scheduler::program::Program;
use crate::ui::pane::{Pane, Phase};

/// Thread `n` takes its next step: the key goes to the run, which starts
/// first if it has not yet. Returns the notice for the status bar.
pub fn step(pane: &mut Pane, n: u8) -> String {
    let threads = Program::named(&pane.request.text("program")).map_or(0, Program::thread_count);
    if usize::from(n) > threads {
        return format!("no thread {n} here: threads 1 to {threads}");
    }
    match pane.phase() {
        Phase::Ready => pane.start(),
        Phase::Done => return "this run has ended: r restarts".into(),
        Phase::Running | Phase::Paused => {}
    }
    if !pane.control.post_key(char::from(b'0' + n)) {
        return "this run takes no keys".into();
    }
    // What the step did shows in the pane once the run reports it: the
    // state here may be older than keys still on their way.
    format!("thread {n}: next step")
}
