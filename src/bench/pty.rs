//! Drives the real binary in a pseudo-terminal: keys in, screen text out.
//! Used by the benchmarks and the end-to-end tests.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The app running in a pseudo-terminal, with a vt100 screen fed from it.
pub struct PtyApp {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    chunks: Receiver<Vec<u8>>,
    parser: vt100::Parser,
    /// Every byte the app wrote, for checks on escape sequences.
    pub raw: Vec<u8>,
    pub started: Instant,
}

impl PtyApp {
    /// Starts `program args` in a `cols`×`rows` terminal with extra env.
    pub fn spawn(
        program: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> anyhow::Result<PtyApp> {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .context("opening a pseudo-terminal")?;
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).context("starting the app")?;
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader()?;
        let writer = pair.master.take_writer()?;
        let (tx, chunks) = channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(PtyApp {
            master: pair.master,
            writer,
            child,
            chunks,
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            started,
        })
    }

    /// The app's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// Sends bytes as if typed.
    pub fn send(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.writer.write_all(bytes)?;
        self.writer.flush()?;
        Ok(())
    }

    /// Resizes the terminal.
    pub fn resize(&mut self, cols: u16, rows: u16) -> anyhow::Result<()> {
        self.master.resize(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })?;
        self.parser.set_size(nz(rows), nz(cols));
        Ok(())
    }

    /// Feeds whatever output is waiting into the screen.
    pub fn pump(&mut self, wait: Duration) -> bool {
        let mut any = false;
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .chunks
                .recv_timeout(if any { Duration::ZERO } else { left })
            {
                Ok(c) => {
                    self.parser.process(&c);
                    self.raw.extend_from_slice(&c);
                    any = true;
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return any,
            }
        }
    }

    /// Waits until the screen satisfies `pred`; returns when it did.
    pub fn wait_for(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&str) -> bool,
    ) -> anyhow::Result<Instant> {
        let deadline = Instant::now() + timeout;
        loop {
            if pred(&self.screen_text()) {
                return Ok(Instant::now());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                anyhow::bail!(
                    "timed out after {timeout:?}; the screen shows:\n{}",
                    self.screen_text()
                );
            }
            self.pump(left.min(Duration::from_millis(50)));
        }
    }

    /// The screen as text, rows joined by newlines.
    pub fn screen_text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Whether the terminal is in canonical, echoing ("cooked") mode, as a
    /// shell expects it: false while an app holds it in raw mode.
    pub fn cooked(&self) -> Option<bool> {
        let fd = self.master.as_raw_fd()?;
        // SAFETY: tcgetattr writes into the zeroed struct we own; the fd is
        // the live master side of our pseudo-terminal.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &raw mut t) } != 0 {
            return None;
        }
        Some(t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0)
    }

    /// How many different foreground colours the row containing `text` has
    /// (1 for plain text; highlighted code has several).
    pub fn colours_in_row_with(&self, text: &str) -> usize {
        let screen = self.parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        for r in 0..rows {
            let line: String = (0..cols)
                .filter_map(|c| screen.cell(r, c).map(|cell| cell.contents().to_string()))
                .collect();
            if line.contains(text) {
                let mut seen = Vec::new();
                for c in 0..cols {
                    if let Some(cell) = screen.cell(r, c)
                        && !cell.contents().trim().is_empty()
                        && !seen.contains(&cell.fgcolor())
                    {
                        seen.push(cell.fgcolor());
                    }
                }
                return seen.len();
            }
        }
        0
    }

    /// Whether the app's screen is in the alternate screen now.
    pub fn alternate_screen(&self) -> bool {
        self.parser.screen().alternate_screen()
    }

    /// Waits for the app to exit; returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> anyhow::Result<u32> {
        let deadline = Instant::now() + timeout;
        loop {
            self.pump(Duration::from_millis(20));
            if let Some(status) = self.child.try_wait()? {
                self.pump(Duration::from_millis(50));
                return Ok(status.exit_code());
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                anyhow::bail!("the app did not exit within {timeout:?}");
            }
        }
    }
}

impl Drop for PtyApp {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn nz(v: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(v.max(1)).unwrap_or(std::num::NonZeroU16::MIN)
}
