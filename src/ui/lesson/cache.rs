//! The last section laid out, kept between frames: a scroll key on a large
//! chapter then costs a slice of lines, not a new layout of the whole.

use std::cell::RefCell;
use std::rc::Rc;

use ratatui::text::Line;

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

/// One laid-out section, shared with the frame that draws it.
#[derive(Debug, Default)]
pub struct LayoutCache {
    last: RefCell<Option<(LayoutKey, Rc<Vec<Line<'static>>>)>>,
    layouts: std::cell::Cell<u64>,
}

impl LayoutCache {
    /// The lines for `key`, laid out by `layout` only when the key changed.
    pub fn get(
        &self,
        key: LayoutKey,
        layout: impl FnOnce() -> Vec<Line<'static>>,
    ) -> Rc<Vec<Line<'static>>> {
        let mut last = self.last.borrow_mut();
        if let Some((k, lines)) = last.as_ref()
            && *k == key
        {
            return lines.clone();
        }
        self.layouts.set(self.layouts.get() + 1);
        let lines = Rc::new(layout());
        *last = Some((key, lines.clone()));
        lines
    }
}

impl LayoutCache {
    /// How many layouts were made (for tests and benchmarks).
    pub fn layouts(&self) -> u64 {
        self.layouts.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_again_only_when_the_key_changes() {
        let cache = LayoutCache::default();
        let key = LayoutKey {
            content: 0,
            chapter: 1,
            section: 2,
            width: 80,
            code_tab: 0,
            highlight_pending: false,
            rows: 0,
        };
        let mut calls = 0;
        for _ in 0..3 {
            cache.get(key, || {
                calls += 1;
                vec![Line::from("a")]
            });
        }
        assert_eq!(calls, 1);
        let wider = LayoutKey { width: 90, ..key };
        let lines = cache.get(wider, || vec![Line::from("b"), Line::from("c")]);
        assert_eq!(lines.len(), 2);
    }
}
