//! Where the examples send their requests: the demo server started for the
//! run, or (with `online`) the real sites of the notes.

use std::time::Duration;

use crate::net::client::{FetchError, Limits};
use crate::net::server::{SITES, ServerConfig, ServerHandle};
use crate::runtime::Control;

/// The real pokeapi, for `online`.
pub const POKEAPI: &str = "https://pokeapi.co";

/// The servers one run talks to.
pub struct Target {
    server: Option<ServerHandle>,
    latency: Duration,
    jitter: Duration,
}

impl Target {
    /// Starts a demo server for this run on a free port (stopped when the
    /// target is dropped).
    pub fn offline(latency: Duration, jitter: Duration, fail_rate: f64) -> anyhow::Result<Target> {
        let server = ServerHandle::spawn_thread(ServerConfig {
            latency,
            jitter,
            fail_rate,
            ..ServerConfig::default()
        })?;
        Ok(Target {
            server: Some(server),
            latency,
            jitter,
        })
    }

    /// The real sites.
    pub fn online() -> Target {
        Target {
            server: None,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
        }
    }

    /// Whether requests go to the internet.
    pub fn is_online(&self) -> bool {
        self.server.is_none()
    }

    /// The `i`-th site of the notes' list `[jython, dice] * 80`.
    pub fn site_url(&self, i: usize) -> String {
        let site = &SITES[i % SITES.len()];
        match &self.server {
            Some(s) => s.url_for(&format!("/sites/{}", site.name)),
            None => site.real_url.to_string(),
        }
    }

    /// The pokeapi URL of pokemon `id`.
    pub fn pokemon_url(&self, id: u32) -> String {
        let path = format!("/api/v2/pokemon/{id}");
        match &self.server {
            Some(s) => s.url_for(&path),
            None => format!("{POKEAPI}{path}"),
        }
    }

    /// The URL actually requested: in slow motion the demo server is asked
    /// for proportionally longer waits, so the picture slows down as a whole.
    pub fn request_url(&self, url: &str, control: &Control) -> String {
        if self.is_online() || control.scale_pct() == 100 {
            return url.to_string();
        }
        format!(
            "{url}?latency={}&jitter={}",
            control.scaled(self.latency).as_millis(),
            control.scaled(self.jitter).as_millis()
        )
    }

    /// The client limits for this target.
    pub fn limits(&self) -> Limits {
        if self.is_online() {
            Limits::online()
        } else {
            Limits::offline(self.latency, self.jitter)
        }
    }

    /// One request's timeout under the current time scale.
    pub fn timeout(&self, control: &Control) -> Duration {
        let limits = self.limits();
        if self.is_online() {
            return limits.timeout;
        }
        control.scaled(self.latency + self.jitter) + (limits.timeout - self.latency - self.jitter)
    }

    /// The clear message for a request that failed because there is no
    /// network, or `None` when the failure is something else.
    pub fn offline_hint(&self, e: &FetchError) -> Option<String> {
        if !self.is_online() {
            return None;
        }
        let what = match e {
            FetchError::Dns(host) => format!("no internet: cannot resolve {host}"),
            FetchError::Connect(why) => format!("no internet? cannot connect: {why}"),
            _ => return None,
        };
        Some(format!(
            "{what}. The examples work without it: leave out --online to use the built-in demo server"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_notes_list_and_slow_motion_asks_for_longer_waits() {
        let t = Target::offline(Duration::from_millis(100), Duration::ZERO, 0.0).unwrap();
        assert!(t.site_url(0).ends_with("/sites/jython"));
        assert!(t.site_url(1).ends_with("/sites/dice"));
        assert!(t.site_url(2).ends_with("/sites/jython"));
        assert!(t.pokemon_url(19).ends_with("/api/v2/pokemon/19"));
        let c = Control::new();
        assert_eq!(t.request_url("http://x/a", &c), "http://x/a");
        c.set_scale_pct(300);
        assert_eq!(
            t.request_url("http://x/a", &c),
            "http://x/a?latency=300&jitter=0"
        );
        assert!(t.timeout(&c) > t.timeout(&Control::new()));
        let online = Target::online();
        assert_eq!(online.site_url(1), "http://olympus.realpython.org/dice");
        assert_eq!(online.pokemon_url(1), "https://pokeapi.co/api/v2/pokemon/1");
        let hint = online
            .offline_hint(&FetchError::Dns("pokeapi.co".into()))
            .unwrap();
        assert!(
            hint.contains("no internet") && hint.contains("--online"),
            "{hint}"
        );
        assert!(t.offline_hint(&FetchError::Status(500)).is_none());
    }
}
