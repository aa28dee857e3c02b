use super::*;
use crate::demos::DemoRequest;

fn saved(
    example: &str,
    mode: &str,
    options: &[(&str, &str)],
    wall_ms: u64,
    done: u64,
    at_ms: u64,
) -> SavedRun {
    let mut req = DemoRequest::new(example).unwrap();
    req.set_mode(mode).unwrap();
    for (k, v) in options {
        req.set(k, v).unwrap();
    }
    SavedRun::of_request(&req, wall_ms * 1000, done, at_ms)
}

fn reference() -> Vec<SavedRun> {
    vec![
        saved("hash", "sequential", &[], 2000, 40_000_000, 0),
        saved(
            "hash",
            "processes",
            &[("workers", "2")],
            1000,
            40_000_000,
            0,
        ),
        saved("download", "sync", &[], 16_000, 160, 0),
        saved("download", "threads", &[("workers", "10")], 1_600, 160, 0),
    ]
}

const HASHES: usize = 3;
const DOWNLOADS: usize = 1;

#[test]
fn the_learners_runs_come_first_and_the_rest_is_marked() {
    let mut p = Progress::default();
    p.record_run(saved("hash", "sequential", &[], 3000, 45_000_000, 10));
    p.record_run(saved(
        "hash",
        "processes",
        &[("workers", "2")],
        1000,
        45_000_000,
        20,
    ));
    let recap = Recap::of(&p, &reference());
    let cell = recap.cells[HASHES][2].as_ref().unwrap();
    assert_eq!(cell.source, Source::Yours { at_ms: 20 });
    assert!((cell.speedup.unwrap() - 3.0).abs() < 1e-9, "{cell:?}");
    assert_eq!(cell.text(), "×3.0 1.0 s");
    assert_eq!(cell.knob.as_deref(), Some("workers=2"));
    let dl = recap.cells[DOWNLOADS][0].as_ref().unwrap();
    assert_eq!(dl.source, Source::BuildMachine);
    assert_eq!(dl.text(), "×10 1.6 s");
    assert!(
        recap.cells[DOWNLOADS][2].is_none(),
        "no process mode for downloads"
    );
    assert!(
        recap.cells[HASHES][0].is_none(),
        "neither the learner nor the reference ran it"
    );
    assert_eq!(recap.counts(), (1, 2));
}

#[test]
fn a_speed_up_needs_a_baseline_of_the_same_setting_and_source() {
    let mut p = Progress::default();
    // The learner's baseline searched another prefix: it does not compare,
    // and their processes run is not paired with the build machine's loop.
    p.record_run(saved(
        "hash",
        "sequential",
        &[("prefix", "00000")],
        300,
        1_000_000,
        10,
    ));
    p.record_run(saved(
        "hash",
        "processes",
        &[("workers", "2")],
        1000,
        45_000_000,
        20,
    ));
    let recap = Recap::of(&p, &reference());
    let cell = recap.cells[HASHES][2].as_ref().unwrap();
    assert_eq!(cell.source, Source::BuildMachine);
    assert!((cell.speedup.unwrap() - 2.0).abs() < 1e-9);
    // Another latency is another workload: the reference fills the cell.
    let mut q = Progress::default();
    q.record_run(saved(
        "download",
        "sync",
        &[("latency", "50")],
        8000,
        160,
        1,
    ));
    q.record_run(saved(
        "download",
        "threads",
        &[("latency", "50"), ("workers", "10")],
        800,
        160,
        2,
    ));
    let dl = Recap::of(&q, &reference()).cells[DOWNLOADS][0]
        .clone()
        .unwrap();
    assert_eq!(dl.source, Source::BuildMachine);
}

#[test]
fn cells_survive_their_state_encoding() {
    let f = Figure {
        speedup: Some(1.85),
        wall_s: 1.234,
        knob: Some("workers=2".into()),
        source: Source::Yours { at_ms: 42 },
    };
    assert_eq!(Figure::decode(&f.encode()), Some(f));
    let g = Figure {
        speedup: None,
        wall_s: 0.5,
        knob: None,
        source: Source::BuildMachine,
    };
    assert_eq!(Figure::decode(&g.encode()), Some(g));
    assert_eq!(Figure::decode("nonsense"), None);
    assert_eq!(Figure::decode("x|1|b|"), None);
}

#[test]
fn every_reference_figure_is_a_valid_run_and_fills_its_cell() {
    let runs = reference_runs();
    assert_eq!(
        runs.len(),
        reference::MEASURED.len(),
        "every entry names a real example, mode and options"
    );
    let recap = Recap::of(&Progress::default(), &runs);
    let (_, filled) = recap.counts();
    let with_example = ROWS
        .iter()
        .map(|r| (0..3).filter(|&c| r.has(c)).count())
        .sum::<usize>();
    // Every cell with an example has the build machine's figure.
    assert_eq!(filled, with_example);
    assert!(recap.cells[2][1].is_some());
    let gil = recap.cells[3][0].as_ref().unwrap();
    assert_eq!(
        gil.text(),
        "×0.92 2.8 s",
        "2.76 s against 2.54 s sequential"
    );
}
