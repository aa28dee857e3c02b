//! The two buffers between producers and consumers: the article's
//! `Pipeline` (one slot, two locks) and `queue.Queue(maxsize)`.
//!
//! Both report what they hold as the state `buffer` (the items' ids, oldest
//! first, `end` for a sentinel), sent while the buffer's own lock is held so
//! that the events come in the order the buffer changed.

use std::collections::VecDeque;
use std::sync::Mutex;

use super::super::sync::objects::{Guarded, PyLock};
use super::super::sync::thread::Ctx;
use crate::runtime::Interrupted;
use crate::trace::BlockOn;

/// What travels through the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// A message, by id (ids are unique in a run).
    Msg(u64),
    /// "No more messages": a consumer that takes it stops.
    Sentinel,
}

impl Item {
    fn word(self) -> String {
        match self {
            Item::Msg(id) => id.to_string(),
            Item::Sentinel => "end".into(),
        }
    }
}

/// The label a lane blocked on a full buffer shows.
pub const FULL: &str = "full";
/// The label a lane blocked on an empty buffer shows.
pub const EMPTY: &str = "empty";

/// One of the two buffers.
pub enum Channel {
    /// `Pipeline`: `producer_lock` is held while the slot is full,
    /// `consumer_lock` while it is empty.
    Pipeline {
        slot: Mutex<Option<Item>>,
        producer_lock: PyLock,
        consumer_lock: PyLock,
    },
    /// `queue.Queue(maxsize)`.
    Queue {
        items: Guarded<VecDeque<Item>>,
        maxsize: usize,
    },
}

impl Channel {
    /// The article's `Pipeline`: the consumer's lock starts held (nothing
    /// to get yet).
    pub fn pipeline() -> Channel {
        Channel::Pipeline {
            slot: Mutex::new(None),
            producer_lock: PyLock::new(false),
            consumer_lock: PyLock::new(true),
        }
    }

    /// `queue.Queue(maxsize=maxsize)`.
    pub fn queue(maxsize: usize) -> Channel {
        Channel::Queue {
            items: Guarded::new(VecDeque::with_capacity(maxsize)),
            maxsize: maxsize.max(1),
        }
    }

    /// How many items it can hold.
    pub fn capacity(&self) -> usize {
        match self {
            Channel::Pipeline { .. } => 1,
            Channel::Queue { maxsize, .. } => *maxsize,
        }
    }

    /// The name the pane shows.
    pub fn name(&self) -> &'static str {
        match self {
            Channel::Pipeline { .. } => "pipeline",
            Channel::Queue { .. } => "queue",
        }
    }

    /// Messages in it now (sentinels not counted).
    pub fn messages(&self) -> usize {
        let is_msg = |i: &Item| matches!(i, Item::Msg(_));
        match self {
            Channel::Pipeline { slot, .. } => lock(slot).iter().filter(|i| is_msg(i)).count(),
            Channel::Queue { items, .. } => items.lock().iter().filter(|i| is_msg(i)).count(),
        }
    }

    /// `set_message(item)` / `put(item)`: waits while full.
    pub fn put(&self, ctx: &Ctx, item: Item) -> Result<(), Interrupted> {
        match self {
            Channel::Pipeline {
                slot,
                producer_lock,
                consumer_lock,
            } => {
                if !producer_lock.try_acquire() {
                    let on = BlockOn::Lock {
                        name: "producer_lock".into(),
                    };
                    ctx.blocked(on, || producer_lock.acquire(&ctx.control, ctx.lane))?;
                }
                let mut s = lock(slot);
                *s = Some(item);
                ctx.state("buffer", item.word());
                drop(s);
                consumer_lock.release();
            }
            Channel::Queue { items, maxsize } => {
                let mut q = items.lock();
                if q.len() >= *maxsize {
                    drop(q);
                    let on = BlockOn::Queue { name: FULL.into() };
                    q = ctx.blocked(on, || {
                        items.wait_until(&ctx.control, ctx.lane, None, |q| q.len() < *maxsize)
                    })?;
                }
                q.push_back(item);
                ctx.state("buffer", words(&q));
                drop(q);
                items.notify();
            }
        }
        Ok(())
    }

    /// `get_message()` / `get()`: waits while empty.
    pub fn get(&self, ctx: &Ctx) -> Result<Item, Interrupted> {
        match self {
            Channel::Pipeline {
                slot,
                producer_lock,
                consumer_lock,
            } => {
                if !consumer_lock.try_acquire() {
                    let on = BlockOn::Lock {
                        name: "consumer_lock".into(),
                    };
                    ctx.blocked(on, || consumer_lock.acquire(&ctx.control, ctx.lane))?;
                }
                let mut s = lock(slot);
                let item = s.take().unwrap_or(Item::Sentinel);
                ctx.state("buffer", "");
                drop(s);
                producer_lock.release();
                Ok(item)
            }
            Channel::Queue { items, .. } => {
                let mut q = items.lock();
                if q.is_empty() {
                    drop(q);
                    let on = BlockOn::Queue { name: EMPTY.into() };
                    q = ctx.blocked(on, || {
                        items.wait_until(&ctx.control, ctx.lane, None, |q| !q.is_empty())
                    })?;
                }
                let item = q.pop_front().unwrap_or(Item::Sentinel);
                ctx.state("buffer", words(&q));
                drop(q);
                items.notify();
                Ok(item)
            }
        }
    }
}

fn words(q: &VecDeque<Item>) -> String {
    let v: Vec<String> = q.iter().map(|i| i.word()).collect();
    v.join(" ")
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
