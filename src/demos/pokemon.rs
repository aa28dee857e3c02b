//! The notes' pokemon loop: names 1..19 from a pokeapi-shaped server.

use std::cell::RefCell;
use std::fmt;
use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::net::blocking::{Blocking, main_lane};
use crate::net::client::{FetchError, Fetcher, IoRuntime, Request};
use crate::net::marks::TaskMarks;
use crate::net::pokedex::COUNT;
use crate::net::target::Target;
use crate::runtime::{Control, EventLoop, Interrupted, JobError, JobResult, TaskError, aio};
use crate::trace::{EventKind, Tracer};

crate::modes! {
    /// One by one, or all at once.
    pub enum Mode {
        Sync = "sync": "one request after another, as requests.get",
        Async = "async": "all requests at once on the event loop, as aiohttp",
    }
}

crate::options! {
    /// Options of `pokemon`.
    pub struct PokemonOptions {
        count: u32 = "count", "19", OptKind::Int { min: 1, max: 151 },
            "how many pokemon (ids 1..=count)";
        latency: u64 = "latency", "100", OptKind::Int { min: 0, max: 5_000 },
            "server latency per request, ms";
        online: bool = "online", "false", OptKind::Bool, "use the real pokeapi.co";
    }
}

/// The notes' pokemon loop.
pub struct Pokemon;

impl Example for Pokemon {
    type Mode = Mode;
    type Options = PokemonOptions;
    type Output = PokemonOutput;
    const NAME: &'static str = "pokemon";
    const TITLE: &'static str = "Pokemon names, one by one or all at once";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Waterfall
    }

    fn start(mode: Mode, options: PokemonOptions, ctx: RunCtx) -> Work<PokemonOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// The names in id order (`None` for a request that failed).
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct PokemonOutput {
    pub names: Vec<Option<String>>,
}

impl super::Output for PokemonOutput {
    fn summary(&self) -> String {
        let got: Vec<&str> = self.names.iter().flatten().map(String::as_str).collect();
        let failed = self.names.len() - got.len();
        let mut line = format!("{} names", got.len());
        if let (Some(first), Some(last)) = (got.first(), got.last()) {
            let _ = write!(line, ": {first} … {last}");
        }
        if failed > 0 {
            let _ = write!(line, ", {failed} failed");
        }
        line
    }
}

