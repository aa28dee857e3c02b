use std::fs;

use super::*;
use crate::progress::{Progress, Saver};

fn temp_store(name: &str) -> Store {
    let dir =
        std::env::temp_dir().join(format!("racecourse-progress-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    Store::at(dir.join("progress.json"))
}

fn asides(store: &Store) -> Vec<std::path::PathBuf> {
    let dir = store.path().parent().unwrap();
    let mut v: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("corrupt-"))
        .collect();
    v.sort();
    v
}

#[test]
fn round_trips_and_counts() {
    let store = temp_store("rt");
    let mut p = Progress::default();
    p.visit("intro", 0);
    p.visit("intro", 2);
    p.visit("intro", 1);
    store.save(&p).unwrap();
    let back = store.load();
    assert!(back.warning.is_none());
    assert!(back.saveable);
    assert_eq!(back.progress, p);
    assert_eq!(back.progress.last, Some(("intro".into(), 1)));
    assert!(back.progress.finished("intro", 3));
    assert!(!back.progress.finished("intro", 4));
    store.reset().unwrap();
    assert_eq!(store.load().progress, Progress::default());
}

#[test]
fn the_file_is_compact_and_old_files_still_load() {
    let store = temp_store("compact");
    fs::write(
        store.path(),
        "{\n  \"last\": [\"intro\", 1],\n  \"seen\": {\n    \"intro\": [0, 1]\n  }\n}",
    )
    .unwrap();
    let loaded = store.load();
    assert!(loaded.warning.is_none(), "{:?}", loaded.warning);
    assert_eq!(loaded.progress.seen_count("intro", 2), 2);
    store.save(&loaded.progress).unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    assert!(!text.contains('\n') && !text.contains("  "), "{text}");
}

#[test]
fn a_file_with_invalid_utf8_anywhere_is_kept_aside_and_named() {
    let store = temp_store("utf8");
    let mut bytes = br#"{"last":["intro",1],"seen":{"intro":[0,1]}}"#.to_vec();
    bytes.insert(30, 0xff);
    fs::write(store.path(), &bytes).unwrap();
    let loaded = store.load();
    assert!(loaded.saveable);
    let w = loaded.warning.expect("a warning");
    let kept = asides(&store);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        w.contains(&kept[0].display().to_string()),
        "says where: {w}"
    );
    assert_eq!(fs::read(&kept[0]).unwrap(), bytes, "the history is intact");
    // The first save writes a new file; the aside stays.
    let mut p = loaded.progress;
    p.visit("intro", 0);
    store.save(&p).unwrap();
    assert_eq!(fs::read(&kept[0]).unwrap(), bytes);
}

#[test]
fn two_corrupt_files_in_the_same_second_get_two_names() {
    let store = temp_store("twice");
    fs::write(store.path(), "{ not json").unwrap();
    store.load();
    fs::write(store.path(), "{ still not json").unwrap();
    store.load();
    let kept = asides(&store);
    assert_eq!(kept.len(), 2, "{kept:?}");
    let texts: Vec<_> = kept
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    assert!(texts.contains(&"{ not json".to_string()), "{texts:?}");
    assert!(texts.contains(&"{ still not json".to_string()), "{texts:?}");
}

#[test]
fn a_file_that_cannot_be_read_is_never_overwritten() {
    let store = temp_store("unreadable");
    // Root reads any mode, so a folder stands for "cannot be read".
    fs::create_dir(store.path()).unwrap();
    fs::write(store.path().join("inside"), "kept").unwrap();
    let loaded = store.load();
    assert!(!loaded.saveable);
    let w = loaded.warning.expect("a warning");
    assert!(
        w.contains("will not be saved") && w.contains("progress.json"),
        "{w}"
    );
    let e = store.save(&Progress::default()).unwrap_err();
    assert!(format!("{e:#}").contains("not overwriting"), "{e:#}");
    assert_eq!(
        fs::read_to_string(store.path().join("inside")).unwrap(),
        "kept"
    );
}

