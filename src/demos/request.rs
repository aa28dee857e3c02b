//! An example with a chosen mode and checked option values.

use std::collections::BTreeSet;
use std::fmt;

use super::catalog::{DynExample, DynOptions};
use super::example::PaneKind;
use super::spec::{OptSpec, SpecError, check_value, join};
use crate::suggest;

/// An example with a chosen mode and option values, all validated.
pub struct DemoRequest {
    pub example: &'static dyn DynExample,
    mode: usize,
    options: Box<dyn DynOptions>,
    /// Options set explicitly, in the order of the table (for display).
    set: BTreeSet<usize>,
}

impl Clone for DemoRequest {
    fn clone(&self) -> Self {
        DemoRequest {
            example: self.example,
            mode: self.mode,
            options: self.options.clone_box(),
            set: self.set.clone(),
        }
    }
}

impl fmt::Debug for DemoRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DemoRequest({self})")
    }
}

/// Finds an example by name.
pub fn find(name: &str) -> Result<&'static dyn DynExample, SpecError> {
    super::CATALOG
        .iter()
        .copied()
        .find(|d| d.name() == name)
        .ok_or_else(|| SpecError::UnknownDemo {
            name: name.to_string(),
            hint: suggest::hint(name, super::CATALOG.iter().map(|d| d.name())),
        })
}

impl DemoRequest {
    /// The example with its default mode and defaults.
    pub fn new(name: &str) -> Result<DemoRequest, SpecError> {
        Ok(DemoRequest::of(find(name)?))
    }

    /// `example` with its default mode and defaults.
    pub fn of(example: &'static dyn DynExample) -> DemoRequest {
        DemoRequest {
            example,
            mode: 0,
            options: example.default_options(),
            set: BTreeSet::new(),
        }
    }

    /// The example's name.
    pub fn name(&self) -> &'static str {
        self.example.name()
    }

    /// The chosen mode's name.
    pub fn mode(&self) -> &'static str {
        self.example.modes()[self.mode].name
    }

    /// The chosen mode's position (0 is the default, the baseline).
    pub fn mode_index(&self) -> usize {
        self.mode
    }

    /// The pane that draws this request.
    pub fn pane(&self) -> PaneKind {
        self.example.pane(self.mode)
    }

    /// The typed options, for the example that owns them.
    pub fn options(&self) -> &dyn DynOptions {
        &*self.options
    }

    /// Chooses a mode by name.
    pub fn set_mode(&mut self, mode: &str) -> Result<(), SpecError> {
        let modes = self.example.modes();
        match modes.iter().position(|m| m.name == mode) {
            Some(i) => {
                self.mode = i;
                Ok(())
            }
            None => Err(SpecError::UnknownMode {
                demo: self.name().into(),
                mode: mode.into(),
                hint: suggest::hint(mode, modes.iter().map(|m| m.name)),
                choices: join(modes.iter().map(|m| m.name)),
            }),
        }
    }

    /// Chooses mode `index` (0-based); false when there is none.
    pub fn set_mode_index(&mut self, index: usize) -> bool {
        let ok = index < self.example.modes().len();
        if ok {
            self.mode = index;
        }
        ok
    }

    /// The option named `name`.
    pub fn knob(&self, name: &str) -> Option<&'static OptSpec> {
        self.example.knobs().iter().find(|o| o.name == name)
    }

    /// Sets an option after checking its name and value.
    pub fn set(&mut self, option: &str, value: &str) -> Result<(), SpecError> {
        let knobs = self.example.knobs();
        let Some(i) = knobs.iter().position(|o| o.name == option) else {
            return Err(SpecError::UnknownOption {
                demo: self.name().into(),
                option: option.into(),
                hint: suggest::hint(option, knobs.iter().map(|o| o.name)),
                choices: join(knobs.iter().map(|o| o.name)),
            });
        };
        check_value(&knobs[i], value).map_err(|problem| SpecError::BadValue {
            option: option.into(),
            problem,
        })?;
        self.options.set(knobs[i].name, value);
        self.set.insert(i);
        Ok(())
    }

    /// The option's value as text.
    pub fn text(&self, option: &str) -> String {
        self.options.get(option).unwrap_or_default()
    }

    /// Every option with its current value, defaults included.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        self.example
            .knobs()
            .iter()
            .map(|o| (o.name, self.text(o.name)))
            .collect()
    }

    /// The option that key `key` turns, moved one step; returns its name
    /// and new value.
    pub fn turn(&mut self, key: char) -> Option<(&'static str, i64)> {
        let knobs = self.example.knobs();
        let (i, v) = knobs
            .iter()
            .enumerate()
            .find_map(|(i, o)| Some((i, o.stepped(&self.text(o.name), key)?)))?;
        self.options.set(knobs[i].name, &v.to_string());
        self.set.insert(i);
        Some((knobs[i].name, v))
    }
}

impl fmt::Display for DemoRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} --mode {}", self.name(), self.mode())?;
        for &i in &self.set {
            let name = self.example.knobs()[i].name;
            write!(f, " --{name} {}", self.text(name))?;
        }
        Ok(())
    }
}
