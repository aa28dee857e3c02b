//! Colours: dark, light and high-contrast palettes, and `NO_COLOR`.

use ratatui::style::{Color, Modifier, Style};

use crate::lesson::highlight::CodeTheme;

/// The palette names a learner can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
}

/// Every style the UI uses, by role.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: ThemeName,
    /// No colours at all (`NO_COLOR`): only bold, underline and reverse.
    pub mono: bool,
    pub text: Style,
    pub dim: Style,
    pub heading: Style,
    pub emphasis: Style,
    pub strong: Style,
    pub inline_code: Style,
    pub link: Style,
    pub quote: Style,
    pub code_bg: Color,
    pub tab_active: Style,
    pub tab_idle: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub status: Style,
    pub status_key: Style,
    pub error: Style,
    pub warning: Style,
    pub ok: Style,
    pub overlay: Style,
    pub selected: Style,
    pub big: Style,
    /// Lane and task states.
    pub running: Style,
    pub ready: Style,
    pub queued: Style,
    pub blocked_io: Style,
    pub blocked_gil: Style,
    pub blocked_lock: Style,
    pub sleeping: Style,
    pub finished: Style,
    pub failed: Style,
    pub cancelled: Style,
    pub idle: Style,
}

impl Theme {
    /// The palette `name`, or a colourless one when `no_color` is set.
    pub fn new(name: ThemeName, no_color: bool) -> Theme {
        let mut t = match name {
            ThemeName::Dark => dark(),
            ThemeName::Light => light(),
            ThemeName::HighContrast => high_contrast(),
        };
        if no_color {
            t = mono(t);
        }
        t
    }

    /// The palette code blocks are highlighted with.
    pub fn code_theme(&self) -> CodeTheme {
        match self.name {
            ThemeName::Dark => CodeTheme::Dark,
            ThemeName::Light => CodeTheme::Light,
            ThemeName::HighContrast => CodeTheme::HighContrast,
        }
    }
}

fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

fn dark() -> Theme {
    Theme {
        name: ThemeName::Dark,
        mono: false,
        text: fg(Color::Rgb(215, 218, 224)),
        dim: fg(Color::Rgb(130, 137, 151)),
        heading: fg(Color::Rgb(97, 175, 239)).add_modifier(Modifier::BOLD),
        emphasis: fg(Color::Rgb(229, 192, 123)).add_modifier(Modifier::ITALIC),
        strong: fg(Color::Rgb(240, 240, 240)).add_modifier(Modifier::BOLD),
        inline_code: fg(Color::Rgb(152, 195, 121)).bg(Color::Rgb(40, 44, 52)),
        link: fg(Color::Rgb(86, 182, 194)).add_modifier(Modifier::UNDERLINED),
        quote: fg(Color::Rgb(171, 178, 191)).add_modifier(Modifier::ITALIC),
        code_bg: Color::Rgb(33, 37, 43),
        tab_active: fg(Color::Rgb(33, 37, 43))
            .bg(Color::Rgb(97, 175, 239))
            .add_modifier(Modifier::BOLD),
        tab_idle: fg(Color::Rgb(171, 178, 191)).bg(Color::Rgb(50, 56, 66)),
        border: fg(Color::Rgb(75, 82, 99)),
        border_focus: fg(Color::Rgb(97, 175, 239)),
        title: fg(Color::Rgb(229, 192, 123)).add_modifier(Modifier::BOLD),
        status: fg(Color::Rgb(171, 178, 191)).bg(Color::Rgb(40, 44, 52)),
        status_key: fg(Color::Rgb(229, 192, 123))
            .bg(Color::Rgb(40, 44, 52))
            .add_modifier(Modifier::BOLD),
        error: fg(Color::Rgb(224, 108, 117)).add_modifier(Modifier::BOLD),
        warning: fg(Color::Rgb(229, 192, 123)),
        ok: fg(Color::Rgb(152, 195, 121)),
        overlay: fg(Color::Rgb(215, 218, 224)).bg(Color::Rgb(24, 26, 31)),
        selected: fg(Color::Rgb(24, 26, 31)).bg(Color::Rgb(97, 175, 239)),
        big: fg(Color::Rgb(229, 192, 123)).add_modifier(Modifier::BOLD),
        running: fg(Color::Rgb(152, 195, 121)),
        ready: fg(Color::Rgb(86, 182, 194)),
        queued: fg(Color::Rgb(130, 137, 151)),
        blocked_io: fg(Color::Rgb(97, 175, 239)),
        blocked_gil: fg(Color::Rgb(209, 154, 102)),
        blocked_lock: fg(Color::Rgb(198, 120, 221)),
        sleeping: fg(Color::Rgb(86, 182, 194)),
        finished: fg(Color::Rgb(110, 150, 95)),
        failed: fg(Color::Rgb(224, 108, 117)).add_modifier(Modifier::BOLD),
        cancelled: fg(Color::Rgb(190, 140, 90)),
        idle: fg(Color::Rgb(75, 82, 99)),
    }
}

