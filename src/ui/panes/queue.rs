//! The queue pane: threads that meet at one shared object. The buffer's
//! slots (a queue's items, a semaphore's permits, a barrier's parties)
//! or a gate (an event, a timer); each thread as a lane with what it is
//! doing or waiting for and its time-line, vertical lines at releases;
//! throughput over time and the pipeline against the queue.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{common, headline};
use crate::demos::queue::{EMPTY, FULL, ITEM_UNITS};
use crate::trace::fold::{Activity, Lane};
use crate::trace::{BlockOn, LaneId, RunState};
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::Pane;
use crate::ui::theme::{Theme, ThemeName};
use crate::ui::widgets::{Figure, Figures, Slots, Throughput, TimeMarks, Timeline};

/// Columns of a lane's name.
const NAME: u16 = 12;
/// Columns of a lane's count.
const COUNT: u16 = 5;
/// Narrower than this, lanes' states get the whole width and the
/// time-lines go under them.
const STACK_BELOW: u16 = 72;

/// Draws the queue pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let area = common::header(frame, area, pane, theme);
    // Large figures on top when the pane has rows to spare.
    let whole = area;
    let area = headline::big_top(frame, area, &headline::of(pane, theme, None), 22);
    // The large figures already give the elapsed time.
    let big = area != whole;
    let s = &pane.state;
    // Worked out once per event, not once per frame.
    let facts = s.derived(|s| Facts::of(s, theme));
    let queue = pane.request.name() == "queue";
    let mut lanes: Vec<&Lane> = s.lanes.values().collect();
    // Wrapped rather than cut where the pane has rows for it.
    let each = if area.height >= 20 { 2 } else { 1 };
    let mut notes = common::warning_lines(pane, theme, area.width, 2, each);
    notes.extend(common::outcome_lines(pane, theme, area.width, each));
    let slots = s.vars.contains_key("buffer.size");
    let gate = s.vars.contains_key("gate");
    let top = 1 + u16::from(slots) + u16::from(gate);
    let rates = rates_lines(s, theme, area.width);
    let fixed = top + notes.len() as u16;
    let room = area.height.saturating_sub(fixed);
    if lanes.len() > room as usize {
        // Short of rows: the threads at the object matter more than main.
        lanes.retain(|l| l.id != 0);
    }
    // A narrow pane gives each lane's state its whole width, with the
    // time-lines under the table, when it has the rows.
    let n = (lanes.len() as u16).max(1);
    let stacked = area.width < STACK_BELOW && room >= 2 * n + 4;
    let lane_rows = if stacked { 2 * n + 1 } else { n.min(room) };
    let mut spare = room - lane_rows;
    let tput = queue && spare > 0;
    spare -= u16::from(tput);
    let compare = (rates.len() as u16).min(spare);
    spare -= compare;
    let mut seen: Vec<char> = Vec::new();
    for lane in &lanes {
        for &ch in facts.lane(lane.id).map_or(&[][..], |f| &f.drawn) {
            if !seen.contains(&ch) {
                seen.push(ch);
            }
        }
    }
    let key = glyphs::legend(&seen, theme);
    let legend_w = area.width.saturating_sub(if stacked { 0 } else { NAME });
    let legend_rows = if lanes.is_empty() {
        0
    } else {
        key.height(legend_w).min(spare).min(2)
    };
    let [
        fig,
        slot_row,
        gate_row,
        lane_area,
        legend_row,
        tput_row,
        rate_row,
        note_rows,
    ] = common::stack(
        area,
        [
            1,
            u16::from(slots),
            u16::from(gate),
            lane_rows,
            legend_rows,
            u16::from(tput),
            compare,
            notes.len() as u16,
        ],
    );
    let mut figures = if queue {
        queue_figures(pane)
    } else {
        sync_figures(pane)
    };
    if big {
        figures.retain(|f| f.label() != "elapsed");
    }
    frame.render_widget(
        &Figures::new(figures)
            .value_style(theme.big)
            .style(theme.dim),
        fig,
    );
    if slots {
        let size = var_num(s, "buffer.size").unwrap_or(0);
        let name = s.vars.get("buffer.name").map_or("buffer", String::as_str);
        let items = s
            .vars
            .get("buffer")
            .map(|b| b.split(' ').collect::<Vec<_>>());
        let widget = Slots::new(name, size as usize, items.unwrap_or_default())
            .style(theme.text)
            .filled(theme.running)
            .empty(theme.idle);
        frame.render_widget(&widget, slot_row);
    }
    if gate {
        frame.render_widget(gate_line(s, theme), gate_row);
    }
    draw_lanes(frame, lane_area, pane, &lanes, &facts, stacked, theme);
    if legend_rows > 0 {
        let at = Rect {
            x: legend_row.x + legend_row.width - legend_w,
            width: legend_w,
            ..legend_row
        };
        frame.render_widget(&key, at);
    }
    if tput {
        let ends = facts.ends.clone();
        let rate = ends.len() as f64 / (s.now_us as f64 / 1e6).max(1e-9);
        let widget = Throughput::new("handled/s", ends, s.now_us, format!("{rate:.1} items/s"))
            .label_width(NAME)
            .style(theme.dim)
            .bars(theme.running);
        frame.render_widget(&widget, tput_row);
    }
    if compare > 0 {
        frame.render_widget(Paragraph::new(rates), rate_row);
    }
    frame.render_widget(Paragraph::new(notes), note_rows);
}

