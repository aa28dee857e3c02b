//! No read can hang or exhaust memory; no output size is unbounded; input
//! echoed in messages is inert; the smaller points of issue 14. The real
//! binary, as a careless or hostile user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs the binary; a run that does not end within the bound is a hang.
fn racecourse(args: &[&str]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("racecourse-bounded-data-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(args)
        .env("RACECOURSE_DATA_DIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`racecourse {}` hung", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn folder(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("racecourse-bounded-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn chapter(id: &str) -> String {
    format!("---\nid: {id}\ntitle: Chapter {id}\norder: 1\n---\n## One\n\nText.\n")
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.display().to_string()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn fifos_devices_huge_files_and_outside_links_are_reported_not_read() {
    let dir = folder("lessons");
    std::fs::write(dir.join("a-ok.md"), chapter("ok")).unwrap();
    mkfifo(&dir.join("b-fifo.md"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("c-zero.md")).unwrap();
    let outside = folder("outside").join("x.md");
    std::fs::write(&outside, chapter("outside")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("d-out.md")).unwrap();
    std::fs::write(dir.join("e-huge.md"), vec![b'a'; 9 << 20]).unwrap();
    let d = dir.display().to_string();

    let (code, out, err) = racecourse(&["check", &d]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("b-fifo.md:1:1: not read: not a regular file (a FIFO)"),
        "{out}"
    );
    assert!(
        out.contains("c-zero.md:1:1: a symlink that leaves the lessons folder (to /dev/zero)"),
        "{out}"
    );
    assert!(
        out.contains("d-out.md:1:1: a symlink that leaves the lessons folder"),
        "{out}"
    );
    assert!(out.contains("e-huge.md:1:1: not read: too large"), "{out}");

    let (code, out, err) = racecourse(&["--lessons", &d, "list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok\tChapter ok"), "{out}");
    let (code, out, err) = racecourse(&["--lessons", &d, "render", "--chapter", "ok"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Chapter ok"), "{out}");
}
