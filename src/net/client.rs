//! The instrumented HTTP client of the examples: a timeout on every
//! request, failures sorted into classes, and each request's phases drawn
//! as they happen.
//!
//! # Phases
//!
//! A request goes through up to three phases, which the examples report as
//! `Blocked { on: Io { phase, target: url } }` events (the waterfall colours
//! a bar by its phase):
//!
//! - `connect`: the request opens a new connection. Against the demo server
//!   this is exactly the TCP connect, which the client makes itself; online
//!   (reqwest, TLS) it lasts until the answer begins, because reqwest does
//!   not report when a handshake ends.
//! - `wait`: the request is with the server; waiting for the answer's head.
//! - `read`: the body arrives; `Progress` events count its bytes.
//!
//! HTTP/1.1 carries one request at a time per connection, so a request
//! reuses a connection when an earlier request of the same client read its
//! answer to the end and left the connection idle in the pool.
//!
//! # Two backends
//!
//! Against the demo server (plain `http://` on loopback) the client opens
//! its own `TcpStream` and speaks through hyper's client connection
//! ([`direct`]). Online, against the real sites of the notes (TLS, proxies,
//! redirects), it is reqwest, the notes' `requests`/`aiohttp`.
//! [`Fetcher::lite`] is the demo-server client with one connection per
//! request and lean buffers, used above a thousand concurrent async
//! downloads: 10,000 of them must fit in the app's 100 MB.

mod blocking;
mod direct;
mod error;
mod per_thread;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::{Bytes, BytesMut};

pub use blocking::{IoRuntime, until_interrupted};
pub use error::FetchError;
pub use per_thread::PerThread;

use direct::Direct;

/// One phase of a request: the trace's own I/O phases.
pub use crate::trace::IoPhase as Phase;

/// How a request's phases are drawn: the examples' sync, threaded and async
/// versions each report them their own way.
pub trait Marks {
    /// Awaits one stage of the request, drawn as `phase` while it waits.
    fn stage<F: Future>(&mut self, phase: Phase, fut: F) -> impl Future<Output = F::Output>;
    /// Body bytes received so far.
    fn bytes(&mut self, total: u64);
}

/// Draws nothing.
pub struct NoMarks;

impl Marks for NoMarks {
    fn stage<F: Future>(&mut self, _: Phase, fut: F) -> impl Future<Output = F::Output> {
        fut
    }
    fn bytes(&mut self, _: u64) {}
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// Body size in bytes.
    pub bytes: u64,
    /// The body, when asked to keep it.
    pub body: Option<Bytes>,
    /// Whether the request opened a new connection.
    pub new_connection: bool,
}

/// One GET.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub url: &'a str,
    /// Keep the body (pokemon JSON) or only count it (site pages).
    pub keep_body: bool,
    /// Replaces the client's timeout for this request.
    pub timeout: Option<Duration>,
}

impl<'a> Request<'a> {
    /// A GET that counts the body and keeps the client's timeout.
    pub fn get(url: &'a str) -> Request<'a> {
        Request {
            url,
            keep_body: false,
            timeout: None,
        }
    }

    /// Keeps the body.
    pub fn keep_body(mut self) -> Request<'a> {
        self.keep_body = true;
        self
    }

    /// Sets this request's timeout.
    pub fn timeout(mut self, t: Duration) -> Request<'a> {
        self.timeout = Some(t);
        self
    }
}

/// Time limits of a client.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole request, body included.
    pub timeout: Duration,
    /// Opening the connection alone.
    pub connect_timeout: Duration,
}

impl Limits {
    /// Limits for the demo server: its latency and jitter plus a margin, so
    /// that a `slow` fault (30 s) is a timeout.
    pub fn offline(latency: Duration, jitter: Duration) -> Limits {
        Limits {
            timeout: latency + jitter + Duration::from_secs(3),
            connect_timeout: Duration::from_secs(3),
        }
    }

    /// Limits for the real internet: short, so a machine without a network
    /// says so quickly.
    pub fn online() -> Limits {
        Limits {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
        }
    }
}

