//! Checking `expect:` statements against what a run left behind: the pane
//! drawn at fixed sizes (as text) and the run's events.

use std::collections::HashMap;

use crate::trace::{Event, EventKind, LaneId, LaneRole, RunState};

use super::expect::{Expect, Statement};

/// The sizes every statement is checked at unless it names one: a laptop
/// split in two, the classic terminal, and a wide screen where the pane
/// sits beside the lesson (the sizes the course is read at).
pub const SIZES: &[(u16, u16)] = &[(100, 30), (80, 24), (120, 36)];

/// Overlap of GIL holders below this share of the run is the trace's own
/// jitter (two threads stamp a hand-over a few µs apart), not a violation.
const OVERLAP_SHARE: f64 = 0.01;

/// The pane as drawn at one size.
#[derive(Debug, Clone)]
pub struct Screen {
    pub width: u16,
    pub height: u16,
    /// The pane's text, one line per row.
    pub pane: String,
}

/// What a finished run left behind.
#[derive(Debug)]
pub struct Observed<'a> {
    pub screens: &'a [Screen],
    pub state: &'a RunState,
    pub events: &'a [Event],
}

/// The sizes a demo's statements need: the standard ones and any named.
pub fn sizes(statements: &[Statement]) -> Vec<(u16, u16)> {
    let mut out = SIZES.to_vec();
    for s in statements {
        if let Some(size) = s.size
            && !out.contains(&size)
        {
            out.push(size);
        }
    }
    out
}

/// Why `s` does not hold, one message per size where it fails; empty when
/// it holds. A `during` statement is checked by [`During`] instead.
pub fn failures(s: &Statement, seen: &Observed) -> Vec<String> {
    if s.during {
        return Vec::new();
    }
    let screens = seen
        .screens
        .iter()
        .filter(|sc| s.size.is_none_or(|size| size == (sc.width, sc.height)));
    let on_screens = |f: &dyn Fn(&str) -> Option<String>| -> Vec<String> {
        screens
            .clone()
            .filter_map(|sc| f(&sc.pane).map(|why| format!("at {}×{} {why}", sc.width, sc.height)))
            .collect()
    };
    let once = |why: Option<String>| why.into_iter().collect();
    match &s.expect {
        Expect::Shows(text) => on_screens(&|pane| {
            shown_at(pane, text)
                .is_none()
                .then(|| format!("the pane does not show \"{text}\""))
        }),
        Expect::Order(texts) => on_screens(&|pane| {
            (!in_order(pane, texts)).then(|| {
                let quoted: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
                format!(
                    "the pane does not show {} in this order, each on a line below the one before",
                    quoted.join(", ")
                )
            })
        }),
        Expect::Hides(text) => on_screens(&|pane| {
            shown_at(pane, text).map(|l| format!("the pane shows \"{text}\": {l}"))
        }),
        Expect::Figure { label, range } => on_screens(&|pane| match figure(pane, label) {
            Some(v) if range.contains(v) => None,
            Some(v) => Some(format!(
                "the figure before \"{label}\" is {v}, not in {range}"
            )),
            None => Some(format!("the pane shows no number before \"{label}\"")),
        }),
        Expect::FailedBars(range) => on_screens(&|pane| {
            let n = failed_bars(pane);
            (!range.contains(n as f64))
                .then(|| format!("the pane draws {n} failed bar(s) (✗), expected {range}"))
        }),
        Expect::Failures(range) => {
            let n = seen.state.counts.failed;
            once(
                (!range.contains(f64::from(n)))
                    .then(|| format!("{n} unit(s) failed in the run, expected {range}")),
            )
        }
        Expect::Staircase(stairs) => on_screens(&|pane| {
            let starts = bar_starts(pane);
            let (lo, hi) = (starts.iter().min(), starts.iter().max());
            let spread = hi.zip(lo).map_or(0, |(h, l)| h - l);
            let width = pane.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            let ok = if *stairs {
                starts.windows(2).all(|w| w[0] <= w[1]) && spread * 3 >= width
            } else {
                spread * 4 < width
            };
            (starts.len() < 2 || !ok).then(|| {
                format!(
                    "the bars do not start in a {} (columns {starts:?})",
                    if *stairs { "staircase" } else { "wall" }
                )
            })
        }),
        Expect::GilExclusive => once(gil_overlap(seen.events)),
        Expect::Speed(_) | Expect::Set { .. } | Expect::Press { .. } => Vec::new(),
    }
}

