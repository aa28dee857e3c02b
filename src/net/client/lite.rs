//! A bare HTTP/1.1 GET for the demo server alone, for runs of thousands of
//! concurrent requests: reqwest keeps about 15 KB per open request (its
//! buffers and pool), this about 1 KB while waiting, so 10,000 requests fit
//! in the app's memory budget.
//!
//! One connection per request (`Connection: close`), plain `http://` only,
//! answers with a `Content-Length` (what the demo server sends). It sees
//! the end of connecting exactly: the TCP handshake is its own await.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{FetchError, Fetched, Marks, Phase, Request};

/// The largest answer head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Bytes read at a time.
const CHUNK: usize = 4 * 1024;

/// GETs `req.url` on a fresh connection within `timeout`.
pub async fn get(
    req: &Request<'_>,
    timeout: Duration,
    connect_timeout: Duration,
    marks: &mut impl Marks,
) -> Result<Fetched, FetchError> {
    let limit = req.timeout.unwrap_or(timeout);
    match tokio::time::timeout(limit, exchange(req, connect_timeout, marks)).await {
        Ok(r) => r,
        Err(_) => Err(FetchError::Timeout(limit.as_millis() as u64)),
    }
}

async fn exchange(
    req: &Request<'_>,
    connect_timeout: Duration,
    marks: &mut impl Marks,
) -> Result<Fetched, FetchError> {
    let url = reqwest::Url::parse(req.url).map_err(|e| FetchError::Other(format!("{e}")))?;
    if url.scheme() != "http" {
        return Err(FetchError::Other(format!("{}: only http:// here", req.url)));
    }
    let host = url.host_str().unwrap_or("127.0.0.1").to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    let connect = tokio::time::timeout(connect_timeout, TcpStream::connect((host.as_str(), port)));
    let mut stream = match marks.stage(Phase::Connect, connect).await {
        Ok(r) => r.map_err(io_error)?,
        Err(_) => return Err(FetchError::Timeout(connect_timeout.as_millis() as u64)),
    };
    let _ = stream.set_nodelay(true);
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let head = format!(
        "GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: racecourse/{}\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream.write_all(head.as_bytes()).await.map_err(io_error)?;
    // Waiting holds no buffer: only readiness is awaited.
    marks
        .stage(Phase::Response, stream.readable())
        .await
        .map_err(io_error)?;
    let mut buf = BytesMut::with_capacity(CHUNK);
    let (status, length, body_start) = loop {
        let n = marks
            .stage(Phase::Read, stream.read_buf(&mut buf))
            .await
            .map_err(io_error)?;
        if n == 0 {
            return Err(FetchError::Closed);
        }
        if let Some(parsed) = parse_head(&buf)? {
            break parsed;
        }
        if buf.len() > MAX_HEAD {
            return Err(FetchError::Other("answer head too large".into()));
        }
        buf.reserve(CHUNK);
    };
    let _ = buf.split_to(body_start);
    let mut body = req.keep_body.then(BytesMut::new);
    let mut got = 0u64;
    loop {
        if !buf.is_empty() {
            got += buf.len() as u64;
            if let Some(b) = body.as_mut() {
                b.extend_from_slice(&buf);
            }
            buf.clear();
            marks.bytes(got);
        }
        if got >= length {
            break;
        }
        buf.reserve(CHUNK);
        let n = marks
            .stage(Phase::Read, stream.read_buf(&mut buf))
            .await
            .map_err(io_error)?;
        if n == 0 {
            return Err(FetchError::Closed);
        }
    }
    if !(200..300).contains(&status) {
        return Err(FetchError::Status(status));
    }
    Ok(Fetched {
        status,
        bytes: got,
        body: body
            .map(BytesMut::freeze)
            .or(req.keep_body.then(Bytes::new)),
        new_connection: true,
    })
}

/// Status, `Content-Length` and where the body starts, once the head is in.
fn parse_head(buf: &[u8]) -> Result<Option<(u16, u64, usize)>, FetchError> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(None);
    };
    let bad = |what: &str| FetchError::Other(format!("malformed answer: {what}"));
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| bad("not text"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| bad("status line"))?;
    let mut length = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<u64>().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(bad("chunked answers are not read here"));
        }
    }
    let length = length.ok_or_else(|| bad("no Content-Length"))?;
    Ok(Some((status, length, end + 4)))
}

fn io_error(e: std::io::Error) -> FetchError {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => FetchError::Refused,
        std::io::ErrorKind::TimedOut => FetchError::Timeout(0),
        std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::UnexpectedEof
        | std::io::ErrorKind::BrokenPipe => FetchError::Closed,
        _ => FetchError::Connect(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_or_wait_for_more() {
        let ok = b"HTTP/1.1 404 Not Found\r\ncontent-length: 12\r\nx: y\r\n\r\n{\"error\":1}";
        assert_eq!(parse_head(ok).unwrap(), Some((404, 12, 52)));
        assert_eq!(parse_head(b"HTTP/1.1 200 OK\r\ncontent-le").unwrap(), None);
        assert!(parse_head(b"garbage\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert!(parse_head(chunked).is_err());
    }
}
