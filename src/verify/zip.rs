//! A strict, streaming reader for the zip container of a wheel.
//!
//! Input: an open wheel file and [`WheelLimits`]. Output: the list of [`Member`]s, each checked
//! against its local header, and [`stream_member`], which decompresses one member into a sink
//! while checking its real size and CRC-32.
//!
//! The `zip` crate reads the central directory and trusts it; it does not tell when a local
//! header disagrees with the central directory, when bytes are hidden between members or after
//! the end record, or when two entries share bytes. Those disagreements are exactly what makes
//! two zip readers see two different wheels, so this module parses the structure by hand.
//!
//! Grammar supported (APPNOTE 6.3.10, single disk only):
//!
//! ```text
//! file   = member* central-directory [zip64-eocd zip64-locator] eocd
//! member = local-header(30 + name + extra) data [data-descriptor]   ; contiguous from offset 0
//! ```
//!
//! Methods: stored (0) and deflate (8). Rejected: encryption, multi-disk archives, gaps or
//! overlaps between members, bytes before the first member or after the end record, symbolic
//! links and special files, unsafe member names, and sizes over the limits.

use std::collections::HashSet;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};

use flate2::read::DeflateDecoder;

use super::{LimitKind, WheelError, WheelLimits};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;
const EOCD_LEN: u64 = 22;
const MAX_COMMENT: u64 = 0xFFFF;
const FLAG_ENCRYPTED: u16 = 0x0001;
const FLAG_DESCRIPTOR: u16 = 0x0008;
const FLAG_STRONG_ENCRYPTION: u16 = 0x0040;
const FLAG_UTF8: u16 = 0x0800;

/// What is wrong with the zip structure of a wheel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipProblem {
    /// No end of central directory record.
    #[error("no end of central directory record (not a zip file, or truncated)")]
    NoEndRecord,
    /// Bytes follow the end record.
    #[error("{0} unexpected bytes after the end of central directory record")]
    TrailingBytes(u64),
    /// The file ends inside a structure.
    #[error("truncated at offset {0}")]
    Truncated(u64),
    /// A multi-disk (split) archive.
    #[error("multi-disk archives are not supported")]
    MultiDisk,
    /// The ZIP64 records disagree with the end record or with their own position.
    #[error(
        "inconsistent ZIP64 end of central directory: {field} is {zip64}, end record says {eocd}"
    )]
    Zip64Mismatch {
        /// The field that disagrees.
        field: &'static str,
        /// The ZIP64 value.
        zip64: u64,
        /// The classic end record value.
        eocd: u64,
    },
    /// The ZIP64 end record is not where its locator says.
    #[error("ZIP64 end of central directory record not found at offset {0}")]
    Zip64Missing(u64),
    /// The central directory does not end where the end record starts.
    #[error(
        "central directory ends at offset {actual} but the end record starts at {expected} (prepended or hidden data)"
    )]
    CentralDirectoryPosition {
        /// Where the end record (or ZIP64 end record) starts.
        expected: u64,
        /// Where the central directory ends.
        actual: u64,
    },
    /// A central directory record is malformed.
    #[error("central directory entry {index}: {detail}")]
    BadCentralEntry {
        /// The 0-based entry index.
        index: usize,
        /// What is wrong.
        detail: &'static str,
    },
    /// The central directory holds a different number of entries than declared.
    #[error("central directory holds {actual} bytes of entries, end record declares {expected}")]
    CentralDirectorySize {
        /// The declared size.
        expected: u64,
        /// The parsed size.
        actual: u64,
    },
    /// The same member name appears twice.
    #[error("duplicate member `{0}`")]
    Duplicate(String),
    /// A member name is unsafe.
    #[error("unsafe member name {name}: {reason}")]
    UnsafeName {
        /// The name, escaped.
        name: String,
        /// Why it is unsafe.
        reason: &'static str,
    },
    /// A member is a symbolic link.
    #[error("member `{0}` is a symbolic link")]
    Symlink(String),
    /// A member is a device, FIFO or socket.
    #[error("member `{member}` is a special file (mode {mode:o})")]
    SpecialFile {
        /// The member name.
        member: String,
        /// The Unix mode from the external attributes.
        mode: u32,
    },
    /// A member is encrypted.
    #[error("member `{0}` is encrypted")]
    Encrypted(String),
    /// A member uses a compression method other than stored or deflate.
    #[error(
        "member `{member}` uses compression method {method} (only stored (0) and deflate (8) are allowed)"
    )]
    Method {
        /// The member name.
        member: String,
        /// The method number.
        method: u16,
    },
    /// A structure field is malformed.
    #[error("member `{member}`: {detail}")]
    BadMember {
        /// The member name.
        member: String,
        /// What is wrong.
        detail: &'static str,
    },
    /// The local header disagrees with the central directory.
    #[error(
        "member `{member}`: {field} in the local header is {local}, the central directory says {central}"
    )]
    LocalMismatch {
        /// The member name (from the central directory).
        member: String,
        /// The field.
        field: &'static str,
        /// The local header's value.
        local: String,
        /// The central directory's value.
        central: String,
    },
    /// Two members share bytes.
    #[error(
        "member `{member}` at offset {offset} overlaps `{previous}`, which ends at {previous_end}"
    )]
    Overlap {
        /// The later member.
        member: String,
        /// Its local header offset.
        offset: u64,
        /// The earlier member.
        previous: String,
        /// Where the earlier member ends.
        previous_end: u64,
    },
    /// Bytes that belong to no member.
    #[error("{len} unaccounted bytes at offset {offset} (hidden data between members)")]
    Gap {
        /// Where the gap starts.
        offset: u64,
        /// Its length.
        len: u64,
    },
    /// The decompressed data disagrees with the headers.
    #[error("member `{member}`: {field} of the data is {actual}, the headers say {expected}")]
    DataMismatch {
        /// The member name.
        member: String,
        /// `size` or `CRC-32`.
        field: &'static str,
        /// The header value.
        expected: String,
        /// The computed value.
        actual: String,
    },
    /// The deflate stream is corrupt.
    #[error("member `{member}`: corrupt deflate stream: {error}")]
    Deflate {
        /// The member name.
        member: String,
        /// The decoder's message.
        error: String,
    },
}

