//! The last section laid out, kept between frames: a scroll key on a large
//! chapter then costs a slice of lines, not a new layout of the whole, and
//! a large section is laid out over several frames, the visible part first.

use std::cell::{Cell, Ref, RefCell};

use super::Partial;

/// Everything a layout depends on besides the theme (fixed for a run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutKey {
    /// Bumped whenever chapters are replaced (`--watch`).
    pub content: u64,
    pub chapter: usize,
    pub section: usize,
    pub width: u16,
    pub code_tab: usize,
    /// Code was still plain (being highlighted in the background).
    pub highlight_pending: bool,
    /// Rows that must be highlighted now (0 when highlighting is lazy).
    pub rows: usize,
}

/// One section, laid out as far as frames needed it, kept for the next.
#[derive(Debug, Default)]
pub struct LayoutCache {
    last: RefCell<Option<(LayoutKey, Partial)>>,
    layouts: Cell<u64>,
    /// Rows of the last frame's lesson viewport.
    rows: Cell<usize>,
}

impl LayoutCache {
    /// The lines for `key`: started by `start` when the key changed, then
    /// taken further by `extend` (which may do nothing once done).
    pub fn get(
        &self,
        key: LayoutKey,
        start: impl FnOnce() -> Partial,
        extend: impl FnOnce(&mut Partial),
    ) -> Ref<'_, Partial> {
        {
            let mut last = self.last.borrow_mut();
            if last.as_ref().is_none_or(|(k, _)| *k != key) {
                self.layouts.set(self.layouts.get() + 1);
                *last = Some((key, start()));
            }
            if let Some((_, partial)) = last.as_mut() {
                extend(partial);
            }
        }
        Ref::map(self.last.borrow(), |last| {
            &last.as_ref().expect("set above").1
        })
    }

    /// How many layouts were started (for tests and benchmarks).
    pub fn layouts(&self) -> u64 {
        self.layouts.get()
    }

    /// Whether the last section is still being laid out: frames must keep
    /// coming until it is done.
    pub fn pending(&self) -> bool {
        self.last.borrow().as_ref().is_some_and(|(_, p)| !p.done())
    }

    /// The last section's length in lines, once it is all laid out.
    pub fn total(&self) -> Option<usize> {
        self.last
            .borrow()
            .as_ref()
            .and_then(|(_, p)| p.done().then(|| p.lines().len()))
    }

    /// Notes how many rows the frame showed of the section.
    pub fn shown(&self, rows: usize) {
        self.rows.set(rows);
    }

    /// The furthest the section scrolls in the last frame's viewport, once
    /// it is all laid out.
    pub fn max_scroll(&self) -> Option<usize> {
        self.total().map(|t| t.saturating_sub(self.rows.get()))
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::lesson::{Section, parse_chapter};
    use crate::ui::lesson::{LayoutOpts, Work, layout};
    use crate::ui::theme::{Theme, ThemeName};

    fn section(paragraphs: usize) -> Section {
        let mut body = String::new();
        for i in 0..paragraphs {
            let _ = write!(
                body,
                "Paragraph {i} says *something* with `code` in it.\n\n"
            );
        }
        let text = format!("---\nid: t\ntitle: T\norder: 1\n---\n## One\n\n{body}");
        parse_chapter("t.md", &text).sections.remove(0)
    }

    fn key(width: u16) -> LayoutKey {
        LayoutKey {
            content: 0,
            chapter: 1,
            section: 2,
            width,
            code_tab: 0,
            highlight_pending: false,
            rows: 0,
        }
    }

    #[test]
    fn starts_a_layout_only_when_the_key_changes() {
        let theme = Theme::new(ThemeName::Dark, false);
        let s = section(3);
        let opts = |width| LayoutOpts {
            width,
            theme: &theme,
            code_tab: 0,
        };
        let cache = LayoutCache::default();
        let mut starts = 0;
        for _ in 0..3 {
            let lines = cache.get(
                key(80),
                || {
                    starts += 1;
                    Partial::new(&s, opts(80))
                },
                |p| p.extend(&s, opts(80), Work::ALL),
            );
            assert_eq!(lines.lines().len(), layout(&s, opts(80)).len());
        }
        assert_eq!((starts, cache.layouts()), (1, 1));
        let _ = cache.get(key(90), || Partial::new(&s, opts(90)), |_| {});
        assert_eq!(cache.layouts(), 2);
        assert!(cache.pending(), "started, not extended");
        assert_eq!(cache.total(), None);
    }

    #[test]
    fn a_large_section_is_laid_out_over_frames_the_visible_part_first() {
        let theme = Theme::new(ThemeName::Dark, false);
        let opts = LayoutOpts {
            width: 60,
            theme: &theme,
            code_tab: 0,
        };
        let s = section(5_000);
        let whole = layout(&s, opts);
        let frame = Work {
            rows: 30,
            least: 0,
            most: 4_096,
        };
        let cache = LayoutCache::default();
        let first = cache
            .get(
                key(60),
                || Partial::new(&s, opts),
                |p| p.extend(&s, opts, frame),
            )
            .lines()
            .len();
        assert!(
            (30..whole.len() / 10).contains(&first),
            "{first} of {}",
            whole.len()
        );
        assert!(cache.pending());
        let mut frames = 1;
        while cache.pending() {
            let _ = cache.get(key(60), || unreachable!(), |p| p.extend(&s, opts, frame));
            frames += 1;
            assert!(frames < 10_000, "never finishes");
        }
        assert!(frames > 10, "done in {frames} frames");
        let lines = cache.get(key(60), || unreachable!(), |_| {});
        assert_eq!(lines.lines(), &whole[..], "the same lines as in one go");
        assert_eq!(cache.total(), Some(whole.len()));
    }
}
