//! What each example accepts: its modes and options, with validation.
//!
//! The same table checks lesson directives (`file:line:col` errors), the
//! `run` command's flags and the keys that change knobs live.

use std::collections::BTreeMap;
use std::fmt;

use crate::suggest;

/// Which live pane draws an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneKind {
    /// Workers of a thread pool (or processes) on one workload, side by side.
    Compare,
    /// The responsive button beside a long hash search.
    Button,
    /// The hash search split over workers, with rates and speed-up.
    HashRace,
    /// Requests drawn as bars on a shared time axis.
    Waterfall,
}

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

/// One knob of an example.
#[derive(Debug)]
pub struct OptSpec {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: OptKind,
    pub default: &'static str,
}

/// An example the course can run.
#[derive(Debug)]
pub struct DemoSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub pane: PaneKind,
    /// The first mode is the default.
    pub modes: &'static [Choice],
    pub options: &'static [OptSpec],
}

impl DemoSpec {
    /// The option named `name`.
    pub fn option(&self, name: &str) -> Option<&'static OptSpec> {
        self.options.iter().find(|o| o.name == name)
    }

    /// Index of a mode by name.
    pub fn mode_index(&self, name: &str) -> Option<usize> {
        self.modes.iter().position(|m| m.name == name)
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

/// Finds an example by name.
pub fn find(name: &str) -> Result<&'static DemoSpec, SpecError> {
    super::CATALOG
        .iter()
        .copied()
        .find(|d| d.name == name)
        .ok_or_else(|| SpecError::UnknownDemo {
            name: name.to_string(),
            hint: suggest::hint(name, super::CATALOG.iter().map(|d| d.name)),
        })
}

/// An example with a chosen mode and option values, all validated.
#[derive(Debug, Clone)]
pub struct DemoRequest {
    pub spec: &'static DemoSpec,
    pub mode: &'static str,
    values: BTreeMap<&'static str, String>,
}

impl DemoRequest {
    /// The example with its default mode and defaults.
    pub fn new(name: &str) -> Result<DemoRequest, SpecError> {
        let spec = find(name)?;
        Ok(DemoRequest {
            spec,
            mode: spec.modes[0].name,
            values: BTreeMap::new(),
        })
    }

    /// Chooses a mode by name.
    pub fn set_mode(&mut self, mode: &str) -> Result<(), SpecError> {
        match self.spec.modes.iter().find(|m| m.name == mode) {
            Some(m) => {
                self.mode = m.name;
                Ok(())
            }
            None => Err(SpecError::UnknownMode {
                demo: self.spec.name.into(),
                mode: mode.into(),
                hint: suggest::hint(mode, self.spec.modes.iter().map(|m| m.name)),
                choices: join(self.spec.modes.iter().map(|m| m.name)),
            }),
        }
    }

    /// Sets an option after checking its name and value.
    pub fn set(&mut self, option: &str, value: &str) -> Result<(), SpecError> {
        let Some(opt) = self.spec.option(option) else {
            return Err(SpecError::UnknownOption {
                demo: self.spec.name.into(),
                option: option.into(),
                hint: suggest::hint(option, self.spec.options.iter().map(|o| o.name)),
                choices: join(self.spec.options.iter().map(|o| o.name)),
            });
        };
        check_value(opt, value).map_err(|problem| SpecError::BadValue {
            option: option.into(),
            problem,
        })?;
        self.values.insert(opt.name, value.to_string());
        Ok(())
    }

    /// The option's value as text (its default when unset).
    pub fn text(&self, option: &str) -> &str {
        match self.values.get(option) {
            Some(v) => v,
            None => self.spec.option(option).map(|o| o.default).unwrap_or(""),
        }
    }

    /// The option's value as an integer (0 when the option does not exist).
    pub fn int(&self, option: &str) -> i64 {
        self.text(option).parse().unwrap_or(0)
    }

    /// The option's value as a number.
    pub fn float(&self, option: &str) -> f64 {
        self.text(option).parse().unwrap_or(0.0)
    }

    /// The option's value as a switch.
    pub fn flag(&self, option: &str) -> bool {
        matches!(self.text(option), "true" | "yes" | "on" | "1")
    }

    /// Every option with its current value, defaults included.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        self.spec
            .options
            .iter()
            .map(|o| (o.name, self.text(o.name).to_string()))
            .collect()
    }

    /// Moves an integer option by `delta`, clamped to its range; returns the
    /// new value.
    pub fn nudge(&mut self, option: &str, delta: i64) -> Option<i64> {
        let opt = self.spec.option(option)?;
        let OptKind::Int { min, max } = opt.kind else {
            return None;
        };
        let v = (self.int(option) + delta).clamp(min, max);
        self.values.insert(opt.name, v.to_string());
        Some(v)
    }
}

fn check_value(opt: &OptSpec, value: &str) -> Result<(), String> {
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

fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

impl fmt::Display for DemoRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} --mode {}", self.spec.name, self.mode)?;
        for (k, v) in &self.values {
            write!(f, " --{k} {v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_suggest_close_ones() {
        let e = DemoRequest::new("hsah").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown example `hsah`; did you mean `hash`?"
        );
        let mut r = DemoRequest::new("hash").unwrap();
        let e = r.set_mode("thread").unwrap_err().to_string();
        assert!(
            e.starts_with("example `hash` has no mode `thread`; did you mean `threads`?"),
            "{e}"
        );
        let e = r.set("worker", "3").unwrap_err().to_string();
        assert!(e.contains("did you mean `workers`?"), "{e}");
        assert!(r.set("workers", "0").is_err());
        r.set("workers", "3").unwrap();
        assert_eq!(r.int("workers"), 3);
        assert_eq!(r.nudge("workers", 100), Some(64));
    }
}
