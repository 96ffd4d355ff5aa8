//! Wheel validation: is this `.whl` file sound, is it the wheel its name says, and does every
//! byte match its `RECORD`?
//!
//! Input: the path of a wheel file, its parsed [`WheelName`] and [`WheelCheck`] options.
//! Output: a [`ValidatedWheel`] (the `.dist-info` name, the METADATA bytes, top-level import
//! names, tags) or a [`WheelError`] naming the wheel, the member and expected vs actual; every
//! `WheelError` maps to exit 4.
//!
//! The checks, in order:
//! 1. zip structure (module `zip`, parsed by hand because the `zip` crate does not expose
//!    disagreements between local headers and the central directory): end records, central
//!    directory, every local header, no gaps, overlaps, duplicates, unsafe names, symlinks,
//!    encryption or methods other than stored/deflate, and sizes within [`WheelLimits`];
//! 2. identity: exactly one top-level `{name}-{version}.dist-info` matching the file name
//!    (names normalised, versions compared as PEP 440 versions); `WHEEL` has
//!    `Wheel-Version: 1.x`; METADATA `Name` and `Version` equal the file name's. `Tag:` lines
//!    that differ from the file name's tags (a wheel retagged after its build) are only a
//!    note ([`ValidatedWheel::notes`]): like pip and uv, nbwheel takes a wheel's
//!    compatibility from its file name;
//! 3. content (module `record`): every member is streamed (never held whole in memory)
//!    through its decompressor, CRC-32 and the hash RECORD names; every file must be listed
//!    with a sha256 (or stronger) hash and the right size, and every row must name a file.
//!    Only `RECORD` itself and `RECORD.jws`/`RECORD.p7s` may lack a hash. With
//!    [`WheelCheck::allow_invalid_record`] these RECORD problems become warnings.
//!
//! `WHEEL` and `METADATA` are read as `Key: value` header lines up to the first blank line,
//! with continuation lines starting with whitespace.

mod record;
mod zip;

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::Version;
use pep508_rs::PackageName;

use crate::wheel_name::WheelName;

pub use record::{HashAlgorithm, RecordProblem};
pub use zip::ZipProblem;
pub(crate) use zip::is_other_char;

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
        WheelLimits {
            max_members: 100_000,
            max_total_uncompressed: 4 << 30,
            max_member: 2 << 30,
            max_ratio: 1000,
            max_metadata: 16 << 20,
            max_central_directory: 64 << 20,
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

/// Which limit a wheel exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// [`WheelLimits::max_members`].
    Members,
    /// [`WheelLimits::max_central_directory`].
    CentralDirectory,
    /// [`WheelLimits::max_member`].
    MemberSize,
    /// [`WheelLimits::max_ratio`].
    Ratio,
    /// [`WheelLimits::max_total_uncompressed`].
    TotalSize,
    /// [`WheelLimits::max_metadata`].
    Metadata,
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LimitKind::Members => "member count",
            LimitKind::CentralDirectory => "central directory size",
            LimitKind::MemberSize => "member size",
            LimitKind::Ratio => "compression ratio",
            LimitKind::TotalSize => "total uncompressed size",
            LimitKind::Metadata => "metadata file size",
        })
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

/// Reports RECORD problems as errors, or as warnings when they are allowed.
struct RecordIssues<'a> {
    wheel: &'a str,
    allow: bool,
}

impl RecordIssues<'_> {
    fn report(&self, problem: RecordProblem) -> Result<(), WheelError> {
        if self.allow {
            tracing::warn!(wheel = self.wheel, "Invalid RECORD (allowed): {problem}");
            Ok(())
        } else {
            Err(WheelError::Record {
                wheel: self.wheel.to_string(),
                problem,
            })
        }
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
    validate_from(&mut file, len, path, name, check)
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
    let mut hashing = HashingReader::new(file);
    let validated = validate_from(&mut hashing, len, path, name, check);
    let (sha256, size) = hashing.finish()?;
    Ok((validated, sha256, size))
}

/// Hashes the prefix of a file as reads pass over it, whatever order they come in: a read
/// that starts at or before the hashed prefix's end extends it; a read a little past it first
/// fills the gap (a zip's local headers, skipped by the member reads); anything else is left
/// for [`HashingReader::finish`], which reads the rest of the file once.
struct HashingReader<R> {
    inner: R,
    pos: u64,
    hashed: u64,
    hasher: sha2::Sha256,
}

/// The largest gap filled in passing (larger ones are read at the end).
const MAX_HASH_GAP: u64 = 256 * 1024;

impl<R: std::io::Read + std::io::Seek> HashingReader<R> {
    fn new(inner: R) -> Self {
        HashingReader {
            inner,
            pos: 0,
            hashed: 0,
            hasher: sha2::Digest::new(),
        }
    }

    /// Reads `[hashed, to)` into the hasher and seeks back to where the reader was.
    fn fill_to(&mut self, to: u64) -> std::io::Result<()> {
        use std::io::SeekFrom;
        let back = self.pos;
        self.inner.seek(SeekFrom::Start(self.hashed))?;
        let mut buf = vec![0u8; 64 * 1024];
        while self.hashed < to {
            let want = usize::try_from((to - self.hashed).min(buf.len() as u64)).unwrap_or(0);
            let n = self.inner.read(&mut buf[..want])?;
            if n == 0 {
                break;
            }
            sha2::Digest::update(&mut self.hasher, &buf[..n]);
            self.hashed += n as u64;
        }
        self.pos = self.inner.seek(SeekFrom::Start(back))?;
        Ok(())
    }