/// What the pane reads from every unit and every segment of every lane.
#[derive(Debug)]
struct Facts {
    /// When each item ended, µs.
    ends: Vec<u64>,
    lanes: BTreeMap<LaneId, LaneFacts>,
    /// The lanes' time-lines as last drawn, for [`draw_timelines`].
    drawn: Mutex<Option<Drawn>>,
}

/// What a lane's segments say.
#[derive(Debug)]
struct LaneFacts {
    /// The letter of its unnamed waits ([`glyphs::wait_letter`]).
    letter: Option<char>,
    /// The symbols its time-line draws ([`glyphs::drawn`]).
    drawn: Vec<char>,
    /// What it waited for longest, and for how long (µs).
    longest: Option<(String, u64)>,
}

/// Time-lines drawn into a buffer of their own, for a width, lanes and a
/// theme.
#[derive(Debug)]
struct Drawn {
    key: (u16, Vec<LaneId>, ThemeName, bool),
    buf: Buffer,
}

impl Facts {
    fn of(s: &RunState, theme: &Theme) -> Facts {
        let ends = s
            .units
            .iter()
            .filter(|u| u.id >= ITEM_UNITS)
            .filter_map(|u| u.ended_us)
            .collect();
        let lanes = s
            .lanes
            .values()
            .map(|l| {
                let facts = LaneFacts {
                    letter: glyphs::wait_letter(l),
                    drawn: glyphs::drawn(l, theme),
                    // Said only once the lane is down.
                    longest: (l.activity == Activity::Down)
                        .then(|| longest_wait(l))
                        .flatten(),
                };
                (l.id, facts)
            })
            .collect();
        Facts {
            ends,
            lanes,
            drawn: Mutex::new(None),
        }
    }

    fn lane(&self, id: LaneId) -> Option<&LaneFacts> {
        self.lanes.get(&id)
    }
}

fn var_num(s: &RunState, key: &str) -> Option<u64> {
    s.vars.get(key)?.parse().ok()
}

/// Items made and handled, what the buffer holds, the rate.
fn queue_figures(pane: &Pane) -> Vec<Figure<'static>> {
    let s = &pane.state;
    let sum = |prefix: &str| -> u64 {
        s.lanes
            .values()
            .filter(|l| l.name.starts_with(prefix))
            .map(|l| l.done)
            .sum()
    };
    let (made, handled) = (sum("Producer"), sum("Consumer"));
    let left = s
        .vars
        .get("buffer")
        .map_or(0, |b| b.split(' ').filter(|w| *w != "end").count());
    let inside = match s.vars.get("buffer.name").map(String::as_str) {
        Some("pipeline") => "in pipeline",
        _ => "in queue",
    };
    vec![
        Figure::new(made.to_string(), "produced"),
        Figure::new(handled.to_string(), "consumed"),
        Figure::new(left.to_string(), inside),
        Figure::new(format!("{:.2} s", pane.elapsed_s()), "elapsed"),
    ]
}

