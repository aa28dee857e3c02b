//! One poll for a connection and the future waiting on it.
//!
//! A new connection is driven by its request's task. Hyper hands the answer
//! from the connection to the request through channels, and every hand-over
//! wakes the receiving side: driven naively, the task would be polled again
//! for each body chunk, and each extra poll is a `Blocked`/`Woken` pair on
//! the trace and in the app's memory. Here wakes that arrive while the task
//! is inside this poll only mean "poll again now", so the task is polled
//! once per readiness of its socket, as a hand-written client would be.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use futures::task::AtomicWaker;

use super::Conn;

/// Rounds of one poll before the task yields to the others anyway (hyper
/// and tokio's budget ask to be polled again when they yield).
const ROUNDS: usize = 8;

const IDLE: u8 = 0;
const POLLING: u8 = 1;
const WOKEN: u8 = 2;

/// Awaits `fut` while driving `conn`, when the request drives it; a
/// connection that ends leaves `fut` to say what came of it.
pub(super) async fn drive<F: Future>(conn: &mut Option<Conn>, fut: F) -> F::Output {
    let mut fut = pin!(fut);
    if conn.is_none() {
        return fut.await;
    }
    let quiet = Arc::new(Quiet::default());
    let waker = Waker::from(quiet.clone());
    poll_fn(|cx| {
        quiet.task.register(cx.waker());
        let mut inner = Context::from_waker(&waker);
        for _ in 0..ROUNDS {
            quiet.state.store(POLLING, Ordering::SeqCst);
            if let Some(c) = conn.as_mut()
                && c.as_mut().poll(&mut inner).is_ready()
            {
                *conn = None;
            }
            let out = fut.as_mut().poll(&mut inner);
            let woken = quiet.state.swap(IDLE, Ordering::SeqCst) == WOKEN;
            if out.is_ready() || !woken {
                return out;
            }
        }
        // Still busy after a few rounds: let the other tasks run first.
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

/// A waker that, while its task is inside [`drive`]'s poll, only notes the
/// wake; otherwise it wakes the task.
#[derive(Default)]
struct Quiet {
    task: AtomicWaker,
    state: AtomicU8,
}

impl Wake for Quiet {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let noted = self
            .state
            .compare_exchange(POLLING, WOKEN, Ordering::SeqCst, Ordering::SeqCst);
        match noted {
            Ok(_) | Err(WOKEN) => {}
            Err(_) => self.task.wake(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Counts the wakes its task receives.
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn wakes_inside_the_poll_are_quiet_and_outside_it_reach_the_task() {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        let quiet = Arc::new(Quiet::default());
        quiet.task.register(cx.waker());
        quiet.state.store(POLLING, Ordering::SeqCst);
        Waker::from(quiet.clone()).wake_by_ref();
        assert_eq!(quiet.state.swap(IDLE, Ordering::SeqCst), WOKEN);
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        Waker::from(quiet.clone()).wake_by_ref();
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        // Without a connection to drive, it is the future itself.
        let mut none = None;
        let mut f = pin!(drive(&mut none, std::future::ready(7)));
        assert_eq!(f.as_mut().poll(&mut cx), Poll::Ready(7));
    }
}
