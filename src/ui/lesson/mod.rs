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

/// The lines of a section, ready to scroll through (all of them: for still
/// renders and tests; the app lays out as it goes, see [`Partial`]).
pub fn layout(section: &Section, opts: LayoutOpts) -> Vec<Line<'static>> {
    let mut partial = Partial::new(section, opts);
    partial.extend(section, opts, Work::ALL);
    partial.lines
}

/// Bytes of a code block laid out between two looks at the budget.
const CODE_SLICE: usize = 4096;

/// How much of a section to lay out in one go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// Lines that must exist when done (the last visible row), unless
    /// `most` runs out first.
    pub rows: usize,
    /// Bytes of text to lay out even when `rows` are there: the work done
    /// ahead, in the background of a frame.
    pub least: usize,
    /// Bytes of text past which it stops, rows or not: a frame's budget.
    pub most: usize,
}

impl Work {
    /// The whole section.
    pub const ALL: Work = Work {
        rows: usize::MAX,
        least: usize::MAX,
        most: usize::MAX,
    };
}

/// A section laid out block by block: a large one is laid out over several
/// frames, each showing what is ready, so no key waits for the whole.
#[derive(Debug, Clone, Default)]
pub struct Partial {
    lines: Vec<Line<'static>>,
    /// The next top-level block to lay out.
    next: usize,
    /// That block, when it is code laid out part of the way.
    code: Option<code::CodeCursor>,
    done: bool,
}

impl Partial {
    /// The title, nothing else yet.
    pub fn new(section: &Section, opts: LayoutOpts) -> Partial {
        let width = opts.width.max(1) as usize;
        let lines = vec![
            Line::from(Span::styled(
                wrap::truncate(&section.title, width),
                opts.theme.title.add_modifier(Modifier::BOLD),
            )),
            Line::default(),
        ];
        Partial {
            lines,
            next: 0,
            code: None,
            done: false,
        }
    }

    /// The lines laid out so far.
    pub fn lines(&self) -> &[Line<'static>] {
        &self.lines
    }

    /// Whether the whole section is laid out.
    pub fn done(&self) -> bool {
        self.done
    }

    /// Lays out more blocks, as `work` says; at least one block when any
    /// is left, so each call moves on.
    pub fn extend(&mut self, section: &Section, opts: LayoutOpts, work: Work) {
        let width = opts.width.max(1) as usize;
        let mut spent = 0usize;
        while !self.done {
            let enough = self.lines.len() >= work.rows && spent >= work.least;
            if spent > 0 && (enough || spent >= work.most) {
                return;
            }
            let Some(block) = section.blocks.get(self.next) else {
                self.finish(section, width, &opts);
                return;
            };
            if let (Some(cursor), Block::Code(tabs)) = (self.code.as_mut(), block) {
                // A long code block goes a slice at a time.
                spent += cursor.lines(tabs, width, &opts, &[], &mut self.lines, CODE_SLICE);
                if cursor.done() {
                    self.code = None;
                    self.next += 1;
                }
                continue;
            }
            if self.next > 0 {
                self.lines.push(Line::default());
            }
            spent = spent.saturating_add(1);
            if let Block::Code(tabs) = block {
                self.code = code::CodeCursor::start(tabs, &opts, &[], &mut self.lines)
                    .filter(|c| !c.done());
                if self.code.is_none() {
                    self.next += 1;
                }
                continue;
            }
            block_lines(block, width, &opts, &[], &mut self.lines);
            spent = spent.saturating_add(weight(block));
            self.next += 1;
        }
    }

    /// The closing hint of a live section.
    fn finish(&mut self, section: &Section, width: usize, opts: &LayoutOpts) {
        self.done = true;
        let Some(demo) = crate::course::demo(section) else {
            return;
        };
        self.lines.push(Line::default());
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
        self.lines.extend(wrap::wrap(
            &pieces,
            width,
            vec![Span::styled("▶ ", opts.theme.ok)],
            vec![Span::raw("  ")],
        ));
    }
}

/// Roughly what a block costs to lay out: the bytes of its text.
fn weight(block: &Block) -> usize {
    let spans = |s: &[LSpan]| s.iter().map(|s| s.text.len()).sum::<usize>();
    match block {
        Block::Heading { text, .. } | Block::Paragraph(text) => spans(text),
        Block::List { items, .. } => items.iter().flatten().map(weight).sum(),
        Block::Quote(inner) => inner.iter().map(weight).sum(),
        Block::Code(tabs) => tabs.iter().map(|t| t.code.len()).max().unwrap_or(0),
        Block::Table { header, rows, .. } => header
            .iter()
            .chain(rows.iter().flatten())
            .map(|c| spans(c))
            .sum(),
        Block::Rule => 1,
    }
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