/// Elapsed time, and the figure the object is about.
fn sync_figures(pane: &Pane) -> Vec<Figure<'static>> {
    let s = &pane.state;
    let mut f = vec![Figure::new(format!("{:.2} s", pane.elapsed_s()), "elapsed")];
    let permits = s.vars.get("buffer.name").is_some_and(|n| n == "permits");
    if let Some(most) = var_num(s, "most").filter(|_| permits) {
        f.push(Figure::new(most.to_string(), "most inside at once"));
    }
    let marks = s.vars.get("marks").map_or(0, |m| m.split(' ').count());
    if marks > 0 {
        f.push(Figure::new(marks.to_string(), "release(s)"));
    }
    f
}

/// `event: set`, `timer: waiting · fires in 1.8 s`.
fn gate_line<'a>(s: &RunState, theme: &Theme) -> Line<'a> {
    let text = s.vars.get("gate").cloned().unwrap_or_default();
    let mut spans = vec![Span::styled(text, theme.strong)];
    if let Some(at) = var_num(s, "gate.deadline") {
        let left = at.saturating_sub(s.now_us) as f64 / 1e6;
        spans.push(Span::styled(
            format!(" · fires in {left:.1} s"),
            theme.warning,
        ));
    }
    Line::from(spans)
}

/// `measured  18.2 items/s pipeline · 24.3 items/s queue · queue ×1.34`,
/// from the runs' own measurements.
/// The measured rates, and the queue's against the pipeline's on a row of
/// its own when one row is too narrow for all three.
fn rates_lines<'a>(s: &RunState, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let rate = |k: &str| s.vars.get(k).and_then(|v| v.parse::<f64>().ok());
    let (p, q) = (rate("rate.pipeline"), rate("rate.queue"));
    if p.is_none() && q.is_none() {
        return Vec::new();
    }
    let mut spans = vec![Span::styled(
        format!("{:<w$}", "measured", w = NAME as usize),
        theme.dim,
    )];
    if let Some(p) = p {
        spans.push(Span::styled(
            format!("{p:.1} items/s pipeline"),
            theme.strong,
        ));
    }
    if let Some(q) = q {
        let sep = if p.is_some() { " · " } else { "" };
        spans.push(Span::styled(
            format!("{sep}{q:.1} items/s queue"),
            theme.strong,
        ));
    }
    let mut lines = vec![Line::from(spans)];
    if let (Some(p), Some(q)) = (p, q)
        && p > 0.0
    {
        let ratio = format!("queue ×{:.2}", q / p);
        if lines[0].width() + 3 + ratio.chars().count() <= width as usize {
            lines[0]
                .spans
                .push(Span::styled(format!(" · {ratio}"), theme.ok));
        } else {
            let pad = " ".repeat(NAME as usize);
            lines.push(Line::from(vec![
                Span::raw(pad),
                Span::styled(ratio, theme.ok),
            ]));
        }
    }
    lines
}