/// One checked member of the archive.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    /// The member name (validated, UTF-8).
    pub name: String,
    /// True for directory entries (names ending in `/`).
    pub is_dir: bool,
    /// The compression method (0 or 8).
    pub method: u16,
    /// The CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// The compressed size.
    pub compressed: u64,
    /// The uncompressed size.
    pub uncompressed: u64,
    /// The offset of the local header.
    pub local_offset: u64,
    /// The offset of the data (set once the local header is read).
    pub data_offset: u64,
    flags: u16,
    raw_name: Vec<u8>,
}

/// The checked structure of a wheel: its members in central directory order.
pub(crate) struct Layout {
    /// Every member.
    pub members: Vec<Member>,
    /// The sum of the declared uncompressed sizes.
    pub uncompressed_size: u64,
}

/// What a wheel is read from: a file, or a file seen through a hasher.
pub(crate) trait ReadSeek: Read + Seek {}

impl<T: Read + Seek> ReadSeek for T {}

/// Reads through a wheel file and turns I/O failures into [`WheelError`]s.
pub(crate) struct Source<'a> {
    pub file: &'a mut dyn ReadSeek,
    pub len: u64,
    pub wheel: &'a str,
    pub path: &'a std::path::Path,
}

impl Source<'_> {
    fn malformed(&self, problem: ZipProblem) -> WheelError {
        WheelError::Malformed {
            wheel: self.wheel.to_string(),
            problem,
        }
    }

    fn io(&self, source: io::Error) -> WheelError {
        WheelError::Io {
            path: self.path.to_path_buf(),
            source,
        }
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), WheelError> {
        if offset.saturating_add(buf.len() as u64) > self.len {
            return Err(self.malformed(ZipProblem::Truncated(offset)));
        }
        self.file
            .seek(SeekFrom::Start(offset))
            .map_err(|e| self.io(e))?;
        self.file.read_exact(buf).map_err(|e| self.io(e))
    }

    fn limit(&self, member: Option<&str>, limit: LimitKind, actual: u64, max: u64) -> WheelError {
        WheelError::Limit {
            wheel: self.wheel.to_string(),
            member: member.map(str::to_string),
            limit,
            actual,
            max,
        }
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// The end of central directory values that matter, after ZIP64 is applied.
struct End {
    entries: u64,
    cd_size: u64,
    cd_offset: u64,
    /// Where the records after the central directory start.
    records_start: u64,
}

fn read_end(src: &mut Source<'_>) -> Result<End, WheelError> {
    if src.len < EOCD_LEN {
        return Err(src.malformed(ZipProblem::NoEndRecord));
    }
    let tail_len = src.len.min(EOCD_LEN + MAX_COMMENT);
    let tail_start = src.len - tail_len;
    let mut tail = vec![0u8; usize::try_from(tail_len).expect("tail is at most 64 KiB")];
    src.read_at(tail_start, &mut tail)?;
    let mut eocd_at = None;
    let mut last_candidate_end = None;
    for i in (0..=tail.len() - 22).rev() {
        if u32_at(&tail, i) != EOCD_SIG {
            continue;
        }
        let end = i + 22 + usize::from(u16_at(&tail, i + 20));
        if end == tail.len() {
            eocd_at = Some(i);
            break;
        }
        last_candidate_end.get_or_insert(end);
    }
    let Some(i) = eocd_at else {
        return Err(src.malformed(match last_candidate_end {
            Some(end) if end < tail.len() => ZipProblem::TrailingBytes((tail.len() - end) as u64),
            Some(_) => ZipProblem::Truncated(src.len),
            None => ZipProblem::NoEndRecord,
        }));
    };
    let eocd = &tail[i..i + 22];
    let eocd_pos = tail_start + i as u64;
    let disk = u16_at(eocd, 4);
    let cd_disk = u16_at(eocd, 6);
    let entries_disk = u64::from(u16_at(eocd, 8));
    let entries = u64::from(u16_at(eocd, 10));
    let cd_size = u64::from(u32_at(eocd, 12));
    let cd_offset = u64::from(u32_at(eocd, 16));

    // A ZIP64 locator, when present, sits right before the end record.
    let mut locator = [0u8; 20];
    if eocd_pos >= 20 {
        src.read_at(eocd_pos - 20, &mut locator)?;
    }
    if eocd_pos < 20 || u32_at(&locator, 0) != ZIP64_LOCATOR_SIG {
        if disk != 0 || cd_disk != 0 || entries_disk != entries {
            return Err(src.malformed(ZipProblem::MultiDisk));
        }
        return Ok(End {
            entries,
            cd_size,
            cd_offset,
            records_start: eocd_pos,
        });
    }
    let locator_pos = eocd_pos - 20;
    let z64_pos = u64_at(&locator, 8);
    if u32_at(&locator, 4) != 0 || u32_at(&locator, 16) != 1 {
        return Err(src.malformed(ZipProblem::MultiDisk));
    }
    let mut z = [0u8; 56];
    if z64_pos.saturating_add(56) > locator_pos {
        return Err(src.malformed(ZipProblem::Zip64Missing(z64_pos)));
    }
    src.read_at(z64_pos, &mut z)?;
    if u32_at(&z, 0) != ZIP64_EOCD_SIG
        || z64_pos
            .checked_add(12)
            .and_then(|p| p.checked_add(u64_at(&z, 4)))
            != Some(locator_pos)
    {
        return Err(src.malformed(ZipProblem::Zip64Missing(z64_pos)));
    }
    if u32_at(&z, 16) != 0 || u32_at(&z, 20) != 0 || u64_at(&z, 24) != u64_at(&z, 32) {
        return Err(src.malformed(ZipProblem::MultiDisk));
    }
    let z_entries = u64_at(&z, 32);
    let z_cd_size = u64_at(&z, 40);
    let z_cd_offset = u64_at(&z, 48);
    // Where the classic record is not saturated, both must agree: a reader that ignores ZIP64
    // must see the same archive.
    for (field, zip64, classic, saturated) in [
        ("entry count", z_entries, entries, 0xFFFF),
        ("central directory size", z_cd_size, cd_size, 0xFFFF_FFFF),
        (
            "central directory offset",
            z_cd_offset,
            cd_offset,
            0xFFFF_FFFF,
        ),
    ] {
        if classic != saturated && classic != zip64 {
            return Err(src.malformed(ZipProblem::Zip64Mismatch {
                field,
                zip64,
                eocd: classic,
            }));
        }
    }
    Ok(End {
        entries: z_entries,
        cd_size: z_cd_size,
        cd_offset: z_cd_offset,
        records_start: z64_pos,
    })
}

/// Checks a member name; returns the reason it is unsafe.
pub(crate) fn unsafe_name_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty name");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    if name.contains('\\') {
        return Some("backslash");
    }
    if name.chars().any(is_other_char) {
        return Some("control, format or private-use character");
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return Some("drive prefix");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    for component in body.split('/') {
        match component {
            ".." => return Some("`..` component"),
            "." => return Some("`.` component"),
            "" => return Some("empty component"),
            _ => {}
        }
    }
    None
}

