#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! The command line: parsing, and the commands that need no terminal.

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

use clap::{Args, Parser, Subcommand};

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
            let course = lesson::load(&cli.source(None))?;
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
        Some(Cmd::Check { dir }) => {
            let course = lesson::load(&cli.source(dir.as_ref()))?;
            let problems = lesson::check(&course);
            for p in &problems {
                // File names come from the folder: they may hold escapes.
                crate::out!("{}", lesson::inert(&p.to_string()));
            }
            if course.chapters.is_empty() {
                let place = match cli.source(dir.as_ref()) {
                    Source::Dir(d) => d.display().to_string(),
                    Source::Embedded => "the built-in course".into(),
                };
                eprintln!(
                    "{}",
                    lesson::inert(&format!(
                        "no chapters in {place}: a chapter is a .md file with front matter (see lessons/README.md)"
                    ))
                );
                Ok(1)
            } else if problems.is_empty() {
                eprintln!("{} chapters, no problems", course.chapters.len());
                Ok(0)
            } else {
                eprintln!("{} problem(s)", problems.len());
                Ok(1)
            }
        }
        Some(Cmd::Render(args)) => {
            for (name, v) in [("--width", args.width), ("--height", args.height)] {
                if !(1..=MAX_RENDER_SIZE).contains(&v) {
                    anyhow::bail!("{name} must be between 1 and {MAX_RENDER_SIZE}, got {v}");
                }
            }
            let mut opts = cli.app_options();
            opts.chapter = Some(args.chapter.clone());
            opts.section = Some(args.section);
            let mut app = ui::build_app(&opts, false)?;
            app.notice = None;
            let buf = ui::render::render_buffer(&app, args.width, args.height)?;
            crate::out!("{}", ui::render::buffer_text(&buf).trim_end_matches('\n'));
            Ok(0)
        }
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
