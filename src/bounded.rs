//! Reading files that can neither hang nor exhaust memory: only regular
//! files are read (a FIFO would block forever, `/dev/zero` never ends),
//! and never more than a given number of bytes.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading failed (missing, permission denied...).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A FIFO, device, socket or folder: not read, since it may never end.
    #[error("not a regular file (a {0})")]
    NotRegular(&'static str),
    /// Larger than the bound.
    #[error("too large ({size} bytes; at most {limit} are read)")]
    TooLarge { size: u64, limit: u64 },
}

impl ReadError {
    /// Whether the file is simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

/// Reads a regular file (following symlinks) of at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // A file that grows while read is cut at the bound, and reported.
    (&mut file).take(limit + 1).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Opens for reading without blocking on a FIFO that has no writer; the
/// flag changes nothing for regular files.
fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// A file type in words, for messages.
pub fn kind(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    if t.is_dir() {
        "folder"
    } else if t.is_symlink() {
        "symlink"
    } else if t.is_file() {
        "regular file"
    } else {
        "special file"
    }
}

/// A name beside `path` that no other process or thread uses:
/// `NAME.TAG-<pid>-<n>`.
pub fn unique_beside(path: &Path, tag: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{tag}-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically: a new temporary file of its own
/// (never shared with another writer), flushed, then renamed over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    let tmp = unique_beside(path, "tmp");
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        if sync {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("racecourse-bounded-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn fifos_devices_and_large_files_are_refused_without_blocking() {
        let d = dir("refuse");
        let fifo = d.join("fifo");
        let c = std::ffi::CString::new(fifo.display().to_string()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_regular(&fifo, 100),
            Err(ReadError::NotRegular("FIFO"))
        ));
        let zero = d.join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(
            read_regular(&zero, 100),
            Err(ReadError::NotRegular("device"))
        ));
        fs::write(d.join("big"), vec![b'a'; 101]).unwrap();
        let e = read_regular(&d.join("big"), 100).unwrap_err();
        assert!(e.to_string().contains("too large (101 bytes"), "{e}");
        assert_eq!(read_regular(&d.join("big"), 101).unwrap().len(), 101);
        assert!(read_regular(&d.join("none"), 1).unwrap_err().is_not_found());
    }

    #[test]
    fn unique_names_and_atomic_writes() {
        let d = dir("unique");
        let p = d.join("f.json");
        assert_ne!(unique_beside(&p, "tmp"), unique_beside(&p, "tmp"));
        write_atomic(&p, b"one", false).unwrap();
        write_atomic(&p, b"two", true).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1, "no temporary left");
    }
}