    /// The sha256 (hex) and size of the whole file, reading whatever was not read yet.
    fn finish(mut self) -> std::io::Result<(String, u64)> {
        self.fill_to(u64::MAX)?;
        Ok((
            hex::encode(sha2::Digest::finalize(self.hasher)),
            self.hashed,
        ))
    }
}

impl<R: std::io::Read + std::io::Seek> std::io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos > self.hashed && self.pos - self.hashed <= MAX_HASH_GAP {
            let to = self.pos;
            self.fill_to(to)?;
        }
        let n = self.inner.read(buf)?;
        let end = self.pos + n as u64;
        if self.pos <= self.hashed && end > self.hashed {
            let from = usize::try_from(self.hashed - self.pos).unwrap_or(0);
            sha2::Digest::update(&mut self.hasher, &buf[from..n]);
            self.hashed = end;
        }
        self.pos = end;
        Ok(n)
    }
}

impl<R: std::io::Seek> std::io::Seek for HashingReader<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

/// Validates a wheel read from `file` (`len` bytes; `path` for messages).
#[expect(clippy::too_many_lines, reason = "split in the next round")]
fn validate_from(
    file: &mut dyn zip::ReadSeek,
    len: u64,
    path: &Path,
    name: &WheelName,
    check: &WheelCheck,
) -> Result<ValidatedWheel, WheelError> {
    let wheel = name.filename();
    let mut src = zip::Source {
        file,
        len,
        wheel,
        path,
    };
    let layout = zip::read_layout(&mut src, &check.limits)?;
    let members = &layout.members;
    let index: HashMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.as_str(), i))
        .collect();

    let dist_info = find_dist_info(wheel, name, members)?;
    let mut read_small = |member: &str| -> Result<Option<Vec<u8>>, WheelError> {
        let Some(&i) = index.get(member) else {
            return Ok(None);
        };
        let m = &members[i];
        if m.uncompressed > check.limits.max_metadata {
            return Err(WheelError::Limit {
                wheel: wheel.to_string(),
                member: Some(member.to_string()),
                limit: LimitKind::Metadata,
                actual: m.uncompressed,
                max: check.limits.max_metadata,
            });
        }
        let mut bytes =
            Vec::with_capacity(usize::try_from(m.uncompressed).expect("bounded by max_metadata"));
        zip::stream_member(&mut src, m, &mut bytes)?;
        Ok(Some(bytes))
    };

    let wheel_path = format!("{dist_info}/WHEEL");
    let wheel_file = read_small(&wheel_path)?.ok_or_else(|| WheelError::MissingMember {
        wheel: wheel.to_string(),
        member: wheel_path.clone(),
    })?;
    let (wheel_tags, tag_note) = check_wheel_file(wheel, name, &wheel_path, &wheel_file)?;
    let metadata_path = format!("{dist_info}/METADATA");
    let metadata = read_small(&metadata_path)?.ok_or_else(|| WheelError::MissingMember {
        wheel: wheel.to_string(),
        member: metadata_path.clone(),
    })?;
    check_metadata(wheel, name, &metadata_path, &metadata)?;

    let record_path = format!("{dist_info}/RECORD");
    let signatures = [format!("{record_path}.jws"), format!("{record_path}.p7s")];
    let issues = RecordIssues {
        wheel,
        allow: check.allow_invalid_record,
    };
    let record = match read_small(&record_path)? {
        None => {
            issues.report(RecordProblem::Missing(record_path.clone()))?;
            None
        }
        Some(bytes) => match record::parse_rows(&bytes) {
            Err(problem) => {
                issues.report(problem)?;
                None
            }
            Ok(rows) => {
                let mut expected: HashMap<String, record::Expected> =
                    HashMap::with_capacity(rows.len());
                let mut seen_rows: HashMap<String, (String, String)> = HashMap::new();
                for row in rows {
                    // A row for a directory (`pkg/`, as some tools write) lists nothing to
                    // check.
                    let is_dir_row = row.path.ends_with('/')
                        || index
                            .get(row.path.as_str())
                            .is_some_and(|&i| members[i].is_dir);
                    if is_dir_row {
                        tracing::debug!(
                            wheel,
                            "RECORD line {} lists the directory `{}`",
                            row.line,
                            row.path
                        );
                        continue;
                    }
                    if let Some(first) = seen_rows.get(&row.path) {
                        // The same row twice is harmless; two different claims are not.
                        if first != &(row.hash.clone(), row.size.clone()) {
                            issues.report(RecordProblem::DuplicateRow {
                                line: row.line,
                                path: row.path,
                            })?;
                        }
                        continue;
                    }
                    seen_rows.insert(row.path.clone(), (row.hash.clone(), row.size.clone()));
                    if !index.contains_key(row.path.as_str()) {
                        issues.report(RecordProblem::NoFile {
                            line: row.line,
                            path: row.path.clone(),
                        })?;
                    }
                    let exempt = row.path == record_path || signatures.contains(&row.path);
                    let checked = match record::expected(&row) {
                        Ok(e) => e,
                        Err(problem) => {
                            issues.report(problem)?;
                            continue;
                        }
                    };
                    if checked.digest.is_none() && !exempt {
                        issues.report(RecordProblem::NoHash {
                            line: row.line,
                            path: row.path.clone(),
                        })?;
                    }
                    expected.insert(row.path, checked);
                }
                Some(expected)
            }
        },
    };

    // Stream every member in file order: sequential reads, and each byte is checked once.
    let mut order: Vec<&zip::Member> = members.iter().filter(|m| !m.is_dir).collect();
    order.sort_by_key(|m| m.local_offset);
    for m in order {
        let row = record.as_ref().and_then(|r| r.get(&m.name));
        // RECORD need not list itself (it cannot hold its own hash anyway).
        if record.is_some()
            && row.is_none()
            && !signatures.contains(&m.name)
            && m.name != record_path
        {
            issues.report(RecordProblem::Unlisted(m.name.clone()))?;
        }
        let wanted = row.and_then(|r| r.digest.as_ref());
        let mut hasher = record::Hasher::new(wanted.map(|(a, _)| *a));
        zip::stream_member(&mut src, m, &mut hasher)?;
        if let Some((algorithm, digest)) = wanted {
            let actual = hasher.finish();
            if &actual != digest {
                issues.report(RecordProblem::HashMismatch {
                    member: m.name.clone(),
                    algorithm: *algorithm,
                    expected: record::encode(digest),
                    actual: record::encode(&actual),
                })?;
            }
        }
        if let Some(size) = row.and_then(|r| r.size)
            && size != m.uncompressed
        {
            issues.report(RecordProblem::SizeMismatch {
                member: m.name.clone(),
                expected: size,
                actual: m.uncompressed,
            })?;
        }
    }

    Ok(ValidatedWheel {
        top_level: top_level(
            members
                .iter()
                .filter(|m| !m.is_dir)
                .map(|m| m.name.as_str()),
        ),
        dist_info,
        metadata,
        members: members.len(),
        uncompressed_size: layout.uncompressed_size,
        wheel_tags,
        notes: tag_note.into_iter().collect(),
    })
}

