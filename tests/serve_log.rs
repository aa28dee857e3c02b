//! `racecourse serve` says where it listens in lines that fit 80 columns,
//! logs one line per request on stderr, and `--quiet` turns that off.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// Starts the server, sends one request, stops it; returns (stdout, stderr).
fn serve_once(extra: &[&str]) -> (Vec<String>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(["serve", "--latency", "5"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("a start-up line");
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("the address")
        .to_string();
    let addr = url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).expect("connects");
    s.write_all(b"GET /api/v2/pokemon/25 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("sends");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let pid = i32::try_from(child.id()).expect("a pid");
    // SAFETY: kill only sends a signal to our own child.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let mut rest = String::new();
    out.read_to_string(&mut rest).expect("stdout");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    child.wait().expect("it stops");
    let lines = std::iter::once(first.trim_end().to_string())
        .chain(rest.lines().map(str::to_string))
        .collect();
    (lines, err)
}

#[test]
fn serve_logs_each_request_and_fits_80_columns() {
    let (out, err) = serve_once(&[]);
    for l in &out {
        assert!(l.chars().count() <= 80, "too wide: {l}");
    }
    let line = err
        .lines()
        .find(|l| l.starts_with("GET "))
        .unwrap_or_else(|| panic!("no request line in {err:?}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&words[..3], ["GET", "/api/v2/pokemon/25", "200"], "{line}");
    assert!(line.ends_with(" ms"), "{line}");
}

#[test]
fn quiet_serve_logs_nothing() {
    let (_, err) = serve_once(&["--quiet"]);
    assert!(!err.contains("GET "), "{err}");
}
