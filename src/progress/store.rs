//! The progress file on disk: read with bounds, saved by merging under an
//! advisory lock, moved aside (never overwritten) when it does not parse.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::Progress;
use crate::bounded::{self, ReadError};

/// More than any real course needs (a few hundred bytes a chapter); a
/// larger file is not progress this version wrote.
pub const MAX_BYTES: u64 = 1 << 20;

/// Where progress lives on disk.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

/// Progress as read, with a warning to show when the file was unusable.
#[derive(Debug)]
pub struct Loaded {
    pub progress: Progress,
    pub warning: Option<String>,
    /// False when the file exists but could not be read or moved aside:
    /// then it must never be overwritten.
    pub saveable: bool,
}

impl Loaded {
    fn fresh(warning: Option<String>, saveable: bool) -> Loaded {
        Loaded {
            progress: Progress::default(),
            warning,
            saveable,
        }
    }
}

impl Store {
    /// The default store: `$RACECOURSE_DATA_DIR`, else the XDG data folder.
    pub fn default_location() -> Option<Store> {
        if let Some(dir) = std::env::var_os("RACECOURSE_DATA_DIR") {
            return Some(Store::at(PathBuf::from(dir).join("progress.json")));
        }
        directories::ProjectDirs::from("", "", "racecourse")
            .map(|d| Store::at(d.data_dir().join("progress.json")))
    }

    /// A store at an explicit file path.
    pub fn at(path: PathBuf) -> Store {
        Store { path }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads progress; a missing file is a fresh start. A file that does
    /// not parse is moved aside under a name of its own; one that cannot be
    /// read at all is left alone and marked never to be overwritten. Both
    /// come back with a warning saying where the file is. Never fatal.
    pub fn load(&self) -> Loaded {
        let shown = self.path.display();
        match self.read() {
            Ok(None) => Loaded::fresh(None, true),
            Ok(Some(progress)) => Loaded {
                progress,
                warning: None,
                saveable: true,
            },
            Err(Unusable::Corrupt(why)) => match self.move_aside() {
                Ok(aside) => Loaded::fresh(
                    Some(format!(
                        "old progress kept as {}: {shown} could not be used ({why}); started fresh",
                        aside.display()
                    )),
                    true,
                ),
                Err(e) => Loaded::fresh(
                    Some(format!(
                        "progress will not be saved: {shown} could not be used ({why}) nor moved aside ({e}); left as it is"
                    )),
                    false,
                ),
            },
            Err(Unusable::Unreadable(e)) => Loaded::fresh(
                Some(format!(
                    "progress will not be saved: {shown} cannot be read ({e}); left as it is"
                )),
                false,
            ),
        }
    }

    /// Reads progress without touching the file: a missing or unusable
    /// file is no progress (for readers such as the recap, which must never
    /// move a file aside).
    pub fn peek(&self) -> Progress {
        self.read().ok().flatten().unwrap_or_default()
    }

    /// Saves progress merged with what is on disk now (sections seen by any
    /// instance, the latest place), under an advisory lock so that
    /// instances take turns; the file is replaced atomically through a
    /// temporary file of this write's own. Returns the merged progress.
    pub fn save(&self, progress: &Progress) -> anyhow::Result<Progress> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let lock_path = self.lock_path();
        let lock =
            open_lock(&lock_path).with_context(|| format!("locking {}", lock_path.display()))?;
        wait_for_lock(&lock).with_context(|| format!("locking {}", lock_path.display()))?;
        let mut merged = progress.clone();
        match self.read() {
            Ok(None) => {}
            Ok(Some(disk)) => merged.merge(&disk),
            Err(Unusable::Corrupt(why)) => {
                self.move_aside().with_context(|| {
                    format!(
                        "{} is unusable ({why}) and could not be moved aside",
                        self.path.display()
                    )
                })?;
            }
            Err(Unusable::Unreadable(e)) => {
                anyhow::bail!(
                    "not overwriting {}, which cannot be read: {e}",
                    self.path.display()
                )
            }
        }
        let json = serde_json::to_vec(&merged)?;
        bounded::write_atomic(&self.path, &json, true)
            .with_context(|| format!("replacing {}", self.path.display()))?;
        drop(lock);
        Ok(merged)
    }

    /// Forgets everything (`--reset-progress`).
    pub fn reset(&self) -> anyhow::Result<()> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("removing {}", self.path.display())),
        }
    }

    fn lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        self.path.with_file_name(name)
    }

    /// The file's progress, `None` when there is no file.
    fn read(&self) -> Result<Option<Progress>, Unusable> {
        match bounded::read_regular(&self.path, MAX_BYTES) {
            Ok(bytes) => serde_json::from_slice::<Progress>(&bytes)
                .map(|mut p| {
                    // A file edited by hand keeps no more than this version would.
                    super::runs::bound(&mut p.runs);
                    Some(p)
                })
                .map_err(|e| Unusable::Corrupt(e.to_string())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e @ ReadError::TooLarge { .. }) => Err(Unusable::Corrupt(e.to_string())),
            Err(e) => Err(Unusable::Unreadable(e)),
        }
    }

    /// Moves the file to `progress.json.corrupt-<secs>-<pid>-<n>`, a name
    /// no other move takes: the link fails rather than replace a file.
    fn move_aside(&self) -> io::Result<PathBuf> {
        let secs = super::now_ms() / 1000;
        for _ in 0..100 {
            let aside = bounded::unique_beside(&self.path, &format!("corrupt-{secs}"));
            match fs::hard_link(&self.path, &aside) {
                Ok(()) => {
                    fs::remove_file(&self.path)?;
                    return Ok(aside);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(e),
                // Some file systems have no hard links.
                Err(_) if !aside.exists() => {
                    fs::rename(&self.path, &aside)?;
                    return Ok(aside);
                }
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("no free name to move it to"))
    }
}

/// Why a progress file on disk is not used.
enum Unusable {
    /// Read but not progress (not UTF-8, not JSON, too large).
    Corrupt(String),
    /// Could not be read at all (permission, not a regular file).
    Unreadable(ReadError),
}

/// Takes the lock, waiting a bounded time: a stuck instance must not make
/// this one hang on quit.
fn wait_for_lock(f: &fs::File) -> io::Result<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::other("another racecourse holds it"));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

fn open_lock(path: &Path) -> io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other(format!(
            "not a regular file (a {})",
            bounded::kind(&meta.file_type())
        )));
    }
    Ok(f)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
