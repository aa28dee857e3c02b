//! What each markdown construct becomes.

use crate::lesson::{Align, Block, Chapter, CodeBlock, Inline, Section, Span, parse_chapter};

const HEAD: &str = "---\nid: intro\ntitle: The Chapter\norder: 1\n---\n";

fn chapter(body: &str) -> Chapter {
    let c = parse_chapter("ch.md", &format!("{HEAD}{body}"));
    assert!(c.is_ok(), "{:#?}", c.problems);
    c
}

fn blocks(body: &str) -> Vec<Block> {
    let mut c = chapter(body);
    assert_eq!(c.sections.len(), 1, "{:#?}", c.sections);
    c.sections.remove(0).blocks
}

fn span(text: &str) -> Span {
    Span {
        text: text.into(),
        style: Inline::default(),
    }
}

fn styled(text: &str, f: impl FnOnce(&mut Inline)) -> Span {
    let mut style = Inline::default();
    f(&mut style);
    Span {
        text: text.into(),
        style,
    }
}

fn para(text: &str) -> Block {
    Block::Paragraph(vec![span(text)])
}

fn code(lang: &str, code: &str) -> CodeBlock {
    CodeBlock {
        lang: lang.into(),
        label: lang.into(),
        code: code.into(),
        line_numbers: false,
    }
}

fn titles(sections: &[Section]) -> Vec<&str> {
    sections.iter().map(|s| s.title.as_str()).collect()
}

#[test]
fn sections_split_at_level_two_headings() {
    let c = chapter(
        "# Welcome\n\nIntro text.\n\n## First\n\nOne.\n\n### Detail\n\nDeeper.\n\n## Second\n\n# Big\n",
    );
    assert_eq!(titles(&c.sections), ["Welcome", "First", "Second"]);
    assert_eq!(c.sections[0].blocks, [para("Intro text.")]);
    assert_eq!(
        c.sections[1].blocks,
        [
            para("One."),
            Block::Heading {
                level: 3,
                text: vec![span("Detail")]
            },
            para("Deeper."),
        ]
    );
    assert_eq!(
        c.sections[2].blocks,
        [Block::Heading {
            level: 1,
            text: vec![span("Big")]
        }]
    );
}

#[test]
fn intro_takes_the_chapter_title_or_disappears_when_empty() {
    let c = chapter("Before any heading.\n\n## `code` *title*\n\nx\n");
    assert_eq!(titles(&c.sections), ["The Chapter", "code title"]);
    let c = chapter("# Only a title\n\n## First\n\nx\n");
    assert_eq!(titles(&c.sections), ["First"]);
}

#[test]
fn inline_styles() {
    let b = blocks(
        "Plain *em* **strong** ~~gone~~ `code` ***both*** [link *x*](https://a.b/c) ![a cat](cat.png)\n",
    );
    let link = |t: &str, em: bool| {
        styled(t, |s| {
            s.link = Some("https://a.b/c".into());
            s.emphasis = em;
        })
    };
    assert_eq!(
        b,
        [Block::Paragraph(vec![
            span("Plain "),
            styled("em", |s| s.emphasis = true),
            span(" "),
            styled("strong", |s| s.strong = true),
            span(" "),
            styled("gone", |s| s.strike = true),
            span(" "),
            styled("code", |s| s.code = true),
            span(" "),
            styled("both", |s| {
                s.emphasis = true;
                s.strong = true
            }),
            span(" "),
            link("link ", false),
            link("x", true),
            span(" [image: a cat]"),
        ])]
    );
}

#[test]
fn breaks_and_raw_html() {
    let b = blocks("one\ntwo  \nthree <b>bold</b>\n\n<div>\nraw\n</div>\n");
    assert_eq!(
        b,
        [
            para("one two\nthree <b>bold</b>"),
            para("<div>\nraw\n</div>"),
        ]
    );
}

#[test]
fn lists_nest_and_keep_their_start() {
    let b = blocks("- a\n- b\n  1. x\n  2. y\n\n3. three\n4. four\n");
    assert_eq!(
        b,
        [
            Block::List {
                start: None,
                items: vec![
                    vec![para("a")],
                    vec![
                        para("b"),
                        Block::List {
                            start: Some(1),
                            items: vec![vec![para("x")], vec![para("y")]],
                        },
                    ],
                ],
            },
            Block::List {
                start: Some(3),
                items: vec![vec![para("three")], vec![para("four")]],
            },
        ]
    );
}

