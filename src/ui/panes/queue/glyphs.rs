//! The queue pane's own names for the waits the shared time-line draws as
//! `?`: a thread waiting in `join()` for another (`j`) and one waiting in
//! a `wait()` on a barrier, an event or a timer (`w`); and the legend of
//! the symbols the pane's time-lines draw.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::trace::BlockOn;
use crate::trace::fold::{Activity, Lane};
use crate::ui::theme::Theme;
use crate::ui::widgets::Legend;
use crate::ui::widgets::timeline::activity_glyph;

/// What the shared time-line draws for a wait it has no letter for.
const UNNAMED: &str = "?";

/// The letter for a lane's unnamed waits: `j` when they are all joins,
/// `w` when they are all `wait()` calls, `None` (keep `?`) when the lane
/// has both or none.
pub fn wait_letter(lane: &Lane) -> Option<char> {
    let mut letter = None;
    let activities = lane.segments.iter().map(|s| &s.activity);
    for a in activities.chain([&lane.activity]) {
        let this = match a {
            Activity::Blocked(BlockOn::Task { .. }) => 'j',
            Activity::Blocked(BlockOn::Other { .. }) => 'w',
            _ => continue,
        };
        match letter {
            None => letter = Some(this),
            Some(l) if l == this => {}
            Some(_) => return None,
        }
    }
    letter
}

/// Writes each lane's letter over the `?` cells of its row of the
/// time-line drawn in `area` (row `i` has `letters[i]`, from
/// [`wait_letter`]).
pub fn name_waits(buf: &mut Buffer, area: Rect, letters: &[Option<char>]) {
    for (row, letter) in letters.iter().take(area.height as usize).enumerate() {
        let Some(letter) = *letter else {
            continue;
        };
        let y = area.y + row as u16;
        for x in area.x..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol() == UNNAMED {
                cell.set_char(letter);
            }
        }
    }
}

/// The symbols a lane's time-line may draw, each once.
pub fn drawn(lane: &Lane, theme: &Theme) -> Vec<char> {
    let mut seen: Vec<char> = Vec::new();
    let letter = wait_letter(lane);
    let activities = lane.segments.iter().map(|s| &s.activity);
    for a in activities.chain([&lane.activity]) {
        let mut ch = activity_glyph(a, theme).1;
        if ch == '?' {
            ch = letter.unwrap_or('?');
        }
        if !seen.contains(&ch) {
            seen.push(ch);
        }
    }
    seen
}

/// The symbols in `seen` (what the time-lines draw, from [`drawn`]) with
/// their meanings, in a fixed order: running first, then each kind of
/// wait drawn.
pub fn legend(seen: &[char], theme: &Theme) -> Legend<'static> {
    let items = [
        ('█', theme.running, "running"),
        ('▄', theme.running, "part of a slice"),
        ('░', theme.sleeping, "sleep"),
        ('L', theme.blocked_lock, "lock"),
        ('q', theme.blocked_lock, "queue"),
        ('S', theme.blocked_lock, "semaphore"),
        ('j', theme.blocked_lock, "join()"),
        ('w', theme.blocked_lock, "wait()"),
        ('?', theme.blocked_lock, "waiting"),
    ];
    let shown = items
        .into_iter()
        .filter(|(ch, ..)| matches!(ch, '█' | '▄') || seen.contains(ch));
    Legend::new(shown).style(theme.dim)
}