/// True for characters of Unicode category `C` that can hide or reorder text.
///
/// No Unicode general-category crate is in the dependency tree, so this covers Cc (control),
/// the Cf (format) code points that exist, Co (private use), and, of Cn (unassigned), the
/// noncharacters; surrogates cannot occur in a Rust `char`.
pub(crate) fn is_other_char(c: char) -> bool {
    let u = u32::from(c);
    c.is_control()
        || matches!(
            u,
            0xAD | 0x600..=0x605
                | 0x61C
                | 0x6DD
                | 0x70F
                | 0x890..=0x891
                | 0x8E2
                | 0x180E
                | 0x200B..=0x200F
                | 0x2028..=0x202E
                | 0x2060..=0x206F
                | 0xFEFF
                | 0xFFF9..=0xFFFB
                | 0x110BD
                | 0x110CD
                | 0x13430..=0x1343F
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE0FFF
                | 0xE000..=0xF8FF
                | 0x000F_0000..=0x0010_FFFF
                | 0xFDD0..=0xFDEF
        )
        || (u & 0xFFFE) == 0xFFFE
}

fn decode_name(raw: &[u8], flags: u16, index: usize) -> Result<String, ZipProblem> {
    let escaped = || match std::str::from_utf8(raw) {
        Ok(name) => name.escape_debug().to_string(),
        Err(_) => raw.escape_ascii().to_string(),
    };
    let unsafe_name = |reason| ZipProblem::UnsafeName {
        name: format!("\"{}\"", escaped()),
        reason,
    };
    if raw.is_empty() {
        return Err(ZipProblem::BadCentralEntry {
            index,
            detail: "empty member name",
        });
    }
    if flags & FLAG_UTF8 == 0 && !raw.is_ascii() {
        return Err(unsafe_name(
            "non-ASCII name without the UTF-8 flag (ambiguous encoding)",
        ));
    }
    let name = std::str::from_utf8(raw).map_err(|_| unsafe_name("not valid UTF-8"))?;
    if let Some(reason) = unsafe_name_reason(name) {
        return Err(unsafe_name(reason));
    }
    Ok(name.to_string())
}

