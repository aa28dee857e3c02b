use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::demos::DemoRequest;
use crate::trace::{Event, EventKind, LaneRole, Micros};
use crate::ui::theme::ThemeName;

fn apply(s: &mut RunState, t: u64, lane: u32, kind: EventKind) {
    s.apply(&Event {
        t_us: Micros::from_us(t),
        lane,
        kind,
    });
}

fn var(s: &mut RunState, t: u64, lane: u32, key: &str, value: &str) {
    let kind = EventKind::State {
        key: key.into(),
        value: value.into(),
    };
    apply(s, t, lane, kind);
}

fn lane(s: &mut RunState, id: u32, name: &str, unit: u64) {
    let role = if id == 0 {
        LaneRole::Main
    } else {
        LaneRole::Worker
    };
    apply(
        s,
        0,
        id,
        EventKind::LaneUp {
            name: name.into(),
            pid: None,
            role,
        },
    );
    let label = name.into();
    apply(s, 0, id, EventKind::Spawned { unit, label });
    apply(s, 0, id, EventKind::Started { unit });
}

/// A queue of 4 with two items in it; the producer waits on a full
/// queue at first, the consumer ends up waiting on an empty one.
fn queue_state() -> RunState {
    let mut s = RunState::new();
    lane(&mut s, 0, "MainThread", 1);
    lane(&mut s, 1, "Producer-1", 2);
    lane(&mut s, 2, "Consumer-1", 3);
    var(&mut s, 0, 0, "buffer.name", "queue");
    var(&mut s, 0, 0, "buffer.size", "4");
    for id in 1..=5u64 {
        let unit = ITEM_UNITS + id;
        apply(
            &mut s,
            id * 100_000,
            1,
            EventKind::Spawned {
                unit,
                label: format!("#{id}"),
            },
        );
        apply(
            &mut s,
            id * 100_000,
            1,
            EventKind::Progress { unit: 2, done: id },
        );
    }
    for id in 1..=3u64 {
        let (unit, value) = (ITEM_UNITS + id, "Consumer-1".into());
        apply(
            &mut s,
            600_000 + id * 50_000,
            2,
            EventKind::Progress { unit: 3, done: id },
        );
        apply(
            &mut s,
            600_000 + id * 50_000,
            2,
            EventKind::Finished { unit, value },
        );
    }
    var(&mut s, 800_000, 1, "buffer", "4 5");
    let on = BlockOn::Queue { name: FULL.into() };
    apply(&mut s, 800_000, 1, EventKind::Blocked { unit: 2, on });
    let on = BlockOn::Queue { name: EMPTY.into() };
    apply(&mut s, 900_000, 2, EventKind::Blocked { unit: 3, on });
    var(&mut s, 900_000, 0, "marks", "500000");
    var(&mut s, 900_000, 0, "rate.pipeline", "10.0");
    var(&mut s, 900_000, 0, "rate.queue", "15.0");
    apply(
        &mut s,
        1_000_000,
        0,
        EventKind::Progress { unit: 1, done: 0 },
    );
    s
}

fn drawn(name: &str, state: RunState, width: u16, height: u16) -> String {
    let theme = Theme::new(ThemeName::Dark, false);
    let mut pane = Pane::new(DemoRequest::new(name).unwrap());
    pane.state = state;
    let mut term = Terminal::new(TestBackend::new(width, height)).unwrap();
    term.draw(|f| crate::ui::panes::draw(f, f.area(), &pane, &theme, true))
        .unwrap();
    crate::ui::render::buffer_text(term.backend().buffer())
}

#[test]
fn the_pane_draws_the_slots_the_lanes_and_the_rates() {
    let text = drawn("queue", queue_state(), 90, 16);
    for want in [
        "5  produced",
        "3  consumed",
        "2  in queue",
        "3.0 items/s",
        "queue 2/4 [  4│  5│   │   ]",
        "put() waits: full 0.2 s",
        "get() waits: empty 0.1 s",
        "10.0 items/s pipeline · 15.0 items/s queue · queue ×1.50",
    ] {
        assert!(text.contains(want), "{want:?} missing from\n{text}");
    }
}

#[test]
fn the_release_mark_is_one_column_down_every_lane() {
    let text = drawn("queue", queue_state(), 90, 16);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.contains("Producer-1") || l.contains("Consumer-1") || l.contains("MainThread")
        })
        .collect();
    assert_eq!(rows.len(), 3);
    let cols: Vec<Option<usize>> = rows
        .iter()
        .map(|l| l.chars().skip(4).position(|c| c == '┃'))
        .collect();
    assert!(
        cols[0].is_some() && cols.iter().all(|c| *c == cols[0]),
        "{rows:#?}"
    );
}

#[test]
fn a_small_pane_keeps_the_lanes_and_drops_the_extras() {
    let text = drawn("queue", queue_state(), 60, 11);
    assert!(text.contains("Consumer-1"), "{text}");
    assert!(
        !text.contains("handled/s"),
        "no room for the throughput row:\n{text}"
    );
}

#[test]
fn a_join_is_drawn_j_a_wait_w_and_the_legend_names_them() {
    use crate::trace::BlockOn;
    let mut s = RunState::new();
    lane(&mut s, 0, "MainThread", 1);
    lane(&mut s, 1, "Thread-1", 2);
    let join = BlockOn::Task {
        name: "join() Thread-1".into(),
    };
    apply(&mut s, 10_000, 0, EventKind::Blocked { unit: 1, on: join });
    let wait = BlockOn::other("barrier.wait()");
    apply(&mut s, 10_000, 1, EventKind::Blocked { unit: 2, on: wait });
    apply(&mut s, 900_000, 1, EventKind::Progress { unit: 2, done: 0 });
    let text = drawn("sync", s, 90, 12);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} missing from\n{text}"))
            .to_string()
    };
    assert!(row("MainThread").contains("jjjj"), "{text}");
    assert!(row("barrier.wait()").contains("wwww"), "{text}");
    assert!(!text.contains('?'), "no unnamed wait left:\n{text}");
    assert!(
        text.contains("j join()") && text.contains("w wait()"),
        "{text}"
    );
}
