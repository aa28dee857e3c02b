//! The value prompt: `:` opens it, the learner types `workers 80` (Tab
//! picks the option), Enter sets it, Esc cancels. Far quicker than 75
//! presses of `+` for 80 workers or a K of 10,000,000.
//!
//! State and key handling only; `draw` shows it at the bottom of the pane.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::demos::{DemoRequest, OptKind, OptSpec};

/// What the learner is typing, and the last problem with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prompt {
    /// The text typed so far: `name value`.
    pub text: String,
    /// Why the last Enter was refused, one line.
    pub error: Option<String>,
    /// Tab cycling: the prefix typed before the first Tab, and which match.
    cycle: Option<(String, usize)>,
}

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Still typing.
    Edit,
    /// Esc: closed, nothing set.
    Cancel,
    /// Enter with a valid value: set option `name` to `value`.
    Apply { name: &'static str, value: String },
}

/// The options the prompt offers for the request's mode: those that apply
/// to it, signals (`e` sets the event) left out.
pub fn offered(request: &DemoRequest) -> Vec<&'static OptSpec> {
    let mode = request.mode();
    request
        .example
        .knobs()
        .iter()
        .filter(|o| o.applies_to(mode) && !o.is_signal())
        .collect()
}

impl Prompt {
    /// A prompt for `request`, ready for the value of the option its `+`
    /// and `-` keys turn (most often `workers`), if it has one.
    pub fn open(request: &DemoRequest) -> Prompt {
        let options = offered(request);
        let first = options
            .iter()
            .find(|o| o.keys.is_some())
            .or(options.first());
        Prompt {
            text: first.map(|o| format!("{} ", o.name)).unwrap_or_default(),
            error: None,
            cycle: None,
        }
    }

    /// Applies one key.
    pub fn key(&mut self, ev: &KeyEvent, request: &DemoRequest) -> Action {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ev.code != KeyCode::Tab && ev.code != KeyCode::BackTab {
            self.cycle = None;
        }
        if ev.code != KeyCode::Enter {
            // An edit makes the last refusal stale.
            self.error = None;
        }
        match ev.code {
            KeyCode::Esc => return Action::Cancel,
            KeyCode::Enter => match parse(&self.text, request) {
                Ok((name, value)) => return Action::Apply { name, value },
                Err(e) => self.error = Some(e),
            },
            KeyCode::Tab => self.complete(request, 1),
            KeyCode::BackTab => self.complete(request, -1),
            KeyCode::Backspace if ctrl => self.delete_word(),
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Char('u') if ctrl => self.text.clear(),
            KeyCode::Char('w') if ctrl => self.delete_word(),
            KeyCode::Char(c) if !ctrl && !c.is_control() && self.text.chars().count() < 80 => {
                self.text.push(c);
            }
            _ => {}
        }
        Action::Edit
    }

    /// Tab: the next option whose name starts with what was typed before
    /// the first Tab (every option when nothing was), its value kept.
    fn complete(&mut self, request: &DemoRequest, step: isize) {
        let options = offered(request);
        let (word, value) = split(&self.text);
        let (prefix, at) = match self.cycle.take() {
            Some((prefix, at)) => (prefix, Some(at)),
            // A complete name already typed: Tab moves on through them all.
            None if options.iter().any(|o| o.name == word) => (String::new(), None),
            None => (word.to_string(), None),
        };
        let matches: Vec<&str> = options
            .iter()
            .map(|o| o.name)
            .filter(|n| n.starts_with(prefix.as_str()))
            .collect();
        if matches.is_empty() {
            self.error = Some(format!("no option starts with `{prefix}`"));
            return;
        }
        let n = matches.len() as isize;
        let next = match at {
            Some(i) => (i as isize + step).rem_euclid(n) as usize,
            None => match matches.iter().position(|m| *m == word) {
                Some(i) => (i as isize + step).rem_euclid(n) as usize,
                None if step < 0 => matches.len() - 1,
                None => 0,
            },
        };
        self.text = format!("{} {value}", matches[next]);
        self.error = None;
        self.cycle = Some((prefix, next));
    }

    fn delete_word(&mut self) {
        let kept = self.text.trim_end().len();
        let cut = self.text[..kept].rfind(' ').map_or(0, |i| i + 1);
        self.text.truncate(cut);
    }

    /// The line under the input: the problem, or what the option takes.
    pub fn hint(&self, request: &DemoRequest) -> String {
        if let Some(e) = &self.error {
            return e.clone();
        }
        let (word, _) = split(&self.text);
        match lookup(word, request) {
            Ok(o) => format!(
                "{} {} (now {}): {}",
                o.name,
                o.range(),
                request.text(o.name),
                o.help
            ),
            Err(_) => {
                let names: Vec<&str> = offered(request).iter().map(|o| o.name).collect();
                format!("options: {}", names.join(" "))
            }
        }
    }
}

/// The first word and the rest (`workers 80`, `workers=80`).
fn split(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find([' ', '=', ':']) {
        Some(i) => (&text[..i], text[i + 1..].trim_matches([' ', '=', ':'])),
        None => (text, ""),
    }
}

