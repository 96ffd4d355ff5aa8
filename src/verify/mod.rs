//! Wheel validation: is this `.whl` file sound, is it the wheel its name says, and does every
//! byte match its `RECORD`?
//!
//! Input: the path of a wheel file, its parsed [`WheelName`] and [`WheelCheck`] options.
//! Output: a [`ValidatedWheel`] (the `.dist-info` name, the METADATA bytes, top-level import
//! names, tags) or a [`WheelError`] naming the wheel, the member and expected vs actual; every
//! `WheelError` maps to exit 4.
//!
//! The checks, in order:
//! 1. zip structure (the strict reader [`crate::wheel_zip`], by hand because the `zip` crate
//!    does not expose disagreements between local headers and the central directory): end
//!    records, central directory, every local header, no gaps, overlaps, duplicates, unsafe
//!    names, symlinks, encryption or methods other than stored/deflate, and sizes within
//!    [`WheelLimits`];
//! 2. identity: exactly one top-level `{name}-{version}.dist-info` matching the file name
//!    (names normalised, versions compared as PEP 440 versions); `WHEEL` has
//!    `Wheel-Version: 1.x`; METADATA `Name` and `Version` equal the file name's. `Tag:` lines
//!    that differ from the file name's tags (a wheel retagged after its build) are only a
//!    note ([`ValidatedWheel::notes`]): like pip and uv, nbwheel takes a wheel's
//!    compatibility from its file name;
//! 3. content (module `record`, hashed with [`crate::hash`]): every member is streamed (never held whole in memory)
//!    through its decompressor, CRC-32 and the hash RECORD names; every file must be listed
//!    with a sha256 (or stronger) hash and the right size, and every row must name a file.
//!    Only `RECORD` itself and `RECORD.jws`/`RECORD.p7s` may lack a hash. With
//!    [`WheelCheck::allow_invalid_record`] these RECORD problems become warnings.
//!
//! `WHEEL` and `METADATA` are read by [`crate::core_metadata`], the crate's one header reader.
//!
//! Modules: `wheel` runs the checks in order, `dist_info` checks the identity, `record` reads
//! RECORD, `hashing` hashes the file while it is validated.

mod dist_info;
mod hashing;
mod record;
mod wheel;

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::wheel_name::WheelName;
use crate::wheel_zip::{ZipError, ZipLimits};

pub use crate::wheel_zip::{LimitKind, ZipProblem};
pub use record::RecordProblem;

/// Upper bounds that keep a hostile wheel from exhausting memory, disk or time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelLimits {
    /// The most entries in the central directory.
    pub max_members: usize,
    /// The largest sum of declared uncompressed sizes.
    pub max_total_uncompressed: u64,
    /// The largest declared uncompressed size of one member.
    pub max_member: u64,
    /// The largest ratio of uncompressed to compressed size of one member.
    pub max_ratio: u64,
    /// The largest `METADATA`, `WHEEL` or `RECORD`.
    pub max_metadata: u64,
    /// The largest central directory.
    pub max_central_directory: u64,
}

impl Default for WheelLimits {
    fn default() -> Self {
        // The zip limits are the strict reader's, the same for every reader of a wheel.
        let zip = ZipLimits::default();
        WheelLimits {
            max_members: zip.max_members,
            max_total_uncompressed: zip.max_total_uncompressed,
            max_member: zip.max_member,
            max_ratio: zip.max_ratio,
            max_metadata: 16 << 20,
            max_central_directory: zip.max_central_directory,
        }
    }
}

/// How strictly to check a wheel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WheelCheck {
    /// The size limits.
    pub limits: WheelLimits,
    /// Report RECORD problems as warnings instead of errors (zip structure and identity are
    /// always errors).
    pub allow_invalid_record: bool,
}

/// What validation learned about a sound wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedWheel {
    /// The `.dist-info` directory name, e.g. `foo-1.0.dist-info`.
    pub dist_info: String,
    /// The METADATA bytes.
    pub metadata: Vec<u8>,
    /// Top-level import packages and modules (from the member paths, which RECORD lists),
    /// excluding `.dist-info` and `.data` (but including `.data/purelib` and `.data/platlib`
    /// contents), sorted.
    pub top_level: Vec<String>,
    /// The number of zip entries.
    pub members: usize,
    /// The sum of the uncompressed sizes.
    pub uncompressed_size: u64,
    /// The `Tag:` lines of `WHEEL`, as written.
    pub wheel_tags: Vec<String>,
    /// Harmless oddities worth a note in `verify` (never a reason to refuse the wheel), e.g.
    /// `Tag:` lines that differ from the file name's tags.
    pub notes: Vec<String>,
}

