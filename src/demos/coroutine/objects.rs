//! The three awaitables of asyncio, in Rust: a coroutine object (a future
//! nobody has polled yet), a Task (a future the loop drives) and a plain
//! Future (a slot someone fills), and `ensure_future` over the three.

use std::cell::RefCell;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use tokio::sync::Notify;

use crate::runtime::{JobResult, TaskHandle, aio};
use crate::trace::{BlockOn, EventKind, Tracer};

/// `send_emails()` before anyone awaits it: a future that has not run a
/// single line. Dropped unpolled, it warns as CPython does.
pub struct Coroutine<F> {
    name: &'static str,
    inner: Pin<Box<F>>,
    started: bool,
    tracer: Tracer,
}

impl<F> Coroutine<F> {
    /// The coroutine object of `name`; its warning goes to `tracer`.
    pub fn new(name: &'static str, inner: F, tracer: &Tracer) -> Coroutine<F> {
        Coroutine {
            name,
            inner: Box::pin(inner),
            started: false,
            tracer: tracer.clone(),
        }
    }
}

impl<F> fmt::Debug for Coroutine<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<coroutine object {}>", self.name)
    }
}

impl<F: Future> Future for Coroutine<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.started = true;
        self.inner.as_mut().poll(cx)
    }
}

impl<F> Drop for Coroutine<F> {
    fn drop(&mut self) {
        if !self.started {
            let text = format!(
                "RuntimeWarning: coroutine '{}' was never awaited",
                self.name
            );
            self.tracer.emit(0, EventKind::Warning { text });
        }
    }
}

/// `loop.create_future()`: a result that some other code sets later.
/// Clones share it.
pub struct PyFuture<T> {
    inner: Rc<Slot<T>>,
}

struct Slot<T> {
    name: String,
    value: RefCell<Option<T>>,
    ready: Notify,
}

impl<T> Clone for PyFuture<T> {
    fn clone(&self) -> Self {
        PyFuture {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Clone> PyFuture<T> {
    /// An empty future named for the pane.
    pub fn new(name: impl Into<String>) -> PyFuture<T> {
        PyFuture {
            inner: Rc::new(Slot {
                name: name.into(),
                value: RefCell::new(None),
                ready: Notify::new(),
            }),
        }
    }

    /// Its identity (Python's `id()`): clones share it.
    pub fn id(&self) -> u64 {
        Rc::as_ptr(&self.inner).cast::<()>() as usize as u64
    }

    /// `fut.set_result(v)`: wakes whoever awaits it.
    pub fn set_result(&self, v: T) {
        *self.inner.value.borrow_mut() = Some(v);
        self.inner.ready.notify_waiters();
    }

    /// `await fut`: drawn as waiting on `future NAME`.
    pub async fn wait(self) -> T {
        loop {
            if let Some(v) = self.inner.value.borrow().clone() {
                return v;
            }
            let on = BlockOn::Task {
                name: format!("future {}", self.inner.name),
            };
            aio::wait_on(on, self.inner.ready.notified()).await;
        }
    }
}

/// What `ensure_future` accepts.
pub enum Awaitable<T> {
    Coroutine(Pin<Box<dyn Future<Output = JobResult<T>>>>),
    Task(TaskHandle<T>),
    Future(PyFuture<T>),
}

/// Which kind of Future `ensure_future` handed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Task,
    Future,
}

/// A Future, as `ensure_future` returns it: a Task or a plain Future.
pub enum Fut<T> {
    Task(TaskHandle<T>),
    Future(PyFuture<T>),
}

impl<T: Clone> Fut<T> {
    /// Its kind and identity: the same object keeps both.
    pub fn id(&self) -> (Kind, u64) {
        match self {
            Fut::Task(t) => (Kind::Task, t.unit()),
            Fut::Future(f) => (Kind::Future, f.id()),
        }
    }
}

impl<T: Clone + 'static> IntoFuture for Fut<T> {
    type Output = JobResult<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = JobResult<T>>>>;

    fn into_future(self) -> Self::IntoFuture {
        match self {
            Fut::Task(t) => Box::pin(async move { t.await.map_err(aio::reraise) }),
            Fut::Future(f) => Box::pin(async move { Ok(f.wait().await) }),
        }
    }
}

/// `asyncio.ensure_future(obj)`: a Task or a Future comes back as it is; a
/// coroutine is wrapped in a new Task (named `label`), as `create_task`
/// would.
pub fn ensure_future<T: fmt::Debug + 'static>(label: &str, obj: Awaitable<T>) -> Fut<T> {
    match obj {
        Awaitable::Coroutine(c) => Fut::Task(aio::create_task(label, c)),
        Awaitable::Task(t) => Fut::Task(t),
        Awaitable::Future(f) => Fut::Future(f),
    }
}
