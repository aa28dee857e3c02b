//! The demo server's answers to broken bodies and silent clients (issue 14).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use racecourse::net::{ServerConfig, ServerHandle};

#[test]
fn a_malformed_chunked_body_is_a_bad_request_not_too_large() {
    let s = ServerHandle::spawn_thread(ServerConfig::default()).expect("server starts");
    let mut t = TcpStream::connect(s.addr()).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    t.write_all(
        b"GET /api/v2/pokemon/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n",
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = t.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out);
    assert!(out.starts_with("HTTP/1.1 400"), "{out}");
}

#[test]
fn a_silent_connection_is_closed_after_one_header_timeout() {
    let timeout = Duration::from_secs(1);
    let cfg = ServerConfig {
        header_timeout: timeout,
        ..ServerConfig::default()
    };
    let s = ServerHandle::spawn_thread(cfg).expect("server starts");
    let mut t = TcpStream::connect(s.addr()).unwrap();
    t.set_read_timeout(Some(timeout * 5)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 64];
    let n = t.read(&mut buf).expect("closed, not timed out on our side");
    let held = start.elapsed();
    assert_eq!(n, 0, "closed without an answer");
    // One header timeout, not two (hyper's own on top of the peek's).
    assert!(
        held < timeout * 19 / 10,
        "held {held:?} for a {timeout:?} timeout"
    );
    assert!(held >= timeout * 9 / 10, "held {held:?}");
}
