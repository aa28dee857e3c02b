//! `multiprocessing.connection.Listener` and `Client` over TCP on
//! 127.0.0.1, speaking CPython 3.11's protocol (see [`super::conn`]).
//!
//! The listener echoes: each message it receives it reports and sends
//! back. A connection that fails the challenge, sends a malformed frame or
//! announces a frame over [`MAX_FRAME`] is closed; the listener goes on.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::conn::{ConnError, Connection};
use super::pickle::{self, Value};

/// Largest message the listener accepts (1 MiB).
pub const MAX_FRAME: usize = 1 << 20;
/// Connections served at once; more wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 16;
/// How long the challenge may take before the connection is dropped.
const AUTH_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a send may stall (the other side not reading) before the
/// connection is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(1);
/// How often a waiting side looks at its stop flag: every read waits at
/// most this long, so an interrupt ends a connection within it.
const POLL: Duration = Duration::from_millis(50);

/// What the listener reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Listening(SocketAddr),
    Connected(SocketAddr),
    /// The challenge in both directions succeeded.
    Welcomed(SocketAddr),
    /// A message, its pickle, echoed back.
    Received(SocketAddr, Value, Vec<u8>),
    Closed(SocketAddr),
    /// The connection was dropped, and why.
    Dropped(SocketAddr, String),
}