/// The lanes: name, state and count on a row each, the time-lines beside
/// them, or, `stacked`, under them (a title row, then a row per lane).
fn draw_lanes(
    frame: &mut Frame,
    area: Rect,
    pane: &Pane,
    lanes: &[&Lane],
    facts: &Facts,
    stacked: bool,
    theme: &Theme,
) {
    let s = &pane.state;
    if lanes.is_empty() {
        let hint = Line::styled("no threads yet: Enter runs the example", theme.dim);
        frame.render_widget(hint, area);
        return;
    }
    let w = area.width;
    let rest = w.saturating_sub(NAME + COUNT);
    let (status_w, line_w) = if stacked {
        (rest, 0)
    } else if rest >= 30 {
        let sw = (rest * 11 / 20).clamp(18, 34);
        (sw, rest - sw - 1)
    } else {
        (rest, 0)
    };
    let selected = pane.selected();
    for (row, lane) in lanes.iter().take(area.height as usize).enumerate() {
        let y = area.y + row as u16;
        let mark = if Some(lane.id) == selected {
            "▸"
        } else {
            " "
        };
        let name = truncate(&format!("{mark}{}", lane.name), NAME as usize - 1);
        let longest = facts.lane(lane.id).and_then(|f| f.longest.as_ref());
        let (status, style) = status(s, lane, longest, theme);
        let status = truncate(&status, status_w as usize);
        let line = Line::from(vec![
            Span::styled(format!("{name:<n$}", n = NAME as usize), theme.text),
            Span::styled(format!("{status:<sw$}", sw = status_w as usize), style),
            Span::styled(format!("{:>c$}", lane.done, c = COUNT as usize), theme.dim),
        ]);
        frame.render_widget(line, Rect::new(area.x, y, NAME + status_w + COUNT, 1));
    }
    let n = lanes.len() as u16;
    let tl_area = if stacked && area.height > n + 1 {
        // The axis over the lanes' names, then each lane's cells.
        let below = Rect::new(area.x, area.y + n, w, area.height - n);
        let no_rows = std::iter::empty::<(&str, &Lane)>();
        let title = Timeline::new(no_rows, s.now_us, theme)
            .label_width(NAME)
            .title("time-line", true)
            .title_style(theme.dim);
        frame.render_widget(&title, Rect { height: 1, ..below });
        for (i, lane) in lanes.iter().enumerate().take(below.height as usize - 1) {
            let at = Rect::new(below.x, below.y + 1 + i as u16, NAME, 1);
            let name = truncate(&lane.name, NAME as usize - 1);
            frame.render_widget(Line::styled(name, theme.text), at);
        }
        Rect::new(
            below.x + NAME,
            below.y + 1,
            w.saturating_sub(NAME),
            below.height - 1,
        )
    } else if line_w > 0 {
        Rect::new(area.x + w - line_w, area.y, line_w, area.height)
    } else {
        return;
    };
    draw_timelines(frame.buffer_mut(), tl_area, s, lanes, facts, theme);
    let marks = s
        .vars
        .get("marks")
        .map(|m| {
            m.split(' ')
                .filter_map(|t| t.parse().ok())
                .collect::<Vec<u64>>()
        })
        .unwrap_or_default();
    let rows = (lanes.len() as u16).min(area.height);
    let marks_area = Rect::new(tl_area.x, tl_area.y, tl_area.width, rows);
    let widget = TimeMarks::new(marks, s.now_us)
        .label_width(0)
        .style(theme.warning);
    frame.render_widget(&widget, marks_area);
}

/// The lanes' time-lines (their unnamed waits named), drawn once per event
/// and width: a frame with no new event copies them.
fn draw_timelines(
    buf: &mut Buffer,
    area: Rect,
    s: &RunState,
    lanes: &[&Lane],
    facts: &Facts,
    theme: &Theme,
) {
    let area = area.intersection(buf.area);
    let ids: Vec<LaneId> = lanes.iter().map(|l| l.id).collect();
    let key = (area.width, ids, theme.name, theme.mono);
    let rows = (lanes.len() as u16).min(area.height);
    let mut drawn = facts.drawn.lock().unwrap_or_else(PoisonError::into_inner);
    if drawn
        .as_ref()
        .is_none_or(|d| d.key != key || d.buf.area.height < rows)
    {
        let at = Rect::new(0, 0, area.width, rows);
        let mut own = Buffer::empty(at);
        let rows = lanes.iter().map(|l| ("", *l));
        let timeline = Timeline::new(rows, s.now_us, theme).label_width(0);
        (&timeline).render(at, &mut own);
        let letters: Vec<Option<char>> = lanes
            .iter()
            .map(|l| facts.lane(l.id).and_then(|f| f.letter))
            .collect();
        glyphs::name_waits(&mut own, at, &letters);
        *drawn = Some(Drawn { key, buf: own });
    }
    let Some(d) = drawn.as_ref() else {
        return;
    };
    for y in 0..rows {
        for x in 0..area.width {
            buf[(area.x + x, area.y + y)] = d.buf[(x, y)].clone();
        }
    }
}

