//! Python's `multiprocessing.connection` on the wire: the pickles that
//! messages are, the length-prefixed frames that carry them, and the
//! HMAC challenge of `Listener` and `Client`.

pub mod conn;
pub mod endpoint;
pub mod pickle;

pub use conn::{ConnError, Connection};
pub use pickle::Value;
