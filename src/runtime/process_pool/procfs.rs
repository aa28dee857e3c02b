//! What Linux's `/proc` says about a process: CPU time, state, children.
//!
//! A thin face over the `procfs` crate, in the units the pools use.

use std::time::Duration;

use procfs::process::{Process, Stat};

/// `/proc/PID/stat`, if the process exists (zombies included, until reaped).
fn stat(pid: u32) -> Option<Stat> {
    Process::new(i32::try_from(pid).ok()?).ok()?.stat().ok()
}

/// User + system CPU time of a process (also readable while it is a zombie,
/// until reaped).
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let s = stat(pid)?;
    let ticks = s.utime + s.stime;
    Some(Duration::from_micros(
        ticks * 1_000_000 / procfs::ticks_per_second().max(1),
    ))
}

/// The state letter (`R` running, `S` sleeping, `T` stopped, `Z` zombie…).
pub fn state(pid: u32) -> Option<char> {
    Some(stat(pid)?.state)
}

fn alive(state: char) -> bool {
    state != 'Z' && state != 'X'
}

/// Whether the process exists and is not a zombie.
pub fn is_alive(pid: u32) -> bool {
    state(pid).is_some_and(alive)
}

/// Live (non-zombie) children of `ppid`.
pub fn children(ppid: u32) -> Vec<u32> {
    let Ok(all) = procfs::process::all_processes() else {
        return Vec::new();
    };
    all.filter_map(|p| p.ok()?.stat().ok())
        .filter(|s| u32::try_from(s.ppid).ok() == Some(ppid) && alive(s.state))
        .filter_map(|s| u32::try_from(s.pid).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_own_process() {
        let me = std::process::id();
        assert!(is_alive(me));
        assert!(cpu_time(me).is_some());
        assert!(state(u32::MAX).is_none());
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        assert!(children(me).contains(&child.id()));
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(!children(me).contains(&child.id()));
    }
}
