//! The markdown body: pulldown-cmark events folded into typed blocks.
//!
//! The fold keeps an explicit stack of open containers, so deeply nested
//! input cannot exhaust the call stack.

mod code;
mod directive;
mod frame;
mod sections;

use std::mem;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::issue::{Issue, Problems};
use super::model::{Align, Block, Inline, Section};
use super::sanitize::inert;
use code::SourceText;
use frame::{Frame, Kind, Node};

/// Open containers beyond which quotes and lists are flattened.
const MAX_DEPTH: usize = 16;

struct Fold<'t, 'p, 'a> {
    text: &'t str,
    base: usize,
    problems: &'p mut Problems<'a>,
    stack: Vec<Frame>,
    styles: Vec<Inline>,
}

/// Parses the body starting at byte `base` of `text` into sections;
/// `fallback_title` names an intro without a `#` heading.
pub(super) fn parse(
    text: &str,
    base: usize,
    fallback_title: &str,
    problems: &mut Problems,
) -> Vec<Section> {
    let body = &text[base..];
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut fold = Fold {
        text,
        base,
        problems,
        stack: vec![Frame::new(Kind::Root)],
        styles: vec![Inline::default()],
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        fold.event(event, range);
    }
    while fold.stack.len() > 1 {
        fold.close();
    }
    let root = fold.stack.pop().map(|f| f.nodes).unwrap_or_default();
    sections::split(root, fallback_title, fold.problems)
}

