//! The offline demo web server: loopback only, bounded, never panics on what
//! the network sends it.
//!
//! Over the connection cap, new connections *wait*: the accept loop stops
//! accepting until one closes, so they queue in the kernel's backlog and see
//! a slower connect, never an error made up by the server. Inside one
//! process the cap is also held to half the open-file budget, so that the
//! process's own clients (the examples) keep the other half.

mod conn;
mod faults;
mod handle;
mod routes;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{Semaphore, watch};

pub use faults::{Fault, MAX_QUERY_LATENCY, Overrides, parse_query};
pub use handle::ServerHandle;
pub use routes::{SITES, Site};

use crate::net::limits;
use crate::net::pokedex::{Pokedex, PokedexError};

/// How the demo server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Wait before answering each example request.
    pub latency: Duration,
    /// Uniform random extra wait, up to this.
    pub jitter: Duration,
    /// Share of example requests that fail (500, slow or dropped, evenly).
    pub fail_rate: f64,
    /// Open connections at most; more wait to be accepted.
    pub max_connections: usize,
    /// How long a `slow` fault holds its answer back.
    pub slow: Duration,
    /// A client must send its request head within this; idle keep-alive
    /// connections are closed after it too.
    pub header_timeout: Duration,
    /// Largest request head (request line and headers) accepted.
    pub max_header_bytes: usize,
    /// Largest request body accepted (the routes need none).
    pub max_body_bytes: usize,
    /// Seed of the jitter and fault choices.
    pub seed: u64,
    /// Log one line per request (method, path, status, latency) to stderr.
    pub log: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            port: 0,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            fail_rate: 0.0,
            max_connections: 16_384,
            slow: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            max_header_bytes: 16 * 1024,
            max_body_bytes: 64 * 1024,
            seed: 0x5eed,
            log: false,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "port {0} is already in use on 127.0.0.1 (pick another with --port, or --port 0 for a free one)"
    )]
    PortInUse(u16),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("bad server setting: {0}")]
    Config(String),
    #[error("the embedded pokemon table is broken: {0}")]
    Data(#[from] PokedexError),
}

/// What every connection and request handler shares.
struct State {
    latency: Duration,
    jitter: Duration,
    fail_rate: f64,
    slow: Duration,
    max_body: usize,
    header_timeout: Duration,
    seed: u64,
    requests: AtomicU64,
    log: bool,
    dex: &'static Pokedex,
    /// One per open connection: none left means the server is full.
    permits: Arc<Semaphore>,
}

impl State {
    /// The next request's delay and fault (its own random draw).
    fn plan(&self, o: &Overrides) -> faults::Plan {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut rng = fastrand::Rng::with_seed(self.seed ^ n);
        faults::plan(self.latency, self.jitter, self.fail_rate, o, &mut rng)
    }
}

/// Starts the server on the current tokio runtime.
pub async fn start(cfg: ServerConfig) -> anyhow::Result<ServerHandle> {
    if !(0.0..=1.0).contains(&cfg.fail_rate) {
        let msg = format!("fail rate {} is not between 0 and 1", cfg.fail_rate);
        return Err(ServerError::Config(msg).into());
    }
    let dex = Pokedex::get().map_err(ServerError::Data)?;
    let listener = bind(cfg.port)?;
    let addr = listener
        .local_addr()
        .context("reading the server's address")?;
    let cap = cfg
        .max_connections
        .clamp(1, limits::server_share(limits::raise_fd_limit()))
        .min(Semaphore::MAX_PERMITS)
        .min(u32::MAX as usize);
    let permits = Arc::new(Semaphore::new(cap));
    let state = Arc::new(State {
        header_timeout: cfg.header_timeout,
        permits: permits.clone(),
        latency: cfg.latency,
        jitter: cfg.jitter,
        fail_rate: cfg.fail_rate,
        slow: cfg.slow,
        max_body: cfg.max_body_bytes,
        seed: cfg.seed,
        requests: AtomicU64::new(0),
        log: cfg.log,
        dex,
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(cfg.header_timeout)
        .max_header_size(cfg.max_header_bytes.max(1024))
        .max_buf_size((cfg.max_header_bytes * 2).max(16 * 1024));
    let (stop, _) = watch::channel(false);
    let accept = tokio::spawn(accept_loop(
        listener,
        http,
        state,
        permits.clone(),
        stop.subscribe(),
    ));
    Ok(ServerHandle::new(addr, stop, accept, permits, cap as u32))
}

fn bind(port: u16) -> Result<TcpListener, ServerError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let err = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            ServerError::PortInUse(port)
        } else {
            ServerError::Bind { port, source }
        }
    };
    let socket = TcpSocket::new_v4().map_err(err)?;
    // Restarting right after a stop must not fail on TIME_WAIT; on Linux this
    // still refuses a port another listener holds.
    socket.set_reuseaddr(true).map_err(err)?;
    socket.bind(addr).map_err(err)?;
    // A deep backlog: 10,000 clients connecting at once must not be dropped.
    socket.listen(8192).map_err(err)
}

async fn accept_loop(
    listener: TcpListener,
    http: hyper::server::conn::http1::Builder,
    state: Arc<State>,
    permits: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => return,
            },
            _ = stop.changed() => return,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of descriptors (or a connection reset before we
                    // took it): back off instead of spinning.
                    if !matches!(e.kind(), std::io::ErrorKind::ConnectionAborted) {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    continue;
                }
            },
            _ = stop.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        let (st, http, stop) = (state.clone(), http.clone(), stop.clone());
        tokio::spawn(async move {
            conn::serve(stream, st, http, stop).await;
            drop(permit);
        });
    }
}

/// The bytes of a stand-in site page by route name, for tests and examples.
pub fn site_page(name: &str) -> Option<Bytes> {
    SITES
        .iter()
        .find(|s| s.name == name)
        .map(|s| Bytes::from_static(s.html))
}

/// The body of `racecourse serve`: serves on 127.0.0.1 until Ctrl-C or
/// SIGTERM. `port: None` picks a free port.
pub fn serve_main(
    port: Option<u16>,
    latency_ms: u64,
    jitter_ms: u64,
    fail_rate: f64,
    quiet: bool,
) -> anyhow::Result<()> {
    let cfg = ServerConfig {
        port: port.unwrap_or(0),
        latency: Duration::from_millis(latency_ms),
        jitter: Duration::from_millis(jitter_ms),
        fail_rate,
        log: !quiet,
        ..ServerConfig::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("serve")
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    rt.block_on(async {
        let server = start(cfg).await?;
        let url = server.url();
        println!("serving on {url} (loopback only); Ctrl-C stops");
        println!("  latency {latency_ms} ms, jitter {jitter_ms} ms, fail rate {fail_rate}");
        println!("  routes: /api/v2/pokemon/{{1..151}} /sites/jython /sites/dice /health");
        println!("  try: curl {url}/api/v2/pokemon/1");
        wait_for_stop_signal().await?;
        server.shutdown().await;
        anyhow::Ok(())
    })
}

async fn wait_for_stop_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("listening for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("listening for Ctrl-C")?;
    Ok(())
}
