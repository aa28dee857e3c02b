//! The LED boards pane and the generator stepper pane, drawn from fixed
//! event streams: what each shows at a wide and at a narrow size.

use racecourse::demos::DemoRequest;
use racecourse::trace::{Event, EventKind, Micros, RunState};
use racecourse::ui::pane::Pane;
use racecourse::ui::render::buffer_text;
use racecourse::ui::theme::{Theme, ThemeName};

fn draw(pane: &Pane, w: u16, h: u16) -> String {
    let theme = Theme::new(ThemeName::Dark, false);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| racecourse::ui::panes::draw(f, f.area(), pane, &theme, true))
        .unwrap();
    buffer_text(term.backend().buffer())
}

fn apply(s: &mut RunState, kind: EventKind) {
    s.apply(&Event {
        t_us: Micros::from_us(1000),
        lane: 0,
        kind,
    });
}

fn var(s: &mut RunState, key: &str, value: &str) {
    let (key, value) = (key.to_string(), value.to_string());
    apply(s, EventKind::State { key, value });
}

fn say(s: &mut RunState, text: &str) {
    apply(s, EventKind::Output { text: text.into() });
}

fn pane(demo: &str, mode: &str, state: RunState) -> Pane {
    let mut req = DemoRequest::new(demo).unwrap();
    req.set_mode(mode).unwrap();
    let mut p = Pane::new(req);
    p.state = state;
    p
}

/// Both boards, sensor 1 hot: the loop's red LED is on, the tasks' not yet.
fn boards() -> RunState {
    let mut s = RunState::new();
    var(&mut s, "led.boards", "loop,tasks");
    var(&mut s, "led.sensors", "1");
    var(&mut s, "led.threshold", "80");
    var(&mut s, "led.temp1", "90");
    var(&mut s, "loop.green", "on");
    var(&mut s, "loop.red", "on");
    var(&mut s, "loop.alarm", "1");
    var(&mut s, "tasks.green", "on");
    var(&mut s, "tasks.alarm", "1");
    say(&mut s, "loop   2.000 s  green on");
    say(&mut s, "loop   2.000 s  red on");
    say(&mut s, "loop   2.000 s  ALARM");
    say(&mut s, "tasks   2.000 s  ALARM");
    s
}

fn row_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no row with {text:?} in\n{screen}"))
}

#[test]
fn the_led_pane_puts_the_boards_side_by_side_when_wide() {
    let screen = draw(&pane("led", "both", boards()), 100, 16);
    let titles = row_with(&screen, "loop: one hand-written loop");
    assert!(titles.contains("tasks: one task per line"), "{screen}");
    let leds = row_with(&screen, "● green");
    let loop_at = leds
        .find("● green  ● red")
        .expect("the loop's red LED is on");
    let tasks_at = leds
        .find("● green  ○ red")
        .expect("the tasks' red LED is off");
    assert!(loop_at < tasks_at, "{leds}");
    assert!(
        row_with(&screen, "♪ alarms 1")
            .matches("♪ alarms 1")
            .count()
            == 2
    );
    let first = row_with(&screen, "2.000 s  green on");
    assert!(
        first.find("green on") < first.find("ALARM"),
        "each board's changes under it: {screen}"
    );
    assert!(row_with(&screen, "90°").contains("hot > 80°"));
}

#[test]
fn the_led_pane_stacks_the_boards_when_narrow() {
    let screen = draw(&pane("led", "both", boards()), 44, 20);
    let loop_row = screen
        .lines()
        .position(|l| l.contains("loop: one hand-written"));
    let tasks_row = screen
        .lines()
        .position(|l| l.contains("tasks: one task per"));
    assert!(loop_row < tasks_row && loop_row.is_some(), "{screen}");
    assert!(screen.contains("2.000 s  red on"), "{screen}");
}

fn countdown_after_two_steps() -> RunState {
    let mut s = RunState::new();
    var(&mut s, "gen.kind", "generator");
    var(
        &mut s,
        "gen.source",
        "def countdown(n):\n    print(f\"Counting down from {n}.\")\n    while n > 0:\n        yield n\n        n -= 1\n    print(\"Lift-off!\")",
    );
    for line in [
        "» countdown: GEN_CREATED",
        "» next() 1",
        "Counting down from 3.",
        "» yielded 3 at line 4, locals: n=3",
        "Generated value: 3",
        "» next() 2",
        "» yielded 2 at line 4, locals: n=2",
        "Generated value: 2",
    ] {
        say(&mut s, line);
    }
    var(&mut s, "gen.state", "GEN_SUSPENDED");
    var(&mut s, "gen.line", "4");
    var(&mut s, "gen.locals", "n=2");
    var(&mut s, "gen.step", "next() 2");
    var(&mut s, "gen.last", "yielded 2");
    s
}

#[test]
fn the_stepper_marks_the_suspended_line_and_logs_each_step() {
    for (w, h) in [(100, 16), (60, 24)] {
        let screen = draw(
            &pane("generator", "countdown", countdown_after_two_steps()),
            w,
            h,
        );
        assert!(
            row_with(&screen, "▶").contains("yield n"),
            "{w}x{h}\n{screen}"
        );
        assert_eq!(screen.matches('▶').count(), 1, "{screen}");
        assert!(screen.contains("locals n=2"), "{screen}");
        assert!(
            screen.contains("» yielded 2 at line 4, locals: n=2"),
            "{screen}"
        );
        assert!(
            !screen.contains("» next() 2"),
            "the step line names the call: {screen}"
        );
        let code = screen.lines().position(|l| l.contains("def countdown"));
        let log = screen
            .lines()
            .position(|l| l.contains("Generated value: 2"));
        if w < 70 {
            assert!(code < log, "the log under the code when narrow: {screen}");
        } else {
            assert_eq!(
                code,
                screen
                    .lines()
                    .position(|l| l.contains("» countdown: GEN_CREATED"))
            );
        }
    }
}
