//! The end records and the central directory, read from byte ranges (no I/O of its own: a
//! file and the fetched tail of a remote wheel are read alike, see [`super::ZipBytes`]).

use std::collections::HashSet;
use std::io::{self, Read};

use super::names::decode_name;
use super::{
    CENTRAL_SIG, EOCD_LEN, EOCD_SIG, FLAG_ENCRYPTED, FLAG_STRONG_ENCRYPTION, LimitKind,
    MAX_COMMENT, Member, ZIP64_EOCD_SIG, ZIP64_LOCATOR_SIG, ZipBytes, ZipError, ZipLimits,
    ZipProblem, read_at, u16_at, u32_at, u64_at,
};

/// The end of central directory values that matter, after ZIP64 is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    /// The number of central directory entries.
    pub entries: u64,
    /// The size of the central directory.
    pub cd_size: u64,
    /// The offset of the central directory.
    pub cd_offset: u64,
    /// Where the records after the central directory start.
    pub records_start: u64,
}

/// The checked central directory: every entry, its names and sizes checked, not yet compared
/// with the local headers (see [`super::check_local`] and [`super::read_layout`]).
#[derive(Debug)]
pub struct Directory {
    /// The end records.
    pub end: End,
    /// Every member, in central directory order.
    pub members: Vec<Member>,
    /// The sum of the declared uncompressed sizes.
    pub uncompressed_size: u64,
}

fn malformed(problem: ZipProblem) -> ZipError {
    ZipError::Malformed(problem)
}

/// Finds the end of central directory record (and the ZIP64 records when present).
pub fn read_end(src: &mut dyn ZipBytes) -> Result<End, ZipError> {
    let len = src.size();
    if len < EOCD_LEN {
        return Err(malformed(ZipProblem::NoEndRecord));
    }
    let tail_len = len.min(EOCD_LEN + MAX_COMMENT);
    let tail_start = len - tail_len;
    let mut tail = vec![0u8; usize::try_from(tail_len).unwrap_or(0)];
    read_at(src, tail_start, &mut tail)?;
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
        return Err(malformed(match last_candidate_end {
            Some(end) if end < tail.len() => ZipProblem::TrailingBytes((tail.len() - end) as u64),
            Some(_) => ZipProblem::Truncated(len),
            None => ZipProblem::NoEndRecord,
        }));
    };
    let eocd = &tail[i..i + 22];
    let eocd_pos = tail_start + i as u64;
    let classic = End {
        entries: u64::from(u16_at(eocd, 10)),
        cd_size: u64::from(u32_at(eocd, 12)),
        cd_offset: u64::from(u32_at(eocd, 16)),
        records_start: eocd_pos,
    };
    let (disk, cd_disk) = (u16_at(eocd, 4), u16_at(eocd, 6));
    let entries_disk = u64::from(u16_at(eocd, 8));

    // A ZIP64 locator, when present, sits right before the end record.
    let mut locator = [0u8; 20];
    if eocd_pos >= 20 {
        read_at(src, eocd_pos - 20, &mut locator)?;
    }
    if eocd_pos < 20 || u32_at(&locator, 0) != ZIP64_LOCATOR_SIG {
        if disk != 0 || cd_disk != 0 || entries_disk != classic.entries {
            return Err(malformed(ZipProblem::MultiDisk));
        }
        return Ok(classic);
    }
    read_zip64(src, &locator, eocd_pos - 20, &classic)
}

