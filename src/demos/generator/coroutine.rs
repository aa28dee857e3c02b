//! An `async fn` is a state machine too: polling it runs it to its next
//! `await` that is not ready. This one is polled by hand, one poll a key.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// What the coroutine prints, and where its latest `await` is.
#[derive(Clone, Default)]
pub struct Printer(Arc<Mutex<Seen>>);

#[derive(Default)]
struct Seen {
    printed: Vec<String>,
    awaiting: Option<u32>,
}

impl Printer {
    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn print(&self, line: &str) {
        self.seen().printed.push(line.to_string());
    }

    /// Lines printed since the last call.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.seen().printed)
    }

    /// The source line of the `await` the coroutine is suspended at.
    pub fn awaiting(&self) -> Option<u32> {
        self.seen().awaiting
    }
}

/// A stand-in for I/O: not ready the first time it is polled, ready the
/// second (asyncio's `yield` inside `__await__`). It notes the line of
/// the `await` that polls it.
pub struct Pause {
    line: u32,
    polled: bool,
    printer: Printer,
}

/// Suspends the coroutine once, at the caller's line.
#[track_caller]
pub fn pause(printer: &Printer) -> Pause {
    Pause {
        line: std::panic::Location::caller().line(),
        polled: false,
        printer: printer.clone(),
    }
}

impl Future for Pause {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            self.printer.seen().awaiting = None;
            return Poll::Ready(());
        }
        self.polled = true;
        let line = self.line;
        self.printer.seen().awaiting = Some(line);
        Poll::Pending
    }
}

// coroutine: begin
async fn upload_files(out: Printer) -> &'static str {
    out.print("Preparing files...");
    pause(&out).await;
    out.print("Files prepared.");
    pause(&out).await;
    out.print("Files uploaded.");
    "uploaded"
}
// coroutine: end

/// This file's text, for the lines of the coroutine.
const FILE: &str = include_str!("coroutine.rs");

/// The coroutine's source as the pane shows it, and the file line of its
/// first line.
pub fn source() -> (String, u32) {
    let mut first = 0;
    let mut lines = Vec::new();
    for (i, l) in FILE.lines().enumerate() {
        if l == "// coroutine: begin" {
            first = u32::try_from(i).unwrap_or(0) + 2;
        } else if l == "// coroutine: end" {
            break;
        } else if first > 0 {
            lines.push(l);
        }
    }
    (lines.join("\n"), first)
}

/// One coroutine and the hand-written executor's only tool: `poll`.
pub struct Stepper {
    future: Pin<Box<dyn Future<Output = &'static str> + Send>>,
    pub printer: Printer,
    pub polls: u32,
    pub result: Option<&'static str>,
}

impl Default for Stepper {
    fn default() -> Self {
        Stepper::new()
    }
}

impl Stepper {
    pub fn new() -> Self {
        let printer = Printer::default();
        Stepper {
            future: Box::pin(upload_files(printer.clone())),
            printer,
            polls: 0,
            result: None,
        }
    }

    /// Polls once; a waker that does nothing is enough, since the key,
    /// not a wake-up, decides when the next poll comes.
    pub fn poll(&mut self) -> Poll<&'static str> {
        self.polls += 1;
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let p = self.future.as_mut().poll(&mut cx);
        if let Poll::Ready(v) = p {
            self.result = Some(v);
        }
        p
    }
}
