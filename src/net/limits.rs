//! The process's open-file budget: every connection is a file descriptor,
//! and 10,000 concurrent requests to our own server cost two each.

use std::sync::OnceLock;

/// Raises the soft limit on open files to the hard limit (once per process)
/// and returns the soft limit now in force.
pub fn raise_fd_limit() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(raise)
}

#[cfg(unix)]
fn raise() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass,
    // which lives on this stack frame for the whole call.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 1024;
        }
        if lim.rlim_cur < lim.rlim_max {
            let want = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &want) == 0 {
                lim.rlim_cur = lim.rlim_max;
            }
        }
    }
    // rlim_t is u64 on Linux but not on every unix.
    #[allow(clippy::unnecessary_cast)]
    let soft = lim.rlim_cur as u64;
    soft
}

#[cfg(not(unix))]
fn raise() -> u64 {
    // Windows has no such per-process table limit worth raising here.
    1 << 16
}

/// How many connections a server inside this process may hold: half the
/// descriptor budget, so that the process's own clients keep the other half.
pub fn server_share(fd_limit: u64) -> usize {
    (fd_limit / 2).saturating_sub(128).max(64) as usize
}

/// How many connections this process's clients may open at once: the
/// other half of the budget. Every request to the in-process server costs
/// two descriptors (both ends), and 256 stay for everything else.
pub fn client_share(fd_limit: u64) -> usize {
    server_share(fd_limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_raised_and_shared() {
        let n = raise_fd_limit();
        assert!(n >= 256, "{n}");
        assert_eq!(server_share(20_000), 9_872);
        assert_eq!(server_share(100), 64);
        assert!(2 * client_share(1024) + 256 <= 1024);
    }
}
