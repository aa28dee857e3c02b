//! The running server: its address, and the way to stop it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, anyhow};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use super::{ServerConfig, start};

/// How long a stop waits for open connections to finish their answer.
const DRAIN: Duration = Duration::from_millis(500);

/// A running demo server; it stops when dropped.
pub struct ServerHandle {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    kind: Kind,
}

enum Kind {
    /// Tasks on the caller's runtime.
    Task {
        accept: Option<JoinHandle<()>>,
        permits: Arc<Semaphore>,
        cap: u32,
    },
    /// A thread of its own with its own runtime.
    Thread(Option<std::thread::JoinHandle<()>>),
}

impl ServerHandle {
    pub(super) fn new(
        addr: SocketAddr,
        stop: watch::Sender<bool>,
        accept: JoinHandle<()>,
        permits: Arc<Semaphore>,
        cap: u32,
    ) -> ServerHandle {
        ServerHandle {
            addr,
            stop,
            kind: Kind::Task {
                accept: Some(accept),
                permits,
                cap,
            },
        }
    }

    /// Starts a server on a thread of its own, for callers that are not
    /// async (the app, the sync examples). Dropping the handle stops the
    /// server and joins the thread.
    pub fn spawn_thread(cfg: ServerConfig) -> anyhow::Result<ServerHandle> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("demo-server".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = tx.send(Err(anyhow!(e).context("starting the server's runtime")));
                        return;
                    }
                };
                rt.block_on(async move {
                    let server = match start(cfg).await {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    };
                    let mut stopped = server.stop.subscribe();
                    let _ = tx.send(Ok((server.addr, server.stop.clone())));
                    while !*stopped.borrow_and_update() {
                        if stopped.changed().await.is_err() {
                            break;
                        }
                    }
                    server.shutdown().await;
                });
            })
            .context("starting the server thread")?;
        let (addr, stop) = match rx.recv() {
            Ok(started) => started?,
            Err(_) => {
                let _ = thread.join();
                anyhow::bail!("the server thread ended before it started serving");
            }
        };
        Ok(ServerHandle {
            addr,
            stop,
            kind: Kind::Thread(Some(thread)),
        })
    }

    /// Where the server listens (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of a path on this server (`path` starts with `/`).
    pub fn url_for(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops accepting, lets open answers finish for a moment, and returns
    /// when the server is gone.
    pub async fn shutdown(mut self) {
        self.stop.send_replace(true);
        match &mut self.kind {
            Kind::Task {
                accept,
                permits,
                cap,
            } => {
                if let Some(a) = accept.take() {
                    let _ = a.await;
                }
                // Every connection holds a permit: all back means all closed.
                let _ = tokio::time::timeout(DRAIN, permits.acquire_many(*cap)).await;
            }
            Kind::Thread(t) => {
                if let Some(t) = t.take() {
                    let _ = tokio::task::spawn_blocking(move || t.join()).await;
                }
            }
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop.send_replace(true);
        match &mut self.kind {
            Kind::Task { accept, .. } => {
                if let Some(a) = accept.take() {
                    a.abort();
                }
            }
            Kind::Thread(t) => {
                // No thread outlives its handle.
                if let Some(t) = t.take() {
                    let _ = t.join();
                }
            }
        }
    }
}
