//! The deterministic, atomic `tar.gz` writer.
//!
//! Input: a [`PackInput`] (wheel files on disk and small generated files, each named by its file
//! name inside `wheelhouse/`) and [`PackOptions`] (mtime and gzip level). Output: the archive at
//! the `-o` path and an [`ArchiveInfo`] with its sha256, size and entry count.
//!
//! Layout: `wheelhouse/` (a directory, mode 0755) followed by every file as
//! `wheelhouse/<name>`, sorted bytewise by name; regular files have mode 0644; uid and gid are
//! 0, user and group names empty, every mtime is [`PackOptions::mtime`]. Headers are POSIX
//! ustar (`wheelhouse` in the prefix field, the file name in the name field); a file name longer
//! than 100 bytes gets a PAX `path` record, and no other PAX record is ever written (no atime
//! or ctime). The gzip header has no file name, MTIME 0 and OS 255, and the level is fixed, so
//! the same inputs give the same bytes whatever the run, cache state, temp directory, umask,
//! time zone or locale.
//!
//! Only names the builder may emit are accepted: `*.whl` file names that parse as wheel names,
//! and `requirements.txt`, `constraints.txt` and `pylock.toml`.
//!
//! Atomicity: the archive is written to `.<out>.nbwheel-tmp-<random>` in the destination
//! directory (so the final rename stays on one filesystem), hashed while it is written,
//! fsynced (the writeback of each 8 MiB is started as soon as it is written, `writeback.rs`),
//! and renamed over `out`. On any error the temp file is removed and `out` is left as it was.
//! The temp file is `flock`ed while in use, so [`remove_stale_temps`] removes only the
//! leftovers of killed runs, never those of a run still going.
//!
//! The tar stream is written by hand (512-byte header, data, zero padding, two zero blocks):
//! `tar::Builder::append` does the same, but writing it here tells read errors (the wheel)
//! from write errors (the archive) and checks that each file still has the size its header
//! declared. Headers themselves come from the `tar` crate.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use flate2::{Compression, GzBuilder};

use hashing::HashWriter;

use crate::exit::ExitCode;
use crate::wheel_name::WheelName;

/// The mtime used when `SOURCE_DATE_EPOCH` is unset: 1980-01-01T00:00:00Z, the zip epoch, so
/// no extractor warns about an implausibly old time stamp.
pub const DEFAULT_MTIME: u64 = 315_532_800;

/// The default gzip level: 0 (stored deflate blocks).
///
/// Measured on 25 MB of real wheels with this crate's flate2 backend (zlib-rs, which the `zip`
/// crate's `deflate` feature selects): level 0 takes 0.025 s and adds 0.02 %; level 1 takes
/// 0.32 s and *grows* the data by 3 %; level 2 takes 0.64 s and saves 2.1 %; level 6 takes
/// 0.73 s and saves 2.1 %. Wheels are already deflated, so saving 2 % is not worth 25 times the
/// time.
pub const DEFAULT_LEVEL: u32 = 0;

/// The first mtime that does not fit the 11 octal digits of a ustar header (2^33).
pub const MTIME_LIMIT: u64 = 1 << 33;

/// The generated files the builder may put next to the wheels.
pub const ALLOWED_FILES: [&str; 3] = ["requirements.txt", "constraints.txt", "pylock.toml"];

const BLOCK: usize = 512;
const ROOT: &str = "wheelhouse";

/// What goes into the archive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackInput {
    /// Wheels: the file name inside `wheelhouse/` and the file to stream from.
    pub wheels: Vec<(String, PathBuf)>,
    /// Generated files: the file name inside `wheelhouse/` (one of [`ALLOWED_FILES`]) and the
    /// bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// How to write the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackOptions {
    /// The mtime of every entry, in seconds since the Unix epoch.
    pub mtime: u64,
    /// The gzip level, 0 to 9.
    pub level: u32,
}

impl Default for PackOptions {
    fn default() -> Self {
        PackOptions {
            mtime: DEFAULT_MTIME,
            level: DEFAULT_LEVEL,
        }
    }
}

impl PackOptions {
    /// Options from the environment: the mtime from `SOURCE_DATE_EPOCH` when it is set and
    /// not empty, else [`DEFAULT_MTIME`]; the level [`DEFAULT_LEVEL`].
    pub fn from_env() -> Result<Self, PackError> {
        Self::from_source_date_epoch(std::env::var_os("SOURCE_DATE_EPOCH").as_deref())
    }

