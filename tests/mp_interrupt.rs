//! Interrupting the multiprocessing chapter's examples, headless: Ctrl-C
//! ends a listener with connections stuck in every state (half a frame
//! in the challenge, half a frame after it, idle in `recv`), and a parent
//! waiting on a child that sleeps; no child process is left. Malformed
//! frames and oversized lengths close their connection only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use racecourse::net::mp::endpoint;

const BIN: &str = env!("CARGO_BIN_EXE_racecourse");
/// A guard against a hang, not a measure: the examples end well within it.
const GUARD: Duration = Duration::from_secs(20);

/// Kills the child when the test ends, however it ends.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `racecourse ARGS`, its standard output as a channel of lines.
fn start(args: &[&str]) -> (Reaped, Receiver<String>) {
    let mut child = Command::new(BIN)
        .args(args)
        .env(
            "RACECOURSE_DATA_DIR",
            std::env::temp_dir().join("racecourse-mp-interrupt"),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start racecourse");
    let out = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Reaped(child), rx)
}

/// Lines until one satisfies `want`; panics with them all if none does.
fn wait_line(rx: &Receiver<String>, seen: &mut Vec<String>, want: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + GUARD;
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                seen.push(line.clone());
                if want(&line) {
                    return line;
                }
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                panic!("no such line; saw:\n{}", seen.join("\n"))
            }
        }
    }
}

fn sigint(child: &Child) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
}

/// Waits for the child to exit (within the guard).
fn exited(child: &mut Child) -> bool {
    let deadline = Instant::now() + GUARD;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Whether a process exists and is not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rsplit(')')
            .next()
            .is_some_and(|r| !r.trim_start().starts_with('Z'))
    })
}

fn port_of(line: &str) -> u16 {
    line.trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"))
}

#[test]
fn ctrl_c_ends_a_listener_whatever_its_connections_are_doing() {
    let (mut l, rx) = start(&["run", "listener", "--port", "0", "--authkey", "KEY"]);
    let mut seen = Vec::new();
    let port = port_of(&wait_line(&rx, &mut seen, |s| {
        s.starts_with("listening on")
    }));
    // Half a frame header while the listener waits for our answer to its
    // challenge: a reader that only counted whole frames would wait for
    // the rest forever.
    let mut half_auth = TcpStream::connect(("127.0.0.1", port)).unwrap();
    half_auth.write_all(&[0, 0]).unwrap();
    // Half a message after the challenges.
    let half_msg = endpoint::connect(port, b"KEY").unwrap();
    half_msg.get_ref().write_all(&[0, 0, 0, 40, 0x80]).unwrap();
    // Idle in recv().
    let idle = endpoint::connect(port, b"KEY").unwrap();
    let welcomed = |seen: &Vec<String>| seen.iter().filter(|s| s.contains("(#WELCOME#)")).count();
    while welcomed(&seen) < 2 {
        wait_line(&rx, &mut seen, |s| s.contains("(#WELCOME#)"));
    }
    sigint(&l.0);
    assert!(exited(&mut l.0), "the listener did not end after Ctrl-C");
    // Every connection was closed by then.
    let mut b = [0u8; 64];
    idle.get_ref()
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let n = idle.get_ref().read(&mut b).unwrap_or(0);
    assert_eq!(n, 0, "the idle connection was closed");
    drop(half_auth);
}

#[test]
fn malformed_frames_close_their_connection_and_the_listener_goes_on() {
    let (mut l, rx) = start(&["run", "listener", "--port", "0", "--authkey", "KEY"]);
    let mut seen = Vec::new();
    let port = port_of(&wait_line(&rx, &mut seen, |s| {
        s.starts_with("listening on")
    }));
    let closed = |mut s: TcpStream| {
        s.set_read_timeout(Some(GUARD)).unwrap();
        let mut sink = Vec::new();
        // The listener closes: the read ends (with the challenge's bytes
        // read first, or a reset).
        let _ = s.read_to_end(&mut sink);
    };
    // A negative length, during the challenge.
    let mut neg = TcpStream::connect(("127.0.0.1", port)).unwrap();
    neg.write_all(&[0xff, 0xff, 0xff, 0xfe]).unwrap();
    closed(neg);
    // An oversized length after the challenges: 2 GiB − 1 announced.
    let huge = endpoint::connect(port, b"KEY").unwrap();
    huge.get_ref().write_all(&[0x7f, 0xff, 0xff, 0xff]).unwrap();
    // A frame whose bytes are not a pickle.
    let junk = endpoint::connect(port, b"KEY").unwrap();
    junk.get_ref().write_all(&[0, 0, 0, 3, 1, 2, 3]).unwrap();
    wait_line(&rx, &mut seen, |s| {
        s.contains("dropped: bad message length 2147483647")
    });
    wait_line(&rx, &mut seen, |s| {
        s.contains("dropped: not a message racecourse reads")
    });
    // The listener still serves.
    let mut ok = endpoint::connect(port, b"KEY").unwrap();
    ok.send(&endpoint::message()).unwrap();
    let (back, _) = ok.recv_until(&|| false).unwrap();
    assert_eq!(back, endpoint::message());
    wait_line(&rx, &mut seen, |s| {
        s.contains("received ['hello', 'world'] (36 bytes)")
    });
    let all = seen.join("\n");
    assert!(all.contains("dropped: bad message length -2"), "{all}");
    sigint(&l.0);
    assert!(exited(&mut l.0), "the listener did not end after Ctrl-C");
}

#[test]
fn ctrl_c_while_the_parent_waits_on_a_sleeping_child_leaves_no_child() {
    let (mut run, rx) = start(&[
        "run",
        "queue-pipe",
        "--mode",
        "pipe",
        "--delay-ms",
        "600000",
        "--json",
    ]);
    let mut seen = Vec::new();
    let up = wait_line(&rx, &mut seen, |s| {
        s.contains("\"event\":\"lane_up\"") && s.contains("\"child\"")
    });
    let ev: serde_json::Value = serde_json::from_str(&up).unwrap();
    let pid = ev["pid"]
        .as_u64()
        .and_then(|p| u32::try_from(p).ok())
        .unwrap_or_else(|| panic!("no pid in {up}"));
    // The child says it sleeps; the parent waits on the pipe.
    wait_line(&rx, &mut seen, |s| {
        s.contains("\"event\":\"blocked\"") && s.contains("sleep")
    });
    assert!(alive(pid), "the child runs");
    sigint(&run.0);
    assert!(exited(&mut run.0), "the run did not end after Ctrl-C");
    assert!(!alive(pid), "the child process {pid} outlived its parent");
}