/// Parses the ZIP64 extended information field of a header, replacing saturated values.
fn apply_zip64(
    extra: &[u8],
    uncompressed: &mut u64,
    compressed: &mut u64,
    offset: Option<&mut u64>,
) -> Result<bool, &'static str> {
    let mut rest = extra;
    while !rest.is_empty() {
        if rest.len() < 4 {
            return Err("malformed extra field");
        }
        let id = u16_at(rest, 0);
        let len = usize::from(u16_at(rest, 2));
        if rest.len() < 4 + len {
            return Err("extra field longer than its header");
        }
        let data = &rest[4..4 + len];
        if id == 0x0001 {
            let mut pos = 0;
            let mut take = |value: &mut u64| -> Result<(), &'static str> {
                if *value == 0xFFFF_FFFF {
                    if data.len() < pos + 8 {
                        return Err("ZIP64 extra field too short");
                    }
                    *value = u64_at(data, pos);
                    pos += 8;
                }
                Ok(())
            };
            take(uncompressed)?;
            take(compressed)?;
            if let Some(offset) = offset {
                take(offset)?;
            }
            return Ok(true);
        }
        rest = &rest[4 + len..];
    }
    if *uncompressed == 0xFFFF_FFFF || *compressed == 0xFFFF_FFFF {
        return Err("saturated size without a ZIP64 extra field");
    }
    Ok(false)
}

