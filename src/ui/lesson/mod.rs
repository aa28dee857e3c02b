//! Lays out a lesson section into styled lines for a given width.

pub mod cache;
mod code;
mod table;
pub mod wrap;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::lesson::{Block, Inline, Section, Span as LSpan};
use crate::ui::theme::Theme;

/// Everything that changes how a section is laid out.
#[derive(Debug, Clone, Copy)]
pub struct LayoutOpts<'a> {
    pub width: u16,
    pub theme: &'a Theme,
    /// Which tab of multi-language code blocks is shown.
    pub code_tab: usize,
}

/// The lines of a section, ready to scroll through.
pub fn layout(section: &Section, opts: LayoutOpts) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let width = opts.width.max(1) as usize;
    out.push(Line::from(Span::styled(
        wrap::truncate(&section.title, width),
        opts.theme.title.add_modifier(Modifier::BOLD),
    )));
    out.push(Line::default());
    blocks(&section.blocks, width, &opts, &[], &mut out);
    if let Some(demo) = crate::course::demo(section) {
        out.push(Line::default());
        let pieces = vec![
            (
                format!("live example: {}. ", demo.request.example.title()),
                opts.theme.strong,
            ),
            (
                if demo.request.pane() == crate::demos::PaneKind::Scheduler {
                    "1 and 2 pick the thread that takes a step, r restarts, ? lists every key."
                } else {
                    "Enter runs it in the pane; 1–9 pick a mode, +/- workers, ? lists every key."
                }
                .to_string(),
                opts.theme.dim,
            ),
        ];
        out.extend(wrap::wrap(
            &pieces,
            width,
            vec![Span::styled("▶ ", opts.theme.ok)],
            vec![Span::raw("  ")],
        ));
    }
    out
}

fn blocks(
    list: &[Block],
    width: usize,
    opts: &LayoutOpts,
    prefix: &[Span<'static>],
    out: &mut Vec<Line<'static>>,
) {
    for (i, block) in list.iter().enumerate() {
        if i > 0 {
            out.push(Line::from(prefix.to_vec()));
        }
        block_lines(block, width, opts, prefix, out);
    }
}

fn block_lines(
    block: &Block,
    width: usize,
    opts: &LayoutOpts,
    prefix: &[Span<'static>],
    out: &mut Vec<Line<'static>>,
) {
    let theme = opts.theme;
    match block {
        Block::Heading { level, text } => {
            let marker = "#".repeat(*level as usize);
            let mut pieces = vec![(format!("{marker} "), theme.dim)];
            pieces.extend(styled(text, theme, theme.heading));
            out.extend(wrap::wrap(&pieces, width, prefix.to_vec(), prefix.to_vec()));
        }
        Block::Paragraph(spans) => {
            let pieces = styled(spans, theme, theme.text);
            out.extend(wrap::wrap(&pieces, width, prefix.to_vec(), prefix.to_vec()));
        }
        Block::List { start, items } => {
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(s) => format!("{}. ", s + n as u64),
                    None => "• ".to_string(),
                };
                let mut first = prefix.to_vec();
                first.push(Span::styled(marker.clone(), theme.heading));
                let mut rest = prefix.to_vec();
                rest.push(Span::raw(" ".repeat(marker.chars().count())));
                for (j, b) in item.iter().enumerate() {
                    let lead = if j == 0 { &first } else { &rest };
                    match b {
                        Block::Paragraph(spans) => {
                            let pieces = styled(spans, theme, theme.text);
                            out.extend(wrap::wrap(&pieces, width, lead.clone(), rest.clone()));
                        }
                        other => {
                            if j == 0 {
                                out.push(Line::from(first.clone()));
                            }
                            block_lines(other, width, opts, &rest, out);
                        }
                    }
                }
            }
        }
        Block::Quote(inner) => {
            let mut p = prefix.to_vec();
            p.push(Span::styled("▌ ", theme.border_focus));
            let mut quoted = Vec::new();
            blocks(inner, width, opts, &p, &mut quoted);
            for line in quoted {
                out.push(line.patch_style(theme.quote));
            }
        }
        Block::Code(tabs) => code::code_lines(tabs, width, opts, prefix, out),
        Block::Table {
            align,
            header,
            rows,
        } => table::table_lines(align, header, rows, width, theme, prefix, out),
        Block::Rule => {
            let w = width.saturating_sub(prefix.iter().map(|s| s.width()).sum());
            let mut l = prefix.to_vec();
            l.push(Span::styled("─".repeat(w), theme.border));
            out.push(Line::from(l));
        }
    }
}

/// Lesson spans as styled pieces; links show their URL after the text.
pub(crate) fn styled(spans: &[LSpan], theme: &Theme, base: Style) -> Vec<(String, Style)> {
    let mut out = Vec::new();
    for s in spans {
        let style = inline_style(&s.style, theme, base);
        out.push((s.text.clone(), style));
        if let Some(url) = &s.style.link
            && url != &s.text
        {
            out.push((format!(" ⟨{url}⟩"), theme.dim));
        }
    }
    out
}

fn inline_style(i: &Inline, theme: &Theme, base: Style) -> Style {
    let mut st = base;
    if i.code {
        st = theme.inline_code;
    }
    if i.link.is_some() {
        st = st.patch(theme.link);
    }
    if i.emphasis {
        st = st.patch(theme.emphasis);
    }
    if i.strong {
        st = st.patch(theme.strong);
    }
    if i.strike {
        st = st.add_modifier(Modifier::CROSSED_OUT);
    }
    st
}
