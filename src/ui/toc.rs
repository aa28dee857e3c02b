//! The table of contents: every chapter, and the sections of one of them
//! (the current chapter when it opens), so that `t`, a few arrows and
//! Enter jump to any section.

use crate::lesson::Course;

/// Where the contents' cursor is, and which chapter shows its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toc {
    /// The chapter of the selected row.
    pub chapter: usize,
    /// The selected section of that chapter; `None`: the chapter's row.
    pub section: Option<usize>,
    /// The chapter whose sections are listed.
    pub open: usize,
}

/// One row of the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub chapter: usize,
    pub section: Option<usize>,
}

impl Toc {
    /// The contents opened on the section on screen.
    pub fn at(chapter: usize, section: usize) -> Toc {
        Toc {
            chapter,
            section: Some(section),
            open: chapter,
        }
    }

    /// Every row, in order: chapters, with the open one's sections under it.
    pub fn rows(&self, course: &Course) -> Vec<Row> {
        let mut rows = Vec::new();
        for (i, c) in course.chapters.iter().enumerate() {
            rows.push(Row {
                chapter: i,
                section: None,
            });
            if i == self.open && c.is_ok() {
                rows.extend((0..c.sections.len()).map(|s| Row {
                    chapter: i,
                    section: Some(s),
                }));
            }
        }
        rows
    }

    /// The position of the selected row in [`Toc::rows`].
    pub fn position(&self, rows: &[Row]) -> usize {
        rows.iter()
            .position(|r| r.chapter == self.chapter && r.section == self.section)
            .unwrap_or(0)
    }

    /// Moves the cursor `delta` rows, stopping at either end.
    pub fn step(&mut self, course: &Course, delta: isize) {
        let rows = self.rows(course);
        let Some(last) = rows.len().checked_sub(1) else {
            return;
        };
        let at = self.position(&rows).saturating_add_signed(delta).min(last);
        self.select(rows[at]);
    }

    /// Lists the sections of the selected chapter (→): the cursor goes to
    /// its first section. On a section row, nothing changes.
    pub fn expand(&mut self, course: &Course) {
        if self.section.is_some() {
            return;
        }
        self.open = self.chapter;
        let has_sections = course
            .chapters
            .get(self.chapter)
            .is_some_and(|c| c.is_ok() && !c.sections.is_empty());
        if has_sections {
            self.section = Some(0);
        }
    }

    /// Folds the sections away (←): the cursor goes to their chapter.
    pub fn collapse(&mut self) {
        self.section = None;
        self.open = usize::MAX;
    }

    fn select(&mut self, row: Row) {
        self.chapter = row.chapter;
        self.section = row.section;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::parse_chapter;

    fn course() -> Course {
        let chapter = |id: &str, order: u32, sections: usize| {
            let mut text = format!("---\nid: {id}\ntitle: {id}\norder: {order}\n---\n");
            for s in 0..sections {
                text.push_str(&format!("\n## Part {s}\n\nText.\n"));
            }
            parse_chapter(&format!("lessons/{id}.md"), &text)
        };
        Course {
            chapters: vec![chapter("a", 1, 2), chapter("b", 2, 3), chapter("c", 3, 1)],
        }
    }

    fn row(chapter: usize, section: Option<usize>) -> Row {
        Row { chapter, section }
    }

    #[test]
    fn opens_on_the_current_section_among_its_chapters_sections() {
        let c = course();
        let toc = Toc::at(1, 2);
        assert_eq!(
            toc.rows(&c),
            [
                row(0, None),
                row(1, None),
                row(1, Some(0)),
                row(1, Some(1)),
                row(1, Some(2)),
                row(2, None)
            ]
        );
        assert_eq!(toc.position(&toc.rows(&c)), 4);
    }

    #[test]
    fn arrows_walk_the_rows_and_stop_at_the_ends() {
        let c = course();
        let mut toc = Toc::at(1, 2);
        toc.step(&c, 1);
        assert_eq!((toc.chapter, toc.section), (2, None));
        toc.step(&c, 1);
        assert_eq!((toc.chapter, toc.section), (2, None), "the last row");
        toc.step(&c, -3);
        assert_eq!((toc.chapter, toc.section), (1, Some(0)));
        toc.step(&c, -10);
        assert_eq!((toc.chapter, toc.section), (0, None));
    }

    #[test]
    fn right_lists_another_chapters_sections_and_left_folds_them() {
        let c = course();
        let mut toc = Toc::at(1, 0);
        toc.step(&c, 4);
        assert_eq!((toc.chapter, toc.section), (2, None));
        toc.expand(&c);
        assert_eq!((toc.chapter, toc.section, toc.open), (2, Some(0), 2));
        assert_eq!(toc.rows(&c).len(), 4, "b's sections folded, c's listed");
        toc.collapse();
        assert_eq!((toc.chapter, toc.section), (2, None));
        assert_eq!(toc.rows(&c).len(), 3);
    }
}