/// Reads the end records and the central directory, then checks every local header.
#[expect(clippy::too_many_lines, reason = "split in the next round")]
pub(crate) fn read_layout(
    src: &mut Source<'_>,
    limits: &WheelLimits,
) -> Result<Layout, WheelError> {
    let end = read_end(src)?;
    if end.entries > limits.max_members as u64 {
        return Err(src.limit(
            None,
            LimitKind::Members,
            end.entries,
            limits.max_members as u64,
        ));
    }
    if end.cd_size > limits.max_central_directory {
        return Err(src.limit(
            None,
            LimitKind::CentralDirectory,
            end.cd_size,
            limits.max_central_directory,
        ));
    }
    let cd_end = end.cd_offset.saturating_add(end.cd_size);
    if cd_end != end.records_start {
        return Err(src.malformed(ZipProblem::CentralDirectoryPosition {
            expected: end.records_start,
            actual: cd_end,
        }));
    }

    src.file
        .seek(SeekFrom::Start(end.cd_offset))
        .map_err(|e| src.io(e))?;
    let path = src.path.to_path_buf();
    let mut cd = BufReader::with_capacity(64 * 1024, (&mut *src.file).take(end.cd_size));
    let mut members = Vec::with_capacity(usize::try_from(end.entries.min(4096)).unwrap_or(4096));
    let mut seen = HashSet::new();
    let mut consumed = 0u64;
    let mut total = 0u64;
    let entries = usize::try_from(end.entries).expect("entry count is bounded by the limit");
    for index in 0..entries {
        let mut fixed = [0u8; 46];
        let bad = |detail| ZipProblem::BadCentralEntry { index, detail };
        read_exact_or(&mut cd, &mut fixed, &path)
            .map_err(|e| e.unwrap_or_else(|| src_malformed(src.wheel, bad("truncated"))))?;
        if u32_at(&fixed, 0) != CENTRAL_SIG {
            return Err(src_malformed(src.wheel, bad("bad signature")));
        }
        let made_by_host = fixed[5];
        let flags = u16_at(&fixed, 8);
        let method = u16_at(&fixed, 10);
        let crc32 = u32_at(&fixed, 16);
        let mut compressed = u64::from(u32_at(&fixed, 20));
        let mut uncompressed = u64::from(u32_at(&fixed, 24));
        let name_len = usize::from(u16_at(&fixed, 28));
        let extra_len = usize::from(u16_at(&fixed, 30));
        let comment_len = usize::from(u16_at(&fixed, 32));
        let disk = u16_at(&fixed, 34);
        let external = u32_at(&fixed, 38);
        let mut local_offset = u64::from(u32_at(&fixed, 42));
        let mut var = vec![0u8; name_len + extra_len + comment_len];
        read_exact_or(&mut cd, &mut var, &path)
            .map_err(|e| e.unwrap_or_else(|| src_malformed(src.wheel, bad("truncated"))))?;
        consumed += 46 + var.len() as u64;
        let raw_name = var[..name_len].to_vec();
        let name = decode_name(&raw_name, flags, index).map_err(|p| src_malformed(src.wheel, p))?;
        let extra = &var[name_len..name_len + extra_len];
        apply_zip64(
            extra,
            &mut uncompressed,
            &mut compressed,
            Some(&mut local_offset),
        )
        .map_err(|detail| {
            src_malformed(
                src.wheel,
                ZipProblem::BadMember {
                    member: name.clone(),
                    detail,
                },
            )
        })?;
        if disk != 0 && disk != 0xFFFF {
            return Err(src_malformed(src.wheel, ZipProblem::MultiDisk));
        }
        if !seen.insert(name.clone()) {
            return Err(src_malformed(src.wheel, ZipProblem::Duplicate(name)));
        }
        if flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0 {
            return Err(src_malformed(src.wheel, ZipProblem::Encrypted(name)));
        }
        if method != 0 && method != 8 {
            return Err(src_malformed(
                src.wheel,
                ZipProblem::Method {
                    member: name,
                    method,
                },
            ));
        }
        if made_by_host == 3 {
            let mode = external >> 16;
            match mode & 0o170_000 {
                0 | 0o100_000 | 0o040_000 => {}
                0o120_000 => return Err(src_malformed(src.wheel, ZipProblem::Symlink(name))),
                _ => {
                    return Err(src_malformed(
                        src.wheel,
                        ZipProblem::SpecialFile { member: name, mode },
                    ));
                }
            }
        }
        let is_dir = name.ends_with('/');
        if is_dir && uncompressed != 0 {
            return Err(src_malformed(
                src.wheel,
                ZipProblem::BadMember {
                    member: name,
                    detail: "directory entry with data",
                },
            ));
        }
        if method == 0 && compressed != uncompressed {
            return Err(src_malformed(
                src.wheel,
                ZipProblem::BadMember {
                    member: name,
                    detail: "stored member whose compressed and uncompressed sizes differ",
                },
            ));
        }
        let limit = |kind, actual, max| WheelError::Limit {
            wheel: src.wheel.to_string(),
            member: Some(name.clone()),
            limit: kind,
            actual,
            max,
        };
        if uncompressed > limits.max_member {
            return Err(limit(
                LimitKind::MemberSize,
                uncompressed,
                limits.max_member,
            ));
        }
        let ratio = uncompressed / compressed.max(1);
        if ratio > limits.max_ratio {
            return Err(limit(LimitKind::Ratio, ratio, limits.max_ratio));
        }
        total = total.saturating_add(uncompressed);
        if total > limits.max_total_uncompressed {
            return Err(limit(
                LimitKind::TotalSize,
                total,
                limits.max_total_uncompressed,
            ));
        }
        members.push(Member {
            name,
            is_dir,
            method,
            crc32,
            compressed,
            uncompressed,
            local_offset,
            data_offset: 0,
            flags,
            raw_name,
        });
    }
    drop(cd);
    if consumed != end.cd_size {
        return Err(src.malformed(ZipProblem::CentralDirectorySize {
            expected: end.cd_size,
            actual: consumed,
        }));
    }
    check_local_headers(src, &mut members, end.cd_offset)?;
    Ok(Layout {
        members,
        uncompressed_size: total,
    })
}

