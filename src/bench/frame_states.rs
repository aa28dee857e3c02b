//! Folded states for the frame benchmark's LED and stepper panes: long
//! runs, so that a frame's cost over a big trace is what is measured.

use crate::trace::{Event, EventKind, Micros, RunState};

fn state(s: &mut RunState, key: &str, value: &str) {
    s.apply(&Event {
        t_us: Micros::ZERO,
        lane: 0,
        kind: EventKind::State {
            key: key.into(),
            value: value.into(),
        },
    });
}

fn say(s: &mut RunState, text: String) {
    s.apply(&Event {
        t_us: Micros::ZERO,
        lane: 0,
        kind: EventKind::Output { text },
    });
}

/// Both LED boards after `changes` changes each, two sensors.
pub fn led_boards(changes: u64) -> RunState {
    let mut s = RunState::new();
    state(&mut s, "led.boards", "loop,tasks");
    state(&mut s, "led.sensors", "2");
    state(&mut s, "led.threshold", "80");
    state(&mut s, "led.temp1", "90");
    state(&mut s, "led.temp2", "40");
    for i in 0..changes {
        for board in ["loop", "tasks"] {
            let on = if i % 2 == 0 { "on" } else { "off" };
            state(&mut s, &format!("{board}.red"), on);
            state(&mut s, &format!("{board}.alarm"), &(i / 10).to_string());
            say(
                &mut s,
                format!("{board} {:>7.3} s  red {on}", i as f64 / 10.0),
            );
        }
    }
    s
}

/// A countdown stepped `steps` times, its log full.
pub fn stepper(steps: u64) -> RunState {
    let mut s = RunState::new();
    state(&mut s, "gen.kind", "generator");
    state(
        &mut s,
        "gen.source",
        crate::demos::generator::pygen::COUNTDOWN,
    );
    for i in 1..=steps {
        say(&mut s, format!("» next() {i}"));
        say(&mut s, format!("» yielded {i} at line 4, locals: n={i}"));
        say(&mut s, format!("Generated value: {i}"));
    }
    state(&mut s, "gen.state", "GEN_SUSPENDED");
    state(&mut s, "gen.line", "4");
    state(&mut s, "gen.locals", "n=1");
    state(&mut s, "gen.step", &format!("next() {steps}"));
    state(&mut s, "gen.last", "yielded 1");
    s
}
