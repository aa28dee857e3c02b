//! `racecourse run`: an example headless, events as JSON lines on request.

use std::fmt::Write as _;
use std::time::Instant;

use clap::{Arg, ArgAction, Args, Command};
use serde_json::json;

use crate::demos::{self, CATALOG, DemoRequest, DynExample, Host, Launched, OptKind};
use crate::runtime::Control;
use crate::trace::{Micros, RunState, Tracer};

/// Options of `run`: the example, then its own options (`racecourse run
/// NAME --help` lists them).
#[derive(Debug, Args)]
#[command(after_help = examples_help())]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// The example to run (`racecourse run NAME --help` for its options).
    pub demo: Option<String>,
    /// Print help (with an example: its modes and options).
    #[arg(short, long)]
    pub help: bool,
    /// `--mode M`, the example's options, `--json`; see `run NAME --help`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

fn examples_help() -> String {
    let mut s = String::from("Examples:\n");
    for e in CATALOG {
        let _ = writeln!(s, "  {:<12} {}", e.name(), e.title());
    }
    s.push_str("\n`racecourse run NAME --help` lists an example's modes and options.");
    s
}

/// The command line of one example, derived from its modes and options.
pub fn command_of(example: &dyn DynExample) -> Command {
    let modes: Vec<&'static str> = example.modes().iter().map(|m| m.name).collect();
    let mode_help: Vec<String> = example
        .modes()
        .iter()
        .map(|m| format!("  {:<12} {}", m.name, m.help))
        .collect();
    let mut cmd = Command::new(format!("racecourse run {}", example.name()))
        .about(example.title())
        .no_binary_name(true)
        .arg(
            Arg::new("mode")
                .long("mode")
                .value_name("M")
                .default_value(modes[0])
                .help("the mode (see below)"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("print every event as a JSON line, then a JSON summary"),
        )
        .after_help(format!("Modes:\n{}", mode_help.join("\n")));
    for knob in example.knobs() {
        let modes = if knob.modes.is_empty() {
            String::new()
        } else {
            format!(" [modes: {}]", knob.modes.join(", "))
        };
        let help = format!(
            "{} [{}] [default: {}]{modes}",
            knob.help,
            knob.range(),
            knob.default
        );
        let mut arg = Arg::new(knob.name)
            .long(knob.name)
            .value_name("VALUE")
            .help(help);
        if matches!(knob.kind, OptKind::Bool) {
            arg = arg
                .num_args(0..=1)
                .default_missing_value("true")
                .require_equals(false);
        }
        cmd = cmd.arg(arg);
    }
    cmd
}

/// The run's request and whether to print JSON, from the command line.
/// `Ok(None)`: help was printed.
fn request(args: &RunArgs) -> anyhow::Result<Option<(DemoRequest, bool)>> {
    let Some(name) = &args.demo else {
        crate::out!("Usage: racecourse run NAME [--mode M] [OPTIONS] [--json]\n");
        crate::out!("{}", examples_help());
        return Ok(None);
    };
    let example = demos::find(name)?;
    let mut rest = args.rest.clone();
    if args.help {
        rest.push("--help".into());
    }
    let matches = match command_of(example).try_get_matches_from(&rest) {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp) => {
            crate::out!("{}", e.render().to_string().trim_end());
            return Ok(None);
        }
        Err(e) => {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("bad arguments");
            let tip = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("tip: "))
                .map(|t| format!("; {t}"))
                .unwrap_or_default();
            anyhow::bail!("{}{tip}", first.trim_start_matches("error: "));
        }
    };
    let mut req = DemoRequest::of(example);
    if let Some(m) = matches.get_one::<String>("mode") {
        req.set_mode(m)?;
    }
    for knob in example.knobs() {
        if matches.value_source(knob.name) == Some(clap::parser::ValueSource::CommandLine)
            && let Some(v) = matches.get_one::<String>(knob.name)
        {
            req.set(knob.name, v)?;
        }
    }
    Ok(Some((req, matches.get_flag("json"))))
}

