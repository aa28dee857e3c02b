//! The scheduler's programs: each thread's code, one line per step, and the
//! goal the learner plays for.
//!
//! A statement that is not one step in CPython's bytecode is spelled out as
//! the steps a thread really takes: `counter += 1` is a load into the
//! thread's local `tmp`, an add and a store, and another thread may run
//! between any two of them.

/// What one step does to the shared state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `tmp = counter`
    Load,
    /// `tmp = tmp + 1`
    Add,
    /// `counter = tmp`
    Store,
    /// `counter += 1` as one step (under a lock, where nobody can interleave).
    Increment,
    /// `lock.acquire()`: cannot be taken while another thread holds the lock.
    Acquire(usize),
    /// `lock.release()`
    Release(usize),
}

/// One line of a thread's code.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub code: &'static str,
    pub op: Op,
}

const fn line(code: &'static str, op: Op) -> Line {
    Line { code, op }
}

/// What the learner plays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// Every thread finishes, yet `counter` ends below the number of
    /// increments.
    LoseUpdate,
    /// A state where no thread can step although not all have finished.
    Deadlock,
}

impl Goal {
    /// The goal as the pane states it.
    pub fn text(self) -> &'static str {
        match self {
            Goal::LoseUpdate => "lose an update",
            Goal::Deadlock => "reach a state where no thread can step",
        }
    }
}

/// A program for two threads sharing `counter` and some locks.
#[derive(Debug)]
pub struct Program {
    pub name: &'static str,
    /// One line of help for `run --help`.
    pub help: &'static str,
    /// The Python each thread runs, as one line (shown above the steps).
    pub python: [&'static str; 2],
    pub threads: [&'static [Line]; 2],
    /// The locks' names, by index.
    pub locks: &'static [&'static str],
    pub goal: Goal,
}

impl Program {
    /// How many threads run it.
    pub fn thread_count(&self) -> usize {
        self.threads.len()
    }

    /// `counter` once every thread has finished, if nothing was lost.
    pub fn expected(&self) -> i64 {
        let ups = self
            .threads
            .iter()
            .flat_map(|t| t.iter())
            .filter(|l| matches!(l.op, Op::Store | Op::Increment))
            .count();
        i64::try_from(ups).unwrap_or(i64::MAX)
    }

    /// The program named `name`.
    pub fn named(name: &str) -> Option<&'static Program> {
        PROGRAMS.iter().find(|p| p.name == name)
    }
}

const LOST_UPDATE: &[Line] = &[
    line("tmp = counter", Op::Load),
    line("tmp = tmp + 1", Op::Add),
    line("counter = tmp", Op::Store),
];

const LOCKED: &[Line] = &[
    line("lock.acquire()", Op::Acquire(0)),
    line("tmp = counter", Op::Load),
    line("tmp = tmp + 1", Op::Add),
    line("counter = tmp", Op::Store),
    line("lock.release()", Op::Release(0)),
];

const A_THEN_B: &[Line] = &[
    line("a.acquire()", Op::Acquire(0)),
    line("b.acquire()", Op::Acquire(1)),
    line("counter += 1", Op::Increment),
    line("b.release()", Op::Release(1)),
    line("a.release()", Op::Release(0)),
];

const B_THEN_A: &[Line] = &[
    line("b.acquire()", Op::Acquire(1)),
    line("a.acquire()", Op::Acquire(0)),
    line("counter += 1", Op::Increment),
    line("a.release()", Op::Release(0)),
    line("b.release()", Op::Release(1)),
];

/// Every program, the default first.
pub static PROGRAMS: &[Program] = &[
    Program {
        name: "lost-update",
        help: "two threads run counter += 1 as load, add, store: lose an update",
        python: ["counter += 1", "counter += 1"],
        threads: [LOST_UPDATE, LOST_UPDATE],
        locks: &[],
        goal: Goal::LoseUpdate,
    },
    Program {
        name: "locked",
        help: "the same between lock.acquire() and lock.release(): try to lose one",
        python: ["with lock: counter += 1", "with lock: counter += 1"],
        threads: [LOCKED, LOCKED],
        locks: &["lock"],
        goal: Goal::LoseUpdate,
    },
    Program {
        name: "deadlock",
        help: "two threads take locks a and b in opposite orders: make both wait",
        python: ["with a, b: counter += 1", "with b, a: counter += 1"],
        threads: [A_THEN_B, B_THEN_A],
        locks: &["a", "b"],
        goal: Goal::Deadlock,
    },
];

/// The program names, for the `program` option's choices.
pub const NAMES: &[&str] = &["lost-update", "locked", "deadlock"];

/// Thread numbers (1-based) from `1,2,1,2` (commas or spaces between them).
pub fn parse_schedule(text: &str, threads: usize) -> Result<Vec<usize>, String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| match t.parse::<usize>() {
            Ok(n) if (1..=threads).contains(&n) => Ok(n),
            _ => Err(format!(
                "schedule: `{t}` is not a thread (threads are 1 to {threads})"
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_programs() {
        let names: Vec<&str> = PROGRAMS.iter().map(|p| p.name).collect();
        assert_eq!(names, NAMES);
        assert_eq!(Program::named("locked").map(Program::expected), Some(2));
    }

    #[test]
    fn schedules_parse_and_bad_threads_are_named() {
        assert_eq!(parse_schedule("1,2, 1 2", 2), Ok(vec![1, 2, 1, 2]));
        assert_eq!(parse_schedule("", 2), Ok(vec![]));
        let err = parse_schedule("1,3", 2).unwrap_err();
        assert!(err.contains("`3`") && err.contains("1 to 2"), "{err}");
        assert!(parse_schedule("1,x", 2).is_err());
    }
}
