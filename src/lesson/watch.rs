//! `--watch`: file notifications for changed chapters, with the bursts that
//! editors produce (write, rename, chmod, close) coalesced into one report.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// Quiet time that ends a burst.
const QUIET: Duration = Duration::from_millis(50);
/// A burst is reported after this long even if events keep coming.
const LONGEST: Duration = Duration::from_millis(500);

/// Watches `dir` (not its subfolders) and reports each chapter (`*.md`, not
/// README.md) that was created or changed, once per burst of events. The
/// reports stop, and the helper thread ends, when the watcher is dropped.
pub fn watch(dir: &Path) -> notify::Result<(RecommendedWatcher, UnboundedReceiver<PathBuf>)> {
    let (raw_tx, raw_rx) = channel::<PathBuf>();
    let (tx, rx) = unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if !is_change(&event.kind) {
            return;
        }
        for path in event.paths.into_iter().filter(|p| is_chapter(p)) {
            let _ = raw_tx.send(path);
        }
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    std::thread::Builder::new()
        .name("lesson-watch".into())
        .spawn(move || coalesce(&raw_rx, &tx, LONGEST))
        .map_err(notify::Error::io)?;
    Ok((watcher, rx))
}

fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Modify(_)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

fn is_chapter(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
        && !path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
}

/// Forwards paths once per burst (at most `longest`), in the order first
/// seen, skipping files that are gone by then (a rename's old name, a
/// deleted temp file).
fn coalesce(raw: &Receiver<PathBuf>, out: &UnboundedSender<PathBuf>, longest: Duration) {
    while let Ok(first) = raw.recv() {
        let mut burst = vec![first];
        let start = Instant::now();
        let mut open = true;
        while let Some(left) = longest.checked_sub(start.elapsed()) {
            match raw.recv_timeout(QUIET.min(left)) {
                Ok(path) if !burst.contains(&path) => burst.push(path),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        for path in burst.into_iter().filter(|p| p.is_file()) {
            if out.send(path).is_err() {
                return;
            }
        }
        if !open {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[tokio::test]
    async fn reports_a_written_chapter_and_nothing_else() {
        let dir = crate::lesson::tests::temp_dir("watch");
        let (watcher, mut rx) = watch(&dir).expect("watcher starts");
        let path = dir.join("01-new.md");
        // An editor's save: several writes in a row, plus files to ignore.
        for i in 0..5 {
            fs::write(&path, format!("---\nid: x\n---\n{i}\n")).expect("write");
        }
        fs::write(dir.join("notes.txt"), "x").expect("write");
        fs::write(dir.join("README.md"), "x").expect("write");
        // The 10 s and 5 s are guards against a hang, not timing claims:
        // how the writes fall into bursts depends on the machine's load, so
        // only what is reported is checked here (bursts: below).
        let got = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a report within 10 s")
            .expect("channel open");
        assert_eq!(got.file_name(), path.file_name());
        drop(watcher);
        loop {
            let more = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await;
            match more.expect("channel closes") {
                Some(p) => assert_eq!(p.file_name(), path.file_name(), "only chapters"),
                None => break,
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_burst_is_reported_once_per_file_in_first_seen_order() {
        let dir = crate::lesson::tests::temp_dir("burst");
        let (a, b, gone) = (dir.join("a.md"), dir.join("b.md"), dir.join("gone.md"));
        fs::write(&a, "a").expect("write");
        fs::write(&b, "b").expect("write");
        let (raw_tx, raw_rx) = channel();
        // The whole burst is queued before coalescing starts, and the burst
        // may last an hour: no timing decides the outcome.
        for p in [&b, &a, &b, &gone, &a, &b] {
            raw_tx.send(p.clone()).unwrap();
        }
        drop(raw_tx);
        let (tx, mut rx) = unbounded_channel();
        coalesce(&raw_rx, &tx, Duration::from_secs(3600));
        let mut got = Vec::new();
        while let Ok(p) = rx.try_recv() {
            got.push(p);
        }
        assert_eq!(got, [b, a], "once each, first seen first, gone skipped");
        let _ = fs::remove_dir_all(&dir);
    }
}