/// Reads the ZIP64 end record the locator (at `locator_pos`) points to, and checks it against
/// the classic end record.
fn read_zip64(
    src: &mut dyn ZipBytes,
    locator: &[u8; 20],
    locator_pos: u64,
    classic: &End,
) -> Result<End, ZipError> {
    let z64_pos = u64_at(locator, 8);
    if u32_at(locator, 4) != 0 || u32_at(locator, 16) != 1 {
        return Err(malformed(ZipProblem::MultiDisk));
    }
    let mut z = [0u8; 56];
    if z64_pos.saturating_add(56) > locator_pos {
        return Err(malformed(ZipProblem::Zip64Missing(z64_pos)));
    }
    read_at(src, z64_pos, &mut z)?;
    if u32_at(&z, 0) != ZIP64_EOCD_SIG
        || z64_pos
            .checked_add(12)
            .and_then(|p| p.checked_add(u64_at(&z, 4)))
            != Some(locator_pos)
    {
        return Err(malformed(ZipProblem::Zip64Missing(z64_pos)));
    }
    if u32_at(&z, 16) != 0 || u32_at(&z, 20) != 0 || u64_at(&z, 24) != u64_at(&z, 32) {
        return Err(malformed(ZipProblem::MultiDisk));
    }
    let zip64 = End {
        entries: u64_at(&z, 32),
        cd_size: u64_at(&z, 40),
        cd_offset: u64_at(&z, 48),
        records_start: z64_pos,
    };
    // Where the classic record is not saturated, both must agree: a reader that ignores ZIP64
    // must see the same archive.
    for (field, zip64, classic, saturated) in [
        ("entry count", zip64.entries, classic.entries, 0xFFFF),
        (
            "central directory size",
            zip64.cd_size,
            classic.cd_size,
            0xFFFF_FFFF,
        ),
        (
            "central directory offset",
            zip64.cd_offset,
            classic.cd_offset,
            0xFFFF_FFFF,
        ),
    ] {
        if classic != saturated && classic != zip64 {
            return Err(malformed(ZipProblem::Zip64Mismatch {
                field,
                zip64,
                eocd: classic,
            }));
        }
    }
    Ok(zip64)
}

