//! racecourse's `listener` and `client` against CPython's own
//! `multiprocessing.connection`: a real `python3` on each side. Skipped,
//! with a message, when `python3` is not on the machine.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_racecourse");

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import multiprocessing.connection"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 with multiprocessing is not on this machine");
    }
    ok.then_some("python3")
}

/// Kills the child when the test ends, however it ends.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `racecourse run listener` on a free port; returns it and the port.
fn listener(key: &str) -> (Reaped, u16, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(BIN)
        .args([
            "run",
            "listener",
            "--port",
            "0",
            "--authkey",
            key,
            "--connections",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the listener");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (Reaped(child), port, out)
}

fn run_python(py: &str, code: &str) -> String {
    let out = Command::new(py).args(["-c", code]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn python_client_talks_to_our_listener_and_a_wrong_key_is_refused() {
    let Some(py) = python() else { return };
    let (mut l, port, mut out) = listener("KEY");
    let code = format!(
        "from multiprocessing.connection import Client\n\
         c = Client(('127.0.0.1', {port}), authkey=b'KEY')\n\
         c.send(['hello', 'world'])\n\
         print('echo', c.recv())\n\
         c.close()\n\
         try:\n    Client(('127.0.0.1', {port}), authkey=b'wrong')\n\
         except Exception as e:\n    print('refused', type(e).__name__, e)\n"
    );
    let said = run_python(py, &code);
    assert!(said.contains("echo ['hello', 'world']"), "{said}");
    assert!(
        said.contains("refused AuthenticationError digest sent was rejected"),
        "{said}"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while l.0.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert!(
        rest.contains("received ['hello', 'world'] (36 bytes), sent back"),
        "{rest}"
    );
    assert!(
        rest.contains("dropped: authentication failed: digest received was wrong"),
        "{rest}"
    );
}

/// A Python `Listener` on a free port that echoes one connection; prints
/// its port first.
const PY_LISTENER: &str = r"
from multiprocessing.connection import Listener
l = Listener(('127.0.0.1', 0), authkey=b'KEY')
print(l.address[1], flush=True)
try:
    c = l.accept()
    c.send(c.recv())
    c.close()
except Exception as e:
    print('listener:', type(e).__name__, e, flush=True)
";

fn python_listener(py: &str) -> (Reaped, u16, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(py)
        .args(["-c", PY_LISTENER])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    (Reaped(child), line.trim().parse().unwrap(), out)
}

#[test]
fn our_client_talks_to_a_python_listener() {
    let Some(py) = python() else { return };
    let (_l, port, _) = python_listener(py);
    let out = Command::new(BIN)
        .args([
            "run",
            "client",
            "--port",
            &port.to_string(),
            "--authkey",
            "KEY",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("recv() -> ['hello', 'world']"), "{text}");
}

#[test]
fn a_python_listener_refuses_our_wrong_key() {
    let Some(py) = python() else { return };
    let (_l, port, mut out) = python_listener(py);
    let run = Command::new(BIN)
        .args([
            "run",
            "client",
            "--port",
            &port.to_string(),
            "--authkey",
            "wrong",
        ])
        .output()
        .unwrap();
    // `run` prints a failed run's error with its summary.
    let err =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(err.contains("the listener refused our key"), "{err}");
    let mut said = String::new();
    out.read_line(&mut said).unwrap();
    assert!(
        said.contains("AuthenticationError digest received was wrong"),
        "{said}"
    );
}