#[test]
fn fifos_do_not_hang_a_load_or_a_save() {
    let store = temp_store("fifo");
    for name in ["progress.json", "progress.json.tmp"] {
        let p = store.path().with_file_name(name);
        let c = std::ffi::CString::new(p.display().to_string()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }
    let loaded = store.load();
    assert!(!loaded.saveable);
    assert!(loaded.warning.unwrap().contains("FIFO"));
    fs::remove_file(store.path()).unwrap();
    // A FIFO where the old code put its temporary file changes nothing.
    store.save(&Progress::default()).unwrap();
    assert!(store.load().warning.is_none());
}

#[test]
fn a_huge_file_is_not_read_whole_and_is_kept_aside() {
    let store = temp_store("huge");
    let f = fs::File::create(store.path()).unwrap();
    f.set_len(200 << 20).unwrap();
    let loaded = store.load();
    assert!(loaded.saveable);
    let w = loaded.warning.unwrap();
    assert!(w.contains("too large"), "{w}");
    assert_eq!(asides(&store).len(), 1);
}

#[test]
fn saves_merge_with_what_another_instance_saved() {
    let store = temp_store("merge");
    let mut a = Progress::default();
    a.visit("intro", 0);
    store.save(&a).unwrap();
    let mut b = Progress::default();
    b.visit("gil", 3);
    let merged = store.save(&b).unwrap();
    assert_eq!(merged.seen_count("intro", 1), 1);
    let back = store.load().progress;
    assert_eq!(back.seen_count("intro", 1), 1);
    assert_eq!(back.seen_count("gil", 4), 1);
    assert_eq!(back.last, Some(("gil".into(), 3)));
}

#[test]
fn the_saver_writes_the_latest_snapshot_off_thread() {
    let store = temp_store("saver");
    let saver = Saver::start(store.clone());
    let mut p = Progress::default();
    for i in 0..50 {
        p.visit("intro", i);
        saver.submit(p.clone());
    }
    assert_eq!(saver.finish(), None);
    assert_eq!(store.load().progress.seen_count("intro", 50), 50);
}

fn hash_run(mode: &str, wall_ms: u64, at_ms: u64) -> crate::progress::SavedRun {
    let mut req = crate::demos::DemoRequest::new("hash").unwrap();
    req.set_mode(mode).unwrap();
    crate::progress::SavedRun::of_request(&req, wall_ms * 1000, 41_355_128, at_ms)
}

#[test]
fn runs_round_trip_and_survive_a_corrupt_file() {
    let store = temp_store("runs");
    let mut p = Progress::default();
    p.visit("cpu-gil", 3);
    p.record_run(hash_run("sequential", 2400, 1));
    p.record_run(hash_run("processes", 1300, 2));
    store.save(&p).unwrap();
    let back = store.load();
    assert!(back.warning.is_none(), "{:?}", back.warning);
    assert_eq!(back.progress, p, "runs come back as saved");
    assert_eq!(store.peek(), p);
    // Another instance's runs merge in; the union is kept.
    let mut other = Progress::default();
    other.record_run(hash_run("threads-gil", 2500, 3));
    let merged = store.save(&other).unwrap();
    assert_eq!(merged.runs.len(), 3);
    // A corrupt file: peeking leaves it alone, loading moves it aside.
    fs::write(store.path(), b"{\"runs\": [{\"example\": 7").unwrap();
    assert_eq!(store.peek(), Progress::default());
    assert!(asides(&store).is_empty(), "a peek never moves the file");
    let loaded = store.load();
    assert!(loaded.warning.is_some() && loaded.saveable);
    assert!(loaded.progress.runs.is_empty());
    assert_eq!(asides(&store).len(), 1);
    store.save(&p).unwrap();
    assert_eq!(store.load().progress.runs, p.runs, "saving works again");
}

#[test]
fn a_file_with_too_many_runs_is_cut_to_the_bound() {
    let store = temp_store("runs-bound");
    let runs = (0..(crate::progress::MAX_RUNS as u64 * 2))
        .map(|i| {
            let mut r = hash_run("sequential", 100, i);
            r.setting = format!("prefix={i}");
            r
        })
        .collect();
    let p = Progress {
        runs,
        ..Progress::default()
    };
    fs::write(store.path(), serde_json::to_vec(&p).unwrap()).unwrap();
    let loaded = store.load();
    assert_eq!(loaded.progress.runs.len(), crate::progress::MAX_RUNS);
    assert_eq!(
        loaded.progress.runs[0].at_ms,
        crate::progress::MAX_RUNS as u64
    );
}