fn src_malformed(wheel: &str, problem: ZipProblem) -> WheelError {
    WheelError::Malformed {
        wheel: wheel.to_string(),
        problem,
    }
}

/// `read_exact` that tells a short read (`None`) from an I/O error.
fn read_exact_or(
    reader: &mut impl Read,
    buf: &mut [u8],
    path: &std::path::Path,
) -> Result<(), Option<WheelError>> {
    reader.read_exact(buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            None
        } else {
            Some(WheelError::Io {
                path: path.to_path_buf(),
                source: e,
            })
        }
    })
}

/// Reads each local header, compares it with the central directory, and checks that the
/// members tile the file from offset 0 up to the central directory with no gap or overlap.
fn check_local_headers(
    src: &mut Source<'_>,
    members: &mut [Member],
    cd_offset: u64,
) -> Result<(), WheelError> {
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&i| members[i].local_offset);
    let mut expected = 0u64;
    let mut previous: Option<(String, u64)> = None;
    for i in order {
        let m = &members[i];
        if m.local_offset != expected {
            return Err(src.malformed(match &previous {
                Some((name, end)) if m.local_offset < expected => ZipProblem::Overlap {
                    member: m.name.clone(),
                    offset: m.local_offset,
                    previous: name.clone(),
                    previous_end: *end,
                },
                _ => ZipProblem::Gap {
                    offset: expected,
                    len: m.local_offset - expected,
                },
            }));
        }
        let end = read_local(src, &members[i])?;
        let m = &mut members[i];
        m.data_offset = end.0;
        expected = end.1;
        previous = Some((m.name.clone(), expected));
    }
    if expected != cd_offset {
        return Err(src.malformed(if expected < cd_offset {
            ZipProblem::Gap {
                offset: expected,
                len: cd_offset - expected,
            }
        } else {
            let (name, end) = previous.unwrap_or_default();
            ZipProblem::Overlap {
                member: "central directory".to_string(),
                offset: cd_offset,
                previous: name,
                previous_end: end,
            }
        }));
    }
    Ok(())
}