/// Finds the one top-level `.dist-info` directory and checks it against the file name.
fn find_dist_info(
    wheel: &str,
    name: &WheelName,
    members: &[zip::Member],
) -> Result<String, WheelError> {
    let found: BTreeSet<&str> = members
        .iter()
        .filter_map(|m| m.name.split_once('/').map(|(first, _)| first))
        .filter(|first| first.ends_with(".dist-info"))
        .collect();
    let [dir] = found.iter().copied().collect::<Vec<_>>()[..] else {
        return Err(WheelError::DistInfoCount {
            wheel: wheel.to_string(),
            found: found.iter().map(|s| (*s).to_string()).collect(),
        });
    };
    let expected = format!(
        "{}-{}.dist-info",
        name.name.as_dist_info_name(),
        name.version
    );
    let mismatch = || WheelError::Mismatch {
        wheel: wheel.to_string(),
        field: "the `.dist-info` directory",
        expected: expected.clone(),
        actual: dir.to_string(),
    };
    let stem = dir.strip_suffix(".dist-info").unwrap_or(dir);
    let (dist, version) = stem.rsplit_once('-').ok_or_else(mismatch)?;
    let same_name = PackageName::new(dist.to_string()).is_ok_and(|n| n == name.name);
    let same_version = Version::from_str(version).is_ok_and(|v| v == name.version);
    if same_name && same_version {
        Ok(dir.to_string())
    } else {
        Err(mismatch())
    }
}

/// Parses `Key: value` header lines up to the first blank line.
fn headers<'a>(
    wheel: &str,
    member: &str,
    bytes: &'a [u8],
) -> Result<Vec<(&'a str, String)>, WheelError> {
    let bad = |detail| WheelError::BadMetadataFile {
        wheel: wheel.to_string(),
        member: member.to_string(),
        detail,
    };
    // Only the header block must be text: the description after it may hold any bytes.
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let end = [find(b"\n\n"), find(b"\r\n\r\n")]
        .into_iter()
        .flatten()
        .min()
        .map_or(bytes.len(), |p| p + 1);
    let text = std::str::from_utf8(&bytes[..end])
        .map_err(|_| bad("has headers that are not valid UTF-8"))?;
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        // A line that is neither a header nor a continuation starts the body, as Python's
        // `email.parser` (which pip uses) reads it.
        if !line.starts_with([' ', '\t']) && !line.contains(':') && !out.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            let (_, value) = out
                .last_mut()
                .ok_or_else(|| bad("starts with a continuation line"))?;
            value.push('\n');
            value.push_str(line.trim());
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| bad("has a header line without `:`"))?;
        out.push((key.trim(), value.trim().to_string()));
    }
    Ok(out)
}

fn header<'h>(headers: &'h [(&str, String)], key: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Checks `WHEEL`: `Wheel-Version` 1.x. Returns its `Tag` lines, and a note when their set
/// differs from the file name's tags.
fn check_wheel_file(
    wheel: &str,
    name: &WheelName,
    member: &str,
    bytes: &[u8],
) -> Result<(Vec<String>, Option<String>), WheelError> {
    let headers = headers(wheel, member, bytes)?;
    let version = header(&headers, "Wheel-Version").ok_or_else(|| WheelError::BadMetadataFile {
        wheel: wheel.to_string(),
        member: member.to_string(),
        detail: "has no `Wheel-Version`",
    })?;
    let is_1x = version == "1"
        || version
            .strip_prefix("1.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    if !is_1x {
        return Err(WheelError::WheelVersion {
            wheel: wheel.to_string(),
            actual: version.to_string(),
        });
    }
    let tags: Vec<String> = headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Tag"))
        .map(|(_, v)| v.clone())
        .collect();
    // Tag *sets* are compared after expanding compressed tags on both sides: `rpds-py` 0.27.0
    // writes `Tag: cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64` on one line, and
    // duplicate lines or a different order mean the same set. A set that still differs is a
    // wheel retagged after its build (playwright 1.65.2: `py3-none-manylinux1_x86_64` in the
    // name, `py3-none-any` in `WHEEL`; ray 2.60.0: `manylinux2014_x86_64` against
    // `linux_x86_64`). pip and uv take compatibility from the file name and install it; RECORD
    // still covers every byte, so this is a note, never a refusal.
    let in_wheel: BTreeSet<String> = tags.iter().flat_map(|t| expand_tag(t)).collect();
    let in_name: BTreeSet<String> = name
        .tags()
        .map(|(py, abi, plat)| format!("{py}-{abi}-{plat}"))
        .collect();
    let only_in_wheel: Vec<String> = in_wheel.difference(&in_name).cloned().collect();
    let only_in_name: Vec<String> = in_name.difference(&in_wheel).cloned().collect();
    let note = (!only_in_wheel.is_empty() || !only_in_name.is_empty()).then(|| {
        format!(
            "the `Tag` lines of `{member}` differ from the file name (only in `WHEEL`: {}; only in the file name: {}); its compatibility is taken from the file name, as pip and uv do",
            list(&only_in_wheel),
            list(&only_in_name)
        )
    });
    Ok((tags, note))
}

