//! Entering and leaving the full-screen terminal, on every exit path.
//!
//! The guard restores on drop (quit, error); the panic hook restores before
//! the message is printed; signals are turned into a quit (or a suspend) by
//! the app loop, see `ui::signals`.

use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ThreadId;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal type the app draws on.
pub type Tui = Terminal<CrosstermBackend<io::Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Owns the raw-mode, alternate-screen terminal; restores it when dropped.
pub struct TermGuard {
    pub terminal: Tui,
}

impl TermGuard {
    /// Switches to raw mode and the alternate screen, with mouse capture.
    pub fn enter() -> io::Result<TermGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, EnableMouseCapture, cursor::Hide) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(TermGuard { terminal })
    }
}

impl TermGuard {
    /// Stops the process as a shell's Ctrl-Z would, with the terminal
    /// restored while it is stopped; on `SIGCONT` takes the terminal back
    /// and clears it so that the next frame redraws everything.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        // SAFETY: raise only delivers a signal to this process; SIGSTOP
        // cannot be caught, so no handler runs inside it. It returns once
        // the process is continued.
        unsafe { libc::raise(libc::SIGSTOP) };
        self.resume()
    }

    /// Takes the terminal back after the process was stopped and continued
    /// (by [`TermGuard::suspend`] or an outside `SIGSTOP`).
    pub fn resume(&mut self) -> io::Result<()> {
        if !ACTIVE.swap(true, Ordering::SeqCst) {
            enable_raw_mode()?;
            execute!(
                io::stdout(),
                EnterAlternateScreen,
                EnableMouseCapture,
                cursor::Hide
            )?;
        }
        // `Terminal::clear` would ask the terminal for the cursor position,
        // and the input thread may take the answer: clear by hand, then
        // empty both buffers so that the next frame is drawn whole.
        execute!(
            io::stdout(),
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )?;
        self.terminal.swap_buffers();
        self.terminal.swap_buffers();
        Ok(())
    }
}

impl Drop for TermGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen if they are on. Safe to call
/// twice and from a panic hook.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

/// Replaces the panic message of the main thread with one clear line (a
/// backtrace only with `RACECOURSE_BACKTRACE`), restoring the terminal
/// first. Worker threads' panics are caught by the runtimes and shown as
/// failed jobs, so they print nothing here.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        let _ = UI_THREAD.set(std::thread::current().id());
        std::panic::set_hook(Box::new(move |info| {
            let on_ui_thread = UI_THREAD.get() == Some(&std::thread::current().id());
            if !on_ui_thread {
                // A worker's panic is caught and shown as a failed job; printing
                // it here would scribble over the full-screen view.
                return;
            }
            restore();
            if std::env::var_os("RACECOURSE_BACKTRACE").is_some() {
                previous(info);
            } else {
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                eprintln!("racecourse: internal error: {msg}{at} (please report it; RACECOURSE_BACKTRACE=1 shows a backtrace)");
            }
        }));
    });
}
