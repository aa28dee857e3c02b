//! The wait-for graph: which thread holds which lock, which thread waits
//! for which lock, and the cycle that is a deadlock.
//!
//! The examples send it as `State` events, so that a pane rebuilds it from
//! `RunState.vars` alone: `holder:lock a` = `thread-1` (empty: free) and
//! `wants:thread-2` = `lock a` (empty: not waiting).

use std::collections::BTreeMap;

/// The key of the thread holding `lock`.
pub fn holder_key(lock: &str) -> String {
    format!("holder:{lock}")
}

/// The key of the lock `thread` waits for.
pub fn wants_key(thread: &str) -> String {
    format!("wants:{thread}")
}

/// Who holds what and who waits for what, at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaitFor {
    /// Lock → the thread holding it.
    pub holders: BTreeMap<String, String>,
    /// Thread → the lock it waits for.
    pub wants: BTreeMap<String, String>,
}

impl WaitFor {
    /// The graph that `State` events have drawn so far.
    pub fn from_vars(vars: &BTreeMap<String, String>) -> WaitFor {
        let mut g = WaitFor::default();
        for (k, v) in vars {
            if let Some(lock) = k.strip_prefix("holder:") {
                g.holders.insert(lock.to_string(), v.clone());
            } else if let Some(thread) = k.strip_prefix("wants:") {
                g.wants.insert(thread.to_string(), v.clone());
            }
        }
        g
    }

    /// The locks `thread` holds, in name order.
    pub fn held_by(&self, thread: &str) -> Vec<&str> {
        self.holders
            .iter()
            .filter(|(_, t)| *t == thread)
            .map(|(l, _)| l.as_str())
            .collect()
    }

    /// The thread holding `lock`, if any.
    pub fn holder(&self, lock: &str) -> Option<&str> {
        self.holders.get(lock).map(String::as_str)
    }

    /// A cycle thread → lock it waits for → thread holding that lock → …
    /// back to the first thread, as `[thread, lock, thread, lock, …]`,
    /// starting from the first thread by name that is on one. `None` while
    /// every wait can end.
    pub fn cycle(&self) -> Option<Vec<String>> {
        for start in self.wants.keys() {
            let mut path = Vec::new();
            let mut cur = start.as_str();
            // A cycle through `start` has at most one step per waiting
            // thread; a longer walk went round a cycle that skips it.
            for _ in 0..self.wants.len() {
                let Some(lock) = self.wants.get(cur) else {
                    break;
                };
                let Some(holder) = self.holder(lock) else {
                    break;
                };
                path.push(cur.to_string());
                path.push(lock.clone());
                if holder == start {
                    return Some(path);
                }
                cur = holder;
            }
        }
        None
    }
}

/// `thread-1 → lock b → thread-2 → lock a → thread-1`.
pub fn cycle_text(cycle: &[String]) -> String {
    let mut parts: Vec<&str> = cycle.iter().map(String::as_str).collect();
    if let Some(first) = cycle.first() {
        parts.push(first);
    }
    parts.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn two_threads_waiting_for_each_other_close_a_cycle() {
        let g = WaitFor::from_vars(&vars(&[
            ("holder:lock a", "thread-1"),
            ("holder:lock b", "thread-2"),
            ("wants:thread-1", "lock b"),
            ("wants:thread-2", "lock a"),
            ("counter", "3"),
        ]));
        let cycle = g.cycle().unwrap();
        assert_eq!(cycle, ["thread-1", "lock b", "thread-2", "lock a"]);
        assert_eq!(
            cycle_text(&cycle),
            "thread-1 → lock b → thread-2 → lock a → thread-1"
        );
        assert_eq!(g.held_by("thread-1"), ["lock a"]);
    }

    #[test]
    fn a_wait_for_a_running_thread_is_no_cycle() {
        let g = WaitFor::from_vars(&vars(&[
            ("holder:lock a", "thread-1"),
            ("holder:lock b", "thread-1"),
            ("wants:thread-2", "lock a"),
        ]));
        assert_eq!(g.cycle(), None);
        assert_eq!(g.holder("lock a"), Some("thread-1"));
        assert_eq!(WaitFor::default().cycle(), None);
    }

    #[test]
    fn a_cycle_is_found_from_a_thread_outside_it_too() {
        // thread-0 waits on the cycle of 1 and 2 without being on it.
        let g = WaitFor::from_vars(&vars(&[
            ("holder:lock a", "thread-1"),
            ("holder:lock b", "thread-2"),
            ("wants:thread-0", "lock a"),
            ("wants:thread-1", "lock b"),
            ("wants:thread-2", "lock a"),
        ]));
        assert_eq!(
            g.cycle().unwrap(),
            ["thread-1", "lock b", "thread-2", "lock a"]
        );
    }
}
