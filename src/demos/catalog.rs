//! The erased face of an [`Example`]: what lessons, the app and `run` see
//! of any example without knowing its types.

use std::any::Any;
use std::marker::PhantomData;

use super::example::{Example, Modes, Options, Output, PaneKind, RunCtx, Work};
use super::spec::{Choice, OptSpec};

/// A run's typed output, seen from outside its example.
pub trait DynOutput: Send {
    /// The output's one line for people.
    fn summary(&self) -> String;
    /// Units that failed (see [`Output::failures`]).
    fn failures(&self) -> u64;
    /// The output for `run --json` (the wire edge).
    fn to_json(&self) -> serde_json::Value;
    /// The typed output, for a pane that knows its example.
    fn as_any(&self) -> &dyn Any;
}

impl<O: Output> DynOutput for O {
    fn summary(&self) -> String {
        Output::summary(self)
    }
    fn failures(&self) -> u64 {
        Output::failures(self)
    }
    fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An example's options, seen from outside it.
pub trait DynOptions: Send + Sync {
    fn set(&mut self, name: &str, text: &str);
    fn get(&self, name: &str) -> Option<String>;
    fn clone_box(&self) -> Box<dyn DynOptions>;
    fn as_any(&self) -> &dyn Any;
}

impl<T: Options> DynOptions for T {
    fn set(&mut self, name: &str, text: &str) {
        Options::set(self, name, text);
    }
    fn get(&self, name: &str) -> Option<String> {
        Options::get(self, name)
    }
    fn clone_box(&self) -> Box<dyn DynOptions> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An example, seen from outside it: the catalog holds these.
pub trait DynExample: Sync {
    fn name(&self) -> &'static str;
    fn title(&self) -> &'static str;
    fn modes(&self) -> &'static [Choice];
    fn knobs(&self) -> &'static [OptSpec];
    fn pane(&self, mode: usize) -> PaneKind;
    fn default_options(&self) -> Box<dyn DynOptions>;
    fn start(&self, mode: usize, options: &dyn DynOptions, ctx: RunCtx)
    -> Work<Box<dyn DynOutput>>;
}

/// The catalog's entry for example `E`.
pub struct Entry<E>(PhantomData<fn() -> E>);

impl<E> Entry<E> {
    /// The entry (a constant, for the catalog's table).
    pub const NEW: Entry<E> = Entry(PhantomData);
}

fn erase<O: Output>(o: O) -> Box<dyn DynOutput> {
    Box::new(o)
}

impl<E: Example> DynExample for Entry<E> {
    fn name(&self) -> &'static str {
        E::NAME
    }
    fn title(&self) -> &'static str {
        E::TITLE
    }
    fn modes(&self) -> &'static [Choice] {
        <E::Mode as Modes>::CHOICES
    }
    fn knobs(&self) -> &'static [OptSpec] {
        <E::Options as Options>::KNOBS
    }
    fn pane(&self, mode: usize) -> PaneKind {
        E::pane(E::Mode::at(mode))
    }
    fn default_options(&self) -> Box<dyn DynOptions> {
        Box::new(E::Options::default())
    }
    fn start(
        &self,
        mode: usize,
        options: &dyn DynOptions,
        ctx: RunCtx,
    ) -> Work<Box<dyn DynOutput>> {
        let options = options
            .as_any()
            .downcast_ref::<E::Options>()
            .cloned()
            .unwrap_or_default();
        E::start(E::Mode::at(mode), options, ctx).map(erase::<E::Output>)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn options_name_only_modes_their_example_has() {
        for e in super::super::CATALOG {
            for o in e.knobs() {
                for m in o.modes {
                    assert!(
                        e.modes().iter().any(|c| c.name == *m),
                        "{}: option `{}` names no mode `{m}`",
                        e.name(),
                        o.name
                    );
                }
            }
        }
    }
}
