//! No read can hang or exhaust memory; no output size is unbounded; input
//! echoed in messages is inert; the smaller points of issue 14. The real
//! binary, as a careless or hostile user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs the binary; a run that does not end within the bound is a hang.
fn racecourse(args: &[&str]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("racecourse-bounded-data-{}", std::process::id()));
    let child = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(args)
        .env("RACECOURSE_DATA_DIR", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let pid = i32::try_from(child.id()).expect("a pid");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    let Ok(out) = rx.recv_timeout(Duration::from_secs(30)) else {
        // SAFETY: signalling the child we started.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        panic!("`racecourse {}` hung", args.join(" "));
    };
    let out = out.unwrap();
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

#[test]
fn render_sizes_are_bounded_with_one_line() {
    for (w, h) in [
        ("65535", "65535"),
        ("10000", "30"),
        ("100", "1001"),
        ("0", "30"),
    ] {
        let (code, out, err) = racecourse(&[
            "render",
            "--chapter",
            "how-to-use",
            "--width",
            w,
            "--height",
            h,
        ]);
        assert_eq!(code, 1, "{w}x{h}: {out}");
        assert!(err.contains("must be between 1 and 1000"), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(out.is_empty());
    }
    let (code, out, err) = racecourse(&[
        "render",
        "--chapter",
        "how-to-use",
        "--width",
        "1000",
        "--height",
        "1000",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1000);
}

#[test]
fn escapes_typed_on_the_command_line_are_inert() {
    let evil = "\x1b]0;PWNED\x07\x1b[2J";
    let dir = folder("evil-dir").join(evil);
    let dir = dir.display().to_string();
    let runs: [&[&str]; 6] = [
        &["run", "hash", "--mode", evil],
        &["run", evil],
        &["render", "--chapter", evil],
        &["check", &dir],
        &["--theme", evil],
        &["run", "hash", "--message", "ok", "--prefix", evil],
    ];
    for args in runs {
        let (code, out, err) = racecourse(args);
        assert_ne!(code, 0, "{args:?}");
        assert!(
            !err.contains('\x1b') && !out.contains('\x1b'),
            "{args:?}: {err:?}"
        );
        // Clap drops the escapes it quotes; every other message shows them.
        if args[0] != "--theme" {
            assert!(err.contains("␛]0;PWNED␇"), "{args:?}: shown: {err}");
        }
    }
}

#[test]
fn an_empty_lessons_folder_is_not_a_pass() {
    let dir = folder("empty");
    let (code, _, err) = racecourse(&["check", &dir.display().to_string()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no chapters in"), "{err}");
}

#[test]
fn a_duplicate_id_opens_the_chapter_check_keeps() {
    let dir = folder("dup");
    let kept = "---\nid: dup\ntitle: Kept\norder: 2\n---\n## One\n\nThe first file.\n";
    let copy = "---\nid: dup\ntitle: Copy\norder: 1\n---\n## One\n\nThe second file.\n";
    std::fs::write(dir.join("a-kept.md"), kept).unwrap();
    std::fs::write(dir.join("b-copy.md"), copy).unwrap();
    let d = dir.display().to_string();
    let (code, out, _) = racecourse(&["check", &d]);
    assert_eq!(code, 1);
    assert!(
        out.contains("b-copy.md") && out.contains("duplicate chapter id"),
        "{out}"
    );
    let (code, out, err) = racecourse(&["--lessons", &d, "render", "--chapter", "dup"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("The first file."), "{out}");
}

#[test]
fn the_app_rejects_a_section_out_of_range_as_render_does() {
    use racecourse::ui::{AppOptions, build_app, theme::ThemeName};
    for n in [0, 99] {
        let opts = AppOptions {
            source: racecourse::lesson::Source::Embedded,
            theme: ThemeName::Dark,
            no_color: true,
            watch: false,
            reset_progress: false,
            chapter: Some("how-to-use".into()),
            section: Some(n),
        };
        let e = build_app(&opts, false).err().expect("rejected");
        let (_, _, render_err) = racecourse(&[
            "render",
            "--chapter",
            "how-to-use",
            "--section",
            &n.to_string(),
        ]);
        assert_eq!(
            format!("racecourse: {e:#}"),
            render_err.trim_end(),
            "alike both ways"
        );
        assert!(render_err.contains("has sections 1..="), "{render_err}");
    }
}
