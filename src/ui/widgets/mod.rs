//! Widgets of our own: each configured by value, drawn from a reference,
//! tested in its own file against `Buffer::with_lines`.

pub mod big;
pub mod counter_bars;
pub mod figures;
pub mod futures;
pub mod headline;
pub mod lane_table;
pub mod led_board;
pub mod legend;
pub mod proc_strip;
pub mod push_button;
pub mod runs_chart;
pub mod slots;
pub mod source_listing;
pub mod task_table;
pub mod thread_code;
pub mod throughput;
pub mod time_marks;
pub mod timeline;
pub mod wait_graph;
pub mod waterfall;

pub use big::BigText;
pub use counter_bars::CounterBars;
pub use figures::{Figure, Figures};
pub use futures::FuturesList;
pub use headline::{Headed, Headline};
pub use lane_table::{LaneColumns, LaneTable};
pub use led_board::LedBoard;
pub use legend::Legend;
pub use proc_strip::ProcStrip;
pub use push_button::PushButton;
pub use runs_chart::{RunsChart, RunsMetric};
pub use slots::Slots;
pub use source_listing::SourceListing;
pub use task_table::TaskTable;
pub use thread_code::ThreadCode;
pub use throughput::Throughput;
pub use time_marks::TimeMarks;
pub use timeline::Timeline;
pub use wait_graph::WaitGraph;
pub use waterfall::{Requests, Waterfall};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Draws `lines` top-down into `area`, clipped to it (what a `Paragraph`
/// without wrapping does, without building one).
fn render_lines(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        buf.set_line(area.x, y, line, area.width);
    }
}

/// A number in SI steps: 9 200 000 → "9.20 M".
pub fn si(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.2} G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.2} M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.1} k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the widgets' tests.

    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::widgets::Widget;

    use crate::ui::theme::{Theme, ThemeName};

    /// The palette the tests draw with.
    pub fn theme() -> Theme {
        Theme::new(ThemeName::Dark, false)
    }

    /// Renders `w` into a `width`×`height` buffer and drops every style, so
    /// that the text can be compared with `Buffer::with_lines`.
    pub fn text_of<W>(w: W, width: u16, height: u16) -> Buffer
    where
        W: Widget,
    {
        let mut buf = styled(w, width, height);
        buf.set_style(buf.area, Style::reset());
        buf
    }

    /// Renders `w` into a `width`×`height` buffer, styles kept.
    pub fn styled<W: Widget>(w: W, width: u16, height: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        w.render(buf.area, &mut buf);
        buf
    }
}