#[test]
fn quotes_and_rules() {
    let b = blocks("> quoted\n>\n> - item\n\n---\n\nafter\n");
    assert_eq!(
        b,
        [
            Block::Quote(vec![
                para("quoted"),
                Block::List {
                    start: None,
                    items: vec![vec![para("item")]],
                },
            ]),
            Block::Rule,
            para("after"),
        ]
    );
}

#[test]
fn tables_with_alignment() {
    let b =
        blocks("| mode | time |  |\n|:---|---:|:-:|\n| sync | **16 s** | x |\n| async | 0.1 s |\n");
    assert_eq!(
        b,
        [Block::Table {
            align: vec![Align::Left, Align::Right, Align::Center],
            header: vec![vec![span("mode")], vec![span("time")], vec![]],
            rows: vec![
                vec![
                    vec![span("sync")],
                    vec![styled("16 s", |s| s.strong = true)],
                    vec![span("x")],
                ],
                vec![vec![span("async")], vec![span("0.1 s")], vec![]],
            ],
        }]
    );
}

#[test]
fn consecutive_code_in_different_languages_becomes_tabs() {
    let b = blocks(
        "```python\nprint(1)\n```\n\n```rust numbers title=\"Our Rust\"\nfn main() {\n\tx();\n}\n```\n```python\nagain()\n```\n\nText.\n\n```sh\nls\n```\n\n    indented\n```json\n{}\n```\n",
    );
    let rust = CodeBlock {
        lang: "rust".into(),
        label: "Our Rust".into(),
        code: "fn main() {\n    x();\n}".into(),
        line_numbers: true,
    };
    assert_eq!(
        b,
        [
            Block::Code(vec![code("python", "print(1)"), rust]),
            Block::Code(vec![code("python", "again()")]),
            para("Text."),
            Block::Code(vec![code("sh", "ls")]),
            Block::Code(vec![CodeBlock {
                lang: "".into(),
                label: "text".into(),
                code: "indented".into(),
                line_numbers: false,
            }]),
            Block::Code(vec![code("json", "{}")]),
        ]
    );
}

