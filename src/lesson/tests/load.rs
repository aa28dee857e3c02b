//! Loading chapters from a folder and from the binary; cross-chapter checks.

use std::fs;
use std::path::Path;

use super::temp_dir;
use crate::lesson::{Source, check, load, reload_file};

fn chapter(id: &str, order: i64) -> String {
    format!("---\nid: {id}\ntitle: Chapter {id}\norder: {order}\n---\n## One\n\nText.\n")
}

#[test]
fn loads_a_folder_with_broken_and_duplicate_chapters() {
    let dir = temp_dir("load");
    fs::write(dir.join("a-first.md"), chapter("threads", 2)).unwrap();
    fs::write(dir.join("b-second.md"), chapter("intro", 1)).unwrap();
    fs::write(dir.join("c-copy.md"), chapter("threads", 3)).unwrap();
    fs::write(dir.join("d-broken.md"), "## No front matter\n").unwrap();
    fs::write(dir.join("e-binary.md"), b"---\nid\xff\n").unwrap();
    fs::write(dir.join("README.md"), "not a chapter").unwrap();
    fs::write(dir.join("notes.txt"), "not a chapter").unwrap();
    fs::create_dir(dir.join("folder.md")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("f-dangling.md")).unwrap();

    let course = load(&Source::Dir(dir.clone())).expect("the folder loads");
    let ids: Vec<&str> = course.chapters.iter().map(|c| c.id.as_str()).collect();
    let mut expected = vec!["intro", "threads", "threads", "d-broken", "e-binary"];
    if cfg!(unix) {
        expected.push("f-dangling");
    }
    assert_eq!(ids, expected, "sorted by (order, id)");
    assert!(course.chapters[0].is_ok() && course.chapters[1].is_ok());
    assert_eq!(
        course.chapter("d-broken").map(|c| c.title.as_str()),
        Some("d-broken.md")
    );

    let d = dir.display();
    let mut want = vec![
        format!("{d}/c-copy.md:2:5: duplicate chapter id `threads` (also used by {d}/a-first.md)"),
        format!(
            "{d}/d-broken.md:1:1: missing front matter: a chapter starts with a `---` line, \
             then `id:`, `title:` and `order:` lines, then `---`"
        ),
        format!("{d}/e-binary.md:1:1: the file is not UTF-8 text (invalid byte at offset 6)"),
    ];
    if cfg!(unix) {
        want.push(format!(
            "{d}/f-dangling.md:1:1: cannot read the file: No such file or directory (os error 2)"
        ));
    }
    let got: Vec<String> = check(&course).iter().map(ToString::to_string).collect();
    assert_eq!(got, want);
    // The duplicate is also on the chapter itself, so the app shows it.
    assert!(!course.chapters[2].is_ok());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_folder_is_an_error_with_context() {
    let dir = temp_dir("missing").join("not-here");
    let err = load(&Source::Dir(dir.clone())).expect_err("no folder");
    let text = format!("{err:#}");
    assert!(
        text.starts_with(&format!(
            "cannot read the lessons folder {}: ",
            dir.display()
        )),
        "{text}"
    );
}

#[test]
fn reload_file_reads_one_chapter() {
    let dir = temp_dir("reload");
    let path = dir.join("x.md");
    fs::write(&path, chapter("x", 1)).unwrap();
    let c = reload_file(&path, "lessons/x.md");
    assert!(c.is_ok());
    assert_eq!((c.id.as_str(), c.path.as_str()), ("x", "lessons/x.md"));
    fs::write(&path, "---\nid: x\n").unwrap();
    let c = reload_file(&path, "lessons/x.md");
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].file, "lessons/x.md");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn embedded_chapters_match_the_lessons_folder() {
    let embedded = load(&Source::Embedded).expect("embedded");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let on_disk = load(&Source::Dir(dir)).expect("lessons folder");
    let names = |c: &crate::lesson::Course| -> Vec<(String, String, usize)> {
        c.chapters
            .iter()
            .map(|ch| {
                let name = Path::new(&ch.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, ch.id.clone(), ch.problems.len())
            })
            .collect()
    };
    assert_eq!(names(&embedded), names(&on_disk));
    assert!(
        embedded
            .chapters
            .iter()
            .all(|c| c.path.starts_with("lessons/"))
    );
}