fn light() -> Theme {
    Theme {
        name: ThemeName::Light,
        text: fg(Color::Rgb(36, 41, 47)),
        dim: fg(Color::Rgb(101, 109, 118)),
        heading: fg(Color::Rgb(9, 105, 218)).add_modifier(Modifier::BOLD),
        emphasis: fg(Color::Rgb(130, 80, 0)).add_modifier(Modifier::ITALIC),
        strong: fg(Color::Rgb(0, 0, 0)).add_modifier(Modifier::BOLD),
        inline_code: fg(Color::Rgb(17, 99, 41)).bg(Color::Rgb(234, 238, 242)),
        link: fg(Color::Rgb(9, 105, 218)).add_modifier(Modifier::UNDERLINED),
        quote: fg(Color::Rgb(87, 96, 106)).add_modifier(Modifier::ITALIC),
        code_bg: Color::Rgb(246, 248, 250),
        tab_active: fg(Color::Rgb(255, 255, 255))
            .bg(Color::Rgb(9, 105, 218))
            .add_modifier(Modifier::BOLD),
        tab_idle: fg(Color::Rgb(36, 41, 47)).bg(Color::Rgb(216, 222, 228)),
        border: fg(Color::Rgb(175, 184, 193)),
        border_focus: fg(Color::Rgb(9, 105, 218)),
        title: fg(Color::Rgb(130, 80, 0)).add_modifier(Modifier::BOLD),
        status: fg(Color::Rgb(36, 41, 47)).bg(Color::Rgb(216, 222, 228)),
        status_key: fg(Color::Rgb(9, 105, 218))
            .bg(Color::Rgb(216, 222, 228))
            .add_modifier(Modifier::BOLD),
        error: fg(Color::Rgb(207, 34, 46)).add_modifier(Modifier::BOLD),
        warning: fg(Color::Rgb(154, 103, 0)),
        ok: fg(Color::Rgb(26, 127, 55)),
        overlay: fg(Color::Rgb(36, 41, 47)).bg(Color::Rgb(255, 255, 255)),
        selected: fg(Color::Rgb(255, 255, 255)).bg(Color::Rgb(9, 105, 218)),
        big: fg(Color::Rgb(130, 80, 0)).add_modifier(Modifier::BOLD),
        running: fg(Color::Rgb(26, 127, 55)),
        ready: fg(Color::Rgb(27, 124, 131)),
        queued: fg(Color::Rgb(101, 109, 118)),
        blocked_io: fg(Color::Rgb(9, 105, 218)),
        blocked_gil: fg(Color::Rgb(188, 76, 0)),
        blocked_lock: fg(Color::Rgb(130, 80, 223)),
        sleeping: fg(Color::Rgb(27, 124, 131)),
        finished: fg(Color::Rgb(74, 120, 84)),
        failed: fg(Color::Rgb(207, 34, 46)).add_modifier(Modifier::BOLD),
        cancelled: fg(Color::Rgb(154, 103, 0)),
        idle: fg(Color::Rgb(175, 184, 193)),
        ..dark()
    }
}

