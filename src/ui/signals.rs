//! The signals the app answers while it holds the terminal.
//!
//! Ctrl-C and Ctrl-Z arrive as keys in raw mode; these are the same
//! requests sent from outside (`kill -INT`, `kill -TSTP`). Every catchable
//! signal that would end or stop the process is turned into a quit or a
//! suspend that restores the terminal first.

use anyhow::Context;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// What a signal asks of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Save and leave (SIGTERM, SIGHUP, SIGINT, SIGQUIT).
    Quit,
    /// Restore the terminal and stop until continued (SIGTSTP).
    Suspend,
    /// Continued after an outside stop: take the terminal back, redraw.
    Resume,
}

/// The installed handlers.
pub struct Signals {
    quit: Vec<Signal>,
    tstp: Signal,
    cont: Signal,
}

impl Signals {
    /// Installs the handlers; from now on these signals no longer kill or
    /// stop the process by themselves.
    pub fn install() -> anyhow::Result<Signals> {
        let kinds = [
            ("SIGTERM", SignalKind::terminate()),
            ("SIGHUP", SignalKind::hangup()),
            ("SIGINT", SignalKind::interrupt()),
            ("SIGQUIT", SignalKind::quit()),
        ];
        let mut quit = Vec::new();
        for (name, kind) in kinds {
            quit.push(signal(kind).with_context(|| format!("installing the {name} handler"))?);
        }
        let tstp = signal(SignalKind::from_raw(libc::SIGTSTP))
            .context("installing the SIGTSTP handler")?;
        let cont = signal(SignalKind::from_raw(libc::SIGCONT))
            .context("installing the SIGCONT handler")?;
        Ok(Signals { quit, tstp, cont })
    }

    /// Waits for the next signal.
    pub async fn recv(&mut self) -> Request {
        let quit = futures::future::select_all(self.quit.iter_mut().map(|s| Box::pin(s.recv())));
        tokio::select! {
            _ = quit => Request::Quit,
            _ = self.tstp.recv() => Request::Suspend,
            _ = self.cont.recv() => Request::Resume,
        }
    }
}
