//! The one key table: the event loop maps keys through it and the help
//! overlay lists it, so the two can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Everything a key can ask the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    Toc,
    Close,
    Next,
    Prev,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    Run,
    Mode(u8),
    /// A key that turns one of the example's options (`+`/`-` workers,
    /// `[`/`]` yield...): the example's own table says which.
    Turn(char),
    InterruptLane,
    InterruptAll,
    /// Ctrl-C: `KeyboardInterrupt`, delivered as CPython delivers it.
    KeyboardInterrupt,
    Pause,
    Slower,
    Faster,
    Reset,
    FullPane,
    Focus,
    CodeTab,
    /// Press the pane's button (panes that have one).
    Press,
    /// Open the prompt that takes an option's value typed in.
    Prompt,
}

/// A key as written in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Code(KeyCode),
}

impl Key {
    fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match *self {
            Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Code(code) => !ctrl && ev.code == code,
        }
    }

    /// How the help overlay writes the key.
    pub fn label(&self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(KeyCode::Right) => "→".into(),
            Key::Code(KeyCode::Left) => "←".into(),
            Key::Code(KeyCode::Up) => "↑".into(),
            Key::Code(KeyCode::Down) => "↓".into(),
            Key::Code(KeyCode::PageUp) => "PgUp".into(),
            Key::Code(KeyCode::PageDown) => "PgDn".into(),
            Key::Code(KeyCode::Enter) => "Enter".into(),
            Key::Code(KeyCode::Esc) => "Esc".into(),
            Key::Code(KeyCode::Tab) => "Tab".into(),
            Key::Code(other) => format!("{other:?}"),
        }
    }
}

/// Which part of the help overlay a binding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Reading,
    Running,
    App,
}

/// One row of the key table.
#[derive(Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    pub help: &'static str,
    pub group: Group,
}

use Command as C;
use Group::*;
use Key::{Char as Ch, Code, Ctrl};

/// Every binding of the main view. `1`–`9` are handled as `Mode(n)`.
pub static BINDINGS: &[Binding] = &[
    Binding {
        keys: &[Code(KeyCode::Right), Ch('l'), Ch(' ')],
        command: C::Next,
        help: "next section",
        group: Reading,
    },
    Binding {
        keys: &[Code(KeyCode::Left), Ch('h')],
        command: C::Prev,
        help: "previous section",
        group: Reading,
    },
    Binding {
        keys: &[Code(KeyCode::Down), Ch('j')],
        command: C::ScrollDown,
        help: "scroll down (or next lane when the pane has focus)",
        group: Reading,
    },
    Binding {
        keys: &[Code(KeyCode::Up), Ch('k')],
        command: C::ScrollUp,
        help: "scroll up (or previous lane)",
        group: Reading,
    },
    Binding {
        keys: &[Code(KeyCode::PageDown)],
        command: C::PageDown,
        help: "scroll a page down",
        group: Reading,
    },
    Binding {
        keys: &[Code(KeyCode::PageUp)],
        command: C::PageUp,
        help: "scroll a page up",
        group: Reading,
    },
    Binding {
        keys: &[Ch('c')],
        command: C::CodeTab,
        help: "switch code tab (Python ↔ Rust)",
        group: Reading,
    },
    Binding {
        keys: &[Ch('t')],
        command: C::Toc,
        help: "table of contents",
        group: Reading,
    },
    Binding {
        keys: &[Code(KeyCode::Enter), Ch('r')],
        command: C::Run,
        help: "run (or rerun) the example",
        group: Running,
    },
    Binding {
        keys: &[
            Ch('1'),
            Ch('2'),
            Ch('3'),
            Ch('4'),
            Ch('5'),
            Ch('6'),
            Ch('7'),
            Ch('8'),
            Ch('9'),
        ],
        command: C::Mode(0),
        help: "pick a mode (scheduler pane: step thread N)",
        group: Running,
    },
    Binding {
        keys: &[Ch('+'), Ch('='), Ch('-'), Ch('['), Ch(']')],
        command: C::Turn('\0'),
        help: "change an option: + - workers, [ ] yield (K ÷2, ×2)",
        group: Running,
    },
    Binding {
        keys: &[Ch(':')],
        command: C::Prompt,
        help: "type a value: workers 80, Tab picks the option, Enter sets",
        group: Running,
    },
    Binding {
        keys: &[Ch('<'), Ch('>'), Ch('{'), Ch('}'), Ch('e')],
        command: C::Turn('\0'),
        help: "the example's own: speeds, e its signal (see its knobs)",
        group: Running,
    },
    Binding {
        keys: &[Ch('p')],
        command: C::Pause,
        help: "pause / resume",
        group: Running,
    },
    Binding {
        keys: &[Ch(',')],
        command: C::Slower,
        help: "slower (stretch sleeps and latencies)",
        group: Running,
    },
    Binding {
        keys: &[Ch('.')],
        command: C::Faster,
        help: "faster",
        group: Running,
    },
    Binding {
        keys: &[Ch('x')],
        command: C::InterruptLane,
        help: "interrupt the selected lane",
        group: Running,
    },
    Binding {
        keys: &[Ch('X')],
        command: C::InterruptAll,
        help: "stop everything now: every lane, queued work cancelled",
        group: Running,
    },
    Binding {
        keys: &[Ctrl('c')],
        command: C::KeyboardInterrupt,
        help: "KeyboardInterrupt, as in CPython: the main thread only",
        group: Running,
    },
    Binding {
        keys: &[Ch('b')],
        command: C::Press,
        help: "press the button (or click it); next(), poll, acknowledge",
        group: Running,
    },
    Binding {
        keys: &[Ch('0')],
        command: C::Reset,
        help: "reset the pane (stop, clear, default knobs)",
        group: Running,
    },
    Binding {
        keys: &[Ch('f')],
        command: C::FullPane,
        help: "pane full screen",
        group: App,
    },
    Binding {
        keys: &[Code(KeyCode::Tab)],
        command: C::Focus,
        help: "focus lesson / pane",
        group: App,
    },
    Binding {
        keys: &[Ch('?')],
        command: C::Help,
        help: "this help",
        group: App,
    },
    Binding {
        keys: &[Code(KeyCode::Esc)],
        command: C::Close,
        help: "close an overlay",
        group: App,
    },
    Binding {
        keys: &[Ch('q')],
        command: C::Quit,
        help: "quit (progress is saved)",
        group: App,
    },
];

