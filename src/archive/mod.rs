//! Safe reading of a wheelhouse archive, ours or hand-packed with `pip download` and `tar`.
//!
//! Input: the path of a `.tar.gz`. Output: an [`OpenedArchive`]: the archive's sha256 and size,
//! every entry, the allowed regular files extracted flat into a temporary folder (with
//! [`walk_archive`], each handed to a callback as soon as it is written, which may delete it:
//! `verify` keeps disk use to the largest single wheel that way), and a list of
//! [`ArchiveFinding`]s (each one an integrity violation, exit 4). Reading goes on past a
//! finding so that every one is listed; it stops with an [`ArchiveError`] only when the stream
//! itself cannot be read (corrupt gzip, bad header checksum, truncation) or a limit is hit.
//!
//! Grammar accepted without findings (gzip, possibly multi-member, around a tar stream of
//! ustar, GNU or PAX headers):
//!
//! ```text
//! archive = [ "./" dir ] "wheelhouse/" dir  file*  zero-blocks
//! file    = "wheelhouse/" ( wheel-file-name | "requirements.txt" | "constraints.txt"
//!                         | "pylock.toml" )               ; regular files only
//! ```
//!
//! Names may start with `./` (as `tar czf x.tar.gz ./wheelhouse` writes them). GNU long names
//! and PAX `path` records are honoured (and checked like any name). Findings: links, devices,
//! FIFOs and other special entries, absolute names, `..` components, unsafe characters,
//! duplicates, PAX `size` records (readers disagree on them: CVE-2025-62518), names outside
//! `wheelhouse/`, anything else inside it, and data after the end-of-archive marker.
//!
//! The tar crate reads headers and checksums; its iterator runs in raw mode so that GNU and
//! PAX extension headers are seen (and judged) here instead of being applied silently.
//! A member larger than [`ArchiveLimits::max_member`] (the wheel-size cap,
//! [`crate::wheel_name::max_wheel_size`]) stops the reading from its header, before anything of
//! it is written. Nothing is ever extracted by path: an allowed file is written to `<temp>/<file name>`,
//! created exclusively, so no entry can write outside the temporary folder.

mod findings;
mod reader;

pub use findings::{ArchiveFinding, FindingKind};
pub use reader::{open_archive, open_archive_with_limits, walk_archive};

use std::cell::Cell;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use sha2::{Digest as _, Sha256};

use crate::exit::ExitCode;
use crate::pack::ALLOWED_FILES;
use crate::wheel_name::WheelName;

/// The kind of a tar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    /// A regular file.
    Regular,
    /// A directory.
    Directory,
    /// A symbolic link.
    Symlink,
    /// A hard link.
    Hardlink,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A FIFO.
    Fifo,
    /// Any other type flag.
    Other(u8),
}

impl std::fmt::Display for EntryType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryType::Regular => f.write_str("regular file"),
            EntryType::Directory => f.write_str("directory"),
            EntryType::Symlink => f.write_str("symbolic link"),
            EntryType::Hardlink => f.write_str("hard link"),
            EntryType::CharDevice => f.write_str("character device"),
            EntryType::BlockDevice => f.write_str("block device"),
            EntryType::Fifo => f.write_str("FIFO"),
            EntryType::Other(flag) => write!(f, "entry of type `{}`", flag.escape_ascii()),
        }
    }
}

impl EntryType {
    fn from_tar(kind: tar::EntryType) -> Self {
        match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => EntryType::Regular,
            tar::EntryType::Directory => EntryType::Directory,
            tar::EntryType::Symlink => EntryType::Symlink,
            tar::EntryType::Link => EntryType::Hardlink,
            tar::EntryType::Char => EntryType::CharDevice,
            tar::EntryType::Block => EntryType::BlockDevice,
            tar::EntryType::Fifo => EntryType::Fifo,
            other => EntryType::Other(other.as_byte()),
        }
    }
}

/// One entry of the archive (extension headers are not entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveEntry {
    /// The name as stored (after GNU/PAX long names), escaped if it is not clean UTF-8.
    pub name: String,
    /// The size from the header.
    pub size: u64,
    /// The kind.
    pub kind: EntryType,
}

/// Bounds that keep a hostile archive from exhausting memory or disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// The most entries.
    pub max_entries: usize,
    /// The most bytes extracted in total.
    pub max_extracted: u64,
    /// The largest GNU long-name or PAX header.
    pub max_extension: u64,
    /// The largest single member, judged from its tar header before anything is written
    /// (default: [`crate::wheel_name::max_wheel_size`]).
    pub max_member: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits {
            max_entries: 100_000,
            max_extracted: 16 << 30,
            max_extension: 1 << 20,
            max_member: crate::wheel_name::max_wheel_size(),
        }
    }
}

/// An archive that was read to the end.
#[derive(Debug)]
pub struct OpenedArchive {
    /// The hex sha256 of the archive file.
    pub sha256: String,
    /// The archive's size in bytes.
    pub size: u64,
    /// Every entry in order.
    pub entries: Vec<ArchiveEntry>,
    /// The allowed regular files, extracted flat under their file names.
    pub dir: tempfile::TempDir,
    /// Every problem found; not empty means exit 4.
    pub findings: Vec<ArchiveFinding>,
}

impl OpenedArchive {
    /// The wheels extracted from `wheelhouse/` (or `./wheelhouse/`) whose names parse, with
    /// their paths in the temp folder, in archive order.
    pub fn wheel_files(&self) -> Vec<(String, crate::wheel_name::WheelName, PathBuf)> {
        self.entries
            .iter()
            .filter_map(|entry| {
                let file = entry
                    .name
                    .strip_prefix("wheelhouse/")
                    .or_else(|| entry.name.strip_prefix("./wheelhouse/"))?;
                let wheel = file.parse().ok()?;
                let path = self.dir.path().join(file);
                path.is_file().then(|| (file.to_string(), wheel, path))
            })
            .collect()
    }
}

/// Why an archive could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The file or the temp folder could not be read or written.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// The gzip or tar stream is corrupt or truncated.
    #[error("Corrupt archive `{}`: {detail}", path.display())]
    Corrupt {
        /// The archive.
        path: PathBuf,
        /// What the decoder said.
        detail: String,
    },
    /// A limit was exceeded.
    #[error("Archive `{}` exceeds the {limit} limit: {actual} > {max} (configurable)", path.display())]
    Limit {
        /// The archive.
        path: PathBuf,
        /// Which limit.
        limit: &'static str,
        /// The value found.
        actual: u64,
        /// The limit.
        max: u64,
    },
    /// One member is larger than the wheel-size cap (judged from its header, nothing written).
    #[error(
        "Archive `{}`: member `{member}` declares {size} bytes, over the {max}-byte wheel-size cap (set NBWHEEL_MAX_WHEEL_SIZE to raise it)",
        path.display()
    )]
    Member {
        /// The archive.
        path: PathBuf,
        /// The member's name.
        member: String,
        /// The size its header declares.
        size: u64,
        /// The cap.
        max: u64,
    },
}

impl ArchiveError {
    /// 5 for local I/O failures, 4 for a corrupt or oversized archive.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            ArchiveError::Io { .. } => ExitCode::Environment,
            ArchiveError::Corrupt { .. }
            | ArchiveError::Limit { .. }
            | ArchiveError::Member { .. } => ExitCode::Integrity,
        }
    }
}

#[cfg(test)]
mod tests;
