//! Code blocks: highlighted, optionally numbered, several languages as tabs.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::LayoutOpts;
use crate::lesson::CodeBlock;
use crate::lesson::highlight::{self, Rgb};

/// Appends the lines of one code group (one block, or tabs).
pub fn code_lines(
    tabs: &[CodeBlock],
    width: usize,
    opts: &LayoutOpts,
    prefix: &[Span<'static>],
    out: &mut Vec<Line<'static>>,
) {
    if let Some(mut cursor) = CodeCursor::start(tabs, opts, prefix, out) {
        cursor.lines(tabs, width, opts, prefix, out, usize::MAX);
    }
}

/// A code block being laid out: where its next line starts.
#[derive(Debug, Clone)]
pub struct CodeCursor {
    /// The highlighted lines, once the highlighter has them (taken once);
    /// until then the code is laid out plain, straight from its text.
    tokens: Option<Vec<Vec<highlight::Token>>>,
    /// The next line's number, and its byte offset in the code.
    next: usize,
    offset: usize,
    /// Lines in the block, for the width of line numbers.
    count: usize,
}

impl CodeCursor {
    /// Appends the block's tab row or label, and returns where its lines
    /// start (`None` for a group without tabs).
    pub fn start(
        tabs: &[CodeBlock],
        opts: &LayoutOpts,
        prefix: &[Span<'static>],
        out: &mut Vec<Line<'static>>,
    ) -> Option<CodeCursor> {
        let active = tabs.get(opts.code_tab % tabs.len().max(1))?;
        let theme = opts.theme;
        if tabs.len() > 1 {
            let mut l = prefix.to_vec();
            for (i, t) in tabs.iter().enumerate() {
                let style = if std::ptr::eq(t, active) {
                    theme.tab_active
                } else {
                    theme.tab_idle
                };
                l.push(Span::styled(format!(" {} ", t.label), style));
                l.push(Span::raw(if i + 1 < tabs.len() { " " } else { "" }));
            }
            l.push(Span::styled("  c: switch", theme.dim));
            out.push(Line::from(l));
        } else if !active.label.is_empty() && active.label != "text" {
            let mut l = prefix.to_vec();
            l.push(Span::styled(format!(" {} ", active.label), theme.tab_idle));
            out.push(Line::from(l));
        }
        // Drawing never waits for syntect: plain text until the highlighter
        // is done (in the background for the live app, see
        // `App::highlight_pending`; before the frame for a still render, see
        // `App::highlight_now`).
        let tokens = highlight::worth(&active.code)
            .then(|| highlight::cached(&active.code, &active.lang, theme.code_theme()))
            .flatten();
        let count = tokens
            .as_ref()
            .map_or_else(|| active.code.lines().count(), Vec::len);
        Some(CodeCursor {
            tokens,
            next: 0,
            offset: 0,
            count,
        })
    }

    /// Whether every line is laid out.
    pub fn done(&self) -> bool {
        self.next >= self.count
    }

    /// The next line's tokens, plain when not highlighted.
    fn take(
        &mut self,
        code: &str,
        theme: &crate::ui::theme::Theme,
    ) -> Option<Vec<highlight::Token>> {
        if self.done() {
            return None;
        }
        let line = match &self.tokens {
            Some(lines) => lines.get(self.next)?.clone(),
            None => {
                let rest = code.get(self.offset..)?;
                let end = rest.find('\n').unwrap_or(rest.len());
                self.offset += end + 1;
                let text = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
                vec![plain_token(text, theme)]
            }
        };
        self.next += 1;
        Some(line)
    }

    /// Appends lines until `budget` bytes of code are laid out (at least
    /// one line) or the block ends; returns the bytes laid out.
    pub fn lines(
        &mut self,
        tabs: &[CodeBlock],
        width: usize,
        opts: &LayoutOpts,
        prefix: &[Span<'static>],
        out: &mut Vec<Line<'static>>,
        budget: usize,
    ) -> usize {
        let Some(active) = tabs.get(opts.code_tab % tabs.len().max(1)) else {
            return 0;
        };
        let theme = opts.theme;
        let inner = width.saturating_sub(prefix.iter().map(|s| s.width()).sum());
        let bg = theme.code_bg;
        let digits = self.count.to_string().len();
        let numbered = active.line_numbers;
        let gutter = |n: Option<usize>| -> Option<Span<'static>> {
            numbered.then(|| {
                let text = match n {
                    Some(n) => format!("{:>digits$} │ ", n + 1),
                    None => format!("{:>digits$} │ ", ""),
                };
                Span::styled(text, theme.dim.bg(bg))
            })
        };
        let mut spent = 0usize;
        while spent == 0 || spent < budget {
            let n = self.next;
            let Some(line) = self.take(&active.code, theme) else {
                break;
            };
            spent += line.iter().map(|t| t.text.len()).sum::<usize>() + 1;
            let mut cur = prefix.to_vec();
            let mut used = 0;
            if let Some(g) = gutter(Some(n)) {
                used += g.width();
                cur.push(g);
            }
            let start_used = used;
            for tok in &line {
                let style = token_style(tok.fg, tok.bold, tok.italic, theme.mono).bg(bg);
                let mut chunk = String::new();
                for ch in tok.text.chars() {
                    let cw = ch.width().unwrap_or(0);
                    if used + cw > inner && used > start_used {
                        cur.push(Span::styled(std::mem::take(&mut chunk), style));
                        pad(&mut cur, used, inner, bg);
                        out.push(Line::from(std::mem::replace(&mut cur, prefix.to_vec())));
                        used = 0;
                        if let Some(g) = gutter(None) {
                            used += g.width();
                            cur.push(g);
                        }
                    }
                    chunk.push(ch);
                    used += cw;
                }
                if !chunk.is_empty() {
                    cur.push(Span::styled(chunk, style));
                }
            }
            pad(&mut cur, used, inner, bg);
            out.push(Line::from(cur));
        }
        spent
    }
}

fn plain_token(text: &str, theme: &crate::ui::theme::Theme) -> highlight::Token {
    let fg = match theme.text.fg {
        Some(Color::Rgb(r, g, b)) => Rgb(r, g, b),
        _ => Rgb(200, 200, 200),
    };
    highlight::Token {
        text: text.to_string(),
        fg,
        bold: false,
        italic: false,
    }
}

fn pad(cur: &mut Vec<Span<'static>>, used: usize, inner: usize, bg: Color) {
    if used < inner {
        cur.push(Span::styled(" ".repeat(inner - used), Style::new().bg(bg)));
    }
}

fn token_style(fg: Rgb, bold: bool, italic: bool, mono: bool) -> Style {
    let mut st = if mono {
        Style::new()
    } else {
        Style::new().fg(Color::Rgb(fg.0, fg.1, fg.2))
    };
    if bold {
        st = st.add_modifier(Modifier::BOLD);
    }
    if italic {
        st = st.add_modifier(Modifier::ITALIC);
    }
    st
}
