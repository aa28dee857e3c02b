//! `racecourse bench NAME`: measured figures as `key: value` lines, the
//! headline figure last.

pub mod pty;
mod startup;

/// Runs one benchmark and prints its figures.
pub fn run(name: &str) -> anyhow::Result<i32> {
    let lines: Vec<(String, String)> = match name {
        "startup" => startup::bench_startup()?,
        other => anyhow::bail!(
            "unknown benchmark `{other}`{} (benchmarks: startup)",
            crate::suggest::hint(other, ["startup"])
        ),
    };
    for (k, v) in lines {
        println!("{k}: {v}");
    }
    Ok(0)
}