/// Parses the ZIP64 extended information field of a header, replacing saturated values.
pub(super) fn apply_zip64(
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

/// Reads the end records and the central directory; checks every entry and the limits.
pub fn read_directory(src: &mut dyn ZipBytes, limits: &ZipLimits) -> Result<Directory, ZipError> {
    let end = read_end(src)?;
    let limit = |limit, actual, max| ZipError::Limit {
        member: None,
        limit,
        actual,
        max,
    };
    if end.entries > limits.max_members as u64 {
        return Err(limit(
            LimitKind::Members,
            end.entries,
            limits.max_members as u64,
        ));
    }
    if end.cd_size > limits.max_central_directory {
        return Err(limit(
            LimitKind::CentralDirectory,
            end.cd_size,
            limits.max_central_directory,
        ));
    }
    let cd_end = end.cd_offset.saturating_add(end.cd_size);
    if cd_end != end.records_start {
        return Err(malformed(ZipProblem::CentralDirectoryPosition {
            expected: end.records_start,
            actual: cd_end,
        }));
    }
    let mut cd = src.reader_at(end.cd_offset, end.cd_size)?;
    let mut members = Vec::with_capacity(usize::try_from(end.entries.min(4096)).unwrap_or(4096));
    let mut seen = HashSet::new();
    let mut consumed = 0u64;
    let mut total = 0u64;
    for index in 0..usize::try_from(end.entries).unwrap_or(usize::MAX) {
        let (entry, len) = read_entry(&mut cd, index)?;
        consumed += len;
        if entry.disk != 0 && entry.disk != 0xFFFF {
            return Err(malformed(ZipProblem::MultiDisk));
        }
        if !seen.insert(entry.member.name.clone()) {
            return Err(malformed(ZipProblem::Duplicate(entry.member.name)));
        }
        check_entry(&entry)?;
        total = check_sizes(&entry.member, total, limits)?;
        members.push(entry.member);
    }
    drop(cd);
    if consumed != end.cd_size {
        return Err(malformed(ZipProblem::CentralDirectorySize {
            expected: end.cd_size,
            actual: consumed,
        }));
    }
    Ok(Directory {
        end,
        members,
        uncompressed_size: total,
    })
}

/// One central directory entry as read, with the fields only the checks need.
struct Entry {
    member: Member,
    made_by_host: u8,
    external: u32,
    disk: u16,
}

/// Reads one central directory entry; returns it and its length in bytes.
fn read_entry(cd: &mut dyn Read, index: usize) -> Result<(Entry, u64), ZipError> {
    let bad = |detail| malformed(ZipProblem::BadCentralEntry { index, detail });
    let mut fixed = [0u8; 46];
    read_exact_or(cd, &mut fixed).map_err(|e| e.unwrap_or_else(|| bad("truncated")))?;
    if u32_at(&fixed, 0) != CENTRAL_SIG {
        return Err(bad("bad signature"));
    }
    let flags = u16_at(&fixed, 8);
    let mut compressed = u64::from(u32_at(&fixed, 20));
    let mut uncompressed = u64::from(u32_at(&fixed, 24));
    let name_len = usize::from(u16_at(&fixed, 28));
    let extra_len = usize::from(u16_at(&fixed, 30));
    let comment_len = usize::from(u16_at(&fixed, 32));
    let mut local_offset = u64::from(u32_at(&fixed, 42));
    let mut var = vec![0u8; name_len + extra_len + comment_len];
    read_exact_or(cd, &mut var).map_err(|e| e.unwrap_or_else(|| bad("truncated")))?;
    let raw_name = var[..name_len].to_vec();
    let name = decode_name(&raw_name, flags, index).map_err(malformed)?;
    let extra = &var[name_len..name_len + extra_len];
    apply_zip64(
        extra,
        &mut uncompressed,
        &mut compressed,
        Some(&mut local_offset),
    )
    .map_err(|detail| {
        malformed(ZipProblem::BadMember {
            member: name.clone(),
            detail,
        })
    })?;
    let entry = Entry {
        member: Member {
            is_dir: name.ends_with('/'),
            name,
            method: u16_at(&fixed, 10),
            crc32: u32_at(&fixed, 16),
            compressed,
            uncompressed,
            local_offset,
            data_offset: 0,
            flags,
            raw_name,
        },
        made_by_host: fixed[5],
        external: u32_at(&fixed, 38),
        disk: u16_at(&fixed, 34),
    };
    Ok((entry, 46 + var.len() as u64))
}

/// Refuses encryption, methods other than stored and deflate, links and special files,
/// directories with data and stored members whose two sizes differ.
fn check_entry(entry: &Entry) -> Result<(), ZipError> {
    let m = &entry.member;
    let name = || m.name.clone();
    if m.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) != 0 {
        return Err(malformed(ZipProblem::Encrypted(name())));
    }
    if m.method != 0 && m.method != 8 {
        return Err(malformed(ZipProblem::Method {
            member: name(),
            method: m.method,
        }));
    }
    if entry.made_by_host == 3 {
        let mode = entry.external >> 16;
        match mode & 0o170_000 {
            0 | 0o100_000 | 0o040_000 => {}
            0o120_000 => return Err(malformed(ZipProblem::Symlink(name()))),
            _ => {
                return Err(malformed(ZipProblem::SpecialFile {
                    member: name(),
                    mode,
                }));
            }
        }
    }
    let bad = |detail| {
        malformed(ZipProblem::BadMember {
            member: name(),
            detail,
        })
    };
    if m.is_dir && m.uncompressed != 0 {
        return Err(bad("directory entry with data"));
    }
    if m.method == 0 && m.compressed != m.uncompressed {
        return Err(bad(
            "stored member whose compressed and uncompressed sizes differ",
        ));
    }
    Ok(())
}

/// Checks one member's sizes against the limits; returns the new running total.
fn check_sizes(m: &Member, total: u64, limits: &ZipLimits) -> Result<u64, ZipError> {
    let limit = |limit, actual, max| ZipError::Limit {
        member: Some(m.name.clone()),
        limit,
        actual,
        max,
    };
    if m.uncompressed > limits.max_member {
        return Err(limit(
            LimitKind::MemberSize,
            m.uncompressed,
            limits.max_member,
        ));
    }
    let ratio = m.uncompressed / m.compressed.max(1);
    if ratio > limits.max_ratio {
        return Err(limit(LimitKind::Ratio, ratio, limits.max_ratio));
    }
    let total = total.saturating_add(m.uncompressed);
    if total > limits.max_total_uncompressed {
        return Err(limit(
            LimitKind::TotalSize,
            total,
            limits.max_total_uncompressed,
        ));
    }
    Ok(total)
}

/// `read_exact` that tells a short read (`None`) from an I/O error.
fn read_exact_or(reader: &mut dyn Read, buf: &mut [u8]) -> Result<(), Option<ZipError>> {
    reader.read_exact(buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            None
        } else {
            Some(ZipError::Io(e))
        }
    })
}
