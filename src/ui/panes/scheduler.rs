//! The scheduler pane: each thread's code with its next step marked, the
//! shared variables and each thread's locals, who can step, the goal and
//! the keys. It reads the run's `State` events (`RunState::vars`) only.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::demos::scheduler::program::{Op, Program};
use crate::ui::lesson::wrap::truncate;
use crate::ui::pane::{Pane, Phase};
use crate::ui::theme::Theme;
use crate::ui::widgets::ThreadCode;

/// Draws the scheduler pane into `area` (inside the frame).
pub fn draw(frame: &mut Frame, area: Rect, pane: &Pane, theme: &Theme) {
    let Some(program) = Program::named(&pane.request.text("program")) else {
        return;
    };
    let vars = &pane.state.vars;
    let codes: Vec<ThreadCode> = (0..program.thread_count())
        .map(|i| thread_code(program, i, vars, theme))
        .collect();
    let code_full = codes.iter().map(ThreadCode::full_height).max().unwrap_or(1);
    // Without the Python line above the steps: title, steps, locals.
    let code_min = code_full.saturating_sub(1);
    let fits = |notes: &[Line], code: u16| 1 + code + rows(notes) <= area.height;
    let mut notes = notes(pane, program, theme, area.width, false);
    if !fits(&notes, code_full) {
        notes = self::notes(pane, program, theme, area.width, true);
    }
    let code_h = if fits(&notes, code_full) {
        code_full
    } else {
        code_min
    };
    // Spare rows go between the parts, one each, when there are some.
    let spare = area.height.saturating_sub(code_h + rows(&notes) + 1);
    let gap = u16::from(spare >= 3);
    let [head, _, code_area, _, notes_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(gap),
        Constraint::Length(code_h),
        Constraint::Length(gap),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(heading(program, vars, theme, area.width), head);
    let columns = Layout::horizontal(vec![Constraint::Fill(1); codes.len()])
        .spacing(2)
        .split(code_area);
    for (code, column) in codes.iter().zip(columns.iter()) {
        frame.render_widget(code, *column);
    }
    for (line, y) in notes.iter().zip(notes_area.top()..notes_area.bottom()) {
        frame.render_widget(
            line,
            Rect {
                y,
                height: 1,
                ..notes_area
            },
        );
    }
}

fn rows(lines: &[Line]) -> u16 {
    u16::try_from(lines.len()).unwrap_or(u16::MAX)
}

fn var<'v>(vars: &'v BTreeMap<String, String>, key: &str) -> Option<&'v str> {
    vars.get(key).map(String::as_str)
}

/// `program lost-update · goal: lose an update`.
fn heading(
    program: &Program,
    vars: &BTreeMap<String, String>,
    theme: &Theme,
    width: u16,
) -> Line<'static> {
    let (mark, style) = match var(vars, "goal") {
        Some("met") => ("  ✓ reached", theme.ok),
        Some("missed") => ("  ✗ not reached", theme.warning),
        _ => ("", theme.dim),
    };
    let text = format!("goal: {}", program.goal.text());
    let left = usize::from(width).saturating_sub(mark.chars().count());
    Line::from(vec![
        Span::styled(truncate(&text, left), theme.heading),
        Span::styled(mark, style),
    ])
}

