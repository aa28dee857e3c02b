#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! The command line: parsing, and the commands that need no terminal.

mod check;
mod live;
mod run;

/// Prints a line on stdout; when the reader has gone (`racecourse run … |
/// head`), exits quietly instead of panicking. Worker processes die with us
/// through their parent-death signal.
pub fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|_| out.write_all(b"\n"))
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        std::process::exit(0);
    }
}

/// `println!` that survives a closed pipe; see [`write_out`].
#[macro_export]
macro_rules! out {
    ($($t:tt)*) => { $crate::cli::write_out(format_args!($($t)*)) };
}

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::course;
use crate::lesson::{self, Source};
use crate::ui::{self, AppOptions, theme::ThemeName};

/// An interactive terminal course on concurrency that runs every example
/// for real.
#[derive(Debug, Parser)]
#[command(name = "racecourse", version, about, long_about = None)]
pub struct Cli {
    /// Read chapters from this folder instead of the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Option<PathBuf>,
    /// Colour palette.
    #[arg(long, global = true, value_enum, default_value_t = ThemeName::Dark)]
    pub theme: ThemeName,
    /// No colours (also when the NO_COLOR variable is set).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Reload a chapter when its file changes (with --lessons).
    #[arg(long)]
    pub watch: bool,
    /// Forget which sections were seen, then start.
    #[arg(long)]
    pub reset_progress: bool,
    /// Open this chapter (an id from `racecourse list`).
    #[arg(long, value_name = "ID")]
    pub chapter: Option<String>,
    /// With --chapter: open this section (from 1).
    #[arg(long, value_name = "N", requires = "chapter")]
    pub section: Option<usize>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// List chapters, one a line: id and title.
    List,
    /// Validate chapters; prints file:line:col: message per problem.
    Check {
        /// Folder of chapters (default: --lessons, else the built-in ones).
        dir: Option<PathBuf>,
        /// Also run every live section's example headless and check what
        /// its pane shows against the section's `expect:` lines.
        #[arg(long)]
        run: bool,
        /// With --run: only this chapter (an id from `racecourse list`);
        /// may repeat.
        #[arg(long, value_name = "ID", requires = "run")]
        chapter: Vec<String>,
        /// With --run: write each drawn pane to DIR/ID-LINE-WxH.txt.
        #[arg(long, value_name = "DIR", requires = "run")]
        panes: Option<PathBuf>,
    },
    /// Print one screen as plain text, no terminal needed.
    Render(RenderArgs),
    /// Run an example headless and print a summary.
    Run(Box<run::RunArgs>),
    /// The offline demo web server on 127.0.0.1.
    Serve(ServeArgs),
    /// Measure a performance figure; prints `key: value` lines.
    Bench {
        /// startup, hash, latency, download or frame.
        name: String,
    },
    #[command(hide = true, name = "__worker")]
    Worker,
}

/// The largest `render --width` and `--height`: a screen of a million
/// cells, where 65535×65535 would ask for hundreds of gigabytes.
pub const MAX_RENDER_SIZE: u16 = 1000;

/// Options of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Chapter id.
    #[arg(long)]
    pub chapter: String,
    /// Section number, from 1.
    #[arg(long, default_value_t = 1)]
    pub section: usize,
    #[arg(long, default_value_t = 100)]
    pub width: u16,
    #[arg(long, default_value_t = 30)]
    pub height: u16,
    /// Run the section's example to its end first (at the speed its
    /// `expect: speed` line asks for), then print the screen.
    #[arg(long)]
    pub run: bool,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port (default: a free one).
    #[arg(long)]
    pub port: Option<u16>,
    /// Latency added to every response, in ms.
    #[arg(long, default_value_t = 0)]
    pub latency: u64,
    /// Random extra latency up to this many ms.
    #[arg(long, default_value_t = 0)]
    pub jitter: u64,
    /// Share of requests that fail (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// No line per request on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

impl Cli {
    fn source(&self, dir: Option<&PathBuf>) -> Source {
        match dir.or(self.lessons.as_ref()) {
            Some(d) => Source::Dir(d.clone()),
            None => Source::Embedded,
        }
    }