    /// Options from a `SOURCE_DATE_EPOCH` value: decimal digits only, below 2^33.
    pub fn from_source_date_epoch(value: Option<&OsStr>) -> Result<Self, PackError> {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return Ok(PackOptions::default());
        };
        let invalid = |reason| PackError::SourceDateEpoch {
            value: value.to_string_lossy().escape_debug().to_string(),
            reason,
        };
        let text = value
            .to_str()
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| invalid("it must be a non-negative whole number of seconds"))?;
        let mtime = text
            .parse::<u64>()
            .ok()
            .filter(|&m| m < MTIME_LIMIT)
            .ok_or_else(|| invalid("it must be below 2^33 (8589934592), the tar format's limit"))?;
        Ok(PackOptions {
            mtime,
            level: DEFAULT_LEVEL,
        })
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInfo {
    /// The archive's path (the `out` given to [`pack`]).
    pub path: PathBuf,
    /// The hex sha256 of the archive.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// The number of tar entries (the directory and the files; PAX records not counted).
    pub entries: usize,
}

/// Why packing failed.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// A file could not be read or written.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done, e.g. "Failed to write".
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error (with its errno).
        #[source]
        source: io::Error,
    },
    /// A wheel changed while it was being packed.
    #[error("`{}` changed while it was being packed: expected {expected} bytes, read {actual}", path.display())]
    Changed {
        /// The wheel.
        path: PathBuf,
        /// The size when packing started.
        expected: u64,
        /// The size read.
        actual: u64,
    },
    /// `SOURCE_DATE_EPOCH` is not a valid time.
    #[error("Invalid `SOURCE_DATE_EPOCH` value `{value}`: {reason}")]
    SourceDateEpoch {
        /// The value, escaped.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The gzip level is out of range.
    #[error("Invalid compression level {0}: it must be 0 to 9")]
    Level(u32),
    /// A name that must not be in the archive.
    #[error("Refusing to pack `wheelhouse/{name}`: {reason}")]
    UnsafeName {
        /// The name, escaped.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
}

impl PackError {
    /// The exit code: 2 for bad options, 4 for unsafe names, 5 for I/O.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            PackError::Io { .. } | PackError::Changed { .. } => ExitCode::Environment,
            PackError::SourceDateEpoch { .. } | PackError::Level(_) => ExitCode::Usage,
            PackError::UnsafeName { .. } => ExitCode::Integrity,
        }
    }

    fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        PackError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// One file to write.
enum Data<'a> {
    Disk(&'a Path),
    Memory(&'a [u8]),
}

/// Checks every name and returns the entries sorted bytewise.
fn entries(input: &PackInput) -> Result<Vec<(&str, Data<'_>)>, PackError> {
    let refuse = |name: &str, reason| PackError::UnsafeName {
        name: name.escape_debug().to_string(),
        reason,
    };
    let mut out = Vec::with_capacity(input.wheels.len() + input.files.len());
    for (name, path) in &input.wheels {
        let parsed = name
            .parse::<WheelName>()
            .map_err(|_| refuse(name, "not a valid wheel file name"))?;
        if parsed.filename() != name {
            return Err(refuse(name, "not a valid wheel file name"));
        }
        out.push((name.as_str(), Data::Disk(path)));
    }
    for (name, bytes) in &input.files {
        if !ALLOWED_FILES.contains(&name.as_str()) {
            return Err(refuse(
                name,
                "only `requirements.txt`, `constraints.txt` and `pylock.toml` may be packed next to the wheels",
            ));
        }
        out.push((name.as_str(), Data::Memory(bytes)));
    }
    out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    if let Some(pair) = out.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(refuse(pair[0].0, "the name is given twice"));
    }
    Ok(out)
}

/// A ustar header with the fixed owner, mode and mtime.
fn header(
    prefix: &str,
    name: &[u8],
    size: u64,
    kind: tar::EntryType,
    mode: u32,
    mtime: u64,
) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    let ustar = h.as_ustar_mut().expect("a new ustar header is ustar");
    let name = &name[..name.len().min(ustar.name.len())];
    ustar.name[..name.len()].copy_from_slice(name);
    ustar.prefix[..prefix.len()].copy_from_slice(prefix.as_bytes());
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(mtime);
    h.set_size(size);
    // Empty user and group names; device numbers as octal zeros, as GNU tar writes them.
    let _ = h.set_device_major(0);
    let _ = h.set_device_minor(0);
    h.set_cksum();
    h
}