/// The command a key press asks for, if any.
pub fn command_for(ev: &KeyEvent) -> Option<Command> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    if let KeyCode::Char(c @ '1'..='9') = ev.code
        && !ev.modifiers.contains(KeyModifiers::CONTROL)
    {
        return Some(Command::Mode(c as u8 - b'0'));
    }
    let command = BINDINGS
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.command)?;
    Some(match (command, ev.code) {
        (Command::Turn(_), KeyCode::Char('=')) => Command::Turn('+'),
        (Command::Turn(_), KeyCode::Char(c)) => Command::Turn(c),
        (c, _) => c,
    })
}

/// The keys of a binding, as the help overlay shows them.
pub fn keys_label(b: &Binding) -> String {
    if b.command == Command::Mode(0) {
        return "1–9".into();
    }
    b.keys.iter().map(Key::label).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn keys_map_to_commands() {
        let none = KeyModifiers::NONE;
        assert_eq!(command_for(&key(KeyCode::Char('q'), none)), Some(C::Quit));
        assert_eq!(command_for(&key(KeyCode::Char(' '), none)), Some(C::Next));
        assert_eq!(
            command_for(&key(KeyCode::Char('3'), none)),
            Some(C::Mode(3))
        );
        assert_eq!(
            command_for(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(C::KeyboardInterrupt)
        );
        assert_eq!(
            command_for(&key(KeyCode::Char('c'), none)),
            Some(C::CodeTab)
        );
        assert_eq!(
            command_for(&key(KeyCode::Char('X'), KeyModifiers::SHIFT)),
            Some(C::InterruptAll)
        );
        assert_eq!(
            command_for(&key(KeyCode::Char('='), none)),
            Some(C::Turn('+'))
        );
        assert_eq!(
            command_for(&key(KeyCode::Char('['), none)),
            Some(C::Turn('['))
        );
        assert_eq!(command_for(&key(KeyCode::Char(':'), none)), Some(C::Prompt));
        assert_eq!(command_for(&key(KeyCode::Char('Z'), none)), None);
    }

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for b in BINDINGS {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
    }
}
