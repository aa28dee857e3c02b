//! `multiprocessing.connection.Client`: connects to a listener on
//! 127.0.0.1, passes the HMAC challenge both ways, sends the notes'
//! `['hello', 'world']` and prints the answer. With `port: 0` it first
//! starts a listener of its own in a child process (`racecourse __child
//! listener`), so the pane shows both PIDs.

use anyhow::Context;
use serde::Serialize;

use super::process::MainProcess;
use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::net::mp::endpoint;
use crate::net::mp::{ConnError, Value};
use crate::runtime::Control;
use crate::runtime::process::PyProcess;
use crate::runtime::process_pool::worker_program;
use crate::trace::{BlockOn, Tracer};

crate::modes! {
    /// What the client sends.
    pub enum Mode {
        Hello = "hello": "send ['hello', 'world'] and print the answer",
    }
}

crate::options! {
    /// Options of `client`.
    pub struct ClientOptions {
        port: u64 = "port", "0", OptKind::Int { min: 0, max: 65_535 },
            "the listener's port on 127.0.0.1 (0: start a listener child process)";
        authkey: String = "authkey", "secret", OptKind::Text { max_len: 200 },
            "the client's key";
        listener_key: String = "listener-key", "secret", OptKind::Text { max_len: 200 },
            "the key of the listener child (port 0 only)";
    }
}

/// `Client(('127.0.0.1', port), authkey=…)`.
pub struct ClientExample;

impl Example for ClientExample {
    type Mode = Mode;
    type Options = ClientOptions;
    type Output = ClientOutput;
    const NAME: &'static str = "client";
    const TITLE: &'static str = "multiprocessing.connection.Client";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(_: Mode, options: ClientOptions, ctx: RunCtx) -> Work<ClientOutput> {
        Work::Thread(Box::new(move || run(&options, &ctx.tracer, &ctx.control)))
    }
}

/// The answer.
#[derive(Debug, Clone, Serialize)]
pub struct ClientOutput {
    pub port: u16,
    pub sent: String,
    pub answer: String,
}

impl super::Output for ClientOutput {
    fn summary(&self) -> String {
        format!(
            "port {}: sent {}, got back {}",
            self.port, self.sent, self.answer
        )
    }
}

fn run(
    options: &ClientOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ClientOutput> {
    let main = MainProcess::start(tracer);
    let mut child = None;
    let port = if options.port == 0 {
        let program = worker_program().context("could not find our own program")?;
        let args = [options.listener_key.clone()];
        let label = format!("Listener(authkey=b'{}')", options.listener_key);
        let mut p = PyProcess::start(&program, "listener", &args, tracer, (1, "child", &label))
            .context("could not start the listener process")?;
        let lane = p.lane();
        let stop = || control.main_interrupted() || control.is_interrupted(lane);
        let (v, _) = main
            .wait(BlockOn::other("listener start"), || {
                p.conn.recv_until(&stop)
            })
            .map_err(|e| anyhow::anyhow!("the listener process did not start: {e}"))?;
        let Value::Int(port) = v else {
            anyhow::bail!("the listener process sent {v}, not its port");
        };
        child = Some(p);
        u16::try_from(port)?
    } else {
        u16::try_from(options.port)?
    };
    main.print(format!(
        "Client(('127.0.0.1', {port}), authkey=b'{}')",
        options.authkey
    ));
    // `x` on the listener's lane kills it; the client then sees the
    // connection close. `X`, or `x` on main, stops the client itself.
    let stop = || control.main_interrupted();
    let talk = || -> Result<(Value, Vec<u8>), ConnError> {
        let mut c = endpoint::connect_until(port, options.authkey.as_bytes(), &stop)?;
        main.print("both challenges passed");
        c.send(&endpoint::message())?;
        main.print(format!("sent {}", endpoint::message()));
        c.recv_until(&stop)
    };
    let result = main.wait(
        BlockOn::io(crate::trace::IoPhase::Response, "listener"),
        talk,
    );
    if let Some(mut p) = child {
        // It serves one connection, then exits; make sure of it.
        let exit = p.join_or_kill(control, std::time::Duration::from_secs(2));
        if exit.exitcode != 0 {
            main.print(format!("the listener process {}", exit.how));
        }
    }
    if control.main_interrupted() {
        anyhow::bail!("interrupted (KeyboardInterrupt): the listener process was killed");
    }
    let (answer, bytes) = result.map_err(|e| anyhow::anyhow!("{}", endpoint::explain(&e)))?;
    main.print(format!("the answer: {} bytes on the wire", bytes.len() + 4));
    main.print(format!("recv() -> {answer}"));
    main.finish(&answer.to_string());
    Ok(ClientOutput {
        port,
        sent: endpoint::message().to_string(),
        answer: answer.to_string(),
    })
}
