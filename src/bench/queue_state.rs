//! A busy run of the `queue` example, for the frame benchmark: four
//! producers and four consumers through a full queue, every item a unit.

use crate::demos::queue::{EMPTY, FULL, ITEM_UNITS};
use crate::trace::{BlockOn, Event, EventKind, LaneId, LaneRole, Micros, RunState};

/// `items` items made by `producers` and handled by `consumers`, 1 ms
/// apart, with the lanes switching between work and waits on the queue,
/// the buffer full, and a release mark.
pub fn synthetic_queue(items: u64, producers: u32, consumers: u32) -> RunState {
    let mut s = RunState::new();
    let lanes = producers + consumers;
    for lane in 0..=lanes {
        let (name, role) = match lane {
            0 => ("MainThread".to_string(), LaneRole::Main),
            l if l <= producers => (format!("Producer-{l}"), LaneRole::Worker),
            l => (format!("Consumer-{}", l - producers), LaneRole::Worker),
        };
        apply(
            &mut s,
            0,
            lane,
            EventKind::LaneUp {
                name,
                pid: None,
                role,
            },
        );
        let unit = u64::from(lane) + 1;
        apply(
            &mut s,
            0,
            lane,
            EventKind::Spawned {
                unit,
                label: "thread".into(),
            },
        );
        apply(&mut s, 0, lane, EventKind::Started { unit });
    }
    let state = |key: &str, value: String| EventKind::State {
        key: key.into(),
        value,
    };
    apply(&mut s, 0, 0, state("buffer.name", "queue".into()));
    apply(&mut s, 0, 0, state("buffer.size", "64".into()));
    for id in 1..=items {
        let maker: LaneId = 1 + u32::try_from(id % u64::from(producers.max(1))).unwrap_or(0);
        let taker: LaneId =
            producers + 1 + u32::try_from(id % u64::from(consumers.max(1))).unwrap_or(0);
        item(&mut s, id, maker, taker);
    }
    let full: Vec<String> = (items - 63.min(items)..=items)
        .map(|i| i.to_string())
        .collect();
    apply(&mut s, items * 1_000, 0, state("buffer", full.join(" ")));
    apply(
        &mut s,
        items * 1_000,
        0,
        state("marks", (items * 500).to_string()),
    );
    apply(
        &mut s,
        items * 1_000,
        0,
        state("rate.pipeline", "812.5".into()),
    );
    apply(
        &mut s,
        items * 1_000,
        0,
        state("rate.queue", "990.1".into()),
    );
    s
}

/// Item `id`: made by `maker` (which waited on a full queue first),
/// handled by `taker` (which waited on an empty one).
fn item(s: &mut RunState, id: u64, maker: LaneId, taker: LaneId) {
    let t = id * 1_000;
    let unit = ITEM_UNITS + id;
    apply(
        s,
        t,
        maker,
        EventKind::Spawned {
            unit,
            label: format!("#{id}"),
        },
    );
    let on = BlockOn::Queue { name: FULL.into() };
    apply(
        s,
        t,
        maker,
        EventKind::Blocked {
            unit: u64::from(maker) + 1,
            on,
        },
    );
    apply(
        s,
        t + 300,
        maker,
        EventKind::Woken {
            unit: u64::from(maker) + 1,
        },
    );
    apply(
        s,
        t + 300,
        maker,
        EventKind::Progress {
            unit: u64::from(maker) + 1,
            done: id,
        },
    );
    let on = BlockOn::Queue { name: EMPTY.into() };
    apply(
        s,
        t + 400,
        taker,
        EventKind::Blocked {
            unit: u64::from(taker) + 1,
            on,
        },
    );
    apply(
        s,
        t + 500,
        taker,
        EventKind::Woken {
            unit: u64::from(taker) + 1,
        },
    );
    let value = "Consumer".into();
    apply(s, t + 900, taker, EventKind::Finished { unit, value });
    apply(
        s,
        t + 900,
        taker,
        EventKind::Progress {
            unit: u64::from(taker) + 1,
            done: id,
        },
    );
}

fn apply(s: &mut RunState, t_us: u64, lane: LaneId, kind: EventKind) {
    s.apply(&Event {
        t_us: Micros::from_us(t_us),
        lane,
        kind,
    });
}
