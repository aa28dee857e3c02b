//! Plain HTTP/1.1 to the demo server over connections this client opens
//! itself: the TCP connect is an await of its own (the exact `connect`
//! phase), then hyper's client connection speaks HTTP over the stream.
//!
//! A new connection is driven by the request's own future, so that a
//! request costs no task of its own; when its answer is read to the end
//! the connection moves to a task of its own and waits, idle, in the
//! client's pool for the next request to the same host.

mod drive;

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Empty};
use hyper::Uri;
use hyper::client::conn::http1;
use hyper::header::{CONNECTION, HOST, HeaderValue, USER_AGENT};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use drive::drive;

use super::{FetchError, Fetched, Limits, Marks, Phase, Request};

type Sender = http1::SendRequest<Empty<Bytes>>;
type Conn = Pin<Box<http1::Connection<TokioIo<TcpStream>, Empty<Bytes>>>>;
type HttpRequest = hyper::Request<Empty<Bytes>>;

/// Read buffer of a connection that carries one request only: the demo
/// server's answer heads are a few hundred bytes, and a thousand of these
/// are open at once (hyper's adaptive buffer starts at 8 KB and grows).
/// Each read is a body chunk, a `Progress` event and a poll of the task.
const LEAN_READ_BUF: usize = 4 * 1024;

/// Connections a one-per-request client keeps open at once; more requests
/// wait for a permit, shown as such (aiohttp's connector has the same
/// `limit`, 100 by default). An open hyper client connection costs about
/// 20 KB (its write buffer and request channel, 8 KB each, and its read
/// buffer), so 10,000 at once would not fit in the app's 100 MB; 1,024 at
/// 100 ms latency still pass 10,000 requests a second.
pub const LEAN_CONNECTIONS: usize = 1_024;

const UA: &str = concat!("racecourse/", env!("CARGO_PKG_VERSION"));

/// The HTTP side of a client: how it speaks, and its idle connections.
pub(super) struct Direct {
    /// Idle connections by `host:port`; `None` for one connection per
    /// request (`Connection: close`).
    pool: Option<Mutex<Vec<(String, Sender)>>>,
    /// Open connections at most, when limited.
    window: Option<Arc<Semaphore>>,
    http: http1::Builder,
}

impl Direct {
    /// A client that keeps its connections alive for later requests.
    pub(super) fn pooled() -> Direct {
        Direct {
            pool: Some(Mutex::new(Vec::new())),
            window: None,
            http: http1::Builder::new(),
        }
    }

    /// A client that opens one connection per request, with lean buffers,
    /// at most [`LEAN_CONNECTIONS`] at once.
    pub(super) fn lean() -> Direct {
        let mut http = http1::Builder::new();
        http.read_buf_exact_size(Some(LEAN_READ_BUF));
        Direct {
            pool: None,
            window: Some(Arc::new(Semaphore::new(LEAN_CONNECTIONS))),
            http,
        }
    }

    /// Whether connections are kept for later requests.
    pub(super) fn keeps_alive(&self) -> bool {
        self.pool.is_some()
    }

