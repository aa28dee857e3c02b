//! The chapter's Python generators as the state machines CPython makes of
//! them: where the frame is suspended and its locals, kept between calls.

/// A generator stepped by `next()`.
pub trait PyGen: Send {
    /// Its name, as `gen.__name__`.
    fn name(&self) -> &'static str;
    /// Its Python source, from the `def` line (line 1).
    fn source(&self) -> &'static str;
    /// Runs to the next `yield` and returns its value, or `None` when the
    /// function returns (`StopIteration`); `print` hears what it prints.
    fn resume(&mut self, print: &mut dyn FnMut(String)) -> Option<i64>;
    /// The line it is suspended at (1 is the `def`), if suspended.
    fn line(&self) -> Option<u32>;
    /// Its locals as `name=repr`, in CPython's order (`co_varnames`).
    fn locals(&self) -> Vec<String>;
    /// `inspect.getgeneratorstate`.
    fn state(&self) -> &'static str;
}

/// The notes' generator, spelling theirs.
pub const YEILD_TEST: &str = r#"def yeild_test():
    print("This is the beginning of yeild_test().")
    yield 1

    print("This is the end of yeild_test().")
    yield 2"#;

/// A generator with a local that lives across its `yield`.
pub const COUNTDOWN: &str = r#"def countdown(n):
    print(f"Counting down from {n}.")
    while n > 0:
        yield n
        n -= 1
    print("Lift-off!")"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Created,
    /// Suspended at the `yield` on this line.
    Yield(u32),
    Closed,
}

fn state(at: At) -> &'static str {
    match at {
        At::Created => "GEN_CREATED",
        At::Yield(_) => "GEN_SUSPENDED",
        At::Closed => "GEN_CLOSED",
    }
}

fn line(at: At) -> Option<u32> {
    match at {
        At::Yield(l) => Some(l),
        _ => None,
    }
}

/// `yeild_test()`: two yields, no locals.
pub struct YeildTest {
    at: At,
}

impl Default for YeildTest {
    fn default() -> Self {
        YeildTest::new()
    }
}

impl YeildTest {
    pub fn new() -> Self {
        YeildTest { at: At::Created }
    }
}

impl PyGen for YeildTest {
    fn name(&self) -> &'static str {
        "yeild_test"
    }
    fn source(&self) -> &'static str {
        YEILD_TEST
    }
    fn resume(&mut self, print: &mut dyn FnMut(String)) -> Option<i64> {
        let (next, value) = match self.at {
            At::Created => {
                print("This is the beginning of yeild_test().".into());
                (At::Yield(3), Some(1))
            }
            At::Yield(3) => {
                print("This is the end of yeild_test().".into());
                (At::Yield(6), Some(2))
            }
            _ => (At::Closed, None),
        };
        self.at = next;
        value
    }
    fn line(&self) -> Option<u32> {
        line(self.at)
    }
    fn locals(&self) -> Vec<String> {
        Vec::new()
    }
    fn state(&self) -> &'static str {
        state(self.at)
    }
}

/// `countdown(n)`: `n` survives every `yield`.
pub struct Countdown {
    n: i64,
    at: At,
}

impl Countdown {
    pub fn new(n: i64) -> Self {
        Countdown { n, at: At::Created }
    }
}

impl PyGen for Countdown {
    fn name(&self) -> &'static str {
        "countdown"
    }
    fn source(&self) -> &'static str {
        COUNTDOWN
    }
    fn resume(&mut self, print: &mut dyn FnMut(String)) -> Option<i64> {
        match self.at {
            At::Created => print(format!("Counting down from {}.", self.n)),
            At::Yield(_) => self.n -= 1,
            At::Closed => return None,
        }
        if self.n > 0 {
            self.at = At::Yield(4);
            return Some(self.n);
        }
        print("Lift-off!".into());
        self.at = At::Closed;
        None
    }
    fn line(&self) -> Option<u32> {
        line(self.at)
    }
    fn locals(&self) -> Vec<String> {
        if self.at == At::Closed {
            Vec::new()
        } else {
            vec![format!("n={}", self.n)]
        }
    }
    fn state(&self) -> &'static str {
        state(self.at)
    }
}
