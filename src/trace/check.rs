//! Checks that an event stream is well formed, for tests of every runtime.

use std::collections::HashMap;

use super::{Event, EventKind, LaneId, Micros, UnitId};

/// Checks the rules every runtime keeps:
/// - a unit's `Spawned`, when it has one, is its first event;
/// - every unit that `Started` ends `Finished`, `Failed` or `Cancelled`;
/// - no unit ends twice, and no event names a unit after its end;
/// - time stamps never go back within a lane.
///
/// The error names the first broken rule and the event index.
pub fn check_stream(events: &[Event]) -> Result<(), String> {
    let mut last_t: HashMap<LaneId, Micros> = HashMap::new();
    let mut units: HashMap<UnitId, UnitSeen> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let t = last_t.entry(e.lane).or_default();
        if e.t_us < *t {
            return Err(format!(
                "event {i} on lane {} goes back in time ({} µs after {} µs): {:?}",
                e.lane,
                e.t_us.as_us(),
                t.as_us(),
                e.kind
            ));
        }
        *t = e.t_us;
        let Some(unit) = e.kind.unit() else { continue };
        let seen = units.entry(unit).or_default();
        if seen.ended {
            return Err(format!(
                "event {i} names unit {unit} after it ended: {:?}",
                e.kind
            ));
        }
        match &e.kind {
            EventKind::Spawned { .. } if seen.any => {
                return Err(format!(
                    "event {i}: unit {unit} spawned after its first event"
                ));
            }
            EventKind::Started { .. } => seen.started = true,
            k if k.is_terminal() => seen.ended = true,
            _ => {}
        }
        seen.any = true;
    }
    let mut open: Vec<UnitId> = units
        .iter()
        .filter(|(_, s)| s.started && !s.ended)
        .map(|(u, _)| *u)
        .collect();
    open.sort_unstable();
    match open.first() {
        Some(u) => Err(format!(
            "unit {u} started but never finished, failed or was cancelled ({} such units)",
            open.len()
        )),
        None => Ok(()),
    }
}

#[derive(Default)]
struct UnitSeen {
    any: bool,
    started: bool,
    ended: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t_us: u64, lane: LaneId, kind: EventKind) -> Event {
        Event {
            t_us: Micros::from_us(t_us),
            lane,
            kind,
        }
    }

    #[test]
    fn a_clean_stream_passes() {
        let events = vec![
            ev(
                0,
                0,
                EventKind::Spawned {
                    unit: 1,
                    label: "a".into(),
                },
            ),
            ev(1, 0, EventKind::Queued { unit: 1 }),
            ev(2, 1, EventKind::Started { unit: 1 }),
            ev(2, 1, EventKind::Progress { unit: 1, done: 5 }),
            ev(
                3,
                1,
                EventKind::Finished {
                    unit: 1,
                    value: "5".into(),
                },
            ),
            ev(
                3,
                0,
                EventKind::Spawned {
                    unit: 2,
                    label: "b".into(),
                },
            ),
            ev(4, 0, EventKind::Cancelled { unit: 2 }),
        ];
        assert_eq!(check_stream(&events), Ok(()));
    }

    #[test]
    fn each_broken_rule_is_named() {
        let unended = vec![ev(0, 1, EventKind::Started { unit: 1 })];
        assert!(
            check_stream(&unended)
                .unwrap_err()
                .contains("never finished")
        );

        let twice = vec![
            ev(0, 1, EventKind::Started { unit: 1 }),
            ev(
                1,
                1,
                EventKind::Finished {
                    unit: 1,
                    value: "1".into(),
                },
            ),
            ev(2, 1, EventKind::Cancelled { unit: 1 }),
        ];
        assert!(check_stream(&twice).unwrap_err().contains("after it ended"));

        let backwards = vec![
            ev(5, 1, EventKind::Output { text: "a".into() }),
            ev(4, 1, EventKind::Output { text: "b".into() }),
        ];
        assert!(
            check_stream(&backwards)
                .unwrap_err()
                .contains("back in time")
        );

        let late_spawn = vec![
            ev(0, 1, EventKind::Queued { unit: 1 }),
            ev(
                1,
                1,
                EventKind::Spawned {
                    unit: 1,
                    label: "x".into(),
                },
            ),
        ];
        assert!(
            check_stream(&late_spawn)
                .unwrap_err()
                .contains("spawned after")
        );

        // Different lanes keep their own clocks.
        let lanes = vec![
            ev(5, 1, EventKind::Output { text: "a".into() }),
            ev(4, 2, EventKind::Output { text: "b".into() }),
        ];
        assert_eq!(check_stream(&lanes), Ok(()));
    }
}