/// Thread `i`'s code, as the run last reported it (before a run: at its
/// first line, nothing loaded).
fn thread_code<'p>(
    program: &'p Program,
    i: usize,
    vars: &BTreeMap<String, String>,
    theme: &Theme,
) -> ThreadCode<'p> {
    let t = i + 1;
    let lines = program.threads[i];
    let pc = var(vars, &format!("thread.{t}.pc"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let status = var(vars, &format!("thread.{t}.status")).unwrap_or("ready");
    let (text, style, next) = match status {
        "blocked" => {
            let lock = match lines.get(pc).map(|l| l.op) {
                Some(Op::Acquire(l)) => program.locks[l],
                _ => "a lock",
            };
            let next = theme.blocked_lock.add_modifier(Modifier::REVERSED);
            (format!("blocked on {lock}"), theme.blocked_lock, next)
        }
        "done" => ("done".to_string(), theme.finished, theme.finished),
        _ => (format!("can step (key {t})"), theme.running, theme.selected),
    };
    let mut locals = Vec::new();
    if lines.iter().any(|l| l.op == Op::Load) {
        let tmp = var(vars, &format!("thread.{t}.tmp")).unwrap_or("–");
        locals.push(format!("local tmp = {tmp}"));
    }
    let me = format!("thread {t}");
    let held: Vec<&str> = program
        .locks
        .iter()
        .copied()
        .filter(|name| var(vars, &format!("lock.{name}")) == Some(me.as_str()))
        .collect();
    if !held.is_empty() {
        locals.push(format!("holds {}", held.join(", ")));
    }
    ThreadCode::new(
        format!("thread {t}"),
        lines.iter().map(|l| l.code).collect(),
        pc,
    )
    .status(text, style)
    .python(program.python[i])
    .locals(locals.join(" · "))
    .styles(theme.strong, theme.text, theme.dim, next)
}

/// Under the code: the shared variables, the verdict, the step refused,
/// the moves so far and the keys (`compact`: the last two on one line, and
/// the refusal left out once the goal is decided).
fn notes(
    pane: &Pane,
    program: &Program,
    theme: &Theme,
    width: u16,
    compact: bool,
) -> Vec<Line<'static>> {
    let vars = &pane.state.vars;
    let w = usize::from(width);
    let mut shared = vec![
        Span::styled("shared  ", theme.dim),
        Span::styled(
            format!("counter = {}", var(vars, "counter").unwrap_or("0")),
            theme.strong,
        ),
    ];
    for name in program.locks {
        let holder = var(vars, &format!("lock.{name}")).unwrap_or("free");
        let style = if holder == "free" {
            theme.text
        } else {
            theme.blocked_lock
        };
        shared.push(Span::raw("   "));
        shared.push(Span::styled(format!("{name}: {holder}"), style));
    }
    let mut lines = vec![Line::from(shared)];
    let goal = var(vars, "goal");
    let verdict = var(vars, "verdict").filter(|_| goal.is_some_and(|g| g != "open"));
    match (goal, verdict) {
        (Some("met"), Some(v)) => lines.push(styled(&format!("✓ {v}"), theme.ok, w)),
        (_, Some(v)) => lines.push(styled(&format!("✗ {v}"), theme.warning, w)),
        _ => {}
    }
    if let Some(why) = var(vars, "refused").filter(|v| !v.is_empty())
        && !(compact && verdict.is_some())
    {
        lines.push(styled(&format!("refused: {why}"), theme.warning, w));
    }
    if let Some(Err(e)) = pane.outcome.as_ref().map(|o| &o.result) {
        lines.push(styled(&format!("stopped: {e}"), theme.error, w));
    }
    let moves = var(vars, "moves")
        .filter(|m| !m.is_empty())
        .unwrap_or("none");
    let keys = keys_text(pane, program, goal);
    if compact {
        let text = format!("moves {moves} · {keys}");
        lines.push(styled(&text, theme.status_key, w));
    } else {
        lines.push(styled(&format!("moves: {moves}"), theme.dim, w));
        lines.push(styled(&keys, theme.status_key, w));
    }
    lines
}

fn styled(text: &str, style: Style, width: usize) -> Line<'static> {
    Line::styled(truncate(text, width), style)
}

/// What the keys do now.
fn keys_text(pane: &Pane, program: &Program, goal: Option<&str>) -> String {
    let steps: Vec<String> = (1..=program.thread_count())
        .map(|t| t.to_string())
        .collect();
    let steps = steps.join(" ");
    let ok = pane.outcome.as_ref().is_some_and(|o| o.result.is_ok());
    match pane.phase() {
        Phase::Ready => format!("keys: {steps} step a thread"),
        Phase::Running | Phase::Paused => format!("keys: {steps} step a thread · r restart"),
        Phase::Done if ok && goal != Some("open") => "no thread can step: r restarts".into(),
        Phase::Done if ok => format!("the schedule has ended · r restarts · {steps} step a thread"),
        Phase::Done => "r restarts".into(),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::demos::DemoRequest;
    use crate::demos::scheduler::folded;
    use crate::ui::pane::Pane;
    use crate::ui::render::buffer_text;
    use crate::ui::theme::{Theme, ThemeName};

    fn drawn(program: &str, schedule: &str, w: u16, h: u16) -> String {
        let mut req = DemoRequest::new("scheduler").unwrap();
        req.set("program", program).unwrap();
        let mut pane = Pane::new(req);
        pane.state = folded(program, schedule).unwrap();
        let theme = Theme::new(ThemeName::Dark, false);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| super::draw(f, f.area(), &pane, &theme))
            .unwrap();
        buffer_text(term.backend().buffer())
    }

    #[test]
    fn before_any_step_both_threads_can_take_their_first() {
        let text = drawn("lost-update", "", 60, 12);
        assert!(text.contains("goal: lose an update"), "{text}");
        assert_eq!(text.matches("▶ tmp = counter").count(), 2, "{text}");
        assert!(text.contains("can step (key 1)") && text.contains("can step (key 2)"));
        assert!(text.contains("shared  counter = 0"), "{text}");
    }

    #[test]
    fn a_thread_holding_the_lock_blocks_the_other_even_on_a_small_pane() {
        // 76×11: the pane's inside on an 80×24 screen.
        let text = drawn("locked", "1,1,2", 76, 11);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 11);
        assert!(lines[1].contains("thread 2 · blocked on lock"), "{text}");
        assert!(text.contains("✓ tmp = counter"), "{text}");
        assert!(text.contains("lock: thread 1"), "{text}");
        assert!(text.contains("refused: thread 2 is blocked"), "{text}");
        assert!(lines[10].contains("moves 1,1,2"), "the moves fit: {text}");
    }

    #[test]
    fn the_reached_goal_is_ticked() {
        let text = drawn("deadlock", "1,2", 76, 11);
        assert!(text.contains("✓ reached"), "{text}");
        assert!(text.contains("✓ deadlock: no thread can step"), "{text}");
        assert!(
            text.contains("holds a") && text.contains("holds b"),
            "{text}"
        );
        let text = drawn("lost-update", "1,1,1,2,2,2", 76, 11);
        assert!(text.contains("✗ not reached"), "{text}");
        assert!(text.contains("no update lost: counter = 2, expected 2"));
    }
}