/// What a lane does or waits for, in the object's own words; `longest`
/// is what it waited for longest ([`longest_wait`]).
fn status(
    s: &RunState,
    lane: &Lane,
    longest: Option<&(String, u64)>,
    theme: &Theme,
) -> (String, Style) {
    let doing = s.vars.get(&format!("doing.{}", lane.id));
    let waited = s.now_us.saturating_sub(lane.since_us) as f64 / 1e6;
    match &lane.activity {
        Activity::Blocked(on) => (format!("{} {waited:.1} s", waiting(on)), theme.blocked_lock),
        Activity::Running => (
            doing.cloned().unwrap_or_else(|| "running".into()),
            theme.running,
        ),
        Activity::Idle => (doing.cloned().unwrap_or_else(|| "idle".into()), theme.idle),
        Activity::Down => {
            let (text, style) = match doing {
                Some(d) if d.starts_with("died") => (d.clone(), theme.failed),
                Some(d) => (d.clone(), theme.cancelled),
                None => (
                    lane.epitaph.clone().unwrap_or_else(|| "ended".into()),
                    theme.finished,
                ),
            };
            match longest {
                Some((what, us)) => (format!("{text}, {what} {:.1} s", *us as f64 / 1e6), style),
                None => (text, style),
            }
        }
    }
}

/// What the lane waited for longest in all, and for how long (µs): who
/// waited, once the run is over.
fn longest_wait(lane: &Lane) -> Option<(String, u64)> {
    // By wait first (no name made per segment), then by name: two waits
    // can share one (`full`).
    let mut waits: Vec<(&BlockOn, u64)> = Vec::new();
    for seg in &lane.segments {
        let Activity::Blocked(on) = &seg.activity else {
            continue;
        };
        let span = seg.to_us.saturating_sub(seg.from_us);
        match waits.iter_mut().find(|(w, _)| *w == on) {
            Some((_, t)) => *t += span,
            None => waits.push((on, span)),
        }
    }
    let mut totals: Vec<(String, u64)> = Vec::new();
    for (on, span) in waits {
        let what = wait_name(on);
        match totals.iter_mut().find(|(w, _)| *w == what) {
            Some((_, t)) => *t += span,
            None => totals.push((what, span)),
        }
    }
    totals
        .into_iter()
        .filter(|(_, t)| *t > 0)
        .max_by_key(|(_, t)| *t)
}

/// A wait in one word or call: `full`, `empty`, `barrier.wait()`.
fn wait_name(on: &BlockOn) -> String {
    match on {
        BlockOn::Queue { name } => name.clone(),
        BlockOn::Lock { name } if name == "producer_lock" => FULL.into(),
        BlockOn::Lock { name } if name == "consumer_lock" => EMPTY.into(),
        BlockOn::Semaphore { name } => format!("{name}.acquire()"),
        other => other.label(),
    }
}

/// A wait as the lane row says it: which call, and why it waits.
fn waiting(on: &BlockOn) -> String {
    match on {
        BlockOn::Queue { name } if name == FULL => "put() waits: full".into(),
        BlockOn::Queue { name } if name == EMPTY => "get() waits: empty".into(),
        BlockOn::Lock { name } if name == "producer_lock" => "producer_lock: full".into(),
        BlockOn::Lock { name } if name == "consumer_lock" => "consumer_lock: empty".into(),
        BlockOn::Semaphore { name } => format!("{name}.acquire() waits"),
        other => other.label(),
    }
}

mod glyphs;
#[cfg(test)]
mod tests;
