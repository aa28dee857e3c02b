//! Requests from code that is not async: the caller blocks on its own
//! request while one I/O thread drives every socket.

use std::future::Future;
use std::time::Duration;

use super::{FetchError, Fetched, Fetcher, Marks, Request};

/// Runs `fut` until it ends or `interrupted()` turns true (checked every
/// 10 ms), whichever is first.
pub async fn until_interrupted<T>(
    fut: impl Future<Output = Result<T, FetchError>>,
    interrupted: impl Fn() -> bool,
) -> Result<T, FetchError> {
    let watch = async {
        while !interrupted() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::select! {
        r = fut => r,
        _ = watch => Err(FetchError::Interrupted),
    }
}

/// The runtime that drives the sockets of blocking callers (the sync and
/// threaded examples): each caller waits on its own request while one small
/// I/O thread polls every connection.
pub struct IoRuntime {
    rt: tokio::runtime::Runtime,
}

impl IoRuntime {
    /// A runtime with one I/O thread.
    pub fn new() -> anyhow::Result<IoRuntime> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("net-io")
            .enable_all()
            .build()?;
        Ok(IoRuntime { rt })
    }

    /// Blocks the calling thread on one request, as `requests.get` does,
    /// giving up with [`FetchError::Interrupted`] when `interrupted()` turns
    /// true. Must not be called from async code.
    pub fn get(
        &self,
        fetcher: &Fetcher,
        req: &Request<'_>,
        marks: &mut impl Marks,
        interrupted: impl Fn() -> bool,
    ) -> Result<Fetched, FetchError> {
        let fut = fetcher.get(req, marks);
        self.rt
            .handle()
            .block_on(until_interrupted(fut, interrupted))
    }
}
