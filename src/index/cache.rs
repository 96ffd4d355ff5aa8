//! The on-disk cache: index pages with their HTTP validators, core metadata, and wheels.
//!
//! Input: keys (a wheel's sha256, a page URL, a metadata URL). Output: paths inside the cache
//! root. Layout (version 1):
//!
//! ```text
//! <root>/v1/wheels/<sha256[0..2]>/<sha256>/<filename>   content-addressed wheels
//! <root>/v1/wheels/<sha256[0..2]>/<sha256>/<filename>.validated   passed the wheel checks
//! <root>/v1/wheels-by-url/<sha256(url)>/<filename>        wheels listed without a sha256,
//! <root>/v1/wheels-by-url/<sha256(url)>/<filename>.sha256  checked against the sha256 recorded
//! <root>/v1/metadata/<sha256(url)>                        core metadata bytes
//! <root>/v1/pages/<sha256(url)>.json                      page body + ETag/Last-Modified
//! <root>/v1/pages/<sha256(url, filter)>.filtered.json     a header line, then the compact form (page_cache)
//! <root>/v1/remembered/<sha256(inputs)>.txt               projects a run read (a hint)
//! <root>/v1/locks/<key>.lock                              per-entry locks (see below)
//! <root>/v1/tmp/part-XXXXXX                                temp files, renamed into place
//! ```
//!
//! Every entry is written as a temp file in the cache and renamed into place, so a reader never
//! sees a partial entry; wheels are checked against their address when read. Without a cache
//! (`--no-cache`) the same layout lives in a temporary directory removed at the end of the run.
//!
//! Several nbwheel processes may share one cache. Readers take no lock (entries appear
//! atomically and are checked on read); a process about to *write* a wheel takes that entry's
//! exclusive lock ([`Cache::try_lock_entry`], an OS file lock on `locks/<key>.lock`, released
//! when the process ends however it ends), then looks again, so two processes never download
//! the same wheel at once and a corrupted entry is replaced by exactly one of them. The wait is
//! bounded by `NBWHEEL_LOCK_TIMEOUT` ([`lock_timeout`]). Temp files are locked while in use;
//! unlocked ones are left over from killed runs and removed by the next run
//! ([`Cache::remove_stale_temps`]).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::index::IndexError;

/// The cache root and its layout.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    /// Keeps a `--no-cache` directory alive for the run.
    _temp: Option<tempfile::TempDir>,
}

/// A cached index page.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CachedPage {
    /// The `ETag` header, when the server sent one.
    pub etag: Option<String>,
    /// The `Last-Modified` header, when the server sent one.
    pub last_modified: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The final URL after redirects (without credentials).
    pub url: String,
    /// The body.
    pub body: String,
}

fn io_err(action: &'static str, path: &Path, source: std::io::Error) -> IndexError {
    IndexError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// The default of `NBWHEEL_LOCK_TIMEOUT`: how long a process waits for another one that holds
/// a cache entry's lock.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_mins(5);

/// How long to wait for a cache entry's lock: `NBWHEEL_LOCK_TIMEOUT` in seconds (may be
/// fractional), else [`DEFAULT_LOCK_TIMEOUT`]. A value that is not a non-negative number is a
/// usage error (exit 2).
pub fn lock_timeout() -> Result<Duration, IndexError> {
    let Some(raw) = std::env::var_os("NBWHEEL_LOCK_TIMEOUT").filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_LOCK_TIMEOUT);
    };
    raw.to_str()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| IndexError::Config {
            setting: "`NBWHEEL_LOCK_TIMEOUT`".into(),
            reason: format!(
                "{:?} is not a number of seconds",
                raw.to_string_lossy().into_owned()
            ),
        })
}

/// What a content-addressed wheel entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WheelEntry {
    /// Present and its bytes match the address.
    Valid(PathBuf),
    /// Present but its bytes do not match the address.
    Corrupt(PathBuf),
    /// Absent.
    Missing,
}

/// An exclusive lock on one cache entry, released on drop (or when the process dies).
#[derive(Debug)]
pub struct EntryLock {
    _file: std::fs::File,
}

/// The sha256 of some bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The warning for a cache entry whose bytes no longer match their address.
pub fn warn_corrupt(filename: &str) {
    tracing::warn!(
        "Cached `{filename}` is corrupted (its sha256 does not match); fetching it again"
    );
}

