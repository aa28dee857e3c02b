//! The app driven by messages, as the event loop drives it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::ui::theme::ThemeName;

fn app() -> App {
    let course = crate::course::load(&crate::lesson::Source::Embedded).unwrap();
    App::new(
        course,
        Theme::new(ThemeName::Dark, false),
        Default::default(),
        None,
    )
}

/// The app on the first section of `id` with a live pane.
fn on_live_section(id: &str) -> App {
    let mut app = app();
    let c = app.course.position(id).unwrap();
    let s = app.course.chapters[c]
        .sections
        .iter()
        .position(|s| s.demo.is_some())
        .unwrap();
    app.goto(c, s);
    app
}

fn typed(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\t' => KeyCode::Tab,
            '\n' => KeyCode::Enter,
            '\x08' => KeyCode::Backspace,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        app.update(Msg::PromptKey(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

#[test]
fn a_typed_value_sets_the_option_for_the_next_run() {
    let mut app = on_live_section("how-to-use");
    app.update(Msg::Key(Command::Prompt));
    assert_eq!(app.prompt.as_ref().unwrap().text, "workers ");
    typed(&mut app, "40\n");
    let prompt = app
        .prompt
        .as_ref()
        .expect("40 is refused: the prompt stays");
    assert_eq!(
        prompt.error.as_deref(),
        Some("workers: 40 is out of range 1..=32")
    );
    typed(&mut app, "\x08\x0820\n");
    assert!(app.prompt.is_none());
    let pane = app.pane.as_ref().unwrap();
    assert_eq!(pane.request.text("workers"), "20");
    assert!(pane.request.to_string().contains("--workers 20"));
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "workers 20: Enter to run"
    );
}

#[test]
fn esc_leaves_every_option_as_it_was() {
    let mut app = on_live_section("how-to-use");
    let before = app.pane.as_ref().unwrap().request.to_string();
    app.update(Msg::Key(Command::Prompt));
    typed(&mut app, "9\x1b");
    assert!(app.prompt.is_none());
    assert_eq!(app.pane.as_ref().unwrap().request.to_string(), before);
}

#[test]
fn no_prompt_without_a_pane() {
    let mut app = app();
    app.goto(0, 0);
    assert!(app.pane.is_none());
    app.update(Msg::Key(Command::Prompt));
    assert!(app.prompt.is_none());
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "this section has no live example"
    );
}

#[test]
fn contents_jump_to_a_section_of_the_current_chapter() {
    let mut app = app();
    let c = app.course.position("how-to-use").unwrap();
    app.goto(c, 1);
    app.update(Command::Toc);
    assert_eq!(app.overlay, Overlay::Toc(Toc::at(c, 1)));
    app.update(Command::ScrollDown);
    app.update(Command::ScrollDown);
    app.update(Command::Run);
    assert_eq!((app.chapter, app.section), (c, 3));
    assert_eq!(app.overlay, Overlay::None);
    // Up past the first section is the chapter's own row: Enter opens it.
    app.update(Command::Toc);
    for _ in 0..4 {
        app.update(Command::ScrollUp);
    }
    assert_eq!(
        app.overlay,
        Overlay::Toc(Toc {
            chapter: c,
            section: None,
            open: c
        })
    );
}

#[test]
fn help_scrolls_and_stops_at_its_end() {
    let mut app = app();
    app.update(Msg::Screen {
        width: 80,
        height: 24,
    });
    app.update(Command::Help);
    let max = crate::ui::overlays::help_max_scroll(&app.theme, (80, 24));
    assert!(max > 0, "at 80×24 the keys do not fit");
    for _ in 0..max + 5 {
        app.update(Command::ScrollDown);
    }
    assert_eq!(app.overlay, Overlay::Help(max));
    app.update(Command::PageUp);
    app.update(Command::PageUp);
    app.update(Command::PageUp);
    assert_eq!(app.overlay, Overlay::Help(0));
    app.update(Command::Close);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn a_key_does_not_turn_an_option_the_mode_does_not_use() {
    let mut app = on_live_section("downloads");
    let pane = app.pane.as_mut().unwrap();
    pane.request.set_mode("sync").unwrap();
    let before = pane.request.text("workers");
    app.update(Msg::Key(Command::Turn('+')));
    let pane = app.pane.as_ref().unwrap();
    assert_eq!(pane.request.text("workers"), before);
    assert_eq!(
        app.notice.as_ref().unwrap().text,
        "+ turns workers, which mode sync does not use"
    );
}
