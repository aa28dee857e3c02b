//! Arbitrary text never panics the chapter parser or the highlighter.

use proptest::prelude::*;
use racecourse::lesson::highlight::{CodeTheme, highlight};
use racecourse::lesson::{Block, parse_chapter};

/// Pieces that steer the parser into its interesting corners.
const FRAGMENTS: &[&str] = &[
    "---\n",
    "id: x\n",
    "title: \"T\n",
    "order: 1\n",
    "minutes: -1\n",
    "titel: y\n",
    ":\n",
    "# ",
    "## ",
    "### ",
    "\n",
    "\n\n",
    "```",
    "~~~",
    "```python\n",
    "```rust numbers title=\"R\n",
    "```demo hash\n",
    "```demo\n",
    "```demo hsah x\n",
    "mode: threads\n",
    "workers: 99\n",
    "worker: 2\n",
    "message: \"a\n",
    "# c\n",
    "> ",
    ">> ",
    "- ",
    "1. ",
    "  ",
    "\t",
    "*",
    "**",
    "~~",
    "`",
    "[a](b)",
    "![i](j)",
    "<div>",
    "</div>",
    "| a | b |\n",
    "|:-|-:|\n",
    "***\n",
    "\\",
    "&amp;",
    "\x1b[2J",
    "\x1b]0;t\x07",
    "\u{9b}",
    "\x7f",
    "\r\n",
    "\r",
    "\u{feff}",
    "é",
    "🦀",
    "\u{0}",
];

fn chapter_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[ -~\n]{0,12}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn visible(blocks: &[Block]) -> bool {
    let ok = |s: &str| !s.chars().any(|c| c.is_control() && c != '\n');
    blocks.iter().all(|b| match b {
        Block::Heading { text, .. } | Block::Paragraph(text) => text.iter().all(|s| ok(&s.text)),
        Block::List { items, .. } => items.iter().all(|i| visible(i)),
        Block::Quote(inner) => visible(inner),
        Block::Code(tabs) => tabs
            .iter()
            .all(|t| ok(&t.code) && ok(&t.label) && ok(&t.lang)),
        Block::Table { header, rows, .. } => header
            .iter()
            .chain(rows.iter().flatten())
            .flatten()
            .all(|s| ok(&s.text)),
        Block::Rule => true,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parser_never_panics_and_output_is_inert(text in chapter_text()) {
        let c = parse_chapter("lessons/fuzz.md", &text);
        for p in &c.problems {
            prop_assert!(p.line >= 1 && p.col >= 1);
            prop_assert!(!p.message.chars().any(char::is_control), "{}", p.message);
        }
        for s in &c.sections {
            prop_assert!(!s.title.chars().any(char::is_control));
            prop_assert!(visible(&s.blocks));
        }
    }

    #[test]
    fn highlighter_never_panics(code in chapter_text(), lang in prop_oneof![
        Just("python"), Just("rust"), Just("sh"), Just("json"), Just("text"), Just("zzz"),
    ]) {
        let lines = highlight(&code, lang, CodeTheme::HighContrast);
        prop_assert_eq!(lines.len(), code.lines().count());
    }
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let deep = format!(
        "---\nid: d\ntitle: D\norder: 1\n---\n{}x\n\n{}y\n",
        "> ".repeat(20_000),
        "- ".repeat(5_000)
    );
    let c = parse_chapter("deep.md", &deep);
    assert!(!c.sections.is_empty());
}
