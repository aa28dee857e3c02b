//! Embeds the chapters in `lessons/*.md` (not README.md) into the binary:
//! writes `$OUT_DIR/embedded_lessons.rs`, a slice of (path, text) sorted by
//! name.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = root.join("lessons");
    println!("cargo:rerun-if-changed=lessons");
    let mut chapters: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| is_chapter(p))
                .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), p)))
                .collect()
        })
        .unwrap_or_default();
    chapters.sort();
    let mut out = String::from("&[\n");
    for (name, path) in &chapters {
        println!("cargo:rerun-if-changed=lessons/{name}");
        let shown = format!("lessons/{name}");
        let abs = path.to_str().expect("lesson paths are UTF-8");
        writeln!(out, "    ({shown:?}, include_str!({abs:?})),").expect("writing to a String");
    }
    out.push_str("]\n");
    let target = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(target.join("embedded_lessons.rs"), out).expect("cannot write embedded_lessons.rs");
}

fn is_chapter(path: &Path) -> bool {
    path.is_file()
        && path.extension().is_some_and(|e| e == "md")
        && !path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
}
