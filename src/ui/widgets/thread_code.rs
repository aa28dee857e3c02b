//! One thread's code, step by step, with the step it takes next marked:
//!
//! ```text
//! thread 1 · ready
//! # counter += 1
//! ✓ tmp = counter
//! ▶ tmp = tmp + 1
//!   counter = tmp
//! tmp = 0
//! ```

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::ui::lesson::wrap::truncate;

/// A thread's code with its next step highlighted, its status and locals.
#[derive(Debug, Clone, Default)]
pub struct ThreadCode<'a> {
    title: String,
    status: String,
    python: Option<&'a str>,
    lines: Vec<&'a str>,
    pc: usize,
    locals: String,
    title_style: Style,
    status_style: Style,
    code_style: Style,
    done_style: Style,
    next_style: Style,
}

impl<'a> ThreadCode<'a> {
    /// Thread `title` running `lines`, about to run line `pc` (past the
    /// end: finished).
    pub fn new(title: impl Into<String>, lines: Vec<&'a str>, pc: usize) -> ThreadCode<'a> {
        ThreadCode {
            title: title.into(),
            lines,
            pc,
            ..ThreadCode::default()
        }
    }

    /// The status beside the title (`ready`, `blocked`, `done`) and its style.
    pub fn status(mut self, text: impl Into<String>, s: impl Into<Style>) -> Self {
        self.status = text.into();
        self.status_style = s.into();
        self
    }

    /// The Python statement the steps spell out, shown above them when
    /// there is room.
    pub fn python(mut self, code: &'a str) -> Self {
        self.python = Some(code);
        self
    }

    /// The thread's locals, as one line (`tmp = 0`).
    pub fn locals(mut self, text: impl Into<String>) -> Self {
        self.locals = text.into();
        self
    }

    /// Styles: the title, the lines still to run, the lines run, the next.
    pub fn styles(
        mut self,
        title: impl Into<Style>,
        code: impl Into<Style>,
        done: impl Into<Style>,
        next: impl Into<Style>,
    ) -> Self {
        self.title_style = title.into();
        self.code_style = code.into();
        self.done_style = done.into();
        self.next_style = next.into();
        self
    }

    /// Rows it takes with everything shown.
    pub fn full_height(&self) -> u16 {
        let n = self.lines.len() + 2 + usize::from(self.python.is_some());
        u16::try_from(n).unwrap_or(u16::MAX)
    }
}

impl Widget for &ThreadCode<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let w = area.width as usize;
        let mut rows = Vec::with_capacity(self.lines.len() + 3);
        let mut head = vec![Span::styled(self.title.clone(), self.title_style)];
        if !self.status.is_empty() {
            head.push(Span::styled(" · ", self.done_style));
            head.push(Span::styled(self.status.clone(), self.status_style));
        }
        rows.push(Line::from(head));
        let room = area.height.saturating_sub(2) as usize;
        if let Some(py) = self.python
            && room > self.lines.len()
        {
            rows.push(Line::styled(
                truncate(&format!("# {py}"), w),
                self.done_style,
            ));
        }
        for (i, code) in self.lines.iter().enumerate() {
            let (mark, style) = match i.cmp(&self.pc) {
                std::cmp::Ordering::Less => ("✓ ", self.done_style),
                std::cmp::Ordering::Equal => ("▶ ", self.next_style),
                std::cmp::Ordering::Greater => ("  ", self.code_style),
            };
            let text = truncate(&format!("{mark}{code}"), w);
            rows.push(Line::styled(text, style));
        }
        rows.push(Line::styled(truncate(&self.locals, w), self.code_style));
        super::render_lines(&rows, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::testing::{styled, text_of};
    use ratatui::style::Color;

    fn code(pc: usize) -> ThreadCode<'static> {
        ThreadCode::new(
            "thread 1",
            vec!["tmp = counter", "tmp = tmp + 1", "counter = tmp"],
            pc,
        )
        .status("ready", Color::Green)
        .python("counter += 1")
        .locals("tmp = 0")
        .styles(Color::White, Color::Gray, Color::DarkGray, Color::Yellow)
    }

    #[test]
    fn the_next_step_is_marked_and_the_steps_run_are_ticked() {
        assert_eq!(
            text_of(&code(1), 18, 6),
            Buffer::with_lines([
                "thread 1 · ready  ",
                "# counter += 1    ",
                "✓ tmp = counter   ",
                "▶ tmp = tmp + 1   ",
                "  counter = tmp   ",
                "tmp = 0           ",
            ])
        );
        let buf = styled(&code(1), 18, 6);
        assert_eq!(buf[(0, 3)].fg, Color::Yellow, "the next step stands out");
        assert_eq!(buf[(0, 2)].fg, Color::DarkGray);
        assert_eq!(buf[(11, 0)].fg, Color::Green, "the status has its colour");
    }

    #[test]
    fn short_areas_drop_the_python_line_first_and_narrow_ones_cut_lines() {
        assert_eq!(
            text_of(&code(3), 12, 5),
            Buffer::with_lines([
                "thread 1 · r",
                "✓ tmp = cou…",
                "✓ tmp = tmp…",
                "✓ counter =…",
                "tmp = 0     ",
            ])
        );
        assert_eq!(code(0).full_height(), 6);
    }
}