/// The option `word` names in the request's mode: its name, or a prefix of
/// exactly one name.
fn lookup(word: &str, request: &DemoRequest) -> Result<&'static OptSpec, String> {
    let options = offered(request);
    if word.is_empty() {
        return Err("type an option's name and a value (Tab picks the name)".into());
    }
    if let Some(o) = options.iter().find(|o| o.name == word) {
        return Ok(o);
    }
    let starting: Vec<&&OptSpec> = options
        .iter()
        .filter(|o| o.name.starts_with(word))
        .collect();
    match starting.as_slice() {
        [one] => Ok(one),
        [] if request.knob(word).is_some() => Err(format!(
            "{word} does nothing in mode {}: it applies to {}",
            request.mode(),
            request
                .knob(word)
                .map_or(String::new(), |o| o.modes.join(", "))
        )),
        [] => Err(format!(
            "no option `{word}` here{}: Tab lists them",
            crate::suggest::hint(word, options.iter().map(|o| o.name))
        )),
        many => Err(format!(
            "`{word}` could be {}: type more, or Tab",
            many.iter().map(|o| o.name).collect::<Vec<_>>().join(" or ")
        )),
    }
}

/// `name value` checked against the option's bounds; a whole number may
/// group its digits (`10_000_000`, `10,000,000`).
pub fn parse(text: &str, request: &DemoRequest) -> Result<(&'static str, String), String> {
    let (word, value) = split(text);
    let opt = lookup(word, request)?;
    if value.is_empty() {
        return Err(format!("{}: a value, please ({})", opt.name, opt.range()));
    }
    let value = match opt.kind {
        OptKind::Int { .. } => value.replace(['_', ','], ""),
        _ => value.to_string(),
    };
    let mut probe = request.clone();
    match probe.set(opt.name, &value) {
        Ok(()) => Ok((opt.name, value)),
        Err(crate::demos::SpecError::BadValue { option, problem }) => {
            Err(format!("{option}: {problem}"))
        }
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(prompt: &mut Prompt, req: &DemoRequest, keys: &str) -> Action {
        let mut last = Action::Edit;
        for c in keys.chars() {
            let code = match c {
                '\t' => KeyCode::Tab,
                '\n' => KeyCode::Enter,
                '\x08' => KeyCode::Backspace,
                '\x1b' => KeyCode::Esc,
                c => KeyCode::Char(c),
            };
            last = prompt.key(&KeyEvent::new(code, KeyModifiers::NONE), req);
        }
        last
    }

    fn hash() -> DemoRequest {
        let mut req = DemoRequest::new("hash").unwrap();
        req.set_mode("threads").unwrap();
        req
    }

    #[test]
    fn opens_on_the_option_plus_turns_and_takes_a_number() {
        let req = hash();
        let mut p = Prompt::open(&req);
        assert_eq!(p.text, "workers ");
        assert_eq!(
            typed(&mut p, &req, "8\n"),
            Action::Apply {
                name: "workers",
                value: "8".into()
            }
        );
    }

    #[test]
    fn out_of_bounds_is_one_clear_line_and_the_prompt_stays() {
        let req = hash();
        let mut p = Prompt::open(&req);
        assert_eq!(typed(&mut p, &req, "80\n"), Action::Edit);
        assert_eq!(
            p.error.as_deref(),
            Some("workers: 80 is out of range 1..=64")
        );
        assert_eq!(p.hint(&req), "workers: 80 is out of range 1..=64");
        // Fixing it clears the error; Enter applies.
        assert_eq!(
            typed(&mut p, &req, "\x08\x0864\n"),
            Action::Apply {
                name: "workers",
                value: "64".into()
            }
        );
    }

    #[test]
    fn grouped_digits_and_name_prefixes() {
        let req = hash();
        let mut p = Prompt::default();
        assert_eq!(
            typed(&mut p, &req, "ch 10,000,000\n"),
            Action::Apply {
                name: "chunk",
                value: "10000000".into()
            }
        );
        let mut p = Prompt::default();
        assert_eq!(
            typed(&mut p, &req, "chunk=10_000\n"),
            Action::Apply {
                name: "chunk",
                value: "10000".into()
            }
        );
        let mut p = Prompt::default();
        typed(&mut p, &req, "nonsense 3\n");
        assert!(
            p.error
                .as_deref()
                .unwrap()
                .starts_with("no option `nonsense`")
        );
        let mut p = Prompt::default();
        typed(&mut p, &req, "workers\n");
        assert_eq!(
            p.error.as_deref(),
            Some("workers: a value, please (1..=64)")
        );
    }

    #[test]
    fn tab_cycles_through_the_options_and_keeps_the_value() {
        let req = hash();
        let mut p = Prompt::default();
        typed(&mut p, &req, "\t");
        assert_eq!(p.text, "message ");
        typed(&mut p, &req, "\t");
        assert_eq!(p.text, "prefix ");
        // From a full name, Tab moves on; the typed value stays.
        let mut p = Prompt::open(&req);
        typed(&mut p, &req, "5\t");
        assert_eq!(p.text, "chunk 5");
        typed(&mut p, &req, "\t");
        assert_eq!(p.text, "message 5");
        // A prefix cycles only through its matches.
        let mut p = Prompt::default();
        typed(&mut p, &req, "p\t\t");
        assert_eq!(p.text, "prefix ");
    }

    #[test]
    fn esc_cancels() {
        let req = hash();
        let mut p = Prompt::open(&req);
        assert_eq!(typed(&mut p, &req, "12\x1b"), Action::Cancel);
    }

    #[test]
    fn options_of_other_modes_are_not_offered() {
        let mut req = DemoRequest::new("download").unwrap();
        req.set_mode("sync").unwrap();
        let names: Vec<_> = offered(&req).iter().map(|o| o.name).collect();
        assert!(!names.contains(&"workers"), "{names:?}");
        let mut p = Prompt::default();
        typed(&mut p, &req, "workers 3\n");
        assert_eq!(
            p.error.as_deref(),
            Some("workers does nothing in mode sync: it applies to threads, async")
        );
    }
}
