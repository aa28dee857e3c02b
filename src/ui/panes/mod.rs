//! Live panes: each draws a [`Pane`]'s folded trace.

mod button;
mod common;
mod hash_race;
mod headline;
mod lanes;
mod led_boards;
mod locks;
mod procs;
mod queue;
mod race;
mod recap;
mod scheduler;
mod stepper;
mod tasks;
mod waterfall;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, BorderType, Borders};

use crate::demos::PaneKind;
use crate::ui::pane::Pane;
use crate::ui::theme::Theme;

/// Draws the pane with its frame.
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme, focused: bool) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(common::title_line(pane, theme));
    let inner = block.inner(area).inner(ratatui::layout::Margin::new(1, 0));
    frame.render_widget(block, area);
    match pane.request.pane() {
        PaneKind::Waterfall => waterfall::draw(frame, inner, pane, theme),
        PaneKind::Tasks => tasks::draw(frame, inner, pane, theme),
        PaneKind::Button => button::draw(frame, inner, pane, theme),
        PaneKind::HashRace => hash_race::draw(frame, inner, pane, theme),
        PaneKind::Lanes => lanes::draw(frame, inner, pane, theme),
        PaneKind::Race => race::draw(frame, inner, pane, theme),
        PaneKind::Locks => locks::draw(frame, inner, pane, theme),
        PaneKind::Scheduler => scheduler::draw(frame, inner, pane, theme),
        PaneKind::Queue => queue::draw(frame, inner, pane, theme),
        PaneKind::LedBoards => led_boards::draw(frame, inner, pane, theme),
        PaneKind::Stepper => stepper::draw(frame, inner, pane, theme),
        PaneKind::Procs => procs::draw(frame, inner, pane, theme),
        PaneKind::Recap => recap::draw(frame, inner, pane, theme),
    }
}