    /// GETs `req.url` within its timeout.
    pub(super) async fn get(
        &self,
        req: &Request<'_>,
        limits: Limits,
        marks: &mut impl Marks,
    ) -> Result<Fetched, FetchError> {
        // The timeout is the server's: it starts once a permit is held.
        let _permit = self.permit(marks).await;
        let limit = req.timeout.unwrap_or(limits.timeout);
        // Boxed: a request waiting for its permit stays small.
        let exchange = Box::pin(self.exchange(req, limits.connect_timeout, marks));
        match tokio::time::timeout(limit, exchange).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout(millis(limit))),
        }
    }

    /// A permit to open a connection, when their number is limited.
    async fn permit(&self, marks: &mut impl Marks) -> Option<OwnedSemaphorePermit> {
        let window = self.window.as_ref()?;
        if let Ok(p) = window.clone().try_acquire_owned() {
            return Some(p);
        }
        // The semaphore is never closed.
        let wait = window.clone().acquire_owned();
        marks.stage(Phase::Permit, wait).await.ok()
    }

    async fn exchange(
        &self,
        req: &Request<'_>,
        connect_timeout: Duration,
        marks: &mut impl Marks,
    ) -> Result<Fetched, FetchError> {
        let to = Destination::parse(req.url)?;
        let mut request = to.request(self.keeps_alive())?;
        let mut idle = self.take_idle(&to.authority).await;
        let (sender, new_connection, mut driven, resp) = loop {
            if let Some(mut sender) = idle.take() {
                // A kept connection is driven by its own task.
                let sent = sender.try_send_request(request);
                match marks.stage(Phase::Response, sent).await {
                    Ok(resp) => break (sender, false, None, resp),
                    // It closed before it took the request: take another.
                    Err(mut e) => match e.take_message() {
                        Some(unsent) => request = unsent,
                        None => return Err(FetchError::from_hyper(&e.into_error())),
                    },
                }
                idle = self.take_idle(&to.authority).await;
                continue;
            }
            let (mut sender, conn) = self.connect(&to, connect_timeout, marks).await?;
            let mut conn = Some(conn);
            let sent = drive(&mut conn, sender.send_request(request));
            let resp = marks.stage(Phase::Response, sent).await;
            break (
                sender,
                true,
                conn,
                resp.map_err(|e| FetchError::from_hyper(&e))?,
            );
        };
        let status = resp.status().as_u16();
        let mut body = resp.into_body();
        let mut bytes = 0u64;
        let mut kept = req.keep_body.then(BytesMut::new);
        while let Some(frame) = marks
            .stage(Phase::Read, drive(&mut driven, body.frame()))
            .await
        {
            let frame = frame.map_err(|e| FetchError::from_hyper(&e))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            bytes += data.len() as u64;
            if let Some(k) = kept.as_mut() {
                k.extend_from_slice(&data);
            }
            marks.bytes(bytes);
        }
        // Read to the end: the connection can carry the next request.
        self.put_back(to.authority, sender, new_connection, driven);
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        Ok(Fetched {
            status,
            bytes,
            body: kept.map(BytesMut::freeze),
            new_connection,
        })
    }

    /// Opens a connection: the TCP connect is the `connect` phase, nothing
    /// else (HTTP/1.1's handshake sends nothing).
    async fn connect(
        &self,
        to: &Destination,
        connect_timeout: Duration,
        marks: &mut impl Marks,
    ) -> Result<(Sender, Conn), FetchError> {
        let connect = TcpStream::connect((to.host.as_str(), to.port));
        let connect = tokio::time::timeout(connect_timeout, connect);
        let stream = match marks.stage(Phase::Connect, connect).await {
            Ok(r) => r.map_err(|e| FetchError::from_io(&e))?,
            Err(_) => return Err(FetchError::Timeout(millis(connect_timeout))),
        };
        let _ = stream.set_nodelay(true);
        let (sender, conn) = self
            .http
            .handshake(TokioIo::new(stream))
            .await
            .map_err(|e| FetchError::from_hyper(&e))?;
        Ok((sender, Box::pin(conn)))
    }

    /// An idle connection to `authority` that is ready for a request.
    async fn take_idle(&self, authority: &str) -> Option<Sender> {
        let pool = self.pool.as_ref()?;
        loop {
            let mut sender = {
                let mut idle = pool.lock().unwrap_or_else(|e| e.into_inner());
                let i = idle.iter().rposition(|(a, _)| a == authority)?;
                idle.swap_remove(i).1
            };
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    /// Keeps an open connection for the next request. A new one was driven
    /// by the request (`driven`, `None` once it ended) and gets a task of
    /// its own now; a kept one has its task already.
    fn put_back(&self, authority: String, sender: Sender, new: bool, driven: Option<Conn>) {
        let Some(pool) = &self.pool else { return };
        if sender.is_closed() {
            return;
        }
        if new {
            let Some(conn) = driven else { return };
            tokio::spawn(async move {
                let _ = conn.await;
            });
        }
        let mut idle = pool.lock().unwrap_or_else(|e| e.into_inner());
        idle.push((authority, sender));
    }
}

/// Where a request goes.
struct Destination {
    host: String,
    port: u16,
    /// `host:port` as the URL wrote it, for the `Host` header.
    authority: String,
    path: String,
}

impl Destination {
    fn parse(url: &str) -> Result<Destination, FetchError> {
        let uri: Uri = url
            .parse()
            .map_err(|e| FetchError::Other(format!("{url}: {e}")))?;
        if uri.scheme_str() != Some("http") {
            return Err(FetchError::Other(format!("{url}: only http:// here")));
        }
        let (Some(host), Some(authority)) = (uri.host(), uri.authority()) else {
            return Err(FetchError::Other(format!("{url}: no host")));
        };
        Ok(Destination {
            host: host.trim_start_matches('[').trim_end_matches(']').into(),
            port: uri.port_u16().unwrap_or(80),
            authority: authority.as_str().into(),
            path: uri.path_and_query().map_or("/", |p| p.as_str()).into(),
        })
    }

    fn request(&self, keep_alive: bool) -> Result<HttpRequest, FetchError> {
        let mut b = hyper::Request::get(self.path.as_str())
            .header(HOST, self.authority.as_str())
            .header(USER_AGENT, HeaderValue::from_static(UA));
        if !keep_alive {
            b = b.header(CONNECTION, HeaderValue::from_static("close"));
        }
        b.body(Empty::new())
            .map_err(|e| FetchError::Other(format!("{}: {e}", self.path)))
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_plain_http_only() {
        let d = Destination::parse("http://127.0.0.1:8080/sites/dice?latency=5").unwrap();
        assert_eq!((d.host.as_str(), d.port), ("127.0.0.1", 8080));
        assert_eq!(d.authority, "127.0.0.1:8080");
        assert_eq!(d.path, "/sites/dice?latency=5");
        let r = d.request(false).unwrap();
        assert_eq!(r.headers()[HOST], "127.0.0.1:8080");
        assert_eq!(r.headers()[CONNECTION], "close");
        assert!(d.request(true).unwrap().headers().get(CONNECTION).is_none());
        assert_eq!(Destination::parse("http://[::1]/").unwrap().host, "::1");
        assert!(Destination::parse("https://pokeapi.co/").is_err());
        assert!(Destination::parse("not a url").is_err());
    }
}
