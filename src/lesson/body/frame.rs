//! What the fold builds: open containers (frames) and finished nodes.

use std::mem;

use super::super::model::{Align, Block, CodeBlock, DemoDirective, Inline, Span};
use super::code::SourceText;
use super::sections;

/// A block as the fold produces it, before code blocks are grouped into tabs
/// and the top level is split into sections.
#[derive(Debug)]
pub(super) enum Node {
    Block(Block),
    Heading {
        level: u8,
        text: Vec<Span>,
    },
    /// `fenced` blocks may join their neighbours as tabs.
    Code {
        block: CodeBlock,
        fenced: bool,
    },
    /// A `demo` directive; `None` when it had errors (already reported).
    Demo {
        directive: Option<DemoDirective>,
        offset: usize,
    },
}

#[derive(Debug)]
pub(super) enum Kind {
    Root,
    Paragraph,
    Heading(u8),
    Quote,
    List(Option<u64>, Vec<Vec<Block>>),
    Item,
    Table {
        align: Vec<Align>,
        header: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
        row: Vec<Vec<Span>>,
    },
    Cell,
    Code {
        info: Option<String>,
        start: usize,
        body: SourceText,
    },
    Html,
    /// Containers we do not model (footnotes, …): their content is kept.
    Other,
}

/// An open container with its finished children and pending inline text.
#[derive(Debug)]
pub(super) struct Frame {
    pub kind: Kind,
    pub nodes: Vec<Node>,
    pub spans: Vec<Span>,
}

impl Frame {
    pub fn new(kind: Kind) -> Self {
        Frame {
            kind,
            nodes: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// Loose inline content (tight list items) becomes a paragraph before
    /// the next block.
    pub fn flush(&mut self) {
        if !self.spans.is_empty() {
            let spans = mem::take(&mut self.spans);
            self.nodes.push(Node::Block(Block::Paragraph(spans)));
        }
    }

    pub fn push(&mut self, node: Node) {
        self.flush();
        self.nodes.push(node);
    }

    pub fn push_text(&mut self, text: &str, style: &Inline) {
        if text.is_empty() {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.style == *style => last.text.push_str(text),
            _ => self.spans.push(Span {
                text: text.to_string(),
                style: style.clone(),
            }),
        }
    }

    pub fn into_blocks(mut self) -> Vec<Block> {
        self.flush();
        sections::group(self.nodes)
    }
}