/// A PAX `path` record: `"<len> path=<value>\n"`, where `<len>` counts the whole record.
fn pax_path_record(value: &str) -> Vec<u8> {
    let body = format!(" path={value}\n");
    let mut len = body.len() + 1;
    while len != body.len() + len.to_string().len() {
        len = body.len() + len.to_string().len();
    }
    format!("{len}{body}").into_bytes()
}

/// Writes `archive` through `out`, naming `out_path` or the wheel in errors.
struct TarWriter<'a, W> {
    out: W,
    out_path: &'a Path,
    mtime: u64,
    buf: Vec<u8>,
}

impl<W: Write> TarWriter<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), PackError> {
        self.out
            .write_all(bytes)
            .map_err(|e| PackError::io("Failed to write", self.out_path, e))
    }

    fn pad(&mut self, len: u64) -> Result<(), PackError> {
        let rem = usize::try_from(len % BLOCK as u64).expect("below 512");
        if rem != 0 {
            self.write(&[0u8; BLOCK][..BLOCK - rem])?;
        }
        Ok(())
    }

    fn directory(&mut self) -> Result<(), PackError> {
        let h = header(
            "",
            format!("{ROOT}/").as_bytes(),
            0,
            tar::EntryType::Directory,
            0o755,
            self.mtime,
        );
        self.write(h.as_bytes())
    }

    fn file_header(&mut self, name: &str, size: u64) -> Result<(), PackError> {
        if name.len() > 100 {
            let record = pax_path_record(&format!("{ROOT}/{name}"));
            let pax_name = format!("PaxHeaders/{name}");
            let h = header(
                ROOT,
                pax_name.as_bytes(),
                record.len() as u64,
                tar::EntryType::XHeader,
                0o644,
                self.mtime,
            );
            self.write(h.as_bytes())?;
            self.write(&record)?;
            self.pad(record.len() as u64)?;
        }
        let h = header(
            ROOT,
            name.as_bytes(),
            size,
            tar::EntryType::Regular,
            0o644,
            self.mtime,
        );
        self.write(h.as_bytes())
    }

    fn memory(&mut self, name: &str, bytes: &[u8]) -> Result<(), PackError> {
        self.file_header(name, bytes.len() as u64)?;
        self.write(bytes)?;
        self.pad(bytes.len() as u64)
    }

    fn disk(&mut self, name: &str, path: &Path) -> Result<(), PackError> {
        let read_err = |e| PackError::io("Failed to read", path, e);
        let mut file = File::open(path).map_err(read_err)?;
        let size = file.metadata().map_err(read_err)?.len();
        self.file_header(name, size)?;
        let mut copied = 0u64;
        let mut reader = (&mut file).take(size);
        loop {
            let n = match reader.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_err(e)),
            };
            self.out
                .write_all(&self.buf[..n])
                .map_err(|e| PackError::io("Failed to write", self.out_path, e))?;
            copied += n as u64;
        }
        let now = file.metadata().map_err(read_err)?.len();
        if copied != size || now != size {
            return Err(PackError::Changed {
                path: path.to_path_buf(),
                expected: size,
                actual: if copied == size { now } else { copied },
            });
        }
        self.pad(size)
    }
}