    fn app_options(&self) -> AppOptions {
        AppOptions {
            source: self.source(None),
            theme: self.theme,
            no_color: self.no_color,
            watch: self.watch,
            reset_progress: self.reset_progress,
            chapter: self.chapter.clone(),
            section: self.section,
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    ui::term::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            // Clap quotes the argument it refused: make it inert.
            eprint!("{}", lesson::inert_code(&e.render().to_string()));
            return 2;
        }
        Err(e) => {
            let _ = e.print();
            return 0;
        }
    };
    // Every connection is a descriptor; see `net::limits`.
    crate::net::limits::raise_fd_limit();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            // Messages quote what the user typed (a mode, a chapter id, a
            // folder): no escape in it may reach the terminal.
            eprintln!("racecourse: {}", lesson::inert(&format!("{e:#}")));
            1
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    match &cli.command {
        None => {
            ui::run(cli.app_options())?;
            Ok(0)
        }
        Some(Cmd::List) => {
            let course = course::load(&cli.source(None))?;
            for c in &course.chapters {
                let flag = if c.is_ok() {
                    ""
                } else {
                    "  (has errors: racecourse check)"
                };
                crate::out!("{}\t{}{flag}", c.id, c.title);
            }
            Ok(0)
        }
        Some(Cmd::Check {
            dir,
            run,
            chapter,
            panes,
        }) => {
            let course = course::load(&cli.source(dir.as_ref()))?;
            let opts = check::RunOptions {
                only: chapter,
                panes: panes.as_deref(),
            };
            let place = match cli.source(dir.as_ref()) {
                Source::Dir(d) => d.display().to_string(),
                Source::Embedded => "the built-in course".into(),
            };
            check(&course, &place, run.then_some(&opts))
        }
        Some(Cmd::Render(args)) => render(&cli, args),
        Some(Cmd::Run(args)) => run::run(args),
        Some(Cmd::Serve(args)) => {
            if !(0.0..=1.0).contains(&args.fail_rate) {
                anyhow::bail!(
                    "--fail-rate must be between 0 and 1, got {}",
                    args.fail_rate
                );
            }
            crate::net::server::serve_main(
                args.port,
                args.latency,
                args.jitter,
                args.fail_rate,
                args.quiet,
            )?;
            Ok(0)
        }
        Some(Cmd::Bench { name }) => crate::bench::run(name),
        Some(Cmd::Worker) => Ok(0),
    }
}

/// `check`: prints every problem; with `run`, runs the live sections too.
fn check(
    course: &crate::lesson::Course,
    place: &str,
    run: Option<&check::RunOptions>,
) -> anyhow::Result<i32> {
    for id in run.map_or(&[][..], |r| r.only) {
        if course.position(id).is_none() {
            anyhow::bail!(
                "no chapter `{id}`{}; `racecourse list` shows them",
                crate::suggest::hint(id, course.chapters.iter().map(|c| c.id.as_str()))
            );
        }
    }
    if let Some(dir) = run.and_then(|r| r.panes) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut problems = course::check(course);
    let mut ran = None;
    if let Some(opts) = run {
        let report = check::run_all(course, opts, &mut |line| eprintln!("{line}"));
        ran = Some((report.sections, report.statements));
        problems.extend(report.problems);
        problems.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    }
    for p in &problems {
        // File names come from the folder: they may hold escapes.
        crate::out!("{}", lesson::inert(&p.to_string()));
    }
    let runs = ran.map_or_else(String::new, |(s, n)| {
        format!(", {s} live sections run, {n} statements checked")
    });
    if course.chapters.is_empty() {
        eprintln!(
            "{}",
            lesson::inert(&format!(
                "no chapters in {place}: a chapter is a .md file with front matter (see lessons/README.md)"
            ))
        );
        Ok(1)
    } else if problems.is_empty() {
        eprintln!("{} chapters{runs}, no problems", course.chapters.len());
        Ok(0)
    } else {
        eprintln!("{} problem(s){runs}", problems.len());
        Ok(1)
    }
}

/// `render`: one screen as text, after the section's run with `--run`.
fn render(cli: &Cli, args: &RenderArgs) -> anyhow::Result<i32> {
    for (name, v) in [("--width", args.width), ("--height", args.height)] {
        if !(1..=MAX_RENDER_SIZE).contains(&v) {
            anyhow::bail!("{name} must be between 1 and {MAX_RENDER_SIZE}, got {v}");
        }
    }
    let mut opts = cli.app_options();
    opts.chapter = Some(args.chapter.clone());
    opts.section = None;
    let mut app = ui::build_app(&opts, false)?;
    let sections = app.sections();
    if args.section == 0 || (sections > 0 && args.section > sections) {
        anyhow::bail!(
            "chapter `{}` has sections 1..={sections}, not {}",
            args.chapter,
            args.section
        );
    }
    let (width, height) = (args.width.max(1), args.height.max(1));
    if args.run {
        let section = app.current().and_then(|c| c.sections.get(args.section - 1));
        let Some(demo) = section.and_then(course::demo) else {
            anyhow::bail!(
                "section {} of chapter `{}` has no live example to run",
                args.section,
                args.chapter
            );
        };
        let Some(ran) = live::run_section(
            &app.course,
            app.chapter,
            args.section - 1,
            &demo.check_request,
            demo.speed(),
        ) else {
            anyhow::bail!("section {} has no pane", args.section);
        };
        crate::out!("{}", live::screen(&ran.app, width, height)?);
        return Ok(0);
    }
    app.goto(app.chapter, args.section - 1);
    app.notice = None;
    crate::out!("{}", live::screen(&app, width, height)?);
    Ok(0)
}