/// Pure colours on black, bold where it helps: legible from the back of a
/// room through a washed-out projector.
fn high_contrast() -> Theme {
    let bold = |c| fg(c).add_modifier(Modifier::BOLD);
    Theme {
        name: ThemeName::HighContrast,
        text: fg(Color::White),
        dim: fg(Color::Gray),
        heading: bold(Color::LightYellow).add_modifier(Modifier::UNDERLINED),
        emphasis: bold(Color::LightCyan),
        strong: bold(Color::White),
        inline_code: bold(Color::LightGreen).bg(Color::Black),
        link: bold(Color::LightCyan).add_modifier(Modifier::UNDERLINED),
        quote: fg(Color::White).add_modifier(Modifier::ITALIC),
        code_bg: Color::Black,
        tab_active: bold(Color::Black).bg(Color::LightYellow),
        tab_idle: fg(Color::White).bg(Color::DarkGray),
        border: fg(Color::White),
        border_focus: bold(Color::LightYellow),
        title: bold(Color::LightYellow),
        status: bold(Color::Black).bg(Color::White),
        status_key: bold(Color::Blue).bg(Color::White),
        error: bold(Color::LightRed),
        warning: bold(Color::LightYellow),
        ok: bold(Color::LightGreen),
        overlay: fg(Color::White).bg(Color::Black),
        selected: bold(Color::Black).bg(Color::LightYellow),
        big: bold(Color::LightYellow),
        running: bold(Color::LightGreen),
        ready: bold(Color::LightCyan),
        queued: fg(Color::Gray),
        blocked_io: bold(Color::LightBlue),
        blocked_gil: bold(Color::LightRed),
        blocked_lock: bold(Color::LightMagenta),
        sleeping: bold(Color::LightCyan),
        finished: fg(Color::Green),
        failed: bold(Color::LightRed).add_modifier(Modifier::REVERSED),
        cancelled: bold(Color::Yellow),
        idle: fg(Color::DarkGray),
        ..dark()
    }
}

/// Strips every colour, keeping modifiers; state differences stay visible
/// through the symbols panes draw.
fn mono(t: Theme) -> Theme {
    let strip = |s: Style| Style {
        fg: None,
        bg: None,
        underline_color: None,
        ..s
    };
    Theme {
        mono: true,
        text: strip(t.text),
        dim: strip(t.dim),
        heading: strip(t.heading),
        emphasis: strip(t.emphasis),
        strong: strip(t.strong),
        inline_code: strip(t.inline_code),
        link: strip(t.link),
        quote: strip(t.quote),
        code_bg: Color::Reset,
        tab_active: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        tab_idle: Style::new(),
        border: Style::new(),
        border_focus: Style::new().add_modifier(Modifier::BOLD),
        title: strip(t.title),
        status: Style::new().add_modifier(Modifier::REVERSED),
        status_key: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        error: Style::new().add_modifier(Modifier::BOLD),
        warning: Style::new().add_modifier(Modifier::BOLD),
        ok: Style::new(),
        overlay: Style::new(),
        selected: Style::new().add_modifier(Modifier::REVERSED),
        big: Style::new().add_modifier(Modifier::BOLD),
        running: Style::new().add_modifier(Modifier::BOLD),
        ready: Style::new(),
        queued: Style::new().add_modifier(Modifier::DIM),
        blocked_io: Style::new().add_modifier(Modifier::UNDERLINED),
        blocked_gil: Style::new().add_modifier(Modifier::ITALIC),
        blocked_lock: Style::new().add_modifier(Modifier::ITALIC),
        sleeping: Style::new().add_modifier(Modifier::UNDERLINED),
        finished: Style::new(),
        failed: Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        cancelled: Style::new().add_modifier(Modifier::DIM),
        idle: Style::new().add_modifier(Modifier::DIM),
        ..t
    }
}