/// Every tag triple of a possibly compressed `Tag:` value (`py2.py3-none-any` gives two). A
/// value that is not three `-`-separated parts is kept as written, so it shows in a mismatch.
fn expand_tag(tag: &str) -> Vec<String> {
    let parts: Vec<&str> = tag.trim().split('-').collect();
    let [py, abi, plat] = parts[..] else {
        return vec![tag.trim().to_string()];
    };
    let mut out = Vec::new();
    for p in py.split('.') {
        for a in abi.split('.') {
            for pl in plat.split('.') {
                out.push(format!("{p}-{a}-{pl}"));
            }
        }
    }
    out
}

/// Checks METADATA `Name` and `Version` against the file name.
fn check_metadata(
    wheel: &str,
    name: &WheelName,
    member: &str,
    bytes: &[u8],
) -> Result<(), WheelError> {
    let headers = headers(wheel, member, bytes)?;
    let missing = |detail| WheelError::BadMetadataFile {
        wheel: wheel.to_string(),
        member: member.to_string(),
        detail,
    };
    let meta_name = header(&headers, "Name").ok_or_else(|| missing("has no `Name`"))?;
    if PackageName::new(meta_name.to_string()).ok().as_ref() != Some(&name.name) {
        return Err(WheelError::Mismatch {
            wheel: wheel.to_string(),
            field: "METADATA `Name`",
            expected: name.name.to_string(),
            actual: meta_name.to_string(),
        });
    }
    let meta_version = header(&headers, "Version").ok_or_else(|| missing("has no `Version`"))?;
    if Version::from_str(meta_version).ok().as_ref() != Some(&name.version) {
        return Err(WheelError::Mismatch {
            wheel: wheel.to_string(),
            field: "METADATA `Version`",
            expected: name.version.to_string(),
            actual: meta_version.to_string(),
        });
    }
    Ok(())
}

