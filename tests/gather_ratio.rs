//! The asyncio chapter's headline: the notes' `upload_files` and
//! `send_emails` awaited one after the other take 8 time units, gathered
//! 5. Both runs, at 200 ms a unit, in one test: their wall times must be
//! in the ratio 8 : 5, within 10 %.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_racecourse");

/// `wall_ms` of `racecourse run gather --mode MODE --unit-ms 100 --json`.
fn wall_ms(mode: &str) -> f64 {
    let out = Command::new(BIN)
        .args([
            "run",
            "gather",
            "--mode",
            mode,
            "--unit-ms",
            "200",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    let summary: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(summary["mode"], mode, "{summary}");
    summary["wall_ms"].as_f64().unwrap()
}

#[test]
fn sequential_against_gather_is_eight_to_five() {
    let sequential = wall_ms("sequential");
    let gather = wall_ms("gather");
    let ratio = sequential / gather;
    assert!(
        (1.6 * 0.9..=1.6 * 1.1).contains(&ratio),
        "sequential {sequential:.0} ms / gather {gather:.0} ms = {ratio:.2}, not 8 : 5 within 10 %"
    );
}