/// Fetches the names in id order.
pub fn run(
    mode: Mode,
    options: &PokemonOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<PokemonOutput> {
    let count = options.count.clamp(1, COUNT);
    let target = if options.online {
        Target::online()
    } else {
        let latency = Duration::from_millis(options.latency);
        Target::offline(latency, Duration::ZERO, 0.0)?
    };
    let target = Arc::new(target);
    let urls: Vec<String> = (1..=count).map(|id| target.pokemon_url(id)).collect();
    let names = match mode {
        Mode::Sync => sync(&target, &urls, tracer, control)?,
        Mode::Async => asyncio(&target, urls, tracer, control)?,
    };
    if names.names.iter().all(Option::is_none)
        && let Some(why) = &names.offline
    {
        anyhow::bail!("{why}");
    }
    if control.all_interrupted() {
        let done = names.names.iter().filter(|n| n.is_some()).count();
        return Err(
            anyhow::Error::new(Interrupted).context(format!("after {done} of {count} pokemon"))
        );
    }
    Ok(PokemonOutput { names: names.names })
}

/// The names so far, in id order, and the first failure for lack of network.
#[derive(Default)]
struct Names {
    names: Vec<Option<String>>,
    offline: Option<String>,
}

/// The part of a pokeapi answer the example reads.
#[derive(Deserialize)]
struct Answer {
    name: String,
}

/// The name in a pokeapi answer.
fn name_of(body: Option<&[u8]>) -> Result<String, String> {
    serde_json::from_slice::<Answer>(body.unwrap_or_default())
        .map(|a| a.name)
        .map_err(|e| format!("the answer is not a pokemon: {e}"))
}

/// `requests.get(url).json()["name"]`, one after another on the main thread.
fn sync(
    target: &Arc<Target>,
    urls: &[String],
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Names> {
    let io = IoRuntime::new()?;
    let session = Fetcher::new(target.limits(), !target.is_online())?;
    let client = Blocking {
        io: &io,
        target,
        tracer,
        control,
    };
    let lane = 0;
    main_lane(tracer);
    let mut out = Names {
        names: Vec::with_capacity(urls.len()),
        offline: None,
    };
    for url in urls {
        if control.checkpoint(lane).is_err() {
            break;
        }
        let unit = tracer.next_unit();
        tracer.emit(
            lane,
            EventKind::Spawned {
                unit,
                label: url.clone(),
            },
        );
        tracer.emit(lane, EventKind::Started { unit });
        let got = client.fetch(&session, lane, unit, url, true);
        if got.as_ref().err() == Some(&FetchError::Interrupted) {
            tracer.emit(lane, EventKind::Cancelled { unit });
            break;
        }
        let name = got
            .map_err(|e| {
                out.offline = out.offline.take().or_else(|| target.offline_hint(&e));
                e.to_string()
            })
            .and_then(|f| name_of(f.body.as_deref()));
        match name {
            Ok(name) => {
                tracer.emit(
                    lane,
                    EventKind::Finished {
                        unit,
                        value: name.clone(),
                    },
                );
                tracer.emit(lane, EventKind::Output { text: name.clone() });
                out.names.push(Some(name));
            }
            Err(error) => {
                let text = format!("Failed {url}: {error}");
                tracer.emit(lane, EventKind::Failed { unit, error });
                tracer.emit(lane, EventKind::Output { text });
                out.names.push(None);
                if out.offline.is_some() {
                    break;
                }
            }
        }
    }
    tracer.emit(
        lane,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
    Ok(out)
}

/// A name, shown without quotes as a task's value.
#[derive(Clone)]
struct Name(String);

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The aiohttp version: every request a task at once, gathered, then the
/// names printed in id order.
fn asyncio(
    target: &Arc<Target>,
    urls: Vec<String>,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Names> {
    let lp = EventLoop::new(tracer, control)?;
    let out = Rc::new(RefCell::new(Names {
        names: vec![None; urls.len()],
        offline: None,
    }));
    let (target2, out2, tracer2, control2) =
        (target.clone(), out.clone(), tracer.clone(), control.clone());
    let main = async move {
        let session =
            Fetcher::new(target2.limits(), !target2.is_online()).map_err(JobError::exception)?;
        let tasks: Vec<_> = urls
            .iter()
            .map(|url| {
                let one = fetch_name(
                    session.clone(),
                    url.clone(),
                    target2.clone(),
                    tracer2.clone(),
                    control2.clone(),
                    out2.clone(),
                );
                aio::create_task(url.clone(), one)
            })
            .collect();
        let results = aio::gather_settled(tasks).await;
        let mut out = out2.borrow_mut();
        for (i, (r, url)) in results.into_iter().zip(&urls).enumerate() {
            match r {
                Ok(Name(name)) => {
                    aio::print(name.clone());
                    out.names[i] = Some(name);
                }
                Err(TaskError::Exception(e)) => aio::print(format!("Failed {url}: {e}")),
                Err(TaskError::Cancelled) => {}
            }
        }
        Ok(())
    };
    let outcome = lp.block_on(main);
    if let Err(TaskError::Exception(e)) = outcome {
        anyhow::bail!("{e}");
    }
    Ok(out.take())
}

async fn fetch_name(
    session: Fetcher,
    url: String,
    target: Arc<Target>,
    tracer: Tracer,
    control: Control,
    out: Rc<RefCell<Names>>,
) -> JobResult<Name> {
    aio::checkpoint().await?;
    let real = target.request_url(&url, &control);
    let req = Request {
        url: &real,
        keep_body: true,
        timeout: Some(target.timeout(&control)),
    };
    let mut marks = TaskMarks::new(&tracer, &url);
    let got = session.get(&req, &mut marks).await.map_err(|e| {
        let mut out = out.borrow_mut();
        if out.offline.is_none() {
            out.offline = target.offline_hint(&e);
        }
        JobError::exception(e)
    })?;
    name_of(got.body.as_deref())
        .map(Name)
        .map_err(JobError::exception)
}