/// Where `text` shows in `pane`: the line that holds it, or two lines in
/// a row that hold it once wrapped text is read on (the first line's end,
/// a space, the next line's start, borders and indentation left out).
fn shown_at(pane: &str, text: &str) -> Option<String> {
    let lines: Vec<&str> = pane.lines().collect();
    if let Some(l) = lines.iter().find(|l| l.contains(text)) {
        return Some(l.trim().to_string());
    }
    let inner = |l: &str| l.trim().trim_matches('│').trim().to_string();
    lines.windows(2).find_map(|w| {
        let joined = format!("{} {}", inner(w[0]), inner(w[1]));
        joined.contains(text).then_some(joined)
    })
}

/// Whether the drawing-based statement `e` holds in one frame; `None` for
/// the statements that are not about a drawing.
fn holds_in(e: &Expect, pane: &str) -> Option<bool> {
    Some(match e {
        Expect::Shows(text) | Expect::Hides(text) => {
            let shown = shown_at(pane, text).is_some();
            shown == matches!(e, Expect::Shows(_))
        }
        Expect::Order(texts) => in_order(pane, texts),
        Expect::Figure { label, range } => figure(pane, label).is_some_and(|v| range.contains(v)),
        Expect::FailedBars(range) => range.contains(failed_bars(pane) as f64),
        _ => return None,
    })
}

/// Whether `pane` shows every one of `texts`, each on a line below the
/// line of the one before.
fn in_order(pane: &str, texts: &[String]) -> bool {
    let mut want = texts.iter().peekable();
    for line in pane.lines() {
        if want.peek().is_some_and(|t| line.contains(t.as_str())) {
            want.next();
        }
    }
    want.peek().is_none()
}

/// Per size: whether a statement held (at least once, or always for
/// `hides`), and for `hides` the first line that broke it.
type HeldAt = HashMap<(u16, u16), (bool, Option<String>)>;

/// The `during` statements of one run, checked frame by frame as the run
/// draws them: `shows`, `figure` and `failed-bars` must hold in at least
/// one frame, `hides` in every one.
#[derive(Debug)]
pub struct During<'a> {
    statements: Vec<&'a Statement>,
    /// Per statement, how it fared at each size.
    held: Vec<HeldAt>,
    /// Frames seen per size.
    frames: HashMap<(u16, u16), usize>,
}

