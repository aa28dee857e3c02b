//! `asyncio.Semaphore` and `asyncio.Queue`, drawn as what tasks wait on.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use tokio::sync::Notify;

use super::wait_on;
use crate::runtime::future::JobError;
use crate::trace::BlockOn;

/// `asyncio.Semaphore(n)`: at most `n` holders at once, the rest wait (the
/// concurrency limit of the download examples). Cheap to clone: clones
/// share the permits.
#[derive(Clone)]
pub struct Semaphore {
    name: Rc<str>,
    inner: Arc<tokio::sync::Semaphore>,
    limit: Rc<Cell<usize>>,
    /// Permits to retire as they come back, after the limit was lowered.
    debt: Rc<Cell<usize>>,
}

/// A held permit; dropping it lets the next waiter in.
pub type SemaphorePermit = tokio::sync::OwnedSemaphorePermit;

impl Semaphore {
    /// A semaphore with `permits` (at least 1) named for the pane.
    pub fn new(name: impl Into<String>, permits: usize) -> Semaphore {
        let permits = permits.max(1);
        Semaphore {
            name: name.into().into(),
            inner: Arc::new(tokio::sync::Semaphore::new(permits)),
            limit: Rc::new(Cell::new(permits)),
            debt: Rc::new(Cell::new(0)),
        }
    }

    /// The limit now.
    pub fn limit(&self) -> usize {
        self.limit.get()
    }

    /// Changes the limit live (at least 1): raising it lets waiters in at
    /// once; lowering it takes effect as holders finish.
    pub fn set_limit(&self, limit: usize) {
        let limit = limit.max(1);
        let old = self.limit.replace(limit);
        if limit > old {
            let mut more = limit - old;
            let repaid = more.min(self.debt.get());
            self.debt.set(self.debt.get() - repaid);
            more -= repaid;
            self.inner.add_permits(more);
        } else {
            let fewer = old - limit;
            let forgotten = self.inner.forget_permits(fewer);
            self.debt.set(self.debt.get() + fewer - forgotten);
        }
    }

    /// `async with sem:`: waits for a permit, drawn as waiting on
    /// `semaphore NAME`.
    pub async fn acquire(&self) -> Result<SemaphorePermit, JobError> {
        loop {
            let on = BlockOn::Semaphore {
                name: self.name.to_string(),
            };
            let permit = wait_on(on, self.inner.clone().acquire_owned())
                .await
                .map_err(|_| JobError::Exception("semaphore closed".into()))?;
            if self.debt.get() == 0 {
                return Ok(permit);
            }
            // The limit was lowered: retire this permit and wait again.
            self.debt.set(self.debt.get() - 1);
            permit.forget();
        }
    }

    /// Permits free now.
    pub fn available(&self) -> usize {
        self.inner.available_permits()
    }
}

/// `asyncio.Queue(maxsize)`: tasks `put` and `get` items, waiting (drawn as
/// `queue NAME`) when it is full or empty. `maxsize` 0 means unbounded.
/// Clones share the queue.
pub struct Queue<T> {
    inner: Rc<QueueInner<T>>,
}

struct QueueInner<T> {
    name: String,
    maxsize: usize,
    items: RefCell<VecDeque<T>>,
    not_empty: Notify,
    not_full: Notify,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue {
            inner: self.inner.clone(),
        }
    }
}

impl<T> Queue<T> {
    /// An empty queue named for the pane.
    pub fn new(name: impl Into<String>, maxsize: usize) -> Queue<T> {
        Queue {
            inner: Rc::new(QueueInner {
                name: name.into(),
                maxsize,
                items: RefCell::new(VecDeque::new()),
                not_empty: Notify::new(),
                not_full: Notify::new(),
            }),
        }
    }

    /// Items waiting now.
    pub fn qsize(&self) -> usize {
        self.inner.items.borrow().len()
    }

    fn full(&self) -> bool {
        self.inner.maxsize > 0 && self.qsize() >= self.inner.maxsize
    }

    /// Adds an item, waiting while the queue is full.
    pub async fn put(&self, item: T) {
        while self.full() {
            let on = BlockOn::Queue {
                name: self.inner.name.clone(),
            };
            wait_on(on, self.inner.not_full.notified()).await;
        }
        self.put_nowait_unchecked(item);
    }

    /// Adds an item now; gives it back when the queue is full.
    pub fn put_nowait(&self, item: T) -> Result<(), T> {
        if self.full() {
            return Err(item);
        }
        self.put_nowait_unchecked(item);
        Ok(())
    }

    fn put_nowait_unchecked(&self, item: T) {
        self.inner.items.borrow_mut().push_back(item);
        self.inner.not_empty.notify_one();
    }

    /// Takes the oldest item, waiting while the queue is empty.
    pub async fn get(&self) -> T {
        loop {
            if let Some(item) = self.get_nowait() {
                return item;
            }
            let on = BlockOn::Queue {
                name: self.inner.name.clone(),
            };
            wait_on(on, self.inner.not_empty.notified()).await;
        }
    }

    /// Takes the oldest item if there is one.
    pub fn get_nowait(&self) -> Option<T> {
        let item = self.inner.items.borrow_mut().pop_front();
        if item.is_some() {
            self.inner.not_full.notify_one();
        }
        item
    }
}