/// `Listener(('127.0.0.1', port), authkey=key)`; port 0 picks a free one.
pub fn bind(port: u16) -> std::io::Result<TcpListener> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, port))?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Accepts and serves connections until `stop` says so or `connections`
/// connections have ended (0: no limit). Each connection has a thread.
pub fn serve(
    listener: &TcpListener,
    key: &[u8],
    connections: usize,
    stop: &(dyn Fn() -> bool + Sync),
    report: &(dyn Fn(Event) + Sync),
) -> std::io::Result<()> {
    report(Event::Listening(listener.local_addr()?));
    let ended = AtomicUsize::new(0);
    let live = Arc::new(AtomicUsize::new(0));
    std::thread::scope(|scope| {
        let mut accepted = 0;
        loop {
            if stop() || (connections > 0 && ended.load(Ordering::SeqCst) >= connections) {
                return Ok(());
            }
            let full = live.load(Ordering::SeqCst) >= MAX_CONNECTIONS;
            let limit = connections > 0 && accepted >= connections;
            if full || limit {
                std::thread::sleep(POLL);
                continue;
            }
            match listener.accept() {
                Ok((stream, peer)) => {
                    accepted += 1;
                    live.fetch_add(1, Ordering::SeqCst);
                    let (live, ended) = (live.clone(), &ended);
                    scope.spawn(move || {
                        report(Event::Connected(peer));
                        match serve_one(stream, peer, key, stop, report) {
                            Ok(()) => report(Event::Closed(peer)),
                            Err(e) => report(Event::Dropped(peer, e.to_string())),
                        }
                        live.fetch_sub(1, Ordering::SeqCst);
                        ended.fetch_add(1, Ordering::SeqCst);
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => std::thread::sleep(POLL), // e.g. out of descriptors
            }
        }
    })
}

fn serve_one(
    stream: TcpStream,
    peer: SocketAddr,
    key: &[u8],
    stop: &dyn Fn() -> bool,
    report: &dyn Fn(Event),
) -> Result<(), ConnError> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut c = Connection::new(stream, MAX_FRAME);
    let deadline = Instant::now() + AUTH_TIMEOUT;
    let auth_stop = || stop() || Instant::now() >= deadline;
    let auth = |c: &mut Connection<TcpStream>| {
        c.deliver_challenge_until(key, &auth_stop)?;
        c.answer_challenge_until(key, &auth_stop)
    };
    auth(&mut c).map_err(|e| match e {
        ConnError::Interrupted if !stop() => {
            ConnError::Auth("the client did not answer the challenge")
        }
        other => other,
    })?;
    report(Event::Welcomed(peer));
    loop {
        match c.recv_until(stop) {
            Ok((value, bytes)) => {
                c.send(&value)?;
                report(Event::Received(peer, value, bytes));
            }
            Err(ConnError::Closed) => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// `Client(('127.0.0.1', port), authkey=key)`: connects and passes the
/// challenge both ways.
pub fn connect(port: u16, key: &[u8]) -> Result<Connection<TcpStream>, ConnError> {
    connect_until(port, key, &|| false)
}

/// [`connect`], giving up with [`ConnError::Interrupted`] as soon as
/// `stop` says so. The returned connection's reads time out every
/// [`POLL`]: receive with [`Connection::recv_until`].
pub fn connect_until(
    port: u16,
    key: &[u8],
    stop: &dyn Fn() -> bool,
) -> Result<Connection<TcpStream>, ConnError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let stream = TcpStream::connect_timeout(&addr, AUTH_TIMEOUT)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut c = Connection::new(stream, MAX_FRAME);
    let deadline = Instant::now() + AUTH_TIMEOUT;
    let auth_stop = || stop() || Instant::now() >= deadline;
    let auth = |c: &mut Connection<TcpStream>| {
        c.answer_challenge_until(key, &auth_stop)?;
        c.deliver_challenge_until(key, &auth_stop)
    };
    auth(&mut c).map_err(|e| match e {
        ConnError::Interrupted if !stop() => ConnError::Timeout,
        other => other,
    })?;
    Ok(c)
}

/// The client's errors in a learner's words.
pub fn explain(e: &ConnError) -> String {
    match e {
        ConnError::Auth("digest sent was rejected") => {
            "the listener refused our key (AuthenticationError: digest sent was rejected)".into()
        }
        ConnError::Auth("digest received was wrong") => {
            "the listener does not know our key (AuthenticationError: digest received was wrong)"
                .into()
        }
        ConnError::Closed => "the listener closed the connection (is its authkey the same?)".into(),
        other => other.to_string(),
    }
}

/// The notes' message.
pub fn message() -> Value {
    pickle::hello_world()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicBool;

    fn with_listener(key: &'static [u8], body: impl FnOnce(u16)) -> Vec<Event> {
        let l = bind(0).unwrap();
        let port = l.local_addr().unwrap().port();
        let events = Mutex::new(Vec::new());
        let done = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let stop = || done.load(Ordering::SeqCst);
                let report = |e: Event| events.lock().unwrap().push(e);
                serve(&l, key, 0, &stop, &report).unwrap();
            });
            body(port);
            std::thread::sleep(Duration::from_millis(200));
            done.store(true, Ordering::SeqCst);
        });
        events.into_inner().unwrap()
    }

    #[test]
    fn client_and_listener_echo_with_the_right_key() {
        let events = with_listener(b"secret", |port| {
            let mut c = connect(port, b"secret").unwrap();
            c.send(&message()).unwrap();
            assert_eq!(c.recv_until(&|| false).unwrap().0, message());
        });
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Received(_, v, _) if *v == message()))
        );
    }

    #[test]
    fn a_wrong_key_is_refused_and_the_listener_goes_on() {
        let events = with_listener(b"secret", |port| {
            let e = connect(port, b"wrong").unwrap_err();
            assert!(explain(&e).contains("refused our key"), "{e}");
            // A frame that announces 2 GiB: dropped without reading it.
            let mut raw = TcpStream::connect(("127.0.0.1", port)).unwrap();
            raw.write_all(&[0x7f, 0xff, 0xff, 0xff]).unwrap();
            let mut ok = connect(port, b"secret").unwrap();
            ok.send(&message()).unwrap();
            assert_eq!(ok.recv_until(&|| false).unwrap().0, message());
        });
        let dropped: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Dropped(_, why) => Some(why.clone()),
                _ => None,
            })
            .collect();
        assert!(
            dropped
                .iter()
                .any(|w| w.contains("digest received was wrong")),
            "{dropped:?}"
        );
        assert!(
            dropped.iter().any(|w| w.contains("bad message length")),
            "{dropped:?}"
        );
    }
}