/// Reads one local header (and data descriptor); returns (data offset, end of the member).
#[expect(clippy::too_many_lines, reason = "split in the next round")]
fn read_local(src: &mut Source<'_>, m: &Member) -> Result<(u64, u64), WheelError> {
    let mut fixed = [0u8; 30];
    src.read_at(m.local_offset, &mut fixed)?;
    let mismatch = |field: &'static str, local: String, central: String| {
        src_malformed(
            src.wheel,
            ZipProblem::LocalMismatch {
                member: m.name.clone(),
                field,
                local,
                central,
            },
        )
    };
    if u32_at(&fixed, 0) != LOCAL_SIG {
        return Err(src.malformed(ZipProblem::BadMember {
            member: m.name.clone(),
            detail: "no local header signature at the offset the central directory gives",
        }));
    }
    let flags = u16_at(&fixed, 6);
    let method = u16_at(&fixed, 8);
    let crc32 = u32_at(&fixed, 14);
    let mut compressed = u64::from(u32_at(&fixed, 18));
    let mut uncompressed = u64::from(u32_at(&fixed, 22));
    let name_len = usize::from(u16_at(&fixed, 26));
    let extra_len = usize::from(u16_at(&fixed, 28));
    let mut var = vec![0u8; name_len + extra_len];
    src.read_at(m.local_offset + 30, &mut var)?;
    let raw_name = &var[..name_len];
    if raw_name != m.raw_name.as_slice() {
        return Err(mismatch(
            "name",
            format!("\"{}\"", String::from_utf8_lossy(raw_name).escape_debug()),
            format!("\"{}\"", m.name.escape_debug()),
        ));
    }
    if flags != m.flags {
        return Err(mismatch(
            "flags",
            format!("{flags:#06x}"),
            format!("{:#06x}", m.flags),
        ));
    }
    if method != m.method {
        return Err(mismatch(
            "compression method",
            method.to_string(),
            m.method.to_string(),
        ));
    }
    let has_zip64 = apply_zip64(&var[name_len..], &mut uncompressed, &mut compressed, None)
        .map_err(|detail| {
            src.malformed(ZipProblem::BadMember {
                member: m.name.clone(),
                detail,
            })
        })?;
    if flags & FLAG_DESCRIPTOR == 0 {
        if crc32 != m.crc32 {
            return Err(mismatch(
                "CRC-32",
                format!("{crc32:#010x}"),
                format!("{:#010x}", m.crc32),
            ));
        }
        if compressed != m.compressed {
            return Err(mismatch(
                "compressed size",
                compressed.to_string(),
                m.compressed.to_string(),
            ));
        }
        if uncompressed != m.uncompressed {
            return Err(mismatch(
                "uncompressed size",
                uncompressed.to_string(),
                m.uncompressed.to_string(),
            ));
        }
    }
    let data_offset = m.local_offset + 30 + var.len() as u64;
    let data_end = data_offset
        .checked_add(m.compressed)
        .filter(|&e| e <= src.len)
        .ok_or_else(|| src.malformed(ZipProblem::Truncated(data_offset)))?;
    if flags & FLAG_DESCRIPTOR == 0 {
        return Ok((data_offset, data_end));
    }
    // Data descriptor: optional signature, CRC-32, then 4- or 8-byte sizes.
    let wide = has_zip64 || m.compressed >= 0xFFFF_FFFF || m.uncompressed >= 0xFFFF_FFFF;
    let size_len = if wide { 16 } else { 8 };
    let mut first = [0u8; 4];
    src.read_at(data_end, &mut first)?;
    let body_at = if u32_at(&first, 0) == DESCRIPTOR_SIG {
        data_end + 4
    } else {
        data_end
    };
    let mut body = [0u8; 20];
    let body = &mut body[..4 + size_len];
    src.read_at(body_at, body)?;
    let (d_crc, d_comp, d_uncomp) = if wide {
        (u32_at(body, 0), u64_at(body, 4), u64_at(body, 12))
    } else {
        (
            u32_at(body, 0),
            u64::from(u32_at(body, 4)),
            u64::from(u32_at(body, 8)),
        )
    };
    for (field, local, central) in [
        (
            "data descriptor CRC-32",
            u64::from(d_crc),
            u64::from(m.crc32),
        ),
        ("data descriptor compressed size", d_comp, m.compressed),
        (
            "data descriptor uncompressed size",
            d_uncomp,
            m.uncompressed,
        ),
    ] {
        if local != central {
            return Err(mismatch(field, local.to_string(), central.to_string()));
        }
    }
    Ok((data_offset, body_at + body.len() as u64))
}

