//! `multiprocessing.connection.Listener` on 127.0.0.1: CPython's own
//! protocol (length-prefixed pickles, the HMAC challenge both ways), so a
//! learner's Python `Client(('127.0.0.1', port), authkey=…)` can talk to
//! it. It prints each message it receives and sends it back.
//!
//! Its lane (the app's own process) waits in `accept()`; each connection
//! gets a lane of its own, waiting in `recv()`, that ends `closed` or
//! `dropped: why`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use super::lane::LaneThread;
use super::{Example, OptKind, PaneKind, RunCtx, Work, wire};
use crate::net::mp::endpoint::{self, Event};
use crate::runtime::Control;
use crate::trace::{BlockOn, EventKind, LaneId, LaneRole, Tracer};

crate::modes! {
    /// How the listener serves.
    pub enum Mode {
        Echo = "echo": "prints each message it receives and sends it back",
    }
}

crate::options! {
    /// Options of `listener`.
    pub struct ListenerOptions {
        port: u64 = "port", "6000", OptKind::Int { min: 0, max: 65_535 },
            "TCP port on 127.0.0.1 (0: any free port)";
        authkey: String = "authkey", "secret", OptKind::Text { max_len: 200 },
            "the key both sides must know (authkey=b'…')";
        connections: u64 = "connections", "0", OptKind::Int { min: 0, max: 1_000_000 },
            "stop after this many connections have ended (0: serve until interrupted)";
    }
}

/// `Listener(('127.0.0.1', port), authkey=…)` that echoes.
pub struct ListenerExample;

impl Example for ListenerExample {
    type Mode = Mode;
    type Options = ListenerOptions;
    type Output = ListenerOutput;
    const NAME: &'static str = "listener";
    const TITLE: &'static str = "multiprocessing.connection.Listener, echoing";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(_: Mode, options: ListenerOptions, ctx: RunCtx) -> Work<ListenerOutput> {
        Work::Thread(Box::new(move || run(&options, &ctx.tracer, &ctx.control)))
    }
}

/// What the listener served.
#[derive(Debug, Clone, Serialize)]
pub struct ListenerOutput {
    pub port: u16,
    pub messages: u64,
    pub refused: u64,
}

impl super::Output for ListenerOutput {
    fn summary(&self) -> String {
        format!(
            "port {}: {} message(s) echoed, {} connection(s) dropped",
            self.port, self.messages, self.refused
        )
    }
}

/// A listener's event as the line it prints.
pub fn line(e: &Event) -> String {
    match e {
        Event::Listening(a) => format!("listening on {a}"),
        Event::Connected(a) => format!("{a}: connected; #CHALLENGE# sent"),
        Event::Welcomed(a) => format!("{a}: both challenges passed (#WELCOME#)"),
        Event::Received(a, v, b) => format!("{a}: received {v} ({} bytes), sent back", b.len() + 4),
        Event::Closed(a) => format!("{a}: closed"),
        Event::Dropped(a, why) => format!("{a}: dropped: {why}"),
    }
}

fn run(
    options: &ListenerOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ListenerOutput> {
    let port = u16::try_from(options.port)?;
    let listener = endpoint::bind(port)
        .map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let port = listener.local_addr()?.port();
    tracer.emit(
        0,
        EventKind::LaneUp {
            name: "listener".into(),
            pid: Some(std::process::id()),
            role: LaneRole::Main,
        },
    );
    let unit = tracer.next_unit();
    let label = "l.accept()".to_string();
    tracer.emit(0, EventKind::Spawned { unit, label });
    tracer.emit(0, EventKind::Started { unit });
    let on = BlockOn::other("accept()");
    tracer.emit(0, EventKind::Blocked { unit, on });
    let counts = Mutex::new((0u64, 0u64));
    let conns = Mutex::new(Connections::default());
    let report = |e: Event| {
        if let Event::Received(_, _, bytes) = &e {
            wire::publish(tracer, 0, "on the wire: the last message received", bytes);
        }
        let mut c = counts.lock().unwrap_or_else(PoisonError::into_inner);
        match &e {
            Event::Received(..) => c.0 += 1,
            Event::Dropped(..) => c.1 += 1,
            _ => {}
        }
        drop(c);
        conns
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .show(tracer, &e);
        tracer.emit(0, EventKind::Output { text: line(&e) });
    };
    let stop = || control.all_interrupted();
    let limit = usize::try_from(options.connections).unwrap_or(usize::MAX);
    endpoint::serve(&listener, options.authkey.as_bytes(), limit, &stop, &report)?;
    let value = if control.all_interrupted() {
        "interrupted"
    } else {
        "served"
    };
    let value = value.to_string();
    tracer.emit(0, EventKind::Finished { unit, value });
    let (messages, refused) = *counts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(ListenerOutput {
        port,
        messages,
        refused,
    })
}

/// The lanes of the open connections, one each.
#[derive(Default)]
struct Connections {
    open: HashMap<SocketAddr, LaneThread>,
    next: LaneId,
}

impl Connections {
    /// Draws a listener event on its connection's lane.
    fn show(&mut self, tracer: &Tracer, e: &Event) {
        match e {
            Event::Connected(a) => {
                self.next += 1;
                let name = format!("conn {}", a.port());
                let lane = LaneThread::up(tracer, self.next, &name, &a.to_string());
                lane.blocked(BlockOn::other("challenge"));
                self.open.insert(*a, lane);
            }
            Event::Welcomed(a) | Event::Received(a, ..) => {
                if let Some(l) = self.open.get(a) {
                    l.woken();
                    l.blocked(BlockOn::other("recv()"));
                }
            }
            Event::Closed(a) => {
                if let Some(l) = self.open.remove(a) {
                    l.end_as(Some("closed".into()), "closed");
                }
            }
            Event::Dropped(a, why) => {
                if let Some(l) = self.open.remove(a) {
                    l.end_as(None, &format!("dropped: {why}"));
                }
            }
            Event::Listening(_) => {}
        }
    }
}
