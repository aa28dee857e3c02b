//! Directives resolved against the catalog: every error with its exact
//! `file:line:col: message`, and the authoring guide's examples table.

use super::parse_chapter;

/// Front matter that is fine; the body starts on line 6.
const HEAD: &str = "---\nid: intro\ntitle: Intro\norder: 1\n---\n";

fn one(text: &str) -> String {
    let all: Vec<String> = parse_chapter("lessons/ch.md", text)
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(all.len(), 1, "{all:#?}");
    all[0].clone()
}

fn demo(body: &str) -> String {
    one(&format!("{HEAD}## Run it\n\n{body}"))
}

#[test]
fn a_valid_demo_resolves_with_its_mode_and_options() {
    let c = parse_chapter(
        "ch.md",
        &format!(
            "{HEAD}## Race\n\n```demo hash\nmode: threads\nworkers: 4\nmessage: \"hi: there\"\n\
             expect: shows \"nonce\"\nexpect: speed 2\n```\n"
        ),
    );
    assert!(c.is_ok(), "{:#?}", c.problems);
    let demo = super::demo(&c.sections[0]).expect("resolves");
    assert_eq!(demo.line, 8);
    assert_eq!(demo.request.name(), "hash");
    assert_eq!(demo.request.mode(), "threads");
    assert_eq!(demo.request.text("workers"), "4");
    assert_eq!(demo.request.text("message"), "hi: there");
    assert_eq!(demo.expects.len(), 2);
    assert_eq!(demo.speed(), 2);
}

#[test]
fn demo_unknown_example_at_its_name() {
    assert_eq!(
        demo("```demo  hsah\nmode: threads\n```\n"),
        "lessons/ch.md:8:10: unknown example `hsah`; did you mean `hash`?"
    );
}

#[test]
fn demo_unknown_mode_at_its_value() {
    assert_eq!(
        demo("```demo hash\n# how many\nmode:  thread\n```\n"),
        "lessons/ch.md:10:8: example `hash` has no mode `thread`; did you mean `threads`? \
         (modes: sequential, threads-gil, threads, processes, threads-gil-4k)"
    );
}

#[test]
fn demo_unknown_option_at_its_name() {
    assert_eq!(
        demo("```demo hash\nmode: threads\n  worker: 4\n```\n"),
        "lessons/ch.md:10:3: example `hash` has no option `worker`; did you mean `workers`? \
         (options: message, prefix, workers, chunk)"
    );
}

#[test]
fn demo_bad_value_at_the_value() {
    assert_eq!(
        demo("```demo hash\nworkers: 0\n```\n"),
        "lessons/ch.md:9:10: option `workers`: 0 is out of range 1..=64"
    );
    assert_eq!(
        demo("```demo three-ways\nworkload: disk\n```\n"),
        "lessons/ch.md:9:11: option `workload`: expected one of io, cpu, found `disk`"
    );
    assert_eq!(
        demo("```demo download\nonline: maybe\n```\n"),
        "lessons/ch.md:9:9: option `online`: expected true or false, found `maybe`"
    );
}

#[test]
fn demo_positions_inside_an_indented_fence() {
    assert_eq!(
        demo("  ~~~~ demo hash\n  workers: x\n  ~~~~\n"),
        "lessons/ch.md:9:12: option `workers`: expected a whole number, found `x`"
    );
}

#[test]
fn demo_without_name() {
    let names: Vec<&str> = crate::demos::CATALOG.iter().map(|e| e.name()).collect();
    assert_eq!(
        demo("```demo\n```\n"),
        format!(
            "lessons/ch.md:8:4: a demo directive needs an example name, as in ```demo hash \
             (examples: {})",
            names.join(", ")
        )
    );
}

#[test]
fn every_problem_of_a_directive_is_reported() {
    let c = parse_chapter(
        "lessons/ch.md",
        &format!(
            "{HEAD}## Run it\n\n```demo hash\nmode: thread\nworkers: 0\nexpect: show \"x\"\n```\n"
        ),
    );
    let got: Vec<String> = c.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "lessons/ch.md:9:7: example `hash` has no mode `thread`; did you mean `threads`? \
             (modes: sequential, threads-gil, threads, processes, threads-gil-4k)",
            "lessons/ch.md:10:10: option `workers`: 0 is out of range 1..=64",
            "lessons/ch.md:11:9: unknown expectation `show`; did you mean `shows`? (expectations: \
             shows, hides, order, figure, failed-bars, failures, gil-exclusive, speed, set, press, bars)",
        ]
    );
}

#[test]
fn placeholders_are_reported_by_check_but_the_chapter_is_shown() {
    let c = parse_chapter("lessons/ch.md", &format!("{HEAD}## A\n\nFIGURE_TABLE\n"));
    assert!(c.is_ok());
    let course = crate::lesson::Course { chapters: vec![c] };
    let got: Vec<String> = super::check(&course)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        got,
        [
            "lessons/ch.md:8:1: leftover placeholder `FIGURE_TABLE` in the text: write what it \
          stands for, or quote it as `code`"
        ]
    );
}

#[test]
fn authoring_guide_lists_every_example_mode_and_option() {
    let guide = include_str!("../../lessons/README.md");
    for spec in crate::demos::CATALOG {
        assert!(
            guide.contains(&format!("#### `{}`", spec.name())),
            "{}",
            spec.name()
        );
        let start = guide.find(&format!("#### `{}`", spec.name())).unwrap_or(0);
        let part = &guide[start..];
        let part = &part[..part[5..].find("####").map_or(part.len(), |i| i + 5)];
        for m in spec.modes() {
            assert!(
                part.contains(&format!("| `{}` |", m.name)),
                "{} mode {}",
                spec.name(),
                m.name
            );
        }
        for o in spec.knobs() {
            assert!(
                part.contains(&format!("| `{}` |", o.name)),
                "{} option {}",
                spec.name(),
                o.name
            );
            assert!(
                part.contains(&format!("| `{}` |", o.default)),
                "{} default {}",
                spec.name(),
                o.default
            );
        }
    }
}

#[test]
fn press_turns_the_option_its_key_turns_in_the_checked_run_only() {
    let c = parse_chapter(
        "ch.md",
        &format!(
            "{HEAD}## Hot\n\n```demo led\nmode: both\nsource: keys\nexpect: press + 5\n\
             expect: press - \nexpect: shows \"80°\"\n```\n"
        ),
    );
    assert!(c.is_ok(), "{:#?}", c.problems);
    let demo = super::demo(&c.sections[0]).expect("resolves");
    assert_eq!(demo.request.text("temp"), "40");
    assert_eq!(demo.check_request.text("temp"), "80");
}

#[test]
fn press_of_a_key_that_turns_nothing_is_reported_at_the_key() {
    assert_eq!(
        demo("```demo led\nexpect: press % 2\n```\n"),
        "lessons/ch.md:9:15: key `%` turns no option of `led` before a run \
         (its keys: - + `temp`, [ ] `temp2`)"
    );
}
