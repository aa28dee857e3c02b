//! Large input stays responsive: a scroll key slices the laid-out section
//! instead of laying it out again, and a huge code block is highlighted
//! only as far as the screen shows it.

use std::fmt::Write as _;

use racecourse::lesson::highlight;
use racecourse::lesson::{Block, Course, parse_chapter};
use racecourse::ui::app::App;
use racecourse::ui::keys::Command;
use racecourse::ui::render::{buffer_text, render_buffer};
use racecourse::ui::theme::{Theme, ThemeName};

const LINES: usize = 100_000;

fn huge_code() -> String {
    let code: Vec<String> = (0..LINES)
        .map(|i| format!("value_{i} = compute({i}) + other * {i}  # note"))
        .collect();
    format!(
        "---\nid: big\ntitle: Big\norder: 1\n---\n## One\n\nText.\n\n```python\n{}\n```\n",
        code.join("\n")
    )
}

fn app(text: &str) -> App {
    let course = Course {
        chapters: vec![parse_chapter("big.md", text)],
    };
    let mut app = App::new(
        course,
        Theme::new(ThemeName::Dark, false),
        racecourse::progress::Progress::default(),
        None,
    );
    app.goto(0, 0);
    app
}

fn the_code(app: &App) -> (String, String) {
    let section = &app.course.chapters[0].sections[0];
    section
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Code(tabs) => Some((tabs[0].code.clone(), tabs[0].lang.clone())),
            _ => None,
        })
        .expect("a code block")
}

#[test]
fn render_highlights_only_the_visible_part_of_a_huge_block() {
    let app = app(&huge_code());
    let (code, lang) = the_code(&app);
    assert_eq!(code.lines().count(), LINES);
    let screen = buffer_text(&render_buffer(&app, 100, 30).unwrap());
    assert!(screen.contains("value_0 = compute(0)"), "{screen}");
    let theme = app.theme.code_theme();
    assert!(
        !highlight::is_cached(&code, &lang, theme),
        "the whole block was highlighted for one screen"
    );
    let top = highlight::highlight_top(&code, &lang, theme, 20);
    assert_eq!(top.len(), LINES, "every line is there, plain past the top");
    assert!(top[0].len() > 1, "the top is highlighted: {:?}", top[0]);
    assert_eq!(top[LINES - 1].len(), 1, "the rest is plain");
}

#[test]
fn scrolling_slices_the_layout_instead_of_redoing_it() {
    let mut app = app(&huge_code());
    app.live = true;
    render_buffer(&app, 100, 30).unwrap();
    let before = app.layout_cache.layouts();
    for _ in 0..20 {
        app.update(Command::ScrollDown);
        app.update(Command::PageDown);
        let screen = buffer_text(&render_buffer(&app, 100, 30).unwrap());
        assert!(screen.contains("value_"), "{screen}");
    }
    assert_eq!(app.layout_cache.layouts(), before, "no new layout per key");
    // A change that matters lays it out again.
    render_buffer(&app, 80, 30).unwrap();
    assert_eq!(app.layout_cache.layouts(), before + 1);
}

/// A chapter whose second section is `paragraphs` short paragraphs.
fn long_prose(paragraphs: usize) -> String {
    let mut body = String::new();
    for i in 0..paragraphs {
        let _ = write!(body, "Line {i} of a long section.\n\n");
    }
    format!("---\nid: long\ntitle: Long\norder: 1\n---\n## One\n\nText.\n\n## Two\n\n{body}")
}

#[test]
fn a_large_section_answers_its_first_frame_with_the_top_and_fills_in_later() {
    let mut app = app(&long_prose(40_000));
    app.live = true;
    app.update(Command::Next);
    let first = buffer_text(&render_buffer(&app, 100, 30).unwrap());
    assert!(first.contains("Line 0 of a long section."), "{first}");
    assert!(
        first.contains("laying out"),
        "the hint says it is not done: {first}"
    );
    assert!(app.layout_cache.pending());
    assert!(app.animating(), "frames keep coming until it is laid out");
    let layouts = app.layout_cache.layouts();
    let mut frames = 1;
    while app.layout_cache.pending() {
        render_buffer(&app, 100, 30).unwrap();
        frames += 1;
        assert!(frames < 10_000);
    }
    assert!(frames > 2, "laid out in {frames} frames");
    assert_eq!(app.layout_cache.layouts(), layouts, "one layout, extended");
}

#[test]
fn scrolling_reaches_the_end_of_a_section_longer_than_65535_lines() {
    let mut app = app(&long_prose(40_000));
    app.live = true;
    app.update(Command::Next);
    render_buffer(&app, 100, 30).unwrap();
    while app.layout_cache.pending() {
        render_buffer(&app, 100, 30).unwrap();
    }
    let total = app.layout_cache.total().unwrap();
    assert!(total > 80_000, "{total} lines");
    // Long pages keep the test short; the position is what is tested.
    app.page = 1_001;
    let mut screen = String::new();
    for _ in 0..total {
        app.update(Command::PageDown);
        screen = buffer_text(&render_buffer(&app, 100, 30).unwrap());
        if screen.contains(" end (") {
            break;
        }
    }
    assert!(screen.contains("Line 39999 of a long section."), "{screen}");
    assert!(
        screen.contains(&format!(" end ({total}/{total})")),
        "{screen}"
    );
    // Past the end the position stays put: one key back moves at once.
    let at_end = app.scroll;
    app.update(Command::PageDown);
    assert_eq!(app.scroll, at_end);
    app.update(Command::ScrollUp);
    assert_eq!(app.scroll, at_end - 1);
}
