//! Splitting the top level into sections (one per `##` heading) and
//! grouping consecutive code blocks in different languages into tabs.

use super::super::issue::{Issue, Problems};
use super::super::model::{Block, DemoDirective, Section, Span};
use super::Node;

/// Turns nodes into blocks; adjacent fenced code blocks in different
/// languages become one `Block::Code` with a tab each.
pub(super) fn group(nodes: Vec<Node>) -> Vec<Block> {
    let mut blocks = Vec::with_capacity(nodes.len());
    // Whether the last block is a group that another fence may join.
    let mut open = false;
    for node in nodes {
        match node {
            Node::Code {
                block,
                fenced: true,
            } => {
                if let (true, Some(Block::Code(tabs))) = (open, blocks.last_mut())
                    && tabs
                        .iter()
                        .all(|t| !t.lang.eq_ignore_ascii_case(&block.lang))
                {
                    tabs.push(block);
                    continue;
                }
                blocks.push(Block::Code(vec![block]));
                open = true;
                continue;
            }
            Node::Code { block, .. } => blocks.push(Block::Code(vec![block])),
            Node::Block(b) => blocks.push(b),
            Node::Heading { level, text } => blocks.push(Block::Heading { level, text }),
            Node::Demo { .. } => {}
        }
        open = false;
    }
    blocks
}

/// The plain text of a heading, for titles.
fn plain(spans: &[Span]) -> String {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Draft {
    title: Option<String>,
    nodes: Vec<Node>,
    demo: Option<DemoDirective>,
    /// Line of the section's first directive, valid or not.
    demo_line: Option<usize>,
}

impl Draft {
    fn new(title: Option<String>) -> Self {
        Draft {
            title,
            nodes: Vec::new(),
            demo: None,
            demo_line: None,
        }
    }

    fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.demo_line.is_none()
    }

    fn finish(self, fallback: &str) -> Section {
        Section {
            title: self.title.unwrap_or_else(|| fallback.to_string()),
            blocks: group(self.nodes),
            demo: self.demo,
        }
    }
}

/// Splits the top-level nodes into sections. Content before the first `##`
/// is an intro titled by its `#` heading (else `fallback`), left out when
/// empty.
pub(super) fn split(nodes: Vec<Node>, fallback: &str, problems: &mut Problems) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut intro = true;
    let mut draft = Draft::new(None);
    for node in nodes {
        match node {
            Node::Heading { level: 2, text } => {
                let done = std::mem::replace(&mut draft, Draft::new(Some(plain(&text))));
                if !(intro && done.is_empty()) {
                    sections.push(done.finish(fallback));
                }
                intro = false;
            }
            Node::Heading { level: 1, text } if intro && draft.title.is_none() => {
                draft.title = Some(plain(&text));
            }
            Node::Demo { directive, offset } => {
                let line = problems.index.line(offset);
                match draft.demo_line {
                    Some(first) => problems.at(offset, Issue::SecondDemo { first }),
                    None => {
                        draft.demo_line = Some(line);
                        draft.demo = directive;
                    }
                }
                // The directive still separates code blocks around it.
                draft.nodes.push(Node::Demo {
                    directive: None,
                    offset,
                });
            }
            other => draft.nodes.push(other),
        }
    }
    if !(intro && draft.is_empty()) {
        sections.push(draft.finish(fallback));
    }
    sections
}
