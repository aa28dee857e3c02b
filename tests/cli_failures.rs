//! Failures are counted, never hidden: a headless run with failed requests
//! says so in its summary and its exit status, and a tight open-file limit
//! makes requests wait their turn instead of failing.

use std::os::unix::process::CommandExt;
use std::process::Command;

fn run_json(args: &[&str], nofile: Option<u64>) -> (i32, Vec<serde_json::Value>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_racecourse"));
    cmd.args(args).env(
        "RACECOURSE_DATA_DIR",
        std::env::temp_dir().join("racecourse-cli-failures"),
    );
    if let Some(n) = nofile {
        // SAFETY: setrlimit is async-signal-safe and only reads the struct
        // on this stack; nothing else runs between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: n,
                    rlim_max: n,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raw const lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let out = cmd.output().expect("the binary runs");
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
fn a_tight_open_file_limit_queues_requests_instead_of_failing_them() {
    let (code, lines) = run_json(
        &[
            "run",
            "download",
            "--mode",
            "async",
            "--count",
            "1000",
            "--latency",
            "100",
            "--json",
        ],
        Some(512),
    );
    let summary = lines.last().expect("a summary");
    assert_eq!(summary["counts"]["failed"], 0, "{summary}");
    assert_eq!(summary["result"]["downloaded"], 1000, "{summary}");
    assert_eq!(summary["ok"], true);
    assert_eq!(code, 0);
    let said = lines.iter().any(|l| {
        l["event"] == "output"
            && l["text"]
                .as_str()
                .is_some_and(|t| t.contains("at most 128 requests at once"))
    });
    assert!(said, "the cap is announced");
}

#[test]
fn failed_requests_make_the_summary_not_ok_and_the_exit_status_3() {
    let (code, lines) = run_json(
        &[
            "run",
            "download",
            "--mode",
            "async",
            "--count",
            "20",
            "--latency",
            "0",
            "--fail-rate",
            "0.5",
            "--json",
        ],
        None,
    );
    let summary = lines.last().expect("a summary");
    let failed = summary["result"]["failed"].as_u64().unwrap();
    assert!(failed > 0, "{summary}");
    assert_eq!(summary["ok"], false, "{summary}");
    assert_eq!(summary["failures"].as_u64(), Some(failed), "{summary}");
    assert_eq!(code, 3);
}