/// Writes the archive for `input` to `out` atomically.
pub fn pack(
    out: &Path,
    input: &PackInput,
    options: &PackOptions,
) -> Result<ArchiveInfo, PackError> {
    if options.level > 9 {
        return Err(PackError::Level(options.level));
    }
    if options.mtime >= MTIME_LIMIT {
        return Err(PackError::SourceDateEpoch {
            value: options.mtime.to_string(),
            reason: "it must be below 2^33 (8589934592), the tar format's limit",
        });
    }
    let entries = entries(input)?;
    let out_name = out.file_name().and_then(OsStr::to_str).ok_or_else(|| {
        PackError::io(
            "Invalid output path",
            out,
            io::Error::new(io::ErrorKind::InvalidInput, "not a UTF-8 file name"),
        )
    })?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    remove_stale_temps(dir, out_name);
    let temp = create_temp(dir, out_name)
        .map_err(|e| PackError::io("Failed to create a temporary file in", dir, e))?;

    let (digest, size) = write_archive(temp.as_file(), out, &entries, options)?;
    let write_err = |e| PackError::io("Failed to write", out, e);
    temp.as_file().sync_all().map_err(write_err)?;
    temp.persist(out)
        .map_err(|e| PackError::io("Failed to rename the temporary file to", out, e.error))?;
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!("Could not fsync `{}`: {e}", dir.display());
    }
    Ok(ArchiveInfo {
        path: out.to_path_buf(),
        sha256: hex::encode(digest),
        size,
        entries: entries.len() + 1,
    })
}

/// Streams the tar.gz into `file`; returns its sha256 and size.
fn write_archive(
    file: &File,
    out: &Path,
    entries: &[(&str, Data<'_>)],
    options: &PackOptions,
) -> Result<([u8; 32], u64), PackError> {
    // The hashing thread gets the archive in the buffer's 256 KiB pieces.
    let hashed =
        BufWriter::with_capacity(256 * 1024, HashWriter::new(writeback::Writeback::new(file)));
    let gz = GzBuilder::new()
        .operating_system(255)
        .mtime(0)
        .write(hashed, Compression::new(options.level));
    let mut tar = TarWriter {
        out: gz,
        out_path: out,
        mtime: options.mtime,
        buf: vec![0u8; 256 * 1024],
    };
    tar.directory()?;
    for (name, data) in entries {
        match data {
            Data::Disk(path) => tar.disk(name, path)?,
            Data::Memory(bytes) => tar.memory(name, bytes)?,
        }
    }
    tar.write(&[0u8; 2 * BLOCK])?;
    let write_err = |e| PackError::io("Failed to write", out, e);
    let hashed = tar.out.finish().map_err(write_err)?;
    let hashed = hashed.into_inner().map_err(|e| write_err(e.into_error()))?;
    let (mut file, digest, count) = hashed.finish().map_err(write_err)?;
    file.flush().map_err(write_err)?;
    Ok((digest, count))
}

fn temp_prefix(out_name: &str) -> String {
    format!(".{out_name}.nbwheel-tmp-")
}

/// Creates and locks a temp file beside the output. Retries if a concurrent
/// [`remove_stale_temps`] removed it before the lock was taken.
fn create_temp(dir: &Path, out_name: &str) -> io::Result<tempfile::NamedTempFile> {
    let prefix = temp_prefix(out_name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut last = None;
    for _ in 0..5 {
        let temp = builder.tempfile_in(dir)?;
        match temp.as_file().try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => continue,
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
        if still_linked(&temp)? {
            return Ok(temp);
        }
        last = Some(io::Error::other(
            "the temporary file was removed by another process",
        ));
    }
    Err(last.unwrap_or_else(|| io::Error::other("could not lock a temporary file")))
}

#[cfg(unix)]
fn still_linked(temp: &tempfile::NamedTempFile) -> io::Result<bool> {
    use std::os::unix::fs::MetadataExt as _;
    let open = temp.as_file().metadata()?;
    Ok(std::fs::symlink_metadata(temp.path())
        .is_ok_and(|on_disk| on_disk.ino() == open.ino() && on_disk.dev() == open.dev()))
}

#[cfg(not(unix))]
fn still_linked(temp: &tempfile::NamedTempFile) -> io::Result<bool> {
    Ok(temp.path().exists())
}

/// Removes temp files left beside `dir/out_name` by runs that were killed. A temp file that
/// another live run holds locked is left alone. Errors are logged, never returned: this is
/// housekeeping.
pub fn remove_stale_temps(dir: &Path, out_name: &str) {
    let prefix = temp_prefix(out_name);
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(|n| n.starts_with(&prefix)) {
            continue;
        }
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if file.try_lock().is_err() {
            tracing::debug!("Keeping `{}`: another run is using it", path.display());
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => tracing::debug!("Removed stale temporary file `{}`", path.display()),
            Err(e) => tracing::warn!("Could not remove stale `{}`: {e}", path.display()),
        }
    }
}

mod hashing;
#[cfg(test)]
mod tests;
mod writeback;
