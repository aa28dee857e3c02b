//! `multiprocessing.connection.Connection` over any byte stream (a socket,
//! a pipe), speaking CPython 3.11's wire format
//! (`Lib/multiprocessing/connection.py`):
//!
//! - a message is a frame: a 4-byte big-endian signed length, then that
//!   many bytes; a frame longer than `0x7fffffff` bytes is announced with
//!   length `-1` and the real length as 8 bytes big-endian (`_send_bytes`);
//! - `send(obj)` sends `pickle.dumps(obj)` as one frame, `recv()` unpickles
//!   one;
//! - with an `authkey`, each side proves it knows the key (`deliver_challenge`
//!   / `answer_challenge`): the challenger sends `#CHALLENGE#` and 20 random
//!   bytes, the other answers `hmac.new(key, those 20 bytes, 'md5').digest()`,
//!   the challenger replies `#WELCOME#` or `#FAILURE#`. The listener
//!   challenges first, then is challenged; the client the other way round.
//!
//! CPython 3.12 changed the challenge to name its digest
//! (`#CHALLENGE#{sha256}…`); this module speaks 3.11's form only.

use std::io::{Read, Write};

use hmac::{KeyInit, Mac};

use super::pickle::{self, PickleError, Value};

pub const CHALLENGE: &[u8] = b"#CHALLENGE#";
pub const WELCOME: &[u8] = b"#WELCOME#";
pub const FAILURE: &[u8] = b"#FAILURE#";
/// Random bytes in a challenge (`MESSAGE_LENGTH`).
pub const MESSAGE_LENGTH: usize = 20;
/// Largest frame read during the handshake, as CPython's `recv_bytes(256)`.
const AUTH_MAX: usize = 256;