impl<'a> During<'a> {
    /// The `during` statements among `statements`.
    pub fn new(statements: &'a [Statement]) -> During<'a> {
        let statements: Vec<&Statement> = statements.iter().filter(|s| s.during).collect();
        During {
            held: vec![HashMap::new(); statements.len()],
            statements,
            frames: HashMap::new(),
        }
    }

    /// Whether there is anything to watch: without `during` statements a
    /// run need not be drawn while it goes on.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The sizes frames are wanted at.
    pub fn sizes(&self) -> Vec<(u16, u16)> {
        let owned: Vec<Statement> = self.statements.iter().map(|&s| s.clone()).collect();
        sizes(&owned)
    }

    /// Takes in one frame drawn while the run went on.
    pub fn observe(&mut self, screen: &Screen) {
        let size = (screen.width, screen.height);
        *self.frames.entry(size).or_default() += 1;
        for (s, held) in self.statements.iter().zip(&mut self.held) {
            if s.size.is_some_and(|want| want != size) {
                continue;
            }
            let Some(ok) = holds_in(&s.expect, &screen.pane) else {
                continue;
            };
            let entry = held.entry(size).or_insert((is_hides(s), None));
            if is_hides(s) {
                if !ok && entry.0 {
                    let Expect::Hides(text) = &s.expect else {
                        continue;
                    };
                    *entry = (false, shown_at(&screen.pane, text));
                }
            } else {
                entry.0 |= ok;
            }
        }
    }

    /// Why each statement does not hold, with where it was written; empty
    /// when all hold.
    pub fn failures(&self) -> Vec<(&'a Statement, String)> {
        let mut out = Vec::new();
        for (s, held) in self.statements.iter().zip(&self.held) {
            for size in self.sizes() {
                if s.size.is_some_and(|want| want != size) {
                    continue;
                }
                let (w, h) = size;
                let frames = self.frames.get(&size).copied().unwrap_or(0);
                if frames == 0 {
                    out.push((
                        *s,
                        format!(
                            "at {w}×{h} no frame was drawn while the run went on, to check `{}`",
                            s.text
                        ),
                    ));
                    continue;
                }
                match held.get(&size) {
                    Some((true, _)) => {}
                    Some((false, Some(line))) => out.push((
                        *s,
                        format!(
                            "at {w}×{h} a frame drawn during the run breaks `{}`: {line}",
                            s.text
                        ),
                    )),
                    _ => out.push((
                        *s,
                        format!(
                            "at {w}×{h} `{}` held in none of the {frames} frame(s) drawn \
                             during the run",
                            s.text
                        ),
                    )),
                }
            }
        }
        out
    }
}

fn is_hides(s: &Statement) -> bool {
    matches!(s.expect, Expect::Hides(_))
}

/// The `✗` marks on the waterfall's rows (`#1`, `#1–40`: a row's text starts
/// with `#` inside the frame); the legend and the messages do not count.
pub fn failed_bars(pane: &str) -> usize {
    pane.lines()
        .filter(|l| l.trim_start_matches(['│', ' ']).starts_with('#'))
        .map(|l| l.matches('✗').count())
        .sum()
}

/// The column where each waterfall row's bar starts (its first `░▒█✗`).
pub fn bar_starts(pane: &str) -> Vec<usize> {
    let rows = pane
        .lines()
        .filter(|l| l.trim_start_matches(['│', ' ']).starts_with('#'));
    rows.filter_map(|l| l.chars().position(|c| matches!(c, '░' | '▒' | '█' | '✗')))
        .collect()
}

/// The number just before the first `label` that has one: `12.5 M
/// hashes/s` gives 12.5 for `M hashes/s`. Thousands separators (`,`) are
/// allowed.
pub fn figure(pane: &str, label: &str) -> Option<f64> {
    for line in pane.lines() {
        for (i, _) in line.match_indices(label) {
            let before = line[..i].trim_end();
            let start = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
                .last()
                .map(|(j, _)| j);
            if let Some(j) = start
                && let Ok(v) = before[j..].replace(',', "").parse::<f64>()
            {
                return Some(v);
            }
        }
    }
    None
}

/// Whether two worker lanes ran at once in the trace: `None` when they took
/// turns, else what overlapped.
fn gil_overlap(events: &[Event]) -> Option<String> {
    let mut workers: HashMap<LaneId, bool> = HashMap::new();
    let mut since: HashMap<LaneId, u64> = HashMap::new();
    let mut spans: Vec<(u64, u64)> = Vec::new();
    let end = events.iter().map(|e| e.t_us.as_us()).max().unwrap_or(0);
    let mut ran: Vec<LaneId> = Vec::new();
    for e in events {
        match &e.kind {
            EventKind::LaneUp { role, .. } => {
                workers.insert(e.lane, *role == LaneRole::Worker);
            }
            EventKind::Started { .. } | EventKind::Woken { .. }
                if workers.get(&e.lane).copied().unwrap_or(true) =>
            {
                since.entry(e.lane).or_insert(e.t_us.as_us());
                if !ran.contains(&e.lane) {
                    ran.push(e.lane);
                }
            }
            EventKind::Blocked { .. }
            | EventKind::Yielded { .. }
            | EventKind::Finished { .. }
            | EventKind::Failed { .. }
            | EventKind::Cancelled { .. }
            | EventKind::LaneDown { .. } => {
                if let Some(from) = since.remove(&e.lane) {
                    spans.push((from, e.t_us.as_us()));
                }
            }
            _ => {}
        }
    }
    spans.extend(since.values().map(|&from| (from, end)));
    if ran.len() < 2 {
        return Some(format!(
            "{} worker lane(s) ran: taking turns needs two or more",
            ran.len()
        ));
    }
    let (overlap, first) = overlap(&spans);
    let total = end.max(1) as f64;
    (overlap as f64 > total * OVERLAP_SHARE).then(|| {
        format!(
            "worker lanes ran at the same time for {:.1} ms of {:.1} ms (first at {:.3} s): \
             they did not take turns",
            overlap as f64 / 1000.0,
            total / 1000.0,
            first as f64 / 1e6
        )
    })
}

/// Total time covered by two or more spans, and when that first happened.
fn overlap(spans: &[(u64, u64)]) -> (u64, u64) {
    let mut edges: Vec<(u64, i32)> = spans.iter().flat_map(|&(a, b)| [(a, 1), (b, -1)]).collect();
    // At one instant, ends before starts: touching spans do not overlap.
    edges.sort_unstable();
    let (mut depth, mut last, mut total, mut first) = (0, 0, 0, None);
    for (t, d) in edges {
        if depth >= 2 {
            total += t - last;
            first.get_or_insert(last);
        }
        depth += d;
        last = t;
    }
    (total, first.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Located, Pos};

    fn statement(text: &str) -> Statement {
        let line = Located {
            text: text.into(),
            at: Pos { line: 3, col: 9 },
        };
        Statement::parse(&line).expect("parses")
    }

    fn ev(t_us: u64, lane: LaneId, kind: EventKind) -> Event {
        let t_us = crate::trace::Micros::from_us(t_us);
        Event { t_us, lane, kind }
    }

    fn screens(pane: &str) -> Vec<Screen> {
        SIZES
            .iter()
            .map(|&(width, height)| Screen {
                width,
                height,
                pane: pane.into(),
            })
            .collect()
    }

    fn check(text: &str, pane: &str, events: &[Event]) -> Vec<String> {
        let mut state = RunState::new();
        for e in events {
            state.apply(e);
        }
        let screens = screens(pane);
        let seen = Observed {
            screens: &screens,
            state: &state,
            events,
        };
        failures(&statement(text), &seen)
    }

    #[test]
    fn text_wrapped_onto_the_next_line_still_shows() {
        let pane = "╭ pane ─────────╮\n│ 2.29 s  apply  │\n│   raised it    │\n╰────────────────╯";
        assert!(shown_at(pane, "apply raised it").is_some());
        assert!(shown_at(pane, "2.29 s").is_some());
        assert!(shown_at(pane, "raised it pane").is_none());
        assert!(holds_in(&Expect::Hides("apply raised".into()), pane) == Some(false));
    }

    #[test]
    fn text_shown_and_hidden_at_every_size() {
        let pane = "│ done 160/160  1.71 s │\n│ 93.5 requests/s │";
        assert!(check(r#"shows "160/160""#, pane, &[]).is_empty());
        assert_eq!(
            check(r#"shows "161""#, pane, &[]),
            [
                "at 100×30 the pane does not show \"161\"",
                "at 80×24 the pane does not show \"161\"",
                "at 120×36 the pane does not show \"161\""
            ]
        );
        assert!(check(r#"hides "units/s""#, pane, &[]).is_empty());
        assert_eq!(
            check(r#"at 80x24 hides "done""#, pane, &[]),
            ["at 80×24 the pane shows \"done\": │ done 160/160  1.71 s │"]
        );
    }

    #[test]
    fn order_wants_each_text_on_a_line_below_the_one_before() {
        let pane = "│ 0.0  task created │\n│ 0.0  Preparing files... │\n│ 0.0  Sending emails... │";
        let ok = r#"order "task created" "Preparing" "Sending""#;
        assert!(check(ok, pane, &[]).is_empty());
        assert!(check(r#"order "task created" "Sending""#, pane, &[]).is_empty());
        assert_eq!(
            check(r#"at 80x24 order "Sending" "Preparing""#, pane, &[]),
            [
                "at 80×24 the pane does not show \"Sending\", \"Preparing\" in this order, \
              each on a line below the one before"
            ]
        );
        // Two texts on one line are not one below the other.
        let one_line = "│ Preparing files... Sending emails... │";
        assert_eq!(
            check(r#"order "Preparing" "Sending""#, one_line, &[]).len(),
            SIZES.len()
        );
        let s = [statement(r#"during order "a" "b""#)];
        let mut d = During::new(&s);
        for size in SIZES {
            let frame = |pane: &str| Screen {
                width: size.0,
                height: size.1,
                pane: pane.into(),
            };
            d.observe(&frame("│ b │\n│ a │"));
            d.observe(&frame("│ a │\n│ b │"));
        }
        assert!(d.failures().is_empty(), "{:?}", d.failures());
    }

    #[test]
    fn figures_are_the_number_before_the_label() {
        assert_eq!(figure("rate 12.78 M hashes/s", "M hashes/s"), Some(12.78));
        assert_eq!(
            figure("nonce 41,355,127 found", "found"),
            Some(41_355_127.0)
        );
        assert_eq!(figure("no figure here", "here"), None);
        assert_eq!(figure("x/s, then 3 x/s", "x/s"), Some(3.0));
        let pane = "  93.5 requests/s";
        assert!(check(r#"figure "requests/s" 80..100"#, pane, &[]).is_empty());
        assert_eq!(
            check(r#"figure "requests/s" 10..40"#, pane, &[])[0],
            "at 100×30 the figure before \"requests/s\" is 93.5, not in 10..40"
        );
    }

    #[test]
    fn failed_bars_are_counted_in_the_drawing() {
        let pane = "│ #1  ██▒▒✗ │\n│ #2–5 █▒✗ │\n│ #6 ██▒▒▒█ │\n│ ✗ …/sites/jython: HTTP 500 │\n│ ✗ failed │";
        assert!(check("failed-bars 2", pane, &[]).is_empty());
        assert_eq!(
            check("at 100x30 failed-bars 3..20", pane, &[]),
            ["at 100×30 the pane draws 2 failed bar(s) (✗), expected 3..20"]
        );
    }

    #[test]
    fn bars_start_in_a_staircase_or_a_wall() {
        let stairs = "│ #1   ▒▒          │\n│ #2–5   ·▒▒▒     │\n│ #6   ········▒▒ │";
        let wall = "│ #1  ▒▒▒▒▒▒▒▒▒▒ │\n│ #2  ·▒▒▒▒▒▒▒▒▒ │\n│ ✗ failed ▒     │";
        assert!(check("bars staircase", stairs, &[]).is_empty());
        assert!(check("bars wall", wall, &[]).is_empty());
        assert_eq!(
            check("at 80x24 bars staircase", wall, &[]),
            ["at 80×24 the bars do not start in a staircase (columns [6, 7])"]
        );
        assert_eq!(check("bars wall", stairs, &[]).len(), SIZES.len());
    }

    fn worker(lane: LaneId) -> Event {
        ev(
            0,
            lane,
            EventKind::LaneUp {
                name: format!("worker-{lane}"),
                pid: None,
                role: LaneRole::Worker,
            },
        )
    }

    #[test]
    fn gil_holders_take_turns_or_the_check_says_when_they_did_not() {
        use crate::trace::BlockOn;
        let blocked = |t, lane, unit| {
            ev(
                t,
                lane,
                EventKind::Blocked {
                    unit,
                    on: BlockOn::Gil,
                },
            )
        };
        let turns = [
            worker(1),
            worker(2),
            ev(0, 1, EventKind::Started { unit: 1 }),
            ev(0, 2, EventKind::Started { unit: 2 }),
            blocked(1, 2, 2),
            blocked(5_000, 1, 1),
            ev(5_000, 2, EventKind::Woken { unit: 2 }),
            blocked(10_000, 2, 2),
            ev(10_000, 1, EventKind::Woken { unit: 1 }),
            ev(
                15_000,
                1,
                EventKind::Finished {
                    unit: 1,
                    value: String::new(),
                },
            ),
            ev(15_000, 2, EventKind::Woken { unit: 2 }),
            ev(
                20_000,
                2,
                EventKind::Finished {
                    unit: 2,
                    value: String::new(),
                },
            ),
        ];
        assert_eq!(check("gil-exclusive", "", &turns), Vec::<String>::new());
        let together = [
            worker(1),
            worker(2),
            ev(0, 1, EventKind::Started { unit: 1 }),
            ev(1_000, 2, EventKind::Started { unit: 2 }),
            ev(
                9_000,
                1,
                EventKind::Finished {
                    unit: 1,
                    value: String::new(),
                },
            ),
            ev(
                10_000,
                2,
                EventKind::Finished {
                    unit: 2,
                    value: String::new(),
                },
            ),
        ];
        assert_eq!(
            check("gil-exclusive", "", &together),
            [
                "worker lanes ran at the same time for 8.0 ms of 10.0 ms (first at 0.001 s): \
              they did not take turns"
            ]
        );
        assert_eq!(
            check("gil-exclusive", "", &together[..3]),
            ["1 worker lane(s) ran: taking turns needs two or more"]
        );
    }

    #[test]
    fn failures_come_from_the_trace() {
        let events = [
            worker(1),
            ev(0, 1, EventKind::Started { unit: 1 }),
            ev(
                5,
                1,
                EventKind::Failed {
                    unit: 1,
                    error: "timeout".into(),
                },
            ),
        ];
        assert!(check("failures 1", "", &events).is_empty());
        assert_eq!(
            check("failures 2..5", "", &events),
            ["1 unit(s) failed in the run, expected 2..5"]
        );
    }

    #[test]
    fn during_statements_hold_in_some_frame_or_in_every_frame() {
        let s = [
            statement(r#"during shows "full""#),
            statement(r#"during hides "DEADLOCK""#),
            statement(r#"at 80x24 during figure "waiting" 2"#),
            statement(r#"shows "done""#),
        ];
        let frame = |width, height, pane: &str| Screen {
            width,
            height,
            pane: pane.into(),
        };
        let mut d = During::new(&s);
        assert_eq!(d.statements.len(), 3, "only the during statements");
        assert_eq!(d.sizes(), SIZES);
        let nothing: Vec<String> = d.failures().into_iter().map(|(_, m)| m).collect();
        assert!(
            nothing.iter().all(|m| m.contains("no frame was drawn")),
            "{nothing:?}"
        );
        for &(w, h) in SIZES {
            d.observe(&frame(w, h, "│ buffer: 3 of 10 │"));
            d.observe(&frame(w, h, "│ buffer: full │ 2 waiting │"));
            d.observe(&frame(w, h, "│ done │"));
        }
        assert!(d.failures().is_empty(), "{:?}", d.failures());
        // The frame left at the end does not count for a during statement.
        let state = RunState::new();
        let end = screens("│ done │");
        let seen = Observed {
            screens: &end,
            state: &state,
            events: &[],
        };
        assert!(failures(&s[0], &seen).is_empty());

        let mut d = During::new(&s);
        d.observe(&frame(100, 30, "│ empty │"));
        d.observe(&frame(100, 30, "│ DEADLOCK: a cycle │"));
        d.observe(&frame(80, 24, "│ 1 waiting │"));
        d.observe(&frame(120, 36, "│ full │"));
        let why: Vec<String> = d.failures().into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            why,
            [
                "at 100×30 `during shows \"full\"` held in none of the 2 frame(s) drawn during the run",
                "at 80×24 `during shows \"full\"` held in none of the 1 frame(s) drawn during the run",
                "at 100×30 a frame drawn during the run breaks `during hides \"DEADLOCK\"`: │ DEADLOCK: a cycle │",
                "at 80×24 `at 80x24 during figure \"waiting\" 2` held in none of the 1 frame(s) drawn during the run",
            ]
        );
    }

    #[test]
    fn sizes_add_the_ones_statements_name() {
        let s = [
            statement(r#"at 200x60 shows "x""#),
            statement(r#"shows "y""#),
        ];
        assert_eq!(sizes(&s), [(100, 30), (80, 24), (120, 36), (200, 60)]);
    }
}
