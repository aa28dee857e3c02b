//! Whole-screen snapshots over ratatui's `TestBackend`.

use racecourse::course::{load, parse_chapter};
use racecourse::lesson::{Course, Source};
use racecourse::progress::Progress;
use racecourse::ui::app::{App, Msg};
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

/// The first section of `id` with a live pane.
fn open_live(app: &mut App, id: &str) {
    open(app, id);
    let s = app.course.chapters[app.chapter]
        .sections
        .iter()
        .position(|s| s.demo.is_some())
        .expect("a section with a live example");
    app.goto(app.chapter, s);
}

fn type_keys(app: &mut App, keys: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        app.update(Msg::PromptKey(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

#[test]
fn value_prompt_refuses_a_value_out_of_bounds() {
    let mut app = builtin();
    open_live(&mut app, "how-to-use");
    app.update(Command::Prompt);
    type_keys(&mut app, "80\n");
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn help_overlay_scrolled_to_its_end_at_80x24() {
    let mut app = builtin();
    app.update(Msg::Screen {
        width: 80,
        height: 24,
    });
    app.update(Command::Help);
    for _ in 0..40 {
        app.update(Command::ScrollDown);
    }
    let s = screen(&app, 80, 24);
    assert!(s.contains("closes this help."), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn contents_list_the_current_chapters_sections() {
    let mut app = builtin();
    open_live(&mut app, "three-ways");
    app.update(Command::Toc);
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn settings_line_shows_only_this_modes_options_whole() {
    let mut app = builtin();
    open_live(&mut app, "downloads");
    let s = screen(&app, 120, 36);
    // A `key value` pair is never split over two lines.
    for line in s.lines() {
        let t = line.trim_end_matches(['│', ' ']);
        for key in [
            "count",
            "latency",
            "jitter",
            "workers",
            "fail-rate",
            "online",
        ] {
            assert!(!t.ends_with(key), "{key} at a line end: {line}");
        }
    }
    insta::assert_snapshot!(s);
}
