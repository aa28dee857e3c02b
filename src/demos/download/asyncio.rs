//! The notes' asyncio version.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use super::{Read, Tally};
use crate::net::client::{Fetcher, Request};
use crate::net::marks::TaskMarks;
use crate::net::target::Target;
use crate::runtime::{Control, EventLoop, JobError, JobResult, TaskError, aio};
use crate::trace::{EventKind, Tracer};

/// Above this many async downloads each request gets a connection of its
/// own with lean buffers, so that 10,000 concurrent requests stay within
/// the app's memory budget.
pub const LITE_ABOVE: usize = 1_000;

/// The notes' asyncio version: one task per download on one event loop,
/// sharing one session; all at once, or at most `limit` at a time (a
/// semaphore) when `limit` is not 0.
pub(super) fn asyncio(
    target: &Arc<Target>,
    urls: Vec<String>,
    limit: usize,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Tally> {
    let lp = EventLoop::new(tracer, control)?;
    let tally = Rc::new(RefCell::new(Tally::default()));
    let (target2, tally2, tracer2, control2) = (
        target.clone(),
        tally.clone(),
        tracer.clone(),
        control.clone(),
    );
    let lite = !target.is_online() && urls.len() > LITE_ABOVE;
    if lite {
        let text = format!(
            "{} requests: one connection each, with lean buffers, instead of a shared pool",
            urls.len()
        );
        tracer.emit(0, EventKind::Output { text });
    }
    let main = async move {
        let session = if lite {
            Fetcher::lite(target2.limits())
        } else {
            Fetcher::new(target2.limits(), !target2.is_online()).map_err(JobError::exception)?
        };
        let limit = connection_cap(limit, urls.len(), &tracer2);
        let tasks: Vec<_> = urls
            .into_iter()
            .map(|url| {
                let one = download_one(
                    session.clone(),
                    url.clone(),
                    target2.clone(),
                    tracer2.clone(),
                    control2.clone(),
                    limit.clone(),
                    tally2.clone(),
                );
                aio::create_task(url, one)
            })
            .collect();
        aio::gather_settled(tasks).await;
        Ok(())
    };
    let outcome = lp.block_on(main);
    let mut tally = tally.take();
    match outcome {
        Ok(()) => {}
        Err(TaskError::Cancelled) => tally.interrupted = true,
        Err(TaskError::Exception(e)) => anyhow::bail!("{e}"),
    }
    tally.interrupted |= control.all_interrupted() || control.keyboard_interrupted();
    Ok(tally)
}

/// The semaphore downloads wait on: the learner's limit, or the open-file
/// budget when more requests would be open at once than it allows (then
/// they queue, visibly, instead of failing with "Too many open files").
fn connection_cap(limit: usize, count: usize, tracer: &Tracer) -> Option<aio::Semaphore> {
    let fds = crate::net::limits::raise_fd_limit();
    let cap = crate::net::limits::client_share(fds);
    let wanted = if limit == 0 { count } else { limit };
    if wanted > cap {
        let text = format!(
            "at most {cap} requests at once: the open-file limit is {fds} (ulimit -n), each request takes two"
        );
        tracer.emit(0, EventKind::Output { text });
        return Some(aio::Semaphore::new("open files", cap));
    }
    (limit > 0).then(|| aio::Semaphore::new("limit", limit))
}

async fn download_one(
    session: Fetcher,
    url: String,
    target: Arc<Target>,
    tracer: Tracer,
    control: Control,
    limit: Option<aio::Semaphore>,
    tally: Rc<RefCell<Tally>>,
) -> JobResult<Read> {
    aio::checkpoint().await?;
    let _permit = match &limit {
        Some(s) => Some(s.acquire().await?),
        None => None,
    };
    let real = target.request_url(&url, &control);
    let req = Request {
        url: &real,
        keep_body: false,
        timeout: Some(target.timeout(&control)),
    };
    let mut marks = TaskMarks::new(&tracer, &url);
    match session.get(&req, &mut marks).await {
        Ok(got) => {
            tally.borrow_mut().ok(got.bytes);
            aio::print(format!("Read {} from {url}", got.bytes));
            Ok(Read(got.bytes))
        }
        Err(e) => {
            tally.borrow_mut().fail(&target, &e);
            aio::print(format!("Failed {url}: {e}"));
            Err(JobError::exception(e))
        }
    }
}