/// What went wrong on a connection.
#[derive(Debug, thiserror::Error)]
pub enum ConnError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("connection closed by the other side")]
    Closed,
    #[error("bad message length {0} (limit {1} bytes)")]
    BadLength(i128, usize),
    #[error("not a message racecourse reads: {0}")]
    Pickle(#[from] PickleError),
    #[error("authentication failed: {0}")]
    Auth(&'static str),
    /// No message began within the stream's read timeout.
    #[error("timed out")]
    Timeout,
    #[error("interrupted (KeyboardInterrupt)")]
    Interrupted,
}

/// One end of a connection, with a limit on the frames it accepts.
#[derive(Debug)]
pub struct Connection<S> {
    stream: S,
    max_frame: usize,
}

impl<S: Read + Write> Connection<S> {
    /// A connection that accepts frames up to `max_frame` bytes.
    pub fn new(stream: S, max_frame: usize) -> Connection<S> {
        Connection { stream, max_frame }
    }

    /// The stream underneath.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// `send_bytes(buf)`: one frame.
    pub fn send_bytes(&mut self, buf: &[u8]) -> Result<(), ConnError> {
        self.stream.write_all(&frame_header(buf.len()))?;
        self.stream.write_all(buf)?;
        self.stream.flush()?;
        Ok(())
    }

    /// `recv_bytes()`: one frame, refused when longer than the limit (or
    /// `max`, whichever is smaller) before anything of its body is read.
    /// On a stream with a read timeout, no first byte in time is
    /// [`ConnError::Timeout`]; a frame begun is waited for to its end.
    pub fn recv_bytes_max(&mut self, max: usize) -> Result<Vec<u8>, ConnError> {
        self.read_frame(max, None)
    }

    /// One frame, as [`Connection::recv_bytes_max`], but between the read
    /// timeouts (before the frame and inside it) `stop` is asked, and
    /// [`ConnError::Interrupted`] returned once it says so.
    pub fn recv_bytes_until(
        &mut self,
        max: usize,
        stop: &dyn Fn() -> bool,
    ) -> Result<Vec<u8>, ConnError> {
        self.read_frame(max, Some(stop))
    }

    fn read_frame(
        &mut self,
        max: usize,
        stop: Option<&dyn Fn() -> bool>,
    ) -> Result<Vec<u8>, ConnError> {
        let limit = max.min(self.max_frame);
        let mut head = [0u8; 4];
        read_all(&mut self.stream, &mut head, true, stop)?;
        let mut size = i128::from(i32::from_be_bytes(head));
        if size == -1 {
            let mut long = [0u8; 8];
            read_all(&mut self.stream, &mut long, false, stop)?;
            size = i128::from(u64::from_be_bytes(long));
        }
        let n = usize::try_from(size)
            .ok()
            .filter(|&n| n <= limit)
            .ok_or(ConnError::BadLength(size, limit))?;
        let mut buf = vec![0u8; n];
        read_all(&mut self.stream, &mut buf, false, stop)?;
        Ok(buf)
    }

    /// `recv_bytes()` up to the connection's limit.
    pub fn recv_bytes(&mut self) -> Result<Vec<u8>, ConnError> {
        self.recv_bytes_max(usize::MAX)
    }

    /// `send(obj)`: the pickle of `obj`, as one frame.
    pub fn send(&mut self, v: &Value) -> Result<(), ConnError> {
        self.send_bytes(&pickle::dumps(v))
    }

    /// `recv()`: one frame, unpickled; also returns its bytes.
    pub fn recv(&mut self) -> Result<(Value, Vec<u8>), ConnError> {
        let bytes = self.recv_bytes()?;
        Ok((pickle::loads(&bytes)?, bytes))
    }

    /// `recv()` on a stream with a read timeout: waits, asking `stop`
    /// between timeouts (also in the middle of a frame), until a message
    /// comes or `stop` says so.
    pub fn recv_until(&mut self, stop: &dyn Fn() -> bool) -> Result<(Value, Vec<u8>), ConnError> {
        let bytes = self.read_frame(usize::MAX, Some(stop))?;
        Ok((pickle::loads(&bytes)?, bytes))
    }

    /// `deliver_challenge`: makes the other side prove it has `key`.
    pub fn deliver_challenge(&mut self, key: &[u8]) -> Result<(), ConnError> {
        self.deliver(key, None)
    }

    /// `deliver_challenge`, asking `stop` while it waits (see
    /// [`Connection::recv_bytes_until`]).
    pub fn deliver_challenge_until(
        &mut self,
        key: &[u8],
        stop: &dyn Fn() -> bool,
    ) -> Result<(), ConnError> {
        self.deliver(key, Some(stop))
    }

    fn deliver(&mut self, key: &[u8], stop: Option<&dyn Fn() -> bool>) -> Result<(), ConnError> {
        let message = random_bytes()?;
        let mut challenge = CHALLENGE.to_vec();
        challenge.extend_from_slice(&message);
        self.send_bytes(&challenge)?;
        let response = self.read_frame(AUTH_MAX, stop)?;
        if verify(key, &message, &response) {
            self.send_bytes(WELCOME)
        } else {
            self.send_bytes(FAILURE)?;
            Err(ConnError::Auth("digest received was wrong"))
        }
    }

    /// `answer_challenge`: proves to the other side that we have `key`.
    pub fn answer_challenge(&mut self, key: &[u8]) -> Result<(), ConnError> {
        self.answer(key, None)
    }

    /// `answer_challenge`, asking `stop` while it waits.
    pub fn answer_challenge_until(
        &mut self,
        key: &[u8],
        stop: &dyn Fn() -> bool,
    ) -> Result<(), ConnError> {
        self.answer(key, Some(stop))
    }

    fn answer(&mut self, key: &[u8], stop: Option<&dyn Fn() -> bool>) -> Result<(), ConnError> {
        let message = self.read_frame(AUTH_MAX, stop)?;
        let Some(body) = message.strip_prefix(CHALLENGE) else {
            return Err(ConnError::Auth("the other side sent no challenge"));
        };
        self.send_bytes(&digest(key, body))?;
        let response = self.read_frame(AUTH_MAX, stop)?;
        if response == WELCOME {
            Ok(())
        } else {
            Err(ConnError::Auth("digest sent was rejected"))
        }
    }
}

/// The length prefix of a frame of `n` bytes.
pub fn frame_header(n: usize) -> Vec<u8> {
    match i32::try_from(n) {
        Ok(small) => small.to_be_bytes().to_vec(),
        Err(_) => {
            let mut h = (-1i32).to_be_bytes().to_vec();
            h.extend_from_slice(&(n as u64).to_be_bytes());
            h
        }
    }
}

/// `hmac.new(key, message, 'md5').digest()`.
pub fn digest(key: &[u8], message: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = hmac::Hmac::<md5::Md5>::new_from_slice(key) else {
        unreachable!("HMAC takes a key of any length")
    };
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn verify(key: &[u8], message: &[u8], response: &[u8]) -> bool {
    let Ok(mut mac) = hmac::Hmac::<md5::Md5>::new_from_slice(key) else {
        return false;
    };
    mac.update(message);
    mac.verify_slice(response).is_ok()
}

fn random_bytes() -> std::io::Result<[u8; MESSAGE_LENGTH]> {
    let mut b = [0u8; MESSAGE_LENGTH];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
    Ok(b)
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// Reads exactly `buf.len()` bytes; an end of stream before the first byte
/// of a frame is a clean close. With `stop`, every read timeout asks it.
fn read_all(
    r: &mut impl Read,
    buf: &mut [u8],
    first: bool,
    stop: Option<&dyn Fn() -> bool>,
) -> Result<(), ConnError> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) if first && got == 0 => return Err(ConnError::Closed),
            Ok(0) => {
                return Err(ConnError::Io(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the connection closed in the middle of a message",
                )));
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) && stop.is_some_and(|s| s()) => {
                return Err(ConnError::Interrupted);
            }
            Err(e) if is_timeout(&e) && stop.is_some() => {}
            Err(e) if is_timeout(&e) && first && got == 0 => return Err(ConnError::Timeout),
            // A timeout in the middle of a message: the rest is coming.
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A stream that reads from one buffer and writes into another.
    struct Duplex {
        input: Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Duplex {
        fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
            self.input.read(b)
        }
    }

    impl Write for Duplex {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.output.write(b)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn conn(input: Vec<u8>) -> Connection<Duplex> {
        let d = Duplex {
            input: Cursor::new(input),
            output: Vec::new(),
        };
        Connection::new(d, 1 << 20)
    }

    #[test]
    fn frames_are_big_endian_length_prefixed() {
        let mut c = conn(Vec::new());
        c.send(&pickle::hello_world()).unwrap();
        let out = &c.stream.output;
        assert_eq!(&out[..4], &[0, 0, 0, 32]);
        assert_eq!(out.len(), 36);
        let mut back = conn(out.clone());
        assert_eq!(back.recv().unwrap().0, pickle::hello_world());
        assert!(matches!(back.recv(), Err(ConnError::Closed)));
    }

    #[test]
    fn large_frames_use_the_eight_byte_length() {
        assert_eq!(frame_header(5), [0, 0, 0, 5]);
        let h = frame_header(0x8000_0000);
        assert_eq!(h, [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x80, 0, 0, 0]);
    }

    #[test]
    fn oversized_and_cut_frames_are_errors() {
        let mut c = conn(vec![0x7f, 0xff, 0xff, 0xff]);
        assert!(matches!(c.recv_bytes(), Err(ConnError::BadLength(_, _))));
        let mut c = conn(vec![0xff, 0xff, 0xff, 0xfe, 1, 2]);
        assert!(matches!(c.recv_bytes(), Err(ConnError::BadLength(-2, _))));
        let mut c = conn([vec![0xff; 4], vec![0, 0, 0, 1, 0, 0, 0, 0]].concat());
        assert!(matches!(c.recv_bytes(), Err(ConnError::BadLength(_, _))));
        let mut c = conn(vec![0, 0, 0, 9, 1, 2]);
        assert!(matches!(c.recv_bytes(), Err(ConnError::Io(_))));
    }

    #[test]
    fn the_digest_is_hmac_md5() {
        // hmac.new(b'key', b'The quick brown fox jumps over the lazy dog', 'md5')
        let d = digest(b"key", b"The quick brown fox jumps over the lazy dog");
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "80070713463e7749b90c2dc24911e275");
    }

    #[test]
    fn an_answer_with_the_right_key_is_welcome() {
        let body = [7u8; MESSAGE_LENGTH];
        let challenge = [CHALLENGE, &body].concat();
        let input = [
            frame_header(challenge.len()),
            challenge,
            frame_header(WELCOME.len()),
            WELCOME.to_vec(),
        ]
        .concat();
        let mut c = conn(input);
        c.answer_challenge(b"secret").unwrap();
        let sent = &c.stream.output;
        assert_eq!(&sent[4..], digest(b"secret", &body).as_slice());
        let refused = [
            frame_header(31),
            [CHALLENGE, &body].concat(),
            frame_header(9),
            FAILURE.to_vec(),
        ]
        .concat();
        let e = conn(refused).answer_challenge(b"secret").unwrap_err();
        assert_eq!(
            e.to_string(),
            "authentication failed: digest sent was rejected"
        );
    }
}
