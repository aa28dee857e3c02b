//! Large input stays responsive: a scroll key slices the laid-out section
//! instead of laying it out again, and a huge code block is highlighted
//! only as far as the screen shows it.

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