/// Top-level import names from member paths: package directories and module files.
fn top_level<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = BTreeSet::new();
    for path in paths {
        let mut parts = path.split('/');
        let Some(mut first) = parts.next() else {
            continue;
        };
        if first.ends_with(".dist-info") {
            continue;
        }
        if first.len() > 5 && first.as_bytes().ends_with(b".data") {
            match (parts.next(), parts.next()) {
                (Some("purelib" | "platlib"), Some(next)) => first = next,
                _ => continue,
            }
        }
        let is_package = parts.next().is_some();
        let candidate = if is_package {
            first
        } else {
            match first.split_once('.') {
                Some((stem, ext))
                    if ext
                        .rsplit('.')
                        .next()
                        .is_some_and(|last| matches!(last, "py" | "pyc" | "so" | "pyd")) =>
                {
                    stem
                }
                _ => continue,
            }
        };
        let identifier = candidate
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && candidate.chars().all(|c| c.is_alphanumeric() || c == '_');
        if identifier {
            out.insert(candidate.to_string());
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::io::Write as _;

    use sha2::Digest as _;

    use super::*;

    const NAME: &str = "demo_pkg-1.0-py3-none-any.whl";
    const DIST: &str = "demo_pkg-1.0.dist-info";

    type Files = Vec<(String, Vec<u8>)>;

    fn good_files() -> Files {
        let text: Vec<u8> = (0..4000u32)
            .map(|i| b"abcdefghij\n"[(i % 11) as usize])
            .collect();
        vec![
            ("demo_pkg/__init__.py".into(), b"VALUE = 1\n".to_vec()),
            ("demo_pkg/a.py".into(), b"A = 1\n".to_vec()),
            ("demo_pkg/b.py".into(), b"B = 2\n".to_vec()),
            ("demo_pkg/data.txt".into(), text),
            ("demo_mod.py".into(), b"import demo_pkg\n".to_vec()),
            (
                format!("{DIST}/METADATA"),
                b"Metadata-Version: 2.1\nName: Demo.Pkg\nVersion: 1.0\nSummary: demo\n\nBody: not a header\n"
                    .to_vec(),
            ),
            (
                format!("{DIST}/WHEEL"),
                b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
                    .to_vec(),
            ),
        ]
    }

    fn record_for(files: &Files) -> String {
        let mut out = String::new();
        for (name, data) in files {
            let digest = record::encode(&sha2::Sha256::digest(data));
            writeln!(out, "{name},sha256={digest},{}", data.len()).unwrap();
        }
        writeln!(out, "{DIST}/RECORD,,").unwrap();
        out
    }

    /// A wheel with `files` and, when given, `record` as RECORD (written last).
    fn zip_bytes(files: &Files, record: Option<&str>) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(name.as_str(), options).unwrap();
            w.write_all(data).unwrap();
        }
        if let Some(record) = record {
            w.start_file(format!("{DIST}/RECORD"), options).unwrap();
            w.write_all(record.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn good_wheel() -> Vec<u8> {
        let files = good_files();
        zip_bytes(&files, Some(&record_for(&files)))
    }

    fn check_with(bytes: &[u8], check: &WheelCheck) -> Result<ValidatedWheel, WheelError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(NAME);
        std::fs::write(&path, bytes).unwrap();
        validate_wheel(&path, &NAME.parse().unwrap(), check)
    }

    fn check(bytes: &[u8]) -> Result<ValidatedWheel, WheelError> {
        check_with(bytes, &WheelCheck::default())
    }

    /// The offset of the header with signature `sig` whose name (at `name_at`, length at
    /// `len_at`) is `name`.
    fn find(bytes: &[u8], sig: [u8; 4], name_at: usize, len_at: usize, name: &str) -> usize {
        (0..bytes.len() - name_at)
            .find(|&i| {
                bytes[i..i + 4] == sig
                    && usize::from(u16::from_le_bytes([
                        bytes[i + len_at],
                        bytes[i + len_at + 1],
                    ])) == name.len()
                    && bytes[i + name_at..].starts_with(name.as_bytes())
            })
            .unwrap_or_else(|| panic!("no header for {name}"))
    }

    fn local(bytes: &[u8], name: &str) -> usize {
        find(bytes, *b"PK\x03\x04", 30, 26, name)
    }

    fn central(bytes: &[u8], name: &str) -> usize {
        find(bytes, *b"PK\x01\x02", 46, 28, name)
    }

    fn put_u16(bytes: &mut [u8], at: usize, v: u16) {
        bytes[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }

    fn put_u32(bytes: &mut [u8], at: usize, v: u32) {
        bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn get_u32(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    fn rename(bytes: &mut [u8], from: &str, to: &str, in_local: bool) {
        assert_eq!(from.len(), to.len());
        let c = central(bytes, from) + 46;
        bytes[c..c + to.len()].copy_from_slice(to.as_bytes());
        if in_local {
            let l = local(bytes, from) + 30;
            bytes[l..l + to.len()].copy_from_slice(to.as_bytes());
        }
    }

    fn eocd(bytes: &[u8]) -> usize {
        bytes.len() - 22
    }

    /// Gives `name` a ZIP64 extra field in the central directory declaring these sizes.
    fn declare_zip64(bytes: &mut Vec<u8>, name: &str, uncompressed: u64, compressed: u64) {
        let c = central(bytes, name);
        put_u32(bytes, c + 20, 0xFFFF_FFFF);
        put_u32(bytes, c + 24, 0xFFFF_FFFF);
        let name_len = usize::from(u16::from_le_bytes([bytes[c + 28], bytes[c + 29]]));
        let extra_len = u16::from_le_bytes([bytes[c + 30], bytes[c + 31]]);
        let mut extra = vec![1, 0, 16, 0];
        extra.extend_from_slice(&uncompressed.to_le_bytes());
        extra.extend_from_slice(&compressed.to_le_bytes());
        let at = c + 46 + name_len;
        bytes.splice(at..at, extra);
        put_u16(bytes, c + 30, extra_len + 20);
        let e = eocd(bytes);
        let cd_size = get_u32(bytes, e + 12);
        put_u32(bytes, e + 12, cd_size + 20);
    }

    fn with_files(edit: impl FnOnce(&mut Files)) -> Vec<u8> {
        let mut files = good_files();
        edit(&mut files);
        zip_bytes(&files, Some(&record_for(&files)))
    }

    fn set_file(files: &mut Files, name: &str, data: &str) {
        let entry = files.iter_mut().find(|(n, _)| n.ends_with(name)).unwrap();
        entry.1 = data.as_bytes().to_vec();
    }

    #[test]
    fn accepts_a_good_wheel() {
        let v = check(&good_wheel()).unwrap();
        assert_eq!(v.dist_info, DIST);
        assert_eq!(v.top_level, ["demo_mod", "demo_pkg"]);
        assert_eq!(v.members, 8);
        assert_eq!(v.wheel_tags, ["py3-none-any"]);
        assert!(v.metadata.starts_with(b"Metadata-Version: 2.1"));
    }

    /// The hash taken in passing equals the file's sha256, for a sound wheel, a damaged one
    /// (validation stops early) and one padded with bytes no member covers.
    #[test]
    fn hash_from_the_validation_reads_is_the_file_hash() {
        let good = good_wheel();
        let mut damaged = good.clone();
        let at = local(&damaged, "demo_pkg/__init__.py");
        damaged[at + 40] ^= 0xff;
        let mut padded = b"garbage before the zip".to_vec();
        padded.extend_from_slice(&good);
        let mut big = Vec::new();
        let mut files = good_files();
        let blob: String = (0..1_000_000u64)
            .map(|i| char::from(b'a' + u8::try_from(i * i * 7919 % 26).unwrap()))
            .collect();
        set_file(&mut files, "demo_pkg/data.txt", &blob);
        big.extend_from_slice(&zip_bytes(&files, Some(&record_for(&files))));
        for (i, bytes) in [good, damaged, padded, big].iter().enumerate() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(NAME);
            std::fs::write(&path, bytes).unwrap();
            let (validated, sha256, size) =
                validate_and_hash(&path, &NAME.parse().unwrap(), &WheelCheck::default()).unwrap();
            assert_eq!(
                (sha256, size),
                crate::index::cache::sha256_file(&path).unwrap(),
                "case {i}"
            );
            assert_eq!(
                validated.is_ok(),
                validate_wheel(&path, &NAME.parse().unwrap(), &WheelCheck::default()).is_ok(),
                "case {i}"
            );
        }
    }

    #[test]
    fn accepts_data_descriptors_stored_members_and_directories() {
        let mut w = ::zip::ZipWriter::new_stream(Vec::new());
        let files = good_files();
        let deflated = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        let stored = deflated.compression_method(::zip::CompressionMethod::Stored);
        w.add_directory("demo_pkg/", stored).unwrap();
        for (i, (name, data)) in files.iter().enumerate() {
            w.start_file(name.as_str(), if i % 2 == 0 { stored } else { deflated })
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.start_file(format!("{DIST}/RECORD"), deflated).unwrap();
        w.write_all(record_for(&files).as_bytes()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let v = check(&bytes).unwrap();
        assert_eq!(v.members, 9);
    }

    /// Forms that real wheels use and pip and uv install without complaint: each is accepted.
    #[test]
    fn accepts_unusual_but_sound_forms() {
        let plain = |files: &Files| zip_bytes(files, Some(&record_for(files)));
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "compressed Tag line (rpds-py 0.27.0)",
                check_bytes_named(
                    "demo_pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                    "Tag: cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64\n",
                ),
            ),
            (
                "duplicate and compressed Tag lines",
                with_files(|f| {
                    set_file(
                        f,
                        "WHEEL",
                        "Wheel-Version: 1.0\nTag: py3-none-any\nTag: py3-none-any\n",
                    );
                }),
            ),
            (
                "CRLF in WHEEL and METADATA, Root-Is-Purelib in upper case, Wheel-Version 1.9",
                with_files(|f| {
                    set_file(
                        f,
                        "WHEEL",
                        "Wheel-Version: 1.9\r\nRoot-Is-Purelib: TRUE\r\nTag: py3-none-any\r\n",
                    );
                    set_file(
                        f,
                        "METADATA",
                        "Metadata-Version: 2.1\r\nName: demo-pkg\r\nVersion: 1.0\r\n\r\nbody\r\n",
                    );
                }),
            ),
            (
                "METADATA body with bytes that are not UTF-8, and a line without `:` ending the headers",
                with_files(|f| {
                    let m = f.iter_mut().find(|(n, _)| n.ends_with("METADATA")).unwrap();
                    m.1 = b"Metadata-Version: 2.1\nName: DEMO_pkg\nVersion: 1.0.0\nLicense: MIT\nCopyright (c) someone\n\n\xff\xfe body\n".to_vec();
                }),
            ),
            (
                "RECORD with `./` paths, a directory row, quoting and no row for itself",
                {
                    let files = good_files();
                    let mut record = String::new();
                    for (name, data) in &files {
                        let digest = record::encode(&sha2::Sha256::digest(data));
                        writeln!(record, "\"./{name}\",sha256={digest},{}", data.len()).unwrap();
                    }
                    record.push_str("demo_pkg/,,\n");
                    zip_bytes(&files, Some(&record))
                },
            ),
            ("an extra `.data` directory and `__pycache__`", {
                let mut files = good_files();
                files.push((
                    "demo_pkg-1.0.data/scripts/run".into(),
                    b"#!python\n".to_vec(),
                ));
                files.push(("demo_pkg-1.0.data/headers/x.h".into(), b"int x;\n".to_vec()));
                files.push((
                    "demo_pkg/__pycache__/a.cpython-312.pyc".into(),
                    b"\0\0".to_vec(),
                ));
                plain(&files)
            }),
        ];
        for (case, bytes) in cases {
            let name = if case.starts_with("compressed") {
                "demo_pkg-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
            } else {
                NAME
            };
            let mut f = tempfile::NamedTempFile::new().unwrap();
            f.write_all(&bytes).unwrap();
            let result = validate_wheel(f.path(), &name.parse().unwrap(), &WheelCheck::default());
            assert!(result.is_ok(), "{case}: {}", result.unwrap_err());
        }
    }

    /// A good wheel whose WHEEL holds `tags` (the file name is the caller's).
    /// A wheel retagged after its build (`WHEEL` tags differ from the file name's) is accepted,
    /// with a note naming both sides: pip and uv install it by its file name. Real cases from
    /// the sweep: playwright 1.65.2 and ray 2.60.0.
    #[test]
    fn retagged_wheel_is_accepted_with_a_note() {
        let cases = [
            (
                "demo_pkg-1.0-py3-none-manylinux1_x86_64.whl",
                "Tag: py3-none-any\n",
                "only in `WHEEL`: `py3-none-any`; only in the file name: `py3-none-manylinux1_x86_64`",
            ),
            (
                "demo_pkg-1.0-cp312-cp312-manylinux2014_x86_64.whl",
                "Tag: cp312-cp312-linux_x86_64\n",
                "only in `WHEEL`: `cp312-cp312-linux_x86_64`; only in the file name: `cp312-cp312-manylinux2014_x86_64`",
            ),
            (
                NAME,
                "Tag: py2-none-any\nTag: py3-none-any\n",
                "only in `WHEEL`: `py2-none-any`; only in the file name: none",
            ),
        ];
        for (name, tags, expected) in cases {
            let bytes = check_bytes_named(name, tags);
            let mut f = tempfile::NamedTempFile::new().unwrap();
            f.write_all(&bytes).unwrap();
            let v = validate_wheel(f.path(), &name.parse().unwrap(), &WheelCheck::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v.notes.len(), 1, "{name}: {:?}", v.notes);
            assert!(v.notes[0].contains(expected), "{name}: {}", v.notes[0]);
        }
        // Matching tags give no note.
        assert!(check(&good_wheel()).unwrap().notes.is_empty());
    }

    fn check_bytes_named(_name: &str, tags: &str) -> Vec<u8> {
        with_files(|f| set_file(f, "WHEEL", &format!("Wheel-Version: 1.0\n{tags}")))
    }

    #[test]
    fn allow_invalid_record_downgrades_record_problems_only() {
        let mut files = good_files();
        let record = record_for(&files);
        set_file(&mut files, "a.py", "A = 666\n");
        let bytes = zip_bytes(&files, Some(&record));
        let allow = WheelCheck {
            allow_invalid_record: true,
            ..WheelCheck::default()
        };
        assert!(check(&bytes).is_err());
        assert!(check_with(&bytes, &allow).is_ok());
        assert!(check_with(&zip_bytes(&files, None), &allow).is_ok());
        let mut bad_zip = good_wheel();
        bad_zip.extend_from_slice(b"junk");
        assert!(check_with(&bad_zip, &allow).is_err());
    }

    #[test]
    fn top_level_names() {
        let got = top_level(
            [
                "pkg/__init__.py",
                "mod.py",
                "ext.cpython-312-x86_64-linux-gnu.so",
                "x.pth",
                "x-1.0.dist-info/METADATA",
                "x-1.0.data/purelib/other/__init__.py",
                "x-1.0.data/scripts/tool",
                "1bad/x.py",
            ]
            .into_iter(),
        );
        assert_eq!(got, ["ext", "mod", "other", "pkg"]);
    }

    #[test]
    fn validates_a_real_wheel_when_present() {
        // pip's own wheel ships with CPython; skip quietly where it is absent.
        let Some(path) = glob_pip_wheel() else { return };
        let name: WheelName = path.file_name().unwrap().to_str().unwrap().parse().unwrap();
        let v = validate_wheel(&path, &name, &WheelCheck::default()).unwrap();
        assert_eq!(v.top_level, ["pip"]);
    }

    fn glob_pip_wheel() -> Option<PathBuf> {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import ensurepip, os; print(os.path.dirname(ensurepip.__file__))",
            ])
            .output()
            .ok()?;
        let root = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim()).join("_bundled");
        std::fs::read_dir(root)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("pip-"))
            })
    }

    /// Validates every wheel in `$NBWHEEL_TEST_WHEELS` (a folder): a check against real wheels.
    #[test]
    #[ignore = "needs NBWHEEL_TEST_WHEELS"]
    fn validates_wheels_from_env() {
        let dir = std::env::var_os("NBWHEEL_TEST_WHEELS").expect("NBWHEEL_TEST_WHEELS");
        let mut failures = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let Some(Ok(name)) = path
                .file_name()
                .map(|n| n.to_string_lossy().parse::<WheelName>())
            else {
                continue;
            };
            if let Err(e) = validate_wheel(&path, &name, &WheelCheck::default()) {
                failures.push(e.to_string());
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 64,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Damaged wheels never panic.
        #[test]
        fn damaged_wheels_never_panic(
            flips in proptest::collection::vec((proptest::prelude::any::<usize>(), 1u8..), 1..4),
            cut in proptest::prelude::any::<Option<usize>>(),
        ) {
            let mut b = good_wheel();
            for (at, x) in flips {
                let i = at % b.len();
                b[i] ^= x;
            }
            if let Some(cut) = cut {
                b.truncate(cut % b.len());
            }
            let _ = check(&b);
        }
    }

    #[test]
    #[expect(clippy::too_many_lines, reason = "split in the next round")]
    fn every_fault_is_rejected_with_facts() {
        let record_row = |files: &Files, name: &str| -> String {
            record_for(files)
                .lines()
                .find(|l| l.starts_with(name))
                .unwrap()
                .to_string()
        };
        let mut cases: Vec<(&str, Vec<u8>, WheelCheck)> = Vec::new();
        let mut add = |label, bytes| cases.push((label, bytes, WheelCheck::default()));

        let mut b = good_wheel();
        let l = local(&b, "demo_pkg/a.py");
        b[l + 14] ^= 0x01;
        add("crc flipped in local header", b);

        let mut b = good_wheel();
        let (l, c) = (local(&b, "demo_pkg/a.py"), central(&b, "demo_pkg/a.py"));
        b[l + 14] ^= 0x01;
        b[c + 16] ^= 0x01;
        add("crc flipped in both headers", b);

        let mut b = good_wheel();
        let (l, c) = (local(&b, "demo_pkg/a.py"), central(&b, "demo_pkg/a.py"));
        put_u32(&mut b, l + 22, 3);
        put_u32(&mut b, c + 24, 3);
        add("uncompressed size understated in both headers", b);

        let mut b = good_wheel();
        rename(&mut b, "demo_mod.py", "demo_mox.py", false);
        add("name changed in central directory only", b);

        let mut b = good_wheel();
        b.extend_from_slice(b"trailing junk");
        add("bytes after the end record", b);

        let mut b = vec![0u8; 16];
        b.extend_from_slice(&good_wheel());
        add("prepended bytes", b);

        let mut b = good_wheel();
        rename(&mut b, "demo_pkg/b.py", "demo_pkg/a.py", true);
        add("duplicate entry", b);

        let mut b = good_wheel();
        let c = central(&b, "demo_mod.py");
        b[c + 5] = 3;
        put_u32(&mut b, c + 38, 0o120_777 << 16);
        add("symlink attribute", b);

        let mut b = good_wheel();
        let c = central(&b, "demo_mod.py");
        b[c + 5] = 3;
        put_u32(&mut b, c + 38, 0o010_644 << 16);
        add("fifo attribute", b);

        for (label, to) in [
            ("parent component", "../demo_.py"),
            ("absolute name", "/demo_mo.py"),
            ("drive prefix", "C:demo_m.py"),
            ("backslash", "demo\\mod.py"),
            ("control character", "demo\u{1}mod.py"),
        ] {
            let mut b = good_wheel();
            rename(&mut b, "demo_mod.py", to, true);
            add(label, b);
        }

        let mut b = good_wheel();
        let c = central(&b, "demo_mod.py");
        let l = local(&b, "demo_mod.py");
        b[c + 46 + 4] = 0xC3;
        b[l + 30 + 4] = 0xC3;
        add("non-ASCII name without UTF-8 flag", b);

        let mut b = good_wheel();
        let c = central(&b, "demo_mod.py");
        let l = local(&b, "demo_mod.py");
        for at in [c + 8, l + 6] {
            b[at + 1] |= 0x08;
        }
        b[c + 46 + 4] = 0xFF;
        b[l + 30 + 4] = 0xFF;
        add("invalid UTF-8 name", b);

        let mut b = good_wheel();
        let c = central(&b, "demo_mod.py");
        let l = local(&b, "demo_mod.py");
        b[c + 8] |= 1;
        b[l + 6] |= 1;
        add("encrypted entry", b);

        let mut b = good_wheel();
        let c = central(&b, "demo_mod.py");
        let l = local(&b, "demo_mod.py");
        put_u16(&mut b, c + 10, 12);
        put_u16(&mut b, l + 8, 12);
        add("bzip2 method", b);

        let mut b = good_wheel();
        let first = central(&b, "demo_pkg/__init__.py");
        let c = central(&b, "demo_pkg/a.py");
        let offset = get_u32(&b, first + 42);
        put_u32(&mut b, c + 42, offset);
        add("overlapping entries", b);

        let mut b = good_wheel();
        let c = central(&b, "demo_pkg/data.txt");
        let compressed = get_u32(&b, c + 20);
        put_u32(&mut b, c + 24, compressed * 2000);
        add("compression ratio over 1000", b);

        let mut b = good_wheel();
        declare_zip64(&mut b, "demo_pkg/data.txt", 100_000_000_000, 100_000_000);
        add("declared 100 GB member", b);

        let mut files = good_files();
        set_file(&mut files, "a.py", "A = 666\n");
        let record = record_for(&good_files());
        add("wrong RECORD hash", zip_bytes(&files, Some(&record)));

        let files = good_files();
        let record = record_for(&files).replace(&record_row(&files, "demo_mod.py"), "");
        add("unlisted file", zip_bytes(&files, Some(&record)));

        let files = good_files();
        let record = format!(
            "{}demo_pkg/ghost.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\n",
            record_for(&files)
        );
        add("RECORD row without file", zip_bytes(&files, Some(&record)));

        let files = good_files();
        let row = record_row(&files, "demo_mod.py");
        let record = record_for(&files).replace(&row, "demo_mod.py,md5=x6Ypw6bWZoAtn2-nNOWWlQ,16");
        add("md5 in RECORD", zip_bytes(&files, Some(&record)));

        let files = good_files();
        let row = record_row(&files, "demo_mod.py");
        let record = record_for(&files).replace(&row, "demo_mod.py,,16");
        add("RECORD row without hash", zip_bytes(&files, Some(&record)));

        let files = good_files();
        let row = record_row(&files, "demo_mod.py");
        let record = record_for(&files).replace(&row, &row.replace(",16", ",17"));
        add("RECORD size mismatch", zip_bytes(&files, Some(&record)));

        add("no RECORD", zip_bytes(&good_files(), None));

        let files: Files = good_files()
            .into_iter()
            .map(|(n, d)| (n.replace(DIST, "other-1.0.dist-info"), d))
            .collect();
        add("dist-info name mismatch", zip_bytes(&files, None));

        let files: Files = good_files()
            .into_iter()
            .map(|(n, d)| (n.replace(DIST, "demo_pkg-1.1.dist-info"), d))
            .collect();
        add("dist-info version mismatch", zip_bytes(&files, None));

        add(
            "two dist-info directories",
            with_files(|f| f.push(("extra-2.0.dist-info/METADATA".into(), b"x".to_vec()))),
        );
        add(
            "no dist-info directory",
            zip_bytes(&vec![("demo_mod.py".into(), b"x".to_vec())], None),
        );
        add(
            "missing WHEEL",
            with_files(|f| f.retain(|(n, _)| !n.ends_with("/WHEEL"))),
        );
        add(
            "Wheel-Version 2.0",
            with_files(|f| set_file(f, "WHEEL", "Wheel-Version: 2.0\nTag: py3-none-any\n")),
        );
        add(
            "METADATA version mismatch",
            with_files(|f| set_file(f, "METADATA", "Name: demo-pkg\nVersion: 1.1\n")),
        );
        add(
            "METADATA name mismatch",
            with_files(|f| set_file(f, "METADATA", "Name: demo-pkh\nVersion: 1.0\n")),
        );
        cases.push((
            "entry count over limit",
            good_wheel(),
            WheelCheck {
                limits: WheelLimits {
                    max_members: 3,
                    ..WheelLimits::default()
                },
                ..WheelCheck::default()
            },
        ));
        cases.push((
            "METADATA over limit",
            good_wheel(),
            WheelCheck {
                limits: WheelLimits {
                    max_metadata: 10,
                    ..WheelLimits::default()
                },
                ..WheelCheck::default()
            },
        ));

        let mut report = String::new();
        for (label, bytes, options) in &cases {
            let message = match check_with(bytes, options) {
                Ok(_) => "ACCEPTED".to_string(),
                Err(e) => e.to_string(),
            };
            writeln!(report, "{label}:\n    {message}").unwrap();
        }
        insta::assert_snapshot!(report);
    }
}
