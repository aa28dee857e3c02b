//! Every error kind, with its exact `file:line:col: message`.

use crate::lesson::parse_chapter;

/// Front matter that is fine; the body starts on line 6.
const HEAD: &str = "---\nid: intro\ntitle: Intro\norder: 1\n---\n";

fn problems(text: &str) -> Vec<String> {
    parse_chapter("lessons/ch.md", text)
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn one(text: &str) -> String {
    let all = problems(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all[0].clone()
}

#[test]
fn missing_front_matter() {
    assert_eq!(
        one("# Hello\n\nSome text.\n"),
        "lessons/ch.md:1:1: missing front matter: a chapter starts with a `---` line, \
         then `id:`, `title:` and `order:` lines, then `---`"
    );
}

#[test]
fn unterminated_front_matter() {
    assert_eq!(
        one("---\nid: intro\ntitle: Intro\n\n## Start\n"),
        "lessons/ch.md:1:1: front matter is not closed: add a `---` line after its last \
         `key: value` line"
    );
}

#[test]
fn line_without_key() {
    assert_eq!(
        one("---\nid: intro\n  just words\ntitle: Intro\norder: 1\n---\nText.\n"),
        "lessons/ch.md:3:3: expected `key: value` in front matter, found `just words`"
    );
    assert_eq!(
        one("---\nid: intro\n: nothing\ntitle: Intro\norder: 1\n---\nText.\n"),
        "lessons/ch.md:3:1: expected `key: value` in front matter, found `: nothing`"
    );
}

#[test]
fn unknown_key_suggests_a_close_one() {
    assert_eq!(
        one("---\nid: intro\n  titel: Intro\ntitle: Intro\norder: 1\n---\nText.\n"),
        "lessons/ch.md:3:3: unknown front matter key `titel`; did you mean `title`? \
         (keys: id, title, order, summary, minutes)"
    );
    assert_eq!(
        one("---\nid: intro\ntitle: Intro\norder: 1\ncolour: red\n---\nText.\n"),
        "lessons/ch.md:5:1: unknown front matter key `colour` (keys: id, title, order, \
         summary, minutes)"
    );
}

#[test]
fn duplicate_key() {
    assert_eq!(
        one("---\nid: intro\ntitle: Intro\norder: 1\ntitle: Again\n---\nText.\n"),
        "lessons/ch.md:5:1: duplicate key `title` (first on line 3)"
    );
}

#[test]
fn bad_values_point_at_the_value() {
    let cases = [
        (
            "order:   one",
            "lessons/ch.md:4:10: `order` must be a whole number, found `one`",
        ),
        (
            "order: 1\nminutes: -5",
            "lessons/ch.md:5:10: `minutes` must be a whole number of minutes, found `-5`",
        ),
    ];
    for (lines, expected) in cases {
        let text = format!("---\nid: intro\ntitle: Intro\n{lines}\n---\nText.\n");
        assert_eq!(one(&text), expected);
    }
    assert_eq!(
        one("---\nid: \"Intro Chapter\"\ntitle: Intro\norder: 1\n---\nText.\n"),
        "lessons/ch.md:2:5: `id` may use only lowercase letters, digits and `-`, found \
         `Intro Chapter`"
    );
    assert_eq!(
        one("---\nid: intro\ntitle: \"\"\norder: 1\n---\nText.\n"),
        "lessons/ch.md:3:8: `title` must not be empty"
    );
    assert_eq!(
        one("---\nid: intro\ntitle: \"Intro\norder: 1\n---\nText.\n"),
        "lessons/ch.md:3:8: quoted value is not closed: add a `\"` at the end"
    );
}

#[test]
fn quoted_values_are_unquoted() {
    let c = parse_chapter(
        "ch.md",
        "---\nid: \"intro\"\ntitle: \"Say \\\"hi\\\": now\"\norder: '-2'\nminutes: 5\n\
         summary: What: this\n---\nText.\n",
    );
    assert!(c.is_ok(), "{:?}", c.problems);
    assert_eq!(c.id, "intro");
    assert_eq!(c.title, "Say \"hi\": now");
    assert_eq!(c.order, -2);
    assert_eq!(c.minutes, Some(5));
    assert_eq!(c.summary.as_deref(), Some("What: this"));
    assert_eq!(c.id_at, Some((2, 5)));
}

#[test]
fn missing_required_keys_point_at_the_closing_fence() {
    assert_eq!(
        problems("---\n# a comment\n\ntitle: Intro\n---\nText.\n"),
        [
            "lessons/ch.md:5:1: missing required key `id` in front matter",
            "lessons/ch.md:5:1: missing required key `order` in front matter",
        ]
    );
}

#[test]
fn a_broken_chapter_keeps_a_name() {
    let c = parse_chapter("lessons/02-threads.md", "no front matter");
    assert_eq!(
        (c.id.as_str(), c.title.as_str()),
        ("02-threads", "02-threads.md")
    );
    assert_eq!(c.order, i64::MAX);
    assert!(!c.is_ok());
}

#[test]
fn empty_chapter() {
    assert_eq!(
        one(HEAD),
        "lessons/ch.md:5:1: the chapter has no content after its front matter"
    );
    assert_eq!(
        one(&format!("{HEAD}\n# Intro\n\n")),
        "lessons/ch.md:5:1: the chapter has no content after its front matter"
    );
}

fn demo(body: &str) -> String {
    one(&format!("{HEAD}## Run it\n\n{body}"))
}

#[test]
fn demo_line_without_key() {
    assert_eq!(
        demo("```demo hash\nworkers 4\n```\n"),
        "lessons/ch.md:9:1: expected `key: value` in the demo directive, found `workers 4`"
    );
}

#[test]
fn demo_duplicate_key() {
    assert_eq!(
        demo("```demo hash\nworkers: 2\nworkers: 4\n```\n"),
        "lessons/ch.md:10:1: `workers` is set twice in this demo directive (first on line 9)"
    );
}

#[test]
fn demo_with_extra_words() {
    assert_eq!(
        demo("```demo hash workers=4\n```\n"),
        "lessons/ch.md:8:14: unexpected `workers=4` after the example name; options go on \
         their own lines"
    );
}

#[test]
fn second_demo_in_a_section() {
    assert_eq!(
        demo("```demo hash\n```\n\nText.\n\n```demo button\n```\n"),
        "lessons/ch.md:13:4: a section has at most one demo; this one already has a demo \
         on line 8"
    );
}

#[test]
fn demo_inside_a_list() {
    assert_eq!(
        demo("- item\n\n  ```demo hash\n  ```\n"),
        "lessons/ch.md:10:6: a demo directive belongs at the top level of a section, not \
         inside a list or quote"
    );
}

#[test]
fn demo_unclosed_quote_at_the_value() {
    assert_eq!(
        demo("```demo hash\nmessage: \"open\n```\n"),
        "lessons/ch.md:9:10: quoted value is not closed: add a `\"` at the end"
    );
}

#[test]
fn problems_quote_text_inertly() {
    let got = one("---\nid: intro\n\x1b[2Jtitle: x\ntitle: Intro\norder: 1\n---\nText.\n");
    assert!(got.contains("␛[2Jtitle"), "{got}");
    assert!(!got.contains('\x1b'));
}
