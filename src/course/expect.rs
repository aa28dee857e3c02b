//! `expect:` lines: what a section's pane shows after its example has run,
//! parsed here and checked by `racecourse check --run`.
//!
//! ```text
//! expect: shows "TEXT"              the drawn pane contains TEXT
//! expect: hides "TEXT"              it does not
//! expect: order "A" "B" …           it shows A, then B on a line below, …
//! expect: figure "LABEL" LO..HI     the number just before LABEL is in range
//! expect: failed-bars LO..HI        ✗ marks drawn in the pane
//! expect: failures LO..HI           units that failed in the run's trace
//! expect: bars staircase|wall       the waterfall's bars start in a staircase / together
//! expect: gil-exclusive             no two worker lanes ran at the same time
//! expect: speed N                   check with sleeps and latencies N× faster
//! expect: set OPTION VALUE          check with this option changed (shorter runs)
//! expect: press KEY [N]             check as if KEY was pressed N times before Enter
//! expect: at 100x30 shows "TEXT"    any check, at one of the sizes only
//! expect: during shows "TEXT"       in at least one frame drawn while the run
//!                                   went on (`during hides`: in none of them)
//! ```

use std::fmt;

use crate::lesson::{Located, Pos};
use crate::suggest;

/// The forms, as the guide and messages list them.
pub const FORMS: &[&str] = &[
    "shows",
    "hides",
    "order",
    "figure",
    "failed-bars",
    "failures",
    "gil-exclusive",
    "speed",
    "set",
    "press",
    "bars",
];

/// The forms `during` applies to: what a frame draws.
pub const DURING_FORMS: &[&str] = &["shows", "hides", "order", "figure", "failed-bars"];

/// The fastest time scale a check may ask for (the runtime's limit: 10 %).
pub const MAX_SPEED: u32 = 10;

/// The most presses of one key a `press` line may ask for.
pub const MAX_PRESSES: u32 = 100;

/// An inclusive range of numbers; `N` alone is `N..N`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Range {
    /// Whether `v` lies in the range, ends included.
    pub fn contains(&self, v: f64) -> bool {
        v >= self.lo && v <= self.hi
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (self.hi - self.lo).abs() < f64::EPSILON {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}..{}", self.lo, self.hi)
        }
    }
}

/// One statement about the pane after a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Shows(String),
    Hides(String),
    /// Each text on a line of its own, each line below the one before.
    Order(Vec<String>),
    Figure {
        label: String,
        range: Range,
    },
    FailedBars(Range),
    Failures(Range),
    /// The waterfall's bars start one after another (`true`: a staircase)
    /// or all together (`false`: a wall).
    Staircase(bool),
    GilExclusive,
    /// Not a statement: the time scale of the check's run.
    Speed(u32),
    /// Not a statement: an option the check's run sets otherwise, to keep
    /// a long run short; the other statements describe that run.
    Set {
        option: Located,
        value: Located,
    },
    /// Not a statement: the check's run starts as if the learner had
    /// pressed `key` (one that turns an option, `+` say) `times` times
    /// before `Enter`; the other statements describe that run.
    Press {
        key: char,
        at: Pos,
        times: u32,
    },
}

impl Expect {
    /// Whether this line sets up the check's run instead of stating what
    /// the pane shows.
    pub fn is_setting(&self) -> bool {
        matches!(
            self,
            Expect::Speed(_) | Expect::Set { .. } | Expect::Press { .. }
        )
    }
}

/// An `expect:` line: the statement, where it was written, and the screen
/// size it is limited to, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub expect: Expect,
    /// Only at this size (`at 100x30 …`); `None`: at every size checked.
    pub size: Option<(u16, u16)>,
    /// About the frames drawn while the run went on (`during …`), not the
    /// one left at its end: `shows`, `figure` and `failed-bars` hold in at
    /// least one of them, `hides` in all of them.
    pub during: bool,
    /// Where the statement starts in its file.
    pub at: Pos,
    /// As written, for messages.
    pub text: String,
}

/// The words of a statement: bare words and quoted strings, with their
/// character offsets.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
}

type Fail = (Pos, String);

fn tokens(line: &Located) -> Result<Vec<(usize, Token)>, Fail> {
    let chars: Vec<char> = line.text.chars().collect();
    let pos = |i: usize| Pos {
        line: line.at.line,
        col: line.at.col + i,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if chars[i] == '"' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err((
                            pos(start),
                            "quoted text is not closed: add a `\"` at the end".into(),
                        ));
                    }
                    Some('"') => break,
                    Some('\\') if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                        text.push(chars[i + 1]);
                        i += 2;
                    }
                    Some(&c) => {
                        text.push(c);
                        i += 1;
                    }
                }
            }
            i += 1;
            out.push((start, Token::Quoted(text)));
        } else {
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            out.push((start, Token::Word(chars[start..i].iter().collect())));
        }
    }
    Ok(out)
}

