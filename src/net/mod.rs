#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! The network side of the course: the offline demo web server the examples
//! talk to, and the instrumented HTTP client they talk with.

pub mod blocking;
pub mod client;
pub mod limits;
pub mod marks;
pub mod mp;
pub mod pokedex;
pub mod server;
pub mod target;

pub use server::{ServerConfig, ServerError, ServerHandle, serve_main, start};
