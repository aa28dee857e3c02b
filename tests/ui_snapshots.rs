//! Whole-screen snapshots over ratatui's `TestBackend`.

use racecourse::course::{load, parse_chapter};
use racecourse::lesson::{Course, Source};
use racecourse::progress::Progress;
use racecourse::ui::app::App;
use racecourse::ui::keys::Command;
use racecourse::ui::render::{buffer_text, render_buffer};
use racecourse::ui::theme::{Theme, ThemeName};

fn app_with(course: Course) -> App {
    App::new(
        course,
        Theme::new(ThemeName::Dark, false),
        Progress::default(),
        None,
    )
}

fn builtin() -> App {
    app_with(load(&Source::Embedded).unwrap())
}

fn screen(app: &App, w: u16, h: u16) -> String {
    buffer_text(&render_buffer(app, w, h).unwrap())
}

fn open(app: &mut App, id: &str) {
    let i = app.course.position(id).expect("chapter exists");
    app.goto(i, 0);
}

#[test]
fn lesson_view() {
    let mut app = builtin();
    open(&mut app, "how-to-use");
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn lesson_with_pane_side_by_side() {
    let mut app = builtin();
    open(&mut app, "how-to-use");
    let s = app.course.chapters[app.chapter]
        .sections
        .iter()
        .position(|s| s.demo.is_some())
        .expect("a section with a live example");
    app.goto(app.chapter, s);
    insta::assert_snapshot!(screen(&app, 130, 36));
}

#[test]
fn table_of_contents() {
    let mut app = builtin();
    open(&mut app, "how-to-use");
    app.update(Command::Toc);
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn help_overlay() {
    let mut app = builtin();
    app.update(Command::Help);
    insta::assert_snapshot!(screen(&app, 100, 36));
}

#[test]
fn error_screen() {
    let broken = parse_chapter(
        "lessons/broken.md",
        "---\nid: broken\ntitle: Broken\norder: 1\n---\n\n## One\n\n```demo hsah\nmode: threads\n```\n",
    );
    assert!(!broken.problems.is_empty());
    let ok = parse_chapter(
        "lessons/ok.md",
        "---\nid: ok\ntitle: Fine\norder: 2\n---\n\n## One\n\nText.\n",
    );
    let app = app_with(Course {
        chapters: vec![broken, ok],
    });
    insta::assert_snapshot!(screen(&app, 100, 20));
}

#[test]
fn too_small() {
    let app = builtin();
    insta::assert_snapshot!(screen(&app, 40, 10));
}
