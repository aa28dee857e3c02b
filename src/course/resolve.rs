//! A lesson's `demo` directive resolved against the example catalog: the
//! example, its mode and options, each name and value checked, with the
//! directive's position and a suggestion when a name is close.

use crate::demos::{CATALOG, DemoRequest, SpecError};
use crate::lesson::{DemoDirective, Located, Pos, Problem};

use super::expect::{Expect, Statement};

/// A directive that names a real example with valid settings.
#[derive(Debug, Clone)]
pub struct Demo {
    pub request: DemoRequest,
    /// What `check --run` runs: the request with the `expect: set` lines
    /// applied.
    pub check_request: DemoRequest,
    /// 1-based line of the directive in its file.
    pub line: usize,
    /// What the pane shows after a run, checked by `check --run`.
    pub expects: Vec<Statement>,
}

impl Demo {
    /// How much faster than real time `check --run` runs the example's
    /// sleeps and latencies (`expect: speed N`; 1 when not given).
    pub fn speed(&self) -> u32 {
        self.expects
            .iter()
            .find_map(|s| match s.expect {
                Expect::Speed(n) => Some(n),
                _ => None,
            })
            .unwrap_or(1)
    }
}

/// A problem of the directive found in `file` at `at`.
fn at(file: &str, at: Pos, message: impl std::fmt::Display) -> Problem {
    Problem::new(file, at.line, at.col, message)
}

/// Resolves `d`, found in `file`; every problem comes back, not only the
/// first.
pub fn resolve(file: &str, d: &DemoDirective) -> Result<Demo, Vec<Problem>> {
    let Some(name) = &d.name else {
        let names = CATALOG
            .iter()
            .map(|e| e.name())
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!(
            "a demo directive needs an example name, as in ```demo hash (examples: {names})"
        );
        return Err(vec![at(file, d.at, message)]);
    };
    let mut request = DemoRequest::new(&name.text).map_err(|e| vec![at(file, name.at, e)])?;
    let mut problems = Vec::new();
    for entry in &d.entries {
        if let Err(p) = apply(&mut request, &entry.key, &entry.value, file) {
            problems.push(p);
        }
    }
    let mut expects = Vec::new();
    for line in &d.expects {
        match Statement::parse(line) {
            Ok(s) => expects.push(s),
            Err((pos, message)) => problems.push(at(file, pos, message)),
        }
    }
    // Built anew, not cloned: a live option's value is shared between
    // clones, and what the check sets must not reach the app's pane.
    let mut check_request = DemoRequest::new(&name.text).map_err(|e| vec![at(file, name.at, e)])?;
    for entry in &d.entries {
        // Any problem is reported above already.
        let _ = apply(&mut check_request, &entry.key, &entry.value, file);
    }
    for s in &expects {
        match &s.expect {
            Expect::Set { option, value } => {
                if let Err(p) = apply(&mut check_request, option, value, file) {
                    problems.push(p);
                }
            }
            Expect::Press {
                key,
                at: pos,
                times,
            } => {
                if let Err(m) = press(&mut check_request, *key, *times) {
                    problems.push(at(file, *pos, m));
                }
            }
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(Demo {
            request,
            check_request,
            line: d.line(),
            expects,
        })
    } else {
        Err(problems)
    }
}

/// Turns the option that `key` turns, `times` times, as the app does for a
/// key pressed before `Enter`. A key that fires a signal (one key both
/// ways, the queue's `e`) acts only while a run goes on: not here.
fn press(request: &mut DemoRequest, key: char, times: u32) -> Result<(), String> {
    let knobs = request.example.knobs();
    let turned = knobs
        .iter()
        .find(|o| o.keys.is_some_and(|k| k.down == key || k.up == key) && !o.is_signal());
    if turned.is_none() {
        let keys: Vec<String> = knobs
            .iter()
            .filter(|o| !o.is_signal())
            .filter_map(|o| o.keys.map(|k| format!("{} {} `{}`", k.down, k.up, o.name)))
            .collect();
        let keys = if keys.is_empty() {
            "none".to_string()
        } else {
            keys.join(", ")
        };
        return Err(format!(
            "key `{key}` turns no option of `{}` before a run (its keys: {keys})",
            request.name()
        ));
    }
    for _ in 0..times {
        request.turn(key);
    }
    Ok(())
}

/// Sets `key` (the mode, or an option) to `value`; a problem sits at the
/// unknown name or at the bad value.
fn apply(
    request: &mut DemoRequest,
    key: &Located,
    value: &Located,
    file: &str,
) -> Result<(), Problem> {
    let result = if key.text == "mode" {
        request.set_mode(&value.text).map_err(|e| (e, value.at))
    } else {
        request.set(&key.text, &value.text).map_err(|e| {
            let pos = match e {
                SpecError::UnknownOption { .. } => key.at,
                _ => value.at,
            };
            (e, pos)
        })
    };
    result.map_err(|(e, pos)| at(file, pos, e))
}