#[test]
fn a_valid_demo_attaches_to_its_section_and_is_not_code() {
    let c = chapter(
        "## Race\n\n```python\nx\n```\n\n```demo hash\n# the race\nmode: threads\n\nworkers: 4\nmessage: \"hi: there\"\n```\n\n```rust\ny\n```\n\n## Next\n\n```demos\nnot: a directive\n```\n",
    );
    let race = &c.sections[0];
    let demo = race.demo.as_ref().expect("a demo");
    assert_eq!(demo.line(), 12);
    assert_eq!(demo.name.as_ref().map(|n| n.text.as_str()), Some("hash"));
    let entries: Vec<(&str, &str, usize, usize)> = demo
        .entries
        .iter()
        .map(|e| {
            (
                e.key.text.as_str(),
                e.value.text.as_str(),
                e.value.at.line,
                e.value.at.col,
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("mode", "threads", 14, 7),
            ("workers", "4", 16, 10),
            ("message", "hi: there", 17, 10)
        ]
    );
    // The directive also keeps the code on either side apart.
    assert_eq!(
        race.blocks,
        [
            Block::Code(vec![code("python", "x")]),
            Block::Code(vec![code("rust", "y")]),
        ]
    );
    assert!(c.sections[1].demo.is_none());
    assert_eq!(
        c.sections[1].blocks,
        [Block::Code(vec![code("demos", "not: a directive")])]
    );
}

#[test]
fn expect_lines_are_kept_as_written_and_may_repeat() {
    let c = chapter(
        "## Race\n\n```demo hash\nexpect: shows \"done\"\n  expect:   hides \"a: b\"  \nexpect: shows \"done\"\n```\n",
    );
    let demo = c.sections[0].demo.as_ref().expect("a demo");
    assert!(demo.entries.is_empty());
    let got: Vec<(&str, usize, usize)> = demo
        .expects
        .iter()
        .map(|e| (e.text.as_str(), e.at.line, e.at.col))
        .collect();
    assert_eq!(
        got,
        [
            ("shows \"done\"", 9, 9),
            ("hides \"a: b\"", 10, 13),
            ("shows \"done\"", 11, 9)
        ]
    );
}

#[test]
fn unknown_examples_are_not_the_lessons_business() {
    // The catalog is checked a layer above (`course`); here any name parses.
    let c = chapter("## Race\n\n```demo no-such-example\nmode: x\nwhatever: 3\n```\n");
    let demo = c.sections[0].demo.as_ref().expect("a demo");
    assert_eq!(
        demo.name.as_ref().map(|n| n.text.as_str()),
        Some("no-such-example")
    );
    assert_eq!(demo.entries.len(), 2);
    let c = chapter("## Race\n\n```demo\n```\n");
    assert_eq!(
        c.sections[0].demo.as_ref().and_then(|d| d.name.clone()),
        None
    );
}

#[test]
fn control_characters_are_inert_everywhere() {
    let evil = "\x1b[2J\x1b]0;pwned\x07";
    let text = format!(
        "---\nid: x\ntitle: \"T{evil}\"\norder: 1\nsummary: {evil}\n---\n# H{evil}\n\nP{evil} `c{evil}` [l{evil}](u{evil})\n\n| a{evil} |\n|---|\n| b{evil} |\n\n```py{evil} title=\"t{evil}\"\nx = \"{evil}\"\u{85}\r\n```\n"
    );
    let c = parse_chapter("ch.md", &text);
    assert!(c.is_ok(), "{:?}", c.problems);
    let all = format!("{:?} {:?} {:?}", c.title, c.summary, c.sections);
    assert!(!all.contains("\\u{1b}") && !all.contains("\\u{7}"), "{all}");
    assert!(all.contains("␛[2J␛]0;pwned␇"), "{all}");
    let Block::Code(tabs) = &c.sections[0].blocks[2] else {
        panic!("code block expected: {:?}", c.sections[0].blocks);
    };
    assert_eq!(tabs[0].code, "x = \"␛[2J␛]0;pwned␇\"\u{fffd}");
    assert_eq!(tabs[0].label, "t␛[2J␛]0;pwned␇");
    let visible = |s: &str| !s.chars().any(|c| c.is_control());
    assert!(visible(&c.title) && visible(&c.sections[0].title));
    assert!(
        all_text(&c.sections[0].blocks).iter().all(|t| visible(t)),
        "{:?}",
        c.sections[0].blocks
    );
}

fn all_text(blocks: &[Block]) -> Vec<String> {
    let spans = |s: &[Span]| {
        s.iter()
            .flat_map(|s| [s.text.clone(), s.style.link.clone().unwrap_or_default()])
            .collect::<Vec<_>>()
    };
    blocks
        .iter()
        .flat_map(|b| match b {
            Block::Heading { text, .. } | Block::Paragraph(text) => spans(text),
            Block::List { items, .. } => items.iter().flat_map(|i| all_text(i)).collect(),
            Block::Quote(inner) => all_text(inner),
            Block::Code(tabs) => tabs
                .iter()
                .flat_map(|t| [t.lang.clone(), t.label.clone(), t.code.replace('\n', "")])
                .collect(),
            Block::Table { header, rows, .. } => header
                .iter()
                .chain(rows.iter().flatten())
                .flat_map(|c| spans(c))
                .collect(),
            Block::Rule => vec![],
        })
        .collect()
}

#[test]
fn windows_line_endings() {
    let text = HEAD.replace('\n', "\r\n")
        + "## A\r\n\r\nline one\r\nline two\r\n\r\n```py\r\nx\r\ny\r\n```\r\n";
    let c = parse_chapter("ch.md", &text);
    assert!(c.is_ok(), "{:?}", c.problems);
    assert_eq!(c.title, "The Chapter");
    assert_eq!(
        c.sections[0].blocks,
        [
            para("line one line two"),
            Block::Code(vec![code("py", "x\ny")])
        ]
    );
}

#[test]
fn nesting_is_bounded() {
    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Quote(inner) => 1 + depth(inner),
                Block::List { items, .. } => 1 + items.iter().map(|i| depth(i)).max().unwrap_or(0),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    let b = blocks(&format!(
        "{}deep\n\n{}item\n",
        "> ".repeat(40),
        "- ".repeat(40)
    ));
    assert!((1..=16).contains(&depth(&b)), "depth {}", depth(&b));
    let text = format!("{:?}", b);
    assert!(
        text.contains("deep") && text.contains("item"),
        "content kept: {text}"
    );
}