/// Decompresses one member into `sink`, checking its real size and CRC-32 against the
/// headers. Reads at most the declared size plus one byte of output, so a lying header cannot
/// make it do unbounded work.
pub(crate) fn stream_member(
    src: &mut Source<'_>,
    m: &Member,
    sink: &mut impl Write,
) -> Result<(), WheelError> {
    src.file
        .seek(SeekFrom::Start(m.data_offset))
        .map_err(|e| src.io(e))?;
    let path = src.path;
    let io = |source| WheelError::Io {
        path: path.to_path_buf(),
        source,
    };
    let raw = BufReader::with_capacity(64 * 1024, (&mut *src.file).take(m.compressed));
    let mut hasher = crc32fast::Hasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut count = 0u64;
    let deflate_error = |e: io::Error| {
        src_malformed(
            src.wheel,
            ZipProblem::Deflate {
                member: m.name.clone(),
                error: e.to_string(),
            },
        )
    };
    let consumed = if m.method == 8 {
        let mut decoder = DeflateDecoder::new(raw);
        let mut limited = (&mut decoder).take(m.uncompressed + 1);
        loop {
            let n = limited.read(&mut buf).map_err(deflate_error)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            sink.write_all(&buf[..n]).map_err(io)?;
            count += n as u64;
        }
        decoder.total_in()
    } else {
        let mut limited = raw.take(m.uncompressed + 1);
        loop {
            let n = limited.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            sink.write_all(&buf[..n]).map_err(io)?;
            count += n as u64;
        }
        count
    };
    let data_mismatch = |field, expected: String, actual: String| {
        src_malformed(
            src.wheel,
            ZipProblem::DataMismatch {
                member: m.name.clone(),
                field,
                expected,
                actual,
            },
        )
    };
    if count != m.uncompressed {
        let actual = if count > m.uncompressed {
            format!("more than {}", m.uncompressed)
        } else {
            count.to_string()
        };
        return Err(data_mismatch("size", m.uncompressed.to_string(), actual));
    }
    let crc = hasher.finalize();
    if crc != m.crc32 {
        return Err(data_mismatch(
            "CRC-32",
            format!("{:#010x}", m.crc32),
            format!("{crc:#010x}"),
        ));
    }
    if consumed != m.compressed {
        return Err(data_mismatch(
            "compressed size",
            m.compressed.to_string(),
            consumed.to_string(),
        ));
    }
    Ok(())
}