impl WheelLimits {
    /// The limits of the zip container.
    pub fn zip(&self) -> ZipLimits {
        ZipLimits {
            max_members: self.max_members,
            max_total_uncompressed: self.max_total_uncompressed,
            max_member: self.max_member,
            max_ratio: self.max_ratio,
            max_central_directory: self.max_central_directory,
        }
    }
}

/// Why a wheel failed validation. Every variant maps to exit 4.
#[derive(Debug, thiserror::Error)]
pub enum WheelError {
    /// The wheel file could not be read.
    #[error("Failed to read wheel `{}`", path.display())]
    Io {
        /// The wheel's path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The zip structure is unsound.
    #[error("Malformed wheel archive `{wheel}`: {problem}")]
    Malformed {
        /// The wheel file name.
        wheel: String,
        /// What is wrong.
        problem: ZipProblem,
    },
    /// A size limit was exceeded.
    #[error("Wheel `{wheel}` exceeds the {limit} limit{}: {actual} > {max} (configurable)", member.as_ref().map(|m| format!(" at `{m}`")).unwrap_or_default())]
    Limit {
        /// The wheel file name.
        wheel: String,
        /// The member, when one is to blame.
        member: Option<String>,
        /// Which limit.
        limit: LimitKind,
        /// The value found.
        actual: u64,
        /// The limit.
        max: u64,
    },
    /// RECORD is missing, malformed, or disagrees with the members.
    #[error("Invalid RECORD in wheel `{wheel}`: {problem}")]
    Record {
        /// The wheel file name.
        wheel: String,
        /// What is wrong.
        problem: RecordProblem,
    },
    /// Not exactly one top-level `.dist-info` directory.
    #[error(
        "Wheel `{wheel}` must have exactly one top-level `.dist-info` directory, found {}",
        list(found)
    )]
    DistInfoCount {
        /// The wheel file name.
        wheel: String,
        /// The directories found.
        found: Vec<String>,
    },
    /// A name or version inside the wheel differs from the file name.
    #[error("Wheel `{wheel}`: {field} is `{actual}`, but the file name says `{expected}`")]
    Mismatch {
        /// The wheel file name.
        wheel: String,
        /// The field, e.g. "METADATA `Version`".
        field: &'static str,
        /// The value from the file name.
        expected: String,
        /// The value inside the wheel.
        actual: String,
    },
    /// A required member is missing.
    #[error("Wheel `{wheel}` has no `{member}`")]
    MissingMember {
        /// The wheel file name.
        wheel: String,
        /// The missing member.
        member: String,
    },
    /// `WHEEL` or `METADATA` cannot be read.
    #[error("Wheel `{wheel}`: `{member}` {detail}")]
    BadMetadataFile {
        /// The wheel file name.
        wheel: String,
        /// The member.
        member: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// `Wheel-Version` is not 1.x.
    #[error("Wheel `{wheel}` has `Wheel-Version: {actual}`; only 1.x is supported")]
    WheelVersion {
        /// The wheel file name.
        wheel: String,
        /// The version found.
        actual: String,
    },
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".to_string();
    }
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A failure of the strict zip reader, with the wheel's name and path.
fn zip_error(wheel: &str, path: &Path, error: ZipError) -> WheelError {
    match error {
        ZipError::Io(source) => WheelError::Io {
            path: path.to_path_buf(),
            source,
        },
        ZipError::Malformed(problem) => WheelError::Malformed {
            wheel: wheel.to_string(),
            problem,
        },
        ZipError::Limit {
            member,
            limit,
            actual,
            max,
        } => WheelError::Limit {
            wheel: wheel.to_string(),
            member,
            limit,
            actual,
            max,
        },
        // A file holds every byte: this is a read past its end.
        ZipError::NotFetched { offset, .. } => WheelError::Malformed {
            wheel: wheel.to_string(),
            problem: ZipProblem::Truncated(offset),
        },
    }
}

/// Validates the wheel at `path`, whose file name parsed as `name`.
pub fn validate_wheel(
    path: &Path,
    name: &WheelName,
    check: &WheelCheck,
) -> Result<ValidatedWheel, WheelError> {
    let io = |source| WheelError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    wheel::validate_from(&mut file, len, path, name, check)
}

/// [`validate_wheel`] and the file's sha256 (hex) and size from the same reads: the bytes the
/// validation reads in file order are hashed as they pass, and only what it never reads (the
/// central directory, mostly) is read again at the end. The hash is computed even when the
/// validation fails, so a report can name the file; `Err` only when the file cannot be read.
pub fn validate_and_hash(
    path: &Path,
    name: &WheelName,
    check: &WheelCheck,
) -> std::io::Result<(Result<ValidatedWheel, WheelError>, String, u64)> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let mut hashing = hashing::HashingReader::new(file);
    let validated = wheel::validate_from(&mut hashing, len, path, name, check);
    let (sha256, size) = hashing.finish()?;
    Ok((validated, sha256, size))
}

#[cfg(test)]
mod tests;