/// One HTTP client with its own connection pool (the notes' `Session`).
#[derive(Clone)]
pub struct Fetcher {
    backend: Backend,
    limits: Limits,
}

#[derive(Clone)]
enum Backend {
    /// Online: reqwest, with its count of idle connections.
    Reqwest {
        client: reqwest::Client,
        idle: Arc<AtomicUsize>,
    },
    /// The demo server: hyper over connections opened here.
    Direct(Arc<Direct>),
}

impl Fetcher {
    /// A client with these limits. `loopback` is for the demo server
    /// (plain HTTP, always direct, the exact connect phase); otherwise it
    /// is reqwest, for the real sites.
    pub fn new(limits: Limits, loopback: bool) -> Result<Fetcher, FetchError> {
        // Thousands of concurrent requests need as many descriptors.
        crate::net::limits::raise_fd_limit();
        if loopback {
            return Ok(Fetcher {
                backend: Backend::Direct(Arc::new(Direct::pooled())),
                limits,
            });
        }
        let client = reqwest::Client::builder()
            .timeout(limits.timeout)
            .connect_timeout(limits.connect_timeout)
            .tcp_nodelay(true)
            .user_agent(concat!("racecourse/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FetchError::Other(format!("building the HTTP client: {e}")))?;
        Ok(Fetcher {
            backend: Backend::Reqwest {
                client,
                idle: Arc::new(AtomicUsize::new(0)),
            },
            limits,
        })
    }

    /// A client for the demo server only, light enough for 10,000
    /// concurrent requests: one connection per request, lean buffers.
    pub fn lite(limits: Limits) -> Fetcher {
        crate::net::limits::raise_fd_limit();
        Fetcher {
            backend: Backend::Direct(Arc::new(Direct::lean())),
            limits,
        }
    }

    /// Whether this is the one-connection-per-request client.
    pub fn is_lite(&self) -> bool {
        matches!(&self.backend, Backend::Direct(d) if !d.keeps_alive())
    }

    /// The client's limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// GETs `req.url`, drawing its phases and bytes through `marks`; an
    /// error status is a [`FetchError::Status`]. Dropping the future cancels
    /// the request.
    pub async fn get(
        &self,
        req: &Request<'_>,
        marks: &mut impl Marks,
    ) -> Result<Fetched, FetchError> {
        match &self.backend {
            // Boxed: reqwest's future is large, and the demo server's tasks
            // (10,000 of them) must stay small.
            Backend::Reqwest { client, idle } => {
                Box::pin(self.get_reqwest(client, idle, req, marks)).await
            }
            Backend::Direct(d) => d.get(req, self.limits, marks).await,
        }
    }

    async fn get_reqwest(
        &self,
        client: &reqwest::Client,
        idle: &AtomicUsize,
        req: &Request<'_>,
        marks: &mut impl Marks,
    ) -> Result<Fetched, FetchError> {
        let reused = idle
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
            .is_ok();
        let limit = req.timeout.unwrap_or(self.limits.timeout);
        let classify = |e: reqwest::Error| FetchError::classify(&e, limit);
        let builder = client.get(req.url).timeout(limit);
        let first = if reused {
            Phase::Response
        } else {
            Phase::Connect
        };
        let mut resp = marks.stage(first, builder.send()).await.map_err(classify)?;
        let status = resp.status();
        let mut bytes = 0u64;
        let mut body = req.keep_body.then(BytesMut::new);
        while let Some(chunk) = marks
            .stage(Phase::Read, resp.chunk())
            .await
            .map_err(classify)?
        {
            bytes += chunk.len() as u64;
            if let Some(b) = body.as_mut() {
                b.extend_from_slice(&chunk);
            }
            marks.bytes(bytes);
        }
        // Read to the end: the connection goes back to the pool.
        idle.fetch_add(1, Ordering::AcqRel);
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        Ok(Fetched {
            status: status.as_u16(),
            bytes,
            body: body.map(BytesMut::freeze),
            new_connection: !reused,
        })
    }
}
