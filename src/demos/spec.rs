//! What each example accepts: its modes and options, with validation.
//!
//! The same table checks lesson directives (`file:line:col` errors), the
//! `run` command's flags and the keys that change knobs live.
use crate::suggest;

/// A named choice with a line of help.
#[derive(Debug)]
pub struct Choice {
    pub name: &'static str,
    pub help: &'static str,
}

/// The type and range of an option's value.
#[derive(Debug)]
pub enum OptKind {
    Int { min: i64, max: i64 },
    Float { min: f64, max: f64 },
    Text { max_len: usize },
    Bool,
    OneOf(&'static [&'static str]),
}

/// How a key moves a whole-number option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Adds (or, turning down, subtracts) this much.
    Add(i64),
    /// Multiplies (or divides) by this much.
    Times(i64),
}

/// The two keys that turn an option down and up in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnobKeys {
    pub down: char,
    pub up: char,
    pub step: Step,
}

/// One knob of an example.
#[derive(Debug)]
pub struct OptSpec {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: OptKind,
    pub default: &'static str,
    /// Keys that change it in the app, if any.
    pub keys: Option<KnobKeys>,
    /// The modes it applies to; empty: every mode.
    pub modes: &'static [&'static str],
    /// Whether a running example follows changes to it.
    pub live: bool,
}

impl OptSpec {
    /// Whether the option matters in mode `mode`.
    pub fn applies_to(&self, mode: &str) -> bool {
        self.modes.is_empty() || self.modes.contains(&mode)
    }

    /// Whether its keys fire a signal (one key, both ways: `e` sets the
    /// event) rather than set a value.
    pub fn is_signal(&self) -> bool {
        self.keys.is_some_and(|k| k.down == k.up)
    }

    /// The value `text` moved one step by key `key`, clamped to the
    /// option's range; `None` when `key` is not one of its keys.
    pub fn stepped(&self, text: &str, key: char) -> Option<i64> {
        let keys = self.keys?;
        let OptKind::Int { min, max } = self.kind else {
            return None;
        };
        let v: i64 = text.parse().ok()?;
        let up = if key == keys.up {
            true
        } else if key == keys.down {
            false
        } else {
            return None;
        };
        let next = match (keys.step, up) {
            (Step::Add(d), true) => v.saturating_add(d),
            (Step::Add(d), false) => v.saturating_sub(d),
            (Step::Times(k), true) => v.saturating_mul(k),
            (Step::Times(k), false) => v / k.max(1),
        };
        Some(next.clamp(min, max))
    }

    /// The range or choices, as `run --help` and the guide show them.
    pub fn range(&self) -> String {
        match &self.kind {
            OptKind::Int { min, max } => format!("{min}..={max}"),
            OptKind::Float { min, max } => format!("{min}..={max}"),
            OptKind::Text { max_len } => format!("text, at most {max_len} characters"),
            OptKind::Bool => "true or false".into(),
            OptKind::OneOf(c) => c.join(", "),
        }
    }
}

/// A problem with a name or value; its text ends with a suggestion when one
/// is close.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("unknown example `{name}`{hint}")]
    UnknownDemo { name: String, hint: String },
    #[error("example `{demo}` has no mode `{mode}`{hint} (modes: {choices})")]
    UnknownMode {
        demo: String,
        mode: String,
        hint: String,
        choices: String,
    },
    #[error("example `{demo}` has no option `{option}`{hint} (options: {choices})")]
    UnknownOption {
        demo: String,
        option: String,
        hint: String,
        choices: String,
    },
    #[error("option `{option}`: {problem}")]
    BadValue { option: String, problem: String },
}

pub(super) fn check_value(opt: &OptSpec, value: &str) -> Result<(), String> {
    match &opt.kind {
        OptKind::Int { min, max } => match value.parse::<i64>() {
            Ok(v) if (*min..=*max).contains(&v) => Ok(()),
            Ok(_) => Err(format!("{value} is out of range {min}..={max}")),
            Err(_) => Err(format!("expected a whole number, found `{value}`")),
        },
        OptKind::Float { min, max } => match value.parse::<f64>() {
            Ok(v) if v >= *min && v <= *max => Ok(()),
            Ok(_) => Err(format!("{value} is out of range {min}..={max}")),
            Err(_) => Err(format!("expected a number, found `{value}`")),
        },
        OptKind::Text { max_len } => {
            if value.chars().count() > *max_len {
                Err(format!("longer than {max_len} characters"))
            } else if value.chars().any(char::is_control) {
                Err("control characters are not allowed".into())
            } else {
                Ok(())
            }
        }
        OptKind::Bool => match value {
            "true" | "false" | "yes" | "no" | "on" | "off" | "1" | "0" => Ok(()),
            _ => Err(format!("expected true or false, found `{value}`")),
        },
        OptKind::OneOf(choices) => {
            if choices.contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "expected one of {}, found `{value}`{}",
                    join(choices.iter().copied()),
                    suggest::hint(value, choices.iter().copied())
                ))
            }
        }
    }
}

pub(super) fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}