impl Fold<'_, '_, '_> {
    fn top(&mut self) -> &mut Frame {
        if self.stack.is_empty() {
            self.stack.push(Frame::new(Kind::Root));
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn style(&self) -> Inline {
        self.styles.last().cloned().unwrap_or_default()
    }

    fn text_out(&mut self, text: &str) {
        let style = self.style();
        let text = inert(text);
        self.top().push_text(&text, &style);
    }

    fn open(&mut self, kind: Kind) {
        self.top().flush();
        self.stack.push(Frame::new(kind));
    }

    /// Opens a quote, list or item; past `MAX_DEPTH` their content joins
    /// the parent instead, so that no one (layout, drop) recurses without
    /// bound. Items outside a list (a flattened one) join their parent too.
    fn open_container(&mut self, kind: Kind) {
        let orphan_item = matches!(kind, Kind::Item) && !matches!(self.top().kind, Kind::List(..));
        if self.stack.len() >= MAX_DEPTH || orphan_item {
            self.open(Kind::Other);
        } else {
            self.open(kind);
        }
    }

    fn event(&mut self, event: Event, range: Range<usize>) {
        let offset = self.base + range.start;
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(end) => self.end(end),
            Event::Text(t) => {
                if let Kind::Code { body, .. } = &mut self.top().kind {
                    body.push(&t, offset);
                } else {
                    self.text_out(&t);
                }
            }
            Event::Html(t) | Event::InlineHtml(t) => match &mut self.top().kind {
                Kind::Code { body, .. } => body.push(&t, offset),
                Kind::Html => {
                    let style = self.style();
                    let t = super::sanitize::inert_code(&t);
                    self.top().push_text(&t, &style);
                }
                _ => self.text_out(&t),
            },
            Event::Code(t) => {
                let mut style = self.style();
                style.code = true;
                let t = inert(&t);
                self.top().push_text(&t, &style);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text_out(&t),
            Event::FootnoteReference(label) => self.text_out(&format!("[^{label}]")),
            Event::SoftBreak => self.text_out(" "),
            Event::HardBreak => {
                let style = self.style();
                self.top().push_text("\n", &style);
            }
            Event::Rule => self.top().push(Node::Block(Block::Rule)),
            Event::TaskListMarker(done) => self.text_out(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag, offset: usize) {
        let styled = |f: fn(&mut Inline), this: &mut Self| {
            let mut s = this.style();
            f(&mut s);
            this.styles.push(s);
        };
        match tag {
            Tag::Paragraph => self.open(Kind::Paragraph),
            Tag::Heading { level, .. } => self.open(Kind::Heading(level as u8)),
            Tag::BlockQuote(_) => self.open_container(Kind::Quote),
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.to_string()),
                    CodeBlockKind::Indented => None,
                };
                let body = SourceText::default();
                self.open(Kind::Code {
                    info,
                    start: offset,
                    body,
                });
            }
            Tag::HtmlBlock => self.open(Kind::Html),
            Tag::List(start) => self.open_container(Kind::List(start, Vec::new())),
            Tag::Item => self.open_container(Kind::Item),
            Tag::Table(align) => self.open(Kind::Table {
                align: align.into_iter().map(align_of).collect(),
                header: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
            }),
            Tag::TableHead | Tag::TableRow => {}
            Tag::TableCell => self.open(Kind::Cell),
            Tag::Emphasis => styled(|s| s.emphasis = true, self),
            Tag::Strong => styled(|s| s.strong = true, self),
            Tag::Strikethrough => styled(|s| s.strike = true, self),
            Tag::Superscript | Tag::Subscript => styled(|_| {}, self),
            Tag::Link { dest_url, .. } => {
                let mut s = self.style();
                s.link = Some(inert(&dest_url).into_owned());
                self.styles.push(s);
            }
            Tag::Image { .. } => {
                styled(|_| {}, self);
                self.text_out("[image: ");
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.open(Kind::Other),
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => self.pop_style(),
            TagEnd::Image => {
                self.text_out("]");
                self.pop_style();
            }
            TagEnd::TableHead => {
                if let Kind::Table { header, row, .. } = &mut self.top().kind {
                    *header = mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Kind::Table { rows, row, .. } = &mut self.top().kind {
                    rows.push(mem::take(row));
                }
            }
            _ => self.close(),
        }
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    /// Closes the innermost container and hands its content to its parent.
    fn close(&mut self) {
        if self.stack.len() < 2 {
            return;
        }
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        let at_top = self.stack.len() == 1;
        let kind = mem::replace(&mut frame.kind, Kind::Other);
        let node = match kind {
            Kind::Root | Kind::Other => {
                frame.flush();
                let parent = self.top();
                parent.flush();
                parent.nodes.append(&mut frame.nodes);
                return;
            }
            Kind::Html => {
                if let Some(last) = frame.spans.last_mut() {
                    last.text.truncate(last.text.trim_end_matches('\n').len());
                }
                frame.spans.retain(|s| !s.text.is_empty());
                if frame.spans.is_empty() {
                    return;
                }
                Node::Block(Block::Paragraph(frame.spans))
            }
            Kind::Paragraph if frame.spans.is_empty() => return,
            Kind::Paragraph => Node::Block(Block::Paragraph(frame.spans)),
            Kind::Heading(level) => Node::Heading {
                level,
                text: frame.spans,
            },
            Kind::Quote => Node::Block(Block::Quote(frame.into_blocks())),
            Kind::List(start, items) => Node::Block(Block::List { start, items }),
            Kind::Item => {
                let blocks = frame.into_blocks();
                if let Kind::List(_, items) = &mut self.top().kind {
                    items.push(blocks);
                    return;
                }
                Node::Block(Block::Quote(blocks))
            }
            Kind::Table {
                align,
                header,
                rows,
                ..
            } => Node::Block(Block::Table {
                align,
                header,
                rows,
            }),
            Kind::Cell => {
                if let Kind::Table { row, .. } = &mut self.top().kind {
                    row.push(frame.spans);
                    return;
                }
                Node::Block(Block::Paragraph(frame.spans))
            }
            Kind::Code { info, start, body } => {
                let node = code::finish(self.text, info, start, body, self.problems);
                if let (Node::Demo { offset, .. }, false) = (&node, at_top) {
                    self.problems.at(*offset, Issue::NestedDemo);
                    return;
                }
                node
            }
        };
        self.top().push(node);
    }
}

fn align_of(a: Alignment) -> Align {
    match a {
        Alignment::None | Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}
