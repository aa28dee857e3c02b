//! The authoring guide's tables of examples, modes and options, written
//! from the catalog so that the guide cannot drift from the code.

use std::fmt::Write as _;

use super::{CATALOG, OptKind};

/// Marks around the generated part of `lessons/README.md`.
pub const BEGIN: &str = "<!-- examples: generated from the catalog; `RACECOURSE_BLESS=1 cargo test guide` rewrites it -->";
pub const END: &str = "<!-- end of examples -->";

/// The guide's section on every example: modes, then options.
pub fn markdown() -> String {
    let mut s = String::new();
    for e in CATALOG {
        let _ = write!(s, "#### `{}` — {}\n\n", e.name(), e.title());
        s.push_str("| mode | what runs |\n|---|---|\n");
        for m in e.modes() {
            let _ = writeln!(s, "| `{}` | {} |", m.name, m.help);
        }
        s.push_str("\n| option | value | default | keys | meaning |\n|---|---|---|---|---|\n");
        for o in e.knobs() {
            let value = match &o.kind {
                OptKind::Int { min, max } => format!("{min} ..= {max}"),
                OptKind::Float { min, max } => format!("{min} ..= {max} (a number)"),
                OptKind::Text { max_len } => format!("text, up to {max_len} characters"),
                OptKind::Bool => "true/false".into(),
                OptKind::OneOf(c) => c
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let keys = o
                .keys
                .map(|k| format!("`{}` `{}`", k.down, k.up))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "| `{}` | {value} | `{}` | {keys} | {} |",
                o.name, o.default, o.help
            );
        }
        s.push('\n');
    }
    s
}

/// `guide` with its generated part replaced by [`markdown`].
pub fn rewrite(guide: &str) -> Option<String> {
    let start = guide.find(BEGIN)? + BEGIN.len();
    let end = guide.find(END)?;
    Some(format!(
        "{}\n\n{}{}",
        &guide[..start],
        markdown(),
        &guide[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_lists_every_example_as_the_catalog_has_it() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/README.md");
        let guide = std::fs::read_to_string(path).unwrap();
        let fresh = rewrite(&guide).expect("the guide has its generated part");
        if std::env::var_os("RACECOURSE_BLESS").is_some() {
            std::fs::write(path, &fresh).unwrap();
        }
        assert!(
            fresh == guide,
            "lessons/README.md is out of date: run `RACECOURSE_BLESS=1 cargo test guide`"
        );
    }
}
