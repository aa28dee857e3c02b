//! Several instances of the course at once (a learner with two terminals):
//! three processes save progress to one file; none erases another's, and a
//! reader never sees a half-written file.

use std::path::PathBuf;
use std::process::Command;

use racecourse::progress::{Progress, Store};

const CHILD: &str = "RACECOURSE_PROGRESS_CHILD";
const ROUNDS: usize = 150;
const SECTIONS: usize = 10;

/// One instance: visits its own chapter's sections, saving after each.
#[test]
fn child_instance() {
    let Some(n) = std::env::var_os(CHILD) else {
        return; // only meaningful when started by the test below
    };
    let n = n.to_string_lossy().into_owned();
    let path = PathBuf::from(std::env::var_os("RACECOURSE_DATA_DIR").expect("a folder"));
    let store = Store::at(path.join("progress.json"));
    let mut p = Progress::default();
    let mut failures = Vec::new();
    for i in 0..ROUNDS {
        p.visit(&format!("chapter-{n}"), i % SECTIONS);
        if let Err(e) = store.save(&p) {
            failures.push(format!("{e:#}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} saves failed: {:?}",
        failures.len(),
        &failures[..1]
    );
}

#[test]
fn three_processes_keep_each_others_progress() {
    let dir = std::env::temp_dir().join(format!("racecourse-instances-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|n| {
            Command::new(&exe)
                .args([
                    "child_instance",
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD, n.to_string())
                .env("RACECOURSE_DATA_DIR", &dir)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Read while they write: every complete read must be valid progress.
    let file = dir.join("progress.json");
    let mut invalid = 0;
    let mut reads = 0;
    let mut children = children;
    while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        if let Ok(bytes) = std::fs::read(&file) {
            reads += 1;
            if serde_json::from_slice::<Progress>(&bytes).is_err() {
                invalid += 1;
            }
        }
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "an instance failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        invalid, 0,
        "{invalid} of {reads} reads saw a half-written file"
    );
    let back = Store::at(file).load();
    assert!(back.warning.is_none(), "{:?}", back.warning);
    for n in 0..3 {
        let id = format!("chapter-{n}");
        assert_eq!(
            back.progress.seen_count(&id, SECTIONS),
            SECTIONS,
            "{id}: {:?}",
            back.progress
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