/// Removes the temp files this process has open (in any nbwheel cache, and archive temp files
/// beside an output), for an interrupted run that exits without unwinding. Found through
/// `/proc/self/fd` on Linux; elsewhere nothing is done here and the next run removes them.
/// Returns how many were removed.
pub fn remove_own_temp_files() -> usize {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let mut removed = 0;
    for fd in fds.flatten() {
        let Ok(target) = std::fs::read_link(fd.path()) else {
            continue;
        };
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let in_cache_tmp =
            name.starts_with("part-") && target.parent().is_some_and(|p| p.ends_with("v1/tmp"));
        let archive_temp = name.starts_with('.') && name.contains(".nbwheel-tmp-");
        if (in_cache_tmp || archive_temp) && std::fs::remove_file(&target).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether the temp file's path still names the file that is open (a concurrent
/// [`Cache::remove_stale_temps`] may have unlinked it before it was locked).
#[cfg(unix)]
fn still_linked(temp: &tempfile::NamedTempFile) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(open) = temp.as_file().metadata() else {
        return false;
    };
    std::fs::symlink_metadata(temp.path())
        .is_ok_and(|on_disk| on_disk.ino() == open.ino() && on_disk.dev() == open.dev())
}

#[cfg(not(unix))]
fn still_linked(temp: &tempfile::NamedTempFile) -> bool {
    temp.path().exists()
}

/// What a validation marker holds: the version of the checks it stands for.
const VALIDATED_MARKER: &str = concat!("validated by nbwheel ", env!("CARGO_PKG_VERSION"), "\n");

/// The file beside an unhashed entry that holds its sha256.
fn sha256_record(dest: &Path) -> PathBuf {
    let mut path = dest.as_os_str().to_owned();
    path.push(".sha256");
    PathBuf::from(path)
}

fn is_hex_equal(actual: &str, recorded: &str) -> bool {
    crate::lock::is_sha256_hex(recorded) && actual == recorded
}

/// Whether `name` is a temp file name nbwheel makes in `v1/tmp`: `part-` and six ASCII letters
/// or digits (the `tempfile` crate's random suffix).
pub fn is_own_temp_name(name: &str) -> bool {
    name.strip_prefix("part-")
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `name` when it is one safe path component, else a fixed stand-in.
fn safe_name(name: &str) -> &str {
    if crate::lock::is_safe_file_name(name) {
        name
    } else {
        "invalid-name.whl"
    }
}

/// The sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

impl Cache {
    /// A cache at `root` (created on first write).
    pub fn at(root: PathBuf) -> Self {
        Cache { root, _temp: None }
    }

    /// A cache in a temporary directory that disappears with this value (`--no-cache`).
    pub fn temporary() -> Result<Self, IndexError> {
        let dir = tempfile::Builder::new()
            .prefix("nbwheel-cache-")
            .tempdir()
            .map_err(|e| {
                io_err(
                    "Failed to create a temporary cache in",
                    &std::env::temp_dir(),
                    e,
                )
            })?;
        Ok(Cache {
            root: dir.path().to_path_buf(),
            _temp: Some(dir),
        })
    }

    /// The default cache directory: `NBWHEEL_CACHE_DIR`, else the user's cache dir + `nbwheel`.
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("NBWHEEL_CACHE_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        dirs::cache_dir()
            .unwrap_or_else(std::env::temp_dir)
            .join("nbwheel")
    }

    /// The cache root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn v1(&self) -> PathBuf {
        self.root.join("v1")
    }

    /// Where a wheel with this sha256 lives. Always inside the cache: a key that is not 64
    /// lower-case hex digits is hashed, and a file name that is not one safe path component is
    /// replaced (callers validate both before; this is the last line).
    pub fn wheel_path(&self, sha256: &str, filename: &str) -> PathBuf {
        let key = if crate::lock::is_sha256_hex(sha256) {
            sha256.to_string()
        } else {
            sha256_hex(sha256.as_bytes())
        };
        self.v1()
            .join("wheels")
            .join(&key[..2])
            .join(&key)
            .join(safe_name(filename))
    }

    /// Where a wheel fetched from a URL without a known hash is kept.
    pub fn unhashed_wheel_path(&self, url: &url::Url, filename: &str) -> PathBuf {
        self.v1()
            .join("wheels-by-url")
            .join(sha256_hex(url.as_str().as_bytes()))
            .join(safe_name(filename))
    }

    /// Where a metadata file is kept.
    pub fn metadata_path(&self, url: &url::Url) -> PathBuf {
        self.v1()
            .join("metadata")
            .join(sha256_hex(url.as_str().as_bytes()))
    }

    /// Where a page is kept.
    pub fn page_path(&self, url: &url::Url) -> PathBuf {
        self.v1()
            .join("pages")
            .join(format!("{}.json", sha256_hex(url.as_str().as_bytes())))
    }

    /// Where the compact, filtered form of a page is kept: one entry per page URL and filter
    /// key (see [`crate::index::page_cache`]).
    pub fn filtered_page_path(&self, url: &url::Url, filter_key: &str) -> PathBuf {
        let key = sha256_hex(format!("{url}\n{filter_key}").as_bytes());
        self.v1().join("pages").join(format!("{key}.filtered.json"))
    }

    /// Where the list of project pages a run with inputs `key` read is kept (see
    /// [`crate::index::client::Client::remember_pages`]).
    pub fn remembered_path(&self, key: &str) -> PathBuf {
        self.v1().join("remembered").join(format!("{key}.txt"))
    }

    /// A new temp file inside the cache, for writing an entry that is then renamed into place.
    /// It is locked while open, so [`Cache::remove_stale_temps`] in another process leaves it;
    /// if that removal won the race before the lock was taken, a new file is made.
    pub fn temp_file(&self) -> Result<tempfile::NamedTempFile, IndexError> {
        let dir = self.v1().join("tmp");
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            // Temp files go into the cache's own folder, never through a link.
            std::fs::remove_file(&dir).map_err(|e| io_err("Failed to remove", &dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| io_err("Failed to create", &dir, e))?;
        for _ in 0..5 {
            let temp = tempfile::Builder::new()
                .prefix("part-")
                .tempfile_in(&dir)
                .map_err(|e| io_err("Failed to create a temp file in", &dir, e))?;
            match temp.as_file().try_lock() {
                Ok(()) if still_linked(&temp) => return Ok(temp),
                Ok(()) | Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => {
                    // A file system without locks: no sharing protection, but usable.
                    tracing::debug!("cannot lock `{}`: {e}", temp.path().display());
                    return Ok(temp);
                }
            }
        }
        Err(io_err(
            "Failed to create a temp file in",
            &dir,
            std::io::Error::other("it was removed by another process five times"),
        ))
    }

    /// Removes temp files left in the cache by runs that were killed: those no live process
    /// holds locked. Housekeeping: errors are only logged.
    pub fn remove_stale_temps(&self) {
        let dir = self.v1().join("tmp");
        // Never through a symlink: only the cache's own folder is cleaned.
        let real_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        if !real_dir(&self.v1()) || !real_dir(&dir) {
            return;
        }
        let Ok(read) = std::fs::read_dir(&dir) else {
            return;
        };
        for entry in read.flatten() {
            let path = entry.path();
            // `file_type` does not follow symlinks: a link is never a file here.
            if !entry.file_type().is_ok_and(|t| t.is_file())
                || !entry.file_name().to_str().is_some_and(is_own_temp_name)
            {
                continue;
            }
            let Ok(file) = std::fs::File::open(&path) else {
                continue;
            };
            if file.try_lock().is_err() {
                continue;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => tracing::debug!("Removed stale temporary file `{}`", path.display()),
                Err(e) => tracing::debug!("Could not remove stale `{}`: {e}", path.display()),
            }
        }
    }

    /// The lock file of the entry `key` (a sha256 or another hex key).
    pub fn lock_path(&self, key: &str) -> PathBuf {
        self.v1().join("locks").join(format!("{key}.lock"))
    }

    /// Tries to take the exclusive lock of the entry `key`: `Ok(None)` when another process
    /// holds it.
    pub fn try_lock_entry(&self, key: &str) -> Result<Option<EntryLock>, IndexError> {
        let path = self.lock_path(key);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err("Failed to create", parent, e))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err("Failed to open the lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(EntryLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(io_err("Failed to lock", &path, e)),
        }
    }

    /// Moves a finished temp file to `dest`.
    pub fn persist(&self, temp: tempfile::NamedTempFile, dest: &Path) -> Result<(), IndexError> {
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err("Failed to create", parent, e))?;
        }
        temp.persist(dest)
            .map_err(|e| io_err("Failed to move a cache entry to", dest, e.error))?;
        Ok(())
    }

    /// Writes `bytes` to `dest` atomically.
    pub fn write(&self, dest: &Path, bytes: &[u8]) -> Result<(), IndexError> {
        let mut temp = self.temp_file()?;
        temp.write_all(bytes)
            .map_err(|e| io_err("Failed to write", temp.path(), e))?;
        self.persist(temp, dest)
    }

    /// Reads a cached page.
    pub fn read_page(&self, url: &url::Url) -> Option<CachedPage> {
        let bytes = std::fs::read(self.page_path(url)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores a page.
    pub fn write_page(&self, url: &url::Url, page: &CachedPage) -> Result<(), IndexError> {
        let bytes = serde_json::to_vec(page).map_err(|e| IndexError::Io {
            action: "Failed to encode a cached page for",
            path: self.page_path(url),
            source: std::io::Error::other(e),
        })?;
        self.write(&self.page_path(url), &bytes)
    }

    /// The state of the wheel entry with this sha256, checked against its address; nothing is
    /// changed (the caller removes a corrupt entry under the entry's lock).
    pub fn wheel_entry(&self, sha256: &str, filename: &str) -> WheelEntry {
        let path = self.wheel_path(sha256, filename);
        if !path.is_file() {
            return WheelEntry::Missing;
        }
        match sha256_file(&path) {
            Ok((actual, _)) if actual == sha256 => WheelEntry::Valid(path),
            _ => WheelEntry::Corrupt(path),
        }
    }

    /// A cached wheel with this sha256, checked on read: a corrupted entry is removed (with a
    /// warning) and `None` returned so it is fetched again.
    pub fn cached_wheel(&self, sha256: &str, filename: &str) -> Option<PathBuf> {
        match self.wheel_entry(sha256, filename) {
            WheelEntry::Valid(path) => Some(path),
            WheelEntry::Missing => None,
            WheelEntry::Corrupt(path) => {
                warn_corrupt(filename);
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Where the verdict for the wheel `filename` with this sha256 is kept: inside its
    /// content-addressed entry, keyed by content and name (the tag checks depend on the name).
    fn validated_path(&self, sha256: &str, filename: &str) -> PathBuf {
        let mut path = self.wheel_path(sha256, filename).into_os_string();
        path.push(".validated");
        PathBuf::from(path)
    }

    /// Whether the wheel `filename` with this sha256 already passed full validation by this
    /// version of nbwheel (a marker from another version, or planted elsewhere, counts for
    /// nothing).
    pub fn is_validated(&self, sha256: &str, filename: &str) -> bool {
        crate::lock::is_sha256_hex(sha256)
            && std::fs::read(self.validated_path(sha256, filename))
                .is_ok_and(|m| m == VALIDATED_MARKER.as_bytes())
    }

    /// Records that the wheel `filename` with this sha256 passed full validation.
    pub fn mark_validated(&self, sha256: &str, filename: &str) {
        if !crate::lock::is_sha256_hex(sha256) {
            return;
        }
        let path = self.validated_path(sha256, filename);
        if let Err(e) = self.write(&path, VALIDATED_MARKER.as_bytes()) {
            tracing::debug!("cannot record validation: {e}");
        }
    }

    /// The state of the wheel fetched from a URL without a known hash (at `dest`, from
    /// [`Cache::unhashed_wheel_path`]): valid only when its bytes match the sha256 recorded
    /// beside it when it was stored ([`Cache::record_unhashed`]); the sha256 and size.
    pub fn unhashed_entry(&self, dest: &Path) -> Option<Result<(String, u64), ()>> {
        if !dest.is_file() {
            return None;
        }
        let recorded = std::fs::read_to_string(sha256_record(dest)).unwrap_or_default();
        match sha256_file(dest) {
            Ok((actual, size)) if is_hex_equal(&actual, recorded.trim()) => {
                Some(Ok((actual, size)))
            }
            _ => Some(Err(())),
        }
    }

    /// Records the sha256 of a wheel about to be stored at `dest` (an unhashed entry), before
    /// the wheel itself is moved there.
    pub fn record_unhashed(&self, dest: &Path, sha256: &str) -> Result<(), IndexError> {
        self.write(&sha256_record(dest), sha256.as_bytes())
    }

    /// Removes the whole cache.
    pub fn clean(&self) -> Result<(), IndexError> {
        match std::fs::remove_dir_all(&self.root) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_err("Failed to remove", &self.root, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupted_wheel_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().to_path_buf());
        let good = b"wheel bytes";
        let sha = sha256_hex(good);
        cache
            .write(&cache.wheel_path(&sha, "a-1-py3-none-any.whl"), good)
            .unwrap();
        assert!(cache.cached_wheel(&sha, "a-1-py3-none-any.whl").is_some());
        std::fs::write(
            cache.wheel_path(&sha, "a-1-py3-none-any.whl"),
            b"wheel bytez",
        )
        .unwrap();
        assert!(cache.cached_wheel(&sha, "a-1-py3-none-any.whl").is_none());
        assert!(!cache.wheel_path(&sha, "a-1-py3-none-any.whl").exists());
    }
}
