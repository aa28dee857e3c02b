//! Arbitrary markdown through the parser and the renderer, at every size
//! from 1×1 up: nothing may panic.

use proptest::prelude::*;
use racecourse::lesson::{Course, parse_chapter};
use racecourse::progress::Progress;
use racecourse::ui::app::App;
use racecourse::ui::keys::Command;
use racecourse::ui::render::render_buffer;
use racecourse::ui::theme::{Theme, ThemeName};

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Title\n".to_string()),
        Just("## Section\n".to_string()),
        Just("### Sub\n".to_string()),
        Just("```python\nprint('hi')\n```\n".to_string()),
        Just("```rust numbers\nfn main() {}\n```\n".to_string()),
        Just("```demo hash\nmode: threads\nworkers: 3\n```\n".to_string()),
        Just("```demo nope\nmode: x\n```\n".to_string()),
        Just("| a | b |\n|:-|-:|\n| 1 | 2 |\n".to_string()),
        Just("- item\n  - nested\n1. one\n".to_string()),
        Just("> quote **bold** _em_ `code`\n".to_string()),
        Just("[link](http://x.y) ![img](a.png) ~~gone~~\n".to_string()),
        Just("---\n".to_string()),
        Just("\u{1b}[2J\u{1b}]0;pwned\u{7}\n".to_string()),
        Just("漢字 wide ✓ text\n".to_string()),
        Just("\n".to_string()),
        "[ -~]{0,40}\n",
        any::<String>(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(fragment(), 0..12)).prop_map(|(front, parts)| {
        let mut s = String::new();
        if front {
            s.push_str("---\nid: fuzz\ntitle: Fuzz\norder: 1\n---\n");
        }
        for p in parts {
            s.push_str(&p);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn parse_and_render_never_panic(doc in document(), w in 1u16..140, h in 1u16..50, keys in prop::collection::vec(0u8..8, 0..6)) {
        let chapter = parse_chapter("lessons/fuzz.md", &doc);
        let course = Course { chapters: vec![chapter] };
        let theme = Theme::new(ThemeName::Dark, false);
        let mut app = App::new(course, theme, Progress::default(), None);
        for k in keys {
            let cmd = match k {
                0 => Command::Next,
                1 => Command::Prev,
                2 => Command::ScrollDown,
                3 => Command::CodeTab,
                4 => Command::Toc,
                5 => Command::Help,
                6 => Command::FullPane,
                _ => Command::PageDown,
            };
            app.update(cmd);
            render_buffer(&app, w, h).unwrap();
        }
        render_buffer(&app, w, h).unwrap();
    }
}
