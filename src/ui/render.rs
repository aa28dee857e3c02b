//! `racecourse render`: one screen as plain text, no terminal needed.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::ui::app::App;
use crate::ui::draw;

/// Draws the app once at `width`×`height` and returns the buffer.
pub fn render_buffer(app: &App, width: u16, height: u16) -> anyhow::Result<Buffer> {
    let mut term = Terminal::new(TestBackend::new(width, height))?;
    if !app.live {
        app.highlight_now();
    }
    term.draw(|f| draw::draw(f, app))?;
    Ok(term.backend().buffer().clone())
}

/// The buffer's text, one line per row, trailing spaces trimmed.
pub fn buffer_text(buf: &Buffer) -> String {
    area_text(buf, buf.area)
}

/// The text of `area` in the buffer, one line per row, trailing spaces
/// trimmed; a wide symbol's continuation cells are skipped.
pub fn area_text(buf: &Buffer, area: ratatui::layout::Rect) -> String {
    let mut out = String::new();
    for y in area.y..area.y + area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.x..area.x + area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The pane alone drawn into a `width`×`height` screen, nothing else drawn
/// (cheaper than a whole frame); empty when the screen has no room for it.
pub fn pane_only_text(app: &App, width: u16, height: u16) -> anyhow::Result<String> {
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let Some(rect) = draw::areas(area, app).pane else {
        return Ok(String::new());
    };
    let mut term = Terminal::new(TestBackend::new(width, height))?;
    if let Some(p) = app.pane.as_ref() {
        term.draw(|f| crate::ui::panes::draw(f, rect, p, &app.theme, false))?;
    }
    Ok(area_text(term.backend().buffer(), rect))
}