fn number(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

fn range(s: &str) -> Result<Range, String> {
    let bad = || format!("expected a number or a range LO..HI, found `{s}`");
    let (lo, hi) = match s.split_once("..") {
        Some((lo, hi)) => (lo, hi.strip_prefix('=').unwrap_or(hi)),
        None => (s, s),
    };
    let (lo, hi) = (number(lo).ok_or_else(bad)?, number(hi).ok_or_else(bad)?);
    if lo > hi {
        return Err(format!(
            "the range {s} is empty: write the smaller number first"
        ));
    }
    Ok(Range { lo, hi })
}

fn size(s: &str) -> Option<(u16, u16)> {
    let (w, h) = s.split_once(['x', '×'])?;
    let (w, h) = (w.parse().ok()?, h.parse().ok()?);
    (w > 0 && h > 0).then_some((w, h))
}

/// Reads tokens one by one, knowing where the statement ends.
struct Cursor {
    toks: Vec<(usize, Token)>,
    next: usize,
    line: Located,
}

impl Cursor {
    fn pos(&self, i: usize) -> Pos {
        Pos {
            line: self.line.at.line,
            col: self.line.at.col + i,
        }
    }

    /// Where the next token is, or just past the end.
    fn here(&self) -> Pos {
        let i = self
            .toks
            .get(self.next)
            .map_or(self.line.text.chars().count(), |t| t.0);
        self.pos(i)
    }

    fn take(&mut self) -> Option<(usize, Token)> {
        let t = self.toks.get(self.next).cloned();
        self.next += 1;
        t
    }

    fn word(&mut self, what: &str) -> Result<(Pos, String), Fail> {
        let here = self.here();
        match self.take() {
            Some((i, Token::Word(w))) => Ok((self.pos(i), w)),
            _ => Err((here, format!("expected {what}"))),
        }
    }

    fn quoted(&mut self, form: &str) -> Result<String, Fail> {
        let here = self.here();
        match self.take() {
            Some((_, Token::Quoted(t))) if !t.trim().is_empty() => Ok(t),
            Some((_, Token::Quoted(_))) => Err((here, "the quoted text is empty".into())),
            _ => Err((
                here,
                format!("`{form}` needs quoted text, as in `{form} \"done\"`"),
            )),
        }
    }

    /// A bare word or quoted text, with its position.
    fn value(&mut self, what: &str) -> Result<Located, Fail> {
        let here = self.here();
        match self.take() {
            Some((i, Token::Word(t) | Token::Quoted(t))) => Ok(Located {
                text: t,
                at: self.pos(i),
            }),
            None => Err((here, format!("expected {what}"))),
        }
    }

    fn range(&mut self, form: &str) -> Result<Range, Fail> {
        let (at, w) = self.word(&format!("a number or a range LO..HI after `{form}`"))?;
        range(&w).map_err(|m| (at, m))
    }

    /// `order "A" "B" …`: two quoted texts or more.
    fn order(&mut self) -> Result<Expect, Fail> {
        let mut texts = vec![self.quoted("order")?];
        while self.toks.get(self.next).is_some() {
            texts.push(self.quoted("order")?);
        }
        if texts.len() < 2 {
            return Err((
                self.here(),
                "`order` needs two quoted texts or more, as in `order \"first\" \"then\"`".into(),
            ));
        }
        Ok(Expect::Order(texts))
    }

    /// `set OPTION VALUE`.
    fn set(&mut self) -> Result<Expect, Fail> {
        let (at, option) = self.word("an option name after `set`, as in `set prefix 00000`")?;
        let value = self.value(&format!("a value after `set {option}`"))?;
        Ok(Expect::Set {
            option: Located { text: option, at },
            value,
        })
    }

    /// `press KEY [N]`: one key, pressed once unless a count follows.
    fn press(&mut self) -> Result<Expect, Fail> {
        let (at, k) = self.word("a key after `press`, as in `press + 3`")?;
        let mut chars = k.chars();
        let (Some(key), None) = (chars.next(), chars.next()) else {
            return Err((at, format!("`press` takes one key, found `{k}`")));
        };
        if self.toks.get(self.next).is_none() {
            return Ok(Expect::Press { key, at, times: 1 });
        }
        let (n_at, n) = self.word("a number of presses after the key")?;
        match n.parse::<u32>() {
            Ok(times) if (1..=MAX_PRESSES).contains(&times) => Ok(Expect::Press { key, at, times }),
            _ => Err((
                n_at,
                format!(
                    "the number of presses must be a whole number 1..={MAX_PRESSES}, found `{n}`"
                ),
            )),
        }
    }

    fn end(&mut self) -> Result<(), Fail> {
        match self.take() {
            None => Ok(()),
            Some((i, Token::Word(t) | Token::Quoted(t))) => Err((
                self.pos(i),
                format!("unexpected `{t}` at the end of the expectation"),
            )),
        }
    }
}

impl Statement {
    /// Parses the text after `expect:`; a problem comes back with the
    /// position of the offending word.
    pub fn parse(line: &Located) -> Result<Statement, Fail> {
        let mut c = Cursor {
            toks: tokens(line)?,
            next: 0,
            line: line.clone(),
        };
        let all = FORMS.join(", ");
        if c.toks.is_empty() {
            return Err((
                line.at,
                format!("an `expect:` line needs a statement ({all})"),
            ));
        }
        let mut sized = None;
        if matches!(c.toks.first(), Some((_, Token::Word(w))) if w == "at") {
            c.take();
            let (at, w) = c.word("a size WxH after `at`, as in `at 100x30 shows \"…\"`")?;
            sized = Some(size(&w).ok_or_else(|| {
                (
                    at,
                    format!("expected a size WxH such as 100x30, found `{w}`"),
                )
            })?);
        }
        let during = matches!(c.toks.get(c.next), Some((_, Token::Word(w))) if w == "during");
        if during {
            c.take();
        }
        let (at, form) = c.word(&format!("one of {all}"))?;
        if during && !DURING_FORMS.contains(&form.as_str()) && FORMS.contains(&form.as_str()) {
            return Err((
                at,
                format!(
                    "`during` applies to what a frame draws ({}), not to `{form}`",
                    DURING_FORMS.join(", ")
                ),
            ));
        }
        let expect = match form.as_str() {
            "shows" => Expect::Shows(c.quoted(&form)?),
            "hides" => Expect::Hides(c.quoted(&form)?),
            "order" => c.order()?,
            "figure" => {
                let label = c.quoted(&form)?;
                Expect::Figure {
                    label,
                    range: c.range(&form)?,
                }
            }
            "failed-bars" => Expect::FailedBars(c.range(&form)?),
            "failures" => Expect::Failures(c.range(&form)?),
            "bars" => match c.word("`staircase` or `wall` after `bars`")? {
                (_, w) if w == "staircase" || w == "wall" => Expect::Staircase(w == "staircase"),
                (at, w) => {
                    return Err((at, format!("expected `staircase` or `wall`, found `{w}`")));
                }
            },
            "gil-exclusive" => Expect::GilExclusive,
            "speed" => {
                let (n_at, n) = c.word("a whole number after `speed`")?;
                match n.parse::<u32>() {
                    Ok(v) if (1..=MAX_SPEED).contains(&v) => Expect::Speed(v),
                    _ => {
                        return Err((
                            n_at,
                            format!("`speed` must be a whole number 1..={MAX_SPEED}, found `{n}`"),
                        ));
                    }
                }
            }
            "set" => c.set()?,
            "press" => c.press()?,
            other => {
                let hint = suggest::hint(other, FORMS.iter().copied());
                return Err((
                    at,
                    format!("unknown expectation `{other}`{hint} (expectations: {all})"),
                ));
            }
        };
        c.end()?;
        if sized.is_some() && expect.is_setting() {
            return Err((
                line.at,
                format!("`{form}` applies to the run, not to one size"),
            ));
        }
        Ok(Statement {
            expect,
            size: sized,
            during,
            at: line.at,
            text: line.text.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Statement, String> {
        let line = Located {
            text: text.into(),
            at: Pos { line: 7, col: 9 },
        };
        Statement::parse(&line).map_err(|(at, m)| format!("{}:{}: {m}", at.line, at.col))
    }

    fn expect(text: &str) -> Expect {
        parse(text).expect("parses").expect
    }

    #[test]
    fn every_form_parses() {
        assert_eq!(
            expect(r#"shows "160/160""#),
            Expect::Shows("160/160".into())
        );
        assert_eq!(
            expect(r#"hides  "a \"b\" \\""#),
            Expect::Hides(r#"a "b" \"#.into())
        );
        assert_eq!(
            expect(r#"figure "M hashes/s" 10..40"#),
            Expect::Figure {
                label: "M hashes/s".into(),
                range: Range { lo: 10.0, hi: 40.0 }
            }
        );
        assert_eq!(
            expect("failed-bars 3"),
            Expect::FailedBars(Range { lo: 3.0, hi: 3.0 })
        );
        assert_eq!(
            expect("failures 0.5..=2"),
            Expect::Failures(Range { lo: 0.5, hi: 2.0 })
        );
        assert_eq!(expect("gil-exclusive"), Expect::GilExclusive);
        assert_eq!(expect("speed 4"), Expect::Speed(4));
        let Expect::Set { option, value } = expect(r#"set prefix "00000""#) else {
            panic!("a setting")
        };
        assert_eq!((option.text.as_str(), option.at.col), ("prefix", 13));
        assert_eq!((value.text.as_str(), value.at.col), ("00000", 20));
        let at = Pos { line: 7, col: 15 };
        assert_eq!(
            expect("press + 5"),
            Expect::Press {
                key: '+',
                at,
                times: 5
            }
        );
        assert_eq!(
            expect("press ]"),
            Expect::Press {
                key: ']',
                at,
                times: 1
            }
        );
        let s = parse(r#"at 120x36 shows "idle""#).unwrap();
        assert_eq!(
            (s.size, s.during, s.expect),
            (Some((120, 36)), false, Expect::Shows("idle".into()))
        );
        let s = parse(r#"at 80x24 during hides "DEADLOCK""#).unwrap();
        assert_eq!(
            (s.size, s.during, s.expect),
            (Some((80, 24)), true, Expect::Hides("DEADLOCK".into()))
        );
        let s = parse(r#"during order "a" "b" "c""#).unwrap();
        assert_eq!(
            (s.during, s.expect),
            (
                true,
                Expect::Order(vec!["a".into(), "b".into(), "c".into()])
            )
        );
        let s = parse(r#"during figure "full" 1..3"#).unwrap();
        assert!(s.during);
    }

    #[test]
    fn mistakes_are_reported_at_the_offending_word() {
        let err = |t| parse(t).expect_err(t);
        assert_eq!(
            err(r#"show "x""#),
            "7:9: unknown expectation `show`; did you mean `shows`? (expectations: shows, \
             hides, order, figure, failed-bars, failures, gil-exclusive, speed, set, press, bars)"
        );
        assert_eq!(
            err("shows done"),
            "7:15: `shows` needs quoted text, as in `shows \"done\"`"
        );
        assert_eq!(
            err("hides"),
            "7:14: `hides` needs quoted text, as in `hides \"done\"`"
        );
        assert_eq!(
            err(r#"shows "open"#),
            "7:15: quoted text is not closed: add a `\"` at the end"
        );
        assert_eq!(err(r#"shows """#), "7:15: the quoted text is empty");
        assert_eq!(
            err(r#"figure "x/s" ten"#),
            "7:22: expected a number or a range LO..HI, found `ten`"
        );
        assert_eq!(
            err(r#"figure "x/s" 40..10"#),
            "7:22: the range 40..10 is empty: write the smaller number first"
        );
        assert_eq!(
            err(r#"shows "a" "b""#),
            "7:19: unexpected `b` at the end of the expectation"
        );
        assert_eq!(
            err("speed 20"),
            "7:15: `speed` must be a whole number 1..=10, found `20`"
        );
        assert_eq!(
            err(r#"at big shows "x""#),
            "7:12: expected a size WxH such as 100x30, found `big`"
        );
        assert_eq!(
            err(""),
            "7:9: an `expect:` line needs a statement (shows, hides, order, figure, failed-bars, \
             failures, gil-exclusive, speed, set, press, bars)"
        );
        assert_eq!(
            err("during failures 1"),
            "7:16: `during` applies to what a frame draws (shows, hides, order, figure, \
             failed-bars), not to `failures`"
        );
        assert_eq!(
            err(r#"during shw "x""#),
            "7:16: unknown expectation `shw`; did you mean `shows`? (expectations: shows, \
             hides, order, figure, failed-bars, failures, gil-exclusive, speed, set, press, bars)"
        );
        assert_eq!(
            err(r#"order "a""#),
            "7:18: `order` needs two quoted texts or more, as in `order \"first\" \"then\"`"
        );
        assert_eq!(
            err(r#"order "a" b"#),
            "7:19: `order` needs quoted text, as in `order \"done\"`"
        );
        assert_eq!(err("press ++"), "7:15: `press` takes one key, found `++`");
        assert_eq!(
            err("press + 0"),
            "7:17: the number of presses must be a whole number 1..=100, found `0`"
        );
        assert_eq!(
            err("during press +"),
            "7:16: `during` applies to what a frame draws (shows, hides, order, figure, failed-bars), not to `press`"
        );
        assert_eq!(
            err("at 100x30 press +"),
            "7:9: `press` applies to the run, not to one size"
        );
        assert_eq!(
            err("at 100x30 speed 2"),
            "7:9: `speed` applies to the run, not to one size"
        );
    }
}
