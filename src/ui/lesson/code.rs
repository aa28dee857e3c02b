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
    let Some(active) = tabs.get(opts.code_tab % tabs.len().max(1)) else {
        return;
    };
    let theme = opts.theme;
    let inner = width.saturating_sub(prefix.iter().map(|s| s.width()).sum());
    let bg = theme.code_bg;
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
    let tokens = highlight::cached(&active.code, &active.lang, theme.code_theme())
        .unwrap_or_else(|| plain(&active.code, theme));
    let digits = tokens.len().to_string().len();
    for (n, line) in tokens.iter().enumerate() {
        let mut cur = prefix.to_vec();
        let mut used = 0;
        let gutter = |n: Option<usize>| -> Option<Span<'static>> {
            active.line_numbers.then(|| {
                let text = match n {
                    Some(n) => format!("{:>digits$} │ ", n + 1),
                    None => format!("{:>digits$} │ ", ""),
                };
                Span::styled(text, theme.dim.bg(bg))
            })
        };
        if let Some(g) = gutter(Some(n)) {
            used += g.width();
            cur.push(g);
        }
        let start_used = used;
        for tok in line {
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
}

fn plain(code: &str, theme: &crate::ui::theme::Theme) -> Vec<Vec<highlight::Token>> {
    let fg = match theme.text.fg {
        Some(Color::Rgb(r, g, b)) => Rgb(r, g, b),
        _ => Rgb(200, 200, 200),
    };
    code.lines()
        .map(|l| {
            vec![highlight::Token {
                text: l.to_string(),
                fg,
                bold: false,
                italic: false,
            }]
        })
        .collect()
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