/// Runs the example to its end; Ctrl-C interrupts it like `KeyboardInterrupt`.
pub fn run(args: &RunArgs) -> anyhow::Result<i32> {
    let Some((req, json)) = request(args)? else {
        return Ok(0);
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let start = Instant::now();
        let (tracer, mut rx) = Tracer::starting_at(start);
        let control = Control::new();
        let mut handle = match demos::launch(&req, tracer, control.clone(), Host::Headless) {
            Launched::Running(h) => h,
            Launched::Armed(_) => anyhow::bail!("{} cannot run headless", req.name()),
        };
        let mut state = RunState::new();
        let mut interrupted = false;
        let show = |state: &mut RunState, ev: &crate::trace::Event| -> anyhow::Result<()> {
            state.apply(ev);
            if json {
                crate::out!("{}", serde_json::to_string(ev)?);
            } else if let crate::trace::EventKind::Output { text } = &ev.kind {
                crate::out!("{text}");
            }
            Ok(())
        };
        // One listener for the whole run: a Ctrl-C that lands while events
        // are being printed must not be lost between two turns of the loop.
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        let outcome = loop {
            tokio::select! {
                Some(ev) = rx.recv() => {
                    show(&mut state, &ev)?;
                    // Drain what else is waiting in one go: a run of 10,000
                    // requests sends 100,000+ events, one wake-up each would
                    // cost more than the run.
                    while let Ok(ev) = rx.try_recv() {
                        show(&mut state, &ev)?;
                    }
                }
                done = handle.done() => break done.unwrap_or_else(|_| {
                    demos::Outcome::lost(Micros::since(start))
                }),
                _ = &mut ctrl_c, if !interrupted => {
                    interrupted = true;
                    control.keyboard_interrupt();
                }
            }
        };
        while let Ok(ev) = rx.try_recv() {
            show(&mut state, &ev)?;
        }
        drop(handle);
        state.close(outcome.wall().max(state.now()));
        let summary = summary(&req, &state, &outcome);
        if json {
            crate::out!("{}", serde_json::to_string(&summary)?);
        } else {
            print_summary(&summary);
        }
        Ok(exit_code(&summary))
    })
}

/// The final JSON summary: demo, mode, wall time, result, lanes.
pub fn summary(req: &DemoRequest, state: &RunState, outcome: &demos::Outcome) -> serde_json::Value {
    let wall = outcome.wall();
    let lanes: Vec<_> = state
        .lanes
        .values()
        .map(|l| {
            let busy = state.lane_busy(l);
            json!({
                "lane": l.id,
                "name": l.name,
                "pid": l.pid,
                "busy_ms": busy.as_ms_f64(),
                "idle_ms": wall.saturating_sub(busy).as_ms_f64(),
                "units": l.completed,
                "done": l.done,
            })
        })
        .collect();
    let options: serde_json::Map<String, serde_json::Value> = req
        .values()
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let (result, error) = match &outcome.result {
        Ok(v) => (v.to_json(), None),
        Err(e) => (serde_json::Value::Null, Some(e.clone())),
    };
    json!({
        "summary": true,
        "demo": req.name(),
        "mode": req.mode(),
        "text": outcome.summary(),
        "options": options,
        "wall_ms": wall.as_ms_f64(),
        "ok": outcome.result.is_ok() && failures(state, outcome) == 0,
        "failures": failures(state, outcome),
        "result": result,
        "error": error,
        "counts": {
            "spawned": state.counts.spawned,
            "finished": state.counts.finished,
            "failed": state.counts.failed,
            "cancelled": state.counts.cancelled,
        },
        "lanes": lanes,
        "warnings": state.warnings,
    })
}

/// Units that failed: failed events, or the example's own count (a
/// download's `failed`) when that is higher.
fn failures(state: &RunState, outcome: &demos::Outcome) -> u64 {
    let counted = outcome.result.as_ref().map_or(0, |o| o.failures());
    (state.counts.failed as u64).max(counted)
}

/// 0 when everything succeeded, 1 when the run failed or was interrupted,
/// 3 when it ran to its end with failures (2 is a usage error).
pub fn exit_code(summary: &serde_json::Value) -> i32 {
    if !summary["error"].is_null() {
        1
    } else if summary["ok"] == true {
        0
    } else {
        3
    }
}

fn print_summary(s: &serde_json::Value) {
    crate::out!("--");
    crate::out!(
        "{} --mode {}: {:.1} ms",
        s["demo"].as_str().unwrap_or(""),
        s["mode"].as_str().unwrap_or(""),
        s["wall_ms"].as_f64().unwrap_or(0.0)
    );
    crate::out!("{}", crate::lesson::inert(s["text"].as_str().unwrap_or("")));
    if let Some(n) = s["failures"].as_u64().filter(|&n| n > 0) {
        crate::out!("failed: {n} (exit status 3)");
    }
    if let Some(lanes) = s["lanes"].as_array() {
        for l in lanes {
            crate::out!(
                "  {:<14} busy {:>9.1} ms  idle {:>9.1} ms  units {}",
                l["name"].as_str().unwrap_or(""),
                l["busy_ms"].as_f64().unwrap_or(0.0),
                l["idle_ms"].as_f64().unwrap_or(0.0),
                l["units"]
            );
        }
    }
    for w in s["warnings"].as_array().into_iter().flatten() {
        crate::out!("warning: {}", w.as_str().unwrap_or(""));
    }
}
